"""The shapes accept the good fixture and reject each bad one with the rule it breaks."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from inko_graph.load.sources import parse_rdf_file
from inko_graph.validation.shacl import validate_triples

DATA = Path(__file__).parent.parent / "data"

SHAPES_DIR = DATA / "shapes"
EX = "https://w3id.org/inko/id/test/"
FIXTURES = sorted(p for p in SHAPES_DIR.glob("*.ttl") if not p.name.startswith("_"))


def _context(settings):
    triples = []
    for p in sorted(settings.ontology_dir.glob("inko.ttl")) + sorted((settings.data_dir / "vokabular").glob("*.ttl")):
        triples += parse_rdf_file(p)
    return triples


def _fixture_triples(path: Path):
    text = (SHAPES_DIR / "_prefixes.ttl").read_text(encoding="utf-8") + "\n" + path.read_text(encoding="utf-8")
    return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(text.encode(), format=ox.RdfFormat.TURTLE)]


def _expectation(path: Path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# erwartet:"), f"{path.name} must start with '# erwartet:'"
    parts = first.split(":", 1)[1].strip().split(None, 2)
    return parts


def test_fixtures_found():
    assert len(FIXTURES) >= 20


@pytest.fixture(scope="module")
def context(settings):
    return _context(settings)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_fixture(path, context, settings):
    exp = _expectation(path)
    report = validate_triples(context + _fixture_triples(path), settings.ontology_dir / "shapes.ttl")
    test_results = [r for r in report.results if r.focus.startswith(EX)]
    if exp[0] == "nichts":
        assert [r for r in test_results if r.severity in ("Violation", "Warning")] == []
        return
    severity, focus, text = exp
    focus = EX + focus.split(":", 1)[1]
    hits = [r for r in test_results if r.focus == focus and r.severity == severity and text in r.message_de]
    assert hits, f"expected {severity} on {focus} containing {text!r}; got {[(r.focus, r.severity, r.message_de) for r in test_results]}"
    # Each message is also available in English.
    assert all(h.message_en and h.message_en != h.message_de for h in hits)


def test_unknown_term_names_the_allowed_values(context, settings):
    report = validate_triples(context + _fixture_triples(SHAPES_DIR / "unbekannte-lebensphase.ttl"),
                              settings.ontology_dir / "shapes.ttl")
    hit = next(r for r in report.results if "Unbekannter Wert" in r.message_de)
    assert hit.value == "lp:teenager" and hit.focus.endswith("/test/m")
    for allowed in ("Frühe Kindheit (lp:fruehe-kindheit)", "Schulalter (lp:schulalter)", "Alter (lp:alter)"):
        assert allowed in hit.message_de
    assert "Early childhood (lp:fruehe-kindheit)" in hit.message_en


def test_report_groups_by_resource_in_german_and_english(context, settings):
    report = validate_triples(context + _fixture_triples(SHAPES_DIR / "ziel-ohne-quelle.ttl"),
                              settings.ontology_dir / "shapes.ttl")
    de = report.format_text("de")
    en = report.format_text("en")
    assert de.startswith("Nicht gültig.") and "Fehler: Quelle fehlt" in de
    assert en.startswith("Does not conform.") and "Violation: Source missing" in en
    assert f"<{EX}z>" in de

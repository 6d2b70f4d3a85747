"""Fortschreibung: exact differences between two small dumps, and between two years of submissions."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph as ox
import pytest

from inko_graph.analysis.diff import changes_since, diff_triples, load_dump, year_free
from inko_graph.cli import main
from inko_graph.raster.importer import import_raster
from inko_graph.raster.template import workbook_bytes
from raster_fixtures import GOOD_ACTOR, GOOD_ROWS, fill_workbook, to_bytes, world_store

DATA = Path(__file__).parent.parent / "data" / "diff"
EX = "https://w3id.org/inko/id/diff/"
INKO = "https://w3id.org/inko/def#"


@pytest.fixture(scope="module")
def d():
    return diff_triples(load_dump(DATA / "alt.trig"), load_dump(DATA / "neu.ttl"), old_name="alt", new_name="neu")


def _iris(items):
    return [x.iri for x in items]


def test_added_removed_changed(d):
    assert _iris(d.added["ziele"]) == [EX + "l3"]
    assert _iris(d.removed["ziele"]) == [EX + "l2"]
    assert [(c.iri, [(p, [t.value for t in o], [t.value for t in n]) for p, o, n in c.props]) for c in d.changed["ziele"]] == [
        (EX + "l1", [("http://www.w3.org/2004/02/skos/core#prefLabel", ["Zusammenleben stärken"],
                      ["Das Zusammenleben wird gestärkt"])])]
    assert [c.iri for c in d.changed["massnahmen"]] == [EX + "m1"]
    assert [(o[0].value, n[0].value) for _, o, n in d.changed["massnahmen"][0].props] == [("einmal im Jahr", "zweimal im Jahr")]
    assert _iris(d.added["akteure"]) == [EX + "o2"] and d.removed["akteure"] == [] and d.changed["akteure"] == []
    assert _iris(d.added["aktivitaeten"]) == [EX + "a2"] and _iris(d.removed["aktivitaeten"]) == [EX + "a1"]


def test_links(d):
    assert d.links_added == [(EX + "m1", INKO + "dient", EX + "l3")]
    assert d.links_removed == [(EX + "m1", INKO + "dient", EX + "l1")]


def test_markdown(d):
    md = d.to_markdown()
    assert md.startswith("# Fortschreibung: alt → neu")
    assert "| Ziele | 1 | 1 | 1 |" in md
    assert "- **Bildung für alle** (`id:diff/l3`)" in md
    assert "vorher „Zusammenleben stärken“; nachher „Das Zusammenleben wird gestärkt“" in md
    assert "- Begegnungsfest — inko:dient → Bildung für alle" in md
    assert "Verein \\<script\\>B\\</script\\>" in md
    assert "Summary" in d.to_markdown("en")


def test_html_escapes_the_data(d):
    html = d.to_html()
    assert html.startswith("<!doctype html>") and 'lang="de"' in html
    assert "<script>" not in html and "Verein &lt;script&gt;B&lt;/script&gt;" in html
    assert "<td>Zusammenleben stärken</td><td>Das Zusammenleben wird gestärkt</td>" in html
    assert not d.to_html(full=False).startswith("<!doctype")


def test_same_version_has_no_changes():
    t = load_dump(DATA / "alt.trig")
    d = diff_triples(t, list(reversed(t)))
    assert d.is_empty() and "Keine Änderungen." in d.to_markdown()


def test_nquads_dump(tmp_path):
    nq = tmp_path / "neu.nq"
    st = ox.Store()
    st.extend(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode("https://w3id.org/inko/graph/x"))
              for t in load_dump(DATA / "neu.ttl"))
    nq.write_bytes(st.dump(format=ox.RdfFormat.N_QUADS))
    d = diff_triples(load_dump(DATA / "alt.trig"), load_dump(nq))
    assert _iris(d.added["ziele"]) == [EX + "l3"]


def test_year_free():
    assert year_free("https://w3id.org/inko/id/raster/vhs/2025/kurs") == "https://w3id.org/inko/id/raster/vhs/*/kurs"
    assert year_free("https://w3id.org/inko/graph/raster/vhs/2025") == "https://w3id.org/inko/graph/raster/vhs/*"
    assert year_free("https://w3id.org/inko/id/hattingen/leitziel/2025") == "https://w3id.org/inko/id/hattingen/leitziel/2025"


@pytest.fixture(scope="module")
def two_years(settings):
    store = world_store()
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    t25 = workbook_bytes(store, settings, town="Hattingen", year=2025)
    import_raster(to_bytes(fill_workbook(t25, dict(GOOD_ACTOR, Berichtsjahr=2025), GOOD_ROWS)), "2025.xlsx", store,
                  settings, now=now)
    rows = [list(r) for r in GOOD_ROWS[:2]] + [["Nähcafé", None, "Soziales", "Leitziel 2 (3.3)", "Alter", None, None,
                                                  None, None, None]]
    rows[0][1] = "Integrationskurs mit Kinderbetreuung, jetzt auch samstags"
    rows[1][3] = "3.3 / Leitziel 1"
    actor = dict(GOOD_ACTOR, Selbstdarstellung="Die vhs bietet Kurse für alle, auch online.")
    t26 = workbook_bytes(store, settings, town="Hattingen", year=2026)
    import_raster(to_bytes(fill_workbook(t26, actor, rows)), "2026.xlsx", store, settings, now=now)
    return store


def test_changes_since_the_year_before(two_years, settings):
    d = changes_since(two_years, 2026, settings.queries_dir)
    assert [r.label for r in d.added["aktivitaeten"]] == ["Nähcafé"]
    assert [r.label for r in d.removed["aktivitaeten"]] == ["Bewerbungstraining"]
    assert [c.label for c in d.changed["aktivitaeten"]] == ["Deutschkurs am Abend"]
    kurs = d.changed["aktivitaeten"][0]
    assert kurs.iri.endswith("/2026/deutschkurs-am-abend") and kurs.old_iri.endswith("/2025/deutschkurs-am-abend")
    assert [p for p, _, _ in kurs.props] == ["http://purl.org/dc/terms/description"]
    assert [c.label for c in d.changed["akteure"]] == ["vhs Hattingen"]
    labels = {(d.label(s), d.label(o)) for s, p, o in d.links_added}
    assert ("Sprachcafé", "Integration ist als Querschnittsaufgabe in der Stadtverwaltung verankert.") in labels
    md = d.to_markdown()
    assert "# Fortschreibung: Raster 2025 → Raster 2026" in md and "Beschreibung" in md  # property named by its label


def test_cli_diff_files_and_years(tmp_path, capsys, monkeypatch, two_years):
    assert main(["diff", str(DATA / "alt.trig"), str(DATA / "neu.ttl")]) == 0
    assert "| Maßnahmen | 0 | 0 | 1 |" in capsys.readouterr().out
    out = tmp_path / "f.html"
    assert main(["diff", str(DATA / "alt.trig"), str(DATA / "neu.ttl"), "--format", "html", "-o", str(out)]) == 0
    assert "Bildung für alle" in out.read_text(encoding="utf-8")
    import inko_graph.load.build

    monkeypatch.setattr(inko_graph.load.build, "ensure_built", lambda settings: two_years)
    assert main(["diff", "--jahr", "2025", "--jahr", "2026"]) == 0
    assert "Nähcafé" in capsys.readouterr().out
    assert main(["diff", "--jahr", "2026", "--akteur", "id:akteur/vhs-hattingen"]) == 0
    assert "Nähcafé" in capsys.readouterr().out
    assert main(["diff", str(DATA / "alt.trig")]) == 2
    assert "genau zwei Dateien" in capsys.readouterr().err


def test_labels_asked_one_by_one_are_those_of_the_whole_graph(store, settings):
    """``labels_for`` (what the cockpit's change pages use) names every IRI of the compared triples
    exactly as the label query over the whole graph does: the Raster submissions of 2014 and the
    source document's version of Hattingen's concept."""
    from inko_graph.analysis.diff import _labels, labels_for, submissions
    from inko_graph.konzept import fassungen
    from inko_graph.query.catalogue import Catalogue

    cat = Catalogue(settings.queries_dir)
    every = _labels(store, settings.queries_dir)
    (doc,) = fassungen.versions(store, settings, cat, "https://w3id.org/inko/id/konzept/hattingen-integrationskonzept")
    for triples in (submissions(store, 2014, settings.queries_dir), doc.triples()):
        assert triples
        named = {t.subject.value for t in triples if t.predicate.value.endswith("core#prefLabel")}
        used = {t.predicate.value for t in triples} | {t.object.value for t in triples if isinstance(t.object, ox.NamedNode)
                                                       and not t.predicate.value.endswith("#type")}
        got = labels_for(store, cat.get("diff-bezeichnungen"), triples)
        assert got == {iri: every[iri] for iri in used - named if iri in every}
        assert len(got) >= 5

"""The shapes evaluated as SPARQL give the same results as pySHACL: on every shape fixture and on the
real graph; and unknown SHACL features fall back to pySHACL."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from inko_graph.load.sources import parse_rdf_file
from inko_graph.validation import shapecheck
from inko_graph.validation.shacl import validate_triples

SHAPES_DIR = Path(__file__).parent.parent / "data" / "shapes"
FIXTURES = sorted(p for p in SHAPES_DIR.glob("*.ttl") if not p.name.startswith("_"))


def _key(r):
    # GROUP_CONCAT has no order: compare the list of allowed values as a set
    msg = re.sub(r"(Erlaubt sind|Allowed values): (.*)\.$",
                 lambda m: m.group(1) + ": " + ",".join(sorted(m.group(2).split(", "))), r.message_de)
    return (r.focus, r.severity, r.path or "", r.value or "", msg)


@pytest.fixture(scope="module")
def context(settings):
    triples = parse_rdf_file(settings.ontology_dir / "inko.ttl")
    for p in sorted((settings.data_dir / "vokabular").glob("*.ttl")):
        triples += parse_rdf_file(p)
    return triples


def _fixture(path: Path):
    text = (SHAPES_DIR / "_prefixes.ttl").read_text(encoding="utf-8") + "\n" + path.read_text(encoding="utf-8")
    return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(text.encode(), format=ox.RdfFormat.TURTLE)]


def test_shapes_compile(settings):
    from inko_graph.validation.shacl import load_shapes

    compiled = shapecheck.compile_shapes(load_shapes(settings.ontology_dir / "shapes.ttl"))
    assert len(compiled.constraints) >= 30


EX = "https://w3id.org/inko/id/test/"


def _renamed(path: Path) -> list[ox.Triple]:
    """The fixture with its own IRIs moved under the fixture's name, so that all can be checked at once."""
    def term(t):
        if isinstance(t, ox.NamedNode) and t.value.startswith(EX):
            return ox.NamedNode(EX + path.stem + "/" + t.value[len(EX):])
        return t
    return [ox.Triple(term(t.subject), t.predicate, term(t.object)) for t in _fixture(path)]


@pytest.fixture(scope="module")
def both(context, settings):
    """pySHACL and the compiled shapes on all fixtures together (one run each)."""
    shapes = settings.ontology_dir / "shapes.ttl"
    data = [t for p in FIXTURES for t in _renamed(p)]
    mine = {t.subject.value for t in data}
    expected = [r for r in validate_triples(context + data, shapes).results if r.focus in mine]
    got = shapecheck.check(data, context, shapes).results
    return expected, got


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_same_results_as_pyshacl_on_each_fixture(path, both):
    prefix = EX + path.stem + "/"
    expected = sorted(_key(r) for r in both[0] if r.focus.startswith(prefix))
    got = sorted(_key(r) for r in both[1] if r.focus.startswith(prefix))
    assert got == expected
    if path.stem != "good":
        assert got, "each bad fixture breaks a rule"


def test_same_results_as_pyshacl_on_the_real_graph(built, settings):
    """pySHACL, the reference engine, and the compiled shapes find exactly the same on the whole graph."""
    from inko_graph.validation.shacl import validate_triples

    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in built.store.quads()]
    got = sorted(_key(r) for r in shapecheck.check(triples, [], settings.ontology_dir / "shapes.ttl").results)
    expected = sorted(_key(r) for r in validate_triples(triples, settings.ontology_dir / "shapes.ttl").results)
    assert sorted(_key(r) for r in built.report.results) == expected
    assert len(expected) > 0
    assert got == expected


def test_unknown_feature_falls_back_to_pyshacl(tmp_path, context, settings):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(settings.ontology_dir.joinpath("shapes.ttl").read_text(encoding="utf-8") + """
shp:Kurz a sh:NodeShape ; sh:targetClass inko:Aktivitaet ;
    sh:property [ sh:path skos:prefLabel ; sh:minLength 3 ; sh:message "Zu kurz."@de ] .
""", encoding="utf-8")
    with pytest.raises(shapecheck.Unsupported):
        shapecheck.compile_shapes(rdflib.Graph().parse(shapes))
    ex = "https://w3id.org/inko/id/test/"
    data = _fixture(SHAPES_DIR / "good.ttl") + [
        ox.Triple(ox.NamedNode(ex + "a"), ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                  ox.NamedNode("https://w3id.org/inko/def#Aktivitaet")),
        ox.Triple(ox.NamedNode(ex + "a"), ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"),
                  ox.Literal("A", language="de"))]
    report = shapecheck.check(data, context, shapes)
    assert "Zu kurz." in {r.message_de for r in report.results if r.focus == ex + "a"}

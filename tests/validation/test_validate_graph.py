"""Validation of one named graph against its neighbourhood (inko_graph/validation/graphcheck.py): the same
results as with the whole store as context, for the submissions and documents of the real data;
cached per graph, and a change in the graph or its neighbourhood is seen."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from inko_graph.namespaces import GRAPH
from inko_graph.settings import PROJECT_ROOT
from inko_graph.store import OxigraphStore
from inko_graph.validation import graphcheck
from inko_graph.validation.shapecheck import check

SHAPES = PROJECT_ROOT / "ontology" / "shapes.ttl"


def _key(report) -> list:
    return sorted(repr((r.focus, r.path, r.severity, r.message_de, r.value)) for r in report.results)


def _whole(store, graph: str):
    g = ox.NamedNode(graph)
    own, rest = [], []
    for q in store.inner:
        (own if q.graph_name == g else rest).append(ox.Triple(q.subject, q.predicate, q.object))
    return check(own, rest, SHAPES)


def _graphs(store) -> list[str]:
    names = store.graph_names()
    raster = [g for g in names if g.startswith(GRAPH + "raster/")][:3]
    return raster + [GRAPH + "quelle-003", GRAPH + "kuratiert"]


def test_same_results_as_with_the_whole_store(store):
    graphs = _graphs(store)
    assert len(graphs) == 5
    for g in graphs:
        graphcheck.clear_cache()
        assert _key(graphcheck.check_graph(store, g, SHAPES)) == _key(_whole(store, g)), g


@pytest.fixture()
def small():
    s = OxigraphStore.memory()
    s.inner.load(path=str(PROJECT_ROOT / "ontology" / "inko.ttl"), format=ox.RdfFormat.TURTLE,
                 to_graph=ox.NamedNode(GRAPH + "ontologie"))
    for p in sorted((PROJECT_ROOT / "graph_data" / "vokabular").glob("*.ttl")):
        s.inner.load(path=str(p), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(GRAPH + "vokabular"))
    return s


_GOOD = """@prefix inko: <https://w3id.org/inko/def#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<https://w3id.org/inko/id/test/a> a inko:Aktivitaet ; skos:prefLabel "Sprachcafé"@de ;
  dcterms:source <https://w3id.org/inko/id/quelle/t> ; inko:abschnitt "1" ;
  inko:lebensphase <https://w3id.org/inko/id/vokabular/lebensphase/%s> .
"""


def test_cached_per_graph_and_a_change_is_seen(small):
    g = ox.NamedNode("https://example.org/g/meldung")
    graphcheck.clear_cache()
    small.inner.load(_GOOD % "alter", format=ox.RdfFormat.TURTLE, to_graph=g)
    first = graphcheck.check_graph(small, g.value, SHAPES)
    assert not [r for r in first.results if r.severity == "Violation"]
    assert len(graphcheck._CACHE) == 1
    again = graphcheck.check_graph(small, g.value, SHAPES)
    assert _key(again) == _key(first) and len(graphcheck._CACHE) == 1
    # A bad value in the graph: a new key, and the violation is found (the cache does not hide it).
    small.inner.update(f"DROP GRAPH {g}")
    small.inner.load(_GOOD % "gibt-es-nicht", format=ox.RdfFormat.TURTLE, to_graph=g)
    bad = graphcheck.check_graph(small, g.value, SHAPES)
    assert [r for r in bad.results if r.severity == "Violation"]
    assert len(graphcheck._CACHE) == 2


def test_the_context_is_the_neighbourhood_not_the_store(store):
    g = next(g for g in store.graph_names() if g.startswith(GRAPH + "raster/"))
    own, context = graphcheck.neighbourhood(store.inner, g)
    assert own and len(own) + len(context) < len(store) / 2

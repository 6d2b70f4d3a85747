"""The concepts of the graph come out as workbooks and go back in unchanged.

What round-trips (the definition the test holds the code to): for the concept, its Handlungsfelder
and Ziele, the Maßnahmen serving them, the Indikatoren measuring them and the organisations named
as Herausgeber or zuständig, the statements of the document graphs about the properties the
workbook has columns for (``PROJECTION`` below; curated links and Raster submissions are not the
concept's own statements and stay where they are). Importing the exported workbook gives exactly
these statements in the concept's own graph, plus the provenance of the workbook (the graph as
``dcterms:source``, „Blatt …, Zeile …“ as ``inko:abschnitt``). Exporting that graph and importing it
again gives the same graph.
"""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest

from inko_graph.konzept.export import export_book
from inko_graph.konzept.importer import import_file
from inko_graph.konzept.template import template_bytes
from inko_graph.namespaces import GRAPH, PREFIXES
from inko_graph.store import OxigraphStore

I, S, D, RDF = PREFIXES["inko"], PREFIXES["skos"], PREFIXES["dcterms"], PREFIXES["rdf"] + "type"
GOAL_TYPES = {I + x for x in ("Ziel", "Leitziel", "Teilziel", "Leitthema", "Monitoringziel", "Jahresziel")}
ORG = PREFIXES["org"] + "Organization"
DE_TEXT = {S + "prefLabel", D + "description"}
#: Per kind: the properties the workbook carries (objects restricted where they must lie in the concept).
PROJECTION = {
    "konzept": {RDF, S + "prefLabel", I + "gebiet", D + "date", D + "publisher", D + "source"},
    "feld": {RDF, S + "prefLabel", S + "inScheme", S + "notation", D + "description", I + "abschnitt", D + "source"},
    "ziel": {RDF, S + "prefLabel", S + "inScheme", S + "notation", S + "broader", I + "handlungsfeld", I + "lebensphase",
             I + "zielgruppe", D + "description", I + "abschnitt", D + "source"},
    "massnahme": {RDF, S + "prefLabel", S + "notation", D + "description", I + "dient", I + "handlungsfeld",
                  I + "zustaendig", I + "zustaendigkeit", I + "wer", I + "wann", I + "lebensphase", I + "zielgruppe",
                  I + "zeithorizont", I + "indikator", I + "abschnitt", D + "source"},
    "indikator": {RDF, S + "prefLabel", S + "notation", I + "indikatorart", I + "misst", I + "einheit",
                  I + "datenquelle", I + "abschnitt", D + "source"},
    "org": {S + "prefLabel", I + "akteursart", I + "gebiet"},
}
ROW_PLACE = re.compile(r"^Blatt .+, Zeile \d+$")


def _own(store) -> dict[str, dict[str, set]]:
    out: dict = {}
    for q in store.quads():
        g = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
        if g == GRAPH + "kuratiert" or g.startswith(GRAPH + "raster/"):
            continue
        out.setdefault(q.subject.value, {}).setdefault(q.predicate.value, set()).add(q.object)
    return out


def projection(store, konzept: str) -> set[ox.Triple]:
    """The statements about ``konzept`` that the workbook carries (written independently of the export)."""
    st = _own(store)
    iris = lambda s, p: {o.value for o in st.get(s, {}).get(p, ()) if isinstance(o, ox.NamedNode)}  # noqa: E731
    types = lambda s: iris(s, RDF)  # noqa: E731
    members = [s for s in st if konzept in iris(s, S + "inScheme")]
    fields = {s for s in members if I + "Handlungsfeld" in types(s)}
    goals = {s for s in members if types(s) & GOAL_TYPES}
    measures = {s for s in st if I + "Massnahme" in types(s)
                and (iris(s, I + "dient") & goals or iris(s, I + "handlungsfeld") & fields)}
    indicators = {s for s in st if I + "Indikator" in types(s) and iris(s, I + "misst") & goals}
    orgs = iris(konzept, D + "publisher") | {o for m in measures for o in iris(m, I + "zustaendig")}
    inside = {S + "broader": goals, I + "dient": goals, I + "misst": goals, I + "handlungsfeld": fields,
              I + "indikator": indicators}
    out = set()
    kinds = [("konzept", {konzept}), ("feld", fields), ("ziel", goals), ("massnahme", measures),
             ("indikator", indicators), ("org", orgs)]
    for kind, subjects in kinds:
        for s in subjects:
            node = ox.NamedNode(s)
            if kind == "org":
                out.add(ox.Triple(node, ox.NamedNode(RDF), ox.NamedNode(ORG)))
            for p in PROJECTION[kind]:
                for o in st.get(s, {}).get(p, ()):
                    if p in inside and kind != "konzept" and o.value not in inside[p]:
                        continue
                    if p == D + "source" and o.value.startswith(GRAPH):
                        continue
                    if p in DE_TEXT and getattr(o, "language", None) != "de":
                        continue
                    if p == RDF and kind == "ziel" and o.value not in GOAL_TYPES:
                        continue
                    if p == RDF and kind != "ziel" and kind != "org" and o.value != {
                            "konzept": I + "Konzept", "feld": I + "Handlungsfeld", "massnahme": I + "Massnahme",
                            "indikator": I + "Indikator"}[kind]:
                        continue
                    if p == I + "abschnitt" and ROW_PLACE.match(o.value):
                        continue
                    out.add(ox.Triple(node, ox.NamedNode(p), o))
    return out


def _without_workbook_provenance(triples, graph: str) -> set[ox.Triple]:
    return {t for t in triples if t.subject.value != graph and t.object.value != graph
            and not (t.predicate.value == I + "abschnitt" and ROW_PLACE.match(t.object.value))}


def _copy(store) -> OxigraphStore:
    fresh = OxigraphStore.memory()
    fresh.load_quads(store.quads())
    return fresh


def _graph(store, graph: str) -> set[ox.Triple]:
    return {ox.Triple(q.subject, q.predicate, q.object) for q in store.quads(graph)}


@pytest.fixture(scope="module")
def work(store):
    """One copy of the real graph: each concept's import writes its own graph."""
    return _copy(store)


@pytest.mark.parametrize("town", ["Hattingen", "Ennepe-Ruhr-Kreis", "Ratingen"])
def test_each_concept_comes_back_with_the_same_statements(work, settings, town):
    book, konzept = export_book(work, settings, town)
    expected = projection(work, konzept)
    assert len(expected) > 50
    result = import_file(template_bytes(book, "xlsx"), f"{town}.xlsx", work, settings)
    got = _graph(work, result.mapped.graph)
    assert _without_workbook_provenance(got, result.mapped.graph) == expected
    # every item names the graph and its row in the workbook
    items = {t.subject for t in got if t.predicate.value == RDF and t.object.value != I + "Quellgraph"}
    placed = {t.subject for t in got if t.predicate.value == I + "abschnitt" and ROW_PLACE.match(t.object.value)}
    assert items <= placed


def test_export_of_an_imported_concept_imports_to_the_same_graph(work, settings):
    """Second round, through .ods: export the imported concept, import it again: the same graph."""
    book, konzept = export_book(work, settings, "Ratingen")
    first = import_file(template_bytes(book, "xlsx"), "r.xlsx", work, settings)
    got = _graph(work, first.mapped.graph)
    book2, _ = export_book(work, settings, "Ratingen", konzept)
    again = import_file(template_bytes(book2, "ods"), "r.ods", work, settings)
    assert again.previous is not None and set(again.previous) == got
    assert _graph(work, again.mapped.graph) - _meta(work, again.mapped.graph) == got - _meta_of(got, first.mapped.graph)


def _meta_of(triples, graph) -> set:
    return {t for t in triples if t.subject.value == graph}


def _meta(store, graph) -> set:
    return _meta_of(_graph(store, graph), graph)


def test_curated_links_stay_curated(work, settings):
    book, konzept = export_book(work, settings, "Hattingen")
    result = import_file(template_bytes(book, "xlsx"), "h.xlsx", work, settings)
    got = _graph(work, result.mapped.graph)
    curated = _graph(work, GRAPH + "kuratiert")
    close = {S + "closeMatch", S + "broadMatch", S + "narrowMatch", S + "relatedMatch"}
    assert any(t.predicate.value in close and t.subject.value.startswith(PREFIXES["id"] + "hattingen/")
               for t in curated)
    assert not any(t.predicate.value in close for t in got)
    assert _graph(work, GRAPH + "kuratiert") == curated

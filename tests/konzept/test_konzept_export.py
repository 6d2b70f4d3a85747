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

import pyoxigraph as ox
import pytest

from inko_graph.konzept.export import export_book
from inko_graph.konzept.importer import import_file
from inko_graph.konzept.template import template_bytes
from inko_graph.namespaces import GRAPH, PREFIXES
from inko_graph.store import OxigraphStore
from konzept_projection import I, RDF, ROW_PLACE, S, _without_workbook_provenance, projection


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


def test_after_an_upload_the_export_is_the_uploaded_version(store, settings):
    """The export gives a town the concept as it stands now: reworded in the upload, struck out there,
    not the source document's wording, which stays in the graph. Exported and imported again,
    nothing changes."""
    import io
    import sys
    from pathlib import Path

    import openpyxl

    sys.path.insert(0, str(Path(__file__).parents[1] / "server"))
    from test_server_aenderungen_konzept import GRAPH as UPLOAD, NEW_WORDING, changed_workbook

    work = _copy(store)
    import_file(changed_workbook(store, settings), "hattingen-2026.xlsx", work, settings)
    book, konzept = export_book(work, settings, "Hattingen")
    ws = openpyxl.load_workbook(io.BytesIO(template_bytes(book, "xlsx")))["Ziele"]
    head = {c.value: i for i, c in enumerate(ws[1])}
    goals = {r[head["Kennung"]]: r for r in ws.iter_rows(min_row=2, values_only=True) if r[head["Kennung"]]}
    assert goals["id:hattingen/leitziel/5"][head["Ziel"]] == NEW_WORDING
    assert "id:hattingen/leitziel/8" not in goals
    assert goals["id:hattingen/leitziel/4"][head["Lebensphase"]] == "Schulalter"
    before = _without_workbook_provenance(_graph(work, UPLOAD), UPLOAD)
    import_file(template_bytes(book, "xlsx"), "hattingen-2026-stand.xlsx", work, settings)
    assert _without_workbook_provenance(_graph(work, UPLOAD), UPLOAD) == before

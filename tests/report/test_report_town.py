"""A town's report is the town's: its network is built from the town's and its Kreis's concepts, its
changes since the year before are those of the town's actors (real graph)."""

from __future__ import annotations

import datetime as dt

import pyoxigraph as ox
import pytest

from inko_graph.analysis.network import actor_network
from inko_graph.namespaces import ID, PREFIXES
from inko_graph.query.catalogue import Catalogue, run
from inko_graph.report import CSV_FILES, build_report

DAY = dt.date(2026, 3, 2)
WORKS_ON = {"zuständig", "Träger", "beteiligt", "Umsetzungsschritt"}


@pytest.fixture(scope="module")
def hattingen(store, settings):
    return build_report(store, settings, town="Hattingen", today=DAY)


def _concepts(store, settings, gebiet: str) -> set[str]:
    return set(run(store, Catalogue(settings.queries_dir).get("konzepte"), {"gebiet": gebiet})["konzept"])


def test_town_network_belongs_to_the_concepts_of_the_town_and_its_kreis(store, settings, hattingen):
    ctx = hattingen.context
    own = _concepts(store, settings, ID + "gebiet/hattingen") | _concepts(store, settings, ID + "gebiet/ennepe-ruhr-kreis")
    assert ctx.alle_iris <= own
    whole = actor_network(store)  # the whole graph's network, as the old report built it

    def work(n):
        return whole.nodes[n]["kind"] != "akteur" and bool(whole.nodes[n]["konzepte"] & ctx.alle_iris)

    def works_on(n):
        return any(work(m) and WORKS_ON & set(whole.adj[n][m]["beziehung"].split(", ")) for m in whole.adj[n])

    def belongs(n):
        if whole.nodes[n]["kind"] != "akteur":
            return work(n)
        return works_on(n) or any(whole.nodes[m]["gremium"] and works_on(m)
                                  and "hat als Mitglied" in whole.adj[n][m]["beziehung"] for m in whole.adj[n])

    # The actors the report ranks: each works on the concepts (or sits in a Gremium that does).
    actors = hattingen.csv[CSV_FILES["akteure"]]
    assert ID + "akteur/stadt-hattingen" in set(actors["akteur"])
    assert [a for a in actors["akteur"] if not belongs(a)] == []

    from inko_graph.report.model import catalogue
    from inko_graph.report.network import town_graph

    g = town_graph(ctx, catalogue(settings.queries_dir))
    assert g.number_of_nodes() > 50 and g.number_of_edges() > 50
    assert [n for n in g if not belongs(n)] == []
    for u, v, d in g.edges(data=True):
        assert whole.has_edge(u, v) and whole.adj[u][v]["beziehung"] == d["beziehung"], (u, v)
    # Every link of the whole network between two of its nodes is there (the links are asked per area).
    assert [(u, v) for u, v in whole.subgraph(g).edges() if not g.has_edge(u, v)] == []

    # Nothing of another town: no goal or undertaking of Ratingen's concepts, no actor seated only there.
    ratingen = _concepts(store, settings, ID + "gebiet/ratingen")
    assert ratingen
    for n, a in g.nodes(data=True):
        assert not a["konzepte"] & ratingen and a["gebiete"] != {ID + "gebiet/ratingen"}, n

    # The report's actors are those of this network, their links counted within it.
    assert set(actors["akteur"]) == {n for n, a in g.nodes(data=True) if a["kind"] == "akteur"}
    assert all(g.degree(r.akteur) == r.verbindungen for r in actors.itertuples())


def test_without_a_town_the_network_is_the_whole_graph(store, settings, monkeypatch):
    monkeypatch.setattr("inko_graph.report.SECTION_MODULES", [])
    report = build_report(store, settings, today=DAY)
    whole = actor_network(store)
    assert set(report.csv[CSV_FILES["akteure"]]["akteur"]) == {n for n, a in whole.nodes(data=True) if a["kind"] == "akteur"}


def _with_submission_from_ratingen(store):
    """A copy of the real graph with a Raster submission of 2014 by an actor seated in Ratingen."""
    from inko_graph.store import OxigraphStore

    actor = next(r[0] for r in store.query(
        "SELECT ?a WHERE { ?a <https://w3id.org/inko/def#gebiet> <" + ID + "gebiet/ratingen> ; a ?k } ORDER BY ?a LIMIT 1"))
    copy = OxigraphStore.memory()
    copy.load_quads(store.quads())
    inko, dct = "https://w3id.org/inko/def#", PREFIXES["dcterms"]
    graph = ox.NamedNode("https://w3id.org/inko/graph/raster/ratingen-test/2014")
    act = ox.NamedNode(ID + "raster/ratingen-test/2014/nachhilfe-aus-ratingen")
    copy.load_quads(ox.Quad(s, ox.NamedNode(p), o, graph) for s, p, o in [
        (graph, inko + "graphart", ox.NamedNode(ID + "vokabular/graphart/raster")),
        (graph, inko + "berichtsjahr", ox.Literal("2014", datatype=ox.NamedNode(PREFIXES["xsd"] + "gYear"))),
        (graph, dct + "creator", actor),
        (act, PREFIXES["rdf"] + "type", ox.NamedNode(inko + "Aktivitaet")),
        (act, PREFIXES["skos"] + "prefLabel", ox.Literal("Nachhilfe aus Ratingen", language="de")),
        (act, inko + "traeger", actor),
    ])
    return copy, actor


def test_changes_of_a_town_are_those_of_its_actors(store, settings):
    copy, actor = _with_submission_from_ratingen(store)
    hattingen = build_report(copy, settings, town="Hattingen", today=DAY)
    sec = next(s for s in hattingen.sections if s.id == "aenderungen")
    html = str(sec.html)
    assert "Zielgruppen-Angebot der VHS" in html  # a submission of a Hattingen actor
    assert "Nachhilfe aus Ratingen" not in html and actor.value.rsplit("/", 1)[-1] not in html
    # Without a town every submission counts, as before.
    whole = build_report(copy, settings, today=DAY)
    assert "Nachhilfe aus Ratingen" in str(next(s for s in whole.sections if s.id == "aenderungen").html)

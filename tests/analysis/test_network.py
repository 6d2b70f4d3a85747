"""The network of actors, undertakings and goals (inko_graph/analysis/network.py) on the query fixture."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from inko_graph.analysis.network import actor_centrality, actor_network, bridging_actors, restrict
from inko_graph.namespaces import GRAPH, ID, PREFIXES

from query_fixtures import load_fixture

A = ID + "akteur/"


@pytest.fixture(scope="module")
def fx():
    return load_fixture()


def test_nodes_carry_kind_label_iri_and_concepts(fx):
    g = actor_network(fx)
    vhs = g.nodes[A + "vhs"]
    assert (vhs["kind"], vhs["label"], vhs["iri"], vhs["gremium"]) == ("akteur", "Volkshochschule", A + "vhs", False)
    assert vhs["gebiete"] == {ID + "gebiet/hattingen"}
    assert g.nodes[A + "steuerungsgruppe-a"]["gremium"] is True
    assert g.nodes[ID + "a/m/1"]["kind"] == "vorhaben" and g.nodes[ID + "a/m/1"]["konzepte"] == {ID + "konzept/a"}
    assert g.nodes[ID + "a/akt/2"]["quellen"] == {ID + "quelle/000"} and not g.nodes[ID + "a/akt/2"]["konzepte"]
    assert g.edges[A + "vhs", ID + "a/m/2"]["beziehung"] == "beteiligt"
    assert g.edges[ID + "a/m/1", ID + "a/tz/1-1"]["beziehung"] == "dient"


def test_curated_alignments_are_edges_only_with_curated_links(fx):
    assert actor_network(fx).has_edge(ID + "b/lt/1", ID + "a/lz/2")
    assert not actor_network(fx, include_curated=False).has_edge(ID + "b/lt/1", ID + "a/lz/2")


def test_restrict_to_a_town_keeps_its_concepts_and_actors(fx):
    g = restrict(actor_network(fx), {ID + "konzept/a"}, {ID + "quelle/000"}, {ID + "gebiet/hattingen"})
    assert ID + "b/m/1" not in g and A + "kreisverwaltung" not in g
    assert {ID + "a/m/1", ID + "a/akt/2", A + "unbeteiligt", A + "steuerungsgruppe-a"} <= set(g)


def test_centrality_and_bridges(fx):
    g = restrict(actor_network(fx), {ID + "konzept/a"}, (), {ID + "gebiet/hattingen"})
    df = actor_centrality(g)
    assert set(df["akteur"]) == {A + x for x in ("vhs", "verein-x", "awo", "stadt-a", "unbeteiligt", "steuerungsgruppe-a")}
    row = df.set_index("akteur").loc
    assert row[A + "vhs"]["grad"] == 4  # m/1, m/2, Stadt A, Steuerungsgruppe
    assert row[A + "vhs"]["vorhaben"] == 2
    # Only the Steuerungsgruppe links the Unbeteiligter Verein to the rest: it is a cut point.
    assert bool(row[A + "steuerungsgruppe-a"]["trennstelle"]) and not bool(row[A + "awo"]["trennstelle"])
    assert row[A + "awo"]["zwischen"] == 0.0 and row[A + "vhs"]["zwischen"] > 0
    assert A + "steuerungsgruppe-a" in set(bridging_actors(g)["akteur"])
    assert list(df["zwischen"]) == sorted(df["zwischen"], reverse=True)


def test_two_iris_of_one_organisation_become_one_node(fx):
    store = load_fixture()
    store.load_quads([ox.Quad(ox.NamedNode(A + "verein-x"), ox.NamedNode(PREFIXES["owl"] + "sameAs"),
                              ox.NamedNode(A + "awo"), ox.NamedNode(GRAPH + "kuratiert"))])
    g = actor_network(store)
    assert A + "verein-x" not in g and g.nodes[A + "awo"]["same_as"] == {A + "verein-x"}
    assert g.has_edge(A + "awo", ID + "a/m/2") and g.has_edge(A + "awo", ID + "a/m/3")
    assert A + "verein-x" in actor_network(store, include_curated=False)


@pytest.mark.parametrize("igraph_above", [0, 10**18], ids=["igraph", "rustworkx"])
def test_betweenness_is_that_of_networkx(fx, igraph_above, monkeypatch):
    # Compiled code computes it (igraph for large networks, rustworkx else); the numbers must be
    # networkx's (normalised, undirected), also for a network in several parts and for a random one.
    import networkx as nx

    from inko_graph.analysis import network
    from inko_graph.analysis.network import _betweenness

    monkeypatch.setattr(network, "IGRAPH_ABOVE", igraph_above)

    isolated = nx.path_graph(4)
    isolated.add_nodes_from(["x", "y"])
    graphs = [actor_network(fx), nx.gnm_random_graph(60, 90, seed=3), nx.gnm_random_graph(400, 700, seed=5),
              nx.path_graph(3), nx.disjoint_union(nx.star_graph(4), nx.cycle_graph(5)), isolated,
              nx.empty_graph(5), nx.path_graph(2)]
    for g in graphs:
        want = nx.betweenness_centrality(g, normalized=True)
        got = _betweenness(g)
        assert set(got) == set(want)
        assert all(abs(got[n] - want[n]) < 1e-12 for n in g), g


def _synthetic(triples: int):
    import io

    from inko_graph.load.synth import generate
    from inko_graph.store import OxigraphStore

    buf = io.StringIO()
    generate(buf, triples, 9, 1)
    store = OxigraphStore.memory()
    store.load_quads(ox.parse(buf.getvalue().encode("utf-8"), format=ox.RdfFormat.N_QUADS))
    return store


def _same_graph(a, b):
    assert dict(a.nodes(data=True)) == dict(b.nodes(data=True))
    assert {frozenset(e): d for *e, d in a.edges(data=True)} == {frozenset(e): d for *e, d in b.edges(data=True)}


@pytest.mark.parametrize("curated", [True, False])
def test_town_network_is_the_restricted_whole_network(fx, curated):
    # The report builds only the town's part; it must be the part restrict() cuts from the whole.
    from inko_graph.analysis.network import town_network

    cases = [(fx, {ID + "konzept/a"}, {ID + "quelle/000"}, {ID + "gebiet/hattingen"}),
             (fx, {ID + "konzept/a", ID + "konzept/b"}, (), {ID + "gebiet/hattingen"})]
    store = _synthetic(20_000)
    konzepte = [r[0].value for r in store.query(
        "SELECT DISTINCT ?k WHERE { ?k inko:gebiet ?g } ORDER BY ?k")]
    quellen = [r[0].value for r in store.query(
        "SELECT DISTINCT ?q WHERE { ?k inko:gebiet ?g ; dcterms:source ?q } ORDER BY ?q")]
    gebiete = [r[0].value for r in store.query(
        "SELECT DISTINCT ?g WHERE { ?k inko:gebiet ?g } ORDER BY ?g")]
    assert konzepte and gebiete
    cases += [(store, set(konzepte[:2]), set(quellen[:1]), {gebiete[0]}), (store, set(konzepte[1:4]), (), set(gebiete[1:3]))]
    for st, k, q, g in cases:
        want = restrict(actor_network(st, include_curated=curated), k, q, g)
        got = town_network(st, k, q, g, include_curated=curated)
        assert got.number_of_nodes() > 3
        _same_graph(got, want)
        cols = ["akteur", "name", "gremium", "grad", "zwischen", "trennstelle", "vorhaben"]
        assert sorted(map(tuple, actor_centrality(got)[cols].values.tolist())) == \
            sorted(map(tuple, actor_centrality(want)[cols].values.tolist()))

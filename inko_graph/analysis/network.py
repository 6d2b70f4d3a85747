"""The network of actors, undertakings and goals, as a networkx graph, and who is central in it.

Nodes are IRIs with the attributes ``kind`` (``akteur``, ``vorhaben`` or ``ziel``), ``label``,
``iri``, ``gremium`` (bodies), ``konzepte`` (concepts of undertakings and goals), ``quellen``
(source documents) and ``gebiete`` (an actor's seat, else the concept's area). Edges carry
``beziehung`` (what links the two, e.g. ``zuständig``, ``dient``, ``hat als Mitglied``). Two IRIs
of one organisation (``owl:sameAs``, curated) become one node, with the other IRIs in ``same_as``.
Everything comes from the named queries ``akteursnetz-knoten`` and ``akteursnetz-kanten``.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["actor_network", "town_network", "add_node_record", "add_link_record", "restrict", "actor_centrality", "bridging_actors", "KINDS"]

KINDS = ("akteur", "vorhaben", "ziel")
SAME = "dieselbe Organisation"


def _records(df) -> list[dict]:
    """``df.to_dict("records")``, column by column (a quarter of the time for 10,000 rows)."""
    cols = list(df.columns)
    return [dict(zip(cols, row)) for row in zip(*(df[c].tolist() for c in cols))]


def _text(value) -> str | None:
    return value if isinstance(value, str) and value else None


class _Net:
    """The network as plain dicts, in the order networkx would hold it: building a networkx graph of
    the whole network (8,000 nodes at 10^5 triples) only to keep a town's part of it cost more than
    the town's part itself."""

    def __init__(self):
        self.nodes: dict[str, dict] = {}
        self.adj: dict[str, dict[str, dict]] = {}
        self.edges: list[tuple[str, str]] = []  # in the order first linked, as networkx adds them

    def add_node(self, node, **attrs):
        if node not in self.nodes:
            self.nodes[node] = attrs
            self.adj[node] = {}

    def remove_node(self, node):
        for m in self.adj.pop(node):
            if m != node:
                del self.adj[m][node]
        del self.nodes[node]

    def graph(self, keep: set[str] | None = None):
        """The networkx graph, of the nodes in ``keep`` only (all: None)."""
        import networkx as nx

        g = nx.Graph()
        g.add_nodes_from((n, a) for n, a in self.nodes.items() if keep is None or n in keep)
        g.add_edges_from((u, v, self.adj[u][v]) for u, v in self.edges
                         if v in self.adj.get(u, ()) and (keep is None or (u in keep and v in keep)))
        return g

    def add_edge(self, u, v, **attrs):
        self.adj[u][v] = self.adj[v][u] = attrs
        self.edges.append((u, v))


def add_node_record(g, rec: dict) -> None:
    """Add the node of one row of ``akteursnetz-knoten`` to ``g``, or complete it (a node has a row
    per concept, source and area it stands in)."""
    iri = rec["knoten"]
    if iri not in g.nodes:
        g.add_node(iri, kind=rec["art"], label=_text(rec.get("name")) or iri, iri=iri,
                   gremium=bool(rec.get("gremium") is True), konzepte=set(), quellen=set(), gebiete=set())
    attrs = g.nodes[iri]
    if attrs["label"] == iri and _text(rec.get("name")):
        attrs["label"] = rec["name"]
    for key, col in (("konzepte", "konzept"), ("quellen", "quelle"), ("gebiete", "gebiet")):
        if _text(rec.get(col)):
            attrs[key].add(rec[col])
def _network(store, include_curated: bool, queries_dir, cat=None) -> _Net:
    from ..query.catalogue import Catalogue, run
    from ..settings import Settings

    cat = cat or Catalogue(queries_dir or Settings().queries_dir)
    nodes = run(store, cat.get("akteursnetz-knoten"), include_curated=include_curated)
    edges = run(store, cat.get("akteursnetz-kanten"), include_curated=include_curated)
    g = _Net()
    for rec in _records(nodes):
        add_node_record(g, rec)
    records = _records(edges)
    same = _merge_same(g, [(r["von"], r["nach"]) for r in records if r["beziehung"] == SAME])
    for rec in records:
        if rec["beziehung"] == SAME:
            continue
        a, b = same.get(rec["von"], rec["von"]), same.get(rec["nach"], rec["nach"])
        if a == b:
            continue
        add_link_record(g, a, b, rec)
    return g


def add_link_record(g, a: str, b: str, rec: dict) -> None:
    """The link ``a``–``b`` of a row of ``akteursnetz-kanten``: its kind joined to those of a link
    already there; an end the node query does not know (e.g. an actor without type) added plainly."""
    for iri, kind in ((a, rec["von_art"]), (b, rec["nach_art"])):
        if iri not in g.nodes:
            g.add_node(iri, kind=kind, label=iri, iri=iri, gremium=False, konzepte=set(), quellen=set(), gebiete=set())
    d = g.adj[a].get(b)
    if d is not None:
        d["beziehung"] = ", ".join(sorted(set(d["beziehung"].split(", ")) | {rec["beziehung"]}))
    else:
        g.add_edge(a, b, beziehung=rec["beziehung"])


def actor_network(store, include_curated: bool = True, *, queries_dir=None, catalogue=None):
    """The whole network as an undirected ``nx.Graph`` (parallel links merged, their kinds joined).
    ``catalogue``: the named queries already read (else those of ``queries_dir`` are read)."""
    return _network(store, include_curated, queries_dir, catalogue).graph()


def town_network(store, konzepte: Iterable[str], quellen: Iterable[str] = (), gebiete: Iterable[str] = (),
                 include_curated: bool = True, *, queries_dir=None, catalogue=None):
    """``restrict(actor_network(store), konzepte, quellen, gebiete)`` (the same nodes, edges and
    attributes), without a networkx graph of the whole network."""
    g = _network(store, include_curated, queries_dir, catalogue)
    return g.graph(_kept(g.nodes, g.adj, set(konzepte), set(quellen), set(gebiete)))


def _merge_same(g: _Net, pairs) -> dict:
    """Merge nodes that are one organisation under two IRIs; returns IRI -> the node kept.

    The node kept is the smallest IRI of each group; it takes the others' concepts, sources and
    areas, and their IRIs in ``same_as``.
    """
    parent: dict[str, str] = {}

    def find(x):
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    mapping = {x: find(x) for x in parent}
    for old, keep in mapping.items():
        if keep not in g.nodes:
            g.add_node(keep, kind="akteur", label=keep, iri=keep, gremium=False, konzepte=set(), quellen=set(), gebiete=set())
        if old in g.nodes:
            attrs = g.nodes[old]
            k = g.nodes[keep]
            for key in ("konzepte", "quellen", "gebiete"):
                k[key] |= attrs[key]
            k["gremium"] = k["gremium"] or attrs["gremium"]
            if k["label"] == keep and attrs["label"] != old:
                k["label"] = attrs["label"]
            g.remove_node(old)
        g.nodes[keep].setdefault("same_as", set()).add(old)
    return mapping


def _kept(nodes, adj, konzepte: set, quellen: set, gebiete: set) -> set:
    keep = set()
    for n, a in nodes.items():
        if a["kind"] in ("ziel", "vorhaben"):
            if a["konzepte"] & konzepte or (not a["konzepte"] and a["quellen"] & quellen):
                keep.add(n)
    for n, a in nodes.items():
        if a["kind"] == "akteur":
            if a["gebiete"] & gebiete or any(m in keep and nodes[m]["kind"] == "vorhaben" for m in adj[n]):
                keep.add(n)
    return keep


def restrict(g, konzepte: Iterable[str], quellen: Iterable[str] = (), gebiete: Iterable[str] = ()):
    """The part of ``g`` that belongs to the given concepts.

    Goals and undertakings of those concepts stay; so do undertakings without a concept from one
    of ``quellen`` (activities a document names without a goal). Actors stay when they work on
    one of the remaining undertakings or have their seat in one of ``gebiete``.
    """
    keep = _kept(dict(g.nodes(data=True)), g.adj, set(konzepte), set(quellen), set(gebiete))
    return g.subgraph(keep).copy()


def _communities(g) -> dict:
    """Node -> number of its group (modularity communities of the connected part, fixed seed)."""
    import networkx as nx

    comm: dict = {}
    if g.number_of_edges() == 0:
        return comm
    parts = nx.community.louvain_communities(g, seed=1)
    for i, part in enumerate(sorted(parts, key=lambda p: (-len(p), min(p)))):
        for n in part:
            comm[n] = i
    return comm


#: Above this product of nodes and links igraph computes the betweenness, below it rustworkx.
#: Both run Brandes' algorithm in compiled code; igraph takes half the time (a Kreis's network of
#: 8,132 nodes and 13,788 links at 10^5 triples: rustworkx 5.7 s, igraph 2.8 s of processor time)
#: but its import costs some 0.35 s once (it loads matplotlib), more than a town's network needs
#: in all (1,181 nodes: rustworkx 0.12 s).
IGRAPH_ABOVE = 10_000_000


def _betweenness(g) -> dict:
    """Normalised betweenness of every node, as ``nx.betweenness_centrality(g, normalized=True)``
    gives it, by rustworkx or, for large networks, igraph (``IGRAPH_ABOVE``)."""
    n = g.number_of_nodes()
    if n <= 2:
        return {v: 0.0 for v in g}
    nodes = list(g)
    index = {v: i for i, v in enumerate(nodes)}
    edges = [(index[a], index[b]) for a, b in g.edges()]
    if n * len(edges) > IGRAPH_ABOVE:
        import igraph

        h = igraph.Graph(n=n, edges=edges, directed=False)
        # igraph counts each pair once; normalised as networkx does over the (n-1)(n-2)/2 pairs.
        scale = 2.0 / ((n - 1) * (n - 2))
        return {v: b * scale for v, b in zip(nodes, h.betweenness(directed=False))}
    import rustworkx as rx

    r = rx.PyGraph(multigraph=False)
    r.add_nodes_from(nodes)
    r.add_edges_from_no_data(edges)
    scores = rx.graph_betweenness_centrality(r, normalized=True)
    return {v: scores[i] for i, v in enumerate(nodes)}


def actor_centrality(g):
    """A DataFrame with one row per actor: degree, betweenness, groups touched, articulation point.

    ``grad``: number of direct links; ``zwischen``: normalised betweenness (share of shortest
    paths through the actor); ``gruppen``: how many network groups its neighbours belong to;
    ``trennstelle``: removing the actor splits its part of the network.
    """
    import networkx as nx
    import pandas as pd

    betw = _betweenness(g)
    cut = set(nx.articulation_points(g)) if g.number_of_nodes() else set()
    comm = _communities(g)
    rows = []
    for n, a in g.nodes(data=True):
        if a["kind"] != "akteur":
            continue
        groups = {comm[m] for m in g.adj[n] if m in comm}
        if n in comm:
            groups.add(comm[n])
        rows.append({
            "akteur": n, "name": a["label"], "gremium": a["gremium"], "grad": g.degree(n),
            "zwischen": round(betw.get(n, 0.0), 4), "gruppen": len(groups), "trennstelle": n in cut,
            "vorhaben": sum(1 for m in g.adj[n] if g.nodes[m]["kind"] == "vorhaben"),
        })
    df = pd.DataFrame(rows, columns=["akteur", "name", "gremium", "grad", "zwischen", "gruppen", "trennstelle", "vorhaben"])
    return df.sort_values(["zwischen", "grad", "name"], ascending=[False, False, True], ignore_index=True)


def bridging_actors(g):
    """Actors that connect otherwise separate groups: articulation points, or neighbours in 2+ groups."""
    df = actor_centrality(g)
    return df[(df["trennstelle"]) | (df["gruppen"] >= 2)].reset_index(drop=True)

"""The union graphs the embedded store keeps beside the named graphs: the union of all graphs as a
set (``UNION_GRAPH``, the default graph of queries) and the union without the curated graphs
(``DOCUMENTS_GRAPH``), the updates that keep them in step with every write, and the dataset a
query runs on.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from ..namespaces import PREFIXES

__all__ = ["UNION_GRAPH", "DOCUMENTS_GRAPH", "write_union_graph", "fill_with_union", "curated_graphs", "curated_in",
           "union_dataset"]


#: A named graph the store keeps with the union of all its graphs (and of its default graph), each
#: triple once. Queries use it as their default graph: a SPARQL default graph is a set, while the
#: engine's own union view (``use_default_graph_as_union``) yields a triple once per graph that holds
#: it. Kept up to date by every write (:func:`write_union_graph`, the store's write methods) and
#: hidden from graph lists, ``GRAPH ?g``, dumps and counts.
UNION_GRAPH = "urn:x-inko:vereinigung"
#: The same for the graphs that are not curated (``inko:graphart`` in the meta graph): the default
#: graph of queries run without curated links (``--ohne-kuratiert``), each triple once too.
DOCUMENTS_GRAPH = "urn:x-inko:vereinigung-ohne-kuratiert"
_U = ox.NamedNode(UNION_GRAPH)
_D = ox.NamedNode(DOCUMENTS_GRAPH)
_HIDDEN = (_U, _D)
_GRAPHART = ox.NamedNode(PREFIXES["inko"] + "graphart")
_KURATIERT = ox.NamedNode(PREFIXES["id"] + "vokabular/graphart/kuratiert")


def _curated(g: str) -> str:
    """Pattern: graph ``g`` (a term or variable) is described as curated in some visible graph."""
    return f"GRAPH ?meta {{ {g} {_GRAPHART} {_KURATIERT} }} FILTER(?meta != {_U} && ?meta != {_D})"


def _holders(target: ox.NamedNode, skip: str = "") -> str:
    """Pattern: ``?s ?p ?o`` is held by a visible graph (other than ``skip``) that counts for ``target``."""
    extra = f" && ?h != {skip}" if skip else ""
    cond = f"FILTER NOT EXISTS {{ {_curated('?h')} }}" if target == _D else ""
    return f"{{ GRAPH ?h {{ ?s ?p ?o }} FILTER(?h != {_U} && ?h != {_D}{extra}) {cond} }} UNION {{ ?s ?p ?o }}"


def _fill(target: ox.NamedNode) -> str:
    return (f"INSERT {{ GRAPH {target} {{ ?s ?p ?o }} }} WHERE {{ {_holders(target)} "
            f"FILTER NOT EXISTS {{ GRAPH {target} {{ ?s ?p ?o }} }} }}")


def _prune(target: ox.NamedNode) -> str:
    return (f"DELETE {{ GRAPH {target} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {target} {{ ?s ?p ?o }} "
            f"FILTER NOT EXISTS {{ {_holders(target)} }} }}")


#: Both unions brought up to date as a whole (after a SPARQL Update, which may touch any graph).
UNION_RESYNC = " ;\n".join([_fill(_U), _prune(_U), _fill(_D), _prune(_D),
                             f"CREATE SILENT GRAPH {_U}", f"CREATE SILENT GRAPH {_D}"])


def write_union_graph(inner: ox.Store) -> None:
    """Write (or bring up to date) the union graphs of a pyoxigraph store: call it wherever a
    database is filled outside :class:`OxigraphStore`'s write methods (the build, bulk loads).
    A store without them yet (a new database) gets them by bulk loading each quad's triple once
    more per union graph (the store keeps each quad once, so no DISTINCT is needed); it is not yet
    in use, so needs no transaction."""
    if any(inner.contains_named_graph(h) for h in _HIDDEN):
        inner.update(UNION_RESYNC)
        return
    visible = (q for q in inner.quads_for_pattern(None, None, None) if q.graph_name not in _HIDDEN)
    inner.bulk_extend(_union_copies(visible, curated_graphs(inner), keep=False))
    for h in _HIDDEN:
        inner.add_graph(h)


def fill_with_union(inner: ox.Store, quads: Iterable[ox.Quad]) -> None:
    """Fill a new, empty store with ``quads`` and its union graphs in one bulk load (the build): the
    graphs described as curated are found among the quads first."""
    quads = quads if isinstance(quads, list) else list(quads)
    inner.bulk_extend(_union_copies(quads, curated_in(quads)))
    for h in _HIDDEN:
        inner.add_graph(h)


def curated_in(quads: Iterable[ox.Quad]) -> set:
    """The graphs that ``quads`` describe as curated (in a named graph, as :func:`curated_graphs`)."""
    return {q.subject for q in quads if q.predicate == _GRAPHART and q.object == _KURATIERT
            and not isinstance(q.graph_name, ox.DefaultGraph) and q.graph_name not in _HIDDEN}


def curated_graphs(inner: ox.Store) -> set:
    """The graphs described as curated in some visible graph (their triples stay out of
    :data:`DOCUMENTS_GRAPH`)."""
    return {r[0] for r in inner.query(f"SELECT DISTINCT ?g WHERE {{ {_curated('?g')} }}")}


def _union_copies(quads: Iterable[ox.Quad], curated: set, *, keep: bool = True) -> Iterator[ox.Quad]:
    """Each quad (if ``keep``), then its triple in the union graph and, unless its graph is curated,
    in the union without the curated graphs. Quads naming a union graph are left out: the store
    computes those graphs itself."""
    quad, u, d = ox.Quad, _U, _D
    for q in quads:
        g = q.graph_name
        if g == u or g == d:
            continue
        if keep:
            yield q
        s, p, o = q.subject, q.predicate, q.object
        yield quad(s, p, o, u)
        if g not in curated:
            yield quad(s, p, o, d)


def _keeps_union(inner: ox.Store) -> bool:
    return inner.contains_named_graph(_U) and inner.contains_named_graph(_D)


def _union_before(g: ox.NamedNode) -> str:
    """Update part: take out of the unions the triples of ``g`` that no other graph holds for them
    (before ``g`` changes)."""
    return " ;\n".join(f"DELETE {{ GRAPH {t} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }} "
                        f"FILTER NOT EXISTS {{ {_holders(t, str(g))} }} }}" for t in _HIDDEN)


def _union_after(g: ox.NamedNode) -> str:
    """Update part: put the triples of ``g`` into the unions (after ``g`` changed)."""
    return (f"INSERT {{ GRAPH {_U} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }} }} ;\n"
            f"INSERT {{ GRAPH {_D} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }} "
            f"FILTER NOT EXISTS {{ {_curated(str(g))} }} }}")


def union_dataset(inner: ox.Store, *, union: bool = True, default_graphs: list[str] | None = None,
                  named_graphs: list[str] | None = None, visible: list[str] | None = None,
                  curated: bool = True) -> dict:
    """The dataset arguments of a pyoxigraph query, the same for the embedded store and the
    server's query workers: a union graph as default graph (a set; without the curated graphs if
    ``curated`` is false), every other graph named. ``visible``: the graph names without the
    union graphs (computed when not given). A database written before the union graphs existed
    falls back to the engine's union view."""
    kwargs: dict = {}
    keeps_union = _keeps_union(inner)
    if default_graphs:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
    elif union and keeps_union:
        kwargs["default_graph"] = [_U if curated else _D]
    elif union and not curated:
        # A database without the union graphs: the graphs that are not curated, listed.
        cur = {r["g"] for r in inner.query(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?m {{ ?g {_GRAPHART} {_KURATIERT} }} }}")}
        kwargs["default_graph"] = [g for g in inner.named_graphs() if g not in cur and g not in _HIDDEN] or [ox.DefaultGraph()]
    else:
        kwargs["use_default_graph_as_union"] = union
    if named_graphs:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    elif keeps_union and (union or default_graphs):  # else the query's own FROM / FROM NAMED apply
        if visible is None:
            visible = [g.value for g in inner.named_graphs() if isinstance(g, ox.NamedNode) and g not in _HIDDEN]
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in visible]
    return kwargs

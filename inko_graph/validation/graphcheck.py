"""Validate one named graph (a submission, a concept) against what its shapes reach, cached per graph.

A Raster submission of five activities need not be checked against a million triples: the shapes
start at the subjects of the graph (the focus nodes) and follow paths from there. So the context
is the graph's neighbourhood in the store: every triple about a node the graph names, the links
from other graphs to its subjects (the shapes' inverse paths start there), the triples about the
nodes those reach (a second step outward), and the ontology and the vocabularies (class
hierarchy, allowed values). The cost follows the size of the graph and
its neighbourhood, not of the store. Tests hold the result to that of the whole store as context
for every graph of the real data.

Results are cached per graph: the key is a digest of the graph and its context, so an unchanged
graph in an unchanged neighbourhood is not checked again; any change to either is a new key.
"""

from __future__ import annotations

import copy
import hashlib
from collections import OrderedDict
from pathlib import Path

import pyoxigraph as ox

from ..namespaces import GRAPH
from .shacl import Report

__all__ = ["check_graph", "neighbourhood", "clear_cache"]

#: Graphs every check sees whole: the class hierarchy and the allowed values.
ALWAYS = (GRAPH + "ontologie", GRAPH + "vokabular")
_CACHE: "OrderedDict[tuple, Report]" = OrderedDict()
_CACHE_SIZE = 256


def clear_cache() -> None:
    _CACHE.clear()


def _about(store: ox.Store, node, skip: ox.NamedNode) -> list[ox.Triple]:
    """Triples of the other graphs with ``node`` as subject."""
    return [ox.Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(node, None, None)
            if q.graph_name != skip]


def neighbourhood(store: ox.Store, graph: str) -> tuple[list[ox.Triple], list[ox.Triple]]:
    """(the graph's triples, its context): see the module's description."""
    g = ox.NamedNode(graph)
    own = [ox.Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, g)]
    context: set[ox.Triple] = set()
    for name in ALWAYS:
        if name != graph:
            context.update(ox.Triple(q.subject, q.predicate, q.object)
                           for q in store.quads_for_pattern(None, None, None, ox.NamedNode(name)))
    subjects = {t.subject for t in own}
    nodes = subjects | {t.object for t in own if isinstance(t.object, (ox.NamedNode, ox.BlankNode))}
    first: set[ox.Triple] = set()
    for n in nodes:
        first.update(_about(store, n, g))
    for n in subjects:
        # links from other graphs to the focus nodes (the inverse paths of the shapes start there),
        # not to the values: a Lebensphase has a link from every undertaking of the store
        first.update(ox.Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, n)
                     if q.graph_name != g)
    context |= first
    reached = {t.object for t in first if isinstance(t.object, (ox.NamedNode, ox.BlankNode))}
    for n in reached - nodes:
        context.update(_about(store, n, g))
    return own, sorted(context, key=str)


def _digest(own: list, context: list) -> str:
    h = hashlib.sha256()
    for t in sorted(map(str, own)):
        h.update(t.encode())
        h.update(b"\n")
    h.update(b"--\n")
    for t in context:
        h.update(str(t).encode())
        h.update(b"\n")
    return h.hexdigest()


def check_graph(store, graph: str, shapes_path: Path, *, infos: bool = True) -> Report:
    """Validate the named graph ``graph`` of ``store`` (an OxigraphStore or a pyoxigraph Store)."""
    from .shapecheck import check

    inner = getattr(store, "inner", store)
    own, context = neighbourhood(inner, graph)
    key = (graph, str(Path(shapes_path).resolve()), Path(shapes_path).stat().st_mtime, infos, _digest(own, context))
    hit = _CACHE.get(key)
    if hit is not None:
        _CACHE.move_to_end(key)
        return copy.deepcopy(hit)  # callers may filter the results of their copy
    report = check(own, context, shapes_path, infos=infos)
    _CACHE[key] = copy.deepcopy(report)
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return report

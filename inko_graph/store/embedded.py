"""The embedded store: pyoxigraph in memory or on disk, behind the interface that a remote SPARQL
1.1 server (``remote``) offers too. Every write keeps the union graphs in step (``union``). An open
store on disk notices a rebuild (``current`` pointing elsewhere) and reopens (:meth:`refresh`);
opening, rebuilding and swapping the folders on disk is ``disk``.
"""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError, QueryError
from ..namespaces import PREFIXES
from .union import (DOCUMENTS_GRAPH, UNION_GRAPH, UNION_RESYNC, _D, _GRAPHART, _HIDDEN, _KURATIERT, _U, _keeps_union,
                    _union_after, _union_before, fill_with_union, union_dataset, write_union_graph)

__all__ = ["OxigraphStore"]


_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
_QUAD_FORMATS = {"nquads", "trig", "jsonld"}


def _binding_term(name: str, value):
    if isinstance(value, (ox.NamedNode, ox.Literal, ox.BlankNode)):
        return value
    if isinstance(value, bool):
        return ox.Literal(str(value).lower(), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
    if isinstance(value, (int, float, str)):
        return ox.Literal(value)
    raise QueryError(f"Der Wert für den Parameter {name!r} hat einen nicht unterstützten Typ: {type(value).__name__}.")


class OxigraphStore:
    """The embedded pyoxigraph store."""

    def __init__(self, inner: ox.Store, path: Path | None = None, *, root: Path | None = None,
                 read_only: bool = False):
        self.inner = inner
        #: The database directory in use; ``root`` is the store folder whose ``current`` points to it.
        self.path = path
        self.root = root
        self.read_only = read_only
        #: Read-only because another process (the running server) holds the database for writing.
        self.held_elsewhere = False
        #: Called with the store after it reopened a rebuilt database (the journal catches it up).
        self.on_reopen = None
        #: The lock writers hold (the journal's); a switch waits until no write is under way.
        self.write_lock = None
        self._generation = 0
        self._reopen_lock = threading.Lock()
        _OPEN.add(self)

    @property
    def generation(self) -> int:
        """Counts the writes through this object and the rebuilds it switched to, so that readers
        holding copies (the server's query workers, its caches) can tell that the data changed."""
        self.refresh()
        return self._generation

    @generation.setter
    def generation(self, value: int) -> None:
        self._generation = value

    def refresh(self) -> bool:
        """If a build switched ``current`` to another database since this store was opened, open
        that one instead (one ``readlink`` when nothing changed). True if it switched."""
        if self.root is None or self.path is None:
            return False
        try:
            target = os.readlink(self.root / "current")
        except OSError:
            return False
        if target == self.path.name:
            return False
        # Not in the middle of a write (it would land in the old database and be marked in the new
        # one): a write in progress postpones the switch to the next look.
        writes = self.write_lock
        if writes is not None and not writes.acquire(blocking=False):
            return False
        try:
            with self._reopen_lock:
                if target == self.path.name:
                    return False
                db = self.root / target
                try:
                    inner = _open_inner(db, self.read_only)
                except OSError:
                    return False  # not free yet (the build is still closing it): the next look tries again
                self.inner, self.path = inner, db
                self._generation += 1
                if self.on_reopen is not None:
                    self.on_reopen(self)
            return True
        finally:
            if writes is not None:
                writes.release()

    @classmethod
    def memory(cls) -> "OxigraphStore":
        return cls(ox.Store())

    # -- reading ------------------------------------------------------------------------------
    def query(self, sparql: str, bindings: Mapping[str, object] | None = None, *,
              union: bool = True, default_graphs: list[str] | None = None,
              named_graphs: list[str] | None = None, curated: bool = True):
        kwargs: dict = {"prefixes": PREFIXES}
        kwargs.update(union_dataset(self.inner, union=union, default_graphs=default_graphs, named_graphs=named_graphs,
                                    visible=None if named_graphs else self.graph_names(), curated=curated))
        if bindings:
            kwargs["substitutions"] = {ox.Variable(k): _binding_term(k, v) for k, v in bindings.items()}
        try:
            return self.inner.query(sparql, **kwargs)
        except SyntaxError as e:
            raise QueryError(f"SPARQL-Syntaxfehler: {e}") from None

    def graph_names(self) -> list[str]:
        """The named graphs, without the union graphs."""
        return sorted(g.value for g in self.inner.named_graphs() if isinstance(g, ox.NamedNode) and g not in _HIDDEN)

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        if graph:
            return self.inner.quads_for_pattern(None, None, None, ox.NamedNode(graph))
        return (q for q in self.inner if q.graph_name not in _HIDDEN)

    def dump(self, fmt: str, graph: str | None = None) -> bytes:
        f = _FORMATS[fmt]
        if graph is not None:
            return self.inner.dump(format=f, from_graph=ox.NamedNode(graph), prefixes=PREFIXES if fmt in ("turtle", "trig", "rdfxml") else None)
        if fmt in _QUAD_FORMATS:
            if not any(self.inner.contains_named_graph(h) for h in _HIDDEN):
                return self.inner.dump(format=f, prefixes=PREFIXES if fmt == "trig" else None)
            return ox.serialize(self.quads(), format=f, prefixes=PREFIXES if fmt == "trig" else None)
        # Triple formats of the whole dataset: the union of all graphs.
        prefixes = PREFIXES if fmt in ("turtle", "rdfxml") else None
        if _keeps_union(self.inner):
            return self.inner.dump(format=f, from_graph=_U, prefixes=prefixes)
        triples = {ox.Triple(q.subject, q.predicate, q.object) for q in self.inner}
        return ox.serialize(triples, format=f, prefixes=prefixes)

    def __len__(self) -> int:
        """The number of quads, without the union graphs' copies."""
        n = len(self.inner)
        for h in _HIDDEN:
            if self.inner.contains_named_graph(h):
                res = self.inner.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {h} {{ ?s ?p ?o }} }}")
                n -= int(next(iter(res))["n"].value)
        return n

    # -- writing ------------------------------------------------------------------------------
    def replace_graphs(self, graphs: Mapping[str, Iterable[ox.Triple]]) -> None:
        """Replace the named graphs given, all in one transaction: all or nothing."""
        parts = []
        # Written whole: a database from before the union graphs, or a write that may change which
        # graphs are curated (a statement "inko:graphart kuratiert", old or new).
        whole = not _keeps_union(self.inner)
        for name, triples in graphs.items():
            g = _writable(name)
            triples = list(triples)
            whole = whole or any(t.predicate == _GRAPHART and t.object == _KURATIERT for t in triples) or \
                bool(self.inner.query(f"ASK {{ GRAPH {g} {{ ?x {_GRAPHART} {_KURATIERT} }} }}"))
            parts.append(_union_before(g))
            parts.append(f"DROP SILENT GRAPH {g}")
            body = " .\n".join(f"{t.subject} {t.predicate} {t.object}" for t in triples)
            if body:
                parts.append(f"INSERT DATA {{ GRAPH {g} {{\n{body} .\n}} }}")
                parts.append(_union_after(g))
        if parts:
            parts.append(UNION_RESYNC if whole else f"CREATE SILENT GRAPH {_U} ;\nCREATE SILENT GRAPH {_D}")
            # One update request is one transaction in Oxigraph.
            self.inner.update(" ;\n".join(parts))
            self._generation += 1

    def update(self, text: str, *, base_iri: str | None = None) -> None:
        """Run a SPARQL Update and bring the union graph up to date, in one transaction. An update
        may touch any graph, so the whole union is compared (linear in the size of the store)."""
        self.inner.update(f"{text.rstrip().rstrip(';')}\n;\n{UNION_RESYNC}", base_iri=base_iri)
        self._generation += 1

    def drop_graphs(self, names: Iterable[str]) -> None:
        ups = []
        whole = not _keeps_union(self.inner)
        for n in names:
            g = _writable(n)
            whole = whole or bool(self.inner.query(f"ASK {{ GRAPH {g} {{ ?x {_GRAPHART} {_KURATIERT} }} }}"))
            ups += [_union_before(g), f"DROP SILENT GRAPH {g}"]
        if ups:
            if whole:
                ups.append(UNION_RESYNC)
            self.inner.update(" ;\n".join(ups))
            self._generation += 1

    def load_quads(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads to a fresh store (used by the build, which swaps whole stores). An empty store
        gets them and its union graphs in one bulk load; otherwise the unions are brought up to date."""
        if next(iter(self.inner), None) is None and not any(True for _ in self.inner.named_graphs()):
            fill_with_union(self.inner, quads)
        else:
            self.inner.extend(quads)
            write_union_graph(self.inner)
        self._generation += 1

    def flush(self) -> None:
        if self.path is not None:
            self.inner.flush()


def _writable(name: str) -> ox.NamedNode:
    """The graph to write; the union graphs are kept by the store itself and written by no one else."""
    if name in (UNION_GRAPH, DOCUMENTS_GRAPH):
        raise InputError(f"Der Graph <{name}> wird vom Speicher selbst geführt und kann nicht geschrieben werden.")
    return ox.NamedNode(name)


#: The stores this process has open (their databases must not be probed or removed here).
_OPEN: "weakref.WeakSet[OxigraphStore]" = weakref.WeakSet()


def _open_inner(db: Path, read_only: bool) -> ox.Store:
    return ox.Store.read_only(str(db)) if read_only else ox.Store(str(db))

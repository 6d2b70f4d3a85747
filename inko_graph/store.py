"""The store behind one small interface, so that a remote SPARQL 1.1 server can take its place.

The embedded default is pyoxigraph, in memory or on disk. On disk, ``<path>/current`` is a
symbolic link to the database directory in use; a rebuild fills a fresh directory and then
swaps the link in one step, so a failed build never leaves a half-written store behind.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from .errors import QueryError
from .namespaces import PREFIXES

__all__ = ["Store", "OxigraphStore", "open_store", "new_store_dir", "commit_store_dir"]

_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
_QUAD_FORMATS = {"nquads", "trig", "jsonld"}


class Store(Protocol):
    """What inko-graph needs of a store. Terms are pyoxigraph terms."""

    def query(self, sparql: str, bindings: Mapping[str, object] | None = None, *,
              union: bool = True, default_graphs: list[str] | None = None,
              named_graphs: list[str] | None = None): ...

    def replace_graphs(self, graphs: Mapping[str, Iterable[ox.Triple]]) -> None: ...

    def graph_names(self) -> list[str]: ...

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]: ...

    def dump(self, fmt: str, graph: str | None = None) -> bytes: ...

    def __len__(self) -> int: ...



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

    def __init__(self, inner: ox.Store, path: Path | None = None):
        self.inner = inner
        self.path = path
        #: Counts the writes through this object, so that readers holding copies (the server's
        #: query workers, its caches) can tell that the data changed.
        self.generation = 0

    @classmethod
    def memory(cls) -> "OxigraphStore":
        return cls(ox.Store())

    # -- reading ------------------------------------------------------------------------------
    def query(self, sparql: str, bindings: Mapping[str, object] | None = None, *,
              union: bool = True, default_graphs: list[str] | None = None,
              named_graphs: list[str] | None = None):
        kwargs: dict = {"prefixes": PREFIXES}
        if default_graphs:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        else:
            kwargs["use_default_graph_as_union"] = union
        if named_graphs:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        if bindings:
            kwargs["substitutions"] = {ox.Variable(k): _binding_term(k, v) for k, v in bindings.items()}
        try:
            return self.inner.query(sparql, **kwargs)
        except SyntaxError as e:
            raise QueryError(f"SPARQL-Syntaxfehler: {e}") from None

    def graph_names(self) -> list[str]:
        return sorted(g.value for g in self.inner.named_graphs() if isinstance(g, ox.NamedNode))

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        g = ox.NamedNode(graph) if graph else None
        return self.inner.quads_for_pattern(None, None, None, g)

    def dump(self, fmt: str, graph: str | None = None) -> bytes:
        f = _FORMATS[fmt]
        if graph is not None:
            return self.inner.dump(format=f, from_graph=ox.NamedNode(graph), prefixes=PREFIXES if fmt in ("turtle", "trig", "rdfxml") else None)
        if fmt in _QUAD_FORMATS:
            return self.inner.dump(format=f, prefixes=PREFIXES if fmt == "trig" else None)
        # Triple formats of the whole dataset: the union of all graphs.
        triples = {ox.Triple(q.subject, q.predicate, q.object) for q in self.inner}
        return ox.serialize(triples, format=f, prefixes=PREFIXES if fmt in ("turtle", "rdfxml") else None)

    def __len__(self) -> int:
        return len(self.inner)

    # -- writing ------------------------------------------------------------------------------
    def replace_graphs(self, graphs: Mapping[str, Iterable[ox.Triple]]) -> None:
        """Replace the named graphs given, all in one transaction: all or nothing."""
        parts = []
        for name, triples in graphs.items():
            g = ox.NamedNode(name)
            parts.append(f"DROP SILENT GRAPH {g}")
            body = " .\n".join(f"{t.subject} {t.predicate} {t.object}" for t in triples)
            if body:
                parts.append(f"INSERT DATA {{ GRAPH {g} {{\n{body} .\n}} }}")
        if parts:
            # One update request is one transaction in Oxigraph.
            self.inner.update(" ;\n".join(parts))
            self.generation += 1

    def drop_graphs(self, names: Iterable[str]) -> None:
        ups = [f"DROP SILENT GRAPH {ox.NamedNode(n)}" for n in names]
        if ups:
            self.inner.update(" ;\n".join(ups))
            self.generation += 1

    def load_quads(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads to a fresh store (used by the build, which swaps whole stores)."""
        self.inner.extend(quads)
        self.generation += 1

    def flush(self) -> None:
        if self.path is not None:
            self.inner.flush()


# -- on-disk layout ---------------------------------------------------------------------------

def _current(path: Path) -> Path:
    return path / "current"


def open_store(path: Path | None, *, read_only: bool = False) -> OxigraphStore:
    """Open the store at ``path`` (``None``: a new in-memory store)."""
    if path is None:
        return OxigraphStore.memory()
    cur = _current(path)
    if not cur.exists():
        path.mkdir(parents=True, exist_ok=True)
        target = new_store_dir(path)
        commit_store_dir(path, target)
    db = cur.resolve()
    inner = ox.Store.read_only(str(db)) if read_only else ox.Store(str(db))
    return OxigraphStore(inner, db)


def new_store_dir(path: Path) -> Path:
    """A fresh, empty database directory beside the current one."""
    path.mkdir(parents=True, exist_ok=True)
    target = path / f"db-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
    target.mkdir()
    return target


def commit_store_dir(path: Path, target: Path) -> None:
    """Point ``current`` at ``target`` in one atomic rename, then remove older databases."""
    tmp = path / f".current-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(target.name)
    os.replace(tmp, _current(path))
    for old in path.glob("db-*"):
        if old.name != target.name:
            shutil.rmtree(old, ignore_errors=True)


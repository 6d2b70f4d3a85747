"""The store behind one small interface, so that a remote SPARQL 1.1 server can take its place.

The embedded default is pyoxigraph, in memory or on disk. On disk, ``<path>/current`` is a
symbolic link to the database directory in use; a rebuild fills a fresh directory and then
swaps the link in one step (a finished link renamed onto ``current``), so a failed or killed
build never leaves a half-written store behind. A store that another process holds (the
server) or whose folder is read-only is opened read-only, so readers work beside the server. An
open store notices a rebuild (``current`` pointing elsewhere) and reopens (:meth:`refresh`).
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import struct
import threading
import time
import weakref
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from ..errors import ConfigError, InputError, QueryError, StorageError
from ..faults import point
from ..namespaces import PREFIXES

__all__ = ["Store", "OxigraphStore", "open_store", "new_store_dir", "commit_store_dir", "remove_unused", "bulk_load_new",
           "storage_error", "UNION_GRAPH", "DOCUMENTS_GRAPH", "write_union_graph",
           "fill_with_union", "curated_graphs", "curated_in", "union_dataset"]

_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
_QUAD_FORMATS = {"nquads", "trig", "jsonld"}

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


# -- on-disk layout ---------------------------------------------------------------------------

#: The stores this process has open (their databases must not be probed or removed here).
_OPEN: "weakref.WeakSet[OxigraphStore]" = weakref.WeakSet()


def _current(path: Path) -> Path:
    return path / "current"


def _open_inner(db: Path, read_only: bool) -> ox.Store:
    return ox.Store.read_only(str(db)) if read_only else ox.Store(str(db))


def _busy(e: OSError) -> bool:
    text = str(e).lower()
    return "lock" in text or "temporarily unavailable" in text


def _read_only_fs(e: OSError) -> bool:
    text = str(e).lower()
    return getattr(e, "errno", None) in (errno.EROFS, errno.EACCES, errno.EPERM) or "read-only" in text \
        or "permission denied" in text


def storage_error(e: OSError, where: Path | str) -> StorageError:
    """A German message for a failed write to the disk."""
    code = getattr(e, "errno", None)
    text = str(e).lower()
    if code == errno.ENOSPC or "no space" in text:
        why = "Der Datenträger ist voll. Bitte Platz schaffen und es noch einmal versuchen"
    elif code == errno.EROFS or "read-only" in text:
        why = "Der Ordner ist schreibgeschützt (nur lesbar eingebunden)"
    elif code in (errno.EACCES, errno.EPERM) or "permission denied" in text:
        why = "Keine Berechtigung, dort zu schreiben"
    elif code == errno.ENOENT:
        why = "Der Ordner fehlt"
    elif code == errno.ENOTDIR:
        why = "Ein Teil des Pfades ist eine Datei, kein Ordner"
    else:
        why = f"Schreiben fehlgeschlagen ({e.strerror or e})"
    return StorageError(f"{where}: {why}; nichts wurde geändert.")


def open_store(path: Path | None, *, read_only: bool = False) -> OxigraphStore:
    """Open the store at ``path`` (``None``: a new in-memory store).

    Without ``read_only``, a store that another process holds (e.g. ``inko-graph serve``) or whose
    folder cannot be written is opened read-only instead (``store.read_only`` says so): reading
    works beside a running server and on a read-only folder; writing then says why it cannot."""
    if path is None:
        return OxigraphStore.memory()
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise ConfigError(f"Der Speicher {path} ist eine Datei, kein Ordner. Bitte mit --store (oder INKO_STORE) "
                          "einen Ordner angeben.")
    cur = _current(path)
    if not cur.exists():
        if read_only:
            raise StorageError(f"Im Ordner {path} gibt es noch keinen Speicher; bitte zuerst „inko-graph build“.")
        try:
            path.mkdir(parents=True, exist_ok=True)
            target = new_store_dir(path)
            commit_store_dir(path, target)
        except OSError as e:
            raise storage_error(e, path) from None
    db = cur.resolve()
    busy = False
    if not read_only:
        try:
            return OxigraphStore(_open_inner(db, False), db, root=path)
        except OSError as e:
            busy = _busy(e)
            if not (busy or _read_only_fs(e)):
                raise StorageError(f"Der Speicher {db} lässt sich nicht öffnen: {e}") from None
    try:
        store = OxigraphStore(_open_inner(db, True), db, root=path, read_only=True)
        store.held_elsewhere = busy
        return store
    except OSError as e:
        raise StorageError(f"Der Speicher {db} lässt sich nicht öffnen: {e}") from None


def store_from_settings(settings, *, read_only: bool = False):
    """The store the settings name: a SPARQL server (``INKO_SPARQL_QUERY_URL``) or the embedded one."""
    if settings.sparql_server is not None:
        from .remote import RemoteStore

        return RemoteStore.from_settings(settings)
    return open_store(settings.store_path, read_only=read_only)


def new_store_dir(path: Path) -> Path:
    """A fresh, empty database directory beside the current one."""
    path.mkdir(parents=True, exist_ok=True)
    target = path / f"db-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
    target.mkdir()
    return target


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def commit_store_dir(path: Path, target: Path) -> None:
    """Point ``current`` at ``target`` in one atomic rename, then remove older databases."""
    tmp = path / f".current-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(target.name)
    point("speicher.vor-umschalten")
    os.replace(tmp, _current(path))
    point("speicher.nach-umschalten")
    _fsync_dir(path)
    remove_unused(path)


def _held_elsewhere(db: Path) -> bool:
    """True if another process has the database open for writing (its RocksDB lock is taken).
    Probed with an open-file-description lock; never for databases this process has open,
    because closing any descriptor of the lock file would drop this process's own lock."""
    try:
        fd = os.open(db / "LOCK", os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.fcntl(fd, fcntl.F_OFD_SETLK, struct.pack("hhqqixxxx", fcntl.F_WRLCK, 0, 0, 0, 0))
        fcntl.fcntl(fd, fcntl.F_OFD_SETLK, struct.pack("hhqqixxxx", fcntl.F_UNLCK, 0, 0, 0, 0))
        return False
    except OSError:
        return True
    finally:
        os.close(fd)


def _being_built(db: Path) -> bool:
    """True if the process that made ``db`` (its id is in the name) still runs: a build in progress."""
    parts = db.name.split("-")
    return len(parts) >= 5 and parts[3].isdigit() and int(parts[3]) != os.getpid() and _alive(int(parts[3]))


def remove_unused(path: Path) -> None:
    """Remove databases other than the current one that nobody uses any more (older builds, a build
    that failed or was killed), their journal marks, and stale temporary links."""
    try:
        keep = os.readlink(_current(path))
    except OSError:
        return
    mine = {Path(s.path).name for s in list(_OPEN) if s.path is not None}
    for old in path.glob("db-*"):
        if old.name == keep or old.name in mine or _being_built(old) or _held_elsewhere(old):
            continue
        shutil.rmtree(old, ignore_errors=True)
    names = {p.name for p in path.glob("db-*")}
    for mark in path.glob("applied-*"):
        if mark.name[len("applied-"):] not in names:
            mark.unlink(missing_ok=True)
    for tmp in path.glob(".current-*"):
        pid = tmp.name[len(".current-"):]
        if pid.isdigit() and not _alive(int(pid)):
            tmp.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def bulk_load_new(path: Path, source, fmt: ox.RdfFormat, *, progress=None) -> int:
    """A new database beside the current one, bulk-loaded from ``source`` (a path, or the data as
    bytes or pieces of bytes) with its union graphs, and switched to when complete; returns the
    number of quads read. ``progress`` is called with the number of bytes read (a progress bar;
    ``bulk_load.bulk_load_reads`` says how often the source is read). The fastest way in for large
    datasets (no transaction: a failed load removes the new database, the old one stays)."""
    from .bulk_load import fill_new

    target = new_store_dir(path)
    try:
        inner = ox.Store(str(target))
        n = fill_new(inner, source, fmt, progress)
        inner.flush()
        del inner  # release the database lock before it is opened through ``current``
        commit_store_dir(path, target)
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    return n

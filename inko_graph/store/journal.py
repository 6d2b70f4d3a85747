"""The journal: every write the running system accepts, kept before it is applied and answered.

Raster and Konzept uploads, monitoring imports, Graph Store writes and SPARQL Updates all go
through :func:`commit`: the write is stored as one file in the journal folder beside the store
(``var/store-journal`` for ``var/store``), written to a temporary file, flushed to the disk,
renamed into place and the folder flushed too; only then is it applied to the store in one
transaction. ``build`` is "graph_data + the journal, replayed in order" (:func:`replay`), so a
rebuild loses nothing that was accepted, and a deletion is an entry too, so it stays a deletion.

Each entry is an N-Quads file ``000000042.nq`` whose first line is a comment with a JSON header
(kind, free-form meta, time, graphs replaced, graphs dropped, SPARQL Update text). Beside each
database directory of the store, ``applied-<db>`` holds the number of the last entry applied
to it; :func:`catch_up` applies what a crash (or a build running beside the server) left out.
Replacing and dropping graphs can be applied twice with the same result; an update may not be,
so the mark is written right after each entry. A store on a SPARQL server keeps the mark on the
server itself (``RemoteStore.journal_seq``): whichever process writes to it sees what it holds.

Backups of a deployment: the repository (graph_data/) and this folder.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import re
import threading
from collections.abc import Iterable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError, StoreBusy
from ..faults import point

__all__ = ["commit", "replay", "entries", "catch_up", "journal_dir", "Entry", "Replay", "applied_seq", "write_lock"]

_NAME = re.compile(r"^(\d{9})\.nq$")
_HEADER = "# inko-journal "
_MIGRATED = ".uebernommen-raster"
_MIGRATED_STORE = ".uebernommen-speicher"
_lock = threading.RLock()


def journal_dir(settings) -> Path | None:
    """The journal folder beside an on-disk store; ``None`` for a store in memory. With a SPARQL
    server (no store on disk) the folder where the on-disk store's would be (``var/store-journal``),
    so moving from the embedded store to a server keeps the accepted writes."""
    given = (settings.extra or {}).get("journal_dir") or os.environ.get("INKO_JOURNAL")
    if settings.store_path is None:
        if getattr(settings, "sparql_server", None) is None:
            return None
        if given:
            return Path(given)
        from ..settings import _default_store

        store = _default_store()
        return store.parent / f"{store.name}-journal"
    if given:
        return Path(given)
    store = Path(settings.store_path)
    return store.parent / f"{store.name}-journal"


@dataclass
class Entry:
    """One accepted write."""

    seq: int
    path: Path
    kind: str
    meta: dict
    time: str
    replace: dict[str, list[ox.Triple]] = field(default_factory=dict)
    drop: list[str] = field(default_factory=list)
    update: str | None = None
    base_iri: str | None = None

    def describe(self) -> str:
        """How a user recognises the entry: number, kind, time and its meta."""
        meta = ", ".join(f"{k} {v}" for k, v in self.meta.items() if v not in (None, ""))
        return f"Journal-Eintrag {self.path.name} ({self.kind}{', ' + meta if meta else ''}, {self.time})"

    def graphs(self) -> list[str]:
        return list(self.replace) + list(self.drop)


def write_lock():
    """The lock every commit of this process takes; hold it to read and then write as one step."""
    return _lock


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def _locked(folder: Path):
    """One writer at a time, across threads and processes; stale temporary files are removed."""
    with _lock:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder / ".sperre", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            for tmp in folder.glob(".*.tmp*"):
                tmp.unlink(missing_ok=True)  # left by a process that died while writing
            yield
        finally:
            os.close(fd)


def _seqs(folder: Path) -> list[int]:
    if not folder.is_dir():
        return []
    return sorted(int(m.group(1)) for p in os.listdir(folder) if (m := _NAME.match(p)))


def _write_entry(folder: Path, seq: int, header: dict, quads: list[ox.Quad]) -> Path:
    final = folder / f"{seq:09d}.nq"
    tmp = folder / f".{seq:09d}.nq.tmp-{os.getpid()}"
    data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS) if quads else b""
    header = {**header, "sha256": hashlib.sha256(data).hexdigest()}  # a damaged entry is noticed, not half read
    body = (_HEADER + json.dumps(header, ensure_ascii=True) + "\n").encode() + data
    try:
        with open(tmp, "wb") as f:
            point("journal.schreiben")
            f.write(body)
            f.flush()
            point("journal.vor-fsync")
            os.fsync(f.fileno())
        point("journal.nach-fsync")
        os.rename(tmp, final)
        point("journal.nach-umbenennen")
        _fsync_dir(folder)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return final


def _read_entry(path: Path, seq: int) -> Entry:
    try:
        raw = path.read_bytes()
        head, _, body = raw.partition(b"\n")
        if not head.startswith(_HEADER.encode()):
            raise ValueError("die erste Zeile ist kein Journal-Kopf")
        h = json.loads(head[len(_HEADER):])
        if "sha256" in h and hashlib.sha256(body).hexdigest() != h["sha256"]:
            raise ValueError("der Inhalt passt nicht zu seiner Prüfsumme (beschädigt oder gekürzt)")
        replace: dict[str, list[ox.Triple]] = {g: [] for g in h.get("replace", [])}
        for q in ox.parse(body, format=ox.RdfFormat.N_QUADS):
            replace.setdefault(q.graph_name.value, []).append(ox.Triple(q.subject, q.predicate, q.object))
    except (OSError, ValueError, SyntaxError) as e:
        raise InputError(f"Journal-Eintrag kann nicht gelesen werden: {e}", source=str(path)) from None
    return Entry(seq=seq, path=path, kind=h.get("kind", "?"), meta=h.get("meta") or {}, time=h.get("time", ""),
                 replace=replace, drop=list(h.get("drop", [])), update=h.get("update"), base_iri=h.get("base_iri"))


def entries(settings, *, after: int = 0) -> list[Entry]:
    """The journal's entries in order (those after number ``after``)."""
    folder = journal_dir(settings)
    if folder is None:
        return []
    return [_read_entry(folder / f"{s:09d}.nq", s) for s in _seqs(folder) if s > after]


# -- applying -----------------------------------------------------------------------------------

def _apply(store, replace: Mapping[str, list], drop: Iterable[str], update: str | None, base_iri: str | None) -> None:
    """One transaction: graphs replaced and dropped together, or one SPARQL Update."""
    if update is not None:
        apply_update = getattr(store, "update", None)
        if apply_update is not None:
            apply_update(update, base_iri=base_iri)
        else:
            store.inner.update(update, base_iri=base_iri)
            store.generation = getattr(store, "generation", 0) + 1
    graphs = dict(replace)
    for g in drop:
        graphs[g] = []  # replacing with nothing drops the graph, in the same transaction
    if graphs:
        store.replace_graphs(graphs)


def _mark_file(store) -> Path | None:
    db = store if isinstance(store, Path) else getattr(store, "path", None)
    return None if db is None else Path(db).parent / f"applied-{Path(db).name}"


def _remote(store) -> bool:
    """A store on a SPARQL server keeps its mark on the server (``RemoteStore.journal_seq``)."""
    return bool(getattr(store, "remote", False)) and hasattr(store, "journal_seq")


def applied_seq(store) -> int:
    """The number of the last journal entry the store's database holds (0: none)."""
    if _remote(store):
        return store.journal_seq()
    mark = _mark_file(store)
    try:
        return int(mark.read_text().strip()) if mark is not None else 0
    except (OSError, ValueError):
        return 0


def mark_applied(store, seq: int) -> None:
    """Record that the database behind ``store`` (or the database directory given) holds the
    entries up to ``seq``."""
    if _remote(store):
        store.set_journal_seq(seq)
        return
    mark = _mark_file(store)
    if mark is None:
        return
    tmp = mark.with_name(f".{mark.name}.tmp-{os.getpid()}")
    try:
        with open(tmp, "w") as f:
            f.write(f"{seq}\n")
            f.flush()
            os.fsync(f.fileno())
        os.rename(tmp, mark)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _check_writable(store) -> None:
    if getattr(store, "read_only", False):
        raise StoreBusy("Der Speicher ist nur zum Lesen geöffnet (sein Ordner ist schreibgeschützt oder er wurde "
                        "ausdrücklich nur zum Lesen geöffnet); nichts wurde gespeichert. Bitte den Speicher auf einen "
                        "beschreibbaren Ordner legen (INKO_STORE).")


def commit(settings, store, *, replace: Mapping[str, Iterable[ox.Triple]] | None = None, drop: Iterable[str] = (),
           update: str | None = None, kind: str, meta: dict | None = None) -> None:
    """Record a write durably in the journal, then apply it to ``store`` in one transaction.

    ``replace`` maps graph IRIs to their new triples, ``drop`` names graphs to remove, ``update``
    is a SPARQL Update text (applied alone). With a store in memory (no store path) the write is
    only applied. If applying fails, the entry is taken back and the error raised."""
    replace = {g: list(ts) for g, ts in (replace or {}).items()}
    drop = [g for g in drop if g not in replace]
    if not replace and not drop and update is None:
        return
    base_iri = settings.base_iri if update is not None else None
    folder = journal_dir(settings)
    if folder is None:
        _apply(store, replace, drop, update, base_iri)
        return
    # Another process (the running server) holds the store: the entry alone is the write; that
    # process applies it at its next request (see ``server/freshness.py``), any later opening too.
    deferred = bool(getattr(store, "read_only", False) and getattr(store, "held_elsewhere", False))
    if not deferred:
        _check_writable(store)
    try:
        _commit_locked(settings, folder, store, replace, drop, update, base_iri, kind, meta, apply=not deferred)
    except OSError as e:
        from .disk import storage_error

        raise storage_error(e, folder) from None


def _commit_locked(settings, folder: Path, store, replace, drop, update, base_iri, kind, meta, *, apply=True) -> None:
    with _locked(folder):
        _migrate(settings, folder, store)
        if not apply:
            seqs = _seqs(folder)
            seq = (seqs[-1] if seqs else 0) + 1
            _write_entry(folder, seq, _header(seq, kind, meta, replace, drop, update, base_iri), _quads(replace))
            return
        _catch_up_locked(settings, folder, store)
        seqs = _seqs(folder)
        seq = (seqs[-1] if seqs else 0) + 1
        path = _write_entry(folder, seq, _header(seq, kind, meta, replace, drop, update, base_iri), _quads(replace))
        try:
            _apply(store, replace, drop, update, base_iri)
            point("journal.nach-anwenden")
            flush = getattr(store, "flush", None)
            if flush is not None:
                flush()
        except BaseException:
            # Not applied, not answered: take the entry back so a rebuild does not bring it in.
            path.unlink(missing_ok=True)
            _fsync_dir(folder)
            raise
        mark_applied(store, seq)


def _header(seq: int, kind: str, meta, replace, drop, update, base_iri) -> dict:
    return {"v": 1, "seq": seq, "kind": kind, "meta": meta or {},
            "time": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "replace": list(replace), "drop": list(drop), "update": update, "base_iri": base_iri}


def _quads(replace) -> list[ox.Quad]:
    return [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(g)) for g, ts in replace.items() for t in ts]


def _catch_up_locked(settings, folder: Path, store) -> int:
    done = applied_seq(store)
    todo = [s for s in _seqs(folder) if s > done]
    for s in todo:
        e = _read_entry(folder / f"{s:09d}.nq", s)
        _apply(store, e.replace, e.drop, e.update, e.base_iri)
        mark_applied(store, s)
    if todo:
        flush = getattr(store, "flush", None)
        if flush is not None:
            flush()
    return len(todo)


def catch_up(settings, store) -> int:
    """Apply the entries the store's database does not hold yet (after a crash between an entry and
    its application, or writes accepted while a build ran). Returns how many were applied."""
    folder = journal_dir(settings)
    if folder is None or getattr(store, "read_only", False):
        return 0
    if getattr(store, "path", None) is None and not _remote(store):
        return 0
    if not folder.is_dir() and not _old_archive_files(settings):
        return 0
    with _locked(folder):
        _migrate(settings, folder, store)
        return _catch_up_locked(settings, folder, store)


# -- replay for the build -------------------------------------------------------------------------

@dataclass
class Replay:
    entries: list[Entry] = field(default_factory=list)
    #: graph IRI -> the entry that wrote it last (for messages when it no longer validates)
    origin: dict[str, Entry] = field(default_factory=dict)
    #: triples an update left in the default graph
    default: list[ox.Triple] = field(default_factory=list)

    @property
    def last(self) -> int:
        return self.entries[-1].seq if self.entries else 0


def replay(settings, target) -> Replay:
    """Apply every journal entry, in order, to ``target``: a :class:`~inko_graph.load.sources.Dataset`
    (the build) or a store. Returns what was replayed and which entry wrote each graph."""
    folder = journal_dir(settings)
    result = Replay()
    if folder is None:
        return result
    try:
        with _locked(folder):
            _migrate(settings, folder, None)
            if hasattr(target, "graphs") and settings.store_path is not None:
                _migrate_store(settings, folder, set(target.graphs))
    except OSError as e:
        if e.errno not in (errno.EROFS, errno.EACCES, errno.EPERM):
            raise
        # A read-only journal can still be read.
    result.entries = entries(settings)
    for e in result.entries:
        for g in e.graphs():
            result.origin[g] = e
    if not hasattr(target, "graphs"):
        for e in result.entries:
            _apply(target, e.replace, e.drop, e.update, e.base_iri)
        return result
    if not any(e.update is not None for e in result.entries):
        for e in result.entries:
            for g in e.drop:
                target.graphs.pop(g, None)
            for g, ts in e.replace.items():
                target.graphs[g] = list(ts)
        return result
    # Updates need an engine: run the whole replay on a store in memory and read the graphs back.
    from .embedded import OxigraphStore

    st = OxigraphStore.memory()
    st.load_quads(target.quads())
    for e in result.entries:
        _apply(st, e.replace, e.drop, e.update, e.base_iri)
    graphs: dict[str, list[ox.Triple]] = {}
    for q in st.quads():  # without the store's union graph
        t = ox.Triple(q.subject, q.predicate, q.object)
        if isinstance(q.graph_name, ox.DefaultGraph):
            result.default.append(t)
        else:
            graphs.setdefault(q.graph_name.value, []).append(t)
    for g in list(target.graphs):
        if g not in graphs:
            del target.graphs[g]
    for g, ts in graphs.items():
        target.graphs[g] = ts
    return result


# -- migration of what was kept before the journal --------------------------------------------------

def _old_archive_files(settings) -> list[Path]:
    """Raster submissions kept as N-Quads in ``var/raster`` before the journal existed."""
    if settings.store_path is None:
        return []
    folder = Path(settings.store_path).parent / "raster"
    return sorted(folder.glob("*.nq")) if folder.is_dir() else []


def _append(folder: Path, found: list[tuple[str, dict, dict]]) -> None:
    seqs = _seqs(folder)
    seq = seqs[-1] if seqs else 0
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    for kind, meta, graphs in found:
        seq += 1
        header = {"v": 1, "seq": seq, "kind": kind, "meta": meta, "time": now, "replace": list(graphs),
                  "drop": [], "update": None, "base_iri": None}
        _write_entry(folder, seq, header, [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(g))
                                            for g, ts in graphs.items() for t in ts])


def _done(folder: Path, name: str, lines: list[str]) -> None:
    tmp = folder / f".{name}.tmp"
    tmp.write_text("".join(x + "\n" for x in lines))
    os.rename(tmp, folder / name)
    _fsync_dir(folder)


def _migrate(settings, folder: Path, store) -> None:
    """Once: the Raster submissions kept in ``var/raster`` before the journal become its first
    entries, so that deployments from before the journal lose nothing. Called with the lock held."""
    if (folder / _MIGRATED).exists():
        return
    found = []
    for path in _old_archive_files(settings):
        graphs: dict[str, list[ox.Triple]] = {}
        try:
            for q in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS):
                graphs.setdefault(q.graph_name.value, []).append(ox.Triple(q.subject, q.predicate, q.object))
        except (SyntaxError, ValueError) as e:
            raise InputError(f"gespeicherte Raster-Meldung kann nicht gelesen werden: {e}", source=str(path)) from None
        found.append(("raster", {"datei": path.name, "uebernommen": True}, graphs))
    _append(folder, found)
    _done(folder, _MIGRATED, [m["datei"] for _, m, _ in found])


def _migrate_store(settings, folder: Path, sources: set[str]) -> None:
    """Once, at the first build with the journal: imported graphs that only the old store holds
    (monitoring imports made before the journal) become entries, unless an entry wrote them."""
    if (folder / _MIGRATED_STORE).exists():
        return
    from ..namespaces import IMPORT_GRAPH_PREFIXES
    from .disk import open_store

    found = []
    if (Path(settings.store_path) / "current").exists():
        written = {g for e in entries(settings) for g in e.graphs()}
        old = open_store(Path(settings.store_path), read_only=True)
        for name in old.graph_names():
            if name.startswith(IMPORT_GRAPH_PREFIXES) and name not in sources and name not in written:
                triples = [ox.Triple(q.subject, q.predicate, q.object) for q in old.quads(name)]
                found.append(("uebernahme", {"graph": name}, {name: triples}))
        del old
    _append(folder, found)
    _done(folder, _MIGRATED_STORE, [m["graph"] for _, m, _ in found])

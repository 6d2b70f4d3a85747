"""The store on disk. ``<path>/current`` is a symbolic link to the database directory in use; a
rebuild fills a fresh directory and then swaps the link in one step (a finished link renamed onto
``current``), so a failed or killed build never leaves a half-written store behind. A store that
another process holds (the server) or whose folder is read-only is opened read-only, so readers
work beside the server. Also: the store the settings name (embedded or a SPARQL server), folders
no longer in use removed, a bulk load into a fresh folder, and German messages for errors of the
file system.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import struct
import time
from pathlib import Path

import pyoxigraph as ox

from ..errors import ConfigError, StorageError
from ..faults import point
from .embedded import _OPEN, OxigraphStore, _open_inner

__all__ = ["open_store", "new_store_dir", "commit_store_dir", "remove_unused", "bulk_load_new", "storage_error",
           "store_from_settings"]


def _current(path: Path) -> Path:
    return path / "current"


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

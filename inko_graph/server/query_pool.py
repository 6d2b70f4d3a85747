"""A small pool of query worker processes, with a time limit that really stops a query.

Each worker (``query_worker``) opens the store itself: the on-disk store read-only, or an
N-Quads dump of the in-memory store. A query that runs past the limit gets its worker killed and
a fresh one started, while the other workers go on answering. A store on a SPARQL server
(``store.remote``) needs no workers: the server answers, and the HTTP timeout (the time limit)
and the server's own limits stop a runaway query. Replies are read without blocking
the event loop (``add_reader`` on the worker's stdout), so a long answer never stalls the server.

Queries wait for a free worker in order of arrival, at most ``max_waiting`` of them: the next
one is answered "busy" (503 with ``Retry-After``) at once rather than after waiting out the
time limit behind a queue that cannot be served within it.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import pickle
import shutil
import struct
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

from ..errors import QueryTimeout
from .query_worker import frame

__all__ = ["QueryPool", "PoolBusy", "WorkerLost"]

_HEADER = struct.Struct(">I")
#: Up to this size the workers hold the data in memory (fastest); a larger on-disk store is opened
#: read-only, so a worker replaced after the time limit is ready at once instead of reloading
#: millions of quads (at 10^6 triples, about 2.5 million quads with the union graphs, that took minutes).
MATERIALIZE_MAX_QUADS = 1_000_000
#: Queries that may wait for a worker (per worker) before the next is refused at once.
WAITING_PER_WORKER = 16


class PoolBusy(QueryTimeout):
    """No worker became free within the time limit."""


class WorkerLost(QueryTimeout):
    """A worker ended while it ran a query (e.g. it ran out of memory)."""


@dataclass(eq=False)
class _Worker:
    proc: subprocess.Popen
    generation: int
    buf: bytearray = field(default_factory=bytearray)
    pending: asyncio.Future | None = None
    ready: bool = False
    dead: bool = False
    started: float = field(default_factory=time.monotonic)


class QueryPool:
    """``await pool.run(job)`` runs a job dict in a worker and returns the worker's reply tuple."""

    def __init__(self, store, size: int, timeout: float, max_waiting: int | None = None):
        self.store = store
        self.size = max(1, size)
        self.timeout = timeout
        self.max_waiting = WAITING_PER_WORKER * self.size if max_waiting is None else max(0, max_waiting)
        self.waiting = 0
        self.refused = 0
        self.jobs = 0
        self._workers: set[_Worker] = set()
        self._idle: asyncio.Queue | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tmpdir: str | None = None
        self._source: tuple[str, str] | None = None
        self._generation = 0
        self._closed = False
        self.restarts = 0
        self._failed_starts = 0
        self.remote = getattr(store, "remote", False)
        self._slots: asyncio.Semaphore | None = None

    # -- life cycle ---------------------------------------------------------------------------
    def _prepare_source(self) -> tuple[str, str]:
        """What the workers open: a dump of the whole database (with the store's union graph, the
        default graph of every query, see ``store.UNION_GRAPH``) loaded into memory; very large
        on-disk stores are opened read-only instead. Both give the same answers as the store itself."""
        path = getattr(self.store, "path", None)
        if path is not None and len(self.store) > MATERIALIZE_MAX_QUADS:
            return ("disk", str(path))
        if self._tmpdir is None:
            self._tmpdir = tempfile.mkdtemp(prefix="inko-abfrage-")
            # Also when the server ends without its shutdown (e.g. its port was taken).
            atexit.register(shutil.rmtree, self._tmpdir, True)
        dump = os.path.join(self._tmpdir, f"speicher-{self._generation}.nq")
        with open(dump, "wb") as f:
            inner = getattr(self.store, "inner", None)
            if inner is not None:
                import pyoxigraph as ox

                inner.dump(f, format=ox.RdfFormat.N_QUADS)  # everything, the union graph too
            else:
                f.write(self.store.dump("nquads"))
        return ("file", dump)

    def start(self) -> None:
        """Start the workers; must run inside the event loop that will use the pool."""
        if self._loop is not None:
            return
        self._loop = asyncio.get_running_loop()
        self._idle = asyncio.Queue()
        if self.remote:
            self._slots = asyncio.Semaphore(self.size)  # at most this many queries at the server at once
            return
        self._source = self._prepare_source()
        for _ in range(self.size):
            self._spawn()

    def _spawn(self) -> None:
        kind, path = self._source
        proc = subprocess.Popen(
            [sys.executable, "-m", "inko_graph.server.query_worker", kind, path],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, close_fds=True,
            cwd=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
        )
        os.set_blocking(proc.stdout.fileno(), False)
        _widen_pipe(proc.stdout.fileno())
        w = _Worker(proc, self._generation)
        self._workers.add(w)
        self._loop.add_reader(proc.stdout.fileno(), self._on_readable, w)

    def reload(self) -> None:
        """After a write: replace every worker by one that sees the new data."""
        if self._loop is None or self.remote:
            return
        self._generation += 1
        old_source = self._source
        self._source = self._prepare_source()
        for w in list(self._workers):
            if w.pending is None:
                self._kill(w)
        for _ in range(self.size):
            self._spawn()
        if old_source and old_source[0] == "file" and old_source != self._source:
            try:
                os.unlink(old_source[1])
            except FileNotFoundError:
                pass

    def close(self) -> None:
        self._closed = True
        for w in list(self._workers):
            self._kill(w)
        if self._tmpdir:
            shutil.rmtree(self._tmpdir, ignore_errors=True)
            self._tmpdir = None

    # -- worker events ------------------------------------------------------------------------
    def _on_readable(self, w: _Worker) -> None:
        try:
            data = os.read(w.proc.stdout.fileno(), 1 << 20)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            self._on_dead(w)
            return
        w.buf += data
        while len(w.buf) >= _HEADER.size:
            (n,) = _HEADER.unpack_from(w.buf)
            if len(w.buf) < _HEADER.size + n:
                break
            msg = pickle.loads(bytes(w.buf[_HEADER.size:_HEADER.size + n]))
            del w.buf[:_HEADER.size + n]
            self._on_message(w, msg)

    def _on_message(self, w: _Worker, msg: tuple) -> None:
        if msg[0] == "ready":
            w.ready = True
            self._idle.put_nowait(w)
            return
        fut, w.pending = w.pending, None
        if fut is not None and not fut.done():
            fut.set_result(msg)

    def _on_dead(self, w: _Worker) -> None:
        was_running = w.pending is not None
        self._kill(w)
        if was_running and not self._closed:
            self.restarts += 1
        if not w.ready:
            # It never opened the store: do not start the same failure again and again.
            self._failed_starts += 1
            if self._failed_starts >= 3:
                print("Abfrage-Arbeitsprozesse starten nicht; siehe Meldungen oben.", file=sys.stderr)
                return
        else:
            self._failed_starts = 0
        if not self._closed and w.generation == self._generation:
            self._spawn()

    def _kill(self, w: _Worker) -> None:
        if w.dead:
            return
        w.dead = True
        self._workers.discard(w)
        try:
            self._loop.remove_reader(w.proc.stdout.fileno())
        except (ValueError, OSError):
            pass
        if w.proc.poll() is None:
            w.proc.kill()
        for pipe in (w.proc.stdin, w.proc.stdout):
            try:
                pipe.close()
            except OSError:
                pass
        if w.pending is not None and not w.pending.done():
            w.pending.set_exception(WorkerLost("Die Abfrage wurde abgebrochen, weil ihr Arbeitsprozess endete."))
        w.pending = None
        try:
            w.proc.wait(timeout=2)  # a killed process ends at once; reap it
        except subprocess.TimeoutExpired:
            pass

    # -- running ------------------------------------------------------------------------------
    async def _acquire(self) -> _Worker:
        while True:
            w = await self._idle.get()
            if not w.dead and w.generation == self._generation:
                return w
            self._kill(w)

    def _release(self, w: _Worker) -> None:
        if w.dead:
            return
        if w.generation != self._generation:
            self._kill(w)
        else:
            self._idle.put_nowait(w)

    async def run(self, job: dict) -> tuple:
        if self._loop is None:
            self.start()
        self.jobs += 1
        if self.remote:
            return await self._run_remote(job)
        loop = self._loop
        start = loop.time()
        if self._idle.empty():
            self._refuse_if_full()
        self.waiting += 1
        try:
            w = await asyncio.wait_for(self._acquire(), self.timeout)
        except TimeoutError:
            raise PoolBusy(f"Alle Abfrageplätze waren {self.timeout:g} s lang belegt; bitte gleich noch einmal versuchen.") from None
        finally:
            self.waiting -= 1
        fut = loop.create_future()
        w.pending = fut
        try:
            w.proc.stdin.write(frame(job))
            w.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            self._on_dead(w)
            raise WorkerLost("Der Arbeitsprozess für Abfragen war nicht erreichbar; bitte noch einmal versuchen.") from None
        remaining = max(0.05, self.timeout - (loop.time() - start))
        try:
            reply = await asyncio.wait_for(fut, remaining)
        except TimeoutError:
            self.restarts += 1
            w.pending = None
            self._kill(w)
            if not self._closed:
                self._spawn()
            raise QueryTimeout(
                f"Die Abfrage lief länger als {self.timeout:g} s und wurde abgebrochen (INKO_QUERY_TIMEOUT). "
                "Tipp: Bedingungen enger fassen oder LIMIT setzen.") from None
        except asyncio.CancelledError:
            # The client went away; the query may still run, so its worker cannot be reused.
            w.pending = None
            self._kill(w)
            if not self._closed:
                self._spawn()
            raise
        self._release(w)
        return reply

    async def _run_remote(self, job: dict) -> tuple:
        """The job against the SPARQL server, in a thread, with the time limit as HTTP timeout."""
        from .query_worker import execute

        start = self._loop.time()
        if self._slots.locked():
            self._refuse_if_full()
        self.waiting += 1
        try:
            await asyncio.wait_for(self._slots.acquire(), self.timeout)
        except TimeoutError:
            raise PoolBusy(f"Alle Abfrageplätze waren {self.timeout:g} s lang belegt; bitte gleich noch einmal versuchen.") from None
        finally:
            self.waiting -= 1
        try:
            remaining = max(0.05, self.timeout - (self._loop.time() - start))
            return await asyncio.to_thread(execute, self.store.engine(remaining), job)
        except QueryTimeout:
            raise QueryTimeout(
                f"Die Abfrage lief länger als {self.timeout:g} s und wurde abgebrochen (INKO_QUERY_TIMEOUT). "
                "Tipp: Bedingungen enger fassen oder LIMIT setzen.") from None
        finally:
            self._slots.release()

    def _refuse_if_full(self) -> None:
        if self.waiting >= self.max_waiting:
            self.refused += 1
            raise PoolBusy(f"Der Server ist gerade ausgelastet: {self.waiting} Abfragen warten schon auf einen freien "
                           "Platz. Bitte in 5 Sekunden noch einmal versuchen.")

    @property
    def workers(self) -> int:
        return len(self._workers)


def _widen_pipe(fd: int) -> None:
    """Let a worker write a whole answer of up to 1 MiB without waiting for the server to read it,
    so that it is free for the next query at once (Linux; elsewhere the default size stays)."""
    try:
        import fcntl

        fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), 1 << 20)
    except (OSError, ImportError):
        pass

"""The parse of a query or an update by rdflib's SPARQL grammar, in processes of their own.

``limits`` decides on this parse whether a query may run: what it is (query form, dataset
clause) and whether it asks for remote access (``SERVICE`` anywhere, ``LOAD`` in an update).

Why processes of their own (started as ``python -m inko_graph.server.query_parse``, like the
query workers): the grammar (pyparsing) is not thread-safe, so parses in threads would have to
wait for each other, and one slow parse would hold up every other client's; a parse is pure
Python and would take the server's interpreter lock from the event loop; it is recursive (one
block of 100 triple patterns needs more than Python's default 1,000 frames), which a process of
its own can allow without touching the server. A parse that takes longer than ``PARSE_SECONDS``
ends with its process (a new one takes its place); a text that finds every parse process busy for
``PARSE_SECONDS`` is answered "busy" (503) without being parsed.
"""

from __future__ import annotations

import atexit
import os
import queue
import select
import subprocess
import sys
import threading
from dataclasses import dataclass

__all__ = ["Parsed", "parse", "PARSE_SECONDS", "FRAME_LIMIT", "PROCESSES", "start"]

#: Longest a parse may take before the query is refused as too involved to check.
PARSE_SECONDS = 5.0
#: Python frames allowed during a parse, in the parse process (the default 1,000 is too few for 100 triple patterns).
FRAME_LIMIT = 8000
#: Parse processes: two, so that a slow parse does not hold up the next client.
PROCESSES = 2
_STACK_BYTES = 256 * 1024 * 1024
_START_SECONDS = 60.0

_FORMS = {"SelectQuery": "SELECT", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE", "AskQuery": "ASK"}
_REMOTE = {"ServiceGraphPattern": "SERVICE", "Load": "LOAD"}


@dataclass(frozen=True)
class Parsed:
    """``kind``: ``query``, ``update`` or ``None`` (not readable); ``error``: German, when not readable."""

    kind: str | None
    form: str | None = None
    has_dataset: bool = False
    remote: str | None = None
    error: str | None = None
    too_slow: bool = False
    busy: bool = False


def _walk(tree) -> str | None:
    """The first remote operation anywhere in a parse tree (iterative: trees may be deep)."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            remote = _REMOTE.get(node.name)
            if remote:
                return remote
            stack.extend(dict.values(node))
        elif isinstance(node, ParseResults | list | tuple):
            stack.extend(node)
        elif isinstance(node, dict):
            stack.extend(node.values())
    return None


def _syntax_message(exc: Exception) -> str:
    line, col = getattr(exc, "lineno", None), getattr(exc, "col", None)
    if line is None:
        return ("Die Abfrage kann nicht vollständig gelesen werden, darum wird sie nicht ausgeführt "
                "(der Server führt nur Abfragen aus, die er vorher prüfen kann).")
    msg = str(getattr(exc, "msg", ""))
    expected = {"Expected end of text": "das Ende der Abfrage"}.get(msg)
    if expected is None:
        form = msg.removeprefix("Expected ").strip()
        expected = (f"eine vollständige {_FORMS[form]}-Abfrage" if form in _FORMS
                    else "gültiges SPARQL 1.1")
    rest = (getattr(exc, "pstr", "") or "")[getattr(exc, "loc", 0):].split()
    found = f"„{rest[0][:40]}“" if rest else "das Ende des Textes"
    return (f"SPARQL-Syntaxfehler in Zeile {line}, Spalte {col}: erwartet wird {expected}, gefunden: {found}. "
            "(Der Server führt nur Abfragen nach SPARQL 1.1 aus, die er vorher prüfen kann.)")


def _parse_now(text: str, kind: str) -> Parsed:
    from rdflib.plugins.sparql import parser

    try:
        if kind == "update":
            tree = parser.parseUpdate(text)
            return Parsed("update", "UPDATE", remote=_walk(tree))
        tree = parser.parseQuery(text)
    except RecursionError:
        return Parsed(None, error="Die Abfrage ist zu lang oder zu tief verschachtelt, um sie zu prüfen; "
                                  "bitte in kleinere Abfragen aufteilen.")
    except Exception as e:  # noqa: BLE001 - anything the grammar cannot read is refused, never run
        if kind == "query":
            # An update sent to the query endpoint: say so, rather than report a syntax error.
            update = _parse_now(text, "update")
            if update.kind == "update":
                return update
        return Parsed(None, error=_syntax_message(e))
    query = tree[1] if len(tree) > 1 else None
    name = getattr(query, "name", None)
    return Parsed("query", _FORMS.get(name), has_dataset=bool(query is not None and dict.get(query, "datasetClause")),
                  remote=_walk(tree))


class _Process:
    """One parse process; used by one thread at a time (it is taken from the pool's idle list)."""

    def __init__(self):
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        from .query_worker import _Reader

        # Unbuffered, so that select() sees every byte not yet read. The process ends when this
        # one does: its stdin then reaches the end.
        self.proc = subprocess.Popen([sys.executable, "-m", "inko_graph.server.query_parse"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, close_fds=True, cwd=root, bufsize=0)
        self.out = _Reader(self.proc.stdout)
        self.ready = False

    def _read(self, timeout: float):
        from .query_worker import read_frame

        if not select.select([self.proc.stdout], [], [], timeout)[0]:
            return None
        return read_frame(self.out)

    def wait_ready(self) -> bool:
        """Loading the grammar (a second, more on a busy machine) does not count as parsing."""
        if not self.ready:
            try:
                self.ready = self._read(_START_SECONDS) == ("ready",)
            except Exception:  # noqa: BLE001
                return False
        return self.ready

    def ask(self, text: str, kind: str, timeout: float) -> Parsed | None:
        """The parse, or ``None`` if it took longer than ``timeout`` or the process ended."""
        from .query_worker import frame

        if not self.wait_ready():
            return None
        try:
            data = memoryview(frame((text, kind)))
            while data:
                data = data[self.proc.stdin.write(data):]
        except OSError:
            return None
        try:
            reply = self._read(timeout)
        except Exception:  # noqa: BLE001 - a broken answer: the process is replaced, the text refused
            return None
        return reply if isinstance(reply, Parsed) else None

    def end(self) -> None:
        self.proc.kill()
        self.proc.wait()
        self.proc.stdin.close()
        self.proc.stdout.close()


class _Pool:
    def __init__(self, size: int):
        self.size = size
        self._idle: queue.SimpleQueue[_Process] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._count = 0

    def _take(self, timeout: float) -> _Process | None:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            if self._count < self.size:
                self._count += 1
                try:
                    return _Process()
                except OSError:
                    self._count -= 1
                    raise
        try:
            return self._idle.get(timeout=timeout)
        except queue.Empty:
            return None

    def _replace(self) -> None:
        try:
            proc = _Process()
        except OSError:
            with self._lock:
                self._count -= 1
            return
        proc.wait_ready()
        self._idle.put(proc)

    def start(self) -> None:
        """Start the processes now (at server start), so that the first queries do not wait for them."""
        with self._lock:
            new = self.size - self._count
            self._count = self.size
        for _ in range(new):
            self._idle.put(_Process())

    def parse(self, text: str, kind: str, timeout: float) -> Parsed:
        proc = self._take(timeout)
        if proc is None:
            return Parsed(None, busy=True, error=f"Der Server prüft gerade andere Abfragen und kam {timeout:g} s lang "
                                                 "nicht dazu; bitte gleich noch einmal senden.")
        result = proc.ask(text, kind, timeout)
        if result is None:
            proc.end()
            # The next one starts at once, so that the next client does not wait for it to load.
            threading.Thread(target=self._replace, name="sparql-pruefung-ersatz", daemon=True).start()
            return Parsed(None, too_slow=True,
                          error=f"Die Abfrage ist zu verwickelt, um sie in {timeout:g} s zu prüfen; "
                                "bitte kürzer oder in Teilen stellen.")
        self._idle.put(proc)
        return result


    def close(self) -> None:
        """End the idle processes (at exit: their pipes are closed, not left to the collector)."""
        while True:
            try:
                proc = self._idle.get_nowait()
            except queue.Empty:
                return
            proc.end()


_POOL = _Pool(PROCESSES)
atexit.register(_POOL.close)


def start() -> None:
    _POOL.start()


def parse(text: str, kind: str = "query", timeout: float | None = None) -> Parsed:
    """The parse of ``text`` as a ``query`` (an update is recognised too) or as an ``update``."""
    return _POOL.parse(text, kind, PARSE_SECONDS if timeout is None else timeout)


def _serve() -> None:
    from .query_worker import _Reader, _write_all, frame, read_frame

    out = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)
    inp = _Reader(os.fdopen(os.dup(0), "rb", buffering=0))
    from rdflib.plugins.sparql import parser  # noqa: F401 - loaded before "ready"

    try:
        _write_all(out, frame(("ready",)))
        while True:
            job = read_frame(inp)
            if job is None:
                return
            _write_all(out, frame(_parse_now(*job)))
    except OSError:
        return  # the server has ended (a closed pipe): end quietly


def main() -> int:
    import signal

    from .query_worker import cut_network

    # Ctrl+C on the server is the server's to handle; this process ends when its stdin does.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    cut_network()  # it needs no network; while there is one thread only

    # A large stack and frame limit for the recursive grammar, in this process only.
    sys.setrecursionlimit(FRAME_LIMIT)
    threading.stack_size(_STACK_BYTES)
    t = threading.Thread(target=_serve, name="sparql-pruefung")
    t.start()
    t.join()
    return 0


if __name__ == "__main__":  # pragma: no cover - runs as a subprocess
    # Through the package, so that the answers pickle as inko_graph.server.query_parse.Parsed.
    from inko_graph.server import query_parse

    sys.exit(query_parse.main())

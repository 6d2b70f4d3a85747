"""The parse of a query or an update by rdflib's SPARQL grammar, on threads of its own.

``limits`` decides on this parse whether a query may run: what it is (query form, dataset
clause) and whether it asks for remote access (``SERVICE`` anywhere, ``LOAD`` in an update).

Why threads of their own: the grammar is recursive (one block of 100 triple patterns needs more
than Python's default 1,000 frames), so the parse runs on threads with a large stack and a raised
frame limit; a long query (20 KB) may take seconds, so the parse runs beside the event loop; and
a parse that takes longer than ``PARSE_SECONDS`` is stopped by an exception raised into its
thread (the grammar is pure Python, so it stops at the next step).
"""

from __future__ import annotations

import ctypes
import queue
import sys
import threading
from dataclasses import dataclass

__all__ = ["Parsed", "parse", "PARSE_SECONDS", "FRAME_LIMIT"]

#: Longest a parse may take before the query is refused as too involved to check.
PARSE_SECONDS = 5.0
#: Python frames allowed during a parse (the default 1,000 is too few for 100 triple patterns).
FRAME_LIMIT = 8000
_STACK_BYTES = 256 * 1024 * 1024
_THREADS = 2

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


class _Stop(BaseException):
    """Raised into a parse thread whose parse took too long."""


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


class _Job:
    def __init__(self, text: str, kind: str):
        self.text, self.kind = text, kind
        self.result: Parsed | None = None
        self.state = "waiting"  # -> running -> done, or -> given up
        self.thread: int | None = None
        self.done = threading.Event()


class _Parsers:
    """Threads with a large stack that parse one text at a time each."""

    def __init__(self):
        self._jobs: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._started = False

    def _start(self) -> None:
        with self._lock:
            if self._started:
                return
            if sys.getrecursionlimit() < FRAME_LIMIT:
                sys.setrecursionlimit(FRAME_LIMIT)
            old = threading.stack_size(_STACK_BYTES)
            try:
                for i in range(_THREADS):
                    threading.Thread(target=self._loop, name=f"sparql-pruefung-{i}", daemon=True).start()
            finally:
                threading.stack_size(old)
            self._started = True

    def _loop(self) -> None:
        while True:
            try:
                while True:
                    self._run(self._jobs.get())
            except _Stop:
                continue  # a stop that arrived after its parse had ended

    def _run(self, job: _Job) -> None:
        with self._lock:
            if job.state != "waiting":
                return
            job.state, job.thread = "running", threading.get_ident()
        try:
            result = _parse_now(job.text, job.kind)
        except _Stop:
            return
        with self._lock:
            if job.state == "running":
                job.state, job.result = "done", result
                job.done.set()

    def parse(self, text: str, kind: str, timeout: float) -> Parsed:
        self._start()
        job = _Job(text, kind)
        self._jobs.put(job)
        job.done.wait(timeout)
        with self._lock:
            if job.state == "done":
                return job.result
            if job.state == "running":
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(job.thread), ctypes.py_object(_Stop))
            job.state = "given up"
        return Parsed(None, too_slow=True,
                      error=f"Die Abfrage ist zu verwickelt, um sie in {PARSE_SECONDS:g} s zu prüfen; "
                            "bitte kürzer oder in Teilen stellen.")


_PARSERS = _Parsers()


def parse(text: str, kind: str = "query", timeout: float | None = None) -> Parsed:
    """The parse of ``text`` as a ``query`` (an update is recognised too) or as an ``update``."""
    return _PARSERS.parse(text, kind, PARSE_SECONDS if timeout is None else timeout)

"""What a query may do on this server, decided before it runs.

The engine evaluates ``SERVICE`` with its own HTTP client and cannot be told not to, so a query
is admitted only after its parse (rdflib's SPARQL grammar, see ``query_parse``) shows no
``SERVICE`` and an update's parse no ``LOAD``; what that grammar cannot read is refused, never
run unchecked. In front of the parser: the size limit and a nesting-depth count that refuses
5,000 nested brackets in microseconds, before any recursive parser sees them.

A small tokenizer is the second opinion (defence in depth, and the cheap refusal of updates on
the read endpoint): it finds the keywords that matter and skips what cannot be a keyword
(strings, comments, IRIs, variables, prefixed names, language tags). It errs on the side of
refusal: the text is checked as written and with ``\\u`` escapes resolved, and a prefixed name
whose prefix is a forbidden keyword counts as that keyword. A query is refused if either the
parse or the tokenizer sees remote access.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass

from ..errors import QueryError, QueryRefused, QueryTimeout, TooLarge
from ..store.sparql_tokens import TOKEN as _TOKEN

__all__ = ["QueryInfo", "inspect_query", "inspect_query_async", "inspect_update", "inspect_update_async",
           "check_size", "check_depth", "syntax_message", "warm_up", "MAX_DEPTH"]

#: Deepest nesting of brackets ``( { [`` a query may have; real queries stay below 15.
MAX_DEPTH = 64

QUERY_FORMS = frozenset({"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"})
UPDATE_OPERATIONS = frozenset({"LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "INSERT", "DELETE", "WITH"})
#: Keywords that make the server fetch from other hosts.
REMOTE = ("SERVICE", "LOAD")

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


@dataclass(frozen=True)
class QueryInfo:
    """What the tokenizer saw. ``form`` is SELECT, CONSTRUCT, DESCRIBE, ASK, UPDATE or ``None``."""

    form: str | None
    has_dataset: bool
    remote: str | None


def _unescape(text: str) -> str:
    def repl(m: re.Match) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else m.group(0)

    return _ESCAPE.sub(repl, text)


def _scan(text: str) -> QueryInfo:
    form = None
    has_dataset = False
    remote = None
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "word":
            word = m.group().upper()
        elif kind == "pname":
            # ``SERVICE:x`` may be read by a parser as the keyword followed by ``:x``.
            word = (m.group("prefix") or "").upper()
            if word not in REMOTE:
                continue
        else:
            continue
        if word in REMOTE and remote is None:
            remote = word
        if form is None and word not in ("BASE", "PREFIX"):
            form = word if word in QUERY_FORMS else ("UPDATE" if word in UPDATE_OPERATIONS else None)
            if form is None:
                form = "?"
        if word == "FROM":
            has_dataset = True
    return QueryInfo(form if form != "?" else None, has_dataset, remote)


_READ_ONLY = "Dieser Endpunkt ist nur zum Lesen da: Änderungen (SPARQL Update) sind hier nicht erlaubt."
_BRACKETS = {"(": 1, "{": 1, "[": 1, ")": -1, "}": -1, "]": -1}


def _depth(text: str) -> int:
    depth = deepest = 0
    for m in _TOKEN.finditer(text):
        if m.lastgroup == "other":
            step = _BRACKETS.get(m.group())
            if step:
                depth = max(0, depth + step)  # closing brackets first must not hide the opening ones
                deepest = max(deepest, depth)
    return deepest


def check_depth(text: str, limit: int = MAX_DEPTH) -> None:
    """Refuse deeply nested text before any recursive parser (ours, rdflib's, the engine's) sees it."""
    deepest = _depth(text)
    if "\\u" in text or "\\U" in text:
        deepest = max(deepest, _depth(_unescape(text)))
    if deepest > limit:
        raise QueryError(f"Die Abfrage ist zu tief verschachtelt: {deepest} Klammerebenen, erlaubt sind höchstens "
                         f"{limit}. Bitte die Abfrage vereinfachen.")


def _scan_both(text: str) -> tuple[QueryInfo, QueryInfo]:
    raw = _scan(text)
    return raw, (_scan(_unescape(text)) if "\\u" in text or "\\U" in text else raw)


def _inspect_query(text: str) -> QueryInfo:
    from .query_parse import parse

    check_depth(text)
    raw, unescaped = _scan_both(text)
    remote = raw.remote or unescaped.remote
    if remote:
        raise QueryRefused(_REMOTE_MESSAGE[remote])
    if raw.form == "UPDATE" or unescaped.form == "UPDATE":
        raise QueryRefused(_READ_ONLY)
    parsed = parse(text, "query")
    if parsed.remote:
        raise QueryRefused(_REMOTE_MESSAGE[parsed.remote])
    if parsed.kind == "update":
        raise QueryRefused(_READ_ONLY)
    if parsed.kind is None:
        raise (_Busy if parsed.busy else _TooSlow if parsed.too_slow else QueryError)(parsed.error)
    return QueryInfo(parsed.form, parsed.has_dataset or raw.has_dataset or unescaped.has_dataset, None)


def _inspect_update(text: str) -> QueryInfo:
    from .query_parse import parse

    check_depth(text)
    raw, unescaped = _scan_both(text)
    remote = raw.remote or unescaped.remote
    if remote:
        raise QueryRefused(_REMOTE_MESSAGE[remote])
    if raw.form in QUERY_FORMS:
        raise QueryError("Das ist eine Abfrage, keine Änderung; bitte an /sparql senden.")
    parsed = parse(text, "update")
    if parsed.remote:
        raise QueryRefused(_REMOTE_MESSAGE[parsed.remote])
    if parsed.kind is None:
        raise (_Busy if parsed.busy else _TooSlow if parsed.too_slow else QueryError)(parsed.error)
    return QueryInfo("UPDATE", False, None)


class _TooSlow(QueryError):
    """The parse was stopped; not kept, the next try may find the machine less busy."""


class _Busy(QueryTimeout):
    """The parser was busy with other texts (503, try again); not kept."""


class _Verdicts:
    """The verdicts on texts seen before, by a hash of the text (named queries repeat)."""

    def __init__(self, size: int = 4096):
        self.size, self._items, self._lock = size, OrderedDict(), threading.Lock()

    def get(self, key):
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
            return hit

    def put(self, key, verdict) -> None:
        with self._lock:
            self._items[key] = verdict
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


VERDICTS = _Verdicts()


def _key(kind: str, text: str):
    return kind, hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=20).digest()


def _replay(verdict):
    if isinstance(verdict, QueryInfo):
        return verdict
    cls, message = verdict
    raise cls(message)


def _decide(kind: str, text: str):
    check = _inspect_query if kind == "q" else _inspect_update
    try:
        info = check(text)
    except (_TooSlow, _Busy):
        raise
    except QueryError as e:
        VERDICTS.put(_key(kind, text), (type(e), str(e)))
        raise
    VERDICTS.put(_key(kind, text), info)
    return info


def inspect_query(text: str) -> QueryInfo:
    """Check a query for the query endpoint: ``QueryRefused`` for updates and remote access,
    ``QueryError`` for what cannot be parsed or is nested too deeply."""
    hit = VERDICTS.get(_key("q", text))
    return _replay(hit) if hit is not None else _decide("q", text)


def inspect_update(text: str) -> None:
    """Check an update for the write route: no LOAD, no SERVICE, nothing unparsed."""
    hit = VERDICTS.get(_key("u", text))
    _replay(hit) if hit is not None else _decide("u", text)


def warm_up() -> None:
    """Start the parse processes now, so that the first queries do not wait for them to load the grammar."""
    from .query_parse import start

    start()


async def inspect_query_async(text: str) -> QueryInfo:
    """:func:`inspect_query` without blocking the event loop (a parse may take a while)."""
    hit = VERDICTS.get(_key("q", text))
    if hit is not None:
        return _replay(hit)
    return await asyncio.to_thread(_decide, "q", text)


async def inspect_update_async(text: str) -> None:
    hit = VERDICTS.get(_key("u", text))
    if hit is not None:
        _replay(hit)
        return
    await asyncio.to_thread(_decide, "u", text)


_REMOTE_MESSAGE = {
    "SERVICE": "SERVICE ist auf diesem Server gesperrt: er stellt keine Anfragen an andere Server im Auftrag von Fremden.",
    "LOAD": "LOAD ist auf diesem Server gesperrt: er lädt keine Daten von anderen Adressen.",
}


def check_size(text: str, limit: int) -> None:
    size = len(text.encode("utf-8"))
    if size > limit:
        raise TooLarge(f"Die Abfrage ist {size} Bytes groß; erlaubt sind höchstens {limit} Bytes (INKO_MAX_QUERY_BYTES).")


_POSITION = re.compile(r"error at (\d+):(\d+):?\s*(.*)", re.DOTALL)


def syntax_message(engine_message: str) -> tuple[str, int | None, int | None]:
    """The engine's syntax error in German, with line and column when the engine names them."""
    m = _POSITION.search(engine_message)
    if not m:
        return f"SPARQL-Syntaxfehler: {engine_message}", None, None
    line, column, detail = int(m.group(1)), int(m.group(2)), m.group(3).strip()
    detail = re.sub(r"^expected one of\s*", "erwartet wird eines von: ", detail)
    detail = re.sub(r"^expected\s*", "erwartet wird: ", detail)
    if len(detail) > 300:
        detail = detail[:300] + " …"
    return f"SPARQL-Syntaxfehler in Zeile {line}, Spalte {column}: {detail}", line, column

"""What a query may do on this server, decided before it runs.

A small SPARQL tokenizer finds the keywords that matter (the query form, ``FROM``, ``SERVICE``,
``LOAD``, the update operations) and skips everything that cannot be a keyword: strings,
comments, IRIs, variables, prefixed names, language tags. Decisions err on the side of refusal:
the text is checked once as written and once with ``\\u`` escapes resolved, and a prefixed name
whose prefix is a forbidden keyword counts as that keyword.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import QueryError, QueryRefused, TooLarge

__all__ = ["QueryInfo", "inspect_query", "inspect_update", "check_size", "syntax_message"]

QUERY_FORMS = frozenset({"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"})
UPDATE_OPERATIONS = frozenset({"LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "INSERT", "DELETE", "WITH"})
#: Keywords that make the server fetch from other hosts.
REMOTE = ("SERVICE", "LOAD")

# Order matters: the first alternative that matches at a position wins.
_TOKEN = re.compile(
    r"""
      (?P<ws>\s+)
    | (?P<comment>\#[^\r\n]*)
    | (?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''
               |\"\"\"(?:(?:"|"")?(?:[^"\\]|\\.))*\"\"\"
               |'(?:[^'\\\r\n]|\\.)*'
               |"(?:[^"\\\r\n]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][\w\u00B7]+)
    | (?P<bnode>_:[\w\-.]*)
    | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<pname>(?P<prefix>[^\W\d_][\w\-.]*)?:(?:[\w\-.:%]|\\[_~.\-!$&'()*+,;=/?\#@%])*)
    | (?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)
    | (?P<word>[^\W\d_]\w*)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
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


def inspect_query(text: str) -> QueryInfo:
    """Check a query for the query endpoint; raises ``QueryRefused`` for updates and remote access."""
    raw = _scan(text)
    unescaped = _scan(_unescape(text)) if "\\u" in text or "\\U" in text else raw
    remote = raw.remote or unescaped.remote
    if remote:
        raise QueryRefused(_REMOTE_MESSAGE[remote])
    if raw.form == "UPDATE" or unescaped.form == "UPDATE":
        raise QueryRefused("Dieser Endpunkt ist nur zum Lesen da: Änderungen (SPARQL Update) sind hier nicht erlaubt.")
    return QueryInfo(raw.form, raw.has_dataset or unescaped.has_dataset, None)


def inspect_update(text: str) -> None:
    """Check an update for the write route: no LOAD, no SERVICE."""
    raw = _scan(text)
    unescaped = _scan(_unescape(text))
    remote = raw.remote or unescaped.remote
    if remote:
        raise QueryRefused(_REMOTE_MESSAGE[remote])
    if raw.form in QUERY_FORMS:
        raise QueryError("Das ist eine Abfrage, keine Änderung; bitte an /sparql senden.")


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

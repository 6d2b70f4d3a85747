"""Let the bound parameters of a named query lead its evaluation, and cut listings into pages.

The engine binds a parameter (SEP-0007 substitution) at the top of the query only: a sub-query
that computes a table of all actors, goals or concepts is computed whole and filtered at the end,
so a question about one actor costs as much as the whole graph. ``focused_text`` therefore adds
the value where it can narrow the work, as a ``VALUES`` block written from the pyoxigraph term
(the store library serialises it; user text never becomes SPARQL):

- at the start of every ``SELECT … WHERE {`` (the query and its sub-queries) that projects the
  parameter's variable, so that a sub-query only computes rows for that value;
- at a line ``#@wenn NAME: PATTERN`` of the query, which becomes ``VALUES ?NAME {…} PATTERN``
  when NAME is bound and stays a comment otherwise. PATTERN is a condition every answer row
  meets when NAME is bound (e.g. "the undertaking has this actor"), placed where it lets the
  value lead; it is only written where the query's own guards (the witness variables ``?…_da``)
  already demand it, so the rows stay the same.

The substitution is still passed to the engine, so the meaning is the query's own; the tests run
every parameter of every query both ways on the real graph and compare the rows.
"""

from __future__ import annotations

import re

from .errors import QueryError

__all__ = ["mask", "focused_text", "paged_text", "projected"]

_LEAD = re.compile(r"^([ \t]*)#@wenn[ \t]+([A-Za-z_][\w ]*?)[ \t]*:[ \t]*(.*)$", re.M)
_SELECT = re.compile(r"\bSELECT\b(.*?)\bWHERE\s*\{", re.S | re.I)
_VAR = re.compile(r"[?$]([A-Za-z_][\w]*)")


def mask(text: str) -> str:
    """The text with comments, strings and IRIs blanked out (same length, so positions hold)."""
    out = list(text)
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            j = text.find("\n", i)
            j = n if j < 0 else j
            out[i:j] = " " * (j - i)
            i = j
        elif c in "\"'":
            long = text.startswith(c * 3, i)
            end = c * 3 if long else c
            j = i + len(end)
            while j < n and not text.startswith(end, j):
                j += 2 if text[j] == "\\" else 1
            j = min(n, j + len(end))
            out[i:j] = "_" * (j - i)
            i = j
        elif c == "<":
            m = re.compile(r"<[^<>\"{}|^`\\\s]*>").match(text, i)
            if m:
                out[i:m.end()] = "_" * (m.end() - i)
                i = m.end()
            else:
                i += 1
        else:
            i += 1
    return "".join(out)


def projected(clause: str) -> set[str] | None:
    """Variables a SELECT clause (masked text between SELECT and WHERE) projects; None for ``*``."""
    plain, depth, last_as = [], 0, []
    for m in re.finditer(r"\(|\)|\bAS\s+[?$]([A-Za-z_]\w*)|[?$]([A-Za-z_]\w*)|\*", clause, re.I):
        tok = m.group(0)
        if tok == "(":
            depth += 1
        elif tok == ")":
            depth -= 1
        elif m.group(1):
            last_as.append(m.group(1))
        elif tok == "*":
            if depth == 0:
                return None
        elif depth == 0:
            plain.append(m.group(2))
    return set(plain) | set(last_as)


def _values(name: str, term) -> str:
    return f"VALUES ?{name} {{ {term} }}"


def focused_text(text: str, bindings: dict) -> str:
    """The query text with the bound values leading (see the module's description)."""
    if not bindings:
        return text

    def lead(m: re.Match) -> str:
        names = m.group(2).split()
        if not all(n in bindings for n in names):
            return m.group(0)
        return m.group(1) + " ".join(_values(n, bindings[n]) for n in names) + " " + m.group(3)

    text = _LEAD.sub(lead, text)
    masked = mask(text)
    inserts = []
    for m in _SELECT.finditer(masked):
        names = projected(m.group(1)) or set()
        block = " ".join(_values(n, t) for n, t in bindings.items() if n in names)
        if block:
            inserts.append((m.end(), " " + block + "\n"))
    for pos, block in reversed(inserts):
        text = text[:pos] + block + text[pos:]
    return text


def _depth0(masked: str, pattern: str) -> list[re.Match]:
    """Matches of ``pattern`` outside any braces."""
    depth, spans = 0, []
    for i, c in enumerate(masked):
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        spans.append(depth)
    return [m for m in re.finditer(pattern, masked, re.I) if spans[m.start()] == 0]


def paged_text(text: str, limit: int, offset: int) -> tuple[str, str]:
    """(text, tail) of one page: the ORDER BY completed by every column, and LIMIT/OFFSET."""
    if not (isinstance(limit, int) and isinstance(offset, int)):
        raise QueryError("Seitengröße und Beginn müssen ganze Zahlen sein.")
    masked = mask(text)
    if _depth0(masked, r"\b(LIMIT|OFFSET)\b"):
        raise QueryError("Die Abfrage begrenzt ihre Zeilen schon selbst (LIMIT/OFFSET) und lässt sich nicht blättern.")
    sel = _SELECT.search(masked)
    cols = projected(sel.group(1)) if sel else None
    if not cols:
        raise QueryError("Nur SELECT-Abfragen mit benannten Spalten lassen sich blättern.")
    order = [m.group(1) for m in _VAR.finditer(sel.group(1))]
    ties = " ".join(f"?{v}" for v in dict.fromkeys(v for v in order if v in cols))
    body = text[:len(masked.rstrip())]  # without trailing comments, which would swallow the ties
    if _depth0(masked, r"\bORDER\s+BY\b"):
        body += f" {ties}"
    else:
        body += f"\nORDER BY {ties}"
    return body, f"\nLIMIT {int(limit)} OFFSET {int(offset)}\n"

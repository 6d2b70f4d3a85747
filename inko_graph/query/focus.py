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

- between a line ``#@ohne NAME`` and the next line ``#@ende``: lines left out when NAME is bound.
  They may only hold what the ``#@wenn NAME`` lead already makes certain for every row (e.g. an
  OPTIONAL that finds the row's Handlungsfeld and a guard that it is the bound one): the engine
  computes such an OPTIONAL for the whole graph before it joins, whatever leads.

The substitution is still passed to the engine, so the meaning is the query's own; the tests run
every parameter of every query both ways on the real graph and compare the rows.
"""

from __future__ import annotations

import functools
import re

from ..errors import QueryError

__all__ = ["mask", "focused_text", "paged_text", "projected"]

_LEAD = re.compile(r"^([ \t]*)#@wenn[ \t]+([A-Za-z_][\w ]*?)[ \t]*:[ \t]*(.*)$", re.M)
_OMIT = re.compile(r"^[ \t]*#@ohne[ \t]+([A-Za-z_][\w ]*?)[ \t]*\n.*?^[ \t]*#@ende[ \t]*$", re.M | re.S)
_SELECT = re.compile(r"\bSELECT\b(.*?)\bWHERE\s*\{", re.S | re.I)
_VAR = re.compile(r"[?$]([A-Za-z_][\w]*)")


_TOKENS = re.compile(r'#[^\n]*|"""(?:[^\\]|\\.)*?"""|\'\'\'(?:[^\\]|\\.)*?\'\'\'|"(?:[^"\\\n]|\\.)*"'
                     r"|'(?:[^'\\\n]|\\.)*'|<[^<>\"{}|^`\\\s]*>", re.S)


def mask(text: str) -> str:
    """The text with comments, strings and IRIs blanked out (same length, so positions hold)."""
    return _TOKENS.sub(lambda m: (" " if m.group(0)[0] == "#" else "_") * len(m.group(0)), text)


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

    # The sub-queries are found in the text as written (its ``#@wenn`` lines are comments there).
    parts, last = [], 0
    for pos, names in _selects(text):
        block = " ".join(_values(n, t) for n, t in bindings.items() if n in names)
        if block:
            parts += [text[last:pos], " " + block + "\n"]
            last = pos
    parts.append(text[last:])

    def omit(m: re.Match) -> str:
        if not all(n in bindings for n in m.group(1).split()):
            return m.group(0)
        return "\n" * m.group(0).count("\n")  # the same lines, so the engine's messages still point right

    return _LEAD.sub(lead, _OMIT.sub(omit, "".join(parts)))


@functools.lru_cache(maxsize=512)
def _selects(text: str) -> tuple[tuple[int, frozenset], ...]:
    """(position after ``WHERE {``, projected variables) of every SELECT of the text."""
    return tuple((m.end(), frozenset(projected(m.group(1)) or ())) for m in _SELECT.finditer(mask(text)))


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

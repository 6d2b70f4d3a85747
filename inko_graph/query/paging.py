"""Pages of a long listing that cost what the page costs: the query's leading entity is paged alone.

A listing such as "Wer dient welchem Ziel?" has tens of thousands of rows at 10^6 triples; cutting
page 1 out of the whole sorted table costs the whole table (46 s). A query that names its leading
entity in its header is paged over that entity instead::

    # seiten: ?konzeptname ?konzept ?zielname ?ziel  Ziele
    # seiten_muster: ?vorhaben inko:dient ?ziel . ?ziel skos:inScheme ?konzept .
    # seiten_muster: OPTIONAL { ?ziel skos:prefLabel ?zielname FILTER(lang(?zielname) = "de") }

``seiten`` lists the key variables in their order (the last one is the entity, e.g. the goal),
then the name of the unit shown on the page. ``seiten_muster`` (one or more lines) is a pattern
that binds exactly the key tuples of the listing's rows. A page then takes two steps:

1. the keys of the page: ``SELECT DISTINCT keys WHERE { muster } ORDER BY keys LIMIT n+1 OFFSET o``
   (one row per entity; the extra row says whether a next page exists);
2. the listing for those keys only: the entity's values lead the query as a ``VALUES`` block (the
   same places a bound parameter leads, :func:`inko_graph.query.focus.focused_text`), the key
   tuples are joined at the end of the query (so a row belongs to exactly one page), ordered by
   the keys, then the query's own ORDER BY, then every column.

The listing in that order, cut after each entity, is the concatenation of its pages (the tests
check it on the real graph). Values enter the text only as terms serialised by pyoxigraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import QueryError
from .focus import focused_text, mask, projected

__all__ = ["Entity", "entity_of", "keys_text", "page_text", "ordered_text", "columns"]

_VAR = re.compile(r"[?$]([A-Za-z_]\w*)")


@dataclass(frozen=True)
class Entity:
    """The leading entity of a listing: key variables in order (the entity last), the unit's name
    (German plural, e.g. "Ziele") and the pattern that binds the keys."""

    keys: tuple[str, ...]
    unit: str
    pattern: str

    @property
    def name(self) -> str:
        return self.keys[-1]


def entity_of(meta: dict) -> Entity | None:
    """The entity a query's header names (``seiten`` and ``seiten_muster``), or None."""
    head = meta.get("seiten")
    if not head:
        return None
    keys = tuple(_VAR.findall(head))
    unit = _VAR.sub("", head).strip() or "Einträge"
    pattern = meta.get("seiten_muster", "").strip()
    if not keys or not pattern:
        raise QueryError("Die Kopfzeilen 'seiten' und 'seiten_muster' gehören zusammen: Schlüsselvariablen und ein Muster.")
    return Entity(keys, unit, pattern)


def keys_text(entity: Entity) -> str:
    """The query for the keys of all entities, in page order (LIMIT/OFFSET are added per page)."""
    vs = " ".join(f"?{k}" for k in entity.keys)
    return f"SELECT DISTINCT {vs} WHERE {{\n{entity.pattern}\n}}\nORDER BY {vs}\n"


class _Terms:
    """Several terms where focus writes one: ``VALUES ?ziel { <a> <b> }`` (each term as pyoxigraph
    writes it)."""

    def __init__(self, terms):
        self.terms = list(terms)

    def __str__(self) -> str:
        return " ".join(str(t) for t in self.terms)


def _depths(masked: str) -> list[int]:
    depth, out = 0, []
    for c in masked:
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        out.append(depth)
    return out


def _outer(text: str) -> tuple[int, re.Match | None]:
    """(position of the brace closing the outermost WHERE group, the ORDER BY after it or None)."""
    masked = mask(text)
    depths = _depths(masked)
    close = max((i for i, c in enumerate(masked) if c == "}" and depths[i] == 0), default=-1)
    if close < 0:
        raise QueryError("Die Abfrage hat keinen WHERE-Block und lässt sich nicht blättern.")
    if re.search(r"\b(LIMIT|OFFSET)\b", masked[close:], re.I):
        raise QueryError("Die Abfrage begrenzt ihre Zeilen schon selbst (LIMIT/OFFSET) und lässt sich nicht blättern.")
    order = re.compile(r"\bORDER\s+BY\b", re.I).search(masked, close)
    return close, order


def ordered_text(text: str, entity: Entity) -> str:
    """The query ordered as its pages are: by the keys, then its own ORDER BY (the reference the
    tests cut into pages; the page adds the remaining columns as tie breakers)."""
    close, order = _outer(text)
    vs = " ".join(f"?{k}" for k in entity.keys)
    if order:
        return text[:order.end()] + f" {vs}" + text[order.end():]
    body = text[:len(mask(text).rstrip())]
    return body + f"\nORDER BY {vs}\n"


def page_text(text: str, entity: Entity, keys: list[list]) -> str:
    """The query for the rows of the page whose key tuples are ``keys`` (pyoxigraph terms, None for
    an unbound key): the entity leads, the tuples are joined at the end, ordered as the listing."""
    if not keys:
        raise QueryError("Eine Seite ohne Einträge braucht keine Abfrage.")
    i = entity.keys.index(entity.name)
    values = {t[i] for t in keys if t[i] is not None}
    led = focused_text(text, {entity.name: _Terms(sorted(values, key=str))}) if values else text
    close, _ = _outer(led)
    rows = " ".join("(" + " ".join("UNDEF" if t is None else str(t) for t in tup) + ")" for tup in keys)
    block = f"\n  VALUES ({' '.join(f'?{k}' for k in entity.keys)}) {{ {rows} }}\n"
    return ordered_text(led[:close] + block + led[close:], entity)


def columns(text: str) -> list[str]:
    """The columns of a SELECT query in their order (the empty page's header, without running it)."""
    masked = mask(text)
    m = re.search(r"\bSELECT\b(.*?)\bWHERE\s*\{", masked, re.S | re.I)
    names = projected(m.group(1)) if m else None
    if not names:
        raise QueryError("Nur SELECT-Abfragen mit benannten Spalten lassen sich blättern.")
    return list(dict.fromkeys(v for v in _VAR.findall(m.group(1)) if v in names))

"""References inside the Konzept workbook: a goal, field, indicator or organisation named by Nr, name or Kennung.

An index per sheet answers "which row does „1.2“ mean?" with exactly one item, or says that
there is none (with the numbers that exist) or more than one (and how to tell them apart).
The higher goals are checked for cycles (1 → 2 → 1), which SKOS would accept but no reader could.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..namespaces import ID, PREFIXES, shorten
from ..raster.columns import norm

__all__ = ["Item", "Index", "expand_kennung", "cycles"]


@dataclass(eq=False)
class Item:
    iri: str
    label: str
    row: int
    nr: str = ""
    kind: str = ""                 # for goals: Leitziel, Teilziel …
    values: dict = field(default_factory=dict)

    def ref(self) -> str:
        return f"{self.kind} {self.nr}".strip() if self.nr else shorten(self.iri)


def expand_kennung(text: str) -> str | None:
    """The IRI a Kennung stands for (``id:…``, ``<https://…>``, ``https://…``), or ``None`` if it is none."""
    t = text.strip()
    if t.startswith("<") and t.endswith(">"):
        t = t[1:-1]
    if re.match(r"^https?://\S+$", t):
        return t
    prefix, sep, local = t.partition(":")
    if sep and prefix in PREFIXES and local and " " not in local:
        return PREFIXES[prefix] + local
    return None


class Index:
    """Items of one sheet, found by Kennung, Nr, „Art Nr“ or name."""

    def __init__(self, by_name: bool = True):
        self.items: list[Item] = []
        self.by_name = by_name
        self._iri: dict[str, Item] = {}
        self._nr: dict[str, list[Item]] = {}
        self._kind_nr: dict[str, list[Item]] = {}
        self._name: dict[str, list[Item]] = {}

    def add(self, item: Item) -> None:
        self.items.append(item)
        self._iri[item.iri] = item
        if item.nr:
            self._nr.setdefault(norm(item.nr), []).append(item)
            self._kind_nr.setdefault(norm(item.kind + item.nr), []).append(item)
        if self.by_name and item.label:
            self._name.setdefault(norm(item.label), []).append(item)

    def alias(self, item: Item, name: str) -> None:
        bucket = self._name.setdefault(norm(name), [])
        if item not in bucket:
            bucket.append(item)

    def get_iri(self, iri: str) -> Item | None:
        return self._iri.get(iri)

    def find(self, text: str) -> tuple[Item | None, list[Item]]:
        """(the item, []) or (None, the candidates when it is ambiguous; [] when there is none)."""
        t = text.strip()
        iri = expand_kennung(t)
        if iri is not None and iri in self._iri:
            return self._iri[iri], []
        key = norm(t)
        for index in (self._nr, self._kind_nr, self._name):
            found = index.get(key, [])
            if len(found) == 1:
                return found[0], []
            if len(found) > 1:
                return None, found
        if iri is None and t.startswith("id/"):
            hit = self._iri.get(ID + t[3:])
            if hit:
                return hit, []
        return None, []

    def numbers(self, limit: int = 15) -> str:
        nrs = [i.ref() for i in self.items]
        shown = ", ".join(nrs[:limit])
        return shown + (f" … ({len(nrs)} insgesamt)" if len(nrs) > limit else "")


def cycles(parents: dict[Item, list[Item]]) -> list[list[Item]]:
    """Each cycle of the higher goals once, as the list of goals along it."""
    found, done = [], set()
    for start in parents:
        path, seen = [], {}
        node = start
        stack = [(start, iter(parents.get(start, [])))]
        path.append(start)
        seen[start] = 0
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                stack.pop()
                seen.pop(path.pop(), None)
                continue
            if nxt in seen:
                cyc = path[seen[nxt]:]
                key = frozenset(id(x) for x in cyc)
                if key not in done:
                    done.add(key)
                    found.append(list(cyc))
                continue
            if id(nxt) in {id(x) for c in found for x in c}:
                continue
            seen[nxt] = len(path)
            path.append(nxt)
            stack.append((nxt, iter(parents.get(nxt, []))))
    return found

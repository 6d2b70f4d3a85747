"""The actors as the cockpit's lists show them: one row per actor with its kind, Gebiete and counts
(``actors``, from the rows of ``cockpit-akteure``), and one organisation, one actor (``Einheiten``,
``nest_actors``): sub-units (``org:subOrganizationOf``, stated or curated) under their organisation,
IRIs curated as the same organisation (``owl:sameAs``) merged into one entry. The actor list
``/akteure``, the actor filter of ``/wer-dient`` and the report's actors without activity share them."""

from __future__ import annotations

import math
import re

__all__ = ["actors", "Einheiten", "nest_actors", "nest_options", "with_parents", "natural", "text", "count", "local"]


def natural(s: str) -> list:
    return [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", s or "")]


def text(value) -> str:
    return value if isinstance(value, str) else ""


def count(value) -> int:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return 0
    return int(value)


def local(iri: str) -> str:
    return re.split(r"[/#]", iri.rstrip("/"))[-1]


def _art_rank():
    from . import ARTEN, _ART_OF_CLASS, ART

    rank = {a.key: i for i, a in enumerate(ARTEN)}
    return _ART_OF_CLASS, ART, rank


def actors(df) -> list[dict]:
    art_of_class, art, rank = _art_rank()
    out: dict[str, dict] = {}
    for r in df.itertuples(index=False):
        kind = art_of_class.get(r.art, "akteur")
        a = out.setdefault(r.akteur, {"iri": r.akteur, "label": text(r.label) or local(r.akteur), "art": kind,
                                      "akteursart": set(), "gebiete": {}, "aktivitaeten": 0, "massnahmen": 0})
        if rank[kind] < rank[a["art"]]:
            a["art"] = kind
        if isinstance(r.akteursartname, str):
            a["akteursart"].add(r.akteursartname)
        if isinstance(r.gebiet, str):
            a["gebiete"][r.gebiet] = text(r.gebietname) or local(r.gebiet)
        a["aktivitaeten"] = max(a["aktivitaeten"], count(r.aktivitaeten))
        a["massnahmen"] = max(a["massnahmen"], count(r.massnahmen))
    rows = sorted(out.values(), key=lambda a: natural(a["label"]))
    for a in rows:
        a["artname"] = art[a["art"]].name
        a["akteursart"] = ", ".join(sorted(a["akteursart"]))
        a["gebietnamen"] = ", ".join(sorted(a["gebiete"].values()))
    return rows


class Einheiten:
    """Which IRIs name the same organisation, and which organisation each one is part of."""

    def __init__(self, pairs):
        self._same: dict[str, str] = {}
        parents: list[tuple[str, str]] = []
        for einheit, beziehung, organisation in pairs:
            if beziehung == "dieselbe wie":
                a, b = self.canon(einheit), self.canon(organisation)
                if a != b:  # the smaller IRI stands for the group, so the choice does not depend on order
                    lo, hi = sorted((a, b))
                    self._same[hi] = lo
            else:
                parents.append((einheit, organisation))
        self.parents: dict[str, set[str]] = {}
        for einheit, organisation in parents:
            a, b = self.canon(einheit), self.canon(organisation)
            if a != b:
                self.parents.setdefault(a, set()).add(b)
        self.children: dict[str, set[str]] = {}
        for a, ps in self.parents.items():
            for p in ps:
                self.children.setdefault(p, set()).add(a)
        self._members: dict[str, set[str]] = {}
        for iri in {*self._same, *self._same.values()}:
            self._members.setdefault(self.canon(iri), {self.canon(iri)}).add(iri)

    def canon(self, iri: str) -> str:
        seen = set()
        while iri in self._same and iri not in seen:
            seen.add(iri)
            iri = self._same[iri]
        return iri

    def members(self, iri: str) -> set[str]:
        """The IRIs of the same organisation as ``iri`` (``iri`` included)."""
        return self._members.get(self.canon(iri), {self.canon(iri)}) | {iri}

    def ancestors(self, iri: str) -> set[str]:
        out, todo = set(), [self.canon(iri)]
        while todo:
            for p in self.parents.get(todo.pop(), ()):
                if p not in out:
                    out.add(p)
                    todo.append(p)
        return out

    def family(self, iri: str) -> set[str]:
        """Every IRI of the organisation and of its sub-units, at any depth."""
        out, todo, seen = set(), [self.canon(iri)], set()
        while todo:
            c = todo.pop()
            if c in seen:
                continue
            seen.add(c)
            out |= self.members(c)
            todo.extend(self.children.get(c, ()))
        return out | {iri}

    def top(self, iri: str, present: set[str]) -> str:
        """The top-most organisation among ``present`` (canonical IRIs) that ``iri`` belongs to,
        else its own canonical IRI."""
        up = sorted(a for a in self.ancestors(iri) if a in present and not (self.ancestors(a) & present))
        return up[0] if up else self.canon(iri)


def nest_actors(rows: list[dict], e: Einheiten) -> list[dict]:
    """The rows of ``actors`` with one row per organisation: IRIs of the same organisation merged
    (the longest name shown, the others in ``auch``), sub-units in ``untereinheiten`` under the
    top-most organisation of the list they belong to."""
    groups: dict[str, list[dict]] = {}
    for a in rows:
        groups.setdefault(e.canon(a["iri"]), []).append(a)
    merged: dict[str, dict] = {}
    for c, members in groups.items():
        members.sort(key=lambda a: (-len(a["label"]), a["iri"]))
        head = dict(members[0])
        head["auch"] = sorted({m["label"] for m in members[1:]} - {head["label"]}, key=natural)
        head["aktivitaeten"] = sum(m["aktivitaeten"] for m in members)
        head["massnahmen"] = sum(m["massnahmen"] for m in members)
        head["untereinheiten"] = []
        merged[c] = head
    present = set(merged)
    out = []
    for c, a in merged.items():
        top = e.top(c, present)
        if top == c:
            out.append(a)
        else:
            merged[top]["untereinheiten"].append(a)
    for a in out:
        a["untereinheiten"].sort(key=lambda u: natural(u["label"]))
    return sorted(out, key=lambda a: natural(a["label"]))


def with_parents(rows: list[dict], every: list[dict], e: Einheiten) -> list[dict]:
    """``rows`` (the actors of a Gebiet) with the organisations their sub-units belong to, taken from
    ``every`` (all actors) where the Gebiet does not list them: a service for the town is shown
    under its organisation even when that one has its seat elsewhere."""
    have = {e.canon(a["iri"]) for a in rows}
    wanted = set().union(*(e.ancestors(a["iri"]) for a in rows)) - have if rows else set()
    return rows + [a for a in every if e.canon(a["iri"]) in wanted]


def nest_options(options: list[tuple[str, str]], e: Einheiten) -> tuple[list[tuple[str, str]], dict[str, set[str]]]:
    """The actor filter's choices with each organisation once and its sub-units right under it
    (named "– Einheit"), and for each choice the IRIs whose rows it keeps (the organisation with its
    sub-units)."""
    rows = [{"iri": iri, "label": name, "aktivitaeten": 0, "massnahmen": 0} for iri, name in options]
    nested, families = [], {}
    for a in nest_actors(rows, e):
        nested.append((a["iri"], a["label"]))
        families[a["iri"]] = e.family(a["iri"])
        for u in a["untereinheiten"]:
            nested.append((u["iri"], f"– {u['label']} ({a['label']})"))
            families[u["iri"]] = e.family(u["iri"])
    return nested, families

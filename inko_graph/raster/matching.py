"""Forgiving mapping of what a volunteer wrote to the IRI of an allowed value.

A value is found by, in this order: the text shown in the drop-down; the short IRI
(``lp:alter``, ``id:hattingen/leitziel/3``, also without ``id:``) or the full IRI; the label or
another label, compared without case, spaces, hyphens and punctuation and with ä = ae, ö = oe,
ü = ue, ß = ss (and, if that finds nothing, ä = a …); for goals and fields a reference by number
(``Leitziel 3``, ``3.3 / Leitziel 3`` with the section, ``Strategiekonzept Leitziel 6``,
``Handlungsfeld 1 Teilziel c``); for the other lists the number alone. When nothing or more than
one value fits, the answer names the nearest allowed values („meinten Sie …?“, difflib).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from ..namespaces import ID
from .columns import norm, translit
from .vocab import Term

__all__ = ["Matcher", "Match", "loose"]

_KINDS = {
    "leitziel": "leitziel", "leitziele": "leitziel", "lz": "leitziel",
    "teilziel": "teilziel", "teilziele": "teilziel", "tz": "teilziel",
    "leitthema": "leitthema", "leitthemen": "leitthema", "lt": "leitthema",
    "monitoringziel": "monitoringziel", "jahresziel": "jahresziel", "ziel": "",
    "handlungsfeld": "handlungsfeld", "hf": "handlungsfeld",
}
_STOP = {"aus", "dem", "der", "des", "die", "das", "und", "von", "fuer", "zum", "zur", "nr", "nummer", "im", "in"}
_SECTION = re.compile(r"^\d+(\.\d+)+$")
_YEAR = re.compile(r"^(19|20)\d\d$")


def loose(key: str) -> str:
    """A looser key where ä may also have been written a (not ae)."""
    return key.replace("ae", "a").replace("oe", "o").replace("ue", "u")


@dataclass
class Match:
    term: Term | None
    candidates: list[Term]      # more than one fitted (ambiguous)
    suggestions: list[Term]     # nothing fitted: the nearest values

    @property
    def ok(self) -> bool:
        return self.term is not None


def _words(text: str) -> list[str]:
    return re.findall(r"\d+(?:\.\d+)+|[0-9a-z]+", translit(text))


class Matcher:
    """Find terms of one list. ``by_number``: goals and fields, referenced by kind and number."""

    def __init__(self, terms: list[Term], *, by_number: bool = False):
        self.terms = terms
        self.by_number = by_number
        self._display = {t.display: t for t in terms}
        self._code: dict[str, Term] = {}
        for t in terms:
            for k in (t.iri, f"<{t.iri}>", t.code):
                self._code[k.casefold()] = t
            if t.iri.startswith(ID):
                self._code[t.iri[len(ID):].casefold()] = t
        self._norm: dict[str, list[Term]] = {}
        self._loose: dict[str, list[Term]] = {}
        for t in terms:
            # "label (concept)" too: how a list for several towns shows a label that repeats
            grouped = f"{t.label} ({t.group})" if t.group else t.label
            for text in {t.display, t.label, grouped, *t.synonyms}:
                k = norm(text)
                if k:
                    self._add(self._norm, k, t)
                    self._add(self._loose, loose(k), t)
        self._seen: dict[str, Match] = {}  # the same value comes again in many rows
        self._notation: dict[str, list[Term]] = {}
        for t in terms:
            if t.notation:
                self._add(self._notation, norm(t.notation), t)

    @staticmethod
    def _add(index: dict, key: str, term: Term) -> None:
        bucket = index.setdefault(key, [])
        if term not in bucket:
            bucket.append(term)

    def match(self, raw: str) -> Match:
        hit = self._seen.get(raw)
        if hit is None:
            hit = self._seen[raw] = self._match(raw)
        return hit

    def _match(self, raw: str) -> Match:
        text = raw.strip()
        if text in self._display:
            return Match(self._display[text], [], [])
        hit = self._code.get(text.casefold())
        if hit is not None:
            return Match(hit, [], [])
        key = norm(text)
        for index, k in ((self._norm, key), (self._loose, loose(key))):
            found = index.get(k, [])
            if len(found) == 1:
                return Match(found[0], [], [])
            if len(found) > 1:
                return Match(None, found, [])
        if self.by_number:
            found = self._by_reference(text)
        else:
            found = self._notation.get(key, [])
        if len(found) == 1:
            return Match(found[0], [], [])
        if len(found) > 1:
            return Match(None, found, [])
        return Match(None, [], self.suggest(text))

    def _by_reference(self, text: str) -> list[Term]:
        words = _words(text)
        kind = None
        dotted, hints, number = [], [], []
        for w in words:
            if w in _KINDS:
                kind = _KINDS[w]
            elif _SECTION.match(w):
                dotted.append(w)
            elif _YEAR.match(w) or (w.isalpha() and len(w) >= 3 and w not in _STOP):
                hints.append(w)
            elif w not in _STOP:
                number.append(w)
        # "3.3 / Leitziel 3": the dotted number is the section; "1.2" alone is the number itself
        sections = dotted if number else []
        if not number and len(dotted) == 1:
            number = dotted
        if not number:
            return []
        wanted = norm("".join(number))
        out = []
        for t in self.terms:
            keys = {norm(t.notation), norm(t.field_notation + t.notation)} - {""}
            if wanted not in keys:
                continue
            if kind and kind != "handlungsfeld" and norm(t.kind) != kind:
                continue
            if kind == "handlungsfeld" and t.kind:
                continue
            if sections and not all(s in t.sections for s in sections):
                continue
            group = norm(t.group)
            if hints and not all(h in group or loose(h) in loose(group) for h in hints):
                continue
            out.append(t)
        return out

    def suggest(self, text: str, n: int = 3) -> list[Term]:
        """The nearest allowed values: those containing the text first, then by similarity."""
        key = norm(text)
        if not key:
            return []
        out: list[Term] = []
        if len(key) >= 4:
            for k, terms in self._norm.items():
                if key in k:
                    out += [t for t in terms if t not in out]
        if len(out) > n:
            out = []  # too general to help
        close = difflib.get_close_matches(key, list(self._norm), n=n * 2, cutoff=0.6)
        for k in close:
            out += [t for t in self._norm[k] if t not in out]
        return out[:n]

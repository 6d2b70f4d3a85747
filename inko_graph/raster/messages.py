"""Messages about values that match no allowed value: unknown, ambiguous, or from another town's concept;
and the rules' messages of an import said in the words of the sheets (``plain_report``)."""

from __future__ import annotations

import re
from datetime import date, datetime

from .matching import Match
from .problems import Problem
from .vocab import Term

__all__ = ["WHAT", "match_problem", "foreign_problem", "as_text", "quote", "plain_report"]


def _q(text: str, lang: str) -> str:
    return f'"{text}"' if lang == "en" else f"„{text}“"


def _as_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _allowed(terms: list[Term], sheet: str) -> tuple[str, str]:
    if len(terms) <= 12:
        shown = "; ".join(t.display for t in terms)
        return shown, shown
    return (f"siehe Blatt „{sheet}“ ({len(terms)} Einträge)", f"see sheet „{sheet}“ ({len(terms)} entries)")


#: How each list is named in a message: unknown (de, en), ambiguous (de, en).
WHAT = {
    "handlungsfeld": ("Unbekanntes Handlungsfeld.", "Unknown field of action.",
                      "Das Handlungsfeld ist nicht eindeutig", "The field of action is ambiguous"),
    "ziele": ("Unbekanntes Ziel.", "Unknown goal.", "Das Ziel ist nicht eindeutig", "The goal is ambiguous"),
    "lebensphasen": ("Unbekannte Lebensphase.", "Unknown life stage.",
                     "Die Lebensphase ist nicht eindeutig", "The life stage is ambiguous"),
    "zielgruppen": ("Unbekannte Zielgruppe.", "Unknown target group.",
                    "Die Zielgruppe ist nicht eindeutig", "The target group is ambiguous"),
    "art": ("Unbekannte Art des Akteurs.", "Unknown kind of actor.",
            "Die Art des Akteurs ist nicht eindeutig", "The kind of actor is ambiguous"),
    "gebiet": ("Unbekanntes Gebiet.", "Unknown area.", "Das Gebiet ist nicht eindeutig", "The area is ambiguous"),
    "partner": ("Unbekannte Organisation.", "Unknown organisation.",
                "Die Organisation ist nicht eindeutig", "The organisation is ambiguous"),
    "zustaendigkeit": ("Unbekannte Zuständigkeit.", "Unknown category of responsibility.",
                       "Die Zuständigkeit ist nicht eindeutig", "The category of responsibility is ambiguous"),
    "zeithorizont": ("Unbekannter Zeithorizont.", "Unknown time horizon.",
                     "Der Zeithorizont ist nicht eindeutig", "The time horizon is ambiguous"),
    "indikatorart": ("Unbekannte Art des Indikators.", "Unknown kind of indicator.",
                     "Die Art des Indikators ist nicht eindeutig", "The kind of indicator is ambiguous"),
    "zielart": ("Unbekannte Art des Ziels.", "Unknown kind of goal.",
                "Die Art des Ziels ist nicht eindeutig", "The kind of goal is ambiguous"),
    "kreisziel": ("Unbekanntes Kreisziel.", "Unknown county goal.",
                  "Das Kreisziel ist nicht eindeutig", "The county goal is ambiguous"),
}


def _match_problem(m: Match, what: str, sheet_list: str, terms: list[Term], where: tuple, value: str) -> Problem:
    unknown_de, unknown_en, ambiguous_de, ambiguous_en = WHAT[what]
    sheet, row, column = where
    if m.candidates:
        opts_de = " oder ".join(_q(t.display, "de") for t in m.candidates[:5])
        opts_en = " or ".join(_q(t.display, "en") for t in m.candidates[:5])
        return Problem(f"{ambiguous_de}: meinten Sie {opts_de}?", f"{ambiguous_en}: did you mean {opts_en}?",
                       sheet, row, column, value)
    allowed_de, allowed_en = _allowed(terms, sheet_list)
    de, en = unknown_de, unknown_en
    if m.suggestions:
        de += " Meinten Sie " + " oder ".join(_q(t.display, "de") for t in m.suggestions) + "?"
        en += " Did you mean " + " or ".join(_q(t.display, "en") for t in m.suggestions) + "?"
    return Problem(de, en, sheet, row, column, value, allowed_de, allowed_en)


#: What a list holds, for the message about a value from another town's concept (de, en).
_KIND = {"handlungsfeld": ("Das Handlungsfeld", "The field of action"), "ziele": ("Das Ziel", "The goal")}


def foreign_problem(term: Term, town_de: str, what: str, sheet_list: str, area_label: str, where: tuple,
                    value: str) -> Problem:
    """A value of another town's concept: say whose it is, and what this town's list is."""
    noun_de, noun_en = _KIND.get(what, ("Der Wert", "The value"))
    sheet, row, column = where
    doc = f" ({_q(term.group, 'de')})" if term.group else ""
    doc_en = f" ({_q(term.group, 'en')})" if term.group else ""
    return Problem(f"{noun_de} gehört zum Konzept von {town_de}{doc}, nicht zu den Konzepten für {area_label}. "
                   f"Bitte ein Handlungsfeld oder Ziel aus dem Blatt „{sheet_list}“ dieser Vorlage wählen.",
                   f"{noun_en} belongs to the concept of {town_de}{doc_en}, not to the concepts for {area_label}. "
                   f"Please choose one from the sheet „{sheet_list}“ of this template.",
                   sheet, row, column, value)


WHAT["lebensphase"] = WHAT["lebensphasen"]
WHAT["zielgruppe"] = WHAT["zielgruppen"]
WHAT["akteur"] = WHAT["partner"]

quote = _q
as_text = _as_text
match_problem = _match_problem


_PREFIXED = re.compile(r"(?<![\w/<])([a-z][a-z0-9]*):([A-Za-z][\w-]*)")
_BRACKETED = re.compile(r"<(https?://[^>\s]+)>")
_LABELS = ("http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2004/02/skos/core#prefLabel")
_SECTION = "https://w3id.org/inko/def#abschnitt"


def plain_report(report, triples, lang: str = "de") -> None:
    """Say a validation report in the words of the sheets, in place: a property or class named in a
    rule's message by its short name (``inko:akteursart``) or address is named by its label („Art des
    Akteurs“); an entry without a label by its place in the file („Blatt Aktivitäten, Zeile 4“).
    ``triples``: the import's own statements and its context (vocabularies, ontology)."""
    from ..namespaces import PREFIXES

    names: dict[str, dict[str, str]] = {"de": {}, "en": {}}
    places: dict[str, str] = {}
    for t in triples:
        p = t.predicate.value
        if p in _LABELS and getattr(t.object, "language", None) in names:
            names[t.object.language].setdefault(t.subject.value, t.object.value)
        elif p == _SECTION and t.object.value.startswith("Blatt "):
            places.setdefault(t.subject.value, t.object.value)

    def said(text: str, language: str) -> str:
        known = names[language]
        q = (lambda s: f'"{s}"') if language == "en" else (lambda s: f"„{s}“")

        def prefixed(m):
            iri = PREFIXES.get(m.group(1), "\0") + m.group(2)
            return q(known[iri]) if iri in known else m.group(0)

        text = _PREFIXED.sub(prefixed, text)
        return _BRACKETED.sub(lambda m: q(known[m.group(1)]) if m.group(1) in known else
                              q(places.get(m.group(1), m.group(1).rstrip("/").rsplit("/", 1)[-1])), text)

    for r in report.results:
        r.message_de = said(r.message_de or "", "de")
        r.message_en = said(r.message_en or "", "en")
        if r.focus not in report.labels:
            report.labels[r.focus] = (names["de"].get(r.focus) or places.get(r.focus)
                                      or "Eintrag „" + r.focus.rstrip("/").rsplit("/", 1)[-1] + "“")

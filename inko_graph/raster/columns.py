"""The fields of the Raster: the rows of the sheet „Akteur“ and the columns of „Aktivitäten“.

Workbook and CSV use the same names. Headers are recognised forgivingly (case, spaces, umlauts,
a few other words people use), see :func:`find_field`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["Field", "ACTOR_FIELDS", "ACTIVITY_COLUMNS", "ACTOR_SHEET", "ACTIVITY_SHEET", "INSTRUCTIONS_SHEET",
           "find_field", "norm", "translit", "MULTI_SEPARATOR"]

ACTOR_SHEET = "Akteur"
ACTIVITY_SHEET = "Aktivitäten"
INSTRUCTIONS_SHEET = "Anleitung"
#: Several values in one cell are separated by this.
MULTI_SEPARATOR = ";"


@dataclass(frozen=True)
class Field:
    key: str
    name: str
    required: bool
    hint_de: str
    hint_en: str
    aliases: tuple[str, ...] = ()
    multi: bool = False
    max_length: int = 1000


ACTOR_FIELDS: tuple[Field, ...] = (
    Field("name", "Organisation", True, "Name der Organisation, die meldet (kein Personenname).",
          "Name of the reporting organisation (not a person's name).",
          ("Name der Organisation", "Name", "Akteur", "Träger", "Einrichtung"), max_length=200),
    Field("art", "Art des Akteurs", True, "Aus der Liste wählen (Blatt „Akteursarten“).",
          "Choose from the list (sheet „Akteursarten“).", ("Akteursart", "Art"), max_length=200),
    Field("gebiet", "Gebiet", True, "Stadt oder Kreis, in dem die Organisation arbeitet (Blatt „Gebiete“).",
          "Town or county where the organisation works (sheet „Gebiete“).", ("Stadt", "Kommune", "Ort"), max_length=200),
    Field("jahr", "Berichtsjahr", False, "Das Jahr, für das die Aktivitäten gemeldet werden (z. B. 2026).",
          "The year the activities are reported for (e.g. 2026).", ("Jahr", "Meldejahr"), max_length=100),
    Field("selbstdarstellung", "Selbstdarstellung", False, "Wer sind Sie, was tun Sie? Ein paar Sätze.",
          "Who are you, what do you do? A few sentences.", ("Selbstdarstellung des Akteurs", "Über uns"),
          max_length=5000),
    Field("anschrift", "Postanschrift", False, "Öffentliche Postanschrift der Organisation (keine Anschrift von Personen).",
          "Public postal address of the organisation (never of a person).", ("Anschrift", "Adresse", "Postadresse"),
          max_length=300),
    Field("website", "Internetseite", False, "Internetseite der Organisation, z. B. https://www.beispiel.de",
          "Website of the organisation, e.g. https://www.example.org", ("Website", "Webseite", "Homepage", "Internet"),
          max_length=300),
    Field("hinweis", "Hinweis", False, "Bemerkung zur Meldung (wird mit der Meldung gespeichert).",
          "Remark about the submission (saved with it).", ("Bemerkung", "Anmerkung", "Hinweis zur Meldung"),
          max_length=2000),
)

ACTIVITY_COLUMNS: tuple[Field, ...] = (
    Field("titel", "Titel", True, "Kurzer Name der Aktivität; jeder Titel nur einmal.",
          "Short name of the activity; each title once.", ("Aktivität", "Titel der Aktivität", "Angebot"),
          max_length=300),
    Field("beschreibung", "Beschreibung", False, "Was geschieht, für wen, wie oft?",
          "What happens, for whom, how often?", ("Darstellung", "Darstellung geplanter Aktivitäten", "Inhalt"),
          max_length=10000),
    Field("handlungsfeld", "Handlungsfeld", True, "Aus der Liste wählen (Blatt „Handlungsfelder“).",
          "Choose from the list (sheet „Handlungsfelder“).", ("Handlungsfelder",), multi=True, max_length=500),
    Field("ziele", "Ziele", True, "Ziel aus der Liste wählen; mehrere mit ; trennen. Auch Kurzformen wie „Leitziel 3“.",
          "Choose a goal from the list; separate several with ;. Short forms such as „Leitziel 3“ work too.",
          ("Ziel", "Welchen Zielen dienen die Aktivitäten?", "Zielbezug"), multi=True, max_length=3000),
    Field("lebensphasen", "Lebensphasen", True, "Aus der Liste wählen; mehrere mit ; trennen.",
          "Choose from the list; separate several with ;.", ("Lebensphase",), multi=True, max_length=500),
    Field("zielgruppen", "Zielgruppen", False, "Aus der Liste wählen; mehrere mit ; trennen.",
          "Choose from the list; separate several with ;.", ("Zielgruppe",), multi=True, max_length=1000),
    Field("von", "Zeitraum von", False, "Beginn als Datum (TT.MM.JJJJ) oder Jahr.",
          "Start as a date (DD.MM.YYYY) or a year.", ("von", "Beginn", "Start", "Zeitraum (von)"), max_length=30),
    Field("bis", "Zeitraum bis", False, "Ende als Datum (TT.MM.JJJJ) oder Jahr; leer, wenn laufend.",
          "End as a date (DD.MM.YYYY) or a year; empty if ongoing.", ("bis", "Ende", "Zeitraum (bis)"), max_length=30),
    Field("partner", "Partner", False, "Beteiligte Organisationen; mehrere mit ; trennen (keine Personen).",
          "Organisations taking part; separate several with ; (no persons).", ("Partnerinnen", "Kooperationspartner",
                                                                               "Beteiligte"), multi=True, max_length=2000),
    Field("quellen", "Statistische Quellen", False, "Statistische Daten, auf die sich die Aktivität stützt; mehrere mit ; trennen.",
          "Statistical data the activity relies on; separate several with ;.", ("Statistische Daten", "Quellen",
                                                                                "Datenquellen"), multi=True, max_length=2000),
)

_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def translit(text: str) -> str:
    """Lower case ASCII-like text: ä -> ae, ö -> oe, ü -> ue, ß -> ss, other accents dropped."""
    t = unicodedata.normalize("NFC", str(text)).casefold().translate(_TRANSLIT)
    t = unicodedata.normalize("NFKD", t)
    return "".join(ch for ch in t if not unicodedata.combining(ch))


def norm(text: str) -> str:
    """A compact key for forgiving comparison: case, umlaut spellings, spaces, hyphens, punctuation."""
    return re.sub(r"[^0-9a-z]+", "", translit(text))


def find_field(header: str, fields: tuple[Field, ...]) -> Field | None:
    """The field a header names: its own name first, then the other words for it."""
    key = norm(header)
    if not key:
        return None
    for f in fields:
        if key == norm(f.name):
            return f
    for f in fields:
        if key in {norm(a) for a in f.aliases}:
            return f
    return None

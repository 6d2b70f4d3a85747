"""Sheets and columns of the Konzept workbook (header in the first row; the sheet „Konzept“ as Feld/Angabe).

Several values in one cell are separated by ``;``. The column „Kennung“ is optional: the export
fills it with the short IRI (``id:hattingen/leitziel/1``) so that an exported concept keeps its
IRIs when it comes back; a new concept leaves it empty and the IRIs are made from the numbers.
"""

from __future__ import annotations

from ..raster.columns import Field, find_field, norm

__all__ = ["KONZEPT_SHEET", "KONZEPT_FIELDS", "TABLES", "Table", "INSTRUCTIONS_SHEET", "table", "find_field", "norm",
           "ZIELARTEN"]

INSTRUCTIONS_SHEET = "Anleitung"
KONZEPT_SHEET = "Konzept"

_K = "Kurzform der IRI; nur beim Export ausgefüllt. Bei neuen Einträgen leer lassen."
_Q = "Nur wenn der Eintrag aus einem anderen Dokument stammt als das Konzept (sonst gilt die Quelle im Blatt „Konzept“)."


def F(key, name, required, hint, aliases=(), multi=False, max_length=1000):  # noqa: N802 - a short constructor
    return Field(key, name, required, hint, hint, tuple(aliases), multi, max_length)


KONZEPT_FIELDS: tuple[Field, ...] = (
    F("titel", "Titel", True, "Titel des Konzepts, wie er auf dem Dokument steht.", ("Name", "Konzept"), max_length=300),
    F("gebiet", "Gebiet", True, "Die Stadt (oder der Kreis), für die das Konzept gilt (Blatt „Gebiete“).",
      ("Stadt", "Kommune"), max_length=200),
    F("jahr", "Jahr", True, "Jahr des Beschlusses oder der Veröffentlichung, z. B. 2026.", ("Jahr des Beschlusses",),
      max_length=20),
    F("herausgeber", "Herausgeber", False, "Die Organisation, die das Konzept herausgibt, z. B. Stadt Sprockhövel.",
      ("Herausgeberin", "Verfasser"), max_length=300),
    F("quelle", "Quelle", False, "Wo das Dokument steht: Internetadresse (https://…) oder Kurzform eines "
      "Quelldokuments (q:003).", ("Fundstelle", "Dokument", "Link"), max_length=500),
    F("kennung", "Kennung", False, _K, ("IRI",), max_length=300),
)

#: The kinds of goal, as the column „Art“ names them, and their classes (local names in inko:).
ZIELARTEN = {"Leitziel": "Leitziel", "Teilziel": "Teilziel", "Leitthema": "Leitthema",
             "Monitoringziel": "Monitoringziel", "Jahresziel": "Jahresziel", "Ziel": "Ziel"}


class Table:
    """A sheet with a header row: its key, title, other names and columns."""

    def __init__(self, key: str, title: str, columns: tuple[Field, ...], aliases: tuple[str, ...] = (),
                 required: bool = True):
        self.key, self.title, self.columns, self.aliases, self.required = key, title, columns, aliases, required

    def column(self, key: str) -> Field:
        return next(f for f in self.columns if f.key == key)


TABLES: tuple[Table, ...] = (
    Table("handlungsfelder", "Handlungsfelder", (
        F("nr", "Nr", False, "Nummer des Handlungsfelds im Konzept, z. B. 1 oder 2.3.", ("Nummer",), max_length=30),
        F("name", "Handlungsfeld", True, "Bezeichnung des Handlungsfelds.", ("Bezeichnung", "Name"), max_length=300),
        F("beschreibung", "Beschreibung", False, "Was zu diesem Feld gehört (freiwillig).", ("Erläuterung",),
          max_length=5000),
        F("abschnitt", "Abschnitt", False, "Kapitel oder Abschnitt des Dokuments, z. B. 3.2; mehrere mit ; trennen.",
          ("Kapitel",), multi=True, max_length=300),
        F("quelle", "Quelle", False, _Q, ("Fundstelle",), multi=True, max_length=500),
        F("kennung", "Kennung", False, _K, ("IRI",), max_length=300),
    ), ("Felder",), required=False),
    Table("ziele", "Ziele", (
        F("nr", "Nr", False, "Nummer des Ziels, z. B. 1 oder 1.2; jede Nummer nur einmal je Art.", ("Nummer",),
          max_length=30),
        F("ziel", "Ziel", True, "Wortlaut des Ziels.", ("Wortlaut", "Bezeichnung"), max_length=2000),
        F("art", "Art", False, "Leitziel, Teilziel, Leitthema, Monitoringziel oder Jahresziel (Blatt „Zielarten“). "
          "Leer: Leitziel, wenn „Übergeordnet“ leer ist, sonst Teilziel.", ("Zielart",), max_length=40),
        F("uebergeordnet", "Übergeordnet", False, "Nr des höheren Ziels; leer bei einem Leitziel.",
          ("Übergeordnetes Ziel", "Oberziel"), max_length=100),
        F("handlungsfeld", "Handlungsfeld", False, "Handlungsfeld aus dem Blatt „Handlungsfelder“ (Nr oder Name).",
          ("Handlungsfelder",), multi=True, max_length=500),
        F("lebensphase", "Lebensphase", False, "Aus der Liste wählen; mehrere mit ; trennen.", ("Lebensphasen",),
          multi=True, max_length=500),
        F("zielgruppe", "Zielgruppe", False, "Aus der Liste wählen; mehrere mit ; trennen.", ("Zielgruppen",),
          multi=True, max_length=1000),
        F("kreisziel", "Kreisziel", False, "Das Ziel des Kreiskonzepts, dem dieses Ziel dient (Blatt „Kreisziele“).",
          ("Kreisziele", "Ziel des Kreises"), multi=True, max_length=2000),
        F("beschreibung", "Beschreibung", False, "Längerer Wortlaut oder Erläuterung (freiwillig).", ("Erläuterung",),
          max_length=5000),
        F("abschnitt", "Abschnitt", False, "Kapitel oder Abschnitt des Dokuments, z. B. 3.3; mehrere mit ; trennen.",
          ("Kapitel",), multi=True, max_length=300),
        F("quelle", "Quelle", False, _Q, ("Fundstelle",), multi=True, max_length=500),
        F("kennung", "Kennung", False, _K, ("IRI",), max_length=300),
    )),
    Table("massnahmen", "Maßnahmen", (
        F("nr", "Nr", False, "Nummer der Maßnahme, z. B. 1 oder 4.2.", ("Nummer",), max_length=30),
        F("name", "Maßnahme", True, "Kurzer Wortlaut der Maßnahme.", ("Bezeichnung", "Titel"), max_length=2000),
        F("beschreibung", "Beschreibung", False, "Längerer Wortlaut (freiwillig).", ("Erläuterung",), max_length=10000),
        F("ziel", "Ziel", False, "Nr des Ziels, dem die Maßnahme dient (Blatt „Ziele“); mehrere mit ; trennen.",
          ("Ziele", "Ziel Nr"), multi=True, max_length=500),
        F("handlungsfeld", "Handlungsfeld", False, "Handlungsfeld aus dem Blatt „Handlungsfelder“ (Nr oder Name).",
          ("Handlungsfelder",), multi=True, max_length=500),
        F("zustaendig", "Zuständig", False, "Zuständige Organisation(en) aus dem Blatt „Akteure“; mehrere mit ; trennen.",
          ("Zuständige Organisation", "Träger"), multi=True, max_length=2000),
        F("zustaendigkeit", "Zuständigkeit", False, "Art der Zuständigkeit, wenn keine Organisation genannt ist "
          "(Blatt „Zuständigkeiten“).", ("Zuständigkeitskategorie",), multi=True, max_length=300),
        F("wer", "Wer", False, "Wer zuständig ist, im Wortlaut des Dokuments (freiwillig).", ("Wer (Wortlaut)",),
          max_length=1000),
        F("wann", "Wann", False, "Wann umgesetzt wird, im Wortlaut des Dokuments (freiwillig).", ("Wann (Wortlaut)",),
          max_length=1000),
        F("lebensphase", "Lebensphase", False, "Aus der Liste wählen; mehrere mit ; trennen.", ("Lebensphasen",),
          multi=True, max_length=500),
        F("zielgruppe", "Zielgruppe", False, "Aus der Liste wählen; mehrere mit ; trennen.", ("Zielgruppen",),
          multi=True, max_length=1000),
        F("zeithorizont", "Zeithorizont", False, "kurzfristig, mittelfristig, langfristig oder laufend "
          "(Blatt „Zeithorizonte“).", (), multi=True, max_length=200),
        F("indikator", "Indikator", False, "Nr oder Name eines Indikators aus dem Blatt „Indikatoren“.",
          ("Indikatoren",), multi=True, max_length=1000),
        F("abschnitt", "Abschnitt", False, "Kapitel oder Abschnitt des Dokuments; mehrere mit ; trennen.",
          ("Kapitel",), multi=True, max_length=300),
        F("quelle", "Quelle", False, _Q, ("Fundstelle",), multi=True, max_length=500),
        F("kennung", "Kennung", False, _K, ("IRI",), max_length=300),
    ), ("Massnahmen",), required=False),
    Table("akteure", "Akteure", (
        F("name", "Name", True, "Name der Organisation (keine Personen). Bekannte stehen im Blatt „Bekannte Akteure“.",
          ("Organisation", "Akteur"), max_length=300),
        F("art", "Art", False, "Art der Organisation (Blatt „Akteursarten“).", ("Akteursart",), max_length=200),
        F("gebiet", "Gebiet", False, "Stadt oder Kreis der Organisation (Blatt „Gebiete“).", ("Stadt",),
          max_length=200),
        F("kennung", "Kennung", False, _K, ("IRI",), max_length=300),
    ), ("Organisationen",), required=False),
    Table("indikatoren", "Indikatoren", (
        F("nr", "Nr", False, "Nummer des Indikators, z. B. 1.", ("Nummer",), max_length=30),
        F("name", "Indikator", True, "Bezeichnung des Indikators.", ("Bezeichnung", "Name"), max_length=500),
        F("art", "Art", False, "Grundzahl, Kennzahl oder qualitativer Indikator (Blatt „Indikatorarten“).",
          ("Indikatorart",), max_length=100),
        F("misst", "Misst Ziel", False, "Nr des Ziels, dessen Erreichung der Indikator zeigt; mehrere mit ; trennen.",
          ("Ziel", "Ziele", "Misst"), multi=True, max_length=500),
        F("einheit", "Einheit", False, "Anzahl, Prozent …", (), max_length=100),
        F("datenquelle", "Datenquelle", False, "Woher die Werte kommen; mehrere mit ; trennen.", ("Quelle",),
          multi=True, max_length=1000),
        F("abschnitt", "Abschnitt", False, "Kapitel oder Abschnitt des Dokuments; mehrere mit ; trennen.",
          ("Kapitel",), multi=True, max_length=300),
        F("quelle", "Quelle", False, _Q, ("Fundstelle",), multi=True, max_length=500),
        F("kennung", "Kennung", False, _K, ("IRI",), max_length=300),
    ), (), required=False),
)


def table(key: str) -> Table:
    return next(t for t in TABLES if t.key == key)

"""A filled-in Konzept workbook for a new town (Sprockhövel), built from the real template."""

from __future__ import annotations

import io

import openpyxl

from inko_graph.konzept.lists import load_lists
from inko_graph.konzept.template import build_book, template_bytes
from inko_graph.raster.template import resolve_town

KONZEPT = {"Titel": "Integrationskonzept der Stadt Sprockhövel", "Gebiet": "Sprockhövel", "Jahr": 2026,
           "Herausgeber": "Stadt Sprockhövel", "Quelle": "https://www.sprockhoevel.de/integrationskonzept-2026.pdf"}
FELDER = [["1", "Sprache und Bildung", None, "2.1"], ["2", "Arbeit", None, "2.2"]]
# Nr, Ziel, Art, Übergeordnet, Handlungsfeld, Lebensphase, Zielgruppe, Kreisziel, Beschreibung, Abschnitt
ZIELE = [
    ["1", "Alle Kinder sprechen bei der Einschulung gut Deutsch.", None, None, "Sprache und Bildung",
     "Frühe Kindheit", "Kinder", "Leitthema 1", None, "3.1"],
    ["1.1", "Jede Kita bietet alltagsintegrierte Sprachförderung an.", None, "1", "1", "Frühe Kindheit", None, None,
     None, "3.1"],
    ["2", "Zugewanderte finden schneller eine Arbeit, die ihrer Qualifikation entspricht.", None, None, "2",
     "Erwerbsalter", "Neuzugewanderte", None, None, "3.2"],
]
# Nr, Maßnahme, Beschreibung, Ziel, Handlungsfeld, Zuständig, Zuständigkeit, Wer, Wann, Lebensphase, Zielgruppe,
# Zeithorizont, Indikator, Abschnitt
MASSNAHMEN = [
    ["1", "Sprachcafé für Eltern", None, "1.1", "1", "Stadt Sprockhövel", None, None, None, "Frühe Kindheit",
     "Eltern", "kurzfristig", "1", "4"],
    ["2", "Beratung zur Anerkennung ausländischer Abschlüsse", None, "2", "2", "Stadt Sprockhövel", "Kreis", None,
     "ab 2027", "Erwerbsalter", None, "mittelfristig", None, "4"],
]
AKTEURE = [["Stadt Sprockhövel", "Verwaltung", "Sprockhövel"]]
INDIKATOREN = [["1", "Anteil der Kinder mit Sprachförderbedarf bei der Einschulung", "Kennzahl", "1", "Prozent",
                "Schuleingangsuntersuchung", "5"]]


def template(store, settings, town: str = "Sprockhövel", fmt: str = "xlsx") -> bytes:
    area = resolve_town(store, settings, town)
    return template_bytes(build_book(load_lists(store, settings.queries_dir, area)), fmt)


def _header_index(ws) -> dict[str, int]:
    return {c.value: i for i, c in enumerate(ws[1], start=1) if c.value}


def fill(data: bytes, *, konzept=None, felder=None, ziele=None, massnahmen=None, akteure=None,
         indikatoren=None) -> openpyxl.Workbook:
    """The template with rows; each list is in the column order of the constants above."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["Konzept"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value in (konzept or KONZEPT):
            row[1].value = (konzept or KONZEPT)[row[0].value]
    for title, rows, heads in (
            ("Handlungsfelder", FELDER if felder is None else felder, ["Nr", "Handlungsfeld", "Beschreibung", "Abschnitt"]),
            ("Ziele", ZIELE if ziele is None else ziele,
             ["Nr", "Ziel", "Art", "Übergeordnet", "Handlungsfeld", "Lebensphase", "Zielgruppe", "Kreisziel",
              "Beschreibung", "Abschnitt"]),
            ("Maßnahmen", MASSNAHMEN if massnahmen is None else massnahmen,
             ["Nr", "Maßnahme", "Beschreibung", "Ziel", "Handlungsfeld", "Zuständig", "Zuständigkeit", "Wer", "Wann",
              "Lebensphase", "Zielgruppe", "Zeithorizont", "Indikator", "Abschnitt"]),
            ("Akteure", AKTEURE if akteure is None else akteure, ["Name", "Art", "Gebiet"]),
            ("Indikatoren", INDIKATOREN if indikatoren is None else indikatoren,
             ["Nr", "Indikator", "Art", "Misst Ziel", "Einheit", "Datenquelle", "Abschnitt"])):
        ws = wb[title]
        idx = _header_index(ws)
        for r, values in enumerate(rows, start=2):
            for head, value in zip(heads, values):
                ws.cell(row=r, column=idx[head], value=value)
    return wb


def to_bytes(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

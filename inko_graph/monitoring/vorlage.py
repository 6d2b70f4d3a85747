"""The monitoring template as a real workbook (.xlsx or .ods) with choice lists, or as the CSV file.

The sheet „Werte“ has the columns of the CSV import (indikator, gebiet, zeitraum, wert, einheit,
quelle); indicator and area are chosen from the lists „Indikatoren“ and „Gebiete“ taken from the
graph, so every value offered is one the import accepts. A filled-in workbook is read back by
:func:`workbook_as_csv` into the CSV form the import checks, keeping the row numbers.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

from ..workbook.book import Book, Choice, Rule, Sheet
from ..workbook.files import checked_format, write_atomic
from ..workbook.ods import ods_bytes
from ..workbook.problems import Problem, SheetError
from ..workbook.reading import clean, find_sheet, open_book
from ..workbook.xlsx import xlsx_bytes
from .model import COLUMNS, TEMPLATE_PATH, areas, indicators

__all__ = ["build_book", "write_vorlage", "workbook_as_csv", "VALUES_SHEET", "explanation"]

VALUES_SHEET = "Werte"
FORM_ROWS = 1000
_HINTS = {"indikator": "Bezeichnung des Indikators (Blatt „Indikatoren“).",
          "gebiet": "Stadt, Kreis oder Land (Blatt „Gebiete“).",
          "zeitraum": "Jahr (2012) oder Stichtag (31.12.2012).",
          "wert": "Zahl, z. B. 19,6.", "einheit": "Anzahl, Prozent … (leer: die Einheit des Indikators).",
          "quelle": "Woher der Wert stammt, z. B. IT.NRW, Zensus 2011."}


def explanation() -> list[str]:
    """The comment lines of the CSV template, as the text of the sheet „Anleitung“."""
    lines = ["Vorlage für neue Werte des Monitorings", ""]
    for line in TEMPLATE_PATH.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            lines.append(line.lstrip("# ").rstrip())
    lines += ["", "In der Arbeitsmappe: je Wert eine Zeile im Blatt „Werte“. Indikator und Gebiet aus der Auswahlliste "
              "wählen (kleiner Pfeil rechts an der Zelle). Speichern als .xlsx (Excel) oder .ods (LibreOffice) und "
              "einlesen mit: inko-graph monitoring import DATEI", "",
              "Beim Import wird jede Zeile geprüft; gibt es Fehler, wird nichts gespeichert, und jeder Fehler wird "
              "mit Zeile, Spalte, Wert und dem, was erlaubt ist, genannt."]
    return lines


def _offered_names(things: dict) -> list[str]:
    """What the drop-down offers: the name, or the short IRI where a name would be ambiguous for the import
    (it compares names forgivingly, as :class:`.model.Names` does); qualitative indicators have no values."""
    from ..namespaces import shorten
    from .model import Names

    names = Names(things, "")
    out = []
    for iri, t in things.items():
        if getattr(t, "qualitativ", False):
            continue
        found, _ = names.find(t.name) if t.name else (None, None)
        out.append(t.name if found == iri else shorten(iri))
    return sorted(set(out), key=str.casefold)


def build_book(store, queries_dir=None, rows: int = FORM_ROWS) -> Book:
    inds = _offered_names(indicators(store, queries_dir))
    gebs = _offered_names(areas(store, queries_dir))
    guide = Sheet("Anleitung", rows=[[x or None] for x in explanation()], widths={0: 110}, wrap=True, bold_rows={1})
    werte = Sheet(VALUES_SHEET, rows=[list(COLUMNS)], bold_rows={1}, freeze_header=True, form_rows=rows,
                  widths={0: 50, 1: 28, 2: 14, 3: 14, 4: 14, 5: 40})
    werte.choices = [Choice(f"A2:A{rows + 1}", "Indikatoren", len(inds), True, "indikator", _HINTS["indikator"]),
                     Choice(f"B2:B{rows + 1}", "Gebiete", len(gebs), True, "gebiet", _HINTS["gebiet"])]
    werte.rules = [Rule(f"F2:F{rows + 1}", "length", 0, 500, "quelle", _HINTS["quelle"], "Zu lang",
                        "Höchstens 500 Zeichen.")]
    lists = [Sheet("Indikatoren", rows=[["Auswahl"]] + [[x] for x in inds], widths={0: 70}, bold_rows={1},
                   protected=True),
             Sheet("Gebiete", rows=[["Auswahl"]] + [[x] for x in gebs], widths={0: 40}, bold_rows={1}, protected=True)]
    return Book([guide, werte] + lists, active=1)


def write_vorlage(out: Path, store, queries_dir=None) -> list[Path]:
    """Write the template in the format ``out``'s name says (.xlsx, .ods or .csv)."""
    fmt = checked_format(out)
    if fmt == "csv":
        write_atomic(out, TEMPLATE_PATH.read_bytes())
        return [out]
    book = build_book(store, queries_dir)
    write_atomic(out, ods_bytes(book) if fmt == "ods" else xlsx_bytes(book))
    return [out]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float):
        return repr(value).replace(".", ",")   # a decimal comma: "326.049" would read as thousands
    return str(value)


def workbook_as_csv(data: bytes, name: str, fmt: str, *, max_bytes: int) -> bytes:
    """The sheet „Werte“ of a workbook as CSV text for the import; row numbers are kept as line numbers."""
    book = open_book(data, name, max_unpacked=max(20 * max_bytes, 50_000_000), fmt=fmt)
    try:
        from ..raster.columns import norm

        title = find_sheet(book, {norm(VALUES_SHEET), norm("Monitoring"), norm("Tabelle1")}, norm)
        if title is None:
            raise SheetError(name, [Problem("Das Blatt fehlt. Bitte die Monitoring-Vorlage verwenden.",
                                            "The sheet is missing.", VALUES_SHEET,
                                            allowed_de="vorhanden sind: " + ", ".join(book.sheetnames))])
        problems, lines, last = [], [], 0
        for number, cells in book.rows(title):
            lines += [""] * (number - last - 1)
            last = number
            for c in cells:
                if c.formula:
                    problems.append(Problem("Formeln sind nicht erlaubt. Bitte den Wert selbst eintragen.",
                                            "Formulas are not allowed.", title, number, None, str(c.value)))
            buf = io.StringIO()
            csv.writer(buf, delimiter=";", lineterminator="").writerow([_text(clean(c.value)) for c in cells])
            lines.append(buf.getvalue())
        if problems:
            raise SheetError(name, problems)
    finally:
        book.close()
    return ("\n".join(lines) + "\n").encode("utf-8")

"""The Konzept workbook: an explanation sheet, the form sheets and the lists, as .xlsx, .ods or CSV files.

The same description (:func:`build_book`) is the empty template and, filled with the rows of a
concept of the graph, the export (:mod:`.export`). Drop-downs: vocabulary columns are bound to the
list sheets taken from the graph (for a Gebiet: exactly what the import for it accepts); the
references inside the workbook (higher goal, goal of a measure, field, organisation, indicator)
are bound to the workbook's own sheets, so a number written in „Ziele“ is offered in „Maßnahmen“.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from ..raster.reading import neutralise
from ..raster.vocab import Term
from ..workbook.book import Book, Choice, Rule, Sheet, column_letter
from ..workbook.files import checked_format, write_atomic
from ..workbook.ods import ods_bytes
from ..workbook.xlsx import xlsx_bytes
from .columns import INSTRUCTIONS_SHEET, KONZEPT_FIELDS, KONZEPT_SHEET, TABLES
from .lists import Lists, ancestors

__all__ = ["build_book", "template_bytes", "write_book", "instructions", "csv_files", "FORM_ROWS", "LIST_COLUMNS",
           "csv_name"]

#: Rows of each form sheet that get drop-downs (more rows may be filled; they are read all the same).
FORM_ROWS = 500

LIST_COLUMNS = {
    "Kreisziele": [("Auswahl", lambda t: t.display), ("Kürzel", lambda t: t.code), ("Konzept", lambda t: t.group),
                   ("Art", lambda t: t.kind), ("Nummer", lambda t: t.notation), ("Wortlaut", lambda t: t.label)],
    "Bekannte Akteure": [("Auswahl", lambda t: t.display), ("Kürzel", lambda t: t.code),
                         ("weitere Namen", lambda t: "; ".join(t.synonyms))],
}
_DEFAULT_COLUMNS = [("Auswahl", lambda t: t.display), ("Kürzel", lambda t: t.code),
                    ("Erläuterung", lambda t: t.note), ("weitere Bezeichnungen", lambda t: "; ".join(t.synonyms))]

#: Drop-downs of the form sheets: column key -> (list sheet, column of it, strict)
_VOCAB = {"lebensphase": ("Lebensphasen", False), "zielgruppe": ("Zielgruppen", False),
          "zustaendigkeit": ("Zuständigkeiten", False), "zeithorizont": ("Zeithorizonte", False),
          "kreisziel": ("Kreisziele", False)}
_OWN = {("ziele", "art"): ("Zielarten", "A", True), ("ziele", "uebergeordnet"): ("Ziele", "A", False),
        ("ziele", "handlungsfeld"): ("Handlungsfelder", "B", False),
        ("massnahmen", "ziel"): ("Ziele", "A", False), ("massnahmen", "handlungsfeld"): ("Handlungsfelder", "B", False),
        ("massnahmen", "zustaendig"): ("Akteure", "A", False), ("massnahmen", "indikator"): ("Indikatoren", "B", False),
        ("akteure", "name"): ("Bekannte Akteure", "A", False), ("akteure", "art"): ("Akteursarten", "A", True),
        ("akteure", "gebiet"): ("Gebiete", "A", True), ("indikatoren", "art"): ("Indikatorarten", "A", True),
        ("indikatoren", "misst"): ("Ziele", "A", False)}


def offered(lists: Lists) -> dict[str, list[Term]]:
    """The list sheets; for a town the Gebiete are the town and the larger ones it lies in."""
    sheets = lists.sheets()
    if lists.area is not None:
        up = ancestors(lists.area.iri, lists.alle_gebiete)
        sheets["Gebiete"] = [lists.area] + [t for g in up for t in lists.alle_gebiete if t.iri == g]
    return sheets


def instructions(area: Term | None) -> list[str]:
    town = f" für {area.label}" if area else ""
    lines = [
        f"Konzept-Arbeitsmappe{town}: ein Integrationskonzept für den Wissensgraphen",
        "",
        "Mit dieser Arbeitsmappe bringt eine Stadt ihr Integrationskonzept in den Wissensgraphen, ohne etwas "
        "zu programmieren: Ziele, Handlungsfelder, Maßnahmen, Zuständige und Indikatoren. Danach zeigt das "
        "Cockpit, welche Ziele des Kreises das Konzept aufgreift, für welche Lebensphasen es etwas tut und wo "
        "Lücken sind.",
        "",
        "So füllen Sie die Mappe aus:",
        f"1. Blatt „{KONZEPT_SHEET}“: Titel, Gebiet (Ihre Stadt), Jahr, Herausgeber und Quelle (Internetadresse "
        "des Dokuments). Titel, Gebiet und Jahr sind Pflicht.",
        "2. Blatt „Handlungsfelder“: je Handlungsfeld eine Zeile mit Nr und Name (freiwillig, wenn das Konzept "
        "keine Handlungsfelder hat).",
        "3. Blatt „Ziele“: je Ziel eine Zeile. Nr und Wortlaut; „Übergeordnet“ ist die Nr des höheren Ziels "
        "(leer bei einem Leitziel). Art, Handlungsfeld, Lebensphase, Zielgruppe und Kreisziel haben "
        "Auswahllisten (kleiner Pfeil rechts an der Zelle).",
        "4. Blatt „Maßnahmen“: je Maßnahme eine Zeile; „Ziel“ ist die Nr des Ziels, dem sie dient. "
        "Zuständige Organisationen stehen im Blatt „Akteure“.",
        "5. Blatt „Akteure“: die Organisationen, die das Konzept nennt (keine Personen). Bekannte "
        "Organisationen stehen im Blatt „Bekannte Akteure“; neue werden beim Import angelegt.",
        "6. Blatt „Indikatoren“: woran gemessen wird, ob ein Ziel erreicht ist (freiwillig).",
        "7. Mehrere Werte in einer Zelle mit Semikolon ; trennen, z. B. „1.1; 1.2“ oder „Schulalter; Alter“.",
        "8. „Abschnitt“: das Kapitel des Dokuments, in dem der Eintrag steht (z. B. 3.3). So bleibt "
        "nachvollziehbar, woher jede Aussage stammt.",
        "9. Die Spalte „Kennung“ füllt nur der Export; bei neuen Einträgen bleibt sie leer.",
        "",
        "Speichern als Excel-Arbeitsmappe (.xlsx) oder OpenDocument-Tabelle (.ods, LibreOffice), ohne "
        "Kennwortschutz. Hochladen im Cockpit oder: inko-graph konzept import DATEI.",
        "",
        "Beim Import wird die ganze Mappe geprüft. Gibt es Fehler, wird nichts gespeichert, und jeder Fehler "
        "wird mit Blatt, Zeile, Spalte, dem eingetragenen Wert und dem, was erwartet wird, genannt "
        "(unbekannter Begriff mit „Meinten Sie …?“, eine Maßnahme mit einer Ziel-Nr, die es nicht gibt, "
        "übergeordnete Ziele, die einen Kreis bilden, fehlendes Gebiet, doppelte Nummern). Ein neuer Import "
        "desselben Konzepts ersetzt den früheren; die frühere Fassung bleibt zum Vergleich erhalten.",
        "",
        "Formeln sind nicht erlaubt; bitte nur Werte eintragen.",
        "",
    ]
    for t in TABLES:
        lines.append(f"Die Spalten im Blatt „{t.title}“:")
        lines += [f"• {f.name}{' (Pflicht)' if f.required else ''}: {f.hint_de}" for f in t.columns]
        lines.append("")
    lines.append(f"Vorlage erstellt am {date.today().strftime('%d.%m.%Y')} aus dem Wissensgraphen"
                 f"{f' (Gebiet: {area.label})' if area else ''}.")
    return lines


def _list_sheet(title: str, terms: list[Term]) -> Sheet:
    cols = LIST_COLUMNS.get(title, _DEFAULT_COLUMNS)
    rows = [[h for h, _ in cols]] + [[get(t) or None for _, get in cols] for t in terms]
    return Sheet(title, rows=rows, widths={0: 70 if title == "Kreisziele" else 40, 1: 36}, bold_rows={1},
                 protected=True, freeze_header=True)


def build_book(lists: Lists, data: dict | None = None, *, rows: int = FORM_ROWS) -> Book:
    """The workbook; ``data`` (from the export) fills the form: ``{"konzept": {key: value}, "<table>": [{key: value}]}``."""
    data = data or {}
    sheets = offered(lists)
    area = lists.area
    guide = Sheet(INSTRUCTIONS_SHEET, rows=[[x or None] for x in instructions(area)], widths={0: 120}, wrap=True,
                  bold_rows={1})
    head = data.get("konzept", {})
    konzept = Sheet(KONZEPT_SHEET, rows=[["Feld", "Angabe", "Hinweis"]], widths={0: 18, 1: 70, 2: 80}, bold_rows={1})
    for r, f in enumerate(KONZEPT_FIELDS, start=2):
        value = head.get(f.key)
        if value is None and f.key == "gebiet" and area is not None:
            value = area.display
        konzept.rows.append([f.name, value, ("Pflicht. " if f.required else "") + f.hint_de])
        if f.required:
            konzept.bold_cells.add((r, 1))
            konzept.fill_cells.add((r, 2))
        if f.key == "gebiet":
            konzept.choices.append(Choice(f"B{r}", "Gebiete", len(sheets["Gebiete"]), True, f.name, f.hint_de))
        if f.key == "jahr":
            konzept.rules.append(Rule(f"B{r}", "whole", 1950, 2100, f.name, f.hint_de, "Kein Jahr",
                                      "Bitte eine Jahreszahl eingeben, z. B. 2026."))
    form = []
    for t in TABLES:
        filled = data.get(t.key, [])
        n = max(rows, len(filled) + 50)
        s = Sheet(t.title, rows=[[f.name for f in t.columns]], bold_rows={1}, freeze_header=True, form_rows=n)
        for values in filled:
            s.rows.append([values.get(f.key) for f in t.columns])
        for c, f in enumerate(t.columns):
            s.widths[c] = 50 if f.key in ("ziel", "name", "beschreibung") else (12 if f.key == "nr" else 24)
            if f.required:
                s.fill_cells.add((1, c + 1))
            letter = column_letter(c)
            cells = f"{letter}2:{letter}{n + 1}"
            if (t.key, f.key) in _OWN:
                src, col, strict = _OWN[(t.key, f.key)]
                count = len(sheets[src]) if src in sheets else n
                s.choices.append(Choice(cells, src, count, strict, f.name, f.hint_de, col))
            elif f.key in _VOCAB:
                src, strict = _VOCAB[f.key]
                s.choices.append(Choice(cells, src, len(sheets[src]), strict, f.name, f.hint_de))
        form.append(s)
    lists_ = [_list_sheet(title, terms) for title, terms in sheets.items()]
    extra = []
    if data.get("abgleich") is not None:
        from .alignment import ABGLEICH_COLUMNS, ABGLEICH_SHEET, RELATIONS

        rows_ = data["abgleich"]
        n = len(rows_) + 1
        ab = Sheet(ABGLEICH_SHEET, rows=[list(ABGLEICH_COLUMNS)] + rows_, bold_rows={1}, freeze_header=True,
                   widths={0: 26, 1: 60, 2: 60, 3: 60, 4: 30, 5: 12, 6: 12, 7: 34, 8: 60})
        ab.choices = [Choice(f"G2:G{n}", "Bestätigung", 1, True, "Bestätigt", "„ja“, wenn die Ziele zusammengehören."),
                      Choice(f"H2:H{n}", "Beziehungen", len(RELATIONS), True, "Beziehung",
                             "Leer: fast dasselbe Ziel (closeMatch).")]
        extra = [ab, Sheet("Bestätigung", rows=[["Auswahl"], ["ja"]], protected=True, bold_rows={1}),
                 Sheet("Beziehungen", rows=[["Auswahl"]] + [[r] for r in RELATIONS], widths={0: 40}, protected=True,
                       bold_rows={1})]
    return Book([guide, konzept] + form + extra + lists_, active=1)


def _csv(rows: list[list]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    for row in rows:
        w.writerow([neutralise("" if v is None else v) for v in row])
    return buf.getvalue().encode("utf-8-sig")


def csv_name(stem: str, title: str) -> str:
    """The file of a sheet in the CSV form: ``konzept.csv`` for „Konzept“, ``konzept-ziele.csv`` …"""
    from ..raster.mapping import slug

    return f"{stem}.csv" if title == KONZEPT_SHEET else f"{stem}-{slug(title)}.csv"


def csv_files(book: Book, stem: str) -> dict[str, bytes]:
    """The CSV form: one file per sheet (the explanation as text)."""
    out = {}
    for s in book.sheets:
        if s.title == INSTRUCTIONS_SHEET:
            out[f"{stem}-anleitung.txt"] = ("\r\n".join(r[0] or "" for r in s.rows) + "\r\n").encode("utf-8-sig")
            continue
        rows = [list(r) for r in s.rows]
        if s.title == KONZEPT_SHEET:
            rows = [r[:2] for r in rows]
        out[csv_name(stem, s.title)] = _csv(rows)
    return out


def template_bytes(book: Book, fmt: str) -> bytes:
    return ods_bytes(book) if fmt == "ods" else xlsx_bytes(book)


def write_book(book: Book, out: Path, fmt: str | None = None) -> list[Path]:
    """Write ``book`` in the format ``out``'s name says; CSV writes one file per sheet beside ``out``."""
    fmt = checked_format(out, fmt)
    if fmt in ("xlsx", "ods"):
        write_atomic(out, template_bytes(book, fmt))
        return [out]
    written = []
    for name, data in csv_files(book, out.stem).items():
        path = out.with_name(name)
        write_atomic(path, data)
        written.append(path)
    return written

"""The Raster template: a German workbook a volunteer can fill in, or the same as CSV files.

Sheets: „Anleitung“ (instructions), „Akteur“ (who reports), „Aktivitäten“ (one row each), and one
sheet per list of allowed values, taken from the graph (Handlungsfelder and Ziele of the town's
concepts, Lebensphasen, Zielgruppen, Akteursarten, Gebiete, known Akteure). Cells of the form
are drop-downs bound to these lists (Excel data validation), so most values are chosen, not typed.

Every text from the graph is written as text: a value that begins with ``=``, ``+``, ``-`` or
``@`` is stored as a string cell with Excel's quote prefix in the workbook and with a leading
apostrophe in CSV (:func:`.reading.neutralise`), so no list entry can act as a formula.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from ..errors import InputError
from .columns import ACTIVITY_COLUMNS, ACTIVITY_SHEET, ACTOR_FIELDS, ACTOR_SHEET, INSTRUCTIONS_SHEET
from .matching import Matcher
from .reading import FORMULA_START, neutralise
from .vocab import Term, Vocabulary, load_areas, load_vocabulary

__all__ = ["build_workbook", "workbook_bytes", "write_template", "resolve_town", "instructions", "csv_files"]

#: Rows of „Aktivitäten“ that get drop-downs (more rows may be filled; they are read all the same).
FORM_ROWS = 1000

_LIST_COLUMNS = {
    "Handlungsfelder": [("Auswahl", lambda t: t.display), ("Kürzel", lambda t: t.code),
                        ("Nummer", lambda t: t.notation), ("Konzept", lambda t: t.group),
                        ("weitere Bezeichnungen", lambda t: "; ".join(t.synonyms))],
    "Ziele": [("Auswahl", lambda t: t.display), ("Kürzel", lambda t: t.code), ("Konzept", lambda t: t.group),
              ("Art", lambda t: t.kind), ("Handlungsfeld", lambda t: t.field_notation), ("Nummer", lambda t: t.notation),
              ("Abschnitt", lambda t: ", ".join(t.sections)), ("Wortlaut", lambda t: t.label)],
    "Lebensphasen": [("Auswahl", lambda t: t.display), ("Kürzel", lambda t: t.code), ("Nummer", lambda t: t.notation),
                     ("Erläuterung", lambda t: t.note), ("weitere Bezeichnungen", lambda t: "; ".join(t.synonyms))],
    "Zielgruppen": [("Auswahl", lambda t: t.display), ("Kürzel", lambda t: t.code),
                    ("weitere Bezeichnungen", lambda t: "; ".join(t.synonyms))],
    "Akteursarten": [("Auswahl", lambda t: t.display), ("Kürzel", lambda t: t.code),
                     ("weitere Bezeichnungen", lambda t: "; ".join(t.synonyms))],
    "Gebiete": [("Auswahl", lambda t: t.display), ("Kürzel", lambda t: t.code)],
    "Akteure": [("Auswahl", lambda t: t.display), ("Kürzel", lambda t: t.code),
                ("weitere Namen", lambda t: "; ".join(t.synonyms))],
}
#: Which list each drop-down uses, and whether other text may be typed (several values, new partners).
_ACTIVITY_LISTS = {"handlungsfeld": ("Handlungsfelder", True), "ziele": ("Ziele", False),
                   "lebensphasen": ("Lebensphasen", False), "zielgruppen": ("Zielgruppen", False),
                   "partner": ("Akteure", False)}
_ACTOR_LISTS = {"art": ("Akteursarten", True), "gebiet": ("Gebiete", True)}


def resolve_town(store, settings, town: str | None) -> Term | None:
    """The Gebiet a town name stands for (forgiving), or ``None`` for no town."""
    if not town:
        return None
    areas = load_areas(store, settings.queries_dir)
    m = Matcher(areas).match(town)
    if m.ok:
        return m.term
    near = m.candidates or m.suggestions
    hint = (" Meinten Sie " + " oder ".join(f"„{t.display}“" for t in near) + "?") if near else ""
    raise InputError(f"Unbekanntes Gebiet „{town}“.{hint} Bekannt sind: {', '.join(t.display for t in areas)}.")


def instructions(area: Term | None, year: int, lang: str = "de") -> list[str]:
    """The text of the sheet „Anleitung“, one paragraph per entry."""
    town = f" für {area.label}" if area else ""
    lines = [
        f"Raster für die Meldung von Aktivitäten in der Integrationsarbeit{town}",
        "",
        "Mit diesem Raster melden Organisationen, was sie tun, in welchem Handlungsfeld, zur Erreichung welcher "
        "Ziele und für welche Lebensphase. Die Meldungen werden Teil des Wissensgraphen der Integrationskonzepte "
        "und zeigen, welche Ziele durch welche Aktivitäten verfolgt werden – und wo noch Lücken sind.",
        "",
        "So füllen Sie das Raster aus:",
        f"1. Blatt „{ACTOR_SHEET}“: Name, Art und Gebiet Ihrer Organisation und das Berichtsjahr ({year}) eintragen. "
        "Selbstdarstellung, Postanschrift und Internetseite sind freiwillig.",
        f"2. Blatt „{ACTIVITY_SHEET}“: je Aktivität eine Zeile. Pflicht sind Titel, Handlungsfeld, Ziele und "
        "Lebensphasen. Die meisten Zellen haben eine Auswahlliste (kleiner Pfeil rechts an der Zelle).",
        "3. Mehrere Werte in einer Zelle (Ziele, Lebensphasen, Zielgruppen, Partner, Quellen) mit Semikolon ; trennen. "
        "Die Auswahlliste setzt einen Wert ein; weitere können Sie dahinter schreiben, auch in Kurzform, z. B. "
        "„Leitziel 3“ oder das Kürzel aus der Liste (etwa „id:hattingen/leitziel/3“).",
        "4. Zeitraum: Beginn und Ende als Datum (TT.MM.JJJJ), Monat (MM.JJJJ) oder Jahr; das Ende bleibt leer, "
        "wenn die Aktivität andauert.",
        "5. Partner: die beteiligten Organisationen. Bekannte Organisationen stehen im Blatt „Akteure“; neue werden "
        "beim Import angelegt.",
        "6. Die Datei als Excel-Arbeitsmappe (.xlsx) speichern (kein Kennwortschutz) und hochladen oder der "
        "Koordinierungsstelle schicken. Eine neue Meldung für dasselbe Jahr ersetzt die frühere vollständig.",
        "",
        "Was erlaubt ist, steht in den Blättern Handlungsfelder, Ziele, Lebensphasen, Zielgruppen, Akteursarten, "
        "Gebiete und Akteure (Spalte „Auswahl“; die Spalte „Kürzel“ geht auch). Groß- und Kleinschreibung, "
        "Leerzeichen, Bindestriche und ä/ae, ö/oe, ü/ue, ß/ss spielen keine Rolle. Passt ein Wert nicht, nennt "
        "die Prüfung die nächstliegenden erlaubten Werte.",
        "",
        "Datenschutz: Bitte keine Namen, Telefonnummern oder E-Mail-Adressen von Personen eintragen. Gespeichert "
        "werden nur Angaben über die Organisation: Name, Art, Gebiet, Selbstdarstellung, Postanschrift und "
        "Internetseite. Zellen mit E-Mail-Adressen oder Telefonnummern werden beim Import abgelehnt.",
        "",
        "Formeln sind nicht erlaubt; bitte nur Werte eintragen. Soll ein Text mit =, +, - oder @ beginnen, "
        "setzen Sie einen Apostroph davor ('=…); es wird beim Import entfernt.",
        "",
        "Beim Import wird die ganze Datei geprüft. Gibt es Fehler, wird nichts gespeichert, und jeder Fehler wird "
        "mit Blatt, Zeile, Spalte, dem eingetragenen Wert und dem, was erlaubt ist, genannt.",
        "",
        "Die Spalten im Blatt „Aktivitäten“:",
    ]
    for f in ACTIVITY_COLUMNS:
        lines.append(f"• {f.name}{' (Pflicht)' if f.required else ''}: {f.hint_de}")
    lines += ["", f"Vorlage erstellt am {date.today().strftime('%d.%m.%Y')} aus dem Wissensgraphen"
                  f"{f' (Gebiet: {area.label})' if area else ''}."]
    return lines


def _text_cell(ws, row: int, col: int, value):
    """Write a value as text; a leading =, +, - or @ stays text (quote prefix), never a formula."""
    cell = ws.cell(row=row, column=col)
    if value is None or value == "":
        return cell
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_START):
            cell.quotePrefix = True
    return cell


def _list_sheet(wb, title: str, terms: list[Term]):
    from openpyxl.styles import Font

    ws = wb.create_sheet(title)
    cols = _LIST_COLUMNS[title]
    for c, (head, _) in enumerate(cols, start=1):
        _text_cell(ws, 1, c, head).font = Font(bold=True)
    for r, term in enumerate(terms, start=2):
        for c, (_, get) in enumerate(cols, start=1):
            _text_cell(ws, r, c, get(term))
    ws.column_dimensions["A"].width = 70 if title == "Ziele" else 45
    ws.column_dimensions["B"].width = 38
    ws.freeze_panes = "A2"
    ws.protection.sheet = True  # the lists are read, not edited (no password: it only prevents slips)
    return ws


def _ref(title: str, n: int) -> str:
    return f"'{title}'!$A$2:$A${max(n + 1, 2)}"


def _validation(ws, ref: str, cells: str, strict: bool, prompt_title: str, prompt: str):
    from openpyxl.worksheet.datavalidation import DataValidation

    dv = DataValidation(type="list", formula1=ref, allow_blank=True, showDropDown=False,
                        showErrorMessage=strict, showInputMessage=True)
    dv.promptTitle, dv.prompt = prompt_title[:32], prompt[:255]
    if strict:
        dv.errorTitle = "Wert nicht in der Liste"
        dv.error = "Bitte einen Wert aus der Liste wählen."
    dv.add(cells)
    ws.add_data_validation(dv)


def build_workbook(vocab: Vocabulary, *, area: Term | None, year: int, rows: int = FORM_ROWS):
    """The Raster workbook (openpyxl) with drop-downs bound to the lists of ``vocab``."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    required_fill = PatternFill("solid", fgColor="FFF2CC")
    bold = Font(bold=True)
    wb = Workbook()
    ws = wb.active
    ws.title = INSTRUCTIONS_SHEET
    for r, line in enumerate(instructions(area, year), start=1):
        c = _text_cell(ws, r, 1, line)
        c.alignment = Alignment(wrap_text=True, vertical="top")
        if r == 1:
            c.font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 120

    lists = vocab.lists()
    actor = wb.create_sheet(ACTOR_SHEET)
    for c, head in enumerate(("Feld", "Angabe", "Hinweis"), start=1):
        _text_cell(actor, 1, c, head).font = bold
    for r, f in enumerate(ACTOR_FIELDS, start=2):
        label = _text_cell(actor, r, 1, f.name)
        _text_cell(actor, r, 3, ("Pflicht. " if f.required else "") + f.hint_de)
        if f.required or f.key == "jahr":
            label.font = bold
            actor.cell(row=r, column=2).fill = required_fill
        actor.cell(row=r, column=2).alignment = Alignment(wrap_text=True, vertical="top")
        if f.key in _ACTOR_LISTS:
            title, strict = _ACTOR_LISTS[f.key]
            _validation(actor, _ref(title, len(lists[title])), f"B{r}", strict, f.name, f.hint_de)
        if f.key == "gebiet" and area is not None:
            _text_cell(actor, r, 2, area.display)
        if f.key == "jahr":
            actor.cell(row=r, column=2).value = year
            dv = DataValidation(type="whole", operator="between", formula1="1990", formula2="2100",
                                showErrorMessage=True, showInputMessage=True)
            dv.promptTitle, dv.prompt = f.name, f.hint_de
            dv.errorTitle, dv.error = "Kein Jahr", "Bitte eine Jahreszahl eingeben, z. B. 2026."
            dv.add(f"B{r}")
            actor.add_data_validation(dv)
    actor.column_dimensions["A"].width = 22
    actor.column_dimensions["B"].width = 60
    actor.column_dimensions["C"].width = 70

    act = wb.create_sheet(ACTIVITY_SHEET)
    widths = {"titel": 40, "beschreibung": 60, "handlungsfeld": 35, "ziele": 60, "lebensphasen": 28,
              "zielgruppen": 30, "von": 14, "bis": 14, "partner": 40, "quellen": 40}
    for c, f in enumerate(ACTIVITY_COLUMNS, start=1):
        head = _text_cell(act, 1, c, f.name)
        head.font = bold
        if f.required:
            head.fill = required_fill
        letter = get_column_letter(c)
        act.column_dimensions[letter].width = widths.get(f.key, 25)
        cells = f"{letter}2:{letter}{rows + 1}"
        if f.key in _ACTIVITY_LISTS:
            title, strict = _ACTIVITY_LISTS[f.key]
            _validation(act, _ref(title, len(lists[title])), cells, strict, f.name, f.hint_de)
        elif f.key in ("von", "bis"):
            dv = DataValidation(type="date", operator="between", formula1="DATE(1990,1,1)", formula2="DATE(2100,12,31)",
                                allow_blank=True, showErrorMessage=True, showInputMessage=True, errorStyle="warning")
            dv.promptTitle, dv.prompt = f.name, f.hint_de
            dv.errorTitle, dv.error = "Kein Datum", "Bitte ein Datum eingeben (TT.MM.JJJJ). Ein Jahr allein geht auch."
            dv.add(cells)
            act.add_data_validation(dv)
            act.column_dimensions[letter].number_format = "DD.MM.YYYY"
        else:
            dv = DataValidation(type="textLength", operator="lessThanOrEqual", formula1=str(f.max_length),
                                allow_blank=True, showErrorMessage=True, showInputMessage=True)
            dv.promptTitle, dv.prompt = f.name, f.hint_de
            dv.errorTitle, dv.error = "Zu lang", f"Höchstens {f.max_length} Zeichen."
            dv.add(cells)
            act.add_data_validation(dv)
    act.freeze_panes = "A2"

    for title, terms in lists.items():
        _list_sheet(wb, title, terms)
    wb.active = 1  # open on „Akteur“
    return wb


def workbook_bytes(store, settings, *, town: str | None = None, year: int | None = None) -> bytes:
    area = resolve_town(store, settings, town)
    vocab = load_vocabulary(store, settings.queries_dir, area.iri if area else None)
    wb = build_workbook(vocab, area=area, year=year or date.today().year)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _csv_text(rows: list[list]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow([neutralise("" if v is None else v) for v in row])
    return buf.getvalue()


def csv_files(vocab: Vocabulary, *, area: Term | None, year: int) -> dict[str, str]:
    """The CSV template: the one-file Raster (``raster``), one file per list, and the instructions."""
    header = [f.name for f in ACTOR_FIELDS] + [f.name for f in ACTIVITY_COLUMNS]
    first = ["" for _ in header]
    first[[f.key for f in ACTOR_FIELDS].index("gebiet")] = area.display if area else ""
    first[[f.key for f in ACTOR_FIELDS].index("jahr")] = str(year)
    out = {"raster": _csv_text([header, first])}
    for title, terms in vocab.lists().items():
        cols = _LIST_COLUMNS[title]
        out[title.lower()] = _csv_text([[h for h, _ in cols]] + [[get(t) for _, get in cols] for t in terms])
    text = instructions(area, year) + [
        "", "CSV-Form: eine Datei, erste Zeile die Spaltennamen; die Angaben zum Akteur (Organisation bis Hinweis) "
            "stehen in der ersten Datenzeile, die folgenden Zeilen lassen sie leer. Je Aktivität eine Zeile. "
            "Trennzeichen ; oder , – Zeichensatz UTF-8."]
    out["anleitung"] = "\r\n".join(text) + "\r\n"
    return out


def write_template(out: Path, store, settings, *, town: str | None = None, fmt: str = "xlsx",
                   year: int | None = None) -> list[Path]:
    """Write the template to ``out`` (xlsx), or ``out`` plus ``<stem>-<list>.csv`` files (csv)."""
    area = resolve_town(store, settings, town)
    vocab = load_vocabulary(store, settings.queries_dir, area.iri if area else None)
    year = year or date.today().year
    if fmt == "xlsx":
        wb = build_workbook(vocab, area=area, year=year)
        wb.save(out)
        return [out]
    written = []
    for name, text in csv_files(vocab, area=area, year=year).items():
        if name == "raster":
            path = out
        else:
            path = out.with_name(f"{out.stem}-{name}{'.txt' if name == 'anleitung' else '.csv'}")
        path.write_text(text, encoding="utf-8-sig")
        written.append(path)
    return written

"""The Raster template: a German workbook (.xlsx or .ods) a volunteer can fill in, or the same as CSV files.

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
from ..workbook.book import Book, Choice, Rule, Sheet, column_letter
from ..workbook.files import checked_format, write_atomic
from ..workbook.ods import ods_bytes
from ..workbook.xlsx import to_openpyxl, xlsx_bytes
from .columns import ACTIVITY_COLUMNS, ACTIVITY_SHEET, ACTOR_FIELDS, ACTOR_SHEET, INSTRUCTIONS_SHEET
from .matching import Matcher
from .reading import neutralise
from .vocab import Term, Vocabulary, load_areas, load_vocabulary

__all__ = ["build_book", "build_workbook", "workbook_bytes", "write_template", "resolve_town", "instructions", "csv_files",
           "template_lists"]

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
        "6. Die Datei als Excel-Arbeitsmappe (.xlsx) oder OpenDocument-Tabelle (.ods) speichern (kein Kennwortschutz) und hochladen oder der "
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


def _list_sheet(title: str, terms: list[Term]) -> Sheet:
    cols = _LIST_COLUMNS[title]
    sheet = Sheet(title, rows=[[h for h, _ in cols]] + [[get(t) or None for _, get in cols] for t in terms],
                  widths={0: 70 if title == "Ziele" else 45, 1: 38}, bold_rows={1}, protected=True,
                  freeze_header=True)
    return sheet


def template_lists(vocab: Vocabulary, area: Term | None) -> dict[str, list[Term]]:
    """The lists a template offers; for a town exactly what its import accepts (its Gebiet only)."""
    lists = dict(vocab.lists())
    if area is not None:
        lists["Gebiete"] = [t for t in vocab.gebiete if t.iri == area.iri]
    return lists


def build_book(vocab: Vocabulary, *, area: Term | None, year: int, rows: int = FORM_ROWS) -> Book:
    """The Raster template in any format: instructions, the two form sheets, one sheet per list."""
    lists = template_lists(vocab, area)
    guide = Sheet(INSTRUCTIONS_SHEET, rows=[[line or None] for line in instructions(area, year)], widths={0: 120},
                  wrap=True, bold_rows={1})
    actor = Sheet(ACTOR_SHEET, rows=[["Feld", "Angabe", "Hinweis"]], widths={0: 22, 1: 60, 2: 70}, bold_rows={1})
    for r, f in enumerate(ACTOR_FIELDS, start=2):
        value = None
        if f.key == "gebiet" and area is not None:
            value = area.display
        if f.key == "jahr":
            value = year
        actor.rows.append([f.name, value, ("Pflicht. " if f.required else "") + f.hint_de])
        if f.required or f.key == "jahr":
            actor.bold_cells.add((r, 1))
            actor.fill_cells.add((r, 2))
        if f.key in _ACTOR_LISTS:
            title, strict = _ACTOR_LISTS[f.key]
            actor.choices.append(Choice(f"B{r}", title, len(lists[title]), strict, f.name, f.hint_de))
        if f.key == "jahr":
            actor.rules.append(Rule(f"B{r}", "whole", 1990, 2100, f.name, f.hint_de, "Kein Jahr",
                                    "Bitte eine Jahreszahl eingeben, z. B. 2026."))
    widths = {"titel": 40, "beschreibung": 60, "handlungsfeld": 35, "ziele": 60, "lebensphasen": 28,
              "zielgruppen": 30, "von": 14, "bis": 14, "partner": 40, "quellen": 40}
    act = Sheet(ACTIVITY_SHEET, rows=[[f.name for f in ACTIVITY_COLUMNS]], bold_rows={1}, freeze_header=True,
                form_rows=rows)
    for c, f in enumerate(ACTIVITY_COLUMNS):
        act.widths[c] = widths.get(f.key, 25)
        if f.required:
            act.fill_cells.add((1, c + 1))
        letter = column_letter(c)
        if f.key in _ACTIVITY_LISTS:
            title, strict = _ACTIVITY_LISTS[f.key]
            act.choices.append(Choice(f"{letter}2:{letter}{rows + 1}", title, len(lists[title]), strict,
                                      f.name, f.hint_de))
        elif f.key in ("von", "bis"):
            act.rules.append(Rule(f"{letter}2:{letter}{rows + 1}", "date", 1990, 2100, f.name, f.hint_de, "Kein Datum",
                                  "Bitte ein Datum eingeben (TT.MM.JJJJ). Ein Jahr allein geht auch.", warning=True))
            act.number_formats[c] = "DD.MM.YYYY"
        else:
            act.rules.append(Rule(f"{letter}2:{letter}{rows + 1}", "length", 0, f.max_length, f.name, f.hint_de,
                                  "Zu lang", f"Höchstens {f.max_length} Zeichen."))
    book = Book([guide, actor, act] + [_list_sheet(title, terms) for title, terms in lists.items()], active=1)
    return book


def build_workbook(vocab: Vocabulary, *, area: Term | None, year: int, rows: int = FORM_ROWS):
    """The Raster workbook (openpyxl) with drop-downs bound to the lists of ``vocab``."""
    return to_openpyxl(build_book(vocab, area=area, year=year, rows=rows))


def workbook_bytes(store, settings, *, town: str | None = None, year: int | None = None, fmt: str = "xlsx") -> bytes:
    """The template as .xlsx or .ods bytes."""
    area = resolve_town(store, settings, town)
    vocab = load_vocabulary(store, settings.queries_dir, area.iri if area else None)
    book = build_book(vocab, area=area, year=year or date.today().year)
    return ods_bytes(book) if fmt == "ods" else xlsx_bytes(book)


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
    for title, terms in template_lists(vocab, area).items():
        cols = _LIST_COLUMNS[title]
        out[title.lower()] = _csv_text([[h for h, _ in cols]] + [[get(t) for _, get in cols] for t in terms])
    text = instructions(area, year) + [
        "", "CSV-Form: eine Datei, erste Zeile die Spaltennamen; die Angaben zum Akteur (Organisation bis Hinweis) "
            "stehen in der ersten Datenzeile, die folgenden Zeilen lassen sie leer. Je Aktivität eine Zeile. "
            "Trennzeichen ; oder , – Zeichensatz UTF-8."]
    out["anleitung"] = "\r\n".join(text) + "\r\n"
    return out


def write_template(out: Path, store, settings, *, town: str | None = None, fmt: str | None = None,
                   year: int | None = None) -> list[Path]:
    """Write the template to ``out`` in the format its name says (.xlsx, .ods; .csv also writes
    ``<stem>-<list>.csv`` files). Any other extension is an error; nothing is written then."""
    fmt = checked_format(out, fmt)
    area = resolve_town(store, settings, town)
    vocab = load_vocabulary(store, settings.queries_dir, area.iri if area else None)
    year = year or date.today().year
    if fmt in ("xlsx", "ods"):
        book = build_book(vocab, area=area, year=year)
        write_atomic(out, ods_bytes(book) if fmt == "ods" else xlsx_bytes(book))
        return [out]
    written = []
    for name, text in csv_files(vocab, area=area, year=year).items():
        if name == "raster":
            path = out
        else:
            path = out.with_name(f"{out.stem}-{name}{'.txt' if name == 'anleitung' else '.csv'}")
        write_atomic(path, text.encode("utf-8-sig"))
        written.append(path)
    return written

"""Read a filled-in Raster (.xlsx or .ods workbook, or one-file CSV) into plain rows, with every check of the file.

The format is decided by the content, not by the name (:func:`inko_graph.workbook.reading.detect`): an
Excel or OpenDocument workbook, or text as CSV; everything else is refused with a message that says
what the file seems to be (an encrypted workbook, an old .xls, a PDF …). Nothing here knows the vocabularies; the values
stay as they were written (text, dates, numbers) for :mod:`.mapping`.

Formulas are refused: a workbook cell that holds a formula, and a CSV value beginning with ``=``
(a spreadsheet would run it). Text that should begin with ``=``, ``+``, ``-`` or ``@`` may be
written with a leading apostrophe (``'=…``), as spreadsheets do; the apostrophe is removed on
import and put back by every export of the Raster (:func:`neutralise`).

The one-file CSV layout: the first line holds column names, the fields of the sheet „Akteur“
(Organisation, Art des Akteurs, Gebiet, Berichtsjahr, …) followed by the columns of
„Aktivitäten“ (Titel, Beschreibung, Handlungsfeld, …). One line per activity. The actor's fields
are filled in the first line; later lines leave them empty or repeat the same values. Separator
``,`` or ``;`` (recognised from the first line), encoding UTF-8 (Windows-1252 is accepted).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from ..workbook import reading as wbread
from ..workbook.xlsx import FORMULA_START
from .columns import (ACTIVITY_COLUMNS, ACTIVITY_SHEET, ACTOR_FIELDS, ACTOR_SHEET, Field, find_field, norm)
from .problems import Problem, RasterError

__all__ = ["RasterFile", "Row", "read_raster", "read_fields", "neutralise", "MAX_ROWS", "FORMULA_START"]

#: More activity rows than this are refused (the file size limit usually comes first).
MAX_ROWS = 20_000
_EMPTY_RUN = wbread.EMPTY_RUN


@dataclass
class Row:
    number: int
    values: dict[str, object]


@dataclass
class RasterFile:
    filename: str
    fmt: str                              # "xlsx", "ods" or "csv"
    actor: dict[str, object] = field(default_factory=dict)
    actor_rows: dict[str, int] = field(default_factory=dict)
    actor_sheet: str | None = None        # the sheet name as written in the file; None for CSV
    activity_sheet: str | None = None
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    columns: set[str] = field(default_factory=set)   # the activity columns the file has (keys)

    def where_actor(self, key: str) -> tuple[str | None, int | None, str]:
        f = next(f for f in ACTOR_FIELDS if f.key == key)
        if self.fmt == "csv":
            return None, self.actor_rows.get(key), f.name
        return self.actor_sheet, self.actor_rows.get(key), f.name


def neutralise(value):
    """Text for a spreadsheet cell that cannot be taken for a formula (an apostrophe in front)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _de_int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def check_size(data: bytes, limit: int, name: str, lang: str = "de") -> None:
    wbread.check_size(data, limit, name, lang)


_fatal = wbread.fatal
_clean = wbread.clean


def _formula_problem(sheet, row, column, value) -> Problem:
    return Problem(
        "Formeln sind nicht erlaubt. Bitte den Wert selbst eintragen. Soll ein Text mit = beginnen, "
        "einen Apostroph davorsetzen ('=…).",
        "Formulas are not allowed. Please enter the value itself. For text that begins with =, put an "
        "apostrophe in front ('=…).", sheet, row, column, str(value))


def _length_problem(f: Field, value: str, sheet, row) -> Problem | None:
    if isinstance(value, str) and len(value) > f.max_length:
        return Problem(f"Der Text ist {len(value)} Zeichen lang; erlaubt sind höchstens {f.max_length}.",
                       f"The text is {len(value)} characters long; at most {f.max_length} are allowed.",
                       sheet, row, f.name, value)
    return None


# -- format detection -------------------------------------------------------------------------

def _detect(data: bytes, name: str, lang: str) -> str:
    return wbread.detect(data, name, lang)


# -- workbooks (xlsx, ods) ----------------------------------------------------------------------

def _open_workbook(data: bytes, name: str, max_unpacked: int, lang: str, fmt: str = "xlsx"):
    book = wbread.open_book(data, name, max_unpacked=max_unpacked, lang=lang, fmt=fmt)
    return book, book.errors


def _find_sheet(wb, wanted: str, aliases: tuple[str, ...]) -> str | None:
    return wbread.find_sheet(wb, {norm(wanted), *(norm(a) for a in aliases)}, norm)


def _iter_rows(wb, title: str):
    """(row number, cells) for each row that holds something (see :meth:`OpenBook.rows`)."""
    return wb.rows(title)


def _read_actor_sheet(wb, rf: RasterFile) -> None:
    read_fields(_iter_rows(wb, rf.actor_sheet), rf.actor_sheet, ACTOR_FIELDS, rf.problems, rf.actor_rows, rf.actor,
                max_row=200)


def read_fields(rows, sheet: str, fields: tuple[Field, ...], problems: list, seen: dict[str, int], values: dict,
                *, max_row: int | None = None) -> None:
    """A sheet of fields (label in column A, value in B; the Raster's „Akteur“, the Konzept's „Konzept“):
    each value into ``values`` by the field's key, the row of each field into ``seen``, every problem
    (formula, value without label, unknown or repeated field, text too long) onto ``problems``."""
    for number, cells in rows:
        if max_row is not None and number > max_row:
            break
        label = _clean(cells[0].value) if cells else None
        cell = cells[1] if len(cells) > 1 else None
        if cell is not None and cell.formula:
            problems.append(_formula_problem(sheet, number, str(label or "B"), cell.value))
            continue
        value = _clean(cell.value) if cell is not None else None
        if not isinstance(label, str):
            if value is not None:
                problems.append(Problem("Angabe ohne Bezeichnung in Spalte A.", "Value without a label in column A.",
                                        sheet, number, "B", str(value)))
            continue
        if norm(label) == "feld":
            continue  # the heading row of the template
        f = find_field(label, fields)
        if f is None:
            if value is not None:
                names = ", ".join(x.name for x in fields)
                problems.append(Problem("Unbekanntes Feld.", "Unknown field.", sheet, number, "A", label, names, names))
            continue
        if f.key in seen:
            problems.append(Problem(f"Das Feld steht zweimal im Blatt (auch in Zeile {seen[f.key]}).",
                                    f"The field appears twice in the sheet (also in row {seen[f.key]}).",
                                    sheet, number, f.name, label))
            continue
        seen[f.key] = number
        if value is not None:
            p = _length_problem(f, value, sheet, number)
            if p:
                problems.append(p)
            values[f.key] = value


def _header(cells_or_values, sheet, number, fields, rf: RasterFile, *, allowed: tuple[Field, ...]) -> dict[int, Field]:
    columns: dict[int, Field] = {}
    seen: dict[str, int] = {}
    names = ", ".join(f.name for f in allowed)
    for idx, raw in enumerate(cells_or_values):
        text = _clean(raw)
        if text is None:
            continue
        f = find_field(str(text), fields)
        letter = _letter(idx)
        if f is None:
            rf.problems.append(Problem(f"Unbekannte Spalte (Spalte {letter}). Bitte löschen oder umbenennen.",
                                       f"Unknown column (column {letter}). Please delete or rename it.",
                                       sheet, number, str(text), str(text), names, names))
            continue
        if f.key in seen:
            rf.problems.append(Problem(f"Die Spalte gibt es zweimal (Spalten {_letter(seen[f.key])} und {letter}).",
                                       f"The column appears twice (columns {_letter(seen[f.key])} and {letter}).",
                                       sheet, number, f.name, str(text)))
            continue
        seen[f.key] = idx
        columns[idx] = f
    return columns


def _letter(idx: int) -> str:
    from ..workbook.book import column_letter

    return column_letter(idx)


def _missing_columns(columns: dict[int, Field], required: tuple[Field, ...], sheet, rf: RasterFile) -> None:
    have = {f.key for f in columns.values()}
    rf.columns |= have
    for f in required:
        if f.required and f.key not in have:
            rf.problems.append(Problem("Die Spalte fehlt. Bitte die Raster-Vorlage verwenden.",
                                       "The column is missing. Please use the Raster template.", sheet, 1, f.name))


def _store_value(f: Field, value, sheet, number: int, values: dict, rf: RasterFile) -> None:
    p = _length_problem(f, value, sheet, number)
    if p:
        rf.problems.append(p)
    values[f.key] = value


def _read_activity_sheet(wb, rf: RasterFile) -> None:
    sheet = rf.activity_sheet
    columns: dict[int, Field] | None = None
    for number, cells in _iter_rows(wb, sheet):
        if columns is None:
            columns = _header([c.value for c in cells], sheet, number, ACTIVITY_COLUMNS, rf, allowed=ACTIVITY_COLUMNS)
            _missing_columns(columns, ACTIVITY_COLUMNS, sheet, rf)
            continue
        if len(rf.rows) >= MAX_ROWS:
            rf.problems.append(Problem(f"Mehr als {_de_int(MAX_ROWS)} Aktivitäten; bitte auf mehrere Dateien verteilen.",
                                       f"More than {MAX_ROWS:,} activities; please split the file.", sheet, number))
            return
        values: dict[str, object] = {}
        for idx, cell in enumerate(cells):
            if cell.value is None or cell.value == "":
                continue
            f = columns.get(idx)
            if f is None:
                rf.problems.append(Problem(f"Wert in einer Spalte ohne Überschrift (Spalte {_letter(idx)}).",
                                           f"Value in a column without a heading (column {_letter(idx)}).",
                                           sheet, number, _letter(idx), str(cell.value)))
                continue
            if cell.formula:
                rf.problems.append(_formula_problem(sheet, number, f.name, cell.value))
                continue
            value = _clean(cell.value)
            if value is not None:
                _store_value(f, value, sheet, number, values, rf)
        if values:
            rf.rows.append(Row(number, values))
    if columns is None:
        rf.problems.append(Problem("Das Blatt ist leer: die Überschriften der Spalten fehlen.",
                                   "The sheet is empty: the column headings are missing.", sheet, 1))


def _read_xlsx(data: bytes, name: str, max_unpacked: int, lang: str, fmt: str = "xlsx") -> RasterFile:
    wb, errors = _open_workbook(data, name, max_unpacked, lang, fmt)
    rf = RasterFile(filename=name, fmt=fmt)
    try:
        rf.actor_sheet = _find_sheet(wb, ACTOR_SHEET, ("Akteurin", "Organisation", "Träger"))
        rf.activity_sheet = _find_sheet(wb, ACTIVITY_SHEET, ("Aktivitaet", "Aktivität", "Angebote"))
        missing = [s for s, found in ((ACTOR_SHEET, rf.actor_sheet), (ACTIVITY_SHEET, rf.activity_sheet)) if not found]
        if missing:
            have = ", ".join(wb.sheetnames)
            raise RasterError(name, [Problem("Das Blatt fehlt. Bitte die Raster-Vorlage verwenden.",
                                             "The sheet is missing. Please use the Raster template.", s,
                                             allowed_de=f"vorhanden sind: {have}", allowed_en=f"present: {have}")
                                     for s in missing], lang)
        try:
            _read_actor_sheet(wb, rf)
            _read_activity_sheet(wb, rf)
        except errors:
            raise _fatal(name, f"Die Arbeitsmappe ist beschädigt und kann nicht gelesen werden. Bitte erneut als "
                               f".{fmt} speichern.",
                         f"The workbook is damaged and cannot be read. Please save it again as .{fmt}.", lang) from None
    finally:
        wb.close()
    return rf


# -- csv ----------------------------------------------------------------------------------------

def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _read_csv(data: bytes, name: str, lang: str) -> RasterFile:
    text = _decode(data)
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    rf = RasterFile(filename=name, fmt="csv")
    all_fields = ACTOR_FIELDS + ACTIVITY_COLUMNS
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        header = next(reader, None)
        if header is None:
            raise _fatal(name, "Die Datei ist leer.", "The file is empty.", lang)
        known = sum(1 for h in header if find_field(h, all_fields))
        if known < 2:
            raise _fatal(name, "Die Datei ist keine Raster-Tabelle: die erste Zeile enthält nicht die "
                               "Spaltenüberschriften des Rasters (Organisation, Titel, Handlungsfeld, …).",
                         "The file is not a Raster table: its first line does not hold the Raster's column "
                         "headings (Organisation, Titel, Handlungsfeld, …).", lang)
        columns = _header(header, None, 1, all_fields, rf, allowed=all_fields)
        _missing_columns(columns, ACTOR_FIELDS[:3] + ACTIVITY_COLUMNS, None, rf)
        for number, cells in enumerate(reader, start=2):
            if len(rf.rows) >= MAX_ROWS:
                rf.problems.append(Problem(f"Mehr als {_de_int(MAX_ROWS)} Aktivitäten; bitte auf mehrere Dateien verteilen.",
                                           f"More than {MAX_ROWS:,} activities; please split the file.", None, number))
                break
            values: dict[str, object] = {}
            for idx, raw in enumerate(cells):
                value = _clean(raw)
                if value is None:
                    continue
                f = columns.get(idx)
                if f is None:
                    rf.problems.append(Problem(f"Wert in einer Spalte ohne Überschrift (Spalte {_letter(idx)}).",
                                               f"Value in a column without a heading (column {_letter(idx)}).",
                                               None, number, _letter(idx), value))
                    continue
                if isinstance(raw, str) and raw.lstrip().startswith("="):
                    rf.problems.append(_formula_problem(None, number, f.name, raw.strip()))
                    continue
                if f in ACTOR_FIELDS:
                    _actor_csv_value(rf, f, value, number)
                else:
                    _store_value(f, value, None, number, values, rf)
            if values:
                rf.rows.append(Row(number, values))
    except csv.Error as e:
        raise _fatal(name, f"Die CSV-Datei kann nicht gelesen werden ({e}).", f"The CSV file cannot be read ({e}).",
                     lang) from None
    return rf


def _actor_csv_value(rf: RasterFile, f: Field, value, number: int) -> None:
    if f.key not in rf.actor:
        p = _length_problem(f, value, None, number)
        if p:
            rf.problems.append(p)
        rf.actor[f.key] = value
        rf.actor_rows[f.key] = number
    elif rf.actor[f.key] != value:
        rf.problems.append(Problem(
            f"Angaben zum Akteur stehen in der ersten Zeile; hier steht ein anderer Wert als in Zeile {rf.actor_rows[f.key]}.",
            f"The actor's details belong in the first line; this value differs from line {rf.actor_rows[f.key]}.",
            None, number, f.name, str(value)))


# -- entry point ---------------------------------------------------------------------------------

def read_raster(data: bytes, name: str, *, max_bytes: int, lang: str = "de") -> RasterFile:
    """Read a Raster file. Fatal problems raise :class:`RasterError`; the others are in ``.problems``."""
    check_size(data, max_bytes, name, lang)
    fmt = _detect(data, name, lang)
    if fmt in ("xlsx", "ods"):
        return _read_xlsx(data, name, max(20 * max_bytes, 50_000_000), lang, fmt)
    return _read_csv(data, name, lang)

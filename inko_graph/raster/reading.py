"""Read a filled-in Raster (xlsx workbook or one-file CSV) into plain rows, with every check of the file.

The format is decided by the content, not by the name: a ZIP with ``xl/workbook.xml`` is a workbook,
text is CSV, everything else is refused with a message that says what the file seems to be
(an encrypted workbook, an old .xls, a PDF …). Nothing here knows the vocabularies; the values
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
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from xml.etree.ElementTree import ParseError

from ..errors import TooLarge
from .columns import (ACTIVITY_COLUMNS, ACTIVITY_SHEET, ACTOR_FIELDS, ACTOR_SHEET, Field, find_field, norm)
from .problems import Problem, RasterError

__all__ = ["RasterFile", "Row", "read_raster", "neutralise", "MAX_ROWS", "FORMULA_START"]

#: More activity rows than this are refused (the file size limit usually comes first).
MAX_ROWS = 20_000
#: Characters that make a spreadsheet read a cell as a formula.
FORMULA_START = ("=", "+", "-", "@")
_EMPTY_RUN = 5000  # stop reading a sheet after this many empty rows in a row (huge declared sizes)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: Control and invisible format characters (not tab and line break): they only hide differences.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e"
                        "\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]")
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


@dataclass
class Row:
    number: int
    values: dict[str, object]


@dataclass
class RasterFile:
    filename: str
    fmt: str                              # "xlsx" or "csv"
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


def _mb(n: int) -> str:
    return f"{n / 1_000_000:.1f}".replace(".", ",") + " MB"


def _de_int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def check_size(data: bytes, limit: int, name: str, lang: str = "de") -> None:
    if len(data) > limit:
        if lang == "en":
            msg = (f"The file is {len(data):,} bytes; the limit is {limit:,} bytes "
                   f"({limit / 1_000_000:.1f} MB). Please split the activities into smaller files.")
        else:
            msg = (f"Die Datei ist {_mb(len(data))} groß ({_de_int(len(data))} Bytes); erlaubt sind höchstens "
                   f"{_mb(limit)} ({_de_int(limit)} Bytes). Bitte die Aktivitäten auf mehrere kleinere Dateien verteilen.")
        raise TooLarge(msg, source=name)


def _fatal(name: str, de: str, en: str, lang: str) -> RasterError:
    return RasterError(name, [Problem(de, en)], lang)


def _clean(value):
    """A cell value as text without invisible characters; dates and numbers unchanged."""
    if value is None:
        return None
    if isinstance(value, (datetime, date, int, float)) and not isinstance(value, bool):
        return value
    if isinstance(value, bool):
        return "ja" if value else "nein"
    text = unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    text = _INVISIBLE.sub("", text).strip()
    if len(text) >= 2 and text[0] == "'" and text[1] in "=+-@":
        text = text[1:]  # the apostrophe spreadsheets use to keep such text from being a formula
    return text or None


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
    if not data.strip():
        raise _fatal(name, "Die Datei ist leer.", "The file is empty.", lang)
    if data.startswith(_OLE):
        if _ENCRYPTED in data:
            raise _fatal(name, "Die Arbeitsmappe ist mit einem Kennwort geschützt (verschlüsselt) und kann nicht "
                               "gelesen werden. Bitte den Kennwortschutz entfernen und erneut speichern.",
                         "The workbook is protected by a password (encrypted) and cannot be read. Please remove "
                         "the password and save it again.", lang)
        raise _fatal(name, "Die Datei ist im alten Excel-Format (.xls). Bitte als Excel-Arbeitsmappe (.xlsx) "
                           "oder als CSV speichern.",
                     "The file is in the old Excel format (.xls). Please save it as an Excel workbook (.xlsx) "
                     "or as CSV.", lang)
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return "xlsx"
    if data.startswith(b"%PDF"):
        raise _fatal(name, "Die Datei ist ein PDF-Dokument, keine Tabelle. Bitte die Raster-Vorlage (.xlsx) "
                           "oder CSV verwenden.",
                     "The file is a PDF document, not a spreadsheet. Please use the Raster template (.xlsx) "
                     "or CSV.", lang)
    if b"\x00" in data[:8192]:
        raise _fatal(name, "Die Datei ist keine Tabelle (weder Excel-Arbeitsmappe .xlsx noch CSV).",
                     "The file is not a spreadsheet (neither an Excel workbook .xlsx nor CSV).", lang)
    return "csv"


# -- xlsx ---------------------------------------------------------------------------------------

def _open_workbook(data: bytes, name: str, max_unpacked: int, lang: str):
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    corrupt = (f"Die Arbeitsmappe ist beschädigt und kann nicht gelesen werden. Bitte in Excel oder "
               f"LibreOffice öffnen und erneut als .xlsx speichern.",
               "The workbook is damaged and cannot be read. Please open it in Excel or LibreOffice and "
               "save it again as .xlsx.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
            unpacked = sum(i.file_size for i in z.infolist())
            mimetype = z.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError):
        raise _fatal(name, *corrupt, lang) from None
    if "xl/workbook.xml" not in names:
        if b"opendocument.spreadsheet" in mimetype:
            raise _fatal(name, "Die Datei ist eine OpenDocument-Tabelle (.ods). Bitte als Excel-Arbeitsmappe (.xlsx) "
                               "oder als CSV speichern.",
                         "The file is an OpenDocument spreadsheet (.ods). Please save it as an Excel workbook "
                         "(.xlsx) or as CSV.", lang)
        raise _fatal(name, "Die Datei ist ein ZIP-Archiv, aber keine Excel-Arbeitsmappe (.xlsx).",
                     "The file is a ZIP archive but not an Excel workbook (.xlsx).", lang)
    if unpacked > max_unpacked:
        raise _fatal(name, f"Die Arbeitsmappe ist entpackt {_mb(unpacked)} groß; erlaubt sind {_mb(max_unpacked)}.",
                     f"The workbook unpacks to {unpacked:,} bytes; the limit is {max_unpacked:,} bytes.", lang)
    errors: tuple = (zipfile.BadZipFile, KeyError, ValueError, TypeError, EOFError, OSError, ParseError,
                     InvalidFileException, IndexError, AttributeError)
    try:
        from lxml.etree import XMLSyntaxError

        errors += (XMLSyntaxError,)
    except ImportError:  # pragma: no cover - lxml is optional for openpyxl
        pass
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False), errors
    except errors:
        raise _fatal(name, *corrupt, lang) from None


def _find_sheet(wb, wanted: str, aliases: tuple[str, ...]) -> str | None:
    keys = {norm(wanted), *(norm(a) for a in aliases)}
    loose = {_loose(k) for k in keys}
    for title in wb.sheetnames:
        if norm(title) in keys:
            return title
    for title in wb.sheetnames:
        if _loose(norm(title)) in loose:
            return title
    return None


def _loose(key: str) -> str:
    return key.replace("ae", "a").replace("oe", "o").replace("ue", "u")


def _iter_rows(ws):
    """(row number, cells) for each row, stopping after a long run of empty rows."""
    empty = 0
    for number, cells in enumerate(ws.iter_rows(min_row=1, min_col=1), start=1):
        if any(c.value is not None and c.value != "" for c in cells):
            empty = 0
            yield number, cells
        else:
            empty += 1
            if empty >= _EMPTY_RUN:
                return


def _read_actor_sheet(ws, rf: RasterFile) -> None:
    sheet = rf.actor_sheet
    for number, cells in _iter_rows(ws):
        if number > 200:
            break
        label = _clean(cells[0].value) if cells else None
        cell = cells[1] if len(cells) > 1 else None
        if cell is not None and cell.data_type == "f":
            rf.problems.append(_formula_problem(sheet, number, str(label or "B"), cell.value))
            continue
        value = _clean(cell.value) if cell is not None else None
        if not isinstance(label, str):
            if value is not None:
                rf.problems.append(Problem("Angabe ohne Bezeichnung in Spalte A.", "Value without a label in column A.",
                                           sheet, number, "B", str(value)))
            continue
        if norm(label) == "feld":
            continue  # the heading row of the template
        f = find_field(label, ACTOR_FIELDS)
        if f is None:
            if value is not None:
                rf.problems.append(Problem(
                    "Unbekanntes Feld.", "Unknown field.", sheet, number, "A", label,
                    ", ".join(f.name for f in ACTOR_FIELDS), ", ".join(f.name for f in ACTOR_FIELDS)))
            continue
        if f.key in rf.actor_rows:
            rf.problems.append(Problem(f"Das Feld steht zweimal im Blatt (auch in Zeile {rf.actor_rows[f.key]}).",
                                       f"The field appears twice in the sheet (also in row {rf.actor_rows[f.key]}).",
                                       sheet, number, f.name, label))
            continue
        rf.actor_rows[f.key] = number
        if value is not None:
            p = _length_problem(f, value, sheet, number)
            if p:
                rf.problems.append(p)
            rf.actor[f.key] = value


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
    from openpyxl.utils import get_column_letter

    return get_column_letter(idx + 1)


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


def _read_activity_sheet(ws, rf: RasterFile) -> None:
    sheet = rf.activity_sheet
    columns: dict[int, Field] | None = None
    for number, cells in _iter_rows(ws):
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
            if cell.data_type == "f":
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


def _read_xlsx(data: bytes, name: str, max_unpacked: int, lang: str) -> RasterFile:
    wb, errors = _open_workbook(data, name, max_unpacked, lang)
    rf = RasterFile(filename=name, fmt="xlsx")
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
            _read_actor_sheet(wb[rf.actor_sheet], rf)
            _read_activity_sheet(wb[rf.activity_sheet], rf)
        except errors:
            raise _fatal(name, "Die Arbeitsmappe ist beschädigt und kann nicht gelesen werden. Bitte erneut als "
                               ".xlsx speichern.",
                         "The workbook is damaged and cannot be read. Please save it again as .xlsx.", lang) from None
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
    if fmt == "xlsx":
        return _read_xlsx(data, name, max(20 * max_bytes, 50_000_000), lang)
    return _read_csv(data, name, lang)

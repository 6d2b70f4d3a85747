"""Read a filled-in Konzept workbook (.xlsx or .ods; or the CSV files of the template) into plain rows.

The file checks are those of every workbook (:mod:`inko_graph.workbook.reading`): format by
content, size, damaged files, formulas refused. Here: the sheets are found by name (forgiving),
the header row is read against the columns of :mod:`.columns` (unknown or doubled columns, a
missing required column), and each row keeps its number for the messages.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from ..raster.columns import Field
from ..raster.reading import _formula_problem as _formula
from ..raster.reading import _length_problem as _length
from ..raster.reading import read_fields
from ..workbook import reading as wb
from ..workbook.book import column_letter
from ..workbook.problems import Problem, SheetError
from .columns import KONZEPT_FIELDS, KONZEPT_SHEET, TABLES, Table, find_field, norm

__all__ = ["KonzeptFile", "Rows", "Row", "read_konzept", "read_konzept_csv", "MAX_ROWS"]

MAX_ROWS = 5000


@dataclass
class Row:
    number: int
    values: dict[str, object]


@dataclass
class Rows:
    table: Table
    title: str | None                      # the sheet name as written in the file (None: sheet absent)
    rows: list[Row] = field(default_factory=list)
    columns: set[str] = field(default_factory=set)


@dataclass
class KonzeptFile:
    filename: str
    fmt: str
    konzept: dict[str, object] = field(default_factory=dict)
    konzept_rows: dict[str, int] = field(default_factory=dict)
    konzept_sheet: str = KONZEPT_SHEET
    tables: dict[str, Rows] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    #: the sheet „Abgleich“ (export): None if absent, else (row number, {column: value}) per filled row
    abgleich: list[tuple[int, dict]] | None = None

    def where_konzept(self, key: str) -> tuple[str, int | None, str]:
        f = next(f for f in KONZEPT_FIELDS if f.key == key)
        return self.konzept_sheet, self.konzept_rows.get(key), f.name


def _konzept_sheet(rows, kf: KonzeptFile) -> None:
    read_fields(rows, kf.konzept_sheet, KONZEPT_FIELDS, kf.problems, kf.konzept_rows, kf.konzept)


def _table_rows(rows, t: Table, title: str | None, kf: KonzeptFile) -> Rows:
    out = Rows(t, title)
    columns: dict[int, Field] | None = None
    sheet = title
    names = ", ".join(f.name for f in t.columns)
    for number, cells in rows:
        if columns is None:
            columns, seen = {}, {}
            for idx, c in enumerate(cells):
                text = wb.clean(c.value)
                if text is None:
                    continue
                f = find_field(str(text), t.columns)
                if f is None:
                    kf.problems.append(Problem(f"Unbekannte Spalte (Spalte {column_letter(idx)}). Bitte löschen oder "
                                               "umbenennen.", f"Unknown column (column {column_letter(idx)}).",
                                               sheet, number, str(text), str(text), names, names))
                    continue
                if f.key in seen:
                    kf.problems.append(Problem(f"Die Spalte gibt es zweimal (Spalten {column_letter(seen[f.key])} und "
                                               f"{column_letter(idx)}).", "The column appears twice.",
                                               sheet, number, f.name, str(text)))
                    continue
                seen[f.key] = idx
                columns[idx] = f
            out.columns = {f.key for f in columns.values()}
            for f in t.columns:
                if f.required and f.key not in out.columns:
                    kf.problems.append(Problem("Die Spalte fehlt. Bitte die Konzept-Vorlage verwenden.",
                                               "The column is missing. Please use the Konzept template.",
                                               sheet, 1, f.name, allowed_de=names, allowed_en=names))
            continue
        if len(out.rows) >= MAX_ROWS:
            kf.problems.append(Problem(f"Mehr als {MAX_ROWS} Zeilen; bitte kürzen.", f"More than {MAX_ROWS} rows.",
                                       sheet, number))
            break
        values: dict[str, object] = {}
        for idx, c in enumerate(cells):
            if c.value is None or c.value == "":
                continue
            f = columns.get(idx)
            if f is None:
                kf.problems.append(Problem(f"Wert in einer Spalte ohne Überschrift (Spalte {column_letter(idx)}).",
                                           "Value in a column without a heading.", sheet, number,
                                           column_letter(idx), str(c.value)))
                continue
            if c.formula:
                kf.problems.append(_formula(sheet, number, f.name, c.value))
                continue
            value = wb.clean(c.value)
            if value is None:
                continue
            p = _length(f, value, sheet, number)
            if p:
                kf.problems.append(p)
            values[f.key] = value
        if values:
            out.rows.append(Row(number, values))
    if columns is None and title is not None and t.required:
        kf.problems.append(Problem("Das Blatt ist leer: die Überschriften der Spalten fehlen.",
                                   "The sheet is empty: the column headings are missing.", sheet, 1))
    return out


def _missing_sheet(kf: KonzeptFile, title: str, have: list[str]) -> None:
    listed = ", ".join(have)
    kf.problems.append(Problem("Das Blatt fehlt. Bitte die Konzept-Vorlage verwenden.",
                               "The sheet is missing. Please use the Konzept template.", title,
                               allowed_de=f"vorhanden sind: {listed}", allowed_en=f"present: {listed}"))


def read_konzept(data: bytes, name: str, *, max_bytes: int, lang: str = "de") -> KonzeptFile:
    """Read a Konzept workbook. Fatal problems raise :class:`SheetError`; the others are in ``.problems``."""
    wb.check_size(data, max_bytes, name, lang)
    fmt = wb.detect(data, name, lang)
    if fmt == "csv":
        return read_konzept_csv({KONZEPT_SHEET: data}, name, lang=lang)
    book = wb.open_book(data, name, max_unpacked=max(20 * max_bytes, 50_000_000), lang=lang, fmt=fmt)
    kf = KonzeptFile(filename=name, fmt=fmt)
    try:
        found = wb.find_sheet(book, {norm(KONZEPT_SHEET), norm("Konzeptangaben")}, norm)
        if found is None:
            _missing_sheet(kf, KONZEPT_SHEET, book.sheetnames)
        else:
            kf.konzept_sheet = found
            _konzept_sheet(book.rows(found), kf)
        for t in TABLES:
            title = wb.find_sheet(book, {norm(t.title), *(norm(a) for a in t.aliases)}, norm)
            if title is None:
                if t.required:
                    _missing_sheet(kf, t.title, book.sheetnames)
                kf.tables[t.key] = Rows(t, None)
                continue
            kf.tables[t.key] = _table_rows(book.rows(title), t, title, kf)
        title = wb.find_sheet(book, {norm("Abgleich")}, norm)
        if title is not None:
            kf.abgleich = _plain_rows(book.rows(title))
    finally:
        book.close()
    return kf


def _plain_rows(rows) -> list[tuple[int, dict]]:
    out, header = [], None
    for number, cells in rows:
        values = [wb.clean(c.value) for c in cells]
        if header is None:
            header = [str(v) if v is not None else "" for v in values]
            continue
        out.append((number, {h: v for h, v in zip(header, values) if h and v is not None}))
    return out


class _CsvCell:
    __slots__ = ("value", "formula")

    def __init__(self, value):
        self.value = value
        self.formula = isinstance(value, str) and value.lstrip().startswith("=")


def _csv_rows(data: bytes):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    for number, cells in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
        if any(c.strip() for c in cells):
            yield number, [_CsvCell(c if c != "" else None) for c in cells]


def read_konzept_csv(files: dict[str, bytes], name: str, *, lang: str = "de") -> KonzeptFile:
    """The CSV form: one file per sheet, keyed by sheet title (``Konzept`` holds Feld;Angabe rows)."""
    kf = KonzeptFile(filename=name, fmt="csv")
    try:
        if KONZEPT_SHEET in files:
            _konzept_sheet(_csv_rows(files[KONZEPT_SHEET]), kf)
        else:
            _missing_sheet(kf, KONZEPT_SHEET, list(files))
        for t in TABLES:
            if t.title in files:
                kf.tables[t.key] = _table_rows(_csv_rows(files[t.title]), t, t.title, kf)
            else:
                if t.required:
                    _missing_sheet(kf, t.title, list(files))
                kf.tables[t.key] = Rows(t, None)
    except csv.Error as e:
        raise SheetError(name, [Problem(f"Die CSV-Datei kann nicht gelesen werden ({e}).",
                                        f"The CSV file cannot be read ({e}).")], lang) from None
    return kf

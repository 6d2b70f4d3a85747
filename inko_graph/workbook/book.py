"""A template described independently of its file format: sheets, cells, widths and drop-downs.

A drop-down (:class:`Choice`) binds a range of cells to column A of a list sheet (rows 2 …
``count + 1``). ``strict`` drop-downs refuse other input in the spreadsheet program; the others
warn only (several values separated by ``;``, or a new name, may be typed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Choice", "Rule", "Sheet", "Book", "FORMATS", "format_of", "column_letter", "column_index", "parse_range"]

#: The formats a template can be written in, by file extension.
FORMATS = ("xlsx", "ods", "csv")


@dataclass
class Choice:
    cells: str                 # "C2:C1001" or "B5"
    source: str                # the list sheet
    count: int                 # entries in the list (rows 2 … count + 1 of column A)
    strict: bool = True
    title: str = ""
    prompt: str = ""
    column: str = "A"          # the list's column in the source sheet


@dataclass
class Rule:
    """Another check of cells: ``whole`` (a whole number between low and high), ``date`` (a date between
    the years low and high), ``length`` (text of at most ``high`` characters)."""
    cells: str
    kind: str
    low: int = 0
    high: int = 0
    title: str = ""
    prompt: str = ""
    error_title: str = ""
    error: str = ""
    warning: bool = False   # only warn, do not refuse


@dataclass
class Sheet:
    title: str
    rows: list[list] = field(default_factory=list)       # row 1 first; None for an empty cell
    widths: dict[int, float] = field(default_factory=dict)  # column index (0-based) -> width in characters
    bold_rows: set[int] = field(default_factory=set)       # 1-based
    bold_cells: set[tuple[int, int]] = field(default_factory=set)  # (row, column), 1-based
    fill_cells: set[tuple[int, int]] = field(default_factory=set)  # marked as required
    wrap: bool = False
    protected: bool = False
    freeze_header: bool = False
    choices: list[Choice] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    number_formats: dict[int, str] = field(default_factory=dict)  # column index -> Excel number format
    #: rows that carry drop-downs without a value (the form's empty rows), for formats that need the cells
    form_rows: int = 0

    def set(self, row: int, col: int, value) -> None:
        """Put ``value`` at (row, col), 1-based, growing the grid as needed."""
        while len(self.rows) < row:
            self.rows.append([])
        cells = self.rows[row - 1]
        while len(cells) < col:
            cells.append(None)
        cells[col - 1] = value


@dataclass
class Book:
    sheets: list[Sheet] = field(default_factory=list)
    active: int = 0   # the sheet shown when the file is opened

    def sheet(self, title: str) -> Sheet:
        return next(s for s in self.sheets if s.title == title)


def format_of(name: str) -> str | None:
    """``xlsx``, ``ods`` or ``csv`` from a file name's extension; ``None`` for any other."""
    m = re.search(r"\.([A-Za-z]+)$", str(name))
    ext = m.group(1).lower() if m else ""
    return ext if ext in FORMATS else None


def column_letter(idx: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    out = ""
    idx += 1
    while idx:
        idx, r = divmod(idx - 1, 26)
        out = chr(65 + r) + out
    return out


def column_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


_CELL = re.compile(r"^([A-Z]+)(\d+)$")


def parse_range(cells: str) -> tuple[int, int, int, int]:
    """``"C2:C1001"`` -> (first row, last row, first column, last column), rows 1-based, columns 0-based."""
    parts = cells.split(":")
    a = _CELL.match(parts[0])
    b = _CELL.match(parts[-1])
    return int(a.group(2)), int(b.group(2)), column_index(a.group(1)), column_index(b.group(1))

"""Open a filled-in workbook (.xlsx or .ods) or tell in plain German what the file is instead.

The format is decided by the content, not by the name: a ZIP with ``xl/workbook.xml`` is an Excel
workbook, a ZIP whose ``mimetype`` says OpenDocument spreadsheet is an .ods file, text is CSV;
everything else (an encrypted workbook, an old .xls, a PDF, a text document) is refused with a
message that says what the file seems to be. :class:`OpenBook` gives the rows of a sheet as cells
with their value and whether the cell holds a formula, the same for both formats.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from datetime import date, datetime
from xml.etree.ElementTree import ParseError

from ..errors import TooLarge
from .ods import MAX_COLS, MAX_ROWS, MIMETYPE, TooManyRows, read_ods
from .problems import Problem, SheetError

__all__ = ["Cell", "OpenBook", "open_book", "detect", "check_size", "clean", "find_sheet", "loose",
           "SUPPORTED_DE", "SUPPORTED_EN", "EMPTY_RUN"]

SUPPORTED_DE = "als Excel-Arbeitsmappe (.xlsx), als OpenDocument-Tabelle (.ods) oder als CSV"
SUPPORTED_EN = "as an Excel workbook (.xlsx), an OpenDocument spreadsheet (.ods) or CSV"
#: Stop reading a sheet after this many empty rows in a row (huge declared sizes).
EMPTY_RUN = 5000
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
#: Control and invisible format characters (not tab and line break): they only hide differences.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e"
                        "\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]")


@dataclass
class Cell:
    value: object
    formula: bool = False


def _mb(n: int) -> str:
    return f"{n / 1_000_000:.1f}".replace(".", ",") + " MB"


def _de_int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def check_size(data: bytes, limit: int, name: str, lang: str = "de") -> None:
    if len(data) > limit:
        if lang == "en":
            msg = (f"The file is {len(data):,} bytes; the limit is {limit:,} bytes "
                   f"({limit / 1_000_000:.1f} MB). Please split it into smaller files.")
        else:
            msg = (f"Die Datei ist {_mb(len(data))} groß ({_de_int(len(data))} Bytes); erlaubt sind höchstens "
                   f"{_mb(limit)} ({_de_int(limit)} Bytes). Bitte auf mehrere kleinere Dateien verteilen.")
        raise TooLarge(msg, source=name)


def fatal(name: str, de: str, en: str, lang: str) -> SheetError:
    return SheetError(name, [Problem(de, en)], lang)


def clean(value):
    """A cell value as text without invisible characters; dates and numbers unchanged."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, (datetime, date, int, float)):
        return value
    text = unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    text = _INVISIBLE.sub("", text).strip()
    if len(text) >= 2 and text[0] == "'" and text[1] in "=+-@":
        text = text[1:]  # the apostrophe spreadsheets use to keep such text from being a formula
    return text or None


def detect(data: bytes, name: str, lang: str = "de") -> str:
    """``xlsx``, ``ods`` or ``csv``; anything else raises :class:`SheetError` saying what it is."""
    if not data.strip():
        raise fatal(name, "Die Datei ist leer.", "The file is empty.", lang)
    if data.startswith(_OLE):
        if _ENCRYPTED in data:
            raise fatal(name, "Die Arbeitsmappe ist mit einem Kennwort geschützt (verschlüsselt) und kann nicht "
                              "gelesen werden. Bitte den Kennwortschutz entfernen und erneut speichern.",
                        "The workbook is protected by a password (encrypted) and cannot be read. Please remove "
                        "the password and save it again.", lang)
        raise fatal(name, f"Die Datei ist im alten Excel-Format (.xls). Bitte {SUPPORTED_DE} speichern.",
                    f"The file is in the old Excel format (.xls). Please save it {SUPPORTED_EN}.", lang)
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
                mimetype = z.read("mimetype")[:100] if "mimetype" in names else b""
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, KeyError):
            raise _corrupt(name, "xlsx", lang) from None
        if "xl/workbook.xml" in names:
            return "xlsx"
        if mimetype.strip() == MIMETYPE and "content.xml" in names:
            return "ods"
        if b"opendocument" in mimetype:
            raise fatal(name, f"Die Datei ist ein OpenDocument-Dokument, aber keine Tabelle. Bitte {SUPPORTED_DE} "
                              "speichern.",
                        f"The file is an OpenDocument file but not a spreadsheet. Please save it {SUPPORTED_EN}.",
                        lang)
        if "word/document.xml" in names:
            raise fatal(name, f"Die Datei ist ein Word-Dokument, keine Tabelle. Bitte {SUPPORTED_DE} speichern.",
                        f"The file is a Word document, not a spreadsheet. Please save it {SUPPORTED_EN}.", lang)
        raise fatal(name, "Die Datei ist ein ZIP-Archiv, aber keine Excel-Arbeitsmappe (.xlsx) und keine "
                          f"OpenDocument-Tabelle (.ods). Bitte {SUPPORTED_DE} speichern.",
                    "The file is a ZIP archive but neither an Excel workbook (.xlsx) nor an OpenDocument "
                    f"spreadsheet (.ods). Please save it {SUPPORTED_EN}.", lang)
    if data.startswith(b"%PDF"):
        raise fatal(name, f"Die Datei ist ein PDF-Dokument, keine Tabelle. Bitte die Vorlage {SUPPORTED_DE} "
                          "verwenden.",
                    f"The file is a PDF document, not a spreadsheet. Please use the template {SUPPORTED_EN}.", lang)
    if b"\x00" in data[:8192]:
        raise fatal(name, "Die Datei ist keine Tabelle (weder Excel-Arbeitsmappe .xlsx noch OpenDocument-Tabelle "
                          ".ods noch CSV).",
                    "The file is not a spreadsheet (neither an Excel workbook .xlsx nor an OpenDocument "
                    "spreadsheet .ods nor CSV).", lang)
    return "csv"


def _corrupt(name: str, fmt: str, lang: str) -> SheetError:
    ext = ".ods" if fmt == "ods" else ".xlsx"
    return fatal(name, f"Die Arbeitsmappe ist beschädigt und kann nicht gelesen werden. Bitte in Excel oder "
                       f"LibreOffice öffnen und erneut als {ext} speichern.",
                 f"The workbook is damaged and cannot be read. Please open it in Excel or LibreOffice and "
                 f"save it again as {ext}.", lang)


class OpenBook:
    """A workbook opened for reading: sheet names and the rows of each sheet as :class:`Cell` lists."""

    def __init__(self, fmt: str, name: str, lang: str, wb=None, ods=None, errors: tuple = ()):
        self.fmt, self.name, self.lang = fmt, name, lang
        self._wb, self._ods, self.errors = wb, ods, errors

    @property
    def sheetnames(self) -> list[str]:
        return list(self._wb.sheetnames) if self._wb is not None else list(self._ods)

    def rows(self, title: str):
        """(row number, cells from column A) of each row that holds something; stops after a long empty run."""
        try:
            if self._ods is not None:
                yield from self._ods[title]
                return
            empty = 0
            ws = self._wb[title]
            # a cell far to the right (column XFD) made every row 16,384 cells long: columns as for .ods
            wide = {"max_col": MAX_COLS} if (ws.max_column or 0) > MAX_COLS else {}
            for number, cells in enumerate(ws.iter_rows(min_row=1, min_col=1, **wide), start=1):
                if any(c.value is not None and c.value != "" for c in cells):
                    empty = 0
                    yield number, [Cell(c.value, getattr(c, "data_type", None) == "f") for c in cells]
                else:
                    empty += 1
                    if empty >= EMPTY_RUN:
                        return
        except self.errors:
            raise _corrupt(self.name, self.fmt, self.lang) from None

    def close(self) -> None:
        if self._wb is not None:
            self._wb.close()


def open_book(data: bytes, name: str, *, max_unpacked: int, lang: str = "de", fmt: str | None = None) -> OpenBook:
    """Open an .xlsx or .ods workbook (``fmt`` from :func:`detect` if not given)."""
    fmt = fmt or detect(data, name, lang)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            unpacked = sum(i.file_size for i in z.infolist())
            if unpacked > max_unpacked:
                raise fatal(name, f"Die Arbeitsmappe ist entpackt {_mb(unpacked)} groß; erlaubt sind {_mb(max_unpacked)}.",
                            f"The workbook unpacks to {unpacked:,} bytes; the limit is {max_unpacked:,} bytes.", lang)
            content = z.read("content.xml") if fmt == "ods" else None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, KeyError, RuntimeError, zlib.error):
        raise _corrupt(name, fmt, lang) from None
    errors: tuple = (zipfile.BadZipFile, KeyError, ValueError, TypeError, EOFError, OSError, ParseError,
                     IndexError, AttributeError, zlib.error)  # zlib.error: a broken deflate stream
    try:
        from lxml.etree import XMLSyntaxError

        errors += (XMLSyntaxError,)
    except ImportError:  # pragma: no cover - lxml is optional
        pass
    if fmt == "ods":
        try:
            return OpenBook("ods", name, lang, ods=read_ods(content), errors=errors)
        except TooManyRows as e:
            raise fatal(name, f"Die Tabelle „{e.sheet}“ hat mehr als {_de_int(MAX_ROWS)} gefüllte Zeilen (wiederholte "
                              "Zeilen mitgezählt). Bitte auf mehrere Dateien verteilen.",
                        f"The sheet “{e.sheet}” has more than {MAX_ROWS:,} filled rows (repeated rows counted). "
                        "Please split the file.", lang) from None
        except errors:
            raise _corrupt(name, fmt, lang) from None
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    errors += (InvalidFileException,)
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except errors:
        raise _corrupt(name, fmt, lang) from None
    return OpenBook("xlsx", name, lang, wb=wb, errors=errors)


def loose(key: str) -> str:
    return key.replace("ae", "a").replace("oe", "o").replace("ue", "u")


def find_sheet(book: OpenBook, keys: set[str], norm) -> str | None:
    """The sheet whose name, compared forgivingly with ``norm``, is one of ``keys`` (already normalised)."""
    looser = {loose(k) for k in keys}
    for title in book.sheetnames:
        if norm(title) in keys:
            return title
    for title in book.sheetnames:
        if loose(norm(title)) in looser:
            return title
    return None

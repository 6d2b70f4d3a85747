"""Every cockpit table as a download: CSV (as German spreadsheet programs read it) and Excel.

A page hands its tables to ``cockpit_base.page`` as ``Tabelle`` objects: the columns shown on the
page and the rows as plain text. ``?format=csv`` or ``?format=xlsx`` (with ``&tabelle=<id>``
when a page has several) answers the file instead of the page; the page links to them with
``download_links``.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

__all__ = ["Tabelle", "FORMATS", "download"]

FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@dataclass
class Tabelle:
    id: str
    titel: str
    spalten: list[str]
    zeilen: list[list] = field(default_factory=list)


def _cell(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "ja" if v else "nein"
    if isinstance(v, (list, tuple, set)):
        return "; ".join(str(x) for x in v)
    return v


def _csv(t: Tabelle) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow(t.spalten)
    for row in t.zeilen:
        w.writerow([str(_cell(v)).replace(".", ",") if isinstance(_cell(v), float) else _cell(v) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _safe_text(v):
    # A cell starting with = + - @ would be read as a formula by spreadsheet programs.
    if isinstance(v, str):
        v = _ILLEGAL.sub("", v)
        if v[:1] in ("=", "+", "-", "@"):
            return "'" + v
    return v


def _xlsx(t: Tabelle) -> bytes:
    """The table as a workbook, written row by row (write-only: a Kreis's table of thousands of
    rows is not held as cell objects)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(re.sub(r"[\[\]:*?/\\]", " ", t.titel)[:31] or "Tabelle")
    for i, name in enumerate(t.spalten, start=1):
        width = max([len(str(name))] + [len(str(_cell(r[i - 1]))) for r in t.zeilen[:200] if len(r) >= i])
        ws.column_dimensions[get_column_letter(i)].width = min(60, max(8, width + 2))
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for name in t.spalten:
        c = WriteOnlyCell(ws, value=name)
        c.font = bold
        header.append(c)
    ws.append(header)
    for row in t.zeilen:
        ws.append([_safe_text(_cell(v)) for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _safe_filename(text: str) -> str:
    s = text.lower()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        s = s.replace(a, b)
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")[:80] or "tabelle"


def download(request, tabellen: list[Tabelle], fmt: str, which: str | None, name: str):
    """The response for ``?format=`` (``None`` if the format is not one of ours)."""
    from starlette.responses import Response

    from .http_errors import error_response

    if fmt not in FORMATS:
        return None
    chosen = next((t for t in tabellen if t.id == which), None) if which else (tabellen[0] if tabellen else None)
    if chosen is None:
        return error_response(request, 404, "Diese Tabelle gibt es auf der Seite nicht.")
    data = _csv(chosen) if fmt == "csv" else _xlsx(chosen)
    filename = _safe_filename(name + ("-" + chosen.titel if len(tabellen) > 1 else "")) + "." + fmt
    return Response(data, media_type=FORMATS[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{filename}"',
                             "X-Content-Type-Options": "nosniff"})

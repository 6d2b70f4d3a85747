"""Downloads of the cockpit's tables (``cockpit_export``): the workbook written row by row holds
what a workbook built cell by cell holds: title, values, bold header, column widths, frozen header."""

from __future__ import annotations

import io
import re

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from inko_graph.server.cockpit_base import Tabelle
from inko_graph.server.cockpit_export import _cell, _safe_text, _xlsx


def _reference(t: Tabelle) -> bytes:
    """The workbook built as a normal (not write-only) workbook."""
    wb = Workbook()
    ws = wb.active
    ws.title = re.sub(r"[\[\]:*?/\\]", " ", t.titel)[:31] or "Tabelle"
    ws.append(t.spalten)
    for c in ws[1]:
        c.font = Font(bold=True)
    for row in t.zeilen:
        ws.append([_safe_text(_cell(v)) for v in row])
    for i, name in enumerate(t.spalten, start=1):
        width = max([len(str(name))] + [len(str(_cell(r[i - 1]))) for r in t.zeilen[:200] if len(r) >= i])
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = min(60, max(8, width + 2))
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _content(data: bytes) -> dict:
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    return {"titel": ws.title, "werte": [list(r) for r in ws.iter_rows(values_only=True)],
            "fett": [c.font.b for c in ws[1]], "zweite_zeile_fett": [bool(c.font.b) for c in ws[2]],
            "breiten": {k: d.width for k, d in ws.column_dimensions.items() if d.width},
            "fixiert": ws.freeze_panes}


def test_workbook_written_row_by_row_holds_what_the_cell_by_cell_one_holds():
    rows = [["Ziel 1: Sprache", 3, 2.5, True, None, ["a", "b"]],
            ["=SUMME(A1)", -4, 0.0, False, "x" * 90, []],
            ["Ärger/Übel: [Test]", 0, 1e-3, None, "-1", ("c",)]] * 40
    t = Tabelle("t", "Wer dient: welchem [Ziel]?", ["Ziel", "Zahl", "Anteil", "Ja/Nein", "Text", "Liste"], rows)
    got = _content(_xlsx(t))
    assert got == _content(_reference(t))
    assert got["fett"] == [True] * 6 and got["fixiert"] == "A2" and got["werte"][2][0] == "'=SUMME(A1)"

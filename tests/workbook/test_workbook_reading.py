"""Reading .xlsx workbooks: a cell far to the right does not make every row thousands of cells long."""

from __future__ import annotations

import io

import openpyxl

from inko_graph.workbook.ods import MAX_COLS
from inko_graph.workbook.reading import open_book


def test_a_cell_in_the_last_column_does_not_widen_every_row():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Ziele"
    ws["A1"], ws["B1"] = "Nr", "Ziel"
    for i in range(2, 50):
        ws.cell(row=i, column=1, value=str(i))
    ws.cell(row=2, column=16384, value="ganz rechts")  # column XFD, the last one Excel has
    buf = io.BytesIO()
    wb.save(buf)
    rows = list(open_book(buf.getvalue(), "breit.xlsx", max_unpacked=10_000_000).rows("Ziele"))
    assert len(rows) == 49 and rows[-1][1][0].value == "49"
    assert max(len(cells) for _, cells in rows) <= MAX_COLS

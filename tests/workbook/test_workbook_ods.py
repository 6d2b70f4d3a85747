"""Reading OpenDocument spreadsheets: repeated rows are bounded, so a small file cannot ask for millions."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from inko_graph.workbook.ods import MAX_ROWS, MIMETYPE
from inko_graph.workbook.problems import SheetError
from inko_graph.workbook.reading import open_book

_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
       'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
       'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')


def _ods(rows: int, repeat: int) -> bytes:
    row = (f'<table:table-row table:number-rows-repeated="{repeat}"><table:table-cell office:value-type="string">'
           '<text:p>x</text:p></table:table-cell></table:table-row>')
    xml = (f'<?xml version="1.0"?><office:document-content {_NS}><office:body><office:spreadsheet>'
           f'<table:table table:name="Ziele">{row * rows}</table:table></office:spreadsheet></office:body>'
           '</office:document-content>').encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), MIMETYPE, compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", xml)
    return buf.getvalue()


def test_repeated_rows_beyond_the_limit_are_refused_quickly_in_german():
    data = _ods(2000, 1_000_000)  # about 2 KB asking for 20 million rows
    assert len(data) < 5000
    t = time.perf_counter()
    with pytest.raises(SheetError) as e:
        open_book(data, "gross.ods", max_unpacked=10_000_000)
    assert time.perf_counter() - t < 5
    text = " ".join(e.value.problems)
    assert "„Ziele“ hat mehr als 100.000 gefüllte Zeilen" in text and "verteilen" in text


def test_repeated_rows_within_the_limit_are_read():
    book = open_book(_ods(3, MAX_ROWS // 4), "klein.ods", max_unpacked=10_000_000)
    rows = list(book.rows("Ziele"))
    assert len(rows) == 3 * min(MAX_ROWS // 4, 10_000) and rows[-1][1][0].value == "x"

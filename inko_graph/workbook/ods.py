"""OpenDocument spreadsheets (.ods) without extra packages: write a :class:`.book.Book`, read cells.

Writing: ``content.xml`` with one ``table:content-validation`` per drop-down (a list bound to
column A of a list sheet, as LibreOffice writes it), bold and marked cells, column widths and
protected list sheets. Reading: the cells of every sheet with their typed values (text, number,
date, truth value) and whether a cell holds a formula; rows and cells repeated by
``number-rows-repeated``/``number-columns-repeated`` are expanded only where they hold something,
so a sheet that declares a million empty rows costs nothing.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime
from xml.sax.saxutils import escape, quoteattr

from .book import Book, Sheet, parse_range

__all__ = ["ods_bytes", "read_ods", "MIMETYPE", "OdsCell", "TooManyRows", "MAX_ROWS", "MAX_COLS"]

MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"

_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "of": "urn:oasis:names:tc:opendocument:xmlns:of:1.2",
    "calcext": "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0",
}
_DECL = " ".join(f'xmlns:{k}="{v}"' for k, v in _NS.items())

_MANIFEST = ('<?xml version="1.0" encoding="UTF-8"?>\n'
             '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
             'manifest:version="1.2">'
             '<manifest:file-entry manifest:full-path="/" manifest:version="1.2" '
             'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
             '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
             '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
             '</manifest:manifest>')
_STYLES = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-styles {_DECL} office:version="1.2">'
           '<office:styles/></office:document-styles>')


# -- writing --------------------------------------------------------------------------------------

def _quote_sheet(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _text_p(value: str) -> str:
    """Text as paragraphs; runs of spaces kept with ``text:s``."""
    out = []
    for line in str(value).split("\n"):
        line = escape(line)
        line = re.sub(r"  +", lambda m: " " + f'<text:s text:c="{len(m.group(0)) - 1}"/>', line)
        out.append(f"<text:p>{line}</text:p>")
    return "".join(out)


def _cell_xml(value, style: str | None, validation: str | None) -> str:
    attrs = ""
    if style:
        attrs += f' table:style-name="{style}"'
    if validation:
        attrs += f' table:content-validation-name="{validation}"'
    if value is None or value == "":
        return f"<table:table-cell{attrs}/>"
    if isinstance(value, bool):
        v = "true" if value else "false"
        return (f'<table:table-cell{attrs} office:value-type="boolean" office:boolean-value="{v}">'
                f"<text:p>{'WAHR' if value else 'FALSCH'}</text:p></table:table-cell>")
    if isinstance(value, (int, float)):
        return (f'<table:table-cell{attrs} office:value-type="float" office:value="{value!r}">'
                f"<text:p>{value}</text:p></table:table-cell>")
    if isinstance(value, (date, datetime)):
        iso = value.isoformat()
        return (f'<table:table-cell{attrs} office:value-type="date" office:date-value="{iso}">'
                f"<text:p>{iso}</text:p></table:table-cell>")
    return f'<table:table-cell{attrs} office:value-type="string">{_text_p(value)}</table:table-cell>'


def _validations(book: Book) -> tuple[str, dict[str, dict[tuple[int, int], str]]]:
    """The ``content-validations`` element and, per sheet, which cell uses which validation."""
    parts, where = [], {}
    n = 0
    for sheet in book.sheets:
        cells = where.setdefault(sheet.title, {})
        for ch in sheet.choices:
            n += 1
            name = f"val{n}"
            r1, r2, c1, c2 = parse_range(ch.cells)
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    cells[(r, c)] = name
            src = _quote_sheet(ch.source)
            col = ch.column
            cond = f"of:cell-content-is-in-list([${src}.${col}$2:.${col}${max(ch.count + 1, 2)}])"
            body = ""
            if ch.prompt:
                body += (f"<table:help-message table:title={quoteattr(ch.title[:64])} table:display=\"true\">"
                         f"{_text_p(ch.prompt)}</table:help-message>")
            if ch.strict:
                body += ('<table:error-message table:message-type="stop" table:title="Wert nicht in der Liste" '
                         'table:display="true"><text:p>Bitte einen Wert aus der Liste wählen.</text:p>'
                         "</table:error-message>")
            parts.append(f"<table:content-validation table:name=\"{name}\" table:condition={quoteattr(cond)} "
                         f"table:allow-empty-cell=\"true\" table:display-list=\"unsorted\" "
                         f"table:base-cell-address={quoteattr(_quote_sheet(sheet.title) + '.A1')}>{body}"
                         "</table:content-validation>")
        for rule in sheet.rules:
            n += 1
            name = f"val{n}"
            r1, r2, c1, c2 = parse_range(rule.cells)
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    cells[(r, c)] = name
            # written as LibreOffice writes them (it reads them back the same)
            if rule.kind == "whole":
                cond = f"of:cell-content-is-whole-number() and cell-content-is-between({rule.low},{rule.high})"
            elif rule.kind == "date":
                cond = (f"of:cell-content-is-date() and cell-content-is-between(DATE({rule.low};1;1),"
                        f"DATE({rule.high};12;31))")
            else:
                cond = f"of:cell-content-text-length()<={rule.high}"
            body = ""
            if rule.prompt:
                body += (f"<table:help-message table:title={quoteattr(rule.title[:64])} table:display=\"true\">"
                         f"{_text_p(rule.prompt)}</table:help-message>")
            kind = "warning" if rule.warning else "stop"
            body += (f"<table:error-message table:message-type=\"{kind}\" table:title={quoteattr(rule.error_title)} "
                     f"table:display=\"true\">{_text_p(rule.error)}</table:error-message>")
            parts.append(f"<table:content-validation table:name=\"{name}\" table:condition={quoteattr(cond)} "
                         f"table:allow-empty-cell=\"true\" "
                         f"table:base-cell-address={quoteattr(_quote_sheet(sheet.title) + '.A1')}>{body}"
                         "</table:content-validation>")
    return (f"<table:content-validations>{''.join(parts)}</table:content-validations>" if parts else ""), where


def _table_xml(sheet: Sheet, widths: dict[tuple[str, int], str], validation_at: dict) -> str:
    out = [f"<table:table table:name={quoteattr(sheet.title)}"
           + (' table:protected="true"' if sheet.protected else "") + ">"]
    ncols = max([len(r) for r in sheet.rows] + [c + 1 for (_, c) in validation_at] + [1])
    for c in range(ncols):
        style = widths.get((sheet.title, c))
        out.append(f'<table:table-column table:style-name="{style}"/>' if style else "<table:table-column/>")
    last_row = max([len(sheet.rows)] + [r for (r, _) in validation_at])
    pending, pending_xml = 0, None

    def flush():
        nonlocal pending, pending_xml
        if pending:
            rep = f' table:number-rows-repeated="{pending}"' if pending > 1 else ""
            out.append(f"<table:table-row{rep}>{pending_xml}</table:table-row>")
        pending, pending_xml = 0, None

    for r in range(1, last_row + 1):
        values = sheet.rows[r - 1] if r <= len(sheet.rows) else []
        cells = []
        for c in range(ncols):
            value = values[c] if c < len(values) else None
            if r in sheet.bold_rows or (r, c + 1) in sheet.bold_cells:
                style = "ceB"
            elif (r, c + 1) in sheet.fill_cells:
                style = "ceF"
            elif sheet.wrap:
                style = "ceW"
            else:
                style = None
            cells.append(_cell_xml(value, style, validation_at.get((r, c))))
        xml = "".join(cells)
        if pending_xml == xml:
            pending += 1
        else:
            flush()
            pending, pending_xml = 1, xml
    flush()
    out.append("</table:table>")
    return "".join(out)


def ods_bytes(book: Book) -> bytes:
    """The OpenDocument spreadsheet for ``book``."""
    styles = ['<style:style style:name="ceB" style:family="table-cell"><style:text-properties fo:font-weight="bold"/>'
              "</style:style>",
              '<style:style style:name="ceF" style:family="table-cell">'
              '<style:table-cell-properties fo:background-color="#fff2cc"/></style:style>',
              '<style:style style:name="ceW" style:family="table-cell">'
              '<style:table-cell-properties fo:wrap-option="wrap" style:vertical-align="top"/></style:style>']
    widths: dict[tuple[str, int], str] = {}
    for i, sheet in enumerate(book.sheets):
        for c, w in sheet.widths.items():
            name = f"co{i}x{c}"
            widths[(sheet.title, c)] = name
            styles.append(f'<style:style style:name="{name}" style:family="table-column">'
                          f'<style:table-column-properties style:column-width="{w * 0.19:.2f}cm"/></style:style>')
    validations, where = _validations(book)
    tables = "".join(_table_xml(s, widths, where.get(s.title, {})) for s in book.sheets)
    content = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {_DECL} office:version="1.2">'
               f"<office:automatic-styles>{''.join(styles)}</office:automatic-styles>"
               f"<office:body><office:spreadsheet>{validations}{tables}</office:spreadsheet></office:body>"
               "</office:document-content>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), MIMETYPE, compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml", _MANIFEST, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("styles.xml", _STYLES, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content.encode("utf-8"), compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


# -- reading --------------------------------------------------------------------------------------

def _q(prefix: str, local: str) -> str:
    return f"{{{_NS[prefix]}}}{local}"


_T_TABLE, _T_ROW, _T_CELL, _T_COVERED = _q("table", "table"), _q("table", "table-row"), _q("table", "table-cell"), \
    _q("table", "covered-table-cell")
_A_NAME, _A_ROWS, _A_COLS = _q("table", "name"), _q("table", "number-rows-repeated"), _q("table", "number-columns-repeated")
_A_TYPE, _A_VALUE, _A_DATE = _q("office", "value-type"), _q("office", "value"), _q("office", "date-value")
_A_BOOL, _A_FORMULA, _A_TIME = _q("office", "boolean-value"), _q("table", "formula"), _q("office", "time-value")
_P, _S, _TAB, _BR = _q("text", "p"), _q("text", "s"), _q("text", "tab"), _q("text", "line-break")
#: Repeated empty cells or rows beyond this are not expanded (they carry nothing).
MAX_COLS = 1000
#: Rows with content in one sheet, counting repeated rows: more than any importer takes (a Raster 20,000),
#: and a bound on what a small file can make of ``number-rows-repeated`` (1.6 KB asked for 20 million rows).
MAX_ROWS = 100_000


class TooManyRows(ValueError):
    """A sheet has more than :data:`MAX_ROWS` rows with content."""

    def __init__(self, sheet: str):
        super().__init__(sheet)
        self.sheet = sheet


class OdsCell:
    __slots__ = ("value", "formula")

    def __init__(self, value, formula: bool = False):
        self.value = value
        self.formula = formula


def _text_of(el) -> str:
    parts = []

    def walk(node):
        if node.text:
            parts.append(node.text)
        for child in node:
            if child.tag == _S:
                parts.append(" " * int(child.get(_q("text", "c"), "1")))
            elif child.tag == _TAB:
                parts.append("\t")
            elif child.tag == _BR:
                parts.append("\n")
            else:
                walk(child)
            if child.tail:
                parts.append(child.tail)

    paragraphs = []
    for p in el.iter(_P):
        parts = []
        walk(p)
        paragraphs.append("".join(parts))
    return "\n".join(paragraphs)


def _value(el):
    kind = el.get(_A_TYPE)
    if kind in ("float", "percentage", "currency"):
        raw = el.get(_A_VALUE, "")
        try:
            num = float(raw)
        except ValueError:
            return _text_of(el) or None
        return int(num) if num.is_integer() and "." not in raw and "e" not in raw.lower() else num
    if kind == "date":
        raw = el.get(_A_DATE, "")
        try:
            return datetime.fromisoformat(raw) if "T" in raw else datetime.fromisoformat(raw + "T00:00:00")
        except ValueError:
            return _text_of(el) or None
    if kind == "boolean":
        return el.get(_A_BOOL) == "true"
    if kind == "time":
        return _text_of(el) or el.get(_A_TIME)
    text = _text_of(el)
    return text if text != "" else None


def read_ods(content_xml: bytes) -> dict[str, list[tuple[int, list[OdsCell]]]]:
    """Per sheet (in file order) the rows that hold something: (row number, cells from column A)."""
    from xml.etree import ElementTree as ET

    if b"<!DOCTYPE" in content_xml or b"<!ENTITY" in content_xml:
        # a spreadsheet never declares entities; they only serve to blow a small file up when read
        raise ValueError("content.xml declares a document type")
    root = ET.fromstring(content_xml)
    out: dict[str, list[tuple[int, list[OdsCell]]]] = {}
    for table in root.iter(_T_TABLE):
        rows: list[tuple[int, list[OdsCell]]] = []
        number = 0
        for row in table.iter(_T_ROW):
            repeat = int(row.get(_A_ROWS, "1") or 1)
            cells: list[OdsCell] = []
            for cell in row:
                if cell.tag not in (_T_CELL, _T_COVERED):
                    continue
                n = int(cell.get(_A_COLS, "1") or 1)
                formula = cell.get(_A_FORMULA) is not None
                value = _value(cell) if cell.tag == _T_CELL else None
                if value is None and not formula:
                    if len(cells) + n > MAX_COLS:
                        break
                    cells.extend(OdsCell(None) for _ in range(n))
                    continue
                for _ in range(min(n, MAX_COLS)):
                    cells.append(OdsCell(value, formula))
                if len(cells) >= MAX_COLS:
                    break
            while cells and cells[-1].value is None and not cells[-1].formula:
                cells.pop()
            if cells:
                if len(rows) + min(repeat, 10_000) > MAX_ROWS:
                    raise TooManyRows(table.get(_A_NAME) or f"Tabelle{len(out) + 1}")
                for k in range(min(repeat, 10_000)):
                    rows.append((number + 1 + k, cells))
            number += repeat
        out[table.get(_A_NAME) or f"Tabelle{len(out) + 1}"] = rows
    return out

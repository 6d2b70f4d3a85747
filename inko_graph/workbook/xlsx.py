"""Write a :class:`.book.Book` as an Excel workbook (openpyxl), with drop-downs as data validation.

Text is always written as text: a value that begins with ``=``, ``+``, ``-`` or ``@`` gets
Excel's quote prefix, so no entry can act as a formula.
"""

from __future__ import annotations

import io

from .book import Book, column_letter

__all__ = ["to_openpyxl", "xlsx_bytes", "FORMULA_START"]

#: Characters that make a spreadsheet read a cell as a formula.
FORMULA_START = ("=", "+", "-", "@")


def _put(ws, row: int, col: int, value):
    cell = ws.cell(row=row, column=col)
    if value is None or value == "":
        return cell
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_START):
            cell.quotePrefix = True
    return cell


def _ref(title: str, n: int, column: str = "A") -> str:
    return f"'{title}'!${column}$2:${column}${max(n + 1, 2)}"


def to_openpyxl(book: Book):
    """The openpyxl ``Workbook`` for ``book``."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="FFF2CC")
    wb = Workbook()
    wb.remove(wb.active)
    for spec in book.sheets:
        ws = wb.create_sheet(spec.title)
        for r, values in enumerate(spec.rows, start=1):
            for c, value in enumerate(values, start=1):
                cell = _put(ws, r, c, value)
                if r in spec.bold_rows or (r, c) in spec.bold_cells:
                    cell.font = bold
                if spec.wrap:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        for r, c in spec.fill_cells:
            ws.cell(row=r, column=c).fill = fill
        for idx, width in spec.widths.items():
            ws.column_dimensions[column_letter(idx)].width = width
        for ch in spec.choices:
            dv = DataValidation(type="list", formula1=_ref(ch.source, ch.count, ch.column), allow_blank=True,
                                showDropDown=False, showErrorMessage=ch.strict, showInputMessage=bool(ch.prompt))
            dv.promptTitle, dv.prompt = ch.title[:32], ch.prompt[:255]
            if ch.strict:
                dv.errorTitle, dv.error = "Wert nicht in der Liste", "Bitte einen Wert aus der Liste wählen."
            dv.add(ch.cells)
            ws.add_data_validation(dv)
        for rule in spec.rules:
            if rule.kind == "whole":
                dv = DataValidation(type="whole", operator="between", formula1=str(rule.low), formula2=str(rule.high))
            elif rule.kind == "date":
                dv = DataValidation(type="date", operator="between", formula1=f"DATE({rule.low},1,1)",
                                    formula2=f"DATE({rule.high},12,31)")
            else:
                dv = DataValidation(type="textLength", operator="lessThanOrEqual", formula1=str(rule.high))
            dv.allow_blank, dv.showErrorMessage, dv.showInputMessage = True, True, bool(rule.prompt)
            if rule.warning:
                dv.errorStyle = "warning"
            dv.promptTitle, dv.prompt = rule.title[:32], rule.prompt[:255]
            dv.errorTitle, dv.error = rule.error_title[:32], rule.error[:255]
            dv.add(rule.cells)
            ws.add_data_validation(dv)
        for idx, fmt in spec.number_formats.items():
            ws.column_dimensions[column_letter(idx)].number_format = fmt
        if spec.freeze_header:
            ws.freeze_panes = "A2"
        if spec.protected:
            ws.protection.sheet = True  # no password: it only prevents slips
    wb.active = book.active
    return wb


def xlsx_bytes(book: Book) -> bytes:
    buf = io.BytesIO()
    to_openpyxl(book).save(buf)
    return buf.getvalue()

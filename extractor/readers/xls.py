"""Excel 97-2003 .xls reader (BIFF, through xlrd): each visible sheet into a table, as .xlsx.

xlrd reads the cached value of a formula cell, each cell's number format and the merged
ranges (``formatting_info``); the sheet is then written like an .xlsx sheet (``_sheets``).
"""

from __future__ import annotations

import io

from extractor.document import Document
from extractor.errors import CorruptFile, EncryptedFile
from extractor.limits import ResourceBudget, current
from extractor.readers._build import TextBuilder
from extractor.readers._sheets import Sheet, emit_sheet, format_date, format_number, is_date_format


def _open(data: bytes, name: str):
    import xlrd

    try:
        return xlrd.open_workbook(
            file_contents=data, formatting_info=True, on_demand=True, logfile=io.StringIO(), verbosity=0
        )
    except xlrd.XLRDError as err:
        message = str(err)
        if "encrypt" in message.lower() or "password" in message.lower():
            raise EncryptedFile(name or None, "encrypted Excel workbook (password-protected)") from None
        raise CorruptFile(
            name or None, f"not a valid .xls ({message.splitlines()[0] if message else 'corrupt'})"
        ) from None


def _cell_text(book, sheet, r: int, c: int) -> str:
    import xlrd

    kind = sheet.cell_type(r, c)
    value = sheet.cell_value(r, c)
    if kind == xlrd.XL_CELL_TEXT:
        return value
    if kind not in (xlrd.XL_CELL_NUMBER, xlrd.XL_CELL_DATE):
        return "TRUE" if kind == xlrd.XL_CELL_BOOLEAN and value else ("FALSE" if kind == xlrd.XL_CELL_BOOLEAN else "")
    code = "General"
    xf = sheet.cell_xf_index(r, c)
    if 0 <= xf < len(book.xf_list):
        fmt = book.format_map.get(book.xf_list[xf].format_key)
        code = fmt.format_str if fmt is not None else code
    if kind == xlrd.XL_CELL_DATE or is_date_format(code):
        try:
            return format_date(xlrd.xldate.xldate_as_datetime(value, book.datemode), code)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return format_number(value)
    return format_number(value, code)


def _sheet(book, index: int, budget: ResourceBudget, counted: int) -> tuple[Sheet | None, int]:
    sheet = book.sheet_by_index(index)
    if sheet.visibility != 0:  # hidden or very hidden: not what the reader of the workbook sees
        return None, counted
    out = Sheet(sheet.name)
    for r in range(sheet.nrows):
        budget.tick(f"sheet {sheet.name}", every=256)
        for c in range(sheet.row_len(r)):
            text = _cell_text(book, sheet, r, c)
            if text:
                counted += 1
                budget.check_size("max_cells", counted, "workbook has over {} cells")
                out.cells[(r, c)] = text
    out.merges = [(rlo, clo, rhi - 1, chi - 1) for rlo, rhi, clo, chi in sheet.merged_cells if rhi > rlo and chi > clo]
    book.unload_sheet(index)
    return out, counted


def read_xls(data: bytes, name: str = "", *, budget: ResourceBudget | None = None) -> Document:
    budget = budget or current().budget(name)
    book = _open(data, name)
    try:
        builder, counted = TextBuilder(budget), 0
        for index in range(book.nsheets):
            budget.check(f"sheet {index + 1} of {book.nsheets}")
            sheet, counted = _sheet(book, index, budget, counted)
            if sheet is not None:
                emit_sheet(builder, sheet, budget)
    finally:
        book.release_resources()
    return builder.build("xls")

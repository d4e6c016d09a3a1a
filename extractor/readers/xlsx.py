"""Excel .xlsx reader: each visible sheet's cells, as its number formats show them, into a table.

Reads the package's XML directly (the same zip limits and safe XML parser as .docx), cell by
cell, so a sheet holding two cells far apart costs two cells, not the rectangle between them.
A formula cell is read by its cached value, the figure Excel showed when the file was saved.
"""

from __future__ import annotations

import posixpath
import re
import zipfile

from extractor.document import Document
from extractor.errors import CorruptFile
from extractor.limits import ResourceBudget, current
from extractor.readers._build import TextBuilder
from extractor.readers._sheets import (
    BUILTIN_FORMATS,
    DATE_FORMAT_IDS,
    Sheet,
    emit_sheet,
    format_date,
    format_number,
    is_date_format,
    serial_to_date,
)
from extractor.readers._zipxml import Package

WORKBOOK = "xl/workbook.xml"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
STRICT_REL_NS = "http://purl.oclc.org/ooxml/officeDocument/relationships"
_REF = re.compile(r"([A-Z]{1,3})?(\d+)?")
# Excel's grid: a reference beyond it is damage, not a cell.
EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(el, name: str) -> list:
    return [child for child in el if _local(child.tag) == name]


def _child(el, name: str):
    return next((child for child in el if _local(child.tag) == name), None)


def parse_ref(ref: str | None) -> tuple[int | None, int | None]:
    """``"B3"`` -> (row 2, column 1), 0-based; a part that is missing or off the grid is None."""
    m = _REF.fullmatch((ref or "").strip().upper())
    if not m:
        return None, None
    col = None
    if m.group(1):
        col = 0
        for ch in m.group(1):
            col = col * 26 + ord(ch) - 64
        col = col - 1 if col <= EXCEL_COLUMNS else None
    row = int(m.group(2)) - 1 if m.group(2) and 0 < int(m.group(2)) <= EXCEL_ROWS else None
    return row, col


def _text_of(el) -> str:
    """The text of a shared or inline string: its t elements, phonetic runs (rPh) left out."""
    parts = []
    for node in el.iter():
        if _local(node.tag) == "t" and node.text and not any(_local(a.tag) == "rPh" for a in node.iterancestors()):
            parts.append(node.text)
    return "".join(parts)


class _Workbook:
    """The parts of the package every sheet needs: sheet list, shared strings, number formats."""

    def __init__(self, package: Package, budget: ResourceBudget) -> None:
        self.package, self.budget = package, budget
        root = package.xml(WORKBOOK)
        pr = _child(root, "workbookPr")
        self.date1904 = pr is not None and pr.get("date1904", "0").lower() in ("1", "true")
        sheets = _child(root, "sheets")
        self.sheets = [] if sheets is None else _children(sheets, "sheet")
        self.targets = self._targets()
        self.strings = self._shared_strings()
        self.formats = self._formats()

    def _targets(self) -> dict[str, str]:
        rels = "xl/_rels/workbook.xml.rels"
        if not self.package.has(rels):
            return {}
        out = {}
        for rel in _children(self.package.xml(rels), "Relationship"):
            target = rel.get("Target") or ""
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            out[rel.get("Id") or ""] = part
        return out

    def _shared_strings(self) -> list[str]:
        part = next(
            (p for p in self.targets.values() if p.lower().endswith("sharedstrings.xml")), "xl/sharedStrings.xml"
        )
        if not self.package.has(part):
            return []
        return [_text_of(si) for si in _children(self.package.xml(part), "si")]

    def _formats(self) -> list[tuple[int, str]]:
        """(number format id, format code) of each cell style (cellXfs), by the s attribute."""
        if not self.package.has("xl/styles.xml"):
            return []
        root = self.package.xml("xl/styles.xml")
        codes = dict(BUILTIN_FORMATS)
        num_fmts = _child(root, "numFmts")
        for fmt in [] if num_fmts is None else _children(num_fmts, "numFmt"):
            try:
                codes[int(fmt.get("numFmtId", ""))] = fmt.get("formatCode") or "General"
            except ValueError:
                continue
        xfs = _child(root, "cellXfs")
        out = []
        for xf in [] if xfs is None else _children(xfs, "xf"):
            try:
                fmt_id = int(xf.get("numFmtId", "0"))
            except ValueError:
                fmt_id = 0
            out.append((fmt_id, codes.get(fmt_id, "General")))
        return out

    def sheet_part(self, sheet) -> str | None:
        rid = sheet.get(f"{{{REL_NS}}}id") or sheet.get(f"{{{STRICT_REL_NS}}}id")
        part = self.targets.get(rid or "")
        return part if part and self.package.has(part) else None


class _SheetReader:
    """One worksheet part into a Sheet, under the workbook's cell limit."""

    def __init__(self, book: _Workbook, cells_before: int) -> None:
        self.book, self.count = book, cells_before

    def read(self, name: str, part: str) -> Sheet:
        root = self.book.package.xml(part)
        sheet = Sheet(name)
        data = _child(root, "sheetData")
        r = -1
        for row in [] if data is None else _children(data, "row"):
            number = row.get("r")
            r = int(number) - 1 if number and number.isdigit() and 0 < int(number) <= EXCEL_ROWS else r + 1
            c = -1
            for cell in _children(row, "c"):
                row_at, col_at = parse_ref(cell.get("r"))
                c = col_at if col_at is not None else c + 1
                if row_at is not None:
                    r = row_at
                text = self._value(cell)
                if text:
                    self.count += 1
                    self.book.budget.check_size("max_cells", self.count, "workbook has over {} cells")
                    sheet.cells[(r, c)] = text
            self.book.budget.tick(f"sheet {name}", every=256)
        merges = _child(root, "mergeCells")
        for merge in [] if merges is None else _children(merges, "mergeCell"):
            first, _, last = (merge.get("ref") or "").partition(":")
            r0, c0 = parse_ref(first)
            r1, c1 = parse_ref(last or first)
            if None not in (r0, c0, r1, c1) and r0 <= r1 and c0 <= c1:
                sheet.merges.append((r0, c0, r1, c1))
        return sheet

    def _value(self, cell) -> str:
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            inline = _child(cell, "is")
            return "" if inline is None else _text_of(inline)
        v = _child(cell, "v")
        raw = (v.text or "") if v is not None else ""
        if not raw:
            return ""
        if kind == "s":
            try:
                return self.book.strings[int(raw)]
            except (ValueError, IndexError):
                return ""
        if kind == "b":
            return "TRUE" if raw.strip() in ("1", "true") else "FALSE"
        if kind in ("str", "e", "d"):
            return raw
        return self._number(raw, cell.get("s"))

    def _number(self, raw: str, style: str | None) -> str:
        try:
            value = float(raw)
        except ValueError:
            return raw
        fmt_id, code = 0, "General"
        if style and style.isdigit() and int(style) < len(self.book.formats):
            fmt_id, code = self.book.formats[int(style)]
        if fmt_id in DATE_FORMAT_IDS or is_date_format(code):
            moment = serial_to_date(value, self.book.date1904)
            return format_date(moment, code) if moment is not None else raw
        return format_number(value, code)


def read_xlsx(
    data: bytes, name: str = "", *, budget: ResourceBudget | None = None, archive: zipfile.ZipFile | None = None
) -> Document:
    budget = budget or current().budget(name)
    with Package(data, name, budget, ".xlsx", archive) as package:
        book = _Workbook(package, budget)
        if not book.sheets:
            raise CorruptFile(name or None, "not a valid .xlsx (the workbook lists no sheet)")
        builder = TextBuilder(budget)
        reader = _SheetReader(book, 0)
        for sheet in book.sheets:
            if sheet.get("state") in ("hidden", "veryHidden"):
                continue
            part = book.sheet_part(sheet)
            if part is None:  # a chart sheet, or a sheet whose part is missing
                continue
            emit_sheet(builder, reader.read(sheet.get("name") or "", part), budget)
    return builder.build("xlsx")

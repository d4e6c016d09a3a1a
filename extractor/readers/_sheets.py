"""Spreadsheets (.xlsx, .xls) into a Document: one table per sheet, merged cells resolved, the
sheet's name as a heading, numbers shown as their cell format shows them.

The readers of the two formats fill a :class:`Sheet` (cell texts by position, merged ranges);
``emit_sheet`` writes it: the rows above the table with a single text (a title, 单位：万元) and
the notes below it as lines, the rest as one table whose cells keep their grid columns.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from extractor.readers._build import Cell, TextBuilder

# Excel's built-in number formats that matter for reading figures (ECMA-376 18.8.30); the date
# and time ones are 14-22 and 45-47.
BUILTIN_FORMATS = {
    0: "General",
    1: "0",
    2: "0.00",
    3: "#,##0",
    4: "#,##0.00",
    9: "0%",
    10: "0.00%",
    11: "0.00E+00",
    12: "General",
    13: "General",
    37: "#,##0 ;(#,##0)",
    38: "#,##0 ;(#,##0)",
    39: "#,##0.00;(#,##0.00)",
    40: "#,##0.00;(#,##0.00)",
    48: "General",
    49: "@",
}
DATE_FORMAT_IDS = frozenset([*range(14, 23), 27, 28, 29, 30, 31, 36, *range(45, 48), *range(50, 59)])
# Significant digits shown for a number in the General format: what Excel shows in a wide cell,
# and enough to hide a cached formula result's binary noise (3015.8999999999996 -> 3015.9).
GENERAL_DIGITS = 15

_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')
_DATE_CODE = re.compile(r"[ymdhs]", re.IGNORECASE)


@dataclass
class Sheet:
    """A sheet as its reader found it: cell text by (row, column), 0-based; merged ranges as
    (first row, first column, last row, last column), inclusive."""

    name: str
    cells: dict[tuple[int, int], str] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)


def first_section(code: str) -> str:
    """The part of a number format for positive numbers, without literals, colours and padding."""
    bare = _QUOTED.sub("", code)
    return bare.split(";", 1)[0]


def is_date_format(code: str) -> bool:
    section = first_section(code)
    return bool(_DATE_CODE.search(section)) and "0" not in section and "#" not in section


def format_number(value: float | int | Decimal, code: str = "General") -> str:
    """``value`` as a cell with number format ``code`` shows it (decimals, percent, thousands
    separators); General shows up to ``GENERAL_DIGITS`` significant digits."""
    try:
        number = Decimal(value) if isinstance(value, int | Decimal) else Decimal(f"{value:.{GENERAL_DIGITS}g}")
    except (InvalidOperation, ValueError, OverflowError):
        return str(value)
    if not number.is_finite():
        return str(value)
    section = first_section(code or "General")
    if section.strip().lower() in ("general", "@", "") or "E" in section.upper() and "0" in section:
        return _plain(number)
    if "%" in section:
        number *= 100
    integer, _, fraction = section.partition(".")
    decimals = len(re.findall(r"[0#?]", fraction.split("%")[0].split(" ")[0]))
    text = f"{_rounded(number, decimals):{',' if ',' in integer else ''}.{decimals}f}"
    return text + ("%" if "%" in section else "")


def _rounded(number: Decimal, decimals: int) -> Decimal:
    try:
        return number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    except InvalidOperation:  # more digits than the context holds: shown as it is
        return number


def _plain(number: Decimal) -> str:
    if number == number.to_integral_value() and abs(number) < Decimal("1e15"):
        return str(int(number))
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_date(moment: datetime.datetime | datetime.date, code: str) -> str:
    """A date as ISO ``2023-12-31``, or ``2023年12月31日`` when its format writes 年."""
    if "年" in code:
        return f"{moment.year}年{moment.month}月{moment.day}日"
    return moment.strftime("%Y-%m-%d")


def serial_to_date(serial: float, date1904: bool = False) -> datetime.datetime | None:
    """An Excel date serial as a datetime (None when out of range)."""
    base = datetime.datetime(1904, 1, 1) if date1904 else datetime.datetime(1899, 12, 30)
    try:
        return base + datetime.timedelta(days=float(serial))
    except (OverflowError, ValueError):
        return None


def _occupied(sheet: Sheet) -> dict[int, list[int]]:
    rows: dict[int, list[int]] = {}
    for (r, c), text in sheet.cells.items():
        if text.strip():
            rows.setdefault(r, []).append(c)
    return rows


def _widths(sheet: Sheet, rows: dict[int, list[int]]) -> dict[int, int]:
    """Columns each row's texts cover, merged cells counted with all their columns."""
    spans = {(r0, c0): c1 - c0 + 1 for r0, c0, _, c1 in sheet.merges}
    return {r: sum(spans.get((r, c), 1) for c in cols) for r, cols in rows.items()}


def emit_sheet(builder: TextBuilder, sheet: Sheet, budget=None) -> None:
    """The sheet's name as a heading, then its table between lines: the rows before the table
    (a title, 部门：… 单位：万元) and after it (注：…).

    The table runs from the first to the last row that is tabular: two texts or more, covering
    at least half as many columns as the widest row (a title merged across the sheet is one text;
    a 部门 … 单位 row is two texts at its ends)."""
    rows = _occupied(sheet)
    if not rows:
        return
    builder.line(sheet.name, "heading")
    order = sorted(rows)
    widths = _widths(sheet, rows)
    widest = max(widths.values())
    tabular = [r for r in order if len(rows[r]) > 1 and 2 * widths[r] >= widest]
    if not tabular:
        for r in order:
            builder.line(_row_text(sheet, r, rows[r]))
        return
    first, last = tabular[0], tabular[-1]
    for r in order:
        if r < first:
            builder.line(_row_text(sheet, r, rows[r]))
    columns = sorted({c for r in order if first <= r <= last for c in rows[r]})
    lo, hi = columns[0], columns[-1]
    hi = max([hi] + [c1 for r0, c0, _, c1 in sheet.merges if first <= r0 <= last and lo <= c0 <= hi])
    if budget is not None:
        budget.check_size("max_cells", (last - first + 1) * (hi - lo + 1), "a sheet's table spans {} cells")
    builder.table(_table_rows(sheet, first, last, lo, hi))
    for r in order:
        if r > last:
            builder.line(_row_text(sheet, r, rows[r]))


def _row_text(sheet: Sheet, r: int, columns: list[int]) -> str:
    return " ".join(sheet.cells[(r, c)].strip() for c in sorted(columns))


def _table_rows(sheet: Sheet, first: int, last: int, lo: int, hi: int) -> list[list[Cell]]:
    """Rows of (column, text, colspan) from ``first`` to ``last``; a merged range's text stands
    in its first cell, spanning its columns; below it, None continues it down."""
    starts: dict[tuple[int, int], tuple[int, int, int, int]] = {}
    covered: dict[tuple[int, int], tuple[int, int, int, int]] = {}
    for merge in sheet.merges:
        r0, c0, r1, c1 = max(merge[0], first), max(merge[1], lo), min(merge[2], last), min(merge[3], hi)
        if r0 > r1 or c0 > c1 or (r0, c0) in covered or (r0, c0) in starts:
            continue
        starts[(r0, c0)] = (r0, c0, r1, c1)
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    covered.setdefault((r, c), (r0, c0, r1, c1))
    out: list[list[Cell]] = []
    for r in range(first, last + 1):
        row: list[Cell] = []
        for c in range(lo, hi + 1):
            merge = covered.get((r, c))
            if merge is not None:
                if merge[0] < r and c == merge[1]:
                    row.append((c - lo, None))  # a vertically merged cell goes on
                continue
            span = starts[(r, c)][3] - c + 1 if (r, c) in starts else 1
            row.append((c - lo, sheet.cells.get((r, c), "").strip(), span))
        out.append(row)
    return out

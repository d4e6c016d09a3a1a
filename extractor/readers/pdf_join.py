"""A PDF's pages into one text, with a table that runs over a page break handed over as one table.

A report's long table (a 决算 table, a score table) is cut by the page break: its rows go on at
the top of the next page, with its header rows drawn again or not. Read page by page that is two
tables, and a field that reads a column by its header finds none in the second part. So a table
that closes a page (nothing but page furniture below it, such as a page number) and the next
page's first table when it opens that page (nothing but furniture above it, or a 续表 caption)
become one Document table when their columns stand at the same places: the same outer edges
(within ``SAME_COLUMN`` pt), and every column boundary of one part among the other's (a cell
merged across all of a part's rows hides a boundary; the joined table takes the finer grid).
Above and below are the reader's judgement, by position. Joined:

- the next page's first rows are dropped when they repeat the table's first rows (a header row
  repeated on every page), compared cell by cell;
- an empty cell at the top of the next page's part continues the merged cell above it (a level-1
  indicator merged down over rows on both pages) when either side of the cut shows it merged
  (the cell above already spans rows, or the empty one does) or its column has cells merged
  down elsewhere in the table;
- a row broken by the page (its cells' text split over both pages) stays two rows.
- each row's cells keep their own page (``Block.page``); the table's ``page`` is where it starts;
  the lines read after the first part on its page (furniture) follow the joined table in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractor.document import Block
from extractor.readers._build import Cell, TextBuilder

SAME_COLUMN = 1.5  # pt
MAX_HEADER_ROWS = 3
# A line that is page furniture between two parts of one table: page numbers ("- 3 -", "第3页 共9页",
# "3/9", "Page 3 of 9") and the captions that say a table goes on (续表, 续上表).
_FURNITURE = re.compile(r"(?i)(?:[\s\d\-—–_·.,/|()（）第页共:：]|page|of|续上?表?)*")


@dataclass(slots=True)
class PageTable:
    """A table of one page: rows as TextBuilder.table() takes them, where its columns start and
    the table ends (for matching it with the next page's first table), and whether only page
    furniture stands above it on its page (``opens``) or below it (``closes``)."""

    rows: list[list[Cell]]
    columns: tuple[float, ...]
    opens: bool = True
    closes: bool = True


def is_furniture(line: str) -> bool:
    return _FURNITURE.fullmatch(line) is not None


@dataclass
class _Pending:
    rows: list[list[Cell]]
    pages: list[int]  # each row's page
    columns: tuple[float, ...]
    last_page: int
    held: list[tuple[str, int]] = field(default_factory=list)  # furniture lines between its parts


class PageWriter:
    """Writes the pages' lines and tables into a TextBuilder in order, joining tables across
    page breaks, and adds each page's block at the end (``finish``)."""

    def __init__(self, builder: TextBuilder) -> None:
        self.builder = builder
        self.pending: _Pending | None = None
        self.spans: dict[int, list[int]] = {}  # page -> [start, end] of its text

    def page(self, number: int, items: list[str | PageTable]) -> None:
        """One page's items in reading order: lines (str) and tables."""
        joined = -1
        if self.pending is not None:
            first = next((i for i, item in enumerate(items) if isinstance(item, PageTable)), -1)
            if first >= 0 and items[first].opens and self._joins(items[first], number):
                joined = first
                self._extend(items[first], number)
                if items[first].closes:  # it runs on over the whole page
                    self.pending.held += [(item, number) for item in items if isinstance(item, str)]
                    return
            self.flush()
        closing = next(
            (i for i in range(len(items) - 1, -1, -1) if isinstance(items[i], PageTable) and items[i].closes), -1
        )
        lines: list[str] = []  # lines in a row, written together
        for i, item in enumerate(items):
            if i == joined:
                continue
            if isinstance(item, PageTable):
                self._lines(lines, number)
                if i == closing:  # held until the next page is read: it may go on there
                    self.pending = _Pending(
                        [list(r) for r in item.rows], [number] * len(item.rows), item.columns, number
                    )
                else:
                    self._table(item.rows, [number] * len(item.rows))
            elif self.pending is not None and self.pending.last_page == number and i > closing:
                self.pending.held.append((item, number))
            else:
                lines.append(item)
        self._lines(lines, number)

    def written(self, number: int, start: int, end: int) -> None:
        """Text of page ``number`` written into the builder by someone else (OCR of a scanned
        page, after this page's ``page()`` call flushed what was held)."""
        if end > start:
            self._mark(number, start, end)

    def flush(self) -> None:
        pending, self.pending = self.pending, None
        if pending is not None:
            self._table(pending.rows, pending.pages)
            for text, page in pending.held:  # a line of an earlier page is not in that page's span
                self._line(text, page, count=page == pending.last_page)

    def finish(self, pages: int) -> None:
        """Flush, then add a page block for every page 1..pages (an empty page: an empty span
        where its text would be)."""
        self.flush()
        at = 0
        for number in range(1, pages + 1):
            start, end = self.spans.get(number, (at, at))
            self.builder.add_block(Block("page", start, end, page=number))
            at = end

    # -- joining ----------------------------------------------------------------------------------

    def _joins(self, table: PageTable, number: int) -> bool:
        """The next page's table goes on with the pending one: same outer edges, and the column
        boundaries of one part all among the other's (a cell merged across hides a boundary)."""
        pending = self.pending
        a, b = pending.columns, table.columns
        return (
            pending.last_page == number - 1
            and _near(a[0], b[0])
            and _near(a[-1], b[-1])
            and (_within(a, b) or _within(b, a))
        )

    def _extend(self, table: PageTable, number: int) -> None:
        pending = self.pending
        rows = [list(r) for r in table.rows]
        if len(table.columns) > len(pending.columns):
            pending.rows = _regrid(pending.rows, pending.columns, table.columns)
            pending.columns = table.columns
        elif len(table.columns) < len(pending.columns):
            rows = _regrid(rows, table.columns, pending.columns)
        repeated = _repeated_header(pending.rows, rows)
        rows = rows[repeated:]
        if rows:
            _continue_merged(pending.rows, rows)
        pending.rows += rows
        pending.pages += [number] * len(rows)
        pending.last_page = number

    # -- writing ----------------------------------------------------------------------------------

    def _mark(self, page: int, start: int, end: int) -> None:
        span = self.spans.get(page)
        if span is None:
            self.spans[page] = [start, end]
        else:
            span[0], span[1] = min(span[0], start), max(span[1], end)

    def _line(self, text: str, page: int, count: bool = True) -> None:
        block = self.builder.line(text, "line", page=page)
        if block is not None and count:
            self._mark(page, block.start, block.end)

    def _lines(self, texts: list[str], page: int) -> None:
        """``_line`` of each text, in one call to the builder; ``texts`` is emptied."""
        if texts:
            mark = self.builder.mark
            if self.builder.lines(texts, "line", page):
                self._mark(page, *self.builder.span_since(mark))
            texts.clear()

    def _table(self, rows: list[list[Cell]], pages: list[int]) -> None:
        # blank rows are left out by the builder; the table's page is its first kept row's
        table = self.builder.table(rows, pages=pages)
        if table is None:
            return
        for row in table.rows:
            if row:
                self._mark(row[0].page, row[0].start, row[-1].end)


def _near(a: float, b: float) -> bool:
    return abs(a - b) <= SAME_COLUMN


def _within(inner: tuple[float, ...], outer: tuple[float, ...]) -> bool:
    return all(any(_near(x, y) for y in outer) for x in inner)


def _regrid(rows: list[list[Cell]], columns: tuple[float, ...], union: tuple[float, ...]) -> list[list[Cell]]:
    """Rows on ``columns`` (boundaries, the right edge last) moved onto the finer ``union``."""
    at = [min(range(len(union)), key=lambda k, x=x: abs(union[k] - x)) for x in columns]
    out = []
    for row in rows:
        new = []
        for cell in row:
            col, text = cell[0], cell[1]
            span = cell[2] if len(cell) > 2 else 1
            end = at[min(col + span, len(at) - 1)]
            new.append((at[col], text, max(1, end - at[col])))
        out.append(new)
    return out


def _texts(row: list[Cell]) -> list[tuple]:
    return [(c[0], c[1], c[2] if len(c) > 2 else None) for c in row]


def _repeated_header(top: list[list[Cell]], rows: list[list[Cell]]) -> int:
    """How many of ``rows``' first rows repeat ``top``'s first rows (a repeated header)."""
    for k in range(min(MAX_HEADER_ROWS, len(top), len(rows) - 1), 0, -1):
        if all(_texts(a) == _texts(b) and any(c[1] for c in a) for a, b in zip(top[:k], rows[:k], strict=True)):
            return k
    return 0


def _continue_merged(above: list[list[Cell]], rows: list[list[Cell]]) -> None:
    """An empty cell atop the new part continues the merged cell of its column above the cut,
    when either side shows that cell merged (see the module's docstring), or when its column
    holds cells merged down elsewhere in the table (a level-1 indicator's column)."""
    last, first = above[-1], rows[0]
    continued = {c[0] for c in last if c[1] is None}  # merged from a row above the last
    own_above = {c[0] for c in last if c[1] is not None}
    spans_down = {c[0] for c in rows[1] if c[1] is None} if len(rows) > 1 else set()
    merging = {c[0] for row in above + rows for c in row if c[1] is None}
    for k, cell in enumerate(first):
        col = cell[0]
        if cell[1] == "" and (col in continued or (col in own_above and (col in spans_down or col in merging))):
            first[k] = (col, None, *cell[2:])

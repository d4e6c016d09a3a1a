"""Shared assembly of a Document's text: lines and tables appended with the blocks that index them."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from operator import attrgetter

from extractor.document import Block, Document, Table
from extractor.limits import ResourceBudget

_START, _END = attrgetter("start"), attrgetter("end")
CELL_SEP = " | "
LINE_SEP = "\n"

# A table cell as a reader hands it over: (grid column, text) or (grid column, text, colspan),
# text None for the continuation of a vertically merged cell, which renders as "" so the
# columns keep their places.
Cell = tuple[int, "str | None"] | tuple[int, "str | None", int]


def is_wide(ch: str) -> bool:
    """CJK ideographs, kana, hangul and full-width forms: text that is written without spaces."""
    return ch > "\u2e7f" and unicodedata.east_asian_width(ch) in ("W", "F")


def join_fragments(fragments: Iterable[str]) -> str:
    """Join pieces of one cell (its paragraphs, wrapped lines, nested-table cells) into one line.

    Pieces meet with nothing between two pieces of Chinese and with one space between
    pieces of Latin text, the way a reader would read the wrapped cell.
    """
    out: list[str] = []
    for fragment in fragments:
        piece = " ".join(fragment.split("\n")).strip() if "\n" in fragment else fragment.strip()
        if not piece:
            continue
        if out and not (is_wide(out[-1][-1]) or is_wide(piece[0])):
            out.append(" ")
        out.append(piece)
    return "".join(out)


class TextBuilder:
    """Appends lines (one per paragraph or table row) and records a block for each piece.

    With a ``budget``, the text may not grow past its ``max_chars`` (checked as it grows, so a
    reader stops early rather than building a huge text first) and its clock is checked.
    """

    def __init__(self, budget: ResourceBudget | None = None) -> None:
        self._parts: list[str] = []
        self._starts: list[int] = []
        self._length = 0
        self.blocks: list[Block] = []
        self.tables: list[Table] = []
        self.budget = budget
        self._max_chars = budget.limits.max_chars if budget is not None else None

    @property
    def mark(self) -> int:
        """A bookmark to pass to ``span_since`` to get the span of what is added after it."""
        return len(self._starts)

    def span_since(self, mark: int) -> tuple[int, int]:
        if mark < len(self._starts):
            return self._starts[mark], self._length
        return self._length, self._length

    def _append(self, text: str) -> int:
        if self._parts:
            self._parts.append(LINE_SEP)
            self._length += len(LINE_SEP)
        start = self._length
        self._starts.append(start)
        self._parts.append(text)
        self._length += len(text)
        if self._max_chars is not None:
            if self._length > self._max_chars:
                raise self.budget.exceeded("max_chars", f"text is over {self._max_chars:,} characters")
            self.budget.tick("building the text", every=512)
        return start

    def line(self, text: str, kind: str = "paragraph", page: int | None = None) -> Block | None:
        """Add one line of text (it may hold inner newlines); blank text adds nothing."""
        if not text.strip():
            return None
        start = self._append(text)
        block = Block(kind, start, start + len(text), page=page)
        self.blocks.append(block)
        return block

    def lines(self, texts: Iterable[str], kind: str = "paragraph", page: int | None = None) -> int:
        """``line(text, kind, page)`` for each text (blank ones add nothing); how many were added."""
        parts, starts, blocks = self._parts, self._starts, self.blocks
        length, max_chars = self._length, self._max_chars
        sep = len(LINE_SEP)
        added = 0
        for text in texts:
            if not text.strip():
                continue
            if parts:
                parts.append(LINE_SEP)
                length += sep
            starts.append(length)
            parts.append(text)
            end = length + len(text)
            blocks.append(Block(kind, length, end, page))
            length = end
            added += 1
            if max_chars is not None:
                self._length = length
                if length > max_chars:
                    raise self.budget.exceeded("max_chars", f"text is over {max_chars:,} characters")
                self.budget.tick("building the text", every=512)
        self._length = length
        return added

    def table(
        self, rows: Sequence[Sequence[Cell]], page: int | None = None, pages: Sequence[int] | None = None
    ) -> Table | None:
        """Add a table, one line per row with cells joined by `` | ``, and a block per cell.

        A cell is ``(column, text)`` or ``(column, text, colspan)``; text None continues the
        vertically merged cell above (rendered as "" so the columns keep their places), which
        adds to that cell's ``rowspan``. Without an explicit colspan a cell spans up to the next
        cell's column (the last cell of a row: one column). ``pages``: each row's page, for a
        table that runs over page breaks (its cells' blocks carry their own row's page; the
        table's page is ``page``, else its first row's).

        A cell's Block is made as its row is read; a merged cell's rowspan grows as rows below
        continue it (before the table is handed out)."""
        index = len(self.tables)
        table_rows: list[list[Block]] = []
        sep = len(CELL_SEP)
        covering: dict[int, Block] = {}  # grid column -> the cell there
        for n, cells in enumerate(rows):
            texts = [c[1] or "" for c in cells]
            if not "".join(texts).strip():  # no cells, or none but blank ones
                continue
            r = len(table_rows)
            row_page = page if pages is None else pages[n]
            offset = self._append(CELL_SEP.join(texts))
            row_cells: list[Block] = []
            last = len(cells) - 1
            for k, cell in enumerate(cells):
                col = cell[0]
                if cell[1] is None:
                    above = covering.get(col)
                    if above is not None:  # the merged cell above reaches down into this row
                        above.rowspan = r - above.row + 1
                    offset += sep
                    continue
                end = offset + len(cell[1])
                span = cell[2] if len(cell) > 2 else (cells[k + 1][0] - col if k < last else 1)
                if span <= 1:
                    span = 1
                block = Block("cell", offset, end, row_page, index, r, col, 1, span)
                covering[col] = block
                if span > 1:
                    for c in range(col + 1, col + span):
                        covering[c] = block
                row_cells.append(block)
                offset = end + sep
            table_rows.append(row_cells)
        if not table_rows:
            return None
        if page is None and pages is not None:
            page = table_rows[0][0].page
        for row in table_rows:
            self.blocks.extend(row)
        table = Table(rows=table_rows, page=page)
        self.tables.append(table)
        return table

    def add_block(self, block: Block) -> None:
        self.blocks.append(block)

    def text(self) -> str:
        return "".join(self._parts)

    def build(self, fmt: str, **fields) -> Document:
        # Text order; a page block sorts before the lines it holds: by (start, -end), as two
        # stable sorts keyed in C (the blocks come mostly in order, each sort a pass).
        blocks = sorted(self.blocks, key=_END, reverse=True)
        blocks.sort(key=_START)
        return Document(text=self.text(), format=fmt, blocks=blocks, tables=self.tables, **fields)

"""The table model the fields read: grids of cells in the folded view, merged cells resolved.

Every table of a document becomes a :class:`Grid` whatever wrote it: a reader's table (Word,
HTML, PDF: cells with their row and column spans), a table written as text (pipe lines, a form
flattened one cell per line, a form whose cells were glued into one line; see
``extractor.text_grids``). Offsets are the folded view's, so a cell grounds like any match.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .document import Document, Table
from .normalize import Folded


@dataclass(slots=True)
class GridCell:
    """One cell: its text (folded, all whitespace removed) and where it stands in the folded view."""

    text: str
    start: int
    end: int
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1


@dataclass(slots=True)
class Grid:
    """A table: each row's cells in column order (a merged cell once, at its first row and
    column). ``source`` says how sure its structure is: ``table`` (a reader's), ``pipe`` (pipe
    lines of a text), ``lines`` (a form flattened one cell per line, rebuilt from its header),
    ``glued`` (a form's cells run together, split by their figures' arithmetic)."""

    rows: list[list[GridCell]]
    source: str
    page: int | None = None
    ncols: int = 0
    _resolved: list[list[GridCell | None]] | None = field(default=None, repr=False)
    _start: int = field(default=-1, repr=False)
    _end: int = field(default=-1, repr=False)

    def __post_init__(self) -> None:
        if not self.ncols:
            self.ncols = max((c.col + c.colspan for row in self.rows for c in row), default=0)

    # a grid is never changed once built (joining two makes a third): its extent is found once
    @property
    def start(self) -> int:
        if self._start < 0:
            self._start = min((c.start for row in self.rows for c in row), default=0)
        return self._start

    @property
    def end(self) -> int:
        if self._end < 0:
            self._end = max((c.end for row in self.rows for c in row), default=0)
        return self._end

    def resolved(self) -> list[list[GridCell | None]]:
        """Every row as ``ncols`` positions; a merged cell stands in every position it covers."""
        if self._resolved is None:
            ncols, nrows = self.ncols, len(self.rows)
            out: list[list[GridCell | None]] = [[None] * ncols for _ in self.rows]
            for row in self.rows:
                for cell in row:
                    if cell.rowspan == 1 and cell.colspan == 1:  # most cells: one position
                        if cell.row < nrows and cell.col < ncols:
                            out[cell.row][cell.col] = cell
                        continue
                    for r in range(cell.row, min(cell.row + cell.rowspan, len(out))):
                        for c in range(cell.col, min(cell.col + cell.colspan, self.ncols)):
                            out[r][c] = cell
            self._resolved = out
        return self._resolved

    def at(self, row: int, col: int) -> GridCell | None:
        """The cell covering (row, col), merged cells resolved; None outside the grid or in a gap."""
        grid = self.resolved()
        if 0 <= row < len(grid) and 0 <= col < self.ncols:
            return grid[row][col]
        return None


def squash(text: str) -> str:
    """A cell's text for matching: all whitespace removed."""
    return "".join(text.split())


def make_cell(
    folded_text: str, start: int, end: int, row: int, col: int, rowspan: int = 1, colspan: int = 1
) -> GridCell:
    """A cell over the folded slice [start, end), its span narrowed to the text without the
    surrounding whitespace (an empty cell keeps a zero-length span at ``start``)."""
    raw = folded_text[start:end]
    lead = len(raw) - len(raw.lstrip())
    body = raw.strip()
    s = start + lead
    return GridCell(squash(body), s, s + len(body), row, col, rowspan, colspan)


def reader_grids(document: Document, folded: Folded) -> list[Grid]:
    """The reader's tables as grids in the folded view."""
    return [g for t in document.tables if (g := _from_table(t, folded)) is not None]


def _from_table(table: Table, folded: Folded) -> Grid | None:
    text = folded.text
    ends = iter(folded.folded_offsets([x for blocks in table.rows for b in blocks for x in (b.start, b.end)]))
    rows = [
        [make_cell(text, next(ends), next(ends), r, b.col or 0, b.rowspan, b.colspan) for b in blocks]
        for r, blocks in enumerate(table.rows)
    ]
    if not any(rows):
        return None
    return Grid(rows, "table", page=table.page)


def join_split(grids: list[Grid], text: str, is_break) -> list[Grid]:
    """Tables that a page break split, joined: two grids in a row with nothing but blank lines
    and page-break lines (``is_break(line)``) between them, the second repeating the first's
    header row (dropped) or as wide as the first."""
    out: list[Grid] = []
    for g in sorted(grids, key=lambda g: g.start):
        prev = out[-1] if out else None
        if prev is not None and g.rows and prev.rows and _only_breaks(text[prev.end : g.start], is_break):
            rows = g.rows
            if [c.text for c in rows[0]] == [c.text for c in prev.rows[0]]:
                rows = rows[1:]  # the header repeated on the new page
            elif g.ncols != prev.ncols:
                out.append(g)
                continue
            out[-1] = _joined(prev, rows)
            continue
        out.append(g)
    return out


def _only_breaks(between: str, is_break) -> bool:
    lines = [ln.strip() for ln in between.split("\n")]
    return "\n" in between and all(not ln or is_break(ln) for ln in lines)


def _joined(first: Grid, rows: list[list[GridCell]]) -> Grid:
    base = len(first.rows)
    moved = [
        [GridCell(c.text, c.start, c.end, base + r, c.col, c.rowspan, c.colspan) for c in row]
        for r, row in enumerate(rows)
    ]
    return Grid(first.rows + moved, first.source, first.page)

"""A ruled page's text sorted into its tables' cells and the lines around them, by position.

pdfium's text of a page separates what stands apart on the page: the texts of two cells are never
run together (a space or a line break falls between them, since a cell's padding is a wide
gap). So the page's text is cut into runs (no space, no line break in them) and only a run's
first and last characters are placed: one or two pdfium calls a run, not one per character and
not one per cell (asking pdfium for the text inside each cell walks every character of the page
for every cell). A run whose ends fall in different cells (or one in a table, one outside) is
placed character by character.

A line of the page whose runs all fall in one table's cells belongs to that table: the table
takes the line's place in the page (at its first line); the other lines are read as the page's
text (``pdf_text.page_texts``) with the table runs masked out, so their cleaning (the spaces
pdfium guesses next to CJK, characters drawn twice) is the same as on any page.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from extractor.readers.pdf_join import PageTable, is_furniture
from extractor.readers.pdf_tables import FoundTable, clean_cell
from extractor.readers.pdf_text import boxes_overlap, page_lines, page_texts

_RUN = re.compile(r"[^\s]+")
_LINE = re.compile(r"[^\r\n]+")
_MARKS = re.compile("[\x02\ufffe\x00]")  # what clean_cell replaces or drops in a run


class _Locator:
    """Finds the table cell at a point (down space): the table's box, then its grid."""

    def __init__(self, tables: list[FoundTable]) -> None:
        self.tables = tables
        self.grids = []
        for table in tables:
            at: dict[tuple[int, int], tuple] = {}
            for r, row in enumerate(table.layout()):
                for c, span, box in row:
                    if box is not None:
                        rows_down = bisect_right(table.rows, box[3] - 0.01) - r
                        for dr in range(rows_down):
                            for dc in range(span):
                                at[(r + dr, c + dc)] = box
            self.grids.append(at)

    def reaches(self, left: float, right: float, y: float) -> bool:
        """Whether [left, right] at height y meets a table's box."""
        return any(t.bbox[1] <= y < t.bbox[3] and left < t.bbox[2] and right > t.bbox[0] for t in self.tables)

    def cell(self, x: float, y: float) -> tuple[int, tuple] | None:
        """(table index, cell box) at the point, or None outside every cell."""
        for k, table in enumerate(self.tables):
            x0, top, x1, bottom = table.bbox
            if x0 <= x < x1 and top <= y < bottom:
                row, col = bisect_right(table.rows, y) - 1, bisect_right(table.columns, x) - 1
                box = self.grids[k].get((row, col))
                return (k, box) if box is not None else None
        return None


def _center(text, index: int) -> tuple[float, float]:
    left, bottom, right, top = text.get_charbox(index)
    return (left + right) / 2, -(bottom + top) / 2


def _deduped(text, raw: str, start: int, end: int) -> str:
    """The run raw[start:end], without the second of each character drawn twice on top of
    itself (fake bold: every character of the run doubled, the first two boxes overlapping)."""
    s = raw[start:end]
    if len(s) >= 2 and len(s) % 2 == 0 and s[0::2] == s[1::2]:
        if boxes_overlap(text.get_charbox(start), text.get_charbox(start + 1)):
            return s[0::2]
    return s


def ruled_page(text, pdfium_c, raw: str, tables: list[FoundTable]) -> list[str | PageTable]:
    """The page's items in reading order: lines (str) and tables, with each table's cell texts
    filled in and whether it opens or closes the page (see pdf_join). Points in down space."""
    runs, middles = _place_runs(text, raw, _Locator(tables))
    line_starts = [m.start() for m in _LINE.finditer(raw)]
    line_ends = [m.end() for m in _LINE.finditer(raw)]
    # each line: the tables its runs fall in (None: outside every table)
    places: list[set] = [set() for _ in line_starts]
    cells: dict[tuple, list[tuple[int, int, int]]] = {}  # cell box -> (start, end, line)
    for start, end, where in runs:
        line = bisect_right(line_starts, start) - 1
        places[line].add(None if where is None else where[0])
        if where is not None:
            cells.setdefault(where[1], []).append((start, end, line))
    # A cell of one run (most: a number, a name) is that run as it stands when the page holds
    # none of the marks clean_cell takes out (a run holds no space or line break).
    plain = _MARKS.search(raw) is None
    for table in tables:
        texts = table.texts
        for cell in table.cells:
            pieces = cells.get(cell)
            if pieces is None:
                texts[cell] = ""
            elif plain and len(pieces) == 1:
                texts[cell] = _deduped(text, raw, pieces[0][0], pieces[0][1])
            else:
                texts[cell] = _cell_text(text, raw, pieces)
    page_tables = [PageTable(t.rows_of_cells(), (*t.columns, t.bbox[2])) for t in tables]
    items = _items(text, pdfium_c, raw, runs, places, line_starts, line_ends, page_tables)
    _opens_closes(tables, page_tables, raw, places, line_starts, line_ends, middles)
    return items


def _place_runs(text, raw: str, locator: _Locator):
    """[(start, end, (table, cell) or None)] for the runs of the page (split into characters
    where a run's ends fall in different places), and {run start: its vertical middle}.

    A run's first character is placed; its last one only when the run might reach past the
    first one's cell: when the run's length in characters as wide as the first one's box is
    wide or tall (a digit's box is taller than wide, a CJK character's about square) does not
    stay inside the cell."""
    locate, charbox = locator.cell, text.get_charbox
    runs: list[tuple[int, int, tuple[int, tuple] | None]] = []
    middles: dict[int, float] = {}
    for m in _RUN.finditer(raw):
        start, end = m.span()
        left, bottom, right, top = charbox(start)
        y = -(bottom + top) / 2
        middles[start] = y
        first = locate((left + right) / 2, y)
        if end - start == 1:
            runs.append((start, end, first))
            continue
        reach = left + (end - start) * max(right - left, top - bottom)
        if first is not None and reach < first[1][2]:
            runs.append((start, end, first))
            continue
        if first is None and not locator.reaches(left, reach, y):
            runs.append((start, end, None))
            continue
        last = locate(*_center(text, end - 1))
        if first == last:
            runs.append((start, end, first))
            continue
        for i in range(start, end):  # ends in different places: character by character
            where = first if i == start else last if i == end - 1 else locate(*_center(text, i))
            runs.append((i, i + 1, where))
    return runs, middles


def _cell_text(text, raw: str, pieces) -> str:
    out: list[str] = []
    prev_line = None
    for start, end, line in pieces:
        if prev_line is not None:
            out.append(" " if line == prev_line else "\n")
        out.append(_deduped(text, raw, start, end))
        prev_line = line
    return clean_cell("".join(out))


def _items(text, pdfium_c, raw, runs, places, line_starts, line_ends, page_tables) -> list:
    """Lines and tables in page order: a run of lines outside the tables is read as text (the
    table runs among them masked), a table goes where its first line of its own was."""
    table_runs = [(s, e) for s, e, where in runs if where is not None]
    items: list = []
    placed: set[int] = set()
    segment: list[int] = []  # lines outside the tables, not yet read

    def flush() -> None:
        if segment:
            items.extend(
                _segment_texts(text, pdfium_c, raw, line_starts[segment[0]], line_ends[segment[-1]], table_runs)
            )
            segment.clear()

    for line, where in enumerate(places):
        if len(where) == 1 and None not in where:
            flush()
            (k,) = where
            if k not in placed:
                placed.add(k)
                items.append(page_tables[k])
        else:
            segment.append(line)
    flush()
    items += [t for k, t in enumerate(page_tables) if k not in placed]
    return items


def _segment_texts(text, pdfium_c, raw: str, start: int, end: int, table_runs) -> list[str]:
    """The cleaned lines of raw[start:end] with the table runs in it blanked: everything else
    of the page masked by line breaks, so every index stays where pdfium put it."""
    pieces, cursor = ["\n" * start], start
    for s, e in table_runs:
        if s >= end or e <= start:
            continue
        pieces += [raw[cursor:s], "\n" * (e - s)]
        cursor = e
    pieces += [raw[cursor:end], "\n" * (len(raw) - end)]
    masked = "".join(pieces)
    texts = page_texts(text, masked)
    if texts is None:
        texts = [ln.text for ln in page_lines(text, pdfium_c, masked)]
    return [t for t in texts if t.strip()]


def _opens_closes(tables, page_tables, raw, places, line_starts, line_ends, middles) -> None:
    """Whether a line other than page furniture stands above (below) each table."""
    outside = []
    for line, where in enumerate(places):
        if None in where or not where:
            body = raw[line_starts[line] : line_ends[line]]
            first = _RUN.search(body)
            if first is not None and not is_furniture(body.strip()):
                outside.append(middles[line_starts[line] + first.start()])
    for table, page_table in zip(tables, page_tables, strict=True):
        page_table.opens = not any(m < table.bbox[1] for m in outside)
        page_table.closes = not any(m > table.bbox[3] for m in outside)

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

The cells of a page's tables are numbered one after the other (table by table, each table's in
its ``cells`` order): a run's place is that number, or None outside every cell.
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
    """Finds the cell at a point (down space): the table's box, then its grid."""

    def __init__(self, tables: list[FoundTable]) -> None:
        self.tables = tables
        self.boxes: list[tuple] = []  # each cell's box, by its number
        self.table_of: list[int] = []  # each cell's table
        self.starts: list[int] = []  # each table's first cell number
        self.grids = []  # each table's (x0, top, x1, bottom, rows, columns, width, cell numbers by slot)
        for k, table in enumerate(tables):
            base = len(self.boxes)
            self.starts.append(base)
            self.boxes += table.cells
            self.table_of += [k] * len(table.cells)
            at = table.cell_at()
            if base:
                at = [None if i is None else base + i for i in at]
            self.grids.append((*table.bbox, table.rows, table.columns, len(table.columns), at))

    def reaches(self, left: float, right: float, y: float) -> bool:
        """Whether [left, right] at height y meets a table's box."""
        return any(t.bbox[1] <= y < t.bbox[3] and left < t.bbox[2] and right > t.bbox[0] for t in self.tables)

    def cell(self, x: float, y: float) -> int | None:
        """The number of the cell at the point, or None outside every cell."""
        for x0, top, x1, bottom, rows, columns, width, at in self.grids:
            if x0 <= x < x1 and top <= y < bottom:
                return at[(bisect_right(rows, y) - 1) * width + bisect_right(columns, x) - 1]
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


class _Placed:
    """Where the runs of a page fell: each line's span and places (table numbers, None for
    outside every table) and the vertical middle of its first run; each cell's runs (start,
    end, line) by cell number; the runs in a table, in page order."""

    __slots__ = ("spans", "places", "middles", "cells", "table_runs")

    def __init__(self) -> None:
        self.spans: list[tuple[int, int]] = []
        self.places: list[set] = []
        self.middles: list[float | None] = []
        self.cells: dict[int, list[tuple[int, int, int]]] = {}
        self.table_runs: list[tuple[int, int]] = []


def ruled_page(text, pdfium_c, raw: str, tables: list[FoundTable]) -> list[str | PageTable]:
    """The page's items in reading order: lines (str) and tables, with each table's cell texts
    filled in and whether it opens or closes the page (see pdf_join). Points in down space."""
    locator = _Locator(tables)
    placed = _place_runs(text, raw, locator)
    texts = [""] * len(locator.boxes)
    # A cell of one run (most: a number, a name) is that run as it stands when the page holds
    # none of the marks clean_cell takes out (a run holds no space or line break).
    plain = _MARKS.search(raw) is None
    for number, pieces in placed.cells.items():
        if plain and len(pieces) == 1:
            start, end, _ = pieces[0]
            run = raw[start:end]
            # _deduped's case (every character doubled) asked only where it may be
            texts[number] = _deduped(text, raw, start, end) if not len(run) % 2 and run[0::2] == run[1::2] else run
        else:
            texts[number] = _cell_text(text, raw, pieces)
    page_tables = [
        PageTable(t.rows_of_cells(texts[base : base + len(t.cells)]), (*t.columns, t.bbox[2]))
        for t, base in zip(tables, locator.starts, strict=True)
    ]
    items = _items(text, pdfium_c, raw, placed, page_tables)
    _opens_closes(tables, page_tables, raw, placed)
    return items


def _place_runs(text, raw: str, locator: _Locator) -> _Placed:
    """The runs of the page placed line by line (split into characters where a run's ends fall
    in different places).

    A run's first character is placed; its last one only when the run might reach past the
    first one's cell: when the run's length in characters as wide as the first one's box is
    wide or tall (a digit's box is taller than wide, a CJK character's about square) does not
    stay inside the cell."""
    locate, boxes, table_of, grids = locator.cell, locator.boxes, locator.table_of, locator.grids
    get_box, handle, left_, right_, bottom_, top_ = text.box_reader()
    out = _Placed()
    spans, places, middles, cells, table_runs = out.spans, out.places, out.middles, out.cells, out.table_runs
    run_at = _RUN.finditer
    for line_match in _LINE.finditer(raw):
        line_start, line_end = line_match.span()
        line = len(spans)
        spans.append((line_start, line_end))
        here: set = set()
        places.append(here)
        middle = None
        for m in run_at(raw, line_start, line_end):
            start, end = m.span()
            if not get_box(handle, start, left_, right_, bottom_, top_):
                text.get_charbox(start)  # raises pypdfium2's error
            left, right, bottom, top = left_.value, right_.value, bottom_.value, top_.value
            y = -(bottom + top) / 2
            if middle is None:
                middle = y
            x = (left + right) / 2
            first = None  # locate(x, y), inline
            for x0, y0, x1, y1, rows, columns, width, at in grids:
                if x0 <= x < x1 and y0 <= y < y1:
                    first = at[(bisect_right(rows, y) - 1) * width + bisect_right(columns, x) - 1]
                    break
            if end - start > 1:
                size = right - left if right - left > top - bottom else top - bottom
                reach = left + (end - start) * size
                if first is not None:
                    whole = reach < boxes[first][2] or first == locate(*_center(text, end - 1))
                else:
                    whole = not locator.reaches(left, reach, y) or locate(*_center(text, end - 1)) is None
                if not whole:
                    _split(text, locate, table_of, start, end, first, line, here, cells, table_runs)
                    continue
            if first is None:
                here.add(None)
            else:
                here.add(table_of[first])
                table_runs.append((start, end))
                piece = (start, end, line)
                at = cells.get(first)
                if at is None:
                    cells[first] = [piece]
                else:
                    at.append(piece)
        middles.append(middle)
    return out


def _split(text, locate, table_of, start, end, first, line, here, cells, table_runs) -> None:
    """A run whose ends fall in different places, placed character by character."""
    last = locate(*_center(text, end - 1))
    for i in range(start, end):
        where = first if i == start else last if i == end - 1 else locate(*_center(text, i))
        if where is None:
            here.add(None)
        else:
            here.add(table_of[where])
            table_runs.append((i, i + 1))
            cells.setdefault(where, []).append((i, i + 1, line))


def _cell_text(text, raw: str, pieces) -> str:
    out: list[str] = []
    prev_line = None
    for start, end, line in pieces:
        if prev_line is not None:
            out.append(" " if line == prev_line else "\n")
        out.append(_deduped(text, raw, start, end))
        prev_line = line
    return clean_cell("".join(out))


def _items(text, pdfium_c, raw, placed: _Placed, page_tables) -> list:
    """Lines and tables in page order: a run of lines outside the tables is read as text (the
    table runs among them masked), a table goes where its first line of its own was."""
    spans, table_runs = placed.spans, placed.table_runs
    items: list = []
    shown: set[int] = set()
    segment: list[int] = []  # lines outside the tables, not yet read

    def flush() -> None:
        if segment:
            items.extend(_segment_texts(text, pdfium_c, raw, spans[segment[0]][0], spans[segment[-1]][1], table_runs))
            segment.clear()

    for line, where in enumerate(placed.places):
        if len(where) == 1 and None not in where:
            flush()
            (k,) = where
            if k not in shown:
                shown.add(k)
                items.append(page_tables[k])
        else:
            segment.append(line)
    flush()
    items += [t for k, t in enumerate(page_tables) if k not in shown]
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


def _opens_closes(tables, page_tables, raw, placed: _Placed) -> None:
    """Whether a line other than page furniture stands above (below) each table."""
    outside = []
    for (start, end), where, middle in zip(placed.spans, placed.places, placed.middles, strict=True):
        if (None in where or not where) and middle is not None and not is_furniture(raw[start:end].strip()):
            outside.append(middle)
    for table, page_table in zip(tables, page_tables, strict=True):
        page_table.opens = not any(m < table.bbox[1] for m in outside)
        page_table.closes = not any(m > table.bbox[3] for m in outside)

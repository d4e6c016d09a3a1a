"""Ruled tables of a PDF page from pdfium itself: cells from where the page's ruling lines cross.

pdfplumber finds the same tables (its "lines" strategy) but builds every page object through
pdfminer in Python first, ~40 ms a ruled page. Here the page is never parsed twice: pdfium has
already parsed it for its text, and its path objects give the ruling lines (``pdf_rulings``).
From the edges on, the steps are pdfplumber's own (same tolerances, same results on the tests'
generated tables): snap edges within 3 pt to their mean, join collinear pieces with gaps up to
3 pt, drop edges under 3 pt, cross them (3 pt slack), take each crossing's smallest closed
cell, group cells that share a corner into tables. The cells' text is placed by ``pdf_cells``.

Coordinates are "down" space: x as in PDF user space, ``top = -y`` (so top < bottom, as in
pdfplumber), which any page's cells and chars share whatever the page's size or origin.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from itertools import islice

from extractor.readers._build import Cell, is_wide, join_fragments
from extractor.readers.pdf_rulings import Rulings, TooManyRulings

SNAP = 3.0  # pdfplumber's snap_tolerance, join_tolerance, edge_min_length, intersection_tolerance
JOIN = 3.0
MIN_EDGE = 3.0
CROSS = 3.0
# Past these, a page's grid is read as lines (with a warning): the crossings are paired per
# horizontal and vertical edge, the cells per crossing.
MAX_EDGE_PAIRS = 250_000
MAX_CROSSINGS = 5_000


@dataclass(slots=True)
class FoundTable:
    """One table of a page: its box and its cells in grid terms, before any text is read."""

    bbox: tuple[float, float, float, float]  # x0, top, x1, bottom (down space)
    columns: list[float]  # each grid column's left x
    rows: list[float]  # each grid row's top
    cells: list[tuple[float, float, float, float]]  # (x0, top, x1, bottom), sorted
    texts: dict[tuple[float, float, float, float], str] = field(default_factory=dict)
    _layout: list | None = None
    _at: list | None = None

    def layout(self) -> list[list[tuple[int, int, int | None]]]:
        """Each grid row as (column, colspan, cell) in column order, the cell as its place in
        ``cells``: that of a cell that starts in this row, None for the continuation of a cell
        merged down from a row above (at the column where that cell starts); a cell merged
        across appears once."""
        if self._layout is None:
            self._grid()
        return self._layout

    def cell_at(self) -> list[int | None]:
        """The cell (its place in ``cells``) covering each grid slot, row by row: slot
        ``row * len(columns) + column``; None where no cell is."""
        if self._at is None:
            self._grid()
        return self._at

    def _grid(self) -> None:
        columns, rows = self.columns, self.rows
        col_at = {x: c for c, x in enumerate(columns)}
        row_at = {t: r for r, t in enumerate(rows)}
        width = len(columns)
        grid: list[list[tuple[int, int, int | None]]] = [[] for _ in rows]
        at: list[int | None] = [None] * (len(rows) * width)
        overlap = False
        # The cells are sorted, column by column: each row's list comes out in column order.
        for i, (x0, top, x1, bottom) in enumerate(self.cells):
            c, r = col_at[x0], row_at[top]
            end = col_at.get(x1)
            span = (bisect_left(columns, x1) if end is None else end) - c
            below = row_at.get(bottom)
            if below is None:
                below = bisect_left(rows, bottom)
            grid[r].append((c, span if span > 1 else 1, i))
            if below > r + 1:
                merged = (c, span if span > 1 else 1, None)
                for row in range(r + 1, below):
                    grid[row].append(merged)
            slot = r * width + c
            if span == 1 and below == r + 1 and top <= bottom - 0.01:  # rows[r + 1] >= bottom
                overlap = overlap or at[slot] is not None  # one slot (most cells)
                at[slot] = i
                continue
            for row in range(r, bisect_right(rows, bottom - 0.01)):
                slot = row * width + c
                for k in range(slot, slot + span):
                    if at[k] is not None:
                        overlap = True
                    at[k] = i
        if overlap:  # cells over one another: the one that starts last, row by row, covers
            at = [None] * len(at)
            for r, row in enumerate(grid):
                for c, span, i in row:
                    if i is not None:
                        for below in range(r, bisect_right(rows, self.cells[i][3] - 0.01)):
                            at[below * width + c : below * width + c + span] = [i] * span
        self._layout, self._at = grid, at

    def rows_of_cells(self, texts: list[str] | None = None) -> list[list[Cell]]:
        """The table as TextBuilder.table() takes it: (column, text, colspan), text None for the
        continuation of a vertically merged cell; each cell's cleaned text from ``texts`` (by
        its place in ``cells``), else from the ``texts`` dict (by its box)."""
        if texts is None:
            boxes, by_box = self.cells, self.texts
            texts = [by_box.get(box, "") for box in boxes]
        return [[(c, None if i is None else texts[i], span) for c, span, i in row] for row in self.layout()]


# ---- from edges to tables (pdfplumber's steps) --------------------------------------------------


def _snap(edges: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Edges whose positions chain within SNAP of one another moved to their mean position."""
    edges = sorted(edges)
    out: list[tuple[float, float, float]] = []
    size, i = len(edges), 0
    while i < size:
        j, pos = i + 1, edges[i][0]
        while j < size and edges[j][0] <= pos + SNAP:
            pos = edges[j][0]
            j += 1
        if j == i + 1:
            out.append(edges[i])  # alone: its own mean
        else:
            group = edges[i:j]
            mean = sum(g[0] for g in group) / len(group)
            out += [(mean, g[1], g[2]) for g in group]
        i = j
    return out


def _join(edges: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Edges on one line (after snapping) joined where the gap between them is at most JOIN."""
    out: list[tuple[float, float, float]] = []
    for pos, lo, hi in sorted(edges):
        if out and out[-1][0] == pos and lo <= out[-1][2] + JOIN:
            if hi > out[-1][2]:
                out[-1] = (pos, out[-1][1], hi)
        else:
            out.append((pos, lo, hi))
    return out


def merge_edges(rulings: Rulings) -> tuple[list[tuple], list[tuple]]:
    """(vertical, horizontal) edges snapped, joined and at least MIN_EDGE long."""

    def merged(edges):
        edges = [e for e in edges if e[2] - e[1] >= 1.0]  # pdfplumber's edge_min_length_prefilter
        return [e for e in _join(_snap(edges)) if e[2] - e[1] >= MIN_EDGE]

    return merged(rulings.vertical), merged(rulings.horizontal)


def find_tables(rulings: Rulings) -> list[FoundTable]:
    """The tables the ruling edges enclose, top to bottom (TooManyRulings past the bounds)."""
    vertical, horizontal = merge_edges(rulings)
    if not vertical or not horizontal:
        return []
    if len(vertical) * len(horizontal) > MAX_EDGE_PAIRS:
        raise TooManyRulings(f"{len(vertical)} x {len(horizontal)} ruling lines, limit {MAX_EDGE_PAIRS} pairs")
    points = _crossings(vertical, horizontal)
    if len(points) > MAX_CROSSINGS:
        raise TooManyRulings(f"{len(points)} ruling crossings, limit {MAX_CROSSINGS}")
    cells, corners = _cells(points)
    return [_table(group) for group in _group(cells, corners, len(points))]


def _crossings(vertical, horizontal) -> dict[tuple[float, float], list[int]]:
    """{(x, top): [vertical edges through it, horizontal edges through it, its number]}, each
    set of edges as a bit mask over the edges' places in their sorted lists (one AND tells
    whether two crossings share an edge).

    The crossings are made in (x, top) order, and numbered so: the vertical edges are taken
    in order, and two on one line (joined edges) are more than JOIN apart, so a later one
    adds crossings only below the earlier one's."""
    horizontal = sorted(set(horizontal))
    tops = [h[0] for h in horizontal]
    lefts = [h[1] - CROSS for h in horizontal]
    rights = [h[2] + CROSS for h in horizontal]
    points: dict[tuple[float, float], list[int]] = {}
    for i, (x, top, bottom) in enumerate(sorted(set(vertical))):
        v = 1 << i
        for k in range(bisect_left(tops, top - CROSS), bisect_right(tops, bottom + CROSS)):
            if lefts[k] <= x <= rights[k]:
                key = (x, tops[k])
                at = points.get(key)
                if at is None:
                    points[key] = [v, 1 << k, len(points)]
                else:
                    at[0] |= v
                    at[1] |= 1 << k
    return points


def _cells(points: dict[tuple[float, float], list[int]]) -> tuple[list[tuple], list[tuple[int, int, int, int]]]:
    """Each crossing's smallest cell (pdfplumber's find_smallest_cell): the nearest crossing
    below it on a shared vertical edge, then the nearest to its right on a shared horizontal
    edge, whose far corner is a crossing on both the bottom's and the right's edges. With each
    cell, its corners as numbers (the crossings' places in (x, top) order) for ``_group``.

    Most cells are the first tried: the next crossing below and the next one to the right;
    that case is judged before the general search (``_smallest``)."""
    by_x: dict[float, list[tuple]] = {}  # x -> (top, vs, hs, number, its line, place in its line)
    by_top: dict[float, list[tuple]] = {}  # top -> (x, vs, hs, number), left to right
    for (x, top), (vs, hs, number) in points.items():  # in (x, top) order (see _crossings)
        line = by_top.get(top)
        if line is None:
            line = by_top[top] = []
        column = by_x.get(x)
        if column is None:
            column = by_x[x] = []
        column.append((top, vs, hs, number, line, len(line)))
        line.append((x, vs, hs, number))
    get = points.get
    cells: list[tuple[float, float, float, float]] = []
    corners: list[tuple[int, int, int, int]] = []
    for x, column in by_x.items():
        for k in range(len(column) - 1):  # the last crossing of a column has none below it
            top, vs, hs, number, line, at = column[k]
            if at + 1 == len(line):
                continue  # none to its right
            b, b_vs, b_hs, b_number = column[k + 1][:4]
            r, r_vs, r_hs, r_number = line[at + 1]
            if vs & b_vs and hs & r_hs:
                corner = get((r, b))
                if corner is not None and corner[0] & r_vs and corner[1] & b_hs:
                    cells.append((x, top, r, b))
                    corners.append((number, b_number, r_number, corner[2]))
                    continue
            found = _smallest(get, column, k, line, at)
            if found is not None:
                cells.append((x, top, found[0], found[1]))
                corners.append((number, *found[2:]))
    return cells, corners


def _smallest(get, column: list[tuple], k: int, line: list[tuple], at: int) -> tuple | None:
    """find_smallest_cell's whole search for the crossing column[k] (= line[at]): (right x,
    bottom, the bottom-left, top-right and bottom-right corners' numbers) or None."""
    _, vs, hs, _, _, _ = column[k]
    for b, b_vs, b_hs, b_number, _, _ in islice(column, k + 1, None):
        if not vs & b_vs:
            continue
        for r, r_vs, r_hs, r_number in islice(line, at + 1, None):
            if hs & r_hs:
                corner = get((r, b))
                if corner is not None and corner[0] & r_vs and corner[1] & b_hs:
                    return r, b, b_number, r_number, corner[2]
    return None


def _group(cells: list[tuple], corners: list[tuple[int, int, int, int]], count: int) -> list[list[tuple]]:
    """Cells that share a corner (directly or through others) form one table; tables of one
    cell are dropped; tables sorted by their topmost, then leftmost, corner.

    Each corner (a crossing's number, < ``count``) is labelled with its cell's group; a cell
    takes the group of the first of its corners already labelled (else a new one), and a corner
    labelled with another group merges the two (the merged group's cells move to the other;
    ``alias`` says where)."""
    label = [-1] * count
    alias: list[int] = []
    members: list[list[tuple]] = []
    for cell, (a, b, c, d) in zip(cells, corners, strict=True):
        g = label[a]
        if g < 0:
            g = label[b]
            if g < 0:
                g = label[c]
                if g < 0:
                    g = label[d]
        if g < 0:
            g = len(members)
            alias.append(g)
            members.append([cell])
        else:
            while alias[g] != g:
                g = alias[g]
            members[g].append(cell)
        for corner in (a, b, c, d):
            h = label[corner]
            if h < 0:
                label[corner] = g
            elif h != g:
                while alias[h] != h:
                    h = alias[h]
                if h != g:
                    alias[h] = g
                    members[g] += members[h]
                    members[h] = []
    tables = [m for k, m in enumerate(members) if alias[k] == k and len(m) > 1]
    return sorted(tables, key=lambda t: min((c[1], c[0]) for c in t))


def _table(cells: list[tuple]) -> FoundTable:
    x0s, tops, x1s, bottoms = zip(*cells, strict=True)
    bbox = (min(x0s), min(tops), max(x1s), max(bottoms))
    return FoundTable(bbox, sorted(set(x0s)), sorted(set(tops)), sorted(cells))


def is_table(table: FoundTable) -> bool:
    """Two rows and a row of two cells at least: one row or one column is a box around text."""
    layout = table.layout()
    return len(layout) >= 2 and max(len(row) for row in layout) >= 2


# ---- the cells' text -----------------------------------------------------------------------------


def clean_cell(text: str | None) -> str:
    """A cell's text as one line: its lines joined (nothing between CJK, a space between Latin
    words), without the spaces guessed next to CJK characters or pdfium's marks."""
    if not text:
        return ""
    text = text.replace("\x02", "-").replace("\ufffe", "").replace("\x00", "").replace("\r", "")
    joined = join_fragments(text.split("\n"))
    if " " not in joined:
        return joined
    out: list[str] = []
    for i, ch in enumerate(joined):
        if ch == " " and (
            (out and (out[-1] == " " or is_wide(out[-1]))) or (i + 1 < len(joined) and is_wide(joined[i + 1]))
        ):
            continue
        out.append(ch)
    return "".join(out).strip()

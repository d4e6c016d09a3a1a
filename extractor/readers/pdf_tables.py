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
    cells: list[tuple[float, float, float, float]]  # (x0, top, x1, bottom)
    texts: dict[tuple[float, float, float, float], str] = field(default_factory=dict)
    _layout: list | None = None

    def layout(self) -> list[list[tuple[int, int, tuple | None]]]:
        """Each grid row as (column, colspan, cell box) in column order: the box of a cell that
        starts in this row, None for the continuation of a cell merged down from a row above
        (at the column where that cell starts); a cell merged across appears once."""
        if self._layout is None:
            self._layout = self._grid()
        return self._layout

    def _grid(self) -> list[list[tuple[int, int, tuple | None]]]:
        col_at = {x: c for c, x in enumerate(self.columns)}
        row_at = {t: r for r, t in enumerate(self.rows)}
        grid: list[list[tuple[int, int, tuple | None]]] = [[] for _ in self.rows]
        for cell in self.cells:
            x0, top, x1, bottom = cell
            c, r = col_at[x0], row_at[top]
            span = bisect_left(self.columns, x1) - c
            grid[r].append((c, max(1, span), cell))
            for below in range(r + 1, bisect_left(self.rows, bottom)):
                grid[below].append((c, max(1, span), None))
        for row in grid:
            row.sort(key=lambda item: item[0])
        return grid

    def rows_of_cells(self) -> list[list[Cell]]:
        """The table as TextBuilder.table() takes it: (column, text, colspan), text None for the
        continuation of a vertically merged cell (``texts`` holds each cell's cleaned text)."""
        texts = self.texts
        return [
            [(c, None if box is None else texts.get(box, ""), span) for c, span, box in row] for row in self.layout()
        ]


# ---- from edges to tables (pdfplumber's steps) --------------------------------------------------


def _snap(edges: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Edges whose positions chain within SNAP of one another moved to their mean position."""
    if not edges:
        return []
    edges = sorted(edges)
    out: list[tuple[float, float, float]] = []
    group = [edges[0]]
    for e in edges[1:]:
        if e[0] <= group[-1][0] + SNAP:
            group.append(e)
        else:
            mean = sum(g[0] for g in group) / len(group)
            out += [(mean, g[1], g[2]) for g in group]
            group = [e]
    mean = sum(g[0] for g in group) / len(group)
    out += [(mean, g[1], g[2]) for g in group]
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
    cells = _cells(points)
    return [_table(group) for group in _group(cells)]


def _crossings(vertical, horizontal) -> dict[tuple[float, float], list[int]]:
    """{(x, top): [vertical edges through it, horizontal edges through it]}, each set of edges
    as a bit mask over the edges' places in their sorted lists (one AND tells whether two
    crossings share an edge)."""
    horizontal = sorted(set(horizontal))
    tops = [h[0] for h in horizontal]
    points: dict[tuple[float, float], list[int]] = {}
    for i, (x, top, bottom) in enumerate(sorted(set(vertical))):
        v = 1 << i
        for k in range(bisect_left(tops, top - CROSS), bisect_right(tops, bottom + CROSS)):
            h = horizontal[k]
            if h[1] - CROSS <= x <= h[2] + CROSS:
                at = points.get((x, h[0]))
                if at is None:
                    points[(x, h[0])] = [v, 1 << k]
                else:
                    at[0] |= v
                    at[1] |= 1 << k
    return points


def _cells(points: dict[tuple[float, float], list[int]]) -> list[tuple[float, float, float, float]]:
    """Each crossing's smallest cell (pdfplumber's find_smallest_cell): the nearest crossing
    below it on a shared vertical edge, then the nearest to its right on a shared horizontal
    edge, whose far corner is a crossing on both the bottom's and the right's edges."""
    by_x: dict[float, list[tuple[float, int, int, int]]] = {}  # x -> (top, vs, hs, place in its line)
    by_top: dict[float, list[tuple[float, int, int]]] = {}  # top -> (x, vs, hs), left to right
    for x, top in sorted(points):
        vs, hs = points[(x, top)]
        line = by_top.setdefault(top, [])
        by_x.setdefault(x, []).append((top, vs, hs, len(line)))
        line.append((x, vs, hs))
    get = points.get
    cells = []
    for x, column in by_x.items():
        for k in range(len(column) - 1):  # the last crossing of a column has none below it
            top, vs, hs, at = column[k]
            line = by_top[top]
            if at + 1 == len(line):
                continue  # none to its right
            for b, b_vs, b_hs, _ in islice(column, k + 1, None):
                if not vs & b_vs:
                    continue
                for r, r_vs, r_hs in islice(line, at + 1, None):
                    if hs & r_hs:
                        corner = get((r, b))
                        if corner is not None and corner[0] & r_vs and corner[1] & b_hs:
                            cells.append((x, top, r, b))
                            break
                else:
                    continue
                break
    return cells


def _group(cells: list[tuple]) -> list[list[tuple]]:
    """Cells that share a corner (directly or through others) form one table; tables of one
    cell are dropped; tables sorted by their topmost, then leftmost, corner.

    Each corner is labelled with its cell's group; a cell takes the group of the first of its
    corners already labelled (else a new one), and a corner labelled with another group merges
    the two (the merged group's cells move to the other; ``alias`` says where)."""
    label: dict[tuple[float, float], int] = {}
    alias: list[int] = []
    members: list[list[tuple]] = []
    get, setdefault = label.get, label.setdefault
    for cell in cells:
        x0, top, x1, bottom = cell
        corners = ((x0, top), (x0, bottom), (x1, top), (x1, bottom))
        g = get(corners[0])
        if g is None:
            g = get(corners[1])
            if g is None:
                g = get(corners[2])
                if g is None:
                    g = get(corners[3])
        if g is None:
            g = len(members)
            alias.append(g)
            members.append([cell])
        else:
            while alias[g] != g:
                g = alias[g]
            members[g].append(cell)
        for corner in corners:
            h = setdefault(corner, g)
            if h != g:
                while alias[h] != h:
                    h = alias[h]
                if h != g:
                    alias[h] = g
                    members[g] += members[h]
                    members[h] = []
    tables = [m for k, m in enumerate(members) if alias[k] == k and len(m) > 1]
    return sorted(tables, key=lambda t: min((c[1], c[0]) for c in t))


def _table(cells: list[tuple]) -> FoundTable:
    bbox = (min(c[0] for c in cells), min(c[1] for c in cells), max(c[2] for c in cells), max(c[3] for c in cells))
    return FoundTable(bbox, sorted({c[0] for c in cells}), sorted({c[1] for c in cells}), sorted(cells))


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

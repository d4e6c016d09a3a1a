"""Ruled tables of a PDF page from pdfium itself: ruling lines from the page's path objects,
cells from where they cross, each cell's text from pdfium's text page by position.

pdfplumber finds the same tables (its "lines" strategy) but builds every page object through
pdfminer in Python first, ~40 ms a ruled page. Here the page is never parsed twice: pdfium has
already parsed it for its text, its path objects' bounds give the ruling lines (a line or a
thin filled rectangle is one edge; any other path, its straight segments), and pdfium is asked
once per cell for the text inside it. From the edges on, the steps are pdfplumber's own (same
tolerances, same results on the tests' generated tables): snap edges within 3 pt to their mean,
join collinear pieces with gaps up to 3 pt, drop edges under 3 pt, cross them (3 pt slack), take
each crossing's smallest closed cell, group cells that share a corner into tables.

Coordinates are "down" space: x as in PDF user space, ``top = -y`` (so top < bottom, as in
pdfplumber), which any page's cells and chars share whatever the page's size or origin.
Everything here uses pypdfium2's public ``raw`` module (the pdfium C API as ctypes calls).
"""

from __future__ import annotations

import ctypes
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from itertools import islice, repeat

from extractor.readers._build import Cell, is_wide, join_fragments

SNAP = 3.0  # pdfplumber's snap_tolerance, join_tolerance, edge_min_length, intersection_tolerance
JOIN = 3.0
MIN_EDGE = 3.0
CROSS = 3.0
# A path whose bounds are at most this thin is one ruling line (a stroked line, or a filled
# rectangle used as a border); pdfplumber's snapping makes the two long sides of such a
# rectangle one edge too.
THIN = 3.0
# A page is worth looking at for tables when its paths hold at least this many segments: a 2x2
# ruled grid has 12; a heading's underline or a page frame has fewer.
MIN_RULING_SEGMENTS = 12
# Past these, a page's grid is read as lines (with a warning): the crossings are paired per
# horizontal and vertical edge, the cells per crossing.
MAX_EDGE_PAIRS = 250_000
MAX_CROSSINGS = 5_000
# Page objects typed per pass of the scan (a bounded list for a page of a million objects), and
# the ruling edges a page may hold before it is read as lines.
SCAN_CHUNK = 4096
MAX_EDGES = 20_000


class TooManyRulings(Exception):
    """A page whose ruling lines are too many to pair up in bounded time."""


@dataclass(slots=True)
class Rulings:
    """A page's ruling edges in down space: vertical (x, top, bottom), horizontal (top, x0, x1)."""

    vertical: list[tuple[float, float, float]] = field(default_factory=list)
    horizontal: list[tuple[float, float, float]] = field(default_factory=list)
    segments: int = 0  # path segments seen (a cheap "is there a grid at all")


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
        return [[(c, None if box is None else texts.get(box, ""), span) for c, span, box in row]
                for row in self.layout()]


# ---- ruling lines from pdfium's page objects ----------------------------------------------------

class _Calls:
    """The pdfium calls of the ruling scan, with the out-parameters they write into (passed as
    they are: ctypes applies byref() itself for an argument declared a pointer to their type,
    cheaper than passing pointer objects)."""

    def __init__(self, pdfium_c) -> None:
        self.c = pdfium_c
        self.box = [ctypes.c_float() for _ in range(4)]
        self.point = [ctypes.c_float(), ctypes.c_float()]
        self.fill, self.stroke = ctypes.c_int(), ctypes.c_int()
        self.matrix = pdfium_c.FS_MATRIX()

    def bounds(self, obj) -> tuple[float, float, float, float] | None:
        box = self.box
        if not self.c.FPDFPageObj_GetBounds(obj, *box):
            return None
        return box[0].value, box[1].value, box[2].value, box[3].value  # left, bottom, right, top

    def painted(self, obj) -> bool:
        if not self.c.FPDFPath_GetDrawMode(obj, self.fill, self.stroke):
            return True
        return bool(self.fill.value or self.stroke.value)

    def get_matrix(self, obj) -> tuple[float, ...]:
        if not self.c.FPDFPageObj_GetMatrix(obj, self.matrix):
            return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
        m = self.matrix
        return (m.a, m.b, m.c, m.d, m.e, m.f)


_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _compose(inner: tuple, outer: tuple) -> tuple:
    """The matrix that applies ``inner`` then ``outer`` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer  # noqa: N806 - matrix entries
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _apply(m: tuple, x: float, y: float) -> tuple[float, float]:
    return x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5]


def page_rulings(pdfium_c, page, max_depth: int = 3) -> tuple[int, Rulings]:
    """(objects on the page, its ruling edges). ``page`` is a raw FPDF_PAGE. TooManyRulings
    past MAX_EDGES edges.

    Every page object's type is asked (two pdfium calls an object, through map(): no Python
    code runs per text object, most of a page); only path objects are looked at further."""
    calls = _Calls(pdfium_c)
    rulings = Rulings()
    count = pdfium_c.FPDFPage_CountObjects(page)
    _scan(calls, page, count, pdfium_c.FPDFPage_GetObject, _IDENTITY, 0, max_depth, rulings)
    return count, rulings


def _scan(calls: _Calls, container, count: int, get_object, matrix: tuple, depth: int, max_depth: int,
          rulings: Rulings) -> None:
    c = calls.c
    path, form = c.FPDF_PAGEOBJ_PATH, c.FPDF_PAGEOBJ_FORM
    for low in range(0, count, SCAN_CHUNK):
        size = min(SCAN_CHUNK, count - low)
        objects = list(map(get_object, repeat(container, size), range(low, low + size)))
        kinds = list(map(c.FPDFPageObj_GetType, objects))
        if path not in kinds and form not in kinds:
            continue
        for obj, kind in zip(objects, kinds, strict=True):
            if kind == path:
                _path_edges(calls, obj, matrix, rulings)
            elif kind == form and depth < max_depth:
                inner = _compose(calls.get_matrix(obj), matrix)
                _scan(calls, obj, c.FPDFFormObj_CountObjects(obj), c.FPDFFormObj_GetObject, inner, depth + 1,
                      max_depth, rulings)
        if len(rulings.vertical) + len(rulings.horizontal) > MAX_EDGES:
            raise TooManyRulings(f"over {MAX_EDGES} ruling segments")


def _path_edges(calls: _Calls, obj, matrix: tuple, rulings: Rulings) -> None:
    c = calls.c
    segments = c.FPDFPath_CountSegments(obj)
    if segments <= 0 or not calls.painted(obj):
        return
    rulings.segments += segments
    box = calls.bounds(obj)
    if box is None:
        return
    left, bottom, right, top = box
    if matrix is not _IDENTITY:  # inside a form: its bounds are in the form's space
        xs, ys = zip(*(_apply(matrix, x, y) for x in (left, right) for y in (bottom, top)), strict=True)
        left, right, bottom, top = min(xs), max(xs), min(ys), max(ys)
    width, height = right - left, top - bottom
    if width <= THIN and height > width:
        rulings.vertical.append(((left + right) / 2, -top, -bottom))
    elif height <= THIN:
        rulings.horizontal.append((-(top + bottom) / 2, left, right))
    else:
        _segment_edges(calls, obj, segments, _compose(calls.get_matrix(obj), matrix), rulings)


def _segment_edges(calls: _Calls, obj, count: int, matrix: tuple, rulings: Rulings) -> None:
    """The straight, axis-parallel segments of a path (a rectangle's four sides, a polyline)."""
    c = calls.c
    lineto, moveto = c.FPDF_SEGMENT_LINETO, c.FPDF_SEGMENT_MOVETO
    start = prev = None
    for i in range(count):
        seg = c.FPDFPath_GetPathSegment(obj, i)
        if not seg or not c.FPDFPathSegment_GetPoint(seg, *calls.point):
            continue
        point = _apply(matrix, calls.point[0].value, calls.point[1].value)
        kind = c.FPDFPathSegment_GetType(seg)
        if kind == moveto:
            start = prev = point
            continue
        if kind == lineto and prev is not None:
            _add_segment(prev, point, rulings)
        prev = point
        if c.FPDFPathSegment_GetClose(seg) and start is not None:
            _add_segment(point, start, rulings)
            prev = start


def _add_segment(a: tuple[float, float], b: tuple[float, float], rulings: Rulings) -> None:
    (x0, y0), (x1, y1) = a, b
    if abs(x0 - x1) < 0.5 and abs(y0 - y1) >= 0.5:
        rulings.vertical.append(((x0 + x1) / 2, -max(y0, y1), -min(y0, y1)))
    elif abs(y0 - y1) < 0.5 and abs(x0 - x1) >= 0.5:
        rulings.horizontal.append((-(y0 + y1) / 2, min(x0, x1), max(x0, x1)))


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
        if ch == " " and ((out and (out[-1] == " " or is_wide(out[-1])))
                          or (i + 1 < len(joined) and is_wide(joined[i + 1]))):
            continue
        out.append(ch)
    return "".join(out).strip()

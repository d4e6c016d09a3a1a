"""The ruling lines of a PDF page from pdfium's page objects: a path whose bounds are thin (a
stroked line, or a filled rectangle used as a border) is one edge; any other path gives its
straight, axis-parallel segments; form objects are looked into (their matrix applied).

Edges are in "down" space (see ``pdf_tables``): vertical (x, top, bottom), horizontal (top, x0,
x1). Everything here uses pypdfium2's public ``raw`` module (the pdfium C API as ctypes calls).
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass, field
from itertools import repeat

# A path whose bounds are at most this thin is one ruling line (a stroked line, or a filled
# rectangle used as a border); pdfplumber's snapping makes the two long sides of such a
# rectangle one edge too.
THIN = 3.0
# A page is worth looking at for tables when its paths hold at least this many segments: a 2x2
# ruled grid has 12; a heading's underline or a page frame has fewer.
MIN_RULING_SEGMENTS = 12
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


def _scan(
    calls: _Calls, container, count: int, get_object, matrix: tuple, depth: int, max_depth: int, rulings: Rulings
) -> None:
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
                _scan(
                    calls,
                    obj,
                    c.FPDFFormObj_CountObjects(obj),
                    c.FPDFFormObj_GetObject,
                    inner,
                    depth + 1,
                    max_depth,
                    rulings,
                )
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

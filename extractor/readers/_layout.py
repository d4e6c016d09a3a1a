"""Fixed-layout pages (OCR'd images, OFD) into lines and tables: text pieces placed by their
boxes, tables rebuilt from ruling lines.

A reader hands over a page's :class:`Piece` objects (a run of text and its box, y growing
downwards) and its ruling lines (:class:`Rule`). Ruling lines that cross make a grid; a
separator missing between two grid cells makes them one merged cell; pieces go to the cell
that holds their centre. The rest of the page is read as lines: pieces side by side on one
baseline, left to right, lines top to bottom, each table at its place among them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractor.readers._build import Cell, TextBuilder, is_wide

# Pieces of one line whose gap is wider than this many line heights are separate columns of a
# table without ruling (joined by " | ", as the text readers render a table row).
COLUMN_GAP = 2.0
# A line shorter than this does not wrap a paragraph (a page of two short lines is two lines).
MIN_WRAPPED_CHARS = 15
# A separator counts as drawn between two grid cells when a ruling line covers this share of
# the cells' common edge.
MIN_EDGE_COVER = 0.5


@dataclass(slots=True)
class Piece:
    """A run of text and its box (x0, y0, x1, y1; y down); ``confidence`` from an OCR engine."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    confidence: float | None = None

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def height(self) -> float:
        return max(self.y1 - self.y0, 1e-6)


@dataclass(slots=True)
class Rule:
    """A ruling line: horizontal at y = ``at`` from ``lo`` to ``hi`` in x, or vertical at x = ``at``."""

    horizontal: bool
    at: float
    lo: float
    hi: float


@dataclass(slots=True)
class GridTable:
    """A ruled table: column and row boundaries, and its cells as (row, col, rowspan, colspan)."""

    xs: list[float]
    ys: list[float]
    cells: list[tuple[int, int, int, int]]
    texts: dict[tuple[int, int], list[Piece]] = field(default_factory=dict)

    @property
    def top(self) -> float:
        return self.ys[0]

    def contains(self, p: Piece) -> bool:
        return self.xs[0] <= p.cx <= self.xs[-1] and self.ys[0] <= p.cy <= self.ys[-1]

    def cell_of(self, p: Piece) -> tuple[int, int] | None:
        """The (row, col) of the cell (merged: its first row and column) holding the piece's centre."""
        r = _slot(self.ys, p.cy)
        c = _slot(self.xs, p.cx)
        if r is None or c is None:
            return None
        for r0, c0, rs, cs in self.cells:
            if r0 <= r < r0 + rs and c0 <= c < c0 + cs:
                return r0, c0
        return None


def _slot(bounds: list[float], v: float) -> int | None:
    for i in range(len(bounds) - 1):
        if bounds[i] <= v <= bounds[i + 1]:
            return i
    return None


def _cluster(values: list[float], tolerance: float) -> list[float]:
    """Sorted values, those within ``tolerance`` of the previous one merged into their mean."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tolerance:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(group) / len(group) for group in out]


def _components(rules: list[Rule], tolerance: float) -> list[list[Rule]]:
    """Groups of ruling lines that touch each other (a horizontal crossing or meeting a vertical)."""
    parent = list(range(len(rules)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    horizontal = [i for i, r in enumerate(rules) if r.horizontal]
    vertical = [i for i, r in enumerate(rules) if not r.horizontal]
    for i in horizontal:
        for j in vertical:
            if _touches(rules[i], rules[j], tolerance):
                parent[find(i)] = find(j)
    groups: dict[int, list[Rule]] = {}
    for i in range(len(rules)):
        groups.setdefault(find(i), []).append(rules[i])
    return list(groups.values())


def _covered(rules: list[Rule], horizontal: bool, at: float, lo: float, hi: float, tolerance: float) -> bool:
    """Whether ruling lines at ``at`` cover at least MIN_EDGE_COVER of the edge from lo to hi."""
    need = (hi - lo) * MIN_EDGE_COVER
    got = sum(
        max(0.0, min(r.hi, hi) - max(r.lo, lo))
        for r in rules
        if r.horizontal == horizontal and abs(r.at - at) <= tolerance
    )
    return got >= need


def _touches(h: Rule, v: Rule, tolerance: float) -> bool:
    return h.lo - tolerance <= v.at <= h.hi + tolerance and v.lo - tolerance <= h.at <= v.hi + tolerance


def _framing(rules: list[Rule], tolerance: float) -> list[Rule]:
    """The ruling lines that meet at least two lines across them: a table's lines frame its
    cells, while a stroke of a glyph or an underline meets none or one."""
    kept = rules
    for _ in range(3):
        horizontal = [r for r in kept if r.horizontal]
        vertical = [r for r in kept if not r.horizontal]
        keep = [
            r
            for r in kept
            if sum(
                _touches(r, o, tolerance) if r.horizontal else _touches(o, r, tolerance)
                for o in (vertical if r.horizontal else horizontal)
            )
            >= 2
        ]
        if len(keep) == len(kept):
            break
        kept = keep
    return kept


def find_tables(rules: list[Rule], tolerance: float) -> list[GridTable]:
    """Tables made by ruling lines that cross: at least two rows and two columns of cells."""
    tables = []
    for group in _components(_framing(rules, tolerance), tolerance):
        ys = _cluster([r.at for r in group if r.horizontal], tolerance)
        xs = _cluster([r.at for r in group if not r.horizontal], tolerance)
        if len(ys) < 3 or len(xs) < 3 or len(ys) * len(xs) > 100_000:
            continue
        table = _grid(group, xs, ys, tolerance)
        rows = {r for r, _, _, _ in table.cells}
        cols = {c for _, c, _, _ in table.cells}
        if len(rows) >= 2 and len(cols) >= 2:  # one row or one column is a box around text
            tables.append(table)
    return sorted(tables, key=lambda t: t.top)


def _grid(group: list[Rule], xs: list[float], ys: list[float], tolerance: float) -> GridTable:
    """Elementary cells joined where the separator between them is not drawn."""
    nr, nc = len(ys) - 1, len(xs) - 1
    parent = {(r, c): (r, c) for r in range(nr) for c in range(nc)}

    def find(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for r in range(nr):
        for c in range(nc):
            if c + 1 < nc and not _covered(group, False, xs[c + 1], ys[r], ys[r + 1], tolerance):
                parent[find((r, c + 1))] = find((r, c))
            if r + 1 < nr and not _covered(group, True, ys[r + 1], xs[c], xs[c + 1], tolerance):
                parent[find((r + 1, c))] = find((r, c))
    members: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for key in parent:
        members.setdefault(find(key), []).append(key)
    cells, taken = [], set()
    for group_cells in sorted(members.values(), key=min):
        r0, c0 = min(r for r, _ in group_cells), min(c for _, c in group_cells)
        r1, c1 = max(r for r, _ in group_cells), max(c for _, c in group_cells)
        if any((r, c) in taken for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)):
            for r, c in group_cells:  # not a rectangle that fits: its cells stand alone
                if (r, c) not in taken:
                    cells.append((r, c, 1, 1))
                    taken.add((r, c))
            continue
        cells.append((r0, c0, r1 - r0 + 1, c1 - c0 + 1))
        taken.update((r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1))
    return GridTable(xs, ys, sorted(cells))


def group_lines(pieces: list[Piece]) -> list[list[Piece]]:
    """Pieces side by side on one line (their vertical middles within each other's height),
    each line left to right, lines top to bottom."""
    lines: list[list[Piece]] = []
    for p in sorted(pieces, key=lambda p: (p.cy, p.x0)):
        line = lines[-1] if lines else None
        if line is not None:
            top, bottom = min(q.y0 for q in line), max(q.y1 for q in line)
            middle = (top + bottom) / 2
            if top <= p.cy <= bottom or p.y0 <= middle <= p.y1:
                line.append(p)
                continue
        lines.append([p])
    return [sorted(line, key=lambda p: p.x0) for line in lines]


def join_line(pieces: list[Piece]) -> tuple[str, list[tuple[Piece, int, int]]]:
    """A line's text, and where each piece's text lies in it. Pieces meet with nothing between
    CJK text, a space between Latin words, and `` | `` across a gap wider than COLUMN_GAP lines."""
    height = max(p.height for p in pieces)
    text, placed = "", []
    prev = None
    for p in pieces:
        piece = " ".join(p.text.split())
        if not piece:
            continue
        if prev is not None and text:
            if p.x0 - prev.x1 > COLUMN_GAP * height:
                text += " | "
            elif not (is_wide(text[-1]) or is_wide(piece[0])):
                text += " "
        placed.append((p, len(text), len(text) + len(piece)))
        text += piece
        prev = p
    return text, placed


# A line that ends a sentence or a clause, and a line that starts a numbered item or heading:
# neither is the middle of a wrapped paragraph.
_ENDS_SENTENCE = tuple("。！？；：…!?;:")
_NUMBERED = re.compile(
    r"[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d{1,2}[.、．](?!\d)|第[一二三四五六七八九十\d]+[章节部分条]"
)


def _columns(line: list[Piece]) -> bool:
    """Whether pieces of the line stand a column gap apart (join_line puts `` | `` between them)."""
    height = max(p.height for p in line)
    return any(b.x0 - a.x1 > COLUMN_GAP * height for a, b in zip(line, line[1:], strict=False))


def paragraphs(lines: list[list[Piece]]) -> list[list[Piece]]:
    """Lines that only wrap a paragraph joined into one: a line that runs to the page's right
    edge, followed by a line of the same size that starts at its left edge (within a character:
    an OCR box starts at the ink, and a full-width （ has none in its left half) and is neither
    indented nor a numbered item, with no sentence end between them. What is one paragraph on
    the page reads as one line, as in a .docx, so a label and its figure wrapped apart stay
    together."""
    if len(lines) < 2:
        return lines
    left = min(line[0].x0 for line in lines)
    right = max(line[-1].x1 for line in lines)
    out = [list(lines[0])]
    for before, line in zip(lines, lines[1:], strict=False):
        h = max(p.height for p in before)
        last, first = before[-1].text.rstrip(), line[0].text.lstrip()
        # a line whose pieces stand apart is a row of columns, not running text
        if (
            not _columns(before)
            and not _columns(line)
            and sum(len(p.text) for p in before) >= MIN_WRAPPED_CHARS
            and before[-1].x1 >= right - 1.5 * h
            and line[0].x0 <= left + h
            and abs(max(p.height for p in line) - h) <= 0.3 * h
            and last
            and first
            and not last.endswith(_ENDS_SENTENCE)
            and not _NUMBERED.match(first)
        ):
            out[-1].append(line[0])
        else:
            out.append(list(line))
    return out


def _cell_text(pieces: list[Piece]) -> tuple[str, list[tuple[Piece, int, int]]]:
    """A cell's lines joined into one, as join_fragments joins a cell's paragraphs."""
    text, placed = "", []
    for line in group_lines(pieces):
        part, where = join_line(line)
        if not part:
            continue
        gap = "" if not text or is_wide(text[-1]) or is_wide(part[0]) else " "
        text += gap
        placed += [(p, a + len(text), b + len(text)) for p, a, b in where]
        text += part.replace(" | ", " ")
    return text, placed


Placed = list[tuple[Piece, int, int]]  # pieces and their spans in the document text


def emit_page(
    builder: TextBuilder, pieces: list[Piece], rules: list[Rule], page: int | None, tolerance: float
) -> Placed:
    """Write a page's lines and tables in reading order; where each piece landed in the text."""
    tables = find_tables(rules, tolerance)
    loose: list[Piece] = []
    for p in pieces:
        table = next((t for t in tables if t.contains(p)), None)
        key = table.cell_of(p) if table is not None else None
        if key is None:
            loose.append(p)
        else:
            table.texts.setdefault(key, []).append(p)
    items: list[tuple[float, object]] = [(min(q.y0 for q in line), line) for line in paragraphs(group_lines(loose))]
    items += [(t.top, t) for t in tables if t.texts]
    placed: Placed = []
    for _, item in sorted(items, key=lambda it: it[0]):
        if isinstance(item, GridTable):
            placed += _emit_table(builder, item, page)
            continue
        text, where = join_line(item)
        block = builder.line(text, "line", page=page)
        if block is not None:
            placed += [(p, block.start + a, block.start + b) for p, a, b in where]
    return placed


def _emit_table(builder: TextBuilder, table: GridTable, page: int | None) -> Placed:
    texts = {key: _cell_text(ps) for key, ps in table.texts.items()}
    nrows = len(table.ys) - 1
    rows: list[list[Cell]] = []
    for r in range(nrows):
        row: list[Cell] = []
        for r0, c0, rs, cs in table.cells:
            if r0 == r:
                row.append((c0, texts.get((r0, c0), ("", []))[0], cs))
            elif r0 < r < r0 + rs:
                row.append((c0, None))
        rows.append(sorted(row, key=lambda cell: cell[0]))
    built = builder.table(rows, page=page)
    placed: Placed = []
    if built is None:
        return placed
    # the builder leaves out rows with no text: the k-th row it wrote is the k-th with some
    written = [r for r, row in enumerate(rows) if "".join(c[1] or "" for c in row).strip()]
    for r, block_row in zip(written, built.rows, strict=True):
        for block in block_row:
            for p, a, b in texts.get((r, block.col), ("", []))[1]:
                placed.append((p, block.start + a, block.start + b))
    return placed

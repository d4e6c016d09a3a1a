"""Generated PDFs with ruled tables for the PDF table tests: random grids with merged cells, drawn
the three ways PDF producers draw borders (stroked line segments, thin filled rectangles, a
stroked rectangle per cell), Helvetica text in the cells. Deterministic for a seed."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

PAGE_W, PAGE_H = 612, 792
ROW_H = 18.0
STYLES = ("lines", "rects", "boxes")
WORDS = ["Item", "Total", "145.16", "2023", "A12", "Budget", "x", "Rate 98.5%", "Plan", "0.00", "Q3 2022", "n/a"]


@dataclass
class Region:
    row: int
    col: int
    rowspan: int
    colspan: int
    text: str


@dataclass
class GenTable:
    xs: list[float]  # column boundaries
    top: float  # PDF y of the top border
    rows: int
    regions: list[Region]
    style: str = "lines"
    row_h: float = ROW_H

    @property
    def bottom(self) -> float:
        return self.top - self.rows * self.row_h


@dataclass
class GenPage:
    lines: list[tuple[float, float, str]] = field(default_factory=list)  # (x, y, text)
    tables: list[GenTable] = field(default_factory=list)


def random_regions(rng: random.Random, rows: int, cols: int, merge: float = 0.2) -> list[Region]:
    """Cover a rows x cols grid with cells, some merged across and down."""
    taken = [[False] * cols for _ in range(rows)]
    regions = []
    for r in range(rows):
        for c in range(cols):
            if taken[r][c]:
                continue
            rs = cs = 1
            if r > 0 and rng.random() < merge:
                rs = rng.choice((2, 3))
                cs = rng.choice((1, 1, 2))
                rs = min(rs, rows - r)
                while cs > 1 and any(taken[r][c + k] for k in range(cs) if c + k < cols):
                    cs -= 1
                cs = min(cs, cols - c)
            for dr in range(rs):
                for dc in range(cs):
                    taken[r + dr][c + dc] = True
            text = rng.choice(WORDS) + (str(rng.randrange(100)) if rng.random() < 0.5 else "")
            if rng.random() < 0.1:
                text = ""
            regions.append(Region(r, c, rs, cs, text))
    return regions


def random_table(rng: random.Random, top: float, rows: int | None = None, style: str | None = None) -> GenTable:
    cols = rng.randint(2, 6)
    widths = [rng.choice((70, 80, 90, 100)) for _ in range(cols)]
    x0 = (PAGE_W - sum(widths)) / 2
    xs = [x0]
    for w in widths:
        xs.append(xs[-1] + w)
    rows = rows or rng.randint(3, 10)
    return GenTable(xs, top, rows, random_regions(rng, rows, cols), style or rng.choice(STYLES))


def _num(v: float) -> bytes:
    return (b"%.2f" % v).rstrip(b"0").rstrip(b".")


def _escape(text: str) -> bytes:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1")


def draw_table(t: GenTable) -> bytes:
    out = [b"0.5 w"]
    for reg in t.regions:
        x0, x1 = t.xs[reg.col], t.xs[reg.col + reg.colspan]
        yt, yb = t.top - reg.row * t.row_h, t.top - (reg.row + reg.rowspan) * t.row_h
        if t.style == "boxes":
            out.append(b"%s %s %s %s re S" % (_num(x0), _num(yb), _num(x1 - x0), _num(yt - yb)))
        elif t.style == "rects":
            for y in (yt, yb):
                out.append(b"%s %s %s 0.5 re f" % (_num(x0), _num(y - 0.25), _num(x1 - x0)))
            for x in (x0, x1):
                out.append(b"%s %s 0.5 %s re f" % (_num(x - 0.25), _num(yb), _num(yt - yb)))
        else:
            for a, b in (((x0, yt), (x1, yt)), ((x0, yb), (x1, yb)), ((x0, yb), (x0, yt)), ((x1, yb), (x1, yt))):
                out.append(b"%s %s m %s %s l S" % (_num(a[0]), _num(a[1]), _num(b[0]), _num(b[1])))
        if reg.text:
            out.append(b"BT /F1 9 Tf %s %s Td (%s) Tj ET" % (_num(x0 + 3), _num(yt - 12), _escape(reg.text)))
    return b"\n".join(out)


def draw_page(page: GenPage) -> bytes:
    out = [b"BT /F1 10 Tf %s %s Td (%s) Tj ET" % (_num(x), _num(y), _escape(text)) for x, y, text in page.lines]
    out += [draw_table(t) for t in page.tables]
    return b"\n".join(out)


def make_pdf(pages: list[GenPage]) -> bytes:
    """A PDF of the pages (Helvetica as F1)."""
    contents = [draw_page(p) for p in pages]
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>"}
    kids = b" ".join(b"%d 0 R" % (3 + 2 * i) for i in range(len(contents)))
    objects[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(contents))
    font = 3 + 2 * len(contents)
    for i, content in enumerate(contents):
        objects[3 + 2 * i] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (PAGE_W, PAGE_H, 4 + 2 * i, font)
        )
        objects[4 + 2 * i] = b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"
    objects[font] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    out, offsets = bytearray(b"%PDF-1.4\n"), {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    xref, size = len(out), max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size + b"".join(
        b"%010d 00000 n \n" % offsets[i] for i in range(1, size)
    )
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)


def random_document(seed: int, pages: int = 12) -> tuple[bytes, list[GenTable]]:
    """Pages of one or two captioned random tables each; the tables in reading order."""
    rng = random.Random(seed)
    out, tables = [], []
    for p in range(pages):
        page, y = GenPage(), PAGE_H - 60
        for k in range(rng.choice((1, 2))):
            page.lines.append((72, y, f"Table {p + 1}.{k + 1} of the plan"))
            table = random_table(rng, y - 12)
            page.tables.append(table)
            tables.append(table)
            y = table.bottom - 40
        page.lines.append((72, y, "Notes follow the table here."))
        out.append(page)
    return make_pdf(out), tables

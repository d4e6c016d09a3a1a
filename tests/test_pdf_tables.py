"""Ruled PDF tables read by pdfium (issue 16): the same cells as pdfplumber's table finder on
generated tables, merged cells as spans and continuations, tables over page breaks joined."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from pdf_tables_gen import PAGE_H, GenPage, GenTable, Region, draw_page, make_pdf, random_document, random_table

from extractor.grid import reader_grids
from extractor.normalize import Folded
from extractor.readers._build import TextBuilder
from extractor.readers.pdf import read_pdf
from extractor.readers.pdf_join import PageTable, PageWriter, is_furniture
from extractor.readers.pdf_tables import MIN_EDGE, Rulings, find_tables, merge_edges


def cells(doc) -> dict[tuple, str]:
    """{(table, row, col, rowspan, colspan): text} of a document's tables."""
    return {
        (k, r, b.col, b.rowspan, b.colspan): doc.text[b.start : b.end]
        for k, t in enumerate(doc.tables)
        for r, row in enumerate(t.rows)
        for b in row
    }


def texts(doc, k: int) -> Counter:
    return Counter(doc.text[b.start : b.end] for row in doc.tables[k].rows for b in row if b.end > b.start)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_pdfium_cells_are_pdfplumbers_on_generated_tables(seed):
    pytest.importorskip("pdfplumber")
    data, generated = random_document(seed)
    ours, theirs = read_pdf(data, tables="pdfium"), read_pdf(data, tables="pdfplumber")
    a, b = cells(ours), cells(theirs)
    keys = set(a) | set(b)
    same = sum(a.get(k) == b.get(k) for k in keys)
    assert len(keys) > 300
    assert same >= 0.99 * len(keys), sorted((k, a.get(k), b.get(k)) for k in keys if a.get(k) != b.get(k))[:10]
    # and both are the generated tables: every table found, every cell's text in it
    assert len(ours.tables) == len(generated)
    for k, table in enumerate(generated):
        assert texts(ours, k) == Counter(reg.text for reg in table.regions if reg.text), k


def test_merged_cells_are_spans_and_continuations():
    regions = [
        Region(0, 0, 1, 1, "Level1"),
        Region(0, 1, 1, 1, "Level2"),
        Region(0, 2, 1, 2, "Score"),
        Region(1, 0, 3, 1, "Output"),
        Region(1, 1, 1, 1, "Count"),
        Region(1, 2, 1, 1, "10"),
        Region(1, 3, 1, 1, "9"),
        Region(2, 1, 2, 1, "Quality"),
        Region(2, 2, 1, 1, "20"),
        Region(2, 3, 1, 1, "18"),
        Region(3, 2, 1, 2, "see note"),
    ]
    for style in ("lines", "rects", "boxes"):
        table = GenTable([100, 180, 260, 330, 400], 700, 4, regions, style)
        doc = read_pdf(make_pdf([GenPage([(72, 740, "Scores of the plan")], [table])]))
        (t,) = doc.tables
        got = [[(b.col, b.rowspan, b.colspan, doc.text[b.start : b.end]) for b in row] for row in t.rows]
        assert got == [
            [(0, 1, 1, "Level1"), (1, 1, 1, "Level2"), (2, 1, 2, "Score")],
            [(0, 3, 1, "Output"), (1, 1, 1, "Count"), (2, 1, 1, "10"), (3, 1, 1, "9")],
            [(1, 2, 1, "Quality"), (2, 1, 1, "20"), (3, 1, 1, "18")],
            [(2, 1, 2, "see note")],
        ], style
        assert "Output | Count | 10 | 9\n | Quality | 20 | 18\n |  | see note" in doc.text
        (grid,) = reader_grids(doc, Folded(doc.text))
        assert grid.at(3, 0).text == "Output" and grid.at(3, 1).text == "Quality" and grid.at(0, 3).text == "Score"


def _long_table(rows: int, top: float, header: bool, first: int, merged_from: int | None = None) -> GenTable:
    """A three-column table of numbered rows, with a header row or not; the last column of
    ``merged_from`` and every row after it merged into one cell ("Group B")."""
    regions, r = [], 0
    if header:
        regions += [Region(0, 0, 1, 1, "Code"), Region(0, 1, 1, 1, "Name"), Region(0, 2, 1, 1, "Group")]
        r = 1
    for i in range(rows - r):
        n = first + i
        regions += [Region(r + i, 0, 1, 1, f"C{n}"), Region(r + i, 1, 1, 1, f"Row {n}")]
        if merged_from is None or n < merged_from:
            regions.append(Region(r + i, 2, 1, 1, "A"))
        elif n == merged_from or i == 0:
            regions.append(Region(r + i, 2, rows - r - i, 1, "Group B" if n == merged_from else ""))
    return GenTable([100, 200, 400, 480], top, rows, regions, "lines")


@pytest.mark.parametrize("header", [True, False], ids=["header-repeated", "no-header-repeat"])
def test_a_table_over_a_page_break_is_one_table(header):
    first = _long_table(30, PAGE_H - 80, True, 1, merged_from=29)
    second = _long_table(12 if header else 11, PAGE_H - 40, header, 30, merged_from=29)
    pages = [
        GenPage([(72, PAGE_H - 60, "Table 3 Spending by item"), (300, 30, "- 1 -")], [first]),
        GenPage([(72, second.bottom - 30, "Notes after the table."), (300, 30, "- 2 -")], [second]),
    ]
    doc = read_pdf(make_pdf(pages))
    (table,) = doc.tables
    rows = [[doc.text[b.start : b.end] for b in row] for row in table.rows]
    assert rows[0] == ["Code", "Name", "Group"] and rows.count(["Code", "Name", "Group"]) == 1
    assert [r[0] for r in rows[1:]] == [f"C{n}" for n in range(1, 41)]
    group = table.rows[29][2]  # C29's row: the merged cell starts on page 1 and goes on over page 2
    assert doc.text[group.start : group.end] == "Group B" and group.rowspan == 12
    assert {b.page for b in table.rows[29]} == {1} and {b.page for b in table.rows[30]} == {2}
    assert table.page == 1
    pages_blocks = [b for b in doc.blocks if b.kind == "page"]
    assert [b.page for b in pages_blocks] == [1, 2]
    assert doc.page_at(doc.text.index("C29")) == 1 and doc.page_at(doc.text.index("C30")) == 2
    assert doc.text.count("- 1 -") == 1 and doc.text.index("Notes after the table.") > doc.text.index("C40")
    (grid,) = reader_grids(doc, Folded(doc.text))
    assert grid.at(40, 2).text == "GroupB"


def test_tables_that_only_meet_at_a_page_break_stay_two():
    first = _long_table(30, PAGE_H - 80, True, 1)
    other_columns = GenTable(
        [100, 250, 400, 480],
        PAGE_H - 40,
        3,
        [Region(r, c, 1, 1, f"X{r}{c}") for r in range(3) for c in range(3)],
        "lines",
    )
    same_columns = _long_table(3, PAGE_H - 60, True, 50)
    for second, lines in ((other_columns, []), (same_columns, [(72, PAGE_H - 45, "Table 4 Another table")])):
        pages = [GenPage([(72, PAGE_H - 60, "Table 3 Spending by item")], [first]), GenPage(lines, [second])]
        doc = read_pdf(make_pdf(pages))
        assert len(doc.tables) == 2


def test_page_writer_keeps_lines_in_order_around_joined_tables():
    builder = TextBuilder()
    writer = PageWriter(builder)
    head = [(0, "H1", 1), (1, "H2", 1)]
    writer.page(1, ["intro", PageTable([head, [(0, "a", 1), (1, "1", 1)]], (0.0, 50.0, 100.0)), "3"])
    writer.page(2, ["续表", PageTable([head, [(0, "b", 1), (1, "2", 1)]], (0.5, 50.0, 99.0), closes=False), "after"])
    writer.page(3, [])
    writer.finish(3)
    doc = builder.build("pdf", pages=3)
    assert doc.text == "intro\nH1 | H2\na | 1\nb | 2\n3\n续表\nafter"
    assert len(doc.tables) == 1
    assert [(b.page, doc.text[b.start : b.end]) for b in doc.blocks if b.kind == "page"] == [
        (1, "intro\nH1 | H2\na | 1"),
        (2, "b | 2\n3\n续表\nafter"),
        (3, ""),
    ]


@pytest.mark.parametrize(
    "line,furniture",
    [
        ("- 3 -", True),
        ("第 3 页 共 9 页", True),
        ("3/9", True),
        ("Page 3 of 9", True),
        ("续表", True),
        ("（续上表）", True),
        ("单位：万元", False),
        ("表3", False),
        ("Table 3", False),
        ("三、评价结论", False),
    ],
)
def test_page_furniture(line, furniture):
    assert is_furniture(line) is furniture


def test_edges_are_snapped_joined_and_filtered_as_pdfplumber_does():
    rulings = Rulings(
        vertical=[(100.0, -700.0, -650.0), (101.5, -650.0, -600.0), (300.0, -700.0, -698.5)],
        horizontal=[(-700.0, 100.0, 200.0), (-700.5, 202.0, 300.0), (-600.0, 100.0, 300.0)],
    )
    vertical, horizontal = merge_edges(rulings)
    assert vertical == [(100.75, -700.0, -600.0)]  # snapped to their mean and joined; the short one dropped
    assert horizontal == [(-700.25, 100.0, 300.0), (-600.0, 100.0, 300.0)]  # the 2 pt gap joined
    assert all(e[2] - e[1] >= MIN_EDGE for e in vertical + horizontal)


def test_a_box_around_text_is_not_a_table():
    box = GenTable([100, 500], 700, 1, [Region(0, 0, 1, 1, "Framed note")], "boxes")
    doc = read_pdf(make_pdf([GenPage([(72, 740, "Title")], [box, random_table(random.Random(5), 600, 1, "lines")])]))
    assert not doc.tables and "Framed note" in doc.text


def test_table_finder_on_random_grids_finds_every_cell():
    rng = random.Random(16)
    for _ in range(40):
        table = random_table(rng, 700)
        rulings = Rulings()
        for reg in table.regions:
            x0, x1 = table.xs[reg.col], table.xs[reg.col + reg.colspan]
            top, bottom = -(table.top - reg.row * table.row_h), -(table.top - (reg.row + reg.rowspan) * table.row_h)
            rulings.horizontal += [(top, x0, x1), (bottom, x0, x1)]
            rulings.vertical += [(x0, top, bottom), (x1, top, bottom)]
        (found,) = find_tables(rulings)
        # a grid line that no cell starts at (rows or columns merged all the way) is no grid line
        rows = sorted({reg.row for reg in table.regions})
        cols = sorted({reg.col for reg in table.regions})
        expected = sorted(
            (rows.index(reg.row), cols.index(reg.col), sum(1 for c in cols if reg.col <= c < reg.col + reg.colspan))
            for reg in table.regions
        )
        got = sorted((r, c, span) for r, row in enumerate(found.layout()) for c, span, box in row if box is not None)
        assert got == expected


def test_a_form_whose_first_part_hides_a_column_boundary_is_joined_on_the_finer_grid():
    xs = [100, 200, 300, 400, 500]
    head = GenTable(
        xs,
        120,
        2,
        [
            Region(0, 0, 1, 1, "Project"),
            Region(0, 1, 1, 3, "Library repairs"),
            Region(1, 0, 1, 2, "Unit"),
            Region(1, 2, 1, 2, "Culture office"),
        ],
        "lines",
    )
    rest = GenTable(xs, PAGE_H - 40, 2, [Region(r, c, 1, 1, f"{r}{c}.5") for r in range(2) for c in range(4)], "lines")
    doc = read_pdf(make_pdf([GenPage([(72, 160, "Table 5 Project form")], [head]), GenPage([], [rest])]))
    (table,) = doc.tables
    got = [[(b.col, b.colspan, doc.text[b.start : b.end]) for b in row] for row in table.rows]
    assert got == [
        [(0, 1, "Project"), (1, 3, "Library repairs")],
        [(0, 2, "Unit"), (2, 2, "Culture office")],
        [(c, 1, f"0{c}.5") for c in range(4)],
        [(c, 1, f"1{c}.5") for c in range(4)],
    ]


def test_a_cell_drawn_in_fake_bold_is_read_once():
    table = GenTable(
        [100, 200, 300],
        700,
        2,
        [Region(0, 0, 1, 1, "Name"), Region(0, 1, 1, 1, "Value"), Region(1, 0, 1, 1, ""), Region(1, 1, 1, 1, "")],
        "lines",
    )
    page = GenPage([(72, 740, "Fake bold")], [table])
    bold = b"".join(
        b"\nBT /F1 9 Tf %.1f 670 Td (%s) Tj ET" % (x + dx, text)
        for x, text in ((103, b"Total"), (203, b"100"))
        for dx in (0, 0.4)
    )  # each drawn twice, 0.4 pt apart
    content = draw_page(page)
    data = (
        make_pdf([page])
        .replace(content, content + bold)
        .replace(b"/Length %d" % len(content), b"/Length %d" % len(content + bold))
    )
    doc = read_pdf(data)
    (t,) = doc.tables
    assert [[doc.text[b.start : b.end] for b in row] for row in t.rows] == [["Name", "Value"], ["Total", "100"]]


class _Boxes:
    def __init__(self, boxes):
        self.boxes = boxes

    def get_charbox(self, i):
        return self.boxes[i]


def test_a_run_of_glyphs_each_drawn_twice_is_read_once():
    from extractor.readers.pdf_cells import _deduped

    twice = _Boxes([(100 + 5 * (i // 2) + 0.2 * (i % 2), 700, 105 + 5 * (i // 2), 709) for i in range(10)])
    assert _deduped(twice, "TToottaall", 0, 10) == "Total"
    side_by_side = _Boxes([(100 + 5 * i, 700, 105 + 5 * i, 709) for i in range(4)])
    assert _deduped(side_by_side, "1100", 0, 4) == "1100"

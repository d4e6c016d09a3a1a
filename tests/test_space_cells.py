"""Tables whose cells are parted only by runs of spaces (pdftotext -layout, a borderless table's text).

Every snippet is invented. The tables are written as a converter pads them: each cell to its
column's display width (a Chinese character two columns wide), figures right-aligned, and the
lines that must stay text (a title's wide spaces, a table of contents, a letter-spaced heading, a
signature line, a centred page number) as such reports set them.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal

import pytest

from extractor import extract_text
from extractor.fields.common import Context
from extractor.fields.forms import read_form
from extractor.normalize import fold
from extractor.pipeline import extract_text as pipeline_extract


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _layout(rows: list[list[str]], right: frozenset[int] = frozenset(), indent: int = 0, wide: int = 0) -> str:
    """Rows padded as pdftotext -layout writes them: each column as wide as its widest cell (or
    ``wide``), two spaces apart, the columns in ``right`` right-aligned."""
    widths = [max(wide, *(_width(r[k]) for r in rows if k < len(r))) for k in range(max(map(len, rows)))]
    out = []
    for row in rows:
        cells = []
        for k, cell in enumerate(row):
            pad = " " * (widths[k] - _width(cell))
            cells.append(pad + cell if k in right else cell + pad)
        out.append((" " * indent + "  ".join(cells)).rstrip())
    return "\n".join(out)


def _ctx(text: str) -> Context:
    return Context.of(pipeline_extract(text, verify=False).document)


def _pipe_grids(ctx: Context):
    return [g for g in ctx.grids if g.source == "pipe"]


def _row(grid, r: int) -> list[str | None]:
    return [c.text if c is not None else None for c in grid.resolved()[r]]


FINAL_ACCOUNTS = _layout(
    [
        ["项目", "年初预算数", "调整预算数", "决算数"],
        ["一般公共预算财政拨款", "1,250.00", "1,300.00", "1,286.45"],
        ["政府性基金预算拨款", "", "", "35.20"],
        ["事业收入", "80.00", "", "76.10"],
        ["合计", "1,330.00", "1,300.00", "1,397.75"],
    ],
    right=frozenset({1, 2, 3}),
)


def test_a_space_aligned_final_accounts_table_keeps_its_empty_cells_in_their_columns():
    text = "收入支出决算表\n单位:万元\n" + FINAL_ACCOUNTS + "\n\n以上数据为本部门决算数。"
    ctx = _ctx(text)
    (grid,) = _pipe_grids(ctx)
    assert _row(grid, 0) == ["项目", "年初预算数", "调整预算数", "决算数"]
    assert _row(grid, 1) == ["一般公共预算财政拨款", "1,250.00", "1,300.00", "1,286.45"]
    assert _row(grid, 2)[0] == "政府性基金预算拨款" and _row(grid, 2)[3] == "35.20"
    assert not any(_row(grid, 2)[1:3])
    assert _row(grid, 3)[1] == "80.00" and not _row(grid, 3)[2] and _row(grid, 3)[3] == "76.10"
    # every cell grounds on what the document says
    for row in grid.rows:
        for cell in row:
            if cell.text:
                value = ctx.ground(cell.start, cell.end, cell.text)
                assert "".join(text[value.span[0] : value.span[1]].split()) == cell.text
    # the prose after the table is untouched
    assert "以上数据为本部门决算数。" in ctx.text


PROJECT_FORM = "项目支出绩效自评表\n单位:万元\n" + _layout(
    [
        ["项目名称", "社区养老服务补助", "主管部门", "县民政局"],
        ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        ["年度资金总额", "48", "50", "46.5", "10", "93%", "9.3"],
        ["其中:财政拨款", "48", "50", "46.5", "-", "93%", "-"],
        ["其他资金", "", "", "", "", "", ""],
    ],
)


def test_a_space_aligned_project_form_reads_its_money_row():
    form = read_form(_ctx(PROJECT_FORM))
    assert form["budget_initial"].value == Decimal("480000") and form["budget_initial"].raw == "48"
    assert form["budget_adjusted"].value == Decimal("500000")
    assert form["budget_spent"].value == Decimal("465000") and form["budget_spent"].raw == "46.5"
    assert form["execution_rate"].value == Decimal("93") and form["score"].value == Decimal("9.3")


def test_a_space_aligned_project_form_reads_as_its_pipe_twin():
    pipes = PROJECT_FORM.replace("  ", "\x00").replace("\x00 ", "\x00")
    pipes = "\n".join(" | ".join(c.strip() for c in ln.split("\x00") if c.strip()) for ln in pipes.split("\n"))
    spaced, piped = extract_text(PROJECT_FORM, verify=False).report, extract_text(pipes, verify=False).report

    def figures(budget):
        rows = [budget, *budget.sources]
        return [
            [(m.value, m.raw) if m else None for m in (r.total, r.adjusted, r.spent, r.execution_rate)] for r in rows
        ]

    assert figures(spaced.budget) == figures(piped.budget)
    assert spaced.budget.spent.value == Decimal("465000") and len(spaced.budget.sources) == 1


SCORE_TABLE = _layout(
    [
        ["一级指标", "二级指标", "分值", "得分"],
        ["投入(20分)", "预算编制", "10", "9"],
        ["", "资金到位", "10", "10"],
        ["产出(80分)", "数量", "40", "38"],
        ["", "质量", "40", ""],
        ["合计", "", "100", ""],
    ],
    right=frozenset({2, 3}),
)


def test_a_space_aligned_score_table_with_empty_cells_becomes_a_tree():
    ind = extract_text(SCORE_TABLE, verify=False).report.indicators
    assert [(i.name, i.level, i.max.value) for i in ind] == [("投入", 1, 20), ("产出", 1, 80)]
    assert [(c.name, c.max.value, c.score.value) for c in ind[0].children] == [
        ("预算编制", 10, 9),
        ("资金到位", 10, 10),
    ]
    quality = ind[1].children[1]
    assert quality.name == "质量" and quality.max.value == 40 and quality.score is None


def test_a_score_table_whose_first_level_rows_stand_alone_on_their_lines_keeps_them_as_rows():
    rows = [
        ["一级指标", "二级指标", "分值", "得分"],
        ["投入(20分)"],
        ["", "预算编制", "10", "9"],
        ["", "资金到位", "10", "10"],
    ]
    rows += [["产出(80分)"], ["", "数量", "40", "38"], ["", "质量", "40", "36"], ["合计", "", "100", "93"]]
    text = _layout(rows, {2, 3})
    assert "\n投入(20分)\n" in text  # a row of one cell: no gap to mark
    ind = extract_text(text, verify=False).report.indicators
    assert [(i.name, i.max.value) for i in ind] == [("投入", 20), ("产出", 80)]
    assert [(c.name, c.max.value, c.score.value) for c in ind[1].children] == [("数量", 40, 38), ("质量", 40, 36)]


def test_a_full_width_space_parts_cells_as_two_columns_do():
    rows = ["项目\u3000\u3000\u3000\u3000预算数\u3000执行数", "办公费\u3000\u3000\u3000\u300012\u3000\u3000\u300011"]
    rows.append("差旅费\u3000\u3000\u3000\u3000\u30008\u3000\u3000\u3000\u30007")
    grid = _pipe_grids(_ctx("\n".join(rows)))
    assert len(grid) == 1 and _row(grid[0], 1) == ["办公费", "12", "11"]


def test_a_header_set_left_over_right_aligned_figures_heads_their_column():
    header = _layout([["项目", "预算数", "执行数"]], wide=16)
    body = _layout(
        [["办公经费", "12.50", "11.00"], ["差旅费", "3.20", "2.80"], ["会议费", "1.00", ""]], {1, 2}, wide=16
    )
    assert "预算数" in header and header.index("预算数") + 6 < body.split("\n")[0].index("12.50")  # a blank between
    (grid,) = _pipe_grids(_ctx(header + "\n" + body))
    assert grid.ncols == 3
    assert _row(grid, 0) == ["项目", "预算数", "执行数"] and _row(grid, 1) == ["办公经费", "12.50", "11.00"]
    assert _row(grid, 3)[:2] == ["会议费", "1.00"] and not _row(grid, 3)[2]


NOT_TABLES = {
    "title": "2023年度    部门整体支出    绩效自评报告\n\n一、部门基本情况",
    "contents": "目  录\n"
    + _layout(
        [
            ["第一部分", "部门概况", "1"],
            ["第二部分", "部门决算表", "4"],
            ["第三部分", "决算情况说明", "12"],
            ["第四部分", "名词解释", "18"],
        ],
        right=frozenset({2}),
    ),
    "contents with leaders": "一、主要职能  ........  1\n二、机构设置  ........  3\n三、人员情况  ........  5",
    "letter-spaced": "绩  效  自  评  报  告\n\n部  门  整  体  支  出\n\n评  价  结  论  与  建  议",
    "signature": "填报单位(盖章):某县林业局        填报日期:2024年3月5日\n"
    "单位负责人:王某                    联系电话:0000-1234567",
    "page number": "上年结余资金已全部使用。\n\n                                  - 3 -\n\n二、项目绩效目标完成情况",
    "prose": "本年度收入合计200万元。  其中财政拨款180万元。\n支出合计190万元。  结余10万元。\n项目均已完成。",
}


@pytest.mark.parametrize("name", sorted(NOT_TABLES))
def test_wide_spaces_that_are_no_table_stay_text(name):
    text = NOT_TABLES[name]
    assert "|" not in fold(text).text
    assert not _pipe_grids(_ctx(text))


def test_a_table_between_a_heading_a_signature_and_a_page_number_takes_none_of_them():
    text = "\n".join(
        [
            "绩  效  自  评  表",
            PROJECT_FORM.split("\n", 1)[1],
            "填报人:李某        审核人:赵某",
            "",
            "                  - 2 -",
        ]
    )
    folded = fold(text).text.split("\n")
    assert "|" not in folded[0] and "|" not in folded[-1] and "|" not in folded[-3]
    assert all("|" in line for line in folded[2:6])

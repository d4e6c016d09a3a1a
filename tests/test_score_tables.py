"""Score tables and indicators stated in prose, on invented snippets, one per layout (issue 12)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import docx
import pytest

from extractor import extract, extract_text


def report(text: str):
    return extract_text(text, verify=False).report


def errors(text: str) -> list[str]:
    return [f.rule for f in extract_text(text).findings if f.severity == "error"]


def tree(indicators) -> list[tuple]:
    """(name, max, score, children) with plain values, for comparing whole trees."""

    def value(g):
        return g.value if g is not None else None

    return [(n.name, value(n.max), value(n.score), tree(n.children)) for n in indicators]


def grounded(text: str, value):
    assert value is not None and text[value.span[0] : value.span[1]] == value.raw
    return value


# ---- a reader's table: merged cells resolved ---------------------------------------------------

_ROWS = [
    ["一级指标", "二级指标", "分值", "得分"],
    ["决策(20分)", "目标设定", "10", "9"],
    ["", "预算编制", "10", "10"],
    ["产出", "数量", "40", "36"],
    ["", "质量", "40", "38"],
    ["合计", "", "100", "93"],
]
_TREE = [
    ("决策", Decimal(20), None, [("目标设定", 10, 9, []), ("预算编制", 10, 10, [])]),
    ("产出", None, None, [("数量", 40, 36, []), ("质量", 40, 38, [])]),
]


def _docx_with_merged_cells(path: Path) -> Path:
    d = docx.Document()
    d.add_paragraph("某县档案馆2023年度部门整体支出绩效自评报告")
    t = d.add_table(rows=len(_ROWS), cols=4)
    for r, row in enumerate(_ROWS):
        for c, value in enumerate(row):
            if value:
                t.cell(r, c).text = value
    t.cell(1, 0).merge(t.cell(2, 0))  # a level-1 cell merged down over its children
    t.cell(3, 0).merge(t.cell(4, 0))
    t.cell(5, 0).merge(t.cell(5, 1))  # the total row's label over both name columns
    d.save(path)
    return path


def _html_with_rowspans(path: Path) -> Path:
    cells = (
        "<tr><th>一级指标</th><th>二级指标</th><th>分值</th><th>得分</th></tr>"
        "<tr><td rowspan=2>决策(20分)</td><td>目标设定</td><td>10</td><td>9</td></tr>"
        "<tr><td>预算编制</td><td>10</td><td>10</td></tr>"
        "<tr><td rowspan=2>产出</td><td>数量</td><td>40</td><td>36</td></tr>"
        "<tr><td>质量</td><td>40</td><td>38</td></tr>"
        "<tr><td colspan=2>合计</td><td>100</td><td>93</td></tr>"
    )
    path.write_text(
        f"<html><body><p>某县档案馆2023年度部门整体支出绩效自评报告</p><table>{cells}</table></body></html>",
        encoding="utf-8",
    )
    return path


def _txt_as_pipes(path: Path) -> Path:
    rows = "\n".join(" | ".join(row) for row in _ROWS)
    path.write_text(f"某县档案馆2023年度部门整体支出绩效自评报告\n{rows}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "build,suffix",
    [(_docx_with_merged_cells, ".docx"), (_html_with_rowspans, ".html"), (_txt_as_pipes, ".txt")],
    ids=["docx", "html", "txt"],
)
def test_a_readers_table_with_merged_level1_cells_and_a_merged_total_label(tmp_path, build, suffix):
    result = extract(build(tmp_path / f"t{suffix}"))
    r = result.report
    assert tree(r.indicators) == _TREE
    assert r.total_score.value == 93 and r.total_score.pattern == "total_score.table"
    assert [f.rule for f in result.findings if f.severity == "error"] == []


# ---- pipe tables ------------------------------------------------------------------------------


def test_a_pipe_table_with_a_total_row_gives_the_total_not_an_indicator():
    t = (
        "某县文化馆2023年度部门整体支出绩效自评报告\n| 一级指标 | 分值 | 得分 |\n| --- | --- | --- |\n"
        "| 决策 | 20 | 18 |\n| 过程 | 30 | 26.5 |\n| 产出 | 30 | 27 |\n| 效益 | 20 | 15 |\n| 合计 | 100 | 86.5 |\n"
    )
    r = report(t)
    assert [(i.name, i.max.value, i.score.value) for i in r.indicators] == [
        ("决策", 20, 18),
        ("过程", 30, Decimal("26.5")),
        ("产出", 30, 27),
        ("效益", 20, 15),
    ]
    assert grounded(t, r.total_score).value == Decimal("86.5")
    assert errors(t) == []


def test_header_words_of_other_templates():
    t = (
        "指标类别 | 评价要点 | 标准分值 | 自评得分\n投入 | 预算编制科学 | 15 | 14\n过程 | 资金使用合规 | 35 | 33\n"
        "产出 | 任务完成率 | 30 | 28\n效益 | 群众满意度 | 20 | 18\n得分合计 |  | 100 | 93\n"
    )
    r = report(t)
    # 评价要点 names no level: each row is a level-1 indicator with its points and score
    assert tree(r.indicators) == [
        ("投入", 15, 14, []),
        ("过程", 35, 33, []),
        ("产出", 30, 28, []),
        ("效益", 20, 18, []),
    ]
    assert r.total_score.value == 93


def test_a_web_table_whose_rows_lost_their_merged_cells_is_aligned_by_its_cells():
    # a caption column merged down the whole table, level-1 and level-2 cells merged over their
    # rows, every row padded with empty cells to the page's width
    t = (
        "项目名称 | 某县农家书屋补充更新 | |||||||\n"
        "年度绩效目标 (90分) | 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | ||\n"
        "产出指标(50分) | 数量指标 | 补充图书册数 | ≥2000册 | 2150册 | 30 | 30 | |||\n"
        "质量指标 | 图书验收合格率 | 100% | 100% | 20 | 19 | |||||\n"
        "效益指标(30分) | 社会效益指标 | 群众阅读量提升 | 明显提升 | 明显提升 | 30 | 27 | |||\n"
        "满意度指标(10分) | 服务对象满意度指标 | 群众满意度 | ≥90% | 93% | 10 | 9 | |||\n"
    )
    r = report(t)
    assert tree(r.indicators) == [
        (
            "产出指标",
            50,
            None,
            [
                ("数量指标", None, None, [("补充图书册数", 30, 30, [])]),
                ("质量指标", None, None, [("图书验收合格率", 20, 19, [])]),
            ],
        ),
        ("效益指标", 30, None, [("社会效益指标", None, None, [("群众阅读量提升", 30, 27, [])])]),
        ("满意度指标", 10, None, [("服务对象满意度指标", None, None, [("群众满意度", 10, 9, [])])]),
    ]


def test_a_row_of_names_alone_is_placed_by_the_level_its_name_has():
    # the rows of a web page broken after their first cell ("产出指标(50分) |" alone on its line)
    t = (
        "一级指标 | 二级指标 | 三级指标 | 分值 | 指标值 | 得分\n产出指标(50分) |\n数量指标 |\n"
        "受益户数 | 30 | 120户 | 30\n质量指标 |\n验收合格率 | 20 | 100% | 18\n"
    )
    assert tree(report(t).indicators) == [
        (
            "产出指标",
            50,
            None,
            [
                ("数量指标", None, None, [("受益户数", 30, 30, [])]),
                ("质量指标", None, None, [("验收合格率", 20, 18, [])]),
            ],
        )
    ]


def test_a_row_number_keeps_its_column_while_the_merged_cells_after_it_are_lost():
    t = (
        "序号 | 一级指标 | 二级指标 | 三级指标 | 分值 | 评分标准 | 得分 | |||\n"
        "1 | 投入(20分) | 预算编制(10分) | 目标设定 | 5 | 目标明确得5分，否则不得分 | 5 | |||\n"
        "2 | 编制准确 | 5 | 偏差率低于10%得满分 | 4 | ||||\n3 | 资金到位(10分) | 到位率 | 10 | 到位率×10 | 10 | ||||\n"
    )
    assert tree(report(t).indicators) == [
        (
            "投入",
            20,
            None,
            [
                ("预算编制", 10, None, [("目标设定", 5, 5, []), ("编制准确", 5, 4, [])]),
                ("资金到位", 10, None, [("到位率", 10, 10, [])]),
            ],
        )
    ]


def test_a_header_broken_over_two_lines():
    t = (
        "绩效指标 | 一级 指标 |\n二级指标 | 三级指标 | 分值 | 年度指标值 | 全年实际值 | 得分 | 偏差原因 | ||\n"
        "产 出 指 标 (60分) |\n数量指标 | 新建便民桥梁座数 | 40 | 4座 | 4座 | 40 | ||||\n"
        "时效指标 | 按期完工率 | 20 | 100% | 100% | 20 | ||||\n效 益 指 标 (30分) |\n"
        "社会效益指标 | 群众出行时间缩短 | 30 | 明显缩短 | 明显缩短 | 28 | ||||\n"
    )
    r = report(t)
    assert [(i.name, i.max.value) for i in r.indicators] == [("产出指标", 60), ("效益指标", 30)]
    assert [c.children[0].score.value for c in r.indicators[0].children] == [40, 20]


def test_a_row_of_figures_that_fits_no_name_drops_its_level1_childrens_figures():
    # the second row's name was lost: its level-1 indicator's children no longer add up, and
    # none of them is kept (the verifier would compare a part with the whole)
    t = (
        "一级指标 | 二级指标 | 分值 | 指标值 | 得分 | 备注 | |||\n产出指标(50分) | 完成数量 | 30 | 100% | 30 | |||||\n"
        "100% | 20 | 98% | 18 | ||||||\n效益指标(40分) | 社会效益 | 40 | 明显 | 36 | |||||\n"
    )
    assert tree(report(t).indicators) == [
        ("产出指标", 50, None, []),
        ("效益指标", 40, None, [("社会效益", 40, 36, [])]),
    ]


def test_a_level1_indicator_whose_rows_were_lost_stays_so_the_level_is_seen_incomplete():
    t = (
        "本次评价实行百分制。\n一级指标 | 二级指标 | 分值 | 指标值 | 得分 | 备注 | |||\n产出 | 完成数量 | 30 | 100% | 30 | |||||\n"
        "100% | 20 | 98% | 18 | ||||||\n效益 | 社会效益 | 40 | 明显 | 36 | |||||\n满意度 | 群众满意度 | 10 | 95% | 9 | ||||\n"
    )
    result = extract_text(t)
    assert tree(result.report.indicators)[0] == ("产出", None, None, [])
    assert [f.rule for f in result.findings if f.severity == "error"] == []
    assert "IND003" in {f.rule for f in result.findings if f.severity == "info"}


# ---- a table split by a page break --------------------------------------------------------------


def test_a_table_split_right_after_its_header_row_is_one_table():
    t = (
        "某县档案馆2023年度部门整体支出绩效自评报告\n三、评价结果\n一级指标 | 二级指标 | 分值 | 得分\n\n"
        "                                    — 3 —\n\n"
        "决策 | 目标设定 | 20 | 18\n过程 | 资金管理 | 30 | 27\n产出 | 数量 | 50 | 46\n合计 |  | 100 | 91\n"
    )
    r = report(t)
    assert [(i.name, i.children[0].max.value, i.children[0].score.value) for i in r.indicators] == [
        ("决策", 20, 18),
        ("过程", 30, 27),
        ("产出", 50, 46),
    ]
    assert grounded(t, r.total_score).value == 91
    assert errors(t) == []


def test_a_table_split_with_its_header_repeated_is_one_table():
    t = (
        "一级指标 | 二级指标 | 分值 | 得分\n决策 | 目标设定 | 10 | 9\n | 预算编制 | 10 | 10\n第 2 页\n"
        "一级指标 | 二级指标 | 分值 | 得分\n | 资金到位 | 10 | 9\n产出 | 数量 | 70 | 65\n合计 |  | 100 | 93\n"
    )
    r = report(t)
    assert [(i.name, [c.name for c in i.children]) for i in r.indicators] == [
        ("决策", ["目标设定", "预算编制", "资金到位"]),
        ("产出", ["数量"]),
    ]
    assert r.total_score.value == 93


def test_a_repeated_header_whose_page_restates_the_level1_name_is_one_table():
    # the page chrome gone, the header repeated inline and the merged level-1 cell restated
    t = (
        "一级指标 | 二级指标 | 分值 | 得分\n决策 | 目标设定 | 10 | 9\n | 预算编制 | 10 | 10\n"
        "一级指标 | 二级指标 | 分值 | 得分\n决策 | 资金到位 | 10 | 9\n产出 | 数量 | 70 | 65\n合计 |  | 100 | 93\n"
    )
    r = report(t)
    assert [(i.name, [c.name for c in i.children]) for i in r.indicators] == [
        ("决策", ["目标设定", "预算编制", "资金到位"]),
        ("产出", ["数量"]),
    ]
    assert r.total_score.value == 93


def test_a_table_after_a_page_break_with_its_own_header_is_not_joined():
    t = "一级指标 | 分值 | 得分\n决策 | 20 | 18\n— 2 —\n项目 | 金额\n财政拨款收入 | 100.00\n"
    assert [(i.name, i.max.value) for i in report(t).indicators] == [("决策", 20)]
    # nor rows under another header in the same pipe table, nor a form's summary row
    t = "一级指标 | 分值 | 得分\n决策 | 20 | 18\n项目 | 金额\n财政拨款收入 | 100.00\n"
    assert [(i.name, i.max.value) for i in report(t).indicators] == [("决策", 20)]
    t = "一级指标 | 二级指标 | 分值 | 得分\n决策 | 目标设定 | 20 | 18\n自评得分 | 95\n"
    assert tree(report(t).indicators) == [("决策", None, None, [("目标设定", 20, 18, [])])]
    # nor one after a paragraph of text
    t = "一级指标 | 分值 | 得分\n决策 | 20 | 18\n本单位严格执行预算管理制度，各项指标完成良好，具体如下。\n产出 | 80 | 70\n"
    assert [i.name for i in report(t).indicators] == ["决策"]


# ---- tables whose structure the text lost ----------------------------------------------------


def test_a_score_table_flattened_one_cell_per_line():
    cells = [
        "绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
        "产出指标", "数量指标", "培训农民人次", "≥500人次", "526人次", "20", "20",
        "培训班期数", "10", "10", "10", "9.5",
        "质量指标", "结业考核合格率", "≥95%", "97%", "20", "20",
        "效益指标", "社会效益指标", "农民增收", "明显", "明显", "30", "27",
        "满意度指标", "服务对象满意度指标", "学员满意度", "≥90%", "93%", "20", "18",
        "总分", "100", "94.5", "填报人：张三",
    ]  # fmt: skip
    t = "某县农广校2023年度农民培训项目支出绩效自评表\n" + "\n".join(cells) + "\n"
    r = report(t)
    assert tree(r.indicators) == [
        (
            "产出指标",
            None,
            None,
            [
                ("数量指标", None, None, [("培训农民人次", 20, 20, []), ("培训班期数", 10, Decimal("9.5"), [])]),
                ("质量指标", None, None, [("结业考核合格率", 20, 20, [])]),
            ],
        ),
        ("效益指标", None, None, [("社会效益指标", None, None, [("农民增收", 30, 27, [])])]),
        ("满意度指标", None, None, [("服务对象满意度指标", None, None, [("学员满意度", 20, 18, [])])]),
    ]
    assert (grounded(t, r.total_score).value, grounded(t, r.max_score).value) == (Decimal("94.5"), 100)
    assert errors(t) == []


def test_a_header_glued_into_one_line_above_a_table_without_one():
    # a PDF's header row left out of its table, its words run together, a page break after it
    t = (
        "一级指标分值二级指标分值得分\n- 4 -\n决策 | 20 | 目标设定 | 20 | 18\n过程 | 30 | 资金管理 | 30 | 27\n"
        "产出 | 50 | 产出数量 | 50 | 46\n"
    )
    assert tree(report(t).indicators) == [
        ("决策", 20, None, [("目标设定", 20, 18, [])]),
        ("过程", 30, None, [("资金管理", 30, 27, [])]),
        ("产出", 50, None, [("产出数量", 50, 46, [])]),
    ]
    # words that are not all header words are no header
    assert report(t.replace("一级指标分值", "一级指标名单")).indicators == []


def test_a_total_rows_points_are_the_full_mark():
    t = "一级指标 | 分值 | 得分\n决策 | 20 | 18\n过程 | 30 | 27\n产出 | 50 | 46\n合计 | 100 | 91\n"
    r = report(t)
    assert (grounded(t, r.max_score).value, r.max_score.pattern) == (100, "max_score.table")
    # the indicators' own total is no full mark of the report
    assert report(t.replace("| 100 | 91", "| 90 | 81").replace("产出 | 50 | 46", "产出 | 40 | 36")).max_score is None


# ---- indicators stated in prose ------------------------------------------------------------------


def test_indicators_stated_as_sentences_of_points_and_score():
    t = (
        "某县水务局2023年度项目支出绩效自评报告\n本次评价满分100分。预算执行率指标分值10分，得分9.68分；产出指标分值50分，"
        "得分48分；效益指标分值30分，得分28分；满意度指标分值10分，得分9分。综合自评得分94.68分，评价等级为优。\n"
    )
    r = report(t)
    assert [(i.name, i.max.value, i.score.value) for i in r.indicators] == [
        ("预算执行率指标", 10, Decimal("9.68")),
        ("产出指标", 50, 48),
        ("效益指标", 30, 28),
        ("满意度指标", 10, 9),
    ]
    assert grounded(t, r.indicators[0].score).raw == "9.68分"
    assert r.total_score.value == Decimal("94.68") and errors(t) == []


@pytest.mark.parametrize(
    "text",
    [
        "1.产出指标：分值50分，得分48分；2.效益指标：分值30分，得分27分。",
        "产出指标（分值50分，得分48分），效益指标（分值30分，得分27分）。",
        "产出指标50分，实际得分48分；效益指标30分，实际得分27分。",
    ],
    ids=["numbered-with-colons", "in-brackets", "without-the-points-word"],
)
def test_more_wordings_of_points_and_score(text):
    assert [(i.name, i.max.value, i.score.value) for i in report(text).indicators] == [
        ("产出指标", 50, 48),
        ("效益指标", 30, 27),
    ]


def test_a_run_of_sentences_keeps_its_unknown_items_under_their_names():
    t = "经评价，部门决策分值20分，得分18分；部门管理分值30分，得分27分；部门绩效分值50分，得分46分。\n"
    assert [(i.name, i.max.value, i.score.value) for i in report(t).indicators] == [
        ("部门决策", 20, 18),  # the names as written, the subject (部门) kept
        ("部门管理", 30, 27),
        ("部门绩效", 50, 46),
    ]
    # an unknown item opening the run cannot be named: nothing is read
    assert report("部门绩效分值50分，得分46分；部门决策分值20分，得分18分。\n").indicators == []
    # one indicator's sentence is not the list of indicators
    assert report("其中预算执行率指标分值10分，得分9分。\n").indicators == []


def test_a_heading_and_a_sentence_of_one_indicator_are_one_indicator():
    t = (
        "（一）产出指标（50分）\n本项目按期完成。产出指标分值50分，得分47分。\n（二）效益指标（40分）\n"
        "效益指标分值40分，得分38分。\n"
    )
    assert [(i.name, i.max.value, i.score.value) for i in report(t).indicators] == [
        ("产出指标", 50, 47),
        ("效益指标", 40, 38),
    ]


def test_a_short_total_row_stands_under_the_right_hand_columns():
    """合计 merged over the name columns: its figures stand under 分值 and 得分, and spoil no row."""
    t = "一级指标 | 二级指标 | 分值 | 得分\n决策 | 目标设定 | 20 | 18\n产出 | 数量 | 80 | 72\n合计 | 100 | 90\n"
    r = report(t)
    assert tree(r.indicators) == [
        ("决策", None, None, [("目标设定", 20, 18, [])]),
        ("产出", None, None, [("数量", 80, 72, [])]),
    ]
    assert grounded(t, r.total_score).value == 90 and grounded(t, r.max_score).value == 100


@pytest.mark.parametrize(
    "text",
    [
        # a level's 分值 column beside the 得分: the total row's figures under the last two
        "| 一级指标 | 分值 | 二级指标 | 分值 | 得分 |\n| 决策 | 20 | 目标设定 | 20 | 18 |\n"
        "| 产出 | 80 | 数量 | 80 | 72 |\n| 合计 | 100 | 90 |\n",
        # a remark column left empty in the total row
        "| 一级指标 | 二级指标 | 分值 | 得分 | 备注 |\n| 决策 | 目标设定 | 20 | 18 | |\n"
        "| 产出 | 数量 | 80 | 72 | |\n| 合计 | 100 | 90 | |\n",
    ],
    ids=["level-points", "remark-column"],
)
def test_a_pipe_total_row_whose_label_is_merged_reads_like_the_full_row(text):
    r = report(text)
    assert grounded(text, r.total_score).value == 90 and r.total_score.pattern == "total_score.table"
    assert grounded(text, r.max_score).value == 100
    assert errors(text) == []


@pytest.mark.parametrize(
    "text",
    [
        # two figures before the remark column: under 得分 and 备注, or under 分值 and 得分?
        "| 一级指标 | 二级指标 | 分值 | 得分 | 备注 |\n| 决策 | 目标设定 | 20 | 18 | |\n"
        "| 产出 | 数量 | 80 | 72 | |\n| 合计 | 100 | 90 |\n",
        # the two 分值 columns' sums and an empty 得分: a figure would stand under a name
        "一级指标 | 分值 | 二级指标 | 分值 | 得分\n决策 | 20 | 目标设定 | 20 | 18\n产出 | 80 | 数量 | 80 | 72\n"
        "合计 | 100 | 100 | \n",
    ],
    ids=["remark-column-dropped", "no-score"],
)
def test_a_short_total_row_that_cannot_be_placed_gives_no_total(text):
    r = report(text)
    assert r.total_score is None and r.max_score is None


@pytest.mark.parametrize(
    "text,score",
    [("自评总分(分)97.5", "97.5"), ("经综合评价，自评等级为“优”，分数为96分。", "96")],
    ids=["unit-note", "fenshu"],
)
def test_total_score_wordings(text, score):
    r = report(text)
    assert grounded(text, r.total_score).value == Decimal(score)


def test_an_indicators_fenshu_is_not_the_total():
    assert report("服务对象满意度分数为95分。").total_score is None

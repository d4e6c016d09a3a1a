"""The folded view: what it folds, and that every slice maps back to the original text."""

from __future__ import annotations

from decimal import Decimal

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor import normalize
from extractor.normalize import Folded, fold, fold_name


def test_full_width_and_ideographic_space():
    f = fold("收入总计１４５．１６　万元")
    assert f.text == "收入总计145.16万元"
    m = regex.search(r"\d+\.\d+万元", f.text)
    assert f.raw(*m.span()) == "１４５．１６　万元"


def test_spaces_between_digit_and_unit_dropped_but_cells_kept():
    f = fold("2023 年 共 3 人，分值 50 8 8")
    assert "2023年" in f.text and "共3人" in f.text and "50 8 8" in f.text


def test_number_split_by_pdf_line_break():
    f = fold("占比91.\n21%")
    m = regex.search(r"\d+\.\d+%", f.text)
    assert m.group() == "91.21%" and f.raw(*m.span()) == "91.\n21%"


def test_kangxi_radicals_and_traditional_folded():
    f = fold("⼀般公共預算財政撥款收⼊")
    assert f.text == "一般公共预算财政拨款收入"
    assert fold_name("麗江市古城區 自然資源局") == "丽江市古城区自然资源局"


def test_zero_width_dropped_and_mapped():
    text = "编制\u200b人数3人"
    f = fold(text)
    assert f.text == "编制人数3人"
    assert f.raw(0, 4) == "编制\u200b人数"


@pytest.mark.parametrize("cf", ["\u200b", "\u202e", "\ufeff", "\u00ad", "\u200e", "\u2066", "\u2060"])
def test_format_characters_inside_a_figure_are_transparent(cf):
    """A format character (category Cf: zero-width, bidi control, soft hyphen) inside a figure or a
    label does not stop it being read; its span still points into the original text."""
    from extractor import extract_text

    t = f"示例县文化馆2023年度部门整体支出绩效自评报告\n本年支出{cf}总计1{cf}234.56万元。\n"
    spent = extract_text(t, verify=False).report.expenditure.total
    assert spent is not None and spent.value == Decimal("12345600")
    assert t[spent.span[0] : spent.span[1]] == spent.raw == f"1{cf}234.56万元"


@given(
    st.text(
        alphabet=st.sampled_from(list("0123456789.,%万元年人 \n\u3000１２．收入總計\u200b\u202e\u00ad|")), max_size=60
    )
)
def test_every_folded_slice_maps_back(text):
    f = fold(text)
    for m in regex.finditer(r"\S+", f.text):
        s, e = f.span(*m.span())
        assert 0 <= s <= e <= len(text)
        assert f.raw(*m.span()) == text[s:e]
    for i in range(len(f.text) + 1):
        assert f.to_folded(f.to_original(i)) <= i


def test_paragraph_wrapped_by_pdf_lines_is_reflowed_but_tables_and_headings_are_not():
    body = "这是一段很长的正文内容用来占满整行的宽度以便判断换行是否为软换行其中在职人员4人（3个行政"
    text = "\n".join(
        [
            body,
            "编、1个挂职人员），退休人员3人。",
            "二、绩效评价工作情况",
            body[:30] + "。",
            "一级指标 | 二级指标 | 分值 | 得分",
            "产出 | 数量 | 10 | 9",
        ]
    )
    f = fold(text)
    assert "3个行政编、1个挂职" in f.text
    assert "3人。\n二、绩效" in f.text and "得分\n产出" in f.text
    m = regex.search("行政编", f.text)
    assert f.raw(*m.span()) == "行政\n编"


def test_page_marker_inside_a_wrapped_paragraph_is_dropped_with_the_break():
    body = "这是一段很长的正文内容用来占满整行的宽度以便判断换行是否为软换行本单位总收入467.32万元其中本年收"
    text = "\n".join([body, "—5—", "入312.71万元，比上年减少。", body[:20] + "。", body[:30] + "。", body[:25] + "。"])
    f = fold(text)
    assert "其中本年收入312.71万元" in f.text
    m = regex.search("本年收入", f.text)
    assert f.raw(*m.span()) == "本年收\n—5—\n入"


@given(
    st.lists(
        st.sampled_from(
            [
                "2023 年",
                "3 人",
                "\u200b",
                "１２",
                "項(xiàng)目",
                "收入",
                "\n",
                "。",
                " ",
                "1. 5",
                "第 3",
                "—5—",
                "全年支出合计为一二三四五六七八九十这是很长的一行文字用于测试换行",
            ]
        ),
        max_size=40,
    ).map("".join)
)
def test_to_folded_is_the_first_folded_offset_at_or_after_an_original_one(text):
    f = fold(text)
    for original in range(len(text) + 2):
        first = next((i for i in range(len(f.text)) if f.to_original(i) >= original), len(f.text))
        assert f.to_folded(original) == first


def test_letter_spaced_lines_read_as_one_word():
    # a title spaced out for display, a PDF written one glyph at a time, a form's spaced cell
    text = "东 城 区 文 化 馆 2 0 2 3 年 度 部 门 整 体 支 出 绩 效 自 评 报 告\n分   值\n2023年 度\n(万 元)\n"
    f = Folded(text, reflow=False)  # (the reflow would join the long first line with the next)
    assert f.text.split("\n")[:4] == ["东城区文化馆2023年度部门整体支出绩效自评报告", "分值", "2023年度", "(万元)"]
    at = f.text.index("2023")
    assert f.raw(at, at + 4) == "2 0 2 3"


def test_spaces_between_words_and_cells_are_kept():
    # most pairs of characters stand together: the spaces separate words or a table's cells
    text = "基本支出 项目支出 合计\n一般公共服务支出 120.00 社会保障和就业支出 30.50\n本单位 共有 在职人员 12 人\n"
    assert fold(text).text == text.replace(" 人", "人")


def test_tab_separated_table_lines_part_cells_like_pipes():
    text = "项目名称\t示例工程\n一级指标\t分值\t得分\n产出指标\t50\t\t48\n\n一、\t基本情况\n目录\t3\n"
    f = fold(text)
    assert f.text.split("\n")[:3] == ["项目名称|示例工程", "一级指标|分值|得分", "产出指标|50||48"]
    # a lone tab (an indent after a list number, a contents line's page number) stays a space
    assert "一、 基本情况\n目录 3" in f.text
    assert len(f.text) == len(text)


def test_a_double_spaced_text_reads_single_spaced():
    # a converter that follows every paragraph or cell with an empty line
    lines = [
        "示例县档案馆2023年度",
        "部门整体支出绩效自评报告",
        "一、基本情况",
        "年初",
        "预算数",
        "全年",
        "预算数",
        "分值",
        "得分",
    ]
    f = fold("\n\n".join(lines) + "\n")
    assert f.text == "\n".join(lines) + "\n"
    at = f.text.index("一、基本情况")
    assert f.raw(at, at + 6) == "一、基本情况"


def test_blank_lines_between_some_paragraphs_stay():
    lines = [
        "第一段。",
        "第二段。",
        "",
        "第三段。",
        "第四段。",
        "",
        "第五段。",
        "第六段。",
        "第七段。",
        "第八段。",
        "第九段。",
    ]
    text = "\n".join(lines)
    assert fold(text).text == text


def test_a_wrap_that_cuts_a_figure_is_reflowed_though_the_next_line_starts_like_an_item():
    # "30.07万元" at a line's start is the rest of a figure, not item 30; "3. 完成…" is an item
    body = "本年收入合计535.76万元，其中一般公共预算财政拨款收入5"
    text = "\n".join([body, "30.07万元，占98.94%；其他收入5.69万元，合计与上年相比", body, "3.完成情况如下。"])
    f = fold(text)
    assert "财政拨款收入530.07万元" in f.text
    assert "收入5\n3.完成" in f.text


def test_a_bullet_after_a_long_line_starts_an_item_and_is_not_joined_to_it():
    # a page's metadata list: "- 发布机构" under a long value line is the next item, not its rest
    body = "某某单位2023年度部门整体支出绩效自评报告全文如下所示请查阅相关内容"
    text = "\n".join([body, body, "- 01525688-5-/2019-0301002-0301002-0301002-0301002", "- 发布机构", "• 首页", body])
    f = fold(text)
    assert "0301002\n- 发布机构\n• 首页\n" in f.text


def test_a_file_name_line_is_never_joined_to_the_line_after_it():
    body = "某某单位2023年度部门整体支出绩效自评报告全文如下所示请查阅相关内容"
    text = "\n".join(["某某市某某区某某委员会2021年度部门整体支出绩效评价报告.DOCX", body, body, body, body])
    assert fold(text).text.startswith("某某市某某区某某委员会2021年度部门整体支出绩效评价报告.DOCX\n某某单位")


# the layout the folded view drops, as one pattern of lookbehinds (how it was first written)
_ONE_PATTERN = regex.compile(
    r"\p{Cf}+"
    r"|(?<=\d)[ ]+(?=[年月日人个名家元万亿千分%‰.项次户所位岁])"
    r"|(?<=\d\.)[ \n]+(?=\d)"
    r"|(?<=\d)\n(?=[%‰])"
    r"|(?<=[第约近共计])[ ]+(?=\d)"
    r"|(?<=\d)[ ]+(?=[,]\d{3}(?!\d))"
    r"|(?<=\p{Han})\((?=[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)"
)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="0123456789 .\n,%‰万元年第共计项目(xiàng)\u200b\ufeff\u00ad", max_size=60))
def test_layout_drops_are_those_of_one_pattern(text):
    """The marks and the layout spaces, found by two faster patterns, are the spans the single
    pattern of lookbehinds found."""
    assert sorted(normalize._drops(text)) == [m.span() for m in _ONE_PATTERN.finditer(text)]

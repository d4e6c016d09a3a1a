"""The qualifiers' reaches that look back over the text find what a plain scan finds."""

from __future__ import annotations

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.fields.qualify import _under_heading
from extractor.patterns import load

_SPEC = load().qualifiers["scope_heading"]
_HEADING = regex.compile(_SPEC["heading"], regex.MULTILINE)
_BODY = regex.compile("|".join(_SPEC["words"]))


class _Ctx:
    def __init__(self, text: str):
        self.text = text


def _scanned(text: str, pos: int, window: int) -> bool:
    """The nearest heading above the line of ``pos``, found by trying the pattern everywhere."""
    line_start = text.rfind("\n", max(0, pos - window), pos) + 1
    lo = max(0, pos - window)
    last = None
    for m in _HEADING.finditer(text, lo, max(lo, line_start - 1)):
        last = m
    return last is not None and _BODY.search(text, last.start(), last.end()) is not None


_LINES = [
    "(二)一般公共预算支出情况",
    "附表一、政府采购情况",
    "一、收入情况",
    "3.政府采购",
    "说明如下",
    "",
    "1.基本支出80万元",
    "第二部分三公经费",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_LINES), min_size=1, max_size=12), st.integers(5, 80), st.data())
def test_nearest_heading_as_a_scan_finds_it(lines, window, data):
    text = "\n".join(lines)
    pos = data.draw(st.integers(0, len(text)))
    assert _under_heading(_Ctx(text), pos, _BODY, _HEADING, window) == _scanned(text, pos, window)


def test_a_window_opening_inside_a_line_does_not_make_a_heading_of_its_tail():
    text = "附表一、政府采购情况\n1.基本支出80万元"
    pos = text.index("基本")
    assert _under_heading(_Ctx(text), pos, _BODY, _HEADING, pos - 2) is False  # the window opens at "一、"
    assert _under_heading(_Ctx(text), pos, _BODY, _HEADING, pos) is False  # the line starts with 附表
    assert _under_heading(_Ctx("一、政府采购情况\n" + text[11:]), 9 + 2, _BODY, _HEADING, 11) is True


_SUBSET_LIST = (
    "某县文化馆2023年度部门整体支出绩效自评报告\n二、部门整体支出情况\n"
    "2023年度本年支出合计800.00万元。{lead}1.基本支出200.00万元；{br}2.项目支出300.00万元。\n"
)


def _by_type_and_errors(text: str):
    from extractor import extract_text

    result = extract_text(text)
    return [i.name for i in result.report.expenditure.by_type], [
        f.rule for f in result.findings if f.severity == "error"
    ]


def test_a_list_led_in_by_a_sentence_on_one_fund_is_that_funds():
    """Items of a numbered list whose lead-in sentence names a subset (a fund) are the subset's
    parts, not the unit's: they are not the unit's spending by type, and no sum is checked
    against the unit's total (it was a false SUM002 error)."""
    for lead, br in (("一般公共预算财政拨款支出500.00万元。", ""), ("一般公共预算财政拨款支出500.00万元。\n", "\n")):
        assert _by_type_and_errors(_SUBSET_LIST.format(lead=lead, br=br)) == ([], [])


def test_a_list_led_in_by_the_unit_is_the_units():
    names, errors = _by_type_and_errors(_SUBSET_LIST.format(lead="按经济分类：", br=""))
    assert names == ["基本支出", "项目支出"] and errors == ["SUM002"]  # 200 + 300 is not 800: a real error
    names, errors = _by_type_and_errors(
        _SUBSET_LIST.format(lead="其中一般公共预算财政拨款支出500.00万元。按经济分类：", br="").replace(
            "800.00", "500.00"
        )
    )
    assert names == ["基本支出", "项目支出"] and errors == []

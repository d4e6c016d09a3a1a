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

"""Consistent reports get no error finding: invented snippets in the wordings reports commonly use,
each one's figures adding up, each once gave a false error or a wrong value."""

from __future__ import annotations

from decimal import Decimal

import extractor


def _errors(result) -> list[str]:
    return [f.rule for f in result.findings if f.severity == "error"]


def _by_type(result) -> dict[str, Decimal]:
    return {i.name: i.amount.value for i in result.report.expenditure.by_type}


HEAD = "某县交通运输局2023年度部门整体支出绩效自评报告\n（二）支出情况\n"


def test_a_class_named_with_zhong_heads_its_list():
    """ "交通运输支出5,300万元中，基本支出…": one class's spending by type, not the unit's."""
    text = HEAD + (
        "2023年度总支出5,600.00万元。从支出功能看，一般公共服务支出20.00万元，社会保障和就业支出150.00万元，"
        "卫生健康支出60.00万元，交通运输支出5,300.00万元，住房保障支出70.00万元。\n"
        "交通运输支出5,300.00万元中，基本支出520.00万元，项目支出4,780.00万元。\n"
    )
    result = extractor.extract_text(text)
    assert _by_type(result) == {}
    assert _errors(result) == []


def test_a_class_list_past_the_class_share():
    """ "交通运输支出5,300万元，占94.64%，其中基本支出…": the share clause does not hide the class."""
    text = HEAD + (
        "2023年度总支出5,600.00万元。\n"
        "在总支出中，交通运输支出5,300.00万元，占94.64%，其中基本支出520.00万元，项目支出4,780.00万元。\n"
    )
    result = extractor.extract_text(text)
    assert _by_type(result) == {}
    assert _errors(result) == []


def test_the_units_own_list_after_a_class_list_is_kept():
    """The unit's own by-type list stays when a class's list follows it (the two no longer disagree)."""
    text = HEAD + (
        "2023年度总支出5,600.00万元，其中：基本支出800.00万元，项目支出4,800.00万元。\n"
        "交通运输支出5,300.00万元中，基本支出520.00万元，项目支出4,780.00万元。\n"
    )
    result = extractor.extract_text(text)
    assert _by_type(result) == {"基本支出": Decimal("8000000"), "项目支出": Decimal("48000000")}
    assert _errors(result) == []


def test_a_unit_list_after_zhong_is_still_the_units():
    """ "在总支出中，基本支出…" heads the unit's own list: still read."""
    text = HEAD + "2023年度总支出5,600.00万元。在总支出中，基本支出800.00万元，项目支出4,800.00万元。\n"
    result = extractor.extract_text(text)
    assert _by_type(result) == {"基本支出": Decimal("8000000"), "项目支出": Decimal("48000000")}
    assert _errors(result) == []

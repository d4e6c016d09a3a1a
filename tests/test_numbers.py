"""Numbers as written: Arabic, Chinese, units, precision."""

from __future__ import annotations

from decimal import Decimal

import pytest

from extractor.numbers import format_decimal, half_unit, parse_arabic, parse_number, to_yuan


@pytest.mark.parametrize(
    "text,value,decimals",
    [
        ("145.16", "145.16", 2),
        ("1,451,600", "1451600", 0),
        ("31,486,207.56", "31486207.56", 2),
        ("0", "0", 0),
        ("132.40", "132.40", 2),
        ("十一", "11", 0),
        ("两", "2", 0),
        ("三", "3", 0),
        ("一百零五", "105", 0),
        ("二〇二三", "2023", 0),
    ],
)
def test_parse_number(text, value, decimals):
    n = parse_number(text)
    assert n.value == Decimal(value) and n.decimals == decimals


@pytest.mark.parametrize("text", ["", "abc", "1,23", "1.2.3", "十十x"])
def test_not_numbers(text):
    assert parse_number(text) is None


def test_money_to_yuan_and_format():
    assert format_decimal(to_yuan(parse_arabic("145.16").value, "万元")) == "1451600"
    assert format_decimal(to_yuan(parse_arabic("1.2").value, "亿元")) == "120000000"
    assert format_decimal(Decimal("0.00")) == "0"
    assert format_decimal(Decimal("89.970")) == "89.97"


def test_half_unit():
    assert half_unit(2) == Decimal("0.005")
    assert half_unit(1, Decimal(10000)) == Decimal("500")

"""Interval arithmetic on Decimal: the rounding a written figure stands for, and nothing wider."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal, localcontext

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractor.model import Count, Money, Number
from extractor.rules.interval import INFINITY, Interval, of_figure, of_points, share_of

D = Decimal


def wan(raw: str) -> Money:
    """``"145.16"`` in 万元 as the extractor grounds it (value in yuan, places as written)."""
    decimals = len(raw.split(".")[1]) if "." in raw else 0
    return Money(value=D(raw) * 10000, raw=raw + "万元", span=(0, len(raw) + 2), decimals=decimals, unit="万元")


def pct(raw: str) -> Number:
    decimals = len(raw.split(".")[1]) if "." in raw else 0
    return Number(value=D(raw), raw=raw + "%", span=(0, len(raw) + 1), decimals=decimals)


def parts_meet_total(parts: list[str], total: str) -> bool:
    return Interval.total(of_figure(wan(p)) for p in parts).meets(of_figure(wan(total)))


def share_agrees(part: str, total: str, share: str) -> bool:
    return share_of(of_figure(wan(part)), of_figure(wan(total))).meets(of_figure(pct(share)))


def test_money_in_wan_with_two_decimals_is_plus_minus_50_yuan():
    assert of_figure(wan("145.16")) == Interval(D(1451550), D(1451650))


def test_money_with_one_decimal_is_plus_minus_500_yuan():
    assert of_figure(wan("132.4")) == Interval(D(1323500), D(1324500))


def test_money_in_yuan_and_other_units():
    m = Money(value=D("1451600"), raw="1451600元", span=(0, 8), decimals=0, unit="元")
    assert of_figure(m) == Interval(D("1451599.5"), D("1451600.5"))
    y = Money(value=D("150000000"), raw="1.5亿元", span=(0, 5), decimals=1, unit="亿元")
    assert of_figure(y) == Interval(D(145000000), D(155000000))


def test_approximate_money_only_says_some_amount():
    m = replace(wan("200"), approx=True)
    assert of_figure(m) == Interval(D(0), INFINITY)


def test_count_is_exact():
    assert of_figure(Count(value=7, raw="7人", span=(0, 2))) == Interval.exact(7)


@pytest.mark.parametrize(
    ("parts", "total", "agree"),
    [
        (["106.45", "33.54", "5.17"], "145.16", True),  # the seed's functional classes
        (["106.46", "33.54", "5.17"], "145.16", True),  # one cent (万元) off: within 3 × 50 + 50 yuan
        (["106.47", "33.54", "5.17"], "145.16", True),  # two: still within the 200 yuan the roundings allow
        (["106.48", "33.54", "5.17"], "145.16", False),  # three: beyond rounding
        (["107.45", "33.54", "5.17"], "145.16", False),  # a part moved by one 万元
        (["312.71", "154.62"], "467.34", True),  # 467.33 against 467.34: the intervals still meet
        (["132.4", "12.76"], "145.16", True),
    ],
    ids=["seed", "one-cent", "two-cents", "three-cents", "one-wan", "adjacent-cent", "mixed-places"],
)
def test_sum_of_parts_meets_total(parts, total, agree):
    assert parts_meet_total(parts, total) is agree


@pytest.mark.parametrize(
    ("part", "total", "share", "agree"),
    [
        ("132.4", "145.16", "91.21", True),  # the seed
        ("132.4", "145.16", "91.2", True),  # the same share written to one place
        ("132.4", "145.16", "91", True),  # and to none
        ("132.4", "145.16", "92.21", False),
        ("132.4", "145.16", "91.30", False),  # beyond 132.45 / 145.155 = 91.248%
        ("106.45", "145.16", "73.33", True),
        ("33.54", "145.16", "23.11", True),
        ("5.17", "145.16", "3.56", True),
        ("5.17", "145.16", "3.58", False),
    ],
    ids=["seed-2dp", "seed-1dp", "seed-0dp", "one-point-off", "just-beyond", "fn-1", "fn-2", "fn-3", "fn-3-off"],
)
def test_share_meets_part_over_total(part, total, share, agree):
    assert share_agrees(part, total, share) is agree


def test_share_interval_is_computed_from_both_intervals():
    ratio = share_of(of_figure(wan("132.4")), of_figure(wan("145.16")))
    # lo = 132.35 / 145.165, hi = 132.45 / 145.155, rounded outwards
    assert D("91.172") < ratio.lo < D("91.173")
    assert D("91.247") < ratio.hi < D("91.248")
    with localcontext() as ctx:  # the true bounds, to more places than the arithmetic keeps
        ctx.prec = 60
        assert ratio.lo <= D(1323500) * 100 / D(1451650) and ratio.hi >= D(1324500) * 100 / D(1451550)


def test_rounded_shares_of_a_breakdown_add_up_to_100():
    total = Interval.total(of_figure(pct(s)) for s in ("73.33", "23.11", "3.56"))
    assert total.contains(D(100))
    total = Interval.total(of_figure(pct(s)) for s in ("2.44", "7.32", "85.37", "4.88"))  # 100.01
    assert total.contains(D(100))  # four roundings of ±0.005 may add up to ±0.02


def test_division_by_an_interval_holding_zero_has_no_bound():
    assert Interval(D(1), D(2)) / Interval(D(-1), D(1)) is None
    assert share_of(of_figure(wan("5")), of_figure(wan("0"))) is None


def test_points_are_exact_unless_written_with_decimals_or_rounded():
    n = Number(value=D(40), raw="40分", span=(0, 3), decimals=0)
    assert of_points(n) == Interval.exact(40)
    assert of_points(n, rounded=True) == Interval(D("39.5"), D("40.5"))
    assert of_points(Number(value=D("16.5"), raw="16.5", span=(0, 4), decimals=1)) == Interval(D("16.45"), D("16.55"))


def test_subtraction_and_scale():
    a, b = Interval(D(10), D(12)), Interval(D(1), D(2))
    assert a - b == Interval(D(8), D(11))
    assert b.scale(D(100)) == Interval(D(100), D(200))
    with pytest.raises(ValueError):
        b.scale(D(-1))
    with pytest.raises(ValueError):
        Interval(D(2), D(1))


def test_no_float_in_the_arithmetic():
    r = share_of(of_figure(wan("1")), of_figure(wan("3")))
    assert isinstance(r.lo, Decimal) and isinstance(r.hi, Decimal)


_amounts = st.decimals(min_value=D("0.01"), max_value=D("99999.99"), places=2, allow_nan=False)


@given(st.lists(_amounts, min_size=1, max_size=6))
def test_written_roundings_of_true_parts_always_meet_the_rounded_total(values):
    """Parts and total each rounded from true values to 0.01: never a false alarm."""
    fine = [v + D("0.004") for v in values]  # true values a little off the written ones
    written = [str(v.quantize(D("0.01"))) for v in fine]
    total = str(sum(fine, D(0)).quantize(D("0.01")))
    assert parts_meet_total(written, total)


@given(_amounts, _amounts)
def test_written_share_of_true_values_always_agrees(part, rest):
    whole = part + rest
    share = (part / whole * 100).quantize(D("0.01"))
    assert share_agrees(str(part), str(whole), str(share))

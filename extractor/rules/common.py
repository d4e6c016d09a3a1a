"""Helpers the rule modules share: the breakdowns of a record and how figures are shown."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

from ..display import field_name
from ..model import AMONG_OTHERS, Grounded, Item, Money, Number, Report
from ..numbers import UNIT_FACTORS
from ..patterns import compile_regex
from .interval import Interval, of_figure


def quantize(value: Decimal, decimals: int) -> Decimal:
    """``value`` rounded half-up to ``decimals`` places, as reports round.

    The precision is set to what the value needs: a figure too long for the default 28 digits
    (garbage in an OCR'd table) is shown as it is, never an exception."""
    with localcontext() as ctx:
        ctx.prec = max(ctx.prec, value.adjusted() + decimals + 2) if value.is_finite() else ctx.prec
        return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def show_money(yuan: Decimal, unit: str, decimals: int) -> str:
    """An amount in yuan shown in a report's unit: ``1461600, 万元, 2`` -> ``146.16万元``."""
    return f"{quantize(yuan / UNIT_FACTORS.get(unit, Decimal(1)), decimals)}{unit}"


def show_like(yuan: Decimal, figures: list[Money]) -> str:
    """An amount shown in the unit of the first figure, to the finest places among them."""
    return show_money(yuan, figures[0].unit, max(f.decimals for f in figures))


def show_percent(value: Decimal, decimals: int) -> str:
    return f"{quantize(value, decimals)}%"


def show_number(n: Number, suffix: str = "") -> str:
    """A figure as the report wrote its number (``40``, ``16.5``, ``91.21``)."""
    return f"{quantize(n.value, n.decimals)}{suffix}"


# The label a total was written with says whether it holds a carry-over: 收入总计 / 总收入 hold
# 年初结转和结余 and 支出总计 holds 年末结转和结余; 本年收入(合计) and 支出决算总额 hold
# neither. 收入合计 is either (a budget statement's 收入合计 holds 上年结转): unknown.
_HOLDS_CARRY = {"revenue": compile_regex(r"总计|总收入"), "expenditure": compile_regex(r"总计")}
_NO_CARRY = {"revenue": compile_regex(r"本年"), "expenditure": compile_regex(r"本年|决算")}


def holds_carry(total: Grounded | None, side: str) -> bool | None:
    """Whether a revenue or expenditure total includes its carry-over, by the label the extractor
    recorded with it (``Grounded.label``); None: unknown, as for a total recorded without a label."""
    if total is None or not total.label:
        return None
    label = total.label
    if _HOLDS_CARRY[side].search(label):
        # "本年度收入总计" says both: the year's, and the grand total (which holds the carry-over)
        return True if "本年" not in label else None
    if _NO_CARRY[side].search(label):
        return False
    return None


@dataclass(frozen=True)
class Breakdown:
    """Items that divide a total: revenue items, expenditure by type or by function."""

    path: str  # field path of the list, e.g. "expenditure.by_type"
    total_path: str
    items: list[Item]
    total: Money | None
    # The carry-over the total may hold (收入总计 holds 年初结转, 支出总计 holds 年末结转), and
    # whether its label says it does (True), says it does not (False) or does not say (None).
    carry: Money | None = None
    holds_carry: bool | None = None
    carry_path: str = ""
    # the year's own total (本年收入合计 / 本年支出合计) that a 决算 states beside its grand total
    # (收入总计 / 支出总计): the breakdowns and their shares are often of it
    year_total: Money | None = None

    def field(self, i: int | None = None, leaf: str | None = None) -> str:
        path = f"report.{self.path}" + ("" if i is None else f"[{i}]")
        return path + (f".{leaf}" if leaf else "")

    @property
    def total_field(self) -> str:
        return f"report.{self.total_path}"

    @property
    def what(self) -> str:
        """The breakdown's name, as every writer names it (收入构成 …)."""
        return field_name(self.path)

    @property
    def total_name(self) -> str:
        return field_name(self.total_path)

    @property
    def carry_name(self) -> str:
        return field_name(self.carry_path)

    def bases(self, *, strict: bool = True) -> list[Interval]:
        """The totals the parts may add up to.

        The total itself, or the total less its carry-over when it holds one: by its label when
        ``strict`` (a 收入总计 holds 年初结转, so its items plus the carry-over make it),
        either way when the label does not say or when ``strict`` is off (a share may be of
        the whole 收入总计 or of the year's revenue within it); and the year's own total
        (本年支出合计) a 决算 states beside its grand total.
        """
        if self.total is None:
            return []
        total = of_figure(self.total)
        year = [of_figure(self.year_total)] if self.year_total is not None else []
        if not self.carry_counts(strict=strict):
            return [total, *year]
        without = total - of_figure(self.carry)
        if not strict or self.holds_carry is None:
            return [total, without, *year]
        return [without, *year]

    def carry_counts(self, *, strict: bool = True) -> bool:
        """Whether the carry-over may be part of the total besides the items."""
        if self.carry is None or any("结转" in it.name or "结余" in it.name for it in self.items):
            return False
        return not strict or self.holds_carry is not False


def year_total(report: Report, path: str) -> Money | None:
    """The year's own total the extractor kept beside a grand total (``<path>.of_year``), when
    every place that states it agrees."""
    cands = (report.candidates or {}).get(path + ".of_year") or []
    if not cands or any(not of_figure(cands[0]).meets(of_figure(c)) for c in cands[1:]):
        return None
    return cands[0]


DEFAULT_LIST_REACH = 300


def _listed_after(total: Grounded, part: Grounded) -> bool:
    """``part`` was read as a part of a list (qualifier "part") that follows ``total`` closely."""
    return bool({"part", "in_list"} & set(part.qualifiers)) and 0 <= part.span[0] - total.span[1] <= DEFAULT_LIST_REACH


def total_holds_carry(report: Report, side: str) -> bool | None:
    """Whether the revenue or expenditure total holds its carry-over: as its label says, unless
    its own breakdown shows otherwise — a 收入总计 whose items make it without the 年初结转和结余
    stated beside it was written for the year's revenue ("收入总计1856.42万元，其中财政拨款收入
    1702.30万元、其他收入154.12万元 … 年初结转和结余45.60万元"); a carry-over listed among the
    total's parts (qualified "part" / "in_list") is held by it. Every rule reads the total the same way."""
    revenue = side == "revenue"
    total = report.revenue.total if revenue else report.expenditure.total
    said = holds_carry(total, side)
    carry = report.carryover.start if revenue else report.carryover.end
    items = report.revenue.items if revenue else (report.expenditure.by_type or report.expenditure.by_function)
    if total is not None and carry is not None and _listed_after(total, carry):
        # the carry-over is listed with the total's parts ("本年收入合计…，其中：…上年结余转入…"): the
        # total holds it, unless its label says it does not and the other parts make it without
        return not (said is False and items and parts_sum(items).meets(of_figure(total)))
    if said is not True or carry is None or not items or any("结转" in it.name or "结余" in it.name for it in items):
        return said
    parts, whole = parts_sum(items), of_figure(total)
    if parts.meets(whole) and not parts.meets(whole - of_figure(carry)):
        return False
    return said


def breakdowns(report: Report) -> list[Breakdown]:
    rev, exp, carry = report.revenue, report.expenditure, report.carryover
    rev_holds, exp_holds = total_holds_carry(report, "revenue"), total_holds_carry(report, "expenditure")
    rev_year, exp_year = year_total(report, "revenue.total"), year_total(report, "expenditure.total")
    return [
        Breakdown(
            "revenue.items", "revenue.total", rev.items, rev.total, carry.start, rev_holds, "carryover.start", rev_year
        ),
        Breakdown(
            "expenditure.by_type",
            "expenditure.total",
            exp.by_type,
            exp.total,
            carry.end,
            exp_holds,
            "carryover.end",
            exp_year,
        ),
        Breakdown(
            "expenditure.by_function",
            "expenditure.total",
            exp.by_function,
            exp.total,
            carry.end,
            exp_holds,
            "carryover.end",
            exp_year,
        ),
    ]


def parts_sum(items: list[Item]) -> Interval:
    return Interval.total(of_figure(it.amount) for it in items)


def point_sum(items: list[Item]) -> Decimal:
    return sum((it.amount.value for it in items), Decimal(0))


def shares_look_complete(items: list[Item]) -> bool:
    """Every item has a share and the shares can add up to 100%: the list is the whole."""
    if not items or any(it.share is None for it in items):
        return False
    return Interval.total(of_figure(it.share) for it in items).contains(Decimal(100))


def looks_complete(items: list[Item]) -> bool:
    """Whether a breakdown claims to be the whole of its total.

    A lone item after 其中 is often just the largest part ("收入总计…，其中财政拨款收入…"),
    so one item counts as the whole only when its share says 100%; two or more items are
    read as the full breakdown, unless every item states its share and the shares fall short
    of 100% ("主要用于：教育支出…，占90%；社会保障和就业支出…，占6%"): the list says itself that it
    names only the largest parts; nor are items listed with other parts the record does not hold
    (基本支出, 项目支出 beside 经营支出, 结余分配: qualified ``among_others``).
    """
    if any(AMONG_OTHERS in it.amount.qualifiers for it in items):
        return False  # listed with parts the record does not hold (经营支出, 结余分配 …)
    if items and all(it.share is not None for it in items):
        return Interval.total(of_figure(it.share) for it in items).hi >= Decimal(100)
    return len(items) >= 2

"""Share rules: a stated share is its amount over the total, and a breakdown's shares make 100%."""

from __future__ import annotations

from decimal import Decimal

from .common import breakdowns, parts_sum, show_like, show_percent
from .interval import HUNDRED, Interval, of_figure, share_of
from .registry import Context, rule


@rule(code="SHR001", name="share-matches-amount", severity="error")
def share_matches_amount(ctx: Context):
    """Each stated share equals its amount divided by the total, at the share's precision.

    What it checks
    For every item of a breakdown that states a share (``占支出决算总额的91.21%``), the
    interval of amount ÷ total — computed from the intervals of both figures — must meet the
    share's own interval (``91.21%`` stands for 91.205–91.215%, ``91.2%`` for 91.15–91.25%).
    The total may be taken with or without its carry-over, as for the sum rules.

    Why it matters
    A share that does not match its amount shows that one of the two was changed without the
    other; it is the commonest trace of a figure updated in one place only.

    Example
    ``支出决算总额145.16万元 … 基本支出132.4万元，占支出决算总额的92.21%`` — 132.4 ÷ 145.16
    is 91.17–91.25%, so 92.21% is wrong.
    """
    for bd in breakdowns(ctx.report, ctx.document):
        stated = [(i, it) for i, it in enumerate(bd.items) if it.share is not None]
        if not stated:
            continue
        if bd.total is None:
            yield ctx.not_checkable(
                f"{bd.what}写了占比，但未找到{bd.total_name}，无法核对占比。",
                fields=[bd.field()], spans=[it.share.span for _, it in stated])
            continue
        bases = bd.bases(strict=False)
        for i, it in stated:
            part = of_figure(it.amount)
            computed = [share_of(part, b) for b in bases]
            if any(c is None for c in computed):
                continue  # a total that may be zero has no meaningful share
            if any(c.meets(of_figure(it.share)) for c in computed):
                continue
            point = it.amount.value / bd.total.value * HUNDRED
            expected = show_percent(point, it.share.decimals)
            found = show_percent(it.share.value, it.share.decimals)
            yield ctx.finding(
                f"{it.name}{show_like(it.amount.value, [it.amount])}占{bd.total_name}"
                f"{show_like(bd.total.value, [bd.total])}的比例应为{expected}，报告为{found}。",
                fields=[bd.field(i, "share"), bd.field(i, "amount"), bd.total_field],
                spans=[it.share.span, it.amount.span, bd.total.span], expected=expected, found=found)


@rule(code="SHR002", name="shares-sum-to-100", severity="error")
def shares_sum_to_100(ctx: Context):
    """The shares of one complete breakdown add up to 100% within their rounding.

    What it checks
    When every item of a breakdown states a share, the interval of their sum must hold 100%.
    Shares that add up to more than 100% are always an error; shares that add up to less are
    an error only when the amounts show the list is complete (they add up to the total), since
    a report may give the shares of only the parts it names.

    Why it matters
    Shares of the whole that do not make the whole mean a share, or an amount it was
    computed from, is wrong — or that a part of the spending is missing from the list.

    Example
    ``一般公共服务73.33%、社会保障和就业23.11%、住房保障3.56%`` adds up to 100.00%;
    with ``74.33%`` in place of 73.33% it adds up to 101.00%, beyond the ±0.015% rounding.
    """
    for bd in breakdowns(ctx.report, ctx.document):
        if not bd.items or any(it.share is None for it in bd.items):
            continue
        shares = Interval.total(of_figure(it.share) for it in bd.items)
        if shares.contains(HUNDRED):
            continue
        parts = parts_sum(bd.items)
        if bd.carry is not None and bd.holds_carry and not parts.meets(of_figure(bd.total)):
            continue  # the shares of the total's parts but its carry-over, which has none stated
        complete = any(parts.meets(b) for b in bd.bases(strict=False))
        if shares.lo <= HUNDRED and not complete:
            continue
        decimals = max(it.share.decimals for it in bd.items)
        found = show_percent(sum((it.share.value for it in bd.items), Decimal(0)), decimals)
        yield ctx.finding(
            f"{bd.what}各项占比之和为{found}，应为100%。",
            fields=[bd.field()] + [bd.field(i, "share") for i in range(len(bd.items))],
            spans=[it.share.span for it in bd.items], expected="100%", found=found)

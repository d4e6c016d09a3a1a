"""Share rules: a stated share is its amount over the total, and a breakdown's shares make 100%."""

from __future__ import annotations

from decimal import Decimal

from ..i18n import _
from .common import breakdowns, parts_sum, show_like, show_percent
from .interval import HUNDRED, Interval, of_figure, share_of
from .registry import RuleContext, rule


@rule(code="SHR001", name="share-matches-amount", severity="error")
def share_matches_amount(ctx: RuleContext):
    """每个写明的占比等于其金额除以总计，按占比自身的精度核对。

    检查内容
    一项分类中写明占比的每一项（``占支出决算总额的91.21%``），由金额与总计两者的区间算出的
    金额 ÷ 总计区间，须与占比自身的区间相交（``91.21%`` 代表91.205%至91.215%，``91.2%`` 代表
    91.15%至91.25%）。总计可按含或不含结转两种读法，与各项之和的规则相同。

    为何重要
    占比与金额对不上，说明两者之一改了而另一个没改；这是“只改了一处”的数字最常见的痕迹。

    示例
    ``支出决算总额145.16万元……基本支出132.4万元，占支出决算总额的92.21%`` —— 132.4 ÷ 145.16
    为91.17%至91.25%，92.21%不对。
    """
    for bd in breakdowns(ctx.report):
        stated = [(i, it) for i, it in enumerate(bd.items) if it.share is not None]
        if not stated:
            continue
        if bd.total is None:
            yield ctx.not_checkable(
                _("{what}写了占比，但未找到{total_name}，无法核对占比。").format(
                    what=bd.what, total_name=bd.total_name
                ),
                fields=[bd.field()],
                spans=[it.share.span for _, it in stated],
            )
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
                _("{item}{amount}占{total_name}{total}的比例应为{expected}，报告为{found}。").format(
                    item=it.name,
                    amount=show_like(it.amount.value, [it.amount]),
                    total_name=bd.total_name,
                    total=show_like(bd.total.value, [bd.total]),
                    expected=expected,
                    found=found,
                ),
                fields=[bd.field(i, "share"), bd.field(i, "amount"), bd.total_field],
                spans=[it.share.span, it.amount.span, bd.total.span],
                expected=expected,
                found=found,
            )


@rule(code="SHR002", name="shares-sum-to-100", severity="error")
def shares_sum_to_100(ctx: RuleContext):
    """同一完整分类的各项占比之和在舍入范围内为100%。

    检查内容
    一项分类的每一项都写明占比时，各占比之和的区间须包含100%。超过100%一律为错误；不足100%只在
    金额表明列表完整（各项金额凑成总计）时才是错误，因为报告可能只写了所列几项的占比。

    为何重要
    整体的各部分占比凑不成整体，说明某个占比或其所依据的金额有误，或者列表漏了一部分支出。

    示例
    ``一般公共服务73.33%、社会保障和就业23.11%、住房保障3.56%`` 合计100.00%；若把73.33%写成
    ``74.33%``，合计101.00%，超出±0.015%的舍入范围。
    """
    for bd in breakdowns(ctx.report):
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
            _("{what}各项占比之和为{sum}，应为100%。").format(what=bd.what, sum=found),
            fields=[bd.field()] + [bd.field(i, "share") for i in range(len(bd.items))],
            spans=[it.share.span for it in bd.items],
            expected="100%",
            found=found,
        )

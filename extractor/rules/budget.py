"""Budget rule: the stated execution rate is the spending over the (adjusted) budget."""

from __future__ import annotations

from .common import show_like, show_percent
from .interval import HUNDRED, of_figure, share_of
from .registry import Context, rule


@rule(code="BUD001", name="execution-rate", severity="error")
def execution_rate(ctx: Context):
    """The budget execution rate equals spending divided by the budget.

    What it checks
    ``budget.execution_rate`` (预算执行率) meets the interval of ``budget.spent`` ÷
    ``budget.adjusted`` (全年预算数 / 调整后预算), or ÷ ``budget.total`` (年初预算). When only
    the opening budget is stated and the rate does not match it, the rate may be of an
    adjusted budget the report does not give: a warning rather than an error.

    Why it matters
    The execution rate is scored directly (预算执行率指标); a rate that its own figures do not
    give changes the score and hides under- or over-spending.

    Example
    ``全年预算数150万元，全年执行数145.16万元，预算执行率98.5%`` — 145.16 ÷ 150 = 96.77%.
    """
    b = ctx.report.budget
    rate, spent = b.execution_rate, b.spent
    bases = [(p, m) for p, m in (("adjusted", b.adjusted), ("total", b.total)) if m is not None]
    if rate is None:
        return
    if spent is None or not bases:
        missing = "执行数" if spent is None else "预算数"
        yield ctx.not_checkable(f"预算执行率无法核对：未找到{missing}。",
                                fields=["report.budget.execution_rate"], spans=[rate.span])
        return
    stated = of_figure(rate)
    computed = [share_of(of_figure(spent), of_figure(m)) for _, m in bases]
    if any(c is None or c.meets(stated) for c in computed):
        return
    path, base = bases[0]
    expected = show_percent(spent.value / base.value * HUNDRED, rate.decimals)
    found = show_percent(rate.value, rate.decimals)
    yield ctx.finding(
        f"执行数{show_like(spent.value, [spent])}÷预算数{show_like(base.value, [base])}应为{expected}，"
        f"报告的预算执行率为{found}。",
        fields=["report.budget.execution_rate", "report.budget.spent", f"report.budget.{path}"],
        spans=[rate.span, spent.span, base.span], expected=expected, found=found,
        severity=None if b.adjusted is not None else "warning")

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


@rule(code="BUD002", name="spending-exceeds-budget", severity="warning")
def spending_exceeds_budget(ctx: Context):
    """Spending beyond the full-year budget is flagged.

    What it checks
    ``budget.spent`` (全年执行数) is at most ``budget.adjusted`` (全年预算数 / 调整后预算), or,
    without an adjusted budget, ``budget.total`` (年初预算), within the rounding of both figures;
    and a stated ``budget.execution_rate`` is at most 100% within its rounding.

    Why it matters
    Money spent beyond the budget the year allowed (超预算支出) is spending without an
    appropriation: an auditor looks for the adjustment or the approval behind it. It is a
    warning, not an error: the figures may be right, and the overspending real.

    Example
    ``全年预算数329.77万元，全年执行数338.31万元，执行率102.59%`` — 8.54万元 beyond the budget.
    """
    b = ctx.report.budget
    base_path, base = ("adjusted", b.adjusted) if b.adjusted is not None else ("total", b.total)
    if b.spent is not None and base is not None and of_figure(b.spent).lo > of_figure(base).hi:
        over = show_like(b.spent.value - base.value, [b.spent, base])
        yield ctx.finding(
            f"执行数{show_like(b.spent.value, [b.spent])}超过预算数{show_like(base.value, [base])}，超出{over}。",
            fields=["report.budget.spent", f"report.budget.{base_path}"], spans=[b.spent.span, base.span],
            expected=f"≤{show_like(base.value, [base])}", found=show_like(b.spent.value, [b.spent]))
    elif b.execution_rate is not None and of_figure(b.execution_rate).lo > HUNDRED:
        found = show_percent(b.execution_rate.value, b.execution_rate.decimals)
        yield ctx.finding(f"预算执行率为{found}，超过100%。", fields=["report.budget.execution_rate"],
                          spans=[b.execution_rate.span], expected="≤100%", found=found)


@rule(code="BUD003", name="source-execution-rate", severity="error")
def source_execution_rate(ctx: Context):
    """Each source of a project's money has the execution rate its own figures give.

    What it checks
    For each row of ``budget.sources`` (其中：当年财政拨款, 上年结转资金, 其他资金 under a form's
    年度资金总额 row) that states a rate, spending and a budget, the rate meets spending ÷ the
    full-year budget (or ÷ the opening budget when the full-year one is not given).

    Why it matters
    The form's rows are copied from the accounts by hand; a rate typed for one row and not
    recomputed (0% where the row spent all its money) misstates how that fund was used.

    Example
    ``其他资金 | 0 | 1.8 | 1.8 | — | 0 | —`` — 1.8 ÷ 1.8 is 100%, not 0%.
    """
    for i, row in enumerate(ctx.report.budget.sources):
        base = row.adjusted if row.adjusted is not None else row.total
        rate, spent = row.execution_rate, row.spent
        if rate is None or spent is None or base is None:
            continue
        computed = share_of(of_figure(spent), of_figure(base))
        if computed is None or computed.meets(of_figure(rate)):
            continue
        expected = show_percent(spent.value / base.value * HUNDRED, rate.decimals)
        found = show_percent(rate.value, rate.decimals)
        path = f"report.budget.sources[{i}]"
        yield ctx.finding(f"“{row.name}”执行数{show_like(spent.value, [spent])}÷预算数{show_like(base.value, [base])}"
                          f"应为{expected}，报告的执行率为{found}。",
                          fields=[f"{path}.execution_rate", f"{path}.spent"], spans=[rate.span, spent.span, base.span],
                          expected=expected, found=found)

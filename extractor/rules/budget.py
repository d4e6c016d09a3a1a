"""Budget rule: the stated execution rate is the spending over the (adjusted) budget."""

from __future__ import annotations

from ..display import field_name
from ..i18n import _
from .common import show_like, show_percent
from .interval import HUNDRED, of_figure, share_of
from .registry import RuleContext, rule


@rule(code="BUD001", name="execution-rate", severity="error")
def execution_rate(ctx: RuleContext):
    """预算执行率等于执行数除以预算数。

    检查内容
    ``budget.execution_rate``（预算执行率）须与 ``budget.spent`` ÷ ``budget.adjusted``（全年预算数、
    调整后预算）的区间相交，或与 ÷ ``budget.total``（年初预算数）的区间相交。只写了年初预算且执行率
    与之不符时，执行率可能是按报告未写出的调整后预算算的：给警告而非错误。

    为何重要
    预算执行率直接计分（预算执行率指标）；执行率与其依据的数字不符，会改变得分，掩盖少花或多花。

    示例
    ``全年预算数150万元，全年执行数145.16万元，预算执行率98.5%`` —— 145.16 ÷ 150 = 96.77%。
    """
    b = ctx.report.budget
    rate, spent = b.execution_rate, b.spent
    bases = [(p, m) for p, m in (("adjusted", b.adjusted), ("total", b.total)) if m is not None]
    if rate is None:
        return
    if spent is None or not bases:
        missing = (
            field_name("budget.spent")
            if spent is None
            else _("{adjusted}或{total}").format(
                adjusted=field_name("budget.adjusted"), total=field_name("budget.total")
            )
        )
        yield ctx.not_checkable(
            _("{rate}无法核对：未找到{missing}。").format(rate=field_name("budget.execution_rate"), missing=missing),
            fields=["report.budget.execution_rate"],
            spans=[rate.span],
        )
        return
    stated = of_figure(rate)
    computed = [share_of(of_figure(spent), of_figure(m)) for _, m in bases]
    if any(c is None or c.meets(stated) for c in computed):
        return
    path, base = bases[0]
    expected = show_percent(spent.value / base.value * HUNDRED, rate.decimals)
    found = show_percent(rate.value, rate.decimals)
    yield ctx.finding(
        _("{spent_name}{spent}÷{base_name}{base}应为{expected}，报告的{rate_name}为{found}。").format(
            spent_name=field_name("budget.spent"),
            spent=show_like(spent.value, [spent]),
            base_name=field_name(f"budget.{path}"),
            base=show_like(base.value, [base]),
            expected=expected,
            rate_name=field_name("budget.execution_rate"),
            found=found,
        ),
        fields=["report.budget.execution_rate", "report.budget.spent", f"report.budget.{path}"],
        spans=[rate.span, spent.span, base.span],
        expected=expected,
        found=found,
        severity=None if b.adjusted is not None else "warning",
    )


@rule(code="BUD002", name="spending-exceeds-budget", severity="warning")
def spending_exceeds_budget(ctx: RuleContext):
    """执行数超过全年预算数。

    检查内容
    ``budget.spent``（全年执行数）在两个数字的舍入范围内不超过 ``budget.adjusted``（全年预算数、
    调整后预算），没有调整后预算时不超过 ``budget.total``（年初预算数）；写明的
    ``budget.execution_rate`` 在其舍入范围内不超过100%。

    为何重要
    超出当年预算的支出（超预算支出）是没有拨款依据的支出：审计要找它背后的调整或批准。这是警告
    而非错误：数字可能都对，超支也可能是真的。

    示例
    ``全年预算数329.77万元，全年执行数338.31万元，执行率102.59%`` —— 超出预算8.54万元。
    """
    b = ctx.report.budget
    base_path, base = ("adjusted", b.adjusted) if b.adjusted is not None else ("total", b.total)
    if b.spent is not None and base is not None and of_figure(b.spent).lo > of_figure(base).hi:
        over = show_like(b.spent.value - base.value, [b.spent, base])
        yield ctx.finding(
            _("{spent_name}{spent}超过{base_name}{base}，超出{over}。").format(
                spent_name=field_name("budget.spent"),
                spent=show_like(b.spent.value, [b.spent]),
                base_name=field_name(f"budget.{base_path}"),
                base=show_like(base.value, [base]),
                over=over,
            ),
            fields=["report.budget.spent", f"report.budget.{base_path}"],
            spans=[b.spent.span, base.span],
            expected=f"≤{show_like(base.value, [base])}",
            found=show_like(b.spent.value, [b.spent]),
        )
    elif b.execution_rate is not None and of_figure(b.execution_rate).lo > HUNDRED:
        found = show_percent(b.execution_rate.value, b.execution_rate.decimals)
        yield ctx.finding(
            _("{rate_name}为{found}，超过100%。").format(rate_name=field_name("budget.execution_rate"), found=found),
            fields=["report.budget.execution_rate"],
            spans=[b.execution_rate.span],
            expected="≤100%",
            found=found,
        )


@rule(code="BUD003", name="source-execution-rate", severity="error")
def source_execution_rate(ctx: RuleContext):
    """项目每个资金来源的执行率等于其自身数字算出的执行率。

    检查内容
    ``budget.sources`` 的每一行（项目表“年度资金总额”下的其中：当年财政拨款、上年结转资金、其他
    资金）写明执行率、执行数和预算数的，执行率须与执行数 ÷ 全年预算数（没有全年预算数时 ÷ 年初
    预算数）的区间相交。

    为何重要
    表中各行是从账上手抄的；某一行的执行率填了却没重算（整行的钱都花了却写0%），就错报了这笔资金
    的使用情况。

    示例
    ``其他资金 | 0 | 1.8 | 1.8 | — | 0 | —`` —— 1.8 ÷ 1.8 是100%，不是0%。
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
        base_key = "budget.adjusted" if row.adjusted is not None else "budget.total"
        yield ctx.finding(
            _("“{source}”{spent_name}{spent}÷{base_name}{base}应为{expected}，报告的{rate_name}为{found}。").format(
                source=row.name,
                spent_name=field_name("budget.spent"),
                spent=show_like(spent.value, [spent]),
                base_name=field_name(base_key),
                base=show_like(base.value, [base]),
                expected=expected,
                rate_name=field_name("budget.execution_rate"),
                found=found,
            ),
            fields=[f"{path}.execution_rate", f"{path}.spent"],
            spans=[rate.span, spent.span, base.span],
            expected=expected,
            found=found,
        )

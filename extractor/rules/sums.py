"""Sum rules: the parts of a money breakdown add up to its total, and the carry-over balances."""

from __future__ import annotations

from .common import Breakdown, breakdowns, looks_complete, parts_sum, point_sum, show_like, total_holds_carry
from .interval import Interval, of_figure
from .registry import Context, rule


def check_parts_sum(ctx: Context, bd: Breakdown):
    """Findings for one breakdown: the interval of the sum of parts must meet the total's."""
    if not bd.items:
        return
    amounts = [it.amount for it in bd.items]
    spans = [a.span for a in amounts]
    if bd.total is None:
        yield ctx.not_checkable(
            f"{bd.what}列出{len(amounts)}项，但未找到{bd.total_name}，无法核对各项之和。",
            fields=[bd.field()], spans=spans)
        return
    parts = parts_sum(bd.items)
    bases = bd.bases()
    if any(parts.meets(b) for b in bases):
        return
    figures = [bd.total, *amounts]
    found = show_like(point_sum(bd.items), figures)
    expected = show_like(bd.total.value, figures)
    fields, all_spans = [bd.field(), bd.total_field], [bd.total.span, *spans]
    said = f"{bd.what}各项之和为{found}"
    if bd.carry_counts():
        fields.append(f"report.{bd.carry_path}")
        all_spans.append(bd.carry.span)
        if bd.holds_carry:  # the label says the total holds the carry-over: only that form counts
            with_carry = show_like(point_sum(bd.items) + bd.carry.value, [*figures, bd.carry])
            said = f"{bd.what}各项之和{found}加{bd.carry_name}{show_like(bd.carry.value, [bd.carry])}为{with_carry}"
            found = with_carry
    # Parts can never exceed their total; falling short is a contradiction only when the
    # list claims to be the whole breakdown.
    if parts.lo > max(b.hi for b in bases) or looks_complete(bd.items):
        yield ctx.finding(
            f"{said}，与{bd.total_name}{expected}不符。",
            fields=fields, spans=all_spans, expected=expected, found=found)
    else:
        yield ctx.not_checkable(
            f"{bd.what}只列出{len(amounts)}项（合计{found}），少于{bd.total_name}{expected}，"
            "看来是部分列举，未核对合计。",
            fields=fields, spans=all_spans)


def _breakdown(ctx: Context, path: str) -> Breakdown:
    return next(bd for bd in breakdowns(ctx.report, ctx.document) if bd.path == path)


@rule(code="SUM001", name="revenue-items-sum", severity="error")
def revenue_items_sum(ctx: Context):
    """Revenue items add up to the revenue total.

    What it checks
    The amounts listed under the revenue total (财政拨款收入, 事业收入, 其他收入 …) add up to
    ``revenue.total`` within the rounding of every figure. A total that may include the opening
    carry-over (收入总计 = 本年收入 + 年初结转和结余) equals the items plus that carry-over (or
    the items alone, when they make it: the report wrote 收入总计 for the year's revenue, and the
    carry-over balance SUM004 reads it so too); one whose label says it does not (本年收入合计)
    must equal the items alone. Beside a grand total, a 决算's own
    本年收入合计 (kept as ``candidates["revenue.total.of_year"]``) is a total the items may make.
    Items that exceed the total are always an error; items that fall short are an error when
    the list claims to be complete (two or more items, or shares that add up to 100%).
    A lone item that falls short is read as 其中 naming one part, and gives an ``info``.

    Why it matters
    A revenue total that its own items do not add up to means one of the figures was typed,
    copied or updated wrongly; every ratio computed from it inherits the error.

    Example
    ``收入总计145.16万元，其中财政拨款收入140.16万元、事业收入6.00万元`` — the items give
    146.16万元, one 万元 more than the total, far beyond the ±0.015万元 of rounding.
    """
    yield from check_parts_sum(ctx, _breakdown(ctx, "revenue.items"))


@rule(code="SUM002", name="expenditure-by-type-sum", severity="error")
def expenditure_by_type_sum(ctx: Context):
    """Expenditure by type (基本支出, 项目支出) adds up to the expenditure total.

    What it checks
    The amounts of ``expenditure.by_type`` add up to ``expenditure.total`` within rounding
    (or to the total less the closing carry-over, when the total is 支出总计). As for
    revenue, a lone item that falls short (the report names only 基本支出) is not checked.

    Why it matters
    基本支出 and 项目支出 are the two halves of the spending; if they do not add up, either a
    half or the total is wrong, and the report's analysis of basic versus project spending
    rests on it.

    Example
    ``支出总额145.16万元，基本支出132.40万元，项目支出13.76万元`` — 146.16万元 against
    145.16万元.
    """
    yield from check_parts_sum(ctx, _breakdown(ctx, "expenditure.by_type"))


@rule(code="SUM003", name="expenditure-by-function-sum", severity="error")
def expenditure_by_function_sum(ctx: Context):
    """Expenditure by function (一般公共服务, 社会保障和就业 …) adds up to the total.

    What it checks
    The amounts of ``expenditure.by_function`` add up to ``expenditure.total`` within the
    rounding of every figure (three parts written to 0.01万元 and a total written to 0.01万元
    may differ by up to 0.02万元 and still agree).

    Why it matters
    The functional classification is how the budget is voted; a class that is misstated
    moves money between purposes on paper.

    Example
    ``一般公共服务107.45万元、社会保障和就业33.54万元、住房保障5.17万元`` against a total
    of ``145.16万元`` — the parts give 146.16万元.
    """
    yield from check_parts_sum(ctx, _breakdown(ctx, "expenditure.by_function"))


@rule(code="SUM004", name="carryover-balance", severity="error")
def carryover_balance(ctx: Context):
    """Opening carry-over plus revenue less expenditure equals the closing carry-over.

    What it checks
    年初结转和结余 + 本年收入 − 本年支出 = 年末结转和结余, when all four are stated. A revenue
    total labelled 收入总计 already holds the opening carry-over and an expenditure total
    labelled 支出总计 the closing one, unless its own items make it without (the report wrote
    总计 for the year's figures); the label just before each figure in the text decides which
    form of the identity applies. A label that says neither (收入合计, 收入共计) may hold its
    carry-over or not, and so may a total whose label cannot be read (no document). Two totals
    that both hold their carry-overs are equal; when they differ, the plain form applies.

    Why it matters
    The balance is the one identity that ties the revenue side to the spending side; when it
    fails, money appears or vanishes between the two.

    Example
    ``本年收入合计510.00万元，年初结转和结余12.40万元，本年支出合计513.50万元，年末结转和结余
    9.90万元`` — 12.40 + 510.00 − 513.50 = 8.90万元, not 9.90万元.
    """
    r, e = ctx.report.revenue.total, ctx.report.expenditure.total
    s, end = ctx.report.carryover.start, ctx.report.carryover.end
    named = {"report.carryover.start": ("年初结转和结余", s), "report.revenue.total": ("收入", r),
             "report.expenditure.total": ("支出", e), "report.carryover.end": ("年末结转和结余", end)}
    missing = [label for label, v in named.values() if v is None]
    if missing:
        # Only worth saying when a carry-over is stated: without one there is nothing to balance.
        if s is not None or end is not None:
            present = {k: v for k, (_, v) in named.items() if v is not None}
            yield ctx.not_checkable(f"结转结余平衡无法核对：缺少{'、'.join(missing)}。",
                                    fields=list(present), spans=[v.span for v in present.values()])
        return
    said_start = total_holds_carry(ctx.report, ctx.document, "revenue")
    said_end = total_holds_carry(ctx.report, ctx.document, "expenditure")
    incl_start, incl_end = said_start is True, said_end is True
    # The form the totals' labels (and breakdowns) name; a label that says neither (收入合计,
    # 收入共计) may hold its carry-over or not ("收入共计458.20万元（上年结转12.30万元，本年收入
    # 445.90万元）"). Two totals that both hold their carry-overs are equal in a 决算; when they
    # differ the report wrote 总计 for the year's own figures and the plain form applies.
    forms = {(s_, e_) for s_ in ({True, False} if said_start is None else {incl_start})
             for e_ in ({True, False} if said_end is None else {incl_end})}
    if incl_start and incl_end:
        forms.add((False, False))
    for with_start, with_end in forms:
        left = of_figure(r) if with_start else of_figure(s) + of_figure(r)
        right = of_figure(e) if with_end else of_figure(e) + of_figure(end)
        if left.meets(right):
            return
    # the closing balance the other three figures imply
    implied = (r.value if incl_start else s.value + r.value) - (e.value - end.value if incl_end else e.value)
    figures = [end, s, r, e]
    expected, found = show_like(implied, figures), show_like(end.value, figures)
    yield ctx.finding(
        f"年初结转和结余{show_like(s.value, figures)}、收入{show_like(r.value, figures)}、"
        f"支出{show_like(e.value, figures)}推得年末结转和结余应为{expected}，报告为{found}。",
        fields=list(named), spans=[s.span, r.span, e.span, end.span], expected=expected, found=found)


@rule(code="SUM005", name="budget-sources-sum", severity="error")
def budget_sources_sum(ctx: Context):
    """The sources of a budget add up to the budget, column by column.

    What it checks
    For the opening budget, the full-year budget and the spending, the rows of
    ``budget.sources`` that state the figure (two or more) add up to the budget's own figure
    within rounding: an error when they exceed it, or when every row states it and the sum
    falls short. Rows that leave a figure out may be partial, and are not summed short.

    Why it matters
    The sources are the budget split by where the money comes from; when they do not make the
    budget, a source is missing or a figure was typed wrongly — and the execution rate, scored
    from the total, rests on it.

    Example
    ``项目资金总预算为318.4万元，其中部门预算项目支出20.5万元，专项预算支出290万元`` — 310.5万元.
    """
    b = ctx.report.budget
    for key, name in (("total", "年初预算数"), ("adjusted", "全年预算数"), ("spent", "全年执行数")):
        whole = getattr(b, key)
        stated = [r for r in b.sources if getattr(r, key) is not None]
        if whole is None or len(stated) < 2:
            continue
        parts = Interval.total(of_figure(getattr(r, key)) for r in stated)
        w = of_figure(whole)
        if parts.meets(w) or (parts.hi < w.lo and len(stated) < len(b.sources)):
            continue
        figures = [whole, *(getattr(r, key) for r in stated)]
        found, expected = show_like(sum(getattr(r, key).value for r in stated), figures), show_like(whole.value, figures)
        yield ctx.finding(f"{name}各来源之和为{found}，与{name}{expected}不符。",
                          fields=[f"report.budget.{key}"] + [f"report.budget.sources[{i}].{key}"
                                                             for i, r in enumerate(b.sources) if getattr(r, key)],
                          spans=[whole.span, *(getattr(r, key).span for r in stated)], expected=expected, found=found)

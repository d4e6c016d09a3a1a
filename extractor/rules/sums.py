"""Sum rules: the parts of a money breakdown add up to its total, and the carry-over balances."""

from __future__ import annotations

from ..display import field_name
from ..i18n import _
from ..model import WITH_OTHER_ITEMS, Money
from .common import (
    Breakdown,
    breakdowns,
    looks_complete,
    parts_sum,
    point_sum,
    show_like,
    total_holds_carry,
    year_total,
)
from .interval import Interval, of_figure
from .registry import RuleContext, rule


def check_parts_sum(ctx: RuleContext, bd: Breakdown):
    """Findings for one breakdown: the interval of the sum of parts must meet the total's."""
    if not bd.items:
        return
    amounts = [it.amount for it in bd.items]
    spans = [a.span for a in amounts]
    if bd.total is None:
        yield ctx.not_checkable(
            _("{what}列出{n}项，但未找到{total}，无法核对各项之和。").format(
                what=bd.what, n=len(amounts), total=bd.total_name
            ),
            fields=[bd.field()],
            spans=spans,
        )
        return
    parts = parts_sum(bd.items)
    bases = bd.bases()
    if any(parts.meets(b) for b in bases):
        return
    figures = [bd.total, *amounts]
    found = show_like(point_sum(bd.items), figures)
    expected = show_like(bd.total.value, figures)
    fields, all_spans = [bd.field(), bd.total_field], [bd.total.span, *spans]
    said = _("{what}各项之和为{sum}").format(what=bd.what, sum=found)
    if bd.carry_counts():
        fields.append(f"report.{bd.carry_path}")
        all_spans.append(bd.carry.span)
        if bd.holds_carry:  # the label says the total holds the carry-over: only that form counts
            with_carry = show_like(point_sum(bd.items) + bd.carry.value, [*figures, bd.carry])
            said = _("{what}各项之和{sum}加{carry_name}{carry}为{with_carry}").format(
                what=bd.what,
                sum=found,
                carry_name=bd.carry_name,
                carry=show_like(bd.carry.value, [bd.carry]),
                with_carry=with_carry,
            )
            found = with_carry
    # Parts can never exceed their total; falling short is a contradiction only when the
    # list claims to be the whole breakdown.
    if parts.lo > max(b.hi for b in bases) or looks_complete(bd.items):
        yield ctx.finding(
            _("{said}，与{total_name}{total}不符。").format(said=said, total_name=bd.total_name, total=expected),
            fields=fields,
            spans=all_spans,
            expected=expected,
            found=found,
        )
    else:
        yield ctx.not_checkable(
            _("{what}只列出{n}项（合计{sum}），少于{total_name}{total}，看来是部分列举，未核对合计。").format(
                what=bd.what, n=len(amounts), sum=found, total_name=bd.total_name, total=expected
            ),
            fields=fields,
            spans=all_spans,
        )


def _breakdown(ctx: RuleContext, path: str) -> Breakdown:
    return next(bd for bd in breakdowns(ctx.report) if bd.path == path)


@rule(code="SUM001", name="revenue-items-sum", severity="error")
def revenue_items_sum(ctx: RuleContext):
    """收入构成各项之和等于收入总计。

    检查内容
    收入总计下列出的各项（财政拨款收入、事业收入、其他收入……）之和，在每个数字的舍入范围内等于
    ``revenue.total``。可能含年初结转和结余的总计（收入总计 = 本年收入 + 年初结转和结余）等于各项加
    结转（或各项本身，当各项已凑成总计：报告把本年收入写作了收入总计，SUM004 也这样读）；标签表明
    不含结转的总计（本年收入合计）须等于各项本身。决算在总计旁另写的本年收入合计（记于
    ``candidates["revenue.total.of_year"]``）也可作为各项之和的对象。各项之和超过总计一律为错误；
    不足总计时，只有列表自称完整（两项以上，或占比合计100%；各项都写明占比而合计不足100%的，是只列了
    主要几项）才是错误，只列一项且不足的，视为“其中”只举了一部分，给出 ``info``。

    为何重要
    收入总计与其各项对不上，说明某个数字录入、抄写或更新有误；由它算出的每个比例都会跟着出错。

    示例
    ``收入总计145.16万元，其中财政拨款收入140.16万元、事业收入6.00万元`` —— 各项合计146.16万元，
    比总计多1万元，远超±0.015万元的舍入范围。
    """
    yield from check_parts_sum(ctx, _breakdown(ctx, "revenue.items"))


@rule(code="SUM002", name="expenditure-by-type-sum", severity="error")
def expenditure_by_type_sum(ctx: RuleContext):
    """按经济分类的支出（基本支出、项目支出）之和等于支出总计。

    检查内容
    ``expenditure.by_type`` 各项之和在舍入范围内等于 ``expenditure.total``（总计为支出总计时，
    也可等于总计减去年末结转和结余）。与收入相同，只列一项且不足总计的（报告只写了基本支出），不核对；
    与经营支出、结余分配等记录之外的部分列在一起而不足总计的，也不核对。

    为何重要
    基本支出和项目支出是支出的两半；两者之和与总计不符，不是其中一半错了就是总计错了，报告对基本
    支出与项目支出的分析也就失去依据。

    示例
    ``支出总计145.16万元，基本支出132.40万元，项目支出13.76万元`` —— 合计146.16万元，而总计为
    145.16万元。
    """
    yield from check_parts_sum(ctx, _breakdown(ctx, "expenditure.by_type"))


@rule(code="SUM003", name="expenditure-by-function-sum", severity="error")
def expenditure_by_function_sum(ctx: RuleContext):
    """按功能分类的支出（一般公共服务、社会保障和就业……）之和等于支出总计。

    检查内容
    ``expenditure.by_function`` 各项之和在每个数字的舍入范围内等于 ``expenditure.total``（三项各写到
    0.01万元、总计也写到0.01万元时，最多可差0.02万元而仍算一致）。

    为何重要
    功能分类是预算审批的口径；某一类写错，就等于在纸面上把钱从一个用途挪到了另一个用途。

    示例
    ``一般公共服务107.45万元、社会保障和就业33.54万元、住房保障5.17万元``，总计 ``145.16万元`` ——
    各项合计146.16万元。
    """
    yield from check_parts_sum(ctx, _breakdown(ctx, "expenditure.by_function"))


@rule(code="SUM004", name="carryover-balance", severity="error")
def carryover_balance(ctx: RuleContext):
    """年初结转和结余加收入减支出等于年末结转和结余。

    检查内容
    四个数字都已写明时：年初结转和结余 + 本年收入 − 本年支出 = 年末结转和结余。标签为“收入总计”的
    收入已含年初结转和结余，标签为“支出总计”的支出已含年末结转和结余，除非其各项本身已凑成总计
    （报告把本年数写作了总计）；由记录中每个总计的标签（``label``）决定用哪种形式。标签两可的
    （收入合计、收入共计）可能含结转也可能不含，没有标签的总计同样两可。两个总计都含结转时二者相等；
    不相等时按不含结转的形式核对。两个总计都含结转时，结转数改变也不影响总计相等，所以报告另写明
    本年收入合计和本年支出合计时，还要核对年初结转和结余 + 本年收入合计 − 本年支出合计 = 年末结转和结余，
    除非报告另写明总计所含的结余分配、用事业基金弥补收支差额等项目（给 ``info``）。

    为何重要
    这是把收入一方和支出一方连起来的唯一恒等式；它不成立，就说明有钱在两者之间凭空出现或消失。

    示例
    ``本年收入合计510.00万元，年初结转和结余12.40万元，本年支出合计513.50万元，年末结转和结余
    9.90万元`` —— 12.40 + 510.00 − 513.50 = 8.90万元，而不是9.90万元。
    """
    r, e = ctx.report.revenue.total, ctx.report.expenditure.total
    s, end = ctx.report.carryover.start, ctx.report.carryover.end
    named = {
        "report.carryover.start": s,
        "report.revenue.total": r,
        "report.expenditure.total": e,
        "report.carryover.end": end,
    }
    if None in named.values():
        # Only worth saying when a carry-over is stated: without one there is nothing to balance.
        if s is not None or end is not None:
            yield _balance_unchecked(ctx, named)
        return
    said_start = total_holds_carry(ctx.report, "revenue")
    said_end = total_holds_carry(ctx.report, "expenditure")
    incl_start, incl_end = said_start is True, said_end is True
    # The form the totals' labels (and breakdowns) name; a label that says neither (收入合计,
    # 收入共计) may hold its carry-over or not ("收入共计458.20万元（上年结转12.30万元，本年收入
    # 445.90万元）"). Two totals that both hold their carry-overs are equal in a 决算; when they
    # differ the report wrote 总计 for the year's own figures and the plain form applies.
    forms = {
        (s_, e_)
        for s_ in ({True, False} if said_start is None else {incl_start})
        for e_ in ({True, False} if said_end is None else {incl_end})
    }
    if incl_start and incl_end:
        forms.add((False, False))
    for with_start, with_end in forms:
        left = of_figure(r) if with_start else of_figure(s) + of_figure(r)
        right = of_figure(e) if with_end else of_figure(e) + of_figure(end)
        if left.meets(right):
            # grand totals that hold their carry-overs balance whatever the carry-overs are: the
            # year's own totals, when the report states them (本年收入合计, 本年支出合计), must too
            yield from _year_balance(ctx, s, end)
            return
    # the closing balance the other three figures imply
    implied = (r.value if incl_start else s.value + r.value) - (e.value - end.value if incl_end else e.value)
    yield _imbalance(ctx, s, r, e, end, implied)


def _balance_unchecked(ctx: RuleContext, named: dict):
    """The carry-over balance cannot be checked: the figures of the four it lacks."""
    missing = _("、").join(field_name(k) for k, v in named.items() if v is None)
    present = {k: v for k, v in named.items() if v is not None}
    message = _("结转结余平衡无法核对：缺少{missing}。").format(missing=missing)
    return ctx.not_checkable(message, fields=list(present), spans=[v.span for v in present.values()])


def _year_balance(ctx: RuleContext, s: Money, end: Money):
    """年初结转和结余 + 本年收入合计 − 本年支出合计 = 年末结转和结余, with the year's own totals."""
    r, e = year_total(ctx.report, "revenue.total"), year_total(ctx.report, "expenditure.total")
    if r is None or e is None or (of_figure(s) + of_figure(r)).meets(of_figure(e) + of_figure(end)):
        return
    if WITH_OTHER_ITEMS in r.qualifiers or WITH_OTHER_ITEMS in e.qualifiers:
        # 结余分配, 用事业基金弥补收支差额 …: the grand totals hold them, the year's totals do not
        yield ctx.not_checkable(
            _("本年收入合计与本年支出合计之外另有结余分配等项目，未按本年数核对结转结余平衡。"),
            fields=["report.carryover.start", "report.carryover.end"],
            spans=[s.span, r.span, e.span, end.span],
        )
        return
    yield _imbalance(ctx, s, r, e, end, s.value + r.value - e.value, of_year=True)


def _imbalance(ctx: RuleContext, s: Money, r: Money, e: Money, end: Money, implied, of_year: bool = False):
    named = {
        "report.carryover.start": s,
        "report.revenue.total": r,
        "report.expenditure.total": e,
        "report.carryover.end": end,
    }
    figures = [end, s, r, e]
    expected, found = show_like(implied, figures), show_like(end.value, figures)
    revenue_name, spent_name = (
        (_("本年收入合计"), _("本年支出合计"))
        if of_year
        else (field_name("revenue.total"), field_name("expenditure.total"))
    )
    return ctx.finding(
        _(
            "{start_name}{start}、{revenue_name}{revenue}、{spent_name}{spent}推得{end_name}应为{expected}，"
            "报告为{found}。"
        ).format(
            start_name=field_name("carryover.start"),
            start=show_like(s.value, figures),
            revenue_name=revenue_name,
            revenue=show_like(r.value, figures),
            spent_name=spent_name,
            spent=show_like(e.value, figures),
            end_name=field_name("carryover.end"),
            expected=expected,
            found=found,
        ),
        fields=list(named),
        spans=[s.span, r.span, e.span, end.span],
        expected=expected,
        found=found,
    )


@rule(code="SUM005", name="budget-sources-sum", severity="error")
def budget_sources_sum(ctx: RuleContext):
    """预算的各资金来源之和等于预算，逐列核对。

    检查内容
    对年初预算数、全年预算数和全年执行数，``budget.sources`` 中写明该数字的行（两行以上）之和在舍入
    范围内等于预算本身的数字：超过时为错误；每一行都写明且合计不足时也是错误。有行未写该数字的，
    可能只列了一部分，不足时不核对。

    为何重要
    资金来源是按钱从哪里来拆开的预算；各来源凑不成预算，说明漏了一个来源或某个数字录错了——而按
    总数打分的预算执行率也以它为依据。

    示例
    ``项目资金总预算为318.4万元，其中部门预算项目支出20.5万元，专项预算支出290万元`` —— 合计310.5万元。
    """
    b = ctx.report.budget
    for key in ("total", "adjusted", "spent"):
        whole, name = getattr(b, key), field_name(f"budget.{key}")
        stated = [r for r in b.sources if getattr(r, key) is not None]
        if whole is None or len(stated) < 2:
            continue
        parts = Interval.total(of_figure(getattr(r, key)) for r in stated)
        w = of_figure(whole)
        if parts.meets(w) or (parts.hi < w.lo and len(stated) < len(b.sources)):
            continue
        figures = [whole, *(getattr(r, key) for r in stated)]
        found, expected = (
            show_like(sum(getattr(r, key).value for r in stated), figures),
            show_like(whole.value, figures),
        )
        yield ctx.finding(
            _("{field}各来源之和为{sum}，与{field}{total}不符。").format(field=name, sum=found, total=expected),
            fields=[f"report.budget.{key}"]
            + [f"report.budget.sources[{i}].{key}" for i, r in enumerate(b.sources) if getattr(r, key)],
            spans=[whole.span, *(getattr(r, key).span for r in stated)],
            expected=expected,
            found=found,
        )

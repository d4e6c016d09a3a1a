"""Headcount rules: the people counts add up, and staff on the establishment fit within it."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from ..model import Count, Part
from .registry import Context, rule

# Categories of in-service staff who are not on the unit's establishment (编制): seconded,
# borrowed, temporary and contract staff. A name counts as on the establishment whenever it
# says so (在编, 编内, 编制内), whatever else it says.
DEFAULT_OFF_ESTABLISHMENT = ("挂职", "借调", "借用", "临聘", "临时", "编外", "聘用", "外聘", "劳务派遣",
                             "派遣", "合同制", "公益性岗位", "公益岗", "返聘", "见习", "协管", "购买服务")
DEFAULT_ON_ESTABLISHMENT = ("在编", "编内", "编制内")


def is_off_establishment(name: str, off=DEFAULT_OFF_ESTABLISHMENT, on=DEFAULT_ON_ESTABLISHMENT) -> bool:
    return not any(w in name for w in on) and any(w in name for w in off)


@rule(code="HC001", name="headcount-actual-sum", severity="error")
def headcount_actual_sum(ctx: Context):
    """The actual headcount equals in-service plus retired staff.

    What it checks
    ``headcount.actual`` (实有人数) equals ``in_service`` + ``retired``. Many reports use
    实有人数 for the in-service staff alone and give the retired separately, so
    actual = in-service is accepted too. With no retired count, actual must be at least the
    in-service count. When the counts stand side by side (not 实有人数…，其中在职…) an actual count
    between in-service and in-service plus retired cannot be checked (info): it may count staff
    off the establishment (编外, 借调) that 在职人员 leaves out.

    Why it matters
    Headcount drives the basic-expenditure budget (salaries, pensions); counts that do not add
    up make the per-person figures and the 超编 check meaningless.

    Example
    ``年末实有人数8人，其中在职人员4人，退休人员3人`` — 4 + 3 = 7, not 8.
    """
    hc = ctx.report.headcount
    actual, in_service, retired = hc.actual, hc.in_service, hc.retired
    if actual is None or in_service is None:
        stated = [c for c in (actual, in_service, retired) if c is not None]
        if actual is not None and retired is not None:
            yield ctx.not_checkable("实有人数无法核对：未找到在职人员数。",
                                    fields=["report.headcount.actual", "report.headcount.retired"],
                                    spans=[c.span for c in stated])
        return
    fields = ["report.headcount.actual", "report.headcount.in_service"]
    spans = [actual.span, in_service.span]
    if retired is not None:
        fields.append("report.headcount.retired")
        spans.append(retired.span)
        total = in_service.value + retired.value
        if actual.value in (total, in_service.value):
            return
        if in_service.value < actual.value < total and not _listed_as_parts(ctx, actual, in_service):
            # counts stated side by side (a form's 编制数 | 实有人数 | 在职人员 | 退休人员): 实有人数
            # may count staff off the establishment (编外, 借调) that 在职人员 leaves out
            yield ctx.not_checkable(
                f"实有人数{actual.value}人多于在职{in_service.value}人、少于在职加退休{total}人，"
                "未写明构成，无法核对。", fields=fields, spans=spans)
            return
        yield ctx.finding(
            f"实有人数{actual.value}人，但在职{in_service.value}人加退休{retired.value}人为{total}人。",
            fields=fields, spans=spans, expected=str(total), found=str(actual.value))
    elif actual.value < in_service.value:
        yield ctx.finding(
            f"实有人数{actual.value}人少于在职人员{in_service.value}人。",
            fields=fields, spans=spans, expected=f">={in_service.value}", found=str(actual.value))


def _listed_as_parts(ctx: Context, actual: Count, part: Count) -> bool:
    """Whether the in-service count is stated as a part of the actual one ("实有人数8人，其中在职
    人员4人…", "实有18人（在职13人…）"); without the text, assumed so."""
    if ctx.document is None:
        return True
    between = ctx.document.text[actual.span[1] : part.span[0]]
    return part.span[0] >= actual.span[1] and "。" not in between and "\n" not in between and (
        "其中" in between or "(" in between or "（" in between)


def _check_breakdown(ctx: Context, total: Count | None, parts: list[Part], path: str, what: str):
    if not parts:
        return
    fields = [f"report.headcount.{path}_breakdown", f"report.headcount.{path}"]
    spans = [p.count.span for p in parts]
    if total is None:
        yield ctx.not_checkable(f"{what}有分项但未找到总数，无法核对分项之和。",
                                fields=fields[:1], spans=spans)
        return
    found = sum(p.count.value for p in parts)
    if found == total.value:
        return
    names = "、".join(f"{p.name}{p.count.value}人" for p in parts)
    # A lone category after 其中 may name just one kind (编制5人，其中行政编制3人): short of
    # the total it is not a contradiction; two or more categories are read as the whole.
    if found < total.value and len(parts) == 1:
        yield ctx.not_checkable(f"{what}{total.value}人只列出{names}，看来是部分列举，未核对分项之和。",
                                fields=fields, spans=[total.span, *spans])
        return
    yield ctx.finding(
        f"{what}{total.value}人，但分项（{names}）合计{found}人。",
        fields=fields, spans=[total.span, *spans], expected=str(total.value), found=str(found))


@rule(code="HC002", name="headcount-breakdown-sum", severity="error")
def headcount_breakdown_sum(ctx: Context):
    """Each headcount breakdown adds up to its total.

    What it checks
    The categories of ``authorized_breakdown`` (行政编制, 事业编制 …) add up to ``authorized``,
    and those of ``in_service_breakdown`` (行政编, 事业编, 挂职 …) to ``in_service``. A breakdown
    that exceeds its total is always an error; one that falls short is an error when it has
    two or more categories (a single category after 其中 may name only one kind: ``info``).

    Why it matters
    The breakdown is what says how many of the staff are on the establishment; if it does not
    add up, the 超编 check and the per-category costs cannot be trusted.

    Example
    ``在职人员4人（3个行政编、2个挂职人员）`` — the categories give 5, not 4.
    """
    hc = ctx.report.headcount
    yield from _check_breakdown(ctx, hc.authorized, hc.authorized_breakdown, "authorized", "编制人数")
    yield from _check_breakdown(ctx, hc.in_service, hc.in_service_breakdown, "in_service", "在职人员")


@rule(code="HC003", name="over-establishment", severity="warning")
def over_establishment(ctx: Context):
    """Staff on the establishment exceed the authorised establishment (超编).

    What it checks
    The in-service staff who are on the establishment — ``in_service`` less the categories of
    ``in_service_breakdown`` that are not (挂职, 借调, 临聘, 编外, 聘用 …) — must not exceed
    ``authorized``. The warning gives the ratio of staff on the establishment to the posts.

    Why it matters
    Staffing above the establishment is itself an audit finding (人员编制管理), and salaries of
    staff outside the establishment should not come from the basic-expenditure budget.

    Example
    ``编制人数3人 … 在职人员5人（4个行政编、1个挂职人员）`` — 4 on the establishment
    against 3 posts (133%). ``在职人员4人（3个行政编、1个挂职人员）`` is no finding: the
    seconded member is not on the establishment.
    """
    hc = ctx.report.headcount
    if hc.authorized is None or hc.in_service is None:
        if hc.authorized is not None and hc.actual is not None:
            yield ctx.not_checkable("是否超编无法核对：未找到在职人员数。",
                                    fields=["report.headcount.authorized"], spans=[hc.authorized.span])
        return
    off = [p for p in hc.in_service_breakdown if is_off_establishment(p.name)]
    on_establishment = hc.in_service.value - sum(p.count.value for p in off)
    if on_establishment <= hc.authorized.value:
        return
    ratio = "∞" if hc.authorized.value == 0 else (
        f"{(Decimal(on_establishment) * 100 / hc.authorized.value).quantize(Decimal(1), ROUND_HALF_UP)}%")
    excluded = f"（已除去{'、'.join(p.name for p in off)}）" if off else ""
    yield ctx.finding(
        f"在编在职人员{on_establishment}人{excluded}超过编制人数{hc.authorized.value}人，为编制的{ratio}（超编）。",
        fields=["report.headcount.in_service", "report.headcount.authorized",
                *(["report.headcount.in_service_breakdown"] if off else [])],
        spans=[hc.in_service.span, hc.authorized.span, *(p.count.span for p in off)],
        expected=f"<={hc.authorized.value}", found=str(on_establishment))

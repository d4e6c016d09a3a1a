"""Headcount rules: the people counts add up, and staff on the establishment fit within it."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from ..display import field_name
from ..i18n import _
from ..model import Count, Part
from .registry import RuleContext, rule

# Categories of in-service staff who are not on the unit's establishment (编制): seconded,
# borrowed, temporary and contract staff. A name counts as on the establishment whenever it
# says so (在编, 编内, 编制内), whatever else it says.
DEFAULT_OFF_ESTABLISHMENT = (
    "挂职",
    "借调",
    "借用",
    "临聘",
    "临时",
    "编外",
    "聘用",
    "外聘",
    "劳务派遣",
    "派遣",
    "合同制",
    "公益性岗位",
    "公益岗",
    "返聘",
    "见习",
    "协管",
    "购买服务",
)
DEFAULT_ON_ESTABLISHMENT = ("在编", "编内", "编制内")


def is_off_establishment(name: str, off=DEFAULT_OFF_ESTABLISHMENT, on=DEFAULT_ON_ESTABLISHMENT) -> bool:
    return not any(w in name for w in on) and any(w in name for w in off)


# qualifiers the extractor gives a count listed after another ("实有人数8人，其中在职人员4人…",
# "实有18人（在职13人…）"): a part of it, not a count side by side
LISTED = frozenset({"part", "in_list", "in_brackets"})


def listed_as_part(whole: Count, part: Count) -> bool:
    """Whether ``part`` is stated as a part of ``whole``, as the record says (its qualifiers)."""
    return bool(LISTED.intersection(part.qualifiers)) and part.span[0] >= whole.span[1]


def on_establishment_only(count: Count) -> bool:
    """Whether a count's label names the staff on the establishment only (在编人员, 在职在编):
    the unit's 实有 may count 编外, 借调 and 聘用 staff besides."""
    return bool(count.label) and any(w in count.label for w in DEFAULT_ON_ESTABLISHMENT)


def other_categories(hc, counted: list[Count]) -> list[Part]:
    """Categories listed with the actual count besides the ones summed (离休, 遗属, 编外 …).

    Read from ``headcount.actual_breakdown`` (every category listed right after 实有人数); a record
    without it lists none."""
    spans = {c.span for c in counted}
    return [p for p in getattr(hc, "actual_breakdown", None) or () if p.count.span not in spans]


def _people(parts: list[Part]) -> str:
    return _("、").join(_("{name}{n}人").format(name=p.name, n=p.count.value) for p in parts)


@rule(code="HC001", name="headcount-actual-sum", severity="error")
def headcount_actual_sum(ctx: RuleContext):
    """实有人数等于所列各类人员之和（在职、退休、离休、遗属……）。

    检查内容
    ``headcount.actual``（实有人数）等于紧随其后列出的各类人员（``actual_breakdown``：在职、退休、
    离休、遗属、编外……）之和；未列出时等于 ``in_service`` + ``retired``。不少报告的实有人数只算在职
    人员、退休人员另列，所以实有 = 在职也算一致。没有退休人数时，实有人数不得少于在职人数。所列各类
    之和超过实有人数一律为错误；不足时，所列类别含在职和退休人数本身才是错误，在职人数的标签只算在编
    人员（在编人员、在职在编）或类别未与实有人数一同列出时无法核对（``info``，说明原因）；数字并列而非
    列作实有人数的组成（表头“编制数 | 实有人数 | 在职人员 | 退休人员 | 离休人员”）、实有人数多于在职人数
    而不等于在职加退休的，也无法核对（实有人数可能另含离休、遗属、编外人员）。

    为何重要
    人数决定基本支出预算（工资、养老金）；人数对不上，人均数和超编核对都失去意义。

    示例
    ``年末实有人数8人，其中在职人员4人，退休人员3人`` —— 4 + 3 = 7，不是8。
    ``实有人数20人，其中在职15人、退休3人、离休1人、遗属1人`` —— 各类合计20人，一致。
    """
    hc = ctx.report.headcount
    actual, in_service, retired = hc.actual, hc.in_service, hc.retired
    names = {k: field_name(f"headcount.{k}") for k in ("actual", "in_service", "retired")}
    decided = _by_categories(ctx, hc)
    if decided is not None:
        yield from decided
        return
    if actual is None or in_service is None:
        stated = [c for c in (actual, in_service, retired) if c is not None]
        if actual is not None and retired is not None:
            yield ctx.not_checkable(
                _("{actual}无法核对：未找到{in_service}。").format(**names),
                fields=["report.headcount.actual", "report.headcount.retired"],
                spans=[c.span for c in stated],
            )
        return
    counted = [in_service] + ([retired] if retired is not None else [])
    fields = ["report.headcount.actual", "report.headcount.in_service"] + (
        ["report.headcount.retired"] if retired is not None else []
    )
    spans = [actual.span, *(c.span for c in counted)]
    total = sum(c.value for c in counted)
    if actual.value == total or (retired is not None and actual.value == in_service.value):
        return
    if retired is None:
        if actual.value < in_service.value:
            yield ctx.finding(
                _("{actual}{a}人少于{in_service}{i}人。").format(a=actual.value, i=in_service.value, **names),
                fields=fields,
                spans=spans,
                expected=f">={in_service.value}",
                found=str(actual.value),
            )
        return
    yield from _in_service_and_retired(ctx, hc, counted, fields, spans, names)


def _in_service_and_retired(ctx: RuleContext, hc, counted: list[Count], fields: list[str], spans: list, names: dict):
    """HC001 when the actual, in-service and retired counts are all stated and do not simply add up."""
    actual, in_service, retired = hc.actual, hc.in_service, hc.retired
    total = sum(c.value for c in counted)
    others = other_categories(hc, counted)
    if actual.value > total and (others or on_establishment_only(in_service)):
        if others and actual.value == total + sum(p.count.value for p in others):
            return
        n = total + sum(p.count.value for p in others)
        why = (
            _("{in_service}按“{label}”计，不含编外、借调等人员").format(label=in_service.label, **names)
            if on_establishment_only(in_service)
            else _("与之一同列出的还有{others}").format(others=_people(others))
        )
        yield ctx.not_checkable(
            _("{actual}{a}人多于所列{n}人，{why}，无法核对。").format(a=actual.value, n=n, why=why, **names),
            fields=fields,
            spans=[*spans, *(p.count.span for p in others)],
        )
        return
    if in_service.value < actual.value and actual.value != total and not listed_as_part(actual, in_service):
        # counts stated side by side (a form's 编制数 | 实有人数 | 在职人员 | 退休人员 | 离休人员 | 遗属):
        # 实有人数 may count staff off the establishment (编外, 借调) that 在职人员 leaves out, and
        # categories beside the retired (离休, 遗属) that the record does not hold
        message = (
            _("{actual}{a}人多于{in_service}{i}人、少于{in_service}加{retired}的{t}人，未写明构成，无法核对。")
            if actual.value < total
            else _(
                "{actual}{a}人多于{in_service}加{retired}的{t}人，未写明构成（或另有离休、遗属、编外人员），无法核对。"
            )
        )
        yield ctx.not_checkable(
            message.format(a=actual.value, i=in_service.value, t=total, **names), fields=fields, spans=spans
        )
        return
    yield ctx.finding(
        _("{actual}{a}人，但{in_service}{i}人加{retired}{r}人为{t}人。").format(
            a=actual.value, i=in_service.value, r=retired.value, t=total, **names
        ),
        fields=fields,
        spans=spans,
        expected=str(total),
        found=str(actual.value),
    )


def _by_categories(ctx: RuleContext, hc) -> list | None:
    """HC001's findings read off the categories listed with the actual count, or ``None`` when the
    list does not decide it (no list, or one that falls short and does not hold every count summed)."""
    actual, parts = hc.actual, hc.actual_breakdown
    if actual is None or not parts:
        return None
    summed = [c for c in (hc.in_service, hc.retired) if c is not None]
    if hc.in_service is not None and not other_categories(hc, summed):
        return None  # in service and retired alone: read as such
    listed = sum(p.count.value for p in parts)
    if listed == actual.value:
        return []
    if listed > actual.value:
        return [_short_of_categories(ctx, actual, parts)]
    if hc.in_service is None:
        return [
            ctx.not_checkable(
                _("{actual}{a}人多于所列各类（{parts}）合计{n}人，未找到{in_service}，无法核对。").format(
                    actual=field_name("headcount.actual"),
                    in_service=field_name("headcount.in_service"),
                    a=actual.value,
                    parts=_people(parts),
                    n=listed,
                ),
                fields=["report.headcount.actual", "report.headcount.actual_breakdown"],
                spans=[actual.span, *(p.count.span for p in parts)],
            )
        ]
    held = {p.count.span for p in parts}
    if hc.retired is not None and all(c.span in held for c in summed) and not on_establishment_only(hc.in_service):
        # the list holds the in-service and retired counts and more categories, and still falls short
        return [_short_of_categories(ctx, actual, parts)]
    return None


def _short_of_categories(ctx: RuleContext, actual: Count, parts: list[Part]):
    """The error of an actual count that its listed categories do not make."""
    found = sum(p.count.value for p in parts)
    return ctx.finding(
        _("{actual}{a}人，但所列各类（{parts}）合计{sum}人。").format(
            actual=field_name("headcount.actual"), a=actual.value, parts=_people(parts), sum=found
        ),
        fields=["report.headcount.actual", "report.headcount.actual_breakdown"],
        spans=[actual.span, *(p.count.span for p in parts)],
        expected=str(found),
        found=str(actual.value),
    )


def _check_breakdown(ctx: RuleContext, total: Count | None, parts: list[Part], path: str):
    if not parts:
        return
    what = field_name(f"headcount.{path}")
    fields = [f"report.headcount.{path}_breakdown", f"report.headcount.{path}"]
    spans = [p.count.span for p in parts]
    if total is None:
        yield ctx.not_checkable(
            _("{what}有分项但未找到总数，无法核对分项之和。").format(what=what), fields=fields[:1], spans=spans
        )
        return
    found = sum(p.count.value for p in parts)
    if found == total.value:
        return
    names = _people(parts)
    # A lone category after 其中 may name just one kind (编制5人，其中行政编制3人): short of
    # the total it is not a contradiction; two or more categories are read as the whole.
    if found < total.value and len(parts) == 1:
        yield ctx.not_checkable(
            _("{what}{n}人只列出{parts}，看来是部分列举，未核对分项之和。").format(
                what=what, n=total.value, parts=names
            ),
            fields=fields,
            spans=[total.span, *spans],
        )
        return
    yield ctx.finding(
        _("{what}{n}人，但分项（{parts}）合计{sum}人。").format(what=what, n=total.value, parts=names, sum=found),
        fields=fields,
        spans=[total.span, *spans],
        expected=str(total.value),
        found=str(found),
    )


@rule(code="HC002", name="headcount-breakdown-sum", severity="error")
def headcount_breakdown_sum(ctx: RuleContext):
    """各项人员构成之和等于其总数。

    检查内容
    ``authorized_breakdown`` 各类（行政编制、事业编制……）之和等于 ``authorized``，
    ``in_service_breakdown`` 各类（行政编、事业编、挂职……）之和等于 ``in_service``。分项之和超过
    总数一律为错误；不足总数时，两类以上为错误，只列一类（“其中”可能只举一种）给 ``info``。

    为何重要
    构成说明了有多少人在编；构成对不上，超编核对和按类别的费用都不可信。

    示例
    ``在职人员4人（3个行政编、2个挂职人员）`` —— 各类合计5人，不是4人。
    """
    hc = ctx.report.headcount
    yield from _check_breakdown(ctx, hc.authorized, hc.authorized_breakdown, "authorized")
    yield from _check_breakdown(ctx, hc.in_service, hc.in_service_breakdown, "in_service")


@rule(code="HC003", name="over-establishment", severity="warning")
def over_establishment(ctx: RuleContext):
    """在编人员超过核定编制（超编）。

    检查内容
    在编的在职人员——``in_service`` 减去 ``in_service_breakdown`` 中不占编制的类别（挂职、借调、
    临聘、编外、聘用……）——不得超过 ``authorized``。警告给出在编人数占编制的比例。

    为何重要
    超编本身就是审计发现（人员编制管理），编制外人员的工资也不应由基本支出预算列支。

    示例
    ``编制人数3人……在职人员5人（4个行政编、1个挂职人员）`` —— 4人在编，编制3个（133%）。
    ``在职人员4人（3个行政编、1个挂职人员）`` 不构成发现：挂职人员不占编制。
    """
    hc = ctx.report.headcount
    if hc.authorized is None or hc.in_service is None:
        if hc.authorized is not None and hc.actual is not None:
            yield ctx.not_checkable(
                _("是否超编无法核对：未找到{in_service}。").format(in_service=field_name("headcount.in_service")),
                fields=["report.headcount.authorized"],
                spans=[hc.authorized.span],
            )
        return
    off = [p for p in hc.in_service_breakdown if is_off_establishment(p.name)]
    on_establishment = hc.in_service.value - sum(p.count.value for p in off)
    if on_establishment <= hc.authorized.value:
        return
    ratio = (
        "∞"
        if hc.authorized.value == 0
        else (f"{(Decimal(on_establishment) * 100 / hc.authorized.value).quantize(Decimal(1), ROUND_HALF_UP)}%")
    )
    excluded = _("（已除去{names}）").format(names=_("、").join(p.name for p in off)) if off else ""
    yield ctx.finding(
        _("在编在职人员{n}人{excluded}超过{authorized}{a}人，为编制的{ratio}（超编）。").format(
            n=on_establishment,
            excluded=excluded,
            authorized=field_name("headcount.authorized"),
            a=hc.authorized.value,
            ratio=ratio,
        ),
        fields=[
            "report.headcount.in_service",
            "report.headcount.authorized",
            *(["report.headcount.in_service_breakdown"] if off else []),
        ],
        spans=[hc.in_service.span, hc.authorized.span, *(p.count.span for p in off)],
        expected=f"<={hc.authorized.value}",
        found=str(on_establishment),
    )

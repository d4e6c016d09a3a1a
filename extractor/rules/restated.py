"""The restated-figure rule: one quantity written in two places must agree within rounding."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from ..display import field_name
from ..i18n import _
from ..model import Count, Grounded, Item, Money, Number, Part, Report
from .common import show_like, show_number
from .grade import normalize_grade
from .interval import Interval, of_figure, of_points
from .registry import RuleContext, rule

POINT_FIELDS = ("total_score", "max_score")
# qualifiers that say a figure is a part or another subject's: a figure that has one of them and
# one that has not are two quantities, not one written twice
DISTINGUISHING = frozenset(
    {
        "part",
        "in_list",
        "in_brackets",
        "scope",
        "scope_heading",
        "scope_list",
        "subordinate",
        "project",
        "project_heading",
        "project_item",
    }
)


# what may follow a label before its figure (评价等级为 / 评价等级：): not part of what it names
_CONNECTORS = "为是:：| "


def same_label(a: Grounded, b: Grounded) -> bool:
    """Two candidates were named by the same words (评价等级为 and 评价等级： are one label), or one
    was read without a label (a table's cell under its header). Two labels of one field may still
    name two things: 收入总计 (with the carry-over) and 收入合计 (the year's), 评为 (a project, a
    survey, whatever comes before) and 自评等级."""
    if not a.label or not b.label:
        return True
    return a.label.rstrip(_CONNECTORS) == b.label.rstrip(_CONNECTORS)


def same_quantity(a: Grounded, b: Grounded) -> bool:
    """Two candidates name the same quantity: the same label, and neither qualified as a part, a
    subset or another subject's where the other is not (a count after 其中/包括 is a part, not a
    restatement)."""
    return same_label(a, b) and DISTINGUISHING.intersection(a.qualifiers) == DISTINGUISHING.intersection(b.qualifiers)


def resolve(report: Report, path: str) -> tuple[str, Grounded | None]:
    """The field path in the report and the value it holds for a candidate key.

    Keys are dotted attribute paths (``revenue.total``); a breakdown's item is named by its
    category (``expenditure.by_type.基本支出`` -> ``expenditure.by_type[0].amount``).
    """
    node: object = report
    out: list[str] = []
    for part in path.split("."):
        if isinstance(node, list):
            i = next((k for k, it in enumerate(node) if getattr(it, "name", None) == part), None)
            if i is None:
                return "report." + path, None
            out[-1] += f"[{i}]"
            node = node[i]
            leaf = "amount" if isinstance(node, Item) else "count" if isinstance(node, Part) else None
            if leaf:
                out.append(leaf)
                node = getattr(node, leaf)
            continue
        node = getattr(node, part, None)
        out.append(part)
        if node is None:
            return "report." + path, None
    return "report." + ".".join(out), node if isinstance(node, Grounded) else None


def _interval(g: Grounded, other: Grounded, points: bool) -> Interval | None:
    if points and isinstance(g, Number) and not isinstance(g, Money):
        # the coarser of two writings of a score may be the rounding of the finer one
        return of_points(g, rounded=isinstance(other, Number) and g.decimals < other.decimals)
    if isinstance(g, (Money, Number, Count)):
        return of_figure(g)
    try:
        return Interval.exact(Decimal(str(g.value)))
    except (InvalidOperation, ValueError):
        return None


def agree(a: Grounded, b: Grounded, points: bool = False) -> bool:
    ia, ib = _interval(a, b, points), _interval(b, a, points)
    if ia is not None and ib is not None:
        return ia.meets(ib)
    sa, sb = (normalize_grade(str(g.value)) for g in (a, b))
    return sa == sb


def show(g: Grounded) -> str:
    if isinstance(g, Money):
        return show_like(g.value, [g])
    if isinstance(g, Number):
        return show_number(g)
    return str(g.value)


@rule(code="RST001", name="restated-figure-differs", severity="error")
def restated_figure_differs(ctx: RuleContext):
    """同一数字写在两处，两处的值在舍入范围内相同。

    检查内容
    提取器对可重复陈述的字段，把见到的每个候选值（正文与表格、摘要与分节、标题与正文）都记在
    ``report.candidates`` 中。与记录所取值指同一个量的每个候选值——标签相同（“评价等级为”与“评价
    等级：”算同一标签，表格中无标签的单元格与任何标签相容），限定语相同（不是“其中/包括”之后列出的
    组成部分、子集或另一主体的数字）——须与之一致：区间相交（金额和百分比按书写精度；``145.16万元``
    与 ``1451600元`` 一致），等级之类的词须为同一等级。标签不同的两个数字（收入总计与收入合计，
    “评为”与“自评等级”）可能说的是两件事，不比较。

    为何重要
    一处更新了而另一处没更新，其中必有一处是错的，而提取器取了哪一处纯属偶然；审计人员必须看到两处。

    示例
    正文 ``收入总计145.16万元``，表格 ``收入总计 | 146.16``（单位：万元）。
    """
    for key, cands in sorted(ctx.report.candidates.items()):
        field, chosen = resolve(ctx.report, key)
        seen: set[tuple[int, int]] = set()
        uniq = [c for c in cands if not (c.span in seen or seen.add(c.span))]
        ref = chosen if chosen is not None else (uniq[0] if uniq else None)
        if ref is None:
            continue
        points = key in POINT_FIELDS
        name = field_name(key)
        for c in uniq:
            if c.span == ref.span or not same_quantity(ref, c) or agree(ref, c, points):
                continue
            yield ctx.finding(
                _("{field}在两处写法不一致：一处为{one}，另一处为{other}。").format(
                    field=name, one=show(ref), other=show(c)
                ),
                fields=[field],
                spans=[ref.span, c.span],
                expected=show(ref),
                found=show(c),
            )


@rule(code="RST002", name="field-left-empty-by-disagreement", severity="info")
def field_left_empty_by_disagreement(ctx: RuleContext):
    """因候选值不一致而留空的字段，予以报告。

    检查内容
    一个字段的最佳候选值超出舍入范围地不一致、文中又没有什么能在其间取舍时，提取器一个都不取
    （错的值比缺的值更糟）。本规则说明哪个字段因此留空，并引出每个候选值。

    为何重要
    留空的字段看上去像报告从未写过的数字；审计人员必须知道它写过，而且两处写得不同（矛盾本身由
    RST001 给出）。

    示例
    一段写 ``收入总计145.16万元``，另一段写 ``收入总计146.16万元``，写法相同：``revenue.total`` 为空，
    本发现引出两处。
    """
    for key, cands in sorted(ctx.report.candidates.items()):
        field, chosen = resolve(ctx.report, key)
        if chosen is not None or len(cands) < 2:
            continue
        points = key in POINT_FIELDS
        if all(agree(cands[0], c, points) for c in cands[1:]):
            continue
        shown = _("、").join(show(c) for c in cands)
        yield ctx.finding(
            _("{field}有{n}处取值不一致（{values}），无从判断，未取值。").format(
                field=field_name(key), n=len(cands), values=shown
            ),
            fields=[field],
            spans=[c.span for c in cands],
            found=shown,
        )

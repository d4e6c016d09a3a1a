"""The restated-figure rule: one quantity written in two places must agree within rounding."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from ..model import Count, Grounded, Item, Money, Number, Part, Report
from .common import show_like, show_number
from .grade import normalize_grade
from .interval import Interval, of_figure, of_points
from .registry import Context, rule

# Chinese names of the restatable fields, for messages; a path not listed is shown as is.
FIELD_NAMES = {
    "revenue.total": "收入总计", "expenditure.total": "支出总额", "carryover.start": "年初结转和结余",
    "carryover.end": "年末结转和结余", "budget.total": "预算数", "budget.adjusted": "调整后预算数",
    "budget.spent": "执行数", "budget.execution_rate": "预算执行率", "total_score": "总分",
    "max_score": "满分", "grade": "等级", "headcount.authorized": "编制人数", "headcount.actual": "实有人数",
    "headcount.in_service": "在职人员", "headcount.retired": "退休人员", "fiscal_year": "年度",
}
POINT_FIELDS = ("total_score", "max_score")
# qualifiers that say a figure is a part or another subject's: a figure that has one of them and
# one that has not are two quantities, not one written twice
DISTINGUISHING = frozenset({"part", "in_list", "in_brackets", "scope", "scope_heading", "subordinate", "project",
                            "project_item"})


def same_quantity(a: Grounded, b: Grounded) -> bool:
    """Two candidates name the same quantity: neither is qualified as a part, a subset or another
    subject's where the other is not (a count after 其中/包括 is a part, not a restatement)."""
    return DISTINGUISHING.intersection(a.qualifiers) == DISTINGUISHING.intersection(b.qualifiers)


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
def restated_figure_differs(ctx: Context):
    """A figure stated in two places has the same value in both, within rounding.

    What it checks
    The extractor keeps every candidate it saw for a restatable field (the narrative and a
    table, the summary and its section, the heading and the body) in ``report.candidates``.
    Each candidate that names the same quantity as the value the record kept (the same
    qualifiers: not a part listed after 其中/包括, a subset or another subject's where the kept
    value is not) must agree with it: their intervals meet (money and percentages at their
    written precision; ``145.16万元`` and ``1451600元`` agree), or, for words such as the grade,
    they are the same word.

    Why it matters
    When a figure is updated in one place and not the other, one of them is wrong, and which
    one the extractor kept is an accident; the auditor must see both places.

    Example
    ``收入总计145.16万元`` in the text and ``收入总计 | 146.16`` in the table (单位：万元).
    """
    for key, cands in sorted(ctx.report.candidates.items()):
        field, chosen = resolve(ctx.report, key)
        seen: set[tuple[int, int]] = set()
        uniq = [c for c in cands if not (c.span in seen or seen.add(c.span))]
        ref = chosen if chosen is not None else (uniq[0] if uniq else None)
        if ref is None:
            continue
        points = key in POINT_FIELDS
        name = FIELD_NAMES.get(key, key)
        for c in uniq:
            if c.span == ref.span or not same_quantity(ref, c) or agree(ref, c, points):
                continue
            yield ctx.finding(
                f"{name}在两处写法不一致：一处为{show(ref)}，另一处为{show(c)}。",
                fields=[field], spans=[ref.span, c.span], expected=show(ref), found=show(c))


@rule(code="RST002", name="field-left-empty-by-disagreement", severity="info")
def field_left_empty_by_disagreement(ctx: Context):
    """A field the extractor left empty because its candidates disagree is reported.

    What it checks
    When the best candidates for a field disagree beyond rounding and nothing in the text
    decides between them, the extractor keeps neither (a wrong value is worse than a missing
    one). This rule says which field was left empty and quotes every candidate.

    Why it matters
    An empty field otherwise looks like a figure the report never stated; the auditor must
    know that it was stated, twice, differently (RST001 gives the contradiction itself).

    Example
    ``收入总计145.16万元`` in one paragraph and ``收入总计146.16万元`` in another, both written
    the same way: ``revenue.total`` is null and this finding quotes both.
    """
    for key, cands in sorted(ctx.report.candidates.items()):
        field, chosen = resolve(ctx.report, key)
        if chosen is not None or len(cands) < 2:
            continue
        points = key in POINT_FIELDS
        if all(agree(cands[0], c, points) for c in cands[1:]):
            continue
        name = FIELD_NAMES.get(key, key)
        shown = "、".join(show(c) for c in cands)
        yield ctx.finding(f"{name}有{len(cands)}处取值不一致（{shown}），无从判断，未取值。",
                          fields=[field], spans=[c.span for c in cands], found=shown)

"""Indicator rules: scores within their maxima, children summing to parents, level 1 to the total."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ..display import field_name
from ..i18n import N_, _
from ..model import Indicator, Number
from .common import show_number
from .interval import Interval, of_points
from .registry import RuleContext, rule

POINT_NAMES = {"max": N_("分值"), "score": N_("得分")}


def walk(nodes: list[Indicator], path: str = "report.indicators") -> Iterator[tuple[str, Indicator]]:
    """Every indicator with its field path, parents before children."""
    for i, node in enumerate(nodes):
        p = f"{path}[{i}]"
        yield p, node
        yield from walk(node.children, f"{p}.children")


def figures_of(node: Indicator, kind: str) -> list[Number] | None:
    """The figures that stand for a node's max or score: its own when stated, else those of
    its children (a merged 评分表 often states points only on the leaves), else None."""
    own = getattr(node, kind)
    if own is not None:
        return [own]
    if not node.children:
        return None
    parts = [figures_of(c, kind) for c in node.children]
    if any(p is None for p in parts):
        return None
    return [f for p in parts for f in p]


def level_figures(nodes: list[Indicator], kind: str) -> tuple[list[Number], bool]:
    """Every figure that stands for ``nodes``' max or score, and whether all of them have one."""
    groups = [figures_of(n, kind) for n in nodes]
    return [f for g in groups if g for f in g], all(g is not None for g in groups)


def sum_points(figures: list[Number]) -> tuple[Interval, Decimal, int]:
    """Interval, point value and finest places of a sum of points."""
    interval = Interval.total(of_points(f) for f in figures)
    return interval, sum((f.value for f in figures), Decimal(0)), max(f.decimals for f in figures)


def total_interval(total: Number, finest: int) -> Interval:
    """A total written more coarsely than its parts may be their rounded sum."""
    return of_points(total, rounded=total.decimals < finest)


def sum_differs(figures: list[Number], total: Number | None, exact: Decimal | None = None) -> str | None:
    """The parts' sum as found when it cannot be ``total`` within rounding (or ``exact``), else None."""
    parts, point, finest = sum_points(figures)
    target = total_interval(total, finest) if total is not None else Interval.exact(exact)
    return None if parts.meets(target) else f"{point:f}"


@rule(code="IND001", name="score-within-max", severity="error")
def score_within_max(ctx: RuleContext):
    """指标得分不超过其分值。

    检查内容
    指标树中同时写明两者的每个节点，``score`` ≤ ``max``（整数分是精确的；带小数的得分按其舍入
    范围）。自评得分也不得超过满分。

    为何重要
    得分高于分值在报告自己的评分表上不可能出现；它抬高了总分，也可能抬高了等级。

    示例
    ``预算执行率指标（分值10分）……得分12分``。
    """
    for path, node in walk(ctx.report.indicators):
        if node.max is None or node.score is None:
            continue
        if of_points(node.score).lo > of_points(node.max).hi:
            yield ctx.finding(
                _("指标“{name}”得分{score}分，超过分值{max}分。").format(
                    name=node.name, score=show_number(node.score), max=show_number(node.max)
                ),
                fields=[f"{path}.score", f"{path}.max"],
                spans=[node.score.span, node.max.span],
                expected=f"<={show_number(node.max)}",
                found=show_number(node.score),
            )
    total, full = ctx.report.total_score, ctx.report.max_score
    if total is not None and full is not None and of_points(total).lo > of_points(full).hi:
        yield ctx.finding(
            _("{total_score}{score}分，超过{max_score}{max}分。").format(
                total_score=field_name("total_score"),
                score=show_number(total),
                max_score=field_name("max_score"),
                max=show_number(full),
            ),
            fields=["report.total_score", "report.max_score"],
            spans=[total.span, full.span],
            expected=f"<={show_number(full)}",
            found=show_number(total),
        )


@rule(code="IND002", name="indicator-children-sum", severity="error")
def indicator_children_sum(ctx: RuleContext):
    """下级指标之和等于上级指标，分值和得分都核对。

    检查内容
    逐级（``一级指标得分=∑二级指标得分``）：上级写明分值（或得分）且下级都写明各自的分值（或得分）
    时，下级之和须与上级相符。下级本身没写数字的，以其下级之和代之，所以只在末级写分的评分表也会
    与每个写明的小计核对。上级写得比下级粗（25分之下是8.33 + 8.33 + 8.33）的，按其舍入范围核对。
    只有部分下级写了数字时无法核对（``info``）。

    为何重要
    评分表是总分的依据；小计与其各行对不上，说明某一行或小计是在合计之后改过的。

    示例
    ``过程（20分，得分16.5）：资金管理（10分）8.5，组织实施（10分）9`` —— 合计17.5，不是16.5。
    """
    for path, node in walk(ctx.report.indicators):
        if not node.children:
            continue
        for kind, label in POINT_NAMES.items():
            parent: Number | None = getattr(node, kind)
            figures, complete = level_figures(node.children, kind)
            if parent is None or not figures:
                continue
            if not complete:
                yield ctx.not_checkable(
                    _("指标“{name}”的下级指标{kind}不全，无法核对{kind}之和。").format(name=node.name, kind=_(label)),
                    fields=[f"{path}.{kind}"],
                    spans=[parent.span],
                )
                continue
            found = sum_differs(figures, parent)
            if found is None:
                continue
            yield ctx.finding(
                _("指标“{name}”的下级指标{kind}之和为{sum}分，与其{kind}{expected}分不符。").format(
                    name=node.name, kind=_(label), sum=found, expected=show_number(parent)
                ),
                fields=[f"{path}.{kind}", f"{path}.children"],
                spans=[parent.span, *(f.span for f in figures)],
                expected=show_number(parent),
                found=found,
            )


def total_row(nodes: list[Indicator], kind: str, total: Decimal) -> tuple[int, Number] | None:
    """A level-1 node that is the score sheet's total row read as an indicator (合计 | 100 | 86.5):
    its own figure is the total, and the other nodes' figures (two or more) make the total too.
    Returns its index and figure; None when there is none. A real indicator worth as much as all the
    others (产出 40 beside 决策 20 and 过程 20) is not the total, so it is never taken for one."""
    groups = [figures_of(n, kind) for n in nodes]
    if any(g is None for g in groups):
        # a node with a figure of its own has one, so the others of such a node all need theirs
        return None
    # the others' sum is the whole level's less one node's figure: one pass, not one per node
    whole = Interval.total(of_points(f) for g in groups if g for f in g)
    count, target = sum(len(g) for g in groups if g), Interval.exact(total)
    for i, node in enumerate(nodes):
        own: Number | None = getattr(node, kind)
        if own is None or count - 1 < 2:
            continue
        mine = of_points(own)
        others = Interval(whole.lo - mine.lo, whole.hi - mine.hi)
        if sum_differs([own], None, total) is None and others.meets(target):
            return i, own
    return None


def _total_row_note(ctx: RuleContext, nodes: list[Indicator], kind: str, total: Decimal, what: str):
    """The info finding for a total row read as a level-1 indicator, or None."""
    row = total_row(nodes, kind, total)
    if row is None:
        return None
    i, own = row
    return ctx.not_checkable(
        _("一级指标“{name}”的{kind}{value}分等于其余各项之和，也等于{what}，应是合计行而非指标，未计入核对。").format(
            name=nodes[i].name, kind=_(POINT_NAMES[kind]), value=show_number(own), what=what
        ),
        fields=[f"report.indicators[{i}].{kind}"],
        spans=[own.span],
    )


def _listed_in_part(figures: list[Number], total: Number) -> bool:
    """Level-1 figures read from a list after 其中 / 包括 ("…四个一级指标。其中产出指标50分…") that fall
    short of the total: the list may name only some indicators."""
    return any("part" in f.qualifiers for f in figures) and sum(f.value for f in figures) < total.value


def _partial_note(ctx: RuleContext, figures: list[Number], found: str, what: str, total: Number):
    return ctx.not_checkable(
        _("所列一级指标（“其中”之后）合计{sum}分，少于{what}{total}分，看来是部分列举，未核对。").format(
            sum=found, what=what, total=show_number(total)
        ),
        fields=["report.indicators"],
        spans=[total.span, *(f.span for f in figures)],
    )


@rule(code="IND003", name="indicator-max-total", severity="error")
def indicator_max_total(ctx: RuleContext):
    """一级指标分值之和等于满分。

    检查内容
    每个一级指标的 ``max`` 之和等于 ``report.max_score``（满分：报告写明的满分、百分制，或评分表
    合计行的分值）。没有满分或缺少某个一级指标的分值时无法核对。把评分表的合计行误读成一级指标时
    （其分值等于满分，其余各项之和也等于满分），不算错误，给 ``info`` 说明；“其中”之后列出的一级指标
    之和不足满分的，看作部分列举，同样给 ``info``。

    为何重要
    权重加起来不等于满分，评分表上每个得分都相对于错误的整体，而等级区间（90分为优……）是以满分为
    前提的。

    示例
    百分制评分表的一级指标分值为 10 + 40 + 40 + 20 = 110分。
    """
    level1 = ctx.report.indicators
    maxima, complete = level_figures(level1, "max")
    if not level1 or not maxima:
        return
    full = ctx.report.max_score
    if full is None or not complete:
        why = (
            _("未写明{max_score}").format(max_score=field_name("max_score"))
            if full is None
            else _("部分一级指标未写分值")
        )
        yield ctx.not_checkable(
            _("一级指标分值之和无法核对：{why}。").format(why=why),
            fields=["report.indicators"],
            spans=[m.span for m in maxima if m is not None],
        )
        return
    found = sum_differs(maxima, full)
    if found is None:
        return
    if _listed_in_part(maxima, full):
        yield _partial_note(ctx, maxima, found, field_name("max_score"), full)
        return
    note = _total_row_note(ctx, level1, "max", full.value, field_name("max_score"))
    if note is not None:
        yield note
        return
    expected = show_number(full)
    yield ctx.finding(
        _("一级指标分值之和为{sum}分，与{max_score}{expected}分不符。").format(
            sum=found, max_score=field_name("max_score"), expected=expected
        ),
        fields=["report.indicators", "report.max_score"],
        spans=[full.span, *(m.span for m in maxima)],
        expected=expected,
        found=found,
    )


@rule(code="IND004", name="indicator-score-total", severity="error")
def indicator_score_total(ctx: RuleContext):
    """一级指标得分之和等于自评得分。

    检查内容
    ``绩效评价总分=∑一级指标得分``：每个一级指标的 ``score`` 之和等于 ``report.total_score``。总分
    写得比各项粗的，按其舍入范围核对。一级指标本身没写得分的，以其下级得分之和代之。缺少某个一级
    指标得分或总分时无法核对（``info``）。评分表的合计行被读成一级指标时（其得分等于总分，其余各项
    之和也等于总分），不算错误，给 ``info`` 说明；“其中”之后列出的一级指标之和不足总分的，看作部分
    列举，同样给 ``info``。

    为何重要
    总分决定等级；总分与其自身的指标对不上，是结论脱离依据写成的最直接迹象。

    示例
    ``预算执行率7分、产出40分、效益及成本40分、满意度10分……得分98分`` —— 各项合计97分。
    """
    level1 = ctx.report.indicators
    scores, complete = level_figures(level1, "score")
    total = ctx.report.total_score
    if not level1 or not scores:
        return
    if total is None or not complete:
        why = (
            _("未找到{total_score}").format(total_score=field_name("total_score"))
            if total is None
            else _("部分一级指标未写得分")
        )
        yield ctx.not_checkable(
            _("一级指标得分之和无法核对：{why}。").format(why=why),
            fields=["report.indicators"],
            spans=[s.span for s in scores if s is not None],
        )
        return
    found = sum_differs(scores, total)
    if found is None:
        return
    if _listed_in_part(scores, total):
        yield _partial_note(ctx, scores, found, field_name("total_score"), total)
        return
    note = _total_row_note(ctx, level1, "score", total.value, field_name("total_score"))
    if note is not None:
        yield note
        return
    yield ctx.finding(
        _("一级指标得分之和为{sum}分，与{total_score}{expected}分不符。").format(
            sum=found, total_score=field_name("total_score"), expected=show_number(total)
        ),
        fields=["report.indicators", "report.total_score"],
        spans=[total.span, *(s.span for s in scores)],
        expected=show_number(total),
        found=found,
    )

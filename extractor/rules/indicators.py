"""Indicator rules: scores within their maxima, children summing to parents, level 1 to the total."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ..model import Indicator, Number
from ..patterns import compile_regex
from .common import show_number
from .interval import Interval, of_points
from .registry import Context, rule

KINDS = {"max": "分值", "score": "得分"}
# A report that scores out of 100 says so in one of these ways (the folded view is searched).
FULL_MARK_100 = compile_regex(r"百分制|(?:满分|总分)(?:值)?(?:为|是)?\s*100\s*分")


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
def score_within_max(ctx: Context):
    """No indicator scores more than its maximum.

    What it checks
    At every node of the indicator tree that states both, ``score`` ≤ ``max`` (an awarded
    whole number of points is exact; a score with decimals stands for its rounding).
    The total score must not exceed the full mark either.

    Why it matters
    A score above its maximum is impossible on the report's own scoring sheet; it inflates the
    total and may lift the grade.

    Example
    ``预算执行率指标（分值10分）… 得分12分``.
    """
    for path, node in walk(ctx.report.indicators):
        if node.max is None or node.score is None:
            continue
        if of_points(node.score).lo > of_points(node.max).hi:
            yield ctx.finding(
                f"指标“{node.name}”得分{show_number(node.score)}分，超过分值{show_number(node.max)}分。",
                fields=[f"{path}.score", f"{path}.max"], spans=[node.score.span, node.max.span],
                expected=f"<={show_number(node.max)}", found=show_number(node.score))
    total, full = ctx.report.total_score, ctx.report.max_score
    if total is not None and full is not None and of_points(total).lo > of_points(full).hi:
        yield ctx.finding(
            f"总分{show_number(total)}分，超过满分{show_number(full)}分。",
            fields=["report.total_score", "report.max_score"], spans=[total.span, full.span],
            expected=f"<={show_number(full)}", found=show_number(total))


@rule(code="IND002", name="indicator-children-sum", severity="error")
def indicator_children_sum(ctx: Context):
    """The children of an indicator add up to it, for the maximum and for the score.

    What it checks
    Level by level (``一级指标得分=∑二级指标得分``): where a parent states a maximum (or a
    score) and all its children state theirs, the children's sum meets the parent's figure.
    A child that states no figure of its own stands for the sum of its children, so a sheet
    that writes points only on its leaves is still checked against every stated subtotal.
    A parent written more coarsely than its children (25 over 8.33 + 8.33 + 8.33) stands
    for its rounding. When only some children state the figure the check cannot run (info).

    Why it matters
    The score sheet is the evidence for the total; a subtotal that its lines do not add up
    to means a line or the subtotal was changed after the sheet was totalled.

    Example
    ``过程（20分，得分16.5）：资金管理（10分）8.5，组织实施（10分）9`` — 17.5, not 16.5.
    """
    for path, node in walk(ctx.report.indicators):
        if not node.children:
            continue
        for kind, label in KINDS.items():
            parent: Number | None = getattr(node, kind)
            figures, complete = level_figures(node.children, kind)
            if parent is None or not figures:
                continue
            if not complete:
                yield ctx.not_checkable(
                    f"指标“{node.name}”的下级指标{label}不全，无法核对{label}之和。",
                    fields=[f"{path}.{kind}"], spans=[parent.span])
                continue
            found = sum_differs(figures, parent)
            if found is None:
                continue
            yield ctx.finding(
                f"指标“{node.name}”的下级指标{label}之和为{found}分，与其{label}{show_number(parent)}分不符。",
                fields=[f"{path}.{kind}", f"{path}.children"],
                spans=[parent.span, *(f.span for f in figures)],
                expected=show_number(parent), found=found)


def full_mark(ctx: Context) -> tuple[Number | None, Decimal | None, tuple[int, int] | None]:
    """The full mark: ``report.max_score``, else 100 when the text says 百分制 / 满分100分."""
    if ctx.report.max_score is not None:
        return ctx.report.max_score, ctx.report.max_score.value, ctx.report.max_score.span
    if ctx.folded is not None:
        m = FULL_MARK_100.search(ctx.folded.text)
        if m:
            return None, Decimal(100), ctx.folded.span(m.start(), m.end())
    return None, None, None


@rule(code="IND003", name="indicator-max-total", severity="error")
def indicator_max_total(ctx: Context):
    """The maxima of the level-1 indicators add up to the full mark.

    What it checks
    The ``max`` of every level-1 indicator adds up to ``report.max_score`` — or to 100 when
    the report says it scores out of a hundred (百分制, 满分100分) without extracting a
    full mark. With no full mark stated, or a level-1 maximum missing, the check cannot run.

    Why it matters
    Weights that do not add up to the full mark make every score on the sheet relative to the
    wrong whole, and the grade bands (90 for 优 …) assume the full mark.

    Example
    A 百分制 sheet whose level-1 indicators are worth 10 + 40 + 40 + 20 = 110 points.
    """
    level1 = ctx.report.indicators
    maxima, complete = level_figures(level1, "max")
    if not level1 or not maxima:
        return
    full, value, span = full_mark(ctx)
    if value is None or not complete:
        why = "未写明满分" if value is None else "部分一级指标未写分值"
        yield ctx.not_checkable(f"一级指标分值之和无法核对：{why}。", fields=["report.indicators"],
                                spans=[m.span for m in maxima if m is not None])
        return
    found = sum_differs(maxima, full, value)
    if found is None:
        return
    expected = f"{value:f}"
    yield ctx.finding(
        f"一级指标分值之和为{found}分，与满分{expected}分不符。",
        fields=["report.indicators", "report.max_score"], spans=[span, *(m.span for m in maxima)],
        expected=expected, found=found)


@rule(code="IND004", name="indicator-score-total", severity="error")
def indicator_score_total(ctx: Context):
    """The scores of the level-1 indicators add up to the total score.

    What it checks
    ``绩效评价总分=∑一级指标得分``: the ``score`` of every level-1 indicator adds up to
    ``report.total_score``. A total written more coarsely than the scores stands for its
    rounding. A level-1 indicator without a score of its own stands for the sum of its
    children's. A missing level-1 score or total makes the check impossible (info).

    Why it matters
    The total score decides the grade; a total that its own indicators do not give is the
    most direct sign of a report whose conclusion was written apart from its evidence.

    Example
    ``预算执行率7分、产出40分、效益及成本40分、满意度10分 … 得分98分`` — the scores give 97.
    """
    level1 = ctx.report.indicators
    scores, complete = level_figures(level1, "score")
    total = ctx.report.total_score
    if not level1 or not scores:
        return
    if total is None or not complete:
        why = "未找到总分" if total is None else "部分一级指标未写得分"
        yield ctx.not_checkable(f"一级指标得分之和无法核对：{why}。", fields=["report.indicators"],
                                spans=[s.span for s in scores if s is not None])
        return
    found = sum_differs(scores, total)
    if found is None:
        return
    yield ctx.finding(
        f"一级指标得分之和为{found}分，与总分{show_number(total)}分不符。",
        fields=["report.indicators", "report.total_score"], spans=[total.span, *(s.span for s in scores)],
        expected=show_number(total), found=found)

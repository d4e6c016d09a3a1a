"""Grade rules: the grade is the band of the total score, and the bands themselves are sound."""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise

from ..model import Band, GradeBands
from .common import show_number
from .registry import Context, rule

# The national default (财政部 部门整体支出绩效评价): 90 and above 优, 80 to under 90 良,
# 60 to under 80 中, under 60 差.
DEFAULT_BANDS = GradeBands(source="default", bands=[
    Band(grade="优", min=Decimal(90), min_inclusive=True, max=None),
    Band(grade="良", min=Decimal(80), min_inclusive=True, max=Decimal(90), max_inclusive=False),
    Band(grade="中", min=Decimal(60), min_inclusive=True, max=Decimal(80), max_inclusive=False),
    Band(grade="差", min=None, max=Decimal(60), max_inclusive=False),
])


def normalize_grade(word: str) -> str:
    """优秀 -> 优, 合格 -> 中 … with the grade vocabulary in ``patterns/words.toml``."""
    from ..patterns import load

    w = "".join(word.split()).strip("“”\"'「」")
    return load().words.get("grade", {}).get(w, w)


def in_band(value: Decimal, band: Band) -> bool:
    above = band.min is None or value > band.min or (value == band.min and band.min_inclusive)
    below = band.max is None or value < band.max or (value == band.max and band.max_inclusive)
    return above and below


def show_band(b: Band) -> str:
    lo = "" if b.min is None else f"{b.min:f}{'（含）' if b.min_inclusive else '（不含）'}"
    hi = "" if b.max is None else f"{b.max:f}{'（含）' if b.max_inclusive else '（不含）'}"
    if lo and hi:
        return f"{b.grade}：{lo}至{hi}"
    return f"{b.grade}：{lo}以上" if lo else f"{b.grade}：{hi}以下"


@rule(code="GRD001", name="grade-matches-score", severity="error")
def grade_matches_score(ctx: Context):
    """The stated grade is the band the total score falls in.

    What it checks
    ``report.grade`` is the grade of the band that holds ``report.total_score``: the bands the
    report states (``grade_bands.source == "report"``), else the national bands — 90 and above
    优, 80 to under 90 良, 60 to under 80 中, under 60 差. A score that falls in a gap between
    the report's bands gives a warning.

    Why it matters
    The grade is what readers and rankings take from a report; a grade one band above the
    score is the overstatement an auditor is looking for.

    Example
    ``得分87.5分 … 自评等级为“优”`` with 90 (含) 以上为优 — 87.5 is 良.
    """
    r = ctx.report
    if r.grade is None or r.total_score is None:
        if r.grade is not None:
            yield ctx.not_checkable("等级无法核对：未找到总分。", fields=["report.grade"], spans=[r.grade.span])
        return
    bands = r.grade_bands if r.grade_bands is not None and r.grade_bands.source == "report" else DEFAULT_BANDS
    score = r.total_score.value
    hits = [b for b in bands.bands if in_band(score, b)]
    stated = normalize_grade(str(r.grade.value))
    where = "报告所列" if bands.source == "report" else "通行的"
    fields = ["report.grade", "report.total_score"] + (["report.grade_bands"] if bands.source == "report" else [])
    spans = [r.grade.span, r.total_score.span, bands.span]
    if not hits:
        yield ctx.finding(f"总分{show_number(r.total_score)}分不在{where}任何等级区间内，无法判定等级。",
                          fields=fields, spans=spans, found=stated, severity="warning")
        return
    if any(normalize_grade(b.grade) == stated for b in hits):
        return
    expected = "/".join(normalize_grade(b.grade) for b in hits)
    yield ctx.finding(
        f"总分{show_number(r.total_score)}分按{where}等级区间（{show_band(hits[0])}）应为“{expected}”，"
        f"报告为“{stated}”。",
        fields=fields, spans=spans, expected=expected, found=stated)


@rule(code="GRD002", name="grade-bands-consistent", severity="warning")
def grade_bands_consistent(ctx: Context):
    """The report's grade bands neither overlap nor leave gaps.

    What it checks
    Sorted by their lower bounds, each band of ``grade_bands`` (when the report states them)
    must end exactly where the next begins, with the shared boundary in one band only: no
    score may belong to two grades, and none between the lowest and the highest band to none.

    Why it matters
    With overlapping bands a score has two grades and the report can pick the better; with a
    gap (``80-89分为良，90分以上为优`` leaves 89.5) a fractional score has none.

    Example
    ``90分以上（含90分）为优，80～90分（含90分）为良`` — 90 is both 优 and 良.
    """
    gb = ctx.report.grade_bands
    if gb is None or gb.source != "report" or len(gb.bands) < 2:
        return
    low = Decimal("-Infinity")
    ordered = sorted(gb.bands, key=lambda b: (low if b.min is None else b.min, not b.min_inclusive))
    for a, b in pairwise(ordered):
        problem = None
        if a.max is None or b.min is None or a.max > b.min or (
                a.max == b.min and a.max_inclusive and b.min_inclusive):
            problem = "重叠"
        elif a.max < b.min or not (a.max_inclusive or b.min_inclusive):
            problem = "留有空档"
        if problem:
            yield ctx.finding(
                f"报告的等级区间“{show_band(a)}”与“{show_band(b)}”{problem}。",
                fields=["report.grade_bands"], spans=[gb.span], found=f"{show_band(a)}；{show_band(b)}")

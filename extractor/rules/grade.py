"""Grade rules: the grade is the band of the total score, and the bands themselves are sound."""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise

from ..display import field_name
from ..i18n import _
from ..model import Band, GradeBands
from .common import show_number
from .registry import RuleContext, rule

# The national default (财政部 部门整体支出绩效评价): 90 and above 优, 80 to under 90 良,
# 60 to under 80 中, under 60 差.
DEFAULT_BANDS = GradeBands(
    source="default",
    bands=[
        Band(grade="优", min=Decimal(90), min_inclusive=True, max=None),
        Band(grade="良", min=Decimal(80), min_inclusive=True, max=Decimal(90), max_inclusive=False),
        Band(grade="中", min=Decimal(60), min_inclusive=True, max=Decimal(80), max_inclusive=False),
        Band(grade="差", min=None, max=Decimal(60), max_inclusive=False),
    ],
)


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
    def bound(value, inclusive):
        return (_("{n}（含）") if inclusive else _("{n}（不含）")).format(n=f"{value:f}")

    lo = "" if b.min is None else bound(b.min, b.min_inclusive)
    hi = "" if b.max is None else bound(b.max, b.max_inclusive)
    if lo and hi:
        return _("{grade}：{lo}至{hi}").format(grade=b.grade, lo=lo, hi=hi)
    return (_("{grade}：{lo}以上") if lo else _("{grade}：{hi}以下")).format(grade=b.grade, lo=lo, hi=hi)


@rule(code="GRD001", name="grade-matches-score", severity="error")
def grade_matches_score(ctx: RuleContext):
    """所写等级是自评得分所在的等级区间。

    检查内容
    ``report.grade`` 是包含 ``report.total_score`` 的那个区间的等级：报告写明的区间
    （``grade_bands.source == "report"``），否则用通行区间——90分及以上为优，80分至90分（不含）
    为良，60分至80分（不含）为中，60分以下为差。得分落在报告所列区间的空档里时给警告。

    报告所列区间本身有重叠或空档时（GRD002），它们不是对报告等级标准的可靠读法：只有按这些区间和
    按通行区间都不是所写等级时，才是错误。

    为何重要
    等级是读者和排名从报告中取走的东西；比得分高一档的等级，正是审计要找的虚报。

    示例
    ``得分87.5分……自评等级为“优”``，而报告写明90分（含）以上为优 —— 87.5分是良。
    """
    r = ctx.report
    if r.grade is None or r.total_score is None:
        if r.grade is not None:
            yield _without_score(ctx)
        return
    bands = r.grade_bands if r.grade_bands is not None and r.grade_bands.source == "report" else DEFAULT_BANDS
    score = r.total_score.value
    hits = [b for b in bands.bands if in_band(score, b)]
    stated = normalize_grade(str(r.grade.value))
    where = _("报告所列") if bands.source == "report" else _("通行的")
    said = {"total_score": field_name("total_score"), "score": show_number(r.total_score), "where": where}
    fields = ["report.grade", "report.total_score"] + (["report.grade_bands"] if bands.source == "report" else [])
    spans = [r.grade.span, r.total_score.span, bands.span]
    if not hits:
        message = _("{total_score}{score}分不在{where}任何等级区间内，无法判定等级。").format(**said)
        yield ctx.finding(message, fields=fields, spans=spans, found=stated, severity="warning")
        return
    if any(normalize_grade(b.grade) == stated for b in hits):
        return
    if bands.source == "report" and any(band_problems(bands)):
        yield from _against_national_bands(ctx, stated, fields, spans)
        return
    expected = "/".join(normalize_grade(b.grade) for b in hits)
    yield ctx.finding(
        _("{total_score}{score}分按{where}等级区间（{band}）应为“{expected}”，报告为“{stated}”。").format(
            **said, band=show_band(hits[0]), expected=expected, stated=stated
        ),
        fields=fields,
        spans=spans,
        expected=expected,
        found=stated,
    )


def _without_score(ctx: RuleContext):
    """A grade with no total score to check it against."""
    names = {"grade": field_name("grade"), "total_score": field_name("total_score")}
    message = _("{grade}无法核对：未找到{total_score}。").format(**names)
    return ctx.not_checkable(message, fields=["report.grade"], spans=[ctx.report.grade.span])


def _against_national_bands(ctx: RuleContext, stated: str, fields: list[str], spans: list):
    """The report's own bands overlap or leave gaps (GRD002): they are no sure reading of its scale,
    so the grade is wrong only when the national bands do not give it either."""
    r = ctx.report
    national = [b for b in DEFAULT_BANDS.bands if in_band(r.total_score.value, b)]
    if not national or any(normalize_grade(b.grade) == stated for b in national):
        return
    expected = "/".join(normalize_grade(b.grade) for b in national)
    yield ctx.finding(
        _(
            "{total_score}{score}分按通行的等级区间（{band}）应为“{expected}”，报告为“{stated}”；报告所列的等级区间"
            "有重叠或空档（见 GRD002），按它也不是“{stated}”。"
        ).format(
            total_score=field_name("total_score"),
            score=show_number(r.total_score),
            band=show_band(national[0]),
            expected=expected,
            stated=stated,
        ),
        fields=fields,
        spans=spans,
        expected=expected,
        found=stated,
    )


def band_problems(gb: GradeBands):
    """``(band, next band, message)`` for each pair of neighbouring bands that overlap or leave a gap."""
    if len(gb.bands) < 2:
        return
    low = Decimal("-Infinity")
    ordered = sorted(gb.bands, key=lambda b: (low if b.min is None else b.min, not b.min_inclusive))
    for a, b in pairwise(ordered):
        if a.max is None or b.min is None or a.max > b.min or (a.max == b.min and a.max_inclusive and b.min_inclusive):
            yield a, b, _("报告的等级区间“{a}”与“{b}”重叠。")
        elif (a.max < b.min and not _next_at_precision(a, b)) or not (a.max_inclusive or b.min_inclusive):
            yield a, b, _("报告的等级区间“{a}”与“{b}”之间留有空档。")


def _next_at_precision(a, b) -> bool:
    """Whether band ``b`` starts at the next score after ``a``'s top at the precision ``a``'s top is
    written to (良 80-89.99分, 优 90分以上: no score written to the hundredth falls between; 良
    80-89分, 优 90-100分: none written in whole points does). A score written finer that falls
    between is GRD001's warning (it is in no band), not a fault of the bands."""
    exponent = a.max.as_tuple().exponent
    return exponent <= 0 and a.max_inclusive and b.min_inclusive and b.min - a.max == Decimal(1).scaleb(exponent)


@rule(code="GRD002", name="grade-bands-consistent", severity="warning")
def grade_bands_consistent(ctx: RuleContext):
    """报告的等级区间既不重叠也不留空档。

    检查内容
    报告写明等级区间时，按下限排序，``grade_bands`` 的每个区间须恰好在下一个区间开始处结束，共同的
    边界只属于其中一个：任何分数都不能同属两个等级，最低与最高区间之间的分数也不能不属于任何等级。

    区间按其写出的精度相接的不算空档：``80-89分为良，90-100分为优`` 以整分写出，89分之后就是90分；
    带小数的得分落在其间时由 GRD001 提示。

    为何重要
    区间重叠，一个分数就有两个等级，报告可以挑好的那个；区间留空档（``80-89.5分为良，90分以上为优``
    漏了89.8分），带小数的分数就没有等级。

    示例
    ``90分以上（含90分）为优，80～90分（含90分）为良`` —— 90分既是优又是良。
    """
    gb = ctx.report.grade_bands
    if gb is None or gb.source != "report":
        return
    for a, b, problem in band_problems(gb):
        if problem:
            yield ctx.finding(
                problem.format(a=show_band(a), b=show_band(b)),
                fields=["report.grade_bands"],
                spans=[gb.span],
                found=_("{a}；{b}").format(a=show_band(a), b=show_band(b)),
            )

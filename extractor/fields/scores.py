"""Scores: the indicator tree, total score, full mark, grade and the grade bands stated.

The tree comes from the report's score tables (``score_tables``), else from its prose
(``indicator_text``); the words of both are data in ``patterns/``.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from ..model import Band, GradeBands, Grounded, Indicator, Number
from .common import Context, choose, number_from
from .finance import execution_indicator
from .indicator_text import extract_indicators, indicator_sentence_spans, indicators_from_glued_table
from .prose import field_mentions
from .score_tables import indicators_from_tables, table_full_marks, table_total_scores

# A score table's total row: its 得分 cell is the report's score, stated once more (a narrative
# "自评得分87.5分" wins over it; when both are there the verifier compares them).
TABLE_TOTAL_PRIORITY = 20
DEFAULT_BAND_GAP = 60  # characters between two bands of one statement
MIN_BAND_GRADES = 3  # a statement of bands names at least this many grades


def _grade_word(ctx: Context, word: str) -> str | None:
    return ctx.patterns.words["grade"].get(word)


def extract_indicator_tree(ctx: Context) -> list[Indicator]:
    """The level-1 indicators with their children: a score table's tree (with the execution rate
    the form's money row scores), else the indicators the prose states, else a glued table's."""
    indicators = indicators_from_tables(ctx)
    if indicators:
        return _with_execution_rate(ctx, indicators)
    return extract_indicators(ctx) or indicators_from_glued_table(ctx)


def _with_execution_rate(ctx: Context, indicators: list[Indicator]) -> list[Indicator]:
    """A score table's indicators and, first, the execution rate that the form's money row scores
    (分值 10 | 得分 9.85): the total score is the two together, unless the table lists it itself."""

    def names(nodes):
        for n in nodes:
            yield n.name
            yield from names(n.children)

    words = tuple(ctx.patterns.words.get("indicators", {}).get("execution", ()))
    if any(w in n for n in names(indicators) for w in words):
        return indicators
    rate = execution_indicator(ctx)
    return [rate, *indicators] if rate is not None else indicators


def _an_indicators_score(ctx: Context, label_span: tuple[int, int], names: set[str]) -> bool:
    """A total-score label that ends an indicator's name is that indicator's score: "部门绩效得分46分"
    where 部门绩效（50分） is a level-1 indicator, "满意度评价得分9分"."""
    text = ctx.text
    start, end = label_span
    # the label less its 得分 / 总分 / 评分 / 分数 (自评分: less 评分, then 自 as a tail below)
    core = text[max(0, start - 12) : end - 2]
    tails = tuple(ctx.patterns.prose["total_score"]["label_tails"])
    trimmed = True
    while trimmed:
        trimmed = False
        for tail in tails:
            if core.endswith(tail):
                core, trimmed = core[: -len(tail)], True
    return any(core.endswith(n) for n in names)


DEFAULT_BARE_SCORE_WINDOW = 80


def _near_an_indicator(ctx: Context, pos: int, names: set[str]) -> bool:
    head = ctx.text[max(0, pos - DEFAULT_BARE_SCORE_WINDOW) : pos]
    return any(w in head for w in ctx.patterns.prose["total_score"]["indicator_words"]) or any(n in head for n in names)


def extract_total_score(ctx: Context, indicators: list[Indicator] | None = None) -> Number | None:
    spec = ctx.patterns.prose["total_score"]
    names = set(ctx.patterns.labels.get("indicator_level1", ()))
    names.update(i.name for i in indicators or () if len(i.name) >= 2)
    found = []
    sentences = indicator_sentence_spans(ctx)  # a score label inside is that indicator's
    for m in field_mentions(ctx, "total_score"):
        if _an_indicators_score(ctx, m.label_span, names) or _inside(sentences, m.label_span):
            continue
        # a label that says no more than "score" ("（一）产出指标\n评价结果为38分"): the report's own
        # score only where no indicator is named just before
        bare = m.value.pattern in spec["bare_patterns"] or m.label in spec["bare_labels"]
        if bare and _near_an_indicator(ctx, m.label_span[0], names):
            continue
        if m.value.value <= spec["max_value"]:
            found.append((m.priority, m.value))
            ctx.remember("total_score", m.value)
    for v in table_total_scores(ctx):
        found.append((TABLE_TOTAL_PRIORITY, v))
        ctx.remember("total_score", v)
    return choose(found)


def extract_max_score(ctx: Context) -> Number | None:
    """The full mark: as the report states it (满分100分, 百分制), else the 分值 of a score table's
    total row (合计 | 100 | 92.5)."""
    m = next((m for _, m in ctx.matches("max_score")), None)
    if m is not None:
        if m.group("label"):
            return ctx.ground(m.start("label"), m.end("label"), Decimal(100), Number, "max_score.percent")
        return number_from(ctx, m, "max_score.label")
    return choose([(TABLE_TOTAL_PRIORITY, v) for v in table_full_marks(ctx)])


def _inside(spans: list[tuple[int, int]], span: tuple[int, int]) -> bool:
    return any(s <= span[0] and span[1] <= e for s, e in spans)


def extract_grade(ctx: Context) -> Grounded | None:
    # a grade named inside a band's statement ("90分（含）以上的，评价等级为“优”") is the band's
    bands = [(start, end) for start, end, _ in _bands(ctx)]
    found = [(m.priority, m.value) for m in field_mentions(ctx, "grade") if not _inside(bands, m.label_span)]
    for _, v in found:
        ctx.remember("grade", v)
    return choose(found)


def extract_grade_bands(ctx: Context) -> GradeBands | None:
    """The grade bands the report states: at least three distinct grades close together."""
    found = sorted(_bands(ctx), key=lambda f: f[0])
    best: list[tuple[int, int, Band]] = []
    i = 0
    while i < len(found):  # each chain of bands close together once (a chain's tail is never longer)
        group = [found[i]]
        for f in found[i + 1 :]:
            if f[0] - group[-1][1] > DEFAULT_BAND_GAP or f[0] < group[-1][1]:
                break
            group.append(f)
        if len({g[2].grade for g in group}) >= MIN_BAND_GRADES and len(group) > len(best):
            best = group
        i += len(group)
    if not best:
        return None
    span = ctx.folded.span(best[0][0], best[-1][1])
    return GradeBands(source="report", bands=_whole_number_tops([g[2] for g in best]), span=span)


def _whole_number_tops(bands: list[Band]) -> list[Band]:
    """Bands written in whole scores, each next one starting one above ("80-89分为良，90-100分为优"):
    a band's top is one of its scores (89 is 良), not where the next band starts."""
    starts = {b.min for b in bands if b.min is not None and b.min_inclusive}
    out = []
    for b in bands:
        whole_top = b.max is not None and not b.max_inclusive and b.max.as_tuple().exponent >= 0
        if whole_top and b.max + 1 in starts and b.max not in starts:
            b = dataclasses.replace(b, max_inclusive=True)
        out.append(b)
    return out


def _bands(ctx: Context) -> list[tuple[int, int, Band]]:
    """Every band stated, as (start, end, band), read once per document (the grade and the bands
    both ask)."""
    found = ctx.memo.get("bands")
    if found is None:
        found = ctx.memo["bands"] = list(_read_bands(ctx))
    return found


def _read_bands(ctx: Context):
    """Every band stated, as (start, end, band): ranges, "N分以上", "低于N分", score first or grade
    first; a score-first reading that starts inside a grade-first band ("优（90分以上）、良…") is not one."""
    found = []
    for field in ("grade_bands.range", "grade_bands.above", "grade_bands.below"):
        found += [(pat, m) for pat, m in ctx.matches(field)]
    first = [m.span() for pat, m in found if ".grade_first" in pat.id]
    found = [(pat, m) for pat, m in found if ".grade_first" in pat.id or not any(s <= m.start() < e for s, e in first)]
    below = []
    for pat, m in found:
        if pat.field == "grade_bands.range":
            yield m.start(), m.end(), _range_band(ctx, m)
        elif pat.field == "grade_bands.above":
            yield m.start(), m.end(), _band(ctx, m, Decimal(m.group("a")), True, None, True)
        else:
            below.append(m)
    below.sort(key=lambda m: (m.start(), -m.end()))
    reach = -1  # the furthest end of the bands before (sorted by start: one of them holds this one)
    for m in below:
        inside, reach = m.end() <= reach, max(reach, m.end())
        if inside:
            continue  # "低于60分以下为差" read once, by the pattern that starts with its words
        yield m.start(), m.end(), _band(ctx, m, None, True, Decimal(m.group("b") or m.group("b2")), False)


def _range_band(ctx: Context, m) -> Band:
    groups = m.groupdict()
    a, b = Decimal(m.group("a")), Decimal(m.group("b"))
    lo, hi = min(a, b), max(a, b)
    if groups.get("lo_op"):  # 80≤分数<90
        return _band(ctx, m, lo, groups["lo_op"] != "<", hi, groups["hi_op"] != "<")
    if groups.get("lb"):  # [80,90)
        return _band(ctx, m, lo, groups["lb"] == "[", hi, groups["rb"] == "]")
    inc = groups.get("inc") or groups.get("inc1")
    # "80（含）-90分": the lower bound is in; "80-90分（含90分）": the upper one is, not the lower;
    # "80-89.99分": a bound written to the hundredth is the top score the band holds
    if hi.as_tuple().exponent < 0:
        return _band(ctx, m, lo, True, hi, True)
    upper_in = inc is not None and Decimal(inc) == hi and Decimal(inc) != lo
    return _band(ctx, m, lo, not upper_in, hi, upper_in or hi >= 100)


def _band(ctx: Context, m, lo, lo_in: bool, hi, hi_in: bool) -> Band:
    grade = _grade_word(ctx, m.group("g")) or m.group("g")
    return Band(grade=grade, min=lo, min_inclusive=lo_in, max=hi, max_inclusive=hi_in)


def default_bands(ctx: Context) -> GradeBands:
    """The national bands (words.toml [grade_bands] default), for a report that states none."""
    bands = []
    for b in ctx.patterns.words["grade_bands"]["default"]:
        lo, hi = b.get("min"), b.get("max")
        bands.append(
            Band(
                grade=b["grade"],
                min=Decimal(lo) if lo is not None else None,
                min_inclusive=True,
                max=Decimal(hi) if hi is not None else None,
                max_inclusive=bool(b.get("max_inclusive", False)),
            )
        )
    return GradeBands(source="default", bands=bands)

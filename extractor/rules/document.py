"""Document rules read the text itself: stray years, template placeholders, numbering gaps.

They run over the folded view (full-width forms folded) and map every match back, so the
spans index the original document text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..patterns import compile_regex
from .registry import Context, rule

# ---- years --------------------------------------------------------------------------------

# A year that names what is evaluated: "X年度部门整体支出", "X年度…绩效评价", "X年度…评价指标
# 体系", "X年度…评分表". Years elsewhere (a notice dated the next year, a comparison with the
# previous one) are legitimate and never looked at.
# A date (2024年3月) is not a year that names a period; the phrase ends at the next year.
_YEAR = compile_regex(
    r"(?<!\d)(?P<year>20\d{2})[ ]?年(?![ ]?\d{1,2}[ ]?月)度?(?P<tail>(?:(?!20\d{2})[^,，。；;:：!?！？\n]){0,24})"
)
_EVALUATIVE = compile_regex(r"部门整体支出|单位整体支出|整体支出绩效|绩效评价|绩效自评|自评报告|评价指标体系|评分表")
_COMPARISON = compile_regex(r"(?:较|比|与|同比|相比|对比|上年|上一年|去年|往年|历年|截至|截止)[^,，。；;\n]{0,4}$")
_PLANNING = compile_regex(r"目标|计划|预算编制|预算安排|申报|编制")
# The evaluation is carried out in the following year, so a notice or the work itself is
# named by that year: 关于开展2024年…绩效自评工作的通知 in a report on 2023.
_LAUNCH_BEFORE = compile_regex(r"(?:开展|关于|组织|启动|做好)[ ]?$")
_WORK = compile_regex(r"工作|通知")
DEFAULT_LOOKBEHIND = 8
DEFAULT_HEADING_WINDOW = 500  # how far back a year's line and its heading are read


# a section about earlier years' evaluations names them rightly
_EARLIER_SECTION = compile_regex(r"上年度|上一年度|以前年度|往年|上年")


def _heading_before(text: str, pos: int) -> str:
    """The line that holds ``pos`` up to it, and the line before (the section's heading)."""
    # bounded: a text written as one line would be read from its start at every year (quadratic)
    lo = max(0, pos - DEFAULT_HEADING_WINDOW)
    line_start = max(lo, text.rfind("\n", lo, pos) + 1)
    prev_start = max(lo, text.rfind("\n", lo, max(lo, line_start - 1)) + 1)
    return text[prev_start:pos]


def _legitimate(year: int, fiscal_year: int, before: str, tail: str) -> bool:
    """A comparison with an earlier year, or the next year's work, notice or targets."""
    if _COMPARISON.search(before):
        return True
    if year > fiscal_year:
        return bool(_PLANNING.search(tail) or (year == fiscal_year + 1 and (
            _LAUNCH_BEFORE.search(before) or _WORK.search(tail))))
    return False


@rule(code="DOC001", name="year-contradicts-fiscal-year", severity="warning")
def year_contradicts_fiscal_year(ctx: Context):
    """A year in an evaluative phrase contradicts the year the report evaluates.

    What it checks
    Years that name what is being evaluated — ``X年度部门整体支出``, ``X年度…绩效评价``,
    ``X年度…评价指标体系``, ``X年度…评分表`` — must be ``report.fiscal_year``. Years in other
    phrases are left alone, and so are legitimate mentions in them: the next year as the year
    the evaluation work is done (``关于开展2024年…绩效自评工作的通知`` in a report on 2023) or
    of next year's targets, earlier years in comparisons (上年, 较2022年度), and earlier years
    under a heading about them (``上年度绩效评价结果应用`` on the line before).

    Why it matters
    A wrong year in such a phrase is the trace of a template copied from an earlier report: the
    indicator system or the evaluation it names may be last year's, not this one's.

    Example
    ``形成《xxx2021年度部门整体支出绩效评价指标体系评分表》`` in a report on 2023.
    """
    if ctx.document is None:
        return
    folded = ctx.folded
    hits = [(m, k) for m in _YEAR.finditer(folded.text) if (k := _EVALUATIVE.search(m.group("tail")))]
    if not hits:
        return
    fy = ctx.report.fiscal_year
    if fy is None:
        yield ctx.not_checkable("文中年份无法核对：未找到评价年度。",
                                spans=[folded.span(*hits[0][0].span("year"))])
        return
    for m, key in hits:
        year = int(m.group("year"))
        if year == fy.value:
            continue
        before = folded.text[max(0, m.start() - DEFAULT_LOOKBEHIND) : m.start()]
        if _legitimate(year, fy.value, before, m.group("tail")):
            continue
        if year < fy.value and _EARLIER_SECTION.search(_heading_before(folded.text, m.start())):
            continue  # "四、上年度绩效评价结果应用 / 2022年度部门整体支出绩效评价得分为93.2分"
        phrase = folded.raw(m.start(), m.start("tail") + key.end()).strip()
        yield ctx.finding(
            f"“{phrase}”中的年份{year}与评价年度{fy.value}不符。",
            fields=["report.fiscal_year"], spans=[folded.span(*m.span("year")), fy.span],
            expected=str(fy.value), found=str(year))


# ---- publication date ---------------------------------------------------------------------

_PUBLISHED = compile_regex(
    r"(?P<label>公开时间|公开日期|发布时间|发布日期|报告日期|填报日期|成文日期)[ ]?[:]?[ ]?"
    r"(?P<date>(?P<year>20\d{2})[ ]?(?:年|-|/|\.)[ ]?(?P<month>\d{1,2})(?:[ ]?(?:月|-|/|\.)[ ]?\d{1,2}日?)?)"
)
# Reports on a year that is over: a budget disclosure is rightly published before its year.
RETROSPECTIVE_KINDS = ("department_overall", "project", "final_accounts")


@rule(code="DOC004", name="published-before-year-end", severity="warning")
def published_before_year_end(ctx: Context):
    """A report on a year is dated before that year ended.

    What it checks
    A publication or report date (公开时间, 发布日期, 报告日期, 填报日期 …) in a report that looks
    back on a year — a self-evaluation or final accounts, by ``report.kind`` — must fall after
    ``report.fiscal_year``. Budget disclosures (kind ``other``) are published before their year
    and are not checked.

    Why it matters
    Final accounts and self-evaluations can only be written once the year is over; a date
    inside the year means either the date or the year of the report is wrong, and the
    auditor cannot tell which period the figures cover.

    Example
    ``2021年度…部门决算 公开时间:2021年8月26日``.
    """
    kind = ctx.report.kind
    if ctx.document is None or kind is None or kind.value not in RETROSPECTIVE_KINDS:
        return
    fy = ctx.report.fiscal_year
    folded = ctx.folded
    for m in _PUBLISHED.finditer(folded.text):
        if fy is None:
            yield ctx.not_checkable("发布日期无法核对：未找到评价年度。", spans=[folded.span(*m.span("date"))])
            return
        if int(m.group("year")) > fy.value:
            continue
        date = folded.raw(*m.span("date"))
        yield ctx.finding(
            f"{m.group('label')}{date}早于评价年度{fy.value}年结束。",
            fields=["report.fiscal_year"], spans=[folded.span(*m.span("date")), fy.span],
            expected=f">{fy.value}", found=date)


# ---- placeholders -------------------------------------------------------------------------

# Template text left unfilled. Runs of x/X/× stand for a name or a number (xxx单位, 20xx年,
# ××局); a bracketed field name stands for itself ([单位名称], folded from 【单位名称】).
# A run of x inside a Latin word (Excel, xlsx) is not a placeholder.
_PLACEHOLDER = compile_regex(
    r"20[xX×]{2}(?![A-Za-z])"
    r"|(?<![A-Za-z])(?:[xX]{2,}|[×✕╳]{2,})(?![A-Za-z])"
    r"|\[[^\]\n]{0,4}(?:名称|单位|部门|日期|时间|金额|年度)\]"
    r"|某某"
)


@rule(code="DOC002", name="template-placeholder", severity="warning")
def template_placeholder(ctx: Context):
    """Template placeholders are left in the text.

    What it checks
    The text holds no unfilled template fields: runs of ``xx`` / ``XX`` / ``××`` standing for a
    name or number (``xxx单位``, ``20xx年``), bracketed field names (``【单位名称】``) and
    ``某某``. A run of x inside a Latin word (``xlsx``) is not one.

    Why it matters
    A placeholder shows the report was filled in from a template and not read through; the
    sentence around it (often a name, a year or an amount) says nothing, and other parts of
    the template may be stale too.

    Example
    ``形成《xxx2021年度部门整体支出绩效评价指标体系评分表》`` — ``xxx`` was never replaced
    by the unit's name.
    """
    if ctx.document is None:
        return
    folded = ctx.folded
    for m in _PLACEHOLDER.finditer(folded.text):
        s, e = folded.span(m.start(), m.end())
        raw = ctx.document.text[s:e]
        yield ctx.finding(f"文中留有模板占位符“{raw}”（“{_around(ctx.document.text, s, e)}”）。",
                          spans=[(s, e)], found=raw)


def _around(text: str, s: int, e: int, width: int = 10) -> str:
    """The placeholder with a few characters either side, within its line."""
    lo = max(text.rfind("\n", 0, s) + 1, s - width)
    hi = text.find("\n", e)
    hi = min(len(text) if hi < 0 else hi, e + width)
    return text[lo:hi].strip()


# ---- section numbering --------------------------------------------------------------------

_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
# Markers at the start of a line, outermost first. A marker resets the counts of every
# level below it, so each list is judged within its parent section. The levels start with
# different characters, so one alternation finds them all in a single pass; the group that
# matched (l0 … l4) is the level.
_LEVEL_PATTERNS = (
    r"(?P<m0>(?P<n0>[一二三四五六七八九十]{1,3})[ ]?[、.])(?!\d)",
    r"(?P<m1>\((?P<n1>[一二三四五六七八九十]{1,3})\))",
    r"(?P<m2>(?P<n2>\d{1,2})[ ]?(?:、|\.(?!\d)))",
    r"(?P<m3>\((?P<n3>\d{1,2})\))",
    rf"(?P<m4>(?P<n4>[{_CIRCLED}]))",
)
# The standard library's engine: this pattern needs nothing of regex's, and re scans line starts
# about 3x faster (a 300-page report: 3.5 -> 1.1 ms); it compiles in ~0.3 ms on first use.
_MARKER = re.compile(r"^[ \t]*(?:" + "|".join(_LEVEL_PATTERNS) + ")", re.M)
# A jump of more than this many numbers is not a gap in a list but a line that merely
# starts with a number.
DEFAULT_MAX_GAP = 3


def chinese_numeral(s: str) -> int | None:
    """一 … 九十九 (section numbers only)."""
    if s == "十":
        return 10
    if "十" in s:
        tens, _, ones = s.partition("十")
        t = _CN_DIGITS.get(tens, None) if tens else 1
        o = _CN_DIGITS.get(ones, None) if ones else 0
        return None if t is None or o is None else t * 10 + o
    return _CN_DIGITS.get(s) if len(s) == 1 else None


def _number(level: int, s: str) -> int | None:
    if level in (0, 1):
        return chinese_numeral(s)
    if level == 4:
        return _CIRCLED.index(s) + 1
    return int(s)


def show_marker(level: int, n: int) -> str:
    if level in (0, 1):
        cn = "零一二三四五六七八九"
        word = cn[n] if n < 10 else f"{cn[n // 10] if n >= 20 else ''}十{cn[n % 10] if n % 10 else ''}"
        return f"{word}、" if level == 0 else f"（{word}）"
    if level == 4:
        return _CIRCLED[n - 1]
    return f"{n}." if level == 2 else f"（{n}）"


@dataclass(slots=True)
class Marker:
    level: int
    n: int
    start: int  # in the folded text
    end: int


def markers(text: str) -> Iterator[Marker]:
    """Section markers at line starts, in text order (table rows are skipped)."""
    for m in _MARKER.finditer(text):
        group = m.lastgroup  # m0 … m4: the outer group closes last
        level = int(group[1])
        start, end = m.span(group)
        line_end = text.find("\n", end)
        if " | " in text[start : line_end if line_end >= 0 else len(text)]:
            continue
        n = _number(level, text[m.start(level * 2 + 2) : m.end(level * 2 + 2)])
        if n is not None and n > 0:
            yield Marker(level, n, start, end)


@rule(code="DOC003", name="numbering-gap", severity="warning")
def numbering_gap(ctx: Context):
    """Section numbering skips a number.

    What it checks
    Each numbering sequence — 一、二、… ; （一）（二）… ; 1. 2. … ; （1）（2）… ; ①②… — is
    followed within its parent section (a marker of an outer level starts a new list) and
    must not skip numbers. A list that starts again at 1 is a new list, not a gap.

    Why it matters
    A skipped number usually means a section or a paragraph was deleted from the template, or
    a heading lost its number: something the report was meant to say may be missing.

    Example
    ``四、部门主要工作完成情况 … 六、综合评价及结论`` — there is no 五、; under (四) the
    items go ``1.``, ``2.``, ``4.``.
    """
    if ctx.document is None:
        return
    folded = ctx.folded
    last: dict[int, Marker] = {}
    for mk in markers(folded.text):
        prev = last.get(mk.level)
        for deeper in [lv for lv in last if lv > mk.level]:
            del last[deeper]
        last[mk.level] = mk
        if prev is None or not (prev.n + 1 < mk.n <= prev.n + 1 + DEFAULT_MAX_GAP):
            continue
        missing = "".join(f"“{show_marker(mk.level, k)}”" for k in range(prev.n + 1, mk.n))
        parent = max((lv for lv in last if lv < mk.level), default=None)
        within = f"“{show_marker(parent, last[parent].n)}”下的" if parent is not None else ""
        yield ctx.finding(
            f"{within}编号从“{show_marker(mk.level, prev.n)}”跳到“{show_marker(mk.level, mk.n)}”，缺少{missing}。",
            spans=[folded.span(prev.start, prev.end), folded.span(mk.start, mk.end)],
            expected=show_marker(mk.level, prev.n + 1), found=show_marker(mk.level, mk.n))


# ---- the unit's own name ------------------------------------------------------------------


@rule(code="DOC005", name="own-unit-named-otherwise", severity="warning")
def own_unit_named_otherwise(ctx: Context):
    """The unit a report names as its own (本级) is the reporting unit.

    What it checks
    Where the text names the unit it covers as ``X（本级）`` or ``X本级`` (决算单位构成, 部门预算
    单位构成), X is the reporting unit: the department's name holds X or X holds the department's
    name. A name of the same kind (…镇人民政府, …幼儿园) that is neither is flagged.

    Why it matters
    A report filled in from another unit's file keeps that unit's name where no one reads it
    again: the composition of the accounts then names another township or school, and the
    figures beside it may be the other unit's too.

    Example
    ``裴兴镇人民政府2021年度部门决算`` whose 单位构成 lists ``行政部门1个：包家镇人民政府（本级）``.
    """
    dept = ctx.report.department
    if ctx.document is None or dept is None:
        return
    from ..normalize import fold_name
    from ..patterns import load

    patterns = load()
    suffixes = sorted(patterns.words["department"]["suffixes"], key=len, reverse=True)
    own = fold_name(str(dept.value))
    kind = next((s for s in suffixes if own.endswith(s)), None)
    folded = ctx.folded
    lead = patterns.memo("own_unit.lead", lambda: compile_regex(patterns.words["lists"]["lead_word"] + "[:]?"))
    for m in patterns.memo("own_unit", lambda: compile_regex(patterns.words["own_unit"]["regex"])).finditer(folded.text):
        name = lead.sub("", fold_name(m.group("name")))  # "包括局本级": the list's word is not a name
        if kind is None or not name.endswith(kind) or name in own or own in name or len(name) < len(kind) + 3:
            continue
        s, e = folded.span(*m.span("name"))
        yield ctx.finding(f"文中称“{ctx.document.text[s:e]}”为本级单位，与报告单位“{dept.value}”不符。",
                          fields=["report.department"], spans=[(s, e), dept.span], expected=str(dept.value),
                          found=ctx.document.text[s:e])

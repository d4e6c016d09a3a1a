"""Document rules read the text itself: stray years, template placeholders, numbering gaps.

They run over the folded view (full-width forms folded) and map every match back, so the
spans index the original document text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..display import field_name
from ..i18n import _
from ..numbers import year_of
from ..patterns import compile_regex
from .registry import RuleContext, rule

# ---- years --------------------------------------------------------------------------------

# A year that names what is evaluated: "X年度部门整体支出", "X年度…绩效评价", "X年度…评价指标
# 体系", "X年度…评分表". Years elsewhere (a notice dated the next year, a comparison with the
# previous one) are legitimate and never looked at.
# A date (2024年3月) is not a year that names a period; the phrase ends at the next year.
# A year in digits or digit by digit in Chinese numerals (二〇二三年度), as the titles write it.
_CN_YEAR = r"二[〇○零][〇○零一二三四][〇○零一二三四五六七八九]"
_YEAR = compile_regex(
    rf"(?<![\d〇○零一二三四五六七八九])(?P<year>20\d{{2}}|{_CN_YEAR})[ ]?年(?![ ]?[\d一二三四五六七八九十]{{1,2}}[ ]?月)度?"
    rf"(?P<tail>(?:(?!20\d{{2}}|{_CN_YEAR})[^,，。；;:：!?！？\n]){{0,24}})"
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
        return bool(
            _PLANNING.search(tail)
            or (year == fiscal_year + 1 and (_LAUNCH_BEFORE.search(before) or _WORK.search(tail)))
        )
    return False


@rule(code="DOC001", name="year-contradicts-fiscal-year", severity="warning")
def year_contradicts_fiscal_year(ctx: RuleContext):
    """评价性表述中的年份与报告所评价的年度不符。

    检查内容
    指称被评价对象的年份——``X年度部门整体支出``、``X年度……绩效评价``、``X年度……评价指标体系``、
    ``X年度……评分表``——须为 ``report.fiscal_year``。其他表述中的年份不看，这些表述中的正当提及也
    不算：评价工作所在的下一年（2023年的报告中 ``关于开展2024年……绩效自评工作的通知``）或下一年的
    目标，比较中的以前年度（上年、较2022年度），以及关于以前年度的标题下的以前年度（上一行是
    ``上年度绩效评价结果应用``）。

    为何重要
    这类表述中的错年份是从旧报告套用模板的痕迹：它所说的指标体系或评价可能是去年的，而不是今年的。

    示例
    2023年的报告中写 ``形成《xxx2021年度部门整体支出绩效评价指标体系评分表》``。
    """
    if ctx.document is None:
        return
    folded = ctx.folded
    hits = [(m, k) for m in _YEAR.finditer(folded.text) if (k := _EVALUATIVE.search(m.group("tail")))]
    if not hits:
        return
    fy = ctx.report.fiscal_year
    if fy is None:
        yield ctx.not_checkable(
            _("文中年份无法核对：未找到{year}。").format(year=field_name("fiscal_year")),
            spans=[folded.span(*hits[0][0].span("year"))],
        )
        return
    for m, key in hits:
        year = year_of(m.group("year"))
        if year == fy.value:
            continue
        before = folded.text[max(0, m.start() - DEFAULT_LOOKBEHIND) : m.start()]
        if _legitimate(year, fy.value, before, m.group("tail")):
            continue
        if year < fy.value and _EARLIER_SECTION.search(_heading_before(folded.text, m.start())):
            continue  # "四、上年度绩效评价结果应用 / 2022年度部门整体支出绩效评价得分为93.2分"
        phrase = folded.raw(m.start(), m.start("tail") + key.end()).strip()
        yield ctx.finding(
            _("“{phrase}”中的年份{year}与{field}{fiscal_year}不符。").format(
                phrase=phrase, year=year, field=field_name("fiscal_year"), fiscal_year=fy.value
            ),
            fields=["report.fiscal_year"],
            spans=[folded.span(*m.span("year")), fy.span],
            expected=str(fy.value),
            found=str(year),
        )


# ---- publication date ---------------------------------------------------------------------

_PUBLISHED = compile_regex(
    r"(?P<label>公开时间|公开日期|发布时间|发布日期|报告日期|填报日期|成文日期)[ ]?[:]?[ ]?"
    r"(?P<date>(?P<year>20\d{2}|"
    + _CN_YEAR
    + r")[ ]?(?:年|-|/|\.)[ ]?(?P<month>\d{1,2})(?:[ ]?(?:月|-|/|\.)[ ]?\d{1,2}日?)?)"
)
# Reports on a year that is over: a budget disclosure is rightly published before its year.
RETROSPECTIVE_KINDS = ("department_overall", "project", "final_accounts")


@rule(code="DOC004", name="published-before-year-end", severity="warning")
def published_before_year_end(ctx: RuleContext):
    """报告的日期早于所报告年度的结束。

    检查内容
    回顾一年的报告（按 ``report.kind``：自评报告或决算）中的公开时间、发布日期、报告日期、填报日期
    等，须晚于 ``report.fiscal_year``。预算公开（``other`` 类）在其年度之前发布，不核对。

    为何重要
    决算和自评只能在年度结束后编写；日期在年度之内，说明日期或报告年度有一个是错的，审计人员无法
    判断数字所属的期间。

    示例
    ``2021年度……部门决算 公开时间:2021年8月26日``。
    """
    kind = ctx.report.kind
    if ctx.document is None or kind is None or kind.value not in RETROSPECTIVE_KINDS:
        return
    fy = ctx.report.fiscal_year
    folded = ctx.folded
    for m in _PUBLISHED.finditer(folded.text):
        if fy is None:
            yield ctx.not_checkable(
                _("发布日期无法核对：未找到{year}。").format(year=field_name("fiscal_year")),
                spans=[folded.span(*m.span("date"))],
            )
            return
        if year_of(m.group("year")) > fy.value:
            continue
        date = folded.raw(*m.span("date"))
        yield ctx.finding(
            _("{label}{date}早于{field}{year}年结束。").format(
                label=m.group("label"), date=date, field=field_name("fiscal_year"), year=fy.value
            ),
            fields=["report.fiscal_year"],
            spans=[folded.span(*m.span("date")), fy.span],
            expected=f">{fy.value}",
            found=date,
        )


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
def template_placeholder(ctx: RuleContext):
    """文中留有模板占位符。

    检查内容
    文中没有未填写的模板字段：代替名称或数字的 ``xx`` / ``XX`` / ``××``（``xxx单位``、``20xx年``），
    方括号里的字段名（``【单位名称】``），以及 ``某某``。拉丁字母单词中的 x（``xlsx``）不算。

    为何重要
    占位符说明报告是照模板填的、没有通读；占位符所在的句子（常是名称、年份或金额）什么也没说，模板的
    其他部分也可能是旧的。

    示例
    ``形成《xxx2021年度部门整体支出绩效评价指标体系评分表》`` —— ``xxx`` 从未换成单位名称。
    """
    if ctx.document is None:
        return
    folded = ctx.folded
    for m in _PLACEHOLDER.finditer(folded.text):
        s, e = folded.span(m.start(), m.end())
        raw = ctx.document.text[s:e]
        yield ctx.finding(
            _("文中留有模板占位符“{raw}”（“{context}”）。").format(raw=raw, context=_around(ctx.document.text, s, e)),
            spans=[(s, e)],
            found=raw,
        )


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
def numbering_gap(ctx: RuleContext):
    """章节编号跳号。

    检查内容
    每一组编号——一、二、……；（一）（二）……；1. 2. ……；（1）（2）……；①②……——在其上级章节内
    （外层编号开始一组新的列表）依次排列，不得跳号。重新从1开始的是新列表，不算跳号。

    为何重要
    跳号通常意味着模板中的某一节或某一段被删掉了，或某个标题丢了编号：报告本应说的内容可能缺失。

    示例
    ``四、部门主要工作完成情况……六、综合评价及结论`` —— 没有“五、”；（四）之下的条目是 ``1.``、
    ``2.``、``4.``。
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
        within = _("“{marker}”下的").format(marker=show_marker(parent, last[parent].n)) if parent is not None else ""
        yield ctx.finding(
            _("{within}编号从“{prev}”跳到“{next}”，缺少{missing}。").format(
                within=within, prev=show_marker(mk.level, prev.n), next=show_marker(mk.level, mk.n), missing=missing
            ),
            spans=[folded.span(prev.start, prev.end), folded.span(mk.start, mk.end)],
            expected=show_marker(mk.level, prev.n + 1),
            found=show_marker(mk.level, mk.n),
        )


# ---- the unit's own name ------------------------------------------------------------------


@rule(code="DOC005", name="own-unit-named-otherwise", severity="warning")
def own_unit_named_otherwise(ctx: RuleContext):
    """报告称为本级的单位就是报告单位。

    检查内容
    文中以 ``X（本级）`` 或 ``X本级`` 称其所涵盖的单位时（决算单位构成、部门预算单位构成），X 就是报告
    单位：单位名称包含 X，或 X 包含单位名称。同类名称（……镇人民政府、……幼儿园）两者都不是的，予以标出。

    为何重要
    照另一单位的文件填写的报告，会在没人再读的地方留下那个单位的名称：单位构成列的是另一个乡镇或学校，
    旁边的数字也可能是那个单位的。

    示例
    ``裴兴镇人民政府2021年度部门决算`` 的单位构成写着 ``行政部门1个：包家镇人民政府（本级）``。
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
    for m in patterns.memo("own_unit", lambda: compile_regex(patterns.words["own_unit"]["regex"])).finditer(
        folded.text
    ):
        name = lead.sub("", fold_name(m.group("name")))  # "包括局本级": the list's word is not a name
        if kind is None or not name.endswith(kind) or name in own or own in name or len(name) < len(kind) + 3:
            continue
        s, e = folded.span(*m.span("name"))
        yield ctx.finding(
            _("文中称“{name}”为本级单位，与{field}“{department}”不符。").format(
                name=ctx.document.text[s:e], field=field_name("department"), department=dept.value
            ),
            fields=["report.department"],
            spans=[(s, e), dept.span],
            expected=str(dept.value),
            found=ctx.document.text[s:e],
        )

"""Scores: the indicator tree, total score, full mark, grade and the grade bands stated."""

from __future__ import annotations

from decimal import Decimal

import regex

from ..model import Band, GradeBands, Grounded, Indicator, Number
from ..numbers import parse_arabic
from ..patterns import compile_regex, label_alternation
from .common import (
    Context,
    choose,
    compiled,
    lines_with_offsets,
    number_from,
    split_cells,
)
from .prose import field_mentions

DEFAULT_BANDS = (("优", Decimal(90), True, None, True), ("良", Decimal(80), True, Decimal(90), False),
                 ("中", Decimal(60), True, Decimal(80), False), ("差", None, True, Decimal(60), False))


def _grade_word(ctx: Context, word: str) -> str | None:
    return ctx.patterns.words["grade"].get(word)


# A score table's total row: its 得分 cell is the report's score, stated once more (a narrative
# "自评得分87.5分" wins over it; when both are there the verifier compares them).
TABLE_TOTAL_PRIORITY = 20
_TOTAL_ROW_NAMES = ("合计", "总计", "总分", "合计得分", "总得分", "自评总分")


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
    names = set(ctx.patterns.words["indicators"]["level1"])
    names.update(i.name for i in indicators or () if len(i.name) >= 2)
    found = []
    for m in field_mentions(ctx, "total_score"):
        if _an_indicators_score(ctx, m.label_span, names):
            continue
        # a label that says no more than "score" ("（一）产出指标\n评价结果为38分"): the report's own
        # score only where no indicator is named just before
        bare = m.value.pattern in spec["bare_patterns"] or m.label in spec["bare_labels"]
        if bare and _near_an_indicator(ctx, m.label_span[0], names):
            continue
        if m.value.value <= spec["max_value"]:
            found.append((m.priority, m.value))
            ctx.remember("total_score", m.value)
    for v in table_total_scores(ctx) if not ctx.several_score_tables else ():
        found.append((TABLE_TOTAL_PRIORITY, v))
        ctx.remember("total_score", v)
    return choose(found)


def table_total_scores(ctx: Context) -> list[Number]:
    """The 得分 cell of a score table's 合计 row (header 一级指标 … 分值 | 得分), when the row
    has as many cells as the header (a merged row could shift the columns) and its score is
    at most its full mark."""
    text = ctx.text
    if "|" not in text or not any(name in text for name in _TOTAL_ROW_NAMES):
        return []
    out = []
    lines = lines_with_offsets(text)
    i = 0
    while i < len(lines):
        line, off = lines[i]
        i += 1
        if "|" not in line or "指标" not in line:
            continue
        header = _cells(line, off)
        cols = _header_columns(header)
        if cols is None or cols["score"] is None:
            continue
        while i < len(lines) and "|" in lines[i][0]:
            cells = _cells(*lines[i])
            i += 1
            if "".join(cells[0][0].split()) not in _TOTAL_ROW_NAMES:
                continue
            # the same cells as the header (a trailing empty cell, "… | 96.3 | ", is one of them)
            if len(cells) == len(header) or lines[i - 1][0].count("|") == line.count("|"):
                score = _cell_number(ctx, cells[cols["score"]], "total_score.table")
                full = _cell_number(ctx, cells[cols["max"]], "total_score.table") if cols["max"] is not None else None
                if score is not None and score.value <= (full.value if full is not None else 100):
                    out.append(score)
            break
    return out


def extract_max_score(ctx: Context) -> Number | None:
    m = next((m for _, m in ctx.matches("max_score")), None)
    if not m:
        return None
    if m.group("label"):
        return ctx.ground(m.start("label"), m.end("label"), Decimal(100), Number, "max_score.percent")
    return number_from(ctx, m, "max_score.label")


def extract_grade(ctx: Context) -> Grounded | None:
    found = [(m.priority, m.value) for m in field_mentions(ctx, "grade")]
    for _, v in found:
        ctx.remember("grade", v)
    return choose(found)


def extract_grade_bands(ctx: Context) -> GradeBands | None:
    found: list[tuple[int, int, Band]] = []
    for _, m in ctx.matches("grade_bands.range"):
        a, b = Decimal(m.group("a")), Decimal(m.group("b"))
        inc = m.group("inc") or m.group("inc1")
        lo, hi = min(a, b), max(a, b)
        if inc is not None and Decimal(inc) == hi and Decimal(inc) != lo:
            band = Band(grade=_grade_word(ctx, m.group("g")) or m.group("g"), min=lo, min_inclusive=False, max=hi, max_inclusive=True)
        else:
            band = Band(grade=_grade_word(ctx, m.group("g")) or m.group("g"), min=lo, min_inclusive=True, max=hi,
                        max_inclusive=hi >= 100)
        found.append((m.start(), m.end(), band))
    for _, m in ctx.matches("grade_bands.above"):
        found.append((m.start(), m.end(), Band(grade=_grade_word(ctx, m.group("g")) or m.group("g"),
                                               min=Decimal(m.group("a")), min_inclusive=True, max=None, max_inclusive=True)))
    below = sorted((m for _, m in ctx.matches("grade_bands.below")), key=lambda m: (m.start(), -m.end()))
    for k, m in enumerate(below):
        if any(o.start() <= m.start() and m.end() <= o.end() for o in below[:k]):
            continue  # "低于60分以下为差" read once, by the pattern that starts with its words
        b = m.group("b") or m.group("b2")
        found.append((m.start(), m.end(), Band(grade=_grade_word(ctx, m.group("g")) or m.group("g"),
                                               min=None, min_inclusive=True, max=Decimal(b), max_inclusive=False)))
    found.sort(key=lambda f: f[0])
    # a statement of bands: at least three distinct grades close together
    best: list[tuple[int, int, Band]] = []
    for i in range(len(found)):
        group = [found[i]]
        for f in found[i + 1 :]:
            if f[0] - group[-1][1] > 60 or f[0] < group[-1][1]:
                break
            group.append(f)
        if len({g[2].grade for g in group}) >= 3 and len(group) > len(best):
            best = group
    if not best:
        return None
    span = ctx.folded.span(best[0][0], best[-1][1])
    return GradeBands(source="report", bands=[g[2] for g in best], span=span)


def default_bands() -> GradeBands:
    return GradeBands(source="default", bands=[Band(grade=g, min=lo, min_inclusive=li, max=hi, max_inclusive=hi_inc)
                                               for g, lo, li, hi, hi_inc in DEFAULT_BANDS])


_POINTS_IN_BRACKETS = r"(?:情况)?[ ]?\((?:得分|分值|满分|权重|共)?[ ]?(?P<max>\d{1,3}(?:\.\d{1,2})?)[ ]?分?\)"
# the next item of an enumeration of indicators: "部门决策（20分）、部门管理（30分）、部门绩效（50分）"
_NEXT_ITEM = r"[ ]?[、,;和及与][ ]?(?P<name>[一-龥]{2,12}?)" + _POINTS_IN_BRACKETS
_ITEM_BEFORE = r"[一-龥]{2}" + _POINTS_IN_BRACKETS + r"[ ]?[、,;和及与][ ]?[一-龥]{0,6}$"  # (…、部门|决策)
_SCORE_AFTER_NAME = r"[^。\n]{0,8}?(?:总共|共|合计|实际)?得分[为:]?[ ]?(?P<num>\d{1,3}(?:\.\d{1,2})?)[ ]?分"
_THIS_INDICATOR = ("该指标", "本指标")


def extract_indicators(ctx: Context) -> list[Indicator]:
    """Level-1 indicators stated as headings or glued table rows: 产出指标(50分) … 产出指标得分40分.

    A heading in an enumeration ("部门决策（20分）、部门管理（30分）、部门绩效（50分）") brings the other
    items of the enumeration with it, under the names they are written with: a list that kept only
    the names it knows would not add up to the full mark. When an unknown item opens the
    enumeration its name cannot be told from the words before it, and nothing is read."""
    names = label_alternation(ctx.patterns.words["indicators"]["level1"])
    head = compiled(r"(?P<name>" + names + r"(?:类)?(?:指标)?)" + _POINTS_IN_BRACKETS)
    nxt_item, before = compiled(_NEXT_ITEM), compiled(_ITEM_BEFORE)
    text = ctx.text
    heads = list(head.finditer(text))
    head_at = {m.end(): m for m in heads}
    groups: list[list] = []  # the items of one enumeration, or a heading alone
    taken: set[int] = set()
    for m in heads:
        if m.end() in taken:  # reached as an item of an enumeration already
            continue
        prev = before.search(text, max(0, m.start() - 30), m.start())
        if prev is not None and not any(h.start() <= prev.start("max") < h.end() for h in heads):
            return []  # an unknown item opens the enumeration
        group, pos = [m], m.end()
        taken.add(m.end())
        while (c := nxt_item.match(text, pos)) is not None:
            if c.end() not in taken:
                group.append(head_at.get(c.end(), c))  # a known name as the heading pattern reads it
                taken.add(c.end())
            pos = c.end()
        groups.append(group)
    score_after = compiled(_SCORE_AFTER_NAME)
    out: list[Indicator] = []
    seen: set[str] = set()
    for gi, group in enumerate(groups):
        # the scores follow the whole enumeration, up to the next heading
        start = max(g.end() for g in group)
        end = groups[gi + 1][0].start("name") if gi + 1 < len(groups) else min(len(text), start + 400)
        for m in group:
            name = "".join(m.group("name").split())
            if name in seen:
                continue
            seen.add(name)
            mx = number_from(ctx, m, "indicator.heading.max", group="max")
            by = (m.group("name"),) if len(group) > 1 else (m.group("name"), *_THIS_INDICATOR)
            sm = _score_after(text, score_after, by, m.end() if len(group) == 1 else start, end)
            score = number_from(ctx, sm, "indicator.body.score") if sm else None
            out.append(Indicator(name=name, level=1, max=mx, score=score,
                                 name_span=ctx.folded.span(*m.span("name"))))
    # one heading is not a list of level-1 indicators ("其中：预算执行率（10分）得分9.5分"): its
    # points alone would be checked against the full mark
    return out if len(out) >= 2 else []


def _score_after(text: str, tail: regex.Pattern, names, start: int, end: int):
    """The first "<name>…得分N分" in [start, end): the name found by str.find, the score by one
    fixed pattern (nothing is compiled from a document's own words)."""
    best = None
    for name in names:
        at = text.find(name, start, end)
        while at >= 0:
            m = tail.match(text, at + len(name), end)
            if m is not None:
                if best is None or at < best[0]:
                    best = (at, m)
                break
            at = text.find(name, at + 1, end)
    return best[1] if best else None


_GLUED_HEADER = compiled(r"级指标[^\n]{0,30}?分值")
DEFAULT_GLUED_WINDOW = 8000


def indicators_from_glued_table(ctx: Context) -> list[Indicator]:
    """A score table whose cells were glued together: after a header naming 一级指标 … 分值, a
    core level-1 name directly followed by its points and the next cell ("投入12资金管理8")."""
    header = _GLUED_HEADER.search(ctx.text)
    if not header:
        return []
    names = label_alternation(ctx.patterns.words["indicators"]["core"])
    cell = compiled(r"(?P<name>" + names + r")(?:指标)?(?P<max>\d{1,2}(?:\.\d)?)(?![\d.%])"
                    r"(?=[一-龥])(?![万元个人次台件项名天年月日元分])")
    out: list[Indicator] = []
    seen: set[str] = set()
    for m in cell.finditer(ctx.text, header.end(), header.end() + DEFAULT_GLUED_WINDOW):
        name = m.group("name")
        if name in seen:
            continue
        seen.add(name)
        out.append(Indicator(name=name, level=1, max=number_from(ctx, m, "indicator.glued.max", group="max"),
                             name_span=ctx.folded.span(*m.span("name"))))
    return out


_LEVEL_COLS = (("一级指标",), ("二级指标",), ("三级指标",))
_MAX_COLS = ("分值", "权重", "满分", "标准分", "指标分值", "分数")
_SCORE_COLS = ("得分", "自评得分", "评价得分", "实际得分", "考核得分", "自评分")
_MAX_IN_NAME = compile_regex(r"\((?P<max>\d{1,3}(?:\.\d{1,2})?)分\)")
_CELL_NUM = compile_regex(r"^[ ]*(?P<num>\d{1,3}(?:\.\d{1,2})?)[ ]*分?[ ]*$")


def _cells(line: str, offset: int) -> list[tuple[str, int, int]]:
    cells = split_cells(line, offset)
    if cells and not cells[-1][0].strip():  # a trailing '|' ends the row
        cells.pop()
    return cells


def _header_columns(cells) -> dict | None:
    names = ["".join(c[0].split()) for c in cells]
    cols: dict = {"levels": []}
    for level_words in _LEVEL_COLS:
        idx = next((i for i, n in enumerate(names) if n in level_words), None)
        if idx is not None:
            cols["levels"].append(idx)
    cols["max"] = next((i for i, n in enumerate(names) if n in _MAX_COLS), None)
    cols["score"] = next((i for i, n in enumerate(names) if n in _SCORE_COLS), None)
    if not cols["levels"] or (cols["max"] is None and cols["score"] is None):
        return None
    # a sheet that gives every level its own 分值 column (一级指标 | 分值 | 二级指标 | 分值 | 三级指标 |
    # 分值 | 得分): each level's points stand in the 分值 column after its name, before the next level
    maxima = [i for i, n in enumerate(names) if n in _MAX_COLS]
    cols["level_max"] = {}
    if len(maxima) > 1:
        bounds = [*cols["levels"][1:], len(names)]
        for col, bound in zip(cols["levels"], bounds, strict=True):
            own = next((i for i in maxima if col < i < bound), None)
            if own is not None:
                cols["level_max"][col] = own
    return cols


def _cell_number(ctx: Context, cell, pattern_id: str) -> Number | None:
    text, start, _ = cell
    m = _CELL_NUM.match(text)
    if not m:
        return None
    num = parse_arabic(m.group("num"))
    if num is None:
        return None
    end = m.end("num") + (1 if text[m.end("num") : m.end("num") + 1] == "分" else 0)
    return ctx.ground(start + m.start("num"), start + end, num.value, Number, pattern_id, decimals=num.decimals)


def indicators_from_tables(ctx: Context) -> list[Indicator]:
    """A 评分表 written as rows (docx/pdf/html tables render as pipe rows): the indicator tree."""
    text = ctx.text
    lines = lines_with_offsets(text)
    roots: list[Indicator] = []
    tables = 0
    i = 0
    while i < len(lines):
        line, off = lines[i]
        cols = _header_columns(_cells(line, off)) if "|" in line and "指标" in line else None
        i += 1
        if cols is None:
            continue
        tables += 1
        path: list[Indicator | None] = [None] * len(cols["levels"])
        previous: dict[int, Indicator] = {}  # column -> node the previous row made there
        while i < len(lines) and "|" in lines[i][0]:
            cells = _cells(*lines[i])
            i += 1
            first = "".join(cells[0][0].split()) if cells else ""
            if first in ("合计", "总计", "总分") or _header_columns(cells):
                break
            if _continues(cells, cols, previous):
                # a cell wrapped onto a row of its own (PDF tables): "可持续影响指" / "标"
                for col, node in previous.items():
                    if col < len(cells) and cells[col][0].strip():
                        node.name += "".join(cells[col][0].split())
                        node.name_span = (node.name_span[0], ctx.folded.span(cells[col][1], cells[col][2])[1])
                continue
            previous = {}
            for depth, col in enumerate(cols["levels"]):
                if col >= len(cells) or not cells[col][0].strip():
                    continue
                name_cell = cells[col]
                raw_name = name_cell[0].strip()
                # searched in the text itself (not in the cell's string) so the span is the text's
                mx_in_name = _MAX_IN_NAME.search(ctx.text, name_cell[1], name_cell[2])
                name = "".join(_MAX_IN_NAME.sub("", raw_name).split())
                deeper = any(c < len(cells) and cells[c][0].strip() for c in cols["levels"][depth + 1 :])
                node = Indicator(name=name, level=depth + 1,
                                 name_span=ctx.folded.span(name_cell[1], name_cell[2]))
                if mx_in_name:
                    node.max = number_from(ctx, mx_in_name, "indicator.table.name_max", group="max")
                own_max = cols["level_max"].get(col)
                if own_max is not None and own_max < len(cells) and node.max is None:
                    node.max = _cell_number(ctx, cells[own_max], "indicator.table.max")
                if not deeper:
                    if cols["level_max"]:
                        pass  # the level's own 分值 column, read above
                    elif cols["max"] is not None and cols["max"] < len(cells) and node.max is None:
                        node.max = _cell_number(ctx, cells[cols["max"]], "indicator.table.max")
                    if cols["score"] is not None and cols["score"] < len(cells):
                        node.score = _cell_number(ctx, cells[cols["score"]], "indicator.table.score")
                parent = path[depth - 1] if depth else None
                (parent.children if parent is not None else roots).append(node)
                path[depth] = node
                previous[col] = node
                for d in range(depth + 1, len(path)):
                    path[d] = None
    names = [r.name for r in roots]
    if tables > 1 and len(set(names)) < len(names):
        # several forms, one per project ("产出指标" in each): whose indicators and total are the
        # report's cannot be told, and together they would not add up to any full mark
        ctx.several_score_tables = True
        return []
    return roots


def _continues(cells, cols, previous: dict[int, Indicator]) -> bool:
    """A row that only carries the wrapped rest of the previous row's names: no figures, and
    text only in name columns where the previous row had a name too."""
    if not previous or not any(n.max is not None or n.score is not None for n in previous.values()):
        return False
    for k in (cols["max"], cols["score"]):
        if k is not None and k < len(cells) and cells[k][0].strip():
            return False
    filled = [c for c, cell in enumerate(cells) if cell[0].strip()]
    return bool(filled) and all(c in previous and c != cols["levels"][0] for c in filled)

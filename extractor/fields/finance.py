"""Money: revenue and its sources, expenditure by type and by function, carry-over, budget."""

from __future__ import annotations

import dataclasses

import regex

from ..model import Budget, Carryover, Expenditure, Item, Money, Revenue
from ..normalize import fold_name
from ..patterns import compile_regex
from .common import (
    DEFAULT_HEAD_WINDOW,
    Context,
    choose,
    clause_start,
    compiled,
    lines_with_offsets,
    money_from,
    of_another_year,
    of_one_project,
    sentence_start,
    share_from,
    split_cells,
)
from .forms import FIELD as FORM_FIELD
from .forms import read_form

# a list of "name figure (share)" after a total: 其中：A收入1万元、B收入2万元；…
_ITEM = "(?:^|(?<=[,、;:|\n]))[ ]?(?:其中[:]?)?(?:[一二三四五六七八九十\\d]+[、.])?[ ]?(?P<name>[一-龥()“”\"]{2,30}?)[ ]?(?:为|是|:)?[ ]?{money}{share_tail}"
_FUNCTION_MARK = compile_regex(r"按(?:支出)?功能(?:分类|科目)?(?:划分)?[:]?|功能分类[:]?")
DEFAULT_LIST_WINDOW = 600
_LIST_LEAD = compile_regex(r"[ ]?[,;:]?[ ]?(?:其中|包括|主要包括|分别为)[:]?")
_LIST_WORD = compile_regex(r"^(?:其中|包括|主要包括|分别为)")
# an item of a revenue list is a source of money: spending or another total ends the list
_NOT_A_SOURCE = compile_regex(r"支出|总计|合计|共计|总额")


def _scoped(ctx: Context, pos: int) -> bool:
    """A figure in a sentence whose head names a subset of the unit's money
    ("一般公共预算财政拨款收入合计…，其中：…上年结转收入46.20万元") is that subset's, not the unit's.
    A sentence that opens with 其中 lists the parts of the sentence before it ("…支出3817.25万元。
    其中：基本支出…"), unless its own head names a subset ("其中，一般公共预算财政拨款支出合计560万元，
    其中项目支出150万元")."""
    text = ctx.text
    words = ctx.patterns.compiled_words("scope")
    start = sentence_start(text, pos)
    if text.startswith("其中", start) and start > 0:
        own_end = text.find("其中", start + 2, pos)
        if words.search(text[start : own_end if own_end >= 0 else pos]):
            return True
        start = sentence_start(text, start - 1)
    head_end = text.find("其中", start, pos)
    head = text[start : head_end if head_end >= 0 else pos]
    return bool(words.search(head))


def _pick(ctx: Context, field_name: str, path: str | None = None, *, in_tables: bool = False,
          remember: bool = True, keep=None, balance: bool = False, extra=()) -> Money | None:
    """The field's value among its patterns' matches; ``keep(match)`` may refuse a match.

    A pattern marked ``of_year = true`` reads a total of the year's own money (本年收入合计),
    which a 决算 states beside the grand total that holds the carry-over (收入总计 = 本年收入合计
    + 年初结转和结余): when the text states both, the grand total is the field and the year's
    total is another figure (its candidates are kept under ``<path>.of_year``, not compared)."""
    path = path or field_name
    found = []
    for pat, m in ctx.matches(field_name):
        if _scoped(ctx, m.start()) or of_another_year(ctx, m.start()) or (keep is not None and not keep(m)):
            continue
        v = _table_figure(ctx, m, pat.id, balance=balance) if in_tables else money_from(ctx, m, pat.id)
        if v is not None:
            found.append((pat, v))
    found.extend(extra)
    grand = [(p, v) for p, v in found if not p.options.get("of_year")]
    if grand:
        others = [(p, v) for p, v in found if p.options.get("of_year")]
        found = grand
        if remember:
            for _, v in others:
                ctx.remember(path + ".of_year", v)
    if remember:
        for _, v in found:
            ctx.remember(path, v)
    return choose([(p.priority, v) for p, v in found])


# "其中社区服务项目执行率…", "其中中央资金年初预算…": 其中 shortly before the label, no figure between
_OF_A_PART = compile_regex(r"其中[^\d]{0,16}$")


def _in_a_list_of_parts(ctx: Context, pos: int) -> bool:
    """A rate in a 其中 list that runs over several clauses: "其中中央资金1,800万元，执行率100%；
    省级资金700万元，执行率95.6%。" (every rate is one fund's)."""
    text = ctx.text
    start = max(max(text.rfind(c, 0, pos) for c in "。\n") + 1, pos - DEFAULT_HEAD_WINDOW)
    return text.find("其中", start, pos) >= 0


_TOTAL_LABEL = "{L_revenue_total}|{L_expenditure_total}|{L_revenue_total_of_year}|{L_expenditure_total_of_year}"


def _of_another_subject(ctx: Context, pos: int) -> bool:
    """A total in a sentence whose first total names another subject than the unit: "妇女儿童活动中心
    收入合计45.30万元，支出合计44.80万元" (the sentence is the centre's), "财政补助收入合计86.40万元，
    支出合计…" (the subsidy's). The first total's own label is judged by its pattern (total_head)."""
    text = ctx.text
    start = sentence_start(text, pos, DEFAULT_HEAD_WINDOW)
    first = compiled(_TOTAL_LABEL).search(text, start, pos)
    if first is None or compiled("{total_head}").match(text, first.start()) is not None:
        return False
    subject = text[max(start, first.start() - 2) : first.start()]
    if not _HAN_CHAR.search(subject[-1:]):  # a heading's bracket ("（三）收入决算：…"), not a subject
        return False
    # the unit by its kind ("学校总收入…" in a school's report), or its final accounts (部门决算收入合计)
    return not (subject == "决算" or (ctx.department and ctx.department.endswith(subject)))


def _budget_sentence(ctx: Context, m) -> bool:
    """A budget figure of the unit or project itself: not of a part (其中 in its clause), nor,
    in a department's report, of one of its projects."""
    pos = m.start()
    return not _OF_A_PART.search(ctx.text, clause_start(ctx.text, pos), pos) and not of_one_project(ctx, pos)


# ---- a figure read from a table row -----------------------------------------------------------
# Totals are read as "label | figure"; a table's columns say what the figure is. The column of
# row numbers (行次/栏次) is skipped; a column of last year's figures, of changes or shares, and
# a budget column beside the year's actual figures are not the year's totals.
_ROW_NUMBER_HEAD = compile_regex(r"^(?:行次|栏次|序号|行号)$")
_OTHER_FIGURE_HEAD = compile_regex(r"上年|去年|上期|同期|增减|增长|减少|增加|变动|差额|差异|占比|比重|百分比|%|率")
_BUDGET_HEAD = compile_regex(r"预算|年初")
_ACTUAL_HEAD = compile_regex(r"决算|执行|实际|完成")
_FORM_HEAD = compile_regex(r"预算|执行")
_HEAD_YEAR = compile_regex(r"(20[0-4]\d)年")
_HAN_CHAR = compile_regex(r"[一-龥]")
# the next cell that holds a figure, past empty ones (a 决算 table leaves 年初预算数 empty on its
# carry-over and 总计 rows)
_NEXT_CELL = compile_regex(r"(?:[ ]*\|[ ]*(?=\|))*[ ]*\|[ ]*(?P<num>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)[ ]*(?=\||$)",
                           regex.MULTILINE)
DEFAULT_HEADER_ROWS = 200  # a 决算 table runs to 60 rows or more; its totals stand far below the header
DEFAULT_COLUMNS_PASSED = 4
DEFAULT_ROW_NUMBER_WINDOW = 3000


def _header_cell(text: str, pos: int) -> tuple[str, list[str]] | None:
    """The header of the pipe-table column that holds ``pos``: the nearest row above with words
    in that column (rows of figures, 栏次 rows of 1 | 2 | 3, are passed over), and that row's cells.
    None when ``pos`` is not in a table row, no header stands above it, or the header has another
    number of cells than the row (merged cells: its columns cannot be told)."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    line = text[start : end if end >= 0 else len(text)]
    if "|" not in line:
        return None
    col = line.count("|", 0, pos - start)
    width = line.count("|")
    for _ in range(DEFAULT_HEADER_ROWS):
        if start == 0:
            return None
        prev_start = text.rfind("\n", 0, start - 1) + 1
        row = text[prev_start : start - 1]
        start = prev_start
        if "|" not in row:
            return None
        cells = ["".join(c.split()) for c in row.split("|")]
        if col < len(cells) and _HAN_CHAR.search(cells[col]):
            return (cells[col], cells) if row.count("|") == width else None
    return None


def _other_column(head: str, cells: list[str]) -> bool:
    """A header cell naming figures other than the year's own: row numbers, last year's, a change,
    a share, a budget beside the actual figures, or an earlier year beside a later one."""
    if _ROW_NUMBER_HEAD.match(head) or _OTHER_FIGURE_HEAD.search(head):
        return True
    if _BUDGET_HEAD.search(head) and not _ACTUAL_HEAD.search(head) and any(
            _ACTUAL_HEAD.search(c) and not _BUDGET_HEAD.search(c) for c in cells):
        return True
    year = _HEAD_YEAR.search(head)
    return bool(year) and any(int(y) > int(year.group(1)) for c in cells for y in _HEAD_YEAR.findall(c))


def _table_figure(ctx: Context, m, pattern_id: str, *, balance: bool = False) -> Money | None:
    """``money_from`` for a total read beside its label, checked against the table it stands in:
    the figure is taken from the first column to the right whose header names the year's own
    figures (金额, 本年数, 决算数, 2023年 beside 2022年), past row numbers and other columns."""
    text = ctx.text
    if m.groupdict().get("unit"):  # a unit written with the figure: not a table's cell
        return money_from(ctx, m, pattern_id)
    header = _header_cell(text, m.start("num"))
    if header is None:
        return None if _row_number_like(ctx, m) else money_from(ctx, m, pattern_id)
    cell, moved = m, False
    for _ in range(DEFAULT_COLUMNS_PASSED + 1):
        if not _other_column(*header):
            if balance and _FORM_HEAD.search(header[0]):
                # a balance (年初/年末结转和结余) is not read from a budget form's columns: there
                # 上年结转资金 is a source of the money budgeted and spent (年初预算数 | 全年执行数)
                return None
            return money_from(ctx, cell, pattern_id + ".column" if moved else pattern_id)
        cell, moved = _NEXT_CELL.match(text, cell.end("num")), True
        if cell is None:
            return None
        header = _header_cell(text, cell.start("num"))
        if header is None:
            return None
    return None


def _row_number_like(ctx: Context, m) -> bool:
    """A bare whole number of up to three digits, without a unit, in a text whose tables number
    their rows (行次, 栏次): a row number (a total is not a few yuan, and 万元 tables write decimals)."""
    raw = m.group("num")
    if not (raw.isdigit() and len(raw) <= 3):
        return False
    start = m.start("num")
    return ctx.text.find("行次", max(0, start - DEFAULT_ROW_NUMBER_WINDOW), start) >= 0 or \
        ctx.text.find("栏次", max(0, start - DEFAULT_ROW_NUMBER_WINDOW), start) >= 0


def _items_after(ctx: Context, value: Money, window: int = DEFAULT_LIST_WINDOW) -> list[Item]:
    """The "其中" list that follows a total, up to the end of its sentence."""
    text = ctx.text
    start = ctx.folded.to_folded(value.span[1])
    head = _LIST_LEAD.match(text, start, start + 12)
    if not head:
        return []
    stop = _list_end(text, start, window)
    if stop is None:
        return []
    rx = compiled(_ITEM)
    out = []
    for m in rx.finditer(text, start, stop):
        name = fold_name(m.group("name")).strip("“”\"")
        name = _LIST_WORD.sub("", name)
        if _NOT_A_SOURCE.search(name):  # "…其他收入7万元；支出总计287.45万元，…": the list has ended
            break
        money = money_from(ctx, m, "list.item")
        if money is None:
            continue
        out.append(Item(name=name, amount=money, share=share_from(ctx, m, "list.share"),
                        name_span=ctx.folded.span(*m.span("name"))))
    return out


def _list_end(text: str, start: int, window: int) -> int | None:
    """Where a list that starts at ``start`` ends: its sentence's full stop, or the window's end.
    None when the document itself ends inside the list (an excerpt cut mid-list): its items
    would look like a complete breakdown that does not add up."""
    stop = text.find("。", start, start + window)
    if stop >= 0:
        return stop
    end = min(len(text), start + window)
    if end == len(text) and "\n" not in text[start:end].rstrip():
        return None
    return end


_CLAUSE_HEAD = compile_regex(r"^[ ]?(?:其中[:]?)?[ ]?(?:[一二三四五六七八九十\d]+[、.]|\([一二三四五六七八九十\d]+\))?[ ]?")
_BUDGET_WORD = compile_regex(r"预算(?!执行)")
_SPENT_WORD = compile_regex(r"决算|执行|实际|完成")


def _part_of_a_class(ctx: Context, pos: int) -> bool:
    """基本支出/项目支出 in the 其中 list of one functional class ("教育支出100万元，其中基本支出…、
    项目支出…") are that class's, and in the 其中 list of a budget ("年初预算数365万元，其中：基本支出…")
    are the budget's: neither is the unit's spending."""
    text = ctx.text
    start = sentence_start(text, pos)
    lead = text.rfind("其中", start, pos)
    if lead < 0:
        return False
    clause_end = lead
    if lead == start and start > 0:  # "…年初预算数365万元。其中：基本支出…"
        clause_end = start - 1
    head = text[clause_start(text, max(0, clause_end - 1)) : clause_end]  # the clause before "，其中"
    head = head[_CLAUSE_HEAD.match(head).end():]
    if _BUDGET_WORD.search(head) and not _SPENT_WORD.search(head):
        return True
    # the class's spending ("教育支出", "一般公共服务(类)"), not a unit named after it ("教育局…")
    return any(head.startswith(c) and head[len(c):].startswith(("支出", "(类)", "类"))
               for c in ctx.patterns.words["functions"]["classes"])


def _is_carryover(name: str) -> bool:
    return "结转" in name or "结余" in name


# a 决算 table's last row: "总计 | 9 | 402.12 | 总计 | 36 | 402.12", under 本年收入合计 / 本年支出合计
_BARE_TOTAL = "(?P<label>总\\s?计)[ ]?\\|[ ]?{money}"


@dataclasses.dataclass(frozen=True)
class _CodePattern:
    """What ``_pick`` needs of a pattern, for a figure found by code rather than by a field pattern."""
    id: str
    priority: int = 10
    options: dict = dataclasses.field(default_factory=dict)


def _bare_totals(ctx: Context, side: str) -> list:
    """The grand total of a 决算 table that writes its last row as a bare 总计: the 总计 cell in the
    column where the year's total (本年收入合计 / 本年支出合计) stands a few rows above, in the
    same table. (A two-sided table has one for revenue and one for spending.)"""
    text = ctx.text
    if "总计" not in text or "|" not in text:
        return []
    year_label = compiled("^{L_" + side + "_total_of_year}$")
    cell_total = compiled(_BARE_TOTAL)
    pattern = _CodePattern(f"{side}.total.table_total")
    out, cols = [], []
    for line, off in lines_with_offsets(text):
        if "|" not in line:
            cols = []
            continue
        cells = split_cells(line, off)
        names = ["".join(c.split()) for c, _, _ in cells]
        here = [k for k, n in enumerate(names) if year_label.match(n)]
        if here:
            cols = here
            continue
        for k in cols:
            if k < len(names) and names[k] == "总计":
                cell, start, _ = cells[k]
                m = cell_total.match(text, start + len(cell) - len(cell.lstrip()))
                v = _table_figure(ctx, m, pattern.id) if m else None
                if v is not None:
                    out.append((pattern, v))
    return out


def extract_revenue(ctx: Context) -> Revenue:
    keep = lambda m: not _of_another_subject(ctx, m.start())  # noqa: E731
    rev = Revenue(total=_pick(ctx, "revenue.total", in_tables=True, extra=_bare_totals(ctx, "revenue"), keep=keep))
    if rev.total is not None:
        subtotals = ctx.patterns.words["revenue"]["subtotals"]
        rev.items = [i for i in _items_after(ctx, rev.total) if not _is_carryover(i.name) and i.name not in subtotals]
    return rev


def extract_expenditure(ctx: Context) -> Expenditure:
    keep = lambda m: not _of_another_subject(ctx, m.start())  # noqa: E731
    exp = Expenditure(total=_pick(ctx, "expenditure.total", in_tables=True, extra=_bare_totals(ctx, "expenditure"),
                                  keep=keep))
    for type_name in ("基本支出", "项目支出"):
        found, items = [], {}
        for pat, m in ctx.matches(f"expenditure.by_type.{type_name}"):
            if _scoped(ctx, m.start()) or of_another_year(ctx, m.start()) or _part_of_a_class(ctx, m.start("label")):
                continue
            v = _table_figure(ctx, m, pat.id)
            if v is not None:
                found.append((pat.priority, v))
                items[v.span] = Item(name=type_name, amount=v, share=share_from(ctx, m, pat.id + ".share"),
                                     name_span=ctx.folded.span(*m.span("label")))
                ctx.remember(f"expenditure.by_type.{type_name}", v)
        chosen = choose(found)
        if chosen is not None:
            exp.by_type.append(items[chosen.span])
    exp.by_function = _functions(ctx, exp.total)
    return exp


def _functions(ctx: Context, total: Money | None) -> list[Item]:
    classes = ctx.patterns.words["functions"]["classes"]
    text = ctx.text
    marked = [m.end() for m in _FUNCTION_MARK.finditer(text)]
    starts = list(marked)
    if total is not None:
        starts.append(ctx.folded.to_folded(total.span[1]))
    rx = compiled(_ITEM)
    for start in starts:
        stop = _list_end(text, start, DEFAULT_LIST_WINDOW)
        if stop is None:
            continue
        items = []
        for m in rx.finditer(text, start, stop):
            name = fold_name(m.group("name"))
            name = _LIST_WORD.sub("", name)
            if not any(name.startswith(c) for c in classes):
                continue
            money = money_from(ctx, m, "function.item")
            if money is None:
                continue
            items.append(Item(name=name, amount=money, share=share_from(ctx, m, "function.share"),
                              name_span=ctx.folded.span(*m.span("name"))))
        if len(items) >= 2 or (items and start in marked):
            return items
    return []


def extract_carryover(ctx: Context) -> Carryover:
    keep = lambda m: not _of_a_budget(ctx, m.start())  # noqa: E731
    return Carryover(start=_pick(ctx, "carryover.start", in_tables=True, balance=True, keep=keep),
                     end=_pick(ctx, "carryover.end", in_tables=True, balance=True, keep=keep))


def _of_a_budget(ctx: Context, pos: int) -> bool:
    """A carry-over listed in a budget's parts ("部门预算收入合计890.45万元，其中…，上年结转40.00万元")
    is the budget's estimate, not the year's balance."""
    text = ctx.text
    start = sentence_start(text, pos, DEFAULT_HEAD_WINDOW)
    lead = max(text.rfind("其中", start, pos), text.rfind("(含", start, pos))
    if lead < 0:
        return False
    head = text[start:lead]
    return bool(_BUDGET_WORD.search(head)) and not _SPENT_WORD.search(head)


def execution_indicator(ctx: Context):
    """The execution rate as the form scores it (分值 10, 得分 9.85 on the 年度资金总额 row): in the
    national self-evaluation forms a level-1 indicator beside the table's 产出/效益/满意度 (90 points),
    the two making the total. None when the form gives it no points."""
    from ..model import Indicator

    form = read_form(ctx)
    if "points" not in form:
        return None
    mx = form["points"]
    return Indicator(name="预算执行率", level=1, max=mx, score=form.get("score"),
                     name_span=ctx.folded.span(*_row_label_span(ctx, mx)))


def _row_label_span(ctx: Context, figure) -> tuple[int, int]:
    """The folded span of the first cell of the row that holds ``figure`` (the row's label)."""
    text = ctx.text
    at = ctx.folded.to_folded(figure.span[0])
    start = text.rfind("\n", 0, at) + 1
    cell = text.find("|", start, at)
    while cell >= 0 and not text[start:cell].strip():  # a row that opens with an empty cell
        start, cell = cell + 1, text.find("|", cell + 1, at)
    end = cell if cell >= 0 else at
    lead = len(text[start:end]) - len(text[start:end].lstrip())
    return start + lead, start + len(text[start:end].rstrip())


def extract_budget(ctx: Context) -> Budget:
    from .common import number_from

    form = {FORM_FIELD[k]: v for k, v in read_form(ctx).items() if k in FORM_FIELD}
    for key, value in form.items():  # the form's row restates what the narrative says
        ctx.remember(f"budget.{key}", value)
    rates = []
    for pat, m in ctx.matches("budget.execution_rate"):
        if (_scoped(ctx, m.start()) or of_another_year(ctx, m.start()) or not _budget_sentence(ctx, m)
                or _in_a_list_of_parts(ctx, m.start())):
            continue
        value = number_from(ctx, m, pat.id, suffix="%")
        if value is not None:
            rates.append((pat.priority, ctx.remember("budget.execution_rate", value)))
    rate = form.get("execution_rate") or choose(rates)
    # the form is read first so that its figure is the one kept; the narrative's are candidates
    picked = {key: _pick(ctx, f"budget.{key}", keep=lambda m: _budget_sentence(ctx, m))
              for key in ("total", "adjusted", "spent")}
    if form.get("total") is None and picked["total"] is None and "revenue.total" in ctx.candidates:
        picked["total"] = _budget_documents_revenue(ctx)
    return Budget(total=form.get("total") or picked["total"], adjusted=form.get("adjusted") or picked["adjusted"],
                  spent=form.get("spent") or picked["spent"], execution_rate=rate)


def _budget_documents_revenue(ctx: Context) -> Money | None:
    """A budget disclosure (单位预算, 部门预算 …: its title names it) states the year's budget as its
    revenue total (收入合计 / 收入经费总合计): that total is the budget at the start of the year."""
    from .meta import extract_kind, extract_title

    kind = extract_kind(ctx, extract_title(ctx))
    if kind is None or kind.pattern != "kind.title.other":
        return None
    total = _pick(ctx, "revenue.total", in_tables=True, remember=False)
    if total is None:
        return None
    return ctx.remember("budget.total", dataclasses.replace(total, pattern="budget.total.budget_document"))

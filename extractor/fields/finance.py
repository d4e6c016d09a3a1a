"""Money: revenue and its sources, expenditure by type and by function, carry-over, budget.

Every figure is a mention of the prose scanner (a label in running text, or a label in a table's
cell read by its row and column), or a project form's money row; the field takes its best
candidates (``choose``) and keeps the others for the verifier.
"""

from __future__ import annotations

import dataclasses

import regex

from ..model import AMONG_OTHERS, WITH_OTHER_ITEMS, Budget, Carryover, Expenditure, Item, Money, Revenue
from ..patterns import label_alternation
from .common import DEFAULT_HEAD_WINDOW, Context, agrees, choose, clause_start, compiled, sentence_start
from .forms import FIELD as FORM_FIELD
from .forms import read_form, source_rows
from .lists import functions, items_after, list_end, list_items, revenue_items
from .prose import Mention, field_mentions, figure_after, lexicon, mentions, row_number_like

_TOTALS = ("revenue.total", "expenditure.total", "revenue.total.of_year", "expenditure.total.of_year")


def pick(ctx: Context, field_name: str, path: str | None = None, *, extra=(), remember: bool = True):
    """The field's value among its mentions (and ``extra`` (priority, value) pairs)."""
    path = path or field_name
    found = [(m.priority, m.value) for m in field_mentions(ctx, field_name)] + list(extra)
    if remember:
        for _, v in found:
            ctx.remember(path, v)
    return choose(found)


def _total(ctx: Context, side: str) -> Money | None:
    """A grand total (收入总计) or, when none is stated, the year's own total (本年收入合计), which a
    决算 states beside the grand total that holds the carry-over: the year's total is then kept as
    ``<side>.total.of_year`` for the verifier, not compared with the grand total."""
    from .cells import bare_totals

    keep = [m for m in field_mentions(ctx, f"{side}.total") if not _of_another_subject(ctx, m.label_span[0])]
    grand = [(m.priority, m.value) for m in keep] + bare_totals(ctx, side) + _flattened_bare_totals(ctx, side)
    of_year = [
        (m.priority, m.value)
        for m in field_mentions(ctx, f"{side}.total.of_year")
        if not _of_another_subject(ctx, m.label_span[0])
    ]
    if grand:
        other = (WITH_OTHER_ITEMS,) if _states_other_items(ctx) else ()
        for _, v in of_year:
            ctx.remember(f"{side}.total.of_year", dataclasses.replace(v, qualifiers=(*v.qualifiers, *other)))
        chosen = grand
    else:
        chosen = of_year
    for _, v in chosen:
        ctx.remember(f"{side}.total", v)
    return choose(chosen)


def _flattened_bare_totals(ctx: Context, side: str) -> list:
    """The grand totals of a 决算 table flattened one cell per line, whose last rows are bare 总计
    lines, one per side in the order the sides' year totals came ("本年收入合计\n30\n405.00\n
    本年支出合计\n59\n402.50\n…总计\n64\n408.00\n总计\n64\n408.00"): the k-th bare 总计 line
    after the last year's total is the k-th side's; none when the count of lines differs."""
    text = ctx.text
    sides = []
    for s in ("revenue", "expenditure"):
        alone = [m for m in field_mentions(ctx, f"{s}.total.of_year") if _line_of(text, m.label_span) is not None]
        if alone:
            sides.append((alone[0].label_span[0], alone[-1].label_span[1], s))
    if side not in (s for _, _, s in sides):
        return []
    sides.sort()
    after = max(end for _, end, _ in sides)
    words = ctx.patterns.prose.get("bare_total", {}).get("words", ())
    bare = compiled(r"(?m)^[ ]?(?:" + "|".join(map(regex.escape, words)) + r")[ ]?$") if words else None
    lines = list(bare.finditer(text, after)) if bare is not None else []
    if len(lines) != len(sides):
        return []
    line = lines[[s for _, _, s in sides].index(side)]
    entry = lexicon(ctx.patterns).by_field[f"{side}.total"][0]
    _, value = figure_after(ctx, entry, line.end(), lexicon(ctx.patterns))
    return [(entry.priority, value)] if value is not None else []


def _line_of(text: str, span: tuple[int, int]) -> tuple[int, int] | None:
    """The label's line when it stands alone on it (a cell of a table flattened one cell per line)."""
    start = text.rfind("\n", 0, span[0]) + 1
    end = text.find("\n", span[1])
    end = len(text) if end < 0 else end
    return (start, end) if not text[start : span[0]].strip() and not text[span[1] : end].strip() else None


def _states_other_items(ctx: Context) -> bool:
    """Whether the report states an item its grand totals hold besides the year's totals and the
    carry-overs, with a figure other than zero (结余分配10万元, 用事业基金弥补收支差额20万元)."""
    words = ctx.patterns.words.get("grand_total", {}).get("other_items", ())
    if not words:
        return False
    money = lexicon(ctx.patterns).tails["money"]
    for m in compiled(label_alternation(words)).finditer(ctx.text):
        tail = money.match(ctx.text, m.end())
        if tail is None or row_number_like(ctx, tail):  # a 决算 table's 行次 beside the label
            continue
        if any(c in "123456789" for c in tail.group("num")):
            return True
    return False


def _of_another_subject(ctx: Context, pos: int) -> bool:
    """A total in a sentence whose first total names another subject than the unit: "妇女儿童活动中心
    收入合计45.30万元，支出合计44.80万元" (the sentence is the centre's), "财政补助收入合计86.40万元，
    支出合计…" (the subsidy's)."""
    text = ctx.text
    lex = lexicon(ctx.patterns)
    start = sentence_start(text, pos, DEFAULT_HEAD_WINDOW)
    for m in lex.regex.finditer(text, start, pos + 1):
        entries = lex.by_label.get("".join(m.group().split()), ())
        if not any(e.field in _TOTALS for e in entries) or lex.tails["money"].match(text, m.end()) is None:
            continue  # not a total, or a total's name without its figure ("收入支出决算总体情况")
        from .prose import _whole

        if _whole(text, m.start(), lex):
            return False
        subject = text[max(start, m.start() - 2) : m.start()]
        # the unit by its kind ("学校总收入…" in a school's report)
        return not (ctx.department and ctx.department.endswith(subject))
    return False


def extract_revenue(ctx: Context) -> Revenue:
    rev = Revenue(total=_total(ctx, "revenue"))
    if rev.total is not None:
        rev.items = revenue_items(ctx, rev.total)
    return rev


def extract_expenditure(ctx: Context) -> Expenditure:
    exp = Expenditure(total=_total(ctx, "expenditure"))
    chosen_mentions = []
    for type_name in ctx.patterns.prose.get("by_type", {}).get("names", ()):
        ms = field_mentions(ctx, f"expenditure.by_type.{type_name}")
        for m in ms:
            ctx.remember(f"expenditure.by_type.{type_name}", m.value)
        chosen = choose([(m.priority, m.value) for m in ms])
        if chosen is not None:
            m = next(m for m in ms if m.value is chosen)
            if _of_another_whole(ctx, exp.total, m):
                exp.by_type, chosen_mentions = [], []
                break
            chosen_mentions.append(m)
            exp.by_type.append(
                Item(name=type_name, amount=chosen, share=m.share, name_span=ctx.folded.span(*m.label_span))
            )
    if _among_other_parts(ctx, chosen_mentions):
        for item in exp.by_type:
            item.amount = dataclasses.replace(item.amount, qualifiers=(*item.amount.qualifiers, AMONG_OTHERS))
    exp.by_function = functions(ctx, exp.total)
    return exp


def _among_other_parts(ctx: Context, chosen: list[Mention]) -> bool:
    """By-type figures listed with other parts of spending that are no kind of it (经营支出, 上缴上级
    支出, 结余分配: "支出总计…，其中：基本支出…，项目支出…，经营支出40万元，结余分配10万元，…"): the
    by-type items are not the whole list. Carry-overs, totals, functional classes and an item's own
    parts (in brackets, after its 其中) are not such parts (words.toml [lists] not_a_part)."""
    text, words = ctx.text, ctx.patterns.words["lists"]
    names = set(ctx.patterns.prose.get("by_type", {}).get("names", ()))
    classes = tuple(ctx.patterns.words["functions"]["classes"])
    not_a_part, carry = compiled(words["not_a_part"]), tuple(words["carryover"])
    ended = compiled(words["spending_list_end"])
    for m in chosen:
        pos = m.label_span[0]
        # from the part's own clause: a total before it would take the list for its own 其中 list
        for item in list_items(ctx, clause_start(text, pos, DEFAULT_HEAD_WINDOW), list_end(text, pos) or pos):
            if ctx.folded.to_folded(item.amount.span[0]) > pos and ended.search(item.name):
                break  # another total, or revenue: the list of spending has ended
            in_kind = item.name in names or item.name.startswith(classes) or any(w in item.name for w in carry)
            if not in_kind and not not_a_part.search(item.name):
                return True
    return False


def _of_another_whole(ctx: Context, total: Money | None, part: Mention) -> bool:
    """A part its sentence lists after another whole than the unit's total: "本级支出760万元，其中基本
    支出460万元…；所属单位支出…" (the organ's own spending), "上年支出合计900万元，其中基本支出…". The
    nearest total stated before it in its sentence disagrees with the unit's total and with every
    year's total (本年支出合计) the report states beside it."""
    if total is None:
        return False
    pos = part.label_span[0]
    start = sentence_start(ctx.text, pos, DEFAULT_HEAD_WINDOW)
    fields = ("expenditure.total", "expenditure.total.of_year")
    wholes = [m for m in mentions(ctx) if m.field in fields and start <= m.label_span[0] < pos]
    if not wholes:
        return False
    whole = wholes[-1].value
    accepted = [total, *ctx.candidates.get("expenditure.total.of_year", ())]
    return not any(agrees(whole, v) for v in accepted)


def extract_carryover(ctx: Context) -> Carryover:
    return Carryover(start=pick(ctx, "carryover.start"), end=pick(ctx, "carryover.end"))


def execution_indicator(ctx: Context):
    """The execution rate as the form scores it (分值 10, 得分 9.85 on the 年度资金总额 row): in the
    national self-evaluation forms a level-1 indicator beside the table's 产出/效益/满意度 (90 points),
    the two making the total. None when the form gives it no points."""
    from ..model import Indicator
    from .forms import row_label_span

    form = read_form(ctx)
    if "points" not in form:
        return None
    name = ctx.patterns.prose.get("form", {}).get("rate_indicator")
    return Indicator(
        name=name, level=1, max=form["points"], score=form.get("score"), name_span=row_label_span(ctx, form)
    )


def extract_budget(ctx: Context) -> Budget:
    form = {FORM_FIELD[k]: v for k, v in read_form(ctx).items() if k in FORM_FIELD}
    for key, value in form.items():  # the form's row restates what the narrative says
        ctx.remember(f"budget.{key}", value)
    picked = {key: pick(ctx, f"budget.{key}") for key in ("total", "adjusted", "spent", "execution_rate")}
    if form.get("total") is None and picked["total"] is None and "revenue.total" in ctx.candidates:
        picked["total"] = _budget_documents_revenue(ctx)
    budget = Budget(**{k: form.get(k) or picked[k] for k in ("total", "adjusted", "spent", "execution_rate")})
    budget.sources = source_rows(ctx) or _listed_sources(ctx, budget)
    return budget


def _listed_sources(ctx: Context, budget: Budget) -> list:
    """The parts a sentence lists right after a budget figure ("总预算为318.4万元，其中部门预算项目
    支出…，专项预算支出…"), as sources stating that figure."""
    from ..model import BudgetRow

    for key in ("total", "adjusted"):
        value = getattr(budget, key)
        if value is not None:
            # an item named by a field's label is a figure of the source before it ("中央资金200万元，
            # 执行数200万元，执行率100%；省级资金…"), not a source
            labels = lexicon(ctx.patterns).by_label
            items = [i for i in items_after(ctx, value, revenue=False) if i.name not in labels]
            if len(items) >= 2:
                return [BudgetRow(name=i.name, name_span=i.name_span, **{key: i.amount}) for i in items]
    return []


def _budget_documents_revenue(ctx: Context) -> Money | None:
    """A budget disclosure (单位预算, 部门预算 …: its title names it) states the year's budget as its
    revenue total (收入合计 / 收入经费总合计): that total is the budget at the start of the year."""
    if ctx.kind_pattern != "kind.title.other":
        return None
    total = choose([(m.priority, m.value) for m in field_mentions(ctx, "revenue.total")])
    if total is None:
        return None
    return ctx.remember("budget.total", dataclasses.replace(total, pattern="budget.total.budget_document"))

"""Money: revenue and its sources, expenditure by type and by function, carry-over, budget."""

from __future__ import annotations

from ..model import Budget, Carryover, Expenditure, Item, Money, Revenue
from ..normalize import fold_name
from ..patterns import compile_regex
from .common import Context, choose, compiled, lines_with_offsets, money_from, share_from, split_cells

# a list of "name figure (share)" after a total: 其中：A收入1万元、B收入2万元；…
_ITEM = "(?:^|(?<=[,、;:|\n]))[ ]?(?:其中[:]?)?(?:[一二三四五六七八九十\\d]+[、.])?[ ]?(?P<name>[一-龥()“”\"]{2,30}?)[ ]?(?:为|是|:)?[ ]?{money}{share_tail}"
_FUNCTION_MARK = compile_regex(r"按(?:支出)?功能(?:分类|科目)?(?:划分)?[:]?|功能分类[:]?")
DEFAULT_LIST_WINDOW = 600
_LIST_LEAD = compile_regex(r"[ ]?[,;:]?[ ]?(?:其中|包括|主要包括|分别为)[:]?")
_LIST_WORD = compile_regex(r"^(?:其中|包括|主要包括|分别为)")


def _scoped(ctx: Context, pos: int) -> bool:
    """A figure in a sentence whose head names a subset of the unit's money
    ("一般公共预算财政拨款收入合计…，其中：…上年结转收入127.50万元") is that subset's, not the unit's."""
    text = ctx.text
    start = max(text.rfind(c, 0, pos) for c in "。;\n") + 1
    if text.startswith("其中", start) and start > 0:  # "…支出5605.66万元。其中：基本支出…"
        start = max(text.rfind(c, 0, start - 1) for c in "。;\n") + 1
    head_end = text.find("其中", start, pos)
    head = text[start : head_end if head_end >= 0 else pos]
    return bool(ctx.patterns.compiled_words("scope").search(head))


def _pick(ctx: Context, field_name: str, path: str | None = None) -> Money | None:
    found = []
    for pat, m in ctx.matches(field_name):
        v = money_from(ctx, m, pat.id)
        if v is not None and not _scoped(ctx, m.start()):
            found.append((pat.priority, v))
            ctx.remember(path or field_name, v)
    return choose(found)


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
        money = money_from(ctx, m, "list.item")
        if money is None:
            continue
        name = fold_name(m.group("name")).strip("“”\"")
        name = _LIST_WORD.sub("", name)
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


def _is_carryover(name: str) -> bool:
    return "结转" in name or "结余" in name


def extract_revenue(ctx: Context) -> Revenue:
    rev = Revenue(total=_pick(ctx, "revenue.total"))
    if rev.total is not None:
        subtotals = ctx.patterns.words["revenue"]["subtotals"]
        rev.items = [i for i in _items_after(ctx, rev.total) if not _is_carryover(i.name) and i.name not in subtotals]
    return rev


def extract_expenditure(ctx: Context) -> Expenditure:
    exp = Expenditure(total=_pick(ctx, "expenditure.total"))
    for type_name in ("基本支出", "项目支出"):
        found, items = [], {}
        for pat, m in ctx.matches(f"expenditure.by_type.{type_name}"):
            v = money_from(ctx, m, pat.id)
            if v is not None and not _scoped(ctx, m.start()):
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
    return Carryover(start=_pick(ctx, "carryover.start"), end=_pick(ctx, "carryover.end"))


_BUDGET_COLUMNS = (("total", "budget_start"), ("adjusted", "budget_adjusted"), ("spent", "budget_spent"),
                   ("execution_rate", "execution_rate"))
_CELL_MONEY = compile_regex(r"^[ ]*(?P<num>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)[ ]*(?P<pct>%)?[ ]*$")


def _budget_from_form(ctx: Context) -> dict:
    """A project form's money row: a header naming 年初预算数 | 全年预算数 | 全年执行数 | 执行率 and
    the 年度资金总额 row under it; the row's figures line up with the header's budget columns."""
    from ..model import Number
    from ..numbers import UNIT_FACTORS, parse_arabic

    text = ctx.text
    labels = {key: compiled("{L_" + name + "}") for key, name in _BUDGET_COLUMNS}
    total_row = compiled(r"^{L_budget_total_row}[:]?$")
    rows = lines_with_offsets(text)
    for i, (line, _) in enumerate(rows):
        if "|" not in line:
            continue
        header = [c.strip() for c in line.split("|")]
        keys = [next((k for k, rx in labels.items() if rx.fullmatch("".join(cell.split()))), None) for cell in header]
        if sum(k is not None for k in keys) < 2:
            continue
        # the figures line up with the header from its first budget column on (分值 etc. included)
        first = next(k for k, key in enumerate(keys) if key is not None)
        cols = keys[first:]
        for j in range(i + 1, min(i + 4, len(rows))):
            cells = [(c, start) for c, start, _ in split_cells(*rows[j])]
            idx = next((k for k, (c, _) in enumerate(cells) if total_row.match("".join(c.split()))), None)
            if idx is None:
                continue
            values = cells[idx + 1 : idx + 1 + len(cols)]
            unit = ctx.unit_before(rows[j][1])
            out = {}
            for key, (cell, start) in zip(cols, values, strict=False):  # a short row leaves columns empty
                m = _CELL_MONEY.match(cell)
                if key is None or not m:
                    continue
                num = parse_arabic(m.group("num"))
                s, e = start + m.start("num"), start + m.end("pct" if m.group("pct") else "num")
                if key == "execution_rate":
                    if m.group("pct"):
                        out[key] = ctx.ground(s, e, num.value, Number, "budget.form.rate", decimals=num.decimals)
                elif unit and not m.group("pct"):
                    out[key] = ctx.ground(s, e, num.value * UNIT_FACTORS[unit], Money, f"budget.form.{key}",
                                          decimals=num.decimals, unit=unit)
            if out:
                return out
    return {}


def extract_budget(ctx: Context) -> Budget:
    from .common import number_from

    form = _budget_from_form(ctx)
    for key, value in form.items():  # the form's row restates what the narrative says
        ctx.remember(f"budget.{key}", value)
    rates = []
    for pat, m in ctx.matches("budget.execution_rate"):
        value = number_from(ctx, m, pat.id, suffix="%")
        if value is not None:
            rates.append((pat.priority, ctx.remember("budget.execution_rate", value)))
    rate = form.get("execution_rate") or choose(rates)
    # the form is read first so that its figure is the one kept; the narrative's are candidates
    picked = {key: _pick(ctx, f"budget.{key}") for key in ("total", "adjusted", "spent")}
    return Budget(total=form.get("total") or picked["total"], adjusted=form.get("adjusted") or picked["adjusted"],
                  spent=form.get("spent") or picked["spent"], execution_rate=rate)

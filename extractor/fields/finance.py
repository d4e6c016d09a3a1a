"""Money: revenue and its sources, expenditure by type and by function, carry-over, budget."""

from __future__ import annotations

import regex

from ..model import Budget, Carryover, Expenditure, Item, Money, Revenue
from ..normalize import fold_name
from .common import Context, choose, compiled, money_from, share_from

# a list of "name figure (share)" after a total: 其中：A收入1万元、B收入2万元；…
_ITEM = "(?:^|(?<=[,、;:|\n]))[ ]?(?:其中[:]?)?(?:[一二三四五六七八九十\\d]+[、.])?[ ]?(?P<name>[一-龥()“”\"]{2,30}?)[ ]?(?:为|是|:)?[ ]?{money}{share_tail}"
_FUNCTION_MARK = regex.compile(r"按(?:支出)?功能(?:分类|科目)?(?:划分)?[:]?|功能分类[:]?")
_TYPE_MARK = regex.compile(r"按(?:支出)?(?:项目类别|经济性质|性质|类型)?(?:划分)?[:]")
DEFAULT_LIST_WINDOW = 600


def _pick(ctx: Context, field_name: str, path: str | None = None) -> Money | None:
    found = []
    for pat, m in ctx.matches(field_name):
        v = money_from(ctx, m, pat.id)
        if v is not None:
            found.append((pat.priority, v))
            ctx.remember(path or field_name, v)
    return choose(found)


def _items_after(ctx: Context, value: Money, window: int = DEFAULT_LIST_WINDOW) -> list[tuple[str, Money, object, tuple[int, int]]]:
    """The "其中" list that follows a total, up to the end of its sentence."""
    text = ctx.text
    start = ctx.folded.to_folded(value.span[1])
    head = regex.match(r"[ ]?[,;:]?[ ]?(?:其中|包括|主要包括|分别为)[:]?", text[start : start + 12])
    if not head:
        return []
    stop = text.find("。", start, start + window)
    stop = stop if stop >= 0 else min(len(text), start + window)
    rx = compiled(_ITEM)
    out = []
    for m in rx.finditer(text, start, stop):
        money = money_from(ctx, m, "list.item")
        if money is None:
            continue
        name = fold_name(m.group("name")).strip("“”\"")
        name = regex.sub(r"^(?:其中|包括|主要包括|分别为)", "", name)
        s, e = ctx.folded.span(*m.span("name"))
        out.append((name, money, share_from(ctx, m, "list.share"), (s, e)))
    return out


def _is_carryover(name: str) -> bool:
    return "结转" in name or "结余" in name


def extract_revenue(ctx: Context) -> Revenue:
    rev = Revenue(total=_pick(ctx, "revenue.total"))
    if rev.total is not None:
        for name, money, share, span in _items_after(ctx, rev.total):
            if not _is_carryover(name) and name not in ("本年收入",):
                rev.items.append(Item(name=name, amount=money, share=share, name_span=span))
    return rev


def extract_expenditure(ctx: Context) -> Expenditure:
    exp = Expenditure(total=_pick(ctx, "expenditure.total"))
    for type_name in ("基本支出", "项目支出"):
        found = []
        for pat, m in ctx.matches(f"expenditure.by_type.{type_name}"):
            v = money_from(ctx, m, pat.id)
            if v is not None:
                found.append((pat.priority, v, share_from(ctx, m, pat.id + ".share"), m.span("label")))
                ctx.remember(f"expenditure.by_type.{type_name}", v)
        if found:
            _, money, share, lspan = min(found, key=lambda f: (f[0], f[1].span[0]))
            exp.by_type.append(Item(name=type_name, amount=money, share=share, name_span=ctx.folded.span(*lspan)))
    exp.by_function = _functions(ctx, exp.total)
    return exp


def _functions(ctx: Context, total: Money | None) -> list[Item]:
    classes = ctx.patterns.words["functions"]["classes"]
    text = ctx.text
    starts = [m.end() for m in _FUNCTION_MARK.finditer(text)]
    if total is not None:
        starts.append(ctx.folded.to_folded(total.span[1]))
    rx = compiled(_ITEM)
    for start in starts:
        stop = text.find("。", start, start + DEFAULT_LIST_WINDOW)
        stop = stop if stop >= 0 else min(len(text), start + DEFAULT_LIST_WINDOW)
        items = []
        for m in rx.finditer(text, start, stop):
            name = fold_name(m.group("name"))
            name = regex.sub(r"^(?:其中|包括)", "", name)
            if not any(name.startswith(c) for c in classes):
                continue
            money = money_from(ctx, m, "function.item")
            if money is None:
                continue
            items.append(Item(name=name, amount=money, share=share_from(ctx, m, "function.share"),
                              name_span=ctx.folded.span(*m.span("name"))))
        if len(items) >= 2 or (items and start in [m.end() for m in _FUNCTION_MARK.finditer(text)]):
            return items
    return []


def extract_carryover(ctx: Context) -> Carryover:
    return Carryover(start=_pick(ctx, "carryover.start"), end=_pick(ctx, "carryover.end"))


def extract_budget(ctx: Context) -> Budget:
    from .common import number_from

    rate = None
    for pat, m in ctx.matches("budget.execution_rate"):
        rate = number_from(ctx, m, pat.id, suffix="%")
        if rate is not None:
            break
    return Budget(total=_pick(ctx, "budget.total"), adjusted=_pick(ctx, "budget.adjusted"),
                  spent=_pick(ctx, "budget.spent"), execution_rate=rate)

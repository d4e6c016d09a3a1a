"""Lists of parts after a total: revenue by source, spending by functional class (words.toml [lists])."""

from __future__ import annotations

from decimal import Decimal

from ..model import Item, Money
from ..normalize import fold_name
from .common import Context, compiled, money_from, share_from, tolerance

DEFAULT_LIST_WINDOW = 600
MIN_MARKED_ITEMS = 2  # one figure after a mark is no list
_FULL_STOP = "\u3002"


def _words(ctx: Context) -> dict:
    return ctx.patterns.words["lists"]


def list_end(text: str, start: int, window: int = DEFAULT_LIST_WINDOW) -> int | None:
    """Where a list that starts at ``start`` ends: its sentence's full stop, or the window's end.
    None when the document itself ends inside the list (an excerpt cut mid-list): its items
    would look like a complete breakdown that does not add up."""
    stop = text.find(_FULL_STOP, start, start + window)
    if stop >= 0:
        return stop
    end = min(len(text), start + window)
    if end == len(text) and "\n" not in text[start:end].rstrip():
        return None
    return end


def items_after(ctx: Context, value: Money, window: int = DEFAULT_LIST_WINDOW, *, revenue: bool = True) -> list[Item]:
    """The "其中" list that follows a total, up to the end of its sentence (a revenue list ends
    where spending or another total is named)."""
    words = _words(ctx)
    text = ctx.text
    start = ctx.folded.to_folded(value.span[1])
    lead = compiled(words["lead"]).match(text, start, start + 12)
    change = None if lead else compiled(words["change_clause"]).match(text, start)
    if change is not None:
        start = change.end()
        lead = compiled(words["lead"]).match(text, start, start + 12)
    if not lead:
        return []
    stop = list_end(text, lead.end(), window)
    if stop is None:
        return []
    items = list_items(ctx, start, stop, value, revenue=revenue)
    return [] if change is not None and not _agrees_sum(items, value) else items


def list_items(ctx: Context, start: int, stop: int, whole: Money | None = None, *, revenue: bool = False) -> list[Item]:
    """The items "name figure (share)" of a list in text[start:stop] (folded offsets), less those in
    brackets and an item's own 其中 list; it ends at the whole said again (and, for revenue, where
    spending or another total is named)."""
    words = _words(ctx)
    text = ctx.text
    lead_word, not_a_source = compiled(words["lead_word"]), compiled(words["not_a_source"])
    out, nested = [], []
    for m in compiled(words["item"]).finditer(text, start, stop):
        if _in_brackets(text, start, m.start()):  # a note on the item before: "财政拨款收入…（其中…）"
            continue
        name = lead_word.sub("", fold_name(m.group("name")).strip('\u201c\u201d"'))
        if revenue and not_a_source.search(name):  # "…其他收入7万元；支出总计287.45万元，…": the list has ended
            break
        money = money_from(ctx, m, "list.item")
        if money is not None:
            if whole is not None and money.value == whole.value and out:  # the total said again: the list ended
                break
            out.append(_item(ctx, m, name, money, "list"))
            opening = text[m.start() : m.end("name")].lstrip(" ")  # the item's words before its figure
            nested.append(bool(out[:-1]) and lead_word.match(opening) is not None)
    return _without_sublists(out, nested)


def _item(ctx: Context, m, name: str, money: Money, kind: str) -> Item:
    """A listed item read by the ``{kind}.item`` pattern: its amount, the share stated with it."""
    return Item(
        name=name, amount=money, share=share_from(ctx, m, f"{kind}.share"), name_span=ctx.folded.span(*m.span("name"))
    )


def _refused_mark(ctx: Context, mark) -> bool:
    """A 按功能分类 mark whose sentence or section speaks of a subset (一般公共预算财政拨款支出…按功能分类：)
    or another year: its list is not the unit's spending (words.toml [lists] function_refuse)."""
    from .prose import lexicon
    from .qualify import qualifiers_of

    quals = qualifiers_of(ctx, lexicon(ctx.patterns).qualifiers, mark.start(), mark.end(), mark.end())
    return bool(quals & set(_words(ctx)["function_refuse"]))


def _in_brackets(text: str, start: int, pos: int) -> bool:
    """Whether ``pos`` is inside a bracket opened since ``start``."""
    return text.count("(", start, pos) > text.count(")", start, pos)


def _without_sublists(items: list[Item], nested: list[bool]) -> list[Item]:
    """The list less the parts an item's own 其中 lists ("财政拨款收入1,100万元，其中一般公共预算…
    1,000万元、政府性基金…100万元；事业收入…"): the items from that 其中 on that make up the item
    before it. A sub-list that makes up no item leaves no sure reading of the list: none."""
    out: list[Item] = []
    i = 0
    while i < len(items):
        if not nested[i]:
            out.append(items[i])
            i += 1
            continue
        parent = out[-1].amount
        for j in range(i, len(items)):
            if _agrees_sum(items[i : j + 1], parent):
                break
            if sum(it.amount.value for it in items[i : j + 1]) > parent.value:
                return []
        else:
            return []
        i = j + 1
    return out


def _agrees_sum(parts: list[Item], whole: Money) -> bool:
    """The parts add up to the whole within the rounding each was written with."""
    if not parts:
        return False
    amounts = [p.amount for p in parts]
    tol = sum((tolerance(a) for a in [*amounts, whole]), Decimal(0))
    return abs(sum(a.value for a in amounts) - whole.value) <= tol


def revenue_items(ctx: Context, total: Money) -> list[Item]:
    """The sources listed after the revenue total (or after a 收入来源 mark, when they add up to
    it), less carry-overs and the list's own subtotals."""
    subtotals = ctx.patterns.words["revenue"]["subtotals"]
    carry = tuple(_words(ctx)["carryover"])
    items = items_after(ctx, total) or _marked_sources(ctx, total)
    return [i for i in items if not any(w in i.name for w in carry) and i.name not in subtotals]


def _marked_sources(ctx: Context, total: Money) -> list[Item]:
    """The first list after a 收入来源 mark (not of a fund or another year) whose items add up to
    the revenue total."""
    for mark in compiled(_words(ctx)["source_mark"]).finditer(ctx.text):
        if _refused_mark(ctx, mark):
            continue
        stop = list_end(ctx.text, mark.end())
        items = list_items(ctx, mark.end(), stop, total, revenue=True) if stop is not None else []
        if len(items) >= MIN_MARKED_ITEMS and _agrees_sum(items, total):
            return items
    return []


def functions(ctx: Context, total: Money | None) -> list[Item]:
    """Spending by functional class: after a 按功能分类 mark, or after the spending total."""
    words = _words(ctx)
    classes = ctx.patterns.words["functions"]["classes"]
    text = ctx.text
    marked = [m.end() for m in compiled(words["function_mark"]).finditer(text) if not _refused_mark(ctx, m)]
    starts = list(marked)
    if total is not None:  # after the total, or after the 其中 that opens its list ("…万元。其中：")
        after = ctx.folded.to_folded(total.span[1])
        lead = compiled(words["lead"]).match(text, after, after + 12)
        starts.append(lead.end() if lead else after)
    item, lead_word = compiled(words["item"]), compiled(words["lead_word"])
    for start in starts:
        stop = list_end(text, start)
        if stop is None:
            continue
        items = []
        for m in item.finditer(text, start, stop):
            if _in_brackets(text, start, m.start()):
                continue
            name = lead_word.sub("", fold_name(m.group("name")))
            if not any(name.startswith(c) for c in classes):
                continue
            money = money_from(ctx, m, "function.item")
            if money is not None:
                items.append(_item(ctx, m, name, money, "function"))
        if len(items) >= 2 or (items and start in marked):
            return items
    return []

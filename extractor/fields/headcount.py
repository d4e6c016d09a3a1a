"""Headcount: 编制 (authorised), 实有 (actual), 在职 (in service), 退休 (retired) and breakdowns.

Counts are mentions of the prose scanner (labels of labels.toml, qualifiers of qualifiers.toml);
what is left here is relational: a count in the 其中 list of the same count is a part of it, and
the one establishment category a unit states is its establishment.
"""

from __future__ import annotations

from ..model import Count, Headcount, Part
from ..normalize import fold_name
from .common import Context, choose, compiled, count_from
from .prose import Mention, field_mentions, mentions

FIELDS = ("authorized", "actual", "in_service", "retired")
_BREAKDOWN_WINDOW = 80
MIN_CATEGORIES = 2  # one category and a 共计 is no list of categories


def extract_headcount(ctx: Context) -> Headcount:
    hc = Headcount()
    for name in FIELDS:
        found = _without_parts(ctx, field_mentions(ctx, f"headcount.{name}"))
        for m in found:
            ctx.remember(f"headcount.{name}", m.value)
        setattr(hc, name, choose([(m.priority, m.value) for m in found]))
    if hc.authorized is None:
        hc.authorized = _single_category(ctx) or _categories_total(ctx)
    if hc.authorized is not None:
        hc.authorized_breakdown = _breakdown(ctx, hc.authorized, with_bracket=False)
    if hc.in_service is not None:
        hc.in_service_breakdown = _breakdown(ctx, hc.in_service, with_bracket=True)
    if hc.actual is not None:
        hc.actual_breakdown = _actual_breakdown(ctx, hc)
    # a label inside a breakdown ("在职16人(在编人数14人…)") names a part, not a restatement
    parts = [p.count.span for p in hc.authorized_breakdown + hc.in_service_breakdown]
    for name in FIELDS:
        cands = ctx.candidates.get(f"headcount.{name}")
        if cands:
            cands[:] = [c for c in cands if not any(s <= c.span[0] and c.span[1] <= e for s, e in parts)]
    return hc


def _without_parts(ctx: Context, found: list[Mention]) -> list[Mention]:
    """Counts of one field less those in the 其中 list of another: "离退休人员合计27人，其中离休1人、
    退休26人" states the retired once (27), and 26 is a part of it."""
    lead = compiled("^[^\u3002;\\n]{0,24}(?:" + "|".join(ctx.patterns.words["headcount"]["part_lead"]) + ")")
    spans = sorted((ctx.folded_range(m.value), id(m)) for m in found)
    parts = set()
    for ((_, end), _), ((start, _), key) in zip(spans, spans[1:], strict=False):
        if start > end and lead.match(ctx.text[end:start]):
            parts.add(key)
    return [m for m in found if id(m) not in parts]


def _single_category(ctx: Context) -> Count | None:
    """A unit that states one establishment category and no total ("县编办核定事业编制23人"): that
    category is its establishment. Two categories, or one in a 其中 list, say nothing of the whole."""
    if any(m.field == "headcount.authorized" for m in mentions(ctx)):
        return None  # a total is stated, if not as the unit's own (a subordinate's, last year's)
    cats = field_mentions(ctx, "headcount.authorized_part")
    names = {m.label for m in cats}
    if len(names) != 1 or any("part" in m.qualifiers for m in cats):
        return None
    value = choose([(m.priority, m.value) for m in cats])
    return ctx.remember("headcount.authorized", value) if value is not None else None


def _categories_total(ctx: Context) -> Count | None:
    """Establishment categories listed one after another and their total said right after them
    ("行政编制12名，事业编制4名，共计16名"), when no other total is stated and the categories add
    up to it (words.toml [headcount] parts_gap, parts_total)."""
    if any(m.field == "headcount.authorized" for m in mentions(ctx)):
        return None
    words = ctx.patterns.words["headcount"]
    gap, total = compiled(words["parts_gap"]), compiled(words["parts_total"])
    cats = sorted(field_mentions(ctx, "headcount.authorized_part"), key=lambda m: m.label_span[0])
    found = []
    run: list[Mention] = []
    for m in cats:
        if run and not gap.match(ctx.text[ctx.folded_range(run[-1].value)[1] : m.label_span[0]]):
            run = []
        run.append(m)
        after = total.match(ctx.text, ctx.folded_range(m.value)[1])
        if len(run) >= MIN_CATEGORIES and after is not None:
            value = count_from(ctx, after, "headcount.authorized.categories")
            if value is not None and value.value == sum(p.value.value for p in run):
                found.append((m.priority, value))
    value = choose(found)
    return ctx.remember("headcount.authorized", value) if value is not None else None


def _breakdown(ctx: Context, total: Count, with_bracket: bool) -> list[Part]:
    """Parts stated right after a total: "其中行政编制3人" / "(3个行政编、1个挂职人员)"."""
    words = ctx.patterns.words["headcount"]
    found = _list_after(ctx, total, words["breakdown_stop"], with_bracket)
    if found is None:
        return []
    start, stop = found
    # a bracket inside the list notes a part's own parts ("事业编制5名（含工勤编制1名）")
    return _parts(ctx, start, stop, _brackets(ctx.text, start, stop))


def _brackets(text: str, start: int, stop: int) -> list[tuple[int, int]]:
    """The brackets opened in text[start:stop], each to its closing bracket or to ``stop``."""
    out = []
    i = text.find("(", start, stop)
    while i >= 0:
        end = _closing(text, i + 1, stop)
        out.append((i, end + 1))
        i = text.find("(", end + 1, stop) if end + 1 < stop else -1
    return out


def _actual_breakdown(ctx: Context, hc: Headcount) -> list[Part]:
    """The categories listed right after the actual count: "实有人数73人，其中在职55人、退休16人、离休1人、
    遗属1人" / "实有18人(在职13人、退休5人)". A list is of staff categories when it holds the in-service
    or the retired count itself (or, in brackets, one named by their labels); a bracket inside it lists one category's own parts and is skipped,
    and a second 其中 (a category's parts) ends it."""
    words = ctx.patterns.words["headcount"]
    found = _list_after(ctx, hc.actual, words["actual_breakdown_stop"], True)
    if found is None:
        return []
    start, stop = found
    text = ctx.text
    if text[start - 1] == "(":  # a bracketed list runs to its own bracket
        stop = _closing(text, start, stop)
    leads = compiled("(?:" + "|".join(words["part_lead"]) + ")[:]?")
    again = leads.match(text, start)  # "(其中在职13人…)"
    nested = leads.search(text, again.end() if again else start, stop)
    stop = nested.start() if nested else stop
    skip = [m.span() for m in compiled(r"\([^()]*\)").finditer(text, start, stop)]
    parts = _parts(ctx, start, stop, skip)
    held = {c.span for c in (hc.in_service, hc.retired) if c is not None}
    # in brackets the in-service and retired counts are refused (a sub-unit's); their labels still say
    named = {fold_name(w) for key in ("in_service", "retired") for w in ctx.patterns.labels[key]}
    return parts if any(p.count.span in held or p.name in named for p in parts) else []


def _closing(text: str, start: int, stop: int) -> int:
    """Where the bracket opened just before ``start`` closes (``stop`` when not before it)."""
    depth = 1
    for i in range(start, stop):
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        if depth == 0:
            return i
    return stop


def _list_after(ctx: Context, total: Count, stop_regex: str, with_bracket: bool) -> tuple[int, int] | None:
    """Where the list right after ``total`` runs in the folded text: from after its lead (其中, a
    bracket) to the end of the clause; ``None`` when no list follows."""
    words = ctx.patterns.words["headcount"]
    text = ctx.text
    end = ctx.folded.to_folded(total.span[1])
    tail = text[end : end + _BREAKDOWN_WINDOW].split("\n", 1)[0]
    lead = compiled(words["breakdown_lead"]).match(tail)
    if not lead or (not with_bracket and lead.group().strip(" ,").startswith("(")):
        return None
    start = end + lead.end()
    # the breakdown runs to the end of the clause (or the closing bracket)
    stop_m = compiled(stop_regex).search(text, start, end + len(tail))
    return start, stop_m.start() if stop_m else end + len(tail)


def _parts(ctx: Context, start: int, stop: int, skip: list[tuple[int, int]]) -> list[Part]:
    """The ``name N人`` parts between ``start`` and ``stop`` (none in a ``skip`` range); none when an
    item is left without a figure."""
    words = ctx.patterns.words["headcount"]
    text = ctx.text
    part_leads = tuple(words["part_lead"])
    totals = frozenset(words["total_words"])
    parts: list[Part] = []
    last = start
    for key in ("part_before", "part_after"):
        parts = []
        for m in compiled(words[key]).finditer(text, start, stop):
            if any(s <= m.start() < e for s, e in skip):
                continue
            last = m.end()
            name = m.group("name").strip()
            for w in part_leads:
                name = name.removeprefix(w)
            if not name:
                continue
            if name in totals:  # the list's total said again ("…事业编制8名，共计20名"): the list has ended
                break
            count = count_from(ctx, m, "headcount.breakdown")
            if count is not None:
                parts.append(Part(name=fold_name(name), count=count))
        if parts and (
            key == "part_before" or not any(p.name.endswith(tuple(words["count_name_ending"])) for p in parts)
        ):
            break
    # a change or another year's count in the list ("比上年减少2人") says it is not a list of categories
    quals = ctx.patterns.qualifiers
    if any(w in p.name for p in parts for q in ("change", "prior") for w in quals[q]["words"]):
        return []
    if parts:
        # an item left without a figure ("…、差额" where the text is cut) makes the list incomplete
        rest = "".join(ch for i, ch in enumerate(text[last:stop], last) if not any(s <= i < e for s, e in skip))
        rest = compiled(words["part_filler"]).sub("", rest)
        if any("\u4e00" <= ch <= "\u9fa5" for ch in rest):
            return []
    return parts

"""Qualifiers of a labelled figure, read from ``patterns/qualifiers.toml``: where each word may stand
(its reach) and what it makes the figure. Two qualifiers are structural and always read: a figure
its sentence gives for another year (``other_year``) and one inside brackets (``in_brackets``)."""

from __future__ import annotations

from collections.abc import Callable

import regex

from ..patterns import HAN, Patterns, compile_regex, label_alternation
from .common import Context, clause_start, of_another_year, sentence_start

DEFAULT_WINDOW = 60
DEFAULT_MARKER_CHARS = 8  # a list item's marker before its label: "1." "(12)" "③"
_ITEM_AFTER = "\n\u3002;:"  # what a list's first item follows: a line break, a sentence's or lead-in's end
_NUMBERING = compile_regex(r"^[ ]?(?:[\d\u4e00-\u9fa5]{0,3}[\u3001.]|\([\d\u4e00-\u9fa5]{1,3}\))?[ ]?")


class Qualifiers:
    """One check per qualifier of qualifiers.toml: ``check(ctx, label_start, label_end, figure_end)``."""

    def __init__(self, patterns: Patterns):
        spec = patterns.qualifiers
        part_spec = spec.get("part", {})
        part = part_spec.get("words", ())
        self.part_words = compile_regex(label_alternation(part)) if part else None
        # what opens a list of parts: the part words, and the list leads that are not words of a clause
        leads = [label_alternation(part)] if part else []
        leads += [part_spec["list_leads"]] if "list_leads" in part_spec else []
        self.list_leads = compile_regex("|".join(f"(?:{x})" for x in leads)) if leads else None
        share = part_spec.get("share_clause")
        self.share_clause = compile_regex(share) if share else None
        self.checks: list[tuple[str, Callable]] = []
        for name, q in spec.items():
            if "like" in q:  # another qualifier's words and reach, with this one's own keys (kinds)
                q = {**spec[q["like"]], **{k: v for k, v in q.items() if k != "like"}}
            self.checks.append((name, self._check(name, q, patterns)))

    def _check(self, name: str, q: dict, patterns: Patterns) -> Callable:
        check = self._reach(name, q, patterns)
        kinds = frozenset(q.get("kinds", ()))
        if not kinds or q["reach"] == "sentence":  # (the sentence reach reads its kinds itself)
            return check
        return lambda ctx, ls, le, fe: ctx.kind in kinds and check(ctx, ls, le, fe)

    def _reach(self, name: str, q: dict, patterns: Patterns) -> Callable:
        reach = q["reach"]
        words = q.get("words") or patterns.qualifiers.get(q.get("words_of", ""), {}).get("words")
        if q.get("classes"):  # the functional classes of words.toml, and what follows a class's name
            classes = patterns.words["functions"]["classes"]
            body = compile_regex(label_alternation(classes) + q["suffix"])
        else:
            body = compile_regex(q["regex"] if "regex" in q else label_alternation(words))
        unless = compile_regex(q["unless"]) if "unless" in q else None
        window = int(q.get("window", DEFAULT_WINDOW))
        if reach == "prefix":
            tail = compile_regex(
                label_alternation(words) + "[" + HAN + "]" + "{0," + str(int(q.get("gap", 0))) + r"}\Z"
            )
            span = max(len(w) for w in words) + int(q.get("gap", 0))
            return lambda ctx, ls, le, fe: tail.search(ctx.text, max(0, ls - span), ls) is not None
        if reach == "prefix_regex":
            return lambda ctx, ls, le, fe: body.search(ctx.text, max(0, ls - 20), ls) is not None
        if reach == "after":
            after = compile_regex(r"[ ]?(?:" + label_alternation(words) + ")")
            return lambda ctx, ls, le, fe: after.match(ctx.text, fe) is not None
        if reach == "clause":
            return lambda ctx, ls, le, fe: body.search(ctx.text, clause_start(ctx.text, ls, window), ls) is not None
        if reach == "sentence":
            unless_after = compile_regex(q["unless_after"]) if "unless_after" in q else None
            kinds = frozenset(q.get("kinds", ()))
            stops = q.get("stops")
            return lambda ctx, ls, le, fe: _in_sentence(ctx, ls, body, unless_after, kinds, window, stops)
        if reach == "opening":

            def opening(ctx, ls, le, fe):
                start = sentence_start(ctx.text, ls)
                return ls - start <= window and body.match(ctx.text, start, ls) is not None

            return opening
        if reach == "heading":
            heading = compile_regex(q["heading"], regex.MULTILINE)
            return lambda ctx, ls, le, fe: _under_heading(ctx, ls, body, heading, window)
        if reach == "head":
            return lambda ctx, ls, le, fe: self._in_head(ctx, ls, body, window)
        if reach == "later":  # after the figure, in the same sentence; for labels that start so
            prefixes = tuple(q.get("label_prefix", ()))
            stops = compile_regex(r"[\u3002;\n]")

            def later(ctx, ls, le, fe):
                if prefixes and not ctx.text.startswith(prefixes, ls):
                    return False
                end = stops.search(ctx.text, fe, fe + window)
                return body.search(ctx.text, fe, end.start() if end else fe + window) is not None

            return later
        if reach == "list_lead":
            item = compile_regex(q["item"])
            return lambda ctx, ls, le, fe: self._in_list_lead(ctx, ls, body, item, window)
        if reach == "list_head":
            anchored, sentence = bool(q.get("anchored")), bool(q.get("sentence"))
            return lambda ctx, ls, le, fe: self._in_list_head(ctx, ls, body, unless, anchored, sentence)
        raise ValueError(f"qualifiers.toml [{name}]: unknown reach {reach!r}")

    def _in_head(self, ctx: Context, pos: int, body, window: int) -> bool:
        """A word of the sentence's head (its start up to its first 其中). A sentence that opens with
        其中 lists the parts of the sentence before it, unless its own head names the subset."""
        text, part = ctx.text, self.part_words
        start = sentence_start(text, pos, window)
        first = part.search(text, start, pos) if part is not None else None
        if first is not None and first.start() == start and start > 0:
            own = part.search(text, first.end(), pos)
            if body.search(text, start, own.start() if own else pos):
                return True
            start = sentence_start(text, start - 1, window)
            first = part.search(text, start, pos)
        return body.search(text, start, first.start() if first else pos) is not None

    def _in_list_lead(self, ctx: Context, pos: int, body, item, window: int) -> bool:
        """A word of the head of the sentence that leads into the numbered list whose item the
        label opens ("一般公共预算财政拨款支出500万元。1.基本支出200万元；2.项目支出…": items 1 and
        2 are that fund's). The list's first item is its own marker numbered 1, found back from the
        label; the head ends at the sentence's first 其中 (what the sentence says its parts are of)."""
        text = ctx.text
        own = item.search(text, max(0, pos - DEFAULT_MARKER_CHARS), pos)
        if own is None:
            return False
        first = own.start("mark")
        if own.group("n") != "1":
            one = own.group("mark").replace(own.group("n"), "1", 1)
            first = text.rfind(one, max(0, pos - window), first)
            if first < 0 or (first > 0 and text[first - 1] not in _ITEM_AFTER):
                return False
        end = len(text[:first].rstrip())
        if end == 0:
            return False
        start = sentence_start(text, end - 1, window)
        part = self.part_words.search(text, start, end) if self.part_words is not None else None
        return body.search(text, start, part.start() if part else end) is not None

    def _in_list_head(self, ctx: Context, pos: int, body, unless, anchored: bool, sentence: bool) -> bool:
        """A word of the clause that heads the 其中 list the figure stands in ("…预算数365万元，其中：
        基本支出…", "教育支出100万元，其中基本支出…"; "…支出合计。其中：…" reads the sentence before)."""
        text, part = ctx.text, self.part_words
        if part is None or self.list_leads is None:
            return False
        start = sentence_start(text, pos, DEFAULT_WINDOW)
        leads = list(self.list_leads.finditer(text, start, pos))
        if not leads:
            return False
        lead = leads[-1].start()
        end = start - 1 if lead == start and start > 0 else lead
        head_start = (
            sentence_start(text, max(0, end - 1), DEFAULT_WINDOW)
            if sentence
            else clause_start(text, max(0, end - 1), DEFAULT_WINDOW)
        )
        # a clause that only gives the whole's share stands between the whole and its list
        if not sentence and self.share_clause is not None and head_start > 0:
            if self.share_clause.fullmatch(text[head_start:end].rstrip(", ")) is not None:
                end = head_start - 1
                head_start = clause_start(text, max(0, end - 1), DEFAULT_WINDOW)
        head = text[head_start:end]
        head = head[_NUMBERING.match(head).end() :]
        lead_part = part.match(head)  # "其中：教育支出300万元，其中基本支出…": the list of a part
        if lead_part is not None:
            head = head[lead_part.end() :].lstrip(": ")
        if unless is not None and unless.search(head):
            return False
        return (body.match(head) if anchored else body.search(head)) is not None


def _in_sentence(ctx: Context, pos: int, body, unless_after, kinds, window: int, stops: str | None) -> bool:
    if kinds and ctx.kind not in kinds:
        return False
    text = ctx.text
    if stops:
        start = max(max(text.rfind(c, max(0, pos - window), pos) for c in stops) + 1, pos - window, 0)
    else:
        start = sentence_start(text, pos, window)
    hits = list(body.finditer(text, max(start, pos - window), pos))
    if not hits:
        return False
    return unless_after is None or unless_after.search(text, hits[-1].end(), pos) is None


def _under_heading(ctx: Context, pos: int, body, heading, window: int) -> bool:
    """A word of the nearest heading above the line that holds ``pos``."""
    text = ctx.text
    line_start = text.rfind("\n", max(0, pos - window), pos) + 1
    lo = max(0, pos - window)
    end = max(lo, line_start - 1)
    # a heading is one line, matched from its start: the lines above, nearest first (a scan of
    # the whole window tried the pattern at every character)
    p = end  # the lines above end here
    while p > lo:
        k = text.rfind("\n", lo, p)  # the break before the line that ends at p
        # (the heading pattern opens with ^: a window that opens inside a line gives no match there)
        m = heading.match(text, k + 1 if k >= 0 else lo, end)
        if m is not None:
            return body.search(text, m.start(), m.end()) is not None
        if k < 0:
            return False
        p = k
    return False


BRACKET_REACH = 200  # characters a bracketed note spans at most, either side of a figure


def _inside_brackets(text: str, pos: int) -> bool:
    """Whether ``pos`` stands inside brackets opened before it on its line and closed after it. A
    bracket that is never closed (a publisher's typo, "(其中,专任教师73人…。主要任务…") opens no
    note: what follows it is the text's own, however far its line runs (a web page's text
    without line breaks is one line)."""
    line_start = text.rfind("\n", max(0, pos - BRACKET_REACH), pos) + 1
    head = text[max(line_start, pos - BRACKET_REACH) : pos]
    if head.count("(") <= head.count(")"):
        return False
    tail = text[pos : pos + BRACKET_REACH]  # a note may close on the next line of wrapped text
    close = tail.find(")")
    return close >= 0 and not 0 <= tail.find("(", 0, close) < close


def qualifiers_of(ctx: Context, quals: Qualifiers, label_start: int, label_end: int, figure_end: int) -> frozenset[str]:
    """The qualifiers of the figure whose label is text[label_start:label_end] (folded offsets)."""
    found = {name for name, check in quals.checks if check(ctx, label_start, label_end, figure_end)}
    if of_another_year(ctx, label_start):
        found.add("other_year")
    if _inside_brackets(ctx.text, label_start):
        found.add("in_brackets")
    return frozenset(found)

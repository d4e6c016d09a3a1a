"""Level-1 indicators stated in prose: headings with their points, enumerations, sentences that
give an indicator's points and score, and score tables whose cells were glued into one run.

Every wording is a pattern of ``patterns/fields_indicators.toml`` (with its own examples) and every
name a lexicon line of ``patterns/labels.toml``; this module only chains them.
"""

from __future__ import annotations

import dataclasses

import regex

from ..model import Indicator, Number
from .common import Context, number_from

DEFAULT_BEFORE_WINDOW = 30  # how far before a heading an enumeration's earlier item is looked for
DEFAULT_SCORE_WINDOW = 400  # how far after the last heading its score is looked for
DEFAULT_SCORE_GAP = 10  # characters between an indicator's name and its 得分 (产出指标总共得分…)
MAX_SCORE_TAIL = 16  # characters of "得分为 18.5 分"
DEFAULT_GLUED_WINDOW = 8000
MIN_LIST = 2  # one indicator named in a sentence is not the list of level-1 indicators


def _pattern(ctx: Context, field_name: str) -> regex.Pattern | None:
    found = ctx.patterns.for_field(field_name)
    return found[0].regex if found else None


def extract_indicators(ctx: Context) -> list[Indicator]:
    """Level-1 indicators stated as headings (产出指标(50分) … 产出指标得分40分) or as sentences
    (预算执行率指标分值10分，得分9.68分；产出指标分值50分，得分48分). A name both state is one
    indicator; where they disagree on a figure, the figure is left out.

    A heading in an enumeration ("部门决策（20分）、部门管理（30分）、部门绩效（50分）") brings the other
    items of the enumeration with it, under the names they are written with: a list that kept only
    the names it knows would not add up to the full mark. When an unknown item opens the
    enumeration its name cannot be told from the words before it, and nothing is read."""
    headings = _from_headings(ctx)
    sentences = _from_sentences(ctx)
    if headings is None or sentences is None:
        return []
    out: dict[str, Indicator] = {}
    for node in sorted(headings + sentences, key=lambda n: n.name_span[0]):
        seen = out.get(node.name)
        if seen is None:
            out[node.name] = node
            continue
        for part in ("max", "score"):
            a, b = getattr(seen, part), getattr(node, part)
            if a is None or (b is not None and a.value != b.value):
                setattr(seen, part, b if a is None else None)
    # one heading is not a list of level-1 indicators ("其中：预算执行率（10分）得分9.5分"): its
    # points alone would be checked against the full mark
    return list(out.values()) if len(out) >= MIN_LIST else []


def _chains(ctx: Context, first: str, item: str, before: str) -> list[list[regex.Match]] | None:
    """The runs of items: each match of ``first`` (a known name) and the ``item`` matches that
    follow it; None when an ``item`` stands right before one (the run's first name is unknown)."""
    first_rx, item_rx, before_rx = _pattern(ctx, first), _pattern(ctx, item), _pattern(ctx, before)
    if first_rx is None or item_rx is None or before_rx is None:
        return []
    text = ctx.text
    heads = list(first_rx.finditer(text))
    head_at = {m.end(): m for m in heads}
    groups: list[list[regex.Match]] = []
    taken: set[int] = set()
    for m in heads:
        if m.end() in taken:  # reached as an item of a run already
            continue
        prev = before_rx.search(text, max(0, m.start() - DEFAULT_BEFORE_WINDOW), m.start())
        if prev is not None and not any(h.start() <= prev.start("max") < h.end() for h in heads):
            return None
        group, pos = [m], m.end()
        taken.add(m.end())
        while (c := item_rx.match(text, pos)) is not None:
            if c.end() not in taken:
                group.append(head_at.get(c.end(), c))  # a known name as the first pattern reads it
                taken.add(c.end())
            pos = c.end()
        groups.append(group)
    return groups


def _from_headings(ctx: Context) -> list[Indicator] | None:
    groups = _chains(ctx, "indicator.heading", "indicator.item", "indicator.item_before")
    if groups is None:
        return None
    score_after = _pattern(ctx, "indicator.score_after")
    this = tuple(ctx.patterns.labels.get("indicator_this", ()))
    text = ctx.text
    out: list[Indicator] = []
    seen: set[str] = set()
    for gi, group in enumerate(groups):
        # the scores follow the whole enumeration, up to the next heading
        start = max(g.end() for g in group)
        end = groups[gi + 1][0].start("name") if gi + 1 < len(groups) else min(len(text), start + DEFAULT_SCORE_WINDOW)
        for m in group:
            name = "".join(m.group("name").split())
            if name in seen:
                continue
            seen.add(name)
            by = (m.group("name"),) if len(group) > 1 else (m.group("name"), *this)
            sm = _score_after(ctx, score_after, by, m.end() if len(group) == 1 else start, end)
            out.append(
                Indicator(
                    name=name,
                    level=1,
                    max=number_from(ctx, m, "indicator.heading.max", group="max"),
                    score=number_from(ctx, sm, "indicator.body.score") if sm else None,
                    name_span=ctx.folded.span(*m.span("name")),
                )
            )
    return out


def _score_after(ctx: Context, tail: regex.Pattern | None, names, start: int, end: int):
    """The first "<name>…得分N分" in [start, end), at most DEFAULT_SCORE_GAP characters between the
    name and 得分 and no sentence stop: the name found by str.find, the score by one fixed pattern
    (nothing is compiled from a document's own words)."""
    if tail is None:
        return None
    text = ctx.text
    stops = tuple(ctx.patterns.words.get("indicators", {}).get("score_gap_stops", ()))
    best = None
    for name in names:
        at = text.find(name, start, end)
        while at >= 0:
            after = at + len(name)
            m = tail.search(text, after, min(end, after + DEFAULT_SCORE_GAP + MAX_SCORE_TAIL))
            if (
                m is not None
                and m.start() - after <= DEFAULT_SCORE_GAP
                and not any(s in text[after : m.start()] for s in stops)
            ):
                if best is None or at < best[0]:
                    best = (at, m)
                break
            at = text.find(name, at + 1, end)
    return best[1] if best else None


def _from_sentences(ctx: Context) -> list[Indicator] | None:
    groups = _chains(ctx, "indicator.sentence", "indicator.sentence_item", "indicator.sentence_before")
    if groups is None:
        return None
    out = []
    for group in groups:
        # a run after 其中 / 包括 may name only some of the indicators ("…四个一级指标。其中产出指标50分…")
        listed = ("part",) if "part" in _qualifiers(ctx, group[0].start("name")) else ()
        for m in group:
            figures = {
                "max": number_from(ctx, m, "indicator.sentence.max", group="max"),
                "score": number_from(ctx, m, "indicator.sentence.score"),
            }
            figures = {k: v and dataclasses.replace(v, qualifiers=(*v.qualifiers, *listed)) for k, v in figures.items()}
            name = "".join(m.group("name").split())
            out.append(Indicator(name=name, level=1, name_span=ctx.folded.span(*m.span("name")), **figures))
    return out


def indicator_sentence_spans(ctx: Context) -> list[tuple[int, int]]:
    """Where a run of sentences gives indicators their points and scores ("产出指标满分50分，自评得分48分；
    效益指标…"), from a known indicator's name on."""
    groups = _chains(ctx, "indicator.sentence", "indicator.sentence_item", "indicator.sentence_before")
    return [m.span() for group in groups or () for m in group]


def _qualifiers(ctx: Context, pos: int) -> frozenset[str]:
    from .prose import lexicon
    from .qualify import qualifiers_of

    return qualifiers_of(ctx, lexicon(ctx.patterns).qualifiers, pos, pos, pos)


def indicators_from_glued_table(ctx: Context) -> list[Indicator]:
    """A score table whose cells were glued together: after a header naming 一级指标 … 分值, a
    core level-1 name directly followed by its points and the next cell ("投入12资金管理8")."""
    header_rx, cell_rx = _pattern(ctx, "indicator.glued.header"), _pattern(ctx, "indicator.glued.cell")
    header = header_rx.search(ctx.text) if header_rx is not None else None
    if header is None or cell_rx is None:
        return []
    out: list[Indicator] = []
    seen: set[str] = set()
    for m in cell_rx.finditer(ctx.text, header.end(), header.end() + DEFAULT_GLUED_WINDOW):
        name = m.group("name")
        if name in seen:
            continue
        seen.add(name)
        mx: Number | None = number_from(ctx, m, "indicator.glued.max", group="max")
        out.append(Indicator(name=name, level=1, max=mx, name_span=ctx.folded.span(*m.span("name"))))
    return out

"""The reporting unit's name, from the strongest evidence to the weakest: a form's label, the
title, a bare name beside the title, a section heading or a sentence that introduces the unit.

Each source proposes a name that must look like one (``names.looks_like_a_name``); the first
source that gives one decides, and a shortened name is replaced by its full form where the text
states it. Wording is in ``patterns/words.toml`` [department] and ``patterns/fields_meta.toml``.
"""

from __future__ import annotations

import regex

from ..model import Grounded
from ..patterns import label_alternation
from .common import Context, compiled
from .names import HAN, NameShape, fuller_name, ground_name, is_han, looks_like_a_name, trim_name
from .titles import Title, choose_title, name_in_title, title_candidates

DEFAULT_LABEL_WINDOW = 20000  # a form's or cover page's labels stand in the opening
DEFAULT_OPENING_WINDOW = 20000
# a form flattened one cell per line: the value a few lines below its label (line breaks, so that
# double-spaced text, every line followed by an empty one, reaches as far)
MAX_VALUE_LINES = 6
MAX_VALUE_CHARS = 60
MIN_OPENING_NAME_CHARS = 5  # a unit's own name is specific ("某县某镇中心小学校"), not "区政府"
MAX_ALIAS_NAME_CHARS = 40


def extract_department(ctx: Context, title=None) -> Grounded | None:
    """The unit's name; ``title`` is accepted for the callers' convenience and not needed."""
    shape = NameShape.of(ctx.patterns)
    words = ctx.patterns.words["department"]
    found = _from_labels(ctx, shape, words["named_labels"], words["labels"], words["cell_labels"]) or _from_labels(
        ctx, shape, [], words["supervisor_labels"], []
    )
    if found is not None:
        return found
    found = (
        _from_titles(ctx, shape) or _from_headings(ctx, shape) or _from_alias(ctx, shape) or _from_opening(ctx, shape)
    )
    if found is None:
        return None
    return fuller_name(ctx, found, shape) or found


# ---- form labels ---------------------------------------------------------------------------------


def _label_regex(ctx: Context, named: list[str], spaced: list[str], cells: list[str]) -> regex.Pattern:
    """One alternation of a form's labels: ``named`` ones need nothing before the name (those that
    are a bare word, 部门:, only where a word starts), ``spaced`` ones a separator, ``cells`` (部门)
    only as a whole cell; each with an optional seal note (（盖章）)."""
    seal = r"(?:[ ]?\((?:" + "|".join(regex.escape(w) for w in ctx.patterns.words["department"]["seals"]) + r")\))?"
    bare = [w for w in named if w.endswith(":")]
    parts = []
    if bare:
        parts.append(rf"(?P<bare>(?<![{HAN}]){label_alternation(bare)})")
    if cells:  # a whole cell: followed by a cell border or a colon, or alone on its line (one cell a line)
        cell = label_alternation(cells)
        parts.append(rf"(?P<cell>(?<![{HAN}]){cell}(?=[ ]?[:|])|(?:(?<=\n)|\A){cell}(?=[ ]*\n))")
    if [w for w in named if w not in bare]:
        parts.append(f"(?P<named>{label_alternation([w for w in named if w not in bare])})")
    if spaced:
        parts.append(f"(?P<spaced>{label_alternation(spaced)})")
    return compiled("(?:" + "|".join(parts) + ")" + seal)


def _from_labels(ctx: Context, shape: NameShape, named: list[str], spaced: list[str], cells: list[str]):
    """部门(单位)名称：X, 实施单位 | X, 单位名称（盖章）X, 主管部门 then X on the next line, a form's
    head glued into one line (…主管部门X实施单位…): the first label whose value is a name."""
    text = ctx.text
    words = ctx.patterns.words["department"]
    form_labels = tuple(words["form_labels"])
    labels = form_labels + tuple(
        w.rstrip(":") for key in ("named_labels", "labels", "supervisor_labels") for w in words[key]
    )
    for m in _label_regex(ctx, named, spaced, cells).finditer(text, 0, min(len(text), DEFAULT_LABEL_WINDOW)):
        at, separated = _value_start(text, m)
        value = text[at : at + MAX_VALUE_CHARS].split("\n", 1)[0]
        found = trim_name(value, shape, spaces=False)
        if found is None or "".join(value[found[0] :].split()).startswith(labels):  # an empty cell, the next label
            continue
        cut, name = found
        rest = "".join(value[cut:].split())[len(name) :]
        if separated or not m.group("spaced") or not rest or rest.startswith(form_labels):
            grounded = ground_name(ctx, at + cut, name, "department.label")
            if grounded is not None:
                return grounded
    return None


def _value_start(text: str, m: regex.Match) -> tuple[int, bool]:
    """Where a label's value starts, and whether a separator (colon, cell border, space, line break)
    stands between them; a label alone on its line takes the next non-empty line."""
    i, n, separated = m.end(), len(text), False
    while i < n and text[i] in " :|":
        i, separated = i + 1, True
    line_start = text.rfind("\n", max(0, m.start() - MAX_VALUE_CHARS), m.start()) + 1
    line_start = line_start or max(0, m.start() - MAX_VALUE_CHARS)
    alone = not text[line_start : m.start()].strip(" |")
    breaks = 0
    while alone and i < n and text[i] == "\n" and breaks < MAX_VALUE_LINES:
        i, breaks, separated = i + 1, breaks + 1, True
        while i < n and text[i] in " |":
            i += 1
    return i, separated


# ---- titles ----------------------------------------------------------------------------------


def _from_titles(ctx: Context, shape: NameShape) -> Grounded | None:
    """The chosen title's name, a bare name on a line beside it, then any other title's (a page's
    generic heading is often followed by the full title; a file name comes last)."""
    cands = title_candidates(ctx)
    chosen = choose_title(ctx, cands)
    if chosen is None:
        return None
    order = (
        [chosen]
        + [c for c in cands if c != chosen and c.source != "file"]
        + [c for c in cands if c != chosen and c.source == "file"]
    )
    for i, cand in enumerate(order):
        found = name_in_title(ctx, cand)
        if found is not None:
            grounded = ground_name(ctx, found[0], found[1], "department.title")
            if grounded is not None:
                return grounded
        if i == 0:
            beside = _beside_title(ctx, chosen, shape)
            if beside is not None:
                return beside
    return None


def _beside_title(ctx: Context, title: Title, shape: NameShape) -> Grounded | None:
    """A bare unit name on a line of its own just after or before the title."""
    text = ctx.text
    before = text.rfind("\n", 0, max(0, title.start - 1))
    lines_before = text[max(0, before - 200) : title.start].split("\n")[-4:]
    lines_after = text[title.end : title.end + 200].split("\n")[:4]
    for line in lines_after + lines_before[::-1]:
        name = line.strip(" |")
        found = trim_name(name, shape) if len(name) <= MAX_ALIAS_NAME_CHARS else None
        if found is not None and found == (0, name):
            at = text.find(name, max(0, before - 200), title.end + 200)
            if at >= 0:
                return ground_name(ctx, at, name, "department.beside_title")
    return None


# ---- the body ----------------------------------------------------------------------------------


def _from_headings(ctx: Context, shape: NameShape) -> Grounded | None:
    """A section heading that names the unit: "第一部分 某局概况", "一、某卫生院单位基本概况"."""
    text = ctx.text
    for pat in ctx.patterns.for_field("department.heading"):
        for m in pat.regex.finditer(text, 0, min(len(text), DEFAULT_OPENING_WINDOW)):
            found = trim_name(m.group("name"), shape)
            if found is not None and "".join(m.group("name").split())[found[0] :] == found[1]:
                grounded = ground_name(ctx, m.start("name") + found[0], found[1], "department.heading")
                if grounded is not None:
                    return grounded
    return None


def _from_alias(ctx: Context, shape: NameShape) -> Grounded | None:
    """A unit introducing its short name: "某县发展和改革局（以下简称“县发改局”）"."""
    text = ctx.text
    for pat in ctx.patterns.for_field("department.alias"):
        for m in pat.regex.finditer(text, 0, min(len(text), DEFAULT_OPENING_WINDOW)):
            start = m.start()
            while start > 0 and m.start() - start < MAX_ALIAS_NAME_CHARS and _in_name(text[start - 1]):
                start -= 1
            while start < m.start() and text[start] in shape.glue:
                start += 1
            name = text[start : m.start()]
            if (
                len(name) >= MIN_OPENING_NAME_CHARS
                and shape.ends_with_suffix(name)
                and looks_like_a_name(name, shape)
                and not shape.is_generic(name)
            ):
                return ground_name(ctx, start, name, "department.alias")
    return None


def _in_name(ch: str) -> bool:
    return is_han(ch) or ch in "()"


def _opening_regex(ctx: Context, shape: NameShape) -> regex.Pattern:
    words = ctx.patterns.words["department"]
    suffix_alt = "|".join(regex.escape(x) for x in shape.suffixes)
    return compiled(
        # a line's or a sentence's start, or right after a numbered heading on the same line (a web
        # page's text without line breaks: "(二)机构设置 某某街道办事处内设…")
        rf"(?:^|(?<=\u3002)|(?<=[)、][{HAN}]{{1,12}}[ ]))[ ]*(?P<name>[{HAN}()]{{2,28}}?(?:{suffix_alt}))"
        + label_alternation(words["predicates"])
    )


def _from_opening(ctx: Context, shape: NameShape) -> Grounded | None:
    """A paragraph or sentence that opens with the unit's name: "XX中心是区政府直属的…"."""
    text = ctx.text
    for m in _opening_regex(ctx, shape).finditer(text, 0, min(len(text), DEFAULT_OPENING_WINDOW)):
        name = m.group("name")
        # a unit's own name is specific ("某县某镇中心小学校"), not a generic body ("区委区政府")
        if len(name) >= MIN_OPENING_NAME_CHARS and looks_like_a_name(name, shape) and not shape.is_generic(name):
            return ground_name(ctx, m.start("name"), name, "department.opening")
    return None

"""The prose scanner: every label of the lexicon found in one pass, the figure after it read by type.

``patterns/prose.toml`` says which label lists (``patterns/labels.toml``) fill which field and
with what type of figure; ``patterns/qualifiers.toml`` the words that change what a figure is.
A label that stands in a table's cell is read by its row and column instead (``cells``). Every
mention keeps its label, its qualifiers and its source, so choosing among them is data too.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import regex

from ..model import Grounded, Number
from ..patterns import HAN_CHAR, Patterns, compile_regex, expand, label_alternation
from .common import Context, count_from, money_from, number_from, share_from
from .qualify import Qualifiers, qualifiers_of

DEFAULT_ROW_NUMBER_WINDOW = 3000


@dataclass(frozen=True, slots=True)
class FieldEntry:
    id: str
    field: str
    labels: tuple[str, ...]  # keys of labels.toml
    type: str
    refuse: frozenset[str]
    priority: int
    whole: bool
    columns_refused: frozenset[str] = frozenset()
    require: frozenset[str] = frozenset()
    match: tuple[str, ...] = ()
    no_match: tuple[str, ...] = ()


def labelled(value: Grounded, label: str, quals: frozenset[str]) -> Grounded:
    """``value`` carrying the label that named it and its qualifiers (what the verifier reads)."""
    return dataclasses.replace(value, label=label, qualifiers=tuple(sorted(quals)))


@dataclass(slots=True)
class Mention:
    """A labelled figure: which field it may fill, its value, its label and what qualifies it."""

    entry: FieldEntry
    value: Grounded
    label: str
    label_span: tuple[int, int]  # in the folded view
    qualifiers: frozenset[str]
    source: str  # "prose" or "cell"
    priority: int
    share: Number | None = None  # a part's share of its total, stated with it

    @property
    def field(self) -> str:
        return self.entry.field

    @property
    def refused(self) -> bool:
        """A qualifier its field refuses, or one it requires missing; or another year's figure."""
        e = self.entry
        return bool(self.qualifiers & e.refuse) or not e.require <= self.qualifiers or "other_year" in self.qualifiers


class Lexicon:
    """The scanner's compiled data: one alternation of every label, the fields each label fills."""

    def __init__(self, patterns: Patterns):
        spec = patterns.prose
        self.entries = tuple(
            FieldEntry(
                id=e.get("id", e["field"] + ".label"),
                field=e["field"],
                labels=tuple(e["labels"]),
                type=e["type"],
                refuse=frozenset(e.get("refuse", ())),
                priority=int(e.get("priority", 10)),
                whole=bool(e.get("whole", False)),
                columns_refused=frozenset(e.get("columns_refused", ())),
                require=frozenset(e.get("require", ())),
                match=tuple(e.get("match", ())),
                no_match=tuple(e.get("no_match", ())),
            )
            for e in spec["field"]
        )
        self.by_field: dict[str, list[FieldEntry]] = {}
        for e in self.entries:
            self.by_field.setdefault(e.field, []).append(e)
        self.by_label: dict[str, list[FieldEntry]] = {}
        for e in self.entries:
            for key in e.labels:
                for word in patterns.labels[key]:
                    self.by_label.setdefault("".join(word.split()), []).append(e)
        self.regex = compile_regex(label_alternation(self.by_label))
        env = {**patterns.macros, **{f"L_{k}": v for k, v in patterns.label_regex.items()}}

        def build(section: str) -> dict:
            return {
                t: compile_regex(expand(src, env, f"prose.toml [{section}] {t}"), regex.MULTILINE)
                for t, src in spec.get(section, {}).items()
            }

        self.tails = build("tails")
        self.cell_tails = build("cell_tails")
        self.cell_figure = self.cell_tails.pop("figure")
        self.row_numbers = tuple(spec.get("row_numbers", {}).get("words", ()))
        self.cell_prefix = compile_regex(spec["cell_label"]["prefix"])
        self.cell_suffix = compile_regex(spec["cell_label"]["suffix"])
        heads = spec.get("heads", {})
        self.heads = tuple(sorted(heads.get("words", ()), key=len, reverse=True))
        self.not_after = tuple(heads.get("not_after", ()))
        self.qualifiers = Qualifiers(patterns)
        self.cross_types = frozenset(spec.get("scanner", {}).get("cross_types", ()))


def lexicon(patterns: Patterns) -> Lexicon:
    return patterns.memo("prose.lexicon", lambda: Lexicon(patterns))


def mentions(ctx: Context) -> list[Mention]:
    """Every labelled figure of the document, in text order (computed once per document)."""
    cached = ctx.memo.get("mentions")
    if cached is not None:
        return cached
    lex = lexicon(ctx.patterns)
    from .cells import cell_index

    index = cell_index(ctx)
    out: list[Mention] = []
    pos, failed_end, failed_fields = 0, -1, frozenset()
    while (m := lex.regex.search(ctx.text, pos)) is not None:
        if m.start() < failed_end and (m.end() <= failed_end or not failed_fields & _fields(m, lex)):
            pos = m.start() + 1  # inside a longer label that had no figure: part of its word
            continue
        found = _at_label(ctx, m, index.at(m.start()), lex)
        out.extend(found)
        # two labels of one field that overlap ("最终评分|结果为86分", "最终|评分结果为86分"): when the
        # first has no figure, the one that starts inside it and ends beyond it is tried (one of
        # another field makes another word: 行政编制|人员 is not 编制人员)
        pos, failed_end, failed_fields = (
            (m.end(), -1, frozenset()) if found else (m.start() + 1, m.end(), _fields(m, lex))
        )
    out.extend(_pattern_mentions(ctx, lex))
    out.sort(key=lambda x: x.label_span[0])
    ctx.memo["mentions"] = out
    return out


def _fields(m, lex: Lexicon) -> frozenset[str]:
    """The fields a label fills whose type lets an overlapping label be read (prose.toml [scanner])."""
    entries = lex.by_label.get("".join(m.group().split()), ())
    return frozenset(e.field for e in entries if e.type in lex.cross_types)


def _at_label(ctx: Context, m, cell, lex: Lexicon) -> list[Mention]:
    """The mentions of the longest label at ``m``; when no figure follows it, of a shorter one at the
    same place ("自评结果为92分": not the grade's 自评结果为, the score's 自评结果)."""
    while m is not None:
        found = _label_mentions(ctx, m, cell, lex)
        if found:
            return found
        m = lex.regex.match(ctx.text, m.start(), m.end() - 1) if m.end() - m.start() > 1 else None
    return []


def _label_mentions(ctx: Context, m, cell, lex: Lexicon) -> list[Mention]:
    from .cells import cell_mentions

    label = "".join(m.group().split())
    out: list[Mention] = []
    for entry in lex.by_label.get(label, ()):
        if entry.whole and not _whole(ctx.text, m.start(), lex):
            continue
        if cell is not None:
            out.extend(cell_mentions(ctx, entry, label, m, cell, lex))
        else:
            mention = _prose_mention(ctx, entry, label, m, lex)
            if mention is not None:
                out.append(mention)
    return out


def _pattern_mentions(ctx: Context, lex: Lexicon) -> list[Mention]:
    """Wordings that a label and a figure cannot say (fields.toml: "收、支总计各是A,B万元",
    "1、收入:615万元", "本中心2020年实际支出共计41万元"), read as mentions of the same fields."""
    out = []
    for field_name, entries in lex.by_field.items():
        entry = entries[0]
        for pat in ctx.patterns.for_field(field_name):
            for m in pat.regex.finditer(ctx.text):
                value = _value(ctx, entry, m, pat.id)
                if value is None:
                    continue
                ls, le = m.span("label") if m.groupdict().get("label") else m.span()
                quals = qualifiers_of(ctx, lex.qualifiers, ls, le, m.end())
                label = "".join(ctx.text[ls:le].split())
                out.append(
                    Mention(entry, labelled(value, label, quals), label, (ls, le), quals, "pattern", pat.priority)
                )
    return out


def field_mentions(ctx: Context, field_name: str) -> list[Mention]:
    """The mentions that may fill ``field_name``: of its labels and not refused by its qualifiers."""
    return [m for m in mentions(ctx) if m.field == field_name and not m.refused]


def _whole(text: str, start: int, lex: Lexicon) -> bool:
    """A whole's label stands alone, or after a year, the unit, or another head word."""
    if start == 0 or not HAN_CHAR.match(text, start - 1):
        return True
    before = text[max(0, start - 6) : start]
    if not before.endswith(lex.heads):  # most: no head word at all (one test for them all)
        return False
    for head in lex.heads:
        if before.endswith(head):
            ahead = before[: len(before) - len(head)]
            return not (ahead and ahead.endswith(lex.not_after))
    return False


def figure_after(ctx: Context, entry: FieldEntry, pos: int, lex: Lexicon):
    """(tail, value): the figure the entry's tail reads right after a label ending at ``pos``."""
    tail = lex.tails[entry.type].match(ctx.text, pos)
    if tail is None:
        return None, None
    value = _value(ctx, entry, tail, entry.id)
    if value is None and entry.type in ("money", "money_share") and _row_number_cell(ctx, pos, tail):
        # a table flattened one cell per line puts the row's number (行次) between its label and its
        # figure: the figure is the next cell
        tail = lex.tails[entry.type].match(ctx.text, tail.end("num"))
        value = _value(ctx, entry, tail, entry.id) if tail is not None and _alone_on_line(ctx.text, tail) else None
    return tail, value


def _prose_mention(ctx: Context, entry: FieldEntry, label: str, m, lex: Lexicon) -> Mention | None:
    tail, value = figure_after(ctx, entry, m.end(), lex)
    if value is None:
        return None
    end = tail.end()
    quals = qualifiers_of(ctx, lex.qualifiers, m.start(), m.end(), end)
    share = share_from(ctx, tail, entry.id + ".share") if "share" in tail.groupdict() else None
    return Mention(entry, labelled(value, label, quals), label, m.span(), quals, "prose", entry.priority, share)


def _alone_on_line(text: str, tail) -> bool:
    """The tail's figure stands alone on its line (a cell of a table flattened one cell per line)."""
    start, end = tail.span("num")
    return text[text.rfind("\n", 0, start) + 1 : start].strip() == "" and text[end : end + 1] in ("\n", "")


def _row_number_cell(ctx: Context, label_end: int, tail) -> bool:
    """The figure after a label alone on its line is a row number alone on the next line."""
    between = ctx.text[label_end : tail.start("num")]
    return between.strip(" ") == "\n" and _alone_on_line(ctx.text, tail) and row_number_like(ctx, tail)


def _value(ctx: Context, entry: FieldEntry, tail, pid: str) -> Grounded | None:
    if entry.type in ("money", "money_share"):
        if row_number_like(ctx, tail):
            return None
        return money_from(ctx, tail, pid)
    if entry.type in ("people", "people_strict"):
        return None if row_number_like(ctx, tail) else count_from(ctx, tail, pid)
    if entry.type == "percent":
        return number_from(ctx, tail, pid, suffix="%")
    if entry.type == "points":
        return number_from(ctx, tail, pid)
    if entry.type == "grade":
        word = ctx.patterns.words["grade"].get(tail.group("g"))
        return ctx.ground(*tail.span("g"), word, Grounded, pid) if word else None
    raise ValueError(f"prose.toml: unknown type {entry.type!r}")


def row_number_like(ctx: Context, m) -> bool:
    """A bare whole number of up to three digits, without a unit, in a text whose tables number
    their rows (行次, 栏次): a row number (a total is not a few yuan, and 万元 tables write decimals)."""
    raw = m.group("num")
    if m.groupdict().get("unit") or not (raw.isdigit() and len(raw) <= 3):
        return False
    start = m.start("num")
    head = ctx.text[max(0, start - DEFAULT_ROW_NUMBER_WINDOW) : start]
    return any(w in head for w in lexicon(ctx.patterns).row_numbers)

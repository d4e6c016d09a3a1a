"""What every field module shares: the folded view, running a field's patterns, grounding values."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from decimal import Decimal

import regex

from ..document import Document
from ..model import Count, Grounded, Money, Number
from ..normalize import Folded, fold
from ..numbers import UNIT_FACTORS, half_unit, parse_arabic, parse_number, year_of
from ..patterns import Patterns, compiled, load

DEFAULT_UNIT_WINDOW = 4000


@dataclass
class Context:
    document: Document
    folded: Folded
    patterns: Patterns
    candidates: dict[str, list[Grounded]] = field(default_factory=dict)
    year: int | None = None  # the fiscal year, once known: a figure of another year is not this one's
    kind: str | None = None  # the report's kind, once known
    kind_pattern: str | None = None  # what told the kind (kind.title.other: a budget disclosure's title)
    department: str | None = None  # the unit's name, once known
    budget_form: dict | None = None  # a self-evaluation form's money row, once read
    _unit_headers: tuple[list[int], list[str]] | None = None
    _grids: list | None = None
    memo: dict = field(default_factory=dict)  # what field code computes once per document (mentions …)

    @property
    def grids(self) -> list:
        """Every table of the document as a Grid in the folded view: the reader's tables, then the
        tables its text writes as lines (extractor.text_grids), in text order."""
        if self._grids is None:
            from ..columns import roles
            from ..glued import glued_grids
            from ..grid import join_split, reader_grids
            from ..text_grids import is_page_break, text_grids

            own = reader_grids(self.document, self.folded)
            covered = [(g.start, g.end) for g in own]
            found = text_grids(self.text, covered, roles(self.patterns), self.folded.one_cell_rows)
            found += glued_grids(self.text, self.patterns, roles(self.patterns))
            self._grids = join_split(own + found, self.text, is_page_break)
        return self._grids

    @classmethod
    def of(cls, document: Document, patterns: Patterns | None = None) -> Context:
        return cls(document, fold(document.text), patterns or load())

    @property
    def text(self) -> str:
        return self.folded.text

    def ground(self, start: int, end: int, value, cls=Grounded, pattern: str | None = None, **extra):
        """A value grounded on the folded slice [start, end)."""
        s, e = self.folded.span(start, end)
        return cls(
            value=value,
            raw=self.document.text[s:e],
            span=(s, e),
            page=self.document.page_at(s),
            pattern=pattern,
            **extra,
        )

    def folded_range(self, value: Grounded) -> tuple[int, int]:
        """Where a grounded value stands in the folded view."""
        return self.folded.to_folded(value.span[0]), self.folded.to_folded(value.span[1])

    def matches(self, field_name: str):
        """(pattern, match) for every match of every pattern of a field, best pattern first."""
        for pat in self.patterns.for_field(field_name):
            for m in pat.regex.finditer(self.text):
                yield pat, m

    def unit_before(self, pos: int, window: int = DEFAULT_UNIT_WINDOW) -> str | None:
        """The money unit a table header states before ``pos`` (nearest first)."""
        if self._unit_headers is None:
            header = compiled("{unit_header}")  # a unit stated once for a whole table (单位：万元)
            found = [(m.start(), m.group("u") or m.group("u2")) for m in header.finditer(self.text)]
            self._unit_headers = ([at for at, _ in found], [u for _, u in found])
        starts, units = self._unit_headers
        k = bisect.bisect_left(starts, pos) - 1  # the nearest header before pos
        return units[k] if k >= 0 and pos - starts[k] <= window else None

    def remember(self, path: str, value: Grounded | None) -> Grounded | None:
        if value is not None:
            self.candidates.setdefault(path, []).append(value)
        return value


_SENTENCE_STOPS = "\u3002;!?\n"
_CLAUSE_STOPS = "\u3002;!?\n,"
# how far back a sentence or clause is read for what it says of a figure: a table flattened
# onto one line (no stops at all) must not lend one cell's words to a figure far away
DEFAULT_HEAD_WINDOW = 60


def _stop_before(text: str, pos: int, stops: list[int], lo: int = 0) -> int:
    """Where the sentence or clause that holds ``pos`` starts: after the last of ``stops`` before
    ``pos``, looked for from ``lo`` on (a window: a long text without stops does not lend its
    start to a figure far away)."""
    i = bisect.bisect_left(stops, pos) - 1
    return stops[i] + 1 if i >= 0 and stops[i] >= lo else lo


# Where the text's sentences and clauses end, found once per text (a scan back from every figure
# cost a fifth of the prose scanner): the offsets of every stop, in order. A comma between digits
# is a thousands separator (2,980.60), not a clause's end. Identity, not equality, as fold's cache.
_SENTENCE_STOP = re.compile("[" + re.escape(_SENTENCE_STOPS) + "]")
_CLAUSE_STOP = re.compile("[" + re.escape(_CLAUSE_STOPS) + "]")
_RECENT_STOPS: list[tuple[str, list[int], list[int]]] = []


def _stops(text: str) -> tuple[list[int], list[int]]:
    for seen, sentences, clauses in _RECENT_STOPS:
        if seen is text:
            return sentences, clauses
    sentences = [m.start() for m in _SENTENCE_STOP.finditer(text)]
    clauses = [
        i
        for m in _CLAUSE_STOP.finditer(text)
        if text[(i := m.start())] != "," or not (i > 0 and text[i - 1].isdigit() and text[i + 1 : i + 2].isdigit())
    ]
    _RECENT_STOPS.insert(0, (text, sentences, clauses))
    del _RECENT_STOPS[2:]
    return sentences, clauses


# a sentence read back at most this far: a text without stops (a table flattened onto one line)
# is not scanned back to its start at every figure
DEFAULT_SENTENCE_WINDOW = 1000


def sentence_start(text: str, pos: int, window: int = DEFAULT_SENTENCE_WINDOW) -> int:
    return _stop_before(text, pos, _stops(text)[0], max(0, pos - window))


def clause_start(text: str, pos: int, window: int = DEFAULT_SENTENCE_WINDOW) -> int:
    return _stop_before(text, pos, _stops(text)[1], max(0, pos - window))


def of_another_year(ctx: Context, pos: int) -> bool:
    """A figure at ``pos`` that its sentence gives for another year than the report's: the last
    period the sentence names before it is another year or last year ("2022年该项目实际支出980万元",
    "与2022年度收入总计301.20万元相比", "上年度该项目预算150万元，实际支出146万元"). A period named in
    a comparison of an earlier clause ("比上年增加88.20万元，本年支出合计…") is passed over, and a
    later "本年度" or the report's own year restores this year."""
    text = ctx.text
    start, clause = sentence_start(text, pos, DEFAULT_HEAD_WINDOW), clause_start(text, pos, DEFAULT_HEAD_WINDOW)
    # what a sentence says its figures are of: a year, last year, or this year; a period that a
    # comparison names ("较2022年减少…", "与上年相比") speaks of that period only in its own clause
    period, compared = compiled("{period}"), compiled("{compared}")
    other = False
    for m in period.finditer(text, start, pos):
        if m.start() < clause and compared.search(text, max(start, m.start() - 4), m.start()):
            continue
        year = m.group("year") or m.group("cn_year")
        if year:
            if ctx.year is not None:
                other = year_of(year) != ctx.year
        else:
            other = bool(m.group("prior"))
    return other


def lines_with_offsets(text: str) -> list[tuple[str, int]]:
    """Every line of ``text`` with the offset where it starts."""
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((line, pos))
        pos += len(line) + 1
    return out


def split_cells(line: str, offset: int) -> list[tuple[str, int, int]]:
    """A pipe-table row as (cell text, start, end), offsets in the same text as ``offset``."""
    cells, pos = [], 0
    for part in line.split("|"):
        cells.append((part, offset + pos, offset + pos + len(part)))
        pos += len(part) + 1
    return cells


def money_from(ctx: Context, m: regex.Match, pattern_id: str, num_group: str = "num") -> Money | None:
    """A Money from a match with groups num / unit / approx_*; None when no unit can be known."""
    num = parse_arabic(m.group(num_group))
    if num is None:
        return None
    start, end = m.span(num_group)
    groups = m.groupdict()
    unit = groups.get("unit") or None
    approx = any(groups.get(g) for g in ("approx_pre", "approx_post", "approx_post2"))
    for g in ("approx_pre", "approx_post", "unit", "approx_post2"):
        # a unit shared by two figures (收、支总计各是1,2万元) is not part of the first one's raw
        if groups.get(g) and m.start(g) <= end and m.end(g) >= start - 2:
            start, end = min(start, m.start(g)), max(end, m.end(g))
    if unit is None:
        unit = ctx.unit_before(start)
        if unit is None:
            return None
    value = num.value * UNIT_FACTORS[unit]
    return ctx.ground(start, end, value, Money, pattern_id, decimals=num.decimals, unit=unit, approx=approx)


def share_from(ctx: Context, m: regex.Match, pattern_id: str, group: str = "share") -> Number | None:
    if group not in m.groupdict() or not m.group(group):
        return None
    base = m.groupdict().get("share_base")
    if base and ctx.patterns.compiled_words("scope", "words").search(base):
        return None  # a share of a subset's total (占一般公共预算财政拨款总支出的29.20%), not the unit's
    if base and ctx.patterns.compiled_words("share_base", "not_the_total").search(base):
        return None  # a share of a budget or another year's figure (占年初预算的98.50%)
    num = parse_arabic(m.group(group))
    if num is None:
        return None
    s, e = m.span(group)
    if ctx.text[e : e + 1] == "%":
        e += 1
    return ctx.ground(s, e, num.value, Number, pattern_id, decimals=num.decimals)


def count_from(ctx: Context, m: regex.Match, pattern_id: str) -> Count | None:
    num = parse_number(m.group("num"))
    if num is None or num.decimals:
        return None
    s, e = m.span("num")
    if "unit" in m.groupdict() and m.group("unit"):
        e = m.end("unit")
    return ctx.ground(s, e, int(num.value), Count, pattern_id)


def number_from(
    ctx: Context, m: regex.Match, pattern_id: str, group: str = "num", suffix: str = "\u5206"
) -> Number | None:
    num = parse_arabic(m.group(group))
    if num is None:
        return None
    s, e = m.span(group)
    if suffix and ctx.text.startswith(suffix, e):
        e += len(suffix)
    return ctx.ground(s, e, num.value, Number, pattern_id, decimals=num.decimals)


def tolerance(g: Number) -> Decimal:
    """The rounding a figure was written with, in its value's unit (yuan for money)."""
    factor = UNIT_FACTORS.get(g.unit, Decimal(1)) if isinstance(g, Money) else Decimal(1)
    return half_unit(g.decimals, factor)


def agrees(a: Grounded, b: Grounded) -> bool:
    """Two candidates state the same figure, within the rounding each was written with."""
    if isinstance(a, Number) and isinstance(b, Number):
        return abs(a.value - b.value) <= tolerance(a) + tolerance(b)
    return a.value == b.value


def choose(values: list[tuple[int, Grounded]]) -> Grounded | None:
    """The best candidate: lowest pattern priority, then earliest in the text.

    When the best-priority candidates disagree beyond rounding, nothing decides between them:
    the field stays empty (wrong values are worse than missing ones); every candidate is kept
    in ``report.candidates`` so the verifier names both places.
    """
    if not values:
        return None
    best = min(p for p, _ in values)
    top = sorted((v for p, v in values if p == best), key=lambda v: v.span[0])
    if any(not agrees(top[0], v) for v in top[1:]):
        return None
    return top[0]


__all__ = [
    "Context",
    "choose",
    "clause_start",
    "compiled",
    "count_from",
    "lines_with_offsets",
    "money_from",
    "number_from",
    "of_another_year",
    "sentence_start",
    "share_from",
    "split_cells",
]

"""What every field module shares: the folded view, running a field's patterns, grounding values."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import regex

from ..document import Document
from ..model import Count, Grounded, Money, Number
from ..normalize import Folded, fold
from ..numbers import UNIT_FACTORS, half_unit, parse_arabic, parse_number
from ..patterns import Patterns, compile_regex, compiled, load

# A unit stated once for a whole table: 单位：万元, 金额单位:元, (万元)
_UNIT_HEADER = compile_regex(r"(?:金额)?单位[:]?[ ]?(?P<u>亿元|万元|千元|元)|\((?P<u2>亿元|万元|千元|元)\)")
DEFAULT_UNIT_WINDOW = 4000


@dataclass
class Context:
    document: Document
    folded: Folded
    patterns: Patterns
    candidates: dict[str, list[Grounded]] = field(default_factory=dict)
    _unit_headers: list[tuple[int, str]] | None = None

    @classmethod
    def of(cls, document: Document, patterns: Patterns | None = None) -> Context:
        return cls(document, fold(document.text), patterns or load())

    @property
    def text(self) -> str:
        return self.folded.text

    def ground(self, start: int, end: int, value, cls=Grounded, pattern: str | None = None, **extra):
        """A value grounded on the folded slice [start, end)."""
        s, e = self.folded.span(start, end)
        return cls(value=value, raw=self.document.text[s:e], span=(s, e),
                   page=self.document.page_at(s), pattern=pattern, **extra)

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
            self._unit_headers = [(m.start(), m.group("u") or m.group("u2")) for m in _UNIT_HEADER.finditer(self.text)]
        best = None
        for at, unit in self._unit_headers:
            if at >= pos:
                break
            if pos - at <= window:
                best = unit
        return best

    def remember(self, path: str, value: Grounded | None) -> Grounded | None:
        if value is not None:
            self.candidates.setdefault(path, []).append(value)
        return value


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


def number_from(ctx: Context, m: regex.Match, pattern_id: str, group: str = "num", suffix: str = "分") -> Number | None:
    num = parse_arabic(m.group(group))
    if num is None:
        return None
    s, e = m.span(group)
    if suffix and ctx.text.startswith(suffix, e):
        e += len(suffix)
    return ctx.ground(s, e, num.value, Number, pattern_id, decimals=num.decimals)


def _agrees(a: Grounded, b: Grounded) -> bool:
    """Two candidates state the same figure, within the rounding each was written with."""
    if isinstance(a, Number) and isinstance(b, Number):
        def tol(g: Number) -> Decimal:
            factor = UNIT_FACTORS.get(g.unit, Decimal(1)) if isinstance(g, Money) else Decimal(1)
            return half_unit(g.decimals, factor)

        return abs(a.value - b.value) <= tol(a) + tol(b)
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
    if any(not _agrees(top[0], v) for v in top[1:]):
        return None
    return top[0]


__all__ = ["Context", "choose", "compiled", "count_from", "lines_with_offsets", "money_from", "number_from",
           "share_from", "split_cells"]

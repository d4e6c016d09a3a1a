"""Title, department, fiscal year, report kind and internal divisions: the report's identity.

The title's candidates are in ``titles.py``, the unit's name in ``department.py`` and ``names.py``;
every word they read is in ``patterns/words.toml`` and ``patterns/fields_meta.toml``.
"""

from __future__ import annotations

from ..model import Count, Grounded
from ..normalize import fold_name
from ..numbers import year_of
from ..patterns import compile_regex, label_alternation
from .common import Context
from .department import extract_department
from .titles import choose_title, title_candidates

__all__ = ["extract_department", "extract_divisions", "extract_kind", "extract_title", "extract_year"]

DEFAULT_YEAR_WINDOW = 6000  # without a title, a year is looked for in the opening only
DEFAULT_STRUCTURE_WINDOW = 3000
DEFAULT_SUBJECT_WINDOW = 3000  # the sentence that states the report's subject opens the report
COMPARED_CHARS = 2  # how far before a year a comparison word (比2012年, 较上年) is looked for
CITATION_CHARS = 80  # how far back an open 《 makes a year a cited document's


def _title_span(ctx: Context, title: Grounded | None) -> tuple[int, int] | None:
    return ctx.folded_range(title) if title is not None else None


def extract_title(ctx: Context) -> Grounded | None:
    chosen = choose_title(ctx, title_candidates(ctx))
    if chosen is None:
        return None
    text = ctx.text
    value = "".join(text[chosen.start : chosen.end].split())
    return ctx.ground(
        chosen.start, chosen.end, value, Grounded, "title.quoted" if chosen.source == "quoted" else "title.line"
    )


def extract_year(ctx: Context, title: Grounded | None) -> Count | None:
    """The title's year; else a form's year label or header (2019年度), the sentence stating the
    report's subject, the unit speaking of its year, the first year the opening gives the unit's
    budget — never a filing date, a year compared with, or a cited document's."""
    text = ctx.text
    title_year = ctx.patterns.for_field("title.year")[0].regex
    span = _title_span(ctx, title)
    if span is not None:
        m = title_year.search(text, *span)
        if m:
            return ctx.ground(m.start("year"), m.end("year"), year_of(m.group("year")), Count, "year.title")
    # a title without a year (a form's generic name) above a file's name that has one: the file is
    # the report itself ("2019年度…项目绩效自评表.pdf" over "某市…项目绩效目标自评表")
    for cand in title_candidates(ctx):
        if cand.source == "file" and (m := title_year.search(text, cand.start, cand.end)):
            return ctx.ground(m.start("year"), m.end("year"), year_of(m.group("year")), Count, "year.file")
    compared = _compared_words(ctx)
    for pat in ctx.patterns.for_field("fiscal_year.fallback"):
        for m in pat.regex.finditer(text, 0, min(len(text), DEFAULT_YEAR_WINDOW)):
            at = m.start("year")
            if compared.search(text[max(0, at - COMPARED_CHARS) : at]) or _cited(ctx, at):
                continue
            return ctx.ground(at, m.end("year"), year_of(m.group("year")), Count, pat.id)
    return None


def _compared_words(ctx: Context):
    return ctx.patterns.memo(
        "year.compared", lambda: compile_regex("(?:" + label_alternation(ctx.patterns.words["year"]["compared"]) + ")$")
    )


def _cited(ctx: Context, pos: int) -> bool:
    """Whether ``pos`` stands inside a cited document's name: after a 《 not yet closed on its line."""
    text, (left, right) = ctx.text, ctx.patterns.words["year"]["cited"]
    lo = max(0, pos - CITATION_CHARS, text.rfind("\n", 0, pos) + 1)
    opened = text.rfind(left, lo, pos)
    return opened >= 0 and text.rfind(right, opened, pos) < 0


def _kind_in(ctx: Context, segment: str) -> str | None:
    """The kind a title (or a subject sentence) names; its year taken out first, so that
    "…项目2018年度绩效自评报告" reads as "…项目绩效自评报告"."""
    squashed = ctx.patterns.for_field("title.year")[0].regex.sub("", "".join(segment.split()))
    if ctx.patterns.compiled_words("kind_summary").search(squashed):
        return "other"
    for section in ("kind", "kind_late"):
        for kind, words in ctx.patterns.words[section].items():
            if any(w in squashed for w in words):
                return kind
    return None


def extract_kind(ctx: Context, title: Grounded | None) -> Grounded | None:
    """From the title; else the sentence that states the report's subject (现将…报告如下); else the
    document's structure in its opening (a form's name, a table's name, a template's headings)."""
    text = ctx.text
    span = _title_span(ctx, title)
    if span is not None:
        kind = _kind_in(ctx, text[span[0] : span[1]])
        if kind is not None:
            summary = ctx.patterns.compiled_words("kind_summary").search("".join(text[span[0] : span[1]].split()))
            pid = "kind.title.summary" if summary else f"kind.title.{kind}"
            return ctx.ground(span[0], span[1], kind, Grounded, pid)
    for pat in ctx.patterns.for_field("title.subject"):
        m = pat.regex.search(text, 0, min(len(text), DEFAULT_SUBJECT_WINDOW))
        kind = _kind_in(ctx, m.group("t")) if m else None
        if kind is not None:
            return ctx.ground(m.start("t"), m.end("t"), kind, Grounded, f"kind.subject.{kind}")
    hits = []
    for pat in ctx.patterns.for_field("kind.structure"):
        m = pat.regex.search(text, 0, min(len(text), DEFAULT_STRUCTURE_WINDOW))
        if m:
            hits.append((m.start(), pat.options["kind"], m, pat.id))
    if hits:  # the structure named first is the document's; later ones are annexes
        _, kind, m, pid = min(hits, key=lambda h: h[0])
        return ctx.ground(m.start(), m.end(), kind, Grounded, pid)
    return None


def _divisions(ctx: Context, listed: str) -> list[str]:
    """The names of a list of divisions: split at 、 and ，, and at 和/及/与 only between two whole
    names ("财务股和业务股"), not inside one ("自然资源和生态环境办公室")."""
    words = ctx.patterns.words["divisions"]
    endings = tuple(ctx.patterns.words["department"]["suffixes"]) + tuple(words["endings"])
    separators = ctx.patterns.memo(
        "divisions.separators", lambda: compile_regex("[" + "".join(words["separators"]) + "]")
    )
    joins = ctx.patterns.memo("divisions.joins", lambda: compile_regex("[" + "".join(words["joins"]) + "]"))
    out = []
    for item in separators.split(listed):
        parts = joins.split(item)
        if len(parts) > 1 and all(len(p) >= 2 and p.endswith(endings) for p in parts):
            out.extend(parts)
        else:
            out.append(item)
    return out


def extract_divisions(ctx: Context) -> Grounded | None:
    m = next((m for _, m in ctx.matches("divisions")), None)
    if not m:
        return None
    items = [fold_name(x) for x in _divisions(ctx, m.group("list")) if x]
    if not items:
        return None
    return ctx.ground(m.start("list"), m.end("list"), items, Grounded, "divisions.list")

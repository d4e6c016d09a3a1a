"""Field groups: each reads the folded Document and fills its part of the Report."""

from __future__ import annotations

from ..document import Document
from ..model import Indicator, Report
from ..patterns import Patterns
from .common import Context
from .finance import execution_indicator, extract_budget, extract_carryover, extract_expenditure, extract_revenue
from .headcount import extract_headcount
from .meta import extract_department, extract_divisions, extract_kind, extract_title, extract_year
from .scores import (
    default_bands,
    extract_grade,
    extract_grade_bands,
    extract_indicators,
    extract_max_score,
    extract_total_score,
    indicators_from_glued_table,
    indicators_from_tables,
)


def extract_report(document: Document, patterns: Patterns | None = None) -> Report:
    ctx = Context.of(document, patterns)
    title = extract_title(ctx)
    department = extract_department(ctx, title)
    fiscal_year = extract_year(ctx, title)
    kind = extract_kind(ctx, title)
    # what the figures are read against: a figure its sentence gives for another year is not
    # this year's; a figure a department's report gives for one named project is not the unit's
    ctx.year = fiscal_year.value if fiscal_year is not None else None
    ctx.kind = kind.value if kind is not None else None
    ctx.department = department.value if department is not None else None
    ctx.kind_pattern = kind.pattern if kind is not None else None
    indicators = indicators_from_tables(ctx)
    if indicators:
        indicators = _with_execution_rate(ctx, indicators)
    else:
        indicators = extract_indicators(ctx) or indicators_from_glued_table(ctx)
    report = Report(
        title=title,
        department=department,
        fiscal_year=fiscal_year,
        kind=kind,
        divisions=extract_divisions(ctx),
        headcount=extract_headcount(ctx),
        revenue=extract_revenue(ctx),
        carryover=extract_carryover(ctx),
        expenditure=extract_expenditure(ctx),
        budget=extract_budget(ctx),
        indicators=indicators,
        total_score=extract_total_score(ctx, indicators),
        max_score=extract_max_score(ctx),
        grade=extract_grade(ctx),
        grade_bands=extract_grade_bands(ctx),
    )
    if report.grade_bands is None and (report.grade is not None or report.total_score is not None):
        report.grade_bands = default_bands()
    # a year's own total beside the grand total (…of_year) is kept even when stated once: the
    # verifier checks the breakdowns against it
    report.candidates = {k: v for k, v in ctx.candidates.items() if len(v) > 1 or k.endswith(".of_year")}
    return report


def _with_execution_rate(ctx: Context, indicators: list[Indicator]) -> list[Indicator]:
    """A score table's indicators and, first, the execution rate that the form's money row scores
    (分值 10 | 得分 9.85): the total score is the two together, unless the table lists it itself."""
    def names(nodes):
        for n in nodes:
            yield n.name
            yield from names(n.children)

    if any("执行" in n for n in names(indicators)):
        return indicators
    rate = execution_indicator(ctx)
    return [rate, *indicators] if rate is not None else indicators

"""Field groups: each reads the folded Document and fills its part of the Report."""

from __future__ import annotations

from ..document import Document
from ..model import Report
from ..patterns import Patterns
from .common import Context
from .finance import extract_budget, extract_carryover, extract_expenditure, extract_revenue
from .headcount import extract_headcount
from .meta import extract_department, extract_divisions, extract_kind, extract_title, extract_year
from .scores import (
    default_bands,
    extract_grade,
    extract_grade_bands,
    extract_indicator_tree,
    extract_max_score,
    extract_total_score,
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
    indicators = extract_indicator_tree(ctx)
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
        report.grade_bands = default_bands(ctx)
    # a year's own total beside the grand total (…of_year) is kept even when stated once: the
    # verifier checks the breakdowns against it
    report.candidates = {k: v for k, v in ctx.candidates.items() if len(v) > 1 or k.endswith(".of_year")}
    return report

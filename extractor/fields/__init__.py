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
    extract_indicators,
    extract_max_score,
    extract_total_score,
    indicators_from_glued_table,
    indicators_from_tables,
)


def extract_report(document: Document, patterns: Patterns | None = None) -> Report:
    ctx = Context.of(document, patterns)
    title = extract_title(ctx)
    report = Report(
        title=title,
        department=extract_department(ctx, title),
        fiscal_year=extract_year(ctx, title),
        kind=extract_kind(ctx, title),
        divisions=extract_divisions(ctx),
        headcount=extract_headcount(ctx),
        revenue=extract_revenue(ctx),
        carryover=extract_carryover(ctx),
        expenditure=extract_expenditure(ctx),
        budget=extract_budget(ctx),
        indicators=indicators_from_tables(ctx) or extract_indicators(ctx) or indicators_from_glued_table(ctx),
        total_score=extract_total_score(ctx),
        max_score=extract_max_score(ctx),
        grade=extract_grade(ctx),
        grade_bands=extract_grade_bands(ctx),
    )
    if report.grade_bands is None and (report.grade is not None or report.total_score is not None):
        report.grade_bands = default_bands()
    report.candidates = {k: v for k, v in ctx.candidates.items() if len(v) > 1}
    return report

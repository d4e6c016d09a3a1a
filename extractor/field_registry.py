"""One registry of the record's scalar fields: JSON path, Chinese and English names, type, column.

Every writer (the JSON summary, the store's ``reports`` view, the exports, the terminal summary,
the HTML page) names a figure from here, so a figure has one name everywhere and a new field is
one entry. Lists (revenue items, indicators) are not scalar fields and are not listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

FieldType = Literal["text", "year", "kind", "count", "money", "percent", "points", "grade"]


@dataclass(frozen=True, slots=True)
class FieldSpec:
    key: str  # stable identifier: label keys, candidates, findings' field names
    path: str  # where the value stands in the JSON output ("report.revenue.total")
    zh: str  # what a Chinese auditor reads
    en: str  # what ``--lang en`` shows
    type: FieldType
    column: str  # the store's ``reports`` view and every export ("_yuan": money in yuan)
    by_type: str | None = None  # for expenditure.by_type items: the item's name

    @property
    def attrs(self) -> tuple[str, ...]:
        """The attribute path inside a Report ("revenue", "total")."""
        return tuple(self.path.split(".")[1:]) if self.by_type is None else ("expenditure", "by_type")


def _f(key, path, zh, en, type_, column, by_type=None) -> FieldSpec:
    return FieldSpec(key, path, zh, en, type_, column, by_type)


FIELD_SPECS: tuple[FieldSpec, ...] = (
    _f("title", "report.title", "报告标题", "title", "text", "title"),
    _f("department", "report.department", "单位名称", "department", "text", "department"),
    _f("fiscal_year", "report.fiscal_year", "年度", "fiscal year", "year", "fiscal_year"),
    _f("kind", "report.kind", "报告类型", "report kind", "kind", "kind"),
    _f(
        "headcount.authorized",
        "report.headcount.authorized",
        "编制人数",
        "authorised posts",
        "count",
        "headcount_authorized",
    ),
    _f("headcount.actual", "report.headcount.actual", "实有人数", "actual headcount", "count", "headcount_actual"),
    _f(
        "headcount.in_service",
        "report.headcount.in_service",
        "在职人员",
        "staff in service",
        "count",
        "headcount_in_service",
    ),
    _f("headcount.retired", "report.headcount.retired", "退休人员", "retired staff", "count", "headcount_retired"),
    _f("revenue.total", "report.revenue.total", "收入总计", "total revenue", "money", "revenue_total_yuan"),
    _f(
        "expenditure.total",
        "report.expenditure.total",
        "支出总计",
        "total expenditure",
        "money",
        "expenditure_total_yuan",
    ),
    _f(
        "expenditure.basic",
        "report.expenditure.by_type",
        "基本支出",
        "basic expenditure",
        "money",
        "expenditure_basic_yuan",
        by_type="基本支出",
    ),
    _f(
        "expenditure.project",
        "report.expenditure.by_type",
        "项目支出",
        "project expenditure",
        "money",
        "expenditure_project_yuan",
        by_type="项目支出",
    ),
    _f(
        "carryover.start",
        "report.carryover.start",
        "年初结转和结余",
        "carry-over at the start",
        "money",
        "carryover_start_yuan",
    ),
    _f(
        "carryover.end",
        "report.carryover.end",
        "年末结转和结余",
        "carry-over at the end",
        "money",
        "carryover_end_yuan",
    ),
    _f("budget.total", "report.budget.total", "年初预算数", "initial budget", "money", "budget_initial_yuan"),
    _f("budget.adjusted", "report.budget.adjusted", "全年预算数", "adjusted budget", "money", "budget_adjusted_yuan"),
    _f("budget.spent", "report.budget.spent", "全年执行数", "budget spent", "money", "budget_spent_yuan"),
    _f(
        "budget.execution_rate",
        "report.budget.execution_rate",
        "预算执行率",
        "execution rate",
        "percent",
        "execution_rate_percent",
    ),
    _f("total_score", "report.total_score", "自评得分", "total score", "points", "total_score"),
    _f("max_score", "report.max_score", "满分", "full mark", "points", "max_score"),
    _f("grade", "report.grade", "评价等级", "grade", "grade", "grade"),
)

BY_KEY: dict[str, FieldSpec] = {f.key: f for f in FIELD_SPECS}


def spec(key: str) -> FieldSpec:
    """The spec of ``key``; KeyError names the key when it is not registered."""
    return BY_KEY[key]


def value_of(report: Any, entry: FieldSpec):
    """The grounded value a Report holds for ``entry`` (None when absent)."""
    obj = report
    for attr in entry.attrs:
        obj = getattr(obj, attr, None)
        if obj is None:
            return None
    if entry.by_type is not None:
        item = next((i for i in obj if i.name == entry.by_type), None)
        return item.amount if item is not None else None
    return obj


def name(key: str, lang: str = "zh") -> str:
    """A field's display name in ``lang`` ("zh" or "en")."""
    entry = BY_KEY[key]
    return entry.en if lang == "en" else entry.zh

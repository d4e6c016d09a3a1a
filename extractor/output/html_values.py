"""The grounded values of a report dict that the auditor's page marks in the text: each with its
path (as findings name fields), its span, how the report wrote it and its name for people."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..display import as_written, field_name, in_yuan, kind_name, path_name
from ..i18n import _

_GROUP_OF = {
    "title": "meta",
    "department": "meta",
    "fiscal_year": "meta",
    "kind": "meta",
    "divisions": "meta",
    "headcount": "headcount",
    "revenue": "revenue",
    "expenditure": "expenditure",
    "carryover": "budget",
    "budget": "budget",
    "indicators": "indicators",
    "total_score": "score",
    "max_score": "score",
    "grade": "score",
    "grade_bands": "score",
}
_INDEX = re.compile(r"\[\d+\]")


@dataclass(frozen=True)
class Value:
    """One grounded value of the report dict, where the page shows it."""

    path: str  # report.expenditure.by_function[0].amount, as findings name fields
    span: tuple[int, int]
    display: str  # as the report wrote it: "145.16万元", "91.21%", "7分"
    label: str  # its name for people: "支出（按功能分类）·一般公共服务·金额"
    pattern: str | None
    page: int | None
    is_name: bool = False  # a category's name (name_span), not a figure
    yuan: str | None = None  # a money value in yuan: "1451600元"

    @property
    def group(self) -> str:
        parts = self.path.split(".")
        key = parts[2] if parts[1] == "candidates" and len(parts) > 2 else parts[1]
        return _GROUP_OF.get(_INDEX.sub("", key), "meta")


def show(path: str, node: dict) -> str:
    """A grounded value for people: as the report wrote it; a kind by its Chinese name."""
    v = node.get("value")
    if path.endswith(".kind") and path.count(".") == 1:
        return kind_name(v)
    if isinstance(v, list):
        return _("、").join(map(str, v))
    return as_written(node, path.removeprefix("report."))


def _bands(node: dict) -> str:
    def side(b):
        lo = f"{b['min']}{'≤' if b['min_inclusive'] else '<'}" if b.get("min") is not None else ""
        hi = f"{'≤' if b['max_inclusive'] else '<'}{b['max']}" if b.get("max") is not None else ""
        return _("{grade} {lo}分{hi}").format(grade=b["grade"], lo=lo, hi=hi)

    return _("；").join(side(b) for b in node.get("bands", []))


def collect_values(report: dict) -> list[Value]:
    """Every grounded value in a FIELDS.md report dict, in document order of its path walk."""
    out: list[Value] = []

    def walk(node, path: str):
        if isinstance(node, dict):
            if node.get("span") is not None and "raw" in node:
                out.append(
                    Value(
                        path,
                        tuple(node["span"]),
                        show(path, node),
                        path_name(path, report),
                        node.get("pattern"),
                        node.get("page"),
                        yuan=in_yuan(node),
                    )
                )
                return
            if path.endswith(".grade_bands"):
                if node.get("span"):
                    source = _("报告所列") if node.get("source") == "report" else _("通行标准")
                    out.append(
                        Value(
                            path,
                            tuple(node["span"]),
                            _bands(node),
                            f"{field_name('grade_bands')}（{source}）",
                            None,
                            None,
                        )
                    )
                return
            if "name" in node and node.get("name_span"):
                out.append(
                    Value(
                        path + ".name",
                        tuple(node["name_span"]),
                        str(node["name"]),
                        path_name(path, report),
                        None,
                        None,
                        is_name=True,
                    )
                )
            for key, child in node.items():
                walk(child, f"{path}.{key}")
        elif isinstance(node, list):
            for i, child in enumerate(node):
                walk(child, f"{path}[{i}]")

    walk(report, "report")
    return out


def finding_targets(findings: list[dict], values: list[Value]) -> list[list[tuple[int, int]]]:
    """Per finding, the spans to mark: its own, else those of the values its fields name."""
    out = []
    for f in findings:
        spans = [tuple(s) for s in f.get("spans") or []]
        if not spans:
            prefixes = tuple(f.get("fields") or ())
            spans = [
                v.span
                for v in values
                if not v.is_name and any(v.path == p or v.path.startswith((p + ".", p + "[")) for p in prefixes)
            ]
        out.append(list(dict.fromkeys(spans)))
    return out

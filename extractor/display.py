"""The names people read for the parts of a record: one name for a figure everywhere.

Scalar fields are named by the field registry (``extractor/field_registry.py``); the lists, the
parts of their items, report kinds and severities are named here. Every writer (the terminal
summary, ``verify``'s text, the HTML page) and every rule's message takes its names from these
two places, in Chinese, or in English with ``--lang en`` (``extractor/i18n.py``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .field_registry import FIELD_SPECS
from .i18n import N_, _, language

# fields that are not scalars of the registry: lists and other parts of the record
PARTS = {
    "divisions": N_("内设机构"),
    "headcount.authorized_breakdown": N_("编制构成"),
    "headcount.actual_breakdown": N_("实有人员构成"),
    "headcount.in_service_breakdown": N_("在职人员构成"),
    "revenue.items": N_("收入构成"),
    "expenditure.by_type": N_("支出（按经济分类）"),
    "expenditure.by_function": N_("支出（按功能分类）"),
    "budget.sources": N_("资金来源"),
    "indicators": N_("绩效指标"),
    "grade_bands": N_("等级标准"),
    "candidates": N_("其他写法"),
}
# the figures of a list's item
LEAVES = {
    "amount": N_("金额"),
    "share": N_("占比"),
    "count": N_("人数"),
    "max": N_("分值"),
    "score": N_("得分"),
    "name": N_("名称"),
}
# a budget source's figures are named as the budget's own
SOURCE_LEAVES = ("total", "adjusted", "spent", "execution_rate")
KIND_NAMES = {
    "department_overall": N_("部门整体支出"),
    "project": N_("项目支出"),
    "final_accounts": N_("部门决算"),
    "other": N_("其他"),
    "unknown": N_("未识别"),
}
SEVERITY_NAMES = {"error": N_("错误"), "warning": N_("警告"), "info": N_("未能核对")}

_BY_PATH = {f.path.removeprefix("report."): f for f in FIELD_SPECS if f.by_type is None}
# parts of the record that only hold fields: a field's own name says where it is
_CONTAINERS = {"headcount", "revenue", "expenditure", "carryover", "budget"}
_TOKEN = re.compile(r"([A-Za-z_]+)(?:\[(\d+)\])?")


def field_name(key: str) -> str:
    """A field's name: the registry's for a scalar (``revenue.total`` -> 收入总计), else this
    module's (``revenue.items`` -> 收入构成); the key itself when neither knows it."""
    key = key.removeprefix("report.")
    entry = _BY_PATH.get(key)
    if entry is not None:
        return entry.en if language() == "en" else entry.zh
    return _(PARTS[key]) if key in PARTS else key


def kind_name(kind: str | None) -> str:
    return _(KIND_NAMES.get(kind or "unknown", KIND_NAMES["unknown"]))


def severity_name(severity: str) -> str:
    return _(SEVERITY_NAMES[severity]) if severity in SEVERITY_NAMES else severity


def _item_name(node: Any, index: int) -> str:
    name = node.get("name") if isinstance(node, Mapping) else getattr(node, "name", None)
    return str(name) if name else _("第{n}项").format(n=index + 1)


def path_name(path: str, report: Any = None) -> str:
    """A field path as a person reads it: ``report.expenditure.by_type[1].share`` ->
    支出（按经济分类）·项目支出·占比. ``report`` (a Report or its dict) gives list items their names."""
    names: list[str] = []
    plain: list[str] = []
    node = report
    tokens = _TOKEN.findall(path.removeprefix("report."))
    if tokens and tokens[0][0] == "candidates":  # report.candidates.revenue.total[1]: another writing of it
        key = ".".join(t for t, _i in tokens[1:])
        return _("{field}（另一处写法）").format(field=field_name(key.removesuffix(".of_year")))
    for token, index in tokens:
        plain.append(token)
        key = ".".join(plain)
        node = node.get(token) if isinstance(node, Mapping) else getattr(node, token, None)
        if token == "children" or (len(plain) == 1 and token in _CONTAINERS):
            pass  # an indicator's children, the record's sections: the next name says it
        elif key in _BY_PATH:
            names.append(field_name(key))
        elif key in PARTS:
            names.append(field_name(key))
        elif plain[:2] == ["budget", "sources"] and token in SOURCE_LEAVES:
            names.append(field_name(f"budget.{token}"))
        else:
            names.append(_(LEAVES[token]) if token in LEAVES else token)
        if index:
            i = int(index)
            item = node[i] if isinstance(node, list) and i < len(node) else None
            names.append(_item_name(item, i))
            node = item
    return "·".join(names)


_BREAK = re.compile(r"\s*\n\s*")
_BARE_NUMBER = re.compile(r"[\d.,]+")


def _get(node: Any, key: str):
    return node.get(key) if isinstance(node, Mapping) else getattr(node, key, None)


def as_written(node: Any, key: str = "") -> str:
    """A grounded value (a record's or its JSON dict) as the report wrote it: ``510.00万元``,
    ``7人``; a table's bare cell gets its unit (the header's 万元, the column's 分), and a value
    broken over lines is joined. ``key`` (the field's key or leaf: "total_score", "max") says
    what a bare number counts."""
    if node is None:
        return "—"
    raw = _BREAK.sub("", str(_get(node, "raw") or _get(node, "value") or ""))
    if not _BARE_NUMBER.fullmatch(raw):
        return raw
    unit = _get(node, "unit")
    if unit:
        return raw + unit
    leaf = key.rsplit(".", 1)[-1]
    if leaf in ("max", "score", "total_score", "max_score"):
        return raw + _("分")
    if leaf in ("share", "execution_rate"):
        return raw + "%"
    if key.startswith("headcount") or leaf == "count":
        return raw + _("人")
    return raw


def in_yuan(node: Any) -> str | None:
    """A money value in yuan, for a hover: ``5100000 元`` (``约`` before an approximate one)."""
    if node is None or _get(node, "unit") is None:
        return None
    value = _get(node, "value")
    text = value if isinstance(value, str) else f"{value:f}" if value is not None else ""
    return _("约{yuan}元").format(yuan=text) if _get(node, "approx") else _("{yuan}元").format(yuan=text)

"""Pieces of the auditor's page (html.py): the values found in a report dict, the key-figures
panel, the findings list and the list of what is missing. Every string goes out escaped.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from ..document import line_index
from .html_assets import GROUPS

KIND_LABELS = {"department_overall": "部门整体支出", "project": "项目支出", "final_accounts": "部门决算",
               "other": "其他", "unknown": "未识别"}
# Chinese names of fields, for the panel and the list of what is missing.
LABELS = {
    "title": "标题", "department": "单位", "fiscal_year": "年度", "kind": "报告类型", "divisions": "内设机构",
    "headcount.authorized": "编制人数", "headcount.authorized_breakdown": "编制构成",
    "headcount.actual": "实有人数", "headcount.in_service": "在职人员",
    "headcount.in_service_breakdown": "在职构成", "headcount.retired": "退休人员",
    "revenue.total": "收入总计", "revenue.items": "收入构成", "carryover.start": "年初结转和结余",
    "carryover.end": "年末结转和结余", "expenditure.total": "支出总计", "expenditure.by_type": "支出（按类型）",
    "expenditure.by_function": "支出（按功能）", "budget.total": "年初预算", "budget.adjusted": "调整预算",
    "budget.spent": "预算执行数", "budget.execution_rate": "预算执行率", "indicators": "绩效指标",
    "total_score": "总分", "max_score": "满分", "grade": "等级", "grade_bands": "等级标准",
}
_GROUP_OF = {"title": "meta", "department": "meta", "fiscal_year": "meta", "kind": "meta", "divisions": "meta",
             "headcount": "headcount", "revenue": "revenue", "expenditure": "expenditure",
             "carryover": "budget", "budget": "budget", "indicators": "indicators",
             "total_score": "score", "max_score": "score", "grade": "score", "grade_bands": "score"}
_INDEX = re.compile(r"\[\d+\]")


def esc(s: Any) -> str:
    return html.escape(str(s), quote=True)


@dataclass(frozen=True)
class Value:
    """One grounded value of the report dict, where the page shows it."""

    path: str  # report.expenditure.by_function[0].amount, as findings name fields
    span: tuple[int, int]
    display: str  # normalised: "1451600 元", "91.21 %", "7 分"
    label: str  # the list items it sits in: "产出指标 › 数量指标"
    pattern: str | None
    page: int | None
    is_name: bool = False  # a category's name (name_span), not a figure

    @property
    def group(self) -> str:
        parts = self.path.split(".")
        key = parts[2] if parts[1] == "candidates" and len(parts) > 2 else parts[1]
        return _GROUP_OF.get(_INDEX.sub("", key), "meta")


def show(path: str, node: dict) -> str:
    """A grounded value normalised for people: money in yuan, percents, points, people."""
    v = node.get("value")
    leaf = _INDEX.sub("", path.rsplit(".", 1)[-1])
    if "unit" in node:
        return ("约 " if node.get("approx") else "") + f"{v} 元"
    if isinstance(v, list):
        return "、".join(map(str, v))
    if leaf in ("share", "execution_rate"):
        return f"{v} %"
    if leaf in ("max", "score", "total_score", "max_score"):
        return f"{v} 分"
    if ".headcount." in path:
        return f"{v} 人"
    if leaf == "kind":
        return f"{v}（{KIND_LABELS.get(v, v)}）"
    return str(v)


def _bands(node: dict) -> str:
    def side(b):
        lo = f"{b['min']}{'≤' if b['min_inclusive'] else '<'}" if b.get("min") is not None else ""
        hi = f"{'≤' if b['max_inclusive'] else '<'}{b['max']}" if b.get("max") is not None else ""
        return f"{b['grade']} {lo}分{hi}"
    return "；".join(side(b) for b in node.get("bands", []))


def collect_values(report: dict) -> list[Value]:
    """Every grounded value in a FIELDS.md report dict, in document order of its path walk."""
    out: list[Value] = []

    def walk(node, path: str, names: tuple[str, ...]):
        if isinstance(node, dict):
            if node.get("span") is not None and "raw" in node:
                out.append(Value(path, tuple(node["span"]), show(path, node), " › ".join(names),
                                 node.get("pattern"), node.get("page")))
                return
            if path.endswith(".grade_bands"):
                if node.get("span"):
                    out.append(Value(path, tuple(node["span"]), _bands(node), f"来源：{node.get('source')}",
                                     None, None))
                return
            if "name" in node:
                names = (*names, str(node["name"]))
                if node.get("name_span"):
                    out.append(Value(path + ".name", tuple(node["name_span"]), str(node["name"]),
                                     " › ".join(names[:-1]), None, None, is_name=True))
            for key, child in node.items():
                walk(child, f"{path}.{key}", names)
        elif isinstance(node, list):
            for i, child in enumerate(node):
                walk(child, f"{path}[{i}]", names)

    walk(report, "report", ())
    return out


def finding_targets(findings: list[dict], values: list[Value]) -> list[list[tuple[int, int]]]:
    """Per finding, the spans to mark: its own, else those of the values its fields name."""
    out = []
    for f in findings:
        spans = [tuple(s) for s in f.get("spans") or []]
        if not spans:
            prefixes = tuple(f.get("fields") or ())
            spans = [v.span for v in values if not v.is_name and any(
                v.path == p or v.path.startswith((p + ".", p + "[")) for p in prefixes)]
        out.append(list(dict.fromkeys(spans)))
    return out


def _link(node: dict | None, path: str, ids: dict[str, int]) -> str:
    if not node:
        return '<span class="none">未找到</span>'
    k = ids.get(path)
    group = Value(path, (0, 0), "", "", None, None).group
    text = esc(show(path, node))
    if k is None:  # a span outside the text cannot be linked; still show the value
        return f'<span class="val g-{group}">{text}</span>'
    return (f'<a class="val g-{group}" href="#v{k}" data-k="{k}" '
            f'title="{esc(path)} · {esc(node.get("raw", ""))}">{text}</a>')


def _row(label: str, node: dict | None, path: str, ids) -> str:
    return f"<tr><th>{esc(label)}</th><td>{_link(node, path, ids)}</td></tr>"


def _items(report: dict, key: str, ids, title: str) -> str:
    section, _, leaf = key.partition(".")
    items = (report.get(section) or {}).get(leaf) or []
    if not items:
        return ""
    rows = "".join(
        f"<tr><td>{esc(it['name'])}</td><td class=\"num\">{_link(it.get('amount'), f'report.{key}[{i}].amount', ids)}"
        f"</td><td class=\"num\">{_link(it['share'], f'report.{key}[{i}].share', ids) if it.get('share') else ''}"
        f"</td></tr>" for i, it in enumerate(items))
    return f'<h3>{esc(title)}</h3><table class="tree"><tbody>{rows}</tbody></table>'


def _indicator_rows(items: list[dict], path: str, ids) -> list[str]:
    rows = []
    for i, it in enumerate(items):
        p = f"{path}[{i}]"
        name_k = ids.get(p + ".name")
        name = esc(it["name"]) if name_k is None else f'<a href="#v{name_k}" data-k="{name_k}" class="val g-indicators">{esc(it["name"])}</a>'
        rows.append(f'<tr><td class="lvl-{min(int(it.get("level") or 1), 4)}">{name}</td>'
                    f'<td class="num">{_link(it.get("max"), p + ".max", ids)}</td>'
                    f'<td class="num">{_link(it.get("score"), p + ".score", ids)}</td></tr>')
        rows += _indicator_rows(it.get("children") or [], p + ".children", ids)
    return rows


def render_key_figures(report: dict, ids: dict[str, int]) -> str:
    """The panel of key figures; each value links to its highlight in the text."""
    r, hc = report, report.get("headcount") or {}
    g = lambda *keys: _row(LABELS[".".join(keys)], _get(r, keys), "report." + ".".join(keys), ids)  # noqa: E731
    meta = "".join(g(k) for k in ("department", "fiscal_year", "kind"))
    people = "".join(_row(LABELS[f"headcount.{k}"], hc.get(k), f"report.headcount.{k}", ids)
                     for k in ("authorized", "actual", "in_service", "retired"))
    money = "".join(g(*k.split(".")) for k in ("revenue.total", "expenditure.total", "carryover.start",
                                               "carryover.end", "budget.total"))
    tree = _indicator_rows(r.get("indicators") or [], "report.indicators", ids)
    total = (f'<tr class="total"><td>{esc(LABELS["total_score"])}</td>'
             f'<td class="num">{_link(r.get("max_score"), "report.max_score", ids)}</td>'
             f'<td class="num">{_link(r.get("total_score"), "report.total_score", ids)}</td></tr>')
    indicators = ('<h3>绩效指标</h3><table class="tree"><thead><tr><th>指标</th><th class="num">分值</th><th class="num">得分</th></tr>'
                  f'</thead><tbody>{"".join(tree)}{total}</tbody></table>')
    return (f'<table class="kv">{meta}{people}{money}</table>'
            + _items(r, "revenue.items", ids, "收入构成")
            + _items(r, "expenditure.by_type", ids, "支出（按类型）")
            + _items(r, "expenditure.by_function", ids, "支出（按功能）")
            + indicators
            + f'<table class="kv">{g("grade")}</table>')


def _get(report: dict, keys: tuple[str, ...]):
    node = report
    for k in keys:
        node = (node or {}).get(k)
    return node


def render_legend() -> str:
    return "".join(f'<span class="g-{g}">{esc(label)}</span>' for g, label in GROUPS)


def render_findings(findings: list[dict], text: str, severities: tuple[str, ...], first: dict[int, int],
                    *, empty: str = "无。") -> str:
    """Findings of these severities, grouped; each button marks and scrolls to its evidence.

    ``first`` maps a finding's index to the mark of its first span, where its button scrolls.
    """
    names = {"error": "错误", "warning": "警告", "info": "未能核对"}
    line_of = line_index(text)
    out = []
    for sev in severities:
        items = [(i, f) for i, f in enumerate(findings) if f["severity"] == sev]
        if not items:
            continue
        lis = []
        for i, f in items:
            ef = "".join(f"<dt>{label}</dt><dd>{esc(f[k])}</dd>" for k, label in (("expected", "应为"), ("found", "实为"))
                         if f.get(k) is not None)
            lines = sorted({line_of(s[0]) for s in f.get("spans") or [] if s[0] <= len(text)})
            where = f"（第 {'、'.join(map(str, lines[:6]))} 行）" if lines else ""
            fields = "、".join(f.get("fields") or [])
            lis.append(
                f'<li class="finding {esc(sev)}" id="finding-{i}"><button type="button" data-finding="{i}"'
                f'{f" data-first={first[i]}" if i in first else ""}><span class="rule">{esc(f["rule"])}</span>'
                f'{esc(f["message"])}<span class="muted">{esc(where)}</span>'
                f'{"" if i in first else "<span class=nospan>（文中无对应位置）</span>"}'
                f'</button>{f"<dl class=ef>{ef}</dl>" if ef else ""}'
                f'{f"<div class=fieldlist>{esc(fields)}</div>" if fields else ""}</li>')
        out.append(f'<h3>{names.get(sev, esc(sev))}（{len(items)}）</h3><ol class="findings">{"".join(lis)}</ol>')
    return "".join(out) or f'<p class="none">{esc(empty)}</p>'


def missing_fields(report: dict) -> str:
    """The fields the document did not state (null) or lists it did not fill (empty)."""
    missing: list[str] = []

    def walk(node, path: str, rel: str):
        if not isinstance(node, dict) or ("span" in node and "raw" in node):
            return
        for key, child in node.items():
            if key == "children":  # a leaf indicator has no children: nothing is missing
                for i, it in enumerate(child or []):
                    walk(it, f"{path}.children[{i}]", f"{rel}.children")
                continue
            if key in ("name_span", "candidates", "grade_bands", "page", "pattern"):
                if key == "grade_bands" and child is None:
                    missing.append("report.grade_bands（等级标准）")
                continue
            p, r = f"{path}.{key}", (f"{rel}.{key}" if rel else key)
            if child is None or child == []:
                label = LABELS.get(_INDEX.sub("", r), "")
                missing.append(f"{p}{'（' + label + '）' if label else ''}{'：空' if child == [] else ''}")
            elif isinstance(child, list):
                for i, it in enumerate(child):
                    walk(it, f"{p}[{i}]", r)
            else:
                walk(child, p, r)

    walk(report, "report", "")
    if not missing:
        return '<p class="none">没有缺失的字段。</p>'
    return (f'<h3>文中未找到的字段（{len(missing)}）</h3><ul class="missing">'
            + "".join(f"<li><code>{esc(m)}</code></li>" for m in missing) + "</ul>")


def page_head(title: str, style: str, policy: str) -> str:
    """The head every page shares: its charset, a Content-Security-Policy that allows only the
    page's own script and style (``policy``), no referrer, and the inline style."""
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{esc(policy)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{esc(title)}</title>
<style>{style}</style>
</head>"""

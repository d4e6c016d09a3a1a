"""Pieces of the auditor's page (html.py): the key-figures panel, the findings lists and what is
missing; the values it marks are in ``html_values``. Every string goes out escaped; what a reader
sees is in Chinese (``--lang en``: English), each figure named as everywhere else (the field
registry) and shown as the report wrote it, with its value in yuan on hover.
"""

from __future__ import annotations

import html
from decimal import Decimal
from typing import Any

from ..display import field_name, in_yuan, path_name, severity_name
from ..document import line_index
from ..i18n import N_, _, language
from ..numbers import format_decimal
from .html_values import Value, show
from .visible import visible_html, visible_text

# the panel's own words (marked here: Babel does not see a call inside an f-string)
PANEL_WORDS = {
    "not_found": N_("未找到"),
    "no_span": N_("（文中无对应位置）"),
    "involves": N_("涉及："),
    "none": N_("无。"),
    "cross": N_("跨报告核查"),
    "nothing_missing": N_("没有缺失的字段。"),
    "missing": N_("文中未找到的字段"),
    "indicator": N_("指标"),
    "max": N_("分值"),
    "score": N_("得分"),
    "sum_of_children": N_("未写明，按下级指标之和"),
}


def word(key: str) -> str:
    """One of the panel's ``PANEL_WORDS`` in the language in force, escaped."""
    return esc(_(PANEL_WORDS[key]))


def counted(name: str, n: int) -> str:
    """A heading with its count: 错误（2）, errors (2); escaped."""
    return esc(_("{name}（{n}）").format(name=name, n=n))


PEOPLE = ("authorized", "actual", "in_service", "retired")
MONEY = ("revenue.total", "expenditure.total", "carryover.start", "carryover.end")
BUDGET = ("budget.total", "budget.adjusted", "budget.spent", "budget.execution_rate")
# what a report of each kind is expected to state: only these are listed as not found
EXPECTED = {
    "project": ("title", "department", "fiscal_year", *BUDGET, "indicators", "total_score", "grade"),
    "final_accounts": (
        "title",
        "department",
        "fiscal_year",
        *(f"headcount.{k}" for k in PEOPLE),
        *MONEY,
        "revenue.items",
        "expenditure.by_type",
        "expenditure.by_function",
    ),
    "department_overall": (
        "title",
        "department",
        "fiscal_year",
        *(f"headcount.{k}" for k in PEOPLE),
        "revenue.total",
        "expenditure.total",
        "expenditure.by_type",
        "indicators",
        "total_score",
        "grade",
    ),
}
EXPECTED_ANY = (
    "title",
    "department",
    "fiscal_year",
    *(f"headcount.{k}" for k in PEOPLE),
    *MONEY,
    *BUDGET,
    "indicators",
    "total_score",
    "grade",
)


def esc(s: Any) -> str:
    return html.escape(str(s), quote=True)


def _link(node: dict | None, path: str, ids: dict[str, int]) -> str:
    if not node:
        return f'<span class="none">{word("not_found")}</span>'
    k = ids.get(path)
    group = Value(path, (0, 0), "", "", None, None).group
    text = visible_html(show(path, node))
    yuan = in_yuan(node)
    hover = esc(visible_text(_("{name}：{value}").format(name=path_name(path), value=yuan or show(path, node))))
    if k is None:  # a span outside the text cannot be linked; still show the value
        return f'<span class="val g-{group}" title="{hover}">{text}</span>'
    return f'<a class="val g-{group}" href="#v{k}" data-k="{k}" title="{hover}">{text}</a>'


def _row(key: str, node: dict | None, ids) -> str:
    return f"<tr><th>{esc(field_name(key))}</th><td>{_link(node, 'report.' + key, ids)}</td></tr>"


def _get(report: dict, key: str):
    node = report
    for k in key.split("."):
        node = (node or {}).get(k)
    return node


def _items(report: dict, key: str, ids) -> str:
    items = _get(report, key) or []
    if not items:
        return ""
    rows = "".join(
        f'<tr><td>{visible_html(it["name"])}</td><td class="num">{_link(it.get("amount"), f"report.{key}[{i}].amount", ids)}'
        f'</td><td class="num">{_link(it["share"], f"report.{key}[{i}].share", ids) if it.get("share") else ""}'
        f"</td></tr>"
        for i, it in enumerate(items)
    )
    return f'<h3>{esc(field_name(key))}</h3><table class="tree"><tbody>{rows}</tbody></table>'


def _sources(report: dict, ids) -> str:
    rows = (report.get("budget") or {}).get("sources") or []
    if not rows:
        return ""
    cols = ("total", "adjusted", "spent", "execution_rate")
    head = "".join(f'<th class="num">{esc(field_name("budget." + c))}</th>' for c in cols)
    body = "".join(
        f"<tr><td>{visible_html(r['name'])}</td>"
        + "".join(
            f'<td class="num">{_link(r.get(c), f"report.budget.sources[{i}].{c}", ids) if r.get(c) else ""}</td>'
            for c in cols
        )
        + "</tr>"
        for i, r in enumerate(rows)
    )
    return (
        f'<h3>{esc(field_name("budget.sources"))}</h3><table class="tree"><thead><tr><th></th>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


def children_sum(node: dict, kind: str) -> Decimal | None:
    """What a node's max or score stands for when it states none: its children's (as the rules
    read it, IND002); None when a child states none either."""
    own = node.get(kind)
    if own:
        return Decimal(str(own["value"]))
    kids = node.get("children") or []
    parts = [children_sum(c, kind) for c in kids]
    return None if not kids or any(p is None for p in parts) else sum(parts, Decimal(0))


def _points(node: dict, kind: str, path: str, ids) -> str:
    if node.get(kind) or not node.get("children"):
        return _link(node.get(kind), f"{path}.{kind}", ids)
    total = children_sum(node, kind)
    if total is None:
        return _link(None, f"{path}.{kind}", ids)
    shown = esc(_("{n}分").format(n=format_decimal(total)))
    return f'<span class="derived" title="{word("sum_of_children")}">Σ {shown}</span>'


def _indicator_rows(items: list[dict], path: str, ids) -> list[str]:
    rows = []
    for i, it in enumerate(items):
        p = f"{path}[{i}]"
        name_k = ids.get(p + ".name")
        name = (
            visible_html(it["name"])
            if name_k is None
            else (f'<a href="#v{name_k}" data-k="{name_k}" class="val g-indicators">{visible_html(it["name"])}</a>')
        )
        rows.append(
            f'<tr><td class="lvl-{min(int(it.get("level") or 1), 4)}">{name}</td>'
            f'<td class="num">{_points(it, "max", p, ids)}</td>'
            f'<td class="num">{_points(it, "score", p, ids)}</td></tr>'
        )
        rows += _indicator_rows(it.get("children") or [], p + ".children", ids)
    return rows


def _stated(report: dict, keys) -> bool:
    return any(_get(report, k) for k in keys)


def render_key_figures(report: dict, ids: dict[str, int]) -> str:
    """The panel of key figures, the ones a report of its kind states first; each value links to
    its highlight in the text. Groups a report does not touch (a project's headcount) are left out."""
    r = report
    kind = (r.get("kind") or {}).get("value")
    people = [f"headcount.{k}" for k in PEOPLE]
    meta = "".join(_row(k, _get(r, k), ids) for k in ("department", "fiscal_year", "kind"))
    budget = "".join(_row(k, _get(r, k), ids) for k in BUDGET) if kind == "project" or _stated(r, BUDGET) else ""
    staff = "".join(_row(k, _get(r, k), ids) for k in people) if kind != "project" or _stated(r, people) else ""
    money = "".join(_row(k, _get(r, k), ids) for k in MONEY) if kind != "project" or _stated(r, MONEY) else ""
    first, then = (budget, staff + money) if kind == "project" else (staff + money, budget)
    tree = _indicator_rows(r.get("indicators") or [], "report.indicators", ids)
    total = (
        f'<tr class="total"><td>{esc(field_name("total_score"))}</td>'
        f'<td class="num">{_link(r.get("max_score"), "report.max_score", ids)}</td>'
        f'<td class="num">{_link(r.get("total_score"), "report.total_score", ids)}</td></tr>'
    )
    indicators = (
        f'<h3>{esc(field_name("indicators"))}</h3><table class="tree"><thead><tr><th>{word("indicator")}</th>'
        f'<th class="num">{word("max")}</th><th class="num">{word("score")}</th></tr>'
        f"</thead><tbody>{''.join(tree)}{total}</tbody></table>"
    )
    lists = "".join(_items(r, k, ids) for k in ("revenue.items", "expenditure.by_type", "expenditure.by_function"))
    return (
        f'<table class="kv">{meta}{first}{then}</table>'
        + _sources(r, ids)
        + lists
        + indicators
        + f'<table class="kv">{_row("grade", r.get("grade"), ids)}</table>'
    )


def render_findings(
    findings: list[dict],
    text: str,
    severities: tuple[str, ...],
    first: dict[int, int],
    report: dict | None = None,
    *,
    empty: str | None = None,
) -> str:
    """Findings of these severities, grouped under ``id="findings-<severity>"``; each button marks
    and scrolls to its evidence (``first``: a finding's index -> the mark of its first span)."""
    line_of = line_index(text)
    out = []
    for sev in severities:
        items = [(i, f) for i, f in enumerate(findings) if f["severity"] == sev]
        if not items:
            continue
        lis = []
        for i, f in items:
            ef = "".join(
                f"<dt>{esc(label)}</dt><dd>{visible_html(f[k])}</dd>"
                for k, label in (("expected", _("应为")), ("found", _("实为")))
                if f.get(k) is not None
            )
            lines = sorted({line_of(s[0]) for s in f.get("spans") or [] if s[0] <= len(text)})
            where = _("（第 {lines} 行）").format(lines=_("、").join(map(str, lines[:6]))) if lines else ""
            fields = _("、").join(dict.fromkeys(path_name(p, report) for p in f.get("fields") or []))
            nospan = "" if i in first else f"<span class=nospan>{word('no_span')}</span>"
            lis.append(
                f'<li class="finding {esc(sev)}" id="finding-{i}"><button type="button" data-finding="{i}"'
                f'{f" data-first={first[i]}" if i in first else ""}><span class="rule">{esc(f["rule"])}</span>'
                f'{visible_html(f["message"])}<span class="muted">{esc(where)}</span>{nospan}'
                f"</button>{f'<dl class=ef>{ef}</dl>' if ef else ''}"
                f"{'<div class=fieldlist>' + word('involves') + visible_html(fields) + '</div>' if fields else ''}</li>"
            )
        out.append(
            f'<h3 id="findings-{esc(sev)}">{counted(severity_name(sev), len(items))}</h3>'
            f'<ol class="findings">{"".join(lis)}</ol>'
        )
    return "".join(out) or f'<p class="none">{esc(empty if empty is not None else _(PANEL_WORDS["none"]))}</p>'


def render_cross(cross: list[dict], links: dict[str, str] | None = None) -> str:
    """The cross-report (XR) findings that name this report, each with the other reports it names."""
    if not cross:
        return ""
    lis = []
    for f in cross:
        others = "".join(
            f"<li>{r.get('fiscal_year') or ''} "
            + (
                f'<a href="{esc(links[r["sha256"]])}">{visible_html(r.get("path") or "")}</a>'
                if links and r.get("sha256") in links
                else visible_html(r.get("path") or "")
            )
            + "</li>"
            for r in f.get("reports") or []
        )
        ef = "".join(
            f"<dt>{esc(label)}</dt><dd>{visible_html(f[k])}</dd>"
            for k, label in (("expected", _("应为")), ("found", _("实为")))
            if f.get(k) is not None
        )
        lis.append(
            f'<li class="finding {esc(f["severity"])} xr"><span class="rule">{esc(f["rule"])}</span>'
            f"{visible_html(f['message'])}{f'<dl class=ef>{ef}</dl>' if ef else ''}"
            f'<ul class="reports">{others}</ul></li>'
        )
    return (
        f'<h3 id="findings-cross">{counted(_(PANEL_WORDS["cross"]), len(cross))}</h3>'
        f'<ol class="findings">{"".join(lis)}</ol>'
    )


def missing_fields(report: dict) -> str:
    """The fields a report of its kind is expected to state that the document did not state."""
    kind = (report.get("kind") or {}).get("value")
    missing = [k for k in EXPECTED.get(kind, EXPECTED_ANY) if not _get(report, k)]
    if not missing:
        return f'<p class="none">{word("nothing_missing")}</p>'
    return (
        f'<h3>{counted(_(PANEL_WORDS["missing"]), len(missing))}</h3><ul class="missing">'
        + "".join(f"<li>{esc(field_name(k))}</li>" for k in missing)
        + "</ul>"
    )


def page_head(title: str, style: str, policy: str) -> str:
    """The head every page shares: its charset, a Content-Security-Policy that allows only the
    page's own script and style (``policy``), no referrer, and the inline style."""
    return f"""<!DOCTYPE html>
<html lang="{"en" if language() == "en" else "zh-CN"}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{esc(policy)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{esc(visible_text(title))}</title>
<style>{style}</style>
</head>"""

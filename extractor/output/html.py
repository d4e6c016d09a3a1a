"""The auditor's page: the document text with every extracted value highlighted in place, the
key figures and the findings one click from their evidence. One self-contained file, no network.

``highlight`` is the safe core every page goes through: spans may nest or overlap, text is
hostile until escaped. ``render_report`` builds a report's page, ``render_index`` a batch's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from ..document import line_index
from .html_assets import REPORT_CSS, REPORT_JS, csp
from .html_parts import (
    Value,
    collect_values,
    esc,
    finding_targets,
    missing_fields,
    page_head,
    render_findings,
    render_key_figures,
    render_legend,
)
from .html_site import Site, index_row, items_from_db, items_from_files, page_name, render_index, write_site

__all__ = ["Site", "highlight", "index_row", "items_from_db", "items_from_files", "page_name", "render_index",
           "render_report", "write_report", "write_site"]

# Attributes a split span carries on its first piece only: an id must be unique, and one tab
# stop per value is enough.
FIRST_PIECE_ONLY = frozenset({"id", "tabindex"})
_ATTR_NAME = re.compile(r"[a-z][a-z0-9-]*")
_SEVERITY = {"error": "错误", "warning": "警告", "info": "未能核对"}


def _open(attrs: Mapping[str, str], first: bool, tag: str) -> str:
    parts = []
    for name, value in attrs.items():
        if not _ATTR_NAME.fullmatch(name):  # names are ours, but a bad one must not break out
            raise ValueError(f"bad attribute name {name!r}")
        if first or name not in FIRST_PIECE_ONLY:
            parts.append(f' {name}="{esc(value)}"')
    return f"<{tag}{''.join(parts)}>"


def highlight(text: str, spans: Iterable[Sequence], *, tag: str = "mark") -> str:
    """``text`` escaped, with each span ``(start, end[, attrs])`` wrapped in ``<mark attrs>``.

    Span boundaries are sorted, so nested and overlapping spans give valid HTML: a span that
    overlaps another is closed where the other ends and reopened after it (as langextract's
    ``_build_highlighted_text`` does), and each piece repeats its attributes except ``id`` and
    ``tabindex``. Outer spans (earlier start, then later end) open first. An empty span is an
    empty mark at its place; spans are clipped to the text, reversed ones are dropped.
    """
    n = len(text)
    items: list[tuple[int, int, int, dict[str, str]]] = []
    for i, sp in enumerate(spans):
        start, end = max(0, min(int(sp[0]), n)), max(0, min(int(sp[1]), n))
        if end >= start:
            items.append((start, end, i, dict(sp[2]) if len(sp) > 2 and sp[2] else {}))
    order = sorted((s for s in items if s[1] > s[0]), key=lambda s: (s[0], -s[1], s[2]))
    empties: dict[int, list] = {}
    for s in sorted((s for s in items if s[1] == s[0]), key=lambda s: (s[0], s[2])):
        empties.setdefault(s[0], []).append(s)
    points = sorted({0, n, *(s[0] for s in items), *(s[1] for s in items)})
    close = f"</{tag}>"
    out: list[str] = []
    stack: list[tuple] = []
    opened: set[int] = set()
    active: list[tuple] = []
    nxt = 0
    for j, p in enumerate(points):
        # Spans starting here start after every open one, so appending keeps ``active`` in order.
        active = [s for s in active if s[1] > p]
        while nxt < len(order) and order[nxt][0] == p:
            active.append(order[nxt])
            nxt += 1
        keep = 0  # the open marks that stay open are the common prefix of old and new
        while keep < min(len(stack), len(active)) and stack[keep] is active[keep]:
            keep += 1
        out.extend(close for _ in stack[keep:])
        del stack[keep:]
        for s in empties.get(p, ()):
            out.append(_open(s[3], True, tag) + close)
        for s in active[keep:]:
            out.append(_open(s[3], s[2] not in opened, tag))
            opened.add(s[2])
            stack.append(s)
        if j + 1 < len(points):
            out.append(esc(text[p:points[j + 1]]))
    out.extend(close for _ in stack)
    return "".join(out)


def as_data(extraction) -> dict:
    """The FIELDS.md dict with the text, from an Extraction or from such a dict (e.g. stored)."""
    if isinstance(extraction, Mapping):
        if "text" not in extraction:
            raise ValueError("a report dict needs its 'text' (to_dict(..., with_text=True))")
        return dict(extraction)
    from .json import to_dict

    data = to_dict(extraction, with_text=True)
    # Where each page starts, so the page can show page breaks (not part of the JSON contract).
    data["page_starts"] = sorted({(b.start, b.page) for b in extraction.document.blocks
                                  if b.kind == "page" and b.page is not None})
    return data


def _tip(values: list[Value], text: str) -> str:
    """Three lines per value (path, value, pattern and place); a blank line between values."""
    blocks = []
    for v in values:
        where = f"第 {v.page} 页 · " if v.page else ""
        where += f"第 {line_index(text)(v.span[0])} 行"
        blocks.append("\n".join((v.path, f"{v.label} = {v.display}" if v.label else v.display,
                                 f"模式 {v.pattern or '—'} · {where}")))
    return "\n\n".join(blocks)


def _marks(text: str, values: list[Value], findings: list[dict]) -> tuple[list, dict[str, int], dict[int, int]]:
    """One mark per distinct span (values sharing a span share it).

    Returns the marks for ``highlight``, value path -> mark number, and finding index -> the
    mark of its first span (where clicking it scrolls: the span the rule named first).
    """
    by_span: dict[tuple[int, int], dict] = {}
    for v in values:
        by_span.setdefault(v.span, {"values": [], "f": []})["values"].append(v)
    targets = finding_targets(findings, values)
    for i, spans in enumerate(targets):
        for sp in spans:
            by_span.setdefault(sp, {"values": [], "f": []})["f"].append(i)
    ranks = {"error": 0, "warning": 1, "info": 2}
    marks, ids = [], {}
    for k, (span, m) in enumerate(sorted(by_span.items(), key=lambda kv: (kv[0][0], -kv[0][1]))):
        classes = []
        attrs = {"id": f"v{k}", "data-k": str(k)}
        if m["values"]:
            vs = m["values"]
            classes += ["hl", f"g-{vs[0].group}"] + (["nm"] if all(v.is_name for v in vs) else [])
            attrs["tabindex"] = "0"
            attrs["data-tip"] = _tip(vs, text)
            for v in vs:
                ids.setdefault(v.path, k)
        if m["f"]:
            worst = min((findings[i]["severity"] for i in m["f"]), key=lambda s: ranks.get(s, 3))
            classes += ["fs", f"fs-{worst}"]
            attrs["data-f"] = " ".join(map(str, sorted(set(m["f"]))))
            notes = "\n\n".join(f"{findings[i]['rule']} · {_SEVERITY.get(findings[i]['severity'], '')}\n"
                                  f"{findings[i]['message']}" for i in sorted(set(m["f"])))
            attrs["data-tip"] = f"{attrs['data-tip']}\n\n{notes}" if "data-tip" in attrs else notes
        marks.append((span[0], span[1], {"class": " ".join(classes), **attrs}))
    number = {(m[0], m[1]): int(m[2]["data-k"]) for m in marks}
    first = {i: number[spans[0]] for i, spans in enumerate(targets) if spans}
    return marks, ids, first


def render_report(extraction, *, title: str | None = None) -> str:
    """One self-contained HTML page for an Extraction (or its ``to_dict(..., with_text=True)``)."""
    data = as_data(extraction)
    text, report, findings = data["text"], data["report"], data.get("findings", [])
    source = data.get("source", {})
    values = collect_values(report)
    marks, ids, first = _marks(text, values, findings)
    breaks = [(start, start, {"class": "pg", "data-page": str(page)})
              for start, page in data.get("page_starts", ()) if start > 0]
    heading = title or (report.get("title") or {}).get("value") or source.get("path") or "报告"
    counts = {s: sum(f["severity"] == s for f in findings) for s in ("error", "warning", "info")}
    badges = " ".join(f'<span class="badge {s}">{label} {counts[s]}</span>'
                      for s, label in (("error", "错误"), ("warning", "警告"), ("info", "未核对")))
    src = " · ".join(esc(x) for x in (
        source.get("path"), source.get("format"),
        f"{source['pages']} 页" if source.get("pages") else None,
        f"{len(text)} 字", f"sha256 {source['sha256'][:12]}" if source.get("sha256") else None) if x)
    head = page_head(f"{heading} · 绩效自评核查", REPORT_CSS, csp(REPORT_JS, REPORT_CSS))
    return f"""{head}
<body>
<header class="top">
<h1>{esc(heading)}</h1>
<div class="src">{src}</div>
<div>{badges}</div>
</header>
<main>
<aside>
<h2>关键数据</h2>
{render_key_figures(report, ids)}
<div class="legend noprint">{render_legend()}</div>
<h2>核查发现</h2>
{render_findings(findings, text, ("error", "warning"), first)}
<h2>未找到 / 未核对</h2>
{render_findings(findings, text, ("info",), first, empty="所有检查均已运行。")}
{missing_fields(report)}
</aside>
<article>
<h2 class="noprint muted">原文</h2>
<div class="doc" lang="zh-CN">{highlight(text, marks + breaks)}</div>
</article>
</main>
<div id="tip" role="tooltip" hidden></div>
<script>{REPORT_JS}</script>
</body>
</html>
"""


def write_report(extraction, path: str | Path) -> Path:
    """Write ``render_report(extraction)`` to ``path`` (its folder is made if missing)."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_report(extraction), encoding="utf-8")
    return out

"""The auditor's page: the document text with every extracted value highlighted in place, the
key figures and the findings one click from their evidence. One self-contained file, no network.

``highlight`` is the safe core every page goes through: spans may nest or overlap, text is
hostile until escaped. ``render_report`` builds a report's page, ``render_index`` a batch's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from ..display import severity_name
from ..document import line_index
from ..i18n import N_, _
from .html_assets import GROUPS, REPORT_CSS, REPORT_JS, csp
from .html_parts import esc, missing_fields, page_head, render_cross, render_findings, render_key_figures
from .html_site import Site, index_row, items_from_db, items_from_files, page_name, render_index, write_site
from .html_values import Value, collect_values, finding_targets
from .visible import visible_html, visible_text

__all__ = [
    "Site",
    "highlight",
    "index_row",
    "items_from_db",
    "items_from_files",
    "page_name",
    "render_index",
    "render_report",
    "write_report",
    "write_site",
]

# Attributes a split span carries on its first piece only: an id must be unique, and one tab
# stop per value is enough.
FIRST_PIECE_ONLY = frozenset({"id", "tabindex"})
_ATTR_NAME = re.compile(r"[a-z][a-z0-9-]*")
# the page's own words (marked here: Babel does not see a call inside an f-string)
PAGE_WORDS = {
    "findings": N_("核查发现"),
    "no_findings": N_("没有错误或警告。"),
    "figures": N_("关键数据"),
    "unchecked": N_("未能核对 / 未找到"),
    "all_ran": N_("所有检查均已运行。"),
    "text": N_("原文"),
    "cross": N_("跨报告 {n}"),
}


def word(key: str) -> str:
    """One of the page's ``PAGE_WORDS`` in the language in force, escaped."""
    return esc(_(PAGE_WORDS[key]))


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
            out.append(visible_html(text[p : points[j + 1]]))
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
    data["page_starts"] = sorted(
        {(b.start, b.page) for b in extraction.document.blocks if b.kind == "page" and b.page is not None}
    )
    return data


def _tip(values: list[Value], text: str) -> str:
    """Three lines per value (its name, as written and in yuan, where it is); a blank line between
    values. The first line of a block is what the value is, for people (no JSON path); the pattern
    that found it is the mark's ``data-pattern``, for whoever maintains the patterns."""
    blocks = []
    line_of = line_index(text)
    for v in values:
        where = _("第 {n} 页").format(n=v.page) + " · " if v.page else ""
        where += _("第 {n} 行").format(n=line_of(v.span[0]))
        shown = v.display if v.yuan is None else _("{written}（{yuan}）").format(written=v.display, yuan=v.yuan)
        blocks.append(visible_text("\n".join((v.label or v.path, shown, where))))
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
            attrs["data-pattern"] = " ".join(dict.fromkeys(v.pattern for v in vs if v.pattern))
            for v in vs:
                ids.setdefault(v.path, k)
        if m["f"]:
            worst = min((findings[i]["severity"] for i in m["f"]), key=lambda s: ranks.get(s, 3))
            classes += ["fs", f"fs-{worst}"]
            attrs["data-f"] = " ".join(map(str, sorted(set(m["f"]))))
            notes = visible_text(
                "\n\n".join(
                    f"{findings[i]['rule']} · {severity_name(findings[i]['severity'])}\n{findings[i]['message']}"
                    for i in sorted(set(m["f"]))
                )
            )
            attrs["data-tip"] = f"{attrs['data-tip']}\n\n{notes}" if "data-tip" in attrs else notes
        marks.append((span[0], span[1], {"class": " ".join(classes), **attrs}))
    number = {(m[0], m[1]): int(m[2]["data-k"]) for m in marks}
    first = {i: number[spans[0]] for i, spans in enumerate(targets) if spans}
    return marks, ids, first


def _badges(counts: dict[str, int], cross: int) -> str:
    """The counts in the header, each a link to its list of findings (none when it is empty)."""
    out = []
    for sev in ("error", "warning", "info"):
        label = esc(_("{severity} {n}").format(severity=severity_name(sev), n=counts[sev]))
        out.append(
            f'<a class="badge {sev}" href="#findings-{sev}">{label}</a>'
            if counts[sev]
            else f'<span class="badge {sev} zero">{label}</span>'
        )
    if cross:
        out.append(f'<a class="badge cross" href="#findings-cross">{esc(_(PAGE_WORDS["cross"]).format(n=cross))}</a>')
    return " ".join(out)


def render_legend() -> str:
    return "".join(f'<span class="g-{g}">{esc(_(label))}</span>' for g, label in GROUPS)


def _source_line(source: Mapping, text: str) -> str:
    """The line under the title: the file's path, format, pages, characters and hash, escaped."""
    pages = _("{n} 页").format(n=source["pages"]) if source.get("pages") else None
    sha = f"sha256 {source['sha256'][:12]}" if source.get("sha256") else None
    parts = (source.get("path"), source.get("format"), pages, _("{n} 字").format(n=len(text)), sha)
    return " · ".join(visible_html(x) for x in parts if x)


def render_report(
    extraction, *, title: str | None = None, cross: Sequence[Mapping] = (), links: Mapping[str, str] | None = None
) -> str:
    """One self-contained HTML page for an Extraction (or its ``to_dict(..., with_text=True)``).

    ``cross``: the cross-report (XR) findings that name this report (``AuditFinding.as_dict()``),
    ``links``: sha256 -> the page of each other report they name, when it is in the same site."""
    data = as_data(extraction)
    text, report, findings = data["text"], data["report"], data.get("findings", [])
    source = data.get("source", {})
    values = collect_values(report)
    marks, ids, first = _marks(text, values, findings)
    starts = [(start, page) for start, page in data.get("page_starts", ()) if start > 0]  # page 1 needs no break
    breaks = [(start, start, {"class": "pg", "data-page": str(page)}) for start, page in starts]
    heading = title or (report.get("title") or {}).get("value") or source.get("path") or _("报告")
    counts = {s: sum(f["severity"] == s for f in findings) for s in ("error", "warning", "info")}
    src = _source_line(source, text)
    head = page_head(_("{title} · 绩效自评核查").format(title=heading), REPORT_CSS, csp(REPORT_JS, REPORT_CSS))
    cross_items = [dict(f) for f in cross]
    return f"""{head}
<body>
<header class="top">
<h1>{visible_html(heading)}</h1>
<div class="src">{src}</div>
<nav class="badges" aria-label="{word("findings")}">{_badges(counts, len(cross_items))}</nav>
</header>
<main>
<aside>
<section id="findings">
<h2>{word("findings")}</h2>
{render_findings(findings, text, ("error", "warning"), first, report, empty=_(PAGE_WORDS["no_findings"]))}
{render_cross(cross_items, links)}
</section>
<section>
<h2>{word("figures")}</h2>
{render_key_figures(report, ids)}
<div class="legend noprint">{render_legend()}</div>
</section>
<section>
<h2>{word("unchecked")}</h2>
{render_findings(findings, text, ("info",), first, report, empty=_(PAGE_WORDS["all_ran"]))}
{missing_fields(report)}
</section>
</aside>
<article>
<h2 class="noprint muted">{word("text")}</h2>
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

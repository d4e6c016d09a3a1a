"""Plain-text output for the terminal: the findings of ``verify`` and the rule catalogue, in
Chinese (``--lang en``: English). What comes from a document (its name, quoted text, names in
messages) is shown with its invisible characters by code point (a U+202E that would reverse the
evidence on screen) and its control characters as escapes: a terminal never acts on them."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from ..display import severity_name
from ..document import Document
from ..errors import printable
from ..i18n import _
from ..model import Finding
from .visible import visible_text

DEFAULT_QUOTE_WIDTH = 40
_CODE = re.compile(r"[ ]?``(.+?)``[ ]?", re.S)


def _quote(text: str, width: int = DEFAULT_QUOTE_WIDTH) -> str:
    flat = visible_text(" ".join(text.split()))
    return printable(flat if len(flat) <= width else flat[: width - 1] + "…")


def _where(document: Document | None, span: tuple[int, int]) -> str:
    """``第 3 页 “145.16万元”`` or ``第 42 行 “145.16万元”``: where a span is and what it says."""
    s, e = span
    if document is None:
        return f"[{s}, {e}]"
    page = document.page_at(s)
    place = _("第 {n} 页").format(n=page) if page is not None else _("第 {n} 行").format(n=document.line_at(s))
    return _("{place} “{quote}”").format(place=place, quote=_quote(document.text[s:e]))


def render_finding(f: Finding, document: Document | None = None) -> str:
    """``级别 代码 消息（应为 …，实为 …）`` and, below it, where each figure is."""
    numbers = [
        label.format(value=visible_text(v))
        for label, v in ((_("应为 {value}"), f.expected), (_("实为 {value}"), f.found))
        if v is not None
    ]
    head = printable(
        f"{severity_name(f.severity)} {f.rule} {visible_text(f.message)}"
        + (_("（{numbers}）").format(numbers=_("，").join(numbers)) if numbers else "")
    )
    if not f.spans:
        return head
    return head + "\n    " + " · ".join(_where(document, s) for s in f.spans)


def render_findings(findings: Iterable[Finding], document: Document | None, path: str) -> str:
    """One file's findings: a header line with the counts, then each finding indented."""
    findings = list(findings)
    counts = " · ".join(
        _("{severity} {n}").format(severity=severity_name(s), n=sum(f.severity == s for f in findings))
        for s in ("error", "warning", "info")
    )
    header = _("{path}：{counts}").format(path=printable(visible_text(path)), counts=counts)
    body = ["  " + render_finding(f, document).replace("\n", "\n  ") for f in findings]
    return "\n".join([header, *body])


def plain_doc(text: str) -> str:
    """A rule doc for the terminal: ``收入总计`` (reStructuredText's literal) as 「收入总计」."""
    return _CODE.sub(lambda m: f"「{m.group(1)}」", text)


def _scope(scope: str) -> str:
    return _("跨报告") if scope == "store" else _("单份报告")


def render_catalogue(infos) -> str:
    """One line per rule: code, severity, scope, name, title."""
    infos = list(infos)
    width = max((len(i.name) for i in infos), default=0)
    return "\n".join(
        f"{i.code:<7} {i.severity:<8} {i.name:<{width}}  {plain_doc(i.title)}"
        + ("" if i.scope == "report" else _("（{scope}，audit）").format(scope=_scope(i.scope)))
        for i in infos
    )


def render_rule_doc(code: str) -> str:
    """A rule's full documentation; KeyError when no rule has this code."""
    from ..rules import get_rule

    info = get_rule(code)
    head = _("{code} {name}（{severity}，{scope}）").format(
        code=info.code, name=info.name, severity=severity_name(info.severity), scope=_scope(info.scope)
    )
    return f"{head}\n\n{plain_doc(info.text)}"


def render_catalogue_json(infos) -> str:
    """``rules --json``: one JSON array of the rules, each doc's sections under stable keys."""
    return json.dumps([i.as_dict() for i in infos], ensure_ascii=False, indent=1)

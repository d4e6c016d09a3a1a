"""Plain-text output for the terminal: the findings of ``verify`` and the rule catalogue.

What comes from a document (its name, quoted text, names in messages) is passed through
``printable``: a terminal shows its control characters as escapes and never acts on them.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..document import Document
from ..errors import printable
from ..model import Finding

DEFAULT_QUOTE_WIDTH = 40


def _quote(text: str, width: int = DEFAULT_QUOTE_WIDTH) -> str:
    flat = " ".join(text.split())
    return printable(flat if len(flat) <= width else flat[: width - 1] + "…")


def _where(document: Document | None, span: tuple[int, int]) -> str:
    """``page 3 “145.16万元”`` or ``line 42 “145.16万元”``: where a span is and what it says."""
    s, e = span
    if document is None:
        return f"[{s}, {e}]"
    page = document.page_at(s)
    place = f"page {page}" if page is not None else f"line {document.line_at(s)}"
    return f"{place} “{_quote(document.text[s:e])}”"


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 or word == "info" else "s")


def render_finding(f: Finding, document: Document | None = None) -> str:
    """``severity CODE message (expected …, found …)`` and, below it, where each figure is."""
    numbers = [f"{k} {v}" for k, v in (("expected", f.expected), ("found", f.found)) if v is not None]
    head = printable(f"{f.severity} {f.rule} {f.message}" + (f" ({', '.join(numbers)})" if numbers else ""))
    if not f.spans:
        return head
    return head + "\n    " + " · ".join(_where(document, s) for s in f.spans)


def render_findings(findings: Iterable[Finding], document: Document | None, path: str) -> str:
    """One file's findings: a header line with the counts, then each finding indented."""
    findings = list(findings)
    counts = {s: sum(f.severity == s for f in findings) for s in ("error", "warning", "info")}
    header = f"{printable(path)}: " + ", ".join(_count(n, s) for s, n in counts.items())
    body = ["  " + render_finding(f, document).replace("\n", "\n  ") for f in findings]
    return "\n".join([header, *body])


def render_catalogue(infos) -> str:
    """One line per rule: code, severity, name, title."""
    infos = list(infos)
    width = max((len(i.name) for i in infos), default=0)
    return "\n".join(f"{i.code:<7} {i.severity:<8} {i.name:<{width}}  {i.title}" for i in infos)


def render_rule_doc(code: str) -> str:
    """A rule's full documentation; KeyError when no rule has this code."""
    from ..rules import get_rule

    info = get_rule(code)
    return f"{info.code} {info.name} ({info.severity})\n\n{info.doc}"

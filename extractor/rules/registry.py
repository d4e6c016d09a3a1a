"""The rule registry: rules register themselves where they are defined, and run from here.

A rule is a function ``(ctx: Context) -> Iterable[Finding]`` decorated with
``@rule(code=..., name=..., severity=...)``. Its docstring is its documentation: a one-line
title, then the sections *What it checks*, *Why it matters* and *Example* (see ruff's rule
docs); ``catalogue()``, ``python cli.py rules`` and ``docs/rules.md`` all read it from here.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from ..document import Document
from ..model import Finding, Report
from ..normalize import Folded, fold

SEVERITIES = ("error", "warning", "info")
DOC_HEADINGS = ("What it checks", "Why it matters", "Example")
_CODE = re.compile(r"[A-Z]{2,4}\d{3}")
_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """One registered rule: its stable code, kebab-case name, default severity and doc."""

    code: str
    name: str
    severity: str
    doc: str
    func: Callable[[Context], Iterable[Finding]] = field(repr=False, compare=False)

    @property
    def title(self) -> str:
        return self.doc.split("\n", 1)[0].strip()

    def section(self, heading: str) -> str:
        """The text under one of ``DOC_HEADINGS`` in the docstring ('' when absent)."""
        return doc_sections(self.doc).get(heading, "")


_REGISTRY: dict[str, RuleInfo] = {}


def rule(*, code: str, name: str, severity: str):
    """Register the decorated function as rule ``code``; codes and names are never reused."""
    if not _CODE.fullmatch(code):
        raise ValueError(f"rule code {code!r} is not like SUM001")
    if not _NAME.fullmatch(name):
        raise ValueError(f"rule name {name!r} is not kebab-case")
    if severity not in SEVERITIES:
        raise ValueError(f"rule severity {severity!r} is not one of {SEVERITIES}")

    def register(func: Callable[[Context], Iterable[Finding]]):
        if code in _REGISTRY or any(r.name == name for r in _REGISTRY.values()):
            raise ValueError(f"rule {code} {name} registered twice")
        doc = inspect.cleandoc(func.__doc__ or "")
        missing = [h for h in DOC_HEADINGS if h not in doc_sections(doc)]
        if not doc or missing:
            raise ValueError(f"rule {code} docstring lacks {missing or 'a title'}")
        _REGISTRY[code] = RuleInfo(code, name, severity, doc, func)
        return func

    return register


def doc_sections(doc: str) -> dict[str, str]:
    """Split a rule docstring into its headed sections (a heading is a line of its own)."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in doc.splitlines():
        if line.strip() in DOC_HEADINGS:
            current = sections.setdefault(line.strip(), [])
        elif current is not None:
            current.append(line)
    return {k: "\n".join(v).strip("\n") for k, v in sections.items()}


@dataclass
class Context:
    """What a rule reads: the record, the document when there is one, and the rule running."""

    report: Report
    document: Document | None = None
    rule: RuleInfo | None = None
    _folded: Folded | None = field(default=None, repr=False)

    @property
    def folded(self) -> Folded | None:
        """The folded view of the document text, built once on first use."""
        if self._folded is None and self.document is not None:
            self._folded = fold(self.document.text)
        return self._folded

    def finding(
        self,
        message: str,
        *,
        fields: Sequence[str] = (),
        spans: Iterable[tuple[int, int] | None] = (),
        expected: str | None = None,
        found: str | None = None,
        severity: str | None = None,
    ) -> Finding:
        """A finding of the running rule, at its default severity unless one is given."""
        assert self.rule is not None, "Context.finding outside run_rules"
        uniq: list[tuple[int, int]] = []
        for s in spans:
            if s is not None and tuple(s) not in uniq:
                uniq.append(tuple(s))
        return Finding(
            rule=self.rule.code,
            severity=severity or self.rule.severity,
            message=message,
            fields=list(dict.fromkeys(fields)),
            spans=uniq,
            expected=expected,
            found=found,
        )

    def not_checkable(self, message: str, *, fields: Sequence[str] = (), spans=()) -> Finding:
        """An ``info`` finding: the check could not run, and the message says why."""
        return self.finding(message, fields=fields, spans=spans, severity="info")


def catalogue() -> list[RuleInfo]:
    """Every registered rule, by code."""
    return [_REGISTRY[c] for c in sorted(_REGISTRY)]


def get_rule(code: str) -> RuleInfo:
    """The rule with this code (case-insensitive); KeyError when there is none."""
    return _REGISTRY[code.upper()]


def _specificity(code: str, prefixes: Sequence[str]) -> int:
    """Length of the longest prefix in ``prefixes`` that ``code`` starts with, -1 for none."""
    return max((len(p) for p in prefixes if code.startswith(p)), default=-1)


def selected_rules(select: Sequence[str] = (), ignore: Sequence[str] = ()) -> list[RuleInfo]:
    """Rules chosen by code prefix, as flake8 does: the more specific of select and ignore wins.

    An empty ``select`` selects everything. A prefix that names no rule is a usage error
    (ValueError), so a typo in ``--select`` does not silently turn the verifier off.
    """
    select = [p.strip().upper() for p in select if p.strip()]
    ignore = [p.strip().upper() for p in ignore if p.strip()]
    for p in (*select, *ignore):
        if not any(c.startswith(p) for c in _REGISTRY):
            raise ValueError(f"no rule code starts with {p!r}")
    chosen = []
    for info in catalogue():
        sel = _specificity(info.code, select) if select else 0
        if sel >= 0 and sel > _specificity(info.code, ignore):
            chosen.append(info)
    return chosen


_SEVERITY_ORDER = {s: i for i, s in enumerate(SEVERITIES)}


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Severity (error, warning, info), then code, then position of the first span."""

    def key(f: Finding):
        first = f.spans[0] if f.spans else (-1, -1)
        return (_SEVERITY_ORDER[f.severity], f.rule, first, f.message)

    return sorted(findings, key=key)


def run_rules(
    report: Report,
    document: Document | None = None,
    *,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
) -> list[Finding]:
    """Run the selected rules over a record (and its document, for the rules that read text)."""
    ctx = Context(report=report, document=document)
    findings: list[Finding] = []
    for info in selected_rules(select, ignore):
        ctx.rule = info
        findings.extend(info.func(ctx))
    ctx.rule = None
    return sort_findings(findings)

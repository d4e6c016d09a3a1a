"""The rule registry: rules register themselves where they are defined, and run from here.

A rule is a function ``(ctx: RuleContext) -> Iterable[Finding]`` decorated with
``@rule(code=..., name=..., severity=...)``. Its docstring is its documentation, in Chinese: a
one-line title, then the sections 检查内容 (what it checks), 为何重要 (why it matters) and 示例
(example), as ruff's rule docs; ``catalogue()``, ``python cli.py rules`` and ``docs/rules.md`` all
read it from here, and ``--lang en`` reads its English from the message catalogue. Checks across
the reports of a store (``XR…``, run by ``audit``) register here too, with ``scope="store"``.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from ..document import Document
from ..i18n import _, language
from ..model import Finding, Report
from ..normalize import Folded, fold

SEVERITIES = ("error", "warning", "info")
SCOPES = ("report", "store")  # verify runs the rules of one report; audit those across a store
DOC_HEADINGS = ("检查内容", "为何重要", "示例")
# the same headings in the English docs of the catalogue (--lang en)
HEADINGS = {"zh": DOC_HEADINGS, "en": ("What it checks", "Why it matters", "Example")}
_CODE = re.compile(r"[A-Z]{2,4}\d{3}")
_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """One registered rule: its stable code, kebab-case name, default severity and doc."""

    code: str
    name: str
    severity: str
    doc: str  # the docstring, in Chinese
    func: Callable = field(repr=False, compare=False)
    scope: str = "report"

    @property
    def text(self) -> str:
        """The doc in the language in force."""
        return _(self.doc)

    @property
    def title(self) -> str:
        return self.text.split("\n", 1)[0].strip()

    def section(self, heading: str) -> str:
        """The text under a heading (``DOC_HEADINGS[i]``, or its English) in the language in force."""
        lang = language()
        if heading in HEADINGS["zh"] and lang != "zh":
            heading = HEADINGS[lang][HEADINGS["zh"].index(heading)]
        return doc_sections(self.text).get(heading, "")

    def as_dict(self) -> dict:
        """The rule as ``rules --json`` prints it (doc sections under stable English keys)."""
        keys = ("checks", "why", "example")
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity,
            "scope": self.scope,
            "title": self.title,
            **{k: self.section(h) for k, h in zip(keys, DOC_HEADINGS, strict=True)},
        }


_REGISTRY: dict[str, RuleInfo] = {}


def rule(*, code: str, name: str, severity: str, scope: str = "report"):
    """Register the decorated function as rule ``code``; codes and names are never reused."""
    if scope not in SCOPES:
        raise ValueError(f"rule scope {scope!r} is not one of {SCOPES}")
    if not _CODE.fullmatch(code):
        raise ValueError(f"rule code {code!r} is not like SUM001")
    if not _NAME.fullmatch(name):
        raise ValueError(f"rule name {name!r} is not kebab-case")
    if severity not in SEVERITIES:
        raise ValueError(f"rule severity {severity!r} is not one of {SEVERITIES}")

    def register(func: Callable):
        if code in _REGISTRY or any(r.name == name for r in _REGISTRY.values()):
            raise ValueError(f"rule {code} {name} registered twice")
        doc = inspect.cleandoc(func.__doc__ or "")
        missing = [h for h in DOC_HEADINGS if h not in doc_sections(doc)]
        if not doc or missing:
            raise ValueError(f"rule {code} docstring lacks {missing or 'a title'}")
        _REGISTRY[code] = RuleInfo(code, name, severity, doc, func, scope)
        return func

    return register


def doc_sections(doc: str) -> dict[str, str]:
    """Split a rule docstring into its headed sections (a heading is a line of its own)."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    headings = {h for hs in HEADINGS.values() for h in hs}
    for line in doc.splitlines():
        if line.strip() in headings:
            current = sections.setdefault(line.strip(), [])
        elif current is not None:
            current.append(line)
    return {k: "\n".join(v).strip("\n") for k, v in sections.items()}


@dataclass
class RuleContext:
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
        assert self.rule is not None, "RuleContext.finding outside run_rules"
        uniq = list(dict.fromkeys(tuple(s) for s in spans if s is not None))  # in order, once each
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


def _register_store_rules() -> None:
    """The cross-report checks register where they are defined (``extractor/audit.py``), which
    reads the store: imported only when they are listed or run, never by a plain ``extract``."""
    from .. import audit  # noqa: F401  (registration)


def catalogue(scope: str | None = None) -> list[RuleInfo]:
    """Every registered rule (of one scope, when given), by code."""
    if scope != "report":
        _register_store_rules()
    return [_REGISTRY[c] for c in sorted(_REGISTRY) if scope is None or _REGISTRY[c].scope == scope]


def get_rule(code: str) -> RuleInfo:
    """The rule with this code (case-insensitive); KeyError when there is none."""
    if code.upper() not in _REGISTRY:
        _register_store_rules()
    return _REGISTRY[code.upper()]


def rules_matching(prefix: str) -> list[RuleInfo]:
    """The rules whose code starts with ``prefix`` (case-insensitive), every scope: ``rules SUM``."""
    p = prefix.strip().upper()
    return [r for r in catalogue() if r.code.startswith(p)]


def _specificity(code: str, prefixes: Sequence[str]) -> int:
    """Length of the longest prefix in ``prefixes`` that ``code`` starts with, -1 for none."""
    return max((len(p) for p in prefixes if code.startswith(p)), default=-1)


def selected_rules(select: Sequence[str] = (), ignore: Sequence[str] = (), *, scope: str = "report") -> list[RuleInfo]:
    """Rules of ``scope`` chosen by code prefix, as flake8 does: the more specific of select and ignore wins.

    An empty ``select`` selects everything. A prefix that names no rule of the scope is a usage
    error (ValueError), so a typo in ``--select`` does not silently turn the verifier off.
    """
    select = [p.strip().upper() for p in select if p.strip()]
    ignore = [p.strip().upper() for p in ignore if p.strip()]
    rules = catalogue(scope)
    for p in (*select, *ignore):
        if not any(r.code.startswith(p) for r in rules):
            other = [r for r in catalogue() if r.code.startswith(p)]
            if other:  # XR… given to verify, SUM… to audit
                where = _("跨报告核查，请用 audit") if other[0].scope == "store" else _("单份报告的规则，请用 verify")
                raise ValueError(_("规则 {prefix} 属于{where}").format(prefix=p, where=where))
            raise ValueError(_("没有以 {prefix!r} 开头的规则代码（见 python cli.py rules）").format(prefix=p))
    chosen = []
    for info in rules:
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
    ctx = RuleContext(report=report, document=document)
    findings: list[Finding] = []
    for info in selected_rules(select, ignore):
        ctx.rule = info
        findings.extend(info.func(ctx))
    ctx.rule = None
    return sort_findings(findings)

"""Checks across the reports of a store: what no single report can show, as findings naming both reports.

Each check has a stable code (``XR…``), a severity and a docstring saying what it checks
and why an auditor cares, like the per-report rules in ``extractor/rules/``.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from . import store
from .display import field_name
from .i18n import _
from .rules.registry import RuleInfo, catalogue, selected_rules

DEFAULT_HEADCOUNT_JUMP = Decimal("0.5")  # a change of more than half the earlier headcount …
DEFAULT_HEADCOUNT_MIN_CHANGE = 3  # … and of at least this many people (3 → 5 is noise, not a jump)
DEFAULT_REUSE_SHARE = Decimal("0.8")  # share of the shorter report's sentences found in the other
DEFAULT_MIN_SENTENCE = 12  # characters; shorter sentences (headings, 单位：万元) say nothing of reuse
# A sentence found in more reports than this is template wording, not evidence of copying.
DEFAULT_MAX_SENTENCE_REPORTS = 20
HEADCOUNT_FIELDS = {
    "headcount_authorized": "authorized",
    "headcount_actual": "actual",
    "headcount_in_service": "in_service",
}  # store column -> the field's key under headcount.
_SENTENCE_END = re.compile(r"[。；;！!？?]")
_SPACE = re.compile(r"\s+")


@dataclass
class AuditFinding:
    """A finding about two (or more) reports; ``reports`` name them by sha256, path, department and year."""

    rule: str
    severity: str
    message: str
    reports: list[dict] = field(default_factory=list)
    expected: str | None = None
    found: str | None = None

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "reports": self.reports,
            "expected": self.expected,
            "found": self.found,
        }


def check(code: str, name: str, severity: str):
    """Register a cross-report check where it is defined: a rule of the one registry
    (``extractor/rules/registry.py``), of scope ``store``, documented like every rule."""
    from .rules.registry import rule

    return rule(code=code, name=name, severity=severity, scope="store")


@dataclass
class _Report:
    sha256: str
    path: str
    department: str
    year: int
    figures: dict = field(default_factory=dict)

    def ref(self) -> dict:
        return {"sha256": self.sha256, "path": self.path, "department": self.department, "fiscal_year": self.year}


def _load_reports(conn) -> list[_Report]:
    # The view's own SELECT, not the view: always made from the current registry, even on a
    # read-only store whose view an older version wrote.
    columns = ["sha256", "path", "department", "fiscal_year", *HEADCOUNT_FIELDS]
    reports = []
    for row in conn.execute(
        f"SELECT {', '.join(columns)} FROM ({store.reports_select()}) "  # noqa: S608
        "WHERE department IS NOT NULL AND fiscal_year IS NOT NULL ORDER BY path, sha256"
    ):
        item = dict(zip(columns, row, strict=True))
        reports.append(
            _Report(
                item["sha256"],
                item["path"],
                _SPACE.sub("", str(item["department"])),
                int(item["fiscal_year"]),
                {k: item[k] for k in HEADCOUNT_FIELDS},
            )
        )
    return reports


def _money(conn, sha: str, name: str):
    """The Money interval and raw text of a stored figure, or None."""
    from .numbers import UNIT_FACTORS, half_unit
    from .rules.interval import INFINITY, Interval

    row = conn.execute(
        "SELECT value, raw, unit, decimals, approx FROM field_values WHERE sha256 = ? AND field = ?", (sha, name)
    ).fetchone()
    if row is None or row[0] is None:
        return None
    value, raw, unit, decimals, approx = row
    if approx:
        return Interval(Decimal(0), INFINITY), raw
    return Interval.around(Decimal(str(value)), half_unit(decimals or 0, UNIT_FACTORS.get(unit, Decimal(1)))), raw


def _consecutive(reports: list[_Report]):
    """Pairs (earlier, later) of reports of the same department in consecutive years."""
    by_key: dict[tuple[str, int], list[_Report]] = defaultdict(list)
    for r in reports:
        by_key[(r.department, r.year)].append(r)
    for (dept, year), earlier in sorted(by_key.items()):
        for later in by_key.get((dept, year + 1), []):
            for e in earlier:
                yield e, later


@check("XR001", "carryover-chain", "error")
def check_carryover_chain(conn, reports, options) -> list[AuditFinding]:
    """同一单位上一年的年末结转和结余等于下一年的年初结转和结余。

    检查内容
    库中同一单位相邻两年的报告：第 N−1 年的 ``carryover.end``（年末结转和结余）与第 N 年的
    ``carryover.start``（年初结转和结余）在各自的书写精度内相等。同一报告的多种格式只报一次。
    由 ``audit`` 在整个库上运行，不在单份报告的 ``verify`` 中运行。

    为何重要
    一年结出的余额就是下一年结入的余额；两份报告对不上（超出各自的舍入范围），说明两年之间有资金
    凭空出现或消失，或其中一份报告有误。

    示例
    2022年度报告“年末结转和结余8.90万元”，2023年度报告“年初结转和结余9.90万元”。
    """
    out, seen = [], set()
    for a, b in _consecutive(reports):
        end, start = _money(conn, a.sha256, "report.carryover.end"), _money(conn, b.sha256, "report.carryover.start")
        if end is None or start is None or end[0].meets(start[0]):
            continue
        key = (a.department, a.year, end[1], start[1])
        if key in seen:  # the same report in several formats: one finding is enough
            continue
        seen.add(key)
        out.append(
            AuditFinding(
                "XR001",
                "error",
                _("{department}{year}{end_name}{end}与{next_year}{start_name}{start}不一致。").format(
                    department=a.department,
                    year=a.year,
                    end_name=field_name("carryover.end"),
                    end=end[1],
                    next_year=b.year,
                    start_name=field_name("carryover.start"),
                    start=start[1],
                ),
                [a.ref(), b.ref()],
                expected=end[1],
                found=start[1],
            )
        )
    return out


@check("XR002", "headcount-jump", "warning")
def check_headcount_jump(conn, reports, options) -> list[AuditFinding]:
    """同一单位的人数（编制、实有、在职）相邻两年变动超过一半。

    检查内容
    库中同一单位相邻两年的报告：编制人数、实有人数、在职人员各自的变动超过上一年的 50%，且至少
    3 人（3 人变 5 人是常见波动，不算跳变）。阈值可在 ``audit()`` 中调整。

    为何重要
    编制和人员变化缓慢；跳变要么是报告应当说明的合并、改制，要么是某一年的数字录错。

    示例
    2022年度“在职人员21人”，2023年度“在职人员40人”。
    """
    jump, least = (
        options.get("headcount_jump", DEFAULT_HEADCOUNT_JUMP),
        options.get("headcount_min_change", DEFAULT_HEADCOUNT_MIN_CHANGE),
    )
    out, seen = [], set()
    for a, b in _consecutive(reports):
        for name, label in HEADCOUNT_FIELDS.items():
            before, after = a.figures.get(name), b.figures.get(name)
            if before is None or after is None:
                continue
            change = abs(int(after) - int(before))
            if change < least or Decimal(change) <= jump * max(int(before), 1):
                continue
            key = (a.department, a.year, name, before, after)
            if key in seen:
                continue
            seen.add(key)
            out.append(
                AuditFinding(
                    "XR002",
                    "warning",
                    _(
                        "{department}{field}由{year}年的{before}人变为{next_year}年的{after}人，变动超过{jump}%。"
                    ).format(
                        department=a.department,
                        field=field_name(f"headcount.{label}"),
                        year=a.year,
                        before=before,
                        next_year=b.year,
                        after=after,
                        jump=f"{jump * 100:.0f}",
                    ),
                    [a.ref(), b.ref()],
                    expected=str(before),
                    found=str(after),
                )
            )
    return out


def sentences(text: str, min_chars: int = DEFAULT_MIN_SENTENCE) -> set[str]:
    """The document's sentences, split at sentence ends only after every space and line break is
    dropped: a PDF breaks lines mid-sentence, and a copy must not hide behind its layout."""
    return {part for part in _SENTENCE_END.split(_SPACE.sub("", text)) if len(part) >= min_chars}


def _shared_sentences(sets: dict[str, set[str]]) -> dict[tuple[str, str], int]:
    """(sha, sha) -> how many sentences the two reports share, template wording aside."""
    index: dict[str, list[str]] = defaultdict(list)
    for sha, items in sets.items():
        for s in items:
            index[s].append(sha)
    shared: dict[tuple[str, str], int] = defaultdict(int)
    for holders in index.values():
        if 1 < len(holders) <= DEFAULT_MAX_SENTENCE_REPORTS:
            holders = sorted(holders)
            for i, x in enumerate(holders):
                for y in holders[i + 1 :]:
                    shared[(x, y)] += 1
    return shared


def _reuse_groups(
    shared: dict[tuple[str, str], int], sets: dict[str, set[str]], by_sha: dict, share: Decimal
) -> tuple[dict[str, list[_Report]], dict[str, Decimal]]:
    """The groups of reports of one year that share at least ``share`` of the shorter one's
    sentences, by their root; and the lowest percentage of each group."""
    # Copies form groups (a report filed as .docx, .pdf and .txt): one finding per group.
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    lowest: dict[str, Decimal] = {}
    for (x, y), n in sorted(shared.items()):
        smaller = min(len(sets[x]), len(sets[y]))
        if by_sha[x].year != by_sha[y].year or not smaller or Decimal(n) < share * smaller:
            continue
        rx, ry = root(x), root(y)
        pct = Decimal(100 * n) / smaller
        merged = min(pct, lowest.get(rx, pct), lowest.get(ry, pct))
        if rx != ry:
            parent[max(rx, ry)] = min(rx, ry)
        lowest[min(rx, ry)] = merged
    groups: dict[str, list[_Report]] = defaultdict(list)
    for sha in parent.keys() | set(lowest):
        groups[root(sha)].append(by_sha[sha])
    return groups, lowest


@check("XR003", "text-reused-year-unchanged", "warning")
def check_text_reuse(conn, reports, options) -> list[AuditFinding]:
    """两份不同的文件正文大多是相同的句子，且年度相同。

    检查内容
    库中两份（或一组）不同的文件，较短一份至少 80% 的句子（12 字以上，去掉空白和换行后按句末标点
    切分）在另一份中出现，且两者所述年度相同。出现在 20 份以上报告中的句子是模板用语，不计。

    为何重要
    照搬旧报告而未改年度，报告声称的年度并非其所述的年度（应有报告的年度反而缺失）；或同一报告
    重复入库，报告数被重复计算。

    示例
    “示例馆2022年度自评报告.txt”与“示例馆2023年度自评报告（草稿）.txt”正文相同，年度都写作2022年。
    """
    share = options.get("reuse_share", DEFAULT_REUSE_SHARE)
    by_sha = {r.sha256: r for r in reports}
    sets = {sha: sentences(text) for sha, text in conn.execute("SELECT sha256, text FROM texts") if sha in by_sha}
    groups, lowest = _reuse_groups(_shared_sentences(sets), sets, by_sha, share)
    out = []
    for key, members in groups.items():
        members = sorted(members, key=lambda r: (r.path, r.sha256))
        pct = f"{lowest[key]:.0f}%"
        out.append(
            AuditFinding(
                "XR003",
                "warning",
                _(
                    "{n}份文件的正文至少{share}的句子相同且年度同为{year}年：同一报告重复入库，或沿用旧报告而未改年度。"
                ).format(n=len(members), share=pct, year=members[0].year),
                [r.ref() for r in members],
                expected=None,
                found=pct,
            )
        )
    return out


def audit(db: str | os.PathLike, *, select: tuple[str, ...] = (), **options) -> list[AuditFinding]:
    """Run every cross-report check (or those whose code starts with one of ``select``) on store ``db``."""
    chosen = {r.code for r in selected_rules(select, scope="store")}  # ValueError: an unknown prefix
    conn = store.connect_readonly(db, check=True)  # a damaged store is an error, never a clean audit
    try:
        reports = _load_reports(conn)
        findings = []
        for code, item in sorted(CHECKS.items()):
            if code in chosen:
                findings.extend(item.func(conn, reports, options))
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
        raise store.StoreError(f"{db}: the store is damaged ({store.damage(exc)}); {store.RESTORE}") from None
    finally:
        conn.close()
    order = {"error": 0, "warning": 1, "info": 2}
    return sorted(findings, key=lambda f: (order[f.severity], f.rule, [r["path"] or "" for r in f.reports]))


CHECKS: dict[str, RuleInfo] = {r.code: r for r in catalogue("store")}


def render(findings: list[AuditFinding]) -> str:
    """Findings as text: one line each, then the reports it names."""
    if not findings:
        return "no cross-report findings"
    lines = []
    for f in findings:
        lines.append(f"{f.rule} {f.severity}: {f.message}")
        for r in f.reports:
            lines.append(f"    {r['fiscal_year']} {r['path']} ({r['sha256'][:12]})")
    return "\n".join(lines)

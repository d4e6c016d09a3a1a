"""Snapshots of every rule's findings on its fixtures (ruff's habit): the message in Chinese and in
English, expected/found, the fields and the spans with the text they cover, one file per rule in
``tests/snapshots/rules/``. A changed message or span is a visible diff in review.

After a deliberate change: ``UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/test_rule_snapshots.py``
rewrites the files; read the diff before committing it.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest
import test_rules  # the fixtures: each rule's cases that fire, that are quiet and that cannot check

from extractor.i18n import use
from extractor.rules import catalogue, run_rules

SNAPSHOTS = Path(__file__).parent / "snapshots" / "rules"
UPDATE = bool(os.environ.get("UPDATE_SNAPSHOTS"))


def _quote(text: str | None, span) -> str:
    if text is None:
        return f"[{span[0]}, {span[1]}]"
    return f"[{span[0]}, {span[1]}] “{text[span[0] : span[1]]}”"


def _render_case(c) -> list[str]:
    report, document = c.make()
    text = document.text if document is not None else None
    findings = [f for f in run_rules(report, document, select=[c.code]) if f.rule == c.code]
    with use("en"):
        english = [f.message for f in run_rules(report, document, select=[c.code]) if f.rule == c.code]
    out = [f"## {c.name} ({c.expect})"]
    if not findings:
        return [*out, "(no finding)"]
    for f, en in zip(findings, english, strict=True):
        out += [f"{f.severity} {f.rule}", f"  message: {f.message}", f"  message (en): {en}"]
        out += [f"  {k}: {v}" for k, v in (("expected", f.expected), ("found", f.found)) if v is not None]
        if f.fields:
            out.append(f"  fields: {', '.join(f.fields)}")
        if f.spans:
            out.append(f"  spans: {' · '.join(_quote(text, s) for s in f.spans)}")
    return out


def _check(code: str, body: list[str]) -> None:
    info = next(i for i in catalogue() if i.code == code)
    text = (
        "\n".join([f"# {code} {info.name}: findings on its fixtures (tests/test_rule_snapshots.py)", "", *body]) + "\n"
    )
    path = SNAPSHOTS / f"{code}.txt"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"no snapshot for {code}: run UPDATE_SNAPSHOTS=1 pytest {__file__}"
    old = path.read_text(encoding="utf-8")
    if old != text:
        diff = "".join(difflib.unified_diff(old.splitlines(True), text.splitlines(True), str(path), "now"))
        pytest.fail(f"{code}'s findings changed (UPDATE_SNAPSHOTS=1 to accept):\n{diff}")


@pytest.mark.parametrize("code", [i.code for i in catalogue("report")])
def test_rule_snapshot(code):
    cases = [c for c in test_rules.CASES if c.code == code]
    assert any(c.expect != "ok" for c in cases), f"{code} has no fixture that fires"
    body: list[str] = []
    for c in cases:
        body += [*_render_case(c), ""]
    _check(code, body)


# ---- the cross-report checks, on a small store of invented reports -------------------------------

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    """One unit over two years with a broken carry-over chain and a headcount jump, its 2022 report
    filed again as 2023 with one sentence added, and a second unit whose two years agree."""
    from test_export_audit import edit

    from extractor.ingest import ingest

    qinghe = (SAMPLES / "qinghe-whg-2022.txt").read_text(encoding="utf-8")
    yushui = (SAMPLES / "yushui-gsl-2023.txt").read_text(encoding="utf-8")

    files = {
        "a-2022.txt": qinghe,
        "a-2023.txt": edit(
            qinghe,
            ("2022", "2023"),
            ("年初结转和结余12.40万元", "年初结转和结余9.90万元"),
            ("实有人员21人", "实有人员40人"),
            ("在职人员16人", "在职人员35人"),
        ),
        "a-2023-copy.txt": edit(
            qinghe,
            ("四、存在的问题及改进措施", "四、存在的问题及改进措施\n本年度新增流动服务点两处。"),
            ("实有人员21人", "实有人员22人"),
        ),
        "b-2023.txt": yushui,
        "b-2024.txt": yushui.replace("2023", "2024"),
    }
    folder = tmp_path_factory.mktemp("archive")
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    db = folder / "reports.sqlite"
    ingest([folder], db, workers=1, quiet=True)
    return db


@pytest.mark.parametrize("code", ["XR001", "XR002", "XR003"])
def test_cross_report_snapshot(store, code):
    from extractor.audit import audit

    def render(findings) -> list[str]:
        out = []
        for f in findings:
            out += [f"{f.severity} {f.rule}", f"  message: {f.message}"]
            out += [f"  {k}: {v}" for k, v in (("expected", f.expected), ("found", f.found)) if v is not None]
            out += [f"  report: {r['fiscal_year']} {r['path']} {r['department']}" for r in f.reports]
        return out

    findings = audit(store, select=(code,))
    assert findings, f"{code} found nothing on its store"
    with use("en"):
        english = audit(store, select=(code,))
    body = [
        "## the invented store (fires)",
        *render(findings),
        "",
        "## in English",
        *(f"  message (en): {f.message}" for f in english),
        "",
    ]
    _check(code, body)


def test_every_rule_has_a_snapshot():
    assert sorted(p.stem for p in SNAPSHOTS.glob("*.txt")) == [i.code for i in catalogue()]

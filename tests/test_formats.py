"""The team-written samples read alike in every format (issue 12).

samples/team_reports.py writes three reports once and renders each as .txt, .docx, .pdf and
.html: a project form (项目支出绩效自评表, flattened one cell per line in the .txt), a 部门决算
excerpt (two-sided 收入支出决算总表 with 行次 and a bare 总计 row; a score table split by a page
break right after its header row) and a department report whose score table is a Markdown pipe
table with a 合计 row. TRUTH is what a reviewer reads off each report. Every rendering is
checked against it, field by field, as extracted and as stored in samples/expected/; the four
formats against each other; and a consistent sample must draw no error finding.

A known gap is an ``xfail(strict=True)`` naming the format, the value and what came out
(KNOWN): when a fix lands, the case passes, strict xfail turns it red, and its entry goes.
"""

from __future__ import annotations

import functools
import json
from decimal import Decimal
from pathlib import Path

import pytest

from extractor import extract
from extractor.model import dump

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
FORMATS = (".txt", ".docx", ".pdf", ".html")
D = Decimal


def node(name: str, maximum=None, score=None, *children) -> tuple:
    """An indicator as compared: (name, max, score, children)."""
    return (name, None if maximum is None else D(maximum), None if score is None else D(score), tuple(children))


NO_HEADCOUNT = {
    "headcount.authorized": None,
    "headcount.actual": None,
    "headcount.in_service": None,
    "headcount.retired": None,
}
NO_BUDGET = {"budget.total": None, "budget.adjusted": None, "budget.spent": None, "budget.execution_rate": None}

# What each report states, read by a reviewer (money in yuan, rates and scores as written).
TRUTH = {
    "donghu-zc-2023": {
        # the form's 实施单位; its 主管部门 is 示例市东湖区民政局
        "department": "示例市东湖区养老服务指导中心",
        "fiscal_year": 2023,
        "kind": "project",
        "budget.total": D("1200000"),
        "budget.adjusted": D("1260000"),
        "budget.spent": D("1197000"),
        "budget.execution_rate": D("95"),
        "revenue.total": None,
        "expenditure.total": None,
        "carryover.start": None,
        "carryover.end": None,
        **NO_HEADCOUNT,
        # the money row's 分值 10 / 得分 9.5 is the form's execution-rate indicator; level-1 maxima
        # and scores are not written (only their rows' points are)
        "indicators.level1": (node("预算执行率", 10, "9.5"), node("产出指标"), node("效益指标"), node("满意度指标")),
        "indicators.tree": (
            node("预算执行率", 10, "9.5"),
            node(
                "产出指标",
                None,
                None,
                node("数量指标", None, None, node("助餐服务人次", 15, 15), node("助餐点覆盖社区数", 10, 10)),
                node("质量指标", None, None, node("餐食抽检合格率", 10, 10)),
                node("时效指标", None, None, node("补助资金按季拨付率", 5, "3.5")),
                node("成本指标", None, None, node("每餐补助标准", 10, 10)),
            ),
            node(
                "效益指标",
                None,
                None,
                node("社会效益指标", None, None, node("老年人就餐便利程度", 15, 14)),
                node("可持续影响指标", None, None, node("助餐点持续运营率", 15, 13)),
            ),
            node("满意度指标", None, None, node("服务对象满意度指标", None, None, node("就餐老人满意度", 10, 9))),
        ),
        "total_score": D("94"),
        "max_score": D("100"),
        "grade": None,
    },
    "xishan-nfzx-2023": {
        "department": "示例县西山镇农业综合服务中心",
        "fiscal_year": 2023,
        "kind": "final_accounts",
        **NO_BUDGET,
        # the bare 总计 rows of the two sides (本年收入合计 285.60 and 本年支出合计 287.20 are parts)
        "revenue.total": D("2918000"),
        "expenditure.total": D("2918000"),
        "carryover.start": D("62000"),
        "carryover.end": D("46000"),
        "headcount.authorized": 12,
        "headcount.actual": 15,
        "headcount.in_service": 11,
        "headcount.retired": 4,
        # level-1 分值 merged down beside its two level-2 rows; level-1 scores are not written
        "indicators.level1": (node("决策", 15), node("过程", 25), node("产出", 35), node("效益", 25)),
        "indicators.tree": (
            node("决策", 15, None, node("目标设定", 8, 8), node("预算编制", 7, 6)),
            node("过程", 25, None, node("预算执行", 15, "13.5"), node("资产管理", 10, 9)),
            node("产出", 35, None, node("产出数量", 20, 19), node("产出质量", 15, 14)),
            node("效益", 25, None, node("社会效益", 15, 14), node("服务对象满意度", 10, 9)),
        ),
        "total_score": D("92.5"),
        "max_score": D("100"),
        "grade": "优",
    },
    "nanhu-tyzx-2023": {
        "department": "示例市南湖区体育事业发展中心",
        "fiscal_year": 2023,
        "kind": "department_overall",
        "budget.total": D("4200000"),
        "budget.adjusted": D("4553000"),
        "budget.spent": D("4325400"),
        "budget.execution_rate": D("95"),
        "revenue.total": D("4682000"),
        "expenditure.total": D("4617500"),
        "carryover.start": None,
        "carryover.end": None,
        "headcount.authorized": 28,
        "headcount.actual": 31,
        "headcount.in_service": 26,
        "headcount.retired": 5,
        # the 合计 row is the table's total, not an indicator
        "indicators.level1": (
            node("决策", 15, 13),
            node("过程", 25, "21.5"),
            node("产出", 35, 30),
            node("效益", 25, 22),
        ),
        "total_score": D("86.5"),
        "max_score": D("100"),
        "grade": "良",
    },
}
STEMS = tuple(TRUTH)
FIELDS = {stem: tuple(fields) for stem, fields in TRUTH.items()}

# (file, field, what came out and why): the strict xfails of test_value_matches_truth
_GAPS: list[tuple[str, str, str]] = []
KNOWN = {(name, field): reason for name, field, reason in _GAPS}
# file -> why a consistent sample draws an error finding
# Samples whose consistent figures still draw an error (a strict xfail each, with the reason).
FALSE_ERRORS: dict[str, str] = {}


@functools.cache
def extracted(name: str):
    return extract(SAMPLES / name)


def observed(report: dict) -> dict:
    """The compared fields of a dumped report, figures as Decimal."""

    def value(g):
        if g is None:
            return None
        v = g["value"]
        return D(v) if isinstance(v, str) and v[:1].isdigit() else v

    def tree(n, depth=None):
        kids = () if depth == 1 else tuple(tree(c, None if depth is None else depth - 1) for c in n["children"])
        return (n["name"], value(n["max"]), value(n["score"]), kids)

    out = {
        "department": value(report["department"]),
        "fiscal_year": value(report["fiscal_year"]),
        "kind": value(report["kind"]),
        "total_score": value(report["total_score"]),
        "max_score": value(report["max_score"]),
        "grade": value(report["grade"]),
        "revenue.total": value(report["revenue"]["total"]),
        "expenditure.total": value(report["expenditure"]["total"]),
        "carryover.start": value(report["carryover"]["start"]),
        "carryover.end": value(report["carryover"]["end"]),
        "indicators.level1": tuple(tree(n, 1) for n in report["indicators"]),
        "indicators.tree": tuple(tree(n) for n in report["indicators"]),
    }
    out.update({f"budget.{k}": value(v) for k, v in report["budget"].items() if k != "sources"})
    out.update(
        {f"headcount.{k}": value(report["headcount"][k]) for k in ("authorized", "actual", "in_service", "retired")}
    )
    return out


def _cases():
    for stem in STEMS:
        for suffix in FORMATS:
            for field in FIELDS[stem]:
                name = stem + suffix
                marks = [pytest.mark.xfail(strict=True, reason=KNOWN[name, field])] if (name, field) in KNOWN else []
                yield pytest.param(name, field, marks=marks, id=f"{name}-{field}")


def test_every_team_sample_is_rendered_in_every_format():
    for stem in STEMS:
        for suffix in FORMATS:
            assert (SAMPLES / (stem + suffix)).is_file(), stem + suffix
            assert (SAMPLES / "expected" / f"{stem}{suffix}.json").is_file(), stem + suffix


@pytest.mark.parametrize(("name", "field"), list(_cases()))
def test_value_matches_truth(name, field):
    want = TRUTH[name.split(".")[0]][field]
    assert observed(dump(extracted(name).report))[field] == want
    stored = json.loads((SAMPLES / "expected" / f"{name}.json").read_text(encoding="utf-8"))["report"]
    assert observed(stored)[field] == want, "the reviewed expected record"


def _agreement_cases():
    for stem in STEMS:
        for field in FIELDS[stem]:
            gaps = [s for s in FORMATS if (stem + s, field) in KNOWN]
            # a field every format gets wrong the same way still agrees (donghu's total_score)
            marks = []
            if gaps and len(gaps) < len(FORMATS):
                reason = "; ".join(f"{s}: {KNOWN[stem + s, field]}" for s in gaps)
                marks = [pytest.mark.xfail(strict=True, reason=reason)]
            yield pytest.param(stem, field, marks=marks, id=f"{stem}-{field}")


@pytest.mark.parametrize(("stem", "field"), list(_agreement_cases()))
def test_formats_agree(stem, field):
    found = {s: observed(dump(extracted(stem + s).report))[field] for s in FORMATS}
    assert len({repr(v) for v in found.values()}) == 1, found


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(
            stem + s,
            id=stem + s,
            marks=[pytest.mark.xfail(strict=True, reason=FALSE_ERRORS[stem + s])] if stem + s in FALSE_ERRORS else [],
        )
        for stem in STEMS
        for s in FORMATS
    ],
)
def test_consistent_sample_draws_no_error(name):
    """Every team sample adds up (team_reports.check_figures): an error finding is a false alarm."""
    errors = [(f.rule, f.message) for f in extracted(name).findings if f.severity == "error"]
    assert errors == []


def test_every_known_gap_names_a_compared_value():
    for name, field in KNOWN:
        assert name.rsplit(".", 1)[1] in {s[1:] for s in FORMATS} and field in TRUTH[name.split(".")[0]], (name, field)
    for name in FALSE_ERRORS:
        assert name.split(".")[0] in TRUTH, name

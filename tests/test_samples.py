"""Every bundled sample, in every format, extracts to its reviewed expected record."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
import regex

from extractor import extract, to_json
from extractor.model import check, dump, load_report
from extractor.normalize import fold
from extractor.numbers import UNIT_FACTORS, parse_arabic

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
FILES = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".txt", ".docx", ".pdf", ".html", ".xlsx", ".xls", ".ofd"))


def values(node, path="", out=None):
    """Field path -> value, without spans: what must agree across formats of one report."""
    out = {} if out is None else out
    if isinstance(node, dict):
        if "raw" in node and "span" in node:
            out[path] = node["value"]
            return out
        for k, v in node.items():
            if k not in ("candidates", "span", "name_span"):
                values(v, f"{path}.{k}", out)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            values(v, f"{path}[{i}]", out)
    else:
        out[path] = node
    return out


def walk_grounded(node):
    if isinstance(node, dict):
        if "raw" in node and "span" in node:
            yield node
        for v in node.values():
            yield from walk_grounded(v)
    elif isinstance(node, list):
        for v in node:
            yield from walk_grounded(v)


def assert_raw_states_value(g: dict) -> None:
    """A figure's raw text says its value: a span on the wrong place would quote another number."""
    if "decimals" not in g:
        return
    m = regex.search(r"\d[\d,]*(?:\.\d+)?", fold(g["raw"]).text)
    if m is None:  # a figure written as a word: 百分制 is a full mark of 100
        assert g["raw"] == "百分制" and g["value"] == "100", g
        return
    written = parse_arabic(m.group()).value
    factor = UNIT_FACTORS.get(g.get("unit"), Decimal(1)) if "unit" in g else Decimal(1)
    assert written * factor == Decimal(g["value"]), g


def test_every_format_of_every_sample_is_bundled():
    stems = {p.name.split(".")[0] for p in FILES}
    assert len(stems) >= 2
    for stem in stems:
        assert {".txt", ".docx", ".pdf"} <= {p.suffix for p in FILES if p.name.startswith(stem + ".")}


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_sample_matches_expected(path):
    expected = json.loads((SAMPLES / "expected" / f"{path.name}.json").read_text(encoding="utf-8"))
    result = extract(path)
    assert result.source.format == expected["source"]["format"]
    assert dump(result.report) == expected["report"]
    # the record and its findings hold the contract's types exactly (strict pydantic check)
    check(result.report), check(result.source), [check(f) for f in result.findings]


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_stored_json_loads_back_into_the_same_record(path):
    report = extract(path, verify=False).report
    data = json.loads(json.dumps(dump(report), ensure_ascii=False))
    loaded = load_report(data)
    assert loaded == report and dump(loaded) == data
    figure = next(g for g in (loaded.total_score, loaded.budget.total, loaded.revenue.total) if g is not None)
    assert isinstance(figure.value, Decimal) and isinstance(loaded.fiscal_year.span, tuple)


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_every_value_is_grounded(path):
    result = extract(path, verify=False)
    text = result.document.text
    report = json.loads(to_json(result))["report"]
    grounded = list(walk_grounded(report))
    # not vacuous; what is missing is checked by the expected records and tests/test_formats.py
    assert len(grounded) >= 5
    for g in grounded:
        s, e = g["span"]
        assert text[s:e] == g["raw"], g
        assert_raw_states_value(g)
        if result.source.pages:
            assert g["page"] is not None and 1 <= g["page"] <= result.source.pages


# The team-written samples' known gaps, field by field, are in tests/test_formats.py (KNOWN).
FORMAT_GAPS: dict[str, str] = {}


@pytest.mark.parametrize(
    "stem",
    [
        pytest.param(
            stem, marks=[pytest.mark.xfail(strict=True, reason=FORMAT_GAPS[stem])] if stem in FORMAT_GAPS else []
        )
        for stem in sorted({p.name.split(".")[0] for p in FILES})
    ],
)
def test_formats_of_one_report_agree(stem):
    found = {p.suffix: values(dump(extract(p, verify=False).report)) for p in FILES if p.name.startswith(stem + ".")}
    reference = found.pop(".txt")
    for suffix, vals in found.items():
        assert vals == reference, suffix


def test_seed_values_from_fields_md():
    r = extract(SAMPLES / "yushui-gsl-2023.docx", verify=False).report
    assert r.department.value == "新余市渝水区工商业联合会" and r.fiscal_year.value == 2023
    assert r.kind.value == "department_overall" and r.divisions.value == ["办公室", "经济工作办公室"]
    hc = r.headcount
    assert (hc.authorized.value, hc.actual.value, hc.in_service.value, hc.retired.value) == (3, 7, 4, 3)
    assert [(p.name, p.count.value) for p in hc.in_service_breakdown] == [("行政编", 3), ("挂职", 1)]
    assert r.revenue.total.value == Decimal("1451600") and r.revenue.total.unit == "万元"
    assert [(i.name, i.amount.value, i.share.value) for i in r.expenditure.by_type] == [
        ("基本支出", Decimal("1324000"), Decimal("91.21"))
    ]
    assert len(r.expenditure.by_function) == 3
    # the heading's （得分10分） is the maximum; the body's 得分7分 is the score
    first = r.indicators[0]
    assert (first.max.value, first.score.value) == (10, 7)
    assert r.total_score.value == 97 and r.max_score.value == 100 and r.grade.value == "优"
    assert r.grade_bands.source == "report" and [b.grade for b in r.grade_bands.bands] == ["优", "良", "中", "差"]


def test_json_is_byte_identical_across_runs():
    path = SAMPLES / "qinghe-whg-2022.docx"
    assert to_json(extract(path)) == to_json(extract(path))

"""The registry: stable codes, select/ignore by prefix, deterministic order, text rendering."""

from __future__ import annotations

import pytest

from extractor.document import Document
from extractor.model import Finding, Report
from extractor.output.text import render_catalogue, render_findings, render_rule_doc
from extractor.rules import catalogue, get_rule, rule, run_rules, selected_rules, sort_findings


def codes(infos) -> list[str]:
    return [i.code for i in infos]


def test_codes_and_names_are_unique_and_well_formed():
    infos = catalogue()
    assert len({i.code for i in infos}) == len({i.name for i in infos}) == len(infos) >= 20
    assert codes(infos) == sorted(codes(infos))


def test_select_and_ignore_by_prefix_the_more_specific_wins():
    assert set(codes(selected_rules(["SUM"]))) == {"SUM001", "SUM002", "SUM003", "SUM004", "SUM005"}
    assert "SUM001" not in codes(selected_rules(ignore=["SUM"]))
    assert codes(selected_rules(["SUM001"], ["SUM"])) == ["SUM001"]
    assert codes(selected_rules(["SUM"], ["SUM001"])) == ["SUM002", "SUM003", "SUM004", "SUM005"]
    assert codes(selected_rules(["sum00"])) == codes(selected_rules(["SUM"]))


def test_unknown_prefix_is_a_usage_error():
    with pytest.raises(ValueError, match="ZZZ"):
        selected_rules(["ZZZ"])


def test_registering_a_rule_twice_or_without_doc_headings_fails():
    with pytest.raises(ValueError):
        rule(code="SUM001", name="another-name", severity="error")(lambda ctx: [])
    with pytest.raises(ValueError):
        rule(code="ZZZ999", name="no-doc", severity="error")(lambda ctx: [])
    with pytest.raises(ValueError):
        rule(code="bad", name="x", severity="error")


def test_findings_sort_by_severity_code_then_position():
    def f(sev, code, start):
        return Finding(rule=code, severity=sev, message="m", spans=[(start, start + 1)] if start is not None else [])

    shuffled = [f("info", "AAA001", 1), f("warning", "DOC003", 50), f("error", "SUM002", 9),
                f("warning", "DOC003", 10), f("error", "HC001", 99), f("error", "SUM002", None)]
    ordered = sort_findings(shuffled)
    assert [(x.severity, x.rule, x.spans[:1]) for x in ordered] == [
        ("error", "HC001", [(99, 100)]), ("error", "SUM002", []), ("error", "SUM002", [(9, 10)]),
        ("warning", "DOC003", [(10, 11)]), ("warning", "DOC003", [(50, 51)]), ("info", "AAA001", [(1, 2)])]


def test_empty_report_gives_no_findings():
    assert run_rules(Report()) == []
    assert run_rules(Report(), Document(text="", format="txt")) == []


def test_render_findings_shows_severity_code_numbers_and_place():
    doc = Document(text="第一行\n收入总计145.16万元\n", format="txt")
    fnd = Finding(rule="SUM001", severity="error", message="收入明细各项之和为146.16万元，与收入总计145.16万元不符。",
                  spans=[(8, 16)], expected="145.16万元", found="146.16万元")
    out = render_findings([fnd], doc, "r.txt")
    assert out.splitlines() == [
        "r.txt: 1 error, 0 warnings, 0 info",
        "  error SUM001 收入明细各项之和为146.16万元，与收入总计145.16万元不符。 (expected 145.16万元, found 146.16万元)",
        "      line 2 “145.16万元”",
    ]


def test_render_findings_uses_pages_when_the_document_has_them():
    from extractor.document import Block

    doc = Document(text="a\fb 7人", format="pdf", pages=2,
                   blocks=[Block("page", 0, 1, page=1), Block("page", 2, 6, page=2)])
    fnd = Finding(rule="HC001", severity="error", message="m", spans=[(4, 6)])
    assert "page 2 “7人”" in render_findings([fnd], doc, "r.pdf")


def test_render_catalogue_and_one_rule():
    text = render_catalogue(catalogue())
    assert len(text.splitlines()) == len(catalogue())
    assert text.splitlines()[0].startswith("BUD001")
    doc = render_rule_doc("sum001")
    assert doc.startswith("SUM001 revenue-items-sum (error)")
    for heading in ("What it checks", "Why it matters", "Example"):
        assert heading in doc
    with pytest.raises(KeyError):
        render_rule_doc("NOPE999")
    assert get_rule("SUM001").title in text

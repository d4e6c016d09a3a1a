"""The registry: stable codes, select/ignore by prefix, deterministic order, text rendering."""

from __future__ import annotations

import pytest

from extractor.document import Document
from extractor.i18n import use
from extractor.model import Finding, Report
from extractor.output.text import render_catalogue, render_catalogue_json, render_findings, render_rule_doc
from extractor.rules import catalogue, get_rule, rule, run_rules, selected_rules, sort_findings
from extractor.rules.registry import rules_matching


def codes(infos) -> list[str]:
    return [i.code for i in infos]


def test_codes_and_names_are_unique_and_well_formed():
    infos = catalogue()
    assert len({i.code for i in infos}) == len({i.name for i in infos}) == len(infos) >= 20
    assert codes(infos) == sorted(codes(infos))


def test_cross_report_checks_are_in_the_one_catalogue():
    assert codes(catalogue("store")) == ["XR001", "XR002", "XR003"]
    assert not any(c.startswith("XR") for c in codes(catalogue("report")))
    assert get_rule("xr002").severity == "warning"
    with pytest.raises(ValueError, match="audit"):  # verify --select XR: the checks of a store
        selected_rules(["XR"])
    with pytest.raises(ValueError, match="verify"):  # audit --select SUM
        selected_rules(["SUM"], scope="store")


def test_rules_by_prefix():
    assert codes(rules_matching("sum")) == ["SUM001", "SUM002", "SUM003", "SUM004", "SUM005"]
    assert codes(rules_matching("XR")) == ["XR001", "XR002", "XR003"]
    assert rules_matching("ZZZ") == []


def test_select_and_ignore_by_prefix_the_more_specific_wins():
    assert set(codes(selected_rules(["SUM"]))) == {"SUM001", "SUM002", "SUM003", "SUM004", "SUM005"}
    assert "SUM001" not in codes(selected_rules(ignore=["SUM"]))
    assert codes(selected_rules(["SUM001"], ["SUM"])) == ["SUM001"]
    assert codes(selected_rules(["SUM"], ["SUM001"])) == ["SUM002", "SUM003", "SUM004", "SUM005"]
    assert codes(selected_rules(["sum00"])) == codes(selected_rules(["SUM"]))


def test_unknown_prefix_is_a_usage_error():
    with pytest.raises(ValueError, match="ZZZ"):
        selected_rules(["ZZZ"])
    with pytest.raises(ValueError, match="ZZZ"), use("en"):
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

    shuffled = [
        f("info", "AAA001", 1),
        f("warning", "DOC003", 50),
        f("error", "SUM002", 9),
        f("warning", "DOC003", 10),
        f("error", "HC001", 99),
        f("error", "SUM002", None),
    ]
    ordered = sort_findings(shuffled)
    assert [(x.severity, x.rule, x.spans[:1]) for x in ordered] == [
        ("error", "HC001", [(99, 100)]),
        ("error", "SUM002", []),
        ("error", "SUM002", [(9, 10)]),
        ("warning", "DOC003", [(10, 11)]),
        ("warning", "DOC003", [(50, 51)]),
        ("info", "AAA001", [(1, 2)]),
    ]


def test_empty_report_gives_no_findings():
    assert run_rules(Report()) == []
    assert run_rules(Report(), Document(text="", format="txt")) == []


def test_render_findings_shows_severity_code_numbers_and_place():
    doc = Document(text="第一行\n收入总计145.16万元\n", format="txt")
    fnd = Finding(
        rule="SUM001",
        severity="error",
        message="收入明细各项之和为146.16万元，与收入总计145.16万元不符。",
        spans=[(8, 16)],
        expected="145.16万元",
        found="146.16万元",
    )
    out = render_findings([fnd], doc, "r.txt")
    assert out.splitlines() == [
        "r.txt：错误 1 · 警告 0 · 未能核对 0",
        "  错误 SUM001 收入明细各项之和为146.16万元，与收入总计145.16万元不符。（应为 145.16万元，实为 146.16万元）",
        "      第 2 行 “145.16万元”",
    ]
    with use("en"):
        assert render_findings([fnd], doc, "r.txt").splitlines() == [
            "r.txt: error 1 · warning 0 · not checked 0",
            "  error SUM001 收入明细各项之和为146.16万元，与收入总计145.16万元不符。 (expected 145.16万元, found 146.16万元)",
            "      line 2 “145.16万元”",
        ]


def test_render_findings_shows_hidden_characters_by_their_code_point():
    doc = Document(text="收入总计\u202e145.16万元\n", format="txt")
    fnd = Finding(rule="SUM001", severity="error", message="m", spans=[(4, 13)])
    out = render_findings([fnd], doc, "r.txt")
    assert "“⟨U+202E⟩145.16万元”" in out and "\u202e" not in out


def test_render_findings_uses_pages_when_the_document_has_them():
    from extractor.document import Block

    doc = Document(
        text="a\fb 7人", format="pdf", pages=2, blocks=[Block("page", 0, 1, page=1), Block("page", 2, 6, page=2)]
    )
    fnd = Finding(rule="HC001", severity="error", message="m", spans=[(4, 6)])
    assert "第 2 页 “7人”" in render_findings([fnd], doc, "r.pdf")


def test_render_catalogue_and_one_rule():
    text = render_catalogue(catalogue())
    assert len(text.splitlines()) == len(catalogue())
    assert text.splitlines()[0].startswith("BUD001") and text.splitlines()[-1].startswith("XR003")
    doc = render_rule_doc("sum001")
    assert doc.startswith("SUM001 revenue-items-sum（错误，单份报告）")
    for heading in ("检查内容", "为何重要", "示例"):
        assert f"\n{heading}\n" in doc
    assert "``" not in doc and "「revenue.total」" in doc  # no raw reStructuredText literals
    with pytest.raises(KeyError):
        render_rule_doc("NOPE999")
    assert get_rule("SUM001").title in text
    with use("en"):
        doc = render_rule_doc("SUM001")
        assert doc.startswith("SUM001 revenue-items-sum (error, one report)")
        for heading in ("What it checks", "Why it matters", "Example"):
            assert f"\n{heading}\n" in doc


def test_rules_json_has_every_rule_and_its_sections():
    import json

    items = json.loads(render_catalogue_json(catalogue()))
    assert [i["code"] for i in items] == codes(catalogue())
    for item in items:
        assert set(item) == {"code", "name", "severity", "scope", "title", "checks", "why", "example"}
        assert all(item[k] for k in ("title", "checks", "why", "example")), item["code"]
    assert {i["scope"] for i in items} == {"report", "store"}


def test_cli_rules_lists_a_prefix_prints_one_rule_and_json(capsys):
    import json

    from extractor.cli import main

    assert main(["rules", "SUM"]) == 0
    assert [line.split()[0] for line in capsys.readouterr().out.splitlines()] == codes(rules_matching("SUM"))
    assert main(["rules", "xr"]) == 0
    assert "XR001" in capsys.readouterr().out
    assert main(["rules", "XR003"]) == 0
    assert capsys.readouterr().out.startswith("XR003 text-reused-year-unchanged（警告，跨报告）")
    assert main(["rules", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == len(catalogue())
    assert main(["rules", "NOPE"]) == 3
    assert "NOPE" in capsys.readouterr().err

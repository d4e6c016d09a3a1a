"""Export of the reports view (CSV, JSONL, Parquet) and the checks across reports (XR001–XR003)."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest

from extractor.audit import CHECKS, audit, sentences
from extractor.cli import main
from extractor.export import export, export_columns
from extractor.ingest import ingest

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
QINGHE = (SAMPLES / "qinghe-whg-2022.txt").read_text(encoding="utf-8")
YUSHUI = (SAMPLES / "yushui-gsl-2023.txt").read_text(encoding="utf-8")


def edit(text: str, *pairs: tuple[str, str]) -> str:
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new)
    return text


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    """Two departments over two years, with a broken carry-over chain, a headcount jump and a reused text."""
    folder = tmp_path_factory.mktemp("archive")
    # Qinghe 2023: carried in 9.90 where 2022 carried out 8.90; staff almost doubled.
    qinghe_2023 = edit(
        QINGHE,
        ("2022", "2023"),
        ("年初结转和结余12.40万元", "年初结转和结余9.90万元"),
        ("实有人员21人", "实有人员40人"),
        ("在职人员16人", "在职人员35人"),
    )
    # A "2023" report copied from 2022 with the year left unchanged (one sentence added, one
    # figure updated: with every figure the same it would be the same report, one row).
    copied = edit(
        QINGHE,
        ("四、存在的问题及改进措施", "四、存在的问题及改进措施\n本年度新增流动服务点两处。"),
        ("实有人员21人", "实有人员22人"),
        ("退休人员5人", "退休人员6人"),
    )
    # Yushui 2024 carries in what 2023 carried out (0), headcount unchanged: a clean chain.
    yushui_2024 = YUSHUI.replace("2023", "2024")
    files = {
        "qinghe-2022.txt": QINGHE,
        "qinghe-2023.txt": qinghe_2023,
        "qinghe-2023-draft.txt": copied,
        "yushui-2023.txt": YUSHUI,
        "yushui-2024.txt": yushui_2024,
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    path = folder / "reports.sqlite"
    summary = ingest([folder], path, workers=1, quiet=True)
    assert (summary.ok, summary.errors) == (5, 1)
    return path


def test_csv_has_one_row_per_report_with_the_view_columns(db, tmp_path):
    out = tmp_path / "r.csv"
    assert export(db, "csv", out).rows == 5
    with out.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert tuple(reader.fieldnames) == tuple(c.name for c in export_columns())
        rows = list(reader)
    assert len(rows) == 5  # the broken file is in documents, not in reports
    q2022 = next(r for r in rows if r["path"] == "qinghe-2022.txt")
    assert (q2022["department"], q2022["fiscal_year"], q2022["carryover_end_yuan"], q2022["grade"]) == (
        "示例市清河区文化馆",
        "2022",
        "89000.00",
        "良",
    )


def test_jsonl_has_the_same_columns_and_the_full_record_on_request(db, tmp_path):
    out = tmp_path / "r.jsonl"
    export(db, "jsonl", out, with_record=True)
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 5
    for item in lines:
        assert list(item)[:-1] == [c.name for c in export_columns()]
        assert item["record"]["schema_version"] == 1
        assert item["record"]["source"]["sha256"] == item["sha256"]
        assert item["record"]["report"]["department"]["value"] == item["department"]
        assert item["copy_paths"] == [item["path"]] and item["copies"] == 1
    export(db, "jsonl", out)
    assert "record" not in json.loads(out.read_text(encoding="utf-8").splitlines()[0])


def test_parquet_keeps_money_exact(db, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "r.parquet"
    assert export(db, "parquet", out).rows == 5
    table = pq.read_table(out)
    assert table.column_names == [c.name for c in export_columns()]
    assert str(table.schema.field("revenue_total_yuan").type) == "decimal128(20, 2)"
    assert table.schema.field("revenue_total_yuan").metadata[b"unit"] == b"yuan"
    assert str(table.schema.field("fiscal_year").type) == "int64"
    assert str(table.schema.field("ingested_at").type) == "timestamp[us, tz=UTC]"
    totals = sorted(v for v in table.column("revenue_total_yuan").to_pylist() if v is not None)
    assert Decimal("5100000") in totals and all(isinstance(v, Decimal) for v in totals)


def test_cli_export_to_stdout_and_errors(db, tmp_path, capsys):
    assert main(["export", "--db", str(db), "--format", "csv", "-o", "-"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 5
    assert main(["export", "--db", str(tmp_path / "missing.sqlite"), "--format", "csv", "-o", "-"]) == 2
    assert "no such database" in capsys.readouterr().err
    assert main(["export", "--db", str(db), "--format", "parquet", "-o", "-"]) == 3
    with pytest.raises(SystemExit) as exc:
        main(["export", "--db", str(db), "--format", "xlsx", "-o", "x"])
    assert exc.value.code == 3


def test_audit_finds_the_broken_chain_the_jump_and_the_reuse(db):
    findings = audit(db)
    by_rule: dict[str, list] = {}
    for f in findings:
        by_rule.setdefault(f.rule, []).append(f)
    assert sorted(by_rule) == ["XR001", "XR002", "XR003"]

    (chain,) = by_rule["XR001"]
    assert chain.severity == "error" and (chain.expected, chain.found) == ("8.90万元", "9.90万元")
    assert [r["fiscal_year"] for r in chain.reports] == [2022, 2023]
    assert all(r["department"] == "示例市清河区文化馆" for r in chain.reports)

    jumps = {(f.expected, f.found) for f in by_rule["XR002"]}
    assert jumps == {("21", "40"), ("22", "40"), ("16", "35")}  # the draft says 2022 too

    (reuse,) = by_rule["XR003"]
    assert sorted(Path(r["path"]).name for r in reuse.reports) == ["qinghe-2022.txt", "qinghe-2023-draft.txt"]
    # The clean Yushui chain and its year-on-year copy with the year changed raise nothing.
    assert not any("渝水" in (r["department"] or "") for f in findings for r in f.reports)


def test_audit_thresholds_are_options(db):
    assert not [f for f in audit(db, select=("XR002",), headcount_jump=Decimal(2))]
    assert not audit(db, select=("XR003",), reuse_share=Decimal("1.01"))


def test_cli_audit_exit_codes_and_json(db, capsys, tmp_path):
    assert main(["audit", "--db", str(db)]) == 1  # an error finding, as verify
    text = capsys.readouterr().out
    assert "XR001 error" in text and "qinghe-2022.txt" in text
    assert main(["audit", "--db", str(db), "--select", "XR002", "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines and {f["rule"] for f in lines} == {"XR002"}
    assert main(["audit", "--db", str(tmp_path / "none.sqlite")]) == 2
    assert main(["audit", "--db", str(db), "--select", "SUM"]) == 3  # not a cross-report check


def test_checks_are_documented():
    for code, item in CHECKS.items():
        assert code.startswith("XR") and item.severity in ("error", "warning", "info")
        assert "为何重要" in item.doc and item.title


def test_sentences_ignore_layout_breaks():
    assert sentences("本馆对2022年度部门整体支出\n情况进行了自评。") == sentences(
        "本馆对2022年度部门整体支出情况进行了自评。"
    )

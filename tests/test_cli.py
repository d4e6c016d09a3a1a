"""The CLI: output shapes, exit codes, and one clear line for every kind of bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from extractor.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEED_TXT = ROOT / "samples" / "yushui-gsl-2023.txt"
SEED_DOCX = ROOT / "samples" / "yushui-gsl-2023.docx"
SEED_PDF = ROOT / "samples" / "yushui-gsl-2023.pdf"


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_extract_json_one_object(capsys):
    code, out, _ = run(capsys, "extract", str(SEED_DOCX), "--json", "--with-text")
    assert code == 0
    d = json.loads(out)
    assert d["schema_version"] == 1 and d["source"]["format"] == "docx"
    assert d["report"]["department"]["value"] == "新余市渝水区工商业联合会"
    s, e = d["report"]["total_score"]["span"]
    assert d["text"][s:e] == d["report"]["total_score"]["raw"]


def test_schema_describes_the_extract_output_and_the_output_fits_it(capsys):
    from pydantic import ValidationError

    from extractor.schema import load_output

    code, out, _ = run(capsys, "schema")
    schema = json.loads(out)
    assert code == 0 and set(schema["required"]) == {"schema_version", "source", "report", "findings"}
    money = schema["$defs"]["Money"]
    assert money["properties"]["value"]["type"] == "string" and money["additionalProperties"] is False
    for path in sorted((ROOT / "samples").glob("*.*")):
        if path.suffix in (".txt", ".docx", ".pdf", ".html"):
            code, out, _ = run(capsys, "extract", str(path), "--json", "--with-text")
            loaded = load_output(json.loads(out))
            assert loaded["report"].fiscal_year.value in (2022, 2023), path
    broken = json.loads(out)
    broken["report"]["total_score"]["value"] = "ninety"
    with pytest.raises(ValidationError):
        load_output(broken)


def test_extract_several_files_gives_json_lines(capsys):
    code, out, _ = run(capsys, "extract", str(SEED_TXT), str(SEED_PDF), "--json")
    lines = out.strip().split("\n")
    assert code == 0 and len(lines) == 2
    assert [json.loads(x)["source"]["format"] for x in lines] == ["txt", "pdf"]


def test_extract_summary_without_json(capsys):
    code, out, _ = run(capsys, "extract", str(SEED_TXT))
    assert code == 0 and "新余市渝水区工商业联合会" in out and "97分" in out


def _bad_inputs(tmp: Path) -> dict[str, Path]:
    empty = tmp / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    nodoc = tmp / "nodoc.docx"
    with zipfile.ZipFile(nodoc, "w") as z:
        z.writestr("hello.txt", "not word")
    truncated_docx = tmp / "truncated.docx"
    truncated_docx.write_bytes(SEED_DOCX.read_bytes()[:2000])
    truncated_pdf = tmp / "truncated.pdf"
    truncated_pdf.write_bytes(SEED_PDF.read_bytes()[:1500])
    return {
        "missing": tmp / "nope.docx",
        "directory": tmp,
        "empty": empty,
        "binary": binary,
        "no-document-xml": nodoc,
        "truncated-docx": truncated_docx,
        "truncated-pdf": truncated_pdf,
    }


@pytest.mark.parametrize(
    "kind", ["missing", "directory", "empty", "binary", "no-document-xml", "truncated-docx", "truncated-pdf"]
)
def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys, kind):
    path = _bad_inputs(tmp_path)[kind]
    code, out, err = run(capsys, "extract", str(path), "--json")
    assert code == 2
    assert out == ""
    lines = err.strip().split("\n")
    assert len(lines) == 1 and str(path) in lines[0] and "Traceback" not in err


def test_encrypted_pdf(tmp_path, capsys):
    pypdf = pytest.importorskip("pypdf", reason="pypdf makes the encrypted PDF")
    writer = pypdf.PdfWriter(clone_from=str(SEED_PDF))
    writer.encrypt("secret")
    path = tmp_path / "locked.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    code, _, err = run(capsys, "extract", str(path))
    assert code == 2 and "encrypt" in err.lower() and len(err.strip().split("\n")) == 1


def test_a_bad_file_in_a_batch_does_not_stop_the_others(tmp_path, capsys):
    code, out, err = run(capsys, "extract", str(tmp_path / "nope.txt"), str(SEED_TXT), "--json")
    assert code == 2 and json.loads(out.strip())["source"]["format"] == "txt" and "nope.txt" in err


def test_bad_usage_exits_3(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["extract"])
    assert exc.value.code == 3
    with pytest.raises(SystemExit) as exc:
        main(["no-such-command"])
    assert exc.value.code == 3


def test_end_to_end_subprocess_with_a_misnamed_file(tmp_path):
    misnamed = tmp_path / "report.txt"
    misnamed.write_bytes(SEED_DOCX.read_bytes())  # a .docx under a .txt name: sniffed, not trusted
    proc = subprocess.run(
        [sys.executable, str(ROOT / "cli.py"), "extract", str(misnamed), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["source"]["format"] == "docx"


def test_gb18030_text_is_decoded_and_named(tmp_path, capsys):
    path = tmp_path / "gbk.txt"
    path.write_bytes(SEED_TXT.read_text(encoding="utf-8").encode("gb18030"))
    code, out, _ = run(capsys, "extract", str(path), "--json")
    d = json.loads(out)
    assert code == 0 and d["source"]["encoding"] == "gb18030"
    assert d["report"]["total_score"]["value"] == "97"


def test_unknown_rule_prefix_is_a_usage_error(capsys):
    code, out, err = run(capsys, "verify", str(SEED_TXT), "--select", "ZZZ")
    assert code == 3 and out == "" and "ZZZ" in err


# -- issue 14: every command ----------------------------------------------------------------------------------------


def test_version(capsys):
    from extractor import __version__

    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0 and capsys.readouterr().out.strip() == f"gov-perf-extractor {__version__}"


def test_extract_reads_stdin_and_writes_o_file_never_over_an_input(tmp_path):
    out = tmp_path / "out.json"
    cmd = [sys.executable, str(ROOT / "cli.py"), "extract", "-", "--json", "-o", str(out)]
    proc = subprocess.run(cmd, input=SEED_DOCX.read_bytes(), capture_output=True, timeout=120)
    assert proc.returncode == 0 and proc.stdout == b"", proc.stderr
    d = json.loads(out.read_text(encoding="utf-8"))
    assert d["source"]["format"] == "docx" and d["source"]["path"] == "<stdin>"
    assert d["report"]["department"]["value"] == "新余市渝水区工商业联合会"
    copy = tmp_path / "seed.txt"
    copy.write_bytes(SEED_TXT.read_bytes())
    before = copy.read_bytes()
    proc = subprocess.run([*cmd[:3], str(copy), "--json", "-o", str(copy)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 3 and "refusing to overwrite an input" in proc.stderr
    assert copy.read_bytes() == before


def test_verify_format_json_and_csv_for_a_batch(capsys, tmp_path):
    import csv
    import io

    code, out, _ = run(capsys, "verify", str(SEED_TXT), str(SEED_DOCX), "--format", "json")
    lines = [json.loads(x) for x in out.splitlines()]
    assert code == 0 and {x["path"] for x in lines} == {str(SEED_TXT), str(SEED_DOCX)}
    assert all({"rule", "severity", "message"} <= set(x) for x in lines)
    code, out, _ = run(capsys, "verify", str(SEED_TXT), str(SEED_DOCX), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["rule"] for r in rows] == [x["rule"] for x in lines]
    assert list(rows[0]) == ["path", "rule", "severity", "message", "fields", "spans", "expected", "found"]
    assert (
        run(capsys, "verify", str(SEED_TXT), "--json")[1] == run(capsys, "verify", str(SEED_TXT), "--format", "json")[1]
    )


def test_report_of_several_files_into_an_existing_file_is_a_usage_error(tmp_path, capsys):
    page = tmp_path / "page.html"
    page.write_text("mine", encoding="utf-8")
    code, out, err = run(capsys, "report", str(SEED_TXT), str(SEED_DOCX), "-o", str(page))
    assert code == 3 and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert page.read_text(encoding="utf-8") == "mine"
    code, _, err = run(capsys, "report", str(SEED_TXT), "-o", str(SEED_TXT))
    assert code == 3 and "refusing to overwrite an input" in err


def test_report_db_pages_for_long_chinese_and_gbk_file_names(tmp_path, capsys):
    from extractor.ingest import ingest

    folder = tmp_path / "archive"
    folder.mkdir()
    long_name = "示例市某某区某某某某单位关于二〇二三年度部门整体支出绩效自评情况的报告及附件说明" * 2 + ".txt"
    assert len(long_name.encode("utf-8")) < 255  # a legal name, whose page name would not be
    (folder / long_name).write_bytes(SEED_TXT.read_bytes())
    gbk = os.fsencode(folder) + b"/" + "渝水区工商联报告.txt".encode("gbk")
    with open(gbk, "wb") as fh:
        fh.write(SEED_TXT.read_bytes().replace(b"2023", b"2024"))
    db = tmp_path / "r.sqlite"
    ingest([folder], db, workers=1, quiet=True)
    code, out, err = run(capsys, "report", "--db", str(db), "-o", str(tmp_path / "site"))
    assert code == 0, err
    pages = sorted(p.name for p in (tmp_path / "site").iterdir())
    assert len(pages) == 3 and "index.html" in pages
    assert all(len(p.encode("utf-8")) <= 255 for p in pages)
    assert any(p.startswith("渝水区工商联报告-") for p in pages)


def test_readme_exit_code_table_names_every_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("| exit code |") :]
    table = table[: table.index("\n\n")]
    for command in ("extract", "verify", "report", "report --db", "ingest", "export", "audit"):
        assert f"`{command}`" in table, command
    for code in ("0", "1", "2", "3"):
        assert f"\n| {code} |" in table, code

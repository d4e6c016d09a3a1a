"""Control characters in file names and texts never reach a terminal as they are (issue 17).

A newline in a file name must not split the one-line error; an escape sequence or a bidi
override in a name or in the document's text is shown as an escape, not acted on.
"""

from __future__ import annotations

import json

import pytest

from extractor.cli import main
from extractor.errors import CorruptFile, printable

HOSTILE_NAME = "report\n2023\x1b[31m\u202etxt.exe\r"
# Every character that a terminal would act on, in a line of an otherwise ordinary report.
HOSTILE_TEXT = (
    "新城县某某局\x1b]0;pwned\x07\u202e2023年度\u2066部门整体支出绩效自评报告\n2023年度收入总计145.16万元。\n"
)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("a\nb", "a\\nb"),
        ("\x1b[2J", "\\x1b[2J"),
        ("\u202eexe.txt", "\\u202eexe.txt"),
        ("\x85\u2028", "\\x85\\u2028"),
        ("bad\udcff.txt", "bad\\udcff.txt"),
        ("收入\t总计", "收入\\t总计"),
        ("plain 名称.docx", "plain 名称.docx"),
    ],
)
def test_printable_escapes_what_a_terminal_acts_on(raw, shown):
    assert printable(raw) == shown and printable(shown) == shown


def test_read_error_of_a_hostile_name_is_one_line():
    err = CorruptFile(HOSTILE_NAME, "bad\x1b[0m thing\nhere")
    message = str(err)
    assert "\n" not in message and "\x1b" not in message and "\u202e" not in message and "\r" not in message
    assert message == "report\\n2023\\x1b[31m\\u202etxt.exe\\r: bad\\x1b[0m thing here"


@pytest.mark.parametrize("command", ["extract", "verify"])
def test_cli_error_for_a_hostile_file_name_is_one_escaped_line(tmp_path, capsys, command):
    path = tmp_path / HOSTILE_NAME
    path.write_bytes(b"")  # an empty file: exit 2 with one line naming it
    assert main([command, str(path), "--lang", "en"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "\x1b" not in err and "\u202e" not in err
    assert err == f"error: {tmp_path}/report\\n2023\\x1b[31m\\u202etxt.exe\\r: empty file\n"


def test_summary_and_findings_escape_the_file_name(tmp_path, capsys):
    path = tmp_path / "title\x1b.txt"
    path.write_text(HOSTILE_TEXT, encoding="utf-8")
    assert main(["extract", str(path)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\u202e" not in out and "\u2066" not in out and "\x07" not in out
    assert "title\\x1b.txt" in out or "title⟨U+001B⟩.txt" in out
    main(["verify", str(path)])
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\u202e" not in out and out.startswith(f"{tmp_path}/title⟨U+001B⟩.txt：")


def test_json_output_keeps_the_text_exactly(tmp_path, capsys):
    path = tmp_path / "r.txt"
    path.write_text(HOSTILE_TEXT, encoding="utf-8")
    assert main(["extract", str(path), "--json", "--with-text"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert "\x1b]0;pwned\x07\u202e2023" in record["text"]  # data: JSON writes the controls as \u001b, kept exactly


def test_findings_quote_the_text_escaped():
    from extractor.document import Document
    from extractor.model import Finding
    from extractor.output.text import render_findings

    text = "收入总计\x1b[8m145.16\u202e万元"
    finding = Finding(
        rule="SUM001",
        severity="error",
        message="部门\x1b]0;x\x07 disagrees",
        spans=[(0, len(text))],
        expected="1",
        found="2",
    )
    out = render_findings([finding], Document(text=text, format="txt"), "a\nb.txt")
    assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out and out.count("\n") == 2
    assert out.startswith("a\\nb.txt：错误 1") and "收入总计⟨U+001B⟩[8m145.16⟨U+202E⟩万元" in out

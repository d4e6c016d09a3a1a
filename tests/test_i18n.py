"""Chinese for the people who read it, English with --lang en through the gettext catalogue."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from extractor import errors
from extractor.catalogue import po_path, problems, template
from extractor.i18n import _, catalogue, translated, use

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "extractor").rglob("*.py"))


def marked_messages(path: Path) -> list[tuple[int, str]]:
    """Every literal given to ``_()`` or ``N_()`` in a module, f-strings included (Babel's extractor
    does not see a call inside an f-string: such a message would never reach the catalogue)."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("_", "N_")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            out.append((node.lineno, node.args[0].value))
    return out


def test_the_committed_catalogue_is_complete_and_compiled():
    assert problems("en") == [], "run: python -m extractor.catalogue (and translate what it lists)"


def test_every_marked_message_reaches_the_catalogue():
    known = {m.id for m in template() if m.id}
    lost = [
        f"{p.relative_to(ROOT)}:{line} {msg!r}" for p in SOURCES for line, msg in marked_messages(p) if msg not in known
    ]
    assert lost == [], "a _() inside an f-string: mark the message outside it (N_) and translate that"


def _fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None}


def test_translations_keep_every_placeholder():
    from babel.messages.pofile import read_po

    with po_path("en").open("rb") as fh:
        cat = read_po(fh)
    for m in cat:
        if m.id and "{" in m.id and "\n" not in m.id:  # rule docs hold no placeholders
            assert _fields(m.id) == _fields(m.string), m.id


def test_the_language_is_chinese_unless_asked(monkeypatch):
    monkeypatch.delenv("EXTRACTOR_LANG", raising=False)
    assert _("错误") == "错误"
    with use("en"):
        assert _("错误") == "error"
        with use(None):  # a nested "leave it as it is"
            assert _("错误") == "error"
    monkeypatch.setenv("EXTRACTOR_LANG", "en")
    assert _("错误") == "error"
    with use("zh"):
        assert _("错误") == "错误"
    with pytest.raises(ValueError):
        use("fr").__enter__()
    assert translated("错误", "en") and isinstance(catalogue("en").gettext("x"), str)


def _reader_reasons() -> list[tuple[type, str]]:
    """The fixed reasons the readers give their errors (literal strings in the source)."""
    out = []
    for path in sorted((ROOT / "extractor" / "readers").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and hasattr(errors, node.func.id)
                and len(node.args) >= 2
                and isinstance(node.args[1], ast.Constant)
                and isinstance(node.args[1].value, str)
            ):
                out.append((getattr(errors, node.func.id), node.args[1].value))
    return out


def test_read_errors_are_said_in_chinese():
    reasons = _reader_reasons()
    assert len(reasons) > 15
    for cls, reason in reasons:
        said = errors.describe(cls("报告.pdf", reason))
        assert said.startswith("报告.pdf：") and reason not in said, (reason, said)
    assert errors.describe(errors.EncryptedFile("a.pdf", "encrypted PDF")) == "a.pdf：PDF 已加密，请先解除密码"
    assert "%%" not in errors.describe(errors.CorruptFile("a.pdf", "truncated PDF (no %%EOF marker at the end)"))
    with use("en"):
        assert errors.describe(errors.EmptyFile("a.txt", "empty file")) == "a.txt: empty file"


def test_a_reason_not_known_is_kept_after_its_kind():
    said = errors.describe(errors.CorruptFile("a.pdf", "some parser's own words"))
    assert said == "a.pdf：文件已损坏，无法读取（some parser's own words）"
    limit = errors.LimitExceeded(
        "b.txt", "file is 3 bytes (limit 2; raise it with --max-bytes or EXTRACTOR_MAX_BYTES)", limit="max_bytes"
    )
    assert errors.describe(limit) == (
        "b.txt：文件大小超过上限（file is 3 bytes；上限 2，可用 --max-bytes 或 EXTRACTOR_MAX_BYTES 调高）"
    )


def test_cli_speaks_english_when_asked(capsys):
    from extractor.cli import main

    assert main(["--lang", "en", "rules", "HC001"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("HC001 headcount-actual-sum (error, one report)") and "What it checks" in out
    assert main(["rules", "HC001"]) == 0
    assert "检查内容" in capsys.readouterr().out
    assert main(["extract", "samples/yushui-gsl-2023.txt", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "total revenue: 145.16万元" in out and "findings: error 0" in out
    assert main(["extract", "no-such-file.pdf"]) == 2
    assert capsys.readouterr().err.strip() == "错误：no-such-file.pdf：找不到文件"

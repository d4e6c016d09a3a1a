"""The house rules of the code itself: wording lives in patterns/, modules stay small, no cycles."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIELDS = sorted((ROOT / "extractor" / "fields").glob("*.py"))
_CJK_WORD = re.compile(r"[\u3400-\u9fff]")
# the modules whose wording is still being moved into patterns/ (issue 12)
PENDING: set[str] = set()


def _docstring_lines(tree: ast.AST) -> set[int]:
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                lines.update(range(first.lineno, first.end_lineno + 1))
    return lines


def cjk_literals(path: Path) -> list[tuple[int, str]]:
    """String literals written with Chinese characters in the source (docstrings and comments aside)."""
    src = path.read_text(encoding="utf-8")
    docs = _docstring_lines(ast.parse(src))
    out = []
    for tok in tokenize.generate_tokens(io.StringIO(src).readline):
        if tok.type == tokenize.STRING and tok.start[0] not in docs and _CJK_WORD.search(tok.string):
            out.append((tok.start[0], tok.string[:40]))
    return out


@pytest.mark.parametrize("path", [p for p in FIELDS if p.name not in PENDING], ids=lambda p: p.name)
def test_no_chinese_word_list_or_regex_in_field_code(path):
    """Wording is data (patterns/*.toml): a field module names no Chinese word in its code."""
    assert cjk_literals(path) == []


def test_the_check_finds_a_chinese_literal(tmp_path):
    sample = tmp_path / "x.py"
    sample.write_text('"""文档"""\nWORDS = ("合计", "总计")\nRX = "[\\u4e00-\\u9fa5]"\n# 注释\n', encoding="utf-8")
    assert sorted({line for line, _ in cjk_literals(sample)}) == [2]


_WORD_ALTERNATION = re.compile(r"[\u3400-\u9fff]{2}[^|()]*\||\|[^|()]*[\u3400-\u9fff]{2}")


def lookbehinds(pattern: str) -> list[str]:
    """The bodies of the lookbehinds of a regex source (nested groups included)."""
    out = []
    for m in re.finditer(r"\(\?<[!=]", pattern):
        depth, i = 1, m.end()
        while i < len(pattern) and depth:
            if pattern[i] == "\\":
                i += 2
                continue
            if pattern[i] == "[":  # a character class: its brackets are characters
                close = pattern.find("]", i + 2)
                i = close + 1 if close > 0 else len(pattern)
                continue
            depth += {"(": 1, ")": -1}.get(pattern[i], 0)
            i += 1
        out.append(pattern[m.end() : i - 1])
    return out


def test_no_lookbehind_in_the_patterns_lists_words():
    """A qualifier is data (qualifiers.toml), not a lookbehind listing words before a label."""
    hits = []
    for toml in sorted((ROOT / "patterns").glob("*.toml")):
        for n, line in enumerate(toml.read_text(encoding="utf-8").splitlines(), 1):
            if line.lstrip().startswith("#"):
                continue
            if any(_WORD_ALTERNATION.search(body) for body in lookbehinds(line)):
                hits.append(f"{toml.name}:{n}")
    assert hits == []


def test_the_lookbehind_check_finds_a_word_list():
    assert lookbehinds(r"(?<!上年|去年)收入(?<=(?:本|我)单位)") == ["上年|去年", "(?:本|我)单位"]
    assert _WORD_ALTERNATION.search("上年|去年") and not _WORD_ALTERNATION.search("[一-龥]|\\d")

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
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
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


def _module_imports() -> dict[str, set[str]]:
    """extractor's modules and the extractor modules each imports at its top level (an import inside
    a function runs when called, after every module has loaded: it cannot make a cycle)."""
    pkg = ROOT / "extractor"
    graph: dict[str, set[str]] = {}
    for path in sorted(pkg.rglob("*.py")):
        rel = path.relative_to(ROOT).with_suffix("")
        name = ".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
        package = name if rel.name == "__init__" else name.rpartition(".")[0]
        deps = set()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Import):
                deps.update(a.name for a in node.names if a.name.startswith("extractor"))
            elif isinstance(node, ast.ImportFrom):
                base = package.split(".")
                if node.level:
                    base = base[: len(base) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                if target.startswith("extractor"):
                    deps.add(target)
                    deps.update(f"{target}.{a.name}" for a in node.names)
        graph[name] = deps
    return {k: {d for d in v if d in graph and d != k} for k, v in graph.items()}


def cycles_of(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import cycles of a module graph (a package's __init__ and its own modules aside: a
    package importing its modules, which import the package, is how packages work)."""
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for dep in sorted(graph[node]):
            if state.get(dep) == 1 and dep in stack:
                cycles.append(stack[stack.index(dep) :] + [dep])
            elif dep not in state:
                visit(dep, [*stack, dep])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return [c for c in cycles if not any(c[i + 1].startswith(c[i] + ".") for i in range(len(c) - 1))]


def test_no_import_cycle():
    graph = _module_imports()
    assert len(graph) > 40 and "extractor.fields.common" in graph["extractor.fields.prose"]
    assert cycles_of(graph) == []


def test_the_cycle_check_finds_a_cycle():
    assert cycles_of({"x.a": {"x.b"}, "x.b": {"x.c"}, "x.c": {"x.a"}}) == [["x.a", "x.b", "x.c", "x.a"]]
    assert cycles_of({"x": {"x.a"}, "x.a": {"x"}}) == []  # a package and its module


# Names that two modules define as one and the same object on purpose. A re-export is an import,
# which the check does not count; list here only a name assigned in two modules that is still one
# object, and say why. None today.
SAME_OBJECT: dict[str, str] = {}
# A constant (UPPER_CASE) or a class-like name (a class, a type alias); private names (a leading _)
# are read only in their own module, where they cannot be taken for another module's.
_SHARED_KIND = re.compile(r"[A-Z][A-Z0-9_]*|[A-Z][a-z]\w*")


def defined_names(source: str) -> set[str]:
    """The classes, type aliases and UPPER_CASE constants a module defines at its top level
    (inside a top-level ``if`` or ``try`` too; never inside a function or a class)."""
    names: set[str] = set()
    todo = list(ast.parse(source).body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
        elif isinstance(node, (ast.If, ast.Try)):
            todo.extend(node.body + node.orelse + getattr(node, "finalbody", []))
            todo.extend(s for handler in getattr(node, "handlers", []) for s in handler.body)
    return {n for n in names if _SHARED_KIND.fullmatch(n)}


def shared_names(sources: dict[str, str]) -> dict[str, list[str]]:
    """name -> the modules (of ``sources``: module -> its source) that each define it, for every
    class or constant name defined by more than one and not listed in ``SAME_OBJECT``."""
    where: dict[str, list[str]] = {}
    for module, source in sorted(sources.items()):
        for name in defined_names(source):
            where.setdefault(name, []).append(module)
    return {n: ms for n, ms in sorted(where.items()) if len(ms) > 1 and n not in SAME_OBJECT}


def test_no_two_modules_define_a_class_or_constant_of_the_same_name():
    """One name, one meaning: two modules' ``Budget`` (a report's budget, a document's resource
    allowance) or ``KINDS`` read the same at the place of use and are not. Rename one to say what it
    is; if both are the same thing, define it once and import it."""
    pkg = ROOT / "extractor"
    sources = {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in sorted(pkg.rglob("*.py"))}
    assert len(sources) > 40
    assert shared_names(sources) == {}


def test_the_name_check_finds_a_duplicate():
    a = "class Budget:\n    pass\n\nLIMIT = 1\n_PRIVATE = 2\nlower = 3\n"
    b = (
        "from a import LIMIT\n"  # an import is not a definition
        "try:\n    import x\nexcept ImportError:\n    Budget = None\n"
        "_PRIVATE = 4\nlower = 5\n\n\ndef f():\n    LIMIT = 6\n"
    )
    assert defined_names(a) == {"Budget", "LIMIT"}
    assert shared_names({"a": a, "b": b}) == {"Budget": ["a", "b"]}
    assert shared_names({"a": a, "c": "LIMIT: int = 7\n"}) == {"LIMIT": ["a", "c"]}


MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def oversized(paths) -> list[str]:
    """Modules over ``MAX_MODULE_LINES`` lines and functions over ``MAX_FUNCTION_LINES`` (def to
    last line, docstring included), as the code stands formatted."""
    out = []
    for path in paths:
        src = path.read_text(encoding="utf-8")
        if src.count("\n") > MAX_MODULE_LINES:
            out.append(f"{path.name}: {src.count(chr(10))} lines")
        for node in ast.walk(ast.parse(src)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    out.append(f"{path.name}:{node.lineno} {node.name}: {length} lines")
    return out


def test_modules_and_functions_stay_small():
    assert oversized(sorted((ROOT / "extractor").rglob("*.py")) + [ROOT / "cli.py"]) == []


def test_the_size_check_finds_a_long_function(tmp_path):
    sample = tmp_path / "big.py"
    sample.write_text("def f():\n" + "    x = 1\n" * 70 + "\n\ndef g():\n    return 1\n", encoding="utf-8")
    assert oversized([sample]) == ["big.py:1 f: 71 lines"]

"""Only public APIs of other packages (issue 16): no private name of a third-party module, no
private attribute the project does not define itself, no copied ctypes function pointers; and
the regex cache's unpickler loads a Pattern and nothing else."""

from __future__ import annotations

import ast
import io
import pickle
import re
import sys
from pathlib import Path

import pytest

from extractor import patterns

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted(
    p
    for folder in ("extractor", "bench", "tests", "samples", "patterns")
    for p in (ROOT / folder).rglob("*.py")
    if ".venv" not in p.parts
) + [ROOT / "cli.py"]
# Rebuilding ctypes function pointers to call a library's functions bypassing its declarations.
COPIED_POINTERS = re.compile(r"\b(?:argtypes|restype)\s*=|CFUNCTYPE|PYFUNCTYPE|ctypes\.cast\(")


def _project_names() -> set[str]:
    """Top-level module names of the project (importable from its folders)."""
    names = {"extractor", "patterns", "cli", "conftest"}
    for folder in ("tests", "bench", "samples"):
        names |= {p.stem for p in (ROOT / folder).glob("*.py")}
    return names


def _third_party(module: str, project: set[str]) -> bool:
    top = module.split(".")[0]
    return bool(top) and top not in project and top not in sys.stdlib_module_names and top != "__future__"


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _defined(trees: dict[Path, ast.AST]) -> set[str]:
    """Every private name the project defines: functions, classes, assigned names and attributes,
    slots, parameters."""
    names: set[str] = set()
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and _private(node.value):
                names.add(node.value)  # __slots__ entries, setattr names
    return {n for n in names if _private(n)}


def _trees() -> dict[Path, ast.AST]:
    return {path: ast.parse(path.read_text("utf-8"), str(path)) for path in FILES}


def _module_aliases(tree: ast.AST, keep) -> set[str]:
    """Names a file binds to modules (or their members) for which ``keep(module)`` holds."""
    aliases: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            aliases |= {a.asname or a.name.split(".")[0] for a in node.names if keep(a.name)}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and keep(node.module or ""):
            aliases |= {a.asname or a.name for a in node.names}
    return aliases


def _base_name(node: ast.Attribute) -> str | None:
    base = node.value
    while isinstance(base, ast.Attribute):
        base = base.value
    return base.id if isinstance(base, ast.Name) else None


def private_module_uses(trees: dict[Path, ast.AST]) -> list[str]:
    """Private names imported from, or reached through, a third-party module."""
    project, found = _project_names(), []
    for path, tree in trees.items():
        third = _module_aliases(tree, lambda m: _third_party(m, project))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found += [
                    f"{path.name}:{node.lineno} import {a.name}"
                    for a in node.names
                    if _third_party(a.name, project) and any(map(_private, a.name.split(".")))
                ]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and _third_party(node.module or "", project):
                found += [
                    f"{path.name}:{node.lineno} from {node.module} import {a.name}"
                    for a in node.names
                    if _private(a.name) or any(map(_private, (node.module or "").split(".")))
                ]
            elif isinstance(node, ast.Attribute) and _private(node.attr) and _base_name(node) in third:
                found.append(f"{path.name}:{node.lineno} {_base_name(node)}…{node.attr}")
    return found


def undefined_private_attributes(trees: dict[Path, ast.AST], defined: set[str]) -> list[str]:
    """``x._name`` where no code of the project defines ``_name`` and x is no standard module
    (``os._exit`` is documented): another package's internals, such as a page's ``_objects``."""
    found = []
    for path, tree in trees.items():
        stdlib = _module_aliases(tree, lambda m: m.split(".")[0] in sys.stdlib_module_names)
        found += [
            f"{path.relative_to(ROOT) if path.is_absolute() else path}:{node.lineno} .{node.attr}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute)
            and _private(node.attr)
            and node.attr not in defined
            and _base_name(node) not in stdlib
        ]
    return found


def copied_pointers(sources: dict[Path, str]) -> list[str]:
    return [
        f"{path.name}:{n}: {line.strip()}"
        for path, text in sources.items()
        for n, line in enumerate(text.splitlines(), 1)
        if COPIED_POINTERS.search(line)
    ]


def _own_trees() -> dict[Path, ast.AST]:
    return {p: t for p, t in _trees().items() if p.name != Path(__file__).name}


def test_no_private_name_of_a_third_party_module():
    assert not private_module_uses(_trees())


def test_no_private_attribute_the_project_does_not_define():
    trees = _own_trees()
    found = set(undefined_private_attributes(trees, _defined(trees)))
    assert not found, sorted(found)


def test_no_copied_ctypes_function_pointers():
    assert not copied_pointers({p: p.read_text("utf-8") for p in FILES if p.name != Path(__file__).name})


def test_the_checks_catch_what_they_look_for():
    """The scans flag the shapes the PDF reader and the pattern loader once used."""
    snippet = Path("snippet.py")
    defined = _defined(_own_trees())
    assert private_module_uses({snippet: ast.parse("from regex import _regex")})
    assert private_module_uses({snippet: ast.parse("import pdfplumber\npdfplumber.table._step()")})
    assert private_module_uses({snippet: ast.parse("import pypdfium2.raw as c\nc._libs")})
    assert not private_module_uses({snippet: ast.parse("import pypdfium2.raw as c\nc.FPDF_LoadPage")})
    assert undefined_private_attributes({snippet: ast.parse("page._objects = {}")}, defined)
    assert not undefined_private_attributes({snippet: ast.parse("import os\nos._exit(0)")}, defined)
    assert copied_pointers({snippet: "copy = type(fn)(ctypes.cast(fn, ctypes.c_void_p).value)\ncopy.argtypes = None"})


def test_the_regex_cache_loads_patterns_and_nothing_else():
    compiled = patterns.compile_regex(r"收入(\d+)")
    data = pickle.dumps(compiled)
    assert patterns._from_cache(data).pattern == compiled.pattern
    evil = pickle.dumps(print)  # names builtins.print: refused, never called
    assert patterns._from_cache(evil) is None
    with pytest.raises(pickle.UnpicklingError):
        patterns._PatternUnpickler(io.BytesIO(evil)).load()
    assert patterns._from_cache(b"not a pickle") is None and patterns._from_cache(("old", "tuple")) is None

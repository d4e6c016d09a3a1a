"""The wordings and layouts of the standard national templates (tests/wording_probe.toml), issue 12.

Each case of ``wording_probe.toml`` is an invented snippet in the wording and layout of a national
template (项目支出绩效自评表, 部门整体支出绩效自评表, the 部门决算 public tables, the usual prose of a
self-evaluation report) and the values it must give; ``absent`` paths must stay empty, a wrong
value being worse than a missing one, and the snippets' figures agree, so an error finding on one is a
false error. A case with a ``gap`` is a wording not read yet (strict xfail).
"""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from extractor import extract_text

CASES = tomllib.loads((Path(__file__).parent / "wording_probe.toml").read_text(encoding="utf-8"))["case"]


def _find(items, name):
    """The item named ``name``, or the one whose name adds a note to it ("教育支出(类)")."""
    return next((i for i in items if i.name == name), None) or next((i for i in items if i.name.startswith(name)), None)


def pick(report, path: str):
    """The value at ``path`` of an extracted report, as the cases write it."""
    head, _, rest = path.partition("/")
    if head == "grade_bands":
        gb = report.grade_bands
        if gb is None or gb.source != "report":
            return None
        return [[b.grade, _s(b.min), _s(b.max)] for b in gb.bands]
    obj = report
    for key in head.split("."):
        obj = getattr(obj, key)
    if head == "indicators":
        node = None
        for name in rest.split("/"):
            node = next((i for i in (obj if node is None else node.children) if i.name.startswith(name)), None)
            if node is None:
                return None
        return [_s(node.max and node.max.value), _s(node.score and node.score.value)]
    if rest:
        item = _find(obj, rest)
        money = None if item is None else getattr(item, "amount", None) or item.total  # a budget source: its 年初预算数
        return None if money is None else _s(money.value)
    return None if obj is None else (obj.value if isinstance(obj.value, int) else _s(obj.value))


def _s(value):
    return None if value is None else (str(value) if not isinstance(value, Decimal) else format(value, "f"))


def _expected(value):
    """A case's value: "" inside a list stands for a figure the text does not state."""
    return [_expected(v) for v in value] if isinstance(value, list) else (None if value == "" else value)


def _same(found, expected) -> bool:
    if isinstance(expected, str) and isinstance(found, str):
        return Decimal(found) == Decimal(expected) if found[:1].isdigit() else found == expected
    if isinstance(expected, list) and isinstance(found, list):
        return len(found) == len(expected) and all(_same(f, e) for f, e in zip(found, expected, strict=True))
    return found == expected


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(c, id=c["id"], marks=[pytest.mark.xfail(strict=True, reason=c["gap"])] if "gap" in c else [])
        for c in CASES
    ],
)
def test_template_wording(case):
    result = extract_text(case["text"])
    report = result.report
    expected = {p: _expected(v) for p, v in case.get("expect", {}).items()} | dict.fromkeys(case.get("absent", ()))
    wrong = {p: (pick(report, p), e) for p, e in expected.items() if not _same(pick(report, p), e)}
    assert not wrong, wrong
    # every snippet's figures agree with each other: an error finding on one is a false error
    assert [(f.rule, f.message) for f in result.findings if f.severity == "error"] == []


def test_the_cases_are_well_formed():
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids))
    for c in CASES:
        assert set(c) <= {"id", "text", "expect", "absent", "gap"}, c["id"]
        assert c.get("expect") or c.get("absent"), c["id"]

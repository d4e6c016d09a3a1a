"""Fault injection over the clean samples: every breaking change caught, no rounding change flagged.

The work is done by ``bench/fault_injection.py`` (run it to see the table); this test holds it
to its target on the committed samples (.txt and .docx).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted([*(ROOT / "samples").glob("*.txt"), *(ROOT / "samples").glob("*.docx")])

_spec = importlib.util.spec_from_file_location("fault_injection", ROOT / "bench" / "fault_injection.py")
fault_injection = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = fault_injection  # its dataclasses look their module up while being built
_spec.loader.exec_module(fault_injection)


@pytest.fixture(scope="module")
def results():
    if not SAMPLES:
        pytest.skip("no samples/*.txt or samples/*.docx")
    return fault_injection.run(SAMPLES)


# A known gap, shown by the 决算 workbook sample: a 决算 states 收入总计 and 支出总计 (each holding
# its carry-over) beside the year's totals (本年收入合计, 本年支出合计); SUM004 balances only the
# grand totals, which stay equal when a carry-over is changed. It is caught once SUM004 also
# balances the year's totals (candidates revenue.total.of_year / expenditure.total.of_year).
KNOWN_GAPS = {("jiangbei-tjj-2023", "report.carryover.start"), ("jiangbei-tjj-2023", "report.carryover.end")}


def _known_gap(outcome) -> bool:
    return (Path(outcome.sample).stem, outcome.mutation.figure.path) in KNOWN_GAPS


def _lines(outcomes) -> str:
    return "\n".join(f"{o.sample} {o.mutation.figure.path} {o.mutation.what}: {o.detail}" for o in outcomes)


def test_every_breaking_change_is_caught_or_declared_uncheckable(results):
    missed = [o for o in results.outcomes if o.result == "missed" and not _known_gap(o)]
    assert not missed, _lines(missed)
    breaking = results.count("break")
    assert breaking["detected"] >= 0.95 * sum(breaking.values()), breaking


@pytest.mark.xfail(strict=True, reason="SUM004 does not balance a 决算's year totals (KNOWN_GAPS)")
def test_known_gaps_are_caught(results):
    missed = [o for o in results.outcomes if o.result == "missed" and _known_gap(o)]
    assert not missed, _lines(missed)


def test_rounding_only_changes_raise_no_error(results):
    alarms = [o for o in results.outcomes if o.result == "false-alarm"]
    assert not alarms, _lines(alarms)
    assert sum(results.count("rounding").values()) > 0


def test_every_mutation_reaches_the_file_and_the_extractor(results):
    lost = [o for o in results.outcomes if o.result in ("unplaced", "extraction-changed")]
    assert not lost, _lines(lost)


def test_both_formats_and_every_kind_of_figure_are_mutated(results):
    suffixes = {Path(o.sample).suffix for o in results.outcomes}
    assert {".txt", ".docx"} <= suffixes
    paths = " ".join(o.mutation.figure.path for o in results.outcomes)
    for kind in ("amount", "share", "headcount", "indicators", "total_score", "grade", "carryover"):
        assert kind in paths, kind


def test_mutation_helpers():
    assert fault_injection._bump("145.16") == "146.16"
    assert fault_injection._bump("9") == "8"
    assert fault_injection._bump("0") == "1"
    assert fault_injection._occurrences("7人，17人，7.5分，7", "7") == [0, 12]

"""Findings as rows for a batch (``verify --format json|csv``): one JSON object or one CSV row per
finding, each with the path of its file."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from ..model import Finding, dump
from ..outfile import neutralise

FINDING_COLUMNS = ("path", "rule", "severity", "message", "fields", "spans", "expected", "found")


def finding_rows(path: str, findings: Iterable[Finding]) -> Iterator[dict]:
    """Each finding as its JSON object (FIELDS.md), the file's path first."""
    for finding in findings:
        yield {"path": path, **dump(finding)}


def csv_cells(row: dict) -> list[str]:
    """A finding's row as CSV cells in ``FINDING_COLUMNS`` order: lists as JSON, None empty, and
    no cell a spreadsheet would run as a formula."""
    cells = (row[key] for key in FINDING_COLUMNS)
    return [
        neutralise(json.dumps(v, ensure_ascii=False) if isinstance(v, list) else "" if v is None else str(v))
        for v in cells
    ]

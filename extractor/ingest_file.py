"""The per-file function of an ingest, run in a worker process or on a Dask worker: read, extract
and verify one file, and return the rows the parent writes to the store (``process_file``)."""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from pathlib import Path

from . import store

# The warning a file gets when nothing in it looks like a report (status 'not-a-report').
NOT_A_REPORT_RULE = "ING001"
NOT_A_REPORT_MESSAGE = "未识别出报告标题、单位、年度或任何数字：该文件不像绩效自评报告，请人工查看。"


def _is_report(values: list[tuple], report: dict) -> bool:
    """Anything a report has: a title, a unit, a year, or any figure (a count, an amount, a score)."""
    if any(report.get(k) for k in ("title", "department", "fiscal_year")):
        return True
    # A row's decimals are set for amounts and scores; counts are integers.
    return any(row[8] is not None or (isinstance(row[1], int) and not isinstance(row[1], bool)) for row in values)


def process_file(path: str, sha256: str | None = None) -> dict:
    """Read, extract and verify one file; the result is what ``store.write_document`` writes.

    ``sha256`` is the hash the parent computed: if the bytes read here differ, the file
    changed in between and the result is an error rather than a record under the wrong key.
    """
    from .errors import LimitExceeded, ReadError

    started = time.perf_counter()
    shown = store.display_path(path)
    unread = {"sha256": sha256, "path": shown, "status": "error"}
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        return {**unread, "error_code": "vanished", "error": "the file disappeared before it was read"}
    except OSError as exc:
        return {**unread, "error_code": "unreadable", "error": f"cannot read: {exc.strerror or exc}"}
    digest = hashlib.sha256(data).hexdigest()
    result: dict = {"sha256": sha256 or digest, "path": shown, "size": len(data)}
    if sha256 and digest != sha256:
        return {**result, "status": "error", "error_code": "changed", "error": "file changed while being ingested"}
    try:
        result.update(_record_rows(_extract_within_budget(data, shown)))
    except ReadError as exc:
        # a document still over the time budget at its second try is a timeout: retried on a later run
        timed_out = isinstance(exc, LimitExceeded) and exc.limit == "max_seconds"
        result.update(status="error", error_code="timeout" if timed_out else exc.code, error=exc.reason)
    return {**result, "seconds": time.perf_counter() - started}


def _record_rows(extraction) -> dict:
    """What the store keeps of an extraction: its status, the record as JSON, the text, and the
    rows of its values and findings."""
    from .output.json import to_dict

    record = to_dict(extraction)
    values = store.flatten_values(record["report"])
    status, error = "ok", None
    if not _is_report(values, record["report"]):
        status, error = "not-a-report", NOT_A_REPORT_MESSAGE
        warning = {"rule": NOT_A_REPORT_RULE, "severity": "warning", "message": error, "fields": [], "spans": []}
        record["findings"].append({**warning, "expected": None, "found": None})
    key, found = store.report_identity(record["report"])
    source = record["source"]
    return {
        "status": status,
        "error": error,
        **{k: source[k] for k in ("format", "pages", "chars", "encoding")},
        "record": json.dumps(record, ensure_ascii=False),
        "text": extraction.document.text,
        "values": values,
        "findings": store.flatten_findings(record["findings"]),
        "severities": dict(Counter(f["severity"] for f in record["findings"])),
        "report_key": key if status == "ok" else None,
        "fields_found": found,
    }


def _extract_within_budget(data: bytes, shown: str):
    """Read, extract and verify under one time budget (``EXTRACTOR_MAX_SECONDS``), tried once more
    when it runs out (a busy machine may have slowed it); the budget never lets a worker hang."""
    from .errors import LimitExceeded
    from .pipeline import extract_bytes

    try:
        return extract_bytes(data, name=shown, path=shown)
    except LimitExceeded as exc:
        if exc.limit != "max_seconds":
            raise
    return extract_bytes(data, name=shown, path=shown)

"""What a record (FIELDS.md JSON) says, as the store keeps it: its rows of values and findings,
its registry figures, and its identity as a report (the same report in any format)."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal, InvalidOperation


def _lookup(report: dict, entry):
    node = report
    for key in entry.path.split(".")[1:]:
        node = node.get(key) if isinstance(node, dict) else None
        if node is None:
            return None
    if entry.by_type is not None:
        node = next((i.get("amount") for i in node if isinstance(i, dict) and i.get("name") == entry.by_type), None)
    return node.get("value") if isinstance(node, dict) else None


def registry_values(report: dict) -> dict[str, object]:
    """column -> value of every registry field the report dict (FIELDS.md JSON) holds."""
    from .store_schema import field_entries

    out = {}
    for entry in field_entries():
        value = _lookup(report, entry)
        if value is not None:
            out[entry.column] = value
    return out


def report_identity(report: dict) -> tuple[str | None, int]:
    """(report key, fields found) of a report dict.

    Copies of one report in several formats state the same unit, year, kind and figures: they
    share the key, and the store's ``reports`` view gives them one row. A report with no unit
    or no year has no key (it is a report of its own: nothing says which others it equals).
    """
    from .store_schema import field_entries

    values = registry_values(report)
    unit, year = values.get(_column("department")), values.get(_column("fiscal_year"))
    if unit in (None, "") or year is None:
        return None, len(values)
    unit = "".join(str(unit).split())
    figures = sorted((e.column, _same(values.get(e.column), e.type)) for e in field_entries() if e.type != "text")
    blob = json.dumps([unit, figures], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest(), len(values)


def _same(value, kind: str) -> str:
    """A figure as the key compares it: 145.16 and 145.1600 (a table's places) are the same amount."""
    if value is not None and kind in ("money", "percent", "points"):
        try:
            return format(Decimal(str(value)).normalize(), "f")
        except InvalidOperation:
            pass
    return str(value)


def _column(key: str) -> str:
    from .field_registry import BY_KEY

    return BY_KEY[key].column


def flatten_values(report: dict) -> list[tuple]:
    """One row per grounded value of a report dict (FIELDS.md JSON), in document order of the record.

    A grounded value is any object with ``value``, ``raw`` and ``span``; its row is
    (field, value, raw, span_start, span_end, page, pattern, unit, decimals, approx).
    """
    rows: list[tuple] = []

    def walk(node, path: str) -> None:
        if isinstance(node, dict):
            if "raw" in node and "span" in node and "value" in node:
                value = node["value"]
                if isinstance(value, list | dict):
                    value = json.dumps(value, ensure_ascii=False)
                elif isinstance(value, bool):
                    value = int(value)
                span = node.get("span") or (None, None)
                approx = node.get("approx")
                rows.append(
                    (
                        path,
                        value,
                        node.get("raw"),
                        span[0],
                        span[1],
                        node.get("page"),
                        node.get("pattern"),
                        node.get("unit"),
                        node.get("decimals"),
                        None if approx is None else int(approx),
                    )
                )
                return
            for key, child in node.items():
                walk(child, f"{path}.{key}")
        elif isinstance(node, list):
            for i, child in enumerate(node):
                walk(child, f"{path}[{i}]")

    walk(report, "report")
    return rows


def flatten_findings(findings: list[dict]) -> list[tuple]:
    """Rows (seq, rule, severity, message, fields, spans, expected, found) of a record's findings."""
    return [
        (
            i,
            f["rule"],
            f["severity"],
            f["message"],
            json.dumps(f.get("fields", []), ensure_ascii=False),
            json.dumps(f.get("spans", [])),
            f.get("expected"),
            f.get("found"),
        )
        for i, f in enumerate(findings)
    ]

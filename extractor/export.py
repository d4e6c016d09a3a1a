"""Export the store's ``reports`` view: CSV or Parquet (one row per report), JSONL (plus the full record)."""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path

from . import store

FORMATS = ("csv", "jsonl", "parquet")
INTEGER_COLUMNS = ("paths", "fiscal_year", "headcount_authorized", "headcount_actual", "headcount_in_service",
                   "headcount_retired", "errors", "warnings")
# Exact figures: Parquet gets them as decimals (money in yuan, scores), never as floats.
DECIMAL_COLUMNS = (*store.MONEY_COLUMNS, "total_score", "max_score")
# Places a Parquet decimal column may carry; a figure finer than this keeps the column as text.
MAX_DECIMAL_SCALE = 6


def report_rows(conn, *, with_record: bool = False) -> Iterator[dict]:
    """The rows of the ``reports`` view in a stable order; with the paths and the parsed record if asked."""
    columns = ", ".join(store.REPORT_COLUMNS)
    rows = conn.execute(f"SELECT {columns} FROM reports ORDER BY department, fiscal_year, path, sha256")  # noqa: S608
    for row in rows:
        item = dict(zip(store.REPORT_COLUMNS, row, strict=True))
        if with_record:
            sha = item["sha256"]
            item["all_paths"] = [p for (p,) in conn.execute("SELECT path FROM paths WHERE sha256 = ? ORDER BY path", (sha,))]
            (record,) = conn.execute("SELECT record FROM documents WHERE sha256 = ?", (sha,)).fetchone()
            item["record"] = json.loads(record) if record else None
        yield item


def export(db: str | os.PathLike, fmt: str, out: str | os.PathLike) -> int:
    """Write the reports of store ``db`` to ``out`` ("-" for stdout, not for parquet); returns the row count."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")
    conn = store.connect(db, create=False)
    try:
        if fmt == "parquet":
            if os.fspath(out) == "-":
                raise ValueError("parquet cannot be written to stdout; give a file with -o")
            return _write_parquet(list(report_rows(conn)), Path(out))
        with _open_text(out) as fh:
            if fmt == "csv":
                return _write_csv(report_rows(conn), fh)
            return _write_jsonl(report_rows(conn, with_record=True), fh)
    finally:
        conn.close()


class _open_text:
    """A text file for writing, or stdout for "-" (left open)."""

    def __init__(self, out):
        self.out = os.fspath(out)
        self.fh = None

    def __enter__(self):
        # newline="" lets the csv module write its own \r\n line ends, as RFC 4180 wants.
        self.fh = sys.stdout if self.out == "-" else open(self.out, "w", encoding="utf-8", newline="")  # noqa: SIM115
        return self.fh

    def __exit__(self, *exc):
        if self.fh is not sys.stdout:
            self.fh.close()


def _write_csv(rows, fh) -> int:
    writer = csv.DictWriter(fh, fieldnames=store.REPORT_COLUMNS)
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow(row)
        n += 1
    return n


def _write_jsonl(rows, fh) -> int:
    n = 0
    for row in rows:
        fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        n += 1
    return n


def _decimal_type(values: list):
    """A pyarrow decimal type that holds every value exactly, or None if one does not fit."""
    import pyarrow as pa

    scale = 0
    for v in values:
        if v is None:
            continue
        exponent = v.as_tuple().exponent
        if not isinstance(exponent, int):  # NaN or infinity
            return None
        scale = max(scale, -exponent)
    if scale > MAX_DECIMAL_SCALE:
        return None
    return pa.decimal128(38, scale)


def _write_parquet(rows: list[dict], out: Path) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise ValueError("parquet export needs pyarrow (pip install pyarrow)") from exc
    arrays, fields = [], []
    for name in store.REPORT_COLUMNS:
        column = [r[name] for r in rows]
        if name in INTEGER_COLUMNS:
            array = pa.array([None if v is None else int(v) for v in column], type=pa.int64())
        elif name in DECIMAL_COLUMNS:
            try:
                decimals = [None if v is None else Decimal(str(v)) for v in column]
            except InvalidOperation:
                decimals = None
            kind = _decimal_type(decimals) if decimals is not None else None
            if kind is not None:
                array = pa.array([None if d is None else d.quantize(Decimal(1).scaleb(-kind.scale)) for d in decimals],
                                 type=kind)
            else:
                array = pa.array([None if v is None else str(v) for v in column], type=pa.string())
        else:
            array = pa.array([None if v is None else str(v) for v in column], type=pa.string())
        arrays.append(array)
        fields.append(pa.field(name, array.type))
    pq.write_table(pa.Table.from_arrays(arrays, schema=pa.schema(fields)), out)
    return len(rows)

"""Export the store's reports — one row per report — as CSV, JSON Lines or Parquet, with a fixed schema.

The columns and their types come from ``export_columns()``, built from the field registry and
never from the data: every export of every store has the same columns of the same types, so
two exports load together (money as ``decimal(20,2)`` in yuan, ``_yuan`` in its name; counts
and years as int64; ``ingested_at`` as a UTC timestamp). A figure that does not fit its
column (finer than a fen, or too large) is never rounded: its cell is left empty and its exact
value is put in the row's ``unfit_figures`` (a JSON object, column -> decimal string).
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from . import store
from .outfile import atomic_write, neutralise, refuse_overwrite

EXPORT_FORMATS = ("csv", "jsonl", "parquet")
# Money in yuan to the fen, up to 10^18 yuan: every amount a report writes in 元, 万元 (to six
# places) or 亿元 fits; a finer one goes to unfit_figures rather than being rounded.
MONEY_DECIMAL = (20, 2)
# Scores and percentages (a rate of 98.765%, a score of 8.25 points).
NUMBER_DECIMAL = (12, 4)
_KINDS = {
    "text": "text",
    "kind": "text",
    "grade": "text",
    "year": "int",
    "count": "int",
    "money": "money",
    "percent": "number",
    "points": "number",
}
_LEAD = (
    ("sha256", "text"),
    ("root", "text"),
    ("path", "text"),
    ("copies", "int"),
    ("copy_paths", "json"),
    ("format", "text"),
)
_TAIL = (
    ("indicators", "json"),
    ("errors", "int"),
    ("warnings", "int"),
    ("tool_version", "text"),
    ("patterns_version", "text"),
    ("ingested_at", "timestamp"),
    ("unfit_figures", "json"),
)


@dataclass(frozen=True, slots=True)
class Column:
    """An export column: ``kind`` is text, int, money, number, json or timestamp."""

    name: str
    kind: str
    zh: str = ""

    @property
    def scale(self) -> tuple[int, int] | None:
        return MONEY_DECIMAL if self.kind == "money" else NUMBER_DECIMAL if self.kind == "number" else None


@dataclass(frozen=True, slots=True)
class Exported:
    rows: int
    unfit: int  # figures left empty because they do not fit their column


def export_columns() -> tuple[Column, ...]:
    """The export's columns, in order: the store's ``reports`` view, typed, plus ``unfit_figures``."""
    from .store_schema import field_entries

    fields = tuple(Column(f.column, _KINDS[f.type], f.zh) for f in field_entries())
    return (*(Column(n, k) for n, k in _LEAD), *fields, *(Column(n, k) for n, k in _TAIL))


def _fit(value, column: Column) -> tuple[Decimal | None, bool]:
    """(the value as a Decimal at the column's scale, whether it fits); never rounds."""
    precision, scale = column.scale
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None, False
    if not number.is_finite():
        return None, False
    fixed = number.quantize(Decimal(1).scaleb(-scale))
    if fixed != number or len(fixed.as_tuple().digits) > precision:
        return None, False
    return fixed, True


def typed_rows(conn) -> Iterator[dict]:
    """The rows of the ``reports`` view as Python values of their column's kind, in a stable order."""
    columns = export_columns()
    names = store.report_columns()
    query = f"SELECT * FROM ({store.reports_select()}) ORDER BY root, path, sha256"  # noqa: S608 - generated
    for raw in conn.execute(query):
        row = dict(zip(names, raw, strict=True))
        out, unfit = {}, {}
        for col in columns[:-1]:
            value = row[col.name]
            if value is None:
                out[col.name] = None
            elif col.kind == "int":
                out[col.name] = int(value)
            elif col.scale is not None:
                out[col.name], fits = _fit(value, col)
                if not fits:
                    unfit[col.name] = str(value)
            elif col.kind == "timestamp":
                out[col.name] = datetime.fromisoformat(value)
            elif col.kind == "json":
                out[col.name] = json.loads(value)
            else:
                out[col.name] = str(value)
        out["unfit_figures"] = unfit or None
        yield out


def export(
    db: str | os.PathLike, fmt: str, out: str | os.PathLike, *, excel: bool = False, with_record: bool = False
) -> Exported:
    """Write the reports of store ``db`` to ``out`` ("-" for stdout, not for parquet).

    ``excel`` writes CSV as UTF-8 with a byte-order mark, which Excel needs to read Chinese.
    ``with_record`` adds each report's full record (FIELDS.md JSON) to JSON Lines, as ``record``.
    The file appears complete or not at all (written beside, then renamed), and is never the
    store itself.
    """
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (one of {', '.join(EXPORT_FORMATS)})")
    if excel and fmt != "csv":
        raise ValueError("--excel is for CSV only")
    if with_record and fmt != "jsonl":
        raise ValueError("--with-record is for JSON Lines only")
    target = os.fspath(out)
    if fmt == "parquet" and target == "-":
        raise ValueError("parquet cannot be written to stdout; give a file with -o")
    if target != "-":
        refuse_overwrite(target, store.store_files(db), what="the store")
    conn = store.connect_readonly(db, check=True)
    try:
        rows = _checked(typed_rows(conn), db)
        if fmt == "parquet":
            return atomic_write(target, lambda path: _write_parquet(rows, path))
        encoding = "utf-8-sig" if excel else "utf-8"
        writer = _write_csv if fmt == "csv" else (lambda r, fh: _write_jsonl(r, fh, conn if with_record else None))
        if target == "-":
            return writer(rows, sys.stdout)
        return atomic_write(target, lambda path: _with_text(path, encoding, lambda fh: writer(rows, fh)))
    finally:
        conn.close()


def _checked(rows: Iterator[dict], db) -> Iterator[dict]:
    """The rows, with a damaged page met half-way turned into one clear StoreError."""
    import sqlite3

    try:
        yield from rows
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
        raise store.StoreError(f"{db}: the store is damaged ({store.damage(exc)}); {store.RESTORE}") from None


def _with_text(path: str, encoding: str, write):
    # newline="" lets the csv module write its own \r\n line ends, as RFC 4180 wants.
    with open(path, "w", encoding=encoding, newline="") as fh:
        return write(fh)


def _cell(value, column: Column) -> str:
    """A value as CSV text: decimals at the column's scale, JSON compact, formulas neutralised."""
    if value is None:
        return ""
    if column.kind == "json":
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if column.kind == "timestamp":
        return value.isoformat()
    # Only text is neutralised: a negative amount stays a number.
    return neutralise(str(value)) if column.kind == "text" else str(value)


def _write_csv(rows, fh) -> Exported:
    columns = export_columns()
    writer = csv.writer(fh)
    writer.writerow([c.name for c in columns])
    n = unfit = 0
    for row in rows:
        writer.writerow([_cell(row[c.name], c) for c in columns])
        n += 1
        unfit += len(row["unfit_figures"] or ())
    return Exported(n, unfit)


def _json_value(value):
    if isinstance(value, Decimal):
        return str(value)  # exact: a JSON number would be a float to most readers
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _write_jsonl(rows, fh, conn=None) -> Exported:
    n = unfit = 0
    for row in rows:
        item = {k: _json_value(v) for k, v in row.items()}
        if conn is not None:
            (record,) = conn.execute("SELECT record FROM documents WHERE sha256 = ?", (row["sha256"],)).fetchone()
            item["record"] = json.loads(record) if record else None
        fh.write(json.dumps(item, ensure_ascii=False) + "\n")
        n += 1
        unfit += len(row["unfit_figures"] or ())
    return Exported(n, unfit)


def arrow_schema():
    """The Parquet schema: the same for every export (money decimal128(20, 2), with unit metadata)."""
    import pyarrow as pa

    types = {
        "text": pa.string(),
        "json": pa.string(),
        "int": pa.int64(),
        "money": pa.decimal128(*MONEY_DECIMAL),
        "number": pa.decimal128(*NUMBER_DECIMAL),
        "timestamp": pa.timestamp("us", tz="UTC"),
    }
    fields = []
    for c in export_columns():
        meta = {"unit": "yuan"} if c.kind == "money" else {}
        if c.zh:
            meta["zh"] = c.zh
        if c.kind == "json":
            meta["format"] = "json"
        fields.append(pa.field(c.name, types[c.kind], metadata=meta or None))
    return pa.schema(fields)


def _write_parquet(rows, out: str) -> Exported:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise ValueError("parquet export needs pyarrow (pip install pyarrow)") from exc
    schema = arrow_schema()
    data = {name: [] for name in schema.names}
    n = unfit = 0
    for row in rows:
        for c in export_columns():
            value = row[c.name]
            if c.kind == "json" and value is not None:
                value = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            data[c.name].append(value)
        n += 1
        unfit += len(row["unfit_figures"] or ())
    pq.write_table(pa.Table.from_pydict(data, schema=schema), out)
    return Exported(n, unfit)

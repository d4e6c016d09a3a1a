"""The SQLite store for bulk ingestion: one import for its parts, and the write of one document.

One database holds many reports, keyed by the sha256 of the file's bytes, and every path each
was seen at, relative to the archive's root folder. Every write of a document is one
transaction, so a run killed at any moment leaves each document either fully there or not
there at all. The parent process of an ingest is the only writer; two ingests on one store
take turns (``ingest_lock``). Opening the store is in ``store_open.py``, its roots and paths in
``store_paths.py``, the SQL in ``store_schema.py``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

# The parts, importable from here as they always were.
from .store_open import (  # noqa: F401
    BUSY_TIMEOUT_ENV,
    DEFAULT_BUSY_TIMEOUT,
    LOCK_SUFFIX,
    RESTORE,
    STORE_SUFFIXES,
    StoreError,
    busy_timeout,
    connect,
    connect_readonly,
    damage,
    describe_error,
    ingest_lock,
    now,
    store_files,
    transaction,
)
from .store_paths import (  # noqa: F401
    LEGACY_ROOT,
    add_root,
    display_path,
    inside,
    link_path,
    live_sha,
    make_current,
    mark_missing,
    place,
    prune,
    relative,
    roots,
)

# What a record says, for the store.
from .store_rows import flatten_findings, flatten_values, registry_values, report_identity  # noqa: F401
from .store_schema import STORE_SCHEMA_VERSION, report_columns, reports_select

__all__ = [
    "STORE_SCHEMA_VERSION",
    "StoreError",
    "connect",
    "connect_readonly",
    "report_columns",
    "reports_select",
    "transaction",
    "write_document",
]


def stored(conn: sqlite3.Connection, sha256: str) -> dict | None:
    """What the store holds of a document (versions, status, error code, attempts), or None."""
    row = conn.execute(
        "SELECT tool_version, patterns_version, status, error_code, attempts FROM documents WHERE sha256 = ?", (sha256,)
    ).fetchone()
    if row is None:
        return None
    return dict(zip(("tool_version", "patterns_version", "status", "error_code", "attempts"), row, strict=True))


# The documents table's columns, in its order.
DOCUMENT_COLUMNS = (
    "sha256",
    "format",
    "size",
    "status",
    "error_code",
    "error",
    "attempts",
    "tool_version",
    "patterns_version",
    "ingested_at",
    "seconds",
    "pages",
    "chars",
    "encoding",
    "report_key",
    "fields_found",
    "record",
)


def _document_row(result: dict, **stamps) -> dict:
    """A worker's result as its documents row; ``stamps`` are the attempt and the versions."""
    row = {column: result.get(column) for column in DOCUMENT_COLUMNS}
    row.update(sha256=result["sha256"], status=result["status"], ingested_at=now(), **stamps)
    return row


def write_document(
    conn: sqlite3.Connection,
    result: dict,
    paths: Iterable,
    *,
    tool_version: str,
    patterns_version: str,
    attempts: int = 1,
    replace: bool = True,
) -> list[str]:
    """Write one document — its row, values, findings, text and every path — in one transaction.

    ``result`` is what ``extractor.ingest.process_file`` returns; ``paths`` are (root id,
    relative path) pairs, or plain file paths (placed under their folder's root). A document
    already in the store has its rows replaced. Returns what ``make_current`` said for each path.
    ``replace=False`` says the caller knows it is not there yet, which saves the deletes.
    """
    sha = result["sha256"]
    places = [p if isinstance(p, tuple) else place(conn, p) for p in paths]
    row = _document_row(result, attempts=attempts, tool_version=tool_version, patterns_version=patterns_version)
    columns = ", ".join(row)
    with transaction(conn):
        for table in ("field_values", "findings", "texts") if replace else ():
            conn.execute(f"DELETE FROM {table} WHERE sha256 = ?", (sha,))  # noqa: S608 - fixed names
        conn.execute(
            f"INSERT INTO documents ({columns}) VALUES ({', '.join(':' + k for k in row)}) "  # noqa: S608
            f"ON CONFLICT (sha256) DO UPDATE SET {', '.join(f'{k} = excluded.{k}' for k in row if k != 'sha256')}",
            row,
        )
        conn.executemany(
            """INSERT INTO field_values (sha256, field, value, raw, span_start, span_end, page, pattern,
                   unit, decimals, approx) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            ((sha, *r) for r in result.get("values", ())),
        )
        conn.executemany(
            """INSERT INTO findings (sha256, seq, rule, severity, message, fields, spans, expected, found)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            ((sha, *r) for r in result.get("findings", ())),
        )
        if result.get("text") is not None:
            conn.execute("INSERT INTO texts (sha256, text) VALUES (?, ?)", (sha, result["text"]))
        seen = now()
        return [make_current(conn, root, rel, sha, seen) for root, rel in places]

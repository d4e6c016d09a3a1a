"""Upgrades of an existing store to the current schema, step by step, keeping every extraction.

Version 1 stored each path as it was given (relative to wherever ingest ran, or absolute) and
had no report identity. The upgrade keeps every document, value, finding and text; its paths
go under the legacy root ('') as they were, and stay in the ``reports`` view; the next ingest
of a folder that holds them turns them into paths relative to that folder (``adopt_legacy``),
so the archive converges without extracting anything again.
"""

from __future__ import annotations

import json
import os
import sqlite3

from .store_open import now, statements, transaction
from .store_paths import LEGACY_ROOT, inside, live_sha, relative
from .store_rows import report_identity
from .store_schema import STORE_SCHEMA_VERSION, TABLES

_V2_DOCUMENTS = """CREATE TABLE documents_v2 (
    sha256 TEXT PRIMARY KEY, format TEXT, size INTEGER,
    status TEXT NOT NULL CHECK (status IN ('ok', 'error', 'not-a-report')),
    error_code TEXT, error TEXT, attempts INTEGER NOT NULL DEFAULT 1, tool_version TEXT NOT NULL,
    patterns_version TEXT NOT NULL, ingested_at TEXT NOT NULL, seconds REAL, pages INTEGER, chars INTEGER,
    encoding TEXT, report_key TEXT, fields_found INTEGER, record TEXT)"""
_V1_COLUMNS = (
    "sha256, format, size, status, error_code, error, tool_version, patterns_version, ingested_at, "
    "seconds, pages, chars, encoding, record"
)


def _to_v2(conn: sqlite3.Connection) -> None:
    """documents gains attempts, report_key, fields_found and the not-a-report status; paths get roots."""
    # The view reads the tables being rebuilt; the store re-creates it after the steps.
    conn.execute("DROP VIEW IF EXISTS reports")
    conn.execute(_V2_DOCUMENTS)
    conn.execute(f"INSERT INTO documents_v2 ({_V1_COLUMNS}) SELECT {_V1_COLUMNS} FROM documents")  # noqa: S608
    conn.execute("DROP TABLE documents")  # foreign keys are off here: the children's rows stay
    conn.execute("ALTER TABLE documents_v2 RENAME TO documents")
    conn.execute("CREATE INDEX documents_report_key ON documents (report_key)")
    for sha, record in conn.execute("SELECT sha256, record FROM documents WHERE status = 'ok'").fetchall():
        key, found = report_identity(json.loads(record)["report"]) if record else (None, 0)
        conn.execute("UPDATE documents SET report_key = ?, fields_found = ? WHERE sha256 = ?", (key, found, sha))

    conn.execute("ALTER TABLE paths RENAME TO paths_v1")
    conn.execute("DROP INDEX IF EXISTS paths_path")
    schema = TABLES
    start = schema.index("CREATE TABLE roots")
    end = schema.index("CREATE TABLE field_values")
    for statement in statements(schema[start:end]):
        conn.execute(statement)
    conn.execute("INSERT INTO roots (path, added_at) VALUES (?, ?)", (LEGACY_ROOT, now()))
    conn.execute("""INSERT INTO paths (root, path, sha256, state, first_seen, last_seen)
                    SELECT (SELECT id FROM roots WHERE path = ''), path, sha256, 'current', seen_at, seen_at
                    FROM paths_v1""")
    conn.execute("DROP TABLE paths_v1")


# version -> the step that upgrades a store from version-1 to it.
STEPS = {2: _to_v2}


def migrate(conn: sqlite3.Connection, version: int) -> None:
    """Upgrade from ``version`` to ``STORE_SCHEMA_VERSION``, inside the caller's transaction."""
    for step in range(version + 1, STORE_SCHEMA_VERSION + 1):
        STEPS[step](conn)


def adopt_legacy(conn: sqlite3.Connection, root: int, folder: str) -> int:
    """Turn legacy paths (as given to a version-1 ingest) that lie under ``folder`` into paths of ``root``.

    A relative legacy path is taken relative to the current folder, as the version-1 run that
    stored it most likely ran from here; one that does not resolve under ``folder`` stays.
    """
    legacy = conn.execute("SELECT id FROM roots WHERE path = ?", (LEGACY_ROOT,)).fetchone()
    if legacy is None:
        return 0
    moved = 0
    rows = conn.execute("SELECT path, sha256 FROM paths WHERE root = ?", (legacy[0],)).fetchall()
    with transaction(conn):
        for path, sha in rows:
            real = os.path.realpath(path)
            if not inside(real, folder):
                continue
            rel = relative(real, folder)
            key = (legacy[0], path, sha)
            if conn.execute(
                "SELECT 1 FROM paths WHERE root = ? AND path = ? AND sha256 = ?", (root, rel, sha)
            ).fetchone():
                conn.execute("DELETE FROM paths WHERE root = ? AND path = ? AND sha256 = ?", key)  # a duplicate
            else:  # a path already live there with other bytes makes this row its history
                state = "superseded" if live_sha(conn, root, rel) is not None else None
                conn.execute(
                    "UPDATE paths SET root = ?, path = ?, state = coalesce(?, state) "
                    "WHERE root = ? AND path = ? AND sha256 = ?",
                    (root, rel, state, *key),
                )
            moved += 1
        if not conn.execute("SELECT 1 FROM paths WHERE root = ?", (legacy[0],)).fetchone():
            conn.execute("DELETE FROM roots WHERE id = ?", (legacy[0],))
    return moved

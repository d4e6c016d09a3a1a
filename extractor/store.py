"""The SQLite store for bulk ingestion: the schema, explicit and versioned in one place, and its writes.

One database holds many reports, keyed by the sha256 of the file's bytes. Every write of a
document is one transaction, so a run killed at any moment leaves each document either fully
there or not there at all. The parent process of an ingest is the only writer.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

SCHEMA_VERSION = 1
# How long a writer waits for another connection's lock before giving up (seconds).
DEFAULT_BUSY_TIMEOUT = 30.0

# The whole schema. A change to it bumps SCHEMA_VERSION and adds a step to MIGRATIONS.
# The table of values is field_values, not values: VALUES is an SQL keyword and an analyst's
# `SELECT * FROM values` would be a syntax error.
SCHEMA = """
CREATE TABLE documents (
    sha256           TEXT PRIMARY KEY,  -- of the file's bytes; 'unreadable:<sha256 of the path>' if it could not be read
    format           TEXT,              -- sniffed from the bytes: txt, docx, pdf, html, doc; NULL if not sniffed
    size             INTEGER,           -- bytes
    status           TEXT NOT NULL CHECK (status IN ('ok', 'error')),
    error_code       TEXT,              -- ReadError.code, 'timeout', 'crashed' or 'internal'
    error            TEXT,              -- one line
    tool_version     TEXT NOT NULL,     -- extractor.__version__
    patterns_version TEXT NOT NULL,     -- extractor.patterns.load().version
    ingested_at      TEXT NOT NULL,     -- UTC, ISO 8601
    seconds          REAL,              -- time the worker spent on it
    pages            INTEGER,
    chars            INTEGER,
    encoding         TEXT,
    record           TEXT               -- the FIELDS.md JSON (source, report, findings); last, as the largest
);

CREATE TABLE paths (
    sha256   TEXT NOT NULL REFERENCES documents (sha256) ON DELETE CASCADE,
    path     TEXT NOT NULL,
    seen_at  TEXT NOT NULL,
    PRIMARY KEY (sha256, path)
) WITHOUT ROWID;
CREATE INDEX paths_path ON paths (path);

CREATE TABLE field_values (
    sha256     TEXT NOT NULL REFERENCES documents (sha256) ON DELETE CASCADE,
    field      TEXT NOT NULL,  -- path in the record: report.revenue.items[0].amount
    value,                     -- integer (counts, years), decimal string (money in yuan, scores), JSON (lists)
    raw        TEXT,           -- the text as written: text[span_start:span_end]
    span_start INTEGER,
    span_end   INTEGER,
    page       INTEGER,
    pattern    TEXT,           -- id of the pattern that found it
    unit       TEXT,           -- money: the unit as written
    decimals   INTEGER,        -- places as written
    approx     INTEGER,        -- money: 1 for 余 / 约 / 多 / 近 amounts
    PRIMARY KEY (sha256, field)
) WITHOUT ROWID;
-- No index on field alone: with one, each document's ~50 values land on ~50 different index
-- pages and a commit writes them all (2-3x the cost of the rest of the write). After a bulk
-- load, an analyst who filters on field can add one: CREATE INDEX field_values_field ON field_values (field);

CREATE TABLE findings (
    sha256   TEXT NOT NULL REFERENCES documents (sha256) ON DELETE CASCADE,
    seq      INTEGER NOT NULL,  -- order in the record (severity, code, position)
    rule     TEXT NOT NULL,
    severity TEXT NOT NULL CHECK (severity IN ('error', 'warning', 'info')),
    message  TEXT NOT NULL,
    fields   TEXT NOT NULL,     -- JSON list of field paths
    spans    TEXT NOT NULL,     -- JSON list of [start, end]
    expected TEXT,
    found    TEXT,
    PRIMARY KEY (sha256, seq)
) WITHOUT ROWID;
CREATE INDEX findings_rule ON findings (rule, severity);

CREATE TABLE texts (
    sha256 TEXT PRIMARY KEY REFERENCES documents (sha256) ON DELETE CASCADE,
    text   TEXT NOT NULL        -- the document text every span indexes
);

-- One row per report read successfully: what an analyst queries first.
CREATE VIEW reports AS
SELECT
    d.sha256,
    (SELECT min(p.path) FROM paths p WHERE p.sha256 = d.sha256) AS path,
    (SELECT count(*) FROM paths p WHERE p.sha256 = d.sha256) AS paths,
    d.format,
    v('report.department') AS department,
    v('report.fiscal_year') AS fiscal_year,
    v('report.kind') AS kind,
    v('report.headcount.authorized') AS headcount_authorized,
    v('report.headcount.actual') AS headcount_actual,
    v('report.headcount.in_service') AS headcount_in_service,
    v('report.headcount.retired') AS headcount_retired,
    v('report.revenue.total') AS revenue_total,
    v('report.expenditure.total') AS expenditure_total,
    by_type('基本支出') AS expenditure_basic,
    by_type('项目支出') AS expenditure_project,
    v('report.carryover.start') AS carryover_start,
    v('report.carryover.end') AS carryover_end,
    v('report.total_score') AS total_score,
    v('report.max_score') AS max_score,
    v('report.grade') AS grade,
    (SELECT count(*) FROM findings f WHERE f.sha256 = d.sha256 AND f.severity = 'error') AS errors,
    (SELECT count(*) FROM findings f WHERE f.sha256 = d.sha256 AND f.severity = 'warning') AS warnings,
    d.tool_version,
    d.patterns_version,
    d.ingested_at
FROM documents d
WHERE d.status = 'ok';
"""

# SQLite has no macros; these keep the view readable above and are expanded before it runs.
_VIEW_MACROS = {
    "v('": "(SELECT x.value FROM field_values x WHERE x.sha256 = d.sha256 AND x.field = '",
    "by_type('": "(SELECT json_extract(j.value, '$.amount.value') FROM json_each(d.record, "
                 "'$.report.expenditure.by_type') j WHERE json_extract(j.value, '$.name') = '",
}

# Columns of the view, in order (export writes them as its header).
REPORT_COLUMNS = (
    "sha256", "path", "paths", "format", "department", "fiscal_year", "kind",
    "headcount_authorized", "headcount_actual", "headcount_in_service", "headcount_retired",
    "revenue_total", "expenditure_total", "expenditure_basic", "expenditure_project",
    "carryover_start", "carryover_end", "total_score", "max_score", "grade", "errors", "warnings",
    "tool_version", "patterns_version", "ingested_at",
)
# Money columns hold exact decimal strings in yuan (never floats), as FIELDS.md says.
MONEY_COLUMNS = ("revenue_total", "expenditure_total", "expenditure_basic", "expenditure_project",
                 "carryover_start", "carryover_end")

# version -> SQL that upgrades a database from version-1 to version. Empty while there is one version.
MIGRATIONS: dict[int, str] = {}


class StoreError(Exception):
    """The database cannot be used (not SQLite, a newer schema, locked). ``str`` is one line."""


def _schema_sql() -> str:
    sql = SCHEMA
    # Each macro call ends in "')", which closes the expansion's string and its subquery.
    for macro, expansion in _VIEW_MACROS.items():
        sql = sql.replace(macro, expansion)
    return sql


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def connect(path: str | Path, *, create: bool = True) -> sqlite3.Connection:
    """Open (and if needed create or upgrade) the store at ``path``; WAL, foreign keys on.

    The connection is in autocommit mode: writes group themselves with ``transaction()``.
    """
    path = Path(path)
    if not create and not path.exists():
        raise StoreError(f"{path}: no such database")
    try:
        conn = sqlite3.connect(path, timeout=DEFAULT_BUSY_TIMEOUT, isolation_level=None)
        conn.execute("PRAGMA journal_mode = WAL")
        # In WAL mode NORMAL never corrupts and never loses a committed transaction to a
        # process crash (kill -9); only a power cut may lose the last few commits.
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        _ensure_schema(conn, path)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: not a usable SQLite database ({exc})") from None
    return conn


def _ensure_schema(conn: sqlite3.Connection, path: Path) -> None:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version == SCHEMA_VERSION:
        return
    if version > SCHEMA_VERSION:
        raise StoreError(f"{path}: schema version {version} is newer than this tool's ({SCHEMA_VERSION})")
    with transaction(conn):
        if version == 0:
            if conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                raise StoreError(f"{path}: an SQLite database that is not a report store")
            for statement in _statements(_schema_sql()):
                conn.execute(statement)
        else:
            for step in range(version + 1, SCHEMA_VERSION + 1):
                for statement in _statements(MIGRATIONS[step]):
                    conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _statements(sql: str) -> Iterator[str]:
    """Split a script into statements (executescript would commit the open transaction)."""
    buf = ""
    for line in sql.splitlines(keepends=True):
        if line.lstrip().startswith("--"):
            continue
        buf += line
        if sqlite3.complete_statement(buf):
            yield buf.strip()
            buf = ""
    if buf.strip():
        yield buf.strip()


@contextmanager
def transaction(conn: sqlite3.Connection):
    """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any exception: all of a document or nothing."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def display_path(path: str) -> str:
    """``path`` as text SQLite and JSON can hold.

    A name that is not UTF-8 (GBK names from an unpacked Chinese archive) comes from the OS
    with surrogate escapes, which cannot be stored; it is decoded as GB18030 when that reads,
    else with backslash escapes.
    """
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        raw = path.encode("utf-8", "surrogateescape")
        try:
            return raw.decode("gb18030")
        except UnicodeDecodeError:
            return raw.decode("utf-8", "backslashreplace")


def versions_of(conn: sqlite3.Connection, sha256: str) -> tuple[str, str] | None:
    """(tool_version, patterns_version) a document was ingested with, or None if it is not there."""
    row = conn.execute("SELECT tool_version, patterns_version FROM documents WHERE sha256 = ?", (sha256,)).fetchone()
    return None if row is None else (row[0], row[1])


def add_path(conn: sqlite3.Connection, sha256: str, path: str) -> None:
    """Record that a document already in the store was seen at ``path`` too."""
    conn.execute("INSERT OR IGNORE INTO paths (sha256, path, seen_at) VALUES (?, ?, ?)",
                 (sha256, display_path(path), now()))


def write_document(conn: sqlite3.Connection, result: dict, paths: Iterable[str], *,
                   tool_version: str, patterns_version: str, replace: bool = True) -> None:
    """Write one document — its row, values, findings, text and every path — in one transaction.

    ``result`` is what ``extractor.ingest.process_file`` returns. A document already in the
    store (``--force``, or new tool or pattern versions) has its rows replaced; its paths stay.
    ``replace=False`` says the caller knows it is not there yet, which saves the deletes.
    """
    sha = result["sha256"]
    with transaction(conn):
        for table in ("field_values", "findings", "texts") if replace else ():
            conn.execute(f"DELETE FROM {table} WHERE sha256 = ?", (sha,))  # noqa: S608 - fixed names
        conn.execute(
            """INSERT INTO documents (sha256, format, size, status, error_code, error, tool_version,
                   patterns_version, ingested_at, seconds, pages, chars, encoding, record)
               VALUES (:sha256, :format, :size, :status, :error_code, :error, :tool_version,
                   :patterns_version, :ingested_at, :seconds, :pages, :chars, :encoding, :record)
               ON CONFLICT (sha256) DO UPDATE SET format = excluded.format, size = excluded.size,
                   status = excluded.status, error_code = excluded.error_code, error = excluded.error,
                   tool_version = excluded.tool_version, patterns_version = excluded.patterns_version,
                   ingested_at = excluded.ingested_at, seconds = excluded.seconds, pages = excluded.pages,
                   chars = excluded.chars, encoding = excluded.encoding, record = excluded.record""",
            {
                "sha256": sha, "format": result.get("format"), "size": result.get("size"),
                "status": result["status"], "error_code": result.get("error_code"), "error": result.get("error"),
                "tool_version": tool_version, "patterns_version": patterns_version, "ingested_at": now(),
                "seconds": result.get("seconds"), "pages": result.get("pages"), "chars": result.get("chars"),
                "encoding": result.get("encoding"), "record": result.get("record"),
            },
        )
        conn.executemany(
            """INSERT INTO field_values (sha256, field, value, raw, span_start, span_end, page, pattern,
                   unit, decimals, approx) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            ((sha, *row) for row in result.get("values", ())),
        )
        conn.executemany(
            """INSERT INTO findings (sha256, seq, rule, severity, message, fields, spans, expected, found)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            ((sha, *row) for row in result.get("findings", ())),
        )
        if result.get("text") is not None:
            conn.execute("INSERT INTO texts (sha256, text) VALUES (?, ?)", (sha, result["text"]))
        seen = now()
        conn.executemany("INSERT OR IGNORE INTO paths (sha256, path, seen_at) VALUES (?, ?, ?)",
                         ((sha, display_path(p), seen) for p in paths))


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
                rows.append((path, value, node.get("raw"), span[0], span[1], node.get("page"), node.get("pattern"),
                             node.get("unit"), node.get("decimals"), None if approx is None else int(approx)))
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
        (i, f["rule"], f["severity"], f["message"], json.dumps(f.get("fields", []), ensure_ascii=False),
         json.dumps(f.get("spans", [])), f.get("expected"), f.get("found"))
        for i, f in enumerate(findings)
    ]

"""The store's SQL, in one place: the tables (versioned), and the views built from the field registry.

The tables change only with ``STORE_SCHEMA_VERSION`` and a migration (``extractor/store_migrate.py``).
The views ``reports`` and ``files`` are generated: their columns come from
``extractor.field_registry.FIELD_SPECS``, so a field added there appears in the view and in every
export with no other edit; a store whose views were made from another registry has them
re-created when it is next opened for writing (exports and audits run the same SELECT
themselves, so they are never stale, even on a read-only store).
"""

from __future__ import annotations

STORE_SCHEMA_VERSION = 2

# The table of values is field_values, not values: VALUES is an SQL keyword and an analyst's
# `SELECT * FROM values` would be a syntax error.
TABLES = """
CREATE TABLE documents (
    sha256           TEXT PRIMARY KEY,  -- of the file's bytes; 'unreadable:<sha256 of root and path>' if none were read
    format           TEXT,              -- sniffed from the bytes: txt, docx, pdf, html, doc; NULL if not sniffed
    size             INTEGER,           -- bytes
    status           TEXT NOT NULL CHECK (status IN ('ok', 'error', 'not-a-report')),
    error_code       TEXT,              -- ReadError.code, or timeout, crashed, vanished, changed, internal
    error            TEXT,              -- one line
    attempts         INTEGER NOT NULL DEFAULT 1,  -- runs that tried it with these versions (transient errors retry)
    tool_version     TEXT NOT NULL,     -- extractor.__version__
    patterns_version TEXT NOT NULL,     -- extractor.patterns.load().version
    ingested_at      TEXT NOT NULL,     -- UTC, ISO 8601
    seconds          REAL,              -- time the worker spent on it
    pages            INTEGER,
    chars            INTEGER,
    encoding         TEXT,
    report_key       TEXT,              -- the report in any format: sha256 of unit, year, kind and figures
    fields_found     INTEGER,           -- registry fields the record holds: the richest copy is a report's row
    record           TEXT               -- the FIELDS.md JSON (source, report, findings); last, as the largest
);
CREATE INDEX documents_report_key ON documents (report_key);

-- The folders an archive was ingested from: paths are stored relative to them, so the same
-- archive named by a relative or an absolute path, or from a parent folder, is the same files.
CREATE TABLE roots (
    id       INTEGER PRIMARY KEY,
    path     TEXT NOT NULL UNIQUE,  -- absolute, symlinks resolved; '' holds paths kept from a version-1 store
    added_at TEXT NOT NULL
);

-- Every path each document was seen at. One live row (current or missing) per path; a path
-- whose bytes changed keeps its old row as history (superseded).
CREATE TABLE paths (
    root       INTEGER NOT NULL REFERENCES roots (id) ON DELETE CASCADE,
    path       TEXT NOT NULL,   -- relative to the root, '/'-separated
    sha256     TEXT NOT NULL REFERENCES documents (sha256) ON DELETE CASCADE,
    state      TEXT NOT NULL CHECK (state IN ('current', 'superseded', 'missing')),
    first_seen TEXT NOT NULL,
    last_seen  TEXT NOT NULL,
    changed_at TEXT,            -- when it became superseded or missing
    PRIMARY KEY (root, path, sha256)
) WITHOUT ROWID;
CREATE INDEX paths_sha256 ON paths (sha256, state);
CREATE UNIQUE INDEX paths_live ON paths (root, path) WHERE state <> 'superseded';

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
"""

# Columns of the reports view before and after the registry's fields.
LEAD_COLUMNS = ("sha256", "root", "path", "copies", "copy_paths", "format")
TAIL_COLUMNS = ("indicators", "errors", "warnings", "tool_version", "patterns_version", "ingested_at")

# One row per current path of a readable report, with what picks a report's row among its
# copies: the most fields found, then the fewest errors, then the first path.
_LIVE = """live AS (
    SELECT p.root, p.path, d.sha256, coalesce(d.report_key, d.sha256) AS grp, coalesce(d.fields_found, 0) AS found,
        (SELECT count(*) FROM findings f WHERE f.sha256 = d.sha256 AND f.severity = 'error') AS n_errors
    FROM paths p JOIN documents d ON d.sha256 = p.sha256
    WHERE p.state = 'current' AND d.status = 'ok'
), grouped AS (
    SELECT live.*,
        row_number() OVER (PARTITION BY grp ORDER BY found DESC, n_errors, path, root, sha256) AS pick,
        count(*) OVER (PARTITION BY grp) AS copies,
        json_group_array(path) OVER (PARTITION BY grp ORDER BY path, root, sha256
                                     ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS copy_paths
    FROM live
)"""

_INDICATORS = (
    "(SELECT json_group_array(json_object('name', json_extract(j.value, '$.name'), "
    "'max', json_extract(j.value, '$.max.value'), 'score', json_extract(j.value, '$.score.value'))) "
    "FROM json_each(d.record, '$.report.indicators') j)"
)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _field_expr(entry) -> str:
    if entry.by_type is not None:  # an item of a list: read from the record by its name
        return (
            "(SELECT json_extract(j.value, '$.amount.value') FROM json_each(d.record, "
            f"'$.{entry.path}') j WHERE json_extract(j.value, '$.name') = {_quote(entry.by_type)})"
        )
    return f"(SELECT x.value FROM field_values x WHERE x.sha256 = d.sha256 AND x.field = {_quote(entry.path)})"


def field_entries():
    """The registry's fields, read at each call (a field added at run time shows at once)."""
    from . import field_registry

    return field_registry.FIELD_SPECS


def report_columns() -> tuple[str, ...]:
    """The columns of the ``reports`` view and of every export, in order."""
    return (*LEAD_COLUMNS, *(f.column for f in field_entries()), *TAIL_COLUMNS)


def reports_select() -> str:
    """The SELECT behind the ``reports`` view: one row per report, its copies counted and listed."""
    fields = ",\n    ".join(f"{_field_expr(f)} AS {f.column}" for f in field_entries())
    return f"""WITH {_LIVE}
SELECT
    d.sha256, rt.path AS root, g.path, g.copies, g.copy_paths, d.format,
    {fields},
    {_INDICATORS} AS indicators,
    g.n_errors AS errors,
    (SELECT count(*) FROM findings f WHERE f.sha256 = d.sha256 AND f.severity = 'warning') AS warnings,
    d.tool_version, d.patterns_version, d.ingested_at
FROM grouped g JOIN documents d ON d.sha256 = g.sha256 LEFT JOIN roots rt ON rt.id = g.root
WHERE g.pick = 1"""


FILES_SELECT = """SELECT rt.path AS root, p.path, p.state, p.sha256, d.status, d.error_code, d.error, d.attempts,
    d.format, d.size, p.first_seen, p.last_seen, p.changed_at
FROM paths p JOIN documents d ON d.sha256 = p.sha256 JOIN roots rt ON rt.id = p.root"""


def views() -> dict[str, str]:
    """name -> CREATE VIEW statement, as it is stored in sqlite_master."""
    return {
        # One row per report (copies with the same bytes, or the same report in several formats, are one).
        "reports": f"CREATE VIEW reports AS\n{reports_select()}",
        # One row per path ever seen: its state (current, superseded, missing) and its document's status.
        "files": f"CREATE VIEW files AS\n{FILES_SELECT}",
    }

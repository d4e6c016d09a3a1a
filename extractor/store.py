"""The SQLite store for bulk ingestion: opening it (created, upgraded, read-only), and its writes.

One database holds many reports, keyed by the sha256 of the file's bytes, and every path each
was seen at, relative to the archive's root folder. Every write of a document is one
transaction, so a run killed at any moment leaves each document either fully there or not
there at all. The parent process of an ingest is the only writer; two ingests on one store
take turns (``ingest_lock``). The SQL itself is in ``store_schema.py``.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

# What a record says, for the store (importable from here, as it always was).
from .store_rows import flatten_findings, flatten_values, registry_values, report_identity  # noqa: F401
from .store_schema import SCHEMA_VERSION, TABLES, report_columns, reports_select, views

__all__ = ["SCHEMA_VERSION", "StoreError", "connect", "connect_readonly", "report_columns", "reports_select",
           "transaction", "write_document"]

# How long a writer waits for another connection's lock before giving up (seconds).
DEFAULT_BUSY_TIMEOUT = 30.0
BUSY_TIMEOUT_ENV = "EXTRACTOR_BUSY_TIMEOUT"
LOCK_SUFFIX = "-lock"  # beside the store, as SQLite's own -wal and -shm
STORE_SUFFIXES = ("", "-wal", "-shm", "-journal", LOCK_SUFFIX)
LEGACY_ROOT = ""  # the root of paths kept from a version-1 store (stored as given, not relative)


RESTORE = "restore a copy, or ingest again into a new store"


def damage(exc: Exception) -> str:
    """What SQLite said about a damaged page, on one line (its text may itself be garbage)."""
    if isinstance(exc, UnicodeDecodeError):
        return "unreadable pages"
    return " ".join(str(exc).split())


class StoreError(Exception):
    """The database cannot be used (not SQLite, damaged, a newer schema, locked). ``str`` is one line."""


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def busy_timeout() -> float:
    try:
        return float(os.environ.get(BUSY_TIMEOUT_ENV) or DEFAULT_BUSY_TIMEOUT)
    except ValueError:
        return DEFAULT_BUSY_TIMEOUT


def store_files(path: str | os.PathLike) -> list[str]:
    """The store and the files SQLite and ingest keep beside it: never inputs, never outputs."""
    return [os.fspath(path) + suffix for suffix in STORE_SUFFIXES]


def connect(path: str | os.PathLike, *, create: bool = True) -> sqlite3.Connection:
    """Open (and if needed create or upgrade) the store at ``path`` for writing; WAL, foreign keys on.

    The connection is in autocommit mode: writes group themselves with ``transaction()``.
    """
    path = Path(path)
    if not create and not path.exists():
        raise StoreError(f"{path}: no such database")
    try:
        conn = sqlite3.connect(path, timeout=busy_timeout(), isolation_level=None)
        conn.execute("PRAGMA journal_mode = WAL")
        # In WAL mode NORMAL never corrupts and never loses a committed transaction to a
        # process crash (kill -9); only a power cut may lose the last few commits.
        conn.execute("PRAGMA synchronous = NORMAL")
        _ensure_schema(conn, path)  # foreign keys off: a migration rebuilds tables children refer to
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.OperationalError as exc:
        raise StoreError(f"{path}: {_reason(exc)}") from None
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: not a usable SQLite database ({exc})") from None
    return conn


def _reason(exc: sqlite3.Error) -> str:
    text = str(exc)
    if "locked" in text or "busy" in text:
        return f"the store is locked by another program (waited {busy_timeout():g} s)"
    if "readonly" in text or "read-only" in text:
        return "the store is read-only (ingest needs to write it)"
    if "unable to open" in text:
        return "cannot open the store (no such folder, or no permission)"
    return text


def connect_readonly(path: str | os.PathLike, *, check: bool = False) -> sqlite3.Connection:
    """Open the store for reading only: it is never changed, and may be on read-only media.

    ``check`` runs SQLite's quick_check first, so a damaged store is one clear error rather
    than a traceback or a partial answer halfway through. A store of an older schema is
    upgraded in place when it can be written, else refused with a message saying how.
    """
    path = Path(path)
    if not path.is_file():
        raise StoreError(f"{path}: no such database")
    uri = path.resolve().as_uri()
    conn = None
    # A WAL store on read-only media has no -shm file and none can be made: immutable reads it.
    for params in ("?mode=ro", "?mode=ro&immutable=1"):
        try:
            conn = sqlite3.connect(uri + params, uri=True, timeout=busy_timeout())
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            break
        except sqlite3.OperationalError as exc:
            if conn is not None:
                conn.close()
            conn, last = None, exc
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: not a usable SQLite database ({exc})") from None
        except UnicodeDecodeError:  # SQLite's own message about the page is garbage too
            raise StoreError(f"{path}: the store is damaged (unreadable pages); {RESTORE}") from None
    if conn is None:
        raise StoreError(f"{path}: {_reason(last)}")
    try:
        if version > SCHEMA_VERSION:
            raise StoreError(f"{path}: schema version {version} is newer than this tool's ({SCHEMA_VERSION})")
        if version == 0:
            raise StoreError(f"{path}: {'not a report store' if tables else 'an empty database, not a report store'}")
        if version < SCHEMA_VERSION:
            conn.close()
            _upgrade(path, version)
            return connect_readonly(path, check=check)
        if check:
            verdict = " ".join(conn.execute("PRAGMA quick_check(1)").fetchone()[0].replace("***", "").split())
            if verdict != "ok":
                raise StoreError(f"{path}: the store is damaged ({verdict}); {RESTORE}")
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
        conn.close()
        raise StoreError(f"{path}: the store is damaged ({damage(exc)}); {RESTORE}") from None
    except StoreError:
        conn.close()
        raise
    return conn


def _upgrade(path: Path, version: int) -> None:
    try:
        connect(path).close()
    except StoreError as exc:
        raise StoreError(f"{path}: schema version {version} is older than this tool's ({SCHEMA_VERSION}) and "
                         f"could not be upgraded ({str(exc).removeprefix(f'{path}: ')}); run `ingest` once on a "
                         "writable copy to upgrade it") from None


def _ensure_schema(conn: sqlite3.Connection, path: Path) -> None:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version == SCHEMA_VERSION:
        _ensure_views(conn)
        return
    if version > SCHEMA_VERSION:
        raise StoreError(f"{path}: schema version {version} is newer than this tool's ({SCHEMA_VERSION})")
    with transaction(conn):
        # Read again under the write lock: another process may have created or upgraded the
        # store between the first look and now (two ingests starting on a new store).
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version == 0:
            if conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                raise StoreError(f"{path}: an SQLite database that is not a report store")
            for statement in _statements(TABLES):
                conn.execute(statement)
        elif version < SCHEMA_VERSION:
            from .store_migrate import migrate

            migrate(conn, version)
        if version != SCHEMA_VERSION:
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        _create_views(conn)


def _ensure_views(conn: sqlite3.Connection) -> None:
    """Re-create the views when the registry they are made from changed since they were written."""
    stored = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'view'"))
    if any(stored.get(name) != sql for name, sql in views().items()):
        with transaction(conn):
            _create_views(conn)


def _create_views(conn: sqlite3.Connection) -> None:
    for name, sql in views().items():
        conn.execute(f"DROP VIEW IF EXISTS {name}")
        conn.execute(sql)


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


@contextmanager
def ingest_lock(db: str | os.PathLike, on_wait=None):
    """Hold the store's ingest lock: a second ingest on the same store waits for the first.

    ``on_wait()`` is called once if the lock is taken, before waiting. Where there is no
    ``fcntl`` (Windows), there is no lock: SQLite still serializes the writes, and both succeed.
    """
    try:
        import fcntl
    except ImportError:
        yield
        return
    try:
        fh = open(os.fspath(db) + LOCK_SUFFIX, "a+b")  # noqa: SIM115 - held for the whole run
    except OSError as exc:
        import errno

        why = {errno.ENOENT: "no such folder", errno.EACCES: "the store's folder is read-only (ingest needs to "
               "write it)", errno.EROFS: "the store is on read-only media (ingest needs to write it)"}.get(exc.errno)
        raise StoreError(f"{db}: {why or f'cannot create the ingest lock beside the store ({exc.strerror})'}") from None
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                on_wait()
            fcntl.flock(fh, fcntl.LOCK_EX)
        yield
    finally:
        fh.close()  # releases the lock


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


# --- roots and paths --------------------------------------------------------------------------


def roots(conn: sqlite3.Connection) -> dict[str, int]:
    """path -> id of every archive root the store knows."""
    return {path: rid for rid, path in conn.execute("SELECT id, path FROM roots")}


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def add_root(conn: sqlite3.Connection, folder: str) -> tuple[int, str]:
    """The root that ``folder`` (absolute, resolved) belongs to, as (id, folder of the root).

    A folder inside a known root uses that root; a new root that holds known roots takes their
    paths over (ingesting ``archive/2022`` and later ``archive`` gives each file one path).
    """
    known = roots(conn)
    for path in sorted(known, key=len, reverse=True):
        if path != LEGACY_ROOT and _inside(folder, path):
            return known[path], path
    with transaction(conn):
        rid = conn.execute("INSERT INTO roots (path, added_at) VALUES (?, ?)", (folder, now())).lastrowid
        for path, old in known.items():
            if path != LEGACY_ROOT and _inside(path, folder):
                prefix = display_path(os.path.relpath(path, folder)).replace(os.sep, "/") + "/"
                conn.execute("UPDATE paths SET root = ?, path = ? || path WHERE root = ?", (rid, prefix, old))
                conn.execute("DELETE FROM roots WHERE id = ?", (old,))
    return rid, folder


def place(conn: sqlite3.Connection, path: str) -> tuple[int, str]:
    """(root id, relative path) for a file path: under a known root, or under its own folder."""
    real = os.path.realpath(path)
    rid, folder = add_root(conn, os.path.dirname(real))
    return rid, relative(real, folder)


def relative(path: str, folder: str) -> str:
    """``path`` relative to ``folder``, '/'-separated and storable."""
    return display_path(os.path.relpath(path, folder)).replace(os.sep, "/")


def live_sha(conn: sqlite3.Connection, root: int, path: str) -> str | None:
    row = conn.execute("SELECT sha256 FROM paths WHERE root = ? AND path = ? AND state <> 'superseded'",
                       (root, path)).fetchone()
    return None if row is None else row[0]


def _link(conn: sqlite3.Connection, root: int, path: str, sha: str, seen: str) -> str:
    """Make ``sha`` the current document at (root, path): 'new', 'seen' or 'superseded' (bytes changed)."""
    old = live_sha(conn, root, path)
    if old is not None and old != sha:
        conn.execute("UPDATE paths SET state = 'superseded', changed_at = ? WHERE root = ? AND path = ? AND sha256 = ?",
                     (seen, root, path, old))
    conn.execute(
        """INSERT INTO paths (root, path, sha256, state, first_seen, last_seen) VALUES (?, ?, ?, 'current', ?, ?)
           ON CONFLICT (root, path, sha256) DO UPDATE SET state = 'current', last_seen = excluded.last_seen,
               changed_at = CASE WHEN paths.state = 'current' THEN paths.changed_at ELSE NULL END""",
        (root, path, sha, seen, seen))
    return "new" if old is None else ("seen" if old == sha else "superseded")


def link_path(conn: sqlite3.Connection, root: int, path: str, sha: str) -> str:
    """Record that a document already in the store is at (root, path) now; see ``_link``."""
    with transaction(conn):
        return _link(conn, root, path, sha, now())


def mark_missing(conn: sqlite3.Connection, root: int, prefix: str, seen: Iterable[str],
                 unlisted: Iterable[str] = ()) -> int:
    """Mark missing every current path under ``prefix`` ('' for the whole root) not in ``seen``.

    ``unlisted`` are folders that could not be listed: what they hold is unknown, not gone.
    """
    with transaction(conn):
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS seen_paths (path TEXT PRIMARY KEY) WITHOUT ROWID")
        conn.execute("DELETE FROM temp.seen_paths")
        conn.executemany("INSERT OR IGNORE INTO temp.seen_paths VALUES (?)", ((p,) for p in seen))
        rows = [p for (p,) in conn.execute(
            "SELECT path FROM paths WHERE root = ? AND state = 'current' AND (? = '' OR path = ? OR "
            "substr(path, 1, length(?) + 1) = ? || '/') AND path NOT IN (SELECT path FROM temp.seen_paths)",
            (root, prefix, prefix, prefix, prefix))]
        skip = [u.rstrip("/") + "/" for u in unlisted]
        rows = [p for p in rows if not any(p.startswith(u) for u in skip)]
        stamp = now()
        conn.executemany("UPDATE paths SET state = 'missing', changed_at = ? WHERE root = ? AND path = ? "
                         "AND state = 'current'", ((stamp, root, p) for p in rows))
    return len(rows)


def prune(conn: sqlite3.Connection) -> int:
    """Remove missing paths, then documents no path refers to any more (superseded history stays)."""
    with transaction(conn):
        n = conn.execute("DELETE FROM paths WHERE state = 'missing'").rowcount
        conn.execute("DELETE FROM documents WHERE sha256 NOT IN (SELECT sha256 FROM paths)")
    return n


# --- documents --------------------------------------------------------------------------------


def stored(conn: sqlite3.Connection, sha256: str) -> dict | None:
    """What the store holds of a document (versions, status, error code, attempts), or None."""
    row = conn.execute("SELECT tool_version, patterns_version, status, error_code, attempts FROM documents "
                       "WHERE sha256 = ?", (sha256,)).fetchone()
    if row is None:
        return None
    return dict(zip(("tool_version", "patterns_version", "status", "error_code", "attempts"), row, strict=True))


def write_document(conn: sqlite3.Connection, result: dict, paths: Iterable, *, tool_version: str,
                   patterns_version: str, attempts: int = 1, replace: bool = True) -> list[str]:
    """Write one document — its row, values, findings, text and every path — in one transaction.

    ``result`` is what ``extractor.ingest.process_file`` returns; ``paths`` are (root id,
    relative path) pairs, or plain file paths (placed under their folder's root). A document
    already in the store has its rows replaced. Returns what ``_link`` said for each path.
    ``replace=False`` says the caller knows it is not there yet, which saves the deletes.
    """
    sha = result["sha256"]
    places = [p if isinstance(p, tuple) else place(conn, p) for p in paths]
    row = {
        "sha256": sha, "format": result.get("format"), "size": result.get("size"), "status": result["status"],
        "error_code": result.get("error_code"), "error": result.get("error"), "attempts": attempts,
        "tool_version": tool_version, "patterns_version": patterns_version, "ingested_at": now(),
        "seconds": result.get("seconds"), "pages": result.get("pages"), "chars": result.get("chars"),
        "encoding": result.get("encoding"), "report_key": result.get("report_key"),
        "fields_found": result.get("fields_found"), "record": result.get("record"),
    }
    columns = ", ".join(row)
    with transaction(conn):
        for table in ("field_values", "findings", "texts") if replace else ():
            conn.execute(f"DELETE FROM {table} WHERE sha256 = ?", (sha,))  # noqa: S608 - fixed names
        conn.execute(
            f"INSERT INTO documents ({columns}) VALUES ({', '.join(':' + k for k in row)}) "  # noqa: S608
            f"ON CONFLICT (sha256) DO UPDATE SET {', '.join(f'{k} = excluded.{k}' for k in row if k != 'sha256')}",
            row)
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
        return [_link(conn, root, rel, sha, seen) for root, rel in places]

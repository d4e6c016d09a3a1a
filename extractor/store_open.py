"""Opening the SQLite store: created, upgraded or read-only; its transactions, the ingest lock that
makes two ingests take turns, and the one-line errors of a store that cannot be used.

The SQL itself is in ``store_schema.py``, the upgrades of older stores in ``store_migrate.py``.
"""

from __future__ import annotations

import os
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TypeVar

from .store_schema import STORE_SCHEMA_VERSION, TABLES, views

T = TypeVar("T")

# How long a writer waits for another connection's lock before giving up (seconds).
DEFAULT_BUSY_TIMEOUT = 30.0
BUSY_TIMEOUT_ENV = "EXTRACTOR_BUSY_TIMEOUT"
LOCK_SUFFIX = "-lock"  # beside the store, as SQLite's own -wal and -shm
STORE_SUFFIXES = ("", "-wal", "-shm", "-journal", LOCK_SUFFIX)


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
        return retry_busy(partial(_open, path))
    except sqlite3.OperationalError as exc:
        raise StoreError(f"{path}: {describe_error(exc)}") from None
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: not a usable SQLite database ({exc})") from None


def _open(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=busy_timeout(), isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        # In WAL mode NORMAL never corrupts and never loses a committed transaction to a
        # process crash (kill -9); only a power cut may lose the last few commits.
        conn.execute("PRAGMA synchronous = NORMAL")
        _ensure_schema(conn, path)  # foreign keys off: a migration rebuilds tables children refer to
        conn.execute("PRAGMA foreign_keys = ON")
    except BaseException:
        conn.close()
        raise
    return conn


def is_busy(exc: sqlite3.Error) -> bool:
    text = str(exc)
    return "locked" in text or "busy" in text


def retry_busy(attempt: Callable[[], T]) -> T:
    """``attempt()`` again while SQLite answers busy, until the busy timeout has passed.

    The busy timeout makes SQLite wait for most locks itself, but not for all: a WAL store's
    recovery (when its first connection opens it) and the last connection's clean-up on close
    hold locks that another process's first read meets as SQLITE_BUSY at once (SQLite's
    "Sometimes queries return SQLITE_BUSY in WAL mode"). Opening is all or nothing (a failed
    attempt closed its connection, its schema transaction rolled back), so it can be repeated.
    """
    deadline = time.monotonic() + busy_timeout()
    delay = 0.005
    while True:
        try:
            return attempt()
        except sqlite3.OperationalError as exc:
            if not is_busy(exc) or time.monotonic() + delay > deadline:
                raise
        time.sleep(delay * (0.5 + random.random()))  # jitter: processes that met stay apart
        delay = min(delay * 2, 0.5)


def describe_error(exc: sqlite3.Error) -> str:
    """What an SQLite error means for the user of the store, on one line."""
    text = str(exc)
    if is_busy(exc):
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
    # A busy store is being written: waited for, never read as immutable (that would ignore the writer).
    for params in ("?mode=ro", "?mode=ro&immutable=1"):
        try:
            conn, version, tables = retry_busy(partial(_first_read, uri + params))
            break
        except sqlite3.OperationalError as exc:
            conn, last = None, exc
            if is_busy(exc):
                break
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: not a usable SQLite database ({exc})") from None
        except UnicodeDecodeError:  # SQLite's own message about the page is garbage too
            raise StoreError(f"{path}: the store is damaged (unreadable pages); {RESTORE}") from None
    if conn is None:
        raise StoreError(f"{path}: {describe_error(last)}")
    try:
        if version > STORE_SCHEMA_VERSION:
            raise StoreError(f"{path}: schema version {version} is newer than this tool's ({STORE_SCHEMA_VERSION})")
        if version == 0:
            raise StoreError(f"{path}: {'not a report store' if tables else 'an empty database, not a report store'}")
        if version < STORE_SCHEMA_VERSION:
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


def _first_read(uri: str) -> tuple[sqlite3.Connection, int, int]:
    conn = sqlite3.connect(uri, uri=True, timeout=busy_timeout())
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    except BaseException:
        conn.close()
        raise
    return conn, version, tables


def _upgrade(path: Path, version: int) -> None:
    try:
        connect(path).close()
    except StoreError as exc:
        raise StoreError(
            f"{path}: schema version {version} is older than this tool's ({STORE_SCHEMA_VERSION}) and "
            f"could not be upgraded ({str(exc).removeprefix(f'{path}: ')}); run `ingest` once on a "
            "writable copy to upgrade it"
        ) from None


def _ensure_schema(conn: sqlite3.Connection, path: Path) -> None:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version == STORE_SCHEMA_VERSION:
        _ensure_views(conn)
        return
    if version > STORE_SCHEMA_VERSION:
        raise StoreError(f"{path}: schema version {version} is newer than this tool's ({STORE_SCHEMA_VERSION})")
    with transaction(conn):
        # Read again under the write lock: another process may have created or upgraded the
        # store between the first look and now (two ingests starting on a new store).
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version == 0:
            if conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                raise StoreError(f"{path}: an SQLite database that is not a report store")
            for statement in statements(TABLES):
                conn.execute(statement)
        elif version < STORE_SCHEMA_VERSION:
            from .store_migrate import migrate

            migrate(conn, version)
        if version != STORE_SCHEMA_VERSION:
            conn.execute(f"PRAGMA user_version = {STORE_SCHEMA_VERSION}")
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


def statements(sql: str) -> Iterator[str]:
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

        why = {
            errno.ENOENT: "no such folder",
            errno.EACCES: "the store's folder is read-only (ingest needs to write it)",
            errno.EROFS: "the store is on read-only media (ingest needs to write it)",
        }.get(exc.errno)
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

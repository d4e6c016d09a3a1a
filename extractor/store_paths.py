"""Where the store's documents are: the archive roots it knows and every path under them, each
current, superseded (its bytes changed) or missing; paths are relative to their root."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable

from .store_open import now, transaction

LEGACY_ROOT = ""  # the root of paths kept from a version-1 store (stored as given, not relative)


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


def roots(conn: sqlite3.Connection) -> dict[str, int]:
    """path -> id of every archive root the store knows."""
    return {path: rid for rid, path in conn.execute("SELECT id, path FROM roots")}


def inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def add_root(conn: sqlite3.Connection, folder: str) -> tuple[int, str]:
    """The root that ``folder`` (absolute, resolved) belongs to, as (id, folder of the root).

    A folder inside a known root uses that root; a new root that holds known roots takes their
    paths over (ingesting ``archive/2022`` and later ``archive`` gives each file one path).
    """
    known = roots(conn)
    for path in sorted(known, key=len, reverse=True):
        if path != LEGACY_ROOT and inside(folder, path):
            return known[path], path
    with transaction(conn):
        rid = conn.execute("INSERT INTO roots (path, added_at) VALUES (?, ?)", (folder, now())).lastrowid
        for path, old in known.items():
            if path != LEGACY_ROOT and inside(path, folder):
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
    row = conn.execute(
        "SELECT sha256 FROM paths WHERE root = ? AND path = ? AND state <> 'superseded'", (root, path)
    ).fetchone()
    return None if row is None else row[0]


def make_current(conn: sqlite3.Connection, root: int, path: str, sha: str, seen: str) -> str:
    """Make ``sha`` the current document at (root, path): 'new', 'seen' or 'superseded' (bytes changed)."""
    old = live_sha(conn, root, path)
    if old is not None and old != sha:
        conn.execute(
            "UPDATE paths SET state = 'superseded', changed_at = ? WHERE root = ? AND path = ? AND sha256 = ?",
            (seen, root, path, old),
        )
    conn.execute(
        """INSERT INTO paths (root, path, sha256, state, first_seen, last_seen) VALUES (?, ?, ?, 'current', ?, ?)
           ON CONFLICT (root, path, sha256) DO UPDATE SET state = 'current', last_seen = excluded.last_seen,
               changed_at = CASE WHEN paths.state = 'current' THEN paths.changed_at ELSE NULL END""",
        (root, path, sha, seen, seen),
    )
    return "new" if old is None else ("seen" if old == sha else "superseded")


def link_path(conn: sqlite3.Connection, root: int, path: str, sha: str) -> str:
    """Record that a document already in the store is at (root, path) now; see ``make_current``."""
    with transaction(conn):
        return make_current(conn, root, path, sha, now())


def mark_missing(
    conn: sqlite3.Connection, root: int, prefix: str, seen: Iterable[str], unlisted: Iterable[str] = ()
) -> int:
    """Mark missing every current path under ``prefix`` ('' for the whole root) not in ``seen``.

    ``unlisted`` are folders that could not be listed: what they hold is unknown, not gone.
    """
    with transaction(conn):
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS seen_paths (path TEXT PRIMARY KEY) WITHOUT ROWID")
        conn.execute("DELETE FROM temp.seen_paths")
        conn.executemany("INSERT OR IGNORE INTO temp.seen_paths VALUES (?)", ((p,) for p in seen))
        rows = [
            p
            for (p,) in conn.execute(
                "SELECT path FROM paths WHERE root = ? AND state = 'current' AND (? = '' OR path = ? OR "
                "substr(path, 1, length(?) + 1) = ? || '/') AND path NOT IN (SELECT path FROM temp.seen_paths)",
                (root, prefix, prefix, prefix, prefix),
            )
        ]
        skip = [u.rstrip("/") + "/" for u in unlisted]
        rows = [p for p in rows if not any(p.startswith(u) for u in skip)]
        stamp = now()
        conn.executemany(
            "UPDATE paths SET state = 'missing', changed_at = ? WHERE root = ? AND path = ? AND state = 'current'",
            ((stamp, root, p) for p in rows),
        )
    return len(rows)


def prune(conn: sqlite3.Connection) -> int:
    """Remove missing paths, then documents no path refers to any more (superseded history stays)."""
    with transaction(conn):
        n = conn.execute("DELETE FROM paths WHERE state = 'missing'").rowcount
        conn.execute("DELETE FROM documents WHERE sha256 NOT IN (SELECT sha256 FROM paths)")
    return n

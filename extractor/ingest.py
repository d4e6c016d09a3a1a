"""Bulk ingestion: a folder tree of reports into the SQLite store, in parallel, resumably, losing nothing.

The parent walks the archive (``archive.py``), hashes each file and decides what to do with
it; workers (a local process pool, or a Dask cluster) run ``process_file``; the parent alone
writes the store, one transaction per document. Re-runs converge on the archive as it is:
a file stored with the same tool and pattern versions is skipped, a transient failure (a
crashed worker, a timeout, a file that vanished or changed while read) is tried again, a path
whose bytes changed supersedes its old row, and a path that is gone is marked missing.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from . import archive, store
from .archive import DOCUMENT_EXTENSIONS, find_files  # noqa: F401 - the public names they always had
from .ingest_file import process_file
from .ingest_policy import (  # noqa: F401 - the public names they always had
    DEFAULT_MAX_ATTEMPTS,
    DEFAULT_MAX_MEMORY_MB,
    DEFAULT_TIMEOUT,
    TRANSIENT_ERRORS,
    Policy,
)
from .progress import Progress

# Imported once by the server the workers are forked from, so that no worker pays for them.
WORKER_PRELOAD = (
    "extractor.ingest",
    "extractor.pipeline",
    "extractor.rules",
    "extractor.readers",
    "extractor.output.json",
)


def versions() -> tuple[str, str]:
    """(tool version, patterns version): a stored document made with others is extracted again."""
    from . import __version__
    from .patterns import load

    return __version__, load().version


# --- the parent: walk, hash, decide, write --------------------------------------------------------


@dataclass
class Summary:
    """What a run did. ``files`` counts documents considered; ``ignored`` files were not documents;
    ``outside`` were symlinks out of the archive, not followed; ``changed`` paths got new bytes."""

    files: int = 0
    ok: int = 0
    not_reports: int = 0
    skipped: int = 0
    errors: int = 0
    retried: int = 0
    ignored: int = 0
    outside: int = 0
    changed: int = 0
    missing: int = 0
    pruned: int = 0
    findings: Counter = field(default_factory=Counter)
    error_kinds: Counter = field(default_factory=Counter)
    elapsed: float = 0.0

    @property
    def docs_per_s(self) -> float:
        done = self.ok + self.errors + self.not_reports
        return done / self.elapsed if self.elapsed > 0 else 0.0

    def render(self) -> str:
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(self.error_kinds.items()))
        sev = " · ".join(f"{s} {self.findings.get(s, 0)}" for s in ("error", "warning", "info"))
        return (
            f"files {self.files} · ok {self.ok} · skipped {self.skipped} · errors {self.errors}"
            f"{f' ({kinds})' if kinds else ''} · not a report {self.not_reports} · retried {self.retried}\n"
            f"paths: changed {self.changed} · missing {self.missing} · pruned {self.pruned} · "
            f"ignored {self.ignored} · symlinks out of the archive {self.outside}\n"
            f"findings: {sev}\n"
            f"elapsed {self.elapsed:.1f} s · {self.docs_per_s:.1f} docs/s"
        )


def _error_result(sha: str, size: int | None, code: str, reason: str, fmt: str | None = None) -> dict:
    return {"sha256": sha, "size": size, "format": fmt, "status": "error", "error_code": code, "error": reason}


def _path_key(entry: archive.Entry) -> str:
    """The key of a file whose bytes could not be read: its place, stable from run to run."""
    place = f"{entry.scope.folder}\0{entry.rel}".encode("utf-8", "surrogateescape")
    return "unreadable:" + hashlib.sha256(place).hexdigest()


def _check_options(workers: int | None, timeout: float | None, max_attempts: int) -> None:
    if workers is not None and workers < 1:
        raise ValueError(f"workers must be at least 1 (got {workers})")
    if timeout is not None and not timeout > 0:
        raise ValueError(f"the timeout must be more than 0 seconds (got {timeout:g})")
    if max_attempts < 1:
        raise ValueError(f"max_attempts must be at least 1 (got {max_attempts})")


def ingest(
    paths: Iterable[str | os.PathLike],
    db: str | os.PathLike,
    *,
    workers: int | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    force: bool = False,
    retry_errors: bool = False,
    prune: bool = False,
    follow_symlinks: bool = False,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    quiet: bool = False,
    max_memory_mb: int | None = DEFAULT_MAX_MEMORY_MB,
    engine: str = "process",
    scheduler=None,
    progress: bool | None = None,
    on_wait: Callable[[], None] | None = None,
    task: Callable[..., dict] = process_file,
) -> Summary:
    """Ingest every document under ``paths`` into the store ``db``; returns what was done.

    ``engine`` is "process" (a local pool of ``workers`` processes, default all cores) or
    "dask" (``scheduler``: a Dask scheduler address or a ``distributed.Client``). A progress
    bar is drawn on a terminal unless ``quiet``; ``progress`` forces it on or off. A second
    ingest on the same store waits for the first (``on_wait`` is called if it has to).
    ``prune`` removes paths found missing and the documents left with no path. ``task`` is the
    per-file function the workers run (``process_file``; another must take the same arguments,
    return the same rows and be importable by the workers).
    """
    _check_options(workers, timeout, max_attempts)
    started = time.monotonic()
    with store.ingest_lock(db, on_wait):
        conn = store.connect(db)
        try:
            summary = _run(
                conn,
                paths,
                db,
                Policy(versions(), force, retry_errors, max_attempts),
                workers=workers,
                timeout=timeout,
                follow_symlinks=follow_symlinks,
                prune=prune,
                bar=Progress(0, enabled=(not quiet) if progress is None else progress),
                max_memory_mb=max_memory_mb,
                engine=engine,
                scheduler=scheduler,
                task=task,
            )
        except sqlite3.Error as exc:  # e.g. the disk is full, or another program holds the lock too long
            raise store.StoreError(f"{db}: {store.describe_error(exc)}") from exc
        finally:
            conn.close()
    summary.elapsed = time.monotonic() - started
    return summary


def _run(
    conn,
    paths,
    db,
    policy: Policy,
    *,
    workers,
    timeout,
    follow_symlinks,
    prune,
    bar,
    max_memory_mb,
    engine,
    scheduler,
    task,
) -> Summary:
    walk = archive.scan(conn, paths, follow_symlinks=follow_symlinks, exclude=store.store_files(db))
    batch = _Batch(conn, policy, bar, Summary(outside=len(walk.outside)))
    bar.total = len(walk.entries)
    with bar, _engine(engine, workers, timeout, max_memory_mb, scheduler, task) as runner:
        for outcome in runner.map_unordered(batch.tasks(walk.entries)):
            path, sha = outcome.task[:2]
            if outcome.ok:
                result = outcome.value
            else:
                result = _error_result(sha, _size(path), outcome.code or "internal", outcome.error or "failed")
                result["seconds"] = outcome.seconds
            batch.write(result, batch.pending.pop(sha))
    # Only a complete walk says what is gone (a run killed half-way marks nothing missing).
    for scope in walk.scopes:
        batch.summary.missing += store.mark_missing(conn, scope.root, scope.prefix, scope.seen, scope.unlisted)
    if prune:
        batch.summary.pruned = store.prune(conn)
    return batch.summary


class _Batch:
    """The parent's side of a run: decides what each file needs, and writes each result."""

    def __init__(self, conn, policy: Policy, bar, summary: Summary):
        from .limits import current

        self.conn, self.policy, self.bar, self.summary = conn, policy, bar, summary
        self.max_bytes = current().max_bytes  # the limit in force (EXTRACTOR_MAX_BYTES reaches the workers too)
        self.pending: dict[str, list[tuple[int, str]]] = {}  # sha256 -> places waiting for its result
        self.tries: dict[str, int] = {}  # sha256 -> the attempt number being written
        self.done: set[str] = set()  # written in this run: a later copy of the same bytes is a skip

    def write(self, result: dict, places: list[tuple[int, str]]) -> None:
        sha, summary = result["sha256"], self.summary
        attempt = self.tries.pop(sha, 1)
        tool_version, patterns_version = self.policy.versions
        links = store.write_document(
            self.conn, result, places, tool_version=tool_version, patterns_version=patterns_version, attempts=attempt
        )
        summary.changed += links.count("superseded")
        self.done.add(sha)
        summary.retried += attempt > 1 and not self.policy.force
        if result["status"] == "ok":
            summary.ok += 1
        elif result["status"] == "not-a-report":
            summary.not_reports += 1
        else:
            summary.errors += 1
            summary.error_kinds[result.get("error_code") or "error"] += 1
        summary.findings.update(result.get("severities", {}))
        self.bar.advance(len(places), errors=summary.errors)

    def tasks(self, entries: list[archive.Entry]) -> Iterator[tuple]:
        """The files a worker must read; runs in the parent between results, settling the rest here."""
        summary = self.summary
        for entry in entries:
            place = (entry.scope.root, entry.rel)
            sha, failure = _identify(entry, self.max_bytes)
            if sha is None:  # not a document: images, archives, code, a FIFO met in a folder
                summary.ignored += 1
                self.bar.advance(1, errors=summary.errors)
                continue
            entry.scope.seen.add(entry.rel)
            summary.files += 1
            if sha in self.pending:  # the same bytes at another path, already on their way
                summary.skipped += 1
                self.pending[sha].append(place)
                continue
            attempt = None if sha in self.done else self.policy.attempts(store.stored(self.conn, sha))
            if attempt is None:
                summary.skipped += 1
                summary.changed += store.link_path(self.conn, *place, sha) == "superseded"
                self.bar.advance(1, errors=summary.errors)
                continue
            self.tries[sha] = attempt
            if failure is not None:
                self.write(failure, [place])
                continue
            # The worker reads the file itself and checks the hash: the bytes do not cross the pipe.
            self.pending[sha] = [place]
            yield (entry.path, sha)


def _identify(entry: archive.Entry, max_bytes: int) -> tuple[str | None, dict | None]:
    """(key, failure) of a file: its sha256, or a key by its place and the error row it gets.

    The key is None for what is not a document (not hashed, not stored).
    """
    try:
        info = os.stat(entry.path)
        if not stat.S_ISREG(info.st_mode):  # a FIFO or a device would block or never end
            if not entry.named:
                return None, None
            key = _path_key(entry)
            return key, _error_result(key, None, "not-a-file", "not a regular file")
        if not archive.looks_like_document(entry):
            return None, None
        sha = _hash_file(entry.path)
        if info.st_size > max_bytes:
            return sha, _error_result(
                sha, info.st_size, "limit-exceeded", f"file is {info.st_size} bytes (limit {max_bytes})"
            )
        return sha, None
    except FileNotFoundError:  # listed, then gone: tried again next run if it comes back
        key = _path_key(entry)
        return key, _error_result(key, None, "vanished", "the file disappeared before it was read")
    except OSError as exc:  # no bytes, no content hash: the row is keyed by the place instead
        key = _path_key(entry)
        return key, _error_result(key, None, "unreadable", f"cannot read: {exc.strerror or exc}")


def default_workers() -> int:
    """All the cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def _size(path: str) -> int | None:
    try:
        return os.path.getsize(path)
    except OSError:
        return None


def _hash_file(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _engine(name: str, workers: int | None, timeout: float | None, max_memory_mb: int | None, scheduler, task):
    if name == "process":
        from .pool import WorkerPool

        return WorkerPool(
            task, workers or default_workers(), timeout=timeout, memory_mb=max_memory_mb, preload=WORKER_PRELOAD
        )
    if name == "dask":
        if scheduler is None:
            raise ValueError("the dask engine needs a scheduler address (--scheduler)")
        from .dask_engine import DaskRunner

        return DaskRunner(scheduler, task, timeout=timeout)
    raise ValueError(f"unknown engine {name!r} (process or dask)")

"""Bulk ingestion: a folder tree of reports into the SQLite store, in parallel, resumably, losing nothing.

The parent walks the paths, hashes each file and decides what to do with it; workers (a
local process pool, or a Dask cluster) run ``process_file``; the parent alone writes the
store, one transaction per document. A document already stored with the same tool and
pattern versions is skipped, so a run killed at any point is finished by running it again.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import store

DEFAULT_TIMEOUT = 120.0  # seconds one file may take before its worker is killed and replaced
DEFAULT_MAX_MEMORY_MB = 4096  # address space of one worker; a parser past it gets MemoryError
# Extensions under which a file is taken for a report even when it cannot be read (it then
# gets an error row). Elsewhere in a walked folder, what no reader takes (archives, GIFs) and
# plain text under other names (code, CSV, JSON) is not a document; workbooks, OFD files and
# scanned pages saved as images are (images are read by OCR, with the [ocr] extra).
DOCUMENT_EXTENSIONS = frozenset({".txt", ".text", ".doc", ".docx", ".pdf", ".htm", ".html", ".xhtml", ".mht",
                                 ".rtf", ".wps", ".xlsx", ".xls", ".ofd", ".png", ".jpg", ".jpeg", ".tif",
                                 ".tiff", ""})
# A test-only hook: "hang:NAME,eat:NAME,crash:NAME,slow:NAME" makes process_file misbehave on
# files named NAME ("*": every file). ingest() reads it once and passes it with each task,
# since workers forked from a long-lived server would not see a later change to the parent's
# environment. Unset (always, outside tests), it costs nothing.
TEST_HOOK_ENV = "EXTRACTOR_INGEST_TEST_HOOK"
SLOW_HOOK_SECONDS = 0.05
# Imported once by the server the workers are forked from, so that no worker pays for them.
WORKER_PRELOAD = ("extractor.ingest", "extractor.pipeline", "extractor.rules", "extractor.readers",
                  "extractor.output.json")


def versions() -> tuple[str, str]:
    """(tool version, patterns version): a stored document made with others is extracted again."""
    from . import __version__
    from .patterns import load

    return __version__, load().version


# --- the per-file function (runs in a worker process or on a Dask worker) -----------------------


def _test_hook(path: str, spec: str) -> None:
    for item in spec.split(","):
        action, _, name = item.partition(":")
        if name not in ("*", os.path.basename(path)):
            continue
        if action == "hang":
            time.sleep(3600)
        elif action == "slow":
            time.sleep(SLOW_HOOK_SECONDS)
        elif action == "eat":
            hoard = []
            while True:
                hoard.append(bytearray(64 * 1024 * 1024))
        elif action == "crash":
            os._exit(70)


def process_file(path: str, sha256: str | None = None, test_hook: str | None = None) -> dict:
    """Read, extract and verify one file; the result is what ``store.write_document`` writes.

    ``sha256`` is the hash the parent computed: if the bytes read here differ, the file
    changed in between and the result is an error rather than a record under the wrong key.
    """
    from .errors import ReadError
    from .output.json import to_dict
    from .pipeline import extract_document
    from .readers import read_bytes

    if test_hook:
        _test_hook(path, test_hook)
    started = time.perf_counter()
    data = Path(path).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    shown = store.display_path(path)
    result: dict = {"sha256": sha256 or digest, "path": shown, "size": len(data)}
    if sha256 and digest != sha256:
        return {**result, "status": "error", "error_code": "changed", "error": "file changed while being ingested"}
    try:
        extraction = extract_document(read_bytes(data, name=shown, path=shown))
    except ReadError as exc:
        return {**result, "status": "error", "error_code": exc.code, "error": exc.reason,
                "seconds": time.perf_counter() - started}
    record = to_dict(extraction)
    source = record["source"]
    return {
        **result, "status": "ok", "format": source["format"], "pages": source["pages"], "chars": source["chars"],
        "encoding": source["encoding"], "record": json.dumps(record, ensure_ascii=False),
        "text": extraction.document.text, "values": store.flatten_values(record["report"]),
        "findings": store.flatten_findings(record["findings"]),
        "severities": dict(Counter(f["severity"] for f in record["findings"])),
        "seconds": time.perf_counter() - started,
    }


# --- the parent: walk, hash, decide, write --------------------------------------------------------


@dataclass
class Summary:
    """What a run did. ``files`` counts documents considered; ``ignored`` files were not documents."""

    files: int = 0
    ok: int = 0
    skipped: int = 0
    errors: int = 0
    ignored: int = 0
    findings: Counter = field(default_factory=Counter)
    error_kinds: Counter = field(default_factory=Counter)
    elapsed: float = 0.0

    @property
    def docs_per_s(self) -> float:
        return (self.ok + self.errors) / self.elapsed if self.elapsed > 0 else 0.0

    def render(self) -> str:
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(self.error_kinds.items()))
        sev = " · ".join(f"{s} {self.findings.get(s, 0)}" for s in ("error", "warning", "info"))
        return (f"files {self.files} · ok {self.ok} · skipped {self.skipped} · errors {self.errors}"
                f"{f' ({kinds})' if kinds else ''} · ignored {self.ignored}\n"
                f"findings: {sev}\n"
                f"elapsed {self.elapsed:.1f} s · {self.docs_per_s:.1f} docs/s")


def find_files(paths: Iterable[str | os.PathLike], *, exclude: Iterable[str] = ()) -> Iterator[tuple[str, bool]]:
    """(path, named) for each file under ``paths``, depth first in name order; hidden entries skipped.

    ``named`` is True for a file given directly: it is taken for a document whatever its name.
    """
    excluded = {os.path.realpath(p) for p in exclude}
    excluded_names = {os.path.basename(p) for p in excluded}  # realpath costs syscalls: only for these
    for top in paths:
        top = os.fspath(top)
        if not os.path.isdir(top):
            yield top, True
            continue
        for root, dirs, files in os.walk(top):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                full = os.path.join(root, name)
                if name.startswith(".") or (name in excluded_names and os.path.realpath(full) in excluded):
                    continue
                yield full, False


def _error_result(sha: str, size: int | None, code: str, reason: str, fmt: str | None = None) -> dict:
    return {"sha256": sha, "size": size, "format": fmt, "status": "error", "error_code": code, "error": reason}


def _looks_like_document(path: str) -> bool:
    """For a file whose name does not say document: does it sniff as one (a .pdf saved as .bin,
    a web page saved as .jsp)? Reads the first block only, or the whole file for a zip, whose
    directory is at its end; plain text under such a name (code, CSV, logs) is not a document.
    """
    from .errors import ReadError
    from .limits import current
    from .readers import SNIFF_BYTES, sniff

    try:
        with open(path, "rb") as fh:
            data = fh.read(SNIFF_BYTES)
            if data.startswith(b"PK"):
                data += fh.read(current().max_bytes)
        return bool(data) and sniff(data, path) != "txt"
    except (OSError, ReadError):
        return False


def ingest(paths: Iterable[str | os.PathLike], db: str | os.PathLike, *, workers: int | None = None,
           timeout: float = DEFAULT_TIMEOUT, force: bool = False, quiet: bool = False,
           max_memory_mb: int | None = DEFAULT_MAX_MEMORY_MB, engine: str = "process",
           scheduler=None, progress: bool | None = None) -> Summary:
    """Ingest every document under ``paths`` into the store ``db``; returns what was done.

    ``engine`` is "process" (a local pool of ``workers`` processes, default all cores) or
    "dask" (``scheduler``: a Dask scheduler address or a ``distributed.Client``). A progress
    bar is drawn on a terminal unless ``quiet``; ``progress`` forces it on or off.
    """
    from .limits import current

    max_bytes = current().max_bytes  # the limit in force (EXTRACTOR_MAX_BYTES reaches the workers too)
    started = time.monotonic()
    conn = store.connect(db)
    tool_version, patterns_version = versions()
    db_files = [os.fspath(db) + suffix for suffix in ("", "-wal", "-shm", "-journal")]
    files = list(find_files(paths, exclude=db_files))
    summary = Summary()
    pending: dict[str, list[str]] = {}  # sha256 -> paths waiting for that document's result
    done: set[str] = set()  # written in this run: a later copy of the same bytes is a skip
    replacing: set[str] = set()  # already in the store: its old rows must go
    bar = _Progress(len(files), enabled=(not quiet) if progress is None else progress)
    hook = os.environ.get(TEST_HOOK_ENV)

    def write(result: dict, paths_: list[str]) -> None:
        versions_ = {"tool_version": tool_version, "patterns_version": patterns_version}
        try:
            store.write_document(conn, result, paths_, replace=result["sha256"] in replacing, **versions_)
        except sqlite3.IntegrityError:  # another run stored it meanwhile: replace its rows instead
            store.write_document(conn, result, paths_, replace=True, **versions_)
        done.add(result["sha256"])
        if result["status"] == "ok":
            summary.ok += 1
            summary.findings.update(result.get("severities", {}))
        else:
            summary.errors += 1
            summary.error_kinds[result.get("error_code") or "error"] += 1
        bar.advance(len(paths_), errors=summary.errors)

    def settle(path: str, result: dict | None) -> None:
        """A file that needs no worker: counted, and its error row (if any) written."""
        if result is None:
            summary.ignored += 1
            bar.advance(1, errors=summary.errors)
        else:
            summary.files += 1
            write(result, [path])

    def tasks() -> Iterator[tuple[str, str]]:
        # Runs in the parent between results: whatever needs no worker is settled here.
        for path, named in files:
            document_name = named or os.path.splitext(path)[1].lower() in DOCUMENT_EXTENSIONS
            failure: dict | None = None
            try:
                info = os.stat(path)
                if not stat.S_ISREG(info.st_mode):  # a FIFO or a device would block or never end
                    settle(path, _error_result("unreadable:" + _path_hash(path), None, "not-a-file",
                                               "not a regular file") if named else None)
                    continue
                if not document_name and not _looks_like_document(path):
                    settle(path, None)  # images, archives, code: not hashed, not stored
                    continue
                if info.st_size > max_bytes:
                    sha = _hash_file(path)
                    failure = _error_result(sha, info.st_size, "limit-exceeded",
                                            f"file is {info.st_size} bytes (limit {max_bytes})")
                else:
                    sha = hashlib.sha256(Path(path).read_bytes()).hexdigest()
            except OSError as exc:
                # No bytes, no content hash: the row is keyed by the path instead.
                sha = "unreadable:" + _path_hash(path)
                failure = _error_result(sha, None, "unreadable", f"cannot read: {exc.strerror or exc}")
            if sha in pending:  # the same bytes at another path, already on their way
                summary.files += 1
                summary.skipped += 1
                pending[sha].append(path)
                continue
            stored = store.versions_of(conn, sha)
            if stored is not None:
                replacing.add(sha)
            if stored == (tool_version, patterns_version) and (not force or sha in done):
                summary.files += 1
                summary.skipped += 1
                store.add_path(conn, sha, path)
                bar.advance(1, errors=summary.errors)
                continue
            if failure is not None:
                settle(path, failure)
                continue
            # The worker reads the file itself and checks the hash: the bytes do not cross the pipe.
            summary.files += 1
            pending[sha] = [path]
            yield (path, sha, hook) if hook else (path, sha)

    try:
        with bar, _engine(engine, workers, timeout, max_memory_mb, scheduler) as runner:
            for outcome in runner.map_unordered(tasks()):
                path, sha = outcome.task[:2]
                if outcome.ok:
                    result = outcome.value
                else:
                    result = _error_result(sha, _size(path), outcome.code or "internal", outcome.error or "failed")
                    result["seconds"] = outcome.seconds
                write(result, pending.pop(sha))
    except sqlite3.Error as exc:  # e.g. the disk is full, or another writer holds the lock too long
        raise store.StoreError(f"{db}: {exc}") from exc
    finally:
        conn.close()
    summary.elapsed = time.monotonic() - started
    return summary


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


def _path_hash(path: str) -> str:
    return hashlib.sha256(os.fsencode(path)).hexdigest()


def _hash_file(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _engine(name: str, workers: int | None, timeout: float | None, max_memory_mb: int | None, scheduler):
    if name == "process":
        from .pool import WorkerPool

        return WorkerPool(process_file, workers or default_workers(), timeout=timeout, memory_mb=max_memory_mb,
                          preload=WORKER_PRELOAD)
    if name == "dask":
        if scheduler is None:
            raise ValueError("the dask engine needs a scheduler address (--scheduler)")
        from .dask_engine import DaskRunner

        return DaskRunner(scheduler, process_file, timeout=timeout)
    raise ValueError(f"unknown engine {name!r} (process or dask)")


class _Progress:
    """A rich progress bar on a terminal (files, errors, docs/s, ETA); nothing otherwise."""

    def __init__(self, total: int, *, enabled: bool):
        self.total, self.bar, self.task = total, None, None
        if enabled and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self.bar = Progress(
                TextColumn("ingest"), BarColumn(), MofNCompleteColumn(),
                TextColumn("errors {task.fields[errors]}"),
                TextColumn("{task.fields[rate]} docs/s"), TimeRemainingColumn(),
                console=Console(stderr=True), transient=False,
            )

    def __enter__(self):
        if self.bar is not None:
            self.bar.__enter__()
            self.task = self.bar.add_task("ingest", total=self.total, errors=0, rate="–")
        return self

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)

    def advance(self, n: int, *, errors: int) -> None:
        if self.bar is not None:
            speed = self.bar.tasks[0].speed
            self.bar.update(self.task, advance=n, errors=errors, rate=f"{speed:.1f}" if speed else "–")

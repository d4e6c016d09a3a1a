"""Ingest of a mixed archive with table PDFs (issue 16): docs/s and pages/s with 1 and 2 workers,
and the workers' peak memory.

    .venv/bin/python bench/ingest_tables.py [--docs 400] [--table-pdfs 92] [--repeat 2] [--keep DIR]

The archive is ``bench/ingest.py``'s (variants of the samples in every format; that script is
another helper's and is only imported here) with table-heavy PDFs from ``bench/table_reports.py``
among them: mostly 10-page reports, every eighth a 50-page one, each made unique by a comment
after %%EOF. Pages count a PDF's pages and 1 for any other document. The workers' peak resident
set (VmHWM) is sampled from /proc while the run goes (Linux; "-" elsewhere).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import ingest as sample_archive  # noqa: E402  bench/ingest.py
import table_reports  # noqa: E402

from extractor.ingest import ingest  # noqa: E402

TABLES_OUT = Path(tempfile.gettempdir()) / "gov-perf-bench-tables"


def build(folder: Path, docs: int, table_pdfs: int) -> int:
    """Write the archive; returns its pages."""
    sample_archive.build(folder / "samples", docs - table_pdfs)
    sources = [table_reports.build(TABLES_OUT, pages, 16)[1] for pages in (10, 50)]
    pages = {src: table_reports.page_count(src) for src in sources}
    total = 0
    for path in (folder / "samples").rglob("*"):
        if path.is_file():
            total += table_reports.page_count(path) if path.suffix == ".pdf" else 1
    for n in range(table_pdfs):
        src = sources[1] if n % 8 == 7 else sources[0]
        target = folder / "tables" / f"{n:04d}-{src.stem}.pdf"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(src.read_bytes() + f"\n%bench-variant {n:05d}\n".encode())
        total += pages[src]
    return total


class PeakSampler:
    """The largest VmHWM among this process's descendants while it runs (MiB).

    It runs in the parent, beside the workers it measures, so it must cost next to nothing: a
    scan of every process on the machine (to find the descendants) every 0.1 s took ~5% of a
    core from the workers on a busy machine, enough to hide 0.1x of the 2-worker speed-up.
    VmHWM is a high-water mark, so a sample every ``EVERY`` seconds still sees a peak reached
    in between; the descendants are looked for again every ``RESCAN`` samples (the pool's
    workers live for the whole run)."""

    EVERY = 0.5
    RESCAN = 4

    def __init__(self) -> None:
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        me, pids, n = os.getpid(), [], 0
        while not self._stop.wait(self.EVERY):
            if n % self.RESCAN == 0:
                pids = _descendants(me)
            n += 1
            for pid in pids:
                try:
                    with open(f"/proc/{pid}/status") as fh:
                        for line in fh:
                            if line.startswith("VmHWM:"):
                                self.peak = max(self.peak, int(line.split()[1]) / 1024)
                except OSError:
                    pass


def _descendants(root: int) -> list[int]:
    parents: dict[int, int] = {}
    try:
        pids = [int(p) for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        return []
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as fh:
                parents[pid] = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            pass
    out, frontier = [], [root]
    while frontier:
        kids = [pid for pid, ppid in parents.items() if ppid in frontier]
        out += kids
        frontier = kids
    return out


def run(folder: Path, workers: int, scratch: Path):
    db = scratch / f"bench-{workers}.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    with PeakSampler() as sampler:
        started = time.monotonic()
        summary = ingest([folder], db, workers=workers, quiet=True)
        elapsed = time.monotonic() - started
    return elapsed, summary, sampler.peak


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=400)
    ap.add_argument("--table-pdfs", type=int, default=92)
    ap.add_argument("--repeat", type=int, default=2, help="runs per configuration; the best counts")
    ap.add_argument("--keep", type=Path, help="build the archive here and keep it")
    args = ap.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="bench-ingest-tables-"))
    folder = args.keep or scratch / "archive"
    try:
        pages = build(folder, args.docs, args.table_pdfs)
        print(f"archive: {args.docs} documents ({args.table_pdfs} table PDFs), {pages} pages, in {folder}")
        warm = scratch / "warm"
        warm.mkdir()
        shutil.copy(next(folder.rglob("*.txt")), warm)
        run(warm, 2, scratch)  # the worker pool's first start is not timed
        best: dict[int, float] = {}
        for attempt in range(1, args.repeat + 1):
            for workers in (1, 2):  # alternating, so that load from elsewhere falls on both
                elapsed, summary, peak = run(folder, workers, scratch)
                best[workers] = min(elapsed, best.get(workers, float("inf")))
                print(
                    f"run {attempt}, workers {workers}: {summary.ok} ok, {summary.errors} errors in {elapsed:.1f} s"
                    f" = {args.docs / elapsed:.1f} docs/s, {pages / elapsed:.0f} pages/s; worker peak "
                    f"{peak:.0f} MiB" + (f"; errors {dict(summary.error_kinds)}" if summary.errors else "")
                )
        for workers, elapsed in best.items():
            print(f"best, workers {workers}: {args.docs / elapsed:.1f} docs/s, {pages / elapsed:.0f} pages/s")
        print(f"speed-up with 2 workers: {best[1] / best[2]:.2f}x (target >= 1.8x)")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()

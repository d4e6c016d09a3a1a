"""Run ingestion's per-file function on a Dask cluster; results stream back to the one SQLite writer.

``python cli.py ingest ARCHIVE --db reports.sqlite --engine dask --scheduler tcp://host:8786``
maps ``extractor.ingest.process_file`` over the cluster's workers. The parent still walks and
hashes the files (so skipping, deduplication and resuming work exactly as with local
processes) and remains the only process that writes the store: SQLite takes one writer at a
time, and one writer committing one document per transaction is what makes a run resumable.
The workers must see the files at the same paths (a shared or network file system) and have
this package installed. A task that runs past the time limit is written as a timeout error;
its worker is restarted when the cluster has nannies (``dask worker`` and ``LocalCluster``
with processes do), and Dask's own ``--memory-limit`` restarts a worker that eats memory.

Very large runs (millions of files, many machines): one SQLite writer then becomes the
limit, at some hundreds of documents per second. Write Parquet shards instead and let each
worker write its own, for example::

    import dask.bag as db
    from extractor.ingest import process_file, find_files

    def rows(result):                      # one flat row per document; values kept as JSON
        return {k: result.get(k) for k in ("sha256", "path", "format", "status", "error_code",
                                           "error", "record")}

    paths = [p for p, _ in find_files(["/archive"])]
    bag = db.from_sequence(paths, npartitions=len(paths) // 1000 + 1).map(process_file).map(rows)
    bag.to_dataframe().to_parquet("s3://bucket/reports/", write_index=False)   # one file per partition

Each partition becomes one Parquet file, written by the worker that made it, so nothing
funnels through one process. Such shards are not deduplicated or resumable by themselves:
key them by ``sha256`` and drop duplicates when reading, or load them into the SQLite store
afterwards (``store.write_document`` accepts the same result dicts).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable, Iterator

from .pool import Outcome

# Futures in flight per worker thread: enough to keep the cluster busy while the parent
# writes, few enough that the time limit (counted from submission) is mostly running time.
IN_FLIGHT_PER_THREAD = 2
POLL_SECONDS = 0.5


class DaskRunner:
    """``map_unordered(tasks)`` over a Dask cluster, yielding ``pool.Outcome``s like ``WorkerPool``.

    ``scheduler`` is a scheduler address or an existing ``distributed.Client``.
    """

    def __init__(self, scheduler, fn: Callable, *, timeout: float | None = None):
        self.scheduler, self.fn, self.timeout = scheduler, fn, timeout
        self.client = None
        self._own_client = False

    def __enter__(self) -> DaskRunner:
        from distributed import Client

        if isinstance(self.scheduler, Client):
            self.client = self.scheduler
        else:
            self.client = Client(self.scheduler)
            self._own_client = True
        return self

    def __exit__(self, *exc) -> None:
        if self._own_client and self.client is not None:
            self.client.close()
        self.client = None

    def _threads(self) -> int:
        return max(1, sum(self.client.nthreads().values()))

    def map_unordered(self, tasks: Iterable[tuple]) -> Iterator[Outcome]:
        from distributed import wait
        from distributed.utils import TimeoutError as DaskTimeout

        source = iter(tasks)
        exhausted = False
        running: dict = {}  # future -> (task, submitted at)
        run_id = uuid.uuid4().hex[:8]
        while True:
            window = IN_FLIGHT_PER_THREAD * self._threads()
            while not exhausted and len(running) < window:
                try:
                    task = next(source)
                except StopIteration:
                    exhausted = True
                    break
                # pure=False: the same path hashed twice must still be run, not served from cache.
                future = self.client.submit(self.fn, *task, pure=False, key=f"ingest-{run_id}-{task[1]}")
                running[future] = (task, time.monotonic())
            if not running:
                return
            try:
                wait(list(running), timeout=POLL_SECONDS, return_when="FIRST_COMPLETED")
            except (DaskTimeout, TimeoutError):
                pass
            now = time.monotonic()
            for future in list(running):
                task, submitted = running[future]
                if future.done():
                    del running[future]
                    yield self._outcome(future, task, now - submitted)
                elif self.timeout is not None and now - submitted >= self.timeout:
                    del running[future]
                    self._abandon(future)
                    yield Outcome(
                        task,
                        False,
                        code="timeout",
                        error=f"no result after {self.timeout:g} s (worker restarted)",
                        seconds=now - submitted,
                    )

    def _outcome(self, future, task: tuple, seconds: float) -> Outcome:
        try:
            if future.status == "finished":
                return Outcome(task, True, future.result(), seconds=seconds)
            exc = future.exception()
            first = str(exc).splitlines()[0] if str(exc) else ""
            code = "limit-exceeded" if isinstance(exc, MemoryError) else "internal"
            if type(exc).__name__ == "KilledWorker":
                code = "crashed"
            return Outcome(task, False, code=code, error=f"{type(exc).__name__}: {first}".rstrip(": "), seconds=seconds)
        finally:
            future.release()

    def _abandon(self, future) -> None:
        """Cancel a task past its time limit and restart the worker running it, if it can be."""
        processing = self.client.processing()
        workers = [w for w, keys in processing.items() if future.key in keys]
        future.cancel()
        if workers:
            try:  # a thread cannot be stopped; a worker under a nanny can be restarted
                self.client.restart_workers(workers, timeout=30, raise_for_error=False)
            except Exception:  # noqa: BLE001 - no nanny (threads only): the thread runs on, the batch goes on
                pass

"""A process pool that outlives its tasks: a task that hangs, crashes its worker or eats memory
costs one error result, the worker is killed and replaced, and the batch goes on.

``concurrent.futures.ProcessPoolExecutor`` cannot do this (one dead worker breaks the whole
pool, a running task cannot be stopped), so each worker here is a plain process with its own
pipe, running one task at a time, that the parent may SIGKILL.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import selectors
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

# Workers are forked from a clean server process (not from the parent, which may have a
# progress-bar thread running) that has imported the caller's ``preload`` modules once, so a
# replacement worker starts in milliseconds with the work's code already loaded.
START_METHOD = "forkserver"
# Tasks sent ahead to each worker: the next one is waiting in its pipe when it finishes, so it
# never idles while the parent is busy writing the last result.
QUEUE_PER_WORKER = 2
# How long a new worker may take to start before the pool gives up (seconds).
START_TIMEOUT = 60.0
READY = ("ready",)


class PoolError(RuntimeError):
    """The workers cannot run at all (they die while starting): no task can succeed, so stop."""


@dataclass(slots=True)
class Outcome:
    """The result of one task: ``value`` when ``ok``, else an error ``code`` and one-line ``error``."""

    task: tuple
    ok: bool
    value: object = None
    code: str | None = None
    error: str | None = None
    seconds: float = 0.0


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this worker when its parent dies, so a kill -9 of the run leaves no orphans."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: an idle worker still exits on EOF from its pipe
        pass


SETTINGS_PREFIX = "EXTRACTOR_"  # the environment a worker takes from the parent when it starts


def _limit_memory(megabytes: int | None) -> None:
    """Cap the worker's memory (``extractor.limits.apply_memory_limit``: ``megabytes``, else
    ``--max-memory`` / ``EXTRACTOR_MAX_MEMORY``), so a runaway parser gets MemoryError rather
    than the machine."""
    from .limits import apply_memory_limit

    apply_memory_limit(megabytes * 1024 * 1024 if megabytes else None)


def _worker(conn, fn: Callable, memory_mb: int | None, settings: dict[str, str] | None = None) -> None:
    # the parent's EXTRACTOR_* settings as they are now: a worker forked from a long-lived server
    # would otherwise keep those of the server's start (its limits, its language)
    for key in [k for k in os.environ if k.startswith(SETTINGS_PREFIX)]:
        del os.environ[key]
    os.environ.update(settings or {})
    _die_with_parent()
    _limit_memory(memory_mb)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    conn.send(READY)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):  # the parent is gone
            return
        if task is None:
            return
        try:
            reply = ("ok", fn(*task))
        except MemoryError:
            reply = ("error", "limit-exceeded", "out of memory")
        except Exception as exc:  # noqa: BLE001 - the parent records it; the worker lives on
            first = str(exc).splitlines()[0] if str(exc) else ""
            reply = ("error", "internal", f"{type(exc).__name__}: {first}".rstrip(": "))
        try:
            conn.send(reply)
        except (EOFError, OSError, BrokenPipeError):
            return
        except Exception as exc:  # noqa: BLE001 - e.g. a result that does not pickle
            conn.send(("error", "internal", f"result could not be sent: {type(exc).__name__}"))


@dataclass(slots=True)
class _Slot:
    process: multiprocessing.process.BaseProcess
    conn: object
    # Sent and not answered, in order; the worker runs the first, which started at ``started``
    # (when the answer before it arrived: a worker runs its tasks one after the other).
    tasks: deque = field(default_factory=deque)
    started: float = 0.0


class WorkerPool:
    """``workers`` processes running ``fn(*task)``; ``map_unordered`` yields an Outcome per task.

    ``timeout`` (seconds) bounds each task; ``memory_mb`` caps each worker's address space;
    ``preload`` names modules the workers should have imported before their first task.
    Use as a context manager, so that the workers are stopped however the caller leaves.
    """

    def __init__(
        self,
        fn: Callable,
        workers: int,
        *,
        timeout: float | None = None,
        memory_mb: int | None = None,
        preload: Iterable[str] = (),
    ):
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.fn, self.size, self.timeout, self.memory_mb = fn, workers, timeout, memory_mb
        self.ctx = multiprocessing.get_context(START_METHOD)
        if START_METHOD == "forkserver":
            self.ctx.set_forkserver_preload(list(preload))
        self.slots: list[_Slot] = []
        self.retry: deque = deque()  # tasks taken back from a replaced worker, run first
        self.replaced = 0
        # One selector for the whole run (multiprocessing.connection.wait builds one per call):
        # each worker's pipe says "a result", its sentinel says "the process ended".
        self.selector = selectors.DefaultSelector()

    def __enter__(self) -> WorkerPool:
        try:
            self.slots = [self._start() for _ in range(self.size)]
            for slot in self.slots:
                self._await_ready(slot)
                self._watch(slot)
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _start(self) -> _Slot:
        parent, child = self.ctx.Pipe()
        settings = {k: v for k, v in os.environ.items() if k.startswith(SETTINGS_PREFIX)}
        process = self.ctx.Process(target=_worker, args=(child, self.fn, self.memory_mb, settings), daemon=True)
        process.start()
        child.close()
        return _Slot(process, parent)

    def _watch(self, slot: _Slot) -> None:
        self.selector.register(slot.conn, selectors.EVENT_READ, (slot, "result"))
        self.selector.register(slot.process.sentinel, selectors.EVENT_READ, (slot, "ended"))

    def _unwatch(self, slot: _Slot) -> None:
        for obj in (slot.conn, slot.process.sentinel):
            with contextlib.suppress(KeyError, ValueError):
                self.selector.unregister(obj)

    def _await_ready(self, slot: _Slot) -> None:
        # A worker that dies before it is ready (a broken install, an unguarded __main__ that
        # multiprocessing re-imports) would otherwise turn every file into a "crashed" row.
        try:
            if slot.conn.poll(START_TIMEOUT) and slot.conn.recv() == READY:
                return
        except (EOFError, OSError):
            pass
        slot.process.join(1)
        raise PoolError(f"a worker process failed to start (exit code {slot.process.exitcode})")

    def _replace(self, slot: _Slot) -> None:
        """Kill the worker and start another; its queued tasks, never started, go back to ``self.retry``."""
        self._unwatch(slot)
        with contextlib.suppress(OSError):
            os.kill(slot.process.pid, signal.SIGKILL)
        slot.process.join(5)
        slot.conn.close()
        self.retry.extend(slot.tasks)
        fresh = self._start()
        slot.process, slot.conn, slot.tasks = fresh.process, fresh.conn, deque()
        self._await_ready(slot)
        self._watch(slot)
        self.replaced += 1

    def close(self) -> None:
        for slot in self.slots:
            with contextlib.suppress(OSError, BrokenPipeError):
                if not slot.tasks:
                    slot.conn.send(None)
        deadline = time.monotonic() + 2
        for slot in self.slots:
            self._unwatch(slot)
            if slot.tasks:  # still busy: nothing to wait for
                slot.process.kill()
            slot.process.join(max(0.0, deadline - time.monotonic()))
            if slot.process.is_alive():
                slot.process.kill()
                slot.process.join(1)
            slot.conn.close()
        self.slots = []
        self.selector.close()

    def map_unordered(self, tasks: Iterable[tuple]) -> Iterator[Outcome]:
        """Run every task; tasks are pulled from the iterable only as workers have room for them."""
        source = iter(tasks)
        exhausted = False
        while True:
            for slot in self.slots:
                while len(slot.tasks) < QUEUE_PER_WORKER:
                    if self.retry:
                        task = self.retry.popleft()
                    elif exhausted:
                        break
                    else:
                        try:
                            task = next(source)
                        except StopIteration:
                            exhausted = True
                            break
                    if not self._send(slot, task):
                        self.retry.appendleft(task)
            busy = [s for s in self.slots if s.tasks]
            if not busy:
                if exhausted and not self.retry:
                    return
                continue
            wait_for = None
            if self.timeout is not None:
                wait_for = max(0.0, min(s.started for s in busy) + self.timeout - time.monotonic())
            events = {(id(key.data[0]), key.data[1]) for key, _ in self.selector.select(wait_for)}
            for slot in self.slots:
                if (id(slot), "result") in events or (id(slot), "ended") in events or slot.tasks:
                    yield from self._collect(slot, (id(slot), "result") in events, (id(slot), "ended") in events)

    def _send(self, slot: _Slot, task: tuple) -> bool:
        """Queue ``task`` on the worker; False if the worker was found dead (and replaced)."""
        try:
            slot.conn.send(task)
        except (OSError, BrokenPipeError):
            self._replace(slot)
            return False
        if not slot.tasks:
            slot.started = time.monotonic()
        slot.tasks.append(task)
        return True

    def _collect(self, slot: _Slot, readable: bool, ended: bool) -> Iterator[Outcome]:
        """The worker's next result; or, if it died or ran past the time limit, a failure and a new worker."""
        if not slot.tasks:
            if ended:  # died while idle (killed from outside): replace it before it is sent work
                self._replace(slot)
            return
        task, now = slot.tasks[0], time.monotonic()
        elapsed = now - slot.started
        if readable:  # a result comes before the death of the process that sent it
            try:
                reply = slot.conn.recv()
            except (EOFError, OSError):
                reply, ended = None, True
            if reply is not None:
                slot.tasks.popleft()
                slot.started = now  # a worker runs its tasks one after the other
                if reply[0] == "ok":
                    yield Outcome(task, True, reply[1], seconds=elapsed)
                else:
                    yield Outcome(task, False, code=reply[1], error=reply[2], seconds=elapsed)
                return
        if ended:
            slot.process.join(1)
            code = slot.process.exitcode
            how = f"killed by signal {-code}" if code is not None and code < 0 else f"exit code {code}"
            slot.tasks.popleft()
            self._replace(slot)
            yield Outcome(task, False, code="crashed", error=f"worker died ({how})", seconds=elapsed)
        elif self.timeout is not None and elapsed >= self.timeout:
            slot.tasks.popleft()
            self._replace(slot)
            yield Outcome(
                task,
                False,
                code="timeout",
                error=f"no result after {self.timeout:g} s (worker replaced)",
                seconds=elapsed,
            )

"""What one document may cost: size, text length, pages, zip contents, nesting, cells, OCR, time and memory.

Every limit has a default that no real report comes near, and can be changed three ways,
later ones winning:

- an environment variable (``EXTRACTOR_MAX_BYTES=500M``), which ingest's worker processes
  inherit;
- ``with limits.use(max_pages=5000): extract(path)`` around library calls (the CLI's
  ``--max-bytes``, ``--max-chars``, ``--max-pages``, ``--time-budget`` and ``--max-memory`` do this);
- a ``limits=`` keyword to ``extractor.readers.read`` / ``read_bytes`` (and ``max_bytes=``).

A document over a limit is refused with ``LimitExceeded``: one line naming the limit and the
variable that raises it.

Time: ``document()`` opens one budget for a whole document (reading, fields, rules); every
reader's ``ResourceBudget`` inside it shares its clock. Readers check it between pages, paragraphs and
elements. In the main thread an alarm (``SIGALRM``) also stops whatever runs at the deadline,
a long regex scan included: the ``regex`` module checks for signals while it matches, so the
fields and rules need no checks of their own. A single call into a C parser (lxml, lexbor,
pdfium) is not interrupted by it: readers bound those calls by cheap counts made first. In
other threads (a Dask worker's) only the readers' own checks apply.

Memory: ``memory_cap()`` (the CLI) and ``apply_memory_limit()`` (a worker process, once) cap the
process's data segment, so an allocation past ``max_memory`` raises MemoryError where it is made,
which the pipeline turns into a ``LimitExceeded``.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import os
import re
import signal
import threading
import time
from collections.abc import Iterator, Mapping

from .errors import LimitExceeded

__all__ = [
    "LIMIT_ENV",
    "ResourceBudget",
    "BudgetExpired",
    "Limits",
    "LimitsError",
    "apply_memory_limit",
    "current",
    "document",
    "memory_cap",
    "parse_seconds",
    "parse_size",
    "use",
]

MiB = 1024 * 1024


class LimitsError(ValueError):
    """A limit set to something that is not a positive number (a usage error, exit 3)."""


@dataclasses.dataclass(frozen=True, slots=True)
class Limits:
    max_bytes: int = 200 * MiB  # a file's size on disk
    max_chars: int = 10_000_000  # the document's text (a 1,000-page report has ~1 million)
    max_pages: int = 2_000  # pages of a PDF
    max_seconds: float = 60.0  # time for one document: reading, fields and rules (ingest kills at 120 s)
    max_memory: int = 2 * 1024 * MiB  # data memory of a process that reads documents (CLI, ingest worker)
    max_zip_members: int = 10_000  # members of a .docx zip (Word writes about 15)
    max_zip_bytes: int = 500 * MiB  # the zip's members inflated, as their headers declare
    max_xml_bytes: int = 100 * MiB  # one XML part (word/document.xml) inflated, as actually read
    max_nesting: int = 1_000  # elements open inside each other where an HTML parser scans them
    max_elements: int = 1_000_000  # tags in an HTML page (the parser keeps ~300 bytes for each)
    max_cells: int = 1_000_000  # cells of a workbook (.xlsx, .xls), and of the grid one sheet's table spans
    max_ocr_pages: int = 200  # pages of one document read by OCR (a page takes seconds: see README)
    max_image_pixels: int = 60_000_000  # pixels of one image decoded or rendered for OCR (A4 at 300 dpi: 8.7 M)

    def replace(self, **changes) -> Limits:
        """These limits with some changed; None leaves a limit as it is."""
        changes = {k: v for k, v in changes.items() if v is not None}
        for key, value in changes.items():
            if key not in _FIELDS:
                raise LimitsError(f"unknown limit {key!r} (one of {', '.join(_FIELDS)})")
            _check_positive(key, value)
        return dataclasses.replace(self, **changes) if changes else self

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Limits:
        """The defaults, changed by any ``EXTRACTOR_MAX_*`` variable that is set."""
        environ = os.environ if environ is None else environ
        changes = {}
        for key, var in LIMIT_ENV.items():
            raw = environ.get(var)
            if raw is None or not raw.strip():
                continue
            parse = parse_seconds if key == "max_seconds" else parse_size
            try:
                changes[key] = parse(raw)
            except LimitsError as err:
                raise LimitsError(f"{var}={raw!r}: {err}") from None
        return cls().replace(**changes)

    def budget(self, name: str | None = None) -> ResourceBudget:
        """A clock for reading one document under these limits; ``name`` labels its errors."""
        return ResourceBudget(self, name)


_FIELDS = tuple(f.name for f in dataclasses.fields(Limits))
LIMIT_ENV = {key: "EXTRACTOR_" + key.upper() for key in _FIELDS}
# The CLI flag for the limits that have one (shown in the error that names the limit).
FLAGS = {
    "max_bytes": "--max-bytes",
    "max_chars": "--max-chars",
    "max_pages": "--max-pages",
    "max_seconds": "--time-budget",
    "max_memory": "--max-memory",
}

_override: contextvars.ContextVar[dict | None] = contextvars.ContextVar("extractor_limits", default=None)

_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*", re.IGNORECASE)
_SECONDS = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(?:s|sec|seconds?)?\s*", re.IGNORECASE)
_UNIT = {"": 1, "k": 1024, "m": MiB, "g": 1024 * MiB, "t": 1024 * 1024 * MiB}


def _check_positive(key: str, value) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0 or value != value:
        raise LimitsError(f"{key} must be a positive number, not {value!r}")


def parse_size(text: str) -> int:
    """``"200M"``, ``"1.5G"``, ``"500k"``, ``"10000"`` -> a positive int (binary multiples)."""
    m = _SIZE.fullmatch(str(text))
    if not m:
        raise LimitsError(f"not a size: {text!r} (e.g. 200M, 1G, 10000)")
    value = int(float(m.group(1)) * _UNIT[m.group(2).lower()])
    if value <= 0:
        raise LimitsError(f"must be positive: {text!r}")
    return value


def parse_seconds(text: str) -> float:
    """``"60"``, ``"2.5s"`` -> seconds (positive)."""
    m = _SECONDS.fullmatch(str(text))
    if not m or not float(m.group(1)) > 0:
        raise LimitsError(f"not a positive number of seconds: {text!r}")
    return float(m.group(1))


def current(**overrides) -> Limits:
    """The limits in force: defaults, then the environment, then ``use()``, then ``overrides``."""
    limits = Limits.from_env()
    active = _override.get()
    if active:
        limits = limits.replace(**active)
    return limits.replace(**overrides) if overrides else limits


@contextlib.contextmanager
def use(limits: Limits | None = None, **overrides) -> Iterator[Limits]:
    """Within the block, readers use ``limits`` (or the current ones with ``overrides``)."""
    changes = dataclasses.asdict(limits) if limits is not None else {}
    changes.update({k: v for k, v in overrides.items() if v is not None})
    Limits().replace(**changes)  # validate now, not at the first read
    merged = {**(_override.get() or {}), **changes}
    token = _override.set(merged)
    try:
        yield current()
    finally:
        _override.reset(token)


def _hint(key: str) -> str:
    flag = FLAGS.get(key)
    return f"{flag} or {LIMIT_ENV[key]}" if flag else LIMIT_ENV[key]


def _number(value: float) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:g}"


class ResourceBudget:
    """Limits plus a clock for one document: readers call ``check()`` as they go.

    Made inside ``document()``, a budget shares the document's clock: it started when the
    document did, and ends at the document's deadline if that comes first."""

    __slots__ = ("limits", "name", "started", "deadline", "stage", "armed", "_ticks")

    def __init__(self, limits: Limits, name: str | None = None):
        self.limits, self.name = limits, name or None
        outer = _document.get()
        self.started = outer.started if outer is not None else time.monotonic()
        self.deadline = self.started + limits.max_seconds
        if outer is not None:
            self.deadline = min(self.deadline, outer.deadline)
        self.stage = "reading"  # what the document's time went on when it ran out
        self.armed = False  # an alarm is set for this budget's deadline
        self._ticks = 0

    def exceeded(self, key: str, what: str) -> LimitExceeded:
        """The error for ``what`` ("file is 3 bytes") going past the limit ``key``."""
        limit = getattr(self.limits, key)
        return LimitExceeded(self.name, f"{what} (limit {_number(limit)}; raise it with {_hint(key)})", limit=key)

    def expired(self) -> LimitExceeded:
        """The error for the document's time running out while it was at ``stage``."""
        return self.exceeded(
            "max_seconds", f"took longer than {self.limits.max_seconds:g} s (stopped while {self.stage})"
        )

    def check(self, where: str = "") -> None:
        """Raise LimitExceeded once the time budget is spent; ``where`` says how far reading got."""
        if time.monotonic() > self.deadline:
            at = f" (stopped at {where})" if where else ""
            raise self.exceeded("max_seconds", f"reading took longer than {self.limits.max_seconds:g} s{at}")

    def tick(self, where: str = "", every: int = 1024) -> None:
        """``check()`` once every ``every`` calls: cheap enough for a per-element loop."""
        self._ticks += 1
        if self._ticks % every == 0:
            self.check(where)

    def remaining(self) -> float:
        return max(0.0, self.deadline - time.monotonic())

    def check_size(self, key: str, value: int, what: str) -> None:
        """Raise LimitExceeded if ``value`` is over the limit ``key``; ``what`` says it, with ``{}``
        for the number: ``check_size("max_pages", n, "PDF has {} pages")``."""
        if value > getattr(self.limits, key):
            raise self.exceeded(key, what.format(_number(value)))


# -- one budget for a whole document ---------------------------------------------------------------


class BudgetExpired(BaseException):
    """Raised by the alarm in whatever code runs when a document's time is up.

    A BaseException, so that no ``except Exception`` in a parser, a field or a rule swallows
    it; ``document()`` turns it into the one-line ``LimitExceeded``."""


_document: contextvars.ContextVar[ResourceBudget | None] = contextvars.ContextVar("extractor_document", default=None)
_armed: ResourceBudget | None = None  # the budget the alarm is set for (main thread only)
REALARM_SECONDS = 0.5  # how soon an expired document's alarm comes again if it was swallowed


def _on_alarm(signum, frame) -> None:
    budget = _armed
    if budget is None or not budget.armed:
        return  # a late alarm after the document ended
    left = budget.deadline - time.monotonic()
    if left > 0.001:  # woken early: sleep on
        signal.setitimer(signal.ITIMER_REAL, left)
        return
    # Raised where the code is; code that swallows it (a GC callback, a __del__, a library's bare
    # except) would leave the document running unbounded, so the alarm comes again until the
    # document ends and disarms it.
    signal.setitimer(signal.ITIMER_REAL, REALARM_SECONDS)
    raise BudgetExpired


def _can_alarm() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def document(name: str | None = None, limits: Limits | None = None) -> Iterator[ResourceBudget]:
    """The one time budget of a document: everything in the block (reading, fields, rules)
    shares it, and running past it raises ``LimitExceeded`` naming the stage it stopped at
    (set ``budget.stage``). Inside another ``document()`` block, the outer budget is used.

    In the main thread the deadline is an alarm (``ITIMER_REAL``) whose handler raises
    ``BudgetExpired`` where the code is; a handler and timer set before are put back after."""
    outer = _document.get()
    if outer is not None:
        yield outer
        return
    budget = (limits or current()).budget(name)
    token = _document.set(budget)
    alarm = _arm(budget) if _can_alarm() and _armed is None else None
    try:
        yield budget
    except BudgetExpired:
        budget.armed = False  # first: the alarm that comes again finds the document ended
        raise budget.expired() from None
    finally:
        while alarm is not None:
            try:  # an alarm between the block's end and the disarming is too late to matter
                _disarm(budget, *alarm)
                alarm = None
            except BudgetExpired:
                pass
        _document.reset(token)


def _arm(budget: ResourceBudget) -> tuple:
    global _armed
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    _armed, budget.armed = budget, True
    before = signal.setitimer(signal.ITIMER_REAL, max(budget.remaining(), 0.001))
    return previous, before


def _disarm(budget: ResourceBudget, previous, before: tuple[float, float]) -> None:
    global _armed
    budget.armed = False  # first: an alarm from here on does nothing
    signal.setitimer(signal.ITIMER_REAL, 0)
    _armed = None
    signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)
    if before[0] > 0:  # someone else's timer: what is left of it
        elapsed = time.monotonic() - budget.started
        signal.setitimer(signal.ITIMER_REAL, max(before[0] - elapsed, 0.001), before[1])


# -- memory --------------------------------------------------------------------------------------------


def _rlimit():
    """The resource module and the limit to set: the data segment (on Linux since 4.7 it counts
    every private writable mapping, malloc's and mmap's), else the address space."""
    try:
        import resource
    except ImportError:  # not POSIX: no limit can be set
        return None, None
    return resource, getattr(resource, "RLIMIT_DATA", None) or getattr(resource, "RLIMIT_AS", None)


def apply_memory_limit(nbytes: int | None = None) -> int | None:
    """Cap this process's memory at ``nbytes`` (default: ``current().max_memory``) for good, as
    ingest's worker processes should when they start; an allocation past it raises MemoryError.
    Returns the soft limit that was in force before (None when no limit can be set here)."""
    resource, which = _rlimit()
    if which is None:
        return None
    nbytes = current().max_memory if nbytes is None else nbytes
    soft, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY:
        nbytes = min(nbytes, hard)
    try:
        resource.setrlimit(which, (nbytes, hard))
    except (ValueError, OSError):
        return None
    return soft


@contextlib.contextmanager
def memory_cap(nbytes: int | None = None) -> Iterator[None]:
    """``apply_memory_limit`` for the block only (the CLI, and tests that call it in-process)."""
    resource, which = _rlimit()
    previous = apply_memory_limit(nbytes)
    try:
        yield
    finally:
        if previous is not None:
            resource.setrlimit(which, (previous, resource.getrlimit(which)[1]))


def out_of_memory(name: str | None, limits: Limits | None = None, what: str = "") -> LimitExceeded:
    """The one-line error for a MemoryError while working on the document ``name``."""
    limit = (limits or current()).max_memory
    doing = f" {what}" if what else ""
    return LimitExceeded(
        name,
        f"out of memory{doing} (limit {limit / MiB:,.0f} MiB; raise it with {_hint('max_memory')})",
        limit="max_memory",
    )

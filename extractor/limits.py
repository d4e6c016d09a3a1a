"""What one document may cost: size, text length, pages, zip contents, nesting, cells, OCR and time.

Every limit has a default that no real report comes near, and can be changed three ways,
later ones winning:

- an environment variable (``EXTRACTOR_MAX_BYTES=500M``), which ingest's worker processes
  inherit;
- ``with limits.use(max_pages=5000): extract(path)`` around library calls (the CLI's
  ``--max-bytes``, ``--max-chars``, ``--max-pages`` and ``--time-budget`` do this);
- a ``limits=`` keyword to ``extractor.readers.read`` / ``read_bytes`` (and ``max_bytes=``).

A document over a limit is refused with ``LimitExceeded``: one line naming the limit and the
variable that raises it. The time budget is checked between pages, paragraphs and elements,
so it bounds the reader's own loops; a single call into a C parser is bounded by the size
limits instead, and ingest's per-file timeout kills a worker that overruns anyway.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import os
import re
import time
from collections.abc import Iterator, Mapping

from .errors import LimitExceeded

__all__ = ["ENV", "Budget", "Limits", "LimitsError", "current", "parse_seconds", "parse_size", "use"]

MiB = 1024 * 1024


class LimitsError(ValueError):
    """A limit set to something that is not a positive number (a usage error, exit 3)."""


@dataclasses.dataclass(frozen=True, slots=True)
class Limits:
    max_bytes: int = 200 * MiB  # a file's size on disk
    max_chars: int = 10_000_000  # the document's text (a 1,000-page report has ~1 million)
    max_pages: int = 2_000  # pages of a PDF
    max_seconds: float = 60.0  # time to read one document (ingest kills a worker at 120 s)
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
        for key, var in ENV.items():
            raw = environ.get(var)
            if raw is None or not raw.strip():
                continue
            parse = parse_seconds if key == "max_seconds" else parse_size
            try:
                changes[key] = parse(raw)
            except LimitsError as err:
                raise LimitsError(f"{var}={raw!r}: {err}") from None
        return cls().replace(**changes)

    def budget(self, name: str | None = None) -> Budget:
        """A clock for reading one document under these limits; ``name`` labels its errors."""
        return Budget(self, name)


_FIELDS = tuple(f.name for f in dataclasses.fields(Limits))
ENV = {key: "EXTRACTOR_" + key.upper() for key in _FIELDS}
# The CLI flag for the limits that have one (shown in the error that names the limit).
FLAGS = {"max_bytes": "--max-bytes", "max_chars": "--max-chars", "max_pages": "--max-pages",
         "max_seconds": "--time-budget"}

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
    return f"{flag} or {ENV[key]}" if flag else ENV[key]


def _number(value: float) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:g}"


class Budget:
    """Limits plus a clock for one document: readers call ``check()`` as they go."""

    __slots__ = ("limits", "name", "started", "deadline", "_ticks")

    def __init__(self, limits: Limits, name: str | None = None):
        self.limits, self.name = limits, name or None
        self.started = time.monotonic()
        self.deadline = self.started + limits.max_seconds
        self._ticks = 0

    def exceeded(self, key: str, what: str) -> LimitExceeded:
        """The error for ``what`` ("file is 3 bytes") going past the limit ``key``."""
        limit = getattr(self.limits, key)
        return LimitExceeded(self.name, f"{what} (limit {_number(limit)}; raise it with {_hint(key)})", limit=key)

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

"""What an ingest re-does and how long it waits for a file: the defaults the library and the
command line share, and the policy that decides whether a stored document is done again. Light
to import (the CLI's parser shows these defaults)."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_TIMEOUT = 120.0  # seconds one file may take before its worker is killed and replaced
DEFAULT_MAX_MEMORY_MB = 4096  # address space of one worker; a parser past it gets MemoryError
# Failures that say nothing about the file: the next run tries it again, this many times in all.
TRANSIENT_ERRORS = frozenset({"crashed", "timeout", "vanished", "changed", "internal"})
DEFAULT_MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class Policy:
    """What a run re-does: everything (``force``), every stored error (``retry_errors``), or only
    transient errors with fewer than ``max_attempts`` tries; and documents of other versions."""

    versions: tuple[str, str]
    force: bool = False
    retry_errors: bool = False
    max_attempts: int = DEFAULT_MAX_ATTEMPTS

    def attempts(self, prev: dict | None) -> int | None:
        """The attempt number if the document must be (re)done, None to keep what is stored."""
        if prev is None or (prev["tool_version"], prev["patterns_version"]) != self.versions:
            return 1
        again = prev["attempts"] + 1
        if self.force:
            return again
        if prev["status"] == "error" and (
            self.retry_errors or (prev["error_code"] in TRANSIENT_ERRORS and prev["attempts"] < self.max_attempts)
        ):
            return again
        return None

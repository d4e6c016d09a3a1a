"""Faults for the ingest tests: a per-file task that misbehaves on chosen files, then does the real work.

``Faults("hang:a.txt,crash:b.txt")`` is given to ``ingest(..., task=...)``; it pickles by reference,
and the workers import this module (the tests' folder is on their path). Run as a script, it is an
ingest with faults in a process of its own (the kill -9 tests):
``python tests/ingest_faults.py SPEC FOLDER DB WORKERS``.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass

SLOW_SECONDS = 0.05


@dataclass(frozen=True)
class Faults:
    """``spec``: "ACTION:NAME,…" with ACTION hang, slow, eat (memory) or crash; NAME a file's name, or *."""

    spec: str

    def __call__(self, path: str, sha256: str | None = None) -> dict:
        from extractor.ingest import process_file

        for item in self.spec.split(","):
            action, _, name = item.partition(":")
            if name in ("*", os.path.basename(path)):
                _misbehave(action)
        return process_file(path, sha256)


def _misbehave(action: str) -> None:
    if action == "hang":
        time.sleep(3600)
    elif action == "slow":
        time.sleep(SLOW_SECONDS)
    elif action == "eat":
        hoard = []
        while True:
            hoard.append(bytearray(64 * 1024 * 1024))
    elif action == "crash":
        os._exit(70)


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from extractor.ingest import ingest

    spec, folder, db, workers = sys.argv[1:5]
    summary = ingest([folder], db, workers=int(workers), quiet=True, timeout=600, task=Faults(spec))
    print(summary.render(), file=sys.stderr)

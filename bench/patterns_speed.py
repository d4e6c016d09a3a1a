"""Which patterns cost the most on a table-heavy text: every pattern of ``patterns/`` run over it.

    .venv/bin/python bench/patterns_speed.py [FILE ...] [--top 15]

A pattern that opens with a figure and then an alternation (``\\d{1,3}[ ]?(?:<=|≤|<)``) gives the
regex engine no literal to look for first: it is tried at every figure of the text, and a 200-page
report of tables holds a hundred thousand of them (two such band patterns once took 150 ms of a
report's 1 s). Written as one pattern per literal they cost a hundredth of that. This prints each
pattern's time over the folded text of each file (by default the 200-page table report of
``bench/table_reports.py``), the slowest first, and the total; the title patterns run over the
whole text here though the fields run them over the opening only.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "gov-perf-bench-tables")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    import table_reports

    from extractor import pipeline
    from extractor.fields.common import Context

    files = args.files or [p for p in table_reports.build(args.out, 200, 16) if p.suffix == ".pdf"]
    for path in files:
        ctx = Context.of(pipeline.read(path), None)
        text = ctx.text
        timed = []
        for patterns in ctx.patterns.patterns.values():
            for pat in patterns:
                t0 = time.perf_counter()
                found = sum(1 for _ in pat.regex.finditer(text))
                timed.append((time.perf_counter() - t0, pat.id, found))
        timed.sort(reverse=True)
        print(
            f"{path.name}: {len(text):,} characters, {len(timed)} patterns, {sum(t for t, _, _ in timed) * 1000:.1f} ms"
        )
        for seconds, pid, found in timed[: args.top]:
            print(f"  {pid:50} {seconds * 1000:8.1f} ms  {found:6d} matches")


if __name__ == "__main__":
    main()

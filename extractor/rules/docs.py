"""Generate ``docs/rules.md`` from the rule registry: ``python -m extractor.rules.docs``.

``--check`` exits 1 when the file on disk differs from what the registry gives (tests run the
same comparison), so the catalogue and its documentation cannot drift apart.
"""

from __future__ import annotations

import sys
from pathlib import Path

from . import catalogue
from .registry import DOC_HEADINGS, SEVERITIES

DOCS_PATH = Path(__file__).resolve().parents[2] / "docs" / "rules.md"

_INTRO = """\
# Rule catalogue

Generated from the rule registry by `python -m extractor.rules.docs`; do not edit by hand.
`python cli.py rules` lists the same catalogue and `python cli.py rules CODE` prints one rule.

Severities: `error` — figures contradict each other beyond rounding; `warning` — something an
auditor must look at; `info` — a check that could not run because a figure is missing (every
rule may report `info` for that reason, whatever its own severity).

Arithmetic respects the precision the report wrote: a figure written with *d* decimals stands
for ±½·10^-d of its unit, and figures agree when their intervals meet.
"""


def generate() -> str:
    rules = catalogue()
    out = [_INTRO, "| Code | Name | Severity | Checks |", "|---|---|---|---|"]
    out += [f"| [{r.code}](#{r.code.lower()}) | `{r.name}` | {r.severity} | {r.title} |" for r in rules]
    for r in rules:
        out += ["", f"## {r.code}", "", f"`{r.name}` · {r.severity}", "", r.title]
        for heading in DOC_HEADINGS:
            out += ["", f"### {heading}", "", r.section(heading)]
    assert all(r.severity in SEVERITIES for r in rules)
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    text = generate()
    if "--check" in argv:
        current = DOCS_PATH.read_text(encoding="utf-8") if DOCS_PATH.exists() else ""
        if current != text:
            print(f"{DOCS_PATH} is stale: run python -m extractor.rules.docs", file=sys.stderr)
            return 1
        return 0
    DOCS_PATH.parent.mkdir(parents=True, exist_ok=True)
    DOCS_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {DOCS_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How general is the extraction? The same labelled reports, their layout changed as converters do.

    .venv/bin/python bench/perturb.py [../shared/corpus/dev-2] [--only wrap,spaced,...] [--keep DIR]

Each variant rewrites every NNN.txt of a labelled set (read at run time from ``../shared/corpus``,
never copied into the project) the way another converter or another office would have written
the same report — the values and their labels unchanged — and scores it with
``../shared/eval/score.py`` beside the set as it is. A variant that reads much worse than the
original names a layout the extraction depends on without reason:

- ``wrap``: prose lines hard-wrapped every 36 characters (PDF text), even inside a figure;
- ``spaced``: a space between every two Chinese characters (letter-spaced PDF text);
- ``fullwidth``: ASCII punctuation written full-width;
- ``traditional``: the whole text in traditional characters (OpenCC s2t);
- ``cnyears``: years written digit by digit in Chinese numerals (二〇二三年);
- ``tabs`` / ``cells``: pipe tables written with tabs, or one cell per line;
- ``layout``: pipe tables as ``pdftotext -layout`` writes them (cells padded to aligned columns);
- ``figright``: the same with each figure right-aligned in its column, as a PDF sets figures;
- ``blank``: every line followed by an empty line (double-spaced text);
- ``pagenum``: a page number line (``— N —``) between blank lines every 20 lines;
- ``oneline``: every run of prose lines joined into one line (web text without its breaks).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SCORE = SHARED / "eval" / "score.py"
WRAP_CHARS = 36
PAGE_EVERY = 20


def _prose(text: str, change: Callable[[str], str]) -> str:
    """``change`` applied to every line that is not a pipe table's row."""
    return "\n".join(line if "|" in line else change(line) for line in text.split("\n"))


def _wrap(line: str) -> str:
    return "\n".join(line[i : i + WRAP_CHARS] for i in range(0, len(line), WRAP_CHARS)) if line else line


def _spaced(line: str) -> str:
    return re.sub(r"(?<=[\u4e00-\u9fff])(?=[\u4e00-\u9fff])", " ", line)


def _traditional(text: str) -> str:
    import opencc

    return opencc.OpenCC("s2t").convert(text)


def _cells(text: str, sep: str) -> str:
    return "\n".join(sep.join(c.strip() for c in ln.split("|")) if "|" in ln else ln for ln in text.split("\n"))


def _width(cell: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in cell)


_FIGURE = re.compile(r"[-+]?[\d,.]+%?|[-—]")


def _layout(text: str, right: bool = False) -> str:
    """Pipe tables as ``pdftotext -layout`` writes a table: cells padded to their column's width
    (a Chinese character two columns wide) and parted by two spaces, no rules; with ``right``, a
    figure padded on its left (right-aligned)."""
    lines, out, i = text.split("\n"), [], 0
    while i < len(lines):
        if "|" not in lines[i]:
            out.append(lines[i])
            i += 1
            continue
        j = i
        while j < len(lines) and "|" in lines[j]:
            j += 1
        rows = [[c.strip() for c in ln.strip().strip("|").split("|")] for ln in lines[i:j]]
        rows = [r for r in rows if not all(set(c) <= set("-: ") for c in r)]  # a Markdown rule row
        widths = [
            max((_width(r[k]) for r in rows if k < len(r)), default=0) for k in range(max(map(len, rows), default=0))
        ]
        for r in rows:
            pads = [" " * (widths[k] - _width(c)) for k, c in enumerate(r)]
            cells = [p + c if right and _FIGURE.fullmatch(c) else c + p for c, p in zip(r, pads, strict=True)]
            out.append("  ".join(cells).rstrip())
        i = j
    return "\n".join(out)


def _page_numbers(text: str) -> str:
    out = []
    for i, line in enumerate(text.split("\n")):
        out.append(line)
        if i % PAGE_EVERY == PAGE_EVERY - 1:
            out += ["", f"— {i // PAGE_EVERY + 1} —", ""]
    return "\n".join(out)


def _one_line(text: str) -> str:
    out, prose = [], []
    for line in text.split("\n"):
        if "|" in line:
            if prose:
                out.append(" ".join(prose))
                prose = []
            out.append(line)
        elif line.strip():
            prose.append(line.strip())
    if prose:
        out.append(" ".join(prose))
    return "\n".join(out)


def _cn_years(text: str) -> str:
    numerals = "〇一二三四五六七八九"
    return re.sub(r"(?<!\d)(20\d\d)(?=[ ]?年)", lambda m: "".join(numerals[int(d)] for d in m.group(1)), text)


_FULL = str.maketrans({",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "%": "％"})
VARIANTS: dict[str, Callable[[str], str]] = {
    "wrap": lambda t: _prose(t, _wrap),
    "spaced": lambda t: _prose(t, _spaced),
    "fullwidth": lambda t: t.translate(_FULL),
    "traditional": _traditional,
    "cnyears": _cn_years,
    "tabs": lambda t: _cells(t, "\t"),
    "cells": lambda t: _cells(t, "\n"),
    "layout": _layout,
    "figright": lambda t: _layout(t, right=True),
    "blank": lambda t: "\n\n".join(t.split("\n")),
    "pagenum": _page_numbers,
    "oneline": _one_line,
}


def score(folder: Path) -> str:
    cli = f"{sys.executable} {ROOT / 'cli.py'}"
    out = subprocess.run(
        [sys.executable, str(SCORE), str(folder), "--cli", cli], capture_output=True, text=True, check=True
    ).stdout
    lines = [ln for ln in out.splitlines() if ln.startswith(("documents", "precision"))]
    return " · ".join(lines)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("corpus", nargs="?", default=str(SHARED / "corpus" / "dev-2"))
    p.add_argument("--only", help="variants, comma-separated (default: all)")
    p.add_argument("--keep", help="write the variants under this folder and keep them")
    args = p.parse_args(argv)
    corpus = Path(args.corpus)
    if not SCORE.exists() or not corpus.is_dir():
        print(f"error: needs {SCORE} and the labelled set {corpus} (../shared beside the project)", file=sys.stderr)
        return 2
    names = args.only.split(",") if args.only else list(VARIANTS)
    unknown = [n for n in names if n not in VARIANTS]
    if unknown:
        print(f"error: unknown variant {', '.join(unknown)} (known: {', '.join(VARIANTS)})", file=sys.stderr)
        return 2
    print(f"original     {score(corpus)}", flush=True)
    with tempfile.TemporaryDirectory(prefix="extractor-perturb-") as tmp:
        base = Path(args.keep) if args.keep else Path(tmp)
        for name in names:
            folder = base / name
            folder.mkdir(parents=True, exist_ok=True)
            for label in corpus.glob("*.json"):
                shutil.copy(label, folder / label.name)
            for report in corpus.glob("*.txt"):
                (folder / report.name).write_text(VARIANTS[name](report.read_text("utf-8")), "utf-8")
            print(f"{name:<12} {score(folder)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

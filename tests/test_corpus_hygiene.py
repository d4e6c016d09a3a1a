"""The project never carries text copied from ../shared/corpus (the hidden reports are checked
the same way as the dev ones, so a figure lifted from a dev report would also hide overfitting).

What a check can catch reliably is a copied figure: a number of five or more digits that the
dev corpus and a file of this project both state. Domain phrases (部门整体支出绩效自评报告,
一级指标) are shared by every report and are not checked; round numbers (100.00, 960000) are
coincidences; the seed report's figures are given to the project.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import regex

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "dev"
FIGURE = regex.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+|\d{5,}")
CHECKED = ("extractor", "patterns", "tests", "samples", "docs", "bench")
SUFFIXES = (".py", ".toml", ".txt", ".md", ".json", ".html")


def figures(text: str) -> set[str]:
    out = set()
    for m in FIGURE.finditer(text):
        digits = "".join(c for c in m.group() if c.isdigit())
        if len(digits) >= 5 and len(digits.strip("0")) > 3:  # not a round number
            out.add(m.group())
    return out


def project_files() -> list[Path]:
    files = [ROOT / "README.md"]
    for folder in CHECKED:
        files += [p for p in (ROOT / folder).rglob("*") if p.suffix in SUFFIXES and "__pycache__" not in p.parts]
    return [p for p in files if p.is_file() and p.resolve() != Path(__file__).resolve()]


def test_figures_are_found_and_rounds_are_not():
    assert figures("总收入467.32万元，合计1,451,600元，2023年") == {"467.32", "1,451,600"}
    assert figures("100.00% 960000 10.5") == set()


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus/dev is not beside the project")
def test_no_figure_of_the_dev_corpus_is_in_the_project():
    corpus: dict[str, str] = {}
    for path in sorted(CORPUS.glob("*.txt")):
        for fig in figures(path.read_text(encoding="utf-8", errors="replace")):
            corpus.setdefault(fig, path.name)
    seed = set()
    for path in (SHARED / "seed").glob("*"):
        if path.is_file():
            seed |= figures(path.read_bytes().decode("utf-8", errors="replace"))
    copied = {}
    for path in project_files():
        shared = figures(path.read_text(encoding="utf-8", errors="replace")) & corpus.keys() - seed
        if shared:
            copied[str(path.relative_to(ROOT))] = sorted(f"{f} ({corpus[f]})" for f in shared)
    assert copied == {}, f"figures copied from the dev corpus: {copied}"

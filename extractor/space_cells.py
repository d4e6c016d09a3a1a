"""Tables whose cells are parted only by runs of spaces, read as tables: their gaps become "|".

``pdftotext -layout`` and the text layer of a borderless table write a row as its cells padded to
the columns' positions: ``年度资金总额      329.77      338.31``. Nothing but the spaces says where
a cell ends, and single spaces stand inside cells too ("预算资金 (万元)"). A block of lines whose
runs of two or more spaces (or a full-width space) fall at the same character positions line after
line is such a table. Positions are display columns, as the converter padded them: a Chinese
character is two columns wide. Where every row of the block leaves a column blank (a "river", a
few rows that run across it allowed) the block has a column boundary; each cell goes in the column
its position says, so a row with an empty cell keeps its other cells in their columns.

The folded view writes each gap as one "|" per boundary it crosses ("a || c": b is empty), one for
one in place of spaces, so the spans stay exact and the table is read as the pipe tables are
(``extractor.text_grids``). A title's or a contents line's wide spaces, a letter-spaced heading, a
signature line or a centred page number are no table: a table needs ``MIN_ROWS`` rows each with at
least two gaps at boundaries, a letter-spaced line (most of its "cells" one character) or a line of
labelled cells only ("单位：…  日期：…") is no row, and a block whose rows end in page numbers after
titles is a table of contents. A short line in a table's first column between two of its rows is
a row of one cell: with no gap to mark, the fold reports where it starts (``one_cell_rows``).
"""

from __future__ import annotations

import re
from collections import Counter

MIN_ROWS = 3  # rows with at least MIN_ALIGNED_GAPS gaps at column boundaries make a table
MIN_ALIGNED_GAPS = 2
MIN_GAP_ROWS = 2  # a column boundary: at least this many rows have a gap there
CROSSING_SHARE = 6  # one row in this many may run across a boundary (a title, a merged cell)
MAX_LOOSE_LINES = 1  # lines without gaps (blank, a one-cell row) a block goes on past
MAX_ONE_CELL = 30  # characters of a row of one cell (a label, not a sentence)
MAX_CONTINUATION_LINES = 6  # lines (section headings, blank) between a table and the rest of it

# a run of spaces that parts cells: two or more, or a full-width space (two columns wide)
_GAP = re.compile(r"(?<=\S)(?:[ \u3000]{2,}|\u3000)(?=\S)")
# the same runs found fast: starting with the spaces, not with a lookbehind (which the engine tries
# at every position of the text: ten times the time)
_SPACES = re.compile(r"[ \u3000][ \u3000]+(?=\S)|\u3000(?=\S)")
# East Asian Width W and F (what ``unicodedata.east_asian_width`` says for every assigned
# character): found in one pass in C, not asked character by character
_WIDE = re.compile(
    "[\u1100-\u115f\u231a\u231b\u2329\u232a\u23e9-\u23ec\u23f0\u23f3\u25fd\u25fe\u2614\u2615\u2648-\u2653"
    "\u267f\u2693\u26a1\u26aa\u26ab\u26bd\u26be\u26c4\u26c5\u26ce\u26d4\u26ea\u26f2\u26f3\u26f5\u26fa\u26fd"
    "\u2705\u270a\u270b\u2728\u274c\u274e\u2753-\u2755\u2757\u2795-\u2797\u27b0\u27bf\u2b1b\u2b1c\u2b50\u2b55"
    "\u2e80-\u303e\u3041-\u3247\u3250-\u4dbf\u4e00-\ua4cf\ua960-\ua97f\uac00-\ud7a3\uf900-\ufaff\ufe10-\ufe19"
    "\ufe30-\ufe6f\uff00-\uff60\uffe0-\uffe6\U0001f300-\U0001f64f\U0001f900-\U0001f9ff\U00020000-\U0003fffd]"
)
_LEADER = re.compile(r"(?:\.{3,}|…{2,}|·{3,}|-{4,})\s*$")
_PAGE_NUMBER = re.compile(r"\d{1,3}")
_FIGURE = re.compile(r"(?=.*\d)[-+\d.,%()（）]+")
# a cell that is a label and what it labels ("填报日期：2024年3月5日"): a row of only such cells
# is a signature or a letterhead line, not a table's row
_SENTENCE_END = tuple("。;:：；!?！？")
_LABELLED = re.compile(r"[^:：]{1,20}[:：].*\S")


def _width(line: str, start: int, end: int) -> int:
    """Display width of line[start:end]: a wide character (East Asian Width W or F) two columns."""
    return end - start + len(_WIDE.findall(line, start, end)) if end > start else 0


def _has_gap(text: str) -> bool:
    """Whether any line parts two pieces of text with a gap (most texts: none, found in one pass)."""
    return any(m.start() and not text[m.start() - 1].isspace() for m in _SPACES.finditer(text))


def _cells(line: str) -> list[tuple[int, int, int, int]] | None:
    """The cells of a line with a gap: (start, end) in the line and (from, to) in display columns."""
    if "|" in line or "\t" in line:
        return None
    gaps = [m.span() for m in _GAP.finditer(line)]
    if not gaps:
        return None
    ends = [*(a for a, _ in gaps), len(line.rstrip())]
    starts = [len(line) - len(line.lstrip()), *(b for _, b in gaps)]
    out, col, pos, singles = [], 0, 0, 0
    for s, e in zip(starts, ends, strict=True):
        start = col + _width(line, pos, s)
        col = start + _width(line, s, e)
        out.append((s, e, start, col))
        singles += e - s == 1 and col - start == 2
        pos = e
    if singles * 2 > len(out):
        return None  # a letter-spaced heading ("绩  效  自  评"), not cells
    if all(_LABELLED.fullmatch(line, s, e) for s, e, _, _ in out):
        return None
    return out


def _boundaries(rows: list[list[tuple[int, int, int, int]]]) -> list[tuple[int, int]]:
    """Display columns [from, to) that (nearly) every row leaves blank and several rows part cells at."""
    # where cells and gaps start and end (a table's cells share a few columns: few distinct ones)
    opened = Counter(c[2] for cells in rows for c in cells)
    closed = Counter(c[3] for cells in rows for c in cells)
    gap_opened = Counter(c[3] for cells in rows for c in cells[:-1])
    gap_closed = Counter(c[2] for cells in rows for c in cells[1:])
    tolerance = len(rows) // CROSSING_SHARE
    out, inked, gapped, start = [], 0, 0, None
    for x in sorted(opened.keys() | closed.keys() | gap_opened.keys() | gap_closed.keys()):
        inked += opened[x] - closed[x]  # the counts change only where a cell or a gap starts or ends
        gapped += gap_opened[x] - gap_closed[x]
        # a gap no row runs across parts columns even if only one row has a cell past it (a
        # header over a column the rows leave empty)
        if (inked <= tolerance and gapped >= MIN_GAP_ROWS) or (inked <= 0 and gapped > 0):
            start = x if start is None else start
        elif start is not None:
            out.append((start, x))
            start = None
    return out


def _merged(rows, bounds: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The boundaries that part two columns some row fills both of. Where no row does, the blank
    between them is one column's: its header set left or centred, its figures right-aligned."""
    filled = [set(_columns(cells, bounds)) for cells in rows]
    keep, group = [], {0}
    for k, bound in enumerate(bounds):
        if any(k + 1 in cols and not cols.isdisjoint(group) for cols in filled):
            keep.append(bound)
            group = {k + 1}
        else:
            group.add(k + 1)
    return keep


def _columns(cells, bounds) -> list[int]:
    """Each cell's column: the boundaries that begin at or before it starts. A cell that starts
    inside a boundary's blank (which a few rows may ink) is a wider cell of the column after it,
    one that also ends there is a figure right-aligned to the column before it."""
    out, k = [], 0
    for _, _, a, b in cells:
        while k < len(bounds) and bounds[k][0] <= a:
            k += 1
        out.append(k - 1 if k and b <= bounds[k - 1][1] else k)
    return out


def _is_contents(rows, lines) -> bool:
    """The rows end in page numbers after a title (not after a figure, as a score table's rows end
    in their points and score): numbers that count up, or that dot leaders lead to."""
    numbers, leaders = [], 0
    for cells, line in zip(rows, lines, strict=True):
        last, before = line[cells[-1][0] : cells[-1][1]], line[cells[-2][0] : cells[-2][1]]
        if _PAGE_NUMBER.fullmatch(last) and not _FIGURE.fullmatch(before):
            numbers.append(int(last))
            leaders += bool(_LEADER.search(before))
    if len(numbers) * 2 < len(rows):
        return False
    rising = len(set(numbers)) >= MIN_ROWS and all(a <= b for a, b in zip(numbers, numbers[1:], strict=False))
    return rising or leaders * 2 >= len(rows)


def _pipes(chars: list[str], at: int, s: int, e: int, k: int) -> None:
    """k pipes into the blank chars[at + s : at + e], one space after the cell before when there is room."""
    k = min(k, e - s)
    first = s + 1 if e - s > k and s > 0 else s
    for i in range(first, first + k):
        chars[at + i] = "|"


def _plan(block, bounds) -> list[tuple[int, list, list[int], int]]:
    """Each row's position, cells, their columns and how many of its gaps lie at boundaries."""
    out = []
    for at, _line, cells in block:
        cols = _columns(cells, bounds)
        out.append((at, cells, cols, sum(1 for a, b in zip(cols, cols[1:], strict=False) if b > a)))
    return out


def _fits(cells, bounds) -> bool:
    """No cell of the row runs across a boundary (into its blank is no harm: a wider cell)."""
    k = 0
    for _, _, a, b in cells:
        while k < len(bounds) and bounds[k][1] <= a:
            k += 1
        j = k
        while j < len(bounds) and bounds[j][0] < b:  # the boundaries the cell reaches into
            if a < bounds[j][0] and b > bounds[j][1]:
                return False
            j += 1
    return True


class _Tables:
    """The tables found so far: the folded characters with their pipes, the last table's columns."""

    def __init__(self, translated: str):
        self.translated = translated
        self.chars: list[str] | None = None
        self.bounds: list[tuple[int, int]] = []
        self.last = -1  # the line the last table ended at
        self.spans: list[tuple[int, int, list[tuple[int, int]]]] = []  # lines (after, before) and columns

    def flush(self, block, first: int, end: int) -> None:
        """A block of lines with gaps from line ``first`` to before line ``end``: a table, the rest of the last
        table (a few lines of section headings apart, its rows in the last table's columns), or none."""
        rows = [cells for _, _, cells in block]
        if len(rows) >= MIN_ROWS and not _is_contents(rows, [line for _, line, _ in block]):
            bounds = _merged(rows, _boundaries(rows))
            plan = _plan(block, bounds)
            if sum(parts >= MIN_ALIGNED_GAPS for *_, parts in plan) >= MIN_ROWS:
                self._write(plan)
                self.bounds, self.last = bounds, end
                self.spans.append((first, end - 1, bounds))
                return
        if self.bounds and first - self.last <= MAX_CONTINUATION_LINES:
            plan = _plan(block, self.bounds)
            if all(parts and _fits(cells, self.bounds) for _, cells, _, parts in plan):
                self._write(plan)
                self.spans.append((self.last - 1, end - 1, self.bounds))
                self.last = end

    def _write(self, plan) -> None:
        if self.chars is None:
            self.chars = list(self.translated)
        for at, cells, cols, parts in plan:
            if parts == 0:
                continue  # its gaps are at no boundary: not a row of this table
            if cols[0]:
                _pipes(self.chars, at, 0, cells[0][0], cols[0])
            for (_, e, _, _), (s, _, _, _), a, b in zip(cells, cells[1:], cols, cols[1:], strict=False):
                if b > a:
                    _pipes(self.chars, at, e, s, b - a)

    def text(self) -> str:
        return "".join(self.chars) if self.chars is not None else self.translated

    def one_cell_rows(self, lone: list[tuple[int, int, str]]) -> list[int]:
        """Where the lines of ``lone`` (line number, offset, text) that are a table's rows of one
        cell start: between two of its rows, in its first column ("投入(20分)" alone on its row)."""
        out = []
        for n, at, line in lone:
            for after, before, bounds in self.spans:
                if after < n < before and bounds:
                    body = line.strip()
                    lead = len(line) - len(line.lstrip())
                    end = _width(line, 0, lead + len(body))
                    if end <= bounds[0][1] and not body.endswith(_SENTENCE_END):
                        out.append(at)
                    break
        return out


def space_cells(original: str, translated: str) -> tuple[str, list[int]]:
    """``translated`` (``original`` folded one character for one) with the gaps of space-aligned
    tables turned into "|", and where their rows of one cell (no gap to turn) start."""
    if not _has_gap(original):
        return translated, []
    tables = _Tables(translated)
    block: list[tuple[int, str, list]] = []
    lone: list[tuple[int, int, str]] = []  # short lines without a gap: rows of one cell, maybe
    loose = pos = first = 0
    for n, line in enumerate(original.split("\n") + [""] * (MAX_LOOSE_LINES + 1)):
        cells = _cells(line)
        if cells is not None:
            first = n if not block else first
            block.append((pos, line, cells))
            loose = 0
        else:
            if 0 < len(line.strip()) <= MAX_ONE_CELL:
                lone.append((n, pos, line))
            if block:
                loose += 1
                if loose > MAX_LOOSE_LINES:
                    tables.flush(block, first, n - loose + 1)
                    block, loose = [], 0
        pos += len(line) + 1
    return tables.text(), tables.one_cell_rows(lone)

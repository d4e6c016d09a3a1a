"""Score tables whose structure the text lost: a header glued into one line above a table (a PDF's
header row left out of its table), and a table flattened one cell per line (a web page copied).

A glued header line is split into header words (``patterns/headers.toml``) the one way that uses
the fewest words. A flattened table is rebuilt from its header: each row ends with its 分值 and
得分 figures, and its cells stand right-aligned under the header (the merged cells it lost are
the names on its left), so the rows become a positioned grid that ``score_tables`` reads like a
reader's table.
"""

from __future__ import annotations

from ..grid import Grid, GridCell
from ..text_grids import is_page_break
from .common import Context
from .score_rows import Header, ScoreWords, cell_points, fits, header_from_roles, score_words

MAX_HEADER_WORDS = 16
MAX_CELL_CHARS = 40  # a cell, not a sentence
MAX_JOINED = 3  # a header cell wrapped over at most this many lines
MAX_ROWS = 80
HEADER_LOOKBACK = 3  # lines above a table searched for its header (page chrome passed over)


def header_above(ctx: Context, grid: Grid) -> Header | None:
    """The header of a table that has none, from a line just above it whose words, glued or
    spaced, are all header words and as many as the table's columns ("一级指标分值二级指标分值得分")."""
    words = score_words(ctx.patterns)
    text = ctx.text
    end = text.rfind("\n", 0, grid.start)
    for _ in range(HEADER_LOOKBACK):
        if end < 0:
            return None
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end]
        end = start - 1
        if not line.strip() or is_page_break(line):
            continue
        cells = _segment(words, line)
        if cells is None or len(cells) != grid.ncols:
            return None
        return header_from_roles([words.roles.of(c) for c in cells], grid.source)
    return None


def _segment(words: ScoreWords, line: str) -> list[str] | None:
    """``line`` as header words, spaced or glued: the split into the fewest words, or None."""
    out: list[str] = []
    for chunk in line.replace("|", " ").split():
        chunk = words.clean(chunk)
        best: list[list[str] | None] = [None] * (len(chunk) + 1)
        best[0] = []
        for i in range(len(chunk)):
            if best[i] is None:
                continue
            for j in range(i + 1, len(chunk) + 1):
                if words.roles.of(chunk[i:j]) is not None and (best[j] is None or len(best[j]) > len(best[i]) + 1):
                    best[j] = [*best[i], chunk[i:j]]
        if best[-1] is None:
            return None
        out.extend(best[-1])
    return out if 0 < len(out) <= MAX_HEADER_WORDS else None


def score_line_grids(ctx: Context) -> list[Grid]:
    """Score tables flattened one cell per line, as positioned grids (computed once per document)."""
    found = ctx.memo.get("score_line_grids")
    if found is None:
        covered = [(g.start, g.end) for g in ctx.grids if g.source in ("table", "pipe")]
        found = ctx.memo["score_line_grids"] = _grids(ctx, _fragments(ctx.text, covered))
    return found


def _fragments(text: str, covered: list[tuple[int, int]]) -> list[GridCell]:
    """Every non-blank line outside ``covered``, pipes dropped, as an unplaced cell."""
    out, pos, k = [], 0, 0
    spans = sorted(covered)
    for line in text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        while k < len(spans) and spans[k][1] < start:  # the tables wholly before this line
            k += 1
        if any(a <= start <= b for a, b in spans[k : k + 2]):
            continue
        body = line.replace("|", " ")
        if body.strip():
            s = start + len(body) - len(body.lstrip())
            out.append(GridCell("".join(body.split()), s, s + len(body.strip()), 0, 0))
    return out


def _grids(ctx: Context, frags: list[GridCell]) -> list[Grid]:
    words = score_words(ctx.patterns)
    out, i = [], 0
    while i < len(frags):
        header, cells, j = _header_run(words, frags, i)
        # a row is known by its end: the header must end with 分值 then 得分
        if header is None or header.roles[-2:] != ["points", "score"]:
            i += 1
            continue
        rows, j = _rows(words, header, frags, j)
        if rows:
            head = [GridCell(c.text, c.start, c.end, 0, k) for k, c in enumerate(cells)]
            out.append(Grid([head, *rows], "score_lines"))
        i = max(j, i + 1)
    return out


def _header_run(words: ScoreWords, frags: list[GridCell], i: int) -> tuple[Header | None, list[GridCell], int]:
    """Consecutive header cells from fragment ``i`` (a cell wrapped over lines joined) and the
    score-table header they make, if they make one."""
    cells: list[GridCell] = []
    while i < len(frags) and len(cells) < MAX_HEADER_WORDS:
        for n in range(1, MAX_JOINED + 1):
            joined = "".join(f.text for f in frags[i : i + n])
            if i + n <= len(frags) and words.roles.of(joined) is not None:
                cells.append(GridCell(joined, frags[i].start, frags[i + n - 1].end, 0, 0))
                i += n
                break
        else:
            break
    header = header_from_roles([words.roles.of(c.text) for c in cells], "score_lines") if len(cells) > 2 else None
    return header, cells, i


def _rows(words: ScoreWords, header: Header, frags: list[GridCell], i: int) -> tuple[list[list[GridCell]], int]:
    """The rows after a flattened header: each ends with its 分值 and 得分 figures and stands
    right-aligned under the header; the table ends at its total row or at a cell that fits no row."""
    rows: list[list[GridCell]] = []
    start = i
    while i < len(frags) and len(rows) < MAX_ROWS:
        text = frags[i].text
        if len(text) > MAX_CELL_CHARS:  # a sentence (a bare number is a cell here, not a page's)
            break
        if (
            i > start
            and _points(frags[i - 1])
            and _points(frags[i])
            and not (i + 1 < len(frags) and _points(frags[i + 1]))
        ):
            cells = frags[start : i + 1]
            k = header.width - len(cells)
            total = words.clean(cells[0].text) in words.total_rows
            if k < 0 or not (total or fits(words, header, cells, k)):
                break
            r = len(rows) + 1
            rows.append([GridCell(c.text, c.start, c.end, r, k + n) for n, c in enumerate(cells)])
            start = i + 1
            if total:
                break
        i += 1
    return rows, start


def _points(cell: GridCell) -> bool:
    return cell_points(cell.text) is not None and cell.text.replace(".", "", 1).isdigit()

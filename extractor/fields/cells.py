"""A label standing in a table's cell: its figure is read by the grid, not by the words after it.

The figure is the first cell to the right whose column holds the year's own figures (past row
numbers, last year's column, changes, shares, a budget beside the actual figures, an earlier year
beside a later one, and empty cells); in a header row of labels ("编制人数 | 实有人数 / 15 | 21")
it is the cell below. A label inside a long cell (a sentence in a form's cell) is prose, read
within its cell.
"""

from __future__ import annotations

import bisect

from ..columns import FIGURE_ROLES, base, roles
from ..grid import Grid, GridCell
from ..model import Grounded
from ..patterns import HAN_CHAR, compile_regex
from ..text_grids import is_figure
from .common import Context, count_from, money_from, number_from
from .qualify import qualifiers_of

DEFAULT_HEADER_ROWS = 200  # a 决算 table's totals stand far below its header
_OTHER_COLUMNS = frozenset({"row_number", "prior", "change", "share", "remark", "target"})
_PERCENT = compile_regex(r"[ ]?(?P<num>\d+(?:\.\d+)?)[ ]?%?[ ]?$")


class CellIndex:
    """Which grid cell holds a folded offset."""

    def __init__(self, grids: list[Grid]):
        entries = sorted(
            ((c.start, c.end, g, c) for g in grids for row in g.rows for c in row if c.end > c.start),
            key=lambda e: e[0],
        )
        self._starts = [e[0] for e in entries]
        self._entries = entries

    def at(self, pos: int) -> tuple[Grid, GridCell] | None:
        i = bisect.bisect_right(self._starts, pos) - 1
        if i >= 0 and self._entries[i][0] <= pos < self._entries[i][1]:
            return self._entries[i][2], self._entries[i][3]
        return None


def cell_index(ctx: Context) -> CellIndex:
    index = ctx.memo.get("cell_index")
    if index is None:
        index = ctx.memo["cell_index"] = CellIndex(ctx.grids)
    return index


def cell_mentions(ctx: Context, entry, label: str, m, where: tuple[Grid, GridCell], lex) -> list:
    from .prose import Mention, _prose_mention, labelled

    grid, cell = where
    # a figure in the label's own cell ("执行率96%", a sentence in a form's cell) is read as prose
    mention = _prose_mention(ctx, entry, label, m, lex)
    if mention is not None and ctx.folded_range(mention.value)[1] <= cell.end:
        return [mention]
    if not _label_cell(ctx, cell, m, lex):
        return []
    found = _figure_right(ctx, grid, cell, lex, entry.type) or _figure_below(ctx, grid, cell)
    if found is None:
        return []
    if entry.columns_refused and base(_column_header(ctx, grid, found.row, found.col)[0]) in entry.columns_refused:
        return []
    value = _cell_value(ctx, entry, found, lex)
    if value is None:
        return []
    quals = qualifiers_of(ctx, lex.qualifiers, m.start(), m.end(), found.end)
    share = _share_right(ctx, grid, found) if entry.type == "money_share" else None
    return [Mention(entry, labelled(value, label, quals), label, m.span(), quals, "cell", entry.priority, share)]


def _share_right(ctx: Context, grid: Grid, figure: GridCell):
    """A share stated in the row's share column (占比 | 比重), right of the figure."""
    for c in grid.rows[figure.row]:
        if c.col > figure.col and c.text and base(_column_header(ctx, grid, figure.row, c.col)[0]) == "share":
            m = _PERCENT.match(ctx.text, c.start, c.end)
            if m:
                return number_from(ctx, m, "cell.share", suffix="%")
    return None


def _label_cell(ctx: Context, cell: GridCell, m, lex) -> bool:
    """The cell is the label (with a numbering, a note or a filler word), not a longer name."""
    text = ctx.text
    prefix = "".join(text[cell.start : m.start()].split())
    suffix = "".join(text[m.end() : cell.end].split())
    return bool(lex.cell_prefix.match(prefix) and lex.cell_suffix.match(suffix))


def _figure_right(ctx: Context, grid: Grid, cell: GridCell, lex, kind: str = "money") -> GridCell | None:
    row = grid.rows[cell.row]
    for c in row:
        if c.col <= cell.col or not c.text:
            continue
        if kind == "grade":
            return c if lex.tails["grade"].fullmatch(ctx.text, c.start, c.end) else None
        if not is_figure(c.text) and not lex.cell_figure.match(c.text):
            return None  # the next label's cell: its figures are not this label's
        if not _other_column(ctx, grid, cell.row, c.col):
            return c
    return None


def _figure_below(ctx: Context, grid: Grid, cell: GridCell) -> GridCell | None:
    """A header row of labels: the figure under the label. (A header of figure columns, 年初预算数 |
    全年执行数 | 执行率, is a form's: its rows are read by the form reader, row by row.)"""
    row = grid.rows[cell.row]
    if sum(1 for c in row if HAN_CHAR.search(c.text)) < 2 or any(is_figure(c.text) for c in row):
        return None
    of = roles(ctx.patterns).of
    if sum(base(of(c.text)) in FIGURE_ROLES for c in row) >= 2:
        return None
    below = grid.at(cell.row + cell.rowspan, cell.col)
    if below is None or below.col != cell.col or not is_figure(below.text):
        return None
    if not any(HAN_CHAR.search(c.text) for c in grid.rows[below.row]):
        return below
    return _total_row_figure(ctx, grid, below.row, cell.col)


def _total_row_figure(ctx: Context, grid: Grid, first: int, col: int) -> GridCell | None:
    """Rows that name what they count under a header of labels: one row is the unit's ("人数 | 20 |
    18"); of several ("人员类别 | 编制数 | 实有人数 / 行政 | 10 | 9 / 合计 | 15 | 14") the first is one
    category's, and the unit's figure is the one row named a total (prose.toml [header_row]
    total_rows), or none."""
    figures = [r for r in range(first, len(grid.rows)) if (c := grid.at(r, col)) is not None and is_figure(c.text)]
    if len(figures) == 1:
        return grid.at(first, col)
    words = frozenset(ctx.patterns.prose["header_row"]["total_rows"])
    totals = [
        r
        for r in range(first, len(grid.rows))
        if any("".join(c.text.split()) in words for c in grid.rows[r] if c.col != col)
    ]
    if len(totals) != 1:
        return None
    found = grid.at(totals[0], col)
    return found if found is not None and found.row == totals[0] and is_figure(found.text) else None


def _column_header(ctx: Context, grid: Grid, r: int, col: int) -> tuple[str | None, list[str | None]]:
    """The role of the header over column ``col`` above row ``r`` (the nearest row above with
    words in that column), and the roles of that header row's cells."""
    of = roles(ctx.patterns).of
    resolved = grid.resolved()
    for rr in range(r - 1, max(-1, r - 1 - DEFAULT_HEADER_ROWS), -1):
        h = resolved[rr][col] if col < grid.ncols else None
        if h is not None and h.row == rr and HAN_CHAR.search(h.text):
            return of(h.text), [of(c.text) for c in grid.rows[rr]]
    return None, []


def _other_column(ctx: Context, grid: Grid, r: int, col: int) -> bool:
    """A column of figures other than the year's own."""
    role, row_roles = _column_header(ctx, grid, r, col)
    kind = base(role)
    if kind in _OTHER_COLUMNS:
        return True
    if kind == "budget_initial" and any(base(x) in ("amount", "budget_spent") for x in row_roles):
        return True  # a budget beside the actual figures
    if kind == "year":
        year = int(role.split(":")[1])
        return any(base(x) == "year" and int(x.split(":")[1]) > year for x in row_roles)
    return False


def _cell_value(ctx: Context, entry, cell: GridCell, lex):
    pid = entry.id
    tail = lex.cell_tails.get(entry.type) or lex.tails[entry.type]
    m = tail.match(ctx.text, cell.start, cell.end)
    if m is None:
        return None
    if entry.type in ("money", "money_share"):
        return money_from(ctx, m, pid)
    if entry.type in ("people", "people_strict"):
        return count_from(ctx, m, pid)
    if entry.type == "percent":
        return number_from(ctx, m, pid, suffix="%")
    if entry.type == "points":
        return number_from(ctx, m, pid)
    if entry.type == "grade":
        word = ctx.patterns.words["grade"].get(m.group("g"))
        return ctx.ground(*m.span("g"), word, Grounded, pid) if word else None
    return None


def bare_totals(ctx: Context, side: str) -> list:
    """The grand total of a 决算 table that writes its last row as a bare 总计: the 总计 cell in the
    column where the year's total (本年收入合计 / 本年支出合计) stands above, in the same grid
    (a two-sided table has one for revenue and one for spending), as (priority, value)."""
    from .prose import lexicon

    lex = lexicon(ctx.patterns)
    year_labels = {"".join(w.split()) for w in ctx.patterns.labels[f"{side}_total_of_year"]}
    bare = set(ctx.patterns.prose.get("bare_total", {}).get("words", ()))
    entry = lex.by_field[f"{side}.total"][0]
    out = []
    for grid in ctx.grids:
        first: dict[int, int] = {}  # column -> first row holding the year's total there
        for row in grid.rows:
            for c in row:
                if c.text in year_labels:
                    first.setdefault(c.col, c.row)
        for row in grid.rows:
            for c in row:
                if c.col in first and c.row > first[c.col] and c.text in bare:
                    found = _figure_right(ctx, grid, c, lex)
                    value = _cell_value(ctx, entry, found, lex) if found is not None else None
                    if value is not None:
                        out.append((entry.priority, value))
    return out

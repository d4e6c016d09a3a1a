"""Score tables read from grids: the indicator tree (levels, points, scores) and the table's total.

A score table is a grid whose header names indicator levels (一级指标 …, or one name column) and a
points or score column (``patterns/headers.toml``). A reader's table is read by its resolved
positions: a level-1 cell merged down over its children stands in each of their rows. A table
written as pipe lines has lost its merged cells, so each short row is placed where its cells fit
the columns' roles (``score_rows``). A table split by a page break, its header repeated or not, is
read as one; a 合计 row is the table's total, never an indicator.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..grid import Grid, GridCell
from ..model import Indicator, Number
from ..text_grids import is_page_break
from .common import Context, compiled, number_from
from .score_lines import header_above, score_line_grids
from .score_rows import (
    POSITIONED,
    Header,
    ScoreWords,
    cell_points,
    exact_row,
    find_header,
    lexicon_level,
    name_max,
    other_header,
    pipes_on_line,
    placed_row,
    right_aligned,
    score_words,
    squash_name,
)

SUMMARY_ROLES = ("points", "score")  # a row labelled so sums the table up, it is no indicator
DEFAULT_GAP_LINES = 2  # running heads allowed between the parts of a table split by a page break
DEFAULT_GAP_LINE_CHARS = 40
MIN_NUMBERED = 2  # level-1 numberings that make a one-column table a numbered tree


@dataclass(slots=True)
class ScoreTable:
    """One score table as it is read: its tree, its total rows and the state of the row being read."""

    header: Header
    roots: list[Indicator] = field(default_factory=list)
    totals: list[Number] = field(default_factory=list)
    full_marks: list[Number] = field(default_factory=list)  # a total row's 分值 of 100 or more
    path: list[Indicator | None] = field(default_factory=list)
    previous: dict[int, Indicator] = field(default_factory=dict)  # column -> node the last row made
    spoiled: set[int] = field(default_factory=set)  # level-1 nodes a row of figures was lost under
    open: bool = False  # read to its grid's end: a page break may continue it
    repeated: bool = False  # a repeated header was read over

    def __post_init__(self) -> None:
        self.path = [None] * len(self.header.levels)


@dataclass(slots=True)
class ScoreTables:
    tables: list[ScoreTable]
    several: bool  # several forms' tables: whose indicators and total are the report's cannot be told

    @property
    def roots(self) -> list[Indicator]:
        return [] if self.several else [n for t in self.tables for n in t.roots]

    @property
    def totals(self) -> list[Number]:
        return [] if self.several else [v for t in self.tables for v in t.totals]

    @property
    def full_marks(self) -> list[Number]:
        return [] if self.several else [v for t in self.tables for v in t.full_marks]


def score_tables(ctx: Context) -> ScoreTables:
    """Every score table of the document (computed once per document)."""
    found = ctx.memo.get("score_tables")
    if found is None:
        found = ctx.memo["score_tables"] = _read_all(ctx)
    return found


def indicators_from_tables(ctx: Context) -> list[Indicator]:
    """The indicator tree of the report's score tables (none when several projects' tables)."""
    return score_tables(ctx).roots


def table_total_scores(ctx: Context) -> list[Number]:
    """The 得分 of each score table's total row that is within its full mark."""
    return score_tables(ctx).totals


def table_full_marks(ctx: Context) -> list[Number]:
    """The 分值 of each score table's total row, when it is a report's full mark (100 or more)."""
    return score_tables(ctx).full_marks


def _read_all(ctx: Context) -> ScoreTables:
    words = score_words(ctx.patterns)
    tables: list[ScoreTable] = []
    last: ScoreTable | None = None  # the table the previous grid ended in
    last_end = 0
    for grid in sorted(ctx.grids + score_line_grids(ctx), key=lambda g: g.start):
        r = 0
        if last is not None and last.open and _only_page_chrome(ctx, words, last_end, grid.start):
            r = _continue(ctx, words, last, grid)
        if last is not None and r == 0:
            last.open = False
        if r == 0 and find_header(ctx, words, grid, 0) is None and (above := header_above(ctx, grid)) is not None:
            last = ScoreTable(above)  # its header row left above it as a line of text
            tables.append(last)
            r = _read_rows(ctx, words, last, grid, 0)
        while r < len(grid.rows):
            header = find_header(ctx, words, grid, r)
            if header is None:
                r += 1
                continue
            if last is not None:
                last.open = False
            last = ScoreTable(header)
            tables.append(last)
            r = _read_rows(ctx, words, last, grid, r + header.rows)
        last_end = grid.end
    for t in tables:
        if len(t.header.levels) == 1:
            t.roots = _nested_by_numbering(ctx, t.roots)
        t.roots = _pruned(words, t.roots, t.spoiled)
    names = [squash_name(n.name, words) for t in tables for n in t.roots]
    several = (len(tables) > 1 or any(t.repeated for t in tables)) and len(set(names)) < len(names)
    return ScoreTables([t for t in tables if t.roots or t.totals], several)


def _continue(ctx: Context, words: ScoreWords, table: ScoreTable, grid: Grid) -> int:
    """Where the rows of the next grid that continue ``table`` after a page break end (past a
    repeated header); 0 when the grid is a table of its own (its own header, another layout)."""
    header = find_header(ctx, words, grid, 0)
    if header is None and other_header(words, grid, 0):
        return 0
    if header is not None:
        if header.key != table.header.key:
            return 0
        table.repeated = True
        start = header.rows
    else:
        if (grid.source in POSITIONED) != (table.header.source in POSITIONED):
            return 0
        if grid.source in POSITIONED and grid.ncols != table.header.width:
            return 0
        start = 0
    return _read_rows(ctx, words, table, grid, start, continued=True)


def _only_page_chrome(ctx: Context, words: ScoreWords, start: int, end: int) -> bool:
    """Only blank lines, page numbers and short running heads between ``start`` and ``end``."""
    heads = 0
    for line in ctx.text[start:end].split("\n"):
        t = "".join(line.replace("|", " ").split())  # a Markdown row's outer pipes are no content
        if not t or is_page_break(t):
            continue
        heads += 1
        if heads > DEFAULT_GAP_LINES or len(t) > DEFAULT_GAP_LINE_CHARS or any(s in t for s in words.stops):
            return False
    return True


def _read_rows(ctx: Context, words: ScoreWords, table: ScoreTable, grid: Grid, r: int, continued: bool = False) -> int:
    """Read rows from ``r`` until the table ends (a total row, another header); where it stopped."""
    table.open = False
    first = continued  # the first row after a page break may restate the level-1 name merged over it
    while r < len(grid.rows):
        header = find_header(ctx, words, grid, r)
        if header is not None:
            if header.key != table.header.key:
                return r
            table.repeated, first = True, True
            r += header.rows
            continue
        if other_header(words, grid, r):
            return r
        label = words.clean(next((c.text for c in grid.rows[r] if c.text), ""))
        if label in words.total_rows:
            _total_row(ctx, words, table, grid, r)
            return r + 1
        if words.roles.of(label) in SUMMARY_ROLES:
            return r  # a form's summary ("自评得分 | 95"): the prose and cell scanners read it
        if label in words.subtotal_rows or not label:
            r += 1
            continue
        row = placed_row(ctx, words, table.header, grid, r)
        if row is None:
            _lost(table, grid.rows[r])
        else:
            _add_row(ctx, words, table, row, carry=first)
            first = False
        r += 1
    table.open = True
    return r


def _lost(table: ScoreTable, cells: list[GridCell]) -> None:
    """A row that could not be placed: if it held figures, its level-1 indicator's children no
    longer add up to what the table says, and are dropped (its own figures stay)."""
    if any(cell_points(c.text) is not None for c in cells) and table.path and table.path[0] is not None:
        table.spoiled.add(id(table.path[0]))


def _total_row(ctx: Context, words: ScoreWords, table: ScoreTable, grid: Grid, r: int) -> None:
    """A total row's score, when its cells stand where the header's do and it is within its full
    mark (a pipe row with as many "|" as the header stands where they say: its trailing empty
    cells were dropped, not its merged ones; a shorter one's figures stand under the right-hand
    figure columns: its label was merged over the left ones)."""
    h = table.header
    cells = exact_row(ctx, h, grid, r)
    if cells is None and h.pipes is not None and pipes_on_line(ctx, grid.rows[r][0].start) == h.pipes:
        cells = dict(enumerate(grid.rows[r]))
    if cells is None and grid.source not in POSITIONED:
        cells = right_aligned(ctx, h, grid.rows[r])
    if cells is None or h.score not in cells:
        return
    score = _number(ctx, words, cells[h.score], "total_score.table")
    # the full mark stands in the 分值 column nearest the score (a sheet with a 分值 column per level)
    points = [c for c, role in enumerate(h.roles) if role == "points" and c in cells and c < h.score]
    full = next((n for c in reversed(points) if (n := _number(ctx, words, cells[c], "max_score.table"))), None)
    if score is not None and score.value <= (full.value if full is not None else words.full_mark):
        table.totals.append(score)
    if full is not None and full.value >= words.full_mark and (score is None or score.value <= full.value):
        table.full_marks.append(full)


def _number(ctx: Context, words: ScoreWords, cell: GridCell, pattern_id: str) -> Number | None:
    m = words.cell.match(ctx.text[cell.start : cell.end])
    if m is None:
        return None
    num = cell_points(m.group("num"))
    if num is None:
        return None
    end = m.end("unit") if m.group("unit") else m.end("num")
    return ctx.ground(
        cell.start + m.start("num"), cell.start + end, num.value, Number, pattern_id, decimals=num.decimals
    )


def _add_row(ctx: Context, words: ScoreWords, table: ScoreTable, row, carry: bool) -> None:
    """The row's names as nodes under the path the rows above left, its figures on its deepest."""
    h = table.header
    if _continues(table, row):
        _join_wrapped(ctx, table, row)
        return
    new = [(d, col) for d, col in enumerate(h.levels) if col in row.fresh and row.cells[col].text]
    if (
        carry
        and new
        and new[0][0] == 0
        and table.path[0] is not None
        and _same_name(words, table.path[0], row, new[0][1])
    ):
        new = new[1:]  # a page's first row restating the level-1 cell merged over the page break
    if not new:
        if any(k in row.fresh for k in (h.points, h.score) if k is not None):
            _lost(table, list(row.cells.values()))  # figures without a name of their own
        return
    table.previous = {}
    for i, (depth, col) in enumerate(new):
        node = _node(ctx, words, row.cells[col], depth)
        own = h.level_points.get(col)
        if own is not None and own in row.fresh and node.max is None:
            node.max = _number(ctx, words, row.cells[own], "indicator.table.max")
        if i == len(new) - 1:  # the deepest name of the row takes its figures
            _leaf_figures(ctx, words, h, row, node)
        parent = next((p for p in reversed(table.path[:depth]) if p is not None), None)
        if parent is not None:
            parent.children.append(node)
        elif depth == 0:
            table.roots.append(node)
        else:
            continue  # a deeper name before any level-1 name: nothing to hang it on
        table.path[depth] = node
        table.previous[col] = node
        for d in range(depth + 1, len(table.path)):
            table.path[d] = None


def _leaf_figures(ctx: Context, words: ScoreWords, h: Header, row, node: Indicator) -> None:
    if not h.level_points and h.points is not None and h.points in row.fresh and node.max is None:
        node.max = _number(ctx, words, row.cells[h.points], "indicator.table.max")
    if h.score is not None and h.score in row.fresh:
        node.score = _number(ctx, words, row.cells[h.score], "indicator.table.score")


def _node(ctx: Context, words: ScoreWords, cell: GridCell, depth: int) -> Indicator:
    node = Indicator(
        name=name_max(words, cell.text)[0], level=depth + 1, name_span=ctx.folded.span(cell.start, cell.end)
    )
    m = words.name_max.search(ctx.text, cell.start, cell.end)
    if m is not None:
        node.max = number_from(ctx, m, "indicator.table.name_max", group="max")
    return node


def _same_name(words: ScoreWords, node: Indicator, row, col: int) -> bool:
    return squash_name(node.name, words) == squash_name(name_max(words, row.cells[col].text)[0], words)


def _continues(table: ScoreTable, row) -> bool:
    """A row that only carries the wrapped rest of the previous row's names: no figures, and text
    only in name columns where the previous row had a name too (not the level-1 column)."""
    prev = table.previous
    if not prev or not any(n.max is not None or n.score is not None for n in prev.values()):
        return False
    h = table.header
    if any(k in row.fresh and row.cells[k].text for k in (h.points, h.score) if k is not None):
        return False
    filled = [c for c in row.fresh if row.cells[c].text]
    return bool(filled) and all(c in prev and c != h.levels[0] for c in filled)


def _join_wrapped(ctx: Context, table: ScoreTable, row) -> None:
    for col, node in table.previous.items():
        cell = row.cells.get(col)
        if cell is not None and col in row.fresh and cell.text:
            node.name += cell.text
            node.name_span = (node.name_span[0], ctx.folded.span(cell.start, cell.end)[1])


def _nested_by_numbering(ctx: Context, roots: list[Indicator]) -> list[Indicator]:
    """A table with one name column whose level-1 rows carry their numbering ("一、决策 | 20 | 19",
    then "项目立项 | 10 | 10" …): each row takes the level its numbering says (words.toml [indicators]
    numbering), an unnumbered row the level below the deepest numbering, under the row above it
    of the level above. Only when the first row and at least one more are numbered as level 1."""
    rxs = [compiled(src) for src in ctx.patterns.words["indicators"]["numbering"]]

    def level(node: Indicator) -> int | None:
        return next((k + 1 for k, rx in enumerate(rxs) if rx.match(node.name)), None)

    levels = [level(n) for n in roots]
    if not roots or levels[0] != 1 or levels.count(1) < MIN_NUMBERED or any(n.children for n in roots):
        return roots
    plain = max(x for x in levels if x is not None) + 1
    out: list[Indicator] = []
    path: list[Indicator] = []
    for node, lv in zip(roots, levels, strict=True):
        lv = min(lv or plain, len(path) + 1)
        del path[lv - 1 :]
        node.level = lv
        (path[-1].children if path else out).append(node)
        path.append(node)
    return out


def _pruned(words: ScoreWords, nodes: list[Indicator], spoiled: set[int], level1: bool = True) -> list[Indicator]:
    """The nodes that hold a figure in their subtree (a row of text is not an indicator), and the
    level-1 nodes the lexicon names or a row of figures was lost under: they stay, without what
    cannot be trusted, so that the verifier sees the level incomplete rather than a part of it
    as the whole. A spoiled node's children are dropped (they no longer add up to it)."""
    out = []
    for n in nodes:
        n.children = [] if id(n) in spoiled else _pruned(words, n.children, set(), level1=False)
        keep = level1 and (id(n) in spoiled or lexicon_level(words, n.name) == 1)
        if keep or n.max is not None or n.score is not None or n.children:
            out.append(n)
    return out

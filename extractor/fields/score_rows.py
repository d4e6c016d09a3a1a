"""A score table's header and rows: which column holds what, and where a short row's cells stand.

A reader's table says where every cell stands (merged cells resolved). A table written as pipe
lines says it only for rows with as many cells as its header: a web page drops the cells a merged
cell covered (the level-1 name over its children, a caption column) and pads rows with empty
cells. Such a row is placed where its cells fit the columns' roles — figures under 分值/得分, names
(not quantities) under the levels — the placement that puts the most figures under 分值/得分 first;
a row of names alone under the level its first name has in the lexicon, else under the deepest.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..columns import Roles, roles
from ..grid import Grid, GridCell
from ..numbers import ParsedNumber as Parsed
from ..numbers import parse_arabic
from ..patterns import HAN_CHAR, Patterns, compile_regex
from ..text_grids import is_figure
from .common import Context

LEVEL_ROLES = ("indicator_1", "indicator_2", "indicator_3")
# grids whose cells stand where the table put them: a reader's table (merged cells resolved), a
# table flattened one cell per line and rebuilt (score_lines)
POSITIONED = frozenset({"table", "score_lines"})
_FIGURE_ROLES = frozenset({"points", "score", "row_number"})
# a quantity, not a name: a figure with at most a short unit (≥95%, 29.5亩, 100%覆盖, 2022年全年; not
# a numbered name, 1.产出)
_QUANTITY = compile_regex(r"^[≥≤<>=~]*\d[\d,]*(?:\.\d+)?%?[\u4e00-\u9fa5A-Za-z]{0,3}$")
DEFAULT_FULL_MARK = Decimal(100)
MIN_OTHER_HEADER = 2  # header words in a row that heads another kind of table
_EMPTY = GridCell("", 0, 0, 0, 0)


class ScoreWords:
    """What reading a score table takes from ``patterns/`` (built once per pattern set)."""

    def __init__(self, patterns: Patterns):
        labels = patterns.labels
        self.roles: Roles = roles(patterns)
        self.total_rows = frozenset(labels.get("score_total_row", ()))
        self.subtotal_rows = frozenset(labels.get("score_subtotal_row", ()))
        self.level1 = frozenset(labels.get("indicator_level1", ()))
        self.level2 = frozenset(labels.get("indicator_level2", ()))
        words = patterns.words
        self.endings = tuple(sorted(words.get("indicators", {}).get("name_endings", ()), key=len, reverse=True))
        self.stops = tuple(words.get("score_table", {}).get("sentence_stops", ()))
        self.name_max = _pattern(patterns, "indicator.name_max")
        self.cell = _pattern(patterns, "indicator.cell")
        self.full_mark = DEFAULT_FULL_MARK

    def clean(self, text: str) -> str:
        """A row label without whitespace, bracketed notes and a trailing colon."""
        return self.roles.clean(text)

    def is_name(self, text: str) -> bool:
        return bool(HAN_CHAR.search(text)) and not _QUANTITY.match(text)


def _pattern(patterns: Patterns, field_name: str):
    found = patterns.for_field(field_name)
    return found[0].regex if found else compile_regex("(?!)")


def score_words(patterns: Patterns) -> ScoreWords:
    return patterns.memo("score_words", lambda: ScoreWords(patterns))


def cell_points(text: str) -> Parsed | None:
    """A figure of points as written: "9.5" -> 9.5 (one place); None when not a plain number."""
    return parse_arabic(text) if text and text[0].isdigit() else None


def name_max(words: ScoreWords, text: str) -> tuple[str, bool]:
    """A name without the points written into it ("产出指标(50分)" -> "产出指标"), and whether it had them."""
    bare = words.name_max.sub("", text)
    return "".join(bare.split()), bare != text


def squash_name(name: str, words: ScoreWords) -> str:
    """What a name names, without its endings: "产出指标" -> "产出", "决策类指标" -> "决策"."""
    for ending in words.endings:
        if name.endswith(ending) and len(name) > len(ending):
            return name[: -len(ending)]
    return name


@dataclass(slots=True)
class Header:
    """A score table's header: each column's role, the level columns (level 1 first), the points
    and score columns, a level's own points column (一级指标 | 分值 | 二级指标 | 分值 …)."""

    roles: list[str | None]
    levels: list[int]
    points: int | None
    score: int | None
    level_points: dict[int, int]
    rows: int  # rows the header takes (a header broken over two pipe lines takes two)
    source: str
    pipes: int | None  # "|" on its line (a pipe table's row with as many stands where it says)
    lead: int = 0  # "|" before its first cell on its line (a "| a | b |" table opens its rows with one)

    @property
    def width(self) -> int:
        return len(self.roles)

    @property
    def key(self) -> tuple:
        return tuple(self.roles)


def find_header(ctx: Context, words: ScoreWords, grid: Grid, r: int) -> Header | None:
    """The score-table header starting at row ``r`` of ``grid``, if it is one."""
    role_list = _roles(words, grid, r)
    found = _header_of(role_list)
    if found is None:
        return None
    rows, pipes = 1, (pipes_on_line(ctx, grid.rows[r][0].start) if grid.source == "pipe" and grid.rows[r] else None)
    if found[1] is None and found[2] is None:
        # a header broken over two lines ("绩效指标 | 一级 指标 |" / "二级指标 | … | 分值 | 得分")
        if grid.source in POSITIONED or r + 1 >= len(grid.rows):
            return None
        more = _roles(words, grid, r + 1)
        texts = [t for t in _texts(grid, r + 1) if t]
        if len([m for m in more if m is not None]) < len(texts) or LEVEL_ROLES[0] in more:
            return None
        role_list = role_list + more
        found = _header_of(role_list)
        if found is None or (found[1] is None and found[2] is None):
            return None
        rows, pipes = 2, None
    levels, points, score = found
    lead = _pipes_before(ctx, grid.rows[r][0].start) if pipes is not None else 0
    return Header(role_list, levels, points, score, _level_points(role_list, levels), rows, grid.source, pipes, lead)


def other_header(words: ScoreWords, grid: Grid, r: int) -> bool:
    """Row ``r`` heads another kind of table: two or more header words and no figure ("项目 | 金额")."""
    texts = [t for t in _texts(grid, r) if t]
    return sum(words.roles.of(t) is not None for t in texts) >= MIN_OTHER_HEADER and not any(map(is_figure, texts))


def header_from_roles(role_list: list[str | None], source: str) -> Header | None:
    """A header not standing in its grid's rows (a glued line above it, a flattened header)."""
    found = _header_of(role_list)
    if found is None or (found[1] is None and found[2] is None):
        return None
    levels, points, score = found
    return Header(role_list, levels, points, score, _level_points(role_list, levels), 0, source, None)


def _roles(words: ScoreWords, grid: Grid, r: int) -> list[str | None]:
    return [words.roles.of(t) if t else None for t in _texts(grid, r)]


def _header_of(role_list: list[str | None]) -> tuple[list[int], int | None, int | None] | None:
    levels = []
    for role in LEVEL_ROLES:
        if role in role_list:
            col = role_list.index(role)
            if levels and col <= levels[-1]:
                return None
            levels.append(col)
    if not levels and "indicator" in role_list:
        levels = [role_list.index("indicator")]
    if not levels:
        return None
    points = role_list.index("points") if "points" in role_list else None
    score = role_list.index("score") if "score" in role_list else None
    if points is None and score is None and "indicator_1" not in role_list:
        return None
    return levels, points, score


def _level_points(role_list: list[str | None], levels: list[int]) -> dict[int, int]:
    """A sheet that gives every level its own 分值 column: each level's points stand in the 分值
    column after its name, before the next level's."""
    maxima = [i for i, role in enumerate(role_list) if role == "points"]
    out: dict[int, int] = {}
    if len(maxima) > 1:
        for col, bound in zip(levels, [*levels[1:], len(role_list)], strict=True):
            own = next((i for i in maxima if col < i < bound), None)
            if own is not None:
                out[col] = own
    return out


def _texts(grid: Grid, r: int) -> list[str]:
    if grid.source in POSITIONED:
        return [c.text if c is not None else "" for c in grid.resolved()[r]]
    return [c.text for c in grid.rows[r]]


def pipes_on_line(ctx: Context, at: int) -> int:
    """How many "|" the line holding ``at`` has."""
    text = ctx.text
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    return text.count("|", start, end if end >= 0 else len(text))


def _pipes_before(ctx: Context, at: int) -> int:
    """How many "|" stand before ``at`` on its line."""
    return ctx.text.count("|", ctx.text.rfind("\n", 0, at) + 1, at)


@dataclass(slots=True)
class PlacedRow:
    """A row's cells by the header column each stands in; ``fresh``: the columns whose cell starts
    in this row (not a merged cell from above); ``exact``: the positions are the table's own."""

    cells: dict[int, GridCell]
    fresh: set[int]
    exact: bool


def placed_row(ctx: Context, words: ScoreWords, header: Header, grid: Grid, r: int) -> PlacedRow | None:
    """Row ``r`` of ``grid`` placed under ``header``; None when its cells fit nowhere."""
    exact = exact_row(ctx, header, grid, r)
    if exact is not None:
        if grid.source in POSITIONED:  # a merged cell from above is not this row's
            return PlacedRow(
                exact, {c for c, cell in exact.items() if cell.text and (cell.row, cell.col) == (r, c)}, True
            )
        if not fits(words, header, [exact.get(k) or _EMPTY for k in range(header.width)], 0):
            return None
        return PlacedRow(exact, {c for c, cell in exact.items() if cell.text}, True)
    row = grid.rows[r]
    if not any(c.text for c in row):
        return PlacedRow({}, set(), False)
    cells: dict[int, GridCell] = {}
    if header.roles[0] == "row_number" and len(row) > 1 and is_figure(row[0].text):
        # a row's number keeps its column while the merged cells after it are lost ("2 | 编制准确 | 5 | …")
        cells, row = {0: row[0]}, row[1:]
    k = _offset(words, header, row, lo=len(cells))
    if k is None:
        return None
    cells.update((k + j, c) for j, c in enumerate(row) if k + j < header.width)
    return PlacedRow(cells, {col for col, c in cells.items() if c.text}, False)


def exact_row(ctx: Context, header: Header, grid: Grid, r: int) -> dict[int, GridCell] | None:
    """Row ``r``'s cells by column where the table says where they stand: a reader's table (merged
    cells resolved), a pipe row that keeps the places of its merged cells (it opens with an empty
    cell) or has as many cells as the header; None for a pipe row that may have lost cells."""
    if grid.source in POSITIONED:
        return {c: cell for c, cell in enumerate(grid.resolved()[r][: header.width]) if cell is not None}
    row = grid.rows[r]
    if row and (not row[0].text or _pipes_before(ctx, row[0].start) > header.lead):
        # the writer kept the places of the merged cells (an empty cell opens the row)
        return {col: c for c in row if 0 <= (col := _pipes_before(ctx, c.start) - header.lead) < header.width}
    if len(row) >= header.width:
        return {k: c for k, c in enumerate(row[: header.width])}
    return None


def right_aligned(ctx: Context, header: Header, row: list[GridCell]) -> dict[int, GridCell] | None:
    """A pipe total row shorter than its header (``| 合计 | 100 | 92.5 |`` under ``| 一级指标 | 二级指标
    | 分值 | 得分 |``: its label merged over the columns on the left): its cells, counted by the "|"
    on its line (empty ones too), under the header's last columns. Only when every figure then
    stands under 分值 or 得分, and the 得分 column and a 分值 column before it hold one; otherwise
    where they stand cannot be told."""
    if header.pipes is None or header.score is None or not row:
        return None
    lead = _pipes_before(ctx, row[0].start)
    # the header's "|" after its first cell are its width - 1 separators and any closing "|"
    cells_on_line = pipes_on_line(ctx, row[0].start) - lead - (header.pipes - header.lead) + header.width
    start = header.width - cells_on_line
    if start < 1 or cells_on_line < 3:  # the label covers two columns or more; two figures follow it
        return None
    placed = {start + _pipes_before(ctx, c.start) - lead: c for c in row}
    for col, cell in placed.items():
        if col == start or not cell.text:
            continue
        if not (start < col < header.width and is_figure(cell.text) and header.roles[col] in ("points", "score")):
            return None
    filled = {col for col, cell in placed.items() if cell.text and col != start}
    if header.score not in filled or not any(header.roles[c] == "points" and c < header.score for c in filled):
        return None
    return {col: cell for col, cell in placed.items() if col != start}


def fits(words: ScoreWords, header: Header, row: list[GridCell], k: int) -> bool:
    """Placed from column ``k`` on, every cell suits its column: names under the levels, figures
    under 分值 / 得分 / 序号 (a dash or an empty cell anywhere)."""
    for j, cell in enumerate(row):
        col, text = k + j, cell.text
        if not text:
            continue
        if col >= header.width:
            return False
        if col in header.levels:
            if not words.is_name(text):
                return False
        elif header.roles[col] in _FIGURE_ROLES and not (is_figure(text) or words.cell.match(text)):
            return False
    return True


def _figures_under_points(words: ScoreWords, header: Header, row: list[GridCell], k: int) -> int:
    cols = {header.points, header.score, *header.level_points.values()} - {None}
    return sum(1 for j, c in enumerate(row) if k + j in cols and c.text and words.cell.match(c.text))


def _offset(words: ScoreWords, header: Header, row: list[GridCell], lo: int = 0) -> int | None:
    """Where a short row's first cell stands (its leading merged cells lost): a name under a level,
    where the most figures stand under 分值 / 得分; a row of names alone under the level its first
    name has in the lexicon, else under the deepest that fits."""
    options = [k for k in range(lo, header.width - len(row) + 1) if fits(words, header, row, k)]
    if words.is_name(row[0].text):
        options = [k for k in options if k in header.levels]
    if not options:
        return None
    placed = {k: _figures_under_points(words, header, row, k) for k in options}
    best = max(placed.values())
    if best:
        return max(k for k in options if placed[k] == best)
    if not words.is_name(row[0].text):
        return None  # neither a name nor a figure: the wrapped rest of a cell
    level = lexicon_level(words, row[0].text)
    if level is not None and level <= len(header.levels) and header.levels[level - 1] in options:
        return header.levels[level - 1]
    return max(options)


def lexicon_level(words: ScoreWords, text: str) -> int | None:
    """The level a name has in the national frameworks: 2 for 数量指标 …, 1 for 产出指标 …
    (a name both can be, 社会效益, is taken as level 2: a level-1 name carries its points)."""
    name = squash_name(name_max(words, text)[0], words)
    if name in words.level2:
        return 2
    if name in words.level1:
        return 1
    return None

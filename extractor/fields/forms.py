"""A project form's money row, read from any grid: 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分
over a 年度资金总额 row gives the budget, the spending, the execution rate and the points the form
gives the rate. The header's columns come from ``patterns/headers.toml``; the row's label from
the ``budget_total_row`` labels."""

from __future__ import annotations

from ..columns import BUDGET_ROLES, base, roles
from ..grid import Grid, GridCell
from ..model import Money, Number
from ..numbers import UNIT_FACTORS, parse_arabic
from ..patterns import compile_regex
from ..text_grids import is_figure
from .common import Context, compiled

# the Budget field each money column fills
FIELD = {
    "budget_initial": "total",
    "budget_adjusted": "adjusted",
    "budget_spent": "spent",
    "execution_rate": "execution_rate",
}
_FORM_ROLES = frozenset((*BUDGET_ROLES, "points", "score"))
_CELL = compile_regex(r"^(?P<num>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(?P<pct>%)?$")
_PERCENT_NOTE = compile_regex(r"\(%\)")
DEFAULT_ROWS_BELOW = 3  # the money row stands right under the header (a caption row may sit between)
MIN_BUDGET_COLUMNS = 2


def read_form(ctx: Context) -> dict:
    """The form's money row as {role: value} (budget_initial, budget_adjusted, budget_spent:
    Money; execution_rate, points, score: Number). Empty when no form is found, and when the
    text holds several forms whose money rows differ (whose is the report's cannot be told)."""
    if ctx.budget_form is not None:
        return ctx.budget_form
    forms = [f for grid in ctx.grids for f in _grid_forms(ctx, grid)]
    ctx.budget_form = forms[0] if forms and all(_same(forms[0], f) for f in forms[1:]) else {}
    return ctx.budget_form


def _grid_forms(ctx: Context, grid: Grid) -> list[dict]:
    of = roles(ctx.patterns).of
    total_row = compiled(r"^{L_budget_total_row}[:]?$")
    out = []
    for r, row in enumerate(grid.rows):
        # (a budget role has no qualifier: base(role) in BUDGET_ROLES is role in BUDGET_ROLES)
        if sum(1 for c in row if of(c.text) in BUDGET_ROLES) < MIN_BUDGET_COLUMNS:
            continue
        header = [(c, of(c.text)) for c in row]
        glued = _glued_row(header, total_row)
        if glued is not None:  # a table glued onto one line: "… | 得分 | | 年度资金总额 | 100 | …"
            form = _money_row(ctx, grid, [h for h in header[:glued] if h[0].text], r, row[glued:], 0, by_order=True)
            if form:
                out.append(form)
                ctx.memo.setdefault("form_row_label", (row[glued].start, row[glued].end))
                continue
        for rr in range(r + 1, min(r + 1 + DEFAULT_ROWS_BELOW, len(grid.rows))):
            cells = grid.rows[rr]
            label = next((k for k, c in enumerate(cells) if c.text), None)
            if label is None or not total_row.match(cells[label].text):
                continue
            form = _money_row(ctx, grid, header, r, cells, label)
            if form:
                out.append(form)
                ctx.memo.setdefault("form_row_label", (cells[label].start, cells[label].end))
                ctx.memo.setdefault("form_sources", _source_rows(ctx, grid, header, r, rr + 1))
            break
    return out


def _glued_row(header: list[tuple[GridCell, str | None]], total_row) -> int | None:
    """Where the money row starts inside the header's own row (a table glued onto one line): the
    first cell after the last budget column that is the money row's label, or None."""
    last = max(k for k, (_, role) in enumerate(header) if role in BUDGET_ROLES)
    return next((k for k in range(last + 1, len(header)) if total_row.match(header[k][0].text)), None)


def _source_rows(ctx: Context, grid: Grid, header, r: int, first: int) -> list[tuple[GridCell, dict]]:
    """The rows under the money row (其中：当年财政拨款, 上年结转资金, 其他资金): each source's label
    cell and figures, up to the first row without figures (年度总体目标 …)."""
    out = []
    for rr in range(first, len(grid.rows)):
        cells = grid.rows[rr]
        label = next((k for k, c in enumerate(cells) if c.text), None)
        if label is None or is_figure(cells[label].text) or not any(is_figure(c.text) for c in cells[label + 1 :]):
            break
        out.append((cells[label], _money_row(ctx, grid, header, r, cells, label)))
    return out


def _aligned(
    grid: Grid, header: list[tuple[GridCell, str | None]], r: int, values: list[GridCell], width: int, by_order: bool
):
    """(header cell, role, value cell) for the row's figures. A reader's table aligns them by
    column; a table rebuilt from text, in order (its rows lost their merged and empty cells),
    unless its header and row have as many cells and the header stands over the row's label too:
    both kept a merged cell's empty cells ("| 项目资金（万元） | | 年初预算数 …")."""
    first = next((k for k, (_, role) in enumerate(header) if base(role) in _FORM_ROLES), len(header))
    label = width - len(values) - 1
    if not by_order and (grid.source == "table" or (width == len(header) and first > label)):
        out = []
        for v in values:
            h = grid.at(r, v.col)
            role = next((role for c, role in header if c is h), None)
            if h is not None and role in _FORM_ROLES:
                out.append((h, role, v))
        return out
    # from the first form column on, every header cell takes a figure, an unknown one too (its
    # figure is passed over, not given to the next column)
    return [(c, role, v) for (c, role), v in zip(header[first:], values, strict=False) if base(role) in _FORM_ROLES]


def _money_row(
    ctx: Context, grid: Grid, header, r: int, cells: list[GridCell], label: int, *, by_order: bool = False
) -> dict:
    unit = ctx.unit_before(cells[label].start)
    out: dict = {}
    for head, role, cell in _aligned(grid, header, r, cells[label + 1 :], len(cells), by_order):
        m = _CELL.match(cell.text)
        if not m:
            continue
        num = parse_arabic(m.group("num"))
        if num is None:  # a run of digits too long to be a figure
            continue
        percent = bool(m.group("pct")) or bool(_PERCENT_NOTE.search(ctx.text, head.start, head.end))
        if (role == "execution_rate") != percent:
            return {}  # a rate without % or money with %: the figures stand under other columns
        end = cell.start + m.end("pct" if m.group("pct") else "num")
        if role == "execution_rate" or role in ("points", "score"):
            pid = "budget.form.rate" if role == "execution_rate" else f"indicator.form.{role}"
            out[role] = ctx.ground(cell.start, end, num.value, Number, pid, decimals=num.decimals, label=head.text)
        elif unit:
            out[role] = ctx.ground(
                cell.start,
                end,
                num.value * UNIT_FACTORS[unit],
                Money,
                f"budget.form.{FIELD[role]}",
                decimals=num.decimals,
                unit=unit,
                label=head.text,
            )
    return out


def _same(a: dict, b: dict) -> bool:
    keys = ("budget_initial", "budget_adjusted", "budget_spent")
    return all(k in a and k in b and a[k].value == b[k].value for k in keys if k in a or k in b)


def row_label_span(ctx: Context, form: dict) -> tuple[int, int] | None:
    """The original span of the money row's label cell (年度资金总额)."""
    at = ctx.memo.get("form_row_label")
    return ctx.folded.span(*at) if form and at else None


def source_rows(ctx: Context) -> list:
    """The form's sources as BudgetRow records (read_form first)."""
    from ..model import BudgetRow

    read_form(ctx)
    lead = compiled(ctx.patterns.words["lists"]["lead_word"] + "[:]?")
    rows = []
    for cell, figures in ctx.memo.get("form_sources", ()):
        name = lead.sub("", cell.text) or cell.text
        rows.append(
            BudgetRow(
                name=name,
                name_span=ctx.folded.span(cell.start, cell.end),
                **{FIELD[k]: v for k, v in figures.items() if k in FIELD},
            )
        )
    return rows

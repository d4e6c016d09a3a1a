"""Tables written as text, rebuilt as grids: pipe lines, and forms flattened one cell per line.

A web page or a copied document often holds a table as lines of ``a | b | c`` (one row per line)
or as its cells one per line (a form's header cells, then each row's label and figures). Both
become :class:`~extractor.grid.Grid` objects over the folded view, so the fields read them as
they read a Word table. A form flattened one cell per line has no row breaks: its rows are
rebuilt from its header (``patterns/headers.toml``), a row being a label followed by as many
figures as the header has figure columns; a header cell wrapped over two lines ("年初" /
"预算数") is joined when the two together are a header word.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from .columns import FIGURE_ROLES, Roles, base
from .grid import Grid, GridCell, make_cell
from .patterns import compile_regex

_FIGURE = compile_regex(r"^(?:[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?|[-—–/]{1,2}|\.\d+%?)$")
_PAGE_MARKER = compile_regex(r"^(?:[-—]+\d{1,4}[-—]+|第\d{1,4}页(?:共\d{1,4}页)?|\d{1,4}/\d{1,4}|\d{1,4})$")
# a page number set off as one ("— 5 —", "第5页"): a line a form's cells go on past; a bare
# number may be one of the form's figures
_MARKED_PAGE = compile_regex(r"^(?:[-—]+\d{1,4}[-—]+|第\d{1,4}页(?:共\d{1,4}页)?)$")
_RULE_CELL = compile_regex(r"^[ ]*:?-{3,}:?[ ]*$|^[ ]*$")
MIN_PIPE_CELLS = 2  # a pipe line is a table row when it holds this many non-empty cells
MAX_JOINED_FRAGMENTS = 3  # a header cell wrapped over at most this many lines
MIN_HEADER_ROLES = 3  # a flattened form's header: this many figure columns in a row
MAX_FORM_ROWS = 12  # rows read after a flattened form's header
MAX_LABEL_CHARS = 30  # a row label, not a sentence
MAX_BARE_LABELS = 3  # labels in a row without figures end a flattened form


def is_page_break(line: str) -> bool:
    """A line that only marks a page ("— 5 —", "第5页", "5/12"), or a form feed."""
    body = "".join(line.split())
    return not body or body == "\f" or bool(_PAGE_MARKER.match(body))


def is_figure(text: str) -> bool:
    """A cell that holds a figure (or the dash of an empty figure), not words."""
    return bool(_FIGURE.match(text))


def text_grids(
    text: str, covered: Iterable[tuple[int, int]], roles: Roles, one_cell_rows: Collection[int] = ()
) -> list[Grid]:
    """Grids of the tables that ``text`` (the folded view) writes as lines, outside ``covered``
    (the reader's own tables); a line starting at one of ``one_cell_rows`` between two pipe lines
    is a row of one cell (``extractor.space_cells``)."""
    spans = sorted(covered)
    lines = _lines(text)
    out: list[Grid] = []
    run: list[tuple[str, int]] = []
    loose: list[tuple[str, int]] = []  # lines that may be a form flattened one cell per line

    def flush_run():
        if run:
            if _is_pipe_table(run):
                if (g := _pipe_grid(text, run)) is not None:
                    out.append(g)
            else:
                loose.extend(run)
            run.clear()

    # lines after a pipe run that only mark a page: the run goes on if a pipe line comes next
    # (a table a page break split; its second part alone may look like no table)
    held: list[tuple[str, int]] = []
    marked = False
    k = 0
    for line, start in lines:
        while k < len(spans) and spans[k][1] < start:
            k += 1
        if k < len(spans) and spans[k][0] <= start <= spans[k][1]:
            flush_run()
            loose.extend(held)
            held, marked = [], False
            continue
        if "|" in line:
            if held and not marked:
                flush_run()
                loose.extend(held)
            elif held and _cells_of(line) == _cells_of(run[0][0]):
                held, marked = [], False
                continue  # the header row repeated atop the new page
            run.append((line, start))
            held, marked = [], False
        elif run and is_page_break(line):
            held.append((line, start))
            marked = marked or bool(line.strip())
        elif run and not held and start in one_cell_rows:
            run.append((line, start))
        else:
            flush_run()
            loose.extend(held)
            held, marked = [], False
            loose.append((line, start))
    flush_run()
    loose.extend(held)
    out.extend(form_grids(text, sorted(loose, key=lambda x: x[1]), roles))
    return sorted(out, key=lambda g: g.start)


def _lines(text: str) -> list[tuple[str, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((line, pos))
        pos += len(line) + 1
    return out


def _opens_with_pipe(line: str, parts: list[str]) -> bool:
    """The outer pipes of a "| a | b |" row open and close it (a row that only opens with a pipe
    starts with an empty cell)."""
    return len(parts) > 2 and not parts[0].strip() and not parts[-1].strip()


def _cells_of(line: str) -> list[str]:
    parts = line.split("|")
    if _opens_with_pipe(line, parts):
        parts = parts[1:]
    while parts and not parts[-1].strip():
        parts.pop()
    return parts


def _is_pipe_table(run: list[tuple[str, int]]) -> bool:
    """Most lines hold several cells (a row each), not one cell with a trailing pipe."""
    wide = sum(sum(1 for c in _cells_of(line) if c.strip()) >= MIN_PIPE_CELLS for line, _ in run)
    return wide * 2 >= len(run) and wide > 0


def _pipe_grid(text: str, run: list[tuple[str, int]]) -> Grid | None:
    rows: list[list[GridCell]] = []
    for line, start in run:
        parts = _cells_of(line)
        if not any(p.strip() for p in parts) or all(_RULE_CELL.match(p) for p in parts):
            continue  # a separator of pipes only, or a Markdown header rule (| --- | :---: |)
        lead = line.index("|") + 1 if _opens_with_pipe(line, line.split("|")) else 0
        cells, pos = [], start + lead
        r = len(rows)
        for c, part in enumerate(parts):
            cells.append(make_cell(text, pos, pos + len(part), r, c))
            pos += len(part) + 1
        rows.append(cells)
    return Grid(rows, "pipe") if rows else None


# ---- forms flattened one cell per line --------------------------------------------------------


def _fragments(lines: list[tuple[str, int]]) -> list[tuple[str, int, int]]:
    """The non-blank lines as (text without pipes and whitespace, start, end) in the folded view,
    lines that only mark a page left out."""
    out = []
    for line, start in lines:
        body = line.replace("|", " ")
        stripped = body.strip()
        if not stripped:
            continue
        squashed = "".join(stripped.split())
        if _MARKED_PAGE.match(squashed):
            continue
        s = start + (len(body) - len(body.lstrip()))
        out.append((squashed, s, s + len(stripped)))
    return out


def _header_at(frags, i: int, roles: Roles) -> tuple[str, int] | None:
    """The role of the header cell starting at fragment ``i`` and how many fragments it takes:
    the shortest join of up to MAX_JOINED_FRAGMENTS that is a header word ("年初" + "预算数"; but
    "执行率" then "得分" are two cells, though "执行率得分" is a header word too)."""
    if not roles.clean(frags[i][0]):  # a bracketed note ("(万元)") is not where a header cell starts
        return None
    for n in range(1, min(MAX_JOINED_FRAGMENTS, len(frags) - i) + 1):
        role = roles.of("".join(f[0] for f in frags[i : i + n]))
        if role is not None:
            return role, n
    return None


def form_grids(text: str, lines: list[tuple[str, int]], roles: Roles) -> list[Grid]:
    """Forms whose cells stand one per line: a run of header cells with at least
    MIN_HEADER_ROLES figure columns, then rows of a label and its figures."""
    frags = _fragments(lines)
    out: list[Grid] = []
    i = 0
    while i < len(frags):
        header, j = _header_run(frags, i, roles)
        figures = [h for h in header if base(h[0]) in FIGURE_ROLES]
        if len(figures) < MIN_HEADER_ROLES or len({base(h[0]) for h in figures}) < 2:
            i += 1
            continue
        grid, j = _form_rows(text, frags, j, header, i)
        if grid is not None:
            out.append(grid)
        i = max(j, i + 1)
    return out


def _header_run(frags, i: int, roles: Roles) -> tuple[list[tuple[str, int, int]], int]:
    """Consecutive header cells from fragment ``i``: (role, start, end) each, and where they end."""
    header = []
    while i < len(frags):
        hit = _header_at(frags, i, roles)
        if hit is None:
            break
        role, n = hit
        header.append((role, frags[i][1], frags[i + n - 1][2]))
        i += n
    return header, i


def _form_rows(text: str, frags, i: int, header, first: int) -> tuple[Grid | None, int]:
    """The rows after a flattened header: a label and up to one figure per figure column."""
    figures = [h for h in header if base(h[0]) in FIGURE_ROLES]
    width = len(figures)
    rows: list[list[GridCell]] = [[make_cell(text, s, e, 0, c + 1) for c, (_, s, e) in enumerate(figures)]]
    bare = 0
    while i < len(frags) and len(rows) <= MAX_FORM_ROWS and bare < MAX_BARE_LABELS:
        label = frags[i]
        if is_figure(label[0]) or len(label[0]) > MAX_LABEL_CHARS or _PAGE_MARKER.match(label[0]):
            break
        j = i + 1
        while j < len(frags) and j - i - 1 < width and is_figure(frags[j][0]):
            j += 1
        values = frags[i + 1 : j]
        if j < len(frags) and is_figure(frags[j][0]):
            break  # more figures than columns: the rows cannot be told apart
        r = len(rows)
        rows.append(
            [make_cell(text, label[1], label[2], r, 0)]
            + [make_cell(text, s, e, r, c + 1) for c, (_, s, e) in enumerate(values)]
        )
        bare = 0 if values else bare + 1
        i = j
    if len(rows) < 2 or not any(len(r) > 1 for r in rows[1:]):
        return None, i
    return Grid(rows, "lines"), i

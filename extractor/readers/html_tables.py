"""HTML tables as rows on their grid: row and column spans placed, nested tables' rows left to
their own table, and layout tables (a page laid out in a table) told from data tables."""

from __future__ import annotations

from extractor.readers._build import Cell, join_fragments
from extractor.readers.html_nodes import BLOCK_TAGS, Measure, attr, collapse

# A table cell longer than this is page layout (an article inside a layout table), not data.
LAYOUT_CELL_CHARS = 500
# Rowspans and colspans may mark at most this many grid positions of one table; past it,
# spans are ignored (a tiny table claiming rowspan=1000 colspan=100 in every cell).
MAX_SPANNED_CELLS = 200_000


def _rows_of(table) -> list:
    """The table's own rows, not those of tables nested in its cells."""
    rows = []
    for child in table.iter():
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            rows.extend(c for c in child.iter() if c.tag == "tr")
    return rows


def _cells_of(tr) -> list:
    return [c for c in tr.iter() if c.tag in ("td", "th")]


def is_layout_table(table, measure: Measure) -> bool:
    rows = _rows_of(table)
    if not rows or max(len(_cells_of(tr)) for tr in rows) <= 1:
        return True
    return any(measure.text_longer_than(cell, LAYOUT_CELL_CHARS) for tr in rows for cell in _cells_of(tr))


def _cell_text(cell) -> str:
    """A cell's text as one line: its blocks, line breaks and nested tables joined."""
    fragments: list[str] = []
    current: list[str] = []
    stack = [(cell, False)]
    while stack:
        node, leaving = stack.pop()
        tag = node.tag
        if tag == "-text":
            current.append(node.text_content or "")
            continue
        if tag is None or tag.startswith("-"):
            continue
        if tag == "br" or tag in BLOCK_TAGS or tag in ("td", "th"):
            fragments.append(collapse("".join(current)))
            current = []
            if tag == "br" or leaving:
                continue
        if leaving:
            continue
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(list(node.iter(include_text=True))))
    fragments.append(collapse("".join(current)))
    return join_fragments(fragments)


def _span(node, key: str, limit: int) -> int:
    value = attr(node, key).strip()
    return min(int(value), limit) if value.isdigit() and int(value) > 0 else 1


def table_rows(table, warnings: list[str] | None = None) -> list[list[Cell]]:
    """Rows of (column, text) on the table's grid: a rowspan continues as None in the rows
    below (so columns keep their places), a colspan appears once."""
    rows = _rows_of(table)
    # (row, column) -> True where a rowspan continues into its first column, False elsewhere.
    taken: dict[tuple[int, int], bool] = {}
    out: list[list[Cell]] = []
    spanned = 0
    for r, tr in enumerate(rows):
        cells: list[Cell] = []
        col = _skip_taken(taken, r, 0, cells)
        for td in _cells_of(tr):
            colspan = _span(td, "colspan", 100)
            rowspan = _span(td, "rowspan", len(rows) - r)
            if rowspan > 1 and spanned + (rowspan - 1) * colspan > MAX_SPANNED_CELLS:
                if warnings is not None and spanned <= MAX_SPANNED_CELLS:
                    warnings.append(
                        f"a table's row spans cover more than {MAX_SPANNED_CELLS:,} cells: the rest are ignored"
                    )
                spanned, rowspan = MAX_SPANNED_CELLS + 1, 1
            spanned += (rowspan - 1) * colspan
            cells.append((col, _cell_text(td), colspan))
            for dr in range(1, rowspan):
                for dc in range(colspan):
                    taken[(r + dr, col + dc)] = dc == 0
            col = _skip_taken(taken, r, col + colspan, cells)
        out.append(cells)
    return out


def _skip_taken(taken: dict[tuple[int, int], bool], r: int, col: int, cells: list[Cell]) -> int:
    """Step over grid positions filled from rows above, noting each continuing cell once."""
    while (r, col) in taken:
        if taken[(r, col)]:
            cells.append((col, None))
        col += 1
    return col

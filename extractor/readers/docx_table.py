"""A .docx table of plain cells read in one pass over its elements (the common case).

``_Walker.table`` reads a table cell by cell: each cell's properties and paragraphs, each
paragraph's runs, each run's children, most of them looked at in Python. Most tables hold
nothing but rows of cells of paragraphs of runs of text: for those, lxml's own iteration picks
out the few elements that matter (rows, cells, paragraphs, runs, text, tabs and the merge
properties) in document order, and each is checked to stand where a plain table has it (a run
inside its paragraph, a paragraph inside its cell...). Anything else, or anything a plain table
does not hold (a hidden run, a break, a nested table, a content control, alternate content),
gives None and the general walk reads the table: the rows are the same either way.
"""

from __future__ import annotations

from extractor.readers._build import Cell, join_fragments
from extractor.readers.docx_xml import MC
from extractor.readers.docx_xml import child as _child

# Elements that send a table to the general walk wherever they stand in it (picked out with the
# others: one pass over the table finds them too): what the walk reads differently from a plain
# run's text (a hidden run, characters other than text and tabs, nested tables, content
# controls, alternate content).
_NOT_PLAIN = ("vanish", "ptab", "br", "cr", "noBreakHyphen", "tbl", "sdt", "sdtContent", "customXml")


class PlainTables:
    """Reads plain tables for a walker of one WordprocessingML namespace (``w``: "{ns}")."""

    def __init__(self, w: str) -> None:
        self.TR, self.TC, self.P, self.R, self.T, self.TAB = (w + t for t in ("tr", "tc", "p", "r", "t", "tab"))
        self.TCPR, self.TRPR, self.TABS, self.PPR = w + "tcPr", w + "trPr", w + "tabs", w + "pPr"
        self.GRID_SPAN, self.VMERGE, self.HMERGE, self.GRID_BEFORE = (
            w + t for t in ("gridSpan", "vMerge", "hMerge", "gridBefore")
        )
        self.VAL = w + "val"
        self.not_plain = {*(w + t for t in _NOT_PLAIN), f"{{{MC}}}AlternateContent"}
        self.stream = (
            *self.not_plain,
            self.TR,
            self.TC,
            self.P,
            self.R,
            self.T,
            self.TAB,
            self.GRID_SPAN,
            self.VMERGE,
            self.HMERGE,
            self.GRID_BEFORE,
        )

    def rows(self, tbl) -> list[list[Cell]] | None:
        """The table's rows as ``_Walker.table`` makes them, or None when it is not plain."""
        TR, TC, P, R, T, TAB = self.TR, self.TC, self.P, self.R, self.T, self.TAB  # noqa: N806 - tag names
        rows: list[_Row] = []
        row: _Row | None = None
        cell: list[list[str]] = []  # the current cell's paragraphs, each a list of text pieces
        tr = tc = p = r = None
        texts: list[str] = []  # the current paragraph's pieces
        # Each element must stand inside the current one of the level above (the proxies of
        # those are alive, so getparent() gives the very same object).
        for el in tbl.iterdescendants(*self.stream):
            tag = el.tag
            if tag == T:
                if el.getparent() is not r:
                    return None
                texts.append(el.text or "")
            elif tag == R:
                if el.getparent() is not p:
                    return None
                r = el
            elif tag == P:
                if el.getparent() is not tc:
                    return None
                texts = []
                cell.append(texts)
                p, r = el, None
            elif tag == TC:
                if el.getparent() is not tr:
                    return None
                cell = []
                row.cells.append(cell)
                tc, p, r = el, None, None
            elif tag == TR:
                if el.getparent() is not tbl:
                    return None
                row = _Row()
                rows.append(row)
                tr, tc, p, r = el, None, None, None
            elif tag == TAB:
                if r is not None and el.getparent() is r:
                    texts.append("\t")
                elif not self._tab_stop(el, p):
                    return None
            elif tag in self.not_plain or not self._property(el, tr, tc, row):
                return None
        return [_row_cells(row, self.VAL) for row in rows]

    def _tab_stop(self, el, p) -> bool:
        """Whether a w:tab is a tab stop of the current paragraph's properties (no text)."""
        tabs = el.getparent()
        ppr = tabs.getparent() if tabs is not None and tabs.tag == self.TABS else None
        return p is not None and ppr is not None and ppr.tag == self.PPR and ppr.getparent() is p

    def _property(self, el, tr, tc, row: _Row | None) -> bool:
        """Record a merge property or a row's gridBefore where the walk reads it (the first of
        its kind in the first tcPr of the cell, or in the first trPr of the row); whether it
        stands where a plain table has it."""
        parent = el.getparent()
        if el.tag == self.GRID_BEFORE:
            if tr is None or tc is not None or parent is None or parent.getparent() is not tr:
                return False  # not in the row's properties before its first cell
            if _child(tr, self.TRPR) is parent and row.before is None:
                row.before = el
            return True
        if tc is None or parent is None or parent.getparent() is not tc or parent.tag != self.TCPR:
            return False
        if _child(tc, self.TCPR) is parent:
            props = row.props.setdefault(len(row.cells) - 1, [None, None, None])
            k = (self.GRID_SPAN, self.VMERGE, self.HMERGE).index(el.tag)
            if props[k] is None:
                props[k] = el
        return True


class _Row:
    __slots__ = ("cells", "before", "props")

    def __init__(self) -> None:
        self.cells: list[list[list[str]]] = []  # each cell's paragraphs' text pieces
        self.before = None  # the gridBefore element
        self.props: dict[int, list] = {}  # cell -> its [gridSpan, vMerge, hMerge] elements


def _int(el, val: str, default: int) -> int:
    value = el.get(val) if el is not None else None
    return int(value) if value and value.isdigit() and 0 < int(value) < 1000 else default


def _row_cells(row: _Row, val: str) -> list[Cell]:
    """A row's cells as _Walker.table makes them (merges, spans, the cell's text)."""
    col = _int(row.before, val, 0)
    cells: list[Cell] = []
    props = row.props
    for k, paragraphs in enumerate(row.cells):
        span = 1
        if k in props:
            span_el, vmerge_el, hmerge_el = props[k]
            span = _int(span_el, val, 1)
            hmerge = None if hmerge_el is None else (hmerge_el.get(val) or "")
            if hmerge is not None and hmerge != "restart":
                col += span  # legacy horizontal merge: the merged cell appears once
                continue
            vmerge = None if vmerge_el is None else (vmerge_el.get(val) or "")
            if vmerge is not None and vmerge != "restart":
                cells.append((col, None))
                col += span
                continue
        if len(paragraphs) == 1:
            text = "".join(paragraphs[0])
            text = (" ".join(text.split("\n")) if "\n" in text else text).strip()
        else:
            text = join_fragments(["".join(pieces) for pieces in paragraphs])
        cells.append((col, text, span))
        col += span
    return cells

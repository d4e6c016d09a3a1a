"""The body of a .docx's word/document.xml into lines and tables: a paragraph's text as the page
shows it (no deleted text, field codes or hidden runs; text boxes, content controls and
insertions read), tables with their merged cells."""

from __future__ import annotations

from extractor.limits import ResourceBudget, current
from extractor.readers._build import Cell, TextBuilder, join_fragments
from extractor.readers.docx_styles import StyleKinds
from extractor.readers.docx_table import PlainTables
from extractor.readers.docx_xml import MC
from extractor.readers.docx_xml import child as _child

# Tables nested deeper than this inside one cell are read as their bare text.
MAX_NESTED_TABLES = 16

# How far up from a w:t the fast path looks for its paragraph (w:t, w:r, a hyperlink or an
# insertion, the paragraph); a deeper w:t sends the paragraph to the general walk.
_FAST_MAX_DEPTH = 8
_HIDDEN_OFF = ("0", "false", "off")


class _Walker:
    """Turns the body of document.xml into lines and tables on a TextBuilder."""

    def __init__(self, ns: str, style_xml=None, name: str = "", budget: ResourceBudget | None = None) -> None:
        w = f"{{{ns}}}"
        self.P, self.TBL, self.TR, self.TC = w + "p", w + "tbl", w + "tr", w + "tc"
        self.T, self.TAB, self.BR, self.CR = w + "t", w + "tab", w + "br", w + "cr"
        self.R, self.RPR, self.PPR, self.VANISH = w + "r", w + "rPr", w + "pPr", w + "vanish"
        self.SDT, self.SDT_CONTENT, self.CUSTOM_XML = w + "sdt", w + "sdtContent", w + "customXml"
        self.SMART_TAG = w + "smartTag"
        self.NO_BREAK_HYPHEN, self.PTAB = w + "noBreakHyphen", w + "ptab"
        self.VAL, self.PSTYLE, self.OUTLINE = w + "val", w + "pStyle", w + "outlineLvl"
        self.TCPR, self.TRPR, self.GRID_SPAN, self.VMERGE, self.HMERGE = (
            w + "tcPr",
            w + "trPr",
            w + "gridSpan",
            w + "vMerge",
            w + "hMerge",
        )
        self.GRID_BEFORE = w + "gridBefore"
        self.CELL_NESTED = {self.TBL, self.SDT, self.SDT_CONTENT, self.CUSTOM_XML}  # what _cell_fragments reads into
        # Deleted text, field codes, footnote marks and properties are not what the page shows.
        self.SKIP = {
            w + t
            for t in (
                "del",
                "moveFrom",
                "instrText",
                "delText",
                "rPr",
                "pPr",
                "tblPr",
                "tblGrid",
                "trPr",
                "tcPr",
                "sectPr",
                "footnoteReference",
                "endnoteReference",
                "commentReference",
                "sdtPr",
                "sdtEndPr",
            )
        }
        self.ALT, self.FALLBACK = f"{{{MC}}}AlternateContent", f"{{{MC}}}Fallback"
        # What a character element of a run stands for (w:t stands for its text).
        self.CHARS = {
            self.T: None,
            self.TAB: "\t",
            self.PTAB: "\t",
            self.BR: "\n",
            self.CR: "\n",
            self.NO_BREAK_HYPHEN: "-",
        }
        # The fast path of paragraph_text sees these and the characters; the walk is not read
        # into below one of them.
        self.OPAQUE = self.SKIP | set(self.CHARS)
        self.FAST_TAGS = {*self.CHARS, self.P, self.TBL, self.ALT, self.VANISH}
        self.w = w
        self.budget = budget or current().budget(name)
        self.kinds = StyleKinds(w, style_xml, name, self.budget)
        self.paragraph_kind = self.kinds.paragraph_kind
        self.builder = TextBuilder(self.budget)
        self.plain = PlainTables(w)

    def paragraph_text(self, p, depth: int = 0) -> str:
        text = self._fast_paragraph_text(p)
        if text is not None:
            return text
        out: list[str] = []
        self._collect(p, out, depth)
        return "".join(out)

    def _fast_paragraph_text(self, p) -> str | None:
        """The paragraph's text from its character elements alone, in document order, or None
        when the general walk is needed (a hidden run, a text box, a nested table, alternate
        content, or characters nested deeper than a run inside a hyperlink or an insertion).

        Gives what ``_collect`` gives: a character element counts unless an element between it
        and the paragraph is skipped (deleted text, field codes, properties) or is itself a
        character element (``_collect`` reads no further into those).
        """
        text = self._runs_text(p)
        if text is not None:
            return text
        chars, opaque, fast = self.CHARS, self.OPAQUE, self.FAST_TAGS
        out: list[str] = []
        # Every descendant, filtered here: lxml builds a tag matcher per call when given tags,
        # which costs more than looking at a paragraph's few elements.
        for el in p.iterdescendants():
            tag = el.tag
            if tag not in fast:
                continue
            if tag == self.VANISH:
                rpr = el.getparent()
                if rpr.tag == self.RPR and rpr.getparent().tag == self.R:
                    return None  # maybe a hidden run
                continue
            parent = el.getparent()
            for _ in range(_FAST_MAX_DEPTH):
                if parent is p:
                    break
                if parent.tag in opaque:
                    parent = None  # inside what the walk skips or does not read into
                    break
                parent = parent.getparent()
            else:
                return None
            if parent is None:
                continue
            if tag not in chars:
                return None  # a paragraph, table or alternate content inside this paragraph
            ch = chars[tag]
            out.append((el.text or "") if ch is None else ch)
        return "".join(out)

    def _runs_text(self, p) -> str | None:
        """The text of a paragraph of plain runs (most paragraphs), from its children and its
        runs' children alone; None for anything else: a run with a vanish mark (maybe hidden),
        an element other than a run with children of its own (a hyperlink, an insertion), a
        run's child other than a character or what the walk skips that has children of its
        own (a drawing). An element without children that is not a character, a paragraph, a
        table or alternate content adds nothing (a bookmark, a field mark, a proofing mark)."""
        chars, skip, fast = self.CHARS, self.SKIP, self.FAST_TAGS
        R, RPR, VANISH = self.R, self.RPR, self.VANISH  # noqa: N806 - tag names
        out: list[str] = []
        for el in p:
            tag = el.tag
            if tag == R:
                for c in el:
                    tag = c.tag
                    if tag in chars:
                        ch = chars[tag]
                        out.append((c.text or "") if ch is None else ch)
                    elif tag == RPR:
                        if _child(c, VANISH) is not None:
                            return None
                    elif tag in skip:
                        continue
                    elif len(c) or tag in fast:
                        return None
            elif tag in chars:
                ch = chars[tag]
                out.append((el.text or "") if ch is None else ch)
            elif tag in skip:
                continue
            elif len(el) or tag in fast:
                return None
        return "".join(out)

    def _collect(self, el, out: list[str], depth: int) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in self.SKIP:
                continue
            if tag == self.T:
                out.append(child.text or "")
            elif tag == self.R:
                rpr = _child(child, self.RPR)
                vanish = _child(rpr, self.VANISH) if rpr is not None else None
                if vanish is None or vanish.get(self.VAL) in _HIDDEN_OFF:
                    self._collect(child, out, depth)
            elif tag in (self.TAB, self.PTAB):
                out.append("\t")
            elif tag in (self.BR, self.CR):
                out.append("\n")
            elif tag == self.NO_BREAK_HYPHEN:
                out.append("-")
            elif tag == self.P:  # a paragraph of a text box inside this paragraph
                if out and out[-1] != "\n":
                    out.append("\n")
                self._collect(child, out, depth)
            elif tag == self.TBL:  # a table inside a text box: flattened into the paragraph
                out.append(" ".join(self.cell_texts_flat(child, depth + 1)))
            elif tag == self.ALT:
                # Choice and Fallback hold the same content in two encodings: read one.
                first = next((c for c in child if c.tag != self.FALLBACK), None)
                if first is not None:
                    self._collect(first, out, depth)
            else:  # runs inside hyperlinks, fields, insertions, content controls, drawings...
                self._collect(child, out, depth)

    # -- tables ---------------------------------------------------------------------------------

    def _rows(self, tbl):
        for child in tbl:
            if child.tag == self.TR:
                yield child
            elif child.tag in (self.SDT, self.CUSTOM_XML):
                inner = _child(child, self.SDT_CONTENT) if child.tag == self.SDT else child
                if inner is not None:  # a content control may have lost its content
                    yield from self._rows(inner)

    def _cells(self, tr):
        for child in tr:
            if child.tag == self.TC:
                yield child
            elif child.tag in (self.SDT, self.CUSTOM_XML):
                inner = _child(child, self.SDT_CONTENT) if child.tag == self.SDT else child
                if inner is not None:
                    yield from self._cells(inner)

    def cell_text(self, tc, depth: int) -> str:
        fragments: list[str] = []
        self._cell_fragments(tc, fragments, depth)
        return join_fragments(fragments)

    def _cell_fragments(self, container, fragments: list[str], depth: int) -> None:
        P, TBL, NESTED = self.P, self.TBL, (self.SDT, self.SDT_CONTENT, self.CUSTOM_XML)
        for child in container:
            tag = child.tag
            if tag == P:
                fragments.append(self.paragraph_text(child, depth))
            elif tag == TBL:
                fragments.extend(self.cell_texts_flat(child, depth + 1))
            elif tag in NESTED:
                self._cell_fragments(child, fragments, depth)

    def cell_texts_flat(self, tbl, depth: int) -> list[str]:
        """A nested table's cells as fragments, read in row order."""
        if depth > MAX_NESTED_TABLES:
            return ["".join(t.text or "" for t in tbl.iter(self.T))]
        return [self.cell_text(tc, depth) for tr in self._rows(tbl) for tc in self._cells(tr)]

    def _int_val(self, parent, tag: str, default: int) -> int:
        el = _child(parent, tag) if parent is not None else None
        value = el.get(self.VAL) if el is not None else None
        return int(value) if value and value.isdigit() and 0 < int(value) < 1000 else default

    def _cell_props(self, tcpr) -> tuple[int, str | None, str | None]:
        """(grid span, vMerge value, hMerge value) of a cell's properties; a merge value is
        "restart" for a merge's first cell, None where the cell has no such merge."""
        span = vmerge = hmerge = None
        for el in tcpr:
            tag = el.tag
            if tag == self.GRID_SPAN:
                if span is None:
                    span = el
            elif tag == self.VMERGE:
                if vmerge is None:
                    vmerge = el
            elif tag == self.HMERGE:
                if hmerge is None:
                    hmerge = el
        value = span.get(self.VAL) if span is not None else None
        return (
            int(value) if value and value.isdigit() and 0 < int(value) < 1000 else 1,
            None if vmerge is None else (vmerge.get(self.VAL) or ""),
            None if hmerge is None else (hmerge.get(self.VAL) or ""),
        )

    def table(self, tbl) -> None:
        rows = self.plain.rows(tbl)  # most tables, in one pass (docx_table)
        self.builder.table(rows if rows is not None else self._table_rows(tbl))

    def _table_rows(self, tbl) -> list[list[Cell]]:
        rows: list[list[Cell]] = []
        TCPR, P = self.TCPR, self.P  # noqa: N806 - tag names
        for tr in self._rows(tbl):
            col = self._int_val(_child(tr, self.TRPR), self.GRID_BEFORE, 0)
            cells: list[Cell] = []
            for tc in self._cells(tr):
                # one pass over the cell's children: its properties, and its paragraphs when
                # they are all it holds (else cell_text reads it: nested tables, controls)
                tcpr = None
                paragraphs: list | None = []
                for el in tc:
                    tag = el.tag
                    if tag == P:
                        if paragraphs is not None:
                            paragraphs.append(el)
                    elif tag == TCPR:
                        if tcpr is None:
                            tcpr = el
                    elif tag in self.CELL_NESTED:
                        paragraphs = None
                span, vmerge, hmerge = (1, None, None) if tcpr is None else self._cell_props(tcpr)
                if hmerge is not None and hmerge != "restart":
                    col += span  # legacy horizontal merge: the merged cell appears once
                    continue
                if vmerge is not None and vmerge != "restart":
                    cells.append((col, None))
                else:
                    cells.append(
                        (
                            col,
                            self._paragraphs_text(paragraphs) if paragraphs is not None else self.cell_text(tc, 0),
                            span,
                        )
                    )
                col += span
            rows.append(cells)
        return rows

    def _paragraphs_text(self, paragraphs: list) -> str:
        """cell_text of a cell that holds paragraphs only."""
        if len(paragraphs) != 1:
            return join_fragments([self.paragraph_text(p) for p in paragraphs])
        text = self._runs_text(paragraphs[0])  # paragraph_text's first try, called directly
        if text is None:
            text = self.paragraph_text(paragraphs[0])
        # join_fragments of one fragment
        return (" ".join(text.split("\n")) if "\n" in text else text).strip()

    # -- body -----------------------------------------------------------------------------------

    def walk(self, container) -> None:
        for child in container:
            self.walk_child(child)

    def walk_child(self, child) -> None:
        """One element of the body (or of a content control in it)."""
        self.budget.tick("reading word/document.xml", every=256)
        tag = child.tag
        if tag == self.P:
            self.builder.line(self.paragraph_text(child), self.paragraph_kind(child))
        elif tag == self.TBL:
            self.table(child)
        elif tag == self.SDT:
            content = _child(child, self.SDT_CONTENT)
            if content is not None:
                self.walk(content)
        elif tag == self.CUSTOM_XML:
            self.walk(child)
        elif tag == self.ALT:
            first = next((c for c in child if c.tag != self.FALLBACK), None)
            if first is not None:
                self.walk(first)

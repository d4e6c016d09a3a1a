"""Word .docx reader: walks word/document.xml in body order into paragraphs and tables.

Reads the XML directly (zipfile + lxml with a parser that resolves no entities and fetches
nothing), which is several times faster than python-docx and sees content controls, text
boxes and tracked insertions that python-docx's API skips.

Both parts are streamed (``iterparse``): each element of the body, and each style, is read and
then freed, so a document.xml of millions of tiny runs or a styles.xml bomb costs the memory of
one paragraph or table at a time, not of the whole tree.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Callable

from extractor.document import Document
from extractor.errors import CorruptFile, EncryptedFile, LimitExceeded
from extractor.limits import ResourceBudget, current
from extractor.readers._build import Cell, TextBuilder, join_fragments
from extractor.readers._zipxml import corrupt, inflate, xml_error

DOCUMENT_PART = "word/document.xml"
STYLES_PART = "word/styles.xml"
# Tables nested deeper than this inside one cell are read as their bare text.
MAX_NESTED_TABLES = 16
# Word's own styles.xml holds a few hundred styles; one with more than this is a bomb, and is
# left unread (it only costs heading detection by a style's name).
MAX_STYLES = 20_000

W_MAIN = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"

_HEADING_NAME = re.compile(r"(heading|标题)[1-9]")


def find_member(names: list[str], wanted: str) -> str | None:
    """OPC part names are case-insensitive; some writers change the case."""
    if wanted in names:
        return wanted
    lowered = wanted.lower()
    return next((n for n in names if n.lower() == lowered), None)


def _corrupt(name: str, detail: str = "corrupt zip") -> CorruptFile:
    return corrupt(name, ".docx", detail)


def _iter_parts(xml: bytes, name: str, part: str, tags: tuple[str, ...], found: list | None = None):
    """Each element whose tag is in ``tags``, at its end, parsed with entities left unexpanded,
    no DTD and no network; the caller frees what it read. ``found`` gets the root element."""
    from lxml import etree

    context = etree.iterparse(io.BytesIO(xml), events=("end",), tag=tags, resolve_entities=False, no_network=True,
                              huge_tree=False, load_dtd=False, dtd_validation=False, remove_comments=True)
    try:
        for _, el in context:
            yield el
    except etree.XMLSyntaxError as err:
        raise xml_error(err, name, part, ".docx") from None
    if getattr(context, "root", None) is None:
        raise _corrupt(name, f"{part} is empty")
    if found is not None:
        found.append(context.root)


def _free(el) -> None:
    """Free an element read from a stream, and the siblings read before it."""
    el.clear(keep_tail=False)
    parent = el.getparent()
    if parent is not None:
        while el.getprevious() is not None:
            del parent[0]


_inflate = inflate


def _open_zip(data: bytes, name: str) -> zipfile.ZipFile:
    from extractor.readers import ZIP_ERRORS

    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except ZIP_ERRORS:
        raise _corrupt(name) from None


def _read_parts(data: bytes, name: str, budget: ResourceBudget,
                archive: zipfile.ZipFile | None = None) -> tuple[bytes, Callable[[], bytes | None]]:
    """Check the archive against zip-bomb limits, then inflate document.xml. styles.xml (often
    ten times its size, and needed only for a paragraph style not named by its id) comes as a
    function that inflates it when called. ``archive``: ``data`` already opened, by the sniffer
    after its checks of the zip directory."""
    from extractor.readers import check_zip_directory

    if archive is None:
        check_zip_directory(data, budget)
        archive = _open_zip(data, name)
    with archive:
        infos = archive.infolist()
        budget.check_size("max_zip_members", len(infos), "zip archive has {} members")
        budget.check_size("max_zip_bytes", sum(info.file_size for info in infos),
                          "zip archive declares {} bytes inflated")
        names = [info.filename for info in infos]
        document = find_member(names, DOCUMENT_PART)
        if document is None:
            raise CorruptFile(name or None, "zip archive without word/document.xml: not a Word document")
        styles = find_member(names, STYLES_PART)
        try:
            xml = _inflate(archive, archive.getinfo(document), DOCUMENT_PART, budget)
        except RuntimeError as err:  # zipfile's "password required for extraction"
            if "encrypted" in str(err) or "password" in str(err):
                raise EncryptedFile(name or None, "encrypted zip archive") from None
            raise _corrupt(name) from None
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError):
            raise _corrupt(name) from None

    def style_xml() -> bytes | None:
        if styles is None:
            return None
        from extractor.readers import ZIP_ERRORS

        try:
            with zipfile.ZipFile(io.BytesIO(data)) as again:
                return _inflate(again, again.getinfo(styles), STYLES_PART, budget)
        except (LimitExceeded, zlib.error, RuntimeError, KeyError, *ZIP_ERRORS):
            return None  # broken or oversized styles only cost heading detection

    return xml, style_xml


def _kind_of_style_name(name: str) -> str | None:
    key = name.lower().replace(" ", "")
    if key in ("title", "标题"):
        return "title"
    if _HEADING_NAME.fullmatch(key):
        return "heading"
    return None


def _child(el, tag: str):
    """The first child of ``el`` with ``tag`` (``el.find(tag)`` without ElementPath's overhead)."""
    for child in el:
        if child.tag == tag:
            return child
    return None


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
            w + "tcPr", w + "trPr", w + "gridSpan", w + "vMerge", w + "hMerge")
        self.GRID_BEFORE = w + "gridBefore"
        # Deleted text, field codes, footnote marks and properties are not what the page shows.
        self.SKIP = {w + t for t in ("del", "moveFrom", "instrText", "delText", "rPr", "pPr", "tblPr",
                                     "tblGrid", "trPr", "tcPr", "sectPr", "footnoteReference",
                                     "endnoteReference", "commentReference", "sdtPr", "sdtEndPr")}
        self.ALT, self.FALLBACK = f"{{{MC}}}AlternateContent", f"{{{MC}}}Fallback"
        # What a character element of a run stands for (w:t stands for its text).
        self.CHARS = {self.T: None, self.TAB: "\t", self.PTAB: "\t", self.BR: "\n", self.CR: "\n",
                      self.NO_BREAK_HYPHEN: "-"}
        # The fast path of paragraph_text sees these and the characters; the walk is not read
        # into below one of them.
        self.OPAQUE = self.SKIP | set(self.CHARS)
        self.FAST_TAGS = {*self.CHARS, self.P, self.TBL, self.ALT, self.VANISH}
        self.w = w
        self._style_xml, self._name = style_xml, name
        self._styles: dict[str, tuple[str, str | None, int | None]] | None = None
        self._style_kinds: dict[str, str] = {}
        self.budget = budget or current().budget(name)
        self.builder = TextBuilder(self.budget)

    @property
    def styles(self) -> dict[str, tuple[str, str | None, int | None]]:
        """Style id -> (name, based-on id, outline level), read on first need: styles.xml is
        often ten times the size of the text, and most headings are found by their id alone.
        ``style_xml`` may be a function that inflates it, called only then."""
        if self._styles is None:
            style_xml = self._style_xml() if callable(self._style_xml) else self._style_xml
            self._styles = {}
            if style_xml and style_xml.count(b"styleId") <= MAX_STYLES:
                try:
                    self._styles = self._read_styles(style_xml)
                except (CorruptFile, LimitExceeded):
                    pass  # broken styles only cost us heading detection
        return self._styles

    def _read_styles(self, xml: bytes) -> dict[str, tuple[str, str | None, int | None]]:
        styles: dict[str, tuple[str, str | None, int | None]] = {}
        w = self.w
        style_id, name_tag, based_tag = w + "styleId", w + "name", w + "basedOn"
        for style in _iter_parts(xml, self._name, STYLES_PART, (w + "style",)):
            self.budget.tick("reading word/styles.xml")
            sid = style.get(style_id)
            if sid:
                name = based = outline = None
                for child in style:  # one pass over a style's few children, not a find() per property
                    tag = child.tag
                    if tag == name_tag and name is None:
                        name = child.get(self.VAL, sid)
                    elif tag == based_tag and based is None:
                        based = child.get(self.VAL)
                    elif tag == self.PPR and outline is None:
                        level = _child(child, self.OUTLINE)
                        outline = level.get(self.VAL) if level is not None else None
                styles[sid] = (name or sid, based, int(outline) if outline is not None and outline.isdigit() else None)
            _free(style)
        return styles

    def paragraph_kind(self, p) -> str:
        ppr = _child(p, self.PPR)
        if ppr is None:
            return "paragraph"
        outline = style = None
        for child in ppr:
            tag = child.tag
            if tag == self.OUTLINE:
                if outline is None:
                    outline = child
            elif tag == self.PSTYLE:
                if style is None:
                    style = child
        if outline is not None and (outline.get(self.VAL) or "").isdigit() and int(outline.get(self.VAL)) < 9:
            return "heading"
        sid = style.get(self.VAL) if style is not None else None
        if not sid:
            return "paragraph"
        kind = self._style_kinds.get(sid)
        if kind is None:
            kind = self._style_kinds[sid] = self._style_kind(sid)
        return kind

    def _style_kind(self, sid: str) -> str:
        """The kind of a paragraph in style ``sid``: by the id itself, else by the names and
        outline levels along its based-on chain in styles.xml. Every style on the chain walked
        has the same kind, and is remembered with it: a styles.xml of one long chain, used by
        many paragraphs, is walked once."""
        direct = _kind_of_style_name(sid)  # "Title", "Heading1": no need for styles.xml
        if direct:
            return direct
        walked: list[str] = []
        seen: set[str] = set()
        kind = "paragraph"
        while sid and sid not in seen:
            if sid in self._style_kinds and walked:
                kind = self._style_kinds[sid]
                break
            seen.add(sid)
            walked.append(sid)
            name, based, level = self.styles.get(sid, (sid, None, None))
            found = _kind_of_style_name(name) or ("heading" if level is not None and level < 9 else None)
            if found:
                kind = found
                break
            sid = based
        for walked_sid in walked:
            self._style_kinds[walked_sid] = kind
        return kind

    # -- text inside a paragraph -------------------------------------------------------------

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
        return (int(value) if value and value.isdigit() and 0 < int(value) < 1000 else 1,
                None if vmerge is None else (vmerge.get(self.VAL) or ""),
                None if hmerge is None else (hmerge.get(self.VAL) or ""))

    def table(self, tbl) -> None:
        rows: list[list[Cell]] = []
        TCPR = self.TCPR
        for tr in self._rows(tbl):
            col = self._int_val(_child(tr, self.TRPR), self.GRID_BEFORE, 0)
            cells: list[Cell] = []
            for tc in self._cells(tr):
                tcpr = _child(tc, TCPR)
                span, vmerge, hmerge = (1, None, None) if tcpr is None else self._cell_props(tcpr)
                if hmerge is not None and hmerge != "restart":
                    col += span  # legacy horizontal merge: the merged cell appears once
                    continue
                if vmerge is not None and vmerge != "restart":
                    cells.append((col, None))
                else:
                    cells.append((col, self.cell_text(tc, 0), span))
                col += span
            rows.append(cells)
        self.builder.table(rows)

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


# What the body holds that the walker reads, in either namespace of WordprocessingML.
_BODY_TAGS = tuple(f"{{{ns}}}{t}" for ns in (W_MAIN, W_STRICT) for t in ("p", "tbl", "sdt", "customXml")) + (
    f"{{{MC}}}AlternateContent",)
_BODIES = (f"{{{W_MAIN}}}body", f"{{{W_STRICT}}}body")


def read_docx(data: bytes, name: str = "", *, budget: ResourceBudget | None = None,
              archive: zipfile.ZipFile | None = None) -> Document:
    budget = budget or current().budget(name)
    xml, style_xml = _read_parts(data, name, budget, archive)
    walker: _Walker | None = None
    found: list = []
    for el in _iter_parts(xml, name, DOCUMENT_PART, _BODY_TAGS, found):
        parent = el.getparent()
        if parent is None or parent.tag not in _BODIES:
            continue  # inside a body element: read with it when it ends
        if walker is None:
            walker = _Walker(parent.tag[1:].split("}")[0], style_xml, name, budget)
        walker.walk_child(el)
        _free(el)
    tag = found[0].tag if isinstance(found[0].tag, str) else ""
    ns = tag[1:].split("}")[0] if tag.startswith("{") else W_MAIN
    if ns not in (W_MAIN, W_STRICT):
        raise _corrupt(name, "word/document.xml is not WordprocessingML")
    return (walker or _Walker(ns, style_xml, name, budget)).builder.build("docx")

"""PDF reader: pdfium's text layer page by page, with pdfplumber's table finder on ruled pages.

pypdfium2 reads a page's text in a millisecond or two, about ten times faster than pdfminer,
with its CJK text unbroken once the spaces it guesses from glyph gaps are dropped; pdfminer
(through pdfplumber) is loaded only for pages with ruling lines, to turn a ruled grid into
rows and cells.
"""

from __future__ import annotations

import ctypes
import io
import re
import unicodedata
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple

from extractor.document import Block, Document
from extractor.errors import CorruptFile, EncryptedFile, NoTextLayer
from extractor.limits import Budget, current
from extractor.readers._build import Cell, TextBuilder, is_wide, join_fragments

# A page is worth handing to the table finder when its vector paths have at least this many
# segments: a 2x2 ruled grid has 12; a heading's underline or a page frame has fewer.
MIN_RULING_SEGMENTS = 12
# pdfplumber's table finder pairs every vertical ruling line with every horizontal one, then
# compares every crossing with every other (quadratic: a 150 x 150 grid takes 20 s), and
# pdfminer parses the page in Python. Past these bounds a page is read as lines, with a warning.
MAX_TABLE_PAGE_OBJECTS = 20_000
MAX_TABLE_EDGE_PAIRS = 250_000
MAX_TABLE_CROSSINGS = 5_000
# Slack in points when deciding that a line of text lies inside a table's box.
TABLE_SLACK = 2.0
# More than this share of unreadable characters (unmapped glyphs, "(cid:NN)") means the text
# layer is garbage and the file needs OCR.
MAX_GARBAGE_SHARE = 0.5
GARBAGE_SAMPLE = 50_000
# Characters per page asked whether pdfium found their Unicode: a CID font without a ToUnicode
# map yields its glyph ids as code points (random letters of random scripts, "(cid:NN)" in
# pdfminer's terms), which look like text to the share above.
UNMAPPED_SAMPLE = 256
# ... on this many pages at most, spread evenly over the document (every page of a shorter one):
# each character asked costs a call into pdfium, and a font without a map shows on any page.
UNMAPPED_PAGES = 16
# pdfium error codes (fpdfview.h) for FPDF_LoadDocument.
_ERR_FORMAT, _ERR_PASSWORD, _ERR_SECURITY = 3, 4, 5
_LATIN1_OK = set("·×÷°±§²³µ¼½¾")
_NOT_TEXT = {"\ufffe", "\ufeff", "\x00"}
# pdfium marks a hyphen that ends a line as STX; the page shows a hyphen.
_LINE_END_HYPHEN = "\x02"


class _Line(NamedTuple):
    text: str
    first: int  # pdfium char index of the first and of the last character
    last: int


def _check_complete(data: bytes, name: str) -> None:
    # pdfium rebuilds a damaged cross-reference table and would silently read a truncated file
    # as far as it goes; a PDF always ends with %%EOF (trailing junk after it is tolerated).
    if b"%%EOF" not in data[-4096:]:
        raise CorruptFile(name or None, "truncated PDF (no %%EOF marker at the end)")


def _quiet_pdfminer() -> None:
    """pdfminer logs warnings about damaged streams; with no handler set up by the application,
    Python would print them to stderr, around the one line the CLI prints for a file."""
    import logging

    logger = logging.getLogger("pdfminer")
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())


def _load_error(err, name: str):
    code = getattr(err, "err_code", None)
    if code in (_ERR_PASSWORD, _ERR_SECURITY):
        return EncryptedFile(name or None, "encrypted PDF")
    if code == _ERR_FORMAT:
        return CorruptFile(name or None, "corrupt PDF (cannot parse its structure)")
    return CorruptFile(name or None, f"corrupt PDF ({err})")


def _boxes_overlap(a, b) -> bool:
    """Two glyph boxes (left, bottom, right, top) drawn on top of each other (fake bold)."""
    width = max(a[2] - a[0], b[2] - b[0], 0.1)
    height = max(a[3] - a[1], b[3] - b[1], 0.1)
    return abs(a[0] - b[0]) < 0.3 * width and abs(a[1] - b[1]) < 0.3 * height


# A line of pdfium's text (between its CR LF) with one of these characters (dropped or replaced)
# is read character by character; the others by their events (_line_by_events).
_MARKED = re.compile("[" + "".join(sorted(_NOT_TEXT)) + _LINE_END_HYPHEN + "]")
_LINE = re.compile(r"[^\r\n]+")
_SPACES = re.compile(r" +")
# A character followed by itself: the second may be the first drawn twice (fake bold).
_REPEAT = re.compile(r"(\S)(?=\1)")


def _page_text(textpage, pdfium_c) -> str:
    """pdfium's text of the page, one character per pdfium char index."""
    count = textpage.count_chars()
    raw = textpage.get_text_range() if count > 0 else ""
    if len(raw) != count:
        # Characters outside the BMP come back as surrogate pairs: read char by char instead.
        handle = textpage.raw
        raw = "".join(chr(pdfium_c.FPDFText_GetUnicode(handle, i) or 0xFFFD) for i in range(count))
    return raw


def _page_lines(textpage, pdfium_c, raw: str) -> list[_Line]:
    """The page's text as lines in pdfium's reading order, cleaned of layout artefacts.

    Dropped: the spaces pdfium generates from gaps next to a CJK character (the gap is
    CJK/Latin spacing or justification, not a space in the document), characters drawn twice
    on top of each other, and spaces at line ends. Every line keeps the pdfium index of its
    first and last character so that tables can be located by position.
    """
    lines: list[_Line] = []
    marked = _MARKED.search
    repeats = [m.end() for m in _REPEAT.finditer(raw)]  # indices of a character after itself
    for m in _LINE.finditer(raw):
        seg, start, end = m.group(), m.start(), m.end()
        if marked(seg):
            line = _line_by_chars(textpage, pdfium_c, raw, start, end)
        else:
            lo = bisect_left(repeats, start)
            hi = bisect_left(repeats, end, lo)
            if lo == hi and " " not in seg:
                line = _Line(seg, start, end - 1)  # nothing to judge
            else:
                line = _line_by_events(textpage, pdfium_c, raw, seg, start, [r - start for r in repeats[lo:hi]])
        if line is not None:
            lines.append(line)
    return lines


def _generated_space(pdfium_c, handle, raw: str, i: int, prev: str) -> bool:
    """Whether the space at ``i`` (after the kept character ``prev``) is one pdfium made up
    next to a CJK character."""
    nxt = raw[i + 1] if i + 1 < len(raw) else ""
    return (is_wide(prev) or (nxt and is_wide(nxt))) and pdfium_c.FPDFText_IsGenerated(handle, i) == 1


def _line_by_events(textpage, pdfium_c, raw: str, seg: str, base: int, repeats: list[int]) -> _Line | None:
    """What _line_by_chars gives for a line without marked characters, judging only its events:
    runs of spaces, and characters that follow themselves (``repeats``, indices in ``seg``) or
    the same character before a run of spaces. Every other character stays.

    An event is (start, end, repeat): the spaces seg[start:end], then, if ``repeat``, seg[end]
    repeats the last character that is not a space.
    """
    events = [(j, j, True) for j in repeats]
    for run in _SPACES.finditer(seg):
        start, end = run.span()
        events.append((start, end, 0 < start and end < len(seg) and seg[end] == seg[start - 1]
                       and not seg[end].isspace()))
    if repeats:
        events.sort()
    handle, is_generated, size = textpage.raw, pdfium_c.FPDFText_IsGenerated, len(raw)
    pieces: list[str] = []
    prev, prev_at = "", -1  # the last character kept and its index (in seg)
    first = last = -1  # seg indices of the first kept character and of the last non-space one
    cursor = 0  # seg[:cursor] is judged
    for start, end, repeat in events:
        if start > cursor:  # characters that stay
            pieces.append(seg[cursor:start])
            if first < 0:
                first = cursor
            prev_at = last = start - 1
            prev = seg[prev_at]
        for i in range(start, end):  # spaces: see _generated_space
            if not prev:
                continue
            at = base + i
            nxt = raw[at + 1] if at + 1 < size else ""
            if (is_wide(prev) or (nxt and is_wide(nxt))) and is_generated(handle, at) == 1:
                continue
            pieces.append(" ")
            prev, prev_at = " ", i
        cursor = end
        if repeat:
            ch = seg[end]
            cursor = end + 1
            if prev == ch and _boxes_overlap(textpage.get_charbox(base + prev_at), textpage.get_charbox(base + end)):
                continue
            pieces.append(ch)
            if first < 0:
                first = end
            prev, prev_at = ch, end
            last = end
    if cursor < len(seg):
        pieces.append(seg[cursor:])
        if first < 0:
            first = cursor
        last = len(seg) - 1
    if first < 0:
        return None
    return _Line("".join(pieces).rstrip(" "), base + first, base + last)


def _line_by_chars(textpage, pdfium_c, raw: str, start: int, end: int) -> _Line | None:
    """The line raw[start:end], judged character by character (see _page_lines)."""
    handle = textpage.raw
    chars: list[str] = []
    indices: list[int] = []
    for i in range(start, end):
        ch = raw[i]
        if ch in _NOT_TEXT:
            continue
        if ch == _LINE_END_HYPHEN:
            ch = "-"
        if ch == " ":
            if not chars or _generated_space(pdfium_c, handle, raw, i, chars[-1]):
                continue
        elif chars and chars[-1] == ch and not ch.isspace():
            if _boxes_overlap(textpage.get_charbox(indices[-1]), textpage.get_charbox(i)):
                continue
        chars.append(ch)
        indices.append(i)
    while chars and chars[-1] == " ":
        chars.pop()
        indices.pop()
    return _Line("".join(chars), indices[0], indices[-1]) if chars else None


_POINTER_TYPE = type(ctypes.POINTER(ctypes.c_int))


class _ObjectCalls:
    """The pdfium calls of the ruling scan, as copies that take and return plain addresses.

    pypdfium2 declares them with typed pointers, so ctypes builds a pointer object for every
    object fetched and checks its type on every call: a third of the scan of a text page,
    which is a call or two per text object. The copies call the same functions.
    """

    def __init__(self, pdfium_c) -> None:
        def plain(fn):
            copy = type(fn)(ctypes.cast(fn, ctypes.c_void_p).value)
            copy.argtypes = [ctypes.c_void_p if isinstance(t, _POINTER_TYPE) else t for t in fn.argtypes]
            copy.restype = ctypes.c_void_p if isinstance(fn.restype, _POINTER_TYPE) else fn.restype
            return copy

        self.count_page = plain(pdfium_c.FPDFPage_CountObjects)
        self.get_page = plain(pdfium_c.FPDFPage_GetObject)
        self.count_form = plain(pdfium_c.FPDFFormObj_CountObjects)
        self.get_form = plain(pdfium_c.FPDFFormObj_GetObject)
        self.get_type = plain(pdfium_c.FPDFPageObj_GetType)
        self.count_segments = plain(pdfium_c.FPDFPath_CountSegments)
        self.text, self.path, self.form = (pdfium_c.FPDF_PAGEOBJ_TEXT, pdfium_c.FPDF_PAGEOBJ_PATH,
                                           pdfium_c.FPDF_PAGEOBJ_FORM)


_object_calls: dict[object, _ObjectCalls] = {}  # per pdfium module: built once


def _path_segments(calls: _ObjectCalls, container, count_objects, get_object, depth: int, found: int) -> int:
    """``found`` plus the path segments of the container's objects (forms read 3 deep), counted
    until the sum reaches MIN_RULING_SEGMENTS.

    Uses the raw API: wrapping every page object in Python costs more than the page's text.
    """
    get_type, text, path, form = calls.get_type, calls.text, calls.path, calls.form
    for i in range(count_objects(container)):
        obj = get_object(container, i)
        kind = get_type(obj)
        if kind == text:  # most objects of most pages
            continue
        if kind == path:
            found += max(calls.count_segments(obj), 0)
        elif kind == form and depth < 3:
            found = _path_segments(calls, obj, calls.count_form, calls.get_form, depth + 1, found)
        if found >= MIN_RULING_SEGMENTS:
            break
    return found


def _has_ruling(page, pdfium_c) -> bool:
    calls = _object_calls.get(pdfium_c)
    if calls is None:
        calls = _object_calls[pdfium_c] = _ObjectCalls(pdfium_c)
    address = ctypes.cast(page.raw, ctypes.c_void_p).value
    return _path_segments(calls, address, calls.count_page, calls.get_page, 0, 0) >= MIN_RULING_SEGMENTS


def _clean_cell(text: str | None) -> str:
    """A pdfplumber cell's text as one line, without the spaces it guessed next to CJK."""
    if not text:
        return ""
    joined = join_fragments(text.split("\n"))
    out: list[str] = []
    for i, ch in enumerate(joined):
        if ch == " " and ((out and is_wide(out[-1])) or (i + 1 < len(joined) and is_wide(joined[i + 1]))):
            continue
        out.append(ch)
    return "".join(out)


@dataclass
class _FoundTable:
    bbox: tuple[float, float, float, float]  # pdfplumber space: x0, top, x1, bottom
    rows: list[list[Cell]]


def _table_layout(table) -> list[list[tuple[int, bool]]]:
    """Each row's cells as (column, own): own for a cell that starts in this row, not own for
    the continuation of a vertically merged cell; a horizontally merged one appears once."""
    columns = [col.bbox for col in table.columns]
    cells_all = table.cells
    rows: list[list[tuple[int, bool]]] = []
    for r, row in enumerate(table.rows):
        out: list[tuple[int, bool]] = []
        _, row_top, _, row_bottom = row.bbox
        for c, bbox in enumerate(row.cells):
            if bbox is not None:
                out.append((c, True))
                continue
            if c >= len(columns) or r == 0:
                continue
            cx = (columns[c][0] + columns[c][2]) / 2
            cy = (row_top + row_bottom) / 2
            cover = next((b for b in cells_all if b[0] <= cx <= b[2] and b[1] <= cy <= b[3]), None)
            if cover is not None and cover[1] < row_top - 1 and abs(cover[0] - columns[c][0]) < 1:
                out.append((c, False))
        rows.append(out)
    return rows


def _table_rows(table, layout: list[list[tuple[int, bool]]]) -> list[list[Cell]]:
    """Rows of (column, text) in the table's layout: a vertically merged cell continues as None."""
    texts = table.extract(x_tolerance=3, y_tolerance=3)
    return [[(c, _clean_cell(row_texts[c] if c < len(row_texts) else "") if own else None) for c, own in row]
            for row, row_texts in zip(layout, texts, strict=False)]


class _ByPosition(list):
    """A page's chars whose ``index`` finds a char by identity in a dict, not by comparing dicts
    one by one: pdfplumber's dedupe_chars sorts what it keeps by ``chars.index`` (quadratic,
    3 ms of a table page). The same order: a kept char is the first of any equal ones."""

    def __init__(self, chars) -> None:
        super().__init__(chars)
        self._at = {id(ch): i for i, ch in reversed(list(enumerate(self)))}

    def index(self, ch, *args) -> int:
        return self._at[id(ch)]


def _dedupe_chars(page):
    """``page.dedupe_chars()`` (pdfplumber's Page.dedupe_chars, step by step), in linear time."""
    from pdfplumber import utils
    from pdfplumber.page import FilteredPage

    deduped = FilteredPage(page, lambda x: True)
    deduped._objects = {kind: objs for kind, objs in page.objects.items()}
    deduped._objects["char"] = utils.dedupe_chars(_ByPosition(page.chars))
    return deduped


@dataclass
class _Frame:
    """What it takes to move a pdfium point (PDF user space) into pdfplumber's page space."""

    rotation: int
    mediabox: tuple[float, float, float, float]  # the raw MediaBox, as pdfminer uses it
    height: float  # pdfplumber's page height
    origin: tuple[float, float]  # pdfplumber's mediabox x0 and top

    def to_plumber(self, x: float, y: float) -> tuple[float, float]:
        x0, y0, x1, y1 = self.mediabox
        # pdfminer's device space (pdfinterp.PDFPageInterpreter.process_page) ...
        if self.rotation == 90:
            dx, dy = y - y0, x1 - x
        elif self.rotation == 180:
            dx, dy = x1 - x, y1 - y
        elif self.rotation == 270:
            dx, dy = y1 - y, x - x0
        else:
            dx, dy = x - x0, y - y0
        # ... then pdfplumber's top-down coordinates (page.py, Page.process_object).
        return dx + self.origin[0], self.height - dy + self.origin[1]


class _TooManyRulings(Exception):
    pass


def _bounded_tables(page) -> list:
    """``page.find_tables()`` with its quadratic steps bounded (raises _TooManyRulings)."""
    from pdfplumber import table as pt

    finder = pt.TableFinder.__new__(pt.TableFinder)  # TableFinder.__init__, step by step
    finder.page, finder.settings = page, pt.TableSettings.resolve(None)
    finder.edges = finder.get_edges()
    vertical = sum(1 for e in finder.edges if e["orientation"] == "v")
    horizontal = len(finder.edges) - vertical
    if vertical * horizontal > MAX_TABLE_EDGE_PAIRS:
        raise _TooManyRulings(f"{vertical} x {horizontal} ruling lines, limit {MAX_TABLE_EDGE_PAIRS} pairs")
    settings = finder.settings
    finder.intersections = pt.edges_to_intersections(
        finder.edges, settings.intersection_x_tolerance, settings.intersection_y_tolerance)
    if len(finder.intersections) > MAX_TABLE_CROSSINGS:
        raise _TooManyRulings(f"{len(finder.intersections)} ruling crossings, limit {MAX_TABLE_CROSSINGS}")
    finder.cells = pt.intersections_to_cells(finder.intersections)
    finder.tables = [pt.Table(page, group) for group in pt.cells_to_tables(finder.cells)]
    return finder.tables


def _find_tables(plumber, index: int, warnings: list[str]) -> tuple[list[_FoundTable], _Frame | None]:
    try:
        page = plumber.pages[index]
    except Exception as err:  # pdfminer may fail on a page pdfium could read
        warnings.append(f"page {index + 1}: table detection failed ({type(err).__name__})")
        return [], None
    try:
        from pdfplumber.table import Table

        # The tables come from the ruling lines alone; the chars (deduplicated: fake bold draws
        # them twice) are needed only to read the cells of a table that is kept.
        kept = []
        for table in _bounded_tables(page):
            layout = _table_layout(table)
            # One row or one column is a box around text, not a table.
            if len(layout) >= 2 and max((len(r) for r in layout), default=0) >= 2:
                kept.append((table, layout))
        found = []
        if kept:
            deduped = _dedupe_chars(page)
            found = [_FoundTable(table.bbox, _table_rows(Table(deduped, table.cells), layout))
                     for table, layout in kept]
        mediabox = tuple(float(v) for v in page.page_obj.mediabox)
        frame = _Frame(page.rotation, mediabox, float(page.height), (float(page.mediabox[0]), float(page.mediabox[1])))
        return found, frame
    except _TooManyRulings as err:
        warnings.append(f"page {index + 1}: table detection skipped ({err}): read as lines")
        return [], None
    except Exception as err:
        warnings.append(f"page {index + 1}: table detection failed ({type(err).__name__})")
        return [], None
    finally:
        page.close()


def _line_table(line: _Line, textpage, frame: _Frame, tables: list[_FoundTable]) -> int | None:
    """The table whose box holds this line, if any."""
    corners = []
    for index in (line.first, line.last):
        left, bottom, right, top = textpage.get_charbox(index)
        corners += [frame.to_plumber(left, bottom), frame.to_plumber(right, top)]
    xs, tops = [c[0] for c in corners], [c[1] for c in corners]
    left, right, middle = min(xs), max(xs), (min(tops) + max(tops)) / 2
    for k, table in enumerate(tables):
        x0, top, x1, bottom = table.bbox
        if (x0 - TABLE_SLACK <= left and right <= x1 + TABLE_SLACK
                and top - TABLE_SLACK <= middle <= bottom + TABLE_SLACK):
            return k
    return None


_NOT_ASKED = (0xFFFE, 0xFEFF, 0x3000)


def _unmapped(textpage, pdfium_c, raw: str) -> tuple[int, int]:
    """(unmapped, asked) over a sample of the page's visible characters.

    A character's code is read from ``raw`` (the page's text, index for index) where it is
    plainly a visible character or a space or line break; pdfium is asked for the others
    (its text shows a line-end hyphen as U+FFFE, and 0 as U+FFFD in a text read char by char).
    """
    handle, count = textpage.raw, len(raw)
    step = max(1, count // UNMAPPED_SAMPLE)
    has_error, get_unicode = pdfium_c.FPDFText_HasUnicodeMapError, pdfium_c.FPDFText_GetUnicode
    bad = asked = 0
    for i in range(0, count, step):
        code = ord(raw[i])
        if code <= 32 or code in _NOT_ASKED or code == 0xFFFD:
            if code in (32, 10, 13):
                continue
            code = get_unicode(handle, i)
            if code <= 32 or code in _NOT_ASKED:
                continue
        asked += 1
        bad += has_error(handle, i) == 1
    return bad, asked


def _garbage_share(builder_text: str) -> float:
    sample = builder_text[:GARBAGE_SAMPLE]
    counts = Counter(sample)  # each distinct character judged once
    visible = len(sample) - sum(n for ch, n in counts.items() if ch.isspace())
    if not visible:
        return 1.0
    # Fonts without a Unicode map come out as control, private-use or Latin-1 accented
    # characters (the raw glyph codes); a Chinese report has almost none of those.
    bad = sum(
        n for ch, n in counts.items()
        if not ch.isspace() and (ch == "\ufffd" or ("\x80" <= ch <= "\xff" and ch not in _LATIN1_OK)
                                 or unicodedata.category(ch) in ("Cc", "Co", "Cn"))
    )
    bad += sample.count("(cid:") * len("(cid:00)")
    return bad / visible


def read_pdf(data: bytes, name: str = "", *, budget: Budget | None = None) -> Document:
    budget = budget or current().budget(name)
    _check_complete(data, name)
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as err:
        raise _load_error(err, name) from None
    plumber = None
    try:
        builder, warnings, count = TextBuilder(budget), [], len(pdf)
        if count == 0:
            raise CorruptFile(name or None, "PDF has no pages")
        budget.check_size("max_pages", count, "PDF has {} pages")
        empty: list[int] = []
        unmapped = asked = 0
        unmapped_every = -(-count // UNMAPPED_PAGES)
        for index in range(count):
            number = index + 1
            budget.check(f"page {number} of {count}")
            try:
                page = pdf[index]
            except pdfium.PdfiumError:
                raise CorruptFile(name or None, f"corrupt PDF (page {number} cannot be loaded)") from None
            textpage = None
            try:
                textpage = page.get_textpage()
                raw = _page_text(textpage, pdfium_c)
                lines = _page_lines(textpage, pdfium_c, raw)
                if index % unmapped_every == 0:
                    bad, seen = _unmapped(textpage, pdfium_c, raw)
                    unmapped, asked = unmapped + bad, asked + seen
                tables: list[_FoundTable] = []
                frame = None
                objects = pdfium_c.FPDFPage_CountObjects(page.raw)
                ruled = _has_ruling(page, pdfium_c)
                if ruled and objects > MAX_TABLE_PAGE_OBJECTS:
                    ruled = False
                    warnings.append(f"page {number}: table detection skipped ({objects} page objects, "
                                    f"limit {MAX_TABLE_PAGE_OBJECTS}): read as lines")
                if ruled:
                    if plumber is None:
                        import pdfplumber

                        _quiet_pdfminer()
                        try:
                            plumber = pdfplumber.open(io.BytesIO(data))
                        except Exception as err:  # pdfminer cannot parse what pdfium could: no tables
                            plumber = False
                            warnings.append(f"table detection failed ({type(err).__name__}): pages read as lines")
                    if plumber:
                        tables, frame = _find_tables(plumber, index, warnings)
                mark = builder.mark
                _emit_page(builder, lines, tables, textpage, frame, number)
                if not any(ln.text.strip() for ln in lines):
                    empty.append(number)
            finally:
                if textpage is not None:
                    textpage.close()
                page.close()
            start, end = builder.span_since(mark)
            builder.add_block(Block("page", start, end, page=number))
        text = builder.text()
        if (not text.strip() or _garbage_share(text) > MAX_GARBAGE_SHARE
                or unmapped > MAX_GARBAGE_SHARE * max(asked, 1)):
            raise NoTextLayer(name or None, "no text layer (scanned or unmapped fonts): needs OCR")
        if empty:
            warnings.append(f"no text layer on page(s) {', '.join(map(str, empty))}: scanned pages need OCR")
        return builder.build("pdf", pages=count, warnings=warnings)
    finally:
        if plumber:
            plumber.close()
        pdf.close()


def _emit_page(builder: TextBuilder, lines: list[_Line], tables: list[_FoundTable], textpage,
               frame: _Frame | None, number: int) -> None:
    """Lines in order; a table's rows replace the lines inside its box (a table that holds
    no line is appended after the page's text)."""
    placed: set[int] = set()
    for ln in lines:
        k = _line_table(ln, textpage, frame, tables) if tables and frame is not None else None
        if k is None:
            builder.line(ln.text, "line", page=number)
        elif k not in placed:
            placed.add(k)
            builder.table(tables[k].rows, page=number)
    for k, table in enumerate(tables):
        if k not in placed:
            builder.table(table.rows, page=number)

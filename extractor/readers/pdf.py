"""PDF reader: pdfium's text layer page by page, with pdfplumber's table finder on ruled pages.

pypdfium2 reads a page's text in a millisecond or two, about ten times faster than pdfminer,
with its CJK text unbroken once the spaces it guesses from glyph gaps are dropped; pdfminer
(through pdfplumber) is loaded only for pages with ruling lines, to turn a ruled grid into
rows and cells.
"""

from __future__ import annotations

import codecs
import ctypes
import functools
import io
import re
import unicodedata
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from itertools import repeat as repeated
from typing import NamedTuple

from extractor.document import Block, Document
from extractor.errors import CorruptFile, EncryptedFile
from extractor.limits import Budget, current
from extractor.readers._build import Cell, TextBuilder, is_wide, join_fragments
from extractor.readers.ocr import PdfScans

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


def _pdfium_error(message: str) -> Exception:
    from pypdfium2 import PdfiumError

    return PdfiumError(message)


class _Handle(ctypes.c_void_p):
    """A pdfium pointer kept as a ctypes object: a c_void_p result comes back as a Python int,
    which ctypes would convert again on the way into the next call."""


class _ObjectCalls:
    """The pdfium calls of the ruling scan (and three of the text page), as copies that take and
    return plain pointers.

    pypdfium2 declares them with typed pointers, so ctypes builds a pointer object for every
    object fetched and checks its type on every call. The copies call the same functions with
    no declared arguments (a _Handle goes in as the pointer it holds, an index as a C int) and
    return an object's pointer as a _Handle; the ruling scan is two of them per page object.
    """

    def __init__(self, pdfium_c) -> None:
        def plain(fn, restype):
            copy = type(fn)(ctypes.cast(fn, ctypes.c_void_p).value)
            copy.argtypes = None
            copy.restype = restype
            return copy

        self.count_page = plain(pdfium_c.FPDFPage_CountObjects, ctypes.c_int)
        self.get_page = plain(pdfium_c.FPDFPage_GetObject, _Handle)
        self.count_form = plain(pdfium_c.FPDFFormObj_CountObjects, ctypes.c_int)
        self.get_form = plain(pdfium_c.FPDFFormObj_GetObject, _Handle)
        self.get_type = plain(pdfium_c.FPDFPageObj_GetType, ctypes.c_int)
        self.count_segments = plain(pdfium_c.FPDFPath_CountSegments, ctypes.c_int)
        # and of the text page: a character's box, whether pdfium made it up, whether it has no Unicode
        self.char_box = plain(pdfium_c.FPDFText_GetCharBox, ctypes.c_int)
        self.is_generated = plain(pdfium_c.FPDFText_IsGenerated, ctypes.c_int)
        self.has_map_error = plain(pdfium_c.FPDFText_HasUnicodeMapError, ctypes.c_int)
        self.text, self.path, self.form = (pdfium_c.FPDF_PAGEOBJ_TEXT, pdfium_c.FPDF_PAGEOBJ_PATH,
                                           pdfium_c.FPDF_PAGEOBJ_FORM)


_object_calls: dict[object, _ObjectCalls] = {}  # per pdfium module: built once
# Page objects typed per pass of the ruling scan: a bounded list for a page of a million objects.
_SCAN_CHUNK = 1024


def _calls(pdfium_c) -> _ObjectCalls:
    calls = _object_calls.get(pdfium_c)
    if calls is None:
        calls = _object_calls[pdfium_c] = _ObjectCalls(pdfium_c)
    return calls


class _TextPage:
    """A pdfium text page handle with what the reader asks of it: pypdfium2's PdfTextPage
    builds a finalizer, and four ctypes doubles per character box asked. This holds the handle
    (the caller closes it), reuses one set of doubles, and asks pdfium through the plain copies
    of _ObjectCalls."""

    __slots__ = ("raw", "_plain", "_calls", "_box", "_box_args")

    def __init__(self, raw, calls: _ObjectCalls, box: tuple) -> None:
        self.raw = raw  # pypdfium2's typed pointer, for pypdfium2.raw's functions
        self._plain = ctypes.cast(raw, _Handle)
        self._calls = calls
        self._box, self._box_args = box  # see new_box

    @staticmethod
    def new_box() -> tuple:
        """Four c_double (left, right, bottom, top) and pointers to them, for the pages of one read."""
        box = (ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double())
        return box, tuple(map(ctypes.pointer, box))

    def get_charbox(self, index: int) -> tuple[float, float, float, float]:
        """PdfTextPage.get_charbox: (left, bottom, right, top)."""
        if not self._calls.char_box(self._plain, index, *self._box_args):
            raise _pdfium_error("Failed to get charbox.")
        left, right, bottom, top = self._box
        return left.value, bottom.value, right.value, top.value

    def generated(self, indices: list[int]) -> list[int]:
        """FPDFText_IsGenerated of each char index (1: a character pdfium made up)."""
        return list(map(self._calls.is_generated, repeated(self._plain, len(indices)), indices))

    def unmapped(self, indices) -> list[int]:
        """FPDFText_HasUnicodeMapError of each char index (1: pdfium found no Unicode for it)."""
        return list(map(self._calls.has_map_error, repeated(self._plain, len(indices)), indices))


def _text_range(handle, pdfium_c, count: int) -> str:
    """PdfTextPage.get_text_range() of a page of ``count`` > 0 characters, without the wrapper:
    pdfium is asked for the characters between the first and last it puts in its text (it reads
    past the range otherwise: crbug.com/pdfium/2079)."""
    text_index = pdfium_c.FPDFText_GetTextIndexFromCharIndex
    first, last = 0, count - 1
    while True:  # PdfTextPage._get_active_text_range, as a loop
        if first > last:
            return ""
        t_start = text_index(handle, first)
        if t_start == -1:
            first += 1
            continue
        t_end = text_index(handle, last)
        if t_end == -1:
            last -= 1
            continue
        break
    in_count = t_end + 2 - t_start  # with the NUL at the end
    buffer = (ctypes.c_ushort * in_count)()
    out_count = pdfium_c.FPDFText_GetText(handle, first, last - first + 1, buffer)
    assert in_count >= out_count, f"Buffer too small: {in_count} vs {out_count}"
    return codecs.decode(memoryview(buffer)[:out_count - 1], "utf-16-le", errors="ignore")


def _page_text(textpage, pdfium_c) -> str:
    """pdfium's text of the page, one character per pdfium char index."""
    handle = textpage.raw
    count = pdfium_c.FPDFText_CountChars(handle)
    if count == -1:
        raise _pdfium_error("Failed to get character count.")
    raw = _text_range(handle, pdfium_c, count) if count > 0 else ""
    if len(raw) != count:
        # Characters outside the BMP come back as surrogate pairs: read char by char instead.
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


_SPACE = re.compile(" ")
_SPACE_RUNS = re.compile("  +")  # two or more
# Two equal characters in a row (not overlapping; _page_texts extends a match to the whole run).
_PAIR = re.compile(r"(.)\1")
# A line's text without the spaces at either end (a line of spaces has none).
_TRIMMED_LINE = re.compile(r"[^\r\n ](?:[^\r\n]*[^\r\n ])?")
_match_start = re.Match.start
_wide = functools.lru_cache(maxsize=4096)(is_wide)


def _page_texts(textpage, raw: str) -> list[str] | None:
    """The texts of ``_page_lines`` (without their char indices), from a few passes over the
    whole page; None for a page that _page_lines must judge line by line: one with a marked
    character, or with a character after spaces pdfium made up that repeats the one before them.

    What is dropped is collected for the page, then cut out of it in one join: a space next to
    a wide character if pdfium generated it (see _generated_space; in a run of spaces, a later
    space sees the space before it if that one stays), the second of two equal characters drawn
    on top of each other (in a run of equal characters, each is compared with the last one
    kept), and the spaces at a line's ends. A space at a line's end may be judged like any
    other: it goes either way.
    """
    if "\x02" in raw or "\x00" in raw or "\ufffe" in raw or "\ufeff" in raw:  # _MARKED
        return None
    drop: list[int] = []
    if " " in raw:
        spaces = list(map(_match_start, _SPACE.finditer(raw)))
        generated = textpage.generated(spaces)
        runs: list[tuple[int, int]] = []
        in_runs: set[int] = set()
        if "  " in raw:
            runs = [m.span() for m in _SPACE_RUNS.finditer(raw)]
            in_runs = {i for start, end in runs for i in range(start, end)}
        # A space alone sees the characters on either side (at a page's ends, one of them is ""
        # or the other end's: only a space at a line's start or end sees that, and it goes anyway).
        drop = [i for i, g in zip(spaces, generated, strict=True)
                if g == 1 and (_wide(raw[i - 1]) or _wide(raw[i + 1:i + 2])) and i not in in_runs]
        for i in drop:
            ch = raw[i - 1]
            if ch == raw[i + 1:i + 2] and not ch.isspace():
                return None
        if runs:
            flags = dict(zip(spaces, generated, strict=True))
            for start, end in runs:
                prev = raw[start - 1]
                dropped = 0
                for i in range(start, end):
                    if flags[i] == 1 and (_wide(prev) or _wide(raw[i + 1:i + 2])):
                        drop.append(i)
                        dropped += 1
                    else:
                        prev = " "
                if dropped == end - start and end < len(raw) and raw[end] == prev and not prev.isspace():
                    return None
    size, judged = len(raw), 0  # raw[:judged] holds no run of equal characters left to judge
    charbox = textpage.get_charbox
    for pair in _PAIR.finditer(raw):
        start = pair.start()
        ch = raw[start]
        if start < judged or ch.isspace():
            continue
        end = start + 2
        while end < size and raw[end] == ch:
            end += 1
        judged = end
        boxes = [charbox(i) for i in range(start, end)]
        kept = boxes[0]
        for k in range(1, end - start):
            if _boxes_overlap(kept, boxes[k]):
                drop.append(start + k)
            else:
                kept = boxes[k]
    if drop:
        drop.sort()
        pieces, cursor = [], 0
        for i in drop:
            pieces.append(raw[cursor:i])
            cursor = i + 1
        pieces.append(raw[cursor:])
        raw = "".join(pieces)
    return _TRIMMED_LINE.findall(raw)


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


def _path_segments(calls: _ObjectCalls, container: _Handle, count: int, get_object, depth: int,
                   found: int) -> int:
    """``found`` plus the path segments of the container's ``count`` objects (forms read 3 deep),
    counted until the sum reaches MIN_RULING_SEGMENTS.

    Uses the raw API: wrapping every page object in Python costs more than the page's text. The
    objects' types come from one pass of map() (no Python bytecode per object): a page whose
    objects are all text, most pages, costs two pdfium calls per object and nothing more.
    """
    get_type, text, path, form = calls.get_type, calls.text, calls.path, calls.form
    for low in range(0, count, _SCAN_CHUNK):
        size = min(_SCAN_CHUNK, count - low)
        kinds = list(map(get_type, map(get_object, repeated(container, size), range(low, low + size))))
        if kinds.count(text) == size:
            continue
        for i, kind in enumerate(kinds, low):
            if kind == path:
                found += max(calls.count_segments(get_object(container, i)), 0)
            elif kind == form and depth < 3:
                obj = get_object(container, i)
                found = _path_segments(calls, obj, calls.count_form(obj), calls.get_form, depth + 1, found)
            else:
                continue
            if found >= MIN_RULING_SEGMENTS:
                return found
    return found


def _page_ruling(calls: _ObjectCalls, page) -> tuple[int, bool]:
    """(objects on the page, whether their paths have MIN_RULING_SEGMENTS segments or more)."""
    handle = ctypes.cast(page, _Handle)
    count = calls.count_page(handle)
    return count, _path_segments(calls, handle, count, calls.get_page, 0, 0) >= MIN_RULING_SEGMENTS


def _has_ruling(page, pdfium_c) -> bool:
    """Whether the page (a pypdfium2 PdfPage) goes to the table finder."""
    return _page_ruling(_calls(pdfium_c), page.raw)[1]


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


# A sampled character whose code pdfium is asked for (see _unmapped): _NOT_ASKED, U+FFFD, and
# the codes up to 32.
_ASK_CODE = re.compile("[\x00-\x20\ufffd" + "".join(map(chr, _NOT_ASKED)) + "]")


def _unmapped(textpage, pdfium_c, raw: str) -> tuple[int, int]:
    """(unmapped, asked) over a sample of the page's visible characters.

    A character's code is read from ``raw`` (the page's text, index for index) where it is
    plainly a visible character or a space or line break; pdfium is asked for the others
    (its text shows a line-end hyphen as U+FFFE, and 0 as U+FFFD in a text read char by char).
    The characters sampled are every ``step``-th: a slice of ``raw``; the visible ones are asked
    about their map in one pass (_TextPage.unmapped).
    """
    handle, count = textpage.raw, len(raw)
    step = max(1, count // UNMAPPED_SAMPLE)
    sample = raw[::step]
    skipped = []
    for m in _ASK_CODE.finditer(sample):
        i = m.start() * step
        code = ord(m.group())
        if code not in (32, 10, 13):
            code = pdfium_c.FPDFText_GetUnicode(handle, i)
            if not (code <= 32 or code in _NOT_ASKED):
                continue
        skipped.append(i)
    indices = range(0, count, step)
    if skipped:
        left_out = set(skipped)
        indices = [i for i in indices if i not in left_out]
    flags = textpage.unmapped(indices)
    return flags.count(1), len(flags)


# Distinct characters of a sample whose occurrences are counted one by one (str.count, a pass of
# the sample each); past this many, one Counter pass over the sample.
_COUNT_EACH = 16


def _is_garbage(ch: str) -> bool:
    # Fonts without a Unicode map come out as control, private-use or Latin-1 accented
    # characters (the raw glyph codes); a Chinese report has almost none of those.
    return ch == "\ufffd" or ("\x80" <= ch <= "\xff" and ch not in _LATIN1_OK) or unicodedata.category(ch) in (
        "Cc", "Co", "Cn")


def _garbage_share(builder_text: str) -> float:
    sample = builder_text[:GARBAGE_SAMPLE]
    # Each distinct character judged once; the visible ones counted by splitting at whitespace
    # (str.split and str.isspace know the same whitespace).
    visible = sum(map(len, sample.split()))
    if not visible:
        return 1.0
    bad_chars = [ch for ch in set(sample) if not ch.isspace() and _is_garbage(ch)]
    if len(bad_chars) <= _COUNT_EACH:
        bad = sum(sample.count(ch) for ch in bad_chars)
    else:
        counts = Counter(sample)
        bad = sum(counts[ch] for ch in bad_chars)
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
        calls = _calls(pdfium_c)
        load_page, close_page = pdfium_c.FPDF_LoadPage, pdfium_c.FPDF_ClosePage
        load_textpage, close_textpage = pdfium_c.FPDFText_LoadPage, pdfium_c.FPDFText_ClosePage
        document, box = pdf.raw, _TextPage.new_box()
        scans = PdfScans(pdf, name, budget, count)  # OCR of pages without a text layer (readers.ocr)
        for index in range(count):
            number = index + 1
            budget.check(f"page {number} of {count}")
            # The raw handles, not pypdfium2's PdfPage and PdfTextPage (a finalizer and a weak
            # reference each): both are closed below, before the next page is loaded.
            page = load_page(document, index)
            if not page:
                raise CorruptFile(name or None, f"corrupt PDF (page {number} cannot be loaded)")
            handle = None
            try:
                handle = load_textpage(page) or None  # a NULL pointer is false
                if handle is None:
                    raise _pdfium_error("Failed to load text page.")
                textpage = _TextPage(handle, calls, box)
                raw = _page_text(textpage, pdfium_c)
                if index % unmapped_every == 0:
                    bad, seen = _unmapped(textpage, pdfium_c, raw)
                    unmapped, asked = unmapped + bad, asked + seen
                tables: list[_FoundTable] = []
                frame = None
                objects, ruled = _page_ruling(calls, page)
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
                if tables:  # a table replaces the lines inside its box: lines with their positions
                    lines = _page_lines(textpage, pdfium_c, raw)
                    _emit_page(builder, lines, tables, textpage, frame, number)
                    blank = not any(ln.text.strip() for ln in lines)
                else:
                    texts = _page_texts(textpage, raw)
                    if texts is None:
                        texts = [ln.text for ln in _page_lines(textpage, pdfium_c, raw)]
                    blank = builder.lines(texts, "line", page=number) == 0
                if blank:
                    empty.append(number)
            finally:
                if handle is not None:
                    close_textpage(handle)
                close_page(page)
            if empty and empty[-1] == number and scans.page(builder, index):
                empty.pop()  # a scanned page, read by OCR
            start, end = builder.span_since(mark)
            builder.add_block(Block("page", start, end, page=number))
        text = builder.text()
        if (not text.strip() or _garbage_share(text) > MAX_GARBAGE_SHARE
                or unmapped > MAX_GARBAGE_SHARE * max(asked, 1)):
            return scans.document(warnings)  # every page by OCR, or NoTextLayer
        if empty:
            warnings.append(f"no text layer on page(s) {', '.join(map(str, empty))}: scanned pages need OCR{scans.hint}")
        return scans.attach(builder.build("pdf", pages=count, warnings=warnings))
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

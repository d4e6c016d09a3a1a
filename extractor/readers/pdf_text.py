"""PDF text through pdfium: a page's text as lines in pdfium's reading order, cleaned of what
the layout adds (spaces pdfium guesses from glyph gaps next to CJK, characters drawn twice for
fake bold), each line with the pdfium indices of its first and last character.

pypdfium2 reads a page's text in a millisecond or two, about ten times faster than pdfminer,
with its CJK text unbroken once the spaces it guesses are dropped. Only pypdfium2's public API
is used: its PdfTextPage helpers and the pdfium C functions of its ``raw`` module.
"""

from __future__ import annotations

import ctypes
import functools
import re
from bisect import bisect_left
from itertools import repeat as repeated
from typing import NamedTuple

from extractor.readers._build import is_wide

_NOT_TEXT = {"\ufffe", "\ufeff", "\x00"}
# pdfium marks a hyphen that ends a line as STX; the page shows a hyphen.
_LINE_END_HYPHEN = "\x02"
# Characters per page asked whether pdfium found their Unicode (see unmapped_share).
UNMAPPED_SAMPLE = 256


class _Line(NamedTuple):
    text: str
    first: int  # pdfium char index of the first and of the last character
    last: int


def boxes_overlap(a, b) -> bool:
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


class TextPage:
    """A pypdfium2 PdfTextPage with what the reader asks of it, many characters at a time."""

    __slots__ = ("page", "raw", "_c", "_box", "_get_box")

    def __init__(self, textpage, pdfium_c) -> None:
        self.page = textpage  # pypdfium2.PdfTextPage (the caller closes it)
        self.raw = textpage.raw  # its FPDF_TEXTPAGE, for pypdfium2.raw's functions
        self._c = pdfium_c
        # PdfTextPage.get_charbox makes four doubles per call; these are made once a page, and
        # passed as they are (ctypes applies byref() itself where the argument is declared a
        # pointer to their type: a third of the cost of passing pointer objects).
        self._box = (ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double())
        self._get_box = pdfium_c.FPDFText_GetCharBox

    def get_charbox(self, index: int) -> tuple[float, float, float, float]:
        """(left, bottom, right, top) of a character (PdfTextPage.get_charbox)."""
        box = self._box
        if not self._get_box(self.raw, index, *box):
            return self.page.get_charbox(index)  # raises pypdfium2's error
        left, right, bottom, top = box
        return left.value, bottom.value, right.value, top.value

    def box_reader(self) -> tuple:
        """(FPDFText_GetCharBox, this page's handle, its four out-parameters left, right,
        bottom, top) for a caller that asks many boxes in a loop: ``fn(handle, index, *outs)``
        is false where ``get_charbox`` would raise."""
        return (self._get_box, self.raw, *self._box)

    def generated(self, indices: list[int]) -> list[int]:
        """FPDFText_IsGenerated of each char index (1: a character pdfium made up)."""
        return list(map(self._c.FPDFText_IsGenerated, repeated(self.raw, len(indices)), indices))

    def unmapped(self, indices) -> list[int]:
        """FPDFText_HasUnicodeMapError of each char index (1: pdfium found no Unicode for it)."""
        return list(map(self._c.FPDFText_HasUnicodeMapError, repeated(self.raw, len(indices)), indices))


def page_text(textpage: TextPage, pdfium_c) -> str:
    """pdfium's text of the page, one character per pdfium char index."""
    count = textpage.page.count_chars()
    raw = textpage.page.get_text_range() if count > 0 else ""
    if len(raw) != count:
        # Characters outside the BMP come back as surrogate pairs: read char by char instead.
        handle = textpage.raw
        raw = "".join(chr(pdfium_c.FPDFText_GetUnicode(handle, i) or 0xFFFD) for i in range(count))
    return raw


def page_lines(textpage, pdfium_c, raw: str) -> list[_Line]:
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
# Two equal characters in a row (not overlapping; page_texts extends a match to the whole run).
_PAIR = re.compile(r"(.)\1")
# A line's text without the spaces at either end (a line of spaces has none).
_TRIMMED_LINE = re.compile(r"[^\r\n ](?:[^\r\n]*[^\r\n ])?")
_match_start = re.Match.start
_wide = functools.lru_cache(maxsize=4096)(is_wide)


def page_texts(textpage, raw: str) -> list[str] | None:
    """The texts of ``page_lines`` (without their char indices), from a few passes over the
    whole page; None for a page that page_lines must judge line by line: one with a marked
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
    drop = _dropped_spaces(textpage, raw) if " " in raw else []
    if drop is None:
        return None
    drop += _dropped_repeats(textpage, raw)
    if drop:
        drop.sort()
        pieces, cursor = [], 0
        for i in drop:
            pieces.append(raw[cursor:i])
            cursor = i + 1
        pieces.append(raw[cursor:])
        raw = "".join(pieces)
    return _TRIMMED_LINE.findall(raw)


def _dropped_spaces(textpage, raw: str) -> list[int] | None:
    """The spaces of page_texts' page that pdfium made up next to a wide character; None when
    a character after such spaces repeats the one before them (page_lines must judge it).

    pdfium is asked whether a space is generated only where a wide character stands beside
    it: most spaces of a page (between numbers, Latin words, cells) are never asked about."""
    runs: list[tuple[int, int]] = []
    in_runs: set[int] = set()
    if "  " in raw:
        runs = [m.span() for m in _SPACE_RUNS.finditer(raw)]
        in_runs = {i for start, end in runs for i in range(start, end)}
    # A space alone sees the characters on either side (at a page's ends, one of them is "" or
    # the other end's: only a space at a line's start or end sees that, and it goes anyway).
    beside_wide = [
        i
        for i in map(_match_start, _SPACE.finditer(raw))
        if (_wide(raw[i - 1]) or _wide(raw[i + 1 : i + 2])) and i not in in_runs
    ]
    drop = [i for i, g in zip(beside_wide, textpage.generated(beside_wide), strict=True) if g == 1]
    for i in drop:
        ch = raw[i - 1]
        if ch == raw[i + 1 : i + 2] and not ch.isspace():
            return None
    for start, end in runs:
        prev = raw[start - 1]
        dropped = 0
        for i in range(start, end):
            if (_wide(prev) or _wide(raw[i + 1 : i + 2])) and textpage.generated([i])[0] == 1:
                drop.append(i)
                dropped += 1
            else:
                prev = " "
        if dropped == end - start and end < len(raw) and raw[end] == prev and not prev.isspace():
            return None
    return drop


def _dropped_repeats(textpage, raw: str) -> list[int]:
    """The second of two equal characters drawn on top of each other (fake bold); in a run of
    equal characters, each is compared with the last one kept."""
    drop: list[int] = []
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
            if boxes_overlap(kept, boxes[k]):
                drop.append(start + k)
            else:
                kept = boxes[k]
    return drop


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
        events.append(
            (start, end, 0 < start and end < len(seg) and seg[end] == seg[start - 1] and not seg[end].isspace())
        )
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
            if prev == ch and boxes_overlap(textpage.get_charbox(base + prev_at), textpage.get_charbox(base + end)):
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
    """The line raw[start:end], judged character by character (see page_lines)."""
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
            if boxes_overlap(textpage.get_charbox(indices[-1]), textpage.get_charbox(i)):
                continue
        chars.append(ch)
        indices.append(i)
    while chars and chars[-1] == " ":
        chars.pop()
        indices.pop()
    return _Line("".join(chars), indices[0], indices[-1]) if chars else None


_NOT_ASKED = (0xFFFE, 0xFEFF, 0x3000)


# A sampled character whose code pdfium is asked for (see unmapped_share): _NOT_ASKED, U+FFFD, and
# the codes up to 32.
_ASK_CODE = re.compile("[\x00-\x20\ufffd" + "".join(map(chr, _NOT_ASKED)) + "]")


def unmapped_share(textpage: TextPage, pdfium_c, raw: str) -> tuple[int, int]:
    """(unmapped, asked) over a sample of the page's visible characters.

    A character's code is read from ``raw`` (the page's text, index for index) where it is
    plainly a visible character or a space or line break; pdfium is asked for the others
    (its text shows a line-end hyphen as U+FFFE, and 0 as U+FFFD in a text read char by char).
    The characters sampled are every ``step``-th: a slice of ``raw``; the visible ones are asked
    about their map in one pass (TextPage.unmapped).
    """
    handle, count = textpage.raw, len(raw)
    step = max(1, -(-count // UNMAPPED_SAMPLE))  # UNMAPPED_SAMPLE characters at most
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

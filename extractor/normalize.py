"""A folded view of the document text for matching, with a map back to the original offsets.

Patterns run over the folded view (full-width forms, ideographic spaces, Kangxi radicals and
traditional characters folded; spaces inside numbers and format characters dropped); every match is mapped back so
that a span is always a slice of what the document says (pdfplumber's TextMap idea).
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata

from .patterns import compile_regex
from .space_cells import space_cells


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in range(0xFF01, 0xFF5F):  # full-width ASCII
        table[cp] = chr(cp - 0xFEE0)
    for cp in (0x3000, 0x00A0, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A, 0x202F, 0x205F):
        table[cp] = " "
    # Kangxi radicals and compatibility ideographs look identical to the unified ideographs
    # that PDFs with broken font maps and some OCR output substitute for them.
    for lo, hi in ((0x2F00, 0x2FD6), (0x2E80, 0x2EF4), (0xF900, 0xFADA)):
        for cp in range(lo, hi):
            folded = unicodedata.normalize("NFKC", chr(cp))
            if len(folded) == 1 and folded != chr(cp):
                table[cp] = folded
    table.update(
        {
            ord("〜"): "~",
            ord("～"): "~",
            ord("﹝"): "(",
            ord("﹞"): ")",
            ord("〔"): "(",
            ord("〕"): ")",
            ord("【"): "[",
            ord("】"): "]",
            ord("—"): "-",
            ord("–"): "-",
            ord("−"): "-",
            ord("‰"): "‰",
            ord("\r"): "\n",
            ord("\t"): " ",
        }
    )
    return table


_TABLE = _build_table()
# str.translate looks every character up in the table (~45 ns each, most of them misses); a report
# has a few per cent of characters to fold, so finding the runs of them first (stdlib re: a
# character class is a bitmap there) and translating only those is 2-3x faster. Same result:
# every entry folds one character to one character.
_FOLDABLE = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(_TABLE)) + "]+")


def _fold_run(m: re.Match) -> str:
    return m.group().translate(_TABLE)


# Whitespace that only layout put there: between a digit and its unit or decimal point, inside a
# number split by a PDF line break, and format characters (Unicode category Cf: zero-width spaces
# and joiners, U+FEFF, bidi controls such as U+202E, the soft hyphen U+00AD), which no reader sees
# and which would otherwise cut a figure in two. Spaces between two digits stay: in tables glued
# onto one line they separate cells ("50 8 8").
_DROP_MARKS = compile_regex(
    r"\p{Cf}+"
    # pinyin glosses that some mirrors insert after characters: 項(xiàng)目
    r"|(?<=\p{Han})\((?=[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)"
)
# The layout spaces around figures, each the group after the character that allows it. Written to
# start with that character, not with a lookbehind, so the engine jumps from one to the next (a
# lookbehind is tried at every position of the text: 2.5x the time); stdlib re, as the classes
# are plain. The text the spaces are dropped from is the same (tests/test_normalize.py).
_DROP_LAYOUT = re.compile(
    r"\d(?:"
    r"([ ]+)(?=[年月日人个名家元万亿千分%‰.项次户所位岁]|,\d{3}(?!\d))"  # 5 万元, 1 ,000
    r"|(\n)(?=[%‰])"  # a share's sign on the next line
    r"|\.([ \n]+)(?=\d)"  # 30.\n07
    r")"
    r"|[第约近共计]([ ]+)(?=\d)"  # 第 3, 共 12
)


def _drops(text: str) -> list[tuple[int, int]]:
    """The spans of ``text`` that the folded view drops as layout (marks and spaces only: the two
    kinds never overlap)."""
    out = [m.span() for m in _DROP_MARKS.finditer(text)]
    out += [m.span(m.lastindex) for m in _DROP_LAYOUT.finditer(text)]
    return out


@functools.lru_cache(maxsize=1)
def _t2s():
    try:
        import opencc
    except ImportError:  # optional: without OpenCC traditional text is matched as it is
        return None
    return opencc.OpenCC("t2s").convert


class Folded:
    """``text`` is the folded view; ``span(start, end)`` maps a folded slice to the original."""

    __slots__ = ("original", "text", "one_cell_rows", "_breaks", "_deltas", "_starts")

    def __init__(self, original: str, *, reflow: bool = True):
        self.original = original
        translated = _FOLDABLE.sub(_fold_run, original)
        if "\t" in original:
            translated = tab_cells(original, translated)
        translated, one_cell = space_cells(original, translated)
        translated = _fold_traditional(translated)
        drops = _drops(translated) + letter_spacing(translated)
        drops += double_spacing(translated)
        drops = sorted(drops + soft_line_breaks(translated)) if reflow else sorted(drops)
        # breakpoints: from folded index _breaks[i] on, original = folded + _deltas[i]
        breaks, deltas, parts = [0], [0], []
        dropped = last = 0
        for start, end in drops:
            start = max(start, last)
            if end <= start:
                continue
            parts.append(translated[last:start])
            dropped += end - start
            last = end
            breaks.append(end - dropped)
            deltas.append(dropped)
        parts.append(translated[last:])
        self.text = "".join(parts)
        self._breaks = breaks
        self._deltas = deltas
        self._starts = None
        # where the one-cell rows of tables laid out with spaces start (no gap there to mark)
        self.one_cell_rows = frozenset(self.folded_offsets(one_cell)) if one_cell else frozenset()

    def to_original(self, i: int) -> int:
        """Original offset of folded offset ``i`` (the start of the character there)."""
        k = bisect.bisect_right(self._breaks, i) - 1
        return i + self._deltas[k]

    def to_folded(self, original: int) -> int:
        """The first folded offset whose original offset is at or after ``original``."""
        breaks, deltas = self._breaks, self._deltas
        # the segment whose first character stands at or before ``original`` in the original
        k = bisect.bisect_right(self._segment_starts(), original) - 1
        folded = original - deltas[k]
        end = breaks[k + 1] if k + 1 < len(breaks) else len(self.text)
        # inside what was dropped after the segment: the next kept character
        return max(0, min(folded, end))

    def _segment_starts(self) -> list[int]:
        """Where each segment starts in the original, built on first use."""
        if self._starts is None:
            self._starts = [b + d for b, d in zip(self._breaks, self._deltas, strict=True)]
        return self._starts

    def folded_offsets(self, offsets: list[int]) -> list[int]:
        """``to_folded`` of every offset, walking the segments once when ``offsets`` ascend (a
        table's cells, in reading order); one that goes back is looked up as ``to_folded`` does."""
        breaks, deltas = self._breaks, self._deltas
        starts, size, n = self._segment_starts(), len(self.text), len(breaks)
        out, k = [], 0
        for original in offsets:
            if original < starts[k]:
                k = bisect.bisect_right(starts, original) - 1
            while k + 1 < n and starts[k + 1] <= original:
                k += 1
            end = breaks[k + 1] if k + 1 < n else size
            folded = original - deltas[k]
            out.append(folded if 0 <= folded <= end else max(0, min(folded, end)))
        return out

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original half-open span of the folded slice ``text[start:end]``."""
        if end <= start:
            s = self.to_original(start)
            return s, s
        return self.to_original(start), self.to_original(end - 1) + 1

    def raw(self, start: int, end: int) -> str:
        s, e = self.span(start, end)
        return self.original[s:e]


_NO_JOIN_END = tuple("。;:!?：；！？…)")
_LINE_START_NUMBERED = compile_regex(
    # "3." opens an item, "30.07万元" (a figure the wrap cut after its first digits) does not; a
    # bullet and a space ("- 发布机构", "• 首页") open a list's item
    r"^[ ]*(?:[一二三四五六七八九十]+、|\(?[一二三四五六七八九十\d]+(?:[)、]|\.(?!\d))|第[一二三四五六七八九十\d]+|[-—]+\d"
    r"|[-•·●▪][ ])"
)
DEFAULT_REFLOW_MIN = 24
# a line that ends with a file's extension is a file's name (a page's attachment, the report's
# own file name above its text): complete, however long
_FILE_NAME_END = compile_regex(r"(?i)\.(?:pdf|docx?|xlsx?|wps|ofd|html?|txt)$")


_PAGE_MARKER = compile_regex(
    r"[ ]*(?:[-—－]+[ ]*\d{1,4}[ ]*[-—－]+|第[ ]*\d{1,4}[ ]*页(?:[ ]*共[ ]*\d{1,4}[ ]*页)?)[ ]*"
)


def soft_line_breaks(text: str) -> list[tuple[int, int]]:
    """Spans of line breaks that only wrap a paragraph (PDF text, copied PDF text): the line
    before is about as long as the page's full lines, ends mid-sentence, and the next line does
    not start a numbered item. Table rows (with '|') and short lines are never joined. A page
    marker line ("—5—", "第5页") that interrupts a wrapped paragraph goes with the break."""
    lines = text.split("\n")
    stripped = [ln.strip() for ln in lines]
    lengths = sorted(len(st) for st, ln in zip(stripped, lines, strict=True) if st and "|" not in ln)
    if len(lengths) < 4:
        return []
    full = lengths[int(len(lengths) * 0.9)]
    if full < DEFAULT_REFLOW_MIN:
        return []
    threshold = full * 0.85
    starts, pos = [], 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    out = []
    last = len(lines) - 1
    for i in range(last):
        st = stripped[i]
        # the line itself first (cheap), then what follows it
        if not st or len(st) < threshold or st.endswith(_NO_JOIN_END) or "|" in lines[i]:
            continue
        if _FILE_NAME_END.search(st, len(st) - 6):
            continue
        j = i + 1
        if j < last and _PAGE_MARKER.fullmatch(lines[j]):
            j += 1  # look past the page marker to the line that continues the text
        nxt = lines[j]
        if "|" not in nxt and stripped[j] and not _LINE_START_NUMBERED.match(nxt):
            out.append((starts[i] + len(lines[i]), starts[j]))
    return out


# Letter-spaced lines: a space between every two Chinese characters (a title spaced out for
# display, text a PDF converter wrote one positioned glyph at a time: "部 门 整 体 支 出"). Such a
# line's spaces between Chinese characters and punctuation are layout, not words, and dropping
# them lets every pattern read it. A line with spaces only between words or cells ("基本支出
# 项目支出", a table flattened with spaces) has far more adjacent pairs than spaced ones, and
# is left as it is.
_HAN_PAIR_SPACED = compile_regex(r"(?<=\p{Han}) (?=\p{Han})")
_HAN_PAIR = compile_regex(r"\p{Han}(?=\p{Han})")
# most lines with a space have no spaced pair: a cheap test first (stdlib re, any two non-ASCII
# characters a space apart: a superset of the pairs of Chinese characters)
_WIDE_PAIR_SPACED = re.compile(r"[^\x00-\x7f] [^\x00-\x7f]")
# on such a line digits are spaced out too ("2 0 2 3 年"): the figure is one
_SPACE_IN_CJK = compile_regex(r"(?<=[\p{Han}、。,:;()《》“”\d.%]) (?=[\p{Han}、。,:;()《》“”\d.%])")
# a line of one spaced-out word or label, a form's cell ("分 值", "年   初"): its spaces go too
_SPACED_WORD = compile_regex(r"[ ]*\p{Han}(?:[ ]+\p{Han}){1,7}[ ]*")
_SPACES = compile_regex(r"(?<=\S)[ ]+(?=\S)")
DEFAULT_MIN_SPACED_PAIRS = 3


def letter_spacing(text: str) -> list[tuple[int, int]]:
    """Spans of the spaces that letter-space a line: one where most pairs of Chinese characters
    stand a space apart (and at least ``DEFAULT_MIN_SPACED_PAIRS`` do) or none stands together
    ("2023年 度", "(万 元)"), or a line that is one spaced-out word."""
    if not _HAN_PAIR_SPACED.search(text) and "  " not in text:
        return []
    out, pos = [], 0
    for line in text.split("\n"):
        if " " in line:
            if _SPACED_WORD.fullmatch(line):
                out += [(pos + m.start(), pos + m.end()) for m in _SPACES.finditer(line)]
            elif _WIDE_PAIR_SPACED.search(line) and (spaced := len(_HAN_PAIR_SPACED.findall(line))):
                adjacent = len(_HAN_PAIR.findall(line))
                if adjacent == 0 or (spaced >= DEFAULT_MIN_SPACED_PAIRS and spaced >= adjacent):
                    out += [(pos + m.start(), pos + m.end()) for m in _SPACE_IN_CJK.finditer(line)]
        pos += len(line) + 1
    return out


# Double-spaced text: a converter that writes every paragraph or table cell followed by an empty
# line. The empty lines then carry no structure (a table's rows, a form's cells, a title's two
# lines are as far apart as two paragraphs), and are dropped so the text reads as single-spaced.
DEFAULT_DOUBLE_SPACED = 0.9  # of the lines with text, the share followed by one empty line
MIN_DOUBLE_SPACED_LINES = 8


def double_spacing(text: str) -> list[tuple[int, int]]:
    """Spans of the empty lines (each with its line break) of a double-spaced text, else []:
    of each two lines with text that follow each other, the share one empty line apart."""
    lines = text.split("\n")
    starts, pos = [], 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    full = [i for i, line in enumerate(lines) if line.strip()]
    pairs = list(zip(full, full[1:], strict=False))
    single = [(a, b) for a, b in pairs if b - a == 2]
    if len(pairs) < MIN_DOUBLE_SPACED_LINES or len(single) < DEFAULT_DOUBLE_SPACED * len(pairs):
        return []
    return [(starts[a + 1], starts[b]) for a, b in single]


# A table copied as tab-separated lines (from a spreadsheet, a Word table pasted as text): its
# tabs part cells as ` | ` does, and become "|" one for one (two tabs: an empty cell between).
# Only in a block of two or more lines that each part cells with a tab, one of them at least
# twice; a lone tab (an indent, "一、<tab>概况", a contents line's page number) stays a space.
_INNER_TABS = compile_regex(r"(?<=\S)\t+(?=\S)")


def tab_cells(original: str, translated: str) -> str:
    """``translated`` with the tabs that part a table's cells turned into "|"."""
    lines, pos, spans = original.split("\n"), 0, []
    for line in lines:
        tabs = [m.span() for m in _INNER_TABS.finditer(line)] if "\t" in line else []
        spans.append([(pos + s, pos + e) for s, e in tabs])
        pos += len(line) + 1
    chars, i = None, 0
    while i < len(lines):
        j = i
        while j < len(lines) and spans[j]:
            j += 1
        if j - i >= 2 and any(sum(e - s for s, e in spans[k]) >= 2 for k in range(i, j)):
            chars = chars if chars is not None else list(translated)
            for k in range(i, j):
                for s, e in spans[k]:
                    chars[s:e] = "|" * (e - s)
        i = max(j, i + 1)
    return "".join(chars) if chars is not None else translated


def _fold_traditional(text: str) -> str:
    convert = _t2s()
    if convert is None or text.isascii():
        return text
    out = convert(text)
    if len(out) == len(text):
        return out
    # A phrase conversion changed the length somewhere: convert line by line and keep only
    # the lines whose length is unchanged, so the offset map stays one to one.
    lines = text.split("\n")
    folded = []
    for line in lines:
        conv = convert(line)
        if len(conv) != len(line):
            conv = "".join(c if len(c) == 1 else ch for ch, c in zip(line, map(convert, line), strict=True))
        folded.append(conv)
    return "\n".join(folded)


# The fields and the rules both fold the document's text; the second fold of the same string
# object is a lookup, not another pass. Identity, not equality: a document read again is folded
# again, and a cached Folded holds its string, so an id is never reused while it is cached.
_RECENT: list[Folded] = []
DEFAULT_RECENT_FOLDS = 2


def fold(text: str) -> Folded:
    for folded in _RECENT:
        if folded.original is text:
            return folded
    folded = Folded(text)
    _RECENT.insert(0, folded)
    del _RECENT[DEFAULT_RECENT_FOLDS:]
    return folded


def fold_name(text: str) -> str:
    """A name as the contract wants it: simplified, full-width folded, no whitespace."""
    t = _fold_traditional(text.translate(_TABLE))
    return "".join(t.split())

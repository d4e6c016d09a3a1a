"""The Document every reader returns: plain text plus blocks that map back to offsets in it."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field


# Not frozen (a frozen dataclass sets every field through object.__setattr__: ~3 µs a Block against
# 0.4 µs, a tenth of a .docx read); hashable and compared by value all the same, and never changed
@dataclass(slots=True, unsafe_hash=True)
class Block:
    """A piece of the document text: ``text[start:end]``.

    kind is one of ``title``, ``heading``, ``paragraph``, ``line``, ``cell``, ``page``.
    Table cells carry their table, row and column index (0-based) and how many rows and grid
    columns a merged cell covers; every block of a paginated format carries its 1-based page.
    """

    kind: str
    start: int
    end: int
    page: int | None = None
    table: int | None = None
    row: int | None = None
    col: int | None = None
    rowspan: int = 1
    colspan: int = 1


@dataclass(slots=True)
class Table:
    """A table as rows of cell blocks: a merged cell appears once, in its first row and column,
    with its ``rowspan`` and ``colspan`` (``extractor.grid`` resolves them into a full grid)."""

    rows: list[list[Block]]
    page: int | None = None


# A lone surrogate is not a character: a damaged PDF's text layer or a decoder can yield one, and
# UTF-8 (the JSON output, OpenCC, the store) cannot encode it. It becomes U+FFFD, one for one, so
# every offset into the text stays where it was.
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")

LINE_MARK_EVERY = 1 << 16  # characters between two marks of Document.line_at


@dataclass(frozen=True, slots=True)
class OcrLine:
    """Text that OCR recognised: ``text[start:end]``, the box it was read from (x0, y0, x1, y1 in
    points from the page's top left; an image's pixels are taken at its dpi, 200 when unstated)
    and the engine's confidence (0-1)."""

    page: int
    start: int
    end: int
    box: tuple[float, float, float, float]
    confidence: float


@dataclass(slots=True)
class Ocr:
    """The pages of a document read by OCR, and every piece of text recognised on them."""

    engine: str
    pages: list[int] = field(default_factory=list)
    lines: list[OcrLine] = field(default_factory=list)

    def at(self, start: int, end: int) -> list[OcrLine]:
        """The recognised pieces that overlap ``text[start:end]``."""
        return [ln for ln in self.lines if ln.start < end and start < ln.end]


@dataclass(slots=True)
class Document:
    """What a reader yields: the text that every span indexes, and its structure.

    Tables are rendered into ``text`` one row per line with cells joined by `` | ``, so
    the same patterns read a Word table, a PDF table and a pipe table pasted from the web;
    the cell blocks still say which cell each slice is.
    """

    text: str
    format: str
    blocks: list[Block] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    pages: int | None = None
    encoding: str | None = None
    path: str | None = None
    sha256: str | None = None
    warnings: list[str] = field(default_factory=list)
    ocr: Ocr | None = None  # set when any page was read by OCR (extractor.readers.ocr)
    _page_starts: list[int] | None = None
    _page_numbers: list[int] | None = None
    _line_marks: LineIndex | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if _LONE_SURROGATE.search(self.text):
            self.text = _LONE_SURROGATE.sub("\ufffd", self.text)

    def page_at(self, offset: int) -> int | None:
        """The 1-based page holding ``offset``, or None for formats without pages."""
        if self.pages is None:
            return None
        if self._page_starts is None:
            pages = sorted((b.start, b.page) for b in self.blocks if b.kind == "page")
            self._page_starts = [s for s, _ in pages]
            self._page_numbers = [p for _, p in pages]
        i = bisect.bisect_right(self._page_starts, offset) - 1
        return self._page_numbers[i] if i >= 0 else (self._page_numbers[0] if self._page_numbers else None)

    def line_at(self, offset: int) -> int:
        """The 1-based line number of ``offset`` in ``text``."""
        if self._line_marks is None:
            self._line_marks = line_index(self.text)
        return self._line_marks(offset)


class LineIndex:
    """1-based line numbers of offsets in a text, counted from the nearest of marks made every
    ``LINE_MARK_EVERY`` characters: a count from the start for every finding made a long
    document's page quadratic."""

    __slots__ = ("text", "marks")

    def __init__(self, text: str):
        self.text, self.marks = text, []
        lines = 0
        for at in range(0, len(text), LINE_MARK_EVERY):
            self.marks.append(lines)
            lines += text.count("\n", at, at + LINE_MARK_EVERY)

    def __call__(self, offset: int) -> int:
        offset = max(offset, 0)
        if not self.marks:
            return 1
        k = min(offset // LINE_MARK_EVERY, len(self.marks) - 1)
        return self.marks[k] + self.text.count("\n", k * LINE_MARK_EVERY, offset) + 1


_RECENT_INDEXES: list[LineIndex] = []


def line_index(text: str) -> LineIndex:
    """The LineIndex of ``text``; the same string object asked again gets the same index."""
    for index in _RECENT_INDEXES:
        if index.text is text:
            return index
    index = LineIndex(text)
    _RECENT_INDEXES.insert(0, index)
    del _RECENT_INDEXES[2:]
    return index

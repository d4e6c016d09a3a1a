"""PDF reader: pdfium's text layer page by page, with ruled tables found by pdfium too.

The text of a page comes from pdfium (``pdf_text``); a page whose paths hold a ruling grid
(``pdf_rulings``) has its tables found from those lines (``pdf_tables``) and its text placed in
their cells by position (``pdf_cells``), and a table cut by a page break is handed over as one
table (``pdf_join``). pdfplumber is the fallback (a
rotated page) and the cross-check (``EXTRACTOR_PDF_TABLES=pdfplumber``: every ruled page).
A page without text that shows an image (a scan) is read by OCR in its place, and a document
whose text layer is missing or unreadable as a whole is read by OCR page by page (``ocr``).
Only public APIs: pypdfium2's helpers and its ``raw`` module (the pdfium C API), pdfplumber's
documented objects.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections import Counter

from extractor.document import Document
from extractor.errors import CorruptFile, EncryptedFile
from extractor.limits import ResourceBudget, current
from extractor.readers._build import TextBuilder
from extractor.readers.ocr import PdfScans
from extractor.readers.pdf_cells import ruled_page
from extractor.readers.pdf_join import PageTable, PageWriter, is_furniture
from extractor.readers.pdf_rulings import MIN_RULING_SEGMENTS, TooManyRulings, page_rulings
from extractor.readers.pdf_tables import FoundTable, find_tables, is_table
from extractor.readers.pdf_text import UNMAPPED_SAMPLE, TextPage, page_lines, page_text, page_texts, unmapped_share

# Where ruled tables are read: "pdfium" (the default) or "pdfplumber" (the cross-check).
TABLES_ENV = "EXTRACTOR_PDF_TABLES"
TABLE_FINDERS = ("pdfium", "pdfplumber")
# pdfplumber's pdfminer parses a page in Python: past this many page objects a ruled page is read
# as lines when pdfplumber would have to read it (with a warning).
MAX_TABLE_PAGE_OBJECTS = 20_000
# Slack in points when deciding that a line of text lies inside a table's box.
TABLE_SLACK = 2.0
# More than this share of unreadable characters (unmapped glyphs, "(cid:NN)") means the text
# layer is garbage and the file needs OCR.
MAX_GARBAGE_SHARE = 0.5
GARBAGE_SAMPLE = 50_000
# Pages whose characters are asked whether pdfium found their Unicode (see unmapped_share): this
# many at most, spread evenly over the document (every page of a shorter one); each character
# asked costs a call into pdfium, and a font without a map shows on any page.
UNMAPPED_PAGES = 16
# pdfium error codes (fpdfview.h) for FPDF_LoadDocument.
_ERR_FORMAT, _ERR_PASSWORD, _ERR_SECURITY = 3, 4, 5
_LATIN1_OK = set("·×÷°±§²³µ¼½¾")


def _check_complete(data: bytes, name: str) -> None:
    # pdfium rebuilds a damaged cross-reference table and would silently read a truncated file
    # as far as it goes; a PDF always ends with %%EOF (trailing junk after it is tolerated).
    if b"%%EOF" not in data[-4096:]:
        raise CorruptFile(name or None, "truncated PDF (no %%EOF marker at the end)")


def _load_error(err, name: str):
    code = getattr(err, "err_code", None)
    if code in (_ERR_PASSWORD, _ERR_SECURITY):
        return EncryptedFile(name or None, "encrypted PDF")
    if code == _ERR_FORMAT:
        return CorruptFile(name or None, "corrupt PDF (cannot parse its structure)")
    return CorruptFile(name or None, f"corrupt PDF ({err})")


def has_ruling(page) -> bool:
    """Whether a pypdfium2 PdfPage has enough ruling segments to be searched for tables."""
    import pypdfium2.raw as pdfium_c

    try:
        return page_rulings(pdfium_c, page.raw)[1].segments >= MIN_RULING_SEGMENTS
    except TooManyRulings:
        return True


def table_finder(tables: str | None = None) -> str:
    finder = tables or os.environ.get(TABLES_ENV) or "pdfium"
    if finder not in TABLE_FINDERS:
        raise ValueError(f"{TABLES_ENV} must be one of {', '.join(TABLE_FINDERS)}, not {finder!r}")
    return finder


class _Reader:
    """One PDF's pages read into a TextBuilder."""

    def __init__(self, data: bytes, pdf, budget: ResourceBudget, finder: str) -> None:
        import pypdfium2.raw as pdfium_c

        self.data, self.pdf, self.budget, self.finder = data, pdf, budget, finder
        self.c = pdfium_c
        self.builder = TextBuilder(budget)
        self.writer = PageWriter(self.builder)
        self.warnings: list[str] = []
        self.plumber = None  # opened on the first page that needs it; False when it cannot be
        self.unmapped = self.asked = 0

    def unmapped_open(self, pages_left: int) -> bool:
        """Whether the unmapped share could still end over MAX_GARBAGE_SHARE if the sampled
        pages left (this one among them) were all unmapped: each asks UNMAPPED_SAMPLE
        characters at most (unmapped_share). Once it cannot, no page is asked."""
        most = pages_left * UNMAPPED_SAMPLE
        return MAX_GARBAGE_SHARE * self.asked - self.unmapped < (1 - MAX_GARBAGE_SHARE) * most

    def close(self) -> None:
        if self.plumber:
            self.plumber.close()

    def page(self, index: int, sample_unmapped: bool) -> bool:
        """Read page ``index``; whether it is blank."""
        page = self.pdf[index]
        textpage = page.get_textpage()
        try:
            text = TextPage(textpage, self.c)
            raw = page_text(text, self.c)
            if sample_unmapped:
                bad, seen = unmapped_share(text, self.c, raw)
                self.unmapped, self.asked = self.unmapped + bad, self.asked + seen
            tables, to_space = self._tables(index, page)
            if tables and to_space is _down:  # pdfium's tables: the page's text sorted into cells and lines
                items = ruled_page(text, self.c, raw, tables)
                blank = not raw.strip()
            elif tables:  # pdfplumber's: a table replaces the lines inside its box
                lines = page_lines(text, self.c, raw)
                items = _place(lines, tables, text, to_space)
                blank = not any(ln.text.strip() for ln in lines)
            else:
                texts = page_texts(text, raw)
                if texts is None:
                    texts = [ln.text for ln in page_lines(text, self.c, raw)]
                items = [t for t in texts if t.strip()]
                blank = not items
            self.writer.page(index + 1, items)
            return blank
        finally:
            textpage.close()
            page.close()

    def _tables(self, index: int, page):
        """(the page's tables, the map from a pdfium point into their space)."""
        number = index + 1
        try:
            objects, rulings = page_rulings(self.c, page.raw)
            if rulings.segments < MIN_RULING_SEGMENTS:
                return [], None
            found = [t for t in find_tables(rulings) if is_table(t)]
        except TooManyRulings as err:
            self.warnings.append(f"page {number}: table detection skipped ({err}): read as lines")
            return [], None
        if not found:
            return [], None
        if self.finder == "pdfplumber" or page.get_rotation() != 0:
            if objects > MAX_TABLE_PAGE_OBJECTS:
                self.warnings.append(
                    f"page {number}: table detection skipped ({objects} page objects, "
                    f"limit {MAX_TABLE_PAGE_OBJECTS}): read as lines"
                )
                return [], None
            return self._plumber_tables(index)
        return found, _down

    def _plumber_tables(self, index: int):
        from extractor.readers.pdf_plumber import open_plumber, plumber_tables

        if self.plumber is None:
            self.plumber = open_plumber(self.data, self.warnings) or False
        if not self.plumber:
            return [], None
        tables, frame = plumber_tables(self.plumber, index, self.warnings)
        return (tables, frame.to_plumber) if frame is not None else ([], None)


def _down(x: float, y: float) -> tuple[float, float]:
    return x, -y


def _place(lines, tables: list[FoundTable], text: TextPage, to_space) -> list:
    """The page's items in reading order: its lines, a table's rows in place of the lines inside
    its box (a table that holds no line comes after the page's text); each table knows whether
    a line other than page furniture stands above it or below it."""
    items: list = []
    placed: dict[int, PageTable] = {}
    middles: list[float] = []  # of the lines outside the tables, furniture aside
    for ln in lines:
        k, middle = _line_table(ln, text, to_space, tables)
        if k is None:
            if ln.text.strip():
                items.append(ln.text)
                if not is_furniture(ln.text):
                    middles.append(middle)
        elif k not in placed:
            placed[k] = _page_table(tables[k])
            items.append(placed[k])
    for k, table in enumerate(tables):
        if k not in placed:
            placed[k] = _page_table(table)
            items.append(placed[k])
    for k, table in placed.items():
        top, bottom = tables[k].bbox[1], tables[k].bbox[3]
        table.opens = not any(m < top for m in middles)
        table.closes = not any(m > bottom for m in middles)
    return items


def _page_table(table: FoundTable) -> PageTable:
    return PageTable(table.rows_of_cells(), (*table.columns, table.bbox[2]))


def _line_table(line, text: TextPage, to_space, tables: list[FoundTable]) -> tuple[int | None, float]:
    """(the table whose box holds this line or None, the line's vertical middle): judged by its
    first and last characters."""
    corners = []
    for index in (line.first, line.last):
        left, bottom, right, top = text.get_charbox(index)
        corners += [to_space(left, bottom), to_space(right, top)]
    xs, tops = [c[0] for c in corners], [c[1] for c in corners]
    left, right, middle = min(xs), max(xs), (min(tops) + max(tops)) / 2
    for k, table in enumerate(tables):
        x0, top, x1, bottom = table.bbox
        if (
            x0 - TABLE_SLACK <= left
            and right <= x1 + TABLE_SLACK
            and top - TABLE_SLACK <= middle <= bottom + TABLE_SLACK
        ):
            return k, middle
    return None, middle


# Distinct characters of a sample whose occurrences are counted one by one (str.count, a pass of
# the sample each); past this many, one Counter pass over the sample.
_COUNT_EACH = 16


def _is_garbage(ch: str) -> bool:
    # Fonts without a Unicode map come out as control, private-use or Latin-1 accented
    # characters (the raw glyph codes); a Chinese report has almost none of those.
    return (
        ch == "\ufffd"
        or ("\x80" <= ch <= "\xff" and ch not in _LATIN1_OK)
        or unicodedata.category(ch) in ("Cc", "Co", "Cn")
    )


# Characters that are never garbage (printable ASCII, whitespace, CJK punctuation, the unified
# ideographs, all assigned since Unicode 14 (Python 3.11's), and full-width forms), left out
# before the distinct characters are collected: set() makes an object of every other one.
_NEVER_GARBAGE = re.compile(r"[\x21-\x7e\s\u3000-\u303f\u4e00-\u9fff\uff01-\uff5e]+")


def _garbage_share(builder_text: str) -> float:
    sample = builder_text[:GARBAGE_SAMPLE]
    # Each distinct character judged once; the visible ones counted by splitting at whitespace
    # (str.split and str.isspace know the same whitespace).
    visible = sum(map(len, sample.split()))
    if not visible:
        return 1.0
    bad_chars = [ch for ch in set(_NEVER_GARBAGE.sub("", sample)) if not ch.isspace() and _is_garbage(ch)]
    if len(bad_chars) <= _COUNT_EACH:
        bad = sum(sample.count(ch) for ch in bad_chars)
    else:
        counts = Counter(sample)
        bad = sum(counts[ch] for ch in bad_chars)
    bad += sample.count("(cid:") * len("(cid:00)")
    return bad / visible


def _scanned(reader: _Reader, scans: PdfScans, index: int) -> bool:
    """OCR a page found without text in its place (the writer has flushed any table held open
    before it); whether text was found."""
    builder = reader.builder
    mark = builder.mark
    if not scans.page(builder, index):
        return False
    start, end = builder.span_since(mark)
    reader.writer.written(index + 1, start, end)
    return True


def read_pdf(
    data: bytes, name: str = "", *, budget: ResourceBudget | None = None, tables: str | None = None
) -> Document:
    """The PDF's Document. ``tables``: "pdfium" or "pdfplumber" (default: $EXTRACTOR_PDF_TABLES,
    else pdfium)."""
    budget = budget or current().budget(name)
    finder = table_finder(tables)
    _check_complete(data, name)
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as err:
        raise _load_error(err, name) from None
    reader = _Reader(data, pdf, budget, finder)
    try:
        count = len(pdf)
        if count == 0:
            raise CorruptFile(name or None, "PDF has no pages")
        budget.check_size("max_pages", count, "PDF has {} pages")
        empty: list[int] = []
        unmapped_every = -(-count // UNMAPPED_PAGES)
        scans = PdfScans(pdf, name, budget, count)  # OCR of pages without a text layer (readers.ocr)
        for index in range(count):
            budget.check(f"page {index + 1} of {count}")
            try:
                sampled = index % unmapped_every == 0
                if sampled:
                    sampled = reader.unmapped_open(len(range(index, count, unmapped_every)))
                blank = reader.page(index, sampled)
            except pdfium.PdfiumError as err:
                raise CorruptFile(name or None, f"corrupt PDF (page {index + 1} cannot be loaded: {err})") from None
            if blank and not _scanned(reader, scans, index):
                empty.append(index + 1)
        reader.writer.finish(count)
        text = reader.builder.text()
        warnings = reader.warnings
        if (
            not text.strip()
            or _garbage_share(text) > MAX_GARBAGE_SHARE
            or reader.unmapped > MAX_GARBAGE_SHARE * max(reader.asked, 1)
        ):
            return scans.document(warnings)  # every page by OCR, or NoTextLayer
        if empty:
            warnings.append(
                f"no text layer on page(s) {', '.join(map(str, empty))}: scanned pages need OCR{scans.hint}"
            )
        return scans.attach(reader.builder.build("pdf", pages=count, warnings=warnings))
    finally:
        reader.close()
        pdf.close()

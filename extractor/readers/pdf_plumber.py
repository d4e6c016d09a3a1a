"""pdfplumber's table finder as a cross-check and a fallback of the PDF reader (public API only).

The reader finds ruled tables with pdfium (``pdf_tables``); pdfplumber reads them instead on a
page pdfium's finder does not handle (a rotated page) and on every ruled page when asked
(``EXTRACTOR_PDF_TABLES=pdfplumber``, or ``read_pdf(..., tables="pdfplumber")``), which is how
the tests compare the two. pdfminer parses the page in Python (~40 ms a ruled page), so this is
never the default. Only pdfplumber's documented objects are used: ``page.dedupe_chars()``,
``page.find_tables()``, a table's ``cells``, ``rows`` and ``extract()``; the page's size and
rotation come from ``page.page_obj`` (pdfminer's PDFPage) and ``page.rotation``.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

from extractor.readers.pdf_tables import FoundTable, clean_cell, is_table


def _quiet_pdfminer() -> None:
    """pdfminer logs warnings about damaged streams; with no handler set up by the application,
    Python would print them to stderr, around the one line the CLI prints for a file."""
    logger = logging.getLogger("pdfminer")
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())


def open_plumber(data: bytes, warnings: list[str]):
    """A pdfplumber PDF of the bytes, or None (with a warning) when pdfminer cannot parse them."""
    import pdfplumber

    _quiet_pdfminer()
    try:
        return pdfplumber.open(io.BytesIO(data))
    except Exception as err:  # pdfminer cannot parse what pdfium could: no tables
        warnings.append(f"table detection failed ({type(err).__name__}): pages read as lines")
        return None


@dataclass
class Frame:
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


def plumber_tables(plumber, index: int, warnings: list[str]) -> tuple[list[FoundTable], Frame | None]:
    """The page's tables as pdfplumber reads them (cells and texts in pdfplumber's page space)
    and the frame that maps pdfium points into that space; ([], None) when it fails."""
    try:
        page = plumber.pages[index]
    except Exception as err:  # pdfminer may fail on a page pdfium could read
        warnings.append(f"page {index + 1}: table detection failed ({type(err).__name__})")
        return [], None
    try:
        found = []
        # chars deduplicated: fake bold draws them twice
        for table in page.dedupe_chars().find_tables():
            cells = sorted(tuple(map(float, c)) for c in table.cells)
            candidate = FoundTable(
                tuple(map(float, table.bbox)), sorted({c[0] for c in cells}), sorted({c[1] for c in cells}), cells
            )
            if not is_table(candidate):
                continue
            for row, texts in zip(table.rows, table.extract(x_tolerance=3, y_tolerance=3), strict=False):
                for bbox, text in zip(row.cells, texts, strict=False):
                    if bbox is not None:
                        candidate.texts[tuple(map(float, bbox))] = clean_cell(text)
            found.append(candidate)
        mediabox = tuple(float(v) for v in page.page_obj.mediabox)
        frame = Frame(page.rotation, mediabox, float(page.height), (float(page.mediabox[0]), float(page.mediabox[1])))
        return found, frame
    except Exception as err:
        warnings.append(f"page {index + 1}: table detection failed ({type(err).__name__})")
        return [], None
    finally:
        page.close()

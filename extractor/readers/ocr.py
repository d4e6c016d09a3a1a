"""OCR of scanned pages (image files, PDF pages without a usable text layer), offline.

The engine is RapidOCR on onnxruntime (the optional extra ``[ocr]``): its wheel carries the
PP-OCRv4 Chinese detection and recognition models, so nothing is downloaded at run time. Each
recognised line becomes a piece of text placed by its box; ruling lines found in the image
(OpenCV, which the engine brings) rebuild the tables they frame, so the fields read a scanned
table as they read a Word table (``_layout``). Every piece keeps its box (in points, y down) and
the engine's confidence in ``Document.ocr``.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import multiprocessing
import sys
import time
from importlib import metadata

from extractor.document import Block, Document, Ocr, OcrLine
from extractor.errors import CorruptFile, NoTextLayer, ReadError
from extractor.limits import ResourceBudget, current
from extractor.readers._build import TextBuilder
from extractor.readers._layout import Piece, Rule, emit_page

EXTRA = "pip install 'gov-perf-extractor[ocr]'"
ENGINE_PACKAGE = "rapidocr-onnxruntime"
# PDF pages are rendered at this many pixels per point (144 dpi): the recognition model reads
# a line at 48 pixels high whatever the scan's resolution, and detection costs per pixel.
DEFAULT_SCALE = 2.0
# Pixels darker than this are ink, when looking for ruling lines.
INK_LEVEL = 160
# A ruling line is at least this share of the page's width (or height) long, and at most this
# many points thick.
MIN_RULE_SHARE = 1 / 40
MAX_RULE_POINTS = 4.0
# Ruling lines this many points apart are one line (scans are not perfectly straight).
TOLERANCE_POINTS = 3.0

_engine = None


def _missing(name: str, what: str) -> NoTextLayer:
    """The one line for a scan when the engine is not installed: it names the extra."""
    return NoTextLayer(name or None, f"{what}: needs OCR, which is not installed ({EXTRA})")


def engine_name() -> str:
    try:
        return f"{ENGINE_PACKAGE} {metadata.version(ENGINE_PACKAGE)} (PP-OCRv4)"
    except metadata.PackageNotFoundError:
        return ENGINE_PACKAGE


def available() -> bool:
    """Whether the engine is installed (asked without importing it: that takes seconds)."""
    from importlib.util import find_spec

    return all(find_spec(module) is not None for module in ("rapidocr_onnxruntime", "cv2"))


def _load_engine(name: str, what: str):
    """The recogniser, built once per process. One inference thread in a worker process
    (ingest runs one worker per core), the library's default otherwise."""
    global _engine
    if _engine is None:
        try:
            from rapidocr_onnxruntime import RapidOCR
        except ImportError:
            raise _missing(name, what) from None
        threads = {"intra_op_num_threads": 1, "inter_op_num_threads": 1} if multiprocessing.parent_process() else {}
        try:
            with _quiet():
                _engine = RapidOCR(**threads)
        except Exception as err:  # onnxruntime could not load the models (memory, a broken install)
            raise _engine_error(err, name) from None
    return _engine


# How onnxruntime says that an allocation failed (past the memory cap): a C++ bad_alloc, a
# failed arena allocation, or a thread it could not start (pthread_create's ENOMEM).
_NO_MEMORY = ("bad_alloc", "Failed to allocate", "Cannot allocate memory")


def _quiet():
    """onnxruntime prints to stdout when it falls back to another provider (an "EP Error"
    banner): the CLI's stdout is the JSON, so what it prints there is dropped."""
    return contextlib.redirect_stdout(io.StringIO())


def _engine_error(err: Exception, name: str) -> Exception:
    """What an exception from the engine means: onnxruntime reports an allocation past the memory
    cap as a RuntimeException, which RapidOCR wraps with a whole traceback as its message; that is
    MemoryError (read_bytes says so in one line), anything else one line naming the engine's error."""
    cause = err.__cause__ or err
    text = str(cause)
    if isinstance(cause, MemoryError) or any(marker in text for marker in _NO_MEMORY):
        return MemoryError()
    detail = (text.strip().splitlines() or [""])[-1][:200]
    return ReadError(name or None, f"OCR engine failed: {type(cause).__name__}: {detail}".rstrip(": "))


def recognise(image, name: str = "", what: str = "a scanned page") -> list[Piece]:
    """Text lines on an image (a numpy array, gray or BGR) as pieces in pixel coordinates."""
    ocr = _load_engine(name, what)
    # The direction classifier is off: scans are upright, and it turns some lines upside down.
    try:
        with _quiet():
            result, _ = ocr(image, use_cls=False)
    except Exception as err:
        raise _engine_error(err, name) from None
    pieces = []
    for box, text, score in result or ():
        xs, ys = [p[0] for p in box], [p[1] for p in box]
        if text and text.strip():
            pieces.append(Piece(min(xs), min(ys), max(xs), max(ys), text.strip(), round(float(score), 4)))
    return pieces


def ruling_lines(gray, unit: float) -> list[Rule]:
    """Horizontal and vertical lines drawn on a page image (pixel coordinates): runs of ink at
    least MIN_RULE_SHARE of the page long, at most MAX_RULE_POINTS thick."""
    import cv2
    import numpy as np

    ink = np.where(gray < INK_LEVEL, 255, 0).astype(np.uint8)
    h, w = ink.shape[:2]
    thick = MAX_RULE_POINTS * unit
    rules: list[Rule] = []
    for horizontal, size in (
        (True, (max(20, int(w * MIN_RULE_SHARE)), 1)),
        (False, (1, max(20, int(h * MIN_RULE_SHARE)))),
    ):
        kernel = cv2.getStructuringElement(cv2.MORPH_RECT, size)
        lines = cv2.morphologyEx(ink, cv2.MORPH_OPEN, kernel)
        count, _, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
        for x, y, bw, bh, _area in stats[1:count]:
            if horizontal and bw >= size[0] and bh <= thick + bw * 0.02:
                rules.append(Rule(True, y + bh / 2, float(x), float(x + bw)))
            elif not horizontal and bh >= size[1] and bw <= thick + bh * 0.02:
                rules.append(Rule(False, x + bw / 2, float(y), float(y + bh)))
    return rules


def _gray(image):
    import cv2

    return image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)


class Session:
    """OCR of the pages of one document: the limits, the progress line, what was recognised."""

    def __init__(self, name: str, budget: ResourceBudget, total: int) -> None:
        self.name, self.budget, self.total = name, budget, total
        self.ocr = Ocr(engine_name())
        self.done: dict[int, tuple[list[Piece], list[Rule]]] = {}
        self.show = _on_terminal()

    def recognise_page(self, image, number: int, unit: float) -> tuple[list[Piece], list[Rule]]:
        """Pieces and ruling lines of one page image, in page units (pixels / ``unit``)."""
        if number in self.done:
            return self.done[number]
        self.budget.check_size("max_ocr_pages", len(self.done) + 1, "document needs OCR on {} pages")
        self.budget.check(f"OCR of page {number} of {self.total}")
        started = time.monotonic()
        pieces = recognise(image, self.name)
        rules = ruling_lines(_gray(image), unit)
        for p in pieces:
            p.x0, p.y0, p.x1, p.y1 = p.x0 / unit, p.y0 / unit, p.x1 / unit, p.y1 / unit
        for r in rules:
            r.at, r.lo, r.hi = r.at / unit, r.lo / unit, r.hi / unit
        self.done[number] = (pieces, rules)
        if self.show:
            print(
                f"识别扫描页 {number}/{self.total}：{self.name}（{time.monotonic() - started:.1f} 秒，"
                f"{len(pieces)} 行）",
                file=sys.stderr,
                flush=True,
            )
        return pieces, rules

    def emit(self, builder: TextBuilder, image, number: int, unit: float) -> bool:
        """Recognise a page and write it; False when no text was found on it."""
        pieces, rules = self.recognise_page(image, number, unit)
        placed = emit_page(builder, pieces, rules, number, TOLERANCE_POINTS)
        self.ocr.pages.append(number)
        self.ocr.lines += [
            OcrLine(number, start, end, (p.x0, p.y0, p.x1, p.y1), p.confidence or 0.0) for p, start, end in placed
        ]
        return bool(placed)

    def attach(self, document: Document) -> Document:
        self.ocr.lines.sort(key=lambda ln: ln.start)
        document.ocr = self.ocr
        return document


def _on_terminal() -> bool:
    """A progress line per page goes to a terminal, from the main process only (ingest's
    workers stay quiet under its progress bar)."""
    try:
        return sys.stderr.isatty() and multiprocessing.parent_process() is None
    except (AttributeError, ValueError):
        return False


# ---- image files ---------------------------------------------------------------------------------


# An image that does not say its resolution is taken as a scan at this many dots per inch.
DEFAULT_DPI = 200


def _unit(image) -> float:
    """Pixels per point of an image: its dpi / 72 (DEFAULT_DPI when it does not say, or says nonsense)."""
    try:
        dpi = float((image.info.get("dpi") or (DEFAULT_DPI,))[0])
    except (TypeError, ValueError, IndexError):
        dpi = DEFAULT_DPI
    return (dpi if 50 <= dpi <= 1200 else DEFAULT_DPI) / 72


def _open_image(data: bytes, name: str, budget: ResourceBudget):
    """The image (only its header read) and how many pages it has, within the limits."""
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        width, height = image.size
        pages = getattr(image, "n_frames", 1)
    except Image.DecompressionBombError:  # Pillow's own bound (twice its MAX_IMAGE_PIXELS), passed
        raise budget.exceeded(
            "max_image_pixels", f"image has over {2 * (Image.MAX_IMAGE_PIXELS or 0):,} pixels"
        ) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as err:
        raise _unreadable(name, err) from None
    budget.check_size("max_pages", pages, "image has {} pages")
    budget.check_size("max_image_pixels", width * height, "image has {} pixels")
    return image, pages


def _unreadable(name: str, err: Exception) -> CorruptFile:
    return CorruptFile(name or None, f"not a readable image ({str(err).splitlines()[0] if str(err) else 'corrupt'})")


def _frames(image, name: str, budget: ResourceBudget):
    """Each page of the image, decoded when it is reached: (gray numpy array, pixels per point).
    Transparent pixels are white paper, not black."""
    import numpy as np
    from PIL import Image, ImageOps, ImageSequence

    for frame in ImageSequence.Iterator(image):
        budget.check_size("max_image_pixels", frame.size[0] * frame.size[1], "image page has {} pixels")
        try:
            unit = _unit(frame)
            page = ImageOps.exif_transpose(frame)
            if page.mode in ("RGBA", "LA", "PA") or "transparency" in page.info:
                paper = Image.new("RGBA", page.size, "white")
                page = Image.alpha_composite(paper, page.convert("RGBA"))
            yield np.asarray(page.convert("L")), unit
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as err:
            raise _unreadable(name, err) from None


def read_image(data: bytes, name: str = "", *, budget: ResourceBudget | None = None) -> Document:
    """A scanned page saved as .png, .jpg or .tif (each page of a TIFF a page), read by OCR."""
    budget = budget or current().budget(name)
    image, pages = _open_image(data, name, budget)
    frames = _frames(image, name, budget)
    first = next(frames, None)  # decoded before the engine is asked for: a broken file says so
    if first is None:
        raise CorruptFile(name or None, "not a readable image (no page)")
    if not available():
        raise _missing(name, "an image of a page")
    session = Session(name, budget, pages)
    builder = TextBuilder(budget)
    for index, (gray, unit) in enumerate(itertools.chain([first], frames)):
        mark = builder.mark
        session.emit(builder, gray, index + 1, unit)
        start, end = builder.span_since(mark)
        builder.add_block(Block("page", start, end, page=index + 1))
    if not builder.text().strip():
        raise NoTextLayer(name or None, "OCR recognised no text in the image")
    return session.attach(builder.build("image", pages=index + 1))


# ---- PDF pages -----------------------------------------------------------------------------------


def render(pdf, index: int, budget: ResourceBudget):
    """A PDF page as a gray image and its pixels per point (less than DEFAULT_SCALE on a page so
    big that the image would pass the pixel limit)."""
    page = pdf[index]
    try:
        width, height = page.get_size()
        limit = budget.limits.max_image_pixels
        scale = min(DEFAULT_SCALE, (limit / max(width * height, 1.0)) ** 0.5)
        image = page.render(scale=scale, grayscale=True).to_numpy()
    finally:
        page.close()
    return (image if image.ndim == 2 else image[:, :, 0]), scale


def has_image(pdf, index: int) -> bool:
    """Whether page ``index`` shows an image (a scan), directly or inside a form."""
    import pypdfium2.raw as pdfium_c

    page = pdf[index]
    try:
        return next(page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=4), None) is not None
    finally:
        page.close()


class PdfScans:
    """The OCR of a PDF's pages that have no usable text layer, for readers.pdf: a page with no
    text that shows an image is recognised in its place; a document whose text layer is missing
    or unreadable as a whole is recognised page by page."""

    def __init__(self, pdf, name: str, budget: ResourceBudget, count: int) -> None:
        self.pdf, self.name, self.budget, self.count = pdf, name, budget, count
        self._session: Session | None = None

    @property
    def hint(self) -> str:
        return "" if available() else f" ({EXTRA})"

    def _open(self) -> Session | None:
        if self._session is None and available():
            self._session = Session(self.name, self.budget, self.count)
        return self._session

    def _emit(self, session: Session, builder: TextBuilder, index: int) -> bool:
        image, scale = render(self.pdf, index, self.budget)
        return session.emit(builder, image, index + 1, scale)

    def page(self, builder: TextBuilder, index: int) -> bool:
        """Recognise page ``index`` (0-based, found without text) into the builder if it shows an
        image; True when text was found."""
        if not has_image(self.pdf, index):
            return False
        session = self._open()
        return session is not None and self._emit(session, builder, index)

    def document(self, warnings: list[str]) -> Document:
        """Every page by OCR (pages recognised already are not recognised again)."""
        session = self._open()
        if session is None:
            raise _missing(self.name, "no text layer (scanned or unmapped fonts)")
        self.budget.check_size("max_ocr_pages", self.count, "document needs OCR on {} pages")
        builder = TextBuilder(self.budget)
        session.ocr = Ocr(session.ocr.engine)
        for index in range(self.count):
            mark = builder.mark
            self._emit(session, builder, index)
            start, end = builder.span_since(mark)
            builder.add_block(Block("page", start, end, page=index + 1))
        if not builder.text().strip():
            raise NoTextLayer(
                self.name or None, "no text layer (scanned or unmapped fonts), and OCR recognised no text"
            )
        return session.attach(builder.build("pdf", pages=self.count, warnings=warnings))

    def attach(self, document: Document) -> Document:
        """The document with the pages recognised on the way (if any) recorded."""
        if self._session is not None and self._session.ocr.pages:
            self._session.attach(document)
        return document

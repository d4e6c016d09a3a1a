"""The one path for the data: file -> Document -> Report -> Findings, under one time budget.

Reading, fields and rules of one document share ``extractor.limits.document()``: a document
past ``--time-budget`` / ``EXTRACTOR_MAX_SECONDS`` ends in ``LimitExceeded`` whichever stage it
is at, and so does one that runs out of memory (``--max-memory``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import limits
from .document import Document, Ocr
from .fields import extract_report
from .model import Finding, OcrPage, OcrSource, Report, Source


@dataclass
class Extraction:
    document: Document
    report: Report
    findings: list[Finding] = field(default_factory=list)

    @property
    def source(self) -> Source:
        d = self.document
        return Source(
            path=d.path or "",
            sha256=d.sha256 or "",
            format=d.format,
            pages=d.pages,
            chars=len(d.text),
            encoding=d.encoding,
            ocr=ocr_source(d.ocr),
        )

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]


def _mean_confidence(lines) -> float | None:
    """The engine's confidence over the recognised text, weighted by each piece's characters."""
    weight = sum(max(ln.end - ln.start, 1) for ln in lines)
    if not weight:
        return None
    return round(sum(ln.confidence * max(ln.end - ln.start, 1) for ln in lines) / weight, 3)


def ocr_source(ocr: Ocr | None) -> OcrSource | None:
    """What the record says about OCR: the pages read by it, and the engine's confidence."""
    if ocr is None:
        return None
    pages = [
        OcrPage(
            page=p,
            lines=sum(1 for ln in ocr.lines if ln.page == p),
            confidence=_mean_confidence([ln for ln in ocr.lines if ln.page == p]),
        )
        for p in ocr.pages
    ]
    return OcrSource(engine=ocr.engine, pages=pages, confidence=_mean_confidence(ocr.lines))


def read(path: str | Path) -> Document:
    """Read any supported file into a Document (raises a ReadError subclass on bad input)."""
    from .readers import read as _read

    with _guarded(str(path)):
        return _read(str(path))


@contextmanager
def _guarded(name: str | None) -> Iterator[limits.ResourceBudget]:
    """One budget for the block, and MemoryError as the one-line LimitExceeded."""
    try:
        with limits.document(name) as budget:
            yield budget
    except MemoryError:
        raise limits.out_of_memory(name) from None


def _extract(document: Document, budget: limits.ResourceBudget, verify: bool, select, ignore) -> Extraction:
    budget.stage = "extracting the fields"
    report = extract_report(document)
    findings: list[Finding] = []
    if verify:
        from .rules import run_rules

        budget.stage = "checking the rules"
        findings = run_rules(report, document, select=select, ignore=ignore)
    return Extraction(document, report, findings)


def extract_document(document: Document, *, verify: bool = True, select=(), ignore=()) -> Extraction:
    """Extract (and verify) a Document already read; within a caller's ``limits.document()``
    block it shares that budget, else it gets one of its own."""
    with _guarded(document.path) as budget:
        return _extract(document, budget, verify, select, ignore)


def extract(path: str | Path, *, verify: bool = True, select=(), ignore=()) -> Extraction:
    """Read, extract and verify one file, all within one time budget."""
    from .readers import read as _read

    with _guarded(str(path)) as budget:
        return _extract(_read(str(path)), budget, verify, select, ignore)


def extract_bytes(
    data: bytes, *, name: str = "", path: str | None = None, verify: bool = True, select=(), ignore=()
) -> Extraction:
    """Read, extract and verify a file's bytes already in memory (ingest's workers, stdin), all
    within one time budget; ``name`` labels errors, ``path`` is recorded on the Document."""
    from .readers import read_bytes

    with _guarded(name or path) as budget:
        return _extract(read_bytes(data, name=name, path=path), budget, verify, select, ignore)


def extract_text(text: str, *, verify: bool = True, path: str = "<text>") -> Extraction:
    """Extract from text already in memory (tests, other tools)."""
    import hashlib

    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    doc = Document(text=text, format="txt", path=path, sha256=digest, encoding=None)
    return extract_document(doc, verify=verify)

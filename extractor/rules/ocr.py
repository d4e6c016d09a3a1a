"""OCR rules: figures read from scanned pages that the recognition engine was unsure of."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from decimal import Decimal

from ..model import Grounded
from .registry import Context, rule

# Below this confidence a recognised figure is worth a look at the page: on clean scans the
# engine gives 0.97-1.0; a smudged digit, a stamp over a figure or a faint copy gives less.
DEFAULT_MIN_CONFIDENCE = 0.9


def figures(node, path: str = "report") -> Iterator[tuple[str, Grounded]]:
    """Every grounded number of a record (not the alternatives kept in ``candidates``), with its path."""
    if isinstance(node, Grounded):
        if isinstance(node.value, Decimal | int) and not isinstance(node.value, bool):
            yield path, node
        return
    if isinstance(node, list):
        for i, item in enumerate(node):
            yield from figures(item, f"{path}[{i}]")
        return
    if dataclasses.is_dataclass(node):
        for f in dataclasses.fields(node):
            if f.name != "candidates":
                yield from figures(getattr(node, f.name), f"{path}.{f.name}")


@rule(code="OCR001", name="low-confidence-ocr-figure", severity="info")
def low_confidence_ocr_figure(ctx: Context):
    """A figure was read by OCR with low confidence.

    What it checks
    For every figure of the record whose text was recognised on a scanned page
    (``source.ocr``), the recognition engine's confidence in the piece of text that holds it.
    Below 0.9 the figure is reported, with its page and the confidence, so that it is compared
    with the original before it is relied on.

    Why it matters
    OCR misreads a smudged 8 as 3 or drops a decimal point without saying so; the sum rules may
    then fire on the scan rather than on the report, or a wrong figure may pass unnoticed.

    Example
    A stamp over ``本年支出合计1,626.58`` on page 3 of a scan: the figure's line was recognised
    with confidence 0.72.
    """
    document = ctx.document
    if document is None or document.ocr is None or not document.ocr.lines:
        return
    for path, g in figures(ctx.report):
        lines = document.ocr.at(*g.span)
        if not lines:
            continue
        worst = min(lines, key=lambda ln: ln.confidence)
        if worst.confidence < DEFAULT_MIN_CONFIDENCE:
            yield ctx.finding(
                f"第{worst.page}页的“{g.raw}”由文字识别（OCR）读出，识别置信度{worst.confidence:.2f}"
                f"（低于{DEFAULT_MIN_CONFIDENCE}），请对照原件核对。",
                fields=[path], spans=[g.span], found=g.raw)

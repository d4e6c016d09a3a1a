"""OCR rules: figures read from scanned pages that the recognition engine was unsure of."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from decimal import Decimal

from ..display import path_name
from ..i18n import _
from ..model import Grounded
from .registry import RuleContext, rule

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
def low_confidence_ocr_figure(ctx: RuleContext):
    """文字识别（OCR）读出的数字置信度低。

    检查内容
    记录中每个在扫描页上由文字识别读出的数字（``source.ocr`` 列出识别的页），看识别引擎对含有它
    的那段文字的置信度。低于0.9的予以列出，注明页码和置信度，请在采用前对照原件。这条规则读的是
    文档的识别结果（``Document.ocr``），不是数字之间的关系：没有扫描页的报告不会触发。

    为何重要
    文字识别会把污损的8读成3、漏掉小数点，而不作任何提示；求和类规则可能因扫描件而不是报告本身
    报错，错读的数字也可能不被察觉。

    示例
    扫描件第3页 ``本年支出合计1,626.58`` 上盖有公章：这一行的识别置信度为0.72。
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
                _(
                    "第{page}页的{field}“{raw}”由文字识别（OCR）读出，识别置信度{confidence:.2f}（低于{threshold}），"
                    "请对照原件核对。"
                ).format(
                    page=worst.page,
                    field=path_name(path, ctx.report),
                    raw=g.raw,
                    confidence=worst.confidence,
                    threshold=DEFAULT_MIN_CONFIDENCE,
                ),
                fields=[path],
                spans=[g.span],
                found=g.raw,
            )

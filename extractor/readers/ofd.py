"""OFD reader (GB/T 33190, the national fixed-layout format): a zip of XML pages.

Each page's text objects are placed by their positions and read line by line; ruling lines
drawn as path objects rebuild the tables they frame (``_layout``). The package is read under
the same zip limits and with the same safe XML parser as a .docx; pages count against the
PDF page limit. A page template's text (headers, footers) is read with the page.
"""

from __future__ import annotations

import math
import posixpath
import re
import zipfile

from extractor.document import Block, Document
from extractor.errors import CorruptFile, NoTextLayer
from extractor.limits import ResourceBudget, current
from extractor.readers._build import TextBuilder, is_wide
from extractor.readers._layout import Piece, Rule, emit_page
from extractor.readers._zipxml import Package

ROOT_PART = "OFD.xml"
# Page units are millimetres: ruling lines this close are one line, a stroke this much off
# the horizontal is still horizontal.
TOLERANCE_MM = 1.0
# A path segment shorter than this is a tick or a glyph's stroke, not a ruling line.
MIN_RULE_MM = 3.0
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
_PATH_TOKEN = re.compile(r"[A-Za-z]|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
# How many numbers each path command of AbbreviatedData takes (GB/T 33190 9.3.2).
_PATH_ARITY = {"S": 2, "M": 2, "L": 2, "Q": 4, "B": 6, "A": 7, "C": 0}


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _numbers(text: str | None) -> list[float]:
    return [float(v) for v in _NUMBER.findall(text or "")]


def _join(base: str, loc: str) -> str:
    """A BaseLoc resolved against the folder of the part that names it (or the root when absolute)."""
    loc = (loc or "").strip().replace("\\", "/")
    return posixpath.normpath(loc.lstrip("/") if loc.startswith("/") else posixpath.join(posixpath.dirname(base), loc))


class _Matrix:
    """An object's CTM (a b c d e f) followed by the move to its Boundary's origin."""

    def __init__(self, ctm: str | None, origin: tuple[float, float]) -> None:
        values = _numbers(ctm)
        self.a, self.b, self.c, self.d, self.e, self.f = values if len(values) == 6 else (1, 0, 0, 1, 0, 0)
        self.ox, self.oy = origin

    def apply(self, x: float, y: float) -> tuple[float, float]:
        return self.a * x + self.c * y + self.e + self.ox, self.b * x + self.d * y + self.f + self.oy

    @property
    def scale(self) -> float:
        return math.sqrt(abs(self.a * self.d - self.b * self.c)) or 1.0


def _advance(text: str, size: float) -> float:
    return sum(size if is_wide(ch) else size / 2 for ch in text)


def _deltas(spec: str | None) -> list[float]:
    """DeltaX/DeltaY: numbers, with ``g N v`` standing for N times v."""
    tokens = (spec or "").split()
    out: list[float] = []
    i = 0
    while i < len(tokens):
        if tokens[i] == "g" and i + 2 < len(tokens):
            try:
                out += [float(tokens[i + 2])] * min(int(float(tokens[i + 1])), 100_000)
            except ValueError:
                pass
            i += 3
            continue
        try:
            out.append(float(tokens[i]))
        except ValueError:
            pass
        i += 1
    return out


def _text_pieces(obj, pieces: list[Piece]) -> None:
    box = _numbers(obj.get("Boundary"))
    if len(box) < 4:
        return
    matrix = _Matrix(obj.get("CTM"), (box[0], box[1]))
    size = (_numbers(obj.get("Size")) or [3.5])[0] * matrix.scale
    for code in obj:
        if _local(code.tag) != "TextCode" or not code.text:
            continue
        text = code.text
        x, y = (_numbers(code.get("X")) or [0.0])[0], (_numbers(code.get("Y")) or [0.0])[0]
        deltas = _deltas(code.get("DeltaX"))
        width = (sum(deltas[: len(text) - 1]) * matrix.scale + size) if deltas else _advance(text, size)
        left, baseline = matrix.apply(x, y)
        pieces.append(Piece(left, baseline - size, left + width, baseline + size * 0.2, text))


def _path_rules(obj, rules: list[Rule]) -> None:
    box = _numbers(obj.get("Boundary"))
    data = next((child.text for child in obj if _local(child.tag) == "AbbreviatedData"), None)
    if len(box) < 4 or not data or obj.get("Stroke", "true").lower() == "false":
        return
    matrix = _Matrix(obj.get("CTM"), (box[0], box[1]))
    tokens = _PATH_TOKEN.findall(data)
    start = point = None
    i = 0
    while i < len(tokens):
        command = tokens[i]
        arity = _PATH_ARITY.get(command)
        if arity is None:  # a stray number or an unknown command: skip it
            i += 1
            continue
        args = [float(v) for v in tokens[i + 1 : i + 1 + arity] if not v.isalpha()]
        i += 1 + len(args)
        if len(args) < arity:
            break
        if command in ("S", "M"):
            point = start = matrix.apply(args[0], args[1])
        elif command == "L" and point is not None:
            end = matrix.apply(args[0], args[1])
            _add_rule(rules, point, end)
            point = end
        elif command == "C" and point is not None and start is not None:
            _add_rule(rules, point, start)
            point = start
        elif arity >= 2:
            point = matrix.apply(args[-2], args[-1])


def _add_rule(rules: list[Rule], a: tuple[float, float], b: tuple[float, float]) -> None:
    (x0, y0), (x1, y1) = a, b
    if abs(y1 - y0) <= TOLERANCE_MM / 2 and abs(x1 - x0) >= MIN_RULE_MM:
        rules.append(Rule(True, (y0 + y1) / 2, min(x0, x1), max(x0, x1)))
    elif abs(x1 - x0) <= TOLERANCE_MM / 2 and abs(y1 - y0) >= MIN_RULE_MM:
        rules.append(Rule(False, (x0 + x1) / 2, min(y0, y1), max(y0, y1)))


def _walk(element, pieces: list[Piece], rules: list[Rule], budget: ResourceBudget) -> None:
    """Text and path objects anywhere under a page's content (layers, page blocks)."""
    for obj in element.iter():
        name = _local(obj.tag)
        if name == "TextObject":
            _text_pieces(obj, pieces)
        elif name == "PathObject":
            _path_rules(obj, rules)
        budget.tick("an OFD page", every=2048)


class _Ofd:
    def __init__(self, package: Package, name: str) -> None:
        self.package, self.name = package, name
        root = package.xml(ROOT_PART)
        doc_root = next((el.text for el in root.iter() if _local(el.tag) == "DocRoot" and el.text), None)
        if doc_root is None:
            raise CorruptFile(name or None, "not a valid .ofd (OFD.xml names no DocRoot)")
        self.document_part = _join(ROOT_PART, doc_root)
        document = package.xml(self.document_part)
        self.pages = [
            _join(self.document_part, el.get("BaseLoc") or "")
            for el in document.iter()
            if _local(el.tag) == "Page" and el.get("BaseLoc")
        ]
        self.templates = {
            el.get("ID"): _join(self.document_part, el.get("BaseLoc") or "")
            for el in document.iter()
            if _local(el.tag) == "TemplatePage" and el.get("BaseLoc")
        }

    def page_objects(self, part: str, budget: ResourceBudget) -> tuple[list[Piece], list[Rule]]:
        pieces: list[Piece] = []
        rules: list[Rule] = []
        page = self.package.xml(part)
        for template in (el for el in page if _local(el.tag) == "Template"):
            loc = self.templates.get(template.get("TemplateID"))
            if loc and self.package.has(loc):
                _walk(self.package.xml(loc), pieces, rules, budget)
        _walk(page, pieces, rules, budget)
        return pieces, rules


def read_ofd(
    data: bytes, name: str = "", *, budget: ResourceBudget | None = None, archive: zipfile.ZipFile | None = None
) -> Document:
    budget = budget or current().budget(name)
    with Package(data, name, budget, ".ofd", archive) as package:
        ofd = _Ofd(package, name)
        if not ofd.pages:
            raise CorruptFile(name or None, "not a valid .ofd (the document lists no page)")
        budget.check_size("max_pages", len(ofd.pages), "OFD has {} pages")
        builder, warnings, empty = TextBuilder(budget), [], []
        for index, part in enumerate(ofd.pages):
            number = index + 1
            budget.check(f"page {number} of {len(ofd.pages)}")
            mark = builder.mark
            if not package.has(part):
                warnings.append(f"page {number}: {part} is missing from the package")
                continue
            pieces, rules = ofd.page_objects(part, budget)
            if not emit_page(builder, pieces, rules, number, TOLERANCE_MM):
                empty.append(number)
            start, end = builder.span_since(mark)
            builder.add_block(Block("page", start, end, page=number))
        if not builder.text().strip():
            raise NoTextLayer(name or None, "OFD pages hold no text (scanned images in an OFD are not read by OCR)")
        if empty:
            warnings.append(f"no text on page(s) {', '.join(map(str, empty))}")
    return builder.build("ofd", pages=len(ofd.pages), warnings=warnings)

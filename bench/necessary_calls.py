"""What issue 16's targets leave for Python: the pdfium calls any reader must make, against the floor.

    .venv/bin/python bench/necessary_calls.py [--pages 10 50 200] [--repeat 5] [--out DIR]

The floor is pypdfium2's text of every page (bench/run.py's floor_pdf). "Necessary" is the floor
plus only the pdfium calls, through pypdfium2's public API, without which the project could not
read these pages as it must, and no Python work on their answers:

- every page: the type of each page object (a page without path objects has no ruled table; no
  pdfium call says how many paths a page holds without typing its objects);
- a page with paths: each path's segment count, draw mode and bounds (its ruling lines);
- a page with a ruled table: one character box per run of text (where the run stands: which
  cell it falls in);
- a page of text: whether each space beside a wide character is one pdfium made up (CJK text
  otherwise reads with spaces inside its words), and the Unicode-map flag of up to 256 sampled
  characters on the pages sampled (a garbage text layer goes to OCR).

It prints, per page, the floor, the necessary calls and the project's read and its extract +
verify, each × the floor, and what a target of N × floor leaves for all the Python work (finding
tables, placing text in cells, building the document, the fields and the rules): N × floor
minus the necessary calls. The targets and the project's own figures are bench/tables.py's.
"""

from __future__ import annotations

import argparse
import ctypes
import re
import sys
import tempfile
from itertools import repeat
from pathlib import Path

from run import floor_pdf  # bench/ is the script's sys.path[0]
from tables import median_time

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"ruled": 3.0, "text": 1.5}
_RUN = re.compile(r"\S+")
_SPACE = re.compile(" ")


def _wide(ch: str) -> bool:
    return ch >= "\u2e80"


def necessary(path: Path) -> str:
    """Make the necessary calls on every page of ``path``; its kind: "ruled" or "text"."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as c

    box = [ctypes.c_float() for _ in range(4)]
    charbox = [ctypes.c_double() for _ in range(4)]
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    kind = "text"
    pdf = pdfium.PdfDocument(str(path))
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            raw = textpage.get_text_range()
            handle = page.raw
            count = c.FPDFPage_CountObjects(handle)
            objects = list(map(c.FPDFPage_GetObject, repeat(handle, count), range(count)))
            kinds = list(map(c.FPDFPageObj_GetType, objects))
            paths = [o for o, k in zip(objects, kinds, strict=True) if k == c.FPDF_PAGEOBJ_PATH]
            for obj in paths:
                c.FPDFPath_CountSegments(obj)
                c.FPDFPath_GetDrawMode(obj, fill, stroke)
                c.FPDFPageObj_GetBounds(obj, *box)
            text = textpage.raw
            if len(paths) >= 12:  # the project's MIN_RULING_SEGMENTS, a path a segment at least
                kind = "ruled"
                for m in _RUN.finditer(raw):
                    c.FPDFText_GetCharBox(text, m.start(), *charbox)
            else:
                for m in _SPACE.finditer(raw):
                    i = m.start()
                    if _wide(raw[i - 1]) or _wide(raw[i + 1 : i + 2]):
                        c.FPDFText_IsGenerated(text, i)
                if index % 2 == 0:  # about half the pages are sampled before the share is decided
                    step = max(1, -(-len(raw) // 256))
                    for i in range(0, len(raw), step):
                        c.FPDFText_HasUnicodeMapError(text, i)
            textpage.close()
            page.close()
    finally:
        pdf.close()
    return kind


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, nargs="+", default=[10, 50, 200])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "gov-perf-bench-tables")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    import pypdfium2 as pdfium
    import table_reports

    import extractor
    from extractor.readers import read

    files = [p for pages in args.pages for p in table_reports.build(args.out, pages, 16) if p.suffix == ".pdf"]
    files.append(table_reports.build_text(args.out, 20).with_suffix(".pdf"))
    extractor.extract(files[0])  # imports and pattern compilation are not counted
    print(
        f"{'file':18} {'pages':>5} {'floor':>6} {'necessary':>10} {'read':>12} {'extract+verify':>15}"
        f" {'target':>7} {'left for Python':>16}"
    )
    for path in files:
        with pdfium.PdfDocument(str(path)) as pdf:
            pages = len(pdf)
        kind = necessary(path)
        floor, calls, reading, tool = (
            median_time(fn, args.repeat) / pages * 1000
            for fn in (
                lambda p=path: floor_pdf(p),
                lambda p=path: necessary(p),
                lambda p=path: read(p),
                lambda p=path: extractor.extract(p),
            )
        )
        target = TARGETS[kind] * floor
        print(
            f"{path.name:18} {pages:5d} {floor:6.2f} {calls:5.2f} {calls / floor:3.1f}x {reading:6.2f}"
            f" {reading / floor:4.1f}x {tool:8.2f} {tool / floor:5.1f}x {target:7.2f} {target - calls:9.2f} ms/page"
        )
    print(
        "\nms per page; necessary = the floor + the pdfium calls listed in this script's docstring, no Python"
        " work on their answers; left for Python = the target (ruled pages 3x floor, text pages 1.5x) minus"
        " the necessary calls"
    )


if __name__ == "__main__":
    main()

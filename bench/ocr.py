"""Accuracy and speed of reading scans: the same reports as text PDFs and as image-only PDFs.

    .venv/bin/python bench/ocr.py [--corpus ../shared/corpus/dev] [--limit N] [--pages N]
                                  [--dpi 200] [--keep DIR] [--json]

Each report (the team-written samples, whose labels are their reviewed expected records, and
the corpus's reports, read from ``--corpus`` at run time and never copied into the project) is
rendered .txt -> .docx (python-docx, pipe rows as ruled Word tables) -> PDF (LibreOffice) ->
page images (pdfium, ``--dpi``, gray JPEG) -> an image-only PDF. Both PDFs of every report are
extracted in this process, as ``cli.py extract --json --with-text`` would, timed, and scored by
``../shared/eval/score.py`` (which replays the stored outputs through ``bench/ocr.py replay``).
It prints precision and recall on the text PDFs and on the scans, their ratio, and the OCR
seconds per page on this machine. Needs the ``[ocr]`` extra and ``soffice``.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "samples"))

SHARED = ROOT.parent / "shared"
SCORE = SHARED / "eval" / "score.py"
SAMPLE_STEMS = ("yushui-gsl-2023", "qinghe-whg-2022", "shuili-yskh-2023")
DEFAULT_DPI = 200
JPEG_QUALITY = 85
TARGET_RECALL_RATIO, TARGET_PRECISION = 0.9, 0.97


def load_score():
    spec = importlib.util.spec_from_file_location("score", SCORE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ---- rendering -----------------------------------------------------------------------------------

def text_to_docx(text: str, path: Path) -> None:
    """A report's text as Word: the first line a title, pipe rows as a ruled table, other lines paragraphs."""
    import make_samples as base

    document = base.new_document()
    lines = [line for line in text.splitlines() if line.strip()]
    rows: list[list[str]] = []

    def flush() -> None:
        if not rows:
            return
        width = max(len(r) for r in rows)
        table = document.add_table(rows=len(rows), cols=width)
        table.style = document.styles["Table Grid"]
        for r, cells in enumerate(rows):
            for c, value in enumerate(cells):
                if value.strip():
                    base.set_east_asian_font(table.cell(r, c).paragraphs[0].add_run(value.strip())._r)
        rows.clear()

    for k, line in enumerate(lines):
        if "|" in line and line.count("|") >= 1 and k > 0:
            rows.append([c for c in line.strip().strip("|").split("|")])
            continue
        flush()
        base.add_paragraph(document, line, "Title" if k == 0 else None)
    flush()
    base.save_docx(document, path)


def docx_to_pdf(folder: Path) -> None:
    """Every .docx of the folder to PDF, in one LibreOffice run."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise SystemExit("soffice not found: apt-get install -y libreoffice-writer-nogui fonts-noto-cjk")
    files = sorted(str(p) for p in folder.glob("*.docx"))
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}/p", "--headless", "--convert-to", "pdf",
                        "--outdir", str(folder), *files], check=True, capture_output=True, timeout=1800)


def scan_pdf(pdf: bytes, dpi: int = DEFAULT_DPI, pages: int | None = None) -> bytes:
    """An image-only PDF of ``pdf``'s pages (the first ``pages``): each page rendered to a gray
    JPEG at ``dpi``, as a scanner would save it."""
    import pypdfium2 as pdfium
    from PIL import Image

    doc = pdfium.PdfDocument(pdf)
    images = []
    try:
        for index in range(min(len(doc), pages or len(doc))):
            page = doc[index]
            bitmap = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            buffer = io.BytesIO()
            bitmap.save(buffer, "JPEG", quality=JPEG_QUALITY)
            images.append(Image.open(io.BytesIO(buffer.getvalue())))
            page.close()
    finally:
        doc.close()
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return out.getvalue()


# ---- labels -----------------------------------------------------------------------------------------

def labels_from_record(report: dict, score) -> dict:
    """A sample's reviewed expected record as corpus labels (the keys score.py compares)."""
    flat = score.predictions({"report": report})
    labels: dict = {k: flat[k] for k in ("department_name", "fiscal_year", "report_kind", "total_score", "grade",
                                         "execution_rate") if flat.get(k) is not None}
    labels["headcount"] = {k.split(".", 1)[1]: v for k, v in flat.items() if k.startswith("headcount.") and v is not None}
    labels["money"] = {k.split(".", 1)[1]: v for k, v in flat.items() if k.startswith("money.") and v is not None}
    labels["indicator_scores"] = [{"name": ind["name"], "max": (ind.get("max") or {}).get("value"),
                                   "score": (ind.get("score") or {}).get("value")}
                                  for ind in report.get("indicators") or [] if ind.get("level", 1) == 1]
    return {"labels": labels}


def gather(corpus: Path | None, limit: int | None, score) -> list[tuple[str, str, dict]]:
    """(name, text, labels) of every report benchmarked."""
    out = []
    for stem in SAMPLE_STEMS:
        text = (ROOT / "samples" / f"{stem}.txt").read_text(encoding="utf-8")
        expected = json.loads((ROOT / "samples" / "expected" / f"{stem}.docx.json").read_text(encoding="utf-8"))
        out.append((stem, text, labels_from_record(expected["report"], score)))
    if corpus is not None:
        docs = sorted(p for p in corpus.glob("*.txt") if p.with_suffix(".json").exists())
        for p in docs[:limit]:
            out.append((f"{corpus.name}-{p.stem}", p.read_text(encoding="utf-8"),
                        json.loads(p.with_suffix(".json").read_text(encoding="utf-8"))))
    return out

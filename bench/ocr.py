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
BENCH_SECONDS = 3600.0  # time budget of one document here


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
                    base.set_east_asian_font(table.cell(r, c).paragraphs[0].add_run(value.strip()).element)
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
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{profile}/p",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(folder),
                *files,
            ],
            check=True,
            capture_output=True,
            timeout=1800,
        )


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
    labels: dict = {
        k: flat[k]
        for k in ("department_name", "fiscal_year", "report_kind", "total_score", "grade", "execution_rate")
        if flat.get(k) is not None
    }
    labels["headcount"] = {
        k.split(".", 1)[1]: v for k, v in flat.items() if k.startswith("headcount.") and v is not None
    }
    labels["money"] = {k.split(".", 1)[1]: v for k, v in flat.items() if k.startswith("money.") and v is not None}
    labels["indicator_scores"] = [
        {
            "name": ind["name"],
            "max": (ind.get("max") or {}).get("value"),
            "score": (ind.get("score") or {}).get("value"),
        }
        for ind in report.get("indicators") or []
        if ind.get("level", 1) == 1
    ]
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
            out.append(
                (
                    f"{corpus.name}-{p.stem}",
                    p.read_text(encoding="utf-8"),
                    json.loads(p.with_suffix(".json").read_text(encoding="utf-8")),
                )
            )
    return out


# ---- running ----------------------------------------------------------------------------------------


def build(reports: list[tuple[str, str, dict]], work: Path, dpi: int, pages: int | None) -> None:
    """work/text/NAME.pdf and work/scan/NAME.pdf, each beside its NAME.json labels."""
    docx_dir, text_dir, scan_dir = work / "docx", work / "text", work / "scan"
    for d in (docx_dir, text_dir, scan_dir):
        d.mkdir(parents=True, exist_ok=True)
    for name, text, _ in reports:
        text_to_docx(text, docx_dir / f"{name}.docx")
    docx_to_pdf(docx_dir)
    for name, _, labels in reports:
        pdf = (docx_dir / f"{name}.pdf").read_bytes()
        (text_dir / f"{name}.pdf").write_bytes(pdf)
        (scan_dir / f"{name}.pdf").write_bytes(scan_pdf(pdf, dpi, pages))
        for d in (text_dir, scan_dir):
            (d / f"{name}.json").write_text(json.dumps(labels, ensure_ascii=False), encoding="utf-8")


def extract_all(folder: Path, progress: bool) -> tuple[int, float, float]:
    """Each PDF's ``extract --json --with-text`` output stored beside it as NAME.out.json;
    (pages, seconds, CPU seconds of this process's threads) over all of them."""
    from extractor import extract, limits, to_json
    from extractor.errors import ReadError

    pages, seconds, cpu = 0, 0.0, 0.0
    for pdf in sorted(folder.glob("*.pdf")):
        started, cpu_started = time.perf_counter(), time.process_time()
        try:
            # accuracy, not the default time budget (60 s), is measured here: a loaded machine
            # can take longer than that for a few pages
            with limits.use(max_seconds=BENCH_SECONDS):
                result = extract(pdf)
            out = to_json(result, with_text=True)
            pages += result.document.pages or 0
        except ReadError as err:
            out = json.dumps({"error": str(err)})
        elapsed = time.perf_counter() - started
        seconds += elapsed
        cpu += time.process_time() - cpu_started
        pdf.with_suffix(".out.json").write_text(out, encoding="utf-8")
        if progress:
            print(f"  {folder.name}/{pdf.name}: {elapsed:.1f} s", file=sys.stderr, flush=True)
    return pages, seconds, cpu


def replay(argv: list[str]) -> int:
    """``bench/ocr.py replay extract FILE --json --with-text``: print the output stored for FILE."""
    stored = Path(argv[1]).with_suffix(".out.json")
    data = json.loads(stored.read_text(encoding="utf-8"))
    if "error" in data:
        print(f"error: {data['error']}", file=sys.stderr)
        return 2
    print(json.dumps(data, ensure_ascii=False))
    return 0


def score_folder(folder: Path) -> dict:
    cli = f"{shlex.quote(sys.executable)} {shlex.quote(str(Path(__file__).resolve()))} replay"
    proc = subprocess.run(
        [sys.executable, str(SCORE), str(folder), "--cli", cli, "--json", "--jobs", "2"],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    return json.loads(proc.stdout)


def run(
    corpus: Path | None, limit: int | None, dpi: int, pages: int | None, keep: Path | None, progress: bool = True
) -> dict:
    score = load_score()
    reports = gather(corpus, limit, score)
    work = keep or Path(tempfile.mkdtemp(prefix="ocr-bench-"))
    try:
        build(reports, work, dpi, pages)
        _, text_seconds, _ = extract_all(work / "text", progress)
        load = os.getloadavg()[0]
        scan_pages, scan_seconds, scan_cpu = extract_all(work / "scan", progress)
        load = (load + os.getloadavg()[0]) / 2
        text, scan = score_folder(work / "text"), score_folder(work / "scan")
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)
    ratio = scan["recall"] / text["recall"] if text["recall"] else 0.0
    return {
        "reports": len(reports),
        "scan_pages": scan_pages,
        "dpi": dpi,
        "cores": os.cpu_count(),
        "text": {k: text[k] for k in ("precision", "recall", "correct", "wrong", "missed", "failed")},
        "scan": {k: scan[k] for k in ("precision", "recall", "correct", "wrong", "missed", "failed")},
        "recall_ratio": round(ratio, 4),
        "seconds_per_page": round(scan_seconds / max(scan_pages, 1), 2),
        "cpu_seconds_per_page": round(scan_cpu / max(scan_pages, 1), 2),
        "load_average": round(load, 1),
        "text_seconds": round(text_seconds, 1),
        "scan_seconds": round(scan_seconds, 1),
        "targets_met": ratio >= TARGET_RECALL_RATIO and scan["precision"] >= TARGET_PRECISION,
    }


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["replay"]:
        return replay(argv[1:])
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--corpus",
        type=Path,
        default=SHARED / "corpus" / "dev",
        help="labelled reports to render and scan (default ../shared/corpus/dev)",
    )
    ap.add_argument("--no-corpus", action="store_true", help="only the team-written samples")
    ap.add_argument("--limit", type=int, help="only the first N corpus reports")
    ap.add_argument("--pages", type=int, help="scan only the first N pages of each report")
    ap.add_argument("--dpi", type=int, default=DEFAULT_DPI)
    ap.add_argument("--keep", type=Path, help="keep the rendered files and outputs in this folder")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if not SCORE.exists():
        raise SystemExit(f"{SCORE} not found: the benchmark scores with ../shared/eval/score.py")
    corpus = None if args.no_corpus or not args.corpus.exists() else args.corpus
    summary = run(corpus, args.limit, args.dpi, args.pages, args.keep, progress=not args.json)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=1))
        return 0
    t, s = summary["text"], summary["scan"]
    print(
        f"reports {summary['reports']} ({summary['scan_pages']} scanned pages at {summary['dpi']} dpi, "
        f"{summary['cores']} cores)"
    )
    print(
        f"text PDFs: precision {t['precision']:.3f} recall {t['recall']:.3f} ({t['correct']} correct, "
        f"{t['wrong']} wrong, {t['missed']} missed)"
    )
    print(
        f"scans:     precision {s['precision']:.3f} recall {s['recall']:.3f} ({s['correct']} correct, "
        f"{s['wrong']} wrong, {s['missed']} missed)"
    )
    print(
        f"recall on scans / recall on text PDFs = {summary['recall_ratio']:.3f} (target >= {TARGET_RECALL_RATIO}); "
        f"precision on scans target >= {TARGET_PRECISION}"
    )
    print(
        f"OCR: {summary['seconds_per_page']:.2f} s per page, {summary['cpu_seconds_per_page']:.2f} CPU s per page "
        f"({summary['scan_seconds']:.0f} s for {summary['scan_pages']} pages, load average "
        f"{summary['load_average']} on {summary['cores']} cores; text PDFs {summary['text_seconds']:.1f} s in all)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

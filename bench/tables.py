"""The real workload: table-heavy reports, ms per page for the project against its floor and its peers (issue 16).

    .venv/bin/python bench/tables.py [--pages 10 50 200] [--repeat 3] [--out DIR] [--no-peers]

The reports come from ``bench/table_reports.py`` (generated once into --out, by default
$TMPDIR/gov-perf-bench-tables, and reused after). For
each .pdf, in one run: pypdfium2's text of every page (the floor), the project's read alone and
its extract + verify, and the peers: pdfplumber text + tables, PyMuPDF text + find_tables,
markitdown. For each .docx: zipfile + lxml over word/document.xml (the floor), the project, and
markitdown. A text-only report (paragraphs, no table) gives the text-page ratio.

The peers are never the project's dependencies: they run in the bench's own environment,

    python3 -m venv bench/.venv
    bench/.venv/bin/pip install pdfplumber pypdfium2 'markitdown[pdf,docx]' 'pymupdf<2' 'lxml<6'

(PyMuPDF 2.0 brings a layout model that makes find_tables some ten times slower; the issue's
figures are PyMuPDF 1.28's. markitdown 0.1.9 rewrites a .docx's XML through BeautifulSoup,
which with lxml 6 drops the namespaces: mammoth then finds no body in any .docx), one subprocess per peer (``--peer NAME``), warmed up on the smallest
file; a peer that is not installed there, or takes longer than --peer-timeout, is shown as "-".
The project's times are the median of --repeat runs, the peers' of --peer-repeat runs, each in
a process that has already read one file (imports and pattern compilation are not counted).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from run import floor_pdf  # the same pdfium floor as bench/run.py (bench/ is the script's sys.path[0])

ROOT = Path(__file__).resolve().parent.parent
BENCH_PYTHON = ROOT / "bench" / ".venv" / "bin" / "python"
PEERS = {"pdfplumber": "pdfplumber text + tables", "pymupdf": "PyMuPDF text + find_tables", "markitdown": "markitdown"}
PEER_FORMATS = {"pdfplumber": (".pdf",), "pymupdf": (".pdf",), "markitdown": (".pdf", ".docx")}
TARGETS = {"ruled": 3.0, "text": 1.5, "docx": 3.0}


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


# ---- floors -------------------------------------------------------------------------------------


def floor_docx(path: Path) -> int:
    from lxml import etree

    with zipfile.ZipFile(path) as archive:
        xml = archive.read("word/document.xml")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    return len(etree.fromstring(xml, parser))


# ---- peers (run in bench/.venv) -------------------------------------------------------------------


def peer_pdfplumber(path: Path) -> int:
    import pdfplumber

    n = 0
    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            n += len(page.extract_text() or "")
            n += sum(len(t) for t in page.extract_tables())
            page.close()
    return n


def peer_pymupdf(path: Path) -> int:
    import pymupdf

    n = 0
    with pymupdf.open(str(path)) as doc:
        for page in doc:
            n += len(page.get_text())
            n += sum(len(t.extract()) for t in page.find_tables().tables)
    return n


_markitdown = None


def peer_markitdown(path: Path) -> int:
    global _markitdown
    if _markitdown is None:
        from markitdown import MarkItDown

        _markitdown = MarkItDown()
    return len(_markitdown.convert(str(path)).text_content)


def run_peer(name: str, files: list[Path], repeat: int) -> None:
    """In the bench's environment: print {file: seconds} for one peer as JSON."""
    fn = globals()[f"peer_{name}"]
    try:
        fn(min(files, key=lambda p: p.stat().st_size))  # warm-up: imports, fonts, caches
    except ImportError as err:
        print(json.dumps({"error": f"not installed ({err.name})"}))
        return
    except Exception:  # noqa: S110 - the file's own run below says what failed
        pass
    out: dict[str, float | None] = {}
    for p in files:
        try:
            out[str(p)] = median_time(lambda p=p: fn(p), repeat)
        except Exception as err:  # one file a peer cannot read is "-", not the peer's whole column
            print(f"{p.name}: {type(err).__name__}: {str(err).splitlines()[-1][:120]}", file=sys.stderr)
            out[str(p)] = None
    print(json.dumps(out))


def peers(files: list[Path], repeat: int, timeout: float) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    if not BENCH_PYTHON.exists():
        print(f"(no {BENCH_PYTHON.relative_to(ROOT)}: peers skipped; see this script's docstring)")
        return out
    for name in PEERS:
        mine = [p for p in files if p.suffix in PEER_FORMATS[name]]
        cmd = [str(BENCH_PYTHON), __file__, "--peer", name, "--repeat", str(repeat), *map(str, mine)]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=timeout)
        except subprocess.TimeoutExpired:
            print(f"  {name}: over {timeout:g} s, left out")
            continue
        try:
            result = json.loads(done.stdout.strip().splitlines()[-1])
        except (IndexError, json.JSONDecodeError):
            result = {"error": (done.stderr.strip().splitlines() or ["no output"])[-1]}
        if "error" in result:
            print(f"  {name}: {result['error']}")
        else:
            out[name] = result
    return out


# ---- the project --------------------------------------------------------------------------------------


def pdf_pages(path: Path) -> int:
    import pypdfium2 as pdfium

    with pdfium.PdfDocument(str(path)) as pdf:
        return len(pdf)


def project(files: list[Path], repeat: int) -> dict[str, tuple[float, float, float]]:
    """{file: (floor s, read s, extract + verify s)}, floor and tool alternating per file."""
    sys.path.insert(0, str(ROOT))
    import extractor
    from extractor.readers import read

    smallest = min(files, key=lambda p: p.stat().st_size)
    for path in {smallest, *(p for p in files if p.suffix == ".docx")}:  # warm-up
        extractor.extract(path)
    out = {}
    for path in files:
        floor = floor_pdf if path.suffix == ".pdf" else floor_docx
        floor(path)
        out[str(path)] = (
            median_time(lambda p=path, f=floor: f(p), repeat),
            median_time(lambda p=path: read(p), repeat),
            median_time(lambda p=path: extractor.extract(p), repeat),
        )
    return out


def report(files: list[Path], mine: dict, others: dict) -> None:
    names = [n for n in PEERS if n in others]
    head = f"{'file':22} {'pages':>5} {'floor':>7} {'read':>7} {'x floor':>7} {'project':>8} {'x floor':>8}"
    head += "".join(f" {n[:10]:>10} {'ratio':>6}" for n in names)
    print(
        "\nms per page: floor (pypdfium2 text; .docx: zip + lxml), the project's read alone and its"
        " extract + verify (ratio = project / peer: < 1 is ahead)"
    )
    print(head)
    for path in files:
        pages = pdf_pages(path.with_suffix(".pdf")) if path.with_suffix(".pdf").exists() else 1
        floor, reading, tool = (t / pages * 1000 for t in mine[str(path)])
        line = (
            f"{path.name:22} {pages:5d} {floor:7.2f} {reading:7.2f} {reading / floor:6.1f}x {tool:8.2f} "
            f"{tool / floor:7.1f}x"
        )
        for n in names:
            peer = others[n].get(str(path))
            line += (
                f" {peer / pages * 1000:10.2f} {tool / (peer / pages * 1000):6.2f}" if peer else f" {'-':>10} {'':6}"
            )
        print(line)
    print(
        "\ntargets: ruled PDF pages <= 3x floor, text pages <= 1.5x, .docx <= 3x zip+lxml; "
        "ratio < 1 against every peer on the table PDFs"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--peer", choices=sorted(PEERS))
    ap.add_argument("--pages", type=int, nargs="+", default=[10, 50, 200])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--peer-repeat", type=int, default=1)
    ap.add_argument("--peer-timeout", type=float, default=1800)
    ap.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "gov-perf-bench-tables")
    ap.add_argument("--no-peers", action="store_true")
    args = ap.parse_args()
    if args.peer:
        run_peer(args.peer, args.files, args.repeat)
        return
    # a 200-page table PDF took the old reader over the 60 s default budget on a loaded machine
    os.environ.setdefault("EXTRACTOR_MAX_SECONDS", "3600")
    sys.path.insert(0, str(ROOT / "bench"))
    import table_reports

    files = args.files
    if not files:
        for pages in args.pages:
            files += list(table_reports.build(args.out, pages, 16))[::-1]  # .pdf, .docx
        files.append(table_reports.build_text(args.out, 20))
    print(f"python {sys.version.split()[0]}; files in {args.out}")
    mine = project(files, args.repeat)
    report(files, mine, {})
    if not args.no_peers:
        others = peers(files, args.peer_repeat, args.peer_timeout)
        report(files, mine, others)


if __name__ == "__main__":
    main()

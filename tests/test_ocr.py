"""Scanned reports: image files and PDF pages without a text layer, read by OCR ([ocr] extra).

Tests that run the engine skip when the extra is not installed (CI installs it); the rest (the
one-line refusal naming the extra, image limits, the table rebuilt from boxes, the rule) run
everywhere.
"""

from __future__ import annotations

import io
import json
import sqlite3
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

from extractor import limits
from extractor.cli import main
from extractor.document import Document, Ocr, OcrLine
from extractor.errors import CorruptFile, LimitExceeded, NoTextLayer, describe
from extractor.pipeline import extract_bytes, extract_document
from extractor.readers import ocr, read, read_bytes
from extractor.readers._build import TextBuilder
from extractor.readers._layout import Piece, Rule, emit_page, find_tables

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SCAN = SAMPLES / "qinghe-whg-2022-scan.png"
EXTRA = "(pip install 'gov-perf-extractor[ocr]')"
needs_engine = pytest.mark.skipif(not ocr.available(), reason="the [ocr] extra (rapidocr-onnxruntime) is not installed")


def image_pdf(png: bytes, pages: int = 1) -> bytes:
    """An image-only PDF of the image, as a scanner saves one."""
    from PIL import Image

    image = Image.open(io.BytesIO(png))
    out = io.BytesIO()
    image.save(out, "PDF", save_all=True, append_images=[image] * (pages - 1), resolution=150)
    return out.getvalue()


def mixed_pdf() -> bytes:
    """Page 1 with a text layer (the seed report's first page), page 2 a scan."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.add_page(PdfReader(SAMPLES / "yushui-gsl-2023.pdf").pages[0])
    writer.add_page(PdfReader(io.BytesIO(image_pdf(SCAN.read_bytes()))).pages[0])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def png_header(width: int, height: int) -> bytes:
    """A PNG that declares its size and holds (almost) no pixels."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


# ---- without the engine ---------------------------------------------------------------------------


def test_a_scan_without_the_ocr_extra_is_refused_in_one_line_naming_it(tmp_path, monkeypatch):
    monkeypatch.setattr(ocr, "available", lambda: False)
    for name, data, said in (
        ("scan.png", SCAN.read_bytes(), "这是页面的图片"),
        ("scan.pdf", image_pdf(SCAN.read_bytes()), "PDF 没有文字层（扫描件）"),
    ):
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(NoTextLayer) as err:
            read(path)
        assert str(err.value).endswith(EXTRA) and "\n" not in str(err.value)
        assert describe(err.value) == f"{path}：{said}，需要文字识别（OCR），但未安装识别引擎（{EXTRA[1:-1]}）"
    # a mixed PDF reads its text pages and says which pages need the extra
    doc = read_bytes(mixed_pdf(), name="mixed.pdf")
    assert "渝水区工商业联合会" in doc.text and doc.ocr is None
    assert any(w.startswith("no text layer on page(s) 2") and w.endswith(EXTRA) for w in doc.warnings)


def test_broken_and_oversized_images_are_refused_before_decoding():
    with pytest.raises(CorruptFile) as err:
        read_bytes(SCAN.read_bytes()[:400], name="cut.png")
    assert "\n" not in str(err.value) and describe(err.value).startswith("cut.png：无法读取图片（")
    for width, height in ((100_000, 100_000), (9000, 9000)):  # 10 G pixels (past Pillow's own bound), 81 M
        with pytest.raises(LimitExceeded) as err:
            read_bytes(png_header(width, height), name="huge.png")
        assert err.value.limit == "max_image_pixels" and "EXTRACTOR_MAX_IMAGE_PIXELS" in str(err.value)
        assert describe(err.value).startswith("huge.png：图片的像素数超过上限（image has ")
        assert "可用 EXTRACTOR_MAX_IMAGE_PIXELS 调高" in describe(err.value)


def grid_rules(xs: list[float], ys: list[float], skip_below: set[tuple[int, int]] = frozenset()) -> list[Rule]:
    """Ruling lines of a grid; (row, col) in ``skip_below``: no line under that cell (merged down)."""
    rules = [Rule(False, x, ys[0], ys[-1]) for x in xs]
    for r, y in enumerate(ys):
        for c in range(len(xs) - 1):
            if (r - 1, c) not in skip_below:
                rules.append(Rule(True, y, xs[c], xs[c + 1]))
    return rules


def test_tables_are_rebuilt_from_ruling_lines_and_boxes_with_merged_cells():
    xs, ys = [10, 60, 110, 140], [100, 120, 140, 160]
    rules = grid_rules(xs, ys, skip_below={(0, 0)}) + [
        Rule(False, 30, 121, 128),
        Rule(True, 80, 70, 74),
    ]  # glyph strokes
    pieces = [
        Piece(12, 103, 40, 115, "产出", 0.99),
        Piece(62, 103, 90, 115, "产出数量", 0.98),
        Piece(112, 103, 125, 115, "14", 0.97),
        Piece(62, 123, 90, 135, "产出质量", 0.99),
        Piece(112, 123, 125, 135, "12", 0.62),
        Piece(12, 143, 40, 155, "合计", 0.99),
        Piece(112, 143, 125, 155, "26", 0.99),
        Piece(12, 60, 200, 72, "（一）评分情况", 0.99),
    ]
    tables = find_tables(rules, 2.0)
    assert len(tables) == 1 and (0, 0, 2, 1) in tables[0].cells  # 产出 spans two rows
    builder = TextBuilder()
    placed = emit_page(builder, pieces, rules, 3, 2.0)
    doc = builder.build("pdf")
    assert doc.text == "（一）评分情况\n产出 | 产出数量 | 14\n | 产出质量 | 12\n合计 |  | 26"
    cell = doc.tables[0].rows[0][0]
    assert (doc.text[cell.start : cell.end], cell.rowspan, cell.page) == ("产出", 2, 3)
    assert {doc.text[s:e] for _, s, e in placed} == {p.text for p in pieces}


def test_wrapped_lines_of_a_paragraph_read_as_one_line():
    lines = [
        Piece(20, 10, 200, 22, "本年收入合计510.00万元，其中财政拨款收入"),
        Piece(20, 26, 200, 38, "486.30万元，事业收入23.70万元。"),
        Piece(20, 42, 120, 54, "二、支出情况本年支出合计"),
        Piece(44, 58, 200, 70, "按支出性质分类的基本支出为"),
    ]
    builder = TextBuilder()
    emit_page(builder, lines, [], 1, 2.0)
    assert builder.text() == (
        "本年收入合计510.00万元，其中财政拨款收入486.30万元，事业收入23.70万元。\n"
        "二、支出情况本年支出合计\n按支出性质分类的基本支出为"
    )


def test_a_low_confidence_figure_gets_an_info_finding():
    text = "示例县文化馆2023年度部门整体支出绩效自评报告\n2023年度本年收入合计510.00万元，本年支出合计513.50万元。"
    start = text.index("510.00")

    def findings(confidence: float):
        line = OcrLine(2, start - 8, start + 8, (90.0, 100.0, 400.0, 112.0), confidence)
        doc = Document(text=text, format="pdf", ocr=Ocr("test", [2], [line]))
        return [f for f in extract_document(doc).findings if f.rule == "OCR001"]

    low = findings(0.71)
    assert len(low) == 1 and low[0].severity == "info" and low[0].spans == [(start, start + 8)]  # 510.00万元
    assert "第2页" in low[0].message and "0.71" in low[0].message and low[0].fields == ["report.revenue.total"]
    assert findings(0.99) == []


# ---- with the engine --------------------------------------------------------------------------------


@needs_engine
def test_an_image_is_read_by_ocr_into_text_a_table_and_a_record(capsys, monkeypatch):
    monkeypatch.setattr(ocr, "_on_terminal", lambda: True)
    # --max-memory caps this whole test process, with what every test before this one left in it;
    # the cap itself is tested in a process of its own (test_ocr_past_the_memory_cap_is_one_line)
    assert main(["extract", str(SCAN), "--json", "--with-text", "--max-memory", "64G"]) == 0
    captured = capsys.readouterr()
    assert "识别扫描页 1/1" in captured.err  # the progress line a terminal shows
    out = json.loads(captured.out)
    text, report, source = out["text"], out["report"], out["source"]
    assert source["format"] == "png" and source["pages"] == 1
    assert [p["page"] for p in source["ocr"]["pages"]] == [1] and source["ocr"]["confidence"] > 0.9
    assert "rapidocr-onnxruntime" in source["ocr"]["engine"]
    assert "合计 |  | 100 | 87.5" in text and "自评得分87.5分，自评等级为“良”" in text
    assert report["total_score"]["value"] == "87.5" and report["grade"]["value"] == "良"
    assert text[slice(*report["total_score"]["span"])] == report["total_score"]["raw"]


@needs_engine
def test_a_mixed_pdf_reads_only_its_scanned_page_by_ocr():
    doc = read_bytes(mixed_pdf(), name="mixed.pdf")
    assert doc.pages == 2 and doc.ocr is not None and doc.ocr.pages == [2]
    assert all(line.page == 2 for line in doc.ocr.lines)
    page2 = next(b for b in doc.blocks if b.kind == "page" and b.page == 2)
    assert "87.5" in doc.text[page2.start : page2.end] and "渝水区工商业联合会" in doc.text[: page2.start]
    table = doc.tables[-1]
    assert table.page == 2 and table.rows[0][0].rowspan == 3  # 效益 merged down, rebuilt from the scan
    for line in doc.ocr.lines:
        assert page2.start <= line.start < line.end <= page2.end and 0 < line.confidence <= 1


@needs_engine
def test_ocr_pages_are_limited():
    data = image_pdf(SCAN.read_bytes(), pages=2)
    with limits.use(max_ocr_pages=1), pytest.raises(LimitExceeded) as err:
        read_bytes(data, name="long-scan.pdf")
    assert err.value.limit == "max_ocr_pages" and "EXTRACTOR_MAX_OCR_PAGES" in str(err.value)
    assert describe(err.value).startswith(
        "long-scan.pdf：需要文字识别（OCR）的页数超过上限（document needs OCR on 2 pages"
    )


@needs_engine
def test_a_scanned_pdf_is_read_by_ocr_under_the_documents_time_budget(monkeypatch):
    pages = []

    def slow_page(image, name="", what=""):  # a page that would take longer than the whole budget
        pages.append(name)
        time.sleep(60)

    monkeypatch.setattr(ocr, "recognise", slow_page)
    data = image_pdf(SCAN.read_bytes(), pages=2)
    with limits.use(max_seconds=1), pytest.raises(LimitExceeded) as err:
        extract_bytes(data, name="slow-scan.pdf")
    assert pages == ["slow-scan.pdf"]  # stopped in the first page's OCR, by the document's one budget
    assert err.value.limit == "max_seconds" and "\n" not in str(err.value)
    assert describe(err.value).startswith("slow-scan.pdf：处理时间超过上限（用时超过 1 秒，停在读取文件")


@needs_engine
def test_ocr_past_the_memory_cap_is_one_line():
    # A process of its own: the cap counts everything in the process. A fresh CLI reads this scan
    # in ~650 MiB of data (the models, onnxruntime's buffers); at 400 MiB the engine cannot run.
    run = subprocess.run(
        [sys.executable, str(ROOT / "cli.py"), "extract", str(SCAN), "--json", "--max-memory", "400M"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr.count("\n") == 1 and run.stderr.startswith(f"错误：{SCAN}：内存超过上限（"), run.stderr


@needs_engine
def test_ingest_runs_ocr_in_its_workers(tmp_path):
    from extractor.ingest import ingest

    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "scan.png").write_bytes(SCAN.read_bytes())
    db = tmp_path / "r.sqlite"
    ingest([folder], db, workers=1, timeout=600, quiet=True)
    with sqlite3.connect(db) as conn:
        status, fmt, record = conn.execute("SELECT status, format, record FROM documents").fetchone()
    assert (status, fmt) == ("ok", "png")
    assert json.loads(record)["source"]["ocr"]["pages"][0]["page"] == 1


def test_transparent_pixels_of_an_image_are_white_paper():
    from PIL import Image

    image = Image.new("RGBA", (40, 20), (0, 0, 0, 0))  # transparent black
    image.paste((0, 0, 0, 255), (5, 5, 15, 15))  # an opaque black mark
    out = io.BytesIO()
    image.save(out, "PNG")
    opened, pages = ocr._open_image(out.getvalue(), "t.png", limits.current().budget("t.png"))
    ((gray, unit),) = list(ocr._frames(opened, "t.png", limits.current().budget("t.png")))
    assert pages == 1 and gray[0, 0] == 255 and gray[10, 10] == 0 and unit == ocr.DEFAULT_DPI / 72

"""Readers on the real samples and on small files made in tmp_path: formats, encodings, bad input."""

from __future__ import annotations

import io
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest

from extractor.errors import (
    CorruptFile,
    EmptyFile,
    EncryptedFile,
    LimitExceeded,
    MissingDependency,
    NotAFile,
    NoTextLayer,
    NotFound,
    ReadError,
    UnsupportedFormat,
)
from extractor.readers import read, read_bytes, sniff

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SHARED = ROOT.parent / "shared"
SEED = "yushui-gsl-2023"
INVENTED = "qinghe-whg-2022"
SENTENCE = "新余市渝水区工商业联合会2023年度收入总计145.16万元。\n编制人数3人，其中行政编制3人。\n"
CJK_SPACE_CJK = re.compile(r"[\u4e00-\u9fff] +[\u4e00-\u9fff]")


def nonempty_lines(path: Path) -> str:
    return "\n".join(line for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


def check_blocks(doc) -> None:
    for b in doc.blocks:
        assert 0 <= b.start <= b.end <= len(doc.text), b
    for t, table in enumerate(doc.tables):
        for r, row in enumerate(table.rows):
            for cell in row:
                assert (cell.kind, cell.table, cell.row) == ("cell", t, r)
                assert CELL_TEXT_OK.match(doc.text[cell.start : cell.end]), doc.text[cell.start : cell.end]


CELL_TEXT_OK = re.compile(r"^[^\n|]*$")


def make_pdf(content: bytes, encoding: bytes = b"") -> bytes:
    """A one-page PDF drawing ``content`` with Helvetica as F1."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica %s>>" % encoding,
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# -- sniffing -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"%PDF-1.7\n...", "pdf"),
        (b"\xef\xbb\xbf \r\n%PDF-1.4\n", "pdf"),
        (b"<!DOCTYPE html><html><body>x</body></html>", "html"),
        (b"  \n<HTML lang=zh>", "html"),
        (b"\xef\xbb\xbf<meta charset=utf-8><p>\xe4\xbd\xa0\xe5\xa5\xbd</p>", "html"),
        ("<!-- saved --><div class=content>你好</div>".encode("utf-16"), "html"),
        ("<2023年>不是网页".encode(), "txt"),
        ("报告全文，提到 %PDF-1.7 这个标记".encode(), "txt"),
        (SENTENCE.encode("utf-16-le"), "txt"),
        (SENTENCE.encode("gb18030"), "txt"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "WordDocument".encode("utf-16-le"), "doc"),
    ],
    ids=[
        "pdf",
        "pdf-bom-space",
        "html-doctype",
        "html-upper",
        "html-bom-meta",
        "html-utf16",
        "angle-text",
        "pdf-mention",
        "utf16le-text",
        "gb18030-text",
        "ole2-word",
    ],
)
def test_sniff_by_bytes(data, expected):
    assert sniff(data) == expected


def test_docx_named_txt_reads_as_docx(tmp_path):
    path = tmp_path / "report.txt"
    shutil.copyfile(SAMPLES / f"{INVENTED}.docx", path)
    doc = read(path)
    assert doc.format == "docx" and len(doc.tables) == 1


def test_txt_named_pdf_reads_as_txt(tmp_path):
    doc = read(write(tmp_path, "report.pdf", SENTENCE.encode()))
    assert doc.format == "txt" and doc.text == SENTENCE


# -- plain text ---------------------------------------------------------------------------------

TRADITIONAL = "工商業聯合會2023年度收入總計145.16萬元。\n編制人數3人。\n"


@pytest.mark.parametrize(
    ("codec", "text", "expected"),
    [
        ("utf-8", SENTENCE, "utf-8"),
        ("utf-8-sig", SENTENCE, "utf-8-sig"),
        ("gb18030", SENTENCE, "gb18030"),
        ("gbk", SENTENCE, "gb18030"),
        ("utf-16", SENTENCE, "utf-16"),
        ("utf-16-le", SENTENCE, "utf-16-le"),
        ("utf-16-be", SENTENCE, "utf-16-be"),
        ("big5", TRADITIONAL, "big5"),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 12 else "",
)
def test_txt_encodings(tmp_path, codec, text, expected):
    doc = read(write(tmp_path, "r.txt", text.encode(codec)))
    assert (doc.text, doc.encoding, doc.format) == (text, expected, "txt")
    assert [doc.text[b.start : b.end] for b in doc.blocks] == text.splitlines()
    assert {b.kind for b in doc.blocks} == {"line"}


def test_txt_newlines_and_nul_keep_offsets_consistent(tmp_path):
    doc = read(write(tmp_path, "r.txt", "第一行\r\n第二\x00行\r\r\n  \n第三行".encode()))
    assert doc.text == "第一行\n第二 行\n\n  \n第三行"
    assert [doc.text[b.start : b.end] for b in doc.blocks] == ["第一行", "第二 行", "第三行"]


def test_txt_sample_seed():
    doc = read(SAMPLES / f"{SEED}.txt")
    assert doc.encoding == "utf-8" and "工商业联合会" in doc.text
    assert doc.sha256 and len(doc.sha256) == 64 and doc.path.endswith(f"{SEED}.txt")
    check_blocks(doc)


def test_undecodable_text_is_a_read_error(tmp_path):
    data = bytes(range(0x80, 0x100)) * 40  # high bytes only: no codec makes text of this
    with pytest.raises(ReadError) as err:
        read(write(tmp_path, "r.txt", data))
    assert "\n" not in str(err.value)


def test_reading_txt_loads_no_pdf_library():
    code = (
        f"import sys; from extractor.readers import read; read('samples/{SEED}.txt');"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in"
        " ('pdfplumber', 'pdfminer', 'pypdfium2', 'selectolax', 'docx')))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# -- docx ---------------------------------------------------------------------------------------


def save(document, tmp_path: Path, name: str = "t.docx") -> Path:
    path = tmp_path / name
    document.save(path)
    return path


def test_docx_body_order_and_cells(tmp_path):
    d = docx.Document()
    d.add_paragraph("第一段")
    table = d.add_table(rows=2, cols=2)
    for (r, c), value in {(0, 0): "甲", (0, 1): "乙", (1, 0): "丙", (1, 1): "145.16"}.items():
        table.cell(r, c).text = value
    d.add_paragraph("第二段")
    doc = read(save(d, tmp_path))
    assert doc.text == "第一段\n甲 | 乙\n丙 | 145.16\n第二段"
    cells = [(b.table, b.row, b.col, doc.text[b.start : b.end]) for b in doc.blocks if b.kind == "cell"]
    assert cells == [(0, 0, 0, "甲"), (0, 0, 1, "乙"), (0, 1, 0, "丙"), (0, 1, 1, "145.16")]
    assert [[doc.text[b.start : b.end] for b in row] for row in doc.tables[0].rows] == [["甲", "乙"], ["丙", "145.16"]]
    assert [b.kind for b in doc.blocks if b.kind != "cell"] == ["paragraph", "paragraph"]
    check_blocks(doc)


def test_docx_merged_cells_appear_once(tmp_path):
    d = docx.Document()
    t = d.add_table(rows=3, cols=3)
    t.cell(0, 0).text = "一级指标"
    t.cell(0, 1).merge(t.cell(0, 2)).text = "二级指标"  # gridSpan
    t.cell(1, 0).merge(t.cell(2, 0)).text = "决策"  # vMerge restart + continue
    for (r, c), value in {(1, 1): "目标设定", (1, 2): "10", (2, 1): "预算编制", (2, 2): "9"}.items():
        t.cell(r, c).text = value
    doc = read(save(d, tmp_path))
    assert doc.text == "一级指标 | 二级指标\n决策 | 目标设定 | 10\n | 预算编制 | 9"
    assert doc.text.count("决策") == 1 and doc.text.count("二级指标") == 1
    rows = [[(b.col, doc.text[b.start : b.end]) for b in row] for row in doc.tables[0].rows]
    assert rows == [
        [(0, "一级指标"), (1, "二级指标")],
        [(0, "决策"), (1, "目标设定"), (2, "10")],
        [(1, "预算编制"), (2, "9")],
    ]
    check_blocks(doc)


def test_docx_nested_table_is_flattened_into_its_cell(tmp_path):
    d = docx.Document()
    outer = d.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "外层"
    inner = outer.cell(0, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "内甲"
    inner.cell(0, 1).text = "Total 5"
    doc = read(save(d, tmp_path))
    assert doc.text == "外层 | 内甲Total 5"
    assert len(doc.tables) == 1
    check_blocks(doc)


def test_docx_sample_seed_is_the_text_line_for_line():
    doc = read(SAMPLES / f"{SEED}.docx")
    assert doc.format == "docx" and doc.pages is None
    assert doc.text == nonempty_lines(SAMPLES / f"{SEED}.txt")
    kinds = {doc.text[b.start : b.end]: b.kind for b in doc.blocks}
    assert kinds["新余市渝水区工商业联合会2023年度部门"] == "title"
    assert kinds["整体支出绩效自评报告"] == "title"
    assert kinds["一、部门基本情况"] == kinds["部门整体指标绩效评价分析"] == "heading"
    assert kinds["（一）绩效评价目的"] == "heading"
    assert kinds["1.部门职责"] == "paragraph"
    check_blocks(doc)


def test_docx_sample_invented_table():
    doc = read(SAMPLES / f"{INVENTED}.docx")
    assert doc.text == nonempty_lines(SAMPLES / f"{INVENTED}.txt")
    (table,) = doc.tables
    assert [doc.text[b.start : b.end] for b in table.rows[0]] == ["一级指标", "二级指标", "分值", "得分"]
    assert [doc.text[b.start : b.end] for b in table.rows[-1]] == ["合计", "", "100", "87.5"]
    assert [(b.col, doc.text[b.start : b.end]) for b in table.rows[2]] == [(1, "目标设定"), (2, "10"), (3, "10")]
    check_blocks(doc)


def test_docx_entities_are_not_expanded(tmp_path):
    lol = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY l0 "lol">{lol}]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>正文&l9;</w:t></w:r></w:p></w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("word/document.xml", xml)
    try:
        doc = read(write(tmp_path, "bomb.docx", buffer.getvalue()))
    except CorruptFile:
        return  # refusing the file is as good as not expanding it
    assert len(doc.text) < 100


# -- pdf ----------------------------------------------------------------------------------------


def test_pdf_seed_pages_and_cjk_text():
    doc = read(SAMPLES / f"{SEED}.pdf")
    assert (doc.format, doc.pages) == ("pdf", 5)
    assert "工商业联合会" in doc.text and "145.16万元" in doc.text and "2023年度" in doc.text
    assert not CJK_SPACE_CJK.search(doc.text)
    # Same characters as the text the PDF was made from; only line breaks and spaces differ.
    assert re.sub(r"\s", "", doc.text) == re.sub(r"\s", "", (SAMPLES / f"{SEED}.txt").read_text("utf-8"))
    pages = [b for b in doc.blocks if b.kind == "page"]
    assert [b.page for b in pages] == [1, 2, 3, 4, 5]
    assert pages[0].start == 0 and pages[-1].end == len(doc.text)
    assert all(b.page is not None for b in doc.blocks)
    assert doc.page_at(doc.text.index("部门基本情况")) == 1
    assert doc.page_at(doc.text.index("综合评价及结论")) == 5
    check_blocks(doc)


def test_pdf_ruled_table_becomes_rows_and_cells():
    doc = read(SAMPLES / f"{INVENTED}.pdf")
    (table,) = doc.tables
    assert table.page == 2
    expected_rows = [line for line in nonempty_lines(SAMPLES / f"{INVENTED}.txt").splitlines() if " | " in line]
    assert "\n".join(expected_rows) in doc.text  # the rows replace pdfium's flat table text
    assert doc.text.count("服务对象满意度") == 1
    assert [doc.text[b.start : b.end] for b in table.rows[1]] == ["决策", "", "20", "19"]
    assert [(b.col, doc.text[b.start : b.end]) for b in table.rows[2]] == [(1, "目标设定"), (2, "10"), (3, "10")]
    assert all(b.page == 2 for row in table.rows for b in row)
    check_blocks(doc)


def test_pdf_truncated_is_corrupt(tmp_path):
    data = (SAMPLES / f"{SEED}.pdf").read_bytes()
    with pytest.raises(CorruptFile):
        read(write(tmp_path, "half.pdf", data[: len(data) // 2]))


def test_pdf_garbage_is_corrupt(tmp_path):
    with pytest.raises(CorruptFile):
        read(write(tmp_path, "junk.pdf", b"%PDF-1.4\n" + b"garbage\n" * 50 + b"%%EOF\n"))


def test_pdf_without_text_needs_ocr(tmp_path, monkeypatch):
    monkeypatch.setattr("extractor.readers.ocr.available", lambda: False)  # OCR itself: tests/test_ocr.py
    with pytest.raises(NoTextLayer) as err:
        read(write(tmp_path, "scan.pdf", make_pdf(b"0 0 m 300 300 l S")))
    assert "needs OCR" in str(err.value)


def test_pdf_fake_bold_text_is_not_doubled(tmp_path):
    stream = b"BT /F1 12 Tf 100 700 Td (Total 145.16) Tj ET BT /F1 12 Tf 100.4 700 Td (Total 145.16) Tj ET"
    assert read(write(tmp_path, "bold.pdf", make_pdf(stream))).text == "Total 145.16"


def encrypt(tmp_path: Path, user_password: str) -> Path:
    pypdf = pytest.importorskip("pypdf", reason="pypdf makes the encrypted PDF (pip install pypdf)")
    writer = pypdf.PdfWriter(clone_from=str(SAMPLES / f"{INVENTED}.pdf"))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="AES-128")
    path = tmp_path / "locked.pdf"
    with open(path, "wb") as f:
        writer.write(f)
    return path


def test_pdf_with_password_is_encrypted(tmp_path):
    with pytest.raises(EncryptedFile) as err:
        read(encrypt(tmp_path, "user-secret"))
    assert str(err.value).endswith("encrypted PDF")


def test_pdf_with_owner_password_only_is_read(tmp_path):
    doc = read(encrypt(tmp_path, ""))
    assert "示例市清河区文化馆" in doc.text


# -- html ---------------------------------------------------------------------------------------


def test_html_sample_article_without_chrome():
    doc = read(SAMPLES / f"{INVENTED}.html")
    assert (doc.format, doc.encoding) == ("html", "utf-8")
    assert doc.text == nonempty_lines(SAMPLES / f"{INVENTED}.txt")
    for chrome in ("统计代码", "首页", "版权所有", "索引号", "打印本页", "font-family"):
        assert chrome not in doc.text
    assert doc.blocks[0].kind == "heading"
    (table,) = doc.tables
    assert [doc.text[b.start : b.end] for b in table.rows[1]] == ["决策", "", "20", "19"]
    check_blocks(doc)


def test_html_legacy_charset_spans_and_breaks(tmp_path):
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
        "<title>站点标题</title><script>var x = '脚本';</script></head><body>"
        "<div id=nav><a href=/>首页</a></div><h1>某局2022年度\n部门整体支出绩效自评报告</h1>"
        "<p>收入合计<b>100.00</b>万元<br>支出合计 90.00 万元</p>"
        "<table><tr><th colspan=2>指标</th><th>得分</th></tr>"
        "<tr><td rowspan=2>决策</td><td>目标</td><td>10</td></tr>"
        "<tr><td>编制<br>管理</td><td>9</td></tr></table><p>结束</p></body></html>"
    ).encode("gbk")
    doc = read(write(tmp_path, "page.htm", page))
    assert doc.encoding == "gb18030"
    assert doc.text == (
        "某局2022年度部门整体支出绩效自评报告\n收入合计100.00万元\n支出合计 90.00 万元\n"
        "指标 | 得分\n决策 | 目标 | 10\n | 编制管理 | 9\n结束"
    )
    assert "脚本" not in doc.text and "站点标题" not in doc.text
    rows = [[(b.col, doc.text[b.start : b.end]) for b in row] for row in doc.tables[0].rows]
    assert rows == [[(0, "指标"), (2, "得分")], [(0, "决策"), (1, "目标"), (2, "10")], [(1, "编制管理"), (2, "9")]]
    check_blocks(doc)


def test_html_without_h1_keeps_the_page_title(tmp_path):
    page = "<html><head><title>某局绩效自评报告</title></head><body><p>正文</p></body></html>"
    doc = read(write(tmp_path, "p.html", page.encode()))
    assert doc.text == "某局绩效自评报告\n正文"
    assert [b.kind for b in doc.blocks] == ["title", "paragraph"]


# -- doc ----------------------------------------------------------------------------------------

OLE2_WORD = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "WordDocument".encode("utf-16-le")


def test_doc_without_libreoffice_says_what_to_install(tmp_path, monkeypatch):
    import extractor.readers.doc as doc_reader

    monkeypatch.setattr(doc_reader, "find_soffice", lambda: None)
    with pytest.raises(MissingDependency) as err:
        read(write(tmp_path, "old.doc", OLE2_WORD))
    assert "libreoffice-writer-nogui" in str(err.value)


@pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")), reason="LibreOffice not installed")
def test_doc_is_converted_by_libreoffice(tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "doc",
            "--outdir",
            str(tmp_path),
            str(SAMPLES / f"{INVENTED}.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    doc = read(tmp_path / f"{INVENTED}.doc")
    assert doc.format == "doc" and len(doc.tables) == 1
    assert doc.text == nonempty_lines(SAMPLES / f"{INVENTED}.txt")


# -- bad input ----------------------------------------------------------------------------------


def test_missing_file(tmp_path):
    with pytest.raises(NotFound) as err:
        read(tmp_path / "nope.pdf")
    assert str(err.value) == f"{tmp_path / 'nope.pdf'}: no such file"


def test_directory(tmp_path):
    with pytest.raises(NotAFile):
        read(tmp_path)


def test_symlink_loop(tmp_path):
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    with pytest.raises(NotAFile) as err:
        read(tmp_path / "a")
    assert "symlink loop" in str(err.value)


def test_empty_file(tmp_path):
    with pytest.raises(EmptyFile) as err:
        read(write(tmp_path, "empty.docx", b""))
    assert str(err.value).endswith("empty file")


def test_over_the_size_limit(tmp_path):
    with pytest.raises(LimitExceeded):
        read(write(tmp_path, "big.txt", SENTENCE.encode()), max_bytes=10)


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads any file")
def test_permission_denied(tmp_path):
    path = write(tmp_path, "secret.txt", SENTENCE.encode())
    path.chmod(0)
    with pytest.raises(ReadError) as err:
        read(path)
    assert "permission denied" in str(err.value)


@pytest.mark.parametrize(
    "data",
    [b"GIF89a\x01\x00\x01\x00\x80\x00\x00", random.Random(7).randbytes(4096)],
    ids=["gif", "random"],
)
def test_unknown_binary(tmp_path, data):
    with pytest.raises(UnsupportedFormat) as err:
        read(write(tmp_path, "x.txt", data))
    assert "unknown binary format" in str(err.value)


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buffer.getvalue()


def test_zip_without_document_xml(tmp_path):
    data = zip_bytes({"content.xml": b"<office:document-content/>"})
    with pytest.raises(CorruptFile) as err:
        read(write(tmp_path, "book.docx", data))
    assert "without word/document.xml" in str(err.value)


def test_truncated_docx(tmp_path):
    data = (SAMPLES / f"{SEED}.docx").read_bytes()
    with pytest.raises(CorruptFile) as err:
        read(write(tmp_path, "cut.docx", data[: len(data) // 2]))
    assert "not a valid .docx" in str(err.value)


def test_docx_zip_bomb_by_declared_size(tmp_path):
    data = bytearray(zip_bytes({"word/document.xml": b"<w:document/>"}))
    central = data.rindex(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, 3_000_000_000)  # declared uncompressed size
    with pytest.raises(LimitExceeded):
        read(write(tmp_path, "bomb.docx", bytes(data)))


def test_docx_zip_with_too_many_members(tmp_path):
    members = {"word/document.xml": b"<w:document/>"} | {f"x/{i}": b"" for i in range(10_001)}
    with pytest.raises(LimitExceeded):
        read_bytes(zip_bytes(members), name="many.docx")


def test_encrypted_office_document(tmp_path):
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le")
    with pytest.raises(EncryptedFile):
        read(write(tmp_path, "locked.docx", data))


@pytest.mark.parametrize(
    "name",
    [
        f"{SEED}.txt",
        f"{SEED}.docx",
        f"{SEED}.pdf",
        f"{INVENTED}.txt",
        f"{INVENTED}.docx",
        f"{INVENTED}.pdf",
        f"{INVENTED}.html",
    ],
)
def test_samples_blocks_are_in_bounds(name):
    doc = read(SAMPLES / name)
    assert doc.format == name.rsplit(".", 1)[1]
    check_blocks(doc)


@pytest.mark.skipif(not (SHARED / "seed").is_dir(), reason="../shared/seed is not beside the project")
def test_committed_seed_copy_matches_shared():
    assert (SAMPLES / f"{SEED}.txt").read_bytes() == (SHARED / "seed" / f"{SEED}.txt").read_bytes()


def test_html_title_above_the_container_and_mislabeled_charset(tmp_path):
    page = (
        '<html><head><meta charset="gbk"><title>报告_某某县人民政府</title></head><body>'
        '<div class="top"><h1 class="logo">某某县人民政府</h1></div>'
        '<table class="wrap"><tr><td class="left"><a href="#">通知公告</a></td><td class="right">'
        '<div class="xl_title"><h2>某某局2021年度部门整体支出绩效自评报告</h2></div>'
        '<div class="xl_info">发布时间：2022-06-01</div>'
        '<div id="zoom"><p>&nbsp;&nbsp;一、部门基本情况</p><p>　　编制人数\n12人，实有人数11人。</p></div>'
        '</td></tr></table><div class="footer">版权所有</div></body></html>'
    )
    doc = read(write(tmp_path, "page.html", page.encode("utf-8")))  # says gbk, is UTF-8
    assert doc.encoding == "utf-8"
    assert doc.text == "某某局2021年度部门整体支出绩效自评报告\n一、部门基本情况\n　　编制人数 12人，实有人数11人。"
    assert [b.kind for b in doc.blocks] == ["heading", "paragraph", "paragraph"]


W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
MC_NS = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'


def test_docx_reads_what_the_page_shows(tmp_path):
    body = (
        "<w:p><w:r><w:t>收入</w:t></w:r><w:del><w:r><w:delText>作废</w:delText></w:r></w:del>"
        "<w:ins><w:r><w:t>总计</w:t></w:r></w:ins><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r>'
        "<w:r><w:t>145.16</w:t><w:tab/><w:t>万元</w:t><w:br/><w:t>次行</w:t></w:r></w:p>"
        '<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:t>文本框</w:t></mc:Choice>'
        "<mc:Fallback><w:t>文本框</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>"
        '<w:sdt><w:sdtContent><w:p><w:pPr><w:pStyle w:val="1"/></w:pPr><w:r><w:t>一、概况</w:t></w:r></w:p>'
        "</w:sdtContent></w:sdt>"
    )
    styles = (
        f'<w:styles {W_NS}><w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/></w:style></w:styles>'
    )
    document = f"<w:document {W_NS} {MC_NS}><w:body>{body}</w:body></w:document>"
    data = zip_bytes({"word/document.xml": document.encode(), "word/styles.xml": styles.encode()})
    doc = read(write(tmp_path, "x.docx", data))
    assert doc.text == "收入总计145.16\t万元\n次行\n文本框\n一、概况"
    assert [b.kind for b in doc.blocks] == ["paragraph", "paragraph", "heading"]


def test_pdf_with_unmapped_glyph_codes_needs_ocr(tmp_path, monkeypatch):
    # What a CJK font without a ToUnicode map yields: its raw codes, read as Latin-1 letters.
    monkeypatch.setattr("extractor.readers.ocr.available", lambda: False)  # OCR itself: tests/test_ocr.py
    stream = b"BT /F1 12 Tf 100 700 Td (\xb8\xc3\xd6\xb7\xbd\xf0\xb6\xee\xce\xaa\xc8\xcb\xc3\xf1) Tj ET"
    with pytest.raises(NoTextLayer):
        read(write(tmp_path, "unmapped.pdf", make_pdf(stream, b"/Encoding /WinAnsiEncoding ")))


def test_the_characters_left_out_of_the_garbage_count_are_never_garbage():
    # The share of unreadable characters skips what can never be one before collecting the
    # distinct characters (pdf._NEVER_GARBAGE): a CJK ideograph unassigned in this Python's
    # Unicode would be garbage, so the class is checked against every code point.
    from extractor.readers.pdf import _NEVER_GARBAGE, _garbage_share, _is_garbage

    every = "".join(map(chr, [*range(0xD800), *range(0xE000, 0x110000)]))
    skipped = "".join(_NEVER_GARBAGE.findall(every))
    assert len(skipped) > 20_000
    assert not [ch for ch in skipped if not ch.isspace() and _is_garbage(ch)]
    assert _garbage_share("收入合计 12.5 万元\x01\ue000\xb8") == 3 / 13


def test_docx_table_row_control_without_content_is_skipped():
    # Found by comparing the reader with its previous version on generated bodies: a w:sdt
    # between rows without its w:sdtContent failed the whole file (TypeError).
    cell = "<w:tc><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>"
    rows = "".join(f"<w:tr>{cell.format(a)}{cell.format(b)}</w:tr>" for a, b in (("项目", "金额"), ("收入", "145.16")))
    body = f"<w:tbl><w:sdt><w:sdtPr/></w:sdt>{rows}</w:tbl>"
    document = f"<w:document {W_NS}><w:body>{body}</w:body></w:document>"
    doc = read_bytes(zip_bytes({"word/document.xml": document.encode()}), name="x.docx")
    assert doc.text == "项目 | 金额\n收入 | 145.16" and len(doc.tables) == 1

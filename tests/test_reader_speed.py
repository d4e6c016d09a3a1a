"""The readers' fast paths give what their general paths give (issue 7).

Each fast path skips work only where it can show the result is the same: a .docx paragraph's
text from its character elements alone, a PDF line judged only at its spaces and repeated
characters. These tests hold each one against the general path on many generated inputs.
"""

from __future__ import annotations

import random
from pathlib import Path

from lxml import etree

from extractor.readers import docx_body as docx_reader
from extractor.readers import docx_xml
from extractor.readers import pdf_text as pdf_reader

W = docx_xml.W_MAIN
MC = docx_xml.MC

# -- docx: _fast_paragraph_text against _collect ------------------------------------------------

_TEXTS = ["收入", "abc", " x ", "", "145.16", "万元"]
_LEAVES = ["tab", "ptab", "br", "cr", "noBreakHyphen", "fldChar", "lastRenderedPageBreak", "sym"]
_CONTAINERS = [
    "r",
    "hyperlink",
    "ins",
    "del",
    "moveFrom",
    "moveTo",
    "smartTag",
    "fldSimple",
    "sdt",
    "sdtContent",
    "customXml",
    "rPr",
    "pPr",
    "instrText",
    "delText",
    "sdtPr",
    "tcPr",
    "sectPr",
    "drawing",
    "txbxContent",
    "footnoteReference",
    "tabs",
    "p",
    "tbl",
    "tr",
    "tc",
    "t",
    "vanish",
]


def _element(rng: random.Random, depth: int) -> str:
    if depth > 5 or rng.random() < 0.3:
        pick = rng.random()
        if pick < 0.45:
            return f"<w:t>{rng.choice(_TEXTS)}</w:t>"
        if pick < 0.5:
            return "<!-- c -->"
        if pick < 0.55:
            return "tail"
        if pick < 0.7:
            return rng.choice(
                ["<w:vanish/>", '<w:vanish w:val="0"/>', '<w:vanish w:val="false"/>', '<w:vanish w:val="1"/>']
            )
        return f"<w:{rng.choice(_LEAVES)}/>"
    kids = "".join(_element(rng, depth + 1) for _ in range(rng.randint(0, 4)))
    tag = rng.choice(_CONTAINERS + ["mc:AlternateContent", "mc:Choice", "mc:Fallback"])
    tag = tag if ":" in tag else f"w:{tag}"
    return f"<{tag}>{kids}</{tag}>"


def test_docx_fast_paragraph_text_is_the_general_walk():
    rng = random.Random(7)
    walker = docx_reader._Walker(W)
    fast = 0
    for _ in range(3000):
        inner = "".join(_element(rng, 1) for _ in range(rng.randint(0, 5)))
        p = etree.fromstring(f'<w:p xmlns:w="{W}" xmlns:mc="{MC}">{inner}</w:p>')
        general: list[str] = []
        walker._collect(p, general, 0)
        text = walker._fast_paragraph_text(p)
        if text is not None:
            fast += 1
            assert text == "".join(general), inner
    assert fast > 1000  # most generated paragraphs take the fast path


# -- pdf: _page_lines against _line_by_chars ------------------------------------------------------


class _FakeTextPage:
    """What _page_lines asks of a pdfium text page, with made-up flags and boxes."""

    def __init__(self, rng: random.Random, text: str) -> None:
        self.text = text
        self.raw = self
        self.generated_flags = [rng.choice((0, 1, 1, -1)) for _ in text]
        self.boxes = [
            (rng.choice((0, 0.1, 5)), rng.choice((0, 0.2, 9)), 1 + rng.random(), 1 + rng.random()) for _ in text
        ]

    def get_charbox(self, index: int):
        return self.boxes[index]

    # the pdfium_c calls
    def FPDFText_IsGenerated(self, _handle, index: int) -> int:  # noqa: N802 - pdfium's name
        return self.generated_flags[index]

    def generated(self, indices: list[int]) -> list[int]:  # TextPage.generated
        return [self.generated_flags[i] for i in indices]


_ALPHABET = [
    "字",
    "年",
    "0",
    "1",
    "a",
    "a",
    "-",
    " ",
    " ",
    " ",
    " ",
    "\t",
    "\r\n",
    "\n",
    "\ufffe",
    "\x02",
    "\x00",
    "。",
    "Ａ",
    "\u3000",
]


def test_pdf_lines_by_events_are_the_lines_by_chars():
    rng = random.Random(11)
    for _ in range(20_000):
        text = "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 40)))
        page = _FakeTextPage(rng, text)
        lines = pdf_reader.page_lines(page, page, text)
        reference = [
            pdf_reader._line_by_chars(page, page, text, m.start(), m.end()) for m in pdf_reader._LINE.finditer(text)
        ]
        assert lines == [line for line in reference if line is not None], repr(text)


# Fewer marked characters, more of what _page_texts judges: spaces alone and in runs next to wide
# and narrow characters, runs of equal characters, line ends; "x x" now and then.
_PAGE_ALPHABET = [
    "字",
    "年",
    "收",
    "0",
    "0",
    "1",
    "a",
    "b",
    ".",
    " ",
    " ",
    " ",
    "  ",
    "\t",
    "\r\n",
    "\n",
    "\r",
    "。",
    "Ａ",
    "\u3000",
    "ｱ",
    "\U00020000",
    "-",
    "00",
    "年年",
]


def test_pdf_page_texts_are_the_texts_of_the_page_lines():
    rng = random.Random(13)
    fast = 0
    for n in range(30_000):
        alphabet = _ALPHABET if n % 5 == 0 else _PAGE_ALPHABET
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        page = _FakeTextPage(rng, text)
        texts = pdf_reader.page_texts(page, text)
        if texts is None:
            continue
        fast += 1
        assert texts == [line.text for line in pdf_reader.page_lines(page, page, text)], repr(text)
    assert fast > 15_000  # most pages are read by _page_texts


# -- docx: document.xml parsed whole against streamed --------------------------------------------

_SAMPLES = Path(__file__).resolve().parent.parent / "samples"
_HARD_BODY = (
    '<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>一、总体情况</w:t></w:r></w:p>'
    "<w:sdt><w:sdtContent><w:p><w:r><w:t>控件内</w:t></w:r></w:p></w:sdtContent></w:sdt>"
    '<w:tbl><w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>合并</w:t></w:r></w:p></w:tc>'
    "<w:tc><w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r><w:r><w:t>12.5</w:t></w:r></w:p>"
    "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>嵌套</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:tc></w:tr>"
    "<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:p><w:r><w:t>3</w:t></w:r></w:p></w:tc></w:tr>"
    "</w:tbl><w:p><w:ins><w:r><w:t>插入</w:t></w:r></w:ins><w:del><w:r><w:delText>删除</w:delText></w:r></w:del></w:p>"
)


def _docx_bytes(body: str) -> bytes:
    import io
    import zipfile

    xml = f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", xml)
    return out.getvalue()


def test_docx_parsed_whole_reads_as_streamed(monkeypatch):
    from extractor.readers import docx

    inputs = [p.read_bytes() for p in sorted(_SAMPLES.glob("*.docx"))] + [_docx_bytes(_HARD_BODY)]
    for data in inputs:
        whole = docx.read_docx(data)
        with monkeypatch.context() as patch:
            patch.setattr(docx, "WHOLE_XML", 0)  # every document.xml streamed
            streamed = docx.read_docx(data)
        assert (whole.text, whole.blocks, whole.tables) == (streamed.text, streamed.blocks, streamed.tables)
    assert "嵌套" in whole.text and "隐藏" not in whole.text and "删除" not in whole.text

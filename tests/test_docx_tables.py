"""The one-pass reader of plain .docx tables (readers/docx_table) against the general walk
(docx_body._Walker): on random tables built from what Word writes in a table (and from what
only a broken or unusual file holds), every table it reads gives the rows the walk gives,
and it reads most of the plain ones."""

from __future__ import annotations

import random

import pytest
from lxml import etree

from extractor.readers.docx_body import _Walker
from extractor.readers.docx_xml import W_MAIN

W_NS = f'xmlns:w="{W_MAIN}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
WORDS = ["收入", "145.16", "项目 A", "", " 支出 ", "a\nb", "x&amp;y", "完成率"]


def _run(rng: random.Random, rare: float) -> str:
    kind = rng.choices(
        ["t", "t2", "rpr", "tab", "br", "vanish", "vanish0", "instr", "drawing", "ptab", "sym"],
        weights=[40, 6, 8, 4, *[rare] * 7],
    )[0]
    word = rng.choice(WORDS)
    inner = {
        "t": f"<w:t>{word}</w:t>",
        "t2": f'<w:t xml:space="preserve">{word}</w:t><w:t>{rng.choice(WORDS)}</w:t>',
        "rpr": f'<w:rPr><w:b/><w:sz w:val="21"/></w:rPr><w:t>{word}</w:t>',
        "tab": f"<w:t>{word}</w:t><w:tab/><w:t>1</w:t>",
        "br": f"<w:t>{word}</w:t><w:br/>",
        "vanish": f"<w:rPr><w:vanish/></w:rPr><w:t>{word}</w:t>",
        "vanish0": f'<w:rPr><w:vanish w:val="0"/></w:rPr><w:t>{word}</w:t>',
        "instr": f"<w:instrText>PAGE</w:instrText><w:t>{word}</w:t>",
        "drawing": "<w:drawing><w:txbxContent><w:p><w:r><w:t>框</w:t></w:r></w:p></w:txbxContent></w:drawing>",
        "ptab": f"<w:ptab/><w:t>{word}</w:t>",
        "sym": f'<w:sym w:char="F0FC"/><w:t>{word}</w:t>',
    }[kind]
    return f"<w:r>{inner}</w:r>"


def _paragraph(rng: random.Random, rare: float) -> str:
    parts = []
    if rng.random() < 0.3:
        stops = '<w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs>' if rng.random() < 0.5 else ""
        parts.append(f'<w:pPr><w:jc w:val="center"/>{stops}</w:pPr>')
    for _ in range(rng.choice([0, 1, 1, 1, 2, 3])):
        roll = rng.random() / max(rare, 0.01)
        if roll < 0.03:
            parts.append(f'<w:hyperlink w:anchor="a">{_run(rng, rare)}</w:hyperlink>')
        elif roll < 0.05:
            parts.append(f"<w:ins>{_run(rng, rare)}</w:ins>")
        elif roll < 0.07:
            parts.append(f"<w:del><w:r><w:delText>{rng.choice(WORDS)}</w:delText></w:r></w:del>")
        elif roll < 0.10:
            parts.append("<w:t>裸</w:t>")  # text outside a run
        elif rng.random() < 0.05:
            parts.append('<w:bookmarkStart w:id="1" w:name="b"/><w:proofErr w:type="spellStart"/>')
        else:
            parts.append(_run(rng, rare))
    return f"<w:p>{''.join(parts)}</w:p>"


def _cell(rng: random.Random, rare: float) -> str:
    props = ['<w:tcW w:w="1440" w:type="dxa"/>']
    roll = rng.random()
    if roll < 0.15:
        props.append(f'<w:gridSpan w:val="{rng.choice(["2", "3", "0", "x", "2000"])}"/>')
    if rng.random() < 0.15:
        props.append(rng.choice(['<w:vMerge w:val="restart"/>', "<w:vMerge/>", '<w:vMerge w:val="continue"/>']))
    if rng.random() < 0.03 * rare:
        props.append(rng.choice(['<w:hMerge w:val="restart"/>', "<w:hMerge/>"]))
    tcpr = f"<w:tcPr>{''.join(props)}</w:tcPr>"
    if rng.random() < 0.02 * rare:
        tcpr += '<w:tcPr><w:gridSpan w:val="4"/></w:tcPr>'  # a second one: the walk reads the first
    body = "".join(_paragraph(rng, rare) for _ in range(rng.choice([0, 1, 1, 1, 1, 2, 3])))
    roll = rng.random() / max(rare, 0.01)
    if roll < 0.02:
        body += "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>内</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
    elif roll < 0.04:
        body = f"<w:sdt><w:sdtContent>{body}</w:sdtContent></w:sdt>"
    elif roll < 0.05:
        body = f"<w:customXml>{body}</w:customXml>"
    return f"<w:tc>{tcpr if rng.random() < 0.9 else ''}{body}</w:tc>"


def _row(rng: random.Random, rare: float) -> str:
    trpr = ""
    if rng.random() < 0.2:
        trpr = f'<w:trPr><w:gridBefore w:val="{rng.choice(["1", "2", "0"])}"/><w:tblHeader/></w:trPr>'
    cells = "".join(_cell(rng, rare) for _ in range(rng.randint(1, 5)))
    if trpr and rng.random() < 0.1 * rare:
        return f"<w:tr>{cells}{trpr}</w:tr>"  # properties after the cells
    return f"<w:tr>{trpr}{cells}</w:tr>"


def random_table(rng: random.Random, rare: float = 1.0) -> str:
    """A table's XML; ``rare`` scales how often what Word rarely writes in a table turns up."""
    rows = "".join(_row(rng, rare) for _ in range(rng.randint(1, 6)))
    if rng.random() < 0.03 * rare:
        rows = f"<w:sdt><w:sdtContent>{rows}</w:sdtContent></w:sdt>"
    return f'<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid/>{rows}</w:tbl>'


@pytest.mark.parametrize("seed", range(4))
def test_plain_tables_read_as_the_walk_reads_them(seed):
    rng = random.Random(seed)
    read = 0
    for _ in range(300):
        table = random_table(rng, rng.choice([0.0, 0.2, 1.0]))
        document = f"<w:document {W_NS}><w:body>{table}</w:body></w:document>"
        tbl = etree.fromstring(document.encode())[0][0]
        walker = _Walker(W_MAIN)
        fast = walker.plain.rows(tbl)
        if fast is not None:
            read += 1
            assert fast == walker._table_rows(tbl), document
    assert read >= 100  # the one pass is taken, not only the walk


def test_a_table_with_a_hidden_run_or_a_break_goes_to_the_walk():
    cell = "<w:tc><w:p><w:r>{}<w:t>收入</w:t></w:r></w:p></w:tc>"
    for inner in ("<w:rPr><w:vanish/></w:rPr>", "<w:br/>", "<w:ptab/>"):
        document = f"<w:document {W_NS}><w:body><w:tbl><w:tr>{cell.format(inner)}</w:tr></w:tbl></w:body></w:document>"
        tbl = etree.fromstring(document.encode())[0][0]
        assert _Walker(W_MAIN).plain.rows(tbl) is None
    plain = f"<w:document {W_NS}><w:body><w:tbl><w:tr>{cell.format('')}</w:tr></w:tbl></w:body></w:document>"
    assert _Walker(W_MAIN).plain.rows(etree.fromstring(plain.encode())[0][0]) == [[(0, "收入", 1)]]

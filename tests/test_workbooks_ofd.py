"""Excel workbooks (.xlsx, .xls) and OFD files (issue 15): real tables, the same values as Word, the same limits."""

from __future__ import annotations

import io
import sys
import time
import zipfile
from pathlib import Path

import pytest

from extractor import extract, limits
from extractor.errors import CorruptFile, LimitExceeded, NoTextLayer, UnsupportedFormat, describe
from extractor.grid import reader_grids
from extractor.model import dump
from extractor.normalize import fold
from extractor.readers import read, read_bytes, sniff
from extractor.readers._sheets import format_number, is_date_format

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
WORKBOOK = SAMPLES / "jiangbei-tjj-2023"
OFD = SAMPLES / "qinghe-whg-2022.ofd"
sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_samples import values  # noqa: E402

SS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
OFD_NS = "http://www.ofdspec.org/2016"


def one_line(err) -> str:
    message = str(err)
    assert "\n" not in message and "Traceback" not in message
    return message


# ---- the samples: the same values as the Word rendering of the same content ------------------------


@pytest.mark.parametrize("suffix", [".xlsx", ".xls"])
def test_workbook_gives_the_values_of_its_word_rendering(suffix):
    word = values(dump(extract(WORKBOOK.with_suffix(".docx"), verify=False).report))
    book = values(dump(extract(WORKBOOK.with_suffix(suffix), verify=False).report))
    assert book == word
    assert book[".expenditure.total"] == "16480300" and book[".expenditure.by_type[0].amount"] == "14550200"


def test_ofd_gives_the_values_of_its_word_rendering():
    word = values(dump(extract(OFD.with_suffix(".docx"), verify=False).report))
    ofd = values(dump(extract(OFD, verify=False).report))
    assert ofd == word
    assert ofd[".total_score"] == "87.5" and ofd[".indicators[3].children[1].score"] == "9"


@pytest.mark.parametrize("suffix", [".xlsx", ".xls"])
def test_each_sheet_is_one_table_under_its_name_with_merged_cells(suffix):
    doc = read(WORKBOOK.with_suffix(suffix))
    assert doc.format == suffix[1:] and len(doc.tables) == 2
    headings = [doc.text[b.start : b.end] for b in doc.blocks if b.kind == "heading"]
    assert headings == ["封面", "收入支出决算总表", "支出决算表"]
    first = doc.tables[0].rows[0]
    # 收入 and 支出 each merged across three columns; 本年支出合计 merged down two header rows
    assert [(doc.text[b.start : b.end], b.col, b.colspan) for b in first] == [("收入", 0, 3), ("支出", 3, 3)]
    second = doc.tables[1]
    assert [(doc.text[b.start : b.end], b.rowspan) for b in second.rows[0]] == [
        ("项目", 1),
        ("本年支出合计", 2),
        ("基本支出", 2),
        ("项目支出", 2),
    ]
    # the lines above the table (title, 公开01表, 部门 … 单位) and the note below are not rows
    assert "部门：示例市江北区统计局 单位：万元\n收入 | 支出" in doc.text
    assert "总计 | 8 | 1,648.03 | 总计 | 37 | 1,648.03\n注：" in doc.text


@pytest.mark.parametrize("suffix", [".xlsx", ".xls"])
def test_formulas_read_by_their_cached_values_as_the_cell_shows_them(suffix):
    doc = read(WORKBOOK.with_suffix(suffix))
    # 本年收入合计 is =SUM(C6:C10), shown with the #,##0.00 format
    assert "本年收入合计 | 6 | 1,627.68 | 本年支出合计 | 35 | 1,626.58" in doc.text
    grids = reader_grids(doc, fold(doc.text))
    merged = grids[1].at(1, 2)
    assert merged is not None and merged.text == "本年支出合计"  # the merged header covers its second row


def test_ofd_reads_text_by_position_and_tables_from_ruling_lines():
    doc = read(OFD)
    assert doc.format == "ofd" and doc.pages == 2 and len(doc.tables) == 1
    table = doc.tables[0]
    assert [doc.text[b.start : b.end] for b in table.rows[1]] == ["决策", "", "20", "19"]
    assert table.rows[1][0].rowspan == 3  # 决策 merged down over its two level-2 rows
    # a paragraph wrapped on the page reads as one line, as in Word
    assert "其中：财政拨款收入486.30万元，占95.35%；事业收入23.70万元" in doc.text
    assert all(b.page in (1, 2) for b in doc.blocks)


def test_new_formats_are_sniffed_from_bytes_not_names(tmp_path):
    for src, fmt in ((WORKBOOK.with_suffix(".xlsx"), "xlsx"), (WORKBOOK.with_suffix(".xls"), "xls"), (OFD, "ofd")):
        data = src.read_bytes()
        assert sniff(data) == fmt
        misnamed = tmp_path / f"report-{fmt}.docx"
        misnamed.write_bytes(data)
        assert read(misnamed).format == fmt


# ---- number formats ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "code", "shown"),
    [
        (3015.8999999999996, "General", "3015.9"),  # a cached SUM's binary noise
        (1234.5, "#,##0.00", "1,234.50"),
        (1234.5, "#,##0.00_);[Red]\\(#,##0.00\\)", "1,234.50"),
        (0.12345, "0.00%", "12.35%"),
        (100.0, "0", "100"),
        (2.5, "0", "3"),  # rounded half up, as Excel shows it
        (7.0, "General", "7"),
        (-3.125, "0.00", "-3.13"),
        (145.16, '0.00"万元"', "145.16"),
    ],
)
def test_numbers_shown_as_their_format_shows_them(value, code, shown):
    assert format_number(value, code) == shown


def test_date_formats_are_told_from_number_formats():
    assert is_date_format("yyyy-mm-dd") and is_date_format('yyyy"年"m"月"d"日"')
    assert not is_date_format("#,##0.00") and not is_date_format('0.00"元"') and not is_date_format("General")


# ---- hostile workbooks and OFD files --------------------------------------------------------------


def xlsx(sheet_xml: str, extra: dict[str, bytes] | None = None, workbook: str | None = None) -> bytes:
    members = {
        "[Content_Types].xml": b"<Types/>",
        "xl/workbook.xml": (
            workbook
            or f'<workbook xmlns="{SS}" xmlns:r="{R}"><sheets>'
            f'<sheet name="表1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ).encode(),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{R}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ).encode(),
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{SS}"><sheetData>{sheet_xml}</sheetData></worksheet>'.encode(),
        **(extra or {}),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buffer.getvalue()


def row(r: int, *cells: str) -> str:
    return (
        f'<row r="{r}">'
        + "".join(
            f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'
            for ref, text in zip(cells[::2], cells[1::2], strict=True)
        )
        + "</row>"
    )


def test_two_cells_at_the_corners_of_the_grid_cost_two_cells():
    # A dense reader allocates 17 billion cells for this 1 KB file (calamine issue 693).
    data = xlsx(row(1, "A1", "收入总计") + row(1048576, "XFD1048576", "145.16"))
    started = time.monotonic()
    doc = read_bytes(data, name="corners.xlsx")
    assert time.monotonic() - started < 10
    assert doc.text == "表1\n收入总计\n145.16" and not doc.tables


def test_a_table_spanning_the_whole_grid_is_refused_in_one_line():
    data = xlsx(row(1, "A1", "项目", "B1", "金额") + row(1048576, "A1048576", "合计", "XFD1048576", "145.16"))
    with pytest.raises(LimitExceeded) as err:
        read_bytes(data, name="wide.xlsx")
    assert err.value.limit == "max_cells" and "EXTRACTOR_MAX_CELLS" in one_line(err.value)


def test_cells_over_the_limit_are_refused():
    data = xlsx("".join(row(r, f"A{r}", "项目", f"B{r}", str(r)) for r in range(1, 40)))
    with limits.use(max_cells=50), pytest.raises(LimitExceeded) as err:
        read_bytes(data, name="many.xlsx")
    assert err.value.limit == "max_cells"
    assert describe(err.value) == (
        "many.xlsx：工作簿的单元格数超过上限（workbook has over 51 cells；上限 50，可用 EXTRACTOR_MAX_CELLS 调高）"
    )
    assert len(read_bytes(data, name="many.xlsx").tables[0].rows) == 39


def test_workbook_entities_are_not_expanded():
    bomb = (
        '<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
    )
    sheet = f'{bomb}<worksheet xmlns="{SS}"><sheetData>{row(1, "A1", "&c;", "B1", "x")}</sheetData></worksheet>'
    data = xlsx("", extra={"xl/worksheets/sheet1.xml": sheet.encode()})
    try:
        doc = read_bytes(data, name="laughs.xlsx")
    except CorruptFile as err:
        one_line(err)
    else:
        assert "aaaaaaaaaa" not in doc.text


def test_workbook_zip_limits_apply(tmp_path):
    data = xlsx(row(1, "A1", "项目", "B1", "金额"), extra={"xl/media/pad.bin": b"\0" * 200_000})
    with limits.use(max_zip_bytes=100_000), pytest.raises(LimitExceeded) as err:
        read_bytes(data, name="pad.xlsx")
    assert err.value.limit == "max_zip_bytes"


@pytest.mark.parametrize(
    ("name", "data", "error", "said"),
    [
        (
            "truncated.xlsx",
            lambda: WORKBOOK.with_suffix(".xlsx").read_bytes()[:1500],
            CorruptFile,
            "不是有效的 .xlsx 文件（corrupt zip）",
        ),
        (
            "no-sheets.xlsx",
            lambda: xlsx("", workbook=f'<workbook xmlns="{SS}"><sheets/></workbook>'),
            CorruptFile,
            "不是有效的 .xlsx 文件（the workbook lists no sheet）",
        ),
        (
            "broken-sheet.xlsx",
            lambda: xlsx("<row><c>", extra={"xl/worksheets/sheet1.xml": b"<worksheet><sheetData>"}),
            CorruptFile,
            "不是有效的 .xlsx 文件（xl/worksheets/sheet1.xml is not well-formed XML: ",
        ),
        # a truncated OLE2 file has lost the directory that names its streams: taken for a .doc
        (
            "truncated.xls",
            lambda: WORKBOOK.with_suffix(".xls").read_bytes()[:3000],
            CorruptFile,
            "LibreOffice 无法转换这个 .doc 文件",
        ),
        (
            "xlsb.xlsx",
            lambda: _zip({"xl/workbook.bin": b"\0\0"}),
            UnsupportedFormat,
            "不支持 Excel 二进制工作簿（.xlsb），请另存为 .xlsx",
        ),
        (
            "other.zip",
            lambda: _zip({"readme.txt": b"x"}),
            CorruptFile,
            "压缩包中没有 word/document.xml、xl/workbook.xml 或 OFD.xml，不是 Word、Excel 或 OFD 文档",
        ),
        ("truncated.ofd", lambda: OFD.read_bytes()[:1200], CorruptFile, "不是有效的 .ofd 文件（corrupt zip）"),
        ("blank.ofd", lambda: ofd(["", ""]), NoTextLayer, "OFD 页面中没有文字（OFD 中的扫描图像不做文字识别）"),
    ],
)
def test_broken_workbooks_and_ofd_files_give_one_line(name, data, error, said):
    with pytest.raises(error) as err:
        read_bytes(data(), name=name)
    assert one_line(err.value).startswith(f"{name}: ")
    assert describe(err.value).startswith(f"{name}：{said}")  # what a person reads, in Chinese


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buffer.getvalue()


def ofd(pages: list[str], extra: dict[str, bytes] | None = None) -> bytes:
    listed = "".join(f'<ofd:Page ID="{i + 2}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(len(pages)))
    members = {
        "OFD.xml": f'<ofd:OFD xmlns:ofd="{OFD_NS}"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>'
        "</ofd:DocBody></ofd:OFD>".encode(),
        "Doc_0/Document.xml": f'<ofd:Document xmlns:ofd="{OFD_NS}"><ofd:Pages>{listed}</ofd:Pages></ofd:Document>'.encode(),
        **{
            f"Doc_0/Pages/Page_{i}/Content.xml": f'<ofd:Page xmlns:ofd="{OFD_NS}"><ofd:Content><ofd:Layer>{body}'
            "</ofd:Layer></ofd:Content></ofd:Page>".encode()
            for i, body in enumerate(pages)
        },
        **(extra or {}),
    }
    return _zip(members)


def text_object(x: float, y: float, text: str, size: float = 4.0, ctm: str = "") -> str:
    ctm = f' CTM="{ctm}"' if ctm else ""
    return (
        f'<ofd:TextObject Boundary="{x} {y} 150 {size * 1.5}" Size="{size}"{ctm}>'
        f'<ofd:TextCode X="0" Y="{size}">{text}</ofd:TextCode></ofd:TextObject>'
    )


def test_ofd_text_objects_read_in_reading_order_not_file_order():
    page = (
        text_object(20, 60, "第三行：支出合计")
        + text_object(20, 20, "第一行标题")
        + text_object(80, 40, "145.16万元")
        + text_object(20, 40, "收入总计")
    )
    doc = read_bytes(ofd([page]), name="order.ofd")
    assert doc.text == "第一行标题\n收入总计 | 145.16万元\n第三行：支出合计"


def test_ofd_object_transform_places_and_scales_text():
    # CTM scales the object's own units: a 10-unit font at 0.4 is 4 mm, moved 100 mm down
    page = text_object(20, 10, "下方的行", size=10, ctm="0.4 0 0 0.4 0 100") + text_object(20, 30, "上方的行")
    assert read_bytes(ofd([page]), name="ctm.ofd").text == "上方的行\n下方的行"


def test_ofd_limits_and_missing_parts():
    data = ofd([text_object(20, 20, f"第{i}页") for i in range(5)])
    with limits.use(max_pages=3), pytest.raises(LimitExceeded) as err:
        read_bytes(data, name="long.ofd")
    assert err.value.limit == "max_pages"
    with pytest.raises(NoTextLayer):
        read_bytes(ofd(["", ""]), name="blank.ofd")
    members = zipfile.ZipFile(io.BytesIO(data))
    kept = {n: members.read(n) for n in members.namelist() if "Page_1" not in n}
    doc = read_bytes(_zip(kept), name="gap.ofd")
    assert doc.pages == 5 and "第1页" not in doc.text and any("missing" in w for w in doc.warnings)

"""The samples of the formats an archive holds beside Word and PDF: a 决算 workbook (.xlsx, and
.xls converted from it by LibreOffice) with the same content as .txt, .docx and .pdf, and an
OFD rendering of the invented performance report. ``make_samples.py`` calls ``build_all``.

The workbook is written as its XML (formulas with their cached values, as Excel saves them),
the OFD as its XML pages (text objects placed on the page, tables drawn with ruling lines),
both with fixed zip timestamps so that a re-run gives the same bytes.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import zipfile
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

SAMPLES = Path(__file__).resolve().parent
WORKBOOK_SLUG = "jiangbei-tjj-2023"
ZIP_DATE = (2024, 1, 1, 0, 0, 0)
D = Decimal


class Formula:
    """A formula cell and the value Excel cached for it."""

    def __init__(self, expression: str, value: Decimal) -> None:
        self.expression, self.value = expression, value


# An invented 决算 workbook (fictional bureau and figures). In a row, "<" continues the merged
# cell to its left and "^" the one above; Decimal is money (#,##0.00), int a 行次.
COVER = ["示例市江北区统计局2023年度部门决算公开表", "编制单位：示例市江北区统计局", "公开日期：2024年8月30日"]
TOTAL_SHEET = {
    "name": "收入支出决算总表",
    "lead": [["收入支出决算总表"], ["公开01表"], ["部门：示例市江北区统计局", "", "", "", "", "单位：万元"]],
    "rows": [
        ["收入", "<", "<", "支出", "<", "<"],
        ["项目", "行次", "金额", "项目", "行次", "金额"],
        ["一、一般公共预算财政拨款收入", 1, D("1612.48"), "一、一般公共服务支出", 31, D("1501.36")],
        ["二、政府性基金预算财政拨款收入", 2, D("0.00"), "二、社会保障和就业支出", 32, D("62.18")],
        ["三、上级补助收入", 3, D("0.00"), "三、卫生健康支出", 33, D("24.90")],
        ["四、事业收入", 4, D("0.00"), "四、住房保障支出", 34, D("38.14")],
        ["五、其他收入", 5, D("15.20"), "", "", ""],
        [
            "本年收入合计",
            6,
            Formula("SUM(C6:C10)", D("1627.68")),
            "本年支出合计",
            35,
            Formula("SUM(F6:F10)", D("1626.58")),
        ],
        ["年初结转和结余", 7, D("20.35"), "年末结转和结余", 36, D("21.45")],
        ["总计", 8, Formula("C11+C12", D("1648.03")), "总计", 37, Formula("F11+F12", D("1648.03"))],
    ],
    "notes": ["注：本表反映部门本年度的总收支和年末结转结余情况。"],
}
EXPENDITURE_SHEET = {
    "name": "支出决算表",
    "lead": [["支出决算表"], ["公开03表"], ["部门：示例市江北区统计局", "", "", "", "单位：万元"]],
    "rows": [
        ["项目", "<", "本年支出合计", "基本支出", "项目支出"],
        ["科目编码", "科目名称", "^", "^", "^"],
        [
            "合计",
            "<",
            Formula("SUM(C6:C9)", D("1626.58")),
            Formula("SUM(D6:D9)", D("1455.02")),
            Formula("SUM(E6:E9)", D("171.56")),
        ],
        ["201", "一般公共服务支出", D("1501.36"), D("1380.10"), D("121.26")],
        ["208", "社会保障和就业支出", D("62.18"), D("48.60"), D("13.58")],
        ["210", "卫生健康支出", D("24.90"), D("8.18"), D("16.72")],
        ["221", "住房保障支出", D("38.14"), D("18.14"), D("20.00")],
    ],
    "notes": ["注：本表反映部门本年度各项支出情况。"],
}
SHEETS = [TOTAL_SHEET, EXPENDITURE_SHEET]


def check_workbook_figures() -> None:
    """The workbook's figures agree with each other, as a clean sample must."""
    rows = TOTAL_SHEET["rows"]
    revenue = sum(r[2] for r in rows[2:7] if isinstance(r[2], Decimal))
    spending = sum(r[5] for r in rows[2:7] if isinstance(r[5], Decimal))
    assert revenue == rows[7][2].value and spending == rows[7][5].value
    assert rows[7][2].value + rows[8][2] == rows[9][2].value == rows[7][5].value + rows[8][5] == rows[9][5].value
    detail = EXPENDITURE_SHEET["rows"][3:]
    for r in detail:
        assert r[3] + r[4] == r[2], r
    total = EXPENDITURE_SHEET["rows"][2]
    for k in (2, 3, 4):
        assert sum(r[k] for r in detail) == total[k].value
    assert total[2].value == spending


def shown(value) -> str:
    """A cell as Excel shows it: money with thousands separators and two places."""
    if isinstance(value, Formula):
        value = value.value
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return str(value)


def merges(rows: list[list]) -> list[tuple[int, int, int, int]]:
    """Merged ranges (first row, first column, last row, last column) from the "<" and "^" marks."""
    out = []
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value in ("<", "^"):
                continue
            c1 = c
            while c1 + 1 < len(row) and row[c1 + 1] == "<":
                c1 += 1
            r1 = r
            while r1 + 1 < len(rows) and rows[r1 + 1][c] == "^":
                r1 += 1
            if (r1, c1) != (r, c):
                out.append((r, c, r1, c1))
    return out


# ---- .xlsx ------------------------------------------------------------------------------------


def _col(c: int) -> str:
    name = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        name = chr(65 + rem) + name
    return name


def _sheet_rows(sheet: dict) -> list[list]:
    """Every row of the sheet as written: the lead rows, the table, a blank row, the notes."""
    return [*sheet["lead"], *sheet["rows"], [], *[[n] for n in sheet["notes"]]]


def _sheet_xml(rows: list[list], ranges: list[tuple[int, int, int, int]], strings: list[str]) -> str:
    out = []
    for r, row in enumerate(rows):
        cells = []
        for c, value in enumerate(row):
            ref = f"{_col(c)}{r + 1}"
            if value in ("", "<", "^"):
                continue
            if isinstance(value, Formula):
                cells.append(f'<c r="{ref}" s="1"><f>{escape(value.expression)}</f><v>{value.value}</v></c>')
            elif isinstance(value, Decimal):
                cells.append(f'<c r="{ref}" s="1"><v>{value}</v></c>')
            elif isinstance(value, int):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                if value not in strings:
                    strings.append(value)
                cells.append(f'<c r="{ref}" t="s"><v>{strings.index(value)}</v></c>')
        out.append(f'<row r="{r + 1}">{"".join(cells)}</row>')
    merged = "".join(f'<mergeCell ref="{_col(c0)}{r0 + 1}:{_col(c1)}{r1 + 1}"/>' for r0, c0, r1, c1 in ranges)
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_SS}">'
        f"<sheetData>{''.join(out)}</sheetData>"
        + (f'<mergeCells count="{len(ranges)}">{merged}</mergeCells>' if ranges else "")
        + "</worksheet>"
    )


_SS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PR = "http://schemas.openxmlformats.org/package/2006/relationships"
_STYLES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{_SS}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="#,##0.00_ "/></numFmts>'
    '<fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts>'
    '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs></styleSheet>'
)


def build_xlsx(path: Path) -> None:
    sheets = [("封面", [[line] for line in COVER], [])]
    sheets += [
        (
            s["name"],
            _sheet_rows(s),
            [(r0 + len(s["lead"]), c0, r1 + len(s["lead"]), c1) for r0, c0, r1, c1 in merges(s["rows"])],
        )
        for s in SHEETS
    ]
    strings: list[str] = []
    parts = {
        f"xl/worksheets/sheet{i + 1}.xml": _sheet_xml(rows, ranges, strings)
        for i, (_, rows, ranges) in enumerate(sheets)
    }
    sst = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
    parts["xl/sharedStrings.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<sst xmlns="{_SS}" count="{len(strings)}" uniqueCount="{len(strings)}">{sst}</sst>'
    )
    parts["xl/styles.xml"] = _STYLES
    listed = "".join(
        f'<sheet name="{escape(name)}" sheetId="{i + 1}" r:id="rId{i + 1}"/>' for i, (name, _, _) in enumerate(sheets)
    )
    parts["xl/workbook.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<workbook xmlns="{_SS}" xmlns:r="{_R}"><sheets>{listed}</sheets></workbook>'
    )
    rels = "".join(
        f'<Relationship Id="rId{i + 1}" Type="{_R}/worksheet" Target="worksheets/sheet{i + 1}.xml"/>'
        for i in range(len(sheets))
    )
    n = len(sheets)
    rels += (
        f'<Relationship Id="rId{n + 1}" Type="{_R}/sharedStrings" Target="sharedStrings.xml"/>'
        f'<Relationship Id="rId{n + 2}" Type="{_R}/styles" Target="styles.xml"/>'
    )
    parts["xl/_rels/workbook.xml.rels"] = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="{_PR}">{rels}</Relationships>'
    )
    parts["_rels/.rels"] = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="{_PR}">'
        f'<Relationship Id="rId1" Type="{_R}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" ContentType="{ct}.worksheet+xml"/>' for i in range(n)
    )
    parts["[Content_Types].xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>{overrides}'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{ct}.sharedStrings+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{ct}.styles+xml"/></Types>'
    )
    order = [
        "[Content_Types].xml",
        "_rels/.rels",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "xl/styles.xml",
        "xl/sharedStrings.xml",
        *[f"xl/worksheets/sheet{i + 1}.xml" for i in range(n)],
    ]
    write_zip(path, [(name, parts[name].encode("utf-8")) for name in order])


def write_zip(path: Path, members: list[tuple[str, bytes]]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in members:
            out.writestr(zipfile.ZipInfo(name, ZIP_DATE), data, zipfile.ZIP_DEFLATED)


def convert_to_xls(xlsx: Path) -> None:
    """The .xls (BIFF8) that LibreOffice saves from the .xlsx: the same cells, merges and cached values."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise SystemExit("soffice not found: apt-get install -y libreoffice-calc-nogui")
    with tempfile.TemporaryDirectory() as tmp:
        command = [
            soffice,
            f"-env:UserInstallation=file://{tmp}/profile",
            "--headless",
            "--convert-to",
            "xls",
            "--outdir",
            tmp,
            str(xlsx),
        ]
        print("+", " ".join(command))
        subprocess.run(command, check=True, timeout=180, capture_output=True)
        xlsx.with_suffix(".xls").write_bytes((Path(tmp) / (xlsx.stem + ".xls")).read_bytes())


# ---- the same content as text and as Word ------------------------------------------------------


def filled(rows: list[list]) -> list[list[str]]:
    """The rows as shown, a merged cell's text repeated in every column and row it covers (as a
    merged range is filled when a table is copied as text)."""
    out: list[list[str]] = []
    for r, row in enumerate(rows):
        out.append([])
        for c, value in enumerate(row):
            out[r].append(out[r][c - 1] if value == "<" else out[r - 1][c] if value == "^" else shown(value))
    return out


def workbook_text() -> str:
    """The workbook as text: the cover, then each sheet's name, lead lines, pipe rows (merged
    cells filled) and notes."""
    lines = list(COVER)
    for sheet in SHEETS:
        lines.append(sheet["name"])
        lines += [" ".join(v for v in row if v) for row in sheet["lead"]]
        lines += [" | ".join(row) for row in filled(sheet["rows"])]
        lines += sheet["notes"]
    return "\n".join(lines) + "\n"


def build_workbook_docx(path: Path) -> None:
    import make_samples as base

    document = base.new_document()
    base.add_paragraph(document, COVER[0], "Title")
    for line in COVER[1:]:
        base.add_paragraph(document, line)
    for sheet in SHEETS:
        base.add_paragraph(document, sheet["name"], "Heading 1")
        for row in sheet["lead"]:
            base.add_paragraph(document, " ".join(v for v in row if v))
        rows = sheet["rows"]
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        table.style = document.styles["Table Grid"]
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value not in ("<", "^", ""):
                    base.set_east_asian_font(table.cell(r, c).paragraphs[0].add_run(shown(value)).element)
        for r0, c0, r1, c1 in merges(rows):
            table.cell(r0, c0).merge(table.cell(r1, c1))
        for note in sheet["notes"]:
            base.add_paragraph(document, note)
    base.save_docx(document, path)


def build_workbook(samples: Path = SAMPLES) -> list[Path]:
    """jiangbei-tjj-2023 as .txt, .docx, .pdf, .xlsx and .xls."""
    import make_samples as base

    check_workbook_figures()
    stem = samples / WORKBOOK_SLUG
    stem.with_suffix(".txt").write_text(workbook_text(), encoding="utf-8")
    build_workbook_docx(stem.with_suffix(".docx"))
    base.convert_to_pdf(stem.with_suffix(".docx"))
    build_xlsx(stem.with_suffix(".xlsx"))
    convert_to_xls(stem.with_suffix(".xlsx"))
    return [stem.with_suffix(s) for s in (".txt", ".docx", ".pdf", ".xlsx", ".xls")]


# The scan sample: a band of page 2 of the invented report's PDF (the last rows of its score
# table and the grade paragraph), as a page scanner saves it. Fractions of the page's height.
SCAN_BAND = (0.50, 0.71)
SCAN_DPI = 150


def build_scan_sample(samples: Path = SAMPLES) -> Path:
    """samples/qinghe-whg-2022-scan.png: part of a page as a gray image, for the OCR reader's
    tests and the fuzzer (small, so that recognising it takes a second or two)."""
    import make_samples as base
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(samples / f"{base.INVENTED_SLUG}.pdf")
    try:
        image = pdf[1].render(scale=SCAN_DPI / 72, grayscale=True).to_pil().convert("L")
    finally:
        pdf.close()
    top, bottom = (int(f * image.height) for f in SCAN_BAND)
    path = samples / f"{base.INVENTED_SLUG}-scan.png"
    image.crop((0, top, image.width, bottom)).save(path, "PNG", dpi=(SCAN_DPI, SCAN_DPI), optimize=True)
    return path


def build_all(samples: Path = SAMPLES) -> list[Path]:
    from make_ofd import build_ofd_sample

    return [*build_workbook(samples), build_ofd_sample(samples), build_scan_sample(samples)]

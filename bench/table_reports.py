"""Generates table-heavy reports like real 决算 and self-evaluation PDFs (issue 16), as .docx and .pdf.

    .venv/bin/python bench/table_reports.py OUT_DIR [--pages 10 50 200] [--seed 16]

Each report is a run of invented sections (a fictional unit, made-up figures): a paragraph or two,
then the tables that fill real reports: a 收入支出决算总表 with a two-row header (收入 and 支出 each
merged over three columns) repeated on every page it runs onto, a score table whose level-1 and
level-2 indicators are merged down over their rows, a project form with cells merged across and
down, and a long expenditure detail table that runs over page breaks (its header repeated on
odd sections, not on even ones). The .docx is written with python-docx and turned into .pdf by
LibreOffice (``soffice`` headless), the way such reports are usually published. Deterministic
for a seed; the page count of each PDF is whatever LibreOffice lays out (near the target).
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

CJK_FONT = "Noto Sans CJK SC"
# Sections per page of output, measured on LibreOffice's layout of these sections (Letter).
PAGES_PER_SECTION = 2.7

UNITS = ["示例市清河区文化馆", "样例县农业农村局", "演示市东湖区水利站", "范例市教育服务中心"]
INCOME = [
    "一般公共预算财政拨款收入",
    "政府性基金预算财政拨款收入",
    "国有资本经营预算财政拨款收入",
    "上级补助收入",
    "事业收入",
    "经营收入",
    "附属单位上缴收入",
    "其他收入",
]
SPENDING = [
    "一般公共服务支出",
    "教育支出",
    "科学技术支出",
    "文化旅游体育与传媒支出",
    "社会保障和就业支出",
    "卫生健康支出",
    "节能环保支出",
    "城乡社区支出",
    "农林水支出",
    "住房保障支出",
]
LEVEL1 = ["决策", "过程", "产出", "效益"]
LEVEL2 = {
    "决策": ["项目立项", "绩效目标", "资金投入"],
    "过程": ["资金管理", "组织实施"],
    "产出": ["产出数量", "产出质量", "产出时效", "产出成本"],
    "效益": ["社会效益", "可持续影响", "满意度"],
}
LEVEL3 = [
    "立项依据充分性",
    "立项程序规范性",
    "绩效目标合理性",
    "绩效指标明确性",
    "预算编制科学性",
    "资金分配合理性",
    "资金到位率",
    "预算执行率",
    "资金使用合规性",
    "管理制度健全性",
    "制度执行有效性",
    "实际完成率",
    "质量达标率",
    "完成及时性",
    "成本节约率",
    "受益群众覆盖率",
    "长效机制健全性",
    "服务对象满意度",
]
DETAIL = [
    "基本工资",
    "津贴补贴",
    "奖金",
    "绩效工资",
    "机关事业单位基本养老保险缴费",
    "职工基本医疗保险缴费",
    "住房公积金",
    "办公费",
    "印刷费",
    "水电费",
    "邮电费",
    "物业管理费",
    "差旅费",
    "维修（护）费",
    "会议费",
    "培训费",
    "公务接待费",
    "劳务费",
    "委托业务费",
    "工会经费",
    "福利费",
    "其他交通费用",
    "退休费",
    "奖励金",
]


def money(rng: random.Random, low: float = 1, high: float = 900) -> str:
    return f"{rng.uniform(low, high):,.2f}"


def set_cell(cell, text: str) -> None:
    cell.paragraphs[0].add_run(text)


def repeat_header(document, row: int) -> None:
    """Word's "repeat as header row at the top of each page" (w:tblHeader) on a row of the last
    table added, through the document's public XML element."""
    table = document.element.body.findall(qn("w:tbl"))[-1]
    tr = table.findall(qn("w:tr"))[row]
    tr_pr = tr.find(qn("w:trPr"))
    if tr_pr is None:
        tr_pr = OxmlElement("w:trPr")
        tr.insert(0, tr_pr)
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def new_table(document, rows: int, cols: int):
    table = document.add_table(rows=rows, cols=cols)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    return table


def totals_table(document, rng: random.Random, year: int) -> None:
    """收入支出决算总表: 收入 and 支出 merged over three columns each, both header rows repeated."""
    n = max(len(INCOME), len(SPENDING)) + 2
    table = new_table(document, n + 3, 6)
    top = table.rows[0].cells
    top[0].merge(top[2])
    top[3].merge(top[5])
    set_cell(table.cell(0, 0), "收入")
    set_cell(table.cell(0, 3), "支出")
    for c, word in enumerate(["项目", "行次", "金额", "项目", "行次", "金额"]):
        set_cell(table.cell(1, c), word)
    repeat_header(document, 0)
    repeat_header(document, 1)
    for r in range(n):
        cells = table.rows[r + 2].cells
        if r < len(INCOME):
            set_cell(cells[0], INCOME[r])
            set_cell(cells[1], str(r + 1))
            set_cell(cells[2], money(rng))
        if r < len(SPENDING):
            set_cell(cells[3], SPENDING[r])
            set_cell(cells[4], str(r + 30))
            set_cell(cells[5], money(rng))
    last = table.rows[n + 2].cells
    set_cell(last[0], f"{year}年本年收入合计")
    set_cell(last[2], money(rng, 1000, 9000))
    set_cell(last[3], f"{year}年本年支出合计")
    set_cell(last[5], money(rng, 1000, 9000))


def score_table(document, rng: random.Random) -> None:
    """一级/二级/三级指标: level-1 and level-2 names merged down over their rows."""
    rows: list[tuple[str, str, str]] = []
    k = rng.randrange(len(LEVEL3))
    for level1 in LEVEL1:
        for level2 in LEVEL2[level1]:
            for _ in range(rng.choice((1, 2))):
                rows.append((level1, level2, LEVEL3[k % len(LEVEL3)]))
                k += 1
    table = new_table(document, len(rows) + 2, 6)
    for c, word in enumerate(["一级指标", "二级指标", "三级指标", "分值", "得分", "扣分原因"]):
        set_cell(table.cell(0, c), word)
    repeat_header(document, 0)
    total = 0.0
    for r, (_, _, level3) in enumerate(rows, 1):
        cells = table.rows[r].cells
        weight = rng.choice((2, 3, 4, 5, 6))
        got = weight - rng.choice((0, 0, 0, 0.5, 1))
        total += got
        set_cell(cells[2], level3)
        set_cell(cells[3], str(weight))
        set_cell(cells[4], f"{got:g}")
        if got < weight:
            set_cell(cells[5], "部分指标未完成")
    for col in (0, 1):  # merge each run of equal names down
        r = 0
        while r < len(rows):
            end = r
            while end + 1 < len(rows) and rows[end + 1][col] == rows[r][col] and rows[end + 1][0] == rows[r][0]:
                end += 1
            set_cell(table.cell(r + 1, col), rows[r][col])
            if end > r:
                table.cell(r + 1, col).merge(table.cell(end + 1, col))
            r = end + 1
    last = table.rows[len(rows) + 1].cells
    last[0].merge(last[2])
    set_cell(table.cell(len(rows) + 1, 0), "合计")
    set_cell(last[3], "100")
    set_cell(last[4], f"{total:g}")


def project_form(document, rng: random.Random, unit: str) -> None:
    """项目支出绩效自评表: name and units merged across, 项目资金 merged down over its rows."""
    table = new_table(document, 7, 7)
    r0 = table.rows[0].cells
    set_cell(r0[0], "项目名称")
    r0[1].merge(r0[6])
    set_cell(table.cell(0, 1), f"{unit}公共服务能力提升项目")
    r1 = table.rows[1].cells
    set_cell(r1[0], "主管部门")
    r1[1].merge(r1[2])
    set_cell(table.cell(1, 1), unit[:-3] + "局")
    set_cell(r1[3], "实施单位")
    r1[4].merge(r1[6])
    set_cell(table.cell(1, 4), unit)
    for c, word in enumerate(["项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", "执行率", "得分"]):
        if word:
            set_cell(table.cell(2, c), word)
    budget = rng.uniform(50, 500)
    for r, label in enumerate(["年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金"], 3):
        cells = table.rows[r].cells
        set_cell(cells[1], label)
        spent = budget * rng.uniform(0.8, 1.0)
        set_cell(cells[2], f"{budget:.2f}")
        set_cell(cells[3], f"{budget:.2f}")
        set_cell(cells[4], f"{spent:.2f}")
        set_cell(cells[5], f"{spent / budget:.2%}")
        set_cell(cells[6], str(rng.choice((8, 9, 10))))
        budget /= 3
    table.cell(2, 0).merge(table.cell(6, 0))


def detail_table(document, rng: random.Random, rows: int, header_repeated: bool) -> None:
    """基本支出决算明细表: long enough to run over a page break."""
    table = new_table(document, rows + 1, 5)
    for c, word in enumerate(["科目编码", "科目名称", "合计", "人员经费", "公用经费"]):
        set_cell(table.cell(0, c), word)
    if header_repeated:
        repeat_header(document, 0)
    for r in range(1, rows + 1):
        cells = table.rows[r].cells
        set_cell(cells[0], f"30{rng.randrange(100, 399)}")
        set_cell(cells[1], DETAIL[(r - 1) % len(DETAIL)])
        a, b = rng.uniform(0, 300), rng.uniform(0, 100)
        set_cell(cells[2], f"{a + b:,.2f}")
        set_cell(cells[3], f"{a:,.2f}")
        set_cell(cells[4], f"{b:,.2f}")


def build_docx(path: Path, sections: int, seed: int) -> None:
    rng = random.Random(seed)
    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = CJK_FONT
    style.element.rPr.rFonts.set(qn("w:eastAsia"), CJK_FONT)
    unit = UNITS[seed % len(UNITS)]
    year = 2020 + seed % 5
    document.add_heading(f"{unit}{year}年度部门决算及绩效自评报告", level=1)
    for s in range(sections):
        document.add_paragraph(f"{s + 1}. 第{s + 1}部分 收支情况及绩效自评")
        document.add_paragraph(
            f"{year}年度本单位认真落实预算管理要求，收入合计{money(rng, 1000, 9000)}万元，支出合计"
            f"{money(rng, 1000, 9000)}万元，年末结转和结余{money(rng, 1, 90)}万元。下表列示各项收支情况。"
        )
        totals_table(document, rng, year)
        document.add_paragraph("绩效自评指标及得分情况如下表。")
        score_table(document, rng)
        document.add_paragraph("项目支出绩效自评情况如下。")
        project_form(document, rng, unit)
        document.add_paragraph("基本支出明细如下表。")
        detail_table(document, rng, 40 + rng.randrange(20), header_repeated=s % 2 == 0)
    document.save(str(path))


def to_pdf(docx_path: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        sys.exit("soffice not found: apt-get install -y libreoffice-writer-nogui fonts-noto-cjk")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{tmp}/profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(docx_path.parent),
                str(docx_path),
            ],
            check=True,
            capture_output=True,
            timeout=900,
        )
    return docx_path.with_suffix(".pdf")


def page_count(pdf: Path) -> int:
    import pypdfium2 as pdfium

    with pdfium.PdfDocument(str(pdf)) as doc:
        return len(doc)


def build(out: Path, pages: int, seed: int) -> tuple[Path, Path]:
    """tables-<pages>p.docx and .pdf in ``out`` (reused when both exist): sections added or
    taken away until LibreOffice lays the PDF out within 12% of ``pages`` (three tries)."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"tables-{pages}p.docx"
    pdf = path.with_suffix(".pdf")
    if not (path.exists() and pdf.exists()):
        sections = max(1, round(pages / PAGES_PER_SECTION))
        for _ in range(3):
            build_docx(path, sections, seed + pages)
            got = page_count(to_pdf(path))
            if abs(got - pages) <= 0.12 * pages:
                break
            sections = max(1, round(sections * pages / got))
    return path, pdf


def build_text(out: Path, sections: int) -> Path:
    """text-<sections>s.pdf: the same sections' paragraphs, no table (the text-page ratio)."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"text-{sections}s.docx"
    if not path.with_suffix(".pdf").exists():
        rng = random.Random(sections)
        document = docx.Document()
        style = document.styles["Normal"]
        style.font.name = CJK_FONT
        style.element.rPr.rFonts.set(qn("w:eastAsia"), CJK_FONT)
        for s in range(sections):
            document.add_paragraph(f"{s + 1}. 第{s + 1}部分 绩效目标完成情况")
            for _ in range(6):
                document.add_paragraph(
                    f"本年度共开展群众文化活动{rng.randrange(10, 90)}场次，服务群众{rng.randrange(1000, 9000)}人次，"
                    f"项目资金{money(rng, 10, 900)}万元，已支出{money(rng, 10, 900)}万元，预算执行率"
                    f"{rng.uniform(80, 100):.2f}%。各项产出指标按计划完成，社会效益明显，群众满意度较高，"
                    "下一步将继续加强预算绩效管理，提高资金使用效益。"
                )
        document.save(str(path))
        to_pdf(path)
    return path.with_suffix(".pdf")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--pages", type=int, nargs="+", default=[10, 50, 200])
    ap.add_argument("--seed", type=int, default=16)
    args = ap.parse_args()
    for pages in args.pages:
        docx_path, pdf_path = build(args.out, pages, args.seed)
        print(f"{pdf_path}: {page_count(pdf_path)} pages (target {pages}); {docx_path}")


if __name__ == "__main__":
    main()

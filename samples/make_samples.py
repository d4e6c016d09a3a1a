"""Build the sample documents in samples/ from the seed text and the invented reports.

Run from the project root: ``.venv/bin/python samples/make_samples.py``. It needs python-docx
and LibreOffice (``soffice``, with fonts-noto-cjk) on PATH. The outputs are committed.
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import docx
import render
import team_reports
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

SAMPLES = Path(__file__).resolve().parent
SEED = SAMPLES.parent.parent / "shared" / "seed" / "yushui-gsl-2023.txt"
SEED_COPY = SAMPLES / "yushui-gsl-2023.txt"
INVENTED_SLUG = "qinghe-whg-2022"
CJK_FONT = "Noto Sans CJK SC"
# Fixed zip timestamps so that re-running the script gives byte-identical .docx files.
ZIP_DATE = (2024, 1, 1, 0, 0, 0)

# An invented report (fictional department, names and figures), worded unlike the seed.
# Pipe rows are the score table; an empty first cell continues the level-1 indicator above.
INVENTED_TEXT = """\
示例市清河区文化馆2022年度部门整体支出绩效自评报告
按照区财政局关于做好2022年度部门整体支出绩效自评工作的通知要求，本馆对2022年度部门整体支出情况进行了自评，现将有关情况报告如下。
一、基本情况
（一）主要职能
区文化馆是区文化和旅游局所属公益一类事业单位，主要承担全区群众文化活动的组织和辅导、公共文化设施的运营管理、非物质文化遗产的调查保护和传承推广、基层文艺骨干培训等工作。
（二）机构设置
本馆内设办公室、群众文化部、非物质文化遗产保护部3个部室。
（三）人员构成
本馆核定编制15人，其中行政编制2人、事业编制13人。截至2022年12月31日，实有人员21人，其中在职人员16人（在编人数14人、编外聘用人员2人），退休人员5人。
二、收支情况
（一）收入情况
2022年度本年收入合计510.00万元，其中：财政拨款收入486.30万元，占95.35%；事业收入23.70万元，占4.65%。年初结转和结余12.40万元。
（二）支出情况
2022年度本年支出合计513.50万元。按支出性质分：基本支出398.20万元，占本年支出合计的77.55%；项目支出115.30万元，占22.45%。按支出功能分类：文化旅游体育与传媒支出430.60万元，占83.86%；社会保障和就业支出52.20万元，占10.17%；卫生健康支出14.50万元，占2.82%；住房保障支出16.20万元，占3.15%。
（三）结转结余情况
年末结转和结余8.90万元，主要为尚未完成政府采购程序的非遗展陈设备购置资金。
三、评价结论
（一）评分情况
本次自评采用百分制，设置决策、过程、产出、效益4个一级指标和8个二级指标，各项指标评分如下：
一级指标 | 二级指标 | 分值 | 得分
决策 |  | 20 | 19
 | 目标设定 | 10 | 10
 | 预算编制 | 10 | 9
过程 |  | 20 | 16.5
 | 资金管理 | 10 | 8.5
 | 组织实施 | 10 | 8
产出 |  | 30 | 26
 | 产出数量 | 15 | 14
 | 产出质量 | 15 | 12
效益 |  | 30 | 26
 | 社会效益 | 20 | 17
 | 服务对象满意度 | 10 | 9
合计 |  | 100 | 87.5
（二）等级评定
自评等级按得分划分为四档：90分（含）以上为优，80分（含）至90分为良，60分（含）至80分为中，60分以下为差。本馆2022年度部门整体支出绩效自评得分87.5分，自评等级为“良”。
四、存在的问题及改进措施
一是预算编制的前瞻性不足，个别项目年中调整较多；二是部分产出指标设定偏粗，难以量化考核。下一步，本馆将细化项目论证和绩效目标设定，加快项目实施进度，提高资金使用效益。
"""

# Web chrome around the invented report when it is published as a government web page.
PROJECT_SLUG = "shuili-yskh-2023"
# A third invented report, of the other kind: a project's self-evaluation with its money row
# and a three-level score table whose level-1 maxima are written inside the name cell.
PROJECT_TEXT = """\
示例县水利局2023年度农村饮水工程维修养护项目支出绩效自评报告
一、项目基本情况
项目名称：农村饮水工程维修养护项目
项目实施单位：示例县水利局
本项目用于全县农村集中供水工程的日常维修养护，保障农村群众饮水安全。
二、项目资金使用情况
单位：万元
项目资金 | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分
年度资金总额 | 80.00 | 85.00 | 82.45 | 10 | 97.00% | 9.7
本项目年初预算数80.00万元，年中追加5.00万元，全年预算数85.00万元，全年执行数82.45万元，预算执行率为97.00%。
三、绩效指标完成情况
本次自评实行百分制，各项指标得分如下：
一级指标 | 二级指标 | 三级指标 | 分值 | 得分
预算执行率(10分) | 预算执行 | 预算执行率 | 10 | 9.7
产出指标(50分) | 数量指标 | 维修养护工程处数 | 20 | 20
 | 质量指标 | 工程验收合格率 | 15 | 15
 | 时效指标 | 按期完工率 | 15 | 13
效益指标(30分) | 社会效益指标 | 受益人口覆盖率 | 20 | 18
 | 可持续影响指标 | 设施正常运行率 | 10 | 9
满意度指标(10分) | 服务对象满意度指标 | 受益群众满意度 | 10 | 9.5
四、评价结论
评价等级分为四档：90分（含）以上为优，80分（含）至90分为良，60分（含）至80分为中，60分以下为差。经评价，本项目自评得分94.2分，评价等级为“优”。
五、存在的问题
个别维修点完工时间晚于计划，下一步将提前做好材料采购和施工组织。
"""

HTML_TEMPLATE = """\
<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{title}_示例市清河区人民政府</title>
<link rel="stylesheet" href="/css/common.css">
<style>
  body {{ font-family: "Microsoft YaHei", sans-serif; }}
  .TRS_Editor p {{ text-indent: 2em; line-height: 1.8; }}
</style>
<script>
  var _hmt = _hmt || []; document.write("统计代码不应出现在正文中");
</script>
</head>
<body>
<div class="header">
  <div class="logo">示例市清河区人民政府门户网站</div>
  <nav class="nav"><ul>
    <li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
    <li><a href="/bsfw/">办事服务</a></li><li><a href="/hdjl/">互动交流</a></li>
  </ul></nav>
</div>
<div class="main">
  <div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 财政预决算</div>
  <div class="xxgk-meta">
    <table class="meta-table">
      <tr><td>索引号：</td><td>QH-WHG-2023-00018</td><td>发布机构：</td><td>示例市清河区文化馆</td></tr>
      <tr><td>发布日期：</td><td>2023-05-18</td><td>浏览次数：</td><td>326</td></tr>
    </table>
  </div>
  <div class="article">
    <h1 class="article-title">{title}</h1>
    <div class="article-info">来源：示例市清河区文化馆　发布时间：2023-05-18 09:30</div>
    <div class="TRS_Editor">
{body}
    </div>
    <div class="article-tools"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
  </div>
</div>
<footer class="footer">
  <p>主办单位：示例市清河区人民政府办公室　网站标识码：0000000000</p>
  <p>版权所有 示例市清河区人民政府</p>
</footer>
<script src="/js/jquery.min.js"></script>
</body>
</html>
"""

H1 = re.compile(r"^[一二三四五六七八九十]+、")
H2 = re.compile(r"^（[一二三四五六七八九十]+）")


def nonempty_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def heading_level(line: str) -> int:
    """1 for 一、… and the unnumbered section heading, 2 for （一）…, 0 for body text."""
    if H1.match(line) or line.strip() == "部门整体指标绩效评价分析":
        return 1
    if H2.match(line):
        return 2
    return 0


def check_invented_figures() -> None:
    """Fail loudly if an edit to INVENTED_TEXT breaks the arithmetic the sample promises."""
    d = Decimal
    revenue = {"财政拨款收入": d("486.30"), "事业收入": d("23.70")}
    by_type = {"基本支出": d("398.20"), "项目支出": d("115.30")}
    by_function = [d("430.60"), d("52.20"), d("14.50"), d("16.20")]
    revenue_total, expenditure_total, start, end = d("510.00"), d("513.50"), d("12.40"), d("8.90")
    assert sum(revenue.values()) == revenue_total
    assert sum(by_type.values()) == expenditure_total == sum(by_function)
    assert start + revenue_total - expenditure_total == end

    def share(part: Decimal, total: Decimal) -> str:
        return f"{(part / total * 100).quantize(d('0.01'))}%"

    for part in revenue.values():
        assert share(part, revenue_total) in INVENTED_TEXT, share(part, revenue_total)
    for part in [*by_type.values(), *by_function]:
        assert share(part, expenditure_total) in INVENTED_TEXT, share(part, expenditure_total)
    rows = [line.split(" | ") for line in nonempty_lines(INVENTED_TEXT) if " | " in line][1:]
    groups: list[tuple[list[str], list[list[str]]]] = []
    for row in rows[:-1]:
        if row[0].strip():
            groups.append((row, []))
        else:
            groups[-1][1].append(row)
    for parent, children in groups:
        assert d(parent[2]) == sum(d(c[2]) for c in children), parent
        assert d(parent[3]) == sum(d(c[3]) for c in children), parent
    total = rows[-1]
    assert d(total[2]) == sum(d(p[2]) for p, _ in groups) == 100
    assert d(total[3]) == sum(d(p[3]) for p, _ in groups)
    assert 80 <= d(total[3]) < 90 and "自评等级为“良”" in INVENTED_TEXT


def set_east_asian_font(element, font: str = CJK_FONT) -> None:
    """Point w:rPr/w:rFonts at a CJK font (python-docx only sets the Latin font name)."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(attr), font)


def new_document() -> docx.Document:
    document = docx.Document()
    props = document.core_properties
    props.author = "samples/make_samples.py"
    props.title = ""
    props.created = props.modified = datetime(2024, 1, 1, tzinfo=UTC)
    props.last_modified_by = ""
    props.revision = 1
    for name in ("Normal", "Title", "Heading 1", "Heading 2"):
        set_east_asian_font(document.styles[name].element)
    return document


def add_paragraph(document, line: str, style: str | None = None) -> None:
    paragraph = document.add_paragraph(style=style)
    run = paragraph.add_run(line)
    set_east_asian_font(run.element)


def add_score_table(document, rows: list[list[str]]) -> None:
    """A real Word table; each level-1 cell is merged down over its level-2 rows."""
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value.strip():
                paragraph = table.cell(r, c).paragraphs[0]
                set_east_asian_font(paragraph.add_run(value).element)
    r = 1
    while r < len(rows):
        end = r
        while end + 1 < len(rows) and not rows[end + 1][0].strip():
            end += 1
        if end > r:
            table.cell(r, 0).merge(table.cell(end, 0))
        r = end + 1


def save_docx(document, path: Path) -> None:
    """Save with fixed zip timestamps so the committed bytes do not change on every run."""
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(zipfile.ZipInfo(info.filename, ZIP_DATE), src.read(info), zipfile.ZIP_DEFLATED)


def build_seed_docx(text: str, path: Path) -> None:
    lines = nonempty_lines(text)
    document = new_document()
    # The seed's title is split over its first two lines: keep both, each a Title paragraph.
    for line in lines[:2]:
        add_paragraph(document, line, "Title")
    for line in lines[2:]:
        level = heading_level(line)
        add_paragraph(document, line, f"Heading {level}" if level else None)
    save_docx(document, path)


def build_invented_docx(text: str, path: Path) -> None:
    lines = nonempty_lines(text)
    document = new_document()
    add_paragraph(document, lines[0], "Title")
    table_rows: list[list[str]] = []
    for line in lines[1:]:
        if " | " in line:
            table_rows.append(line.split(" | "))
            continue
        if table_rows:
            add_score_table(document, table_rows)
            table_rows = []
        level = heading_level(line)
        add_paragraph(document, line, f"Heading {level}" if level else None)
    if table_rows:
        add_score_table(document, table_rows)
    save_docx(document, path)


def html_escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def build_invented_html(text: str, path: Path) -> None:
    lines = nonempty_lines(text)
    title, body, rows = lines[0], [], []

    def flush_table() -> None:
        if not rows:
            return
        out = ['      <table border="1" cellspacing="0" cellpadding="4" class="score-table">']
        r = 0
        while r < len(rows):
            cells = rows[r]
            tag = "th" if r == 0 else "td"
            span = 1
            while r > 0 and r + span < len(rows) and not rows[r + span][0].strip():
                span += 1
            first = f'<{tag} rowspan="{span}">' if span > 1 else f"<{tag}>"
            out.append(
                f"        <tr>{first}{html_escape(cells[0])}</{tag}>"
                + "".join(f"<{tag}>{html_escape(c)}</{tag}>" for c in cells[1:])
                + "</tr>"
            )
            for child in rows[r + 1 : r + span]:
                out.append("        <tr>" + "".join(f"<td>{html_escape(c)}</td>" for c in child[1:]) + "</tr>")
            r += span
        out.append("      </table>")
        body.extend(out)
        rows.clear()

    for line in lines[1:]:
        if " | " in line:
            rows.append([c.strip() for c in line.split(" | ")])
            continue
        flush_table()
        level = heading_level(line)
        if level:
            body.append(f"      <p><strong>{html_escape(line)}</strong></p>")
        else:
            body.append(f"      <p>{html_escape(line)}</p>")
    flush_table()
    path.write_text(HTML_TEMPLATE.format(title=html_escape(title), body="\n".join(body)), encoding="utf-8")


def convert_to_pdf(docx_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        sys.exit("soffice not found: apt-get install -y libreoffice-writer-nogui fonts-noto-cjk")
    with tempfile.TemporaryDirectory() as tmp:
        command = [
            soffice,
            f"-env:UserInstallation=file://{tmp}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            tmp,
            str(docx_path),
        ]
        print("+", " ".join(command))
        subprocess.run(command, check=True, timeout=180, capture_output=True)
        pdf = (Path(tmp) / (docx_path.stem + ".pdf")).read_bytes()
    docx_path.with_suffix(".pdf").write_bytes(make_pdf_reproducible(pdf))


def make_pdf_reproducible(pdf: bytes) -> bytes:
    """Fix what LibreOffice varies from run to run (creation date, file identifier, document
    checksum) without changing any length, so the cross-reference offsets stay valid."""
    pdf = re.sub(rb"/CreationDate\(D:\d{14}", b"/CreationDate(D:20240101000000", pdf, count=1)
    varying = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\]|/DocChecksum /([0-9A-Fa-f]+)")
    matches = list(varying.finditer(pdf))
    digest = hashlib.md5(varying.sub(b"", pdf)).hexdigest().upper().encode()
    out = bytearray(pdf)
    for match in matches:
        for group in (1, 2, 3):
            if match.group(group):
                start, end = match.span(group)
                out[start:end] = (digest * 2)[: end - start]
    return bytes(out)


def check_project_figures() -> None:
    """The project sample's figures agree with each other, as a clean sample must."""
    from decimal import Decimal as D

    assert D("80.00") + D("5.00") == D("85.00")
    assert (D("82.45") / D("85.00") * 100).quantize(D("0.01")) == D("97.00")
    leaves = {
        "预算执行率": [(10, D("9.7"))],
        "产出": [(20, 20), (15, 15), (15, 13)],
        "效益": [(20, 18), (10, 9)],
        "满意度": [(10, D("9.5"))],
    }
    maxima = {"预算执行率": 10, "产出": 50, "效益": 30, "满意度": 10}
    for name, rows in leaves.items():
        assert sum(m for m, _ in rows) == maxima[name], name
    assert sum(maxima.values()) == 100
    assert sum(s for rows in leaves.values() for _, s in rows) == D("94.2")


def build_team_reports() -> None:
    """The team-written reports (team_reports.py), each drawn in every format from one source."""
    team_reports.check_figures()
    for report in team_reports.REPORTS:
        base = SAMPLES / f"{report.slug}.txt"
        base.write_text(render.to_txt(report), encoding="utf-8")
        base.with_suffix(".html").write_text(render.to_html(report), encoding="utf-8")
        document = new_document()
        render.build_docx(report, document, add_paragraph, set_east_asian_font)
        save_docx(document, base.with_suffix(".docx"))
        convert_to_pdf(base.with_suffix(".docx"))
        render.check_pdf_splits(report, base.with_suffix(".pdf"))


def main() -> None:
    if SEED.is_file():
        shutil.copyfile(SEED, SEED_COPY)
    elif not SEED_COPY.is_file():
        sys.exit(f"seed not found: {SEED} (and no committed copy at {SEED_COPY})")
    seed_text = SEED_COPY.read_text(encoding="utf-8")
    build_seed_docx(seed_text, SEED_COPY.with_suffix(".docx"))
    convert_to_pdf(SEED_COPY.with_suffix(".docx"))

    check_invented_figures()
    invented = SAMPLES / f"{INVENTED_SLUG}.txt"
    invented.write_text(INVENTED_TEXT, encoding="utf-8")
    build_invented_docx(INVENTED_TEXT, invented.with_suffix(".docx"))
    convert_to_pdf(invented.with_suffix(".docx"))
    build_invented_html(INVENTED_TEXT, invented.with_suffix(".html"))

    check_project_figures()
    project = SAMPLES / f"{PROJECT_SLUG}.txt"
    project.write_text(PROJECT_TEXT, encoding="utf-8")
    build_invented_docx(PROJECT_TEXT, project.with_suffix(".docx"))
    convert_to_pdf(project.with_suffix(".docx"))
    build_team_reports()
    import make_formats  # the 决算 workbook (.xlsx, .xls) and the OFD sample

    make_formats.build_all(SAMPLES)
    for path in sorted(SAMPLES.glob("*.*")):
        if path.suffix in {".txt", ".docx", ".pdf", ".html", ".xlsx", ".xls", ".ofd"}:
            print(f"{path.relative_to(SAMPLES.parent)}  {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()

"""Render one report source (paragraphs and tables with merged cells) as .txt, .docx and .html.

The team-written samples (``team_reports.py``) are written once as blocks; each format is drawn
from the same blocks, so whatever the formats disagree on is the extractor's doing. Merged cells
stay merged cells in .docx and .html; the .txt shows a table as a web page or a PDF converter
writes it (pipe rows, or one cell per line for a form). The .pdf is the .docx printed by
LibreOffice (``make_samples.convert_to_pdf``).
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, Twips

TITLE, BODY, H1, H2 = -1, 0, 1, 2


@dataclass(frozen=True)
class Para:
    """A line of the report: its text and its level (TITLE, BODY, H1, H2)."""

    text: str
    level: int = BODY


@dataclass(frozen=True)
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True)
class Table:
    """A table as HTML writes it: each row lists the cells that start in it.

    ``txt``: how the .txt shows it — ``pipe`` (``| a | b |`` rows; a merged cell once, where it
    starts, as a web page copy gives it), ``markdown`` (pipe rows with a ``|---|`` line after the
    header), ``lines`` (a form flattened one cell per line, an empty cell an empty line).
    ``break_after``: the page breaks after this many rows in the .docx/.pdf (and the .txt shows
    the page's number and, with ``repeat_header``, the header again); ``repeat_header``: the
    first ``header_rows`` rows repeat at the top of the next page (LibreOffice never leaves a
    repeated header alone at a page's foot: then break after a data row).
    """

    rows: tuple[tuple[Cell, ...], ...]
    txt: str = "pipe"
    header_rows: int = 1
    break_after: int | None = None
    repeat_header: bool = False
    page_marker: str = ""
    lead: int = 0  # paragraphs just before a split table that stand on its first page (one line each)
    widths: tuple[int, ...] | None = None  # column widths in the .docx, twips (the text is 8640 wide)
    font_pt: float = 9  # 小五, the size tables of such reports are printed in


@dataclass(frozen=True)
class Report:
    slug: str
    blocks: tuple[Para | Table, ...]
    site: str  # the government site that publishes the .html page
    published: str  # its date, yyyy-mm-dd

    @property
    def title(self) -> str:
        return next(b.text for b in self.blocks if isinstance(b, Para) and b.level == TITLE)


def cells(*texts: str) -> tuple[Cell, ...]:
    """A row of plain cells."""
    return tuple(Cell(t) for t in texts)


def place(table: Table) -> list[list[tuple[int, Cell]]]:
    """Each row's cells with the grid column each starts in (the HTML table algorithm)."""
    taken: set[tuple[int, int]] = set()
    out = []
    for r, row in enumerate(table.rows):
        col, placed = 0, []
        for cell in row:
            while (r, col) in taken:
                col += 1
            placed.append((col, cell))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, col + dc))
            col += cell.colspan
        out.append(placed)
    return out


def width(table: Table) -> int:
    return max(col + cell.colspan for row in place(table) for col, cell in row)


# ---- .txt -------------------------------------------------------------------------------------


def table_lines(table: Table) -> list[str]:
    if table.txt == "lines":
        return [cell.text for row in table.rows for cell in row]
    lines = []
    for r, row in enumerate(table.rows):
        if table.break_after is not None and r == table.break_after:
            lines.append(table.page_marker)
            if table.repeat_header:
                lines.extend(pipe_row(h) for h in table.rows[: table.header_rows])
        lines.append(pipe_row(row))
        if table.txt == "markdown" and r == table.header_rows - 1:
            lines.append("|" + "---|" * len(row))
    return lines


def pipe_row(row: tuple[Cell, ...]) -> str:
    return "| " + " | ".join(cell.text for cell in row) + " |"


def to_txt(report: Report) -> str:
    lines: list[str] = []
    for block in report.blocks:
        lines.extend(table_lines(block) if isinstance(block, Table) else [block.text])
    return "\n".join(lines) + "\n"


# ---- .html ------------------------------------------------------------------------------------

HTML_PAGE = """\
<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{title}_{site}</title>
<link rel="stylesheet" href="/css/common.css">
<script>var _hmt = _hmt || [];</script>
</head>
<body>
<div class="header"><div class="logo">{site}门户网站</div>
  <nav class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
  <li><a href="/bsfw/">办事服务</a></li></ul></nav>
</div>
<div class="main">
  <div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 预决算公开</div>
  <div class="article">
    <h1 class="article-title">{title}</h1>
    <div class="article-info">发布时间：{published}　来源：{site}</div>
    <div class="TRS_Editor">
{body}
    </div>
  </div>
</div>
<footer class="footer"><p>主办单位：{site}办公室　网站标识码：0000000000</p></footer>
</body>
</html>
"""


def escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def html_table(table: Table) -> list[str]:
    out = ['      <table border="1" cellspacing="0" cellpadding="4">']
    for r, row in enumerate(table.rows):
        tag = "th" if r < table.header_rows else "td"
        tds = []
        for cell in row:
            spans = "".join(f' {k}="{v}"' for k, v in (("rowspan", cell.rowspan), ("colspan", cell.colspan)) if v > 1)
            tds.append(f"<{tag}{spans}>{escape(cell.text)}</{tag}>")
        out.append("        <tr>" + "".join(tds) + "</tr>")
    out.append("      </table>")
    return out


def to_html(report: Report) -> str:
    body: list[str] = []
    for block in report.blocks:
        if isinstance(block, Table):
            body.extend(html_table(block))
        elif block.level == TITLE:
            continue  # the page's <h1>
        elif block.level in (H1, H2):
            body.append(f"      <p><strong>{escape(block.text)}</strong></p>")
        else:
            body.append(f"      <p>{escape(block.text)}</p>")
    return HTML_PAGE.format(
        title=escape(report.title), site=report.site, published=report.published, body="\n".join(body)
    )


# ---- .docx ------------------------------------------------------------------------------------

# A split table's page: a spacer of exact height fills it above the table's lead paragraphs and
# header rows, so that the page breaks right after the header whatever the text before it (the
# lead paragraphs one line of exact height each, the rows of exact heights and unsplittable).
PAGE_BODY_TWIPS = 12960  # python-docx's default page: Letter, 11 in less 1 in margins top and bottom
SPLIT_LEAD_TWIPS = 400
SPLIT_HEADER_TWIPS = 640
SPLIT_ROW_TWIPS = 600  # two lines of a wrapped 9 pt label
SPLIT_SLACK_TWIPS = 240
MAX_LEAD_CHARS = 34  # a lead paragraph fits on one line of the page


def _exact(paragraph, twips: int) -> None:
    from docx.enum.text import WD_LINE_SPACING

    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Twips(twips)
    fmt.space_before = fmt.space_after = Pt(0)


def _row_props(tr, *, height: int | None = None, header: bool = False) -> None:
    """Properties of a table row's ``w:tr`` element (python-docx has no API for these)."""
    tr_pr = tr.get_or_add_trPr()
    if height is not None:
        tr_pr.append(OxmlElement("w:cantSplit"))
        h = OxmlElement("w:trHeight")
        h.set(qn("w:val"), str(height))
        h.set(qn("w:hRule"), "exact")
        tr_pr.append(h)
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))


def _split_height(table: Table, r: int) -> int:
    return SPLIT_HEADER_TWIPS if r < table.header_rows else SPLIT_ROW_TWIPS


def _spacer(document, table: Table, set_font) -> None:
    """A page break, then an empty paragraph that leaves room for the lead and the rows before the break."""
    rows = sum(_split_height(table, r) for r in range(table.break_after))
    twips = PAGE_BODY_TWIPS - SPLIT_LEAD_TWIPS * table.lead - rows - SPLIT_SLACK_TWIPS
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.page_break_before = True
    _exact(paragraph, twips)
    set_font(paragraph.add_run(" ").element)


def add_docx_table(document, table: Table, set_font) -> None:
    """A real Word table with merged cells (a split table's rows of exact heights)."""
    grid = place(table)
    doc_table = document.add_table(rows=len(grid), cols=width(table))
    doc_table.style = document.styles["Table Grid"]
    doc_table.alignment = WD_TABLE_ALIGNMENT.CENTER
    if table.widths:
        doc_table.autofit = False
        # LibreOffice lays a table out by its grid columns (w:gridCol), Word by the cells' widths
        for col, twips in zip(doc_table.columns, table.widths, strict=True):
            col.width = Twips(twips)
            for cell in col.cells:
                cell.width = Twips(twips)
    for r, row in enumerate(grid):
        for col, cell in row:
            target = doc_table.cell(r, col)
            if cell.text:
                run = target.paragraphs[0].add_run(cell.text)
                run.font.size = Pt(table.font_pt)
                set_font(run.element)
            if cell.rowspan > 1 or cell.colspan > 1:
                target.merge(doc_table.cell(r + cell.rowspan - 1, col + cell.colspan - 1))
    # the rows' XML, through the document's public element tree
    rows = document.element.body.xpath("./w:tbl")[-1].xpath("./w:tr")
    for r, tr in enumerate(rows):
        header = r < table.header_rows and table.repeat_header
        if table.break_after is not None:
            _row_props(tr, height=_split_height(table, r), header=header)
        elif header:
            _row_props(tr, header=True)


def _page_numbers(document, set_font) -> None:
    """A centred "- N -" in the footer, as printed reports number their pages."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(paragraph.add_run("- ").element)
    # a PAGE field written as runs (python-docx has no API for fields; its runs' elements are public)
    for kind in ("begin", "instr", "separate", "1", "end"):
        run = paragraph.add_run()
        if kind == "instr":
            part = OxmlElement("w:instrText")
            part.set(qn("xml:space"), "preserve")
            part.text = " PAGE "
        elif kind == "1":
            part = OxmlElement("w:t")
            part.text = "1"
        else:
            part = OxmlElement("w:fldChar")
            part.set(qn("w:fldCharType"), kind)
        run.element.append(part)
    set_font(paragraph.add_run(" -").element)


def build_docx(report: Report, document, add_paragraph, set_font) -> None:
    """Fill ``document`` (from ``make_samples.new_document``) with the report's blocks."""
    _page_numbers(document, set_font)
    blocks = report.blocks
    lead_of: dict[int, int] = {}  # index of a split table's first lead paragraph -> the table's index
    for i, block in enumerate(blocks):
        if isinstance(block, Table) and block.break_after is not None:
            assert all(isinstance(b, Para) and len(b.text) <= MAX_LEAD_CHARS for b in blocks[i - block.lead : i])
            lead_of[i - block.lead] = i
    exact = set()
    for i, block in enumerate(blocks):
        if i in lead_of:
            table = blocks[lead_of[i]]
            _spacer(document, table, set_font)
            exact.update(range(i, i + table.lead))
        if isinstance(block, Table):
            add_docx_table(document, block, set_font)
            continue
        style = "Title" if block.level == TITLE else f"Heading {block.level}" if block.level in (H1, H2) else None
        add_paragraph(document, block.text, style)
        if i in exact:
            _exact(document.paragraphs[-1], SPLIT_LEAD_TWIPS)


def check_pdf_splits(report: Report, pdf_path) -> None:
    """Fail loudly unless each split table breaks right after its header in the printed .pdf:
    the paragraph before it on one page, its first row after the header on the next."""
    import pdfplumber

    with pdfplumber.open(pdf_path) as pdf:
        pages = ["".join((page.extract_text() or "").split()) for page in pdf.pages]
    for i, block in enumerate(report.blocks):
        if not isinstance(block, Table) or block.break_after is None:
            continue
        before = "".join(report.blocks[i - 1].text.split())
        first = block.rows[block.break_after][0].text  # first cells: short enough not to wrap
        header = block.rows[block.header_rows - 1][0].text
        at_before = next(n for n, text in enumerate(pages) if before in text)
        at_first = next(n for n, text in enumerate(pages) if first in text)
        assert at_first == at_before + 1, f"{pdf_path.name}: the split table does not break after its header"
        assert header in pages[at_before], f"{pdf_path.name}: the header is not on the page before the break"
        if block.repeat_header:
            assert pages[at_first].index(header) < pages[at_first].index(first), pdf_path.name

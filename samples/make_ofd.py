"""An OFD (GB/T 33190) rendering of the invented report: text objects laid out on A4 pages in
millimetres, paragraphs wrapped, the score table drawn with ruling lines and its level-1 cells
merged down. ``make_formats.build_all`` calls ``build_ofd_sample``."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

OFD_NS = "http://www.ofdspec.org/2016"
PAGE_W, PAGE_H = 210.0, 297.0
LEFT, RIGHT, TOP, BOTTOM = 25.0, 185.0, 25.0, 270.0
BODY, HEADING, TITLE = 3.7, 4.2, 5.6  # font sizes, mm
LEADING = 1.75  # line height as a multiple of the font size
ROW_H = 8.0
COLUMNS = [40.0, 60.0, 30.0, 30.0]


def _wide(ch: str) -> bool:
    return ord(ch) > 0x2E7F


def advances(text: str, size: float) -> list[float]:
    return [size if _wide(ch) else size / 2 for ch in text]


_NO_LINE_START = set("，。；：、）》”%")


def wrap(text: str, size: float, width: float, indent: float = 0.0) -> list[str]:
    """Lines of at most ``width``, as a typesetter breaks them: never inside a run of digits or
    Latin letters, never before closing punctuation (the line before takes it)."""
    lines, line, used = [], "", indent
    for ch, step in zip(text, advances(text, size), strict=True):
        if used + step > width and line and ch not in _NO_LINE_START:
            keep = len(line)
            while keep > 0 and not _wide(ch) and not _wide(line[keep - 1]):
                keep -= 1  # carry the run of narrow characters over to the next line
            if keep == 0:
                keep = len(line)
            lines.append(line[:keep])
            line = line[keep:]
            used = sum(advances(line, size))
        line += ch
        used += step
    if line:
        lines.append(line)
    return lines


class Page:
    def __init__(self) -> None:
        self.objects: list[str] = []

    def text(self, x: float, baseline: float, text: str, size: float, justify: float | None = None) -> None:
        """A run of text; ``justify``: the width its characters are spread over (两端对齐)."""
        steps = advances(text, size)
        if justify is not None and len(steps) > 1:
            extra = (justify - sum(steps)) / (len(steps) - 1)
            steps = [round(s + extra, 3) for s in steps[:-1]] + steps[-1:]
        width = sum(steps)
        delta = " ".join(f"{s:g}" for s in steps[:-1])
        self.objects.append(
            f'<ofd:TextObject ID="{{id}}" Boundary="{x:g} {baseline - size:g} {width:g} {size * 1.3:g}" Font="3" '
            f'Size="{size:g}"><ofd:FillColor Value="0 0 0"/><ofd:TextCode X="0" Y="{size:g}"'
            + (f' DeltaX="{delta}"' if delta else "")
            + f">{escape(text)}</ofd:TextCode></ofd:TextObject>"
        )

    def line(self, x0: float, y0: float, x1: float, y1: float) -> None:
        left, top = min(x0, x1), min(y0, y1)
        self.objects.append(
            f'<ofd:PathObject ID="{{id}}" Boundary="{left:g} {top:g} {abs(x1 - x0) or 0.3:g} {abs(y1 - y0) or 0.3:g}" '
            f'LineWidth="0.25"><ofd:AbbreviatedData>M {x0 - left:g} {y0 - top:g} L {x1 - left:g} {y1 - top:g}'
            f"</ofd:AbbreviatedData></ofd:PathObject>"
        )


class Layout:
    """Pages filled top to bottom; a new page when the next line does not fit."""

    def __init__(self) -> None:
        self.pages: list[Page] = [Page()]
        self.y = TOP

    def room(self, height: float) -> None:
        if self.y + height > BOTTOM:
            self.pages.append(Page())
            self.y = TOP

    def paragraph(self, text: str, size: float = BODY, indent: bool = True, center: bool = False) -> None:
        first = 2 * size if indent else 0.0
        lines = wrap(text, size, RIGHT - LEFT, first)
        for k, line in enumerate(lines):
            self.room(size * LEADING)
            self.y += size * LEADING
            x = LEFT + (first if k == 0 else 0.0)
            if center:
                x = (PAGE_W - sum(advances(line, size))) / 2
            wrapped = k + 1 < len(lines) and not center
            self.pages[-1].text(x, self.y, line, size, justify=RIGHT - x if wrapped else None)
        self.y += size * 0.5

    def table(self, rows: list[list[str]]) -> None:
        """A ruled table; an empty first cell continues the level-1 cell above (merged down)."""
        xs = [LEFT]
        for w in COLUMNS:
            xs.append(xs[-1] + w)
        self.room(ROW_H * len(rows))  # kept on one page
        r = 0
        while r < len(rows):
            self.room(ROW_H)
            page, top = self.pages[-1], self.y
            for c, value in enumerate(rows[r]):
                if value.strip():
                    page.text(xs[c] + 2, top + 5.5, value.strip(), BODY)
            if r == 0 or self.y == TOP:  # the table's top, or its top on a new page
                page.line(xs[0], top, xs[-1], top)
            continues = r + 1 < len(rows) and not rows[r + 1][0].strip()
            bottom = top + ROW_H
            page.line(xs[1] if continues else xs[0], bottom, xs[-1], bottom)
            for x in xs:
                page.line(x, top, x, bottom)
            self.y = bottom
            r += 1
        self.pages[-1].line(xs[0], self.y, xs[-1], self.y)
        self.y += BODY


def page_xml(page: Page, number: int, ids: list[int]) -> str:
    page.text(PAGE_W / 2 - 4, PAGE_H - 12, f"- {number} -", 3.2)
    body = []
    for obj in page.objects:
        ids[0] += 1
        body.append(obj.replace("{id}", str(ids[0])))
    ids[0] += 1
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Page xmlns:ofd="{OFD_NS}"><ofd:Content>'
        f'<ofd:Layer ID="{ids[0]}">{"".join(body)}</ofd:Layer></ofd:Content></ofd:Page>'
    )


def layout_report(text: str, heading_level) -> Layout:
    lines = [line for line in text.splitlines() if line.strip()]
    layout = Layout()
    layout.paragraph(lines[0], TITLE, indent=False, center=True)
    rows: list[list[str]] = []
    for line in lines[1:]:
        if " | " in line:
            rows.append(line.split(" | "))
            continue
        if rows:
            layout.table(rows)
            rows = []
        level = heading_level(line)
        layout.paragraph(line, HEADING if level else BODY, indent=not level)
    if rows:
        layout.table(rows)
    return layout


def ofd_members(layout: Layout) -> list[tuple[str, bytes]]:
    ids = [10]
    pages = [(f"Doc_0/Pages/Page_{i}/Content.xml", page_xml(p, i + 1, ids)) for i, p in enumerate(layout.pages)]
    listed = "".join(f'<ofd:Page ID="{i + 2}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(len(pages)))
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Document xmlns:ofd="{OFD_NS}"><ofd:CommonData>'
        f"<ofd:MaxUnitID>{ids[0]}</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 {PAGE_W:g} {PAGE_H:g}"
        "</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData>"
        f"<ofd:Pages>{listed}</ofd:Pages></ofd:Document>"
    )
    res = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Res xmlns:ofd="{OFD_NS}" BaseLoc="Res"><ofd:Fonts>'
        '<ofd:Font ID="3" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>'
    )
    root = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:OFD xmlns:ofd="{OFD_NS}" Version="1.1" DocType="OFD">'
        "<ofd:DocBody><ofd:DocInfo><ofd:DocID>0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f</ofd:DocID>"
        "<ofd:CreationDate>2024-01-01</ofd:CreationDate><ofd:Creator>samples/make_ofd.py</ofd:Creator>"
        "</ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
    )
    members = [("OFD.xml", root), ("Doc_0/Document.xml", document), ("Doc_0/PublicRes.xml", res), *pages]
    return [(name, xml.encode("utf-8")) for name, xml in members]


def build_ofd_sample(samples: Path) -> Path:
    """samples/qinghe-whg-2022.ofd, from the same text as the .docx."""
    import make_samples as base
    from make_formats import write_zip

    path = samples / f"{base.INVENTED_SLUG}.ofd"
    write_zip(path, ofd_members(layout_report(base.INVENTED_TEXT, base.heading_level)))
    return path

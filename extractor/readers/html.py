"""HTML reader for reports saved from government web pages: the article, not the page chrome.

Parses with selectolax (lexbor), drops scripts, navigation and footers, picks the article's
container, and renders block elements as lines and tables as `` | `` rows.
"""

from __future__ import annotations

import re

from extractor.document import Document
from extractor.errors import ReadError
from extractor.readers._build import Cell, TextBuilder, is_wide, join_fragments

# Never part of the article text.
DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "frame", "object", "embed", "svg",
             "canvas", "audio", "video", "nav", "footer", "select", "textarea", "button", "input", "head")
BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd tr table thead tbody tfoot section article main aside "
    "blockquote pre center address figure figcaption hr header form fieldset caption td th".split()
)
HEADING_TAGS = frozenset(("h1", "h2", "h3"))
# id/class words of the containers that CMSs put the article in (TRS_Editor and zoom are the
# TRS and 政府网站 templates, zw is 正文).
CONTAINER_HINT = re.compile(
    r"content|article|zoom|trs_editor|main|detail|zhengwen|(?:^|[\s_-])zw(?:$|[\s_-])|text|news_?con|view",
    re.IGNORECASE,
)
# id/class words of page chrome, dropped when no article container is found and the whole
# body is read.
CHROME_HINT = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|menu|header|head|top|footer|foot|bottom|breadcrumbs?|crumbs?|position|"
    r"location|share|sidebar|side|toolbar|tools|copyright|search|login)(?:$|[\s_-])",
    re.IGNORECASE,
)
# A descendant container that holds this share of the best one's text is the tighter choice.
TIGHTEN_SHARE = 0.9
# A table cell longer than this is page layout (an article inside a layout table), not data.
LAYOUT_CELL_CHARS = 500
MAX_CANDIDATES = 2000
# Bounds on the length of a page's article title found outside the article container.
MIN_TITLE_CHARS, MAX_TITLE_CHARS = 4, 200
# A form this short is a search box; ASP.NET pages wrap the whole page in a form.
SHORT_FORM_CHARS = 100

_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\n\r\f]+")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_CODECS = {"gb2312": "gb18030", "gbk": "gb18030", "gb_2312-80": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030",
           "utf8": "utf-8", "big5-hkscs": "big5hkscs", "x-x-big5": "big5"}


def decode_html(data: bytes) -> tuple[str, str, list[str]]:
    """Bytes to text: a BOM, valid UTF-8, the page's own <meta charset>, then detection."""
    from extractor.readers.txt import decode_text

    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode_text(data)
    # Valid UTF-8 with Chinese in it is never an accident, while pages that declare gb2312
    # and are saved as UTF-8 (or the reverse) are common: the bytes win over the label.
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        pass
    match = _META_CHARSET.search(data[:4096])
    if match:
        declared = match.group(1).decode("ascii", "replace").lower()
        codec = _CODECS.get(declared, declared)
        try:
            return data.decode(codec), codec, []
        except (LookupError, UnicodeDecodeError):
            pass  # pages often say gb2312 and are UTF-8, or the reverse: detect instead
    return decode_text(data)


def _collapse(text: str) -> str:
    """HTML white space: runs become one space, and a line break between two CJK characters
    disappears (CSS Text 3 segment-break rule), as a browser shows it."""
    if not _SPACES.search(text):
        return text

    def repl(m: re.Match) -> str:
        s, e = m.start(), m.end()
        if ("\n" in m.group() or "\r" in m.group()) and 0 < s and e < len(text) \
                and is_wide(text[s - 1]) and is_wide(text[e]):
            return ""
        return " "

    return _SPACES.sub(repl, text)


def _attr(node, key: str) -> str:
    value = node.attributes.get(key) if node.attributes else None
    return value or ""


def _visible_text(node) -> str:
    return node.text(deep=True, separator="", strip=False)


def _decompose_all(nodes) -> None:
    """Remove nodes, only the outermost of nested ones: a node inside a removed one is freed
    with it and must not be touched again."""
    nodes = list(nodes)
    ids = {n.mem_id for n in nodes}
    outermost = []
    for node in nodes:
        parent, nested = node.parent, False
        while parent is not None and not nested:
            nested = parent.mem_id in ids
            parent = parent.parent
        if not nested:
            outermost.append(node)
    for node in outermost:
        node.decompose()


def _drop_junk(root) -> None:
    _decompose_all(node for tag in DROP_TAGS for node in root.css(tag))
    _decompose_all(
        node for node in root.css("[style], [hidden]")
        if node.attributes.get("hidden") is not None or _HIDDEN_STYLE.search(_attr(node, "style"))
    )
    # A page-level <header> is chrome; one inside an article holds the article's title.
    _decompose_all(node for node in root.css("header") if not _inside(node, ("article", "main")))
    _decompose_all(node for node in root.css("form") if len(_visible_text(node).strip()) < SHORT_FORM_CHARS)


def _drop_chrome(body) -> None:
    _decompose_all(
        node for node in body.css("[id], [class]")
        if CHROME_HINT.search(f"{_attr(node, 'id')} {_attr(node, 'class')}") and node.css_first("h1") is None
    )


def _inside(node, tags: tuple[str, ...]) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag in tags:
            return True
        parent = parent.parent
    return False


def _contains(ancestor, node) -> bool:
    target = ancestor.mem_id
    while node is not None:
        if node.mem_id == target:
            return True
        node = node.parent
    return False


def _score(node) -> int:
    """Text length, not counting link text (menus, related-article lists)."""
    text = len(_SPACES.sub("", _visible_text(node)))
    links = sum(len(_SPACES.sub("", _visible_text(a))) for a in node.css("a"))
    return text - links


def _find_container(body):
    """The element holding the article: the best-scoring hinted container, tightened to the
    innermost hinted descendant that still holds nearly all of its text."""
    candidates = []
    for node in body.css("[id], [class]"):
        if len(candidates) >= MAX_CANDIDATES:
            break
        if CONTAINER_HINT.search(f"{_attr(node, 'id')} {_attr(node, 'class')}"):
            candidates.append(node)
    if not candidates:
        return None
    scored = [(_score(node), node) for node in candidates]
    best_score, best = max(scored, key=lambda pair: pair[0])
    if best_score <= 0:
        return None
    tightened = True
    while tightened:
        tightened = False
        for score, node in scored:
            if node.mem_id != best.mem_id and score >= TIGHTEN_SHARE * best_score and _contains(best, node):
                best, best_score, tightened = node, score, True
                break
    return best


class _Renderer:
    """Walks an element tree (without recursion: pages nest deeply) into lines and tables."""

    def __init__(self, builder: TextBuilder) -> None:
        self.builder = builder
        self.fragments: list[str] = []
        self.kind = "paragraph"

    def flush(self) -> None:
        if self.fragments:
            # &nbsp; at a line's edges only defeats HTML's white-space collapsing (indentation).
            text = _collapse("".join(self.fragments)).strip(" \t\n\r\f\xa0")
            self.builder.line(text, self.kind)
            self.fragments = []
        self.kind = "paragraph"

    def render(self, root) -> None:
        stack = [(root, False)]
        while stack:
            node, leaving = stack.pop()
            tag = node.tag
            if leaving:
                if tag in BLOCK_TAGS:
                    self.flush()
                continue
            if tag == "-text":
                self.fragments.append(node.text_content or "")
                continue
            if tag is None or tag.startswith("-"):  # comments, doctype
                continue
            if tag == "br":
                self.flush()
                continue
            if tag == "table" and node.mem_id != root.mem_id and not _is_layout_table(node):
                self.flush()
                self.builder.table(_table_rows(node))
                continue
            if tag in BLOCK_TAGS:
                self.flush()
                if tag in HEADING_TAGS:
                    self.kind = "heading"
            stack.append((node, True))
            children = list(node.iter(include_text=True))
            stack.extend((child, False) for child in reversed(children))
        self.flush()


def _rows_of(table) -> list:
    """The table's own rows, not those of tables nested in its cells."""
    rows = []
    for child in table.iter():
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            rows.extend(c for c in child.iter() if c.tag == "tr")
    return rows


def _cells_of(tr) -> list:
    return [c for c in tr.iter() if c.tag in ("td", "th")]


def _is_layout_table(table) -> bool:
    rows = _rows_of(table)
    if not rows or max(len(_cells_of(tr)) for tr in rows) <= 1:
        return True
    return any(len(_visible_text(cell).strip()) > LAYOUT_CELL_CHARS for tr in rows for cell in _cells_of(tr))


def _cell_text(cell) -> str:
    """A cell's text as one line: its blocks, line breaks and nested tables joined."""
    fragments: list[str] = []
    current: list[str] = []
    stack = [(cell, False)]
    while stack:
        node, leaving = stack.pop()
        tag = node.tag
        if tag == "-text":
            current.append(node.text_content or "")
            continue
        if tag is None or tag.startswith("-"):
            continue
        if tag == "br" or tag in BLOCK_TAGS or tag in ("td", "th"):
            fragments.append(_collapse("".join(current)))
            current = []
            if tag == "br" or leaving:
                continue
        if leaving:
            continue
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(list(node.iter(include_text=True))))
    fragments.append(_collapse("".join(current)))
    return join_fragments(fragments)


def _span(node, key: str, limit: int) -> int:
    value = _attr(node, key).strip()
    return min(int(value), limit) if value.isdigit() and int(value) > 0 else 1


def _table_rows(table) -> list[list[Cell]]:
    """Rows of (column, text) on the table's grid: a rowspan continues as None in the rows
    below (so columns keep their places), a colspan appears once."""
    rows = _rows_of(table)
    # (row, column) -> True where a rowspan continues into its first column, False elsewhere.
    taken: dict[tuple[int, int], bool] = {}
    out: list[list[Cell]] = []
    for r, tr in enumerate(rows):
        cells: list[Cell] = []
        col = _skip_taken(taken, r, 0, cells)
        for td in _cells_of(tr):
            colspan = _span(td, "colspan", 100)
            rowspan = _span(td, "rowspan", len(rows) - r)
            cells.append((col, _cell_text(td)))
            for dr in range(1, rowspan):
                for dc in range(colspan):
                    taken[(r + dr, col + dc)] = dc == 0
            col = _skip_taken(taken, r, col + colspan, cells)
        out.append(cells)
    return out


def _skip_taken(taken: dict[tuple[int, int], bool], r: int, col: int, cells: list[Cell]) -> int:
    """Step over grid positions filled from rows above, noting each continuing cell once."""
    while (r, col) in taken:
        if taken[(r, col)]:
            cells.append((col, None))
        col += 1
    return col


def _title_before(body, container) -> str | None:
    """The text of the heading or title-classed element closest before the container."""
    order = {node.mem_id: i for i, node in enumerate(body.traverse())}
    limit = order.get(container.mem_id, 0)
    best, best_at = None, -1
    for node in body.css("h1, h2, h3, [class*=title], [id*=title]"):
        at = order.get(node.mem_id, -1)
        if best_at < at < limit and not _contains(node, container):
            text = _collapse(_visible_text(node)).strip(" \t\n\r\f")
            if MIN_TITLE_CHARS <= len(text) <= MAX_TITLE_CHARS and "\n" not in text:
                best, best_at = text, at
    return best


def read_html(data: bytes, name: str = "") -> Document:
    try:
        markup, codec, warnings = decode_html(data)
    except ReadError as err:
        raise ReadError(name or None, err.reason) from None
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(markup)
    title_node = tree.css_first("title")
    title = _collapse(title_node.text()).strip() if title_node is not None else ""
    body = tree.body or tree.root
    builder = TextBuilder()
    if body is None:
        return builder.build("html", encoding=codec, warnings=warnings)
    _drop_junk(body)
    container = _find_container(body)
    if container is None:
        container = body
        _drop_chrome(body)
    if container.mem_id != body.mem_id and container.css_first("h1, h2, h3") is None:
        # The article's title usually sits above its container, among the page's chrome.
        heading = _title_before(body, container)
        if heading is not None:
            builder.line(heading, "heading")
        elif title:
            builder.line(title, "title")
    elif body.css_first("h1") is None and title:
        builder.line(title, "title")
    _Renderer(builder).render(container)
    return builder.build("html", encoding=codec, warnings=warnings)

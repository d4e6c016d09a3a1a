"""HTML reader for reports saved from government web pages: the article, not the page chrome.

Parses with selectolax (lexbor), drops scripts, navigation and footers, picks the article's
container, and renders block elements as lines and tables as `` | `` rows. A hostile page is
refused before lexbor parses it (``html_markup``); the text sizes that choosing the article
needs come from one walk over the tree (``html_nodes.Measure``); tables are laid on their grid
by ``html_tables``.
"""

from __future__ import annotations

import re

from extractor.document import Document
from extractor.errors import ReadError
from extractor.limits import ResourceBudget, current
from extractor.readers._build import TextBuilder
from extractor.readers.html_markup import check_markup
from extractor.readers.html_nodes import BLOCK_TAGS, Measure, attr, collapse, visible_text
from extractor.readers.html_tables import is_layout_table, table_rows

# Never part of the article text.
DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "frame",
    "object",
    "embed",
    "svg",
    "canvas",
    "audio",
    "video",
    "nav",
    "footer",
    "select",
    "textarea",
    "button",
    "input",
    "head",
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
MAX_CANDIDATES = 2000
# Bounds on the length of a page's article title found outside the article container.
MIN_PAGE_TITLE_CHARS, MAX_PAGE_TITLE_CHARS = 4, 200
# A form this short is a search box; ASP.NET pages wrap the whole page in a form.
SHORT_FORM_CHARS = 100

_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_CODECS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "utf8": "utf-8",
    "big5-hkscs": "big5hkscs",
    "x-x-big5": "big5",
}
_COLLAPSIBLE = str.maketrans("", "", " \t\n\r\f\xa0")


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


def _decompose_all(nodes) -> int:
    """Remove nodes given in document order, inner ones first: a node inside a removed one is
    freed with it, so it must go before its ancestor does (never touched after). Returns how many."""
    nodes = list(nodes)
    for node in reversed(nodes):
        node.decompose()
    return len(nodes)


def _drop_junk(root) -> None:
    _decompose_all(root.css(", ".join(DROP_TAGS)))  # one query: document order
    _decompose_all(
        node
        for node in root.css("[style], [hidden]")
        if node.attributes.get("hidden") is not None or _HIDDEN_STYLE.search(attr(node, "style"))
    )
    # A page-level <header> is chrome; one inside an article holds the article's title.
    inside = {node.mem_id for node in root.css("article header, main header")}
    _decompose_all(node for node in root.css("header") if node.mem_id not in inside)
    _decompose_all(node for node in root.css("form") if len(visible_text(node).strip()) < SHORT_FORM_CHARS)


def _drop_chrome(body, measure: Measure) -> int:
    return _decompose_all(
        node
        for node in body.css("[id], [class]")
        if CHROME_HINT.search(f"{attr(node, 'id')} {attr(node, 'class')}") and not measure.has_h1(node)
    )


def _candidates(body) -> list:
    """Elements whose id or class hints at the article's container, in document order."""
    candidates = []
    for node in body.css("[id], [class]"):
        if len(candidates) >= MAX_CANDIDATES:
            break
        if CONTAINER_HINT.search(f"{attr(node, 'id')} {attr(node, 'class')}"):
            candidates.append(node)
    return candidates


def _find_container(candidates: list, measure: Measure):
    """The element holding the article: the best-scoring hinted container, tightened to the
    innermost hinted descendant that still holds nearly all of its text."""
    if not candidates:
        return None
    scored = [(measure.score(node), node) for node in candidates]
    at = max(range(len(scored)), key=lambda i: scored[i][0])  # the first of the best, as max() picks
    best_score, best = scored[at]
    if best_score <= 0:
        return None
    # The candidates are in document order, so a container's descendants follow it in one run:
    # one pass moves to each next descendant holding nearly all of the current best's text.
    for score, node in scored[at + 1 :]:
        if not measure.contains(best, node):
            break
        if score >= TIGHTEN_SHARE * best_score:
            best, best_score = node, score
    return best


class _Renderer:
    """Walks an element tree (without recursion: pages nest deeply) into lines and tables."""

    def __init__(self, builder: TextBuilder, measure: Measure, budget: ResourceBudget, warnings: list[str]) -> None:
        self.builder = builder
        self.measure, self.budget, self.warnings = measure, budget, warnings
        self.fragments: list[str] = []
        self.kind = "paragraph"
        # Characters that white-space collapsing keeps, counted as the text nodes come: a page
        # over max_chars is refused before a huge paragraph is collapsed.
        self.kept, self.max_chars = 0, budget.limits.max_chars

    def flush(self) -> None:
        if self.fragments:
            # &nbsp; at a line's edges only defeats HTML's white-space collapsing (indentation).
            text = collapse("".join(self.fragments)).strip(" \t\n\r\f\xa0")
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
                text = node.text_content or ""
                self.kept += len(text.translate(_COLLAPSIBLE))
                if self.kept > self.max_chars:
                    raise self.budget.exceeded("max_chars", f"text is over {self.max_chars:,} characters")
                self.fragments.append(text)
                continue
            if tag is None or tag.startswith("-"):  # comments, doctype
                continue
            self.budget.tick("reading the page", every=4096)
            if tag == "br":
                self.flush()
                continue
            if tag == "table" and node.mem_id != root.mem_id and not is_layout_table(node, self.measure):
                self.flush()
                self.builder.table(table_rows(node, self.warnings))
                continue
            if tag in BLOCK_TAGS:
                self.flush()
                if tag in HEADING_TAGS:
                    self.kind = "heading"
            stack.append((node, True))
            children = list(node.iter(include_text=True))
            stack.extend((child, False) for child in reversed(children))
        self.flush()


def _title_before(body, container, measure: Measure) -> str | None:
    """The text of the heading or title-classed element closest before the container."""
    where = measure.get(container)
    limit = where[0] if where is not None else 0
    best, best_at = None, -1
    for node in body.css("h1, h2, h3, [class*=title], [id*=title]"):
        size = measure.get(node)
        at = size[0] if size is not None else -1
        # A title holds at most MAX_PAGE_TITLE_CHARS: a bigger element's text is never read.
        if best_at < at < limit and size[3] <= MAX_PAGE_TITLE_CHARS and not measure.contains(node, container):
            text = collapse(visible_text(node)).strip(" \t\n\r\f")
            if MIN_PAGE_TITLE_CHARS <= len(text) <= MAX_PAGE_TITLE_CHARS and "\n" not in text:
                best, best_at = text, at
    return best


def read_html(data: bytes, name: str = "", *, budget: ResourceBudget | None = None) -> Document:
    budget = budget or current().budget(name)
    try:
        markup, codec, warnings = decode_html(data)
    except ReadError as err:
        raise type(err)(name or None, err.reason) from None
    markup = check_markup(markup, budget)
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(markup)
    budget.check("parsing the page")
    title_node = tree.css_first("title")
    title = collapse(title_node.text()).strip() if title_node is not None else ""
    body = tree.body or tree.root
    builder = TextBuilder(budget)
    if body is None:
        return builder.build("html", encoding=codec, warnings=warnings)
    _drop_junk(body)
    candidates = _candidates(body)
    measure = Measure(body, {node.mem_id for node in body.css("[id], [class]")}, budget)
    container = _find_container(candidates, measure)
    if container is None:
        container = body
        if _drop_chrome(body, measure):  # text went with it: measure what is left
            measure = Measure(body, set(), budget)
    if container.mem_id != body.mem_id and container.css_first("h1, h2, h3") is None:
        # The article's title usually sits above its container, among the page's chrome.
        heading = _title_before(body, container, measure)
        if heading is not None:
            builder.line(heading, "heading")
        elif title:
            builder.line(title, "title")
    elif body.css_first("h1") is None and title:
        builder.line(title, "title")
    _Renderer(builder, measure, budget, warnings).render(container)
    return builder.build("html", encoding=codec, warnings=warnings)

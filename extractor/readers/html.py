"""HTML reader for reports saved from government web pages: the article, not the page chrome.

Parses with selectolax (lexbor), drops scripts, navigation and footers, picks the article's
container, and renders block elements as lines and tables as `` | `` rows.

Hostile pages are bounded: lexbor's parser scans its stack of open elements for many tags,
which is quadratic on deeply nested markup, so a large page's nesting is estimated before it
is parsed (``_check_markup``); and the text sizes that choosing the article needs come from one
walk over the tree (``_Measure``), not from a text query per element, which costs the page's
size times its depth.
"""

from __future__ import annotations

import re
from collections import defaultdict

from extractor.document import Document
from extractor.errors import ReadError
from extractor.limits import Budget, current
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
# Rowspans and colspans may mark at most this many grid positions of one table; past it,
# spans are ignored (a tiny table claiming rowspan=1000 colspan=100 in every cell).
MAX_SPANNED_CELLS = 200_000
# Pages with fewer tags than this are parsed without the nesting estimate: lexbor's worst case
# on them is a fraction of a second (20,000 tags could cost 3 s).
SCAN_ABOVE_TAGS = 5_000
# lexbor updates a select's options on every option it inserts (25,000 options: 3 s, quadratic);
# past this many, option tags become line breaks first (the reader drops selects anyway).
MAX_OPTIONS = 2_000
# Comparisons of lexbor's list of active formatting elements per second, on a slow machine: an
# estimate of a parse above what is left of the time budget is refused before it starts.
FORMATTING_CHECKS_PER_SECOND = 20_000_000

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


# -- bounding the parse ------------------------------------------------------------------------

# Start tags for which lexbor looks down its stack of open elements ("has a p element in
# button scope" and its kin): each costs the depth of the stack above the nearest boundary.
_SCOPE_CHECKING = frozenset(
    "address article aside blockquote center details dialog dir div dl fieldset figcaption figure footer header "
    "hgroup main menu nav ol p search section summary ul h1 h2 h3 h4 h5 h6 pre listing form li dd dt plaintext "
    "table hr xmp button".split())
_SCOPE_BOUNDARY = frozenset("html table td th caption marquee object applet template button".split())
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr keygen basefont bgsound "
                  "frame image menuitem".split())
_RAW_TEXT = frozenset("script style textarea title xmp iframe noembed noframes noscript".split())
# A start tag of the key closes an open element of its own kind above the nearest of the values.
_CLOSES_SIBLING = {"li": ("ul", "ol"), "dt": ("dl",), "dd": ("dl",), "option": ("select",),
                   "optgroup": ("select",), "tr": ("table",), "td": ("tr", "table"), "th": ("tr", "table"),
                   "thead": ("table",), "tbody": ("table",), "tfoot": ("table",)}
_SIBLING_KIND = {"dd": ("dd", "dt"), "dt": ("dd", "dt"), "td": ("td", "th"), "th": ("td", "th"),
                 "thead": ("thead", "tbody", "tfoot"), "tbody": ("thead", "tbody", "tfoot"),
                 "tfoot": ("thead", "tbody", "tfoot")}
_TAG_TOKEN = re.compile(r"<(?:(!--)|(/?)([a-z][a-z0-9:-]*))")  # run on the lowered markup
# Elements kept on the list of active formatting elements; a new one is compared with every
# entry after the last marker (the "Noah's Ark" clause), so entries that differ in their
# attributes (<b id=1><b id=2>…, never closed) make the parse quadratic.
_FORMATTING = frozenset("a b big code em font i nobr s small strike strong tt u".split())
_MARKERS = frozenset("applet object marquee template td th caption".split())
_OPTION_START = re.compile(r"<(option|optgroup)\b", re.IGNORECASE)
_OPTION_END = re.compile(r"</(?:option|optgroup)\s*>", re.IGNORECASE)


class _ActiveFormatting:
    """A rough model of lexbor's list of active formatting elements, for ``_check_markup``:
    its length after the last marker, and the comparisons that adding to it costs."""

    def __init__(self) -> None:
        self.frames: list[dict[str, dict[str, int]]] = [{}]  # per marker: tag -> attributes -> entries
        self.length = 0  # entries after the last marker
        self.checks = 0

    def start(self, tag: str, attributes: str) -> None:
        self.checks += self.length
        same = self.frames[-1].setdefault(tag, {})
        if same.get(attributes, 0) < 3:  # a fourth identical entry replaces the first
            same[attributes] = same.get(attributes, 0) + 1
            self.length += 1

    def end(self, tag: str) -> None:
        same = self.frames[-1].get(tag)
        if same:
            attributes = next(iter(same))
            same[attributes] -= 1
            if not same[attributes]:
                del same[attributes]
            self.length -= 1

    def marker(self, opening: bool) -> None:
        if opening:
            self.frames.append({})
            self.length = 0
        elif len(self.frames) > 1:
            self.frames.pop()
            self.length = sum(sum(same.values()) for same in self.frames[-1].values())


class _OpenElements:
    """A rough model of the parser's stack of open elements, for ``_check_markup``."""

    def __init__(self) -> None:
        self.stack: list[str] = []
        self.where: defaultdict[str, list[int]] = defaultdict(list)  # tag -> its indices in the stack
        self.bounds: list[int] = []  # indices of scope boundaries in the stack

    def newest(self, tags: tuple[str, ...]) -> int:
        """The index of the innermost open element among ``tags``; -1 if none is open."""
        best = -1
        for tag in tags:
            at = self.where.get(tag)
            if at and at[-1] > best:
                best = at[-1]
        return best

    def pop_to(self, index: int) -> None:
        where, bounds = self.where, self.bounds
        for tag in self.stack[index:]:
            where[tag].pop()
        del self.stack[index:]
        while bounds and bounds[-1] >= index:
            bounds.pop()

    def push(self, tag: str) -> None:
        if tag in _SCOPE_BOUNDARY:
            self.bounds.append(len(self.stack))
        self.where[tag].append(len(self.stack))
        self.stack.append(tag)

    def scope_depth(self) -> int:
        """How far a scope check walks: down to the nearest boundary element."""
        return len(self.stack) - 1 - (self.bounds[-1] if self.bounds else -1)


def _check_markup(markup: str, budget: Budget) -> str:
    """Refuse, before lexbor parses it, a page with too many tags, nested too deeply or too
    slow to parse; returns the markup to parse (its option tags renamed when there are many).

    Tags are counted, the stack of open elements is modelled (implied end tags included) to
    find the deepest point at which the parser would scan it, and so is the list of active
    formatting elements: a page that scans deeper than ``max_nesting`` would take the square
    of its size to parse, and lexbor cannot be stopped once it has started.
    """
    if markup.count("<") <= SCAN_ABOVE_TAGS:
        return markup
    text = markup.lower()
    model, formatting = _OpenElements(), _ActiveFormatting()
    where = model.where
    tags = deepest = skip = options = 0
    for m in _TAG_TOKEN.finditer(text):
        if m.start() < skip:  # inside a comment or a script
            continue
        comment, slash, tag = m.groups()
        if comment:  # skip to its end
            skip = text.find("-->", m.end()) + 3
            if skip < 3:
                break
            continue
        tags += 1
        if not tags & 4095:
            budget.check("checking the page's markup")
        if tag in _FORMATTING:
            if slash:
                formatting.end(tag)
            else:
                formatting.start(tag, text[m.end():text.find(">", m.end(), m.end() + 512)])
                deepest = max(deepest, formatting.length)
        elif tag in _MARKERS:
            formatting.marker(not slash)
        elif tag == "option" or tag == "optgroup":
            options += 1
        if slash:  # an end tag: pops to its element, or (stray) scans the stack in vain
            if where[tag]:
                model.pop_to(where[tag][-1])
            else:
                deepest = max(deepest, model.scope_depth())
            continue
        if tag in _RAW_TEXT:  # its content is text up to its end tag
            skip = text.find("</" + tag, m.end())
            if skip < 0:
                break
            continue
        deepest = max(deepest, _open(model, tag))
    budget.check_size("max_elements", tags, "page has {} tags")
    budget.check_size("max_nesting", deepest, "page nests elements {} deep")
    if formatting.checks > FORMATTING_CHECKS_PER_SECOND * budget.remaining():
        raise budget.exceeded("max_seconds", f"parsing the page would take about "
                                             f"{formatting.checks / FORMATTING_CHECKS_PER_SECOND:.0f} s "
                                             "(formatting tags left open)")
    if options > MAX_OPTIONS:  # a line break each: void, ignored inside a select, a new line outside
        markup = _OPTION_END.sub("", _OPTION_START.sub(r"<br data-\1", markup))
    return markup


def _open(model: _OpenElements, tag: str) -> int:
    """Model a start tag on the stack of open elements; how deep the parser scans for it."""
    where, depth = model.where, 0
    if tag in _SCOPE_CHECKING:
        depth = model.scope_depth()
        if where["p"] and where["p"][-1] > (model.bounds[-1] if model.bounds else -1):
            model.pop_to(where["p"][-1])  # the block closes an open paragraph
    container = _CLOSES_SIBLING.get(tag)
    if container is not None:
        sibling = model.newest(_SIBLING_KIND.get(tag, (tag,)))
        if sibling > model.newest(container):
            model.pop_to(sibling)
    if tag not in _VOID:
        model.push(tag)
    return depth


# -- one walk for the text sizes ------------------------------------------------------------------

_WHITESPACE = str.maketrans("", "", " \t\n\r\f")
_COLLAPSIBLE = str.maketrans("", "", " \t\n\r\f\xa0")
_MEASURED_TAGS = frozenset(("td", "th", "h1", "h2", "h3"))


class _Measure:
    """One walk over a tree: for each wanted element (and every cell and heading), its place in
    document order and the size of its text, instead of a text query per element."""

    __slots__ = ("sizes",)

    def __init__(self, root, wanted: set[int], budget: Budget):
        # mem_id -> (preorder index, end of subtree, chars, non-space chars, non-space link chars, h1s)
        self.sizes: dict[int, tuple[int, int, int, int, int, int]] = {}
        frames = [[0, 0, 0, 0]]
        stack: list = [root]  # nodes to enter; a tuple marks leaving an element
        counter = 0
        while stack:
            item = stack.pop()
            if type(item) is tuple:  # leaving an element: its sizes are complete
                pre, tag, key = item
                chars, nonspace, links, h1 = frames.pop()
                if tag == "a":
                    links = nonspace
                elif tag == "h1":
                    h1 += 1
                if key in wanted or tag in _MEASURED_TAGS:
                    self.sizes[key] = (pre, counter, chars, nonspace, links, h1)
                parent = frames[-1]
                parent[0] += chars
                parent[1] += nonspace
                parent[2] += links
                parent[3] += h1
                continue
            tag = item.tag
            if tag == "-text":
                text = item.text_content or ""
                frame = frames[-1]
                frame[0] += len(text)
                frame[1] += len(text.translate(_WHITESPACE))
                continue
            if tag is None or tag.startswith("-"):
                continue
            if counter % 4096 == 0:
                budget.check("measuring the page")
            stack.append((counter, tag, item.mem_id))
            counter += 1
            frames.append([0, 0, 0, 0])
            children = list(item.iter(include_text=True))
            children.reverse()
            stack.extend(children)

    def get(self, node) -> tuple[int, int, int, int, int, int] | None:
        return self.sizes.get(node.mem_id)

    def contains(self, ancestor, node) -> bool:
        a, b = self.sizes.get(ancestor.mem_id), self.sizes.get(node.mem_id)
        if a is None or b is None:
            return _contains(ancestor, node)
        return a[0] <= b[0] < a[1]

    def score(self, node) -> int:
        """Text length, not counting link text (menus, related-article lists)."""
        size = self.sizes.get(node.mem_id)
        return size[3] - size[4] if size is not None else _score(node)

    def has_h1(self, node) -> bool:
        size = self.sizes.get(node.mem_id)
        return size[5] > 0 if size is not None else node.css_first("h1") is not None

    def text_longer_than(self, node, limit: int) -> bool:
        """``len(visible text, stripped) > limit``, without reading the text when sizes decide."""
        size = self.sizes.get(node.mem_id)
        if size is not None:
            if size[3] > limit:
                return True
            if size[2] <= limit:
                return False
        return len(_visible_text(node).strip()) > limit


def _attr(node, key: str) -> str:
    value = node.attributes.get(key) if node.attributes else None
    return value or ""


def _visible_text(node) -> str:
    return node.text(deep=True, separator="", strip=False)


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
        node for node in root.css("[style], [hidden]")
        if node.attributes.get("hidden") is not None or _HIDDEN_STYLE.search(_attr(node, "style"))
    )
    # A page-level <header> is chrome; one inside an article holds the article's title.
    inside = {node.mem_id for node in root.css("article header, main header")}
    _decompose_all(node for node in root.css("header") if node.mem_id not in inside)
    _decompose_all(node for node in root.css("form") if len(_visible_text(node).strip()) < SHORT_FORM_CHARS)


def _drop_chrome(body, measure: _Measure) -> int:
    return _decompose_all(
        node for node in body.css("[id], [class]")
        if CHROME_HINT.search(f"{_attr(node, 'id')} {_attr(node, 'class')}") and not measure.has_h1(node)
    )


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


def _candidates(body) -> list:
    """Elements whose id or class hints at the article's container, in document order."""
    candidates = []
    for node in body.css("[id], [class]"):
        if len(candidates) >= MAX_CANDIDATES:
            break
        if CONTAINER_HINT.search(f"{_attr(node, 'id')} {_attr(node, 'class')}"):
            candidates.append(node)
    return candidates


def _find_container(candidates: list, measure: _Measure):
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
    for score, node in scored[at + 1:]:
        if not measure.contains(best, node):
            break
        if score >= TIGHTEN_SHARE * best_score:
            best, best_score = node, score
    return best


class _Renderer:
    """Walks an element tree (without recursion: pages nest deeply) into lines and tables."""

    def __init__(self, builder: TextBuilder, measure: _Measure, budget: Budget, warnings: list[str]) -> None:
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
            if tag == "table" and node.mem_id != root.mem_id and not _is_layout_table(node, self.measure):
                self.flush()
                self.builder.table(_table_rows(node, self.warnings))
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


def _is_layout_table(table, measure: _Measure) -> bool:
    rows = _rows_of(table)
    if not rows or max(len(_cells_of(tr)) for tr in rows) <= 1:
        return True
    return any(measure.text_longer_than(cell, LAYOUT_CELL_CHARS) for tr in rows for cell in _cells_of(tr))


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


def _table_rows(table, warnings: list[str] | None = None) -> list[list[Cell]]:
    """Rows of (column, text) on the table's grid: a rowspan continues as None in the rows
    below (so columns keep their places), a colspan appears once."""
    rows = _rows_of(table)
    # (row, column) -> True where a rowspan continues into its first column, False elsewhere.
    taken: dict[tuple[int, int], bool] = {}
    out: list[list[Cell]] = []
    spanned = 0
    for r, tr in enumerate(rows):
        cells: list[Cell] = []
        col = _skip_taken(taken, r, 0, cells)
        for td in _cells_of(tr):
            colspan = _span(td, "colspan", 100)
            rowspan = _span(td, "rowspan", len(rows) - r)
            if rowspan > 1 and spanned + (rowspan - 1) * colspan > MAX_SPANNED_CELLS:
                if warnings is not None and spanned <= MAX_SPANNED_CELLS:
                    warnings.append(f"a table's row spans cover more than {MAX_SPANNED_CELLS:,} cells: "
                                    "the rest are ignored")
                spanned, rowspan = MAX_SPANNED_CELLS + 1, 1
            spanned += (rowspan - 1) * colspan
            cells.append((col, _cell_text(td), colspan))
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


def _title_before(body, container, measure: _Measure) -> str | None:
    """The text of the heading or title-classed element closest before the container."""
    where = measure.get(container)
    limit = where[0] if where is not None else 0
    best, best_at = None, -1
    for node in body.css("h1, h2, h3, [class*=title], [id*=title]"):
        size = measure.get(node)
        at = size[0] if size is not None else -1
        # A title holds at most MAX_TITLE_CHARS: a bigger element's text is never read.
        if best_at < at < limit and size[3] <= MAX_TITLE_CHARS and not measure.contains(node, container):
            text = _collapse(_visible_text(node)).strip(" \t\n\r\f")
            if MIN_TITLE_CHARS <= len(text) <= MAX_TITLE_CHARS and "\n" not in text:
                best, best_at = text, at
    return best


def read_html(data: bytes, name: str = "", *, budget: Budget | None = None) -> Document:
    budget = budget or current().budget(name)
    try:
        markup, codec, warnings = decode_html(data)
    except ReadError as err:
        raise type(err)(name or None, err.reason) from None
    markup = _check_markup(markup, budget)
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(markup)
    budget.check("parsing the page")
    title_node = tree.css_first("title")
    title = _collapse(title_node.text()).strip() if title_node is not None else ""
    body = tree.body or tree.root
    builder = TextBuilder(budget)
    if body is None:
        return builder.build("html", encoding=codec, warnings=warnings)
    _drop_junk(body)
    candidates = _candidates(body)
    measure = _Measure(body, {node.mem_id for node in body.css("[id], [class]")}, budget)
    container = _find_container(candidates, measure)
    if container is None:
        container = body
        if _drop_chrome(body, measure):  # text went with it: measure what is left
            measure = _Measure(body, set(), budget)
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

"""The text of parsed HTML nodes: white space collapsed as a browser shows it, and the sizes of
every element's text measured in one walk over the tree (``Measure``) rather than by a text
query per element, which costs the page's size times its depth."""

from __future__ import annotations

import re

from extractor.limits import ResourceBudget
from extractor.readers._build import is_wide

# Elements that end the line before them and start a line of their own.
BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd tr table thead tbody tfoot section article main aside "
    "blockquote pre center address figure figcaption hr header form fieldset caption td th".split()
)

_SPACES = re.compile(r"[ \t\n\r\f]+")
_WHITESPACE = str.maketrans("", "", " \t\n\r\f")
# Measured always: the reader asks about cells (layout tables) and headings (titles).
_MEASURED_TAGS = frozenset(("td", "th", "h1", "h2", "h3"))


def collapse(text: str) -> str:
    """HTML white space: runs become one space, and a line break between two CJK characters
    disappears (CSS Text 3 segment-break rule), as a browser shows it."""
    if not _SPACES.search(text):
        return text

    def repl(m: re.Match) -> str:
        s, e = m.start(), m.end()
        if (
            ("\n" in m.group() or "\r" in m.group())
            and 0 < s
            and e < len(text)
            and is_wide(text[s - 1])
            and is_wide(text[e])
        ):
            return ""
        return " "

    return _SPACES.sub(repl, text)


class Measure:
    """One walk over a tree: for each wanted element (and every cell and heading), its place in
    document order and the size of its text, instead of a text query per element."""

    __slots__ = ("sizes",)

    def __init__(self, root, wanted: set[int], budget: ResourceBudget):
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
        return len(visible_text(node).strip()) > limit


def attr(node, key: str) -> str:
    value = node.attributes.get(key) if node.attributes else None
    return value or ""


def visible_text(node) -> str:
    return node.text(deep=True, separator="", strip=False)


def _contains(ancestor, node) -> bool:
    target = ancestor.mem_id
    while node is not None:
        if node.mem_id == target:
            return True
        node = node.parent
    return False


def _score(node) -> int:
    """Text length, not counting link text (menus, related-article lists)."""
    text = len(_SPACES.sub("", visible_text(node)))
    links = sum(len(_SPACES.sub("", visible_text(a))) for a in node.css("a"))
    return text - links

"""Bounding lexbor's parse of a hostile page, before it starts: lexbor cannot be stopped once it
has begun, and some markup makes it quadratic.

Its parser scans its stack of open elements for many start tags and compares each new
formatting element with the open ones; a page's tags are counted and both are modelled
(``check_markup``) so that a page too deep or too slow to parse is refused within its budget.
"""

from __future__ import annotations

import re
from collections import defaultdict

from extractor.limits import ResourceBudget

# Pages with fewer tags than this are parsed without the nesting estimate: lexbor's worst case
# on them is a fraction of a second (20,000 tags could cost 3 s).
SCAN_ABOVE_TAGS = 5_000
# lexbor updates a select's options on every option it inserts (25,000 options: 3 s, quadratic);
# past this many, option tags become line breaks first (the reader drops selects anyway).
MAX_OPTIONS = 2_000
# Comparisons of lexbor's list of active formatting elements per second, on a slow machine: an
# estimate of a parse above what is left of the time budget is refused before it starts.
FORMATTING_CHECKS_PER_SECOND = 20_000_000

# Start tags for which lexbor looks down its stack of open elements ("has a p element in
# button scope" and its kin): each costs the depth of the stack above the nearest boundary.
_SCOPE_CHECKING = frozenset(
    "address article aside blockquote center details dialog dir div dl fieldset figcaption figure footer header "
    "hgroup main menu nav ol p search section summary ul h1 h2 h3 h4 h5 h6 pre listing form li dd dt plaintext "
    "table hr xmp button".split()
)
_SCOPE_BOUNDARY = frozenset("html table td th caption marquee object applet template button".split())
_VOID = frozenset(
    "area base br col embed hr img input link meta param source track wbr keygen basefont bgsound "
    "frame image menuitem".split()
)
_RAW_TEXT = frozenset("script style textarea title xmp iframe noembed noframes noscript".split())
# A start tag of the key closes an open element of its own kind above the nearest of the values.
_CLOSES_SIBLING = {
    "li": ("ul", "ol"),
    "dt": ("dl",),
    "dd": ("dl",),
    "option": ("select",),
    "optgroup": ("select",),
    "tr": ("table",),
    "td": ("tr", "table"),
    "th": ("tr", "table"),
    "thead": ("table",),
    "tbody": ("table",),
    "tfoot": ("table",),
}
_SIBLING_KIND = {
    "dd": ("dd", "dt"),
    "dt": ("dd", "dt"),
    "td": ("td", "th"),
    "th": ("td", "th"),
    "thead": ("thead", "tbody", "tfoot"),
    "tbody": ("thead", "tbody", "tfoot"),
    "tfoot": ("thead", "tbody", "tfoot"),
}
_TAG_TOKEN = re.compile(r"<(?:(!--)|(/?)([a-z][a-z0-9:-]*))")  # run on the lowered markup
# Elements kept on the list of active formatting elements; a new one is compared with every
# entry after the last marker (the "Noah's Ark" clause), so entries that differ in their
# attributes (<b id=1><b id=2>…, never closed) make the parse quadratic.
_FORMATTING = frozenset("a b big code em font i nobr s small strike strong tt u".split())
_MARKERS = frozenset("applet object marquee template td th caption".split())
_OPTION_START = re.compile(r"<(option|optgroup)\b", re.IGNORECASE)
_OPTION_END = re.compile(r"</(?:option|optgroup)\s*>", re.IGNORECASE)


class _ActiveFormatting:
    """A rough model of lexbor's list of active formatting elements, for ``check_markup``:
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
    """A rough model of the parser's stack of open elements, for ``check_markup``."""

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


def check_markup(markup: str, budget: ResourceBudget) -> str:
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
                formatting.start(tag, text[m.end() : text.find(">", m.end(), m.end() + 512)])
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
    _refuse_costly(budget, tags, deepest, formatting.checks)
    if options > MAX_OPTIONS:  # a line break each: void, ignored inside a select, a new line outside
        markup = _OPTION_END.sub("", _OPTION_START.sub(r"<br data-\1", markup))
    return markup


def _refuse_costly(budget: ResourceBudget, tags: int, deepest: int, checks: int) -> None:
    """Refuse a page with too many tags, nested too deeply, or whose formatting elements would take
    longer to compare than the budget has left."""
    budget.check_size("max_elements", tags, "page has {} tags")
    budget.check_size("max_nesting", deepest, "page nests elements {} deep")
    if checks > FORMATTING_CHECKS_PER_SECOND * budget.remaining():
        seconds = checks / FORMATTING_CHECKS_PER_SECOND
        why = f"parsing the page would take about {seconds:.0f} s (formatting tags left open)"
        raise budget.exceeded("max_seconds", why)


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

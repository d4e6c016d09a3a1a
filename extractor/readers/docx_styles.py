"""Which .docx paragraphs are headings: by their outline level, or by their style's id, name or
outline level along its based-on chain in word/styles.xml (read only when an id alone does
not tell, and streamed one style at a time)."""

from __future__ import annotations

import re

from extractor.errors import CorruptFile, LimitExceeded
from extractor.limits import ResourceBudget
from extractor.readers.docx_xml import STYLES_PART, free, iter_parts
from extractor.readers.docx_xml import child as _child

# Word's own styles.xml holds a few hundred styles; one with more than this is a bomb, and is
# left unread (it only costs heading detection by a style's name).
MAX_STYLES = 20_000

_HEADING_NAME = re.compile(r"(heading|标题)[1-9]")


def _kind_of_style_name(name: str) -> str | None:
    key = name.lower().replace(" ", "")
    if key in ("title", "标题"):
        return "title"
    if _HEADING_NAME.fullmatch(key):
        return "heading"
    return None


class StyleKinds:
    """A paragraph's kind (paragraph, heading, title) from its properties and the styles."""

    def __init__(self, w: str, style_xml, name: str, budget: ResourceBudget) -> None:
        self.w = w
        self.PPR, self.VAL, self.PSTYLE, self.OUTLINE = w + "pPr", w + "val", w + "pStyle", w + "outlineLvl"
        self._style_xml, self._name, self.budget = style_xml, name, budget
        self._styles: dict[str, tuple[str, str | None, int | None]] | None = None
        self._style_kinds: dict[str, str] = {}

    @property
    def styles(self) -> dict[str, tuple[str, str | None, int | None]]:
        """Style id -> (name, based-on id, outline level), read on first need: styles.xml is
        often ten times the size of the text, and most headings are found by their id alone.
        ``style_xml`` may be a function that inflates it, called only then."""
        if self._styles is None:
            style_xml = self._style_xml() if callable(self._style_xml) else self._style_xml
            self._styles = {}
            if style_xml and style_xml.count(b"styleId") <= MAX_STYLES:
                try:
                    self._styles = self._read_styles(style_xml)
                except (CorruptFile, LimitExceeded):
                    pass  # broken styles only cost us heading detection
        return self._styles

    def _read_styles(self, xml: bytes) -> dict[str, tuple[str, str | None, int | None]]:
        styles: dict[str, tuple[str, str | None, int | None]] = {}
        w = self.w
        style_id, name_tag, based_tag = w + "styleId", w + "name", w + "basedOn"
        for style in iter_parts(xml, self._name, STYLES_PART, (w + "style",)):
            self.budget.tick("reading word/styles.xml")
            sid = style.get(style_id)
            if sid:
                name = based = outline = None
                for child in style:  # one pass over a style's few children, not a find() per property
                    tag = child.tag
                    if tag == name_tag and name is None:
                        name = child.get(self.VAL, sid)
                    elif tag == based_tag and based is None:
                        based = child.get(self.VAL)
                    elif tag == self.PPR and outline is None:
                        level = _child(child, self.OUTLINE)
                        outline = level.get(self.VAL) if level is not None else None
                styles[sid] = (name or sid, based, int(outline) if outline is not None and outline.isdigit() else None)
            free(style)
        return styles

    def paragraph_kind(self, p) -> str:
        ppr = _child(p, self.PPR)
        if ppr is None:
            return "paragraph"
        outline = style = None
        for child in ppr:
            tag = child.tag
            if tag == self.OUTLINE:
                if outline is None:
                    outline = child
            elif tag == self.PSTYLE:
                if style is None:
                    style = child
        if outline is not None and (outline.get(self.VAL) or "").isdigit() and int(outline.get(self.VAL)) < 9:
            return "heading"
        sid = style.get(self.VAL) if style is not None else None
        if not sid:
            return "paragraph"
        kind = self._style_kinds.get(sid)
        if kind is None:
            kind = self._style_kinds[sid] = self._style_kind(sid)
        return kind

    def _style_kind(self, sid: str) -> str:
        """The kind of a paragraph in style ``sid``: by the id itself, else by the names and
        outline levels along its based-on chain in styles.xml. Every style on the chain walked
        has the same kind, and is remembered with it: a styles.xml of one long chain, used by
        many paragraphs, is walked once."""
        direct = _kind_of_style_name(sid)  # "Title", "Heading1": no need for styles.xml
        if direct:
            return direct
        walked: list[str] = []
        seen: set[str] = set()
        kind = "paragraph"
        while sid and sid not in seen:
            if sid in self._style_kinds and walked:
                kind = self._style_kinds[sid]
                break
            seen.add(sid)
            walked.append(sid)
            name, based, level = self.styles.get(sid, (sid, None, None))
            found = _kind_of_style_name(name) or ("heading" if level is not None and level < 9 else None)
            if found:
                kind = found
                break
            sid = based
        for walked_sid in walked:
            self._style_kinds[walked_sid] = kind
        return kind

    # -- text inside a paragraph -------------------------------------------------------------

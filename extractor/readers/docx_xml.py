"""The XML plumbing of the .docx reader: WordprocessingML's names, and lxml parsing that
resolves no entities and fetches nothing (streamed one element at a time, or whole)."""

from __future__ import annotations

import io

from extractor.errors import CorruptFile
from extractor.readers._zipxml import SAFE_XML, corrupt, xml_error

DOCUMENT_PART = "word/document.xml"
STYLES_PART = "word/styles.xml"

W_MAIN = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def corrupt_docx(name: str, detail: str = "corrupt zip") -> CorruptFile:
    return corrupt(name, ".docx", detail)


def iter_parts(xml: bytes, name: str, part: str, tags: tuple[str, ...], found: list | None = None):
    """Each element whose tag is in ``tags``, at its end, parsed with entities left unexpanded,
    no DTD and no network; the caller frees what it read. ``found`` gets the root element."""
    from lxml import etree

    context = etree.iterparse(
        io.BytesIO(xml),
        events=("end",),
        tag=tags,
        **SAFE_XML,
        remove_comments=True,
    )
    try:
        for _, el in context:
            yield el
    except etree.XMLSyntaxError as err:
        raise xml_error(err, name, part, ".docx") from None
    if getattr(context, "root", None) is None:
        raise corrupt_docx(name, f"{part} is empty")
    if found is not None:
        found.append(context.root)


def free(el) -> None:
    """Free an element read from a stream, and the siblings read before it."""
    el.clear(keep_tail=False)
    parent = el.getparent()
    if parent is not None:
        while el.getprevious() is not None:
            del parent[0]


def child(el, tag: str):
    """The first child of ``el`` with ``tag`` (``el.find(tag)`` without ElementPath's overhead)."""
    for child in el:
        if child.tag == tag:
            return child
    return None

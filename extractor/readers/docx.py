"""Word .docx reader: walks word/document.xml in body order into paragraphs and tables.

Reads the XML directly (zipfile + lxml with a parser that resolves no entities and fetches
nothing), which is several times faster than python-docx and sees content controls, text
boxes and tracked insertions that python-docx's API skips. The body's walk is ``docx_body``,
headings by style ``docx_styles``, the XML plumbing ``docx_xml``.

A document.xml of up to ``WHOLE_XML`` bytes is parsed whole (its tree takes about 13 times its
size; parsing it whole costs about half of streaming it); a larger one is streamed
(``iterparse``): each element of the body is read and then freed, so a document.xml of
millions of tiny runs costs the memory of one paragraph or table at a time, not of the whole
tree. styles.xml is always streamed, one style at a time.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Callable

from extractor.document import Document
from extractor.errors import CorruptFile, EncryptedFile, LimitExceeded
from extractor.limits import ResourceBudget, current
from extractor.readers._zipxml import SAFE_XML, inflate
from extractor.readers.docx_body import _Walker
from extractor.readers.docx_xml import DOCUMENT_PART, MC, STYLES_PART, W_MAIN, W_STRICT, free, iter_parts
from extractor.readers.docx_xml import corrupt_docx as _corrupt

# document.xml parsed whole up to this size (bytes); streamed past it.
WHOLE_XML = 4 * 2**20


def find_member(names: list[str], wanted: str) -> str | None:
    """OPC part names are case-insensitive; some writers change the case."""
    if wanted in names:
        return wanted
    lowered = wanted.lower()
    return next((n for n in names if n.lower() == lowered), None)


_inflate = inflate


def _open_zip(data: bytes, name: str) -> zipfile.ZipFile:
    from extractor.readers import ZIP_ERRORS

    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except ZIP_ERRORS:
        raise _corrupt(name) from None


def _read_parts(
    data: bytes, name: str, budget: ResourceBudget, archive: zipfile.ZipFile | None = None
) -> tuple[bytes, Callable[[], bytes | None]]:
    """Check the archive against zip-bomb limits, then inflate document.xml. styles.xml (often
    ten times its size, and needed only for a paragraph style not named by its id) comes as a
    function that inflates it when called. ``archive``: ``data`` already opened, by the sniffer
    after its checks of the zip directory."""
    from extractor.readers import check_zip_directory

    if archive is None:
        check_zip_directory(data, budget)
        archive = _open_zip(data, name)
    with archive:
        infos = archive.infolist()
        budget.check_size("max_zip_members", len(infos), "zip archive has {} members")
        budget.check_size(
            "max_zip_bytes", sum(info.file_size for info in infos), "zip archive declares {} bytes inflated"
        )
        names = [info.filename for info in infos]
        document = find_member(names, DOCUMENT_PART)
        if document is None:
            raise CorruptFile(name or None, "zip archive without word/document.xml: not a Word document")
        styles = find_member(names, STYLES_PART)
        try:
            xml = _inflate(archive, archive.getinfo(document), DOCUMENT_PART, budget)
        except RuntimeError as err:  # zipfile's "password required for extraction"
            if "encrypted" in str(err) or "password" in str(err):
                raise EncryptedFile(name or None, "encrypted zip archive") from None
            raise _corrupt(name) from None
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError):
            raise _corrupt(name) from None

    def style_xml() -> bytes | None:
        if styles is None:
            return None
        from extractor.readers import ZIP_ERRORS

        try:
            with zipfile.ZipFile(io.BytesIO(data)) as again:
                return _inflate(again, again.getinfo(styles), STYLES_PART, budget)
        except (LimitExceeded, zlib.error, RuntimeError, KeyError, *ZIP_ERRORS):
            return None  # broken or oversized styles only cost heading detection

    return xml, style_xml


# What the body holds that the walker reads, in either namespace of WordprocessingML.
_BODY_TAGS = tuple(f"{{{ns}}}{t}" for ns in (W_MAIN, W_STRICT) for t in ("p", "tbl", "sdt", "customXml")) + (
    f"{{{MC}}}AlternateContent",
)
_BODIES = (f"{{{W_MAIN}}}body", f"{{{W_STRICT}}}body")


def _whole(xml: bytes):
    """document.xml's root parsed whole, or None when it does not parse (the streamed read says
    why, in its own words)."""
    from lxml import etree

    parser = etree.XMLParser(**SAFE_XML, remove_comments=True)
    try:
        return etree.fromstring(xml, parser)
    except etree.XMLSyntaxError:
        return None


def _body_elements(xml: bytes, name: str, found: list):
    """The body's elements the walker reads (_BODY_TAGS whose parent is a body), in order;
    ``found`` gets the root. Streamed past WHOLE_XML (each element freed once read)."""
    root = _whole(xml) if len(xml) <= WHOLE_XML else None
    if root is not None:
        found.append(root)
        tags = set(_BODY_TAGS)
        for body in root:
            if body.tag in _BODIES:
                yield from (el for el in body if el.tag in tags)
        return
    for el in iter_parts(xml, name, DOCUMENT_PART, _BODY_TAGS, found):
        parent = el.getparent()
        if parent is None or parent.tag not in _BODIES:
            continue  # inside a body element: read with it when it ends
        yield el
        free(el)


def read_docx(
    data: bytes, name: str = "", *, budget: ResourceBudget | None = None, archive: zipfile.ZipFile | None = None
) -> Document:
    budget = budget or current().budget(name)
    xml, style_xml = _read_parts(data, name, budget, archive)
    walker: _Walker | None = None
    found: list = []
    for el in _body_elements(xml, name, found):
        if walker is None:
            walker = _Walker(el.getparent().tag[1:].split("}")[0], style_xml, name, budget)
        walker.walk_child(el)
    tag = found[0].tag if isinstance(found[0].tag, str) else ""
    ns = tag[1:].split("}")[0] if tag.startswith("{") else W_MAIN
    if ns not in (W_MAIN, W_STRICT):
        raise _corrupt(name, "word/document.xml is not WordprocessingML")
    return (walker or _Walker(ns, style_xml, name, budget)).builder.build("docx")

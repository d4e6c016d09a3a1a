"""Zip-of-XML formats (.docx, .xlsx, .ofd): members inflated under the zip limits, parts parsed
with an XML parser that expands no entity, loads no DTD and fetches nothing."""

from __future__ import annotations

import io
import zipfile
import zlib

from extractor.errors import CorruptFile, EncryptedFile, LimitExceeded
from extractor.limits import ResourceBudget


def corrupt(name: str, label: str, detail: str = "corrupt zip") -> CorruptFile:
    """``not a valid .xlsx (detail)``: ``label`` names the format."""
    return CorruptFile(name or None, f"not a valid {label} ({detail})")


_XML_ERR_NO_MEMORY = 2  # libxml2's error code for a failed allocation


def xml_error(err, name: str, part: str, label: str = ".docx") -> Exception:
    """What an XMLSyntaxError of ``part`` means for the user (libxml2's own limits on: 256 levels
    of nesting, 10 MB in one text node, as huge_tree off sets them)."""
    first = (str(err).splitlines() or [""])[0]
    if "Excessive depth" in first or "Resource limit exceeded" in first:
        what = "nests elements over 256 deep" if "depth" in first else "holds a text or value over 10 MB"
        return LimitExceeded(name or None, f"{part} {what} (the XML parser's fixed limit)")
    if getattr(err, "code", None) == _XML_ERR_NO_MEMORY or "Memory allocation failed" in first:
        return MemoryError()  # past --max-memory: read_bytes says so in one line
    return corrupt(name, label, f"{part} is not well-formed XML: {first}")


# What every XML part of an untrusted file is parsed with: entities left unexpanded, no DTD, no
# network, and libxml2's own limits on (huge_tree off: 256 levels of nesting, 10 MB in one text node)
SAFE_XML = {
    "resolve_entities": False,
    "no_network": True,
    "huge_tree": False,
    "load_dtd": False,
    "dtd_validation": False,
}


def parse_xml(xml: bytes, name: str, part: str, label: str = ".docx"):
    """Parse one part with entities left unexpanded, no DTD, no network, and libxml2's own
    limits on (huge_tree off: 256 levels of nesting, 10 MB in one text node)."""
    from lxml import etree

    parser = etree.XMLParser(**SAFE_XML)
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as err:
        raise xml_error(err, name, part, label) from None
    if root is None:
        raise corrupt(name, label, f"{part} is empty")
    return root


def inflate(archive: zipfile.ZipFile, info: zipfile.ZipInfo, part: str, budget: ResourceBudget) -> bytes:
    """The member's bytes, streamed: never more than the limit is inflated, whatever its header says."""
    limit = budget.limits.max_xml_bytes
    budget.check_size("max_xml_bytes", info.file_size, f"{part} declares {{}} bytes inflated")
    chunks, size = [], 0
    with archive.open(info) as f:
        while chunk := f.read(min(1 << 20, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise budget.exceeded(
                    "max_xml_bytes", f"{part} inflates past {limit:,} bytes (its header said {info.file_size:,})"
                )
            budget.check(f"inflating {part}")
    return b"".join(chunks)


class Package:
    """An open zip of XML parts, checked against the zip limits (members, declared size) once;
    ``xml(part)`` inflates and parses one part, found whatever the case of its name."""

    def __init__(
        self, data: bytes, name: str, budget: ResourceBudget, label: str, archive: zipfile.ZipFile | None = None
    ) -> None:
        from extractor.readers import ZIP_ERRORS, check_zip_directory

        self.name, self.budget, self.label = name, budget, label
        if archive is None:
            check_zip_directory(data, budget)
            try:
                archive = zipfile.ZipFile(io.BytesIO(data))
            except ZIP_ERRORS:
                raise corrupt(name, label) from None
        self.archive = archive
        infos = archive.infolist()
        budget.check_size("max_zip_members", len(infos), "zip archive has {} members")
        budget.check_size(
            "max_zip_bytes", sum(info.file_size for info in infos), "zip archive declares {} bytes inflated"
        )
        self._names = {info.filename.lower(): info for info in infos}

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc) -> None:
        self.archive.close()

    def has(self, part: str) -> bool:
        return part.lower().lstrip("/") in self._names

    def read(self, part: str) -> bytes:
        """A member's bytes (CorruptFile when missing or broken, EncryptedFile when encrypted)."""
        info = self._names.get(part.lower().lstrip("/"))
        if info is None:
            raise corrupt(self.name, self.label, f"no {part} in the archive")
        try:
            return inflate(self.archive, info, part, self.budget)
        except RuntimeError as err:  # zipfile's "password required for extraction"
            if "encrypted" in str(err) or "password" in str(err):
                raise EncryptedFile(self.name or None, "encrypted zip archive") from None
            raise corrupt(self.name, self.label) from None
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError):
            raise corrupt(self.name, self.label) from None

    def xml(self, part: str):
        """The parsed root element of a part."""
        return parse_xml(self.read(part), self.name, part, self.label)

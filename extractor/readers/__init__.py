"""Readers: turn a file's bytes into a Document, the format sniffed from the bytes, not the name.

Each format module loads its heavy library only when a file of that format is read, so
reading a .txt never imports pdfplumber, lxml or selectolax.

Every read runs under the limits of ``extractor.limits`` (size, text length, pages, zip
contents, nesting, time): each reader gets a ``ResourceBudget`` and checks it as it goes.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import re
import stat
import struct
import zipfile

from extractor.document import Document
from extractor.errors import (
    CorruptFile,
    EmptyFile,
    EncryptedFile,
    LimitExceeded,
    NotAFile,
    NotFound,
    PermissionDenied,
    ReadError,
    UnsupportedFormat,
)
from extractor.limits import Limits, ResourceBudget, current, out_of_memory

__all__ = ["DEFAULT_MAX_BYTES", "FORMATS", "read", "read_bytes", "sniff"]

DEFAULT_MAX_BYTES = Limits().max_bytes  # the default; the limit in force is limits.current().max_bytes
FORMATS = ("txt", "docx", "pdf", "html", "doc", "xlsx", "xls", "ofd", "png", "jpeg", "tiff")
SNIFF_BYTES = 8192
# Share of control bytes (other than tab, newlines, form feed, escape) above which
# non-UTF-16 data is binary: text has none, images and random bytes have ~10 %.
BINARY_CONTROL_SHARE = 0.05

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_UTF8_BOM = b"\xef\xbb\xbf"
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


# Comments are matched possessively and cannot hold "-->": a lazy ``.*?`` inside a starred
# group backtracks exponentially on a run of "<!---->" with no tag after it.
_HTML_START = re.compile(
    r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--(?:(?!-->).)*-->\s*)*+"
    r"<(?:!doctype\s+html|html|head|body|meta|title|link|div|p|table|span|h[1-6]|br|section|article|script|style)\b",
    re.IGNORECASE | re.DOTALL,
)
# Scanned pages saved as images: read by OCR (extractor.readers.ocr).
_IMAGES = ((b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpeg"), (b"II*\x00", "tiff"), (b"MM\x00*", "tiff"))
# Magic numbers of formats people save reports as by mistake, for a more useful message.
_KNOWN_BINARY = [
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"BM", None),  # too short to name on its own; left to the control-byte test
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "an executable"),
    (b"MZ", None),
]


def _looks_binary(head: bytes) -> bool:
    if not head:
        return False
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls > BINARY_CONTROL_SHARE * len(head)


def _is_pdf(head: bytes) -> bool:
    """``%PDF-`` within the first 1024 bytes, after nothing but whitespace, a BOM or binary junk."""
    at = head.find(b"%PDF-", 0, 1024 + 5)
    if at < 0:
        return False
    prefix = head[:at].replace(_UTF8_BOM, b"")
    return not prefix.strip() or _looks_binary(prefix)


def _zip_directory(data: bytes) -> tuple[int, int] | None:
    """(members, size in bytes) of a zip's central directory, from its end record; None if unfound."""
    at = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if at < 0 or at + 22 > len(data):
        return None
    members, size = struct.unpack_from("<HI", data, at + 10)
    if (members == 0xFFFF or size == 0xFFFFFFFF) and at >= 20 and data[at - 20 : at - 16] == b"PK\x06\x07":
        (end64,) = struct.unpack_from("<Q", data, at - 12)  # ZIP64: the real counts are elsewhere
        if end64 + 56 <= len(data) and data[end64 : end64 + 4] == b"PK\x06\x06":
            members, size = struct.unpack_from("<QQ", data, end64 + 32)
    return members, size


# What zipfile raises for a damaged archive (NotImplementedError: a "version needed to extract"
# it does not know; struct.error: a record cut short).
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    OSError,
    ValueError,
    EOFError,
    NotImplementedError,
    struct.error,
)


# A central directory entry is 46 bytes plus its name (Word's are ~30 characters): a directory
# this many bytes per allowed member is too big to be honest about its member count.
_DIRECTORY_BYTES_PER_MEMBER = 512


def check_zip_directory(data: bytes, budget: ResourceBudget) -> None:
    """Refuse a zip whose directory lists too many members before zipfile parses every entry."""
    found = _zip_directory(data)
    if found is None:
        return
    members, size = found
    max_members = budget.limits.max_zip_members
    budget.check_size("max_zip_members", members, "zip archive has {} members")
    if size > max_members * _DIRECTORY_BYTES_PER_MEMBER:
        raise budget.exceeded("max_zip_members", f"zip directory of {size:,} bytes lists more members than allowed")


_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")


# The part that names a zip's format, lowercased: an Office Open XML package or an OFD (GB/T 33190).
_ZIP_FORMATS = (("word/document.xml", "docx"), ("xl/workbook.xml", "xlsx"), ("ofd.xml", "ofd"))
_ZIP_LABELS = {"docx": ".docx", "xlsx": ".xlsx", "ofd": ".ofd"}
# Parts a truncated zip still shows near its start, by format ([Content_Types].xml, which every
# Office package has, last: a workbook's is no sign of a Word document).
_ZIP_HINTS = (
    (b"word/", "docx"),
    (b"xl/", "xlsx"),
    (b"OFD.xml", "ofd"),
    (b"Doc_0/", "ofd"),
    (b"[Content_Types].xml", "docx"),
)


def _zip_archive(data: bytes, name: str, budget: ResourceBudget) -> tuple[zipfile.ZipFile, str]:
    """The open zip archive (the caller closes it) and its format: "docx", "xlsx" or "ofd"."""
    check_zip_directory(data, budget)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except ZIP_ERRORS:
        # A truncated package has lost its central directory but still shows its part names.
        for hint, fmt in _ZIP_HINTS:
            if hint in data[:65536]:
                raise CorruptFile(name or None, f"not a valid {_ZIP_LABELS[fmt]} (corrupt zip)") from None
        raise CorruptFile(name or None, "corrupt zip archive") from None
    names = {n.lower().lstrip("/") for n in archive.namelist()}
    for part, fmt in _ZIP_FORMATS:
        if part in names:
            return archive, fmt
    archive.close()
    if "xl/workbook.bin" in names:
        raise UnsupportedFormat(name or None, "unsupported format: an Excel binary workbook (.xlsb); save it as .xlsx")
    raise CorruptFile(
        name or None,
        "zip archive without word/document.xml, xl/workbook.xml or OFD.xml: not a Word, Excel or OFD document",
    )


def _sniff_zip(data: bytes, name: str, budget: ResourceBudget) -> str:
    archive, fmt = _zip_archive(data, name, budget)
    archive.close()
    return fmt


def _sniff_ole2(data: bytes, name: str) -> str:
    # The stream names sit in the compound file's directory, stored as UTF-16LE.
    if _utf16("EncryptedPackage") in data:
        raise EncryptedFile(name or None, "encrypted Office document (password-protected)")
    if _utf16("WordDocument") in data:
        return "doc"
    if _utf16("Workbook") in data or _utf16("Book") in data:
        return "xls"
    if _utf16("PowerPoint Document") in data:
        raise UnsupportedFormat(name or None, "unsupported format: a PowerPoint .ppt file, not a Word document")
    return "doc"


def sniff(data: bytes, name: str = "", *, limits: Limits | None = None) -> str:
    """The format of ``data``: one of ``FORMATS`` ("docx", "pdf", "html", "doc", "txt", "xlsx", "xls",
    "ofd", and "png", "jpeg", "tiff" for scanned pages).

    ``name`` only labels the errors: a .docx named .txt is a docx. Raises CorruptFile,
    EncryptedFile, UnsupportedFormat, EmptyFile (only NUL bytes) or LimitExceeded (a zip
    listing too many members) for what no reader can take.
    """
    from extractor.readers.txt import detect_utf16, detect_utf32

    head = data[:SNIFF_BYTES]
    if head.startswith(_ZIP_MAGIC):
        return _sniff_zip(data, name, (limits or current()).budget(name))
    if head.startswith(OLE2_MAGIC):
        return _sniff_ole2(data, name)
    if _is_pdf(head):
        return "pdf"
    for magic, image in _IMAGES:
        if head.startswith(magic):
            return image
    if head.count(0) == len(head) and data.count(0) == len(data):
        raise EmptyFile(name or None, "only NUL bytes (a zero-filled file)")
    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        codec: str | None = "utf-32"
    elif head.startswith((b"\xff\xfe", b"\xfe\xff")):
        codec = "utf-16"
    else:
        codec = detect_utf32(head) or detect_utf16(head)
    if codec:
        start = head.decode(codec, errors="replace").lstrip("\ufeff")
    else:
        start = head.removeprefix(_UTF8_BOM).decode("latin-1")
    if _HTML_START.match(start[:2048]):
        return "html"
    if codec:
        return "txt"
    if head.lstrip().startswith(b"{\\rtf"):
        raise UnsupportedFormat(name or None, "unsupported format: RTF document (save it as .docx)")
    for magic, kind in _KNOWN_BINARY:
        if kind and head.startswith(magic):
            raise UnsupportedFormat(name or None, f"unknown binary format ({kind})")
    if _looks_binary(head):
        raise UnsupportedFormat(name or None, "unknown binary format")
    return "txt"


def _dispatch(
    fmt: str, data: bytes, name: str, budget: ResourceBudget, archive: zipfile.ZipFile | None = None
) -> Document:
    if fmt == "txt":
        from extractor.readers.txt import read_txt

        return read_txt(data, name, budget=budget)
    if fmt == "docx":
        from extractor.readers.docx import read_docx

        return read_docx(data, name, budget=budget, archive=archive)
    if fmt == "pdf":
        from extractor.readers.pdf import read_pdf

        return read_pdf(data, name, budget=budget)
    if fmt == "html":
        from extractor.readers.html import read_html

        return read_html(data, name, budget=budget)
    if fmt == "doc":
        from extractor.readers.doc import read_doc

        return read_doc(data, name, budget=budget)
    if fmt == "xlsx":
        from extractor.readers.xlsx import read_xlsx

        return read_xlsx(data, name, budget=budget, archive=archive)
    if fmt == "xls":
        from extractor.readers.xls import read_xls

        return read_xls(data, name, budget=budget)
    if fmt == "ofd":
        from extractor.readers.ofd import read_ofd

        return read_ofd(data, name, budget=budget, archive=archive)
    if fmt in ("png", "jpeg", "tiff"):
        from extractor.readers.ocr import read_image

        return read_image(data, name, budget=budget)
    raise UnsupportedFormat(name or None, f"unsupported format: {fmt}")


def _limits(limits: Limits | None, max_bytes: int | None) -> Limits:
    return (limits or current()).replace(max_bytes=max_bytes)


def read_bytes(
    data: bytes, *, name: str = "", path: str | None = None, max_bytes: int | None = None, limits: Limits | None = None
) -> Document:
    """Read a document from memory; ``name`` labels errors, ``path`` is recorded on the Document.

    ``limits`` (default: ``extractor.limits.current()``) bound the work; ``max_bytes`` overrides one.
    """
    label = name or path or ""
    budget = _limits(limits, max_bytes).budget(label)
    budget.check_size("max_bytes", len(data), "file is {} bytes")
    if not data:
        raise EmptyFile(label or None, "empty file")
    archive = None
    if data.startswith(_ZIP_MAGIC):  # what sniff tests first; the reader takes the open archive
        archive, fmt = _zip_archive(data, label, budget)
    else:
        fmt = sniff(data, label, limits=budget.limits)
    try:
        document = _dispatch(fmt, data, label, budget, archive)
    except ReadError:
        raise
    except MemoryError:
        raise out_of_memory(label or None, budget.limits, f"reading this {fmt} file") from None
    except RecursionError:
        raise LimitExceeded(label or None, f"{fmt} structure nested too deeply") from None
    except Exception as err:  # a parser's own bug or surprise must not stop a batch
        detail = str(err).splitlines()[0] if str(err) else ""
        raise CorruptFile(label or None, f"cannot read as {fmt}: {type(err).__name__}: {detail}".rstrip(": ")) from err
    finally:
        if archive is not None:
            archive.close()
    budget.check_size("max_chars", len(document.text), "text is {} characters")
    document.format = fmt
    document.path = path
    document.sha256 = hashlib.sha256(data).hexdigest()
    return document


def _open_error(name: str, err: OSError) -> ReadError:
    if isinstance(err, FileNotFoundError):
        return NotFound(name, "no such file")
    if isinstance(err, NotADirectoryError):
        return NotFound(name, "no such file (a parent is not a directory)")
    if isinstance(err, PermissionError):
        return PermissionDenied(name, "permission denied")
    if isinstance(err, IsADirectoryError):
        return NotAFile(name, "is a directory")
    if err.errno == errno.ELOOP:
        return NotAFile(name, "symlink loop")
    return ReadError(name, f"cannot open: {err.strerror or err}")


def read(path: str | os.PathLike[str], *, max_bytes: int | None = None, limits: Limits | None = None) -> Document:
    """Read the file at ``path`` into a Document; every failure is a ReadError with a one-line message.

    ``limits`` (default: ``extractor.limits.current()``) bound the work; ``max_bytes`` overrides one.
    """
    name = os.fspath(path)
    limits = _limits(limits, max_bytes)
    try:
        # Non-blocking, so that a FIFO put in the file's place after a check cannot hang us;
        # the checks are then made on what was opened.
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as err:
        raise _open_error(name, err) from None
    except ValueError as err:  # an embedded NUL in the name
        raise NotFound(name, f"invalid path: {err}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise NotAFile(name, "is a directory")
        if not stat.S_ISREG(info.st_mode):
            raise NotAFile(name, "not a regular file (a device, FIFO or socket)")
        limits.budget(name).check_size("max_bytes", info.st_size, "file is {} bytes")
        if info.st_size == 0:
            raise EmptyFile(name, "empty file")
        with open(fd, "rb", closefd=False) as f:
            # As much as fstat says, then the rest up to the limit if it has grown since (read_bytes
            # checks again): asking for the limit at once would allocate the limit's worth of bytes.
            data = f.read(info.st_size + 1)
            if len(data) > info.st_size:
                data += f.read(limits.max_bytes + 1 - len(data))
    except OSError as err:
        raise ReadError(name, f"cannot read: {err.strerror or err}") from None
    finally:
        os.close(fd)
    return read_bytes(data, name=name, path=name, limits=limits)

"""Readers: turn a file's bytes into a Document, the format sniffed from the bytes, not the name.

Each format module loads its heavy library only when a file of that format is read, so
reading a .txt never imports pdfplumber, lxml or selectolax.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import re
import stat
import zipfile

from extractor.document import Document
from extractor.errors import (
    CorruptFile,
    EmptyFile,
    EncryptedFile,
    LimitExceeded,
    NotAFile,
    NotFound,
    ReadError,
    UnsupportedFormat,
)

__all__ = ["DEFAULT_MAX_BYTES", "FORMATS", "read", "read_bytes", "sniff"]

DEFAULT_MAX_BYTES = 200 * 1024 * 1024
FORMATS = ("txt", "docx", "pdf", "html", "doc")
SNIFF_BYTES = 8192
# Share of control bytes (other than tab, newlines, form feed, escape) above which
# non-UTF-16 data is binary: text has none, images and random bytes have ~10 %.
BINARY_CONTROL_SHARE = 0.05

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_UTF8_BOM = b"\xef\xbb\xbf"
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


_HTML_START = re.compile(
    r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
    r"<(?:!doctype\s+html|html|head|body|meta|title|link|div|p|table|span|h[1-6]|br|section|article|script|style)\b",
    re.IGNORECASE | re.DOTALL,
)
# Magic numbers of formats people save reports as by mistake, for a more useful message.
_KNOWN_BINARY = [
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
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


def _sniff_zip(data: bytes, name: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        # A truncated .docx has lost its central directory but still shows its part names.
        if b"word/" in data[:65536] or b"[Content_Types].xml" in data[:4096]:
            raise CorruptFile(name or None, "not a valid .docx (corrupt zip)") from None
        raise CorruptFile(name or None, "corrupt zip archive") from None
    if any(n.lower() == "word/document.xml" for n in names):
        return "docx"
    raise CorruptFile(name or None, "zip archive without word/document.xml: not a Word document")


def _sniff_ole2(data: bytes, name: str) -> str:
    # The stream names sit in the compound file's directory, stored as UTF-16LE.
    if _utf16("EncryptedPackage") in data:
        raise EncryptedFile(name or None, "encrypted Office document (password-protected)")
    if _utf16("WordDocument") in data:
        return "doc"
    for stream, kind in (("Workbook", "an Excel .xls"), ("PowerPoint Document", "a PowerPoint .ppt")):
        if _utf16(stream) in data:
            raise UnsupportedFormat(name or None, f"unsupported format: {kind} file, not a Word document")
    return "doc"


def sniff(data: bytes, name: str = "") -> str:
    """The format of ``data``: "docx", "pdf", "html", "doc" or "txt".

    ``name`` only labels the errors: a .docx named .txt is a docx. Raises CorruptFile,
    EncryptedFile or UnsupportedFormat for what no reader can take.
    """
    from extractor.readers.txt import detect_utf16

    head = data[:SNIFF_BYTES]
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return _sniff_zip(data, name)
    if head.startswith(OLE2_MAGIC):
        return _sniff_ole2(data, name)
    if _is_pdf(head):
        return "pdf"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        codec: str | None = "utf-16"
    else:
        codec = detect_utf16(head)
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


def _dispatch(fmt: str, data: bytes, name: str) -> Document:
    if fmt == "txt":
        from extractor.readers.txt import read_txt

        return read_txt(data, name)
    if fmt == "docx":
        from extractor.readers.docx import read_docx

        return read_docx(data, name)
    if fmt == "pdf":
        from extractor.readers.pdf import read_pdf

        return read_pdf(data, name)
    if fmt == "html":
        from extractor.readers.html import read_html

        return read_html(data, name)
    if fmt == "doc":
        from extractor.readers.doc import read_doc

        return read_doc(data, name)
    raise UnsupportedFormat(name or None, f"unsupported format: {fmt}")


def read_bytes(data: bytes, *, name: str = "", path: str | None = None,
               max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read a document from memory; ``name`` labels errors, ``path`` is recorded on the Document."""
    label = name or path or ""
    if len(data) > max_bytes:
        raise LimitExceeded(label or None, f"file is {len(data)} bytes (limit {max_bytes})")
    if not data:
        raise EmptyFile(label or None, "empty file")
    fmt = sniff(data, label)
    try:
        document = _dispatch(fmt, data, label)
    except ReadError:
        raise
    except MemoryError:
        raise LimitExceeded(label or None, f"out of memory reading this {fmt} file") from None
    except RecursionError:
        raise LimitExceeded(label or None, f"{fmt} structure nested too deeply") from None
    except Exception as err:  # a parser's own bug or surprise must not stop a batch
        detail = str(err).splitlines()[0] if str(err) else ""
        raise CorruptFile(label or None, f"cannot read as {fmt}: {type(err).__name__}: {detail}".rstrip(": ")) from err
    document.format = fmt
    document.path = path
    document.sha256 = hashlib.sha256(data).hexdigest()
    return document


def read(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read the file at ``path`` into a Document; every failure is a ReadError with a one-line message."""
    name = os.fspath(path)
    try:
        info = os.stat(name)
    except FileNotFoundError:
        raise NotFound(name, "no such file") from None
    except NotADirectoryError:
        raise NotFound(name, "no such file (a parent is not a directory)") from None
    except PermissionError:
        raise ReadError(name, "permission denied") from None
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise NotAFile(name, "symlink loop") from None
        raise ReadError(name, f"cannot open: {err.strerror or err}") from None
    except ValueError as err:  # an embedded NUL in the name
        raise NotFound(name, f"invalid path: {err}") from None
    if stat.S_ISDIR(info.st_mode):
        raise NotAFile(name, "is a directory")
    if not stat.S_ISREG(info.st_mode):
        raise NotAFile(name, "not a regular file")
    if info.st_size > max_bytes:
        raise LimitExceeded(name, f"file is {info.st_size} bytes (limit {max_bytes})")
    if info.st_size == 0:
        raise EmptyFile(name, "empty file")
    try:
        with open(name, "rb") as f:
            data = f.read(max_bytes + 1)
    except PermissionError:
        raise ReadError(name, "permission denied") from None
    except IsADirectoryError:
        raise NotAFile(name, "is a directory") from None
    except OSError as err:
        raise ReadError(name, f"cannot read: {err.strerror or err}") from None
    return read_bytes(data, name=name, path=name, max_bytes=max_bytes)

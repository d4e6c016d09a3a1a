"""Typed errors for input the tool cannot read; each renders as one line for the user.

File names and texts come from whoever made the file: ``printable()`` writes their control
characters (newlines, terminal escape sequences, bidi overrides, undecodable bytes) as escapes,
so that a message stays one line and a terminal shows what the name is.
"""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, the bidi marks, embeddings, overrides and isolates, line and paragraph
# separators, and lone surrogates (bytes of a file name that are not UTF-8, as os.fsdecode keeps them).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                     "\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(m: re.Match) -> str:
    ch = m.group()
    return _NAMED.get(ch) or (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")


def printable(text: object) -> str:
    """``str(text)`` with every control character written as an escape (``\\n``, ``\\x1b``,
    ``\\u202e``): safe to print on one line of a terminal."""
    text = str(text)
    return _UNSAFE.sub(_escape, text) if _UNSAFE.search(text) else text


class ReadError(Exception):
    """A file could not be turned into a Document. ``str(err)`` is the one-line message.

    ``code`` is what ingest stores as the error row's kind.
    """

    code = "unreadable"

    def __init__(self, path: str | None, reason: str):
        self.path = path
        self.reason = printable(" ".join(str(reason).split()))  # one line, whatever a parser's message held
        super().__init__(f"{printable(path)}: {self.reason}" if path else self.reason)

    def __reduce__(self):  # picklable (a worker process may send one back)
        return (self.__class__, (self.path, self.reason), self.__dict__)


class NotFound(ReadError):
    code = "not-found"


class NotAFile(ReadError):
    """A directory, a FIFO, a device, a symlink loop."""

    code = "not-a-file"


class PermissionDenied(ReadError):
    code = "unreadable"  # as ingest records a file it cannot open


class EmptyFile(ReadError):
    code = "empty"


class UnsupportedFormat(ReadError):
    code = "unsupported-format"


class UndecodableText(ReadError):
    """Text in an encoding the reader does not take (not UTF-8/16/32, GB18030 or Big5)."""

    code = "undecodable"


class CorruptFile(ReadError):
    code = "corrupt"


class EncryptedFile(ReadError):
    code = "encrypted"


class NoTextLayer(ReadError):
    code = "no-text-layer"


class LimitExceeded(ReadError):
    """Over one of the limits in ``extractor.limits``; ``limit`` names it (``"max_bytes"``)."""

    code = "limit-exceeded"

    def __init__(self, path: str | None, reason: str, *, limit: str | None = None):
        super().__init__(path, reason)
        self.limit = limit


class MissingDependency(ReadError):
    code = "missing-dependency"

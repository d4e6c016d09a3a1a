"""Typed errors for input the tool cannot read; each renders as one line for the user."""

from __future__ import annotations


class ReadError(Exception):
    """A file could not be turned into a Document. ``str(err)`` is the one-line message.

    ``code`` is what ingest stores as the error row's kind.
    """

    code = "unreadable"

    def __init__(self, path: str | None, reason: str):
        self.path = path
        self.reason = " ".join(str(reason).split())  # one line, whatever a parser's message held
        super().__init__(f"{path}: {self.reason}" if path else self.reason)

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

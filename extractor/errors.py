"""Typed errors for input the tool cannot read; each renders as one line for the user."""

from __future__ import annotations


class ReadError(Exception):
    """A file could not be turned into a Document. ``str(err)`` is the one-line message."""

    code = "unreadable"

    def __init__(self, path: str | None, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}" if path else reason)


class NotFound(ReadError):
    code = "not-found"


class NotAFile(ReadError):
    code = "not-a-file"


class EmptyFile(ReadError):
    code = "empty"


class UnsupportedFormat(ReadError):
    code = "unsupported-format"


class CorruptFile(ReadError):
    code = "corrupt"


class EncryptedFile(ReadError):
    code = "encrypted"


class NoTextLayer(ReadError):
    code = "no-text-layer"


class LimitExceeded(ReadError):
    code = "limit-exceeded"


class MissingDependency(ReadError):
    code = "missing-dependency"

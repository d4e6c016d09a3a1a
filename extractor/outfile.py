"""Writing an output file safely: never over the store or an input, and complete or not at all."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path


def refuse_overwrite(target: str | os.PathLike, protected: Iterable[str | os.PathLike], *, what: str) -> None:
    """ValueError if writing ``target`` would overwrite one of ``protected`` (the store, an input)."""
    target = os.fspath(target)
    if os.path.isdir(target):
        raise ValueError(f"{target}: is a folder; give a file name")
    real = os.path.realpath(target)
    for path in protected:
        path = os.fspath(path)
        same = os.path.realpath(path) == real
        if not same and os.path.exists(path) and os.path.exists(target):
            same = os.path.samefile(path, target)  # a hard link, or another name for the same file
        if same:
            raise ValueError(f"{target}: refusing to overwrite {what} ({path})")


def atomic_write(target: str | os.PathLike, write: Callable[[str], object]):
    """``write(temp_path)`` beside ``target``, then rename it over ``target``: a failed or killed
    run leaves the old file (or none), never a truncated one. Returns what ``write`` returned."""
    target = os.fspath(target)
    fd, temp = tempfile.mkstemp(prefix=".partial-", dir=os.path.dirname(os.path.abspath(target)))
    os.close(fd)
    try:
        result = write(temp)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temp, 0o666 & ~mask)  # mkstemp's 0600 would hide the export from the team
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return result


class TextOutput:
    """Where a command's text goes: stdout, or the file ``target`` — checked at once not to be one
    of ``inputs`` ("-" is stdin, not a file), written whole when the ``with`` block ends."""

    def __init__(self, target: str | None, inputs: Iterable[str] = ()):
        self.target = target
        if target is not None:
            refuse_overwrite(target, [f for f in inputs if f != "-"], what="an input")
        self.buffer = None

    def __enter__(self):
        import io
        import sys

        if self.target is None:
            return sys.stdout
        self.buffer = io.StringIO()
        return self.buffer

    def __exit__(self, exc_type, *exc) -> None:
        if self.buffer is None or exc_type is not None:
            return

        def write(path: str) -> None:
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(self.buffer.getvalue())

        atomic_write(self.target, write)


def neutralise(text: str) -> str:
    """A CSV cell that a spreadsheet would run as a formula (= + - @, tab, CR first), made text."""
    return "'" + text if text.startswith(FORMULA_START) else text


# Characters that make a spreadsheet read a CSV cell as a formula (OWASP's list).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

"""Old Word (.doc, OLE2) reader: LibreOffice converts the file to .docx, which the docx reader reads."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from extractor.document import Document
from extractor.errors import CorruptFile, LimitExceeded, MissingDependency
from extractor.limits import Budget, current
from extractor.readers.docx import read_docx

DEFAULT_TIMEOUT = 120.0
INSTALL_HINT = (
    ".doc needs LibreOffice: install libreoffice-writer-nogui "
    "(apt-get install libreoffice-writer-nogui) or save the file as .docx"
)


def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_docx(data: bytes, name: str = "", *, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """The .docx bytes LibreOffice makes of ``data``."""
    soffice = find_soffice()
    if soffice is None:
        raise MissingDependency(name or None, INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="extractor-doc-") as tmp:
        source = Path(tmp) / "input.doc"
        source.write_bytes(data)
        outdir = Path(tmp) / "out"
        # A private profile: concurrent conversions (a batch on every core) would otherwise
        # fight over the user's profile lock, and a first-run profile is not touched.
        command = [
            soffice, f"-env:UserInstallation={Path(tmp, 'profile').as_uri()}", "--headless", "--norestore",
            "--convert-to", "docx", "--outdir", str(outdir), str(source),
        ]
        # Its own process group, so a timeout kills soffice.bin and not just the launcher script.
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, start_new_session=True)
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise LimitExceeded(name or None, f"LibreOffice took longer than {timeout:g} s to convert the .doc") from None
        target = outdir / "input.docx"
        if process.returncode != 0 or not target.is_file():
            detail = stderr.decode("utf-8", "replace").strip().splitlines()
            reason = f": {detail[-1]}" if detail else ""
            raise CorruptFile(name or None, f"LibreOffice could not convert this .doc{reason}")
        return target.read_bytes()


def read_doc(data: bytes, name: str = "", *, budget: Budget | None = None) -> Document:
    budget = budget or current().budget(name)
    timeout = min(DEFAULT_TIMEOUT, budget.remaining())
    try:
        converted = convert_to_docx(data, name, timeout=timeout)
    except LimitExceeded:
        if timeout < DEFAULT_TIMEOUT:  # the document's time budget, not LibreOffice's own timeout, ran out
            raise budget.exceeded("max_seconds", f"converting the .doc took longer than {timeout:g} s") from None
        raise
    document = read_docx(converted, name, budget=budget)
    document.format = "doc"
    return document

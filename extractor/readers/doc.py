"""Old Word (.doc, OLE2) reader: LibreOffice converts the file to .docx, which the docx reader reads.

The file is untrusted, and LibreOffice fetches what a document links to (a linked picture's
URL: OPTIONS, HEAD, GET) while it converts. So it runs:

- with no network: in a network namespace of its own (``unshare --net``; ``--map-root-user``
  when not root), whose only interface is a loopback that is down. Where no namespace can be
  made, a .doc is refused, unless ``EXTRACTOR_DOC_NETWORK=allow`` says to convert anyway;
- in a PID namespace whose first process dies with the launcher (``--kill-child``), and a
  launcher that dies with this process (``setpriv --pdeathsig KILL``): a timeout, the time
  budget, or a worker killed mid-conversion leave no soffice behind;
- in a temporary folder named after this process, removed after the conversion; a folder left
  by a process that was killed is removed by the next conversion (``sweep_stale_folders``).
"""

from __future__ import annotations

import functools
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from extractor.document import Document
from extractor.errors import CorruptFile, LimitExceeded, MissingDependency
from extractor.limits import ResourceBudget, current
from extractor.readers.docx import read_docx

DEFAULT_CONVERT_TIMEOUT = 120.0
INSTALL_HINT = (
    ".doc needs LibreOffice: install libreoffice-writer-nogui "
    "(apt-get install libreoffice-writer-nogui) or save the file as .docx"
)
NO_SANDBOX_HINT = (
    "cannot convert a .doc without network isolation (needs unshare from util-linux and network "
    "namespaces, or user namespaces when not root); save it as .docx, or set EXTRACTOR_DOC_NETWORK=allow"
)
FOLDER_PREFIX = "extractor-doc-"


def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@functools.lru_cache(maxsize=1)
def sandbox() -> tuple[str, ...] | None:
    """The command prefix that runs a converter with no network, in a PID namespace that dies
    with it; None where this machine cannot make the namespaces (tried once per process)."""
    unshare = shutil.which("unshare")
    if unshare is None or not sys.platform.startswith("linux"):
        return None
    base = [unshare, "--net", "--pid", "--kill-child"]
    for extra in ([], ["--map-root-user"]):  # root; anyone where user namespaces are allowed
        command = (*base, *extra)
        try:
            done = subprocess.run(
                [*command, "true"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=10,
            )
        except (OSError, subprocess.SubprocessError):
            continue
        if done.returncode == 0:
            return command
    return None


def _dies_with_us() -> tuple[str, ...]:
    """A prefix that makes the launcher get SIGKILL when this process dies (kept across its exec)."""
    setpriv = shutil.which("setpriv")
    return (setpriv, "--pdeathsig", "KILL") if setpriv else ()


def sweep_stale_folders(root: str | None = None) -> int:
    """Remove the conversion folders whose process is gone (killed mid-conversion); how many."""
    root = root or tempfile.gettempdir()
    removed = 0
    try:
        entries = list(os.scandir(root))
    except OSError:
        return 0
    for entry in entries:
        if not entry.name.startswith(FOLDER_PREFIX):
            continue
        pid = entry.name[len(FOLDER_PREFIX) :].split("-", 1)[0]
        try:
            if not pid.isdigit() or entry.stat(follow_symlinks=False).st_uid != os.getuid():
                continue
            os.kill(int(pid), 0)
        except ProcessLookupError:  # its process is gone
            shutil.rmtree(entry.path, ignore_errors=True)
            removed += 1
        except OSError:  # alive (another user's, or ours), or unreadable: leave it
            continue
    return removed


def _command(soffice: str, tmp: str, source: Path, outdir: Path, name: str) -> list[str]:
    isolated = sandbox()
    if isolated is None and os.environ.get("EXTRACTOR_DOC_NETWORK", "").strip().lower() != "allow":
        raise MissingDependency(name or None, NO_SANDBOX_HINT)
    # A private profile: concurrent conversions (a batch on every core) would otherwise fight
    # over the user's profile lock, and a first-run profile is not touched.
    return [
        *_dies_with_us(),
        *(isolated or ()),
        soffice,
        f"-env:UserInstallation={Path(tmp, 'profile').as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "docx",
        "--outdir",
        str(outdir),
        str(source),
    ]


def _run(command: list[str], timeout: float, name: str) -> tuple[int, bytes]:
    """Run the converter in its own session; on a timeout or anything else that stops us
    (the time budget's alarm, Ctrl-C), kill its whole process group before going on."""
    process = subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        _, stderr = process.communicate(timeout=timeout)
    except BaseException as exc:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.communicate()
        if isinstance(exc, subprocess.TimeoutExpired):
            raise LimitExceeded(
                name or None, f"LibreOffice took longer than {timeout:g} s to convert the .doc"
            ) from None
        raise
    return process.returncode, stderr


def convert_to_docx(data: bytes, name: str = "", *, timeout: float = DEFAULT_CONVERT_TIMEOUT) -> bytes:
    """The .docx bytes LibreOffice makes of ``data``."""
    soffice = find_soffice()
    if soffice is None:
        raise MissingDependency(name or None, INSTALL_HINT)
    sweep_stale_folders()
    with tempfile.TemporaryDirectory(prefix=f"{FOLDER_PREFIX}{os.getpid()}-") as tmp:
        source = Path(tmp) / "input.doc"
        source.write_bytes(data)
        outdir = Path(tmp) / "out"
        code, stderr = _run(_command(soffice, tmp, source, outdir, name), timeout, name)
        target = outdir / "input.docx"
        if code != 0 or not target.is_file():
            detail = stderr.decode("utf-8", "replace").strip().splitlines()
            reason = f": {detail[-1]}" if detail else ""
            raise CorruptFile(name or None, f"LibreOffice could not convert this .doc{reason}")
        return target.read_bytes()


def read_doc(data: bytes, name: str = "", *, budget: ResourceBudget | None = None) -> Document:
    budget = budget or current().budget(name)
    timeout = min(DEFAULT_CONVERT_TIMEOUT, budget.remaining())
    try:
        converted = convert_to_docx(data, name, timeout=timeout)
    except LimitExceeded:
        if timeout < DEFAULT_CONVERT_TIMEOUT:  # the document's time budget, not LibreOffice's own timeout, ran out
            raise budget.exceeded("max_seconds", f"converting the .doc took longer than {timeout:g} s") from None
        raise
    document = read_docx(converted, name, budget=budget)
    document.format = "doc"
    return document

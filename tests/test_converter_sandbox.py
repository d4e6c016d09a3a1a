"""The .doc converter (LibreOffice) reaches no network and leaves no process or file (issue 17).

A local listener counts the requests made while a .doc with a linked picture is read: LibreOffice
fetches the picture (OPTIONS, HEAD, GET) when run as it is, and nothing in its sandbox. These
tests need soffice and skip with a reason without it.
"""

from __future__ import annotations

import http.server
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

import extractor.readers.doc as doc_reader
from extractor import limits
from extractor.errors import LimitExceeded, MissingDependency
from extractor.readers import read

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) not installed")
needs_sandbox = pytest.mark.skipif(doc_reader.sandbox() is None, reason="no network namespace can be made here")


class _Listener:
    """An HTTP server on 127.0.0.1 that records every request and answers 404."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str]] = []
        requests = self.requests

        class Handler(http.server.BaseHTTPRequestHandler):
            def _any(self):
                requests.append((self.command, self.path))
                self.send_response(404)
                self.end_headers()

            do_GET = do_HEAD = do_OPTIONS = do_POST = do_PROPFIND = _any

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def _soffice(tmp_path: Path, *args: str) -> None:
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={(tmp_path / 'maker-profile').as_uri()}", "--headless", "--norestore", *args],
        check=True,
        capture_output=True,
        timeout=180,
        cwd=tmp_path,
    )


def _linked_picture_doc(tmp_path: Path, port: int) -> Path:
    """A .doc whose picture is linked to the listener (an INCLUDEPICTURE field), made by soffice."""
    page = tmp_path / "linked.html"
    page.write_text(
        f'<html><body><p>2023年度收入总计145.16万元。</p><p><img src="http://127.0.0.1:{port}/linked.png" '
        'width="100" height="100"></p></body></html>',
        encoding="utf-8",
    )
    _soffice(tmp_path, "--convert-to", "doc:MS Word 97", "--outdir", str(tmp_path), str(page))
    doc = tmp_path / "linked.doc"
    assert f"http://127.0.0.1:{port}/linked.png".encode() in doc.read_bytes()
    return doc


def _my_conversions() -> list[str]:
    """Command lines of processes still working in this process's conversion folders."""
    mark = f"{doc_reader.FOLDER_PREFIX}{os.getpid()}-"
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = Path("/proc", pid, "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if mark in cmdline:
            found.append(cmdline)
    return found


@needs_soffice
@needs_sandbox
def test_doc_with_a_linked_picture_makes_no_request(tmp_path):
    with _Listener() as listener:
        doc = _linked_picture_doc(tmp_path, listener.port)
        # What LibreOffice does on its own: it fetches the picture while converting.
        listener.requests.clear()
        _soffice(tmp_path, "--convert-to", "docx", "--outdir", str(tmp_path / "plain"), str(doc))
        assert any(method == "GET" for method, _ in listener.requests), listener.requests
        listener.requests.clear()
        document = read(doc)
        assert listener.requests == []
    assert document.format == "doc" and "收入总计145.16万元" in document.text
    assert not list(Path(os.environ.get("TMPDIR", "/tmp")).glob(f"{doc_reader.FOLDER_PREFIX}{os.getpid()}-*"))


@needs_soffice
@needs_sandbox
def test_conversion_stopped_by_the_budget_leaves_no_process_or_folder(tmp_path):
    with _Listener() as listener:
        doc = _linked_picture_doc(tmp_path, listener.port)
    with limits.use(max_seconds=0.5), pytest.raises(LimitExceeded) as err:
        read(doc)  # LibreOffice needs seconds to start
    assert err.value.limit == "max_seconds"
    assert _my_conversions() == []
    assert not list(Path(os.environ.get("TMPDIR", "/tmp")).glob(f"{doc_reader.FOLDER_PREFIX}{os.getpid()}-*"))


def test_without_a_sandbox_a_doc_is_refused_unless_allowed(tmp_path, monkeypatch):
    monkeypatch.setattr(doc_reader, "find_soffice", lambda: "/bin/false")
    monkeypatch.setattr(doc_reader, "sandbox", lambda: None)
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "WordDocument".encode("utf-16-le")
    path = tmp_path / "old.doc"
    path.write_bytes(data)
    with pytest.raises(MissingDependency, match="network isolation") as err:
        read(path)
    assert "EXTRACTOR_DOC_NETWORK=allow" in str(err.value) and "\n" not in str(err.value)
    monkeypatch.setenv("EXTRACTOR_DOC_NETWORK", "allow")  # converts (here: /bin/false fails to)
    with pytest.raises(Exception, match="LibreOffice could not convert"):
        read(path)


def test_folders_of_killed_conversions_are_swept(tmp_path):
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = tmp_path / f"{doc_reader.FOLDER_PREFIX}{dead.pid}-abc"
    live = tmp_path / f"{doc_reader.FOLDER_PREFIX}{os.getpid()}-abc"
    other = tmp_path / f"{doc_reader.FOLDER_PREFIX}notapid"
    for folder in (stale, live, other):
        (folder / "profile").mkdir(parents=True)
    assert doc_reader.sweep_stale_folders(str(tmp_path)) == 1
    assert not stale.exists() and live.exists() and other.exists()

"""Bulk ingestion: the right rows for good, duplicate and broken files; idempotent; survives kill -9."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from ingest_faults import Faults

from extractor import store
from extractor.cli import main
from extractor.ingest import ingest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
GOOD = [
    "qinghe-whg-2022.txt",
    "qinghe-whg-2022.docx",
    "qinghe-whg-2022.pdf",
    "qinghe-whg-2022.html",
    "yushui-gsl-2023.txt",
    "yushui-gsl-2023.docx",
    "yushui-gsl-2023.pdf",
]
TABLES = ("documents", "paths", "field_values", "findings", "texts")


def counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def rows(db: Path, sql: str, *args) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, args).fetchall()


def variant(text: str, n: int) -> str:
    """The Qinghe sample under another (invented) department name: other bytes, same shape."""
    return text.replace("清河区文化馆", f"清河区第{n}文化站")


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    """Good files of every format, a duplicate, broken files, non-documents, and test-hook targets."""
    root = tmp_path / "archive"
    (root / "2022" / "copies").mkdir(parents=True)
    (root / ".hidden").mkdir()
    for name in GOOD:
        shutil.copy(SAMPLES / name, root / "2022" / name)
    shutil.copy(SAMPLES / "qinghe-whg-2022.txt", root / "2022" / "copies" / "same-bytes.txt")
    docx = (SAMPLES / "yushui-gsl-2023.docx").read_bytes()
    (root / "corrupt.docx").write_bytes(docx[: len(docx) // 2])
    (root / "empty.txt").write_bytes(b"")
    (root / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (root / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    shutil.copy(SAMPLES / "yushui-gsl-2023.pdf", root / "scan0001.bin")  # a PDF under a name that hides it
    (root / ".hidden" / "secret.txt").write_text("not walked", encoding="utf-8")
    text = (SAMPLES / "qinghe-whg-2022.txt").read_text(encoding="utf-8")
    for n, name in enumerate(("hang.txt", "crash.txt", "eat.txt"), start=1):
        (root / name).write_text(variant(text, n), encoding="utf-8")
    return root


def test_ingest_folder_rows_errors_and_isolation(archive, tmp_path, monkeypatch):
    # Deterministic on a loaded machine: the run with the memory hog and the crash has no
    # timeout (the hog ends in MemoryError however long its allocations take), and the hang,
    # which only a timeout ends, runs alone in a second ingest where nothing else can time out.
    slow = tmp_path / "slow"
    slow.mkdir()
    (archive / "hang.txt").rename(slow / "hang.txt")
    faults = Faults("hang:hang.txt,crash:crash.txt,eat:eat.txt")
    db = tmp_path / "reports.sqlite"
    summary = ingest([archive], db, workers=2, timeout=None, max_memory_mb=1024, quiet=True, task=faults)
    hung = ingest([slow], db, workers=1, timeout=1, quiet=True, task=faults)

    # 7 good + the duplicate (skipped) + corrupt + empty + crash + eat + the broken png (an image is read
    # by OCR); csv and .hidden ignored; the PDF named .bin is a copy of the Yushui PDF's bytes, so a skip too.
    assert (summary.files, summary.ok, summary.skipped, summary.errors, summary.ignored) == (14, 7, 2, 5, 1)
    assert summary.error_kinds == {"corrupt": 2, "empty": 1, "crashed": 1, "limit-exceeded": 1}
    assert (hung.errors, hung.error_kinds) == (1, {"timeout": 1})
    errors = dict(rows(db, "SELECT path, error_code FROM files WHERE status = 'error'"))
    assert errors == {
        "corrupt.docx": "corrupt",
        "empty.txt": "empty",
        "hang.txt": "timeout",
        "crash.txt": "crashed",
        "eat.txt": "limit-exceeded",
        "photo.png": "corrupt",
    }
    # Same bytes at two paths: one document, both paths, relative to the archive.
    assert rows(db, "SELECT format FROM files WHERE path = 'scan0001.bin'") == [("pdf",)]
    (sha,) = rows(db, "SELECT sha256 FROM paths WHERE path = '2022/copies/same-bytes.txt'")[0]
    assert sorted(p for (p,) in rows(db, "SELECT path FROM paths WHERE sha256 = ?", sha)) == [
        "2022/copies/same-bytes.txt",
        "2022/qinghe-whg-2022.txt",
    ]
    # The view: one row per report — the same report in four formats and a copy is one row.
    assert rows(db, "SELECT count(*) FROM documents WHERE status = 'ok'") == [(7,)]
    qinghe = rows(
        db,
        "SELECT department, fiscal_year, headcount_actual, expenditure_basic_yuan, "
        "expenditure_project_yuan, grade, copies FROM reports WHERE fiscal_year = 2022",
    )
    assert qinghe == [("示例市清河区文化馆", 2022, 21, "3982000", "1153000", "良", 5)]
    assert rows(db, "SELECT count(*) FROM reports") == [(2,)]
    # Every grounded value row is a slice of the stored text.
    for sha_, text in rows(db, "SELECT sha256, text FROM texts"):
        for raw, start, end in rows(db, "SELECT raw, span_start, span_end FROM field_values WHERE sha256 = ?", sha_):
            assert text[start:end] == raw


def test_ingest_twice_adds_nothing_and_force_reextracts(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("qinghe-whg-2022.txt", "yushui-gsl-2023.docx"):
        shutil.copy(SAMPLES / name, folder / name)
    db = tmp_path / "r.sqlite"
    first = ingest([folder], db, workers=1, quiet=True)
    before = counts(db)
    again = ingest([folder], db, workers=1, quiet=True)
    assert (first.ok, again.ok, again.skipped) == (2, 0, 2)
    assert counts(db) == before
    forced = ingest([folder], db, workers=1, quiet=True, force=True)
    assert forced.ok == 2 and counts(db) == before
    # A new path for known bytes is recorded without extracting again.
    shutil.copy(folder / "qinghe-whg-2022.txt", folder / "renamed.txt")
    third = ingest([folder], db, workers=1, quiet=True)
    assert (third.ok, third.skipped) == (0, 3)
    assert counts(db)["paths"] == before["paths"] + 1


def test_new_patterns_version_reextracts(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLES / "qinghe-whg-2022.txt", folder / "a.txt")
    db = tmp_path / "r.sqlite"
    ingest([folder], db, workers=1, quiet=True)
    monkeypatch.setattr("extractor.ingest.versions", lambda: ("0.1.0", "other-patterns"))
    summary = ingest([folder], db, workers=1, quiet=True)
    assert summary.ok == 1
    assert rows(db, "SELECT patterns_version FROM documents") == [("other-patterns",)]
    assert counts(db)["documents"] == 1


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX FIFOs")
def test_a_fifo_and_a_non_utf8_name_neither_block_nor_break(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "pipe.txt")  # reading it would block forever
    raw = os.fsencode(folder) + b"/" + "清河.txt".encode("gb18030")  # as an unpacked Chinese zip leaves it
    shutil.copy(SAMPLES / "qinghe-whg-2022.txt", raw)
    db = tmp_path / "r.sqlite"
    summary = ingest([folder, folder / "pipe.txt"], db, workers=1, quiet=True)
    assert (summary.ok, summary.errors, summary.ignored) == (1, 1, 1)  # walked FIFO ignored, named FIFO an error
    paths = {
        Path(p).name: code
        for p, code in rows(db, "SELECT p.path, d.error_code FROM documents d JOIN paths p USING (sha256)")
    }
    assert paths == {"清河.txt": None, "pipe.txt": "not-a-file"}
    assert rows(db, "SELECT path FROM files WHERE status = 'ok'") == [("清河.txt",)]


def test_size_limit_is_an_error_for_documents_and_no_concern_for_other_files(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLES / "qinghe-whg-2022.txt", folder / "big.txt")
    (folder / "video.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(4096))
    monkeypatch.setenv("EXTRACTOR_MAX_BYTES", "1000")  # the limit in force, in the parent and its workers
    db = tmp_path / "r.sqlite"
    summary = ingest([folder], db, workers=1, quiet=True)
    assert (summary.errors, summary.ignored) == (1, 1)
    assert rows(db, "SELECT error_code FROM documents") == [("limit-exceeded",)]


def _many(folder: Path, n: int) -> None:
    text = (SAMPLES / "qinghe-whg-2022.txt").read_text(encoding="utf-8")
    folder.mkdir()
    for i in range(n):
        (folder / f"r{i:03d}.txt").write_text(variant(text, i), encoding="utf-8")


def _run_and_kill(folder: Path, db: Path, kill_at: int) -> None:
    """Start a real ingest subprocess and SIGKILL it once ``kill_at`` documents are committed."""
    proc = subprocess.Popen(
        [sys.executable, str(Path(__file__).parent / "ingest_faults.py"), "slow:*", str(folder), str(db), "2"], cwd=ROOT
    )
    deadline = time.monotonic() + 30
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if db.exists():
                try:
                    if counts(db)["documents"] >= kill_at:
                        break
                except sqlite3.OperationalError:  # schema not created yet
                    pass
            time.sleep(0.01)
        assert proc.poll() is None, "the ingest finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(10)
    assert proc.returncode == -signal.SIGKILL


def test_kill_9_twice_then_resume_gives_every_file_once(tmp_path):
    folder, db = tmp_path / "in", tmp_path / "r.sqlite"
    n = 80
    _many(folder, n)
    _run_and_kill(folder, db, kill_at=5)  # early: workers just started
    first = counts(db)["documents"]
    _run_and_kill(folder, db, kill_at=first + 25)  # later: in full flow, after a resume
    assert counts(db)["documents"] < n
    assert main(["ingest", str(folder), "--db", str(db), "--quiet"]) == 0

    c = counts(db)
    assert c["documents"] == n and c["paths"] == n and c["texts"] == n
    assert rows(db, "SELECT count(DISTINCT path) FROM paths") == [(n,)]
    # No partial document: every row has its record, text, values and all its findings.
    for sha, record in rows(db, "SELECT sha256, record FROM documents"):
        data = json.loads(record)
        assert rows(db, "SELECT count(*) FROM findings WHERE sha256 = ?", sha) == [(len(data["findings"]),)]
        assert rows(db, "SELECT count(*) FROM field_values WHERE sha256 = ?", sha)[0][0] > 10
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_dask_engine_on_a_local_cluster(tmp_path):
    distributed = pytest.importorskip("distributed")
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("qinghe-whg-2022.txt", "qinghe-whg-2022.docx", "yushui-gsl-2023.pdf"):
        shutil.copy(SAMPLES / name, folder / name)
    (folder / "empty.txt").write_bytes(b"")
    db = tmp_path / "r.sqlite"
    with distributed.LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster:
        summary = ingest([folder], db, engine="dask", scheduler=cluster.scheduler_address, quiet=True)
        assert (summary.ok, summary.errors) == (3, 1)
        again = ingest([folder], db, engine="dask", scheduler=cluster.scheduler_address, quiet=True)
        assert again.skipped == 4
    local = tmp_path / "local.sqlite"
    ingest([folder], local, workers=1, quiet=True)
    view = "SELECT sha256, department, fiscal_year, expenditure_total_yuan, copies FROM reports ORDER BY sha256"
    assert rows(db, view) == rows(local, view)


def test_cli_ingest_usage_and_missing_path(tmp_path, capsys):
    assert main(["ingest", str(tmp_path / "nowhere"), "--db", str(tmp_path / "r.sqlite")]) == 2
    assert "no such file" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["ingest", str(tmp_path)])  # no --db
    assert exc.value.code == 3
    not_a_store = tmp_path / "other.sqlite"
    with sqlite3.connect(not_a_store) as conn:
        conn.execute("CREATE TABLE t (x)")
    assert main(["ingest", str(tmp_path), "--db", str(not_a_store), "--quiet"]) == 2
    assert "not a report store" in capsys.readouterr().err
    for bad in (["--workers", "-1"], ["--workers", "0"], ["--timeout", "0"], ["--timeout", "-3"], ["--workers", "x"]):
        with pytest.raises(SystemExit) as exc:
            main(["ingest", str(tmp_path), "--db", str(tmp_path / "r.sqlite"), *bad])
        assert exc.value.code == 3
        err = capsys.readouterr().err
        assert "Traceback" not in err and bad[0] in err


def test_cli_ingest_prints_summary(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLES / "yushui-gsl-2023.txt", folder / "a.txt")
    assert main(["ingest", str(folder), "--db", str(tmp_path / "r.sqlite"), "--workers", "1"]) == 0
    err = capsys.readouterr().err
    assert "files 1 · ok 1 · skipped 0 · errors 0" in err and "docs/s" in err and "missing 0" in err


def test_schema_version_is_recorded_and_checked(tmp_path):
    db = tmp_path / "r.sqlite"
    store.connect(db).close()
    assert rows(db, "PRAGMA user_version") == [(store.STORE_SCHEMA_VERSION,)]
    with sqlite3.connect(db) as conn:
        conn.execute(f"PRAGMA user_version = {store.STORE_SCHEMA_VERSION + 1}")
    with pytest.raises(store.StoreError, match="newer"):
        store.connect(db)


def test_a_document_over_the_time_budget_is_a_timeout_row_retried_on_the_next_run(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLES / "qinghe-whg-2022.docx", folder / "a.docx")
    db = tmp_path / "r.sqlite"
    monkeypatch.setenv("EXTRACTOR_MAX_SECONDS", "0.000001")  # the whole extraction's budget, in the workers too
    summary = ingest([folder], db, workers=1, quiet=True)
    assert summary.errors == 1
    assert rows(db, "SELECT error_code FROM documents") == [("timeout",)]
    monkeypatch.delenv("EXTRACTOR_MAX_SECONDS")
    # a timeout is transient: the next run tries it again, its workers under the budget in force now
    ingest([folder], db, workers=1, quiet=True)
    assert rows(db, "SELECT status, attempts FROM documents") == [("ok", 2)]

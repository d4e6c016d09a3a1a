"""A store that is damaged, locked, read-only or no store at all: one line and an exit code from
every command that reads or writes it, never a traceback, and never a clean answer from a damaged one."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from extractor.cli import main
from extractor.ingest import ingest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
READERS = ("export", "audit", "report")


def argv(command: str, db: Path, out: Path) -> list[str]:
    return {
        "export": ["export", "--db", str(db), "--format", "csv", "-o", str(out / "r.csv")],
        "audit": ["audit", "--db", str(db)],
        "report": ["report", "--db", str(db), "-o", str(out / "site")],
    }[command]


@pytest.fixture(scope="module")
def good_store(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("archive")
    for name in ("qinghe-whg-2022.txt", "yushui-gsl-2023.txt", "shuili-yskh-2023.txt"):
        shutil.copy(SAMPLES / name, folder / name)
    db = folder.parent / "good.sqlite"
    ingest([folder], db, workers=1, quiet=True)
    return db


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误：") and "Traceback" not in err, err
    return lines[0]


@pytest.mark.parametrize("command", READERS)
@pytest.mark.parametrize("damage", ["middle-pages", "random-bytes", "empty-sqlite", "other-sqlite", "newer"])
def test_a_damaged_or_foreign_store_is_one_line_and_exit_2(good_store, tmp_path, capsys, command, damage):
    db = tmp_path / "bad.sqlite"
    if damage == "middle-pages":  # a disk error: the header and schema read, later pages are garbage
        shutil.copy(good_store, db)
        with db.open("r+b") as fh:
            fh.seek(db.stat().st_size // 2 // 4096 * 4096)
            fh.write(b"\xff" * 4096 * 3)
    elif damage == "random-bytes":
        db.write_bytes(os.urandom(64 * 1024))
    elif damage == "empty-sqlite":
        sqlite3.connect(db).close()
    elif damage == "other-sqlite":
        with sqlite3.connect(db) as conn:
            conn.execute("CREATE TABLE t (x)")
    else:
        shutil.copy(good_store, db)
        with sqlite3.connect(db) as conn:
            conn.execute("PRAGMA user_version = 99")
    assert main(argv(command, db, tmp_path)) == 2
    line = one_error_line(capsys.readouterr().err)
    expected = {
        "middle-pages": "damaged",
        "random-bytes": "not a usable SQLite database",
        "empty-sqlite": "not a report store",
        "other-sqlite": "not a report store",
        "newer": "newer",
    }
    assert expected[damage] in line


def test_ingest_into_a_locked_store_waits_then_says_so(good_store, tmp_path, capsys, monkeypatch):
    db = tmp_path / "locked.sqlite"
    shutil.copy(good_store, db)
    monkeypatch.setenv("EXTRACTOR_BUSY_TIMEOUT", "0.3")
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program writing, and not letting go
    try:
        folder = tmp_path / "in"
        folder.mkdir()
        shutil.copy(SAMPLES / "yushui-gsl-2023.txt", folder)
        assert main(["ingest", str(folder), "--db", str(db), "--quiet", "--workers", "1"]) == 2
        assert "locked by another program" in one_error_line(capsys.readouterr().err)
        # Readers are not blocked by a writer (WAL): the team can export during an ingest.
        assert main(argv("export", db, tmp_path)) == 0
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def _without_privileges() -> list[str]:
    """A prefix that makes a command obey file permissions even when the tests run as root."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv (util-linux): cannot make a folder read-only to us")
    return [setpriv, "--inh-caps=-all", "--bounding-set=-all"]


def test_a_store_on_read_only_media_can_be_read_by_every_command_but_not_ingested(good_store, tmp_path):
    media = tmp_path / "media"
    media.mkdir()
    db = media / "reports.sqlite"
    shutil.copy(good_store, db)  # closed cleanly: no -wal, no -shm beside it, and none can be made
    out = tmp_path / "out"
    out.mkdir()
    db.chmod(0o444)
    media.chmod(0o555)
    try:
        prefix = _without_privileges()
        env = {**os.environ, "PYTHONPATH": str(ROOT), "EXTRACTOR_CACHE_DIR": ""}

        def cli(*args):
            return subprocess.run(
                [*prefix, sys.executable, str(ROOT / "cli.py"), *args],
                capture_output=True,
                text=True,
                env=env,
                cwd=ROOT,
                timeout=120,
            )

        for command in READERS:
            proc = cli(*argv(command, db, out))
            assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr, (command, proc.stderr)
        assert len((out / "r.csv").read_text(encoding="utf-8").splitlines()) == 4
        assert (out / "site" / "index.html").exists()
        proc = cli("ingest", str(SAMPLES / "yushui-gsl-2023.txt"), "--db", str(db), "--quiet")
        assert proc.returncode == 2 and "Traceback" not in proc.stderr
        assert "read-only" in proc.stderr
        assert sorted(p.name for p in media.iterdir()) == ["reports.sqlite"]  # nothing written beside it
    finally:
        media.chmod(0o755)
        db.chmod(0o644)

"""Re-runs converge on the archive as it is now (issue 14): retries, paths relative to the archive,
superseded and missing paths, symlinks, concurrent ingests, an old store upgraded; one row per report."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from ingest_faults import Faults

from extractor import store
from extractor.ingest import Policy, ingest, process_file

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
QINGHE = (SAMPLES / "qinghe-whg-2022.txt").read_text(encoding="utf-8")


def variant(n: int, *, staff: int = 21) -> str:
    """The Qinghe sample under another (invented) unit: another report, same shape."""
    return QINGHE.replace("清河区文化馆", f"清河区第{n}文化站").replace("实有人员21人", f"实有人员{staff}人")


def rows(db: Path, sql: str, *args) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, args).fetchall()


def files(db: Path) -> dict[str, tuple]:
    """path -> (state, status, error_code, attempts) of every live path (current or missing)."""
    return {
        p: tuple(rest)
        for p, *rest in rows(
            db, "SELECT path, state, status, error_code, attempts FROM files WHERE state <> 'superseded'"
        )
    }


def make(folder: Path, names: dict[str, str]) -> Path:
    for name, text in names.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def run(folder, db, **kw):
    return ingest([folder], db, workers=1, quiet=True, **kw)


# -- transient errors ------------------------------------------------------------------------------------------------


def test_a_crashed_worker_is_retried_on_the_next_run_with_an_attempt_count(tmp_path, monkeypatch):
    folder, db = make(tmp_path / "a", {"a.txt": variant(1), "b.txt": variant(2)}), tmp_path / "r.sqlite"
    first = run(folder, db, timeout=None, task=Faults("crash:a.txt"))
    assert (first.ok, first.error_kinds) == (1, {"crashed": 1})
    assert files(db)["a.txt"] == ("current", "error", "crashed", 1)
    second = run(folder, db, timeout=None)
    assert (second.ok, second.retried, second.skipped) == (1, 1, 1)
    assert files(db)["a.txt"] == ("current", "ok", None, 2)
    third = run(folder, db)
    assert (third.ok, third.skipped, third.retried) == (0, 2, 0)
    assert rows(db, "SELECT count(*) FROM documents") == [(2,)]


def test_transient_retries_stop_after_max_attempts_and_retry_errors_tries_the_rest(tmp_path, monkeypatch):
    folder, db = tmp_path / "a", tmp_path / "r.sqlite"
    make(folder, {"a.txt": variant(1)})
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    crash = Faults("crash:a.txt")
    assert run(folder, db, timeout=None, max_attempts=2, task=crash).error_kinds == {"crashed": 1, "corrupt": 1}
    assert run(folder, db, timeout=None, max_attempts=2, task=crash).error_kinds == {
        "crashed": 1
    }  # corrupt: not transient
    assert files(db)["a.txt"][3] == 2 and files(db)["broken.docx"][3] == 1
    tired = run(folder, db, timeout=None, max_attempts=2, task=crash)
    assert (tired.errors, tired.skipped) == (0, 2)  # neither is tried again by itself
    again = run(folder, db, retry_errors=True)
    assert (again.ok, again.errors, again.retried) == (1, 1, 2)
    assert files(db) == {"a.txt": ("current", "ok", None, 3), "broken.docx": ("current", "error", "corrupt", 2)}


def test_a_file_that_vanishes_while_read_is_a_transient_error(tmp_path):
    path = make(tmp_path, {"a.txt": variant(1)}) / "a.txt"
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    path.unlink()
    result = process_file(str(path), digest)
    assert (result["sha256"], result["status"], result["error_code"]) == (digest, "error", "vanished")
    policy = Policy(("v", "p"))
    prev = {"tool_version": "v", "patterns_version": "p", "status": "error", "error_code": "vanished", "attempts": 1}
    assert policy.attempts(prev) == 2
    assert policy.attempts({**prev, "error_code": "corrupt"}) is None
    assert Policy(("v", "p"), retry_errors=True).attempts({**prev, "error_code": "corrupt"}) == 2
    assert policy.attempts({**prev, "status": "ok", "error_code": None}) is None
    assert policy.attempts({**prev, "patterns_version": "older"}) == 1


# -- paths relative to the archive -----------------------------------------------------------------------------------


def test_relative_absolute_linked_and_sub_folder_runs_name_the_same_files(tmp_path, monkeypatch):
    archive = make(tmp_path / "archive", {"2022/a.txt": variant(1), "2022/b.txt": variant(2), "c.txt": variant(3)})
    (tmp_path / "via-link").symlink_to(archive)
    db = tmp_path / "r.sqlite"
    monkeypatch.chdir(tmp_path)
    run("archive/2022", db)  # a sub-folder first: its root is taken over by the archive's below
    run("archive", db)
    run(str(archive), db)
    run("via-link", db)
    run("archive/2022/a.txt", db)
    assert sorted(files(db)) == ["2022/a.txt", "2022/b.txt", "c.txt"]
    assert rows(db, "SELECT count(*) FROM paths") == [(3,)]
    assert rows(db, "SELECT path FROM roots") == [(str(archive.resolve()),)]
    assert rows(db, "SELECT count(*) FROM reports") == [(3,)]


def test_edited_files_supersede_deleted_ones_go_missing_and_prune_removes_them(tmp_path):
    folder, db = (
        make(tmp_path / "a", {"a.txt": variant(1), "b.txt": variant(2), "c.txt": variant(3)}),
        tmp_path / "r.db",
    )
    run(folder, db)
    old_sha = rows(db, "SELECT sha256 FROM paths WHERE path = 'a.txt'")[0][0]
    (folder / "a.txt").write_text(variant(1, staff=30), encoding="utf-8")  # corrected in place
    (folder / "b.txt").unlink()
    second = run(folder, db)
    assert (second.ok, second.skipped, second.changed, second.missing) == (1, 1, 1, 1)
    assert rows(db, "SELECT state FROM paths WHERE path = 'a.txt' ORDER BY state") == [("current",), ("superseded",)]
    assert rows(db, "SELECT state FROM paths WHERE sha256 = ?", old_sha) == [("superseded",)]
    assert files(db)["b.txt"][0] == "missing"
    # The view has the archive as it is: the corrected figure, no deleted file, no old version.
    assert rows(db, "SELECT path, headcount_actual FROM reports ORDER BY path") == [("a.txt", 30), ("c.txt", 21)]
    assert rows(db, "SELECT count(*) FROM documents") == [(4,)]  # history kept until pruned

    pruned = run(folder, db, prune=True)
    assert (pruned.pruned, pruned.skipped) == (1, 2)
    assert "b.txt" not in files(db)
    assert rows(db, "SELECT count(*) FROM documents") == [(3,)]  # b's document went; a's old one is history
    assert rows(db, "SELECT count(*) FROM field_values WHERE sha256 NOT IN (SELECT sha256 FROM documents)") == [(0,)]
    (folder / "b.txt").write_text(variant(2), encoding="utf-8")  # back again
    assert run(folder, db).ok == 1 and files(db)["b.txt"][:2] == ("current", "ok")


def test_a_file_unreadable_then_fixed_replaces_its_error_row(tmp_path):
    folder, db = make(tmp_path / "a", {"a.txt": variant(1)}), tmp_path / "r.sqlite"
    (folder / "loop.txt").symlink_to(folder / "loop.txt")  # cannot be opened (a loop), whoever reads it
    run(folder, db)
    assert files(db)["loop.txt"][1:3] == ("error", "unreadable")
    (folder / "loop.txt").unlink()
    (folder / "loop.txt").write_text(variant(2), encoding="utf-8")
    fixed = run(folder, db)
    assert (fixed.ok, fixed.changed) == (1, 1)
    assert files(db)["loop.txt"][:3] == ("current", "ok", None)
    assert rows(db, "SELECT count(*) FROM reports") == [(2,)]


def test_symlinks_out_of_the_archive_are_not_followed_unless_asked(tmp_path):
    outside = make(tmp_path / "outside", {"secret.txt": variant(9)})
    folder = make(tmp_path / "a", {"a.txt": variant(1)})
    (folder / "leak.txt").symlink_to(outside / "secret.txt")
    (folder / "same.txt").symlink_to(folder / "a.txt")  # inside the archive: fine
    db = tmp_path / "r.sqlite"
    summary = run(folder, db)
    assert summary.outside == 1 and sorted(files(db)) == ["a.txt", "same.txt"]
    assert not rows(db, "SELECT 1 FROM reports WHERE department LIKE '%第9%'")
    followed = run(folder, db, follow_symlinks=True)
    assert followed.ok == 1 and "leak.txt" in files(db)


# -- two ingests, one store ------------------------------------------------------------------------------------------


def test_two_ingests_starting_together_on_a_new_store_both_succeed(tmp_path):
    folder = make(tmp_path / "a", {f"r{i:02d}.txt": variant(i) for i in range(12)})
    db = tmp_path / "new.sqlite"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    argv = [sys.executable, str(ROOT / "cli.py"), "ingest", str(folder), "--db", str(db), "--workers", "1"]
    procs = [subprocess.Popen(argv, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outcomes = [(p.wait(120), p.stderr.read()) for p in procs]
    for p in procs:
        p.stderr.close()
    assert [code for code, _ in outcomes] == [0, 0], outcomes
    assert not any("not a report store" in err or "Traceback" in err for _, err in outcomes)
    assert rows(db, "SELECT count(*), count(DISTINCT sha256) FROM documents") == [(12, 12)]
    assert rows(db, "SELECT count(*) FROM paths") == [(12,)]
    # The second waited for the first and then had nothing left to do.
    assert sum("ok 0 · skipped 12" in err for _, err in outcomes) == 1


def test_many_processes_opening_a_new_store_at_once_never_fail(tmp_path):
    db = tmp_path / "new.sqlite"
    code = f"from extractor import store; store.connect({str(db)!r}).close()"
    procs = [
        subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stderr=subprocess.PIPE, text=True) for _ in range(6)
    ]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0] * 6, errors
    assert rows(db, "PRAGMA user_version") == [(store.STORE_SCHEMA_VERSION,)]


# -- an old store ----------------------------------------------------------------------------------------------------


def test_a_version_1_store_is_upgraded_in_place_and_converges(tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    for name in ("qinghe-whg-2022.txt", "yushui-gsl-2023.txt"):
        shutil.copy(SAMPLES / name, folder / name)
    db = tmp_path / "old.sqlite"
    dump = (ROOT / "tests" / "fixtures" / "store-v1.sql").read_text(encoding="utf-8")
    with sqlite3.connect(db) as conn:  # a store written by version 1 of the schema, its paths moved here
        conn.executescript(dump.replace("/tmp/v1fix/archive", str(folder)))
    assert rows(db, "PRAGMA user_version") == [(1,)]
    store.connect(db).close()
    assert rows(db, "PRAGMA user_version") == [(store.STORE_SCHEMA_VERSION,)]
    # Every extraction kept; the paths as version 1 stored them until the archive is ingested again.
    assert rows(db, "SELECT count(*) FROM reports") == [(2,)]
    assert sorted(p for (p,) in rows(db, "SELECT path FROM reports")) == sorted(
        str(folder / n) for n in ("qinghe-whg-2022.txt", "yushui-gsl-2023.txt")
    )
    run(folder, db)
    assert sorted(files(db)) == ["qinghe-whg-2022.txt", "yushui-gsl-2023.txt"]
    assert rows(db, "SELECT path FROM roots") == [(str(folder.resolve()),)]
    assert rows(db, "SELECT count(*) FROM reports") == [(2,)]


# -- one row per report ----------------------------------------------------------------------------------------------


def test_reports_has_one_row_per_report_and_documents_every_file(tmp_path):
    folder = tmp_path / "a"
    folder.mkdir()
    for fmt in ("txt", "docx", "pdf", "html"):
        shutil.copy(SAMPLES / f"qinghe-whg-2022.{fmt}", folder / f"qinghe.{fmt}")
    shutil.copy(SAMPLES / "yushui-gsl-2023.txt", folder / "yushui.txt")
    shutil.copy(SAMPLES / "yushui-gsl-2023.txt", folder / "yushui-copy.txt")
    # Same unit and year, one figure different: another report (a revision, or an error), its own row.
    (folder / "qinghe-revised.txt").write_text(QINGHE.replace("实有人员21人", "实有人员22人"), encoding="utf-8")
    db = tmp_path / "r.sqlite"
    run(folder, db)
    assert rows(db, "SELECT count(*) FROM documents") == [(6,)]
    assert rows(db, "SELECT count(*) FROM paths") == [(7,)]
    view = rows(db, "SELECT path, copies, copy_paths, headcount_actual FROM reports ORDER BY path")
    assert view == [
        ("qinghe-revised.txt", 1, '["qinghe-revised.txt"]', 22),
        ("qinghe.docx", 4, '["qinghe.docx","qinghe.html","qinghe.pdf","qinghe.txt"]', 21),
        ("yushui-copy.txt", 2, '["yushui-copy.txt","yushui.txt"]', 7),
    ]
    # Summed over the view, each report's revenue counts once.
    assert rows(db, "SELECT sum(revenue_total_yuan) FROM reports") == [(5100000 * 2 + 1451600,)]


def test_a_file_that_is_no_report_is_flagged_not_a_report(tmp_path):
    folder = make(
        tmp_path / "a", {"a.txt": variant(1), "minutes.txt": "会议纪要\n大家讨论了下周的活动安排，意见一致。\n"}
    )
    db = tmp_path / "r.sqlite"
    summary = run(folder, db)
    assert (summary.ok, summary.not_reports, summary.errors) == (1, 1, 0)
    assert files(db)["minutes.txt"][:2] == ("current", "not-a-report")
    assert rows(
        db, "SELECT f.rule, f.severity FROM findings f JOIN paths p USING (sha256) WHERE p.path = 'minutes.txt'"
    ) == [("ING001", "warning")]
    assert rows(db, "SELECT path FROM reports") == [("a.txt",)]
    assert "not a report 1" in summary.render()


def test_report_identity_compares_amounts_not_the_places_they_were_written_with():
    def report(unit="示例县水利局", year=2023, revenue="1451600"):
        g = lambda v: {"value": v, "raw": str(v), "span": [0, 1]}  # noqa: E731
        return {"department": g(unit), "fiscal_year": g(year), "revenue": {"total": g(revenue)}}

    key, found = store.report_identity(report())
    assert found == 3 and key == store.report_identity(report(revenue="1451600.00"))[0]
    assert key == store.report_identity(report(unit="示例县 水利局"))[0]  # a line break or space in a PDF's title
    assert key != store.report_identity(report(revenue="1451600.01"))[0]
    assert key != store.report_identity(report(year=2024))[0]
    assert store.report_identity(report(year=None))[0] is None  # no year: nothing says which others it equals


def test_opening_a_store_tries_again_when_sqlite_answers_busy_at_once(tmp_path, monkeypatch):
    # SQLite's busy timeout does not cover every lock: a WAL store's recovery and the last
    # connection's clean-up answer another process's first read with SQLITE_BUSY at once.
    from extractor import store_open

    real, answers = sqlite3.connect, ["database is locked", "database is busy"]

    def connect(*args, **kwargs):
        if answers:
            raise sqlite3.OperationalError(answers.pop(0))
        return real(*args, **kwargs)

    monkeypatch.setattr(store_open.sqlite3, "connect", connect)
    db = tmp_path / "new.sqlite"
    store.connect(db).close()
    assert answers == []
    assert rows(db, "PRAGMA user_version") == [(store.STORE_SCHEMA_VERSION,)]
    answers += ["database is locked"]
    store.connect_readonly(db).close()
    assert answers == []


def test_a_store_busy_past_the_timeout_is_one_error_and_never_read_as_immutable(tmp_path, monkeypatch):
    from extractor import store_open

    db = tmp_path / "new.sqlite"
    store.connect(db).close()
    monkeypatch.setenv("EXTRACTOR_BUSY_TIMEOUT", "0.05")
    uris = []

    def connect(*args, **kwargs):
        uris.append(args[0])
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(store_open.sqlite3, "connect", connect)
    for opening in (store.connect, store.connect_readonly):
        with pytest.raises(store.StoreError, match="locked by another program"):
            opening(db)
    assert len(uris) > 2  # tried again before giving up
    assert not any("immutable" in str(uri) for uri in uris)

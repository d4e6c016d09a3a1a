"""A scripted session of an archive's life, checked against the files on disk at every step:
ingest; edit two files, delete one; re-run while a worker is killed (kill -9); re-run; export
to Parquet after the first and the last run; load both exports together in DuckDB.

    .venv/bin/python bench/archive_session.py [--reports 30] [--keep DIR]

The archive is written here from the samples (invented units, years and amounts; no real
report): each report as .txt, some also as .docx (the same report in two formats), one exact
copy, one corrupt file and one text that is no report. What is on disk is the truth: the
script keeps its own ledger of the reports it wrote (unit, year, revenue in yuan) and compares
the store's row count and revenue sum, and each export's, with it.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.export import export  # noqa: E402

SAMPLES = ROOT / "samples"
QINGHE = (SAMPLES / "qinghe-whg-2022.txt").read_text(encoding="utf-8")
UNIT, YEAR, REVENUE = "示例市清河区文化馆", "2022", "510.00万元"
CLI = [sys.executable, str(ROOT / "cli.py")]


def report_text(unit: str, year: int, wan: Decimal) -> str:
    return QINGHE.replace(UNIT, unit).replace(YEAR, str(year)).replace(REVENUE, f"{wan}万元")


CITIES = ["示例市", "样例市", "演示市", "范例市", "模拟市"]
DISTRICTS = ["东湖区", "西山区", "南岭区", "北塘区", "中和区", "新城区", "长乐区", "安平区"]
UNITS = [c + d + u for u in ("文化馆", "图书馆") for c in CITIES for d in DISTRICTS]  # invented, 80 of them


def build(folder: Path, n: int, rng: random.Random) -> dict[str, tuple[str, int, Decimal]]:
    """Write the archive; returns the ledger: file -> (unit, year, revenue in yuan) for every report file."""
    ledger = {}
    for i in range(n):
        unit, year = UNITS[i], 2019 + i % 5
        wan = Decimal(rng.randrange(1_000_000, 90_000_000)) / 10000  # 万元 to four places: whole yuan
        if i % 7 == 3:
            wan += Decimal("0.000055")  # and some with fen: 5100000.55 yuan
        name = f"{year}/report-{i:03d}.txt"
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(report_text(unit, year, wan), encoding="utf-8")
        ledger[name] = (unit, year, wan * 10000)
    # The same report as .docx (unit and year changed in the sample's XML, its amounts as written).
    docx = (SAMPLES / "qinghe-whg-2022.docx").read_bytes()
    for i in range(0, n, 10):
        unit, year = UNITS[-1 - i // 10], 2019 + i % 5
        for fmt in ("txt", "docx"):
            name = f"{year}/both-{i:03d}.{fmt}"
            data = (
                report_text(unit, year, Decimal("510.00")).encode("utf-8")
                if fmt == "txt"
                else vary_docx_unit(docx, unit, year)
            )
            (folder / name).write_bytes(data)
            ledger[name] = (unit, year, Decimal("5100000"))
    shutil.copy(folder / "2019/report-000.txt", folder / "2019/report-000-copy.txt")
    ledger["2019/report-000-copy.txt"] = ledger["2019/report-000.txt"]
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (folder / "minutes.txt").write_text("会议纪要\n大家讨论了下周的活动安排，意见一致。\n", encoding="utf-8")
    return ledger


def vary_docx_unit(data: bytes, unit: str, year: int) -> bytes:
    """The Qinghe .docx with another unit and year, its amounts as the sample writes them."""
    import io
    import zipfile

    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "word/document.xml":
                body = body.decode("utf-8").replace(UNIT, unit).replace(YEAR, str(year)).encode("utf-8")
            dst.writestr(item, body)
    return out.getvalue()


def truth(ledger: dict) -> tuple[int, Decimal]:
    """(reports, revenue in yuan) as the files on disk say: copies and formats of a report count once."""
    reports = {(unit, year): yuan for unit, year, yuan in ledger.values()}
    return len(reports), sum(reports.values(), Decimal(0))


def store_figures(db: Path) -> tuple[int, Decimal, dict]:
    with sqlite3.connect(db) as conn:
        amounts = [Decimal(v) for (v,) in conn.execute("SELECT revenue_total_yuan FROM reports") if v is not None]
        (n,) = conn.execute("SELECT count(*) FROM reports").fetchone()
        states = dict(conn.execute("SELECT state || '/' || status, count(*) FROM files GROUP BY 1"))
    return n, sum(amounts, Decimal(0)), states


FAULTS = ROOT / "tests" / "ingest_faults.py"  # an ingest whose task misbehaves on a chosen file


def ingest(folder: Path, db: Path, faults: str | None = None, kill_when: str | None = None) -> str:
    """Run ``cli.py ingest`` as the team would (or, with ``faults``, an ingest whose worker hangs on a
    file: tests/ingest_faults.py); once the SQL ``kill_when`` counts a row, kill -9 its worker."""
    argv = (
        [sys.executable, str(FAULTS), faults, str(folder), str(db), "1"]
        if faults
        else [*CLI, "ingest", str(folder), "--db", str(db), "--workers", "1", "--timeout", "600"]
    )
    proc = subprocess.Popen(argv, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    if kill_when is not None:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            with sqlite3.connect(db) as conn:
                if conn.execute(kill_when).fetchone()[0]:
                    break
            time.sleep(0.1)
        worker = workers_of(proc.pid)
        print(f"  kill -9 worker {worker} of ingest {proc.pid}")
        os.kill(worker, signal.SIGKILL)
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    return err.strip()


def workers_of(pid: int) -> int:
    """The worker process of an ingest: a child of the forkserver, which is a child of the ingest."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(stat[1]), []).append(int(entry))
    grandchildren = [g for c in children.get(pid, []) for g in children.get(c, [])]
    assert len(grandchildren) == 1, grandchildren
    return grandchildren[0]


def step(title: str, db: Path, ledger: dict, err: str | None = None, note: str = "") -> None:
    print(f"\n== {title}")
    if err:
        print("  " + err.replace("\n", "\n  "))
    n, total, states = store_figures(db)
    want_n, want_total = truth(ledger)
    print(
        f"  store: reports {n}, revenue {total} yuan · on disk: reports {want_n}, revenue {want_total} yuan"
        f" · {'MATCH' if (n, total) == (want_n, want_total) else 'MISMATCH'}"
    )
    print(f"  files by state/status: {dict(sorted(states.items()))}")
    if note:
        print(f"  ({note})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=30, help=f"at most {len(UNITS) - 10}")
    parser.add_argument("--keep", type=Path, help="work here and keep it")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="archive-session-"))
    work.mkdir(parents=True, exist_ok=True)
    folder, db = work / "archive", work / "reports.sqlite"
    ledger = build(folder, args.reports, random.Random(14))
    print(f"archive: {sum(1 for p in folder.rglob('*') if p.is_file())} files in {folder}")

    step("1. ingest", db, ledger, ingest(folder, db))
    first = work / "export-1.parquet"
    expected = {first.name: truth(ledger)}
    print(f"  export 1: {export(db, 'parquet', first).rows} rows -> {first.name}")

    edited = ["2020/report-001.txt", "2022/report-003.txt"]
    for name in edited:
        unit, year, _ = ledger[name]
        wan = Decimal("123.456789")  # 1234567.89 yuan
        (folder / name).write_text(report_text(unit, year, wan), encoding="utf-8")
        ledger[name] = (unit, year, wan * 10000)
    (folder / "2021/report-002.txt").unlink()
    del ledger["2021/report-002.txt"]
    print("\n== 2. edited 2020/report-001.txt and 2022/report-003.txt in place, deleted 2021/report-002.txt")

    step(
        "3. re-run; its worker killed (kill -9) while it reads 2022/report-003.txt",
        db,
        ledger,
        # The first edited file is written: the one worker is now on the second, which hangs.
        ingest(
            folder,
            db,
            faults="hang:report-003.txt",
            kill_when="SELECT count(*) FROM paths WHERE path = '2020/report-001.txt' AND state = 'superseded'",
        ),
        note="the killed file is a 'crashed' row under its new bytes until the next run retries it",
    )
    step("4. re-run", db, ledger, ingest(folder, db))
    second = work / "export-2.parquet"
    expected[second.name] = truth(ledger)
    print(f"  export 2: {export(db, 'parquet', second).rows} rows -> {second.name}")

    import duckdb

    print("\n== 5. both exports in DuckDB: read_parquet([export-1, export-2])")
    query = (
        "SELECT regexp_extract(filename, '[^/]+$') AS export, count(*) AS reports, "
        "sum(revenue_total_yuan) AS revenue_yuan, typeof(sum(revenue_total_yuan)) AS type "
        "FROM read_parquet(?, filename = true) GROUP BY ALL ORDER BY 1"
    )
    for row in duckdb.connect().execute(query, [[str(first), str(second)]]).fetchall():
        want = expected[row[0]]
        print(
            f"  {row[0]}: {row[1]} rows, revenue {row[2]} ({row[3]}) · on disk then: {want[0]} reports, "
            f"{want[1]} yuan · {'MATCH' if (row[1], row[2]) == want else 'MISMATCH'}"
        )
    rows, total = (
        duckdb.connect()
        .execute("SELECT count(*), sum(revenue_total_yuan) FROM read_parquet(?)", [[str(first), str(second)]])
        .fetchone()
    )
    print(f"  both together: {rows} rows, revenue {total} yuan (= {sum(w[1] for w in expected.values())})")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

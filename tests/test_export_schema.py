"""Exports with a fixed schema (issue 14): the same typed columns whatever the data, exact money
across exports in DuckDB and pandas, project figures and indicator points, safe CSV cells."""

from __future__ import annotations

import csv
import hashlib
import json
from decimal import Decimal
from pathlib import Path

import pytest

from extractor import field_registry, store
from extractor.cli import main
from extractor.export import export, export_columns
from extractor.ingest import ingest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
QINGHE = (SAMPLES / "qinghe-whg-2022.txt").read_text(encoding="utf-8")
YUSHUI = (SAMPLES / "yushui-gsl-2023.txt").read_text(encoding="utf-8")
SHUILI = (SAMPLES / "shuili-yskh-2023.txt").read_text(encoding="utf-8")
REVENUE = "510.00万元"  # the Qinghe sample's revenue as written


def qinghe(revenue: str, unit: str = "清河区文化馆") -> str:
    assert REVENUE in QINGHE
    return QINGHE.replace(REVENUE, revenue).replace("清河区文化馆", unit)


def store_of(folder: Path, texts: dict[str, str]) -> Path:
    folder.mkdir()
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    db = folder.parent / f"{folder.name}.sqlite"
    ingest([folder], db, workers=1, quiet=True)
    return db


@pytest.fixture(scope="module")
def two_stores(tmp_path_factory) -> tuple[Path, Path]:
    """Two archives whose money differs in scale: one has fen (5100000.55), the other whole yuan."""
    base = tmp_path_factory.mktemp("exports")
    a = store_of(base / "a", {"qinghe.txt": qinghe("510.000055万元"), "yushui.txt": YUSHUI})
    b = store_of(base / "b", {"qinghe.txt": qinghe("510万元", "清河区第二文化馆"), "shuili.txt": SHUILI})
    return a, b


def test_the_schema_is_the_same_for_an_empty_store_and_a_full_one(two_stores, tmp_path):
    empty = tmp_path / "empty.sqlite"
    store.connect(empty).close()
    schemas, headers = [], []
    for db in (empty, *two_stores):
        out = tmp_path / f"{db.stem}.parquet"
        export(db, "parquet", out)
        schemas.append(pq.read_schema(out))
        export(db, "csv", tmp_path / f"{db.stem}.csv")
        headers.append((tmp_path / f"{db.stem}.csv").read_text(encoding="utf-8").splitlines()[0])
    assert schemas[0].equals(schemas[1], check_metadata=True) and schemas[1].equals(schemas[2], check_metadata=True)
    assert len(set(headers)) == 1
    types = {f.name: str(f.type) for f in schemas[0]}
    money = [c.name for c in export_columns() if c.kind == "money"]
    assert money and all(name.endswith("_yuan") and types[name] == "decimal128(20, 2)" for name in money)
    assert {types[n] for n in ("fiscal_year", "headcount_actual", "copies", "errors")} == {"int64"}
    assert types["ingested_at"] == "timestamp[us, tz=UTC]"
    # The project figures the registry lists are columns.
    assert {"budget_initial_yuan", "budget_adjusted_yuan", "budget_spent_yuan", "execution_rate_percent"} <= set(types)


def test_two_exports_loaded_together_give_exact_sums_in_duckdb_and_pandas(two_stores, tmp_path):
    duckdb = pytest.importorskip("duckdb")
    pd = pytest.importorskip("pandas")
    paths = []
    for db in two_stores:
        paths.append(tmp_path / f"{db.stem}.parquet")
        export(db, "parquet", paths[-1])
    expected = Decimal("5100000.55") + Decimal("1451600") + Decimal("5100000")
    con = duckdb.connect()
    total, spent, n = con.execute(
        "SELECT sum(revenue_total_yuan), sum(budget_spent_yuan), count(*) FROM read_parquet(?)",
        [[str(p) for p in paths]],
    ).fetchone()
    assert (total, spent, n) == (expected, Decimal("824500.00"), 4)
    assert isinstance(total, Decimal)
    frame = pd.concat([pd.read_parquet(p) for p in paths], ignore_index=True)
    assert frame["revenue_total_yuan"].dropna().sum() == expected
    assert str(frame["ingested_at"].dtype).startswith("datetime64[") and "UTC" in str(frame["ingested_at"].dtype)
    assert frame["fiscal_year"].dtype == "int64"
    # The CSV of each, read as text and summed as Decimals, says the same.
    csv_total = Decimal(0)
    for db in two_stores:
        export(db, "csv", tmp_path / "x.csv")
        cells = pd.read_csv(tmp_path / "x.csv", dtype=str)["revenue_total_yuan"].dropna()
        csv_total += sum(map(Decimal, cells))
    assert csv_total == expected


def test_project_figures_and_indicator_points_are_in_every_export(two_stores, tmp_path):
    _, b = two_stores
    export(b, "jsonl", tmp_path / "b.jsonl")
    rows = [json.loads(line) for line in (tmp_path / "b.jsonl").read_text(encoding="utf-8").splitlines()]
    shuili = next(r for r in rows if r["path"] == "shuili.txt")
    assert (
        shuili["budget_initial_yuan"],
        shuili["budget_adjusted_yuan"],
        shuili["budget_spent_yuan"],
        shuili["execution_rate_percent"],
    ) == ("800000.00", "850000.00", "824500.00", "97.0000")
    qinghe_row = next(r for r in rows if r["path"] == "qinghe.txt")
    assert qinghe_row["indicators"][0] == {"name": "决策", "max": "20", "score": "19"}
    assert sum(Decimal(i["max"]) for i in qinghe_row["indicators"]) == Decimal(100)
    export(b, "parquet", tmp_path / "b.parquet")
    table = pq.read_table(tmp_path / "b.parquet").to_pylist()
    assert json.loads(next(r for r in table if r["path"] == "qinghe.txt")["indicators"]) == qinghe_row["indicators"]


def test_a_figure_finer_than_a_fen_is_never_rounded(tmp_path, capsys):
    db = store_of(tmp_path / "a", {"fine.txt": qinghe("510.0000555万元")})
    out = tmp_path / "fine.parquet"
    assert main(["export", "--db", str(db), "--format", "parquet", "-o", str(out)]) == 0
    assert "1 figure(s) do not fit" in capsys.readouterr().err
    (row,) = pq.read_table(out).to_pylist()
    assert row["revenue_total_yuan"] is None
    assert json.loads(row["unfit_figures"]) == {"revenue_total_yuan": "5100000.555"}


def test_csv_cells_that_would_be_formulas_are_neutralised_and_excel_gets_a_bom(tmp_path):
    folder = tmp_path / "a"
    folder.mkdir()
    (folder / '=HYPERLINK("evil.invalid","x").txt').write_text(qinghe("510万元"), encoding="utf-8")
    (folder / "@sum.txt").write_text(YUSHUI, encoding="utf-8")
    db = tmp_path / "r.sqlite"
    ingest([folder], db, workers=1, quiet=True)
    out = tmp_path / "r.csv"
    export(db, "csv", out, excel=True)
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(data.decode("utf-8-sig").splitlines()))
    assert sorted(r["path"] for r in rows) == ['\'=HYPERLINK("evil.invalid","x").txt', "'@sum.txt"]
    assert all(not r[c.name].startswith(("=", "+", "@")) for r in rows for c in export_columns())
    assert {r["revenue_total_yuan"] for r in rows} == {"5100000.00", "1451600.00"}  # numbers stay numbers


def test_export_never_overwrites_the_store(two_stores, tmp_path, capsys):
    a, _ = two_stores
    before = hashlib.sha256(a.read_bytes()).hexdigest()
    for target in (a, Path(f"{a}-wal"), tmp_path.parent / a.parent.name / a.name):
        assert main(["export", "--db", str(a), "--format", "csv", "-o", str(target)]) == 3
        assert "refusing to overwrite the store" in capsys.readouterr().err
    assert hashlib.sha256(a.read_bytes()).hexdigest() == before
    assert main(["export", "--db", str(a), "--format", "csv", "-o", str(tmp_path)]) == 3  # a folder


def test_a_field_added_to_the_registry_appears_in_the_view_and_the_exports(tmp_path, monkeypatch):
    db = store_of(tmp_path / "a", {"yushui.txt": YUSHUI})
    extra = field_registry.FieldSpec("divisions", "report.divisions", "内设机构", "divisions", "text", "divisions")
    monkeypatch.setattr(field_registry, "FIELD_SPECS", (*field_registry.FIELD_SPECS, extra))
    store.connect(db).close()  # opening it for writing re-creates the view from the registry
    conn = store.connect_readonly(db)
    (value,) = conn.execute("SELECT divisions FROM reports").fetchone()
    conn.close()
    assert json.loads(value) == ["办公室", "经济工作办公室"]
    export(db, "parquet", tmp_path / "x.parquet")
    assert pq.read_table(tmp_path / "x.parquet").column("divisions").to_pylist() == [value]

"""The field registry: every entry resolves on a real record, names and columns are unique."""

from pathlib import Path

from extractor import extract
from extractor.field_registry import BY_KEY, FIELD_SPECS, name, value_of
from extractor.model import Grounded

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def test_keys_columns_and_names_are_unique():
    for attr in ("key", "column", "zh", "en"):
        values = [getattr(f, attr) for f in FIELD_SPECS]
        assert len(values) == len(set(values)), attr
    assert all(f.column.endswith("_yuan") for f in FIELD_SPECS if f.type == "money")


def test_every_entry_reads_its_value_from_a_sample_record():
    report = extract(SAMPLES / "yushui-gsl-2023.txt", verify=False).report
    for entry in FIELD_SPECS:
        got = value_of(report, entry)
        assert got is None or isinstance(got, Grounded), entry.key
    assert value_of(report, BY_KEY["revenue.total"]).raw == "145.16万元"
    assert value_of(report, BY_KEY["expenditure.basic"]).value == 1324000
    assert value_of(report, BY_KEY["budget.spent"]) is None
    assert name("revenue.total") == "收入总计" and name("revenue.total", "en") == "total revenue"

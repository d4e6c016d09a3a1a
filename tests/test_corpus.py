"""The development corpora scored field by field, as ``../shared/eval/score.py`` scores them.

Every labelled value of ``../shared/corpus/dev`` and ``dev-2`` is a test: the extractor's value
equals the label. The known misses are ``xfail(strict=True)`` with their reason
(``tests/corpus_gaps.toml``), so every gap is visible and a fix shows up. Documents whose labels
note no inconsistency draw no error finding; those that note one are flagged. The corpus is read
from ``../shared`` at run time and never copied; without it these tests skip, saying why.
"""

from __future__ import annotations

import importlib.util
import json
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SETS = ("dev", "dev-2")
GAPS = tomllib.loads((Path(__file__).parent / "corpus_gaps.toml").read_text(encoding="utf-8"))


def _scorer():
    spec = importlib.util.spec_from_file_location("shared_score", SHARED / "eval" / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _documents() -> list[tuple[str, Path]]:
    out = []
    for name in SETS:
        folder = SHARED / "corpus" / name
        if folder.is_dir():
            out += [(f"{name}/{p.name}", p) for p in sorted(folder.glob("*.txt")) if p.with_suffix(".json").exists()]
    return out


DOCUMENTS = _documents()
SCORE = _scorer() if (SHARED / "eval" / "score.py").exists() else None
_OUTPUTS: dict[Path, dict] = {}


def _output(path: Path) -> dict:
    """The extractor's JSON for a document, as the CLI prints it (computed once per document)."""
    if path not in _OUTPUTS:
        from extractor import extract
        from extractor.output.json import to_json

        _OUTPUTS[path] = json.loads(to_json(extract(path), with_text=True))
    return _OUTPUTS[path]


def _labels(path: Path) -> dict:
    return json.loads(path.with_suffix(".json").read_text(encoding="utf-8")).get("labels", {})


def _value_cases():
    if SCORE is None:
        return [pytest.param(None, None, None, marks=pytest.mark.skip(reason="../shared/corpus is absent"))]
    cases = []
    for doc, path in DOCUMENTS:
        gaps = GAPS["values"].get(doc, {})
        for key in SCORE.expected(_labels(path)):
            marks = [pytest.mark.xfail(strict=True, reason=gaps[key])] if key in gaps else []
            cases.append(pytest.param(doc, path, key, marks=marks, id=f"{doc}:{key}"))
    return cases


@pytest.mark.parametrize("doc,path,key", _value_cases())
def test_labelled_value(doc, path, key):
    want = SCORE.expected(_labels(path))[key]
    pred = SCORE.predictions(_output(path))
    got = SCORE.match_indicator(key, pred) if key.startswith("indicator.") else pred.get(key)
    assert SCORE.equal(key, got, want), f"{doc} {key}: got {got!r}"


def _doc_cases(flagged: bool):
    if SCORE is None:
        return [pytest.param(None, None, marks=pytest.mark.skip(reason="../shared/corpus is absent"))]
    cases = []
    for doc, path in DOCUMENTS:
        if bool(_labels(path).get("consistency_notes")) != flagged:
            continue
        gap = GAPS["flagged"].get(doc) if flagged else None
        cases.append(pytest.param(doc, path, marks=[pytest.mark.xfail(strict=True, reason=gap)] if gap else [], id=doc))
    return cases


@pytest.mark.parametrize("doc,path", _doc_cases(flagged=False))
def test_a_consistent_document_draws_no_error(doc, path):
    errors = [f["rule"] for f in _output(path)["findings"] if f["severity"] == "error"]
    assert errors == [], doc


@pytest.mark.parametrize("doc,path", _doc_cases(flagged=True))
def test_an_inconsistent_document_is_flagged(doc, path):
    assert _output(path)["findings"], doc


def test_every_gap_names_a_labelled_value():
    """A gap left in corpus_gaps.toml for a value the labels no longer hold is stale."""
    if SCORE is None:
        pytest.skip("../shared/corpus is absent")
    docs = dict(DOCUMENTS)
    for doc, keys in GAPS["values"].items():
        assert doc in docs, doc
        assert set(keys) <= set(SCORE.expected(_labels(docs[doc]))), doc

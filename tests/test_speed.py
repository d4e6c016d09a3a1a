"""Speed by construction (issue 7): what a cold run imports, what is compiled once, and work that
grows with the text. Structure and counts, not timings; bench/run.py measures the timings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import regex

import extractor
from extractor import extract, extract_text, normalize, patterns

ROOT = Path(__file__).resolve().parent.parent
SEED_TXT = ROOT / "samples" / "yushui-gsl-2023.txt"
HEAVY = (
    "pydantic",
    "jieba",
    "pdfplumber",
    "pdfminer",
    "pypdfium2",
    "lxml",
    "selectolax",
    "docx",
    "rich",
    "dask",
    "pyarrow",
    "distributed",
    "cn2an",
    "charset_normalizer",
    "pkg_resources",
)


def _python(code: str, env: dict | None = None) -> str:
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **(env or {})},
    )
    return out.stdout


def _loaded_after(code: str) -> list[str]:
    probe = (
        "import contextlib, io, json, sys\n" + code + "\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})))"
    )
    return json.loads(_python(probe).strip().splitlines()[-1])


def test_cold_extract_of_a_txt_imports_no_heavy_library():
    # pydantic too: the record is plain dataclasses; pydantic validates them only when asked
    run = (
        "from extractor.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main(['extract', {str(SEED_TXT)!r}, '--json']) == 0"
    )
    assert _loaded_after(run) == []


def test_import_extractor_alone_loads_neither_pydantic_nor_the_patterns():
    loaded = json.loads(
        _python(
            "import json, sys, extractor\n"
            "print(json.dumps([m for m in ('pydantic', 'regex', 'extractor.patterns', 'extractor.rules') if m in sys.modules]))"
        )
    )
    assert loaded == []
    assert {"extract", "extract_text", "read", "to_json", "to_dict", "Extraction"} <= set(dir(extractor))
    with pytest.raises(AttributeError):
        extractor.no_such_name  # noqa: B018


def test_a_title_without_a_year_segments_with_the_small_dictionary_only():
    # jieba is imported for this title, but never its 20 MB default dictionary, nor pkg_resources
    run = (
        "from extractor import extract_text\n"
        "r = extract_text('某县第二人民医院财政专项资金使用绩效自评报告\\n正文。')\n"
        "assert r.report.department.value == '某县第二人民医院', r.report.department\n"
        "import jieba\n"
        "assert not jieba.dt.initialized and not jieba.dt.FREQ"
    )
    loaded = _loaded_after(run)
    assert "jieba" in loaded and "pkg_resources" not in loaded


# ---- compiled once --------------------------------------------------------------------------


def test_patterns_and_templates_are_compiled_once_per_process():
    assert patterns.load() is patterns.load()
    template = r"(?P<num>\d+)[ ]?{L_revenue_total}"
    assert patterns.compiled(template) is patterns.compiled(template)


def _count_regex_parses(monkeypatch) -> list[str]:
    """From now on, the source of every pattern regex parses (compiles) goes into the list."""
    main = pytest.importorskip("regex._main")
    if not hasattr(main, "_parse_pattern"):
        pytest.skip("this regex version parses elsewhere")
    parsed: list[str] = []
    original = main._parse_pattern
    monkeypatch.setattr(main, "_parse_pattern", lambda *a: parsed.append(a[0].string) or original(*a))
    return parsed


def test_a_second_extraction_parses_no_regex(monkeypatch):
    extract(SEED_TXT)
    parsed = _count_regex_parses(monkeypatch)
    extract(SEED_TXT)
    assert parsed == []


def test_another_report_compiles_no_pattern_of_its_own(monkeypatch):
    # nothing is compiled from a document's own words (a unit's name, an indicator's): the
    # compiled set stays that of the patterns, and the on-disk cache does not grow per report
    text = (
        "某某区委机关事务服务中心2023年度部门整体支出绩效自评报告\n"
        "中共示例市某某区委机关事务服务中心是区委直属单位。\n产出指标（40分）：该指标得分38分。\n"
    )
    extract_text(text)
    parsed = _count_regex_parses(monkeypatch)
    result = extract_text(text.replace("某某区", "另一区").replace("机关事务服务中心", "档案馆"))
    assert result.report.department.value == "中共示例市另一区委档案馆"
    assert parsed == []


def test_the_text_is_folded_once_per_extraction(monkeypatch):
    built = []

    class Counting(normalize.Folded):
        __slots__ = ()

        def __init__(self, original, **kw):
            built.append(len(original))
            super().__init__(original, **kw)

    monkeypatch.setattr(normalize, "Folded", Counting)
    monkeypatch.setattr(normalize, "_RECENT", [])
    result = extract(SEED_TXT)
    assert result.findings is not None and built == [len(result.document.text)]


def test_label_alternation_is_the_same_in_every_process():
    assert patterns.label_alternation(["乙甲", "甲乙", "丙"]) == patterns.label_alternation(["丙", "甲乙", "乙甲"])
    longest_first = regex.compile(patterns.label_alternation(["收入", "总收入", "收入总计"]))
    assert longest_first.match("收入 总计").group() == "收入 总计" and longest_first.match("收入总").group() == "收入"
    first = _python(
        "from extractor.patterns import load; print(load().label_regex['revenue_total'])", {"PYTHONHASHSEED": "1"}
    )
    second = _python(
        "from extractor.patterns import load; print(load().label_regex['revenue_total'])", {"PYTHONHASHSEED": "2"}
    )
    assert first == second


# ---- the on-disk cache of compiled regexes ---------------------------------------------------

_PROBE = (
    "import json\n"
    "from extractor import patterns\n"
    "p = patterns.load()\n"
    "text = open({txt!r}, encoding='utf-8').read()\n"
    "spans = {{k: [[m.span() for m in pat.regex.finditer(text)] for pat in v] for k, v in p.patterns.items()}}\n"
    "print(json.dumps({{'compiled': len(patterns._new), 'spans': spans}}))"
)


def _probe(cache: Path | str) -> dict:
    return json.loads(_python(_PROBE.format(txt=str(SEED_TXT)), {patterns.CACHE_ENV: str(cache)}))


def test_regexes_rebuilt_from_the_cache_match_as_compiled_ones(tmp_path):
    first = _probe(tmp_path)
    [cache_file] = tmp_path.glob("regex-*")
    assert first["compiled"] > 0 and cache_file.stat().st_mode & 0o077 == 0
    second = _probe(tmp_path)
    assert second["compiled"] == 0 and second["spans"] == first["spans"]


def test_a_warm_cache_spares_the_toml_parser(tmp_path):
    _probe(tmp_path)
    out = _python(
        "import sys\nfrom extractor import patterns\npatterns.load()\nprint('tomllib' in sys.modules)",
        {patterns.CACHE_ENV: str(tmp_path)},
    )
    assert out.strip() == "False"


def test_parsed_pattern_files_are_reused_only_for_the_same_bytes(tmp_path, monkeypatch):
    folder = tmp_path / "patterns"
    folder.mkdir()
    for name in ("labels.toml", "macros.toml", "words.toml", "headers.toml", "prose.toml", "qualifiers.toml"):
        (folder / name).write_text("", encoding="utf-8")
    (folder / "fields.toml").write_text('[[pattern]]\nid = "a"\nfield = "x"\nregex = "a"\n', encoding="utf-8")
    monkeypatch.setenv(patterns.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setattr(patterns, "PATTERN_DIR", folder)
    first = patterns._read_all(folder, "digest-1")
    assert first["fields.toml"]["pattern"][0]["regex"] == "a"
    monkeypatch.setattr(patterns, "_read", lambda path: pytest.fail(f"parsed {path.name} again"))
    assert patterns._read_all(folder, "digest-1") == first
    monkeypatch.undo()
    monkeypatch.setenv(patterns.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setattr(patterns, "PATTERN_DIR", folder)
    (folder / "fields.toml").write_text('[[pattern]]\nid = "a"\nfield = "x"\nregex = "b"\n', encoding="utf-8")
    assert patterns._read_all(folder, "digest-2")["fields.toml"]["pattern"][0]["regex"] == "b"


def test_a_damaged_or_foreign_cache_file_is_ignored(tmp_path):
    first = _probe(tmp_path)
    [cache_file] = tmp_path.glob("regex-*")
    cache_file.write_bytes(b"\x00not marshal")
    assert _probe(tmp_path) == first  # compiled afresh, and written again
    cache_file.chmod(0o666)  # anyone may write it: not trusted
    assert _probe(tmp_path)["compiled"] == first["compiled"]


def test_the_cache_can_be_turned_off(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert _probe("")["compiled"] > 0
    assert list(tmp_path.iterdir()) == []
    monkeypatch.setenv(patterns.CACHE_ENV, "")
    assert patterns.cache_dir() is None


def test_the_cache_folder_is_never_relative(monkeypatch, tmp_path):
    monkeypatch.delenv(patterns.CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    folder = patterns.cache_dir()
    assert folder is None or folder.is_absolute()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert patterns.cache_dir() == tmp_path / "gov-perf-extractor"


# ---- work grows with the text ----------------------------------------------------------------


def _line_events(text: str) -> int:
    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return tracer

    sys.settrace(tracer)
    try:
        extract_text(text)
    finally:
        sys.settrace(None)
    return count


def _repeated(times: int) -> str:
    text = SEED_TXT.read_text(encoding="utf-8")
    return "\n".join([text] * times)


def test_ten_times_the_text_runs_at_most_ten_times_the_python_lines():
    # counted, not timed: a loop over all earlier matches per match would show as ~100x here
    extract_text(_repeated(1))
    one, ten = _line_events(_repeated(1)), _line_events(_repeated(10))
    assert ten <= 11 * one, (one, ten)


def test_ten_times_the_text_takes_well_under_thirty_times_as_long():
    # regex scans are not Python lines: a generous timed bound catches quadratic backtracking
    def best(text: str) -> float:
        times = []
        for _ in range(5):
            start = time.perf_counter()
            extract_text(text)
            times.append(time.perf_counter() - start)
        return min(times)

    one, ten = _repeated(1), _repeated(10)
    extract_text(ten)
    assert best(ten) < 30 * best(one)


# ---- patterns that do not scan every position ------------------------------------------------

_OPEN_CLASS = regex.compile(r"\[\^|\[一-龥|\[\\u4e00|\.|\\[wWSDp]|\\p\{")


def _group_end(src: str, i: int) -> int:
    """Index just after the group opening at src[i] == '('."""
    depth, k, in_class = 0, i, False
    while k < len(src):
        c = src[k]
        if c == "\\":
            k += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return k + 1
        k += 1
    raise ValueError(f"unbalanced: {src}")


def _first_atom(src: str) -> tuple[str, bool]:
    """The first consuming piece of a pattern (leading lookarounds skipped, groups opened),
    and whether it is optional."""
    i = 0
    while src.startswith(("(?<!", "(?<=", "(?!", "(?="), i):
        i = _group_end(src, i)
    while src.startswith(("(?:", "(?P<"), i):
        end = _group_end(src, i)
        if end < len(src) and src[end] in "?*" or src.startswith("{0", end):
            return src[i:end], True
        i = src.index(">", i) + 1 if src.startswith("(?P<", i) else i + 3
    return src[i : i + 8], False


def test_no_field_pattern_starts_with_an_open_class_or_an_optional_part():
    # regex tries a pattern at every position of the text; a pattern that starts with its label
    # (or a digit, or a line start) fails at once almost everywhere, one that starts with
    # [一-龥], . or an optional group does real work at every character (issue 7)
    offenders = []
    for group in patterns.load().patterns.values():
        for pat in group:
            if "|" in pat.source and not pat.source.startswith(("(?", "(")):
                head = pat.source.split("|", 1)[0]  # a top-level alternation: each branch's start
            else:
                head = pat.source
            atom, optional = _first_atom(head)
            if optional or _OPEN_CLASS.match(atom):
                offenders.append((pat.id, atom))
    assert offenders == []


def test_the_start_check_sees_what_it_forbids():
    assert _first_atom(r"(?:\d{4}年)?(?P<label>年末)") == (r"(?:\d{4}年)", True)
    assert _OPEN_CLASS.match(_first_atom(r"(?<!上年)(?P<name>[一-龥]{2,8})局")[0])
    assert _first_atom(r"(?<!上年)(?P<label>(?:收入|总收入))")[0].startswith("收入")

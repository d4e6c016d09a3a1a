"""One time budget and one memory limit for a whole document (issue 17).

The time budget covers reading, fields and rules; in the main thread an alarm stops a regex
scan that is under way. The memory limit turns an allocation past ``--max-memory`` into a
one-line error. Slow stages are made slow on purpose (a regex scan that takes minutes), so
that no test depends on how fast the machine is: without the budget they would not end.
"""

from __future__ import annotations

import io
import signal
import subprocess
import sys
import threading
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
import regex

from extractor import limits, pipeline
from extractor.cli import main
from extractor.errors import LimitExceeded
from extractor.limits import Limits
from extractor.numbers import parse_arabic
from extractor.pipeline import extract, extract_bytes, extract_text
from extractor.readers import read_bytes
from extractor.readers.html_markup import MAX_OPTIONS, check_markup

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "samples" / "yushui-gsl-2023"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# Quadratic in the run of digits (the lookahead rescans it from every start): minutes on 200,000.
SLOW_SCAN = regex.compile(r"\d+(?=[\d,.]*元)")


def _scan_forever(*args, **kwargs):
    SLOW_SCAN.search("1" * 200_000)
    raise AssertionError("the scan ended before the budget")


# -- time ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stage", "target"), [("extracting the fields", "extract_report"), ("checking the rules", "run_rules")]
)
def test_budget_stops_a_regex_scan_in_fields_and_rules(monkeypatch, stage, target):
    if target == "run_rules":
        import extractor.rules

        monkeypatch.setattr(extractor.rules, "run_rules", _scan_forever)
    else:
        monkeypatch.setattr(pipeline, "extract_report", _scan_forever)
    with limits.use(max_seconds=0.3), pytest.raises(LimitExceeded) as err:
        extract(SEED.with_suffix(".txt"))
    assert err.value.limit == "max_seconds" and f"stopped while {stage}" in str(err.value)
    assert str(err.value).startswith(f"{SEED.with_suffix('.txt')}: took longer than 0.3 s")
    assert signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None) and signal.getitimer(signal.ITIMER_REAL)[0] == 0


def test_cli_time_budget_covers_fields_one_line_exit_2(monkeypatch, capsys):
    monkeypatch.setattr(pipeline, "extract_report", _scan_forever)
    path = str(SEED.with_suffix(".docx"))
    for command in (["extract", path, "--json"], ["verify", path]):
        assert main([*command, "--time-budget", "0.3", "--lang", "en"]) == 2
        out, err = capsys.readouterr()
        assert out == "" and err.count("\n") == 1
        assert err.startswith(
            f"error: {path}: processing took too long (took longer than 0.3 s, stopped while extracting the fields"
        )
        assert "--time-budget or EXTRACTOR_MAX_SECONDS" in err
        assert main([*command, "--time-budget", "0.3"]) == 2  # in Chinese by default
        assert capsys.readouterr().err.startswith(f"错误：{path}：处理时间超过上限（用时超过 0.3 秒，停在提取字段")


def test_readers_inside_a_document_share_its_clock():
    with limits.document("doc.txt", Limits(max_seconds=5)) as outer:
        inner = Limits(max_seconds=100).budget("doc.txt")  # what a reader makes for itself
        assert inner.started == outer.started and inner.deadline == outer.deadline
        assert Limits(max_seconds=1).budget().deadline < outer.deadline  # a tighter one still binds
        with limits.document("doc.txt") as again:
            assert again is outer  # one budget per document, however deep the calls
    doc = read_bytes(SEED.with_suffix(".txt").read_bytes(), name="seed.txt")
    assert extract_bytes(SEED.with_suffix(".txt").read_bytes(), name="seed.txt").report == extract_text(doc.text).report


def test_alarm_puts_back_a_previous_handler_and_timer():
    def mine(*args):
        pass

    previous = signal.signal(signal.SIGALRM, mine)
    try:
        signal.setitimer(signal.ITIMER_REAL, 30)
        extract_text("2023年度收入总计145.16万元。")
        left = signal.getitimer(signal.ITIMER_REAL)[0]
        assert 0 < left <= 30 and signal.getsignal(signal.SIGALRM) is mine
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_outside_the_main_thread_no_alarm_is_set():
    results = []
    worker = threading.Thread(target=lambda: results.append(extract_text("2023年度收入总计145.16万元。")))
    worker.start()
    worker.join()
    assert results and results[0].report.revenue.total is not None
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0


# -- memory -------------------------------------------------------------------------------------------------


def _docx(body: bytes, members: dict[str, bytes] | None = None) -> bytes:
    xml = (
        b'<?xml version="1.0"?><w:document xmlns:w="' + W_NS.encode() + b'"><w:body>' + body + b"</w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", xml)
        for name, data in (members or {}).items():
            z.writestr(name, data)
    return buffer.getvalue()


RUN = b"<w:r><w:t>x</w:t><w:tab/></w:r>"  # 31 bytes: 3 million of them inflate to 93 MB


# cli.py in a child that writes its peak resident memory (VmHWM, which starts afresh at exec,
# unlike ru_maxrss, which a child forked from pytest inherits) to the file named in argv[1].
_PEAK = (
    "import atexit, runpy, sys\n"
    "out = sys.argv.pop(1)\n"
    "def peak():\n"
    "    kb = [l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n"
    "    open(out, 'w').write(kb)\n"
    "atexit.register(peak)\n"
    "sys.argv[0] = 'cli.py'\n"
    "runpy.run_path('cli.py', run_name='__main__')\n"
)


def _cli(args: list[str], tmp_path: Path) -> tuple[int, str, float]:
    """Run cli.py in a child; (exit code, stderr, peak resident MiB of the child)."""
    if not Path("/proc/self/status").exists():
        pytest.skip("needs /proc to measure the child's peak memory")
    out = tmp_path / "peak.kb"
    done = subprocess.run(
        [sys.executable, "-c", _PEAK, str(out), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        timeout=900,
    )
    return done.returncode, done.stderr.decode(), int(out.read_text()) / 1024


def test_docx_of_three_million_tiny_runs_in_one_paragraph_is_one_line_under_the_memory_limit(tmp_path):
    bomb = _docx(b"<w:p>" + RUN * 3_000_000 + b"</w:p>")  # one paragraph: its tree is ~1.2 GB
    assert len(bomb) < 300_000
    path = tmp_path / "runs.docx"
    path.write_bytes(bomb)
    code, err, peak = _cli(["extract", str(path), "--max-memory", "400M", "--lang", "en"], tmp_path)
    assert code == 2 and err.count("\n") == 1, err
    assert err.startswith(f"error: {path}: out of memory") and "--max-memory or EXTRACTOR_MAX_MEMORY" in err, err
    assert peak < 400 + 100  # resident memory also counts the code of the libraries, which the limit does not


def test_docx_of_a_million_tiny_runs_in_paragraphs_reads_within_the_limit(tmp_path):
    bomb = _docx((b"<w:p>" + b"<w:r><w:t>x</w:t></w:r>" * 1000 + b"</w:p>") * 1000)  # streamed: a paragraph at a time
    path = tmp_path / "paragraphs.docx"
    path.write_bytes(bomb)
    out = tmp_path / "peak.kb"
    code = (
        "import sys\n"
        "from extractor.limits import apply_memory_limit\n"
        "from extractor.readers import read\n"
        "apply_memory_limit(256 * 2**20)\n"  # what a worker does
        "assert len(read(sys.argv[1]).text) == 1000 * 1001 - 1\n"
        "kb = [l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n"
        "open(sys.argv[2], 'w').write(kb)\n"
    )
    if not Path("/proc/self/status").exists():
        pytest.skip("needs /proc to measure the child's peak memory")
    done = subprocess.run(
        [sys.executable, "-c", code, str(path), str(out)], capture_output=True, text=True, cwd=ROOT, timeout=600
    )
    assert done.returncode == 0, done.stderr
    assert int(out.read_text()) / 1024 < 256  # its whole tree took 420 MB before the body was streamed


def test_styles_bomb_costs_only_heading_detection():
    styles = b"".join(
        b'<w:style w:styleId="s%d"><w:name w:val="s%d"/><w:basedOn w:val="s%d"/></w:style>' % (i, i, i + 1)
        for i in range(300_000)
    )  # one chain of 300,000 styles
    styles_xml = b'<?xml version="1.0"?><w:styles xmlns:w="' + W_NS.encode() + b'">' + styles + b"</w:styles>"
    body = b"".join(
        b'<w:p><w:pPr><w:pStyle w:val="s%d"/></w:pPr><w:r><w:t>x</w:t></w:r></w:p>' % (7 * i) for i in range(2000)
    )
    doc = read_bytes(_docx(body, {"word/styles.xml": styles_xml}), name="styles.docx")
    assert doc.text == "\n".join(["x"] * 2000)


def test_a_long_chain_of_styles_is_walked_once():
    chain = b"".join(
        b'<w:style w:styleId="s%d"><w:name w:val="s%d"/><w:basedOn w:val="s%d"/></w:style>' % (i, i, i + 1)
        for i in range(5000)
    )
    chain += b'<w:style w:styleId="s5000"><w:name w:val="heading 1"/></w:style>'
    styles_xml = b'<?xml version="1.0"?><w:styles xmlns:w="' + W_NS.encode() + b'">' + chain + b"</w:styles>"
    body = b"".join(
        b'<w:p><w:pPr><w:pStyle w:val="s%d"/></w:pPr><w:r><w:t>t%d</w:t></w:r></w:p>' % (i, i)
        for i in range(0, 5000, 5)
    )
    doc = read_bytes(_docx(body, {"word/styles.xml": styles_xml}), name="chain.docx")
    assert {b.kind for b in doc.blocks if b.kind in ("heading", "paragraph")} == {"heading"}  # all based on heading 1


def test_apply_memory_limit_is_what_a_worker_calls():
    code = (
        "from extractor.limits import apply_memory_limit\n"
        "apply_memory_limit(200 * 2**20)\n"
        "try:\n    bytearray(300 * 2**20)\nexcept MemoryError:\n    print('capped')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.stdout.strip() == "capped", done.stderr


def test_memory_cap_is_lifted_after_the_block():
    resource = pytest.importorskip("resource")
    which = getattr(resource, "RLIMIT_DATA", resource.RLIMIT_AS)
    before = resource.getrlimit(which)
    with limits.memory_cap(1024 * 2**20):
        soft, hard = resource.getrlimit(which)
        assert hard == before[1] and soft == (
            1024 * 2**20 if hard == resource.RLIM_INFINITY else min(1024 * 2**20, hard)
        )
    assert resource.getrlimit(which) == before


def test_max_memory_flag_and_variable(monkeypatch):
    assert Limits().max_memory == 2 * 2**30
    assert Limits.from_env({"EXTRACTOR_MAX_MEMORY": "3G"}).max_memory == 3 * 2**30
    with pytest.raises(SystemExit) as exc:
        main(["extract", str(SEED.with_suffix(".txt")), "--max-memory", "lots"])
    assert exc.value.code == 3


# -- parsers that cannot be stopped: checked first ---------------------------------------------------------------


def test_distinct_formatting_tags_left_open_are_refused_before_lexbor():
    page = b"<html><body>" + b"".join(b"<b id=%d>x" % i for i in range(40_000))  # 30 s in lexbor
    with pytest.raises(LimitExceeded) as err:
        read_bytes(page, name="bold.html")
    assert err.value.limit == "max_nesting" and "40,000 deep" in str(err.value)


def test_formatting_tags_too_slow_for_the_time_left_are_refused():
    cell = "".join(f"<b id={i}>x" for i in range(900))  # under the nesting limit, 900 per cell
    page = "<html><body><table><tr>" + f"<td>{cell}</td>" * 60 + "</tr></table>"
    budget = Limits(max_seconds=0.5).budget("cells.html")
    with pytest.raises(LimitExceeded) as err:
        check_markup(page, budget)
    assert err.value.limit == "max_seconds"


def test_many_options_become_line_breaks_before_lexbor():
    page = "<html><body><p>收入总计145.16万元</p><select>" + "<option value=1>x</option>" * 30_000 + "</select>"
    checked = check_markup(page, Limits().budget("select.html"))
    assert "<option" not in checked and checked.count("<br data-option") == 30_000
    small = "<html><body><select>" + "<option>x" * (MAX_OPTIONS // 2) + "</select>" + "<p>y</p>" * 6000
    assert check_markup(small, Limits().budget("small.html")) == small
    assert "收入总计145.16万元" in read_bytes(page.encode(), name="select.html").text


# -- numbers -----------------------------------------------------------------------------------------------------


def test_a_run_of_digits_is_not_a_number():
    assert parse_arabic("1" * 1000).value == Decimal("1" * 1000) and parse_arabic("1" * 1001) is None
    assert parse_arabic("1" * 1_000_000) is None and parse_arabic("0." + "5" * 1001) is None
    assert parse_arabic("1,234,567,890.25").decimals == 2
    extract_text("2023年度收入总计" + "1" * 200_000 + "万元")  # Decimal overflowed on 10^200000 x 10^4


def test_an_alarm_swallowed_once_comes_again():
    # code that swallows the first BudgetExpired (a GC callback, a __del__, a bare except in a
    # library) must not leave the document running unbounded: the scans never end on their own
    swallowed = []
    with pytest.raises(LimitExceeded, match="took longer"):
        with limits.use(max_seconds=0.05), limits.document("swallow.txt"):
            try:
                _scan_forever()
            except limits.BudgetExpired:
                swallowed.append(True)
            _scan_forever()
    assert swallowed == [True]

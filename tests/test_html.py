"""The auditor's page without a browser: exact HTML from ``highlight``, and pages that escape
everything, keep every value and finding, and load nothing from the network."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractor import extract_text
from extractor.model import Finding, dump
from extractor.output.html import highlight, page_name, render_index, render_report, write_site
from extractor.output.html_values import collect_values

HOSTILE = (
    '<script>window.__pwned = 1; alert("x")</script>\n'
    '<img src=x onerror="window.__pwned = 2">\n'
    '<a href="javascript:window.__pwned = 3">点我</a>\n'
    '</textarea><svg onload="window.__pwned = 4"></svg>\n'
    "\"' & </mark></div></body>\n"
)


@pytest.mark.parametrize(
    ("text", "spans", "expected"),
    [
        pytest.param("abc", [], "abc", id="no-spans"),
        pytest.param("abcd", [(1, 3)], "a<mark>bc</mark>d", id="one"),
        pytest.param(
            "abcd", [(0, 3, {"a": "1"}), (1, 2, {"b": "2"})], '<mark a="1">a<mark b="2">b</mark>c</mark>d', id="nested"
        ),
        pytest.param(
            "abcd",
            [(1, 2, {"b": "2"}), (0, 3, {"a": "1"})],
            '<mark a="1">a<mark b="2">b</mark>c</mark>d',
            id="nested-given-inner-first",
        ),
        pytest.param(
            "abcd",
            [(0, 4, {"a": "1"}), (0, 2, {"b": "2"})],
            '<mark a="1"><mark b="2">ab</mark>cd</mark>',
            id="nested-same-start",
        ),
        pytest.param(
            "abcdef",
            [(0, 3, {"a": "1", "id": "x"}), (1, 5, {"b": "2", "id": "y"})],
            '<mark a="1" id="x">a<mark b="2" id="y">bc</mark></mark><mark b="2">de</mark>f',
            id="overlapping-reopens-without-id",
        ),
        pytest.param(
            "abcde",
            [(0, 3, {"a": "1"}), (1, 4, {"b": "2"}), (2, 5, {"c": "3"})],
            '<mark a="1">a<mark b="2">b<mark c="3">c</mark></mark></mark>'
            '<mark b="2"><mark c="3">d</mark></mark><mark c="3">e</mark>',
            id="staircase",
        ),
        pytest.param(
            "abcd",
            [(0, 2, {"a": "1"}), (2, 4, {"b": "2"})],
            '<mark a="1">ab</mark><mark b="2">cd</mark>',
            id="adjacent",
        ),
        pytest.param(
            "ab",
            [(0, 2, {"a": "1"}), (0, 2, {"b": "2"})],
            '<mark a="1"><mark b="2">ab</mark></mark>',
            id="identical-in-given-order",
        ),
        pytest.param("ab", [(1, 1, {"e": "1"})], 'a<mark e="1"></mark>b', id="empty"),
        pytest.param(
            "ab",
            [(0, 2, {"a": "1"}), (1, 1, {"e": "1"})],
            '<mark a="1">a<mark e="1"></mark>b</mark>',
            id="empty-inside",
        ),
        pytest.param(
            "ab",
            [(0, 1, {"a": "1"}), (1, 1, {"e": "1"})],
            '<mark a="1">a</mark><mark e="1"></mark>b',
            id="empty-at-end-of-another",
        ),
        pytest.param(
            "ab",
            [(1, 9), (-3, 1, {"a": "1"}), (2, 1, {"r": "1"})],
            '<mark a="1">a</mark><mark>b</mark>',
            id="clipped-and-reversed-dropped",
        ),
        pytest.param(
            "收入145.16万元",
            [(2, 10, {"title": "1451600 元"})],
            '收入<mark title="1451600 元">145.16万元</mark>',
            id="chinese-code-points",
        ),
        pytest.param(
            "x", [(0, 1, {"id": "v0", "tabindex": "0"})], '<mark id="v0" tabindex="0">x</mark>', id="first-piece-attrs"
        ),
    ],
)
def test_highlight_exact(text, spans, expected):
    assert highlight(text, spans) == expected


def test_highlight_escapes_hostile_text_and_attributes():
    text = "<script>alert(1)</script>&\"'"
    out = highlight(text, [(0, 8, {"data-tip": '"><img src=x onerror=alert(1)>'})])
    assert out == (
        '<mark data-tip="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">&lt;script&gt;</mark>'
        "alert(1)&lt;/script&gt;&amp;&quot;&#x27;"
    )


def test_highlight_rejects_a_bad_attribute_name():
    with pytest.raises(ValueError):
        highlight("ab", [(0, 1, {'x"><script': "1"})])


class _Checker(HTMLParser):
    """Fails on a close tag that does not match the open one; collects the text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.text, self.ids = [], [], []

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)
        self.ids += [v for k, v in attrs if k == "id"]

    def handle_endtag(self, tag):
        assert self.stack and self.stack.pop() == tag

    def handle_data(self, data):
        self.text.append(data)


@given(
    text=st.text(alphabet="ab<>&\"'收元\n", max_size=30),
    spans=st.lists(st.tuples(st.integers(-2, 32), st.integers(-2, 32)), max_size=8),
)
def test_highlight_is_well_formed_and_keeps_the_text(text, spans):
    out = highlight(text, [(s, e, {"id": f"s{i}"}) for i, (s, e) in enumerate(spans)])
    checker = _Checker()
    checker.feed(out)
    checker.close()
    assert checker.stack == []
    assert "".join(checker.text) == text
    assert len(checker.ids) == len(set(checker.ids))  # an id is never repeated on a reopened piece
    assert "<" not in re.sub(r"</?mark[^>]*>", "", out)


def _seed():
    with open("samples/yushui-gsl-2023.txt", encoding="utf-8") as fh:
        return extract_text(fh.read(), verify=False, path="samples/yushui-gsl-2023.txt")


def test_report_page_marks_every_value_with_its_name_value_and_pattern():
    ex = _seed()
    page = render_report(ex)
    values = collect_values(dump(ex.report))
    # as the report wrote it, with its yuan for the hover
    assert any(v.path == "report.revenue.total" and (v.display, v.yuan) == ("145.16万元", "1451600元") for v in values)
    tips = [html.unescape(t) for t in re.findall(r'data-tip="([^"]*)"', page)]
    for v in values:
        assert any(v.label in t for t in tips), v.path
    assert any("收入总计\n145.16万元（1451600元）\n第 " in t for t in tips)
    assert 'data-pattern="revenue.total.label"' in page
    assert not any("report." in t for t in tips)  # names for people, not JSON paths
    # the text survives highlighting: strip the marks and unescape, and it is the document
    doc = re.search(r'<div class="doc" lang="zh-CN">(.*?)</div>\n</article>', page, re.S).group(1)
    assert html.unescape(re.sub(r"</?mark[^>]*>", "", doc)) == ex.document.text


def test_report_page_lists_findings_and_what_is_missing():
    ex = _seed()
    total = ex.report.expenditure.total
    ex.findings = [
        Finding(
            rule="TST001",
            severity="error",
            message="支出合计不符",
            fields=["report.expenditure.total"],
            spans=[total.span],
            expected="1461600",
            found="1451600",
        ),
        Finding(rule="TST002", severity="info", message="缺少预算数，未核对", fields=["report.budget.total"]),
        Finding(rule="TST003", severity="warning", message="按字段定位", fields=["report.expenditure.by_function"]),
    ]
    page = render_report(ex)
    assert 'data-finding="0" data-first=' in page and "<dd>1461600</dd>" in page
    assert re.search(r'<mark [^>]*data-f="0"', page)
    assert re.search(r'<mark [^>]*data-f="2"', page)  # no spans: marked through its field's values
    assert "缺少预算数" in page and "涉及：支出（按功能分类）" in page
    assert "没有缺失的字段。" in page  # a department's report: everything it is expected to state is found
    # the findings come first, and the badges link to them
    assert page.index('id="findings-error"') < page.index("关键数据") < page.index('id="findings-info"')
    assert '<a class="badge error" href="#findings-error">错误 1</a>' in page
    assert (
        '<span class="badge warning zero">' not in page and '<a class="badge warning" href="#findings-warning">' in page
    )


def test_report_page_shows_hidden_characters_in_the_evidence():
    ex = extract_text("示例县文化馆2023年度部门整体支出绩效自评报告\n收入总计\u202e145.16万元。\n", verify=False)
    page = render_report(ex)
    assert "\u202e" not in page
    assert '<span class="cc" title="U+202E RIGHT-TO-LEFT OVERRIDE">U+202E</span>' in page


def test_project_report_page_shows_its_budget_and_points_not_a_department_s_gaps():
    from extractor import extract

    page = render_report(extract("samples/shuili-yskh-2023.txt"))
    figures = re.search(r'<table class="kv">(.*?)</table>', page, re.S).group(1)
    for name in ("年初预算数", "全年预算数", "全年执行数", "预算执行率"):
        assert f"<th>{name}</th>" in figures
    assert 'title="年初预算数：800000元">80.00万元</a>' in figures  # as written, yuan on hover
    assert "<th>编制人数</th>" not in figures and "未找到" not in figures
    assert "项目支出" in page and "department_overall" not in page and "project" not in re.sub(r"<[^>]+>", "", page)
    ex = extract("samples/shuili-yskh-2023.txt")
    ex.report.budget.adjusted = None
    missing = re.search(r'<ul class="missing">(.*?)</ul>', render_report(ex)).group(1)
    assert missing == "<li>全年预算数</li>"  # what a project report is expected to state, by name


def test_hostile_report_page_runs_nothing_and_loads_nothing():
    ex = extract_text(HOSTILE + "收入总计145.16万元。\n", verify=False)
    page = render_report(ex)
    assert page.count("<script>") == 1  # ours, allowed by its hash; the document's is text
    for bad in ("<img", "<svg", '<a href="javascript', "</textarea>", 'onerror="window'):
        assert bad not in page
    assert "&lt;script&gt;window.__pwned" in page
    csp = html.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1))
    assert "default-src 'none'" in csp and "'unsafe-inline'" not in csp
    assert not re.search(r"(src|href)=\"(https?:)?//", page)


def test_index_escapes_and_links_each_row(tmp_path):
    rows = [
        {
            "department": "<b>单位</b>",
            "year": 2023,
            "kind": "project",
            "score": "88",
            "grade": "良",
            "errors": 1,
            "warnings": 0,
            "path": "a.txt",
            "href": "a%20b.html",
        },
        {"path": "bad.pdf", "error": "bad.pdf: <encrypted>"},
    ]
    page = render_index(rows)
    assert "&lt;b&gt;单位&lt;/b&gt;" in page and '<a href="a%20b.html">' in page
    assert "bad.pdf: &lt;encrypted&gt;" in page and 'data-grade="良"' in page
    assert ">项目支出<" in page and "1 份报告，另有 1 个文件无法读取" in page


def test_index_lists_most_errors_first_and_unreadable_files_apart():
    def row(path, errors, warnings):
        return {"department": path, "year": 2023, "errors": errors, "warnings": warnings, "path": path, "href": "x"}

    rows = [row("a", 0, 5), row("b", 2, 0), {"path": "bad.pdf", "error": "bad.pdf：文件为空"}, row("c", 2, 3)]
    page = render_index(rows)
    body = re.search(r'<table class="idx" id="idx">(.*?)</table>', page, re.S).group(1)
    assert re.findall(r'<a href="x">(\w)</a>', body) == ["c", "b", "a"]
    assert "bad.pdf" not in body and '<h2 id="unreadable">无法读取的文件（1）</h2>' in page
    assert '<th data-type="num" aria-sort="descending"><button type="button">错误</button></th>' in page


def test_write_site_keeps_going_after_a_bad_file(tmp_path):
    site = write_site(
        [("samples/yushui-gsl-2023.txt", _seed()), ("broken.pdf", ValueError("cannot read"))], tmp_path / "site"
    )
    index = site.index
    assert [r["path"] for r in site.failed] == ["broken.pdf"]
    pages = sorted(p.name for p in index.parent.iterdir())
    assert "index.html" in pages and len(pages) == 2
    text = index.read_text(encoding="utf-8")
    assert "cannot read" in text and "新余市渝水区工商业联合会" in text


@pytest.mark.parametrize(
    ("path", "sha", "expected"),
    [
        ("dir/报告 2023.docx", "0123456789abcdef", "报告_2023-0123456789.html"),
        ("../../etc/<x>.txt", None, "x.html"),
        ("", None, "report.html"),
    ],
)
def test_page_name_is_a_safe_file_name(path, sha, expected):
    assert page_name(path, sha) == expected


def test_cli_report_one_file_batch_and_db(tmp_path, capsys):
    from extractor.cli import main

    seed = "samples/yushui-gsl-2023.txt"
    assert main(["report", seed, "-o", str(tmp_path / "one.html")]) == 0
    assert "新余市渝水区工商业联合会" in (tmp_path / "one.html").read_text(encoding="utf-8")

    assert main(["report", seed, str(tmp_path / "missing.pdf"), "-o", str(tmp_path / "site")]) == 2
    assert "missing.pdf" in capsys.readouterr().err  # one line, and the batch still wrote its index
    assert "missing.pdf" in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")

    db = _store(tmp_path / "reports.sqlite", seed)
    assert main(["report", "--db", str(db), "-o", str(tmp_path / "db")]) == 2  # the stored unreadable file
    index = (tmp_path / "db" / "index.html").read_text(encoding="utf-8")
    assert "新余市渝水区工商业联合会" in index and "scan.pdf：文件已加密，请先解除密码（encrypted）" in index
    assert len(list((tmp_path / "db").glob("*.html"))) == 2
    assert main(["report", "--db", str(tmp_path / "none.sqlite"), "-o", str(tmp_path / "x")]) == 2
    (tmp_path / "junk.sqlite").write_bytes(b"not a database at all, not even close" * 40)
    assert main(["report", "--db", str(tmp_path / "junk.sqlite"), "-o", str(tmp_path / "x")]) == 2


def _store(db, path):
    """A store holding one report (written with the store's own functions) and one unreadable file."""
    from extractor import extract, to_json
    from extractor.store import connect, flatten_findings, flatten_values, write_document

    ex = extract(path)
    record = to_json(ex)
    report, findings = dump(ex.report), dump(ex.findings)
    conn = connect(db)
    common = {"tool_version": "test", "patterns_version": "test"}
    write_document(
        conn,
        {
            "sha256": ex.source.sha256,
            "format": "txt",
            "status": "ok",
            "record": record,
            "text": ex.document.text,
            "values": flatten_values(report),
            "findings": flatten_findings(findings),
        },
        [path],
        **common,
    )
    write_document(
        conn,
        {"sha256": "unreadable:x", "status": "error", "error_code": "encrypted", "error": "scan.pdf: encrypted"},
        ["scan.pdf"],
        **common,
    )
    conn.close()
    return db


@pytest.mark.parametrize(
    "argv",
    [["report", "-o", "x.html"], ["report", "a.txt", "--db", "r.sqlite", "-o", "x"], ["report", "a.txt"]],
    ids=["nothing", "both", "no-output"],
)
def test_cli_report_usage_errors_exit_3(argv):
    from extractor.cli import main

    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 3


def test_pdf_page_breaks_are_shown_without_changing_the_text():
    from extractor import extract

    page = render_report(extract("samples/qinghe-whg-2022.pdf"))
    assert '<mark class="pg" data-page="2"></mark>' in page

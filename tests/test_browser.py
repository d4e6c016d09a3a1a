"""The auditor's pages in a real browser: Debian's headless Chromium driven by Playwright.

Checks what only a browser can: the findings are on the first screen of a laptop (1366×768), a
badge takes the reader to its findings, a finding's click marks and shows its evidence, the
visible text is Chinese (no English enum, no JSON path), a U+202E cannot turn the evidence
around, a hostile report runs nothing, the index puts the reports with most errors first, keeps
unreadable files apart and shows the cross-report findings. Screenshots go to
artifacts/screenshots/ (kept by CI as test artifacts).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from extractor import extract, extract_text
from extractor.model import Finding
from extractor.output.html import render_report, write_site

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SHOTS = ROOT / "artifacts" / "screenshots"
LAPTOP = {"width": 1366, "height": 768}
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
HOSTILE = """示例县<script>window.__pwned = "script"; alert("script")</script>统计局2023年度部门整体支出绩效自评报告

一、部门基本情况
<img src="x" onerror="window.__pwned = 'img'; alert('img')">
<a href="javascript:window.__pwned='link'">查看附件</a> </textarea><textarea>
<svg onload="window.__pwned = 'svg'"></svg><iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>
编制人数5人，实有人数5人。
二、绩效自评结论
收入总计88.8万元，支出总计88.8万元。综合得分为91分，评价等级为“优”。" onmouseover="window.__pwned='attr'
"""
# What must not show in a Chinese auditor's page: the record's enums and JSON paths, and English
# severities (rule codes such as SUM001 are codes, and stay).
ENGLISH = re.compile(
    r"report\.|\b(department_overall|final_accounts|project|unknown|error|warning|info|"
    r"expected|found|null)\b"
)


def _chromium() -> str | None:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install '.[test]')")
    executable = _chromium()
    if executable is None:
        pytest.skip("no Chromium at /usr/bin/chromium (apt-get install -y chromium); browser tests skipped")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Watched:
    """A page and what it did that a safe page must not: dialogs, errors, network requests."""

    def __init__(self, browser, path: Path, viewport=LAPTOP):
        self.page = browser.new_page(viewport=viewport)
        self.dialogs, self.errors, self.requests = [], [], []
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.url = path.as_uri()
        self.page.goto(self.url)

    def outside_requests(self) -> list[str]:
        return [u for u in self.requests if u.split("#")[0] != self.url]


def _shot(page, name: str, **options) -> None:
    page.screenshot(path=str(SHOTS / name), **options)


def _inconsistent_report(tmp_path: Path) -> Path:
    """The Qinghe sample with two figures changed: an item that breaks the sums, a total score off."""
    text = (SAMPLES / "qinghe-whg-2022.txt").read_text(encoding="utf-8")
    text = text.replace("事业收入23.70万元", "事业收入24.70万元").replace("自评得分87.5分", "自评得分88.5分")
    path = tmp_path / "qinghe-2022-changed.txt"
    path.write_text(text, encoding="utf-8")
    return path


def _visible_text(page) -> str:
    return page.evaluate("document.body.innerText")


def test_findings_fill_the_first_screen_and_a_click_shows_the_evidence(browser, tmp_path):
    from playwright.sync_api import expect

    ex = extract(_inconsistent_report(tmp_path))
    assert len([f for f in ex.findings if f.severity == "error"]) >= 2
    page_path = tmp_path / "qinghe.html"
    page_path.write_text(render_report(ex), encoding="utf-8")
    w = Watched(browser, page_path)
    page = w.page

    # the first screen of a laptop holds the badges and every error
    expect(page.locator("nav.badges a.badge.error")).to_be_in_viewport()
    for item in page.locator("li.finding.error").all():
        expect(item).to_be_in_viewport()
    _shot(page, "report-findings.png")

    button = page.locator("li.finding.error", has_text="SUM001").locator("button")
    k = button.get_attribute("data-first")
    button.click()
    mark = page.locator(f"#v{k}")
    expect(mark).to_be_in_viewport()
    expect(mark).to_have_class(re.compile(r"\bhit\b"))
    expect(page.locator("li.finding.error", has_text="SUM001")).to_have_class(re.compile(r"\bsel\b"))
    tip = page.locator("#tip")
    expect(tip).to_contain_text("SUM001")
    _shot(page, "report-findings-clicked.png")

    # a key figure's link jumps to its highlight; hovering it shows its name, as written and in yuan
    revenue = ex.report.revenue.items[1].amount
    link = page.locator("table.tree tr", has_text="事业收入").locator("a.val").first
    link.click()
    target = page.locator(link.get_attribute("href"))
    expect(target).to_be_in_viewport()
    target.hover()
    expect(tip).to_be_visible()
    for part in ("收入构成·事业收入·金额", "24.70万元（247000元）", "第 12 行"):
        expect(tip).to_contain_text(part)
    expect(target).to_have_attribute("data-pattern", re.compile(re.escape(revenue.pattern)))
    assert not ENGLISH.search(tip.inner_text())
    _shot(page, "report-findings-hover.png")

    page.keyboard.press("Escape")  # keyboard users get the same: focusing a highlight shows its tip
    expect(tip).to_be_hidden()
    page.locator(f"#v{k}").focus()
    expect(tip).to_contain_text("收入")

    page.emulate_media(media="print")  # prints cleanly: one column, no tooltip, at A4 width
    page.set_viewport_size({"width": 794, "height": 1123})
    assert page.evaluate("getComputedStyle(document.querySelector('aside')).position") == "static"
    expect(tip).to_be_hidden()
    _shot(page, "report-findings-print.png", full_page=True)
    assert not w.errors and not w.dialogs and not w.outside_requests()
    page.close()


def test_a_badge_jumps_to_its_findings(browser, tmp_path):
    from playwright.sync_api import expect

    ex = extract(SAMPLES / "yushui-gsl-2023.txt")
    # many errors push the warnings and what could not be checked far below the first screen
    ex.findings[:0] = [
        Finding(
            rule="TST001",
            severity="error",
            message=f"测试发现第{i}条：支出总计与各项之和不符。",
            fields=["report.expenditure.total"],
            spans=[ex.report.expenditure.total.span],
        )
        for i in range(1, 25)
    ]
    page_path = tmp_path / "yushui.html"
    page_path.write_text(render_report(ex), encoding="utf-8")
    w = Watched(browser, page_path)
    page = w.page
    info = page.locator("#findings-info")
    assert info.count() == 1
    expect(info).not_to_be_in_viewport()
    page.locator("nav.badges a.badge.info").click()
    expect(info).to_be_in_viewport()
    page.locator("nav.badges a.badge.warning").click()
    expect(page.locator("#findings-warning")).to_be_in_viewport()
    expect(page.locator("#findings-warning + ol button").first).to_be_focused()
    _shot(page, "report-badge-jump.png")
    assert not w.errors
    page.close()


def test_no_english_enum_or_json_path_in_what_a_reader_sees(browser, tmp_path):
    pages = {
        "department": extract(SAMPLES / "nanhu-tyzx-2023.txt"),
        "project": extract(SAMPLES / "shuili-yskh-2023.txt"),
        "final-accounts": extract(SAMPLES / "xishan-nfzx-2023.txt"),
    }
    for name, ex in pages.items():
        path = tmp_path / f"{name}.html"
        path.write_text(render_report(ex), encoding="utf-8")
        w = Watched(browser, path)
        seen = [_visible_text(w.page)]
        for mark in w.page.locator("mark.hl").all()[:40]:  # the tips too
            mark.hover()
            seen.append(w.page.locator("#tip").inner_text())
        for link in w.page.locator("a.val, span.val").all():
            seen.append(link.get_attribute("title") or "")
        doc = ex.document.text
        hits = [m.group() for t in seen for m in ENGLISH.finditer(t) if m.group() not in doc]
        assert hits == [], (name, hits[:10])
        w.page.close()


def test_project_report_shows_its_budget_spending_rate_and_points(browser, tmp_path):
    from playwright.sync_api import expect

    path = tmp_path / "shuili.html"
    path.write_text(render_report(extract(SAMPLES / "shuili-yskh-2023.txt")), encoding="utf-8")
    w = Watched(browser, path)
    page = w.page
    figures = page.locator("table.kv").first
    for name, shown in (
        ("年初预算数", "80.00万元"),
        ("全年预算数", "85.00万元"),
        ("全年执行数", "82.45万元"),
        ("预算执行率", "97.00%"),
    ):
        row = figures.locator("tr", has_text=name)
        expect(row.locator("a.val")).to_have_text(shown)
        expect(row).to_be_in_viewport()
    expect(page.locator("table.tree tr", has_text="预算执行率").first).to_contain_text("10分")  # the money row's points
    assert "未找到" not in figures.inner_text()
    _shot(page, "report-project.png")
    assert not w.errors
    page.close()


def test_a_right_to_left_override_cannot_turn_the_evidence_around(browser, tmp_path):
    from playwright.sync_api import expect

    ex = extract_text(
        "示例县文化馆2023年度部门整体支出绩效自评报告\n二、收支情况\n收入总计\u202e145.16万元，支出总计145.16万元。\n",
        path="spoofed.txt",
    )
    path = tmp_path / "spoofed.html"
    path.write_text(render_report(ex), encoding="utf-8")
    w = Watched(browser, path)
    page = w.page
    line = page.locator(".doc").inner_text().splitlines()[2]
    assert line.startswith("收入总计U+202E145.16万元")  # in reading order, the control named where it stood
    assert "元万61.541" not in _visible_text(page)
    badge = page.locator(".doc .cc")
    expect(badge).to_have_attribute("title", "U+202E RIGHT-TO-LEFT OVERRIDE")
    # the page draws the characters left to right: the digit 1 stands left of the 万 after it
    box = page.evaluate("""() => {
        const doc = document.querySelector('.doc'), walker = document.createTreeWalker(doc, NodeFilter.SHOW_TEXT);
        let node; while ((node = walker.nextNode())) { const i = node.data.indexOf('145.16万元'); if (i >= 0) {
            const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1); const one = r.getBoundingClientRect();
            r.setStart(node, i + 6); r.setEnd(node, i + 7); const wan = r.getBoundingClientRect();
            return [one.left, wan.left]; } } return null; }""")
    assert box and box[0] < box[1]
    _shot(page, "report-rtl-override.png")
    page.close()


def test_hostile_report_runs_nothing(browser, tmp_path):
    from playwright.sync_api import expect

    src = tmp_path / "hostile.txt"
    src.write_text(HOSTILE, encoding="utf-8")
    ex = extract(src)
    page_path = tmp_path / "hostile.html"
    page_path.write_text(render_report(ex), encoding="utf-8")
    w = Watched(browser, page_path)
    page = w.page

    doc = page.locator(".doc")
    expect(doc).to_contain_text("<script>window.__pwned")  # shown as text
    expect(doc).to_contain_text("</textarea><textarea>")
    assert doc.locator("script, img, svg, iframe, a, textarea").count() == 0
    for el in doc.locator("mark").all():  # hover everything, in case a handler got in
        el.hover()
    page.get_by_text("查看附件").click()
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.url == w.url
    assert w.dialogs == [] and w.errors == [] and w.outside_requests() == []
    # Our own script did run (the CSP allows it by hash): the tooltip works.
    page.locator("mark.hl").first.hover()
    expect(page.locator("#tip")).to_be_visible()
    _shot(page, "report-hostile.png")
    page.close()

    # Control: the same text pasted into a page unescaped does run, so the checks above can fail.
    raw = tmp_path / "raw.html"
    raw.write_text(f"<!DOCTYPE html><meta charset=utf-8><body>{HOSTILE}</body>", encoding="utf-8")
    control = Watched(browser, raw)
    control.page.wait_for_function("typeof window.__pwned !== 'undefined'")
    assert control.dialogs
    control.page.close()


def _rows(page) -> list[dict]:
    return page.evaluate("""Array.from(document.querySelectorAll('#idx tbody tr')).map(r => ({
        score: r.cells[3].getAttribute('data-v'), grade: r.getAttribute('data-grade'), hidden: r.hidden,
        errors: +r.cells[5].getAttribute('data-v'), warnings: +r.cells[6].getAttribute('data-v'),
        cross: +r.cells[7].getAttribute('data-v')}))""")


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    """A small archive: one unit over two years with a broken carry-over chain, an inconsistent
    report, the team's samples and a file that cannot be read."""
    from extractor.ingest import ingest

    folder = tmp_path_factory.mktemp("archive")
    qinghe = (SAMPLES / "qinghe-whg-2022.txt").read_text(encoding="utf-8")
    (folder / "qinghe-2022.txt").write_text(qinghe, encoding="utf-8")
    (folder / "qinghe-2023.txt").write_text(
        qinghe.replace("2022", "2023").replace("年初结转和结余12.40万元", "年初结转和结余9.90万元"), encoding="utf-8"
    )
    (folder / "qinghe-2021-changed.txt").write_text(
        _inconsistent_report(folder).read_text(encoding="utf-8").replace("2022", "2021"), encoding="utf-8"
    )
    (folder / "qinghe-2022-changed.txt").unlink()
    for name in ("nanhu-tyzx-2023.txt", "shuili-yskh-2023.txt", "xishan-nfzx-2023.txt", "yushui-gsl-2023.txt"):
        shutil.copy(SAMPLES / name, folder / name)
    (folder / "nongye-2021.txt").write_text(
        "示例县农业农村局2021年度部门整体支出绩效自评报告\n\n一、部门基本情况\n编制人数12人，实有人数11人。\n"
        "二、绩效自评结论\n经自评，综合得分为62.5分，评价等级为“中”。\n",
        encoding="utf-8",
    )
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\nnot really a pdf")
    db = folder / "reports.sqlite"
    ingest([folder], db, workers=1, quiet=True)
    return db


def test_index_puts_errors_first_keeps_unreadable_files_apart_and_shows_cross_report_findings(browser, store, tmp_path):
    from playwright.sync_api import expect

    from extractor.audit import audit
    from extractor.output.html import items_from_db

    site = write_site(items_from_db(store), tmp_path / "site", cross=audit(store))
    w = Watched(browser, site.index)
    page = w.page
    rows = _rows(page)
    n = len(rows)
    assert n == 8 and len(site.failed) == 1
    expect(page.locator("#count")).to_have_text(f"{n} / {n}")  # reports only: the unreadable file is apart
    expect(page.locator("header .src")).to_have_text("8 份报告，另有 1 个文件无法读取")
    order = [(-r["errors"], -r["warnings"]) for r in rows]
    assert order == sorted(order) and rows[0]["errors"] > 0  # most errors first, as it opens
    expect(page.locator("th", has_text="错误")).to_have_attribute("aria-sort", "descending")
    unreadable = page.locator("table.idx.failed")
    expect(unreadable).to_contain_text("broken.pdf")
    expect(unreadable).to_contain_text("PDF")
    assert page.locator("#idx", has_text="broken.pdf").count() == 0
    # XR001 twice: 2021 carries out 8.90 where 2022 carries in 12.40, 2022 out 8.90 where 2023 in 9.90
    assert sorted(r["cross"] for r in rows if r["cross"]) == [1, 1, 2]
    assert not ENGLISH.search(_visible_text(page))
    _shot(page, "index.png", full_page=True)

    page.locator("th", has_text="自评得分").locator("button").click()  # a number sorts largest first
    scores = [r["score"] for r in _rows(page)]
    numbers = [float(s) for s in scores if s]
    assert numbers == sorted(numbers, reverse=True) and numbers[-1] == 62.5
    assert all(not s for s in scores[len(numbers) :])  # reports without a score sort last
    page.locator("th", has_text="自评得分").locator("button").click()
    numbers = [float(r["score"]) for r in _rows(page) if r["score"]]
    assert numbers == sorted(numbers)
    _shot(page, "index-sorted.png")

    page.select_option("#grade", "良")
    shown = [r for r in _rows(page) if not r["hidden"]]
    assert shown and all(r["grade"] == "良" for r in shown)
    expect(page.locator("#count")).to_have_text(f"{len(shown)} / {n}")

    page.select_option("#grade", "")
    page.locator("td.cross a").first.click()  # the cross-report findings, on the report's own page
    expect(page.locator("#findings-cross")).to_be_in_viewport()
    expect(page.locator("#findings-cross + ol")).to_contain_text("XR001")
    _shot(page, "report-cross.png")
    assert not w.errors and not w.dialogs
    page.close()

"""The auditor's pages in a real browser: Debian's headless Chromium driven by Playwright.

Checks what only a browser can: a finding's click marks and shows its evidence, a hostile
report runs nothing, the index sorts and filters. Screenshots go to artifacts/screenshots/.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from extractor import extract
from extractor.model import Finding
from extractor.output.html import render_report, write_site

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
HOSTILE = """示例县<script>window.__pwned = "script"; alert("script")</script>统计局2023年度部门整体支出绩效自评报告

一、部门基本情况
<img src="x" onerror="window.__pwned = 'img'; alert('img')">
<a href="javascript:window.__pwned='link'">查看附件</a> </textarea><textarea>
<svg onload="window.__pwned = 'svg'"></svg><iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>
编制人数5人，实有人数5人。
二、绩效自评结论
收入总计88.8万元，支出总计88.8万元。综合得分为91分，评价等级为“优”。" onmouseover="window.__pwned='attr'
"""


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

    def __init__(self, browser, path: Path):
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.dialogs, self.errors, self.requests = [], [], []
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.url = path.as_uri()
        self.page.goto(self.url)

    def outside_requests(self) -> list[str]:
        return [u for u in self.requests if u.split("#")[0] != self.url]


def _shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / name))


def test_seed_page_finding_click_marks_and_shows_its_span(browser, tmp_path):
    from playwright.sync_api import expect

    ex = extract(SAMPLES / "yushui-gsl-2023.txt")
    total = ex.report.expenditure.total
    # An error with a span, so the click is tested whatever the verifier finds in the seed today.
    ex.findings.insert(0, Finding(rule="TST001", severity="error", message="支出总计与各项之和不符（测试）",
                                  fields=["report.expenditure.total"], spans=[total.span],
                                  expected="1461600", found="1451600"))
    page_path = tmp_path / "yushui.html"
    page_path.write_text(render_report(ex), encoding="utf-8")
    w = Watched(browser, page_path)
    page = w.page

    button = page.locator('button[data-finding="0"]')
    k = button.get_attribute("data-first")
    button.click()
    mark = page.locator(f"#v{k}")
    expect(mark).to_be_in_viewport()
    expect(mark).to_have_class(re.compile(r"\bhit\b"))
    pieces = page.locator(f'mark[data-k="{k}"]').all_text_contents()
    assert "".join(pieces) == ex.document.text[total.span[0]:total.span[1]]
    expect(page.locator("li#finding-0")).to_have_class(re.compile(r"\bsel\b"))
    expect(page.locator("#tip")).to_contain_text("report.expenditure.total")
    expect(page.locator("#tip")).to_contain_text("TST001")
    _shot(page, "report-seed-finding.png")

    # A key figure's link jumps to its highlight; hovering it shows path, yuan and pattern.
    revenue = ex.report.revenue.total
    link = page.locator("table.kv tr", has_text="收入总计").locator("a.val")
    link.click()
    target = page.locator(link.get_attribute("href"))
    expect(target).to_be_in_viewport()
    target.hover()
    tip = page.locator("#tip")
    expect(tip).to_be_visible()
    for part in ("report.revenue.total", "1451600 元", f"模式 {revenue.pattern}"):
        expect(tip).to_contain_text(part)
    _shot(page, "report-seed-hover.png")

    # Keyboard users get the same: focusing a highlight shows its tip.
    page.keyboard.press("Escape")
    expect(tip).to_be_hidden()
    page.locator(f"#v{k}").focus()
    expect(tip).to_contain_text("report.expenditure.total")

    page.emulate_media(media="print")  # prints cleanly: one column, no tooltip, at A4 width
    page.set_viewport_size({"width": 794, "height": 1123})
    assert page.evaluate("getComputedStyle(document.querySelector('aside')).position") == "static"
    expect(tip).to_be_hidden()
    page.screenshot(path=str(SHOTS / "report-seed-print.png"), full_page=True)
    assert not w.errors and not w.dialogs and not w.outside_requests()
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
        score: r.cells[3].getAttribute('data-v'), grade: r.getAttribute('data-grade'), hidden: r.hidden}))""")


def test_batch_index_sorts_filters_and_links(browser, tmp_path):
    from playwright.sync_api import expect

    extra = tmp_path / "nongye-2021.txt"
    extra.write_text("示例县农业农村局2021年度部门整体支出绩效自评报告\n\n一、部门基本情况\n编制人数12人，实有人数11人。\n"
                     "二、绩效自评结论\n经自评，综合得分为62.5分，评价等级为“中”。\n", encoding="utf-8")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\nnot really a pdf")
    items = []
    for path in [*sorted(SAMPLES.glob("*-20??.*")), extra, broken]:
        try:
            items.append((str(path), extract(path)))
        except Exception as exc:  # noqa: BLE001 - the batch keeps the error as a row
            items.append((str(path), exc))
    index = write_site(items, tmp_path / "site").index
    w = Watched(browser, index)
    page = w.page
    n = len(items)
    expect(page.locator("#count")).to_have_text(f"{n} / {n}")

    page.locator("th", has_text="总分").locator("button").click()
    scores = [r["score"] for r in _rows(page)]
    numbers = [float(s) for s in scores if s]
    assert numbers == sorted(numbers) and numbers[0] == 62.5
    assert all(not s for s in scores[len(numbers):])  # reports without a score sort last
    page.locator("th", has_text="总分").locator("button").click()
    numbers = [float(r["score"]) for r in _rows(page) if r["score"]]
    assert numbers == sorted(numbers, reverse=True)
    expect(page.locator("th", has_text="总分")).to_have_attribute("aria-sort", "descending")
    _shot(page, "index-sorted.png")

    page.select_option("#grade", "良")
    shown = [r for r in _rows(page) if not r["hidden"]]
    assert shown and all(r["grade"] == "良" for r in shown)
    expect(page.locator("#count")).to_have_text(f"{len(shown)} / {n}")
    _shot(page, "index-filtered.png")

    page.locator("#idx tbody tr:not([hidden]) a").first.click()
    expect(page.locator("h1")).to_contain_text("2022")
    assert not w.errors and not w.dialogs
    page.close()

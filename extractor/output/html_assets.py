"""The CSS and JavaScript inlined into the auditor's pages (html.py), kept apart as constants.

They are constants on purpose: the pages' Content-Security-Policy allows exactly these
scripts and styles by their sha256 hash, so nothing else (not even text smuggled into a
report) can run or style the page. No script reads HTML from data; it only toggles classes
and sets ``textContent``.
"""

from __future__ import annotations

import base64
import hashlib

from ..i18n import N_

# Field groups, in the order the legend shows them: (class suffix, Chinese label).
GROUPS = (
    ("meta", N_("基本信息")),
    ("headcount", N_("人员")),
    ("revenue", N_("收入")),
    ("expenditure", N_("支出")),
    ("budget", N_("结转与预算")),
    ("indicators", N_("指标")),
    ("score", N_("得分与等级")),
)

_FONTS = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB", '
    '"Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif'
)
_SERIF = '"Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", SimSun, serif'

BASE_CSS = """
:root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --panel: #f6f8fa;
  --err: #cf222e; --warn: #9a6700; --info: #59636e; }
* { box-sizing: border-box; }
html { font-family: %(fonts)s; color: var(--fg); line-height: 1.6; }
body { margin: 0; }
header.top { padding: .5rem 1.2rem; border-bottom: 1px solid var(--line); background: var(--panel); }
header.top h1 { font-size: 1.15rem; margin: 0 0 .1rem; line-height: 1.4; }
.muted, .src { color: var(--muted); font-size: .85rem; }
code { font-family: ui-monospace, "Noto Sans Mono CJK SC", monospace; font-size: .85em; }
.badge { display: inline-block; padding: 0 .45rem; border-radius: 1rem; font-size: .8rem;
  border: 1px solid currentColor; }
.badge.error { color: var(--err); } .badge.warning { color: var(--warn); } .badge.info { color: var(--info); }
.badge.cross { color: #0550ae; }
a.badge { text-decoration: none; cursor: pointer; } a.badge:hover, a.badge:focus-visible { background: #fff; outline: 1px solid; }
.badge.zero { opacity: .55; }
/* a character the document hides (U+202E, a zero-width space) shown by its code point */
.cc { display: inline-block; font: .7rem/1.2 ui-monospace, monospace; color: #fff; background: var(--err);
  border-radius: 2px; padding: 0 .15rem; margin: 0 .05rem; vertical-align: baseline; unicode-bidi: isolate; }
@media print {
  @page { margin: 14mm; }
  html { font-size: 10.5pt; }
  header.top { background: none; }
  .noprint { display: none !important; }
  a { color: inherit; text-decoration: none; }
}
""".replace("%(fonts)s", _FONTS)

_GROUP_COLOURS = {  # background, border: pale fills so nested highlights stay readable
    "meta": ("#dbeafe", "#1d4ed8"),
    "headcount": ("#dcfce7", "#15803d"),
    "revenue": ("#fef9c3", "#a16207"),
    "expenditure": ("#f3e8ff", "#7e22ce"),
    "budget": ("#cffafe", "#0e7490"),
    "indicators": ("#fce7f3", "#be185d"),
    "score": ("#ffedd5", "#c2410c"),
}

REPORT_CSS = (
    BASE_CSS
    + "".join(f".g-{g} {{ --bg: {bg}; --bd: {bd}; }}\n" for g, (bg, bd) in _GROUP_COLOURS.items())
    + """
main { display: grid; grid-template-columns: minmax(20rem, 27rem) 1fr; align-items: start; }
aside { position: sticky; top: 0; max-height: 100vh; overflow: auto; padding: .8rem 1rem;
  border-right: 1px solid var(--line); font-size: .9rem; }
aside h2 { font-size: 1rem; margin: .8rem 0 .4rem; border-bottom: 1px solid var(--line); }
aside section:first-child h2 { margin-top: 0; }
h3[id^=findings-], section[id] { scroll-margin-top: .5rem; }
h3.flash { animation: flash 1.4s ease-out 1; }
li.finding.xr ul.reports { margin: .1rem 0 0; padding-left: 1.1rem; font-size: .8rem; }
aside h3 { font-size: .9rem; margin: .6rem 0 .2rem; }
table.kv { border-collapse: collapse; width: 100%; }
table.kv th { text-align: left; font-weight: normal; color: var(--muted); white-space: nowrap;
  padding: .1rem .6rem .1rem 0; vertical-align: top; }
table.kv td { padding: .1rem 0; }
table.kv td.num, table.tree td.num { text-align: right; white-space: nowrap; }
table.tree { border-collapse: collapse; width: 100%; }
table.tree th, table.tree td { border-bottom: 1px solid var(--line); padding: .1rem .3rem; }
table.tree th { text-align: left; font-weight: normal; color: var(--muted); }
table.tree th.num { text-align: right; }
table.tree tr.total td { font-weight: bold; }
.lvl-2 { padding-left: 1.2rem !important; } .lvl-3 { padding-left: 2.4rem !important; }
.lvl-4 { padding-left: 3.6rem !important; }
a.val { color: inherit; text-decoration: none; background: var(--bg); border-bottom: 2px solid var(--bd);
  border-radius: 2px; padding: 0 .15rem; }
a.val:hover, a.val:focus { outline: 2px solid var(--bd); }
.none { color: var(--muted); font-style: italic; }
.derived { color: var(--muted); }
.legend span { display: inline-block; margin: .1rem .4rem .1rem 0; padding: 0 .3rem; font-size: .8rem;
  background: var(--bg); border-bottom: 2px solid var(--bd); }
ol.findings { list-style: none; padding: 0; margin: 0; }
li.finding { border-left: 4px solid var(--info); padding: .2rem .5rem; margin: .35rem 0; background: #fff; }
li.finding.error { border-color: var(--err); } li.finding.warning { border-color: var(--warn); }
li.finding.sel { background: #fff8c5; }
li.finding button { all: unset; cursor: pointer; display: block; }
li.finding button:focus-visible { outline: 2px solid #0969da; }
li.finding .rule { font-family: ui-monospace, monospace; font-weight: bold; margin-right: .3rem; }
li.finding .nospan { color: var(--muted); font-size: .8rem; }
dl.ef { display: grid; grid-template-columns: auto 1fr; gap: 0 .5rem; margin: .2rem 0 0; font-size: .85rem; }
dl.ef dt { color: var(--muted); } dl.ef dd { margin: 0; word-break: break-all; }
.fieldlist { font-size: .75rem; color: var(--muted); word-break: break-all; }
ul.missing { padding-left: 1.1rem; margin: .2rem 0; font-size: .85rem; }
article { padding: 1rem 1.6rem 4rem; min-width: 0; }
.doc { white-space: pre-wrap; overflow-wrap: anywhere; font-family: %(serif)s; font-size: 1.02rem;
  line-height: 1.9; max-width: 52rem; }
mark { color: inherit; background: none; }
mark.hl { background: var(--bg); border-bottom: 2px solid var(--bd); border-radius: 2px; cursor: help; }
mark.hl mark.hl { border-bottom-style: double; border-bottom-width: 3px; }
mark.nm { background: none; border-bottom: 1px dashed var(--bd); }
mark.fs { text-decoration: underline wavy var(--info); text-underline-offset: 4px; }
mark.fs.fs-error { text-decoration-color: var(--err); }
mark.fs.fs-warning { text-decoration-color: var(--warn); }
mark:empty { display: inline-block; width: 2px; height: 1.1em; vertical-align: text-bottom;
  background: var(--err); }
mark.pg { display: block; width: auto; height: auto; background: none; margin: .6rem 0;
  border-top: 1px dashed var(--line); text-align: center; }
mark.pg::before { content: "第 " attr(data-page) " 页"; color: var(--muted); font-size: .75rem;
  font-family: %(fonts)s; }
mark.hit { outline: 2px solid var(--err); background: #ffd8d3; scroll-margin: 30vh; }
mark.flash { animation: flash 1.4s ease-out 1; }
@keyframes flash { from { box-shadow: 0 0 0 4px #0969da; } to { box-shadow: 0 0 0 0 transparent; } }
mark:target { scroll-margin: 30vh; }
#tip { position: absolute; z-index: 10; max-width: 30rem; background: #1f2328; color: #fff;
  font-size: .8rem; line-height: 1.45; padding: .35rem .55rem; border-radius: 4px; pointer-events: none;
  white-space: pre-wrap; box-shadow: 0 2px 8px rgba(0,0,0,.25); }
#tip .path { font-family: ui-monospace, monospace; color: #9ecbff; }
#tip > div + div { border-top: 1px solid #57606a; margin-top: .25rem; padding-top: .25rem; }
@media print {
  main { display: block; }
  aside { position: static; max-height: none; overflow: visible; border: 0; padding: 0; max-width: 34rem; }
  article { padding: 0; break-before: page; }
  .doc { max-width: none; font-size: 10.5pt; }
  li.finding { break-inside: avoid; }
  mark, a.val, .legend span { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  mark.hit { outline: none; }
  #tip { display: none; }
}
""".replace("%(serif)s", _SERIF).replace("%(fonts)s", _FONTS)
)

INDEX_CSS = (
    BASE_CSS
    + """
.tools { padding: .6rem 1.2rem; display: flex; gap: .6rem; flex-wrap: wrap; align-items: center; }
.tools input, .tools select { font: inherit; padding: .15rem .35rem; }
table.idx { border-collapse: collapse; margin: 0 1.2rem 2rem; }
table.idx th, table.idx td { border-bottom: 1px solid var(--line); padding: .25rem .6rem; text-align: left;
  white-space: nowrap; }
table.idx td.wrap { white-space: normal; overflow-wrap: anywhere; max-width: 28rem; }
table.idx td.num { text-align: right; }
table.idx th button { all: unset; cursor: pointer; font-weight: bold; }
table.idx th button:focus-visible { outline: 2px solid #0969da; }
table.idx th[aria-sort=ascending] button::after { content: " ▲"; }
table.idx th[aria-sort=descending] button::after { content: " ▼"; }
table.idx td.err { color: var(--err); font-weight: bold; }
table.idx td.cross a { color: #0550ae; }
h2#unreadable { font-size: 1rem; margin: 1.2rem 1.2rem .4rem; color: var(--err); }
table.idx.failed td { white-space: normal; overflow-wrap: anywhere; max-width: 40rem; }
@media print { table.idx { width: 100%; margin: 0; } th button::after { content: "" !important; } }
"""
)

REPORT_JS = r"""
(function () {
  "use strict";
  var tip = document.getElementById("tip");
  // The marks covering a point: the innermost one and every mark around it.
  function chain(el) {
    var out = [], m = el.closest ? el.closest("mark.hl, mark.fs") : null;
    while (m) { out.push(m); m = m.parentElement ? m.parentElement.closest("mark.hl, mark.fs") : null; }
    return out;
  }
  function showTip(el) {
    var marks = chain(el).filter(function (m) { return m.hasAttribute("data-tip"); });
    if (!marks.length) { hideTip(); return; }
    while (tip.firstChild) tip.removeChild(tip.firstChild);
    // data-tip: one block per value, blank-line separated; a block's first line is its path.
    marks.forEach(function (m) {
      m.getAttribute("data-tip").split("\n\n").forEach(function (block) {
        var box = document.createElement("div");
        block.split("\n").forEach(function (line, i) {
          var row = document.createElement("div");
          if (i === 0) row.className = "path";
          row.textContent = line;
          box.appendChild(row);
        });
        tip.appendChild(box);
      });
    });
    var r = marks[0].getBoundingClientRect();
    tip.hidden = false;
    var left = Math.max(4, Math.min(r.left, document.documentElement.clientWidth - tip.offsetWidth - 8));
    tip.style.left = (left + window.scrollX) + "px";
    tip.style.top = (r.bottom + window.scrollY + 6) + "px";
  }
  function hideTip() { tip.hidden = true; }
  // Hide only when the pointer leaves the marks: a finding's click shows its tip, and the
  // pointer still resting on the button must not hide it.
  document.addEventListener("mouseover", function (e) {
    if (e.target.closest && e.target.closest("mark")) showTip(e.target);
  });
  document.addEventListener("mouseout", function (e) {
    var to = e.relatedTarget;
    if (e.target.closest && e.target.closest("mark") && !(to && to.closest && to.closest("mark"))) hideTip();
  });
  document.addEventListener("focusin", function (e) {
    if (e.target.matches && e.target.matches("mark")) showTip(e.target); else hideTip();
  });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") hideTip(); });

  var hits = [];
  function clear() {
    hits.forEach(function (m) { m.classList.remove("hit"); });
    hits = [];
    document.querySelectorAll("li.finding.sel").forEach(function (li) { li.classList.remove("sel"); });
  }
  // A finding's evidence: every mark piece carrying its index in data-f.
  function showFinding(button) {
    clear();
    var i = button.getAttribute("data-finding");
    hits = Array.prototype.slice.call(document.querySelectorAll('mark[data-f~="' + i + '"]'));
    hits.forEach(function (m) { m.classList.add("hit"); });
    button.closest("li.finding").classList.add("sel");
    var first = button.hasAttribute("data-first") ? document.getElementById("v" + button.getAttribute("data-first"))
      : hits[0];
    if (first) {
      first.scrollIntoView({block: "center"});
      showTip(first);
    }
  }
  function flash(k) {
    document.querySelectorAll('mark[data-k="' + k + '"]').forEach(function (m) {
      m.classList.remove("flash"); void m.offsetWidth; m.classList.add("flash");
    });
  }
  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("button[data-finding]");
    if (b) { showFinding(b); return; }
    var badge = e.target.closest && e.target.closest("a.badge[href^='#findings-']");
    if (badge) {
      var h = document.getElementById(badge.getAttribute("href").slice(1));
      if (h) {
        e.preventDefault();
        h.scrollIntoView({block: "start"});
        h.classList.remove("flash"); void h.offsetWidth; h.classList.add("flash");
        var first = h.nextElementSibling && h.nextElementSibling.querySelector("button[data-finding]");
        if (first) first.focus({preventScroll: true});
      }
      return;
    }
    var a = e.target.closest && e.target.closest("a.val[data-k]");
    if (a) flash(a.getAttribute("data-k"));
  });
})();
"""

INDEX_JS = r"""
(function () {
  "use strict";
  var table = document.getElementById("idx"), body = table.tBodies[0];
  var q = document.getElementById("q"), count = document.getElementById("count");
  var selects = Array.prototype.slice.call(document.querySelectorAll("select[data-filter]"));
  function cellValue(row, col, type) {
    if (!row.cells[col]) return null;
    var v = row.cells[col].getAttribute("data-v");
    if (type === "num") return v === null || v === "" ? null : parseFloat(v);
    return v === null ? row.cells[col].textContent : v;
  }
  function sortBy(th) {
    var col = th.cellIndex, type = th.getAttribute("data-type"), now = th.getAttribute("aria-sort");
    // a column sorts the other way on a second click; counts and scores sort largest first
    var dir = now ? (now === "ascending" ? -1 : 1) : (type === "num" ? -1 : 1);
    table.querySelectorAll("th[aria-sort]").forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, col, type), y = cellValue(b, col, type);
      if (x === null || y === null) return x === y ? 0 : (x === null ? 1 : -1);  // blanks last
      var c = type === "num" ? x - y : String(x).localeCompare(String(y), "zh-CN");
      return c !== 0 ? dir * c : (+a.getAttribute("data-i")) - (+b.getAttribute("data-i"));
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  function filter() {
    var needle = q.value.trim().toLowerCase(), shown = 0;
    Array.prototype.forEach.call(body.rows, function (r) {
      var ok = !needle || r.textContent.toLowerCase().indexOf(needle) >= 0;
      selects.forEach(function (s) {
        if (s.value && r.getAttribute("data-" + s.getAttribute("data-filter")) !== s.value) ok = false;
      });
      r.hidden = !ok;
      if (ok) shown++;
    });
    count.textContent = shown + " / " + body.rows.length;
  }
  table.querySelectorAll("th button").forEach(function (b) {
    b.addEventListener("click", function () { sortBy(b.closest("th")); });
  });
  q.addEventListener("input", filter);
  selects.forEach(function (s) { s.addEventListener("change", filter); });
  filter();
})();
"""


def csp_hash(source: str) -> str:
    """The CSP source expression that allows exactly this inline script or style."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii") + "'"


def csp(script: str, style: str) -> str:
    """A policy that forbids every network load and every script or style but ours."""
    return (
        f"default-src 'none'; script-src {csp_hash(script)}; style-src {csp_hash(style)}; "
        "img-src 'none'; font-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'"
    )

"""A batch of auditor's pages: one page per report and an index.html to sort and filter them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from ..display import field_name, kind_name, severity_name
from ..i18n import N_, _
from .html_assets import INDEX_CSS, INDEX_JS, csp
from .html_parts import counted, esc, page_head
from .visible import visible_html

# Index columns: (row key, header, sort type); a header is a registry field's name or one of these.
COLUMNS = (
    ("department", "department", "text"),
    ("year", "fiscal_year", "num"),
    ("kind", "kind", "text"),
    ("score", "total_score", "num"),
    ("grade", "grade", "text"),
    ("errors", "error", "num"),
    ("warnings", "warning", "num"),
    ("cross", N_("跨报告"), "num"),
    ("path", N_("文件"), "text"),
)
# the index's own words (marked here: Babel does not see a call inside an f-string)
INDEX_WORDS = {
    "unknown_unit": N_("（未识别单位）"),
    "unreadable": N_("无法读取的文件"),
    "file": N_("文件"),
    "why": N_("原因"),
    "filter": N_("筛选"),
    "filter_hint": N_("单位、文件名…"),
    "all": N_("全部"),
}


def word(key: str) -> str:
    return esc(_(INDEX_WORDS[key]))


# the order rows come in: most errors first, then most warnings (the index's first sort)
FIRST_SORT = "errors"
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|#%&{}$!\'@`=+\s\ud800-\udfff\ufffd]+')
# A page name's stem in UTF-8 bytes: with "-" + 10 hex + ".html" it stays far below the 255
# bytes a file name may have (a Chinese character is 3 bytes, so 80 characters were not).
MAX_STEM_BYTES = 120


def page_name(path: str, sha256: str | None) -> str:
    """A file name for a report's page: its file's stem, made safe, and a short hash (unique).

    Safe for any name: separators, controls, shell and URL characters and undecodable bytes
    (surrogate escapes of a GBK name) become "_", and the stem is cut to ``MAX_STEM_BYTES``
    at a character boundary.
    """
    from ..store import display_path  # a GBK name the OS gave undecoded reads as its characters

    stem = _UNSAFE.sub("_", Path(display_path(path or "report")).stem).strip("._")
    stem = stem.encode("utf-8")[:MAX_STEM_BYTES].decode("utf-8", "ignore").strip("._") or "report"
    return f"{stem}-{sha256[:10]}.html" if sha256 else f"{stem}.html"


def index_row(data: Mapping, href: str | None, cross: Sequence[Mapping] = ()) -> dict:
    """The index row of one report: a FIELDS.md dict (as ``to_dict`` gives), its page, and the
    cross-report (XR) findings that name it."""
    r = data["report"]
    val = lambda k: (r.get(k) or {}).get("value")  # noqa: E731
    sev = [f["severity"] for f in data.get("findings", [])]
    return {
        "department": val("department"),
        "year": val("fiscal_year"),
        "kind": val("kind"),
        "score": val("total_score"),
        "grade": val("grade"),
        "errors": sev.count("error"),
        "warnings": sev.count("warning"),
        "cross": len(cross),
        "cross_notes": "\n".join(f"{f['rule']} {f['message']}" for f in cross),
        "path": data.get("source", {}).get("path"),
        "href": href,
    }


def _options(rows: list[Mapping], key: str, labels=None) -> str:
    seen = sorted({str(r[key]) for r in rows if r.get(key) not in (None, "")})
    return "".join(f'<option value="{esc(v)}">{esc(labels(v) if labels else v)}</option>' for v in seen)


def _cell(row: Mapping, key: str, kind: str) -> str:
    v = row.get(key)
    shown = "" if v is None else (kind_name(v) if key == "kind" else v)
    sort = "" if v is None else v
    body = visible_html(shown)
    if key == "department" and row.get("href"):
        body = f'<a href="{esc(row["href"])}">{body or word("unknown_unit")}</a>'
    cls = ' class="num"' if kind == "num" else (' class="wrap"' if key in ("department", "path") else "")
    if key == "errors" and v:
        cls = ' class="num err"'
    if key == "cross" and v:
        cls = ' class="num cross"'
        target = f"{esc(row['href'])}#findings-cross" if row.get("href") else ""
        body = f'<a href="{target}" title="{esc(row.get("cross_notes") or "")}">{body}</a>' if target else body
    return f'<td{cls} data-v="{esc(sort)}">{body}</td>'


def _header(key: str) -> str:
    return (
        severity_name(key)
        if key in ("error", "warning")
        else field_name(key)
        if "_" in key or key in ("department", "kind", "grade")
        else _(key)
    )


def first_sort(rows: Iterable[Mapping]) -> list[Mapping]:
    """Reports in the index's first order: most errors first, then most warnings, then by file."""
    return sorted(rows, key=lambda r: (-(r.get("errors") or 0), -(r.get("warnings") or 0), str(r.get("path") or "")))


def render_index(rows: Iterable[Mapping], *, title: str | None = None) -> str:
    """The batch index: one row per report, most errors first, sortable by column and filterable in
    the page; the files that could not be read listed apart, below.

    A row is a mapping with the keys of ``COLUMNS`` plus ``href`` (its page) and ``cross_notes``
    (its cross-report findings); a file that could not be read has ``path`` and ``error`` (the
    one-line message) only.
    """
    title = title or _("绩效自评报告核查")
    rows = list(rows)
    failed = [r for r in rows if r.get("error")]
    reports = first_sort(r for r in rows if not r.get("error"))
    body = []
    for i, row in enumerate(reports):
        cells = "".join(_cell(row, k, t) for k, _h, t in COLUMNS)
        body.append(
            f'<tr data-i="{i}" data-grade="{esc(row.get("grade") or "")}" '
            f'data-kind="{esc(row.get("kind") or "")}">{cells}</tr>'
        )
    sorted_by = ' aria-sort="descending"'
    heads = "".join(
        f'<th data-type="{t}"{sorted_by if k == FIRST_SORT else ""}>'
        f'<button type="button">{esc(_header(h))}</button></th>'
        for k, h, t in COLUMNS
    )
    unread = ""
    if failed:
        items = "".join(
            f'<tr><td class="wrap">{visible_html(r.get("path") or "")}</td>'
            f'<td class="wrap">{visible_html(r["error"])}</td></tr>'
            for r in failed
        )
        unread = (
            f'<h2 id="unreadable">{counted(_(INDEX_WORDS["unreadable"]), len(failed))}</h2>'
            f'<table class="idx failed"><thead><tr><th>{word("file")}</th><th>{word("why")}</th></tr>'
            f"</thead><tbody>{items}</tbody></table>"
        )
    summary = _("{n} 份报告").format(n=len(reports)) + (
        _("，另有 {n} 个文件无法读取").format(n=len(failed)) if failed else ""
    )
    head = page_head(title, INDEX_CSS, csp(INDEX_JS, INDEX_CSS))
    return f"""{head}
<body>
<header class="top"><h1>{esc(title)}</h1><div class="src">{esc(summary)}</div></header>
<div class="tools noprint">
<label>{word("filter")} <input id="q" type="search" placeholder="{word("filter_hint")}"></label>
<label>{esc(field_name("grade"))} <select id="grade" data-filter="grade"><option value="">{word("all")}</option>{_options(reports, "grade")}</select></label>
<label>{esc(field_name("kind"))} <select id="kind" data-filter="kind"><option value="">{word("all")}</option>{_options(reports, "kind", kind_name)}</select></label>
<span id="count" class="muted"></span>
</div>
<table class="idx" id="idx"><thead><tr>{heads}</tr></thead>
<tbody>{"".join(body)}</tbody></table>
{unread}
<script>{INDEX_JS}</script>
</body>
</html>
"""


@dataclass
class Site:
    """What ``write_site`` wrote: the index and its rows (failed files have an ``error``)."""

    index: Path
    rows: list[dict] = field(default_factory=list)

    @property
    def failed(self) -> list[dict]:
        return [r for r in self.rows if r.get("error")]


def items_from_files(paths: Iterable[str | Path], **options) -> Iterator[tuple[str, object]]:
    """``(path, Extraction)`` per file, or ``(path, exception)`` for a file that cannot be read."""
    from .. import extract

    for path in paths:
        try:
            yield str(path), extract(path, **options)
        except Exception as exc:  # noqa: BLE001 - one bad file is an error row, not the end of the batch
            yield str(path), exc


# One row per document at a current path, readable or not, with the record and text a page is
# made from (the store's tables: documents, paths, texts; see extractor/store_schema.py).
_DB_QUERY = """
SELECT (SELECT min(p.path) FROM paths p WHERE p.sha256 = d.sha256 AND p.state = 'current') AS path, d.sha256,
       d.status, d.error, d.error_code, d.record, t.text
FROM documents d LEFT JOIN texts t ON t.sha256 = d.sha256
WHERE EXISTS (SELECT 1 FROM paths p WHERE p.sha256 = d.sha256 AND p.state = 'current')
ORDER BY path, d.sha256
"""


def items_from_db(db: str | Path, **options) -> Iterator[tuple[str, object]]:
    """Every document of a SQLite store as ``(path, record dict with its text)``, no re-extraction.

    A document the store could not read comes back as ``(path, ReadError)``, to be an error row;
    one stored without its text is extracted again from its file when that is still there.
    The query runs here, at the call, so a bad store fails before any page is written.
    """
    import json
    import sqlite3

    from ..errors import NotFound, ReadError
    from ..store import StoreError, connect_readonly

    if not Path(db).is_file():
        raise NotFound(str(db), "no such database")
    try:  # read-only: rendering never changes the store (which may be on read-only media)
        con = connect_readonly(db, check=True)  # a damaged page met half-way would end the batch
        cur = con.execute(_DB_QUERY)
    except StoreError as exc:
        raise ReadError(None, str(exc)) from None
    except sqlite3.Error as exc:
        raise ReadError(str(db), f"not a report store, or a damaged one ({exc})") from None

    def rows():
        try:
            for path, sha, status, error, error_code, record, text in cur:
                path = path or f"sha256:{sha}"
                if status != "ok" or not record:
                    why = error or "not read"
                    err = ReadError(None, why if why.startswith(path) else f"{path}: {why}")
                    err.code = error_code or err.code  # the kind of error the store recorded
                    yield path, err
                elif text is None:
                    yield from items_from_files([path], **options)
                else:
                    yield path, {**json.loads(record), "text": text}
        finally:
            con.close()

    return rows()


def write_site(items: Iterable[tuple[str, object]], outdir: str | Path, *, cross: Sequence = ()) -> Site:
    """Write a page per report and ``index.html`` into ``outdir``.

    ``items`` yields ``(path, extraction)``, where extraction is an Extraction, a FIELDS.md
    dict with its text, or the exception that kept the file from being read: that file gets
    an error row and the batch goes on. ``cross``: the store's cross-report findings
    (``extractor.audit.AuditFinding``), shown on the page and the index row of each report they name.
    """
    from ..errors import describe
    from .html import as_data, render_report

    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    by_sha: dict[str, list[dict]] = {}
    for f in cross:
        item = f.as_dict() if hasattr(f, "as_dict") else dict(f)
        for ref in item.get("reports") or []:
            by_sha.setdefault(ref.get("sha256"), []).append(item)
    rows, pages, later = [], {}, []
    for path, result in items:
        if isinstance(result, BaseException):
            why = describe(result, path)
            rows.append({"path": path, "error": why})
            continue
        data = as_data(result)
        sha = data.get("source", {}).get("sha256")
        name = page_name(path, sha)
        pages[sha] = quote(name)
        mine = by_sha.get(sha, [])
        if mine:  # written once every page's name is known, so it links the other reports' pages
            later.append((name, data, mine))
        else:
            (out / name).write_text(render_report(data), encoding="utf-8")
        rows.append(index_row(data, quote(name), mine))
    for name, data, mine in later:
        (out / name).write_text(render_report(data, cross=mine, links=pages), encoding="utf-8")
    index = out / "index.html"
    index.write_text(render_index(rows), encoding="utf-8")
    return Site(index, rows)

"""A batch of auditor's pages: one page per report and an index.html to sort and filter them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from .html_assets import INDEX_CSS, INDEX_JS, csp
from .html_parts import KIND_LABELS, esc, page_head

# Index columns: (row key, header, sort type).
COLUMNS = (("department", "单位", "text"), ("year", "年度", "num"), ("kind", "类型", "text"),
           ("score", "总分", "num"), ("grade", "等级", "text"), ("errors", "错误", "num"),
           ("warnings", "警告", "num"), ("path", "文件", "text"))
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


def index_row(data: Mapping, href: str | None) -> dict:
    """The index row of one report: a FIELDS.md dict (as ``to_dict`` gives) and its page."""
    r = data["report"]
    val = lambda k: (r.get(k) or {}).get("value")  # noqa: E731
    sev = [f["severity"] for f in data.get("findings", [])]
    return {"department": val("department"), "year": val("fiscal_year"), "kind": val("kind"),
            "score": val("total_score"), "grade": val("grade"), "errors": sev.count("error"),
            "warnings": sev.count("warning"), "path": data.get("source", {}).get("path"), "href": href}


def _options(rows: list[Mapping], key: str, labels: Mapping[str, str] | None = None) -> str:
    seen = sorted({str(r[key]) for r in rows if r.get(key) not in (None, "")})
    return "".join(f'<option value="{esc(v)}">{esc((labels or {}).get(v, v))}</option>' for v in seen)


def _cell(row: Mapping, key: str, kind: str) -> str:
    v = row.get(key)
    shown = "" if v is None else (KIND_LABELS.get(v, v) if key == "kind" else v)
    sort = "" if v is None else v
    body = esc(shown)
    if key == "department" and row.get("href"):
        body = f'<a href="{esc(row["href"])}">{body or "（未识别单位）"}</a>'
    cls = ' class="num"' if kind == "num" else (' class="wrap"' if key in ("department", "path") else "")
    if key == "errors" and v:
        cls = ' class="num err"'
    return f'<td{cls} data-v="{esc(sort)}">{body}</td>'


def render_index(rows: Iterable[Mapping], *, title: str = "绩效自评报告核查") -> str:
    """The batch index: one row per report, sortable by column and filterable in the page.

    A row is a mapping with the keys of ``COLUMNS`` plus ``href`` (its page) and, for a file
    that could not be read, ``error`` (the one-line message): it stays in the table.
    """
    rows = list(rows)
    body = []
    for i, row in enumerate(rows):
        failed = bool(row.get("error"))
        cells = "".join(_cell(row, k, t) for k, _, t in COLUMNS)
        if failed:  # every column kept, so sorting and filtering treat it like any row
            cells = f'<td class="err wrap" data-v="">无法读取：{esc(row["error"])}</td>' + "".join(
                _cell(row, k, t) for k, _, t in COLUMNS[1:])
        body.append(f'<tr data-i="{i}" data-grade="{esc(row.get("grade") or "")}" '
                    f'data-kind="{esc(row.get("kind") or "")}"{" class=failed" if failed else ""}>{cells}</tr>')
    heads = "".join(f'<th data-type="{t}"><button type="button">{esc(h)}</button></th>' for _, h, t in COLUMNS)
    head = page_head(title, INDEX_CSS, csp(INDEX_JS, INDEX_CSS))
    return f"""{head}
<body>
<header class="top"><h1>{esc(title)}</h1><div class="src">{len(rows)} 份报告</div></header>
<div class="tools noprint">
<label>筛选 <input id="q" type="search" placeholder="单位、文件名…"></label>
<label>等级 <select id="grade" data-filter="grade"><option value="">全部</option>{_options(rows, "grade")}</select></label>
<label>类型 <select id="kind" data-filter="kind"><option value="">全部</option>{_options(rows, "kind", KIND_LABELS)}</select></label>
<span id="count" class="muted"></span>
</div>
<table class="idx" id="idx"><thead><tr>{heads}</tr></thead>
<tbody>{"".join(body)}</tbody></table>
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
       d.status, d.error, d.record, t.text
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
            for path, sha, status, error, record, text in cur:
                path = path or f"sha256:{sha}"
                if status != "ok" or not record:
                    why = error or "not read"
                    yield path, ReadError(None, why if why.startswith(path) else f"{path}: {why}")
                elif text is None:
                    yield from items_from_files([path], **options)
                else:
                    yield path, {**json.loads(record), "text": text}
        finally:
            con.close()

    return rows()


def write_site(items: Iterable[tuple[str, object]], outdir: str | Path) -> Site:
    """Write a page per report and ``index.html`` into ``outdir``.

    ``items`` yields ``(path, extraction)``, where extraction is an Extraction, a FIELDS.md
    dict with its text, or the exception that kept the file from being read: that file gets
    an error row and the batch goes on.
    """
    from .html import as_data, render_report

    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for path, result in items:
        if isinstance(result, BaseException):
            from ..errors import ReadError

            why = str(result) if isinstance(result, ReadError) else f"{path}: {type(result).__name__}: {result}"
            rows.append({"path": path, "error": why})
            continue
        data = as_data(result)
        name = page_name(path, data.get("source", {}).get("sha256"))
        (out / name).write_text(render_report(data), encoding="utf-8")
        rows.append(index_row(data, quote(name)))
    index = out / "index.html"
    index.write_text(render_index(rows), encoding="utf-8")
    return Site(index, rows)

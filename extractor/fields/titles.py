"""The report's title: candidate lines in the opening, past web chrome, contents, annex labels and
metadata labels; titles split over lines, glued to the body, or given only as a file name.

A candidate is a span of the folded text and where it came from; ``extract_title`` picks one, and
the unit's name may be read from the others (a page's generic heading, then the full title).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..patterns import compile_regex
from .common import Context
from .names import FILE_EXT, HAN, NameShape, agrees_with_self, is_han, strip_junk, trim_name

DEFAULT_TITLE_LINES = 60  # the title is near the top, after any web-page chrome
DEFAULT_FULLER_TITLE_LINES = 8  # a generic heading's full title follows within a few lines
MAX_TITLE_CHARS = 80
MAX_FRAGMENT_CHARS = 40
MAX_FRAGMENTS = 2  # a title split over up to three lines
MAX_WRAPPED_TAIL = 12  # the last words of a title wrapped onto the next line
_CLAUSE_MARKS = ",:"
_TITLE_JUNK = compile_regex(
    r"^(?:[A-Za-z]++\d*+|[^\w\s(\[])++[ _-]?(?=[" + HAN + "])"
)  # possessive: no backtracking into runs of letters


@dataclass(frozen=True, slots=True)
class Title:
    """A candidate title: [start, end) in the folded text, and how it was found (``line``, ``glued``,
    ``file`` for a file name, ``quoted`` for a name in 《…》)."""

    start: int
    end: int
    source: str
    line: int = 0


def _lines(text: str, limit: int) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.split("\n")[:limit]:
        out.append((pos, line))
        pos += len(line) + 1
    return out


def _kind_words(ctx: Context, late: bool = True) -> list[str]:
    """What a title may say it is about: a kind word, or 绩效 (with ``late``, also the weaker kind
    words, which make a title only beside a year)."""
    words = ctx.patterns.words
    sections = ("kind", "kind_late") if late else ("kind",)
    return [w for section in sections for ws in words[section].values() for w in ws] + words["title"]["subjects"]


def _has_sentence_end(ctx: Context, text: str) -> bool:
    return any(c in text for c in _words(ctx)["sentence_end"])


def _words(ctx: Context):
    return ctx.patterns.words["title"]


def _one(ctx: Context, field: str):
    return ctx.patterns.for_field(field)[0].regex


def title_candidates(ctx: Context) -> list[Title]:
    """Every title line in the opening, in text order; then any report named in 《…》 (found once
    per document: the title, the year and the unit's name all read them)."""
    found = ctx.memo.get("title_candidates")
    if found is None:
        lines = _lines(ctx.text, DEFAULT_TITLE_LINES)
        toc = _toc_lines(ctx, lines)
        found = []
        for i in range(len(lines)):
            if i not in toc and (cand := _title_on_line(ctx, lines, i)):
                found.append(cand)
                if cand.source in ("glued", "file"):  # a file's name too may be glued to the text
                    found += _later_on_line(ctx, lines, i, cand)
        found = ctx.memo["title_candidates"] = found or _quoted_titles(ctx, lines)
    return found


def choose_title(ctx: Context, cands: list[Title]) -> Title | None:
    """The first title that is not a file name; when it is a page's generic heading (no year, no
    name: "决算公开"), a full title a few lines below it; a file name only when nothing else."""
    own = [c for c in cands if c.source != "file"]
    if not own:
        return cands[0] if cands else None
    first = own[0]
    if first.source == "glued" and name_in_title(ctx, first) is None:
        # the page's generic heading and the report's full title run into one line: the full one
        fuller = next((c for c in own[1:] if c.line == first.line and name_in_title(ctx, c) is not None), None)
        if fuller is not None:
            return fuller
    if _is_bare(ctx, first):
        for c in own[1:]:
            if c.line - first.line <= DEFAULT_FULLER_TITLE_LINES and not _is_bare(ctx, c):
                return c
    return first


def _is_bare(ctx: Context, cand: Title) -> bool:
    seg = ctx.text[cand.start : cand.end]
    return not _one(ctx, "title.year").search(seg) and name_in_title(ctx, cand) is None


def _toc_lines(ctx: Context, lines) -> set[int]:
    """Indices of a table of contents' entries: from a 目录 line until an entry repeats."""
    marks = set(_words(ctx)["contents"])
    start = next((i for i, (_, ln) in enumerate(lines) if "".join(ln.split()) in marks), None)
    if start is None:
        return set()
    seen: set[str] = set()
    for i in range(start + 1, len(lines)):
        key = "".join(lines[i][1].split())
        if key in seen or len(key) > MAX_TITLE_CHARS:
            return set(range(start, i))
        if key:
            seen.add(key)
    return set(range(start, len(lines)))


def _title_on_line(ctx: Context, lines, i: int) -> Title | None:
    pos, line = lines[i]
    lead = len(line) - len(line.lstrip(" |"))
    body = line[lead:].rstrip(" |")
    junk = _TITLE_JUNK.match(body)
    if junk:  # "PAGE15PAGE11某局…", "• 某局…": a word processor's field codes, a list bullet
        lead, body = lead + junk.end(), body[junk.end() :]
    annex = _one(ctx, "title.annex").match(body)
    if annex and annex.end() < len(body):  # "附件1：某局…自评报告": the annex label is not the title
        lead, body = lead + annex.end(), body[annex.end() :]
    label = ctx.patterns.compiled_words("title", "labels").match(body)
    if label:  # "信息名称  某局2023年…说明": a page's metadata label
        rest = body[label.end() :]
        skip = len(rest) - len(rest.lstrip(" :|"))
        lead, body = lead + label.end() + skip, rest[skip:]
    source = "line"
    if len(body) > MAX_TITLE_CHARS or _has_sentence_end(ctx, body):
        glued = _one(ctx, "title.glued").match(body)
        if glued and _looks_like_a_title(ctx, glued.group("title")):
            found = glued.start("title"), glued.group("title")
        else:  # a title after page chrome on the same line ("首页 > 公开 > 某局…决算 索引号…")
            found = _glued_inside(ctx, body)
        if not found:
            return None
        lead, body, source = lead + found[0], found[1], "glued"
    start, end = pos + lead, pos + lead + len(body)
    if not _looks_like_a_title(ctx, body):
        # a title wrapped forward: "…项目支出绩效" / "自评表" (its last word alone on the next line)
        nxt = lines[i + 1][1].strip(" |") if i + 1 < len(lines) and source == "line" else ""
        if (
            not nxt
            or len(nxt) > MAX_WRAPPED_TAIL
            or any(c in body for c in _CLAUSE_MARKS)
            or _one(ctx, "title.numbered").match(nxt)
            or not _looks_like_a_title(ctx, body + nxt)
        ):
            return None
        end = lines[i + 1][0] + (len(lines[i + 1][1]) - len(lines[i + 1][1].lstrip(" |"))) + len(nxt)
    ext = FILE_EXT.search(body)
    if ext:  # "某局2021年度…报告.docx": a file's name, the weakest title
        end, source = start + ext.start(), "file"
    elif source == "line" and not _starts_complete(ctx, body):
        start = _merge_fragments(ctx, lines, i, start)
    return Title(start, end, source, i)


# where a title may start inside a long line: after a space, a bullet or a breadcrumb's mark (a
# web page's chrome and a report run together onto one line: "当前位置: 首页 > 某局2023年度…")
_INLINE_START = compile_regex(r"[ >»|\]:•·]+")
DEFAULT_INLINE_STARTS = 100  # places tried in a long line, from its start (a metadata block is ~60)
MAX_INLINE_WINDOW = 120  # a title and what follows it: the glued pattern reads no further
_NAME_PIECE = compile_regex(rf"[{HAN}]{{2,}}[ ]")
DEFAULT_LATER_TITLES = 2  # further titles looked for on a line after its first glued one


def _glued_inside(ctx: Context, body: str) -> tuple[int, str] | None:
    """A title run into the body after a separator inside a long line (page chrome before it):
    where it starts in ``body`` and its text, or None. Of the places a title ending at the same
    point may start, the latest that starts with a unit's name: what stands before it on the
    line ("时效性: 有效", "来源: 某局") is the page's, not the title's; else the latest that starts
    with the report's year."""
    glued = _one(ctx, "title.glued")
    seps = [m.end() for _, m in zip(range(DEFAULT_INLINE_STARTS), _INLINE_START.finditer(body), strict=False)]
    by_end: dict[int, list[tuple[int, str]]] = {}
    for s in seps:
        m = glued.match(body[s : s + MAX_INLINE_WINDOW])  # the pattern is anchored at its start
        if m and _looks_like_a_title(ctx, m.group("title")):
            by_end.setdefault(s + m.end("title"), []).append((s + m.start("title"), m.group("title")))
    year = _one(ctx, "title.year")
    chrome = ctx.patterns.compiled_words("title", "chrome")
    divisions = ctx.patterns.compiled_words("department", "divisions")
    shape = NameShape.of(ctx.patterns)
    for end in sorted(by_end):
        starts = by_end[end][::-1]
        k = next((k for k, c in enumerate(starts) if _starts_complete(ctx, c[1])), None)
        # a name broken by a space ("某市某区某某中路 社区服务中心 2018年度…") starts at the
        # earlier start: the piece between is Chinese words alone that name a division (市, 县,
        # 区 …) and do not end as a name does, no chrome (a page's "主题词 某馆…", "有效 某医院…"
        # name none)
        while k is not None and k + 1 < len(starts) and _starts_complete(ctx, starts[k + 1][1]):
            piece = starts[k + 1][1][: len(starts[k + 1][1]) - len(starts[k][1])]
            if (
                not _NAME_PIECE.fullmatch(piece)
                or chrome.search(piece)
                or not divisions.search(piece)
                or shape.ends_with_suffix(piece[:-1])  # a whole name of its own: "来源:某局 某校…"
            ):
                break
            k += 1
        found = starts[k] if k is not None else None
        # a title that opens with its year and names no unit ("附表2 2022年度…项目自评表")
        found = found or next((c for c in starts if (y := year.match(c[1])) and y.start() == 0), None)
        # else the latest start: what stands before it on the line is the page's ("录入:web 中央
        # 转移支付2023年…补助资金项目绩效自评报告": a fund's title opens with neither)
        found = found or (starts[0] if year.search(starts[0][1]) else None)
        if found:
            return found
    return None


def _later_on_line(ctx: Context, lines, i: int, first: Title) -> list[Title]:
    """Titles glued into the same long line after ``first`` (a web page's text without its line
    breaks: the page's generic heading, "2023年度部门整体支出绩效自评报告", then the report's
    own full title with its unit's name), at most DEFAULT_LATER_TITLES of them."""
    pos, line = lines[i]
    year = _one(ctx, "title.year")
    out: list[Title] = []
    after = first.end - pos
    for _ in range(2 * DEFAULT_LATER_TITLES):  # tries, kept or not
        if len(out) == DEFAULT_LATER_TITLES:
            break
        found = _glued_inside(ctx, line[after:])
        if found is None:
            break
        at, body = after + found[0], found[1]
        after = at + len(body)
        # one that starts with a name right after a word and a space may start inside the name
        # ("某县某某 乡人民政府 2021年度…": the name broken by a space), one that starts with
        # its year cannot
        if (m := year.match(body)) and m.start() == 0 or not (at >= 2 and line[at - 1] == " " and is_han(line[at - 2])):
            out.append(Title(pos + at, pos + at + len(body), "glued", i))
    return out


def _looks_like_a_title(ctx: Context, body: str) -> bool:
    words = _words(ctx)
    squashed = "".join(body.split())
    if not squashed or len(squashed) > MAX_TITLE_CHARS or _has_sentence_end(ctx, squashed):
        return False
    if ctx.patterns.compiled_words("title", "chrome").search(body) or _one(ctx, "title.table_content").search(body):
        return False
    if not any(k in squashed for k in words["keywords"]) or not any(k in squashed for k in _kind_words(ctx)):
        return False
    if not any(k in squashed for k in _kind_words(ctx, late=False)) and not _one(ctx, "title.year").search(squashed):
        return False  # a table's or a chart's name (收入支出决算总表), not a report's
    if squashed.startswith("(") and squashed.endswith(")"):
        return False  # a caption or a note in brackets
    if squashed.endswith(":"):
        return False  # what introduces something ("…情况报告如下:"), not a name
    return not squashed.startswith(tuple(words["not_first"])) and not _one(ctx, "title.numbered").match(squashed)


def _starts_complete(ctx: Context, body: str) -> bool:
    """Whether a title line starts with what only a title's start holds (关于…, a unit's name), so
    that the lines above it are not its first part; a line that starts with its year may still
    have the name on the line above."""
    shape = NameShape.of(ctx.patterns)
    text = body.lstrip()
    if shape.leading.match(text):
        return True
    y = _one(ctx, "title.year").search(text)
    return trim_name(text[: y.start()] if y else text, shape) is not None


def _merge_fragments(ctx: Context, lines, i: int, start: int) -> int:
    """The start of a title split over lines: "…2023年度部门" / "整体支出绩效自评报告"."""
    shape = NameShape.of(ctx.patterns)
    keywords = _words(ctx)["keywords"]
    j, merged = i - 1, 0
    while j >= 0 and merged < MAX_FRAGMENTS:
        while j >= 0 and not lines[j][1].strip():
            j -= 1
        if j < 0 or i - j > 3 + merged:
            break
        prev = lines[j][1].strip(" |")
        if not (
            prev
            and len(prev) <= MAX_FRAGMENT_CHARS
            and not _has_sentence_end(ctx, prev)
            and not any(c in prev for c in _CLAUSE_MARKS)
            and not _one(ctx, "title.numbered").match(prev)
            and not any(k in prev for k in keywords)
            and not ctx.patterns.compiled_words("title", "chrome").search(prev)
            and (_one(ctx, "title.fragment").search(prev) or shape.ends_with_suffix(prev))
        ):
            break
        start = lines[j][0] + (len(lines[j][1]) - len(lines[j][1].lstrip(" |")))
        j, merged = j - 1, merged + 1
    return start


def _quoted_titles(ctx: Context, lines) -> list[Title]:
    """A document-sharing page names the report only in 《…》: "《某局…自评报告.docx》由用户上传…";
    a report's name ends with what it is (…报告, …自评表), a cited regulation's does not."""
    words = _words(ctx)
    endings = tuple(words["keywords"]) + tuple(words["endings"])
    kinds = _kind_words(ctx)
    for i, (pos, line) in enumerate(lines):
        for m in _one(ctx, "title.quoted").finditer(line):
            inner = m.group("t")
            ext = FILE_EXT.search(inner)
            cut = ext.start() if ext else len(inner)
            _, name = strip_junk(inner[:cut], NameShape.of(ctx.patterns))  # "(定稿)", "(2023年度)"
            if name.endswith(endings) and any(k in inner for k in kinds):
                return [Title(pos + m.start("t"), pos + m.start("t") + cut, "quoted", i)]
    return []


def name_in_title(ctx: Context, title: Title) -> tuple[int, str] | None:
    """The unit's name a title states, as (start in the folded text, name): what stands before the
    year, or between the year and the report's type; without a year, before the first fiscal term."""
    shape = NameShape.of(ctx.patterns)
    text = ctx.text
    seg = text[title.start : title.end]
    y = _one(ctx, "title.year").search(seg)
    stops = [w for ws in ctx.patterns.words["kind"].values() for w in ws] + ctx.patterns.words["title"]["fiscal"]
    spans = []
    if y and y.start() > 0:
        spans.append((0, y.start()))
    if y:
        after = y.end()
        spans.append((after, min([i for k in stops if (i := seg.find(k, after)) >= 0] or [len(seg)])))
    else:
        from ..segment import first_fiscal_term

        stop = first_fiscal_term(seg)
        if stop is None:
            stop = min([i for k in stops if (i := seg.find(k)) >= 0] or [len(seg)])
        spans.append((0, stop))
    for a, b in spans:
        found = trim_name(seg[a:b], shape)
        if found is None and " " in seg[a:b].strip():
            # what stands before the name on the title's line, parted from it by a space (a
            # page's search box and slogan: "搜索 某某口号 某县总工会2020年度…"): the last piece
            a = a + seg[a:b].rstrip().rfind(" ") + 1
            found = trim_name(seg[a:b], shape)
        if found is None:
            continue
        cut, name = found
        rest = "".join(seg[a + cut : b].split())[len(name) :]
        # a name followed by more words (a project's name: "某市场仓储基地建设项目") may be part of
        # that project's name rather than the unit: kept when the report's words for itself agree
        if not rest or agrees_with_self(ctx, name):
            return title.start + a + cut, name
    return None

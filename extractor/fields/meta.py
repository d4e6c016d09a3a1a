"""Title, department, fiscal year, report kind and internal divisions."""

from __future__ import annotations

import regex

from ..model import Count, Grounded
from ..normalize import fold_name
from ..patterns import compile_regex, label_alternation
from .common import Context, compiled

DEFAULT_TITLE_LINES = 60  # the title is near the top, after any web-page chrome
DEFAULT_YEAR_WINDOW = 6000  # without a title, a year is looked for in the opening only
DEFAULT_STRUCTURE_WINDOW = 3000
DEFAULT_LABEL_WINDOW = 20000  # a form's or cover page's labels stand in the opening
_SENTENCE_END = compile_regex(r"[。;!?]")
# a year in Arabic digits, or digit by digit in Chinese numerals (二〇二三年度)
_YEAR_IN_TITLE = compile_regex(r"(?P<year>20[0-4]\d)\s?年\s?度?|\((?P<year2>20[0-4]\d)\s?年\s?度?\)"
                               r"|(?P<year3>二[〇○零][〇○零一二三四][〇○零一二三四五六七八九])年\s?度?")
_CN_DIGITS = str.maketrans("〇○零一二三四五六七八九", "000123456789")
_CHROME = compile_regex(r"索引号|发布机构|发布日期|发布时间|来源[:]|当前位置|首页\s?>|浏览次数|点击数|字体[:]|作者[:]|分享到|打印|关闭窗口|归档时间")
_FILE_EXT = compile_regex(r"\.(?:pdf|docx?|xlsx?|wps|html?)$", regex.IGNORECASE)
_CODE_PREFIX = compile_regex(r"^[\dA-Za-z]+[-_ ]")
_NUMBERED = compile_regex(r"^(?:第[一二三四五六七八九十\d]+部分|[一二三四五六七八九十\d]+[、.]|\(?[一二三四五六七八九十]+\))")
_GLUED_TITLE = compile_regex(r"^(?P<title>[^。;!?,:]{6,60}?(?:报告|自评表|评价表|决算))(?=[一1][、.]|第一部分|目录|\()")


def _lines(text: str, limit: int):
    pos = 0
    for n, line in enumerate(text.split("\n")):
        if n >= limit:
            return
        yield pos, line
        pos += len(line) + 1


def extract_title(ctx: Context) -> Grounded | None:
    words = ctx.patterns.words
    keywords = words["title"]["keywords"]
    kinds = [w for ws in words["kind"].values() for w in ws]
    text = ctx.text
    lines = [(p, ln) for p, ln in _lines(text, DEFAULT_TITLE_LINES)]
    toc = _toc_lines(lines)
    for i, (pos, line) in enumerate(lines):
        if i in toc:
            continue
        stripped = line.strip(" |")
        annex = _ANNEX.match(stripped)
        lead_cut = annex.end() if annex and annex.end() < len(stripped) else 0
        stripped = stripped[lead_cut:]  # "附件1：某局…自评报告": the annex label is not the title
        glued = _GLUED_TITLE.match(stripped) if len(stripped) > 80 or _SENTENCE_END.search(stripped) else None
        if glued:  # a title run into the body by a lost line break: "…自评报告一、基本情况…"
            stripped = glued.group("title")
        if not stripped or len(stripped) > 80 or _CHROME.search(stripped) or _SENTENCE_END.search(stripped):
            continue
        if _TABLE_CONTENT.search(stripped):  # a table flattened onto one line, not a title
            continue
        squashed = stripped.replace(" ", "")
        if not any(k in squashed for k in keywords) or not (any(k in squashed for k in kinds) or "绩效" in squashed):
            continue
        if squashed.startswith(("目录", "附件", "附表")) or _NUMBERED.match(squashed):
            continue
        start = pos + (len(line) - len(line.lstrip(" |"))) + lead_cut
        end = start + len(stripped)
        # The title may be split over lines: "…2023年度部门" / "整体支出绩效自评报告" (up to three)
        j, merged = i - 1, 0
        while j >= 0 and merged < 2:
            while j >= 0 and not lines[j][1].strip():
                j -= 1
            if j < 0 or i - j > 3 + merged:
                break
            prev = lines[j][1].strip(" |")
            if not (prev and len(prev) <= 40 and not _SENTENCE_END.search(prev) and not _NUMBERED.match(prev)
                    and not _CHROME.search(prev) and not any(k in prev for k in keywords)
                    and not _CLAUSE_MARK.search(prev) and _TITLE_FRAGMENT.search(prev)):
                break
            start = lines[j][0] + (len(lines[j][1]) - len(lines[j][1].lstrip(" |")))
            j, merged = j - 1, merged + 1
        ext = _FILE_EXT.search(text, start, end)
        if ext:
            end = ext.start()
        value = "".join(text[start:end].split())
        return ctx.ground(start, end, value, Grounded, "title.line")
    # a document-sharing page names the report only in 《…》: "《某局…自评报告.docx》由用户上传…"
    for pos, line in lines:
        for m in _QUOTED_TITLE.finditer(line):
            inner = m.group("t")
            ext = _FILE_EXT.search(inner)
            name = _TRAILING_NOTE.sub("", inner[: ext.start()] if ext else inner)  # "(定稿)", "(2023年度)"
            # a report's name ends with what it is (…报告, …自评表); a cited regulation's does not
            # (《某市预算绩效目标管理办法》)
            if name.endswith(tuple(keywords) + _TITLE_ENDINGS) and (any(k in inner for k in kinds) or "绩效" in inner):
                s, e = pos + m.start("t"), pos + m.start("t") + (ext.start() if ext else len(inner))
                return ctx.ground(s, e, "".join(text[s:e].split()), Grounded, "title.quoted")
    return None


def _toc_lines(lines) -> set[int]:
    """Indices of a table of contents' entries: from a 目录 line until an entry repeats."""
    start = next((i for i, (_, ln) in enumerate(lines) if "".join(ln.split()) in ("目录", "目次")), None)
    if start is None:
        return set()
    seen: set[str] = set()
    for i in range(start + 1, len(lines)):
        key = "".join(lines[i][1].split())
        if key in seen or len(key) > 80:
            return set(range(start, i))
        if key:
            seen.add(key)
    return set(range(start, len(lines)))


_CLAUSE_MARK = compile_regex(r"[,:]")
# what only a table's header or body holds: row numbers, a unit statement, an amount in cents
_TABLE_CONTENT = compile_regex(r"行次|栏次|单位[ ]?:|(?<![\d.])\d{1,3}(?:,\d{3})*\.\d\d(?![\d%.])")
# what a line holding the first part of a split title looks like: a year, a unit's name, "…部门"
_TITLE_FRAGMENT = compile_regex(r"20\d\d\s?年|年?度?部门$|单位$|[局委办院校心会府所站队]$|^[一-龥]{1,4}$")
_HAN_NAME = compile_regex(r"[一-龥()]+")
_GENERIC_BODY = compile_regex(r"(?:[省市县区]委|党委|[省市县区](?:人民)?政府)")
_ANNEX = compile_regex(r"^(?:附件|附表)[ ]?[\d一二三四五六七八九十]*[ ]?[:、.]?[ ]?")
_QUOTED_TITLE = compile_regex(r"《(?P<t>[^》\n]{6,80})》")
_TITLE_ENDINGS = ("表", "公开")
_TRAILING_NOTE = compile_regex(r"[ ]?\([^()]{1,12}\)$")
_LEADING_WORDS = compile_regex(r"^(?:关于|对|由|根据|按照)")


def _trim_name(name: str, suffixes) -> str | None:
    name = _LEADING_WORDS.sub("", _CODE_PREFIX.sub("", name.strip(" :|")))
    best = None
    for i in range(len(name), 1, -1):
        if any(name[:i].endswith(s) for s in suffixes):
            best = name[:i]
            break
    return best if best and len(best) >= 3 else None


def extract_department(ctx: Context, title: Grounded | None) -> Grounded | None:
    """The reporting unit, from the strongest evidence to the weakest: a form's label, the
    title, a bare name beside the title, a paragraph that opens with the name."""
    suffixes = sorted(ctx.patterns.words["department"]["suffixes"], key=len, reverse=True)
    found = _department_from_label(ctx, suffixes)
    if found is None and title is not None:
        found = _department_from_title(ctx, title, suffixes) or _department_beside_title(ctx, title, suffixes)
    return found or _department_opening_paragraph(ctx, suffixes)


def _department_from_label(ctx: Context, suffixes) -> Grounded | None:
    """部门(单位)名称 XXX / 实施单位 | XXX on a form or cover page (主管部门 only as a last resort)."""
    words = ctx.patterns.words["department"]
    labels = [w for w in words["labels"] if w != "主管部门"]
    # a form's label is followed by a separator (colon, cell border or space), not by running text
    # (labels that end in 名称 or a colon need none: 部门(单位)名称某某市…)
    name = r"(?P<name>[\dA-Za-z]*[-_]?[一-龥()]{3,40})"
    tail = r"(?:[ ]?[:|][ ]?|[ ])" + name
    named = [w for w in labels if w.endswith(("名称", ":"))]
    seal = r"(?:[ ]?\((?:盖章|公章|签章|章)\))?"  # 单位名称（盖章）：…
    # a bare "单位:" / "部门:" is a label only where it starts a word: not 主办单位：, 承办单位： (a web
    # page's footer names the site's owner)
    bare = [w for w in named if len(w) <= 3]
    label_re = compiled(r"(?<![一-龥])" + label_alternation(bare) + seal + r"[ ]?[:|]?[ ]?" + name + "|"
                        + label_alternation([w for w in named if w not in bare]) + seal + r"[ ]?[:|]?[ ]?" + name
                        + "|" + label_alternation([w for w in labels if w not in named]) + seal + tail)
    text = ctx.text
    for pref in (label_re, compiled(r"主管部门" + tail)):
        for m in pref.finditer(text, 0, min(len(text), DEFAULT_LABEL_WINDOW)):
            raw = m.group("name")
            found = _trim_name(raw, suffixes)
            if found and not found.endswith(("部门", "单位")) and not found.startswith(("及", "和", "与", "的", "本", "各")):
                s = m.start("name") + raw.index(found[:2]) if found[:2] in raw else m.start("name")
                return ctx.ground(s, s + len(found), fold_name(found), Grounded, "department.label")
    return None


def _department_from_title(ctx: Context, title: Grounded, suffixes) -> Grounded | None:
    """What stands before the year, or between the year and the report type."""
    text = ctx.text
    folded_start, folded_end = ctx.folded_range(title)
    seg = text[folded_start:folded_end]
    y = _YEAR_IN_TITLE.search(seg)
    kinds = [w for ws in ctx.patterns.words["kind"].values() for w in ws] + ["绩效", "整体支出", "项目支出", "预算", "决算"]
    candidates = []
    if y and y.start() > 0:
        candidates.append((0, y.start()))
    if y:
        after = y.end()
        stop = min([i for k in kinds if (i := seg.find(k, after)) >= 0] or [len(seg)])
        candidates.append((after, stop))
    else:
        # no year to split on: the name ends where the first fiscal term begins
        from ..segment import first_fiscal_term

        stop = first_fiscal_term(seg)
        if stop is None:
            stop = min([i for k in kinds if (i := seg.find(k)) >= 0] or [len(seg)])
        candidates.append((0, stop))
    for a, b in candidates:
        raw = seg[a:b]
        lead = len(raw) - len(raw.lstrip(" \n|"))
        word = _LEADING_WORDS.match(raw[lead:])
        if word:  # "关于某局…的报告": the name starts after the preposition
            lead += word.end()
        name = _trim_name(raw[lead:].strip(" \n|"), suffixes)
        if name:
            s = folded_start + a + lead
            # the name may contain layout breaks: extend over them
            e, count = s, 0
            while e < folded_start + b and count < len(name):
                if not text[e].isspace():
                    count += 1
                e += 1
            return _fuller_name(ctx, s, e) or ctx.ground(s, e, fold_name(text[s:e]), Grounded, "department.title")
    return None


def _department_beside_title(ctx: Context, title: Grounded, suffixes) -> Grounded | None:
    """A bare unit name on a line of its own just after or before the title."""
    text = ctx.text
    a, b = ctx.folded_range(title)
    before = text.rfind("\n", 0, max(0, a - 1))
    prev_lines = text[max(0, before - 200) : a].split("\n")[-4:]
    next_lines = text[b : b + 200].split("\n")[:4]
    for line in next_lines + prev_lines[::-1]:
        name = line.strip(" |")
        if 3 <= len(name) <= 30 and _trim_name(name, suffixes) == name and _HAN_NAME.fullmatch(name):
            s = text.find(name, max(0, before - 200), b + 200)
            if s >= 0:
                return ctx.ground(s, s + len(name), fold_name(name), Grounded, "department.beside_title")
    return None


def _department_opening_paragraph(ctx: Context, suffixes) -> Grounded | None:
    """A paragraph that opens with the unit's name: "XX中心是区政府直属的…"."""
    suffix_alt = "|".join(regex.escape(x) for x in suffixes)
    m = compiled(r"(?:^|\n)[ ]*(?P<name>[一-龥()]{2,28}?(?:" + suffix_alt + r"))"
                 + label_alternation(ctx.patterns.words["department"]["predicates"])).search(ctx.text)
    # a unit's own name is specific ("某县某镇中心小学校"), not a generic body ("区委区政府")
    if (m and len(m.group("name")) >= 5 and not m.group("name").startswith(("本", "我", "该", "其"))
            and not _GENERIC_BODY.match(m.group("name"))):
        return ctx.ground(m.start("name"), m.end("name"), fold_name(m.group("name")), Grounded, "department.opening")
    return None


_ADMIN_PREFIX = compile_regex(r"(?:中共)?(?:[一-龥]{2,7}?(?:省|市|自治区|自治州|地区|县|区|州|盟|旗))+")
MAX_PREFIX_CHARS = 60


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fa5"  # [一-龥], as in the patterns


def _fuller_name(ctx: Context, s: int, e: int) -> Grounded | None:
    """Titles often shorten the unit's name; prefer its full form stated in the text
    ("城南区委老干部局" -> "中共示例市城南区委老干部局").

    The full form is the short name preceded by administrative divisions that start a run
    of Chinese characters: the whole run before the name must be the prefix. Found with
    ``str.find`` and one fixed pattern, not a pattern made from the name, so nothing is
    compiled per document."""
    text = ctx.text
    short = text[s:e]
    if "\n" in short or " " in short:
        return None
    at = text.find(short)
    while at >= 0:
        start = at
        while start > 0 and at - start < MAX_PREFIX_CHARS and _is_han(text[start - 1]):
            start -= 1
        if start < at and not (start > 0 and _is_han(text[start - 1])) and _ADMIN_PREFIX.fullmatch(text, start, at):
            # a sentence word glued on before the prefix: "…共2个,即中共示例市…"
            while text[start] in "即为是系及和与的由在" and start < at - 2:
                start += 1
            if at + len(short) - start - len(short) >= 2:
                end = at + len(short)
                return ctx.ground(start, end, fold_name(text[start:end]), Grounded, "department.full_name")
            return None
        at = text.find(short, at + 1)
    return None


def extract_year(ctx: Context, title: Grounded | None) -> Count | None:
    text = ctx.text
    if title is not None:
        a, b = ctx.folded_range(title)
        m = _YEAR_IN_TITLE.search(text, a, b)
        if m:
            g = next(g for g in ("year", "year2", "year3") if m.group(g))
            return ctx.ground(m.start(g), m.end(g), int(m.group(g).translate(_CN_DIGITS)), Count, "year.title")
    # a form's header (项目支出绩效自评表 (2022年度)), the unit's own year, the first 20XX年度 near the top
    for pat in ctx.patterns.for_field("fiscal_year.fallback"):
        m = pat.regex.search(text, 0, min(len(text), DEFAULT_YEAR_WINDOW))
        if m:
            return ctx.ground(m.start("year"), m.end("year"), int(m.group("year").translate(_CN_DIGITS)), Count, pat.id)
    return None


def extract_kind(ctx: Context, title: Grounded | None) -> Grounded | None:
    kinds: dict[str, list[str]] = ctx.patterns.words["kind"]
    text = ctx.text
    if title is not None:
        a, b = ctx.folded_range(title)
        seg = text[a:b]
        squashed = seg.replace(" ", "").replace("\n", "")
        if ctx.patterns.compiled_words("kind_summary").search(squashed):
            return ctx.ground(a, b, "other", Grounded, "kind.title.summary")
        for kind, ws in kinds.items():
            for w in ws:
                if w in squashed:
                    return ctx.ground(a, b, kind, Grounded, f"kind.title.{kind}")
    # no title: the document's structure in its opening (a form's name, a table's name)
    hits = []
    for pat in ctx.patterns.for_field("kind.structure"):
        m = pat.regex.search(text, 0, min(len(text), DEFAULT_STRUCTURE_WINDOW))
        if m:
            hits.append((m.start(), pat.options["kind"], m, pat.id))
    if hits:  # the structure named first is the document's; later ones are annexes
        _, kind, m, pid = min(hits, key=lambda h: h[0])
        return ctx.ground(m.start(), m.end(), kind, Grounded, pid)
    return None


_ITEM_SEPARATOR = compile_regex(r"[、,]")
_JOINED = compile_regex(r"[和及与]")
_DIVISION_ENDINGS = ("股", "科", "组", "部", "室", "处", "队", "所", "站", "中心", "办")


def _divisions(listed: str, suffixes) -> list[str]:
    """The names of a list of divisions: split at 、 and ，, and at 和/及/与 only between two whole
    names ("财务股和业务股"), not inside one ("自然资源和生态环境办公室")."""
    endings = tuple(suffixes) + _DIVISION_ENDINGS
    out = []
    for item in _ITEM_SEPARATOR.split(listed):
        parts = _JOINED.split(item)
        if len(parts) > 1 and all(len(p) >= 2 and p.endswith(endings) for p in parts):
            out.extend(parts)
        else:
            out.append(item)
    return out


def extract_divisions(ctx: Context) -> Grounded | None:
    m = next((m for _, m in ctx.matches("divisions")), None)
    if not m:
        return None
    items = [fold_name(x) for x in _divisions(m.group("list"), ctx.patterns.words["department"]["suffixes"]) if x]
    if not items:
        return None
    return ctx.ground(m.start("list"), m.end("list"), items, Grounded, "divisions.list")

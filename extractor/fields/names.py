"""What a unit's name looks like: where it ends (the suffix lexicon), what is junk around it (web
chrome, codes, annex labels, a truncated bracket), and its full form where the text states one.

All wording comes from ``patterns/words.toml`` ([department]); nothing here names a unit.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from ..model import Grounded
from ..normalize import fold_name
from ..patterns import HAN, Patterns, compile_regex, label_alternation
from .common import Context

HAN_FIRST, HAN_LAST = 0x4E00, 0x9FA5
MIN_NAME_CHARS = 3
MAX_NAME_CHARS = 40
MAX_PREFIX_CHARS = 60  # how far back a full name's administrative prefix may reach
MAX_INSERTED_CHARS = 4  # a short form drops a few characters of the full one (区, 镇中心)
MAX_LINE_CHARS = 200  # how much of a line around a name is read for chrome (a text may be one line)
MAX_LABEL_LINE_CHARS = 12  # a metadata label on a line of its own ("- 发布机构"), its value below
# a code or page residue glued in front of a name: "219-", "[155]", "PAGE15PAGE11", "•"
_JUNK_HEAD = compile_regex(r"^(?:[\[(]?[\dA-Za-z]+[\])]?[-_ ]?|[^\sA-Za-z\d" + HAN + r"()]+)+")
_BRACKET_NOTE = compile_regex(r"[ ]?\([^()]{1,12}\)$")  # "(部门)", "(机关)", "(2023年度)"
FILE_EXT = compile_regex(r"\.(?:pdf|docx?|xlsx?|wps|html?|txt)\b", regex.IGNORECASE)
_MARKUP = compile_regex(r"[{}\"]|\w+://")  # a JSON blob or an address: a page's metadata


def is_han(ch: str) -> bool:
    return HAN_FIRST <= ord(ch) <= HAN_LAST


@dataclass(frozen=True, slots=True)
class NameShape:
    """The [department] lexicon, prepared once per pattern set."""

    suffixes: tuple[str, ...]  # longest first
    generic: tuple[str, ...]
    not_ends: frozenset[str]
    not_first: tuple[str, ...]
    enumerators: tuple[str, ...]
    glue: tuple[str, ...]
    leading: regex.Pattern  # words before a name in a title: 关于, 对 …
    admin_prefix: regex.Pattern  # 中共某省某市某区 …
    generic_body: tuple  # patterns of a generic body (区委区政府)

    @classmethod
    def of(cls, patterns: Patterns) -> NameShape:
        return patterns.memo("name_shape", lambda: cls._build(patterns))

    @classmethod
    def _build(cls, patterns: Patterns) -> NameShape:
        words = patterns.words["department"]
        admin = label_alternation(words["divisions"])
        party = label_alternation(words["party"])
        return cls(
            suffixes=tuple(sorted(words["suffixes"], key=len, reverse=True)),
            generic=tuple(words["generic"]),
            not_ends=frozenset(words["not_ends"]),
            not_first=tuple(words["not_first"]),
            enumerators=tuple(words["enumerators"]),
            glue=tuple(words["glue"]),
            leading=compile_regex("^" + label_alternation(patterns.words["title"]["leading"])),
            admin_prefix=compile_regex(f"(?:{party})?(?:[{HAN}]{{2,7}}?{admin})+"),
            generic_body=patterns.for_field("department.generic"),
        )

    def ends_with_suffix(self, text: str) -> bool:
        return text.endswith(self.suffixes)

    def is_generic(self, name: str) -> bool:
        return any(p.regex.match(name) for p in self.generic_body)


DEFAULT_SELF_WINDOW = 20000  # where a report's words for itself are counted


def agrees_with_self(ctx: Context, name: str) -> bool:
    """Whether ``name`` agrees with what the report calls itself (我局, 本院 …): true when it calls
    itself nothing of the kind (only 我单位, or nothing), or when one of its words fits the name's end."""
    words = ctx.patterns.words["department"]
    self_rx = ctx.patterns.memo(
        "department.self",
        lambda: compile_regex(
            label_alternation(words["self_prefixes"]) + "(?P<w>" + label_alternation(words["self_words"]) + ")"
        ),
    )
    text = ctx.text
    used = {m.group("w") for m in self_rx.finditer(text, 0, min(len(text), DEFAULT_SELF_WINDOW))}
    tail = name[-4:]
    return not used or any(w in tail or name.endswith(tuple(words["self_agrees"].get(w, ()))) for w in used)


def balanced(name: str) -> bool:
    depth = 0
    for ch in name:
        depth += (ch == "(") - (ch == ")")
        if depth < 0:
            return False
    return depth == 0


def strip_junk(raw: str, shape: NameShape) -> tuple[int, str]:
    """``raw`` without what stands in front of a name (chrome residue, a code, 关于 …) and without a
    bracketed note at its end; returns how many characters were cut at the front, and the rest."""
    cut = 0
    text = raw
    while True:
        before = len(text)
        stripped = text.lstrip(" \n|:")
        junk = _JUNK_HEAD.match(stripped)
        if junk and junk.end() < len(stripped):
            stripped = stripped[junk.end() :]
        word = shape.leading.match(stripped)
        if word and word.end() < len(stripped):
            stripped = stripped[word.end() :]
        cut += before - len(stripped)
        text = stripped
        if len(text) == before:
            break
    while (note := _BRACKET_NOTE.search(text)) and note.start() >= MIN_NAME_CHARS:
        text = text[: note.start()]
    return cut, text


def trim_name(raw: str, shape: NameShape, spaces: bool = True) -> tuple[int, str] | None:
    """The unit's name at the start of ``raw`` (after any junk): the longest prefix that ends with a
    unit suffix and looks like one name. Returns (offset of the name in ``raw``, name, its layout
    spaces removed). With ``spaces=False`` (a form's cell) a space ends the name."""
    cut, text = strip_junk(raw, shape)
    if not spaces:
        text = text.split(None, 1)[0] if text.strip() else ""
    squashed = "".join(text.split())
    for i in range(min(len(squashed), MAX_NAME_CHARS), MIN_NAME_CHARS - 1, -1):
        name = squashed[:i]
        if squashed[i - 1 : i + 1] in shape.not_ends:  # the suffix is the start of another word
            continue
        if shape.ends_with_suffix(name) and looks_like_a_name(name, shape):
            return cut, name
    return None


def looks_like_a_name(name: str, shape: NameShape) -> bool:
    """One unit's name: long enough, whole brackets, no enumeration, not a generic word; Chinese
    characters, brackets and the digits of a numbered unit (北京市第35中学)."""
    return (
        len(name) >= MIN_NAME_CHARS
        and balanced(name)
        and not any(e in name for e in shape.enumerators)
        and not name.endswith(shape.generic)
        and not name.startswith(shape.not_first)
        and is_han(name[0])
        and all(is_han(c) or c in "()" or ("0" <= c <= "9") for c in name)  # 第35中学, 第1区
    )


def ground_name(ctx: Context, start: int, name: str, pattern: str) -> Grounded | None:
    """``name`` grounded where it starts at ``start`` in the folded text, over any layout breaks
    inside it ("某区某 社区服务中心")."""
    text, end, count = ctx.text, start, 0
    while end < len(text) and count < len(name):
        if not text[end].isspace():
            if text[end] != name[count]:
                return None
            count += 1
        end += 1
    if count < len(name):
        return None
    return ctx.ground(start, end, fold_name(name), Grounded, pattern)


def in_chrome(ctx: Context, pos: int) -> bool:
    """Whether ``pos`` stands on a line of a page's metadata (发布机构, 来源 …; or the value line under
    such a label), a file name, a JSON blob or an address: what the page says around the report,
    not what the report says."""
    text = ctx.text
    chrome = ctx.patterns.compiled_words("title", "chrome")
    lo, hi = max(0, pos - MAX_LINE_CHARS), min(len(text), pos + MAX_LINE_CHARS)
    start, end = max(lo, text.rfind("\n", lo, pos) + 1), text.find("\n", pos, hi)
    line = text[start : end if end >= 0 else hi]
    if FILE_EXT.search(line) or _MARKUP.search(line) or chrome.search(line):
        return True
    above = text[max(0, start - MAX_LABEL_LINE_CHARS * 4) : max(0, start - 1)].rstrip().rsplit("\n", 1)[-1]
    stripped = above.strip(" -|")
    if len(stripped) <= MAX_LABEL_LINE_CHARS:
        return bool(chrome.search(above))
    # a label that ends a longer line (joined to the value above it when the text's wrapped lines
    # were joined: "…2019-0301002- 发文机构"): the line under it is its value too
    tail = stripped[-MAX_LABEL_LINE_CHARS:]
    return any(m.end() >= len(tail.rstrip(":")) for m in chrome.finditer(tail))


def fuller_name(ctx: Context, found: Grounded, shape: NameShape) -> Grounded | None:
    """The full form the text states of a shortened name, or None: the short name behind an
    administrative prefix ("城南区委老干部局" -> "中共示例市城南区委老干部局"), or a name that holds
    the short one's characters in order with a few more ("某关卫生院" -> "某关镇中心卫生院"). Names on
    a page's metadata lines (a file name, a JSON blob) are not the text's."""
    short = found.value
    if len(short) < MIN_NAME_CHARS:
        return None
    return _behind_prefix(ctx, short, shape) or _with_inserted(ctx, short, shape)


def _behind_prefix(ctx: Context, short: str, shape: NameShape) -> Grounded | None:
    """The short name preceded by administrative divisions that start a run of Chinese characters
    (the whole run before the name is the prefix); ``str.find``, nothing compiled per document."""
    text = ctx.text
    at = text.find(short)
    while at >= 0:
        start = at
        while start > 0 and at - start < MAX_PREFIX_CHARS and is_han(text[start - 1]):
            start -= 1
        if (
            start < at
            and not (start > 0 and is_han(text[start - 1]))
            and not in_chrome(ctx, at)
            and shape.admin_prefix.fullmatch(text, start, at)
        ):
            while text[start] in shape.glue and start < at - 2:  # "…共2个,即中共示例市…"
                start += 1
            if at - start >= 2:
                return ctx.ground(
                    start, at + len(short), fold_name(text[start : at + len(short)]), Grounded, "department.full_name"
                )
        at = text.find(short, at + 1)
    return None


def _with_inserted(ctx: Context, short: str, shape: NameShape) -> Grounded | None:
    """A name that starts with the short one's first two characters, ends with its last two, and
    holds all of its characters in order with at most MAX_INSERTED_CHARS more, stated where a
    sentence or a line starts ("某关镇中心卫生院现有职工…"): the unit speaking of itself, not a
    place it names in passing (a county's report naming one of its townships)."""
    text, head, tail = ctx.text, short[:2], short[-2:]
    limit = len(short) + MAX_INSERTED_CHARS
    opens = "\n :|" + "".join(ctx.patterns.words["title"]["sentence_end"])
    at = text.find(head)
    while at >= 0:
        if (at == 0 or text[at - 1] in opens) and not in_chrome(ctx, at):
            end = text.find(tail, at + 2, at + limit + 1)
            while end >= 0:
                full = text[at : end + 2]
                if full != short and _in_order(short, full) and looks_like_a_name(full, shape):
                    return ctx.ground(at, end + 2, fold_name(full), Grounded, "department.full_name")
                end = text.find(tail, end + 1, at + limit + 1)
        at = text.find(head, at + 1)
    return None


def _in_order(short: str, full: str) -> bool:
    it = iter(full)
    return all(ch in it for ch in short)

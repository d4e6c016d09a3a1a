"""Headcount: 编制 (authorised), 实有 (actual), 在职 (in service), 退休 (retired) and breakdowns."""

from __future__ import annotations

from ..model import Count, Headcount, Part
from ..normalize import fold_name
from ..patterns import compile_regex
from .common import (
    DEFAULT_HEAD_WINDOW,
    Context,
    choose,
    compiled,
    count_from,
    lines_with_offsets,
    of_another_year,
    sentence_start,
    split_cells,
)

FIELDS = ("authorized", "actual", "in_service", "retired")
# "其中行政编制3人、事业编制2人" or "(3个行政编、1个挂职人员)": the parts after a total
_PART_AFTER = compile_regex(r"(?P<name>[一-龥]{2,10}?)[ ]?(?P<num>\d+|[一二两三四五六七八九十]{1,3})[ ]?(?P<unit>人|名|个)")
_PART_BEFORE = compile_regex(r"(?P<num>\d+|[一二两三四五六七八九十]{1,3})[ ]?(?P<unit>个|名|人)(?P<name>[一-龥]{1,10}?)(?:人员)?(?=[、,;)]|$)")
_BREAKDOWN_WINDOW = 80
_BREAKDOWN_LEAD = compile_regex(r"[ ]?[,]?[ ]?(?:其中[:]?|\()")
# a breakdown ends at its bracket or full stop, or where the next headcount clause starts
# (a part's own 编制, 行政编制/事业编制, goes on the list)
_BREAKDOWN_STOP = compile_regex(r"[);。]|[,](?=[一-龥]*(?:实有|在职|退休|离退休|(?<![行政事业机关工勤])编制))")
_PART_FILLER = compile_regex(r"人员|人|等|[、,; ]")
_HAN = compile_regex(r"[一-龥]")


def extract_headcount(ctx: Context) -> Headcount:
    hc = Headcount()
    for name in FIELDS:
        found = []
        for pat, m in ctx.matches(f"headcount.{name}"):
            if of_another_year(ctx, m.start()):  # "2022年末在职人员121人" in a report on 2023
                continue
            if name == "in_service" and _staff_by_post(ctx.text, m):
                continue
            if _of_a_subordinate(ctx.text, m.start()):
                continue
            value = count_from(ctx, m, pat.id)
            # a figure inside brackets counts part of something ("局本级96人(在职81人、退休15人)"),
            # not the unit as a whole
            if value is not None and not _inside_brackets(ctx.text, m.start()):
                found.append((pat.priority, value))
        found = _without_parts(ctx, found)
        for _, value in found:
            ctx.remember(f"headcount.{name}", value)
        setattr(hc, name, choose(found))
    if any(getattr(hc, name) is None for name in FIELDS):
        for name, value in _from_header_row(ctx).items():
            if getattr(hc, name) is None:
                setattr(hc, name, ctx.remember(f"headcount.{name}", value))
    if hc.authorized is not None:
        hc.authorized_breakdown = _breakdown(ctx, hc.authorized, after_words=("其中",))
    if hc.in_service is not None:
        hc.in_service_breakdown = _breakdown(ctx, hc.in_service, after_words=("其中", "("))
    # a label inside a breakdown ("在职16人(在编人数14人…)") names a part, not a restatement
    parts = [p.count.span for p in hc.authorized_breakdown + hc.in_service_breakdown]
    for name in FIELDS:
        cands = ctx.candidates.get(f"headcount.{name}")
        if cands:
            cands[:] = [c for c in cands if not any(s <= c.span[0] and c.span[1] <= e for s, e in parts)]
    return hc


_OFF_POST = compile_regex(r"编外|编制外|聘用|合同|临聘|劳务派遣|外聘|临时")


def _staff_by_post(text: str, m) -> bool:
    """在编人员 beside 聘用/编外 staff in one sentence ("实有人数72人，其中在编人员64人、聘用人员8人")
    counts the staff on the establishment, a part of those in service, not all of them."""
    label = "".join(m.group("label").split())
    if not label.startswith("在编"):
        return False
    end = min([i for c in "。;\n" if (i := text.find(c, m.end())) >= 0] or [len(text)])
    return bool(_OFF_POST.search(text, m.end(), min(end, m.end() + 40)))


# the unit's own subordinates ("下属单位1个（…）", "所属事业单位3个", "8家二级单位"), not the unit as
# a subordinate of another ("旅游局下属公益一类事业单位")
_SUBORDINATE = compile_regex(r"(?:下属|所属|下辖)[一-龥]{0,4}单位(?:[ ]?\d+[ ]?[个家]|[(:])|二级单位")
_WHOLE_UNIT = compile_regex(r"全(?:局|系统|部门|单位|镇|乡|院|校|委|办)|(?:本|我)(?:局|部门|单位|院|校|委|办|中心)")


def _of_a_subordinate(text: str, pos: int) -> bool:
    """A count in a sentence about a subordinate unit ("下属单位1个（妇女儿童活动中心），编制3名"),
    unless the unit as a whole is named after it ("…共8家二级单位，全局现有在职人员246人")."""
    start = sentence_start(text, pos, DEFAULT_HEAD_WINDOW)
    mentions = list(_SUBORDINATE.finditer(text, start, pos))
    return bool(mentions) and not _WHOLE_UNIT.search(text, mentions[-1].end(), pos)
_PART_LEAD = compile_regex(r"^[^。;\n]{0,24}其中")


def _without_parts(ctx: Context, found: list) -> list:
    """Counts of one field less those in the 其中 list of another: "离退休人员合计27人，其中离休1人、
    退休26人" states the retired once (27), and 26 is a part of it."""
    spans = sorted(ctx.folded_range(v) for _, v in found)
    parts = set()
    for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
        if start > end and _PART_LEAD.match(ctx.text[end:start]):
            parts.add(start)
    return [(p, v) for p, v in found if ctx.folded_range(v)[0] not in parts]


_COUNT_CELL = compile_regex(r"^[ ]*(?P<num>\d{1,6})[ ]*(?:人|名)?[ ]*$")


def _from_header_row(ctx: Context) -> dict[str, Count]:
    """A form whose header row names the counts and whose next row holds them:
    编制人数 | 实有人数 | 在职人员 | 退休人员 / 15 | 21 | 16 | 5."""
    labels = {name: compiled("{L_" + name + r"}(?:人数|数)?(?:\((?:人|名)\))?") for name in FIELDS}
    rows = lines_with_offsets(ctx.text)
    for i, (line, _) in enumerate(rows[:-1]):
        if "|" not in line:
            continue
        # a caption run into the first cell ("人员情况:编制数") is not part of the label
        header = ["".join(c.split()).rpartition(":")[2] for c in line.split("|")]
        cols = {name: k for k, cell in enumerate(header) for name, rx in labels.items() if cell and rx.fullmatch(cell)}
        if len(cols) < 2:
            continue
        cells = [(c, start) for c, start, _ in split_cells(*rows[i + 1])]
        out = {}
        for name, k in cols.items():
            if k < len(cells):
                m = _COUNT_CELL.match(cells[k][0])
                if m:
                    start = cells[k][1]
                    out[name] = ctx.ground(start + m.start("num"), start + m.end("num"), int(m.group("num")), Count,
                                           "headcount.header_row")
        if out:
            return out
    return {}


DEFAULT_BRACKET_WINDOW = 500


def _inside_brackets(text: str, pos: int) -> bool:
    # read back at most DEFAULT_BRACKET_WINDOW: a text written as one line would be read from its
    # start at every figure (quadratic); a bracket opened farther back does not hold this figure
    lo = max(0, pos - DEFAULT_BRACKET_WINDOW)
    line_start = max(lo, text.rfind("\n", lo, pos) + 1)
    head = text[line_start:pos]
    return head.count("(") > head.count(")")


def _breakdown(ctx: Context, total: Count, after_words) -> list[Part]:
    """Parts stated right after a total: "其中行政编制3人" / "(3个行政编、1个挂职人员)"."""
    text = ctx.text
    end = ctx.folded.to_folded(total.span[1])
    tail = text[end : end + _BREAKDOWN_WINDOW]
    tail = tail.split("\n", 1)[0]
    lead = _BREAKDOWN_LEAD.match(tail)
    if not lead:
        return []
    start = end + lead.end()
    # the breakdown runs to the end of the clause (or the closing bracket)
    stop_m = _BREAKDOWN_STOP.search(text, start, end + len(tail))
    stop = stop_m.start() if stop_m else end + len(tail)
    parts: list[Part] = []
    last = start
    for rx in (_PART_BEFORE, _PART_AFTER):
        parts = []
        for m in rx.finditer(text, start, stop):
            last = m.end()
            name = m.group("name").strip()
            if not name or name in ("其中",):
                continue
            count = count_from(ctx, m, "headcount.breakdown")
            if count is not None:
                parts.append(Part(name=fold_name(name.removeprefix("其中")), count=count))
        if parts and (rx is _PART_BEFORE or all(not p.name.endswith(("人数",)) for p in parts)):
            break
    if parts:
        # an item left without a figure ("…、差额" where the text is cut) makes the list incomplete
        rest = _PART_FILLER.sub("", text[last:stop])
        if _HAN.search(rest):
            return []
    return parts

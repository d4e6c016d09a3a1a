"""A project form whose cells were glued into one line, rebuilt as a grid by its figures' arithmetic.

Text copied from a form often loses every cell border: "全年预算数(A)全年执行数(B)执行率(B/A)
年度资金总额86.586.5100%". The header words (``patterns/headers.toml``) say which figures the
run holds and in which order; the run is split where the figures agree with each other: the rate
is spending over budget (within the rounding it was written with), points and scores are at most
100, a money figure has no leading zero. Only a run with exactly one such split becomes a grid:
a guess between two readings is no reading. A run whose figures are parted by single spaces (a
web page's one-line text of the form) is cut at its spaces, and kept when it has a figure for
each header word and they agree the same way.
"""

from __future__ import annotations

from decimal import Decimal

from .columns import BUDGET_ROLES, Roles, base
from .grid import Grid, make_cell
from .numbers import half_unit, parse_arabic
from .patterns import Patterns, compile_regex, label_alternation

_GLUED_ROLES = frozenset((*BUDGET_ROLES, "points", "score"))
_TOKEN = compile_regex(r"(?:0|[1-9]\d{0,9})(?:\.\d{1,6})?")
_PIECE = compile_regex(r"[^ ]+")
MAX_RATE = Decimal(1000)
MAX_SPLITS = 8  # past this many readings the run is ambiguous anyway
MAX_POINTS = Decimal(100)
MAX_RUN = 60  # characters of a glued run of figures
MAX_GAP = 12  # characters between two glued header words (a bracketed note, a broken bracket)
MAX_LABEL_GAP = 30  # from the header's last word to the money row's label


def glued_grids(text: str, patterns: Patterns, roles: Roles) -> list[Grid]:
    """Grids of the glued money rows in ``text`` (the folded view)."""
    words = sorted((w for w in roles.words if base(roles.of(w)) in _GLUED_ROLES), key=len, reverse=True)
    if not words:
        return []
    header_rx = patterns.memo("glued.header", lambda: compile_regex(label_alternation(words)))
    row_rx = patterns.memo(
        "glued.row",
        lambda: compile_regex(
            r"(?P<label>" + patterns.label("budget_total_row") + r")[ ]?:?[ ]?(?P<run>[\d.,%]+(?:[ ][\d.,%]+)*)"
        ),
    )
    out = []
    for header in _header_runs(text, header_rx, roles):
        end = header[-1][2]
        row = row_rx.search(text, end, min(len(text), end + MAX_LABEL_GAP + MAX_RUN))
        if row is None or row.start() > end + MAX_LABEL_GAP:
            continue
        run = row.group("run")
        if len(run) < 3 or len(run) > MAX_RUN:
            continue
        split = _split(run, [role for role, _, _ in header])
        if split is None:
            continue
        cells = [make_cell(text, s, e, 0, c + 1) for c, (_, s, e) in enumerate(header)]
        at = row.start("run")
        values = [make_cell(text, at + a, at + b, 1, c + 1) for c, (a, b) in enumerate(split)]
        out.append(Grid([cells, [make_cell(text, *row.span("label"), 1, 0), *values]], "glued"))
    return out


def _header_runs(text: str, header_rx, roles: Roles):
    """Sequences of at least two header words of a money row, each within MAX_GAP non-Han
    characters of the last (bracketed notes and broken brackets between them)."""
    run: list[tuple[str, int, int]] = []
    for role, start, end in _header_words(text, header_rx, roles):
        gap = text[run[-1][2] : start] if run else ""
        if run and (len(gap) > MAX_GAP or any("\u4e00" <= ch <= "\u9fa5" for ch in gap) or "\n" in gap):
            if sum(r in BUDGET_ROLES for r, _, _ in run) >= 2:
                yield run
            run = []
        run.append((role, start, end))
    if sum(r in BUDGET_ROLES for r, _, _ in run) >= 2:
        yield run


def _header_words(text: str, header_rx, roles: Roles):
    """(role, start, end) of each header word. A match across a space whose two sides are header
    words themselves is those two words: "执行率 得分" in a row of cells parted by spaces is the
    rate's column and the score's, not the one header 执行率得分 (a word broken inside its cell
    has a side that is no header word: "全年 预算数")."""
    for m in header_rx.finditer(text):
        word = m.group()
        cut = word.find(" ")
        if cut > 0:
            left, right = roles.of(word[:cut]), roles.of(word[cut + 1 :])
            if left is not None and right is not None:
                yield left, m.start(), m.start() + cut
                yield right, m.start() + cut + 1, m.end()
                continue
        yield roles.of(word), m.start(), m.end()


def _split(run: str, roles: list[str]) -> list[tuple[int, int]] | None:
    """The one way to cut ``run`` into a figure per role that agrees with itself, as offsets.

    Figures parted by spaces (the form's cells joined by spaces, as a web page's text gives a
    one-line table) are a figure each: the cut is the spaces', kept when it has one figure per
    role and agrees with itself."""
    if " " in run:
        cuts = [m.span() for m in _PIECE.finditer(run)]
        fits = len(cuts) == len(roles) and all(
            (run[b - 1] == "%") == (role == "execution_rate") and _TOKEN.fullmatch(run, a, b - (run[b - 1] == "%"))
            for role, (a, b) in zip(roles, cuts, strict=False)
        )
        return cuts if fits and _consistent(run, roles, cuts) else None
    found: list[list[tuple[int, int]]] = []

    def walk(pos: int, k: int, acc: list[tuple[int, int]]):
        if len(found) > MAX_SPLITS:
            return
        if k == len(roles):
            if pos == len(run) or not run[pos].isdigit():
                if _consistent(run, roles, acc):
                    found.append(list(acc))
            return
        for m in _prefixes(run, pos):
            end = m
            if roles[k] == "execution_rate":
                if run[end : end + 1] != "%":
                    continue
                end += 1
            elif run[end : end + 1] == "%":
                continue
            acc.append((pos, end))
            walk(end, k + 1, acc)
            acc.pop()

    walk(0, 0, [])
    if len(found) > 1:
        # a nil spending ("…0" then "0%") is the reading of last resort: a cut that leaves figures
        # on both sides of the rate is the form's
        spent = roles.index("budget_spent")
        found = [f for f in found if run[f[spent][0] : f[spent][1]] != "0"]
    return found[0] if len(found) == 1 else None


def _prefixes(run: str, pos: int):
    """Every end of a number that starts at ``pos`` (no leading zero, at most six decimals)."""
    m = _TOKEN.match(run, pos)
    if m is None:
        return
    for end in range(pos + 1, m.end() + 1):
        piece = run[pos:end]
        if piece.endswith(".") or (len(piece) > 1 and piece[0] == "0" and piece[1] != "."):
            continue
        yield end


def _consistent(run: str, roles: list[str], cuts: list[tuple[int, int]]) -> bool:
    values = {}
    for role, (a, b) in zip(roles, cuts, strict=True):
        num = parse_arabic(run[a:b].rstrip("%"))
        if num is None:
            return False
        values[role] = num
    rate = values.get("execution_rate")
    budget = values.get("budget_adjusted") or values.get("budget_initial")
    spent = values.get("budget_spent")
    if rate is None or budget is None or spent is None or not budget.value:
        return False  # nothing to check the cut against
    if (rate.value == 0) != (spent.value == 0):  # "0%" of a spending that is not nil is another cut
        return False
    if rate.value > MAX_RATE or any(values[r].value > MAX_POINTS for r in ("points", "score") if r in values):
        return False
    # the money figures of a cut are taken as exact (a cut chooses their places): the rate is
    # spending over budget rounded to the places the rate was written with
    return abs(spent.value / budget.value * 100 - rate.value) <= half_unit(rate.decimals)

"""Fault injection: change one figure of a clean report at a time and see whether the verifier says so.

Usage (from the project root)::

    .venv/bin/python bench/fault_injection.py [FILE ...]      # default: samples/*.txt samples/*.docx
    .venv/bin/python bench/fault_injection.py --details       # every mutation, not only the misses

Each figure of the extracted record (every amount, share, headcount, indicator maximum and
score, the total score and the grade) is found in the file through its span and changed there:
in the text of a .txt, in the ``<w:t>`` text of ``word/document.xml`` in a copy of a .docx.
The mutant file goes through the whole pipeline (read, extract, verify) like any user's file.

- A *breaking* change (one digit: 145.16 -> 146.16, 7 -> 8; 优 -> 良) must give an ``error``
  whose ``fields`` name the changed field. When the verifier says instead that it could not
  check that field (an ``info`` naming it), the change counts as not checkable; when the
  mutant no longer extracts to the changed value, as an extraction change.
- A *rounding-only* change (91.21% -> 91.2%, 132.4 -> 132.40, a part moved by less than its
  half-unit: 106.45 -> 106.454) must give no error that the clean file did not give.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from extractor import extract  # noqa: E402
from extractor.document import Document  # noqa: E402
from extractor.model import Count, Finding, Grounded, Money, Number, Report  # noqa: E402
from extractor.numbers import UNIT_FACTORS  # noqa: E402

GRADE_SWAP = {"优": "良", "良": "优", "中": "良", "差": "中"}
_TOKEN = regex.compile(r"\d+(?:\.\d+)?")
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


# ---- what to change -----------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    path: str  # "report.revenue.items[0].amount"
    value: Grounded


def figures(report: Report) -> list[Figure]:
    """Every figure of the record that a mutation may change, with its field path."""
    out: list[Figure] = []

    def add(path: str, g: Grounded | None):
        if g is not None:
            out.append(Figure(path, g))

    hc = report.headcount
    for name in ("authorized", "actual", "in_service", "retired"):
        add(f"report.headcount.{name}", getattr(hc, name))
    for name in ("authorized_breakdown", "in_service_breakdown"):
        for i, part in enumerate(getattr(hc, name)):
            add(f"report.headcount.{name}[{i}].count", part.count)
    add("report.revenue.total", report.revenue.total)
    add("report.carryover.start", report.carryover.start)
    add("report.carryover.end", report.carryover.end)
    add("report.expenditure.total", report.expenditure.total)
    for list_path, items in (
        ("revenue.items", report.revenue.items),
        ("expenditure.by_type", report.expenditure.by_type),
        ("expenditure.by_function", report.expenditure.by_function),
    ):
        for i, item in enumerate(items):
            add(f"report.{list_path}[{i}].amount", item.amount)
            add(f"report.{list_path}[{i}].share", item.share)
    for name in ("total", "adjusted", "spent", "execution_rate"):
        add(f"report.budget.{name}", getattr(report.budget, name))

    def walk(nodes, path):
        for i, node in enumerate(nodes):
            add(f"{path}[{i}].max", node.max)
            add(f"{path}[{i}].score", node.score)
            walk(node.children, f"{path}[{i}].children")

    walk(report.indicators, "report.indicators")
    add("report.total_score", report.total_score)
    add("report.max_score", report.max_score)
    add("report.grade", report.grade)
    return out


def value_at(report: Report, path: str):
    """The grounded value at a field path of a (re-extracted) record, or None."""
    node: object = report
    for part in regex.findall(r"[A-Za-z_]+|\[\d+\]", path.removeprefix("report.")):
        if part.startswith("["):
            i = int(part[1:-1])
            node = node[i] if isinstance(node, list) and i < len(node) else None
        else:
            node = getattr(node, part, None)
        if node is None:
            return None
    return node


@dataclass(frozen=True)
class Mutation:
    figure: Figure
    kind: str  # "break" or "rounding"
    what: str  # "145.16 -> 146.16"
    at: int  # offset of the token in the document text
    old: str
    new: str
    expected: object  # the value the mutant should extract to


def _bump(token: str) -> str:
    """One digit changed: the units digit up by one (down from 9, so the length stays)."""
    whole, dot, frac = token.partition(".")
    units = int(whole[-1])
    return whole[:-1] + str(units - 1 if units == 9 else units + 1) + dot + frac


def _value_of(g: Grounded, token: str):
    if isinstance(g, Money):
        return Decimal(token) * UNIT_FACTORS.get(g.unit, Decimal(1))
    if isinstance(g, Number):
        return Decimal(token)
    if isinstance(g, Count):
        return int(token)
    return token


def _bases(report: Report, path: str) -> list[Decimal]:
    """The totals a breakdown's shares may be of: its total, and the total less its carry-over."""
    if path.startswith("report.revenue."):
        total, carry = report.revenue.total, report.carryover.start
    elif path.startswith("report.expenditure."):
        total, carry = report.expenditure.total, report.carryover.end
    elif path.startswith("report.budget."):
        total, carry = report.budget.adjusted or report.budget.total, None
    else:
        return []
    if total is None:
        return []
    return [total.value] + ([total.value - carry.value] if carry is not None else [])


def true_share(report: Report, path: str) -> Decimal | None:
    """The share a stated share was rounded from (amount / total), when the record gives it."""
    share = value_at(report, path)
    part = (
        report.budget.spent if path.endswith("execution_rate") else value_at(report, path[: -len("share")] + "amount")
    )
    if share is None or part is None:
        return None
    step = Decimal(1).scaleb(-share.decimals)
    for base in _bases(report, path):
        if base:
            ratio = part.value * 100 / base
            if ratio.quantize(step, rounding=ROUND_HALF_UP) == share.value:
                return ratio
    return None


def mutations(document: Document, fig: Figure, report: Report) -> Iterator[Mutation]:
    g = fig.value
    raw = document.text[g.span[0] : g.span[1]]
    if fig.path == "report.grade":
        word = str(g.value)
        pos = raw.find(word)
        if word in GRADE_SWAP and pos >= 0:
            new = GRADE_SWAP[word]
            yield Mutation(fig, "break", f"{word} -> {new}", g.span[0] + pos, word, new, new)
        return
    m = _TOKEN.search(raw)
    if m is None:  # 三人, 百分制: no Arabic figure to change
        return
    token, at = m.group(0), g.span[0] + m.start()
    new = _bump(token)
    yield Mutation(fig, "break", f"{token} -> {new}", at, token, new, _value_of(g, new))
    decimals = len(token.partition(".")[2])
    if isinstance(g, Money) and decimals:
        yield Mutation(fig, "rounding", f"{token} -> {token}0", at, token, token + "0", _value_of(g, token + "0"))
        # Moved by 0.4 of its last place, towards the value its share implies when it has one:
        # the share may already pin the true amount to one side of the written one.
        moved = _moved(report, fig, Decimal(token), decimals)
        yield Mutation(fig, "rounding", f"{token} -> {moved}", at, token, moved, _value_of(g, moved))
    elif isinstance(g, Number) and not isinstance(g, Money) and decimals and fig.path.endswith(("share", "rate")):
        # Written to one place fewer, rounded from the true share (4.647 -> 4.65 -> 4.6, not 4.7).
        ratio = true_share(report, fig.path)
        if ratio is not None:
            short = str(ratio.quantize(Decimal(1).scaleb(-(decimals - 1)), rounding=ROUND_HALF_UP))
            yield Mutation(fig, "rounding", f"{token} -> {short}", at, token, short, Decimal(short))


def _moved(report: Report, fig: Figure, written: Decimal, decimals: int) -> str:
    step = Decimal(4).scaleb(-(decimals + 1))
    down = False
    if fig.path.endswith(".amount"):
        share_path = fig.path[: -len("amount")] + "share"
        share, ratio = value_at(report, share_path), true_share(report, share_path)
        if share is not None and ratio is not None:
            down = share.value < ratio  # the share implies an amount below the written one
    return str(written - step if down else written + step)


# ---- writing the mutant file --------------------------------------------------------------


def _occurrences(text: str, token: str) -> list[int]:
    if token[0].isdigit():
        pattern = rf"(?<![\d.]){regex.escape(token)}(?![\d]|\.\d)"
    else:
        pattern = regex.escape(token)
    return [m.start() for m in regex.finditer(pattern, text)]


def _nth(document_text: str, text: str, mutation: Mutation) -> int | None:
    """Where in ``text`` the token that sits at ``mutation.at`` in the document text is.

    Tokens are matched by their order of occurrence; when the two texts hold different
    numbers of that token the place is ambiguous and None is returned.
    """
    in_doc = _occurrences(document_text, mutation.old)
    in_file = _occurrences(text, mutation.old)
    if mutation.at not in in_doc or len(in_doc) != len(in_file):
        return None
    return in_file[in_doc.index(mutation.at)]


def write_txt(src: Path, document: Document, mutation: Mutation, dest: Path) -> bool:
    encoding = document.encoding or "utf-8"
    text = src.read_bytes().decode(encoding)
    at = _nth(document.text, text, mutation)
    if at is None:
        return False
    dest.write_bytes((text[:at] + mutation.new + text[at + len(mutation.old) :]).encode(encoding))
    return True


def write_docx(src: Path, document: Document, mutation: Mutation, dest: Path) -> bool:
    """Edit the text of ``word/document.xml`` in a copy of the zip (runs may split a figure)."""
    from lxml import etree

    with zipfile.ZipFile(src) as zin:
        root = etree.fromstring(zin.read("word/document.xml"))
        nodes, owners = [], []  # characters of the body text and the <w:t> each came from
        for p in root.iter(f"{{{W_NS}}}p"):
            for t in p.iter(f"{{{W_NS}}}t"):
                for k, ch in enumerate(t.text or ""):
                    nodes.append(ch)
                    owners.append((t, k))
            nodes.append("\n")
            owners.append(None)
        text = "".join(nodes)
        at = _nth(document.text, text, mutation)
        if at is None:
            return False
        edits: dict = {}
        for i in range(at, at + len(mutation.old)):
            t, k = owners[i]
            edits.setdefault(t, []).append(k)
        first = True
        for t, ks in edits.items():  # the new token goes where the old one began
            chars = list(t.text)
            for k in sorted(ks, reverse=True):
                del chars[k]
            if first:
                chars.insert(min(ks), mutation.new)
                first = False
            t.text = "".join(chars)
        data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                zout.writestr(info, data if info.filename == "word/document.xml" else zin.read(info.filename))
    return True


WRITERS = {".txt": write_txt, ".docx": write_docx}


# ---- running ------------------------------------------------------------------------------


def _names(f: Finding, path: str) -> bool:
    """Whether a finding's fields name ``path`` or a field that holds it."""
    return any(path == p or path.startswith((p + ".", p + "[")) for p in f.fields)


def _errors(findings: list[Finding]) -> set[tuple[str, tuple[str, ...]]]:
    return {(f.rule, tuple(f.fields)) for f in findings if f.severity == "error"}


@dataclass
class Outcome:
    sample: str
    mutation: Mutation
    result: str  # detected, not-checkable, extraction-changed, missed | ok, false-alarm, unplaced
    detail: str = ""


@dataclass
class Results:
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, kind: str) -> Counter:
        return Counter(o.result for o in self.outcomes if o.mutation.kind == kind)


def run_sample(src: Path, workdir: Path) -> Iterator[Outcome]:
    clean = extract(src)
    baseline = _errors(clean.findings)
    writer = WRITERS[src.suffix.lower()]
    for n, fig in enumerate(figures(clean.report)):
        for j, mut in enumerate(mutations(clean.document, fig, clean.report)):
            dest = workdir / f"{src.stem}-{n}-{j}{src.suffix}"
            if not writer(src, clean.document, mut, dest):
                yield Outcome(src.name, mut, "unplaced", "the figure could not be placed in the file")
                continue
            got = extract(dest)
            new_errors = [
                f for f in got.findings if f.severity == "error" and (f.rule, tuple(f.fields)) not in baseline
            ]
            if mut.kind == "rounding":
                if new_errors:
                    yield Outcome(src.name, mut, "false-alarm", "; ".join(f"{f.rule} {f.message}" for f in new_errors))
                else:
                    yield Outcome(src.name, mut, "ok")
                continue
            naming = [f for f in got.findings if f.severity == "error" and _names(f, fig.path)]
            now = value_at(got.report, fig.path)
            if naming:
                yield Outcome(src.name, mut, "detected", f"{naming[0].rule} {naming[0].message}")
            elif now is None or now.value != mut.expected:
                yield Outcome(
                    src.name,
                    mut,
                    "extraction-changed",
                    f"extracted {None if now is None else now.value!r}, wanted {mut.expected!r}",
                )
            elif any(f.severity == "info" and _names(f, fig.path) for f in got.findings):
                info = next(f for f in got.findings if f.severity == "info" and _names(f, fig.path))
                yield Outcome(src.name, mut, "not-checkable", f"{info.rule} {info.message}")
            else:
                other = [f"{f.rule}" for f in got.findings if f.severity == "error"]
                yield Outcome(src.name, mut, "missed", f"errors: {other}" if other else "no error")
            dest.unlink()


def run(paths: list[Path]) -> Results:
    results = Results()
    workdir = Path(tempfile.mkdtemp(prefix="fault-injection-"))
    try:
        for src in paths:
            results.outcomes.extend(run_sample(src, workdir))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return results


def table(results: Results) -> str:
    rows = [
        (
            "sample",
            "breaking",
            "detected",
            "not checkable",
            "extraction changed",
            "missed",
            "rounding-only",
            "false alarms",
            "unplaced",
        )
    ]
    samples = list(dict.fromkeys(o.sample for o in results.outcomes))
    for name in [*samples, "total"]:
        outs = [o for o in results.outcomes if name in (o.sample, "total")]
        brk = Counter(o.result for o in outs if o.mutation.kind == "break")
        rnd = Counter(o.result for o in outs if o.mutation.kind == "rounding")
        rows.append(
            (
                name,
                sum(brk.values()),
                brk["detected"],
                brk["not-checkable"],
                brk["extraction-changed"],
                brk["missed"],
                sum(rnd.values()),
                rnd["false-alarm"],
                brk["unplaced"] + rnd["unplaced"],
            )
        )
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(str(c).rjust(w) if i else str(c).ljust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True)))
        for r in rows
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--details", action="store_true", help="list every mutation, not only misses and false alarms")
    args = ap.parse_args(argv)
    paths = args.files or sorted([*(ROOT / "samples").glob("*.txt"), *(ROOT / "samples").glob("*.docx")])
    paths = [p for p in paths if p.suffix.lower() in WRITERS]
    results = run(paths)
    print(table(results))
    shown = {"missed", "false-alarm", "unplaced", "extraction-changed", "not-checkable"}
    for o in results.outcomes:
        if args.details or o.result in shown:
            print(f"{o.result:<18} {o.sample}  {o.mutation.figure.path}  {o.mutation.what}  {o.detail}")
    bad = sum(o.result in ("missed", "false-alarm") for o in results.outcomes)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

"""Crafted hostile inputs (issue 17): does extraction stay linear in the size of the text?

    .venv/bin/python bench/hostile.py [--sizes 1,2,4,8] [--only FAMILY,...] [--timeout 120] [--json]

Each family is a text an attacker (or a broken converter) can write: a run of digits ending in
年 after a money label, one money line repeated, an ordinary report repeated, pipe tables, 其中
chains, unit headers, grade bands, headcounts, many short lines and more (``FAMILIES``). Each is
generated at every size (MB of UTF-8) and run through ``extractor.extract`` (read, fields,
rules) in a child process of its own, which prints its CPU seconds and peak resident memory.
The table gives seconds, peak MiB and seconds per MB; a family whose cost per MB grows with
the size is not linear. A run past ``--timeout`` is killed, and the larger sizes of that family
are not tried. The children run without the time budget (it is set far above ``--timeout``),
so the figures are the cost of the work, not of the budget that now stops it.

``tests/test_scaling.py`` runs the same families at small sizes and checks the shape.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024
SEED_TEXT = ROOT / "samples" / "yushui-gsl-2023.txt"


def fill(unit: str, nbytes: int) -> str:
    """``unit`` repeated to at least ``nbytes`` bytes of UTF-8."""
    return unit * -(-nbytes // len(unit.encode("utf-8")))


def run_after(prefix: str, run: str, suffix: str, nbytes: int) -> str:
    """One run of ``run`` between ``prefix`` and ``suffix``, ``nbytes`` in all."""
    fixed = len((prefix + suffix).encode("utf-8"))
    return prefix + fill(run, max(nbytes - fixed, 1)) + suffix


def _report(nbytes: int, one_line: bool = False) -> str:
    text = SEED_TEXT.read_text("utf-8")
    if one_line:
        text = text.replace("\n", "")
    return fill(text + ("" if one_line else "\n"), nbytes)


def _table(header: str, row: Callable[[int], str], nbytes: int) -> str:
    """One pipe table: the header once, then numbered rows up to ``nbytes``."""
    out, size, i = [header], len(header.encode("utf-8")), 0
    while size < nbytes:
        line = row(i)
        out.append(line)
        size += len(line.encode("utf-8"))
        i += 1
    return "".join(out)


# The snippets are invented, in the layouts reports use; none is copied from a real report.
FAMILIES: dict[str, tuple[str, Callable[[int], str]]] = {
    "digits-year": (
        "a money label, then one run of digits ending in 年",
        lambda n: run_after("2023年度收入总计", "1", "年", n),
    ),
    "digits-unit": (
        "a money label, then one run of digits ending in 万元",
        lambda n: run_after("2023年度收入总计", "1", "万元", n),
    ),
    "comma-digits": (
        "a money label, then one run of 123, groups",
        lambda n: run_after("2023年度支出总计", "123,", "万元", n),
    ),
    "money-line": ("收入总计1万元 repeated on one line", lambda n: fill("收入总计1万元 ", n)),
    "report": ("an ordinary report (samples/yushui-gsl-2023.txt) repeated", lambda n: _report(n)),
    "report-one-line": ("the same report, its line breaks removed", lambda n: _report(n, one_line=True)),
    "pipe-table": (
        "one pipe table of budget rows",
        lambda n: _table(
            "| 项目 | 年初预算数 | 全年预算数 | 执行数 | 执行率 |\n",
            lambda i: f"| 支出{i} | 12.34 | 13.00 | 11.20 | 86.15% |\n",
            n,
        ),
    ),
    "score-table": (
        "one pipe table of indicator scores",
        lambda n: _table(
            "| 一级指标 | 二级指标 | 分值 | 得分 |\n", lambda i: f"| 产出指标 | 数量指标{i} | 10 | 9.5 |\n", n
        ),
    ),
    # every row its own level-1 indicator: the total-row check once compared each with all others
    "score-table-levels": (
        "one score table, a new level-1 indicator on every row",
        lambda n: _table("本次自评实行百分制。\n| 一级指标 | 分值 | 得分 |\n", lambda i: f"| 指标{i} | 10 | 9 |\n", n),
    ),
    "qizhong-chain": (
        "one 其中 chain: a total, then parts of parts",
        lambda n: run_after("支出总额145.16万元", "，其中：人员经费1.2万元", "。", n),
    ),
    "unit-headers": (
        "单位：万元 before every small table",
        lambda n: fill("单位：万元\n| 项目 | 金额 |\n| 收入合计 | 145.16 |\n| 支出合计 | 140.02 |\n\n", n),
    ),
    "grade-bands": (
        "grade bands repeated on one line",
        lambda n: fill(
            "总分90～100分（含90分）为“优”；80～90分（含80分）为“良”；60～80分（含60分）为“中”；低于60分为“差”。", n
        ),
    ),
    "headcount": (
        "headcount sentences repeated",
        lambda n: fill("编制人数3人，其中行政编制3人；年末实有人数7人，其中在职人员4人，退休人员3人。\n", n),
    ),
    "short-lines": ("a figure per line: 1, newline, repeated", lambda n: fill("1\n", n)),
    "spaced-digits": ("digits and spaces (the folded view drops spaces in numbers)", lambda n: fill("1 ", n)),
    "tab-table": (
        "one tab-separated table of budget rows",
        lambda n: _table("项目\t年初预算数\t全年预算数\t执行数\n", lambda i: f"支出{i}\t12.34\t13.00\t11.20\n", n),
    ),
    "letter-spaced": (
        "one letter-spaced line: 收 入 总 计 1 万 元 repeated",
        lambda n: fill("收 入 总 计 1 万 元 ", n),
    ),
    "cjk-run": ("one line of Chinese without punctuation", lambda n: fill("绩效目标完成情况良好", n)),
    "traditional": (
        "traditional characters, money and rates",
        lambda n: fill("收入總計145.16萬元，預算執行率為91.21%，財政撥款收入145.16萬元。", n),
    ),
    "years": ("years without end: 2023年度 repeated", lambda n: fill("2023年度", n)),
    "titles": ("a title line repeated", lambda n: fill("新城县某某局2023年度部门整体支出绩效自评报告\n", n)),
    "indicators": (
        "indicator items with scores, repeated",
        lambda n: fill("（一）产出指标\n1.数量指标：完成率100%，分值10分，得分10分。\n", n),
    ),
    "percent-run": (
        "a rate label, then one run of digits ending in %",
        lambda n: run_after("预算执行率为", "9", "%", n),
    ),
    # Half the text with nothing to extract, then the figures: what a figure's scan looks back
    # over grows with the text, while the work per byte is small.
    "filler-then-money": (
        "Chinese without stops, then 收入总计1万元 repeated",
        lambda n: fill("绩效目标完成情况良好", n // 2) + fill("收入总计1万元 ", n // 2),
    ),
    "headers-then-rows": (
        "单位：万元 lines, then table rows of money",
        lambda n: fill("单位：万元\n", n // 2) + fill("| 收入合计 | 145.16 |\n", n // 2),
    ),
}


def measure(family: str, nbytes: int) -> dict:
    """In this process: make the family's text, extract it from a file; CPU seconds and peak MiB."""
    import resource

    sys.path.insert(0, str(ROOT))
    from extractor import extract

    text = FAMILIES[family][1](nbytes)
    with tempfile.TemporaryDirectory(prefix="extractor-hostile-") as tmp:
        path = Path(tmp, f"{family}.txt")
        path.write_bytes(text.encode("utf-8"))
        del text
        cpu, wall = time.process_time(), time.perf_counter()
        try:
            extract(path)
            outcome = "ok"
        except Exception as exc:  # noqa: BLE001 - reported in the table, not raised
            outcome = f"{type(exc).__name__}: {str(exc)[-60:]}"
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"family": family, "bytes": nbytes, "cpu": cpu, "wall": wall, "peak_mib": peak, "outcome": outcome}


def run_child(family: str, nbytes: int, timeout: float) -> dict:
    env = {**os.environ, "EXTRACTOR_MAX_SECONDS": str(max(timeout * 10, 3600))}
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", family, str(nbytes)]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
        proc.communicate()
        return {
            "family": family,
            "bytes": nbytes,
            "cpu": None,
            "wall": time.perf_counter() - started,
            "peak_mib": None,
            "outcome": f"killed after {timeout:g} s",
        }
    if proc.returncode != 0:
        last = (err.decode("utf-8", "replace").strip().splitlines() or ["?"])[-1]
        return {
            "family": family,
            "bytes": nbytes,
            "cpu": None,
            "wall": None,
            "peak_mib": None,
            "outcome": f"exit {proc.returncode}: {last[:60]}",
        }
    return json.loads(out.decode().strip().splitlines()[-1])


def render(rows: list[dict], sizes: list[int]) -> str:
    head = ["family"] + [f"{s // MB} MB s / MiB" for s in sizes] + ["s per MB", "growth"]
    lines = [" | ".join(head), " | ".join("---" for _ in head)]
    by = {}
    for r in rows:
        by.setdefault(r["family"], {})[r["bytes"]] = r
    for family, runs in by.items():
        cells, per = [family], []
        for s in sizes:
            r = runs.get(s)
            if r is None:
                cells.append("—")
            elif r["cpu"] is None:
                cells.append(r["outcome"])
            else:
                note = "" if r["outcome"] == "ok" else f" ({r['outcome'][:40]})"
                cells.append(f"{r['cpu']:.2f} / {r['peak_mib']:.0f}{note}")
                per.append(r["cpu"] / (s / MB))
        cells.append(" · ".join(f"{p:.2f}" for p in per) or "—")
        killed = any(r["cpu"] is None for r in runs.values())
        cells.append("killed" if killed else (f"{per[-1] / per[0]:.1f}×" if len(per) > 1 and per[0] > 0 else "—"))
        lines.append(" | ".join(cells))
    return "\n".join(lines)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="1,2,4,8", help="MB, comma-separated")
    p.add_argument("--only", help="families, comma-separated (default: all)")
    p.add_argument("--timeout", type=float, default=120.0, help="seconds before a run is killed")
    p.add_argument("--json", action="store_true", help="one JSON object per run instead of the table")
    p.add_argument("--child", nargs=2, metavar=("FAMILY", "BYTES"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        print(json.dumps(measure(args.child[0], int(args.child[1]))))
        return 0
    sizes = [int(float(s) * MB) for s in args.sizes.split(",")]
    families = args.only.split(",") if args.only else list(FAMILIES)
    unknown = [f for f in families if f not in FAMILIES]
    if unknown:
        p.error(f"unknown family {unknown[0]!r} (one of {', '.join(FAMILIES)})")
    rows = []
    for family in families:
        for size in sizes:
            row = run_child(family, size, args.timeout)
            rows.append(row)
            print(
                json.dumps(row)
                if args.json
                else f"  {family} {size // MB} MB: {row['outcome']} "
                f"cpu {row['cpu'] if row['cpu'] is None else round(row['cpu'], 2)}",
                file=sys.stderr,
                flush=True,
            )
            if row["cpu"] is None:
                break  # a larger size would only take longer
    if not args.json:
        print(render(rows, sizes))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Generate ``docs/rules.md`` from the rule registry: ``python -m extractor.rules.docs``.

``--check`` exits 1 when the file on disk differs from what the registry gives (tests run the
same comparison), so the catalogue and its documentation cannot drift apart.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..i18n import use
from . import catalogue
from .registry import DOC_HEADINGS, SEVERITIES

SCOPE_NAMES = {"report": "单份报告（verify）", "store": "跨报告（audit）"}

DOCS_PATH = Path(__file__).resolve().parents[2] / "docs" / "rules.md"

_INTRO = """\
# 规则目录

本文件由 `python -m extractor.rules.docs` 从规则注册表生成，请勿手工编辑。`python cli.py rules` 列出
同一目录，`python cli.py rules SUM` 列出代码以 SUM 开头的规则，`python cli.py rules SUM001` 给出一条规则
的说明，`python cli.py rules --json` 以 JSON 给出全部；`--lang en` 为英文。

级别：`error`（错误）——数字之间的矛盾超出舍入范围；`warning`（警告）——审计人员必须查看的情况；
`info`（未能核对）——因缺少数字或读法不明确而无法运行的核对（任何规则都可能因此给出 `info`，
不论其自身级别）。

算术遵循报告所写的精度：写到 *d* 位小数的数字代表其单位的 ±½·10^-d，两个数字的区间相交即为一致。

单份报告的规则由 `verify` 运行；`XR` 开头的是跨报告核查，由 `audit` 在整个库上运行。
"""


def generate() -> str:
    """The catalogue as Markdown, in Chinese (the docstrings, as the registry holds them)."""
    with use("zh"):
        rules = catalogue()
        out = [_INTRO, "| 代码 | 名称 | 级别 | 范围 | 检查 |", "|---|---|---|---|---|"]
        out += [
            f"| [{r.code}](#{r.code.lower()}) | `{r.name}` | {r.severity} | {SCOPE_NAMES[r.scope]} | {r.title} |"
            for r in rules
        ]
        for r in rules:
            out += ["", f"## {r.code}", "", f"`{r.name}` · {r.severity} · {SCOPE_NAMES[r.scope]}", "", r.title]
            for heading in DOC_HEADINGS:
                out += ["", f"### {heading}", "", r.section(heading)]
    assert all(r.severity in SEVERITIES for r in rules)
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    text = generate()
    if "--check" in argv:
        current = DOCS_PATH.read_text(encoding="utf-8") if DOCS_PATH.exists() else ""
        if current != text:
            print(f"{DOCS_PATH} is stale: run python -m extractor.rules.docs", file=sys.stderr)
            return 1
        return 0
    DOCS_PATH.parent.mkdir(parents=True, exist_ok=True)
    DOCS_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {DOCS_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

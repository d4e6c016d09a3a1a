"""The short human summary that `extract` prints without --json (document text escaped, see ``printable``)."""

from __future__ import annotations

from ..errors import printable


def _v(f, suffix=""):
    if f is None:
        return "—"
    return printable(f"{f.raw.replace(chr(10), '')}{suffix}")


def render_summary(result) -> str:
    r = result.report
    src = result.source
    hc = r.headcount
    lines = [
        f"{printable(src.path)}  ({src.format}, {src.chars} chars{f', {src.pages} pages' if src.pages else ''})",
        f"  title        {_v(r.title)}",
        f"  department   {_v(r.department)}",
        f"  year / kind  {r.fiscal_year.value if r.fiscal_year else '—'} / {r.kind.value if r.kind else '—'}",
        f"  headcount    编制 {_v(hc.authorized)} · 实有 {_v(hc.actual)} · 在职 {_v(hc.in_service)} · 退休 {_v(hc.retired)}",
        f"  revenue      {_v(r.revenue.total)}  ({len(r.revenue.items)} sources)",
        f"  expenditure  {_v(r.expenditure.total)}  "
        + " · ".join(f"{printable(i.name)} {_v(i.amount)}" for i in r.expenditure.by_type),
        f"  indicators   {len(r.indicators)} level-1"
        + ("".join(f"\n    {printable(i.name)}: {_v(i.score)} / {_v(i.max)}" for i in r.indicators)),
        f"  score        {_v(r.total_score)}  grade {_v(r.grade)}",
    ]
    counts = {s: sum(f.severity == s for f in result.findings) for s in ("error", "warning", "info")}
    lines.append(f"  findings     {counts['error']} errors · {counts['warning']} warnings · {counts['info']} info"
                 "  (python cli.py verify FILE for details)")
    return "\n".join(lines)

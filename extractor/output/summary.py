"""The short human summary that `extract` prints without --json: each figure as the report
wrote it, named as everywhere else (the field registry), in Chinese or with ``--lang en`` in English."""

from __future__ import annotations

from ..display import as_written, field_name, kind_name, severity_name
from ..errors import printable
from ..i18n import _


def _v(f, key: str = "") -> str:
    """A figure as the report wrote it (145.16万元, 7人), or a dash; its control characters escaped."""
    return printable(as_written(f, key))


def _named(key: str, f) -> str:
    return _("{name} {value}").format(name=field_name(key), value=_v(f, key))


def _line(key: str, value: str) -> str:
    return "  " + _("{name}：{value}").format(name=field_name(key), value=value)


def _figure_lines(r) -> list[str]:
    """Headcount, revenue, expenditure and budget: a line for each the report states any of."""
    hc, b = r.headcount, r.budget
    lines: list[str] = []
    people = ("authorized", "actual", "in_service", "retired")
    if any(getattr(hc, k) is not None for k in people):
        lines.append("  " + " · ".join(_named(f"headcount.{k}", getattr(hc, k)) for k in people))
    if r.revenue.total is not None or r.revenue.items:
        lines.append(
            _line(
                "revenue.total",
                _v(r.revenue.total)
                + (
                    _("（{list}{n}项）").format(list=field_name("revenue.items"), n=len(r.revenue.items))
                    if r.revenue.items
                    else ""
                ),
            )
        )
    if r.expenditure.total is not None or r.expenditure.by_type:
        lines.append(
            _line(
                "expenditure.total",
                " · ".join(
                    [_v(r.expenditure.total)]
                    + [
                        _("{name} {value}").format(name=printable(i.name), value=_v(i.amount))
                        for i in r.expenditure.by_type
                    ]
                ),
            )
        )
    if any(getattr(b, k) is not None for k in ("total", "adjusted", "spent", "execution_rate")):
        lines.append(
            "  "
            + " · ".join(_named(f"budget.{k}", getattr(b, k)) for k in ("total", "adjusted", "spent", "execution_rate"))
        )
    return lines


def _indicator(i) -> str:
    """A level-1 indicator on a line of its own, under the indicators' line."""
    score, most = _v(i.score, "score"), _v(i.max, "max")
    return "\n    " + _("{name}：得分 {score} / 分值 {max}").format(name=printable(i.name), score=score, max=most)


def render_summary(result) -> str:
    """A few lines for a person: the file, the report's identity, its key figures and scores, and
    how many findings of each severity."""
    r = result.report
    src = result.source
    size = _("{n} 字").format(n=src.chars) + (_("，{n} 页").format(n=src.pages) if src.pages else "")
    lines = [
        _("{path}（{format}，{size}）").format(path=printable(src.path), format=src.format, size=size),
        _line("title", _v(r.title)),  # a title broken over lines is read joined
        _line("department", _v(r.department)),
        _line("fiscal_year", _v(r.fiscal_year)),
        _line("kind", kind_name(r.kind.value if r.kind else None)),
        *_figure_lines(r),
        _line("indicators", _("一级指标{n}个").format(n=len(r.indicators)) + "".join(map(_indicator, r.indicators))),
    ]
    lines.append("  " + " · ".join(_named(k, getattr(r, k)) for k in ("total_score", "max_score", "grade")))
    counts = " · ".join(
        _("{severity} {n}").format(severity=severity_name(s), n=sum(f.severity == s for f in result.findings))
        for s in ("error", "warning", "info")
    )
    lines.append("  " + _("核查发现：{counts}（详见 python cli.py verify FILE）").format(counts=counts))
    return "\n".join(lines)

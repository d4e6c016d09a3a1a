"""The extracted record (FIELDS.md): typed dataclasses in which every value carries its span.

The record is a tree of standard-library dataclasses (slotted, keyword-only), so building one
costs microseconds and a cold ``extract`` does not import pydantic at all (issue 7: pydantic's
model machinery alone is ~2x the cost of ``import pydantic``). Pydantic is the contract's
validator: :func:`check` validates a record strictly (types, literals, spans as tuples, no
stray fields) and :func:`load_report` turns stored JSON back into a record; both build their
pydantic schema from these same classes, on first use. ``dump`` writes the JSON shape.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from .numbers import format_decimal

SCHEMA_VERSION = 1
KINDS = ("department_overall", "project", "final_accounts", "other", "unknown")
# qualifiers the fields give from what they read beyond a figure's words, for the rules: a by-type
# amount listed beside parts the record does not hold (经营支出, 结余分配), and a year's total in a
# report whose grand totals hold items besides it and the carry-overs
AMONG_OTHERS = "among_others"
WITH_OTHER_ITEMS = "with_other_items"

# Read by pydantic when it validates these classes (check / load_report); a plain dict, so
# that defining the classes does not import pydantic. Strict: an int where a Decimal belongs,
# a list where a span tuple belongs, or an unknown field is an error, not a coercion.
_PYDANTIC = {"strict": True, "revalidate_instances": "always", "extra": "forbid"}
_record = dataclass(slots=True, kw_only=True)


@_record
class Grounded:
    """A value and the text it came from: ``document.text[span[0]:span[1]] == raw``."""

    __pydantic_config__ = _PYDANTIC
    value: Any
    raw: str
    span: tuple[int, int]
    page: int | None = None
    pattern: str | None = None
    # the words that named the figure (folded: "收入总计", "本年收入合计", a column's header) and
    # the qualifiers found around them (patterns/qualifiers.toml: "part", "scope" …), so that the
    # verifier reads what a figure is from the record, not from the text
    label: str | None = None
    qualifiers: tuple[str, ...] = ()


@_record
class Number(Grounded):
    """A decimal figure (score, points, percent) with the places it was written with."""

    value: Decimal
    decimals: int = 0


@_record
class Money(Number):
    """An amount in yuan; ``unit`` as written (or as stated in a table header)."""

    unit: str = "元"
    approx: bool = False


@_record
class Count(Grounded):
    value: int


@_record
class Part:
    __pydantic_config__ = _PYDANTIC
    name: str
    count: Count


@_record
class Item:
    __pydantic_config__ = _PYDANTIC
    name: str
    amount: Money
    share: Number | None = None
    name_span: tuple[int, int] | None = None


@_record
class Headcount:
    __pydantic_config__ = _PYDANTIC
    authorized: Count | None = None
    authorized_breakdown: list[Part] = field(default_factory=list)
    actual: Count | None = None
    actual_breakdown: list[Part] = field(default_factory=list)
    in_service: Count | None = None
    in_service_breakdown: list[Part] = field(default_factory=list)
    retired: Count | None = None


@_record
class Revenue:
    __pydantic_config__ = _PYDANTIC
    total: Money | None = None
    items: list[Item] = field(default_factory=list)


@_record
class Carryover:
    __pydantic_config__ = _PYDANTIC
    start: Money | None = None
    end: Money | None = None


@_record
class Expenditure:
    __pydantic_config__ = _PYDANTIC
    total: Money | None = None
    by_type: list[Item] = field(default_factory=list)
    by_function: list[Item] = field(default_factory=list)


@_record
class BudgetRow:
    """One source of a budget (其中：当年财政拨款 / 上年结转资金 / 其他资金 rows of a project form, or
    the parts a sentence lists after a budget), with the figures stated for it."""

    __pydantic_config__ = _PYDANTIC
    name: str
    total: Money | None = None
    adjusted: Money | None = None
    spent: Money | None = None
    execution_rate: Number | None = None
    name_span: tuple[int, int] | None = None


@_record
class Budget:
    __pydantic_config__ = _PYDANTIC
    total: Money | None = None
    adjusted: Money | None = None
    spent: Money | None = None
    execution_rate: Number | None = None
    sources: list[BudgetRow] = field(default_factory=list)


@_record
class Indicator:
    __pydantic_config__ = _PYDANTIC
    name: str
    level: int
    max: Number | None = None
    score: Number | None = None
    children: list[Indicator] = field(default_factory=list)
    name_span: tuple[int, int] | None = None


@_record
class Band:
    __pydantic_config__ = _PYDANTIC
    grade: str
    min: Decimal | None = None
    min_inclusive: bool = True
    max: Decimal | None = None
    max_inclusive: bool = False


@_record
class GradeBands:
    __pydantic_config__ = _PYDANTIC
    source: Literal["report", "default"]
    bands: list[Band]
    span: tuple[int, int] | None = None


@_record
class Report:
    __pydantic_config__ = _PYDANTIC
    title: Grounded | None = None
    department: Grounded | None = None
    fiscal_year: Count | None = None
    kind: Grounded | None = None
    divisions: Grounded | None = None
    headcount: Headcount = field(default_factory=Headcount)
    revenue: Revenue = field(default_factory=Revenue)
    carryover: Carryover = field(default_factory=Carryover)
    expenditure: Expenditure = field(default_factory=Expenditure)
    budget: Budget = field(default_factory=Budget)
    indicators: list[Indicator] = field(default_factory=list)
    total_score: Number | None = None
    max_score: Number | None = None
    grade: Grounded | None = None
    grade_bands: GradeBands | None = None
    # Every candidate seen for a restatable figure (field path -> values), so the verifier can
    # compare a narrative figure with its table, the summary with its section. Each candidate
    # is of its field's type (a Money keeps its unit and decimals).
    candidates: dict[str, list[Count | Number | Money | Grounded]] = field(default_factory=dict)


@_record
class Finding:
    __pydantic_config__ = _PYDANTIC
    rule: str
    severity: Literal["error", "warning", "info"]
    message: str
    fields: list[str] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)
    expected: str | None = None
    found: str | None = None


@_record
class OcrPage:
    """A page read by OCR: how many pieces of text were recognised on it, and the engine's mean
    confidence over their characters (0-1; null when nothing was recognised)."""

    __pydantic_config__ = _PYDANTIC
    page: int
    lines: int
    confidence: float | None = None


@_record
class OcrSource:
    """Which pages were read by OCR, with what engine and confidence (docs/fields.md)."""

    __pydantic_config__ = _PYDANTIC
    engine: str
    pages: list[OcrPage] = field(default_factory=list)
    confidence: float | None = None


@_record
class Source:
    __pydantic_config__ = _PYDANTIC
    path: str
    sha256: str
    format: str
    pages: int | None = None
    chars: int
    encoding: str | None = None
    ocr: OcrSource | None = None


# ---- JSON ------------------------------------------------------------------------------------

_NAMES: dict[type, tuple[str, ...]] = {}


def dump(obj: Any) -> Any:
    """A record (or any part of one) as JSON-ready data, fields in declaration order.

    Decimals are written as the report wrote them (``format_decimal``: "145.16", never
    "1.4516E+2"), spans as lists; nothing else changes.
    """
    cls = type(obj)
    names = _NAMES.get(cls)
    if names is None:
        if not dataclasses.is_dataclass(cls):
            if isinstance(obj, Decimal):
                return format_decimal(obj)
            if isinstance(obj, (list, tuple)):
                return [dump(x) for x in obj]
            if isinstance(obj, dict):
                return {k: dump(v) for k, v in obj.items()}
            return obj
        names = _NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls))
    out = {}
    for name in names:
        v = getattr(obj, name)
        out[name] = v if v is None or v.__class__ in (str, int, bool) else dump(v)
    return out


# ---- validation (pydantic, loaded on first use) ----------------------------------------------

_ADAPTERS: dict[type, Any] = {}


def _adapter(cls: type):
    if cls not in _ADAPTERS:
        from pydantic import TypeAdapter

        _ADAPTERS[cls] = TypeAdapter(cls)
    return _ADAPTERS[cls]


def check(record: Any) -> Any:
    """Validate a record strictly against the contract; raises pydantic's ValidationError."""
    return _adapter(type(record)).validate_python(record)


def load(cls: type, data: Any) -> Any:
    """A record of type ``cls`` from JSON data (``dump``'s output): "145.16" becomes a Decimal,
    lists become span tuples; anything that does not fit the contract raises ValidationError."""
    return _adapter(cls).validate_python(data, strict=False)


def load_report(data: dict) -> Report:
    return load(Report, data)


def json_schema(cls: type = Report) -> dict:
    """The JSON Schema of a record type (what ``dump`` writes)."""
    return _adapter(cls).json_schema(mode="serialization")

"""The extracted record (FIELDS.md): pydantic models in which every value carries its span."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_serializer

from .numbers import format_decimal

SCHEMA_VERSION = 1
KINDS = ("department_overall", "project", "final_accounts", "other", "unknown")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


# Default factories are Python functions, not ``list``/``dict``/a model class: pydantic reads a
# factory's signature, and a builtin's signature is parsed by the tokenizer, whose regex takes
# milliseconds to compile on every cold start. A Python function's signature is free.
def _empty_list() -> list:
    return []


def _empty_dict() -> dict:
    return {}


class Grounded(_Model):
    """A value and the text it came from: ``document.text[span[0]:span[1]] == raw``."""

    value: Any
    raw: str
    span: tuple[int, int]
    page: int | None = None
    pattern: str | None = None

    @field_serializer("value")
    def _ser_value(self, v: Any):
        return format_decimal(v) if isinstance(v, Decimal) else v


class Number(Grounded):
    """A decimal figure (score, points, percent) with the places it was written with."""

    value: Decimal
    decimals: int = 0


class Money(Number):
    """An amount in yuan; ``unit`` as written (or as stated in a table header)."""

    unit: str = "元"
    approx: bool = False


class Count(Grounded):
    value: int


class Part(_Model):
    name: str
    count: Count


class Item(_Model):
    name: str
    amount: Money
    share: Number | None = None
    name_span: tuple[int, int] | None = None


class Headcount(_Model):
    authorized: Count | None = None
    authorized_breakdown: list[Part] = Field(default_factory=_empty_list)
    actual: Count | None = None
    in_service: Count | None = None
    in_service_breakdown: list[Part] = Field(default_factory=_empty_list)
    retired: Count | None = None


class Revenue(_Model):
    total: Money | None = None
    items: list[Item] = Field(default_factory=_empty_list)


class Carryover(_Model):
    start: Money | None = None
    end: Money | None = None


class Expenditure(_Model):
    total: Money | None = None
    by_type: list[Item] = Field(default_factory=_empty_list)
    by_function: list[Item] = Field(default_factory=_empty_list)


class Budget(_Model):
    total: Money | None = None
    adjusted: Money | None = None
    spent: Money | None = None
    execution_rate: Number | None = None


class Indicator(_Model):
    name: str
    level: int
    max: Number | None = None
    score: Number | None = None
    children: list[Indicator] = Field(default_factory=_empty_list)
    name_span: tuple[int, int] | None = None


class Band(_Model):
    grade: str
    min: Decimal | None = None
    min_inclusive: bool = True
    max: Decimal | None = None
    max_inclusive: bool = False

    @field_serializer("min", "max")
    def _ser(self, v: Decimal | None):
        return None if v is None else format_decimal(v)


class GradeBands(_Model):
    source: Literal["report", "default"]
    bands: list[Band]
    span: tuple[int, int] | None = None


class Report(_Model):
    title: Grounded | None = None
    department: Grounded | None = None
    fiscal_year: Count | None = None
    kind: Grounded | None = None
    divisions: Grounded | None = None
    headcount: Headcount = Field(default_factory=lambda: Headcount())
    revenue: Revenue = Field(default_factory=lambda: Revenue())
    carryover: Carryover = Field(default_factory=lambda: Carryover())
    expenditure: Expenditure = Field(default_factory=lambda: Expenditure())
    budget: Budget = Field(default_factory=lambda: Budget())
    indicators: list[Indicator] = Field(default_factory=_empty_list)
    total_score: Number | None = None
    max_score: Number | None = None
    grade: Grounded | None = None
    grade_bands: GradeBands | None = None
    # Every candidate seen for a restatable figure (field path -> values), so the verifier can
    # compare a narrative figure with its table, the summary with its section.
    candidates: dict[str, list[Grounded]] = Field(default_factory=_empty_dict)


class Finding(_Model):
    rule: str
    severity: Literal["error", "warning", "info"]
    message: str
    fields: list[str] = Field(default_factory=_empty_list)
    spans: list[tuple[int, int]] = Field(default_factory=_empty_list)
    expected: str | None = None
    found: str | None = None


class Source(_Model):
    path: str
    sha256: str
    format: str
    pages: int | None = None
    chars: int
    encoding: str | None = None

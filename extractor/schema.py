"""The whole ``extract --json`` object as a type: its JSON Schema (``cli.py schema``), from which a
data team creates its tables, and validation of stored output against the contract. Imported
only for those two uses (pydantic and typing_extensions load with it)."""

from __future__ import annotations

from typing import Any, Literal, NotRequired

from typing_extensions import TypedDict  # pydantic needs typing_extensions' TypedDict before 3.12

from .model import SCHEMA_VERSION, Finding, Report, Source, _adapter


class Extracted(TypedDict):
    """One object of ``cli.py extract --json`` (output/json.py writes it)."""

    schema_version: Literal[1]
    source: Source
    report: Report
    findings: list[Finding]
    text: NotRequired[str]


assert SCHEMA_VERSION == 1, "update Extracted.schema_version with SCHEMA_VERSION"


def output_schema() -> dict[str, Any]:
    schema = _adapter(Extracted).json_schema(mode="serialization")
    schema["title"] = "gov-perf-extractor extract --json"
    return schema


def load_output(data: dict) -> Extracted:
    """An ``extract --json`` object checked against the contract; its records become dataclasses
    (Decimals from their strings, spans as tuples). Raises pydantic's ValidationError."""
    return _adapter(Extracted).validate_python(data, strict=False)

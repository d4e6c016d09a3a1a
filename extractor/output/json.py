"""The JSON contract of FIELDS.md: deterministic, byte-identical for the same input and version."""

from __future__ import annotations

import json

from ..model import SCHEMA_VERSION, dump


def to_dict(extraction, *, with_text: bool = False) -> dict:
    out = {
        "schema_version": SCHEMA_VERSION,
        "source": dump(extraction.source),
        "report": dump(extraction.report),
        "findings": dump(extraction.findings),
    }
    if with_text:
        out["text"] = extraction.document.text
    return out


def to_json(extraction, *, with_text: bool = False, indent: int | None = 1) -> str:
    return json.dumps(to_dict(extraction, with_text=with_text), ensure_ascii=False, indent=indent)

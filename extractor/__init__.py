"""Extract a grounded, verified record from Chinese government performance reports.

Public API: ``extract(path)``, ``extract_bytes(data, name=...)``, ``extract_document(doc)``, ``extract_text(text)``, ``read(path)``,
``to_json(extraction)``.
"""

from __future__ import annotations

__version__ = "0.1.0"

from typing import TYPE_CHECKING

from .errors import ReadError

if TYPE_CHECKING:
    from .output.json import to_dict, to_json
    from .pipeline import Extraction, extract, extract_bytes, extract_document, extract_text, read

__all__ = [
    "Extraction",
    "ReadError",
    "extract",
    "extract_bytes",
    "extract_document",
    "extract_text",
    "read",
    "to_dict",
    "to_json",
    "__version__",
]

# The public names load on first use (PEP 562): `import extractor` alone, `cli.py rules` and
# `--help` do not pay for pydantic and the compiled patterns.
_LAZY = {
    "Extraction": ".pipeline",
    "extract": ".pipeline",
    "extract_bytes": ".pipeline",
    "extract_document": ".pipeline",
    "extract_text": ".pipeline",
    "read": ".pipeline",
    "to_dict": ".output.json",
    "to_json": ".output.json",
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))

"""Extract a grounded, verified record from Chinese government performance reports.

Public API: ``extract(path)``, ``extract_document(doc)``, ``extract_text(text)``, ``read(path)``,
``to_json(extraction)``.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import ReadError
from .output.json import to_json, to_dict
from .pipeline import Extraction, extract, extract_document, extract_text, read

__all__ = ["Extraction", "ReadError", "extract", "extract_document", "extract_text", "read", "to_dict", "to_json",
           "__version__"]

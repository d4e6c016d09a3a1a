"""Write samples/expected/<file>.json: the report extracted from each sample, for review.

Run after a deliberate change to extraction, review the diff (`git diff samples/expected`),
and commit it with the change. tests/test_samples.py compares against these files.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from extractor import extract  # noqa: E402
from extractor.model import dump  # noqa: E402

FORMATS = (".txt", ".docx", ".pdf", ".html", ".xlsx", ".xls", ".ofd")


def sample_files() -> list[Path]:
    return sorted(p for p in HERE.iterdir() if p.suffix in FORMATS)


def expected_for(path: Path) -> dict:
    result = extract(path, verify=False)
    return {"source": {"format": result.source.format, "pages": result.source.pages}, "report": dump(result.report)}


def main() -> int:
    out = HERE / "expected"
    out.mkdir(exist_ok=True)
    for path in sample_files():
        target = out / f"{path.name}.json"
        target.write_text(json.dumps(expected_for(path), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {target.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

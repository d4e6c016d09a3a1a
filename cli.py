"""Entry point: `python cli.py extract report.docx --json` (see README)."""

import sys

from extractor.cli import main

if __name__ == "__main__":
    sys.exit(main())

"""Entry point: `python cli.py extract report.docx --json` (see README)."""

import gc
import sys

from extractor.cli import main

if __name__ == "__main__":
    code = main()
    # one-shot command: skip the interpreter's final full collection (~25 ms of a cold run)
    gc.freeze()
    sys.exit(code)

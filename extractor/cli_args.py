"""The command line's grammar: every command and option with its help, and the exit codes.

``cli.py`` runs what is parsed here. Light to import: nothing is loaded that a command does
not need, so that ``--help`` and a cold ``extract`` stay quick.
"""

from __future__ import annotations

import argparse
import sys

from .ingest_policy import DEFAULT_MAX_ATTEMPTS, DEFAULT_TIMEOUT

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE, EXIT_USAGE = 0, 1, 2, 3


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # usage errors exit 3, as FIELDS.md says, not argparse's 2
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def _codes(value: str) -> tuple[str, ...]:
    return tuple(c.strip().upper() for c in value.split(",") if c.strip())


def _positive(kind):
    """An argparse type: a number above zero (--workers 0, --timeout -1 are usage errors)."""

    def convert(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if not value > 0:
            raise argparse.ArgumentTypeError(f"must be more than 0: {text!r}")
        return value

    return convert


def _version() -> str:
    from . import __version__

    return f"gov-perf-extractor {__version__}"


def _limit_flags(parser: argparse.ArgumentParser) -> None:
    """--max-bytes, --max-chars, --max-pages, --time-budget, --max-memory: see extractor/limits.py (also
    EXTRACTOR_MAX_*)."""
    from .limits import LimitsError, parse_seconds, parse_size

    def checked(parse):
        def convert(text: str):
            try:
                return parse(text)
            except LimitsError as exc:
                raise argparse.ArgumentTypeError(str(exc)) from None

        return convert

    size, seconds = checked(parse_size), checked(parse_seconds)
    parser.add_argument("--max-bytes", type=size, help="refuse files larger than this (default 200M)")
    parser.add_argument("--max-chars", type=size, help="refuse documents with more text than this (default 10M)")
    parser.add_argument("--max-pages", type=size, help="refuse PDFs with more pages than this (default 2000)")
    parser.add_argument(
        "--time-budget",
        dest="max_seconds",
        type=seconds,
        metavar="SECONDS",
        help="stop a document (reading, fields, rules) after this long (default 60)",
    )
    parser.add_argument("--max-memory", type=size, help="stop a document that needs more memory than this (default 2G)")


def _language(text: str) -> str:
    from .i18n import LANGUAGES

    if text not in LANGUAGES:
        raise argparse.ArgumentTypeError(f"not one of {', '.join(LANGUAGES)}: {text!r}")
    return text


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="cli.py", description="Extract and verify Chinese government performance reports.")
    p.add_argument("--version", action="version", version=_version())
    # what people read (summaries, findings, rule docs, errors, pages): Chinese, or English
    lang = argparse.ArgumentParser(add_help=False)
    lang.add_argument(
        "--lang",
        type=_language,
        default=argparse.SUPPRESS,
        help="language of what is shown: zh (default; or $EXTRACTOR_LANG) or en",
    )
    p.add_argument("--lang", type=_language, default=None, help="language of what is shown: zh (default) or en")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    _add = sub.add_parser

    def add_parser(*args, **kwargs):  # every command takes --lang after its name too
        return _add(*args, parents=[lang], **kwargs)

    sub.add_parser = add_parser
    for add_command in (_extract, _verify, _schema, _rules, _report, _ingest, _export, _audit):
        add_command(sub)
    return p


def _extract(sub) -> None:
    ex = sub.add_parser("extract", help="extract the grounded record of each file")
    ex.add_argument("files", nargs="+", metavar="FILE", help="files to read; - reads one document from stdin")
    ex.add_argument("--json", action="store_true", help="print JSON (one object; JSON Lines for several files)")
    ex.add_argument("--with-text", action="store_true", help="include the document text that spans index")
    ex.add_argument("--no-verify", action="store_true", help="skip the rule checks")
    ex.add_argument("-o", "--output", help="write to this file instead of stdout (never over an input)")
    _limit_flags(ex)


def _verify(sub) -> None:
    ve = sub.add_parser("verify", help="check each file's figures against each other")
    ve.add_argument("files", nargs="+", metavar="FILE", help="files to read; - reads one document from stdin")
    ve.add_argument(
        "--select", type=_codes, default=(), help="only rules whose code starts with one of these (comma-separated)"
    )
    ve.add_argument("--ignore", type=_codes, default=(), help="skip rules whose code starts with one of these")
    ve.add_argument(
        "--format",
        choices=("text", "json", "csv"),
        default="text",
        help="text for people; json (JSON Lines) or csv: one row per finding, for a batch",
    )
    ve.add_argument("--json", dest="format", action="store_const", const="json", help="the same as --format json")
    _limit_flags(ve)


def _schema(sub) -> None:
    sub.add_parser("schema", help="print the JSON Schema of one `extract --json` object (for creating tables)")


def _rules(sub) -> None:
    ru = sub.add_parser(
        "rules",
        help="list the rule catalogue (or the rules whose code starts with PREFIX), or print one rule's documentation",
    )
    ru.add_argument("code", nargs="?", metavar="CODE|PREFIX", help="a rule (SUM001) or a prefix (SUM, XR)")
    ru.add_argument("--json", action="store_true", help="the rules as one JSON array, their docs by section")


def _report(sub) -> None:
    rp = sub.add_parser("report", help="write the auditor's HTML page; for several files or --db, pages and an index")
    rp.add_argument("files", nargs="*", metavar="FILE")
    rp.add_argument("--db", help="render every report listed in this SQLite store")
    rp.add_argument("-o", "--output", required=True, help="the page (one FILE) or a directory (several, or --db)")
    _limit_flags(rp)


def _ingest(sub) -> None:
    ig = sub.add_parser("ingest", help="extract every report under folders into a SQLite store (parallel, resumable)")
    ig.add_argument("paths", nargs="+", metavar="PATH", help="files or folders (walked recursively)")
    ig.add_argument("--db", required=True, help="the SQLite store (created if missing)")
    ig.add_argument("--workers", type=_positive(int), help="worker processes (default: all cores)")
    ig.add_argument(
        "--timeout",
        type=_positive(float),
        default=DEFAULT_TIMEOUT,
        help="seconds per file before its worker is replaced",
    )
    ig.add_argument("--force", action="store_true", help="extract again files already stored with these versions")
    ig.add_argument(
        "--retry-errors",
        action="store_true",
        help="try again every stored error (transient ones — crashed, timeout, vanished — are retried anyway)",
    )
    ig.add_argument(
        "--max-attempts",
        type=_positive(int),
        default=DEFAULT_MAX_ATTEMPTS,
        help="tries of a file that keeps failing transiently before only --retry-errors retries it",
    )
    ig.add_argument("--prune", action="store_true", help="remove paths found missing, and documents left with none")
    ig.add_argument(
        "--follow-symlinks",
        action="store_true",
        help="follow symlinks and linked folders, even out of the archive (default: not out of it)",
    )
    ig.add_argument("--quiet", action="store_true", help="no progress bar and no summary")
    ig.add_argument("--engine", choices=("process", "dask"), default="process")
    ig.add_argument("--scheduler", help="Dask scheduler address, for --engine dask")


def _export(sub) -> None:
    eo = sub.add_parser("export", help="write the store's reports as CSV, JSON Lines (full records) or Parquet")
    eo.add_argument("--db", required=True)
    eo.add_argument("--format", required=True, choices=("csv", "jsonl", "parquet"))
    eo.add_argument("-o", "--output", required=True, help="the file to write (- for stdout, except parquet)")
    eo.add_argument("--excel", action="store_true", help="CSV as UTF-8 with a byte-order mark, for Excel")
    eo.add_argument("--with-record", action="store_true", help="JSON Lines: add each report's full record")


def _audit(sub) -> None:
    au = sub.add_parser("audit", help="checks across the reports of a store (carry-over chain, headcount, reuse)")
    au.add_argument("--db", required=True)
    au.add_argument("--select", type=_codes, default=(), help="only checks whose code starts with one of these")
    au.add_argument("--json", action="store_true", help="print findings as JSON Lines")

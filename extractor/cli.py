"""Command-line interface: argument parsing and wiring only; the work is in the library."""

from __future__ import annotations

import argparse
import json
import os
import sys

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE, EXIT_USAGE = 0, 1, 2, 3
DEFAULT_INGEST_TIMEOUT = 120.0  # seconds; the library's own default, extractor.ingest.DEFAULT_TIMEOUT


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # usage errors exit 3, as FIELDS.md says, not argparse's 2
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def _codes(value: str) -> tuple[str, ...]:
    return tuple(c.strip().upper() for c in value.split(",") if c.strip())


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
    parser.add_argument("--time-budget", dest="max_seconds", type=seconds, metavar="SECONDS",
                        help="stop a document (reading, fields, rules) after this long (default 60)")
    parser.add_argument("--max-memory", type=size, help="stop a document that needs more memory than this (default 2G)")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="cli.py", description="Extract and verify Chinese government performance reports.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    ex = sub.add_parser("extract", help="extract the grounded record of each file")
    ex.add_argument("files", nargs="+", metavar="FILE")
    ex.add_argument("--json", action="store_true", help="print JSON (one object; JSON Lines for several files)")
    ex.add_argument("--with-text", action="store_true", help="include the document text that spans index")
    ex.add_argument("--no-verify", action="store_true", help="skip the rule checks")
    _limit_flags(ex)

    ve = sub.add_parser("verify", help="check each file's figures against each other")
    ve.add_argument("files", nargs="+", metavar="FILE")
    ve.add_argument("--select", type=_codes, default=(), help="only rules whose code starts with one of these (comma-separated)")
    ve.add_argument("--ignore", type=_codes, default=(), help="skip rules whose code starts with one of these")
    ve.add_argument("--json", action="store_true", help="print findings as JSON Lines")
    _limit_flags(ve)

    sub.add_parser("schema", help="print the JSON Schema of one `extract --json` object (for creating tables)")

    ru = sub.add_parser("rules", help="list the rule catalogue, or print one rule's documentation")
    ru.add_argument("code", nargs="?")

    rp = sub.add_parser("report", help="write the auditor's HTML page; for several files or --db, pages and an index")
    rp.add_argument("files", nargs="*", metavar="FILE")
    rp.add_argument("--db", help="render every report listed in this SQLite store")
    rp.add_argument("-o", "--output", required=True, help="the page (one FILE) or a directory (several, or --db)")
    _limit_flags(rp)

    ig = sub.add_parser("ingest", help="extract every report under folders into a SQLite store (parallel, resumable)")
    ig.add_argument("paths", nargs="+", metavar="PATH", help="files or folders (walked recursively)")
    ig.add_argument("--db", required=True, help="the SQLite store (created if missing)")
    ig.add_argument("--workers", type=int, help="worker processes (default: all cores)")
    ig.add_argument("--timeout", type=float, default=DEFAULT_INGEST_TIMEOUT, help="seconds per file before its worker is replaced")
    ig.add_argument("--force", action="store_true", help="extract again files already stored with these versions")
    ig.add_argument("--quiet", action="store_true", help="no progress bar and no summary")
    ig.add_argument("--engine", choices=("process", "dask"), default="process")
    ig.add_argument("--scheduler", help="Dask scheduler address, for --engine dask")

    eo = sub.add_parser("export", help="write the store's reports as CSV, JSON Lines (full records) or Parquet")
    eo.add_argument("--db", required=True)
    eo.add_argument("--format", required=True, choices=("csv", "jsonl", "parquet"))
    eo.add_argument("-o", "--output", required=True, help="the file to write (- for stdout, except parquet)")

    au = sub.add_parser("audit", help="checks across the reports of a store (carry-over chain, headcount, reuse)")
    au.add_argument("--db", required=True)
    au.add_argument("--select", type=_codes, default=(), help="only checks whose code starts with one of these")
    au.add_argument("--json", action="store_true", help="print findings as JSON Lines")
    return p


def _say_error(message: object) -> None:
    """One line on stderr, whatever control characters a file name or a message holds."""
    from .errors import printable

    print(f"error: {printable(' '.join(str(message).splitlines()))}", file=sys.stderr)


def _fail(path: str, exc: BaseException) -> None:
    from .errors import ReadError
    from .limits import out_of_memory

    if isinstance(exc, MemoryError):
        exc = out_of_memory(path)
    _say_error(exc if isinstance(exc, ReadError) else f"{path}: internal error: {type(exc).__name__}: {exc}")


def _run_each(files, fn):
    """Run fn(path) per file; unreadable files print one line and make the exit code 2."""
    from .errors import ReadError

    status = EXIT_OK
    for path in files:
        try:
            status = max(status, fn(path))
        except ReadError as exc:
            _fail(path, exc)
            status = EXIT_UNREADABLE
        except BrokenPipeError:
            raise
        except MemoryError as exc:  # past --max-memory outside the pipeline (writing the output)
            _fail(path, exc)
            status = EXIT_UNREADABLE
        except Exception as exc:  # noqa: BLE001 - a bug must still not print a traceback to a user
            if os.environ.get("EXTRACTOR_DEBUG"):
                raise
            _fail(path, exc)
            status = EXIT_UNREADABLE
    return status


def cmd_extract(args) -> int:
    from . import extract
    from .output.json import to_dict, to_json
    from .output.summary import render_summary

    several = len(args.files) > 1

    def one(path):
        result = extract(path, verify=not args.no_verify)
        if args.json:
            if several:
                print(json.dumps(to_dict(result, with_text=args.with_text), ensure_ascii=False))
            else:
                print(to_json(result, with_text=args.with_text))
        else:
            print(render_summary(result))
        return EXIT_OK

    return _run_each(args.files, one)


def cmd_verify(args) -> int:
    from . import extract
    from .model import dump
    from .output.text import render_findings
    from .rules import selected_rules

    try:  # an unknown code prefix is a usage error, found before any file is read
        selected_rules(args.select, args.ignore)
    except ValueError as exc:
        _say_error(exc)
        return EXIT_USAGE

    def one(path):
        result = extract(path, select=args.select, ignore=args.ignore)
        if args.json:
            for f in result.findings:
                print(json.dumps({"path": path, **dump(f)}, ensure_ascii=False))
        else:
            print(render_findings(result.findings, result.document, path))
        return EXIT_FINDINGS if result.errors else EXIT_OK

    return _run_each(args.files, one)


def cmd_rules(args) -> int:
    from .output.text import render_catalogue, render_rule_doc
    from .rules import catalogue

    if args.code:
        try:
            print(render_rule_doc(args.code.upper()))
        except KeyError:
            print(f"error: no rule {args.code!r} (see: python cli.py rules)", file=sys.stderr)
            return EXIT_USAGE
        return EXIT_OK
    print(render_catalogue(catalogue()))
    return EXIT_OK


def cmd_report(args) -> int:
    from . import extract
    from .errors import ReadError
    from .output import html

    if bool(args.files) == bool(args.db):
        build_parser().error("report needs FILE(s) or --db, not both")
    if args.db or len(args.files) > 1 or args.output.endswith(("/", os.sep)) or os.path.isdir(args.output):
        try:
            items = html.items_from_db(args.db) if args.db else html.items_from_files(args.files)
        except ReadError as exc:
            _fail(args.db, exc)
            return EXIT_UNREADABLE
        site = html.write_site(items, args.output)
        for row in site.failed:
            _say_error(row["error"])
        print(site.index)
        return EXIT_UNREADABLE if site.failed else EXIT_OK
    return _run_each(args.files, lambda path: print(html.write_report(extract(path), args.output)) or EXIT_OK)


def _store_error(exc: Exception) -> int:
    _say_error(exc)
    return EXIT_UNREADABLE


def cmd_ingest(args) -> int:
    from .ingest import ingest
    from .pool import PoolError
    from .store import StoreError

    missing = [p for p in args.paths if not os.path.exists(p)]
    if missing:
        return _store_error(FileNotFoundError(f"{missing[0]}: no such file or directory"))
    if args.engine == "dask" and not args.scheduler:
        build_parser().error("--engine dask needs --scheduler ADDRESS")
    try:
        summary = ingest(args.paths, args.db, workers=args.workers, timeout=args.timeout, force=args.force,
                         quiet=args.quiet, engine=args.engine, scheduler=args.scheduler)
    except (StoreError, PoolError, OSError) as exc:
        return _store_error(exc)
    if not args.quiet:
        print(summary.render(), file=sys.stderr)
    return EXIT_OK


def cmd_export(args) -> int:
    from .export import export
    from .store import StoreError

    try:
        export(args.db, args.format, args.output)
    except BrokenPipeError:
        raise
    except (StoreError, ValueError, OSError) as exc:
        return _store_error(exc)
    return EXIT_OK


def cmd_audit(args) -> int:
    from .audit import audit, render
    from .store import StoreError

    try:
        findings = audit(args.db, select=args.select)
    except ValueError as exc:  # an unknown --select prefix
        _say_error(exc)
        return EXIT_USAGE
    except StoreError as exc:
        return _store_error(exc)
    if args.json:
        for f in findings:
            print(json.dumps(f.as_dict(), ensure_ascii=False))
    else:
        print(render(findings))
    return EXIT_FINDINGS if any(f.severity == "error" for f in findings) else EXIT_OK


def cmd_schema(args) -> int:
    from .schema import output_schema

    print(json.dumps(output_schema(), ensure_ascii=False, indent=1))
    return EXIT_OK


_LIMIT_KEYS = ("max_bytes", "max_chars", "max_pages", "max_seconds", "max_memory")
# Commands that read documents in this process, under --max-memory.
_READS_DOCUMENTS = ("extract", "verify", "report")


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    handler = {"extract": cmd_extract, "verify": cmd_verify, "rules": cmd_rules, "report": cmd_report,
               "ingest": cmd_ingest, "export": cmd_export, "audit": cmd_audit,
               "schema": cmd_schema}[args.command]
    from .limits import LimitsError, memory_cap, use

    try:
        # The limit flags, over EXTRACTOR_MAX_* (a bad value of which is a usage error too).
        with use(**{k: getattr(args, k, None) for k in _LIMIT_KEYS}) as limits:
            if args.command not in _READS_DOCUMENTS:  # ingest caps its workers, not its parent
                return handler(args)
            with memory_cap(limits.max_memory):
                return handler(args)
    except LimitsError as exc:
        _say_error(exc)
        return EXIT_USAGE
    except BrokenPipeError:  # `| head` closed the pipe: not an error worth a traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())

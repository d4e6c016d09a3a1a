"""Command-line interface: argument parsing and wiring only; the work is in the library."""

from __future__ import annotations

import argparse
import json
import os
import sys

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE, EXIT_USAGE = 0, 1, 2, 3
DEFAULT_INGEST_TIMEOUT = 120.0  # seconds; the library's own default, extractor.ingest.DEFAULT_TIMEOUT
DEFAULT_MAX_ATTEMPTS = 3  # extractor.ingest.DEFAULT_MAX_ATTEMPTS (not imported: --help stays light)


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
    parser.add_argument("--time-budget", dest="max_seconds", type=seconds, metavar="SECONDS",
                        help="stop a document (reading, fields, rules) after this long (default 60)")
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
    lang.add_argument("--lang", type=_language, default=argparse.SUPPRESS,
                      help="language of what is shown: zh (default; or $EXTRACTOR_LANG) or en")
    p.add_argument("--lang", type=_language, default=None, help="language of what is shown: zh (default) or en")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    _add = sub.add_parser

    def add_parser(*args, **kwargs):
        return _add(*args, parents=[lang], **kwargs)

    sub.add_parser = add_parser

    ex = sub.add_parser("extract", help="extract the grounded record of each file")
    ex.add_argument("files", nargs="+", metavar="FILE", help="files to read; - reads one document from stdin")
    ex.add_argument("--json", action="store_true", help="print JSON (one object; JSON Lines for several files)")
    ex.add_argument("--with-text", action="store_true", help="include the document text that spans index")
    ex.add_argument("--no-verify", action="store_true", help="skip the rule checks")
    ex.add_argument("-o", "--output", help="write to this file instead of stdout (never over an input)")
    _limit_flags(ex)

    ve = sub.add_parser("verify", help="check each file's figures against each other")
    ve.add_argument("files", nargs="+", metavar="FILE", help="files to read; - reads one document from stdin")
    ve.add_argument("--select", type=_codes, default=(), help="only rules whose code starts with one of these (comma-separated)")
    ve.add_argument("--ignore", type=_codes, default=(), help="skip rules whose code starts with one of these")
    ve.add_argument("--format", choices=("text", "json", "csv"), default="text",
                    help="text for people; json (JSON Lines) or csv: one row per finding, for a batch")
    ve.add_argument("--json", dest="format", action="store_const", const="json", help="the same as --format json")
    _limit_flags(ve)

    sub.add_parser("schema", help="print the JSON Schema of one `extract --json` object (for creating tables)")

    ru = sub.add_parser("rules", help="list the rule catalogue (or the rules whose code starts with PREFIX), "
                                      "or print one rule's documentation")
    ru.add_argument("code", nargs="?", metavar="CODE|PREFIX", help="a rule (SUM001) or a prefix (SUM, XR)")
    ru.add_argument("--json", action="store_true", help="the rules as one JSON array, their docs by section")

    rp = sub.add_parser("report", help="write the auditor's HTML page; for several files or --db, pages and an index")
    rp.add_argument("files", nargs="*", metavar="FILE")
    rp.add_argument("--db", help="render every report listed in this SQLite store")
    rp.add_argument("-o", "--output", required=True, help="the page (one FILE) or a directory (several, or --db)")
    _limit_flags(rp)

    ig = sub.add_parser("ingest", help="extract every report under folders into a SQLite store (parallel, resumable)")
    ig.add_argument("paths", nargs="+", metavar="PATH", help="files or folders (walked recursively)")
    ig.add_argument("--db", required=True, help="the SQLite store (created if missing)")
    ig.add_argument("--workers", type=_positive(int), help="worker processes (default: all cores)")
    ig.add_argument("--timeout", type=_positive(float), default=DEFAULT_INGEST_TIMEOUT,
                    help="seconds per file before its worker is replaced")
    ig.add_argument("--force", action="store_true", help="extract again files already stored with these versions")
    ig.add_argument("--retry-errors", action="store_true",
                    help="try again every stored error (transient ones — crashed, timeout, vanished — are retried anyway)")
    ig.add_argument("--max-attempts", type=_positive(int), default=DEFAULT_MAX_ATTEMPTS,
                    help="tries of a file that keeps failing transiently before only --retry-errors retries it")
    ig.add_argument("--prune", action="store_true", help="remove paths found missing, and documents left with none")
    ig.add_argument("--follow-symlinks", action="store_true",
                    help="follow symlinks and linked folders, even out of the archive (default: not out of it)")
    ig.add_argument("--quiet", action="store_true", help="no progress bar and no summary")
    ig.add_argument("--engine", choices=("process", "dask"), default="process")
    ig.add_argument("--scheduler", help="Dask scheduler address, for --engine dask")

    eo = sub.add_parser("export", help="write the store's reports as CSV, JSON Lines (full records) or Parquet")
    eo.add_argument("--db", required=True)
    eo.add_argument("--format", required=True, choices=("csv", "jsonl", "parquet"))
    eo.add_argument("-o", "--output", required=True, help="the file to write (- for stdout, except parquet)")
    eo.add_argument("--excel", action="store_true", help="CSV as UTF-8 with a byte-order mark, for Excel")
    eo.add_argument("--with-record", action="store_true", help="JSON Lines: add each report's full record")

    au = sub.add_parser("audit", help="checks across the reports of a store (carry-over chain, headcount, reuse)")
    au.add_argument("--db", required=True)
    au.add_argument("--select", type=_codes, default=(), help="only checks whose code starts with one of these")
    au.add_argument("--json", action="store_true", help="print findings as JSON Lines")
    return p


def _error(message) -> None:
    """One line on stderr: ``错误：…`` (``error: …`` with --lang en), whatever control characters a
    file name or a message holds."""
    from .errors import printable
    from .i18n import _

    print(_("错误：{message}").format(message=printable(message)), file=sys.stderr)


def _fail(path: str, exc: BaseException) -> None:
    from .errors import ReadError, describe
    from .limits import out_of_memory

    if isinstance(exc, MemoryError):
        exc = out_of_memory(path)
    # (the store's module only when it is loaded: nothing is imported past the memory cap)
    store = sys.modules.get(f"{__package__}.store")
    own = store is not None and isinstance(exc, store.StoreError) and not isinstance(exc, ReadError)
    _error(str(exc) if own else describe(exc, path))


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


STDIN = "-"


def _extract(path: str, **options):
    """``extract(path)``, or of the document on stdin for "-" (read whole; its format is sniffed)."""
    from . import extract

    if path != STDIN:
        return extract(path, **options)
    from .pipeline import extract_bytes

    return extract_bytes(sys.stdin.buffer.read(), name="<stdin>", path="<stdin>", **options)


def _usage(message: str) -> int:
    _error(message)
    return EXIT_USAGE


def cmd_extract(args) -> int:
    from .output.json import to_dict, to_json
    from .output.summary import render_summary

    several = len(args.files) > 1
    if args.files.count(STDIN) > 1:
        return _usage("stdin (-) can be read only once")
    from .outfile import TextOutput

    try:
        output = TextOutput(args.output, args.files)
    except ValueError as exc:
        return _usage(str(exc))

    def one(path):
        result = _extract(path, verify=not args.no_verify)
        if args.json:
            if several:
                print(json.dumps(to_dict(result, with_text=args.with_text), ensure_ascii=False), file=out)
            else:
                print(to_json(result, with_text=args.with_text), file=out)
        else:
            print(render_summary(result), file=out)
        return EXIT_OK

    try:
        with output as out:
            return _run_each(args.files, one)
    except OSError as exc:
        return _store_error(f"{args.output}: cannot write ({exc.strerror or exc})")


VERIFY_CSV_COLUMNS = ("path", "rule", "severity", "message", "fields", "spans", "expected", "found")


def cmd_verify(args) -> int:
    from .model import dump
    from .output.text import render_findings
    from .rules import selected_rules

    try:  # an unknown code prefix is a usage error, found before any file is read
        selected_rules(args.select, args.ignore)
    except ValueError as exc:
        return _usage(str(exc))
    if args.files.count(STDIN) > 1:
        return _usage("stdin (-) can be read only once")
    table = None
    if args.format == "csv":
        import csv

        table = csv.writer(sys.stdout)
        table.writerow(VERIFY_CSV_COLUMNS)

    def one(path):
        result = _extract(path, select=args.select, ignore=args.ignore)
        if args.format == "json":
            for f in result.findings:
                print(json.dumps({"path": path, **dump(f)}, ensure_ascii=False))
        elif table is not None:
            from .outfile import neutralise

            for f in map(dump, result.findings):
                row = [path, *(f[k] for k in VERIFY_CSV_COLUMNS[1:])]
                table.writerow([neutralise(json.dumps(v, ensure_ascii=False) if isinstance(v, list) else
                                           "" if v is None else str(v)) for v in row])
        else:
            print(render_findings(result.findings, result.document, path))
        return EXIT_FINDINGS if result.errors else EXIT_OK

    return _run_each(args.files, one)


def cmd_rules(args) -> int:
    from .i18n import _
    from .output.text import render_catalogue, render_catalogue_json, render_rule_doc
    from .rules import catalogue
    from .rules.registry import rules_matching

    infos = rules_matching(args.code) if args.code else catalogue()
    if not infos:
        return _usage(_("没有代码为 {code!r} 或以其开头的规则（见 python cli.py rules）").format(code=args.code))
    if args.json:
        print(render_catalogue_json(infos))
    elif len(infos) == 1 and infos[0].code == args.code.strip().upper():
        print(render_rule_doc(infos[0].code))
    else:
        print(render_catalogue(infos))
    return EXIT_OK


def cmd_report(args) -> int:
    from . import extract
    from .audit import audit
    from .errors import ReadError
    from .outfile import refuse_overwrite
    from .output import html
    from .store import StoreError, store_files

    if bool(args.files) == bool(args.db):
        build_parser().error("report needs FILE(s) or --db, not both")
    out = args.output
    try:
        refuse_overwrite(out, store_files(args.db) if args.db else args.files,
                         what="the store" if args.db else "an input") if not os.path.isdir(out) else None
    except ValueError as exc:
        return _usage(str(exc))
    if args.db or len(args.files) > 1 or out.endswith(("/", os.sep)) or os.path.isdir(out):
        if os.path.exists(out) and not os.path.isdir(out):
            return _usage(f"{out}: is a file; several pages need a folder (-o FOLDER/)")
        try:
            items = html.items_from_db(args.db) if args.db else html.items_from_files(args.files)
            # the store's cross-report (XR) findings go on the pages of the reports they name
            site = html.write_site(items, out, cross=audit(args.db) if args.db else ())
        except (ReadError, StoreError) as exc:
            _fail(args.db, exc)
            return EXIT_UNREADABLE
        except OSError as exc:
            return _store_error(f"{out}: cannot write ({exc.strerror or exc})")
        for row in site.failed:
            _error(row["error"])
        print(site.index)
        return EXIT_UNREADABLE if site.failed else EXIT_OK
    return _run_each(args.files, lambda path: print(html.write_report(extract(path), out)) or EXIT_OK)


def _store_error(exc) -> int:
    _error(exc)
    return EXIT_UNREADABLE


def cmd_ingest(args) -> int:
    from .ingest import ingest
    from .pool import PoolError
    from .store import StoreError

    missing = [p for p in args.paths if not os.path.exists(p)]
    if missing:
        return _store_error(f"{missing[0]}: no such file or directory")
    if args.engine == "dask" and not args.scheduler:
        build_parser().error("--engine dask needs --scheduler ADDRESS")

    def waiting():
        print(f"waiting for another ingest into {args.db} to finish…", file=sys.stderr)

    try:
        summary = ingest(args.paths, args.db, workers=args.workers, timeout=args.timeout, force=args.force,
                         retry_errors=args.retry_errors, max_attempts=args.max_attempts, prune=args.prune,
                         follow_symlinks=args.follow_symlinks, quiet=args.quiet, engine=args.engine,
                         scheduler=args.scheduler, on_wait=waiting)
    except ValueError as exc:
        return _usage(str(exc))
    except (StoreError, PoolError, OSError) as exc:
        return _store_error(exc)
    if not args.quiet:
        print(summary.render(), file=sys.stderr)
    return EXIT_OK


def cmd_export(args) -> int:
    from .export import export
    from .store import StoreError

    try:
        done = export(args.db, args.format, args.output, excel=args.excel, with_record=args.with_record)
    except BrokenPipeError:
        raise
    except ValueError as exc:
        return _usage(str(exc))
    except (StoreError, OSError) as exc:
        return _store_error(exc)
    if done.unfit:
        print(f"warning: {done.unfit} figure(s) do not fit their column (finer than its scale): left empty, "
              "exact values in unfit_figures", file=sys.stderr)
    return EXIT_OK


def cmd_audit(args) -> int:
    from .audit import audit, render
    from .store import StoreError

    try:
        findings = audit(args.db, select=args.select)
    except ValueError as exc:  # an unknown --select prefix
        return _usage(str(exc))
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
    from .i18n import use as language
    from .limits import LimitsError, memory_cap, use

    try:
        # The limit flags, over EXTRACTOR_MAX_* (a bad value of which is a usage error too).
        with use(**{k: getattr(args, k, None) for k in _LIMIT_KEYS}) as limits, language(getattr(args, "lang", None)) as lang:
            if args.command not in _READS_DOCUMENTS:  # ingest caps its workers, not its parent
                return handler(args)
            from .errors import describe  # noqa: F401 - what an error past the cap needs, loaded before it
            from .i18n import catalogue

            catalogue(lang)
            with memory_cap(limits.max_memory):
                return handler(args)
    except LimitsError as exc:
        _error(exc)
        return EXIT_USAGE
    except BrokenPipeError:  # `| head` closed the pipe: not an error worth a traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())

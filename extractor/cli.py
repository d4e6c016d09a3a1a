"""Command-line interface: wiring only. Runs each command parsed by ``cli_args`` on the library and
turns its errors into one line and an exit code."""

from __future__ import annotations

import json
import os
import sys

from .cli_args import EXIT_FINDINGS, EXIT_OK, EXIT_UNREADABLE, EXIT_USAGE, build_parser


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


def cmd_verify(args) -> int:
    from .output.findings import FINDING_COLUMNS, csv_cells, finding_rows
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
        table.writerow(FINDING_COLUMNS)

    def one(path):
        result = _extract(path, select=args.select, ignore=args.ignore)
        if args.format == "json":
            for row in finding_rows(path, result.findings):
                print(json.dumps(row, ensure_ascii=False))
        elif table is not None:
            table.writerows(csv_cells(row) for row in finding_rows(path, result.findings))
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
        refuse_overwrite(
            out, store_files(args.db) if args.db else args.files, what="the store" if args.db else "an input"
        ) if not os.path.isdir(out) else None
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
        summary = ingest(
            args.paths,
            args.db,
            workers=args.workers,
            timeout=args.timeout,
            force=args.force,
            retry_errors=args.retry_errors,
            max_attempts=args.max_attempts,
            prune=args.prune,
            follow_symlinks=args.follow_symlinks,
            quiet=args.quiet,
            engine=args.engine,
            scheduler=args.scheduler,
            on_wait=waiting,
        )
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
        print(
            f"warning: {done.unfit} figure(s) do not fit their column (finer than its scale): left empty, "
            "exact values in unfit_figures",
            file=sys.stderr,
        )
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
    handler = {
        "extract": cmd_extract,
        "verify": cmd_verify,
        "rules": cmd_rules,
        "report": cmd_report,
        "ingest": cmd_ingest,
        "export": cmd_export,
        "audit": cmd_audit,
        "schema": cmd_schema,
    }[args.command]
    from .i18n import use as language
    from .limits import LimitsError, memory_cap, use

    try:
        # The limit flags, over EXTRACTOR_MAX_* (a bad value of which is a usage error too).
        with (
            use(**{k: getattr(args, k, None) for k in _LIMIT_KEYS}) as limits,
            language(getattr(args, "lang", None)) as lang,
        ):
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

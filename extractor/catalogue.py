"""Build the message catalogues of ``--lang en`` from the code: ``python -m extractor.catalogue``.

The messages are the Chinese strings the code marks with ``_()`` / ``N_()`` (found by Babel's
Python extractor) and the rule docs of the registry. The command brings
``extractor/locale/en/LC_MESSAGES/extractor.po`` up to date with them (new messages come in
untranslated, changed ones fuzzy, translations kept) and compiles the ``.mo`` beside it, which
is what ``extractor/i18n.py`` reads at run time. ``--check`` changes nothing and exits 1 when the
catalogue lacks a message, has one untranslated, fuzzy or obsolete, or when the ``.mo`` is not
the compiled ``.po`` (the test suite runs the same check). Babel is needed only here (a test
dependency); the tool itself reads ``.mo`` files with the standard library.
"""

from __future__ import annotations

import io
import sys
from datetime import UTC, datetime
from pathlib import Path

from .i18n import DEFAULT_LANGUAGE, DOMAIN, LANGUAGES, LOCALE_DIR

PACKAGE = Path(__file__).resolve().parent
# the languages a catalogue translates into: all but the one the messages are written in
TRANSLATED = tuple(lang for lang in LANGUAGES if lang != DEFAULT_LANGUAGE)
KEYWORDS = {"_": None, "N_": None}
# fixed header dates: the catalogue changes only when a message does
STAMP = datetime(2026, 1, 1, tzinfo=UTC)


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def template():
    """A Babel Catalog of every message the code shows (msgid: the Chinese text)."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    from .rules import catalogue as rules

    cat = Catalog(
        project="gov-perf-extractor", domain=DOMAIN, creation_date=STAMP, revision_date=STAMP, charset="utf-8"
    )
    found = extract_from_dir(PACKAGE, keywords=KEYWORDS, directory_filter=lambda d: "locale" not in d)
    for filename, lineno, message, comments, context in found:
        if message:
            cat.add(message, locations=[(f"extractor/{filename}", lineno)], auto_comments=comments, context=context)
    for info in rules():
        cat.add(info.doc, locations=[(f"rule {info.code}", 0)], auto_comments=[f"the doc of rule {info.code}"])
    return cat


def _read(lang: str):
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    path = po_path(lang)
    if not path.exists():
        cat = Catalog(locale=lang, domain=DOMAIN, creation_date=STAMP, revision_date=STAMP, charset="utf-8")
    else:
        with path.open("rb") as fh:
            cat = read_po(fh, locale=lang, domain=DOMAIN)
    cat.project, cat.version, cat.fuzzy = "gov-perf-extractor", "", False
    cat.header_comment = f"# {lang} messages of gov-perf-extractor: built by python -m extractor.catalogue"
    cat.msgid_bugs_address = cat.last_translator = cat.language_team = ""
    return cat


def _po_bytes(cat) -> bytes:
    from babel.messages.pofile import write_po

    cat.creation_date = cat.revision_date = STAMP
    buf = io.BytesIO()
    write_po(buf, cat, width=120, sort_output=True, include_lineno=False)
    return buf.getvalue()


def _mo_bytes(cat) -> bytes:
    from babel.messages.mofile import write_mo

    buf = io.BytesIO()
    write_mo(buf, cat)
    return buf.getvalue()


def update(lang: str) -> list[str]:
    """Bring ``lang``'s .po up to date with the code and compile its .mo; the untranslated msgids."""
    cat = _read(lang)
    cat.update(template(), no_fuzzy_matching=True, update_creation_date=False)
    for msgid in [m.id for m in cat.obsolete.values()]:
        del cat.obsolete[msgid]
    path = po_path(lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_po_bytes(cat))
    path.with_suffix(".mo").write_bytes(_mo_bytes(_read(lang)))
    return [m.id for m in _read(lang) if m.id and (not m.string or m.fuzzy)]


def problems(lang: str) -> list[str]:
    """What is wrong with ``lang``'s committed catalogue (empty: nothing)."""
    out = []
    cat = _read(lang)
    have = {m.id: m for m in cat if m.id}
    for m in template():
        if not m.id:
            continue
        entry = have.get(m.id)
        if entry is None:
            out.append(f"missing: {str(m.id)[:60]!r} ({m.locations[0][0]})")
        elif not entry.string or entry.fuzzy:
            out.append(f"untranslated: {str(m.id)[:60]!r}")
    wanted = {m.id for m in template() if m.id}
    out += [f"obsolete: {str(i)[:60]!r}" for i in have if i not in wanted]
    mo = po_path(lang).with_suffix(".mo")
    if not mo.exists() or mo.read_bytes() != _mo_bytes(cat):
        out.append(f"{mo} is not the compiled {po_path(lang).name}: run python -m extractor.catalogue")
    return out


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if "--check" in argv:
        found = [f"{lang}: {p}" for lang in TRANSLATED for p in problems(lang)]
        print("\n".join(found) or "catalogues up to date", file=sys.stderr if found else sys.stdout)
        return 1 if found else 0
    for lang in TRANSLATED:
        todo = update(lang)
        print(f"{po_path(lang)}: {len(todo)} message(s) to translate")
    return 0


if __name__ == "__main__":
    sys.exit(main())

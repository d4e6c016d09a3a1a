"""The language people read: Chinese by default, English through a gettext catalogue.

Messages are written in Chinese in the code (``_("实有人数{actual}人…").format(...)``), which is
what auditors read and what FIELDS.md promises; ``--lang en`` (or ``EXTRACTOR_LANG=en``) looks
each one up in ``extractor/locale/en/LC_MESSAGES/extractor.mo`` through the standard library's
``gettext``. The catalogue is built from the code by ``python -m extractor.catalogue`` (Babel,
a test dependency) and committed, so running the tool needs nothing beyond the standard library.
A message missing from the catalogue is shown in Chinese, never dropped.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
DOMAIN = "extractor"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGE_ENV = "EXTRACTOR_LANG"

_current: ContextVar[str | None] = ContextVar("extractor_language", default=None)
_catalogues: dict[str, Any] = {}  # gettext's translations, by language (gettext imported on first use)


def language() -> str:
    """The language in force: the one set by ``use``/``set_language``, else ``$EXTRACTOR_LANG``, else zh."""
    lang = _current.get()
    if lang is None:
        lang = os.environ.get(LANGUAGE_ENV, DEFAULT_LANGUAGE).strip().lower()[:2]
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def check_language(lang: str) -> str:
    """``lang`` when it is one of ``LANGUAGES``; ValueError otherwise."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r} (one of {', '.join(LANGUAGES)})")
    return lang


def set_language(lang: str | None) -> None:
    """Set the language for the rest of this context (None: back to the environment's)."""
    _current.set(None if lang is None else check_language(lang))


@contextmanager
def use(lang: str | None) -> Iterator[str]:
    """Run a block in ``lang`` (None: leave the language as it is)."""
    token = _current.set(check_language(lang) if lang is not None else _current.get())
    try:
        yield language()
    finally:
        _current.reset(token)


def catalogue(lang: str):
    """The compiled catalogue of ``lang`` (a null one for Chinese, the source language)."""
    if lang not in _catalogues:
        import gettext as _gettext  # only when a language other than Chinese is asked for

        if lang == DEFAULT_LANGUAGE:
            _catalogues[lang] = _gettext.NullTranslations()
        else:
            _catalogues[lang] = _gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)
    return _catalogues[lang]


def _(message: str) -> str:
    """``message`` (Chinese, as written in the code) in the language in force."""
    lang = language()
    return message if lang == DEFAULT_LANGUAGE else catalogue(lang).gettext(message)


def N_(message: str) -> str:  # noqa: N802 - gettext's name for "mark for the catalogue, translate later"
    """Mark a message for the catalogue where it is defined; ``_()`` translates it where it is shown."""
    return message


def translated(message: str, lang: str) -> bool:
    """Whether ``lang``'s catalogue holds ``message`` (tests: nothing falls back to Chinese unseen)."""
    return lang == DEFAULT_LANGUAGE or catalogue(lang).gettext(message) != message

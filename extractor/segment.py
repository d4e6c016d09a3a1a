"""Word boundaries of fiscal terms, by jieba with the project's own small dictionary.

jieba is given only `patterns/fiscal_terms.txt` (a few dozen fiscal terms) as its main
dictionary, never its 20 MB default: loading takes milliseconds, and the only question asked is
where the first fiscal term starts in a title, which is where the unit's name ends.
"""

from __future__ import annotations

import functools
from pathlib import Path

from .patterns import PATTERN_DIR

FISCAL_TERMS = PATTERN_DIR / "fiscal_terms.txt"


def _import_jieba():
    """``import jieba`` without pkg_resources: jieba 0.42 imports it (~60 ms and a deprecation
    warning) only to open its default dictionary, which is never used here, and opens its
    files from its own folder when pkg_resources cannot be imported."""
    import sys

    if "jieba" in sys.modules or "pkg_resources" in sys.modules:
        import jieba

        return jieba
    sys.modules["pkg_resources"] = None  # makes `import pkg_resources` raise ImportError
    try:
        import jieba
    finally:
        if sys.modules.get("pkg_resources", 0) is None:
            del sys.modules["pkg_resources"]
    return jieba


@functools.lru_cache(maxsize=1)
def _tokenizer():
    import logging

    jieba = _import_jieba()

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer(dictionary=str(FISCAL_TERMS))
    return tok, frozenset(
        line.split()[0] for line in Path(FISCAL_TERMS).read_text(encoding="utf-8").splitlines() if line.strip()
    )


def first_fiscal_term(text: str) -> int | None:
    """Offset in ``text`` where the first fiscal term begins, or None."""
    tok, terms = _tokenizer()
    pos = 0
    for word in tok.cut(text, HMM=False):
        if word in terms:
            return pos
        pos += len(word)
    return None

"""The pattern files load, compile, and every pattern passes its own examples."""

from __future__ import annotations

import shutil

import pytest

from extractor.normalize import fold
from extractor.patterns import PATTERN_DIR, PatternError, load

PATTERNS = load()
CASES = [(p, ex, True) for ps in PATTERNS.patterns.values() for p in ps for ex in p.match] + [
    (p, ex, False) for ps in PATTERNS.patterns.values() for p in ps for ex in p.no_match
]


def test_every_field_pattern_has_examples():
    for ps in PATTERNS.patterns.values():
        for p in ps:
            assert p.match, f"{p.id} has no match examples"
            assert p.no_match, f"{p.id} has no no_match examples"


@pytest.mark.parametrize(
    "pattern,example,should", CASES, ids=[f"{p.id}-{'match' if s else 'no'}-{e}" for p, e, s in CASES]
)
def test_pattern_examples(pattern, example, should):
    """A pattern of a field the prose scanner fills is checked as a mention (its qualifiers
    refuse some matches); any other pattern by its regex alone."""
    from extractor.fields.prose import lexicon

    if pattern.field in lexicon(PATTERNS).by_field:
        from extractor import extract_text
        from extractor.fields.common import Context
        from extractor.fields.prose import field_mentions

        ctx = Context.of(extract_text(example, verify=False).document)
        found = [m.value.raw for m in field_mentions(ctx, pattern.field) if m.value.pattern == pattern.id]
    else:
        found = pattern.regex.search(fold(example).text)
    assert bool(found) == should, f"{pattern.id} on {example!r}: {found}"


def test_labels_tolerate_layout_breaks():
    from extractor.fields.prose import lexicon

    rx = lexicon(PATTERNS).regex
    assert rx.search(fold("离 退休人数 94 人").text).group() == "离 退休人数"
    assert rx.search(fold("离退\n休人数94人").text).group() == "离退\n休人数"


@pytest.mark.parametrize(
    "broken,message",
    [
        ('[[pattern]]\nid = "x"\nfield = "f"\nregex = "(unclosed"\n', "bad regex"),
        ('[[pattern]]\nid = "x"\nfield = "f"\nregex = "{nosuchmacro}"\n', "unknown macro"),
        ('[[pattern]]\nid = "x"\nregex = "a"\n', "missing key"),
        ("this is not toml = = =", "fields.toml"),
    ],
)
def test_loader_fails_loudly(tmp_path, broken, message):
    for name in ("labels.toml", "macros.toml", "words.toml", "headers.toml", "prose.toml", "qualifiers.toml"):
        shutil.copy(PATTERN_DIR / name, tmp_path / name)
    (tmp_path / "fields.toml").write_text(broken, encoding="utf-8")
    with pytest.raises(PatternError, match=message):
        load.__wrapped__(tmp_path)


def _prose_examples():
    from extractor.fields.prose import lexicon

    for entry in lexicon(PATTERNS).entries:
        for text in entry.match:
            yield pytest.param(entry.field, text, True, id=f"{entry.field}-match-{text}")
        for text in entry.no_match:
            yield pytest.param(entry.field, text, False, id=f"{entry.field}-no_match-{text}")


@pytest.mark.parametrize("field,text,fills", list(_prose_examples()))
def test_prose_examples(field, text, fills):
    """Every example of patterns/prose.toml through the scanner: a `match` fills its field, a
    `no_match` does not (it has no figure there, or a qualifier the field refuses)."""
    from extractor import extract_text
    from extractor.fields.common import Context
    from extractor.fields.prose import field_mentions

    ctx = Context.of(extract_text(text, verify=False).document)
    got = field_mentions(ctx, field)
    assert bool(got) == fills, [(m.value.raw, sorted(m.qualifiers)) for m in got]

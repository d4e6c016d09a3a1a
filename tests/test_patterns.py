"""The pattern files load, compile, and every pattern passes its own examples."""

from __future__ import annotations

import shutil

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.normalize import fold
from extractor.patterns import PATTERN_DIR, PatternError, label_alternation, load

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


def _flat_alternation(words) -> str:
    """The label alternation as it was written before the trie: every word, longest first."""
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return "(?:" + "|".join(r"\s?".join(regex.escape(c) for c in w) for w in ordered) + ")"


_LEXICON_WORDS = sorted({w for words in PATTERNS.labels.values() for w in words})


@st.composite
def _words_and_text(draw):
    """Lexicon words with some of their own prefixes (a label that starts another), and a text
    made of those words, their pieces, spaces and line breaks."""
    words = draw(st.lists(st.sampled_from(_LEXICON_WORDS), min_size=1, max_size=30))
    words += [w[: draw(st.integers(1, len(w)))] for w in words if draw(st.booleans())]
    pieces = st.one_of(
        st.sampled_from(words),
        st.sampled_from([" ", "\n", "1", "万元"]),
        st.sampled_from(words).map(lambda w: w[: len(w) // 2]),
    )
    return words, "".join(draw(st.lists(pieces, max_size=30)))


@settings(max_examples=300, deadline=None)
@given(_words_and_text(), st.sampled_from(["", "(?=\\d)", "[:：]", "\\s*\\d", "(?!计)"]))
def test_label_trie_matches_as_the_flat_alternation(words_and_text, tail):
    """The trie alternation finds what the flat, longest-first one found, at the same places and
    with the same ends, alone and inside a pattern that backtracks into it."""
    words, text = words_and_text
    trie = regex.compile(label_alternation(words) + tail)
    flat = regex.compile(_flat_alternation(words) + tail)
    assert [m.span() for m in trie.finditer(text)] == [m.span() for m in flat.finditer(text)]

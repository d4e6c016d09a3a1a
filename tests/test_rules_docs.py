"""docs/rules.md is generated from the registry, and every rule documents itself fully."""

from __future__ import annotations

import pytest

from extractor.rules import catalogue
from extractor.rules.docs import DOCS_PATH, generate
from extractor.rules.registry import DOC_HEADINGS


def test_docs_rules_md_is_up_to_date():
    assert DOCS_PATH.exists(), "run: python -m extractor.rules.docs"
    assert DOCS_PATH.read_text(encoding="utf-8") == generate(), (
        "docs/rules.md is stale: run python -m extractor.rules.docs"
    )


@pytest.mark.parametrize("info", catalogue(), ids=lambda i: i.code)
def test_rule_doc_has_title_and_every_heading(info):
    assert info.title and not info.title.startswith(DOC_HEADINGS)
    for heading in DOC_HEADINGS:
        assert info.section(heading).strip(), f"{info.code}: empty section {heading!r}"
    assert f"## {info.code}" in generate()

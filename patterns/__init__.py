"""Wording as data: labels, macros, field patterns and vocabulary (TOML), loaded by extractor.patterns."""

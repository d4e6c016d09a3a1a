"""Loads the wording in ``patterns/`` (labels, macros, regexes with examples) and compiles it once.

Labels are written as plain words; the loader lets a single layout space or line break sit
between their characters (PDF text breaks words) and orders alternatives longest first.
A pattern file that does not load, compile or pass its own examples is an error, never skipped.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import regex

PATTERN_DIR = Path(__file__).resolve().parent.parent / "patterns"
_MACRO = regex.compile(r"\{([A-Za-z_]\w*)\}")


class PatternError(Exception):
    pass


@dataclass(frozen=True)
class Pattern:
    id: str
    field: str
    regex: regex.Pattern
    source: str
    priority: int = 0
    match: tuple[str, ...] = ()
    no_match: tuple[str, ...] = ()
    options: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Patterns:
    labels: dict[str, tuple[str, ...]]
    label_regex: dict[str, str]
    macros: dict[str, str]
    patterns: dict[str, tuple[Pattern, ...]]  # field -> patterns, best first
    words: dict[str, dict]  # other vocabulary (grade words, kind keywords, suffixes …)
    version: str
    _word_cache: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    def for_field(self, name: str) -> tuple[Pattern, ...]:
        return self.patterns.get(name, ())

    def label(self, name: str) -> str:
        return self.label_regex[name]

    def compiled_words(self, section: str, key: str = "words") -> regex.Pattern:
        """An alternation of a words.toml list (``[section] key = [...]``), compiled once."""
        cache = self._word_cache
        if (section, key) not in cache:
            try:
                words = self.words[section][key]
            except KeyError as exc:
                raise PatternError(f"words.toml: missing [{section}] {key}") from exc
            cache[(section, key)] = regex.compile(label_alternation(words))
        return cache[(section, key)]


def label_alternation(words) -> str:
    """``["收入总计", "总收入"]`` -> a non-capturing alternation tolerant of layout breaks."""
    alts = []
    for w in sorted(set(words), key=len, reverse=True):
        alts.append(r"\s?".join(regex.escape(c) for c in w))
    return "(?:" + "|".join(alts) + ")"


def _expand(template: str, env: dict[str, str], where: str, depth: int = 0) -> str:
    if depth > 8:
        raise PatternError(f"{where}: macros nest too deep")

    def sub(m):
        key = m.group(1)
        if key not in env:
            raise PatternError(f"{where}: unknown macro or label {{{key}}}")
        return _expand(env[key], env, where, depth + 1)

    return _MACRO.sub(sub, template)


def _read(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise PatternError(f"{path.name}: {exc}") from exc


@functools.lru_cache(maxsize=4)
def load(directory: Path = PATTERN_DIR) -> Patterns:
    import hashlib

    labels_raw = _read(directory / "labels.toml")
    macros = {k: v for k, v in _read(directory / "macros.toml").items() if isinstance(v, str)}
    words = _read(directory / "words.toml")
    labels = {k: tuple(v) for k, v in labels_raw.items()}
    label_regex = {k: label_alternation(v) for k, v in labels.items()}
    env = {**macros, **{f"L_{k}": v for k, v in label_regex.items()}}
    patterns: dict[str, list[Pattern]] = {}
    digest = hashlib.sha256()
    for path in sorted(directory.glob("*.toml")):
        digest.update(path.read_bytes())
    for path in sorted(directory.glob("fields*.toml")):
        for i, entry in enumerate(_read(path).get("pattern", [])):
            where = f"{path.name} pattern {entry.get('id', i)}"
            try:
                source = _expand(entry["regex"], env, where)
                compiled = regex.compile(source, regex.MULTILINE)
                pat = Pattern(
                    id=entry["id"], field=entry["field"], regex=compiled, source=source,
                    priority=int(entry.get("priority", 0)),
                    match=tuple(entry.get("match", ())), no_match=tuple(entry.get("no_match", ())),
                    options={k: v for k, v in entry.items()
                             if k not in ("id", "field", "regex", "priority", "match", "no_match")},
                )
            except KeyError as exc:
                raise PatternError(f"{where}: missing key {exc}") from exc
            except regex.error as exc:
                raise PatternError(f"{where}: bad regex: {exc}") from exc
            patterns.setdefault(pat.field, []).append(pat)
    ordered = {k: tuple(sorted(v, key=lambda p: p.priority)) for k, v in patterns.items()}
    return Patterns(labels, label_regex, macros, ordered, words, digest.hexdigest()[:12])


def compiled(template: str) -> regex.Pattern:
    """Compile a code-side template that uses the same macros and ``{L_label}`` names."""
    return _compiled(template)


@functools.lru_cache(maxsize=256)
def _compiled(template: str) -> regex.Pattern:
    p = load()
    env = {**p.macros, **{f"L_{k}": v for k, v in p.label_regex.items()}}
    return regex.compile(_expand(template, env, "code template"), regex.MULTILINE)

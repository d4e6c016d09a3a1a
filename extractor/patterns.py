"""Loads the wording in ``patterns/`` (labels, macros, regexes with examples) and compiles it once.

Labels are written as plain words; the loader lets a single layout space or line break sit
between their characters (PDF text breaks words) and orders alternatives longest first.
A pattern file that does not load, compile or pass its own examples is an error, never skipped.
"""

from __future__ import annotations

import atexit
import copyreg
import functools
import io
import marshal
import os
import pickle
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import regex

PATTERN_DIR = Path(__file__).resolve().parent.parent / "patterns"


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
    headers: dict = field(default_factory=dict)  # headers.toml: column roles of tables
    prose: dict = field(default_factory=dict)  # prose.toml: what the prose scanner reads after each label
    qualifiers: dict = field(default_factory=dict)  # qualifiers.toml: words that change what a figure is
    _word_cache: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    def for_field(self, name: str) -> tuple[Pattern, ...]:
        return self.patterns.get(name, ())

    def memo(self, key, build):
        """``build()`` once per pattern set: what code derives from the patterns (roles, lexicons)."""
        cache = self._word_cache
        if key not in cache:
            cache[key] = build()
        return cache[key]

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
            cache[(section, key)] = compile_regex(label_alternation(words))
        return cache[(section, key)]


def label_alternation(words) -> str:
    """``["收入总计", "总收入"]`` -> a non-capturing alternation tolerant of layout breaks."""
    return _label_alternation(tuple(words))


@functools.lru_cache(maxsize=1024)  # field code builds the same alternations on every document
def _label_alternation(words: tuple[str, ...]) -> str:
    # A trie, not a flat list: "收入(?:\s?总\s?计|…)" instead of "收\s?入\s?总\s?计|收\s?入|…". The
    # regex engine tries a flat list's every word at every position of the text (the lexicon's
    # alternation of ~700 labels was a fifth of a table-heavy report's field time); a trie tries
    # one branch per character. Same matches, in the same order: the words that match at a
    # position lie on one path (the lexicon's words hold no whitespace), and each node tries
    # its longer words before ending, so the longest word matches first, as the flat list
    # sorted longest first did, and backtracking gives the shorter ones after it.
    trie: dict = {}
    for w in set(words):
        node = trie
        for c in w:
            node = node.setdefault(c, {})
        node[""] = {}
    return "(?:" + _trie_alternatives(trie) + ("|" if "" in trie else "") + ")"


def _trie_alternatives(node: dict) -> str:
    alts = []
    for c in sorted(k for k in node if k):  # one order in every process
        child = node[c]
        rest = [k for k in child if k]
        if not rest:
            alts.append(regex.escape(c))
            continue
        inner = _trie_alternatives(child)
        inner = inner if len(rest) == 1 and "|" not in inner else "(?:" + inner + ")"
        alts.append(regex.escape(c) + (r"(?:\s?" + inner + ")?" if "" in child else r"\s?" + inner))
    return "|".join(alts)


def expand(template: str, env: dict[str, str], where: str, depth: int = 0) -> str:
    """``template`` with its ``{macro}`` and ``{L_label}`` names expanded (PatternError on an unknown one)."""
    if depth > 8:
        raise PatternError(f"{where}: macros nest too deep")

    def sub(m):
        key = m.group(1)
        if key not in env:
            raise PatternError(f"{where}: unknown macro or label {{{key}}}")
        return expand(env[key], env, where, depth + 1)

    return _MACRO.sub(sub, template)


def _read(path: Path) -> dict:
    import tomllib  # pure Python, ~2 ms to import and ~5 ms to parse the patterns: only on a change

    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise PatternError(f"{path.name}: {exc}") from exc


def _read_all(directory: Path, digest: str) -> dict[str, dict]:
    """The pattern files parsed, by name; for the bundled patterns, from the on-disk cache when
    it was parsed from files with the same bytes (``digest``)."""
    names = ["labels.toml", "macros.toml", "words.toml", "headers.toml", "prose.toml", "qualifiers.toml"] + [
        p.name for p in sorted(directory.glob("fields*.toml"))
    ]
    cache = _cache_file("patterns") if directory == PATTERN_DIR else None
    if cache is not None:
        stored = _read_marshal(cache)
        if isinstance(stored, dict) and stored.get("digest") == digest and list(stored.get("parsed", ())) == names:
            return stored["parsed"]
    parsed = {name: _read(directory / name) for name in names}
    if cache is not None:
        _write_marshal(cache, {"digest": digest, "parsed": parsed})
    return parsed


@functools.lru_cache(maxsize=4)
def load(directory: Path = PATTERN_DIR) -> Patterns:
    import hashlib

    digest = hashlib.sha256()
    for path in sorted(directory.glob("*.toml")):
        digest.update(path.read_bytes())
    files = _read_all(directory, digest.hexdigest())
    labels_raw = files["labels.toml"]
    macros = {k: v for k, v in files["macros.toml"].items() if isinstance(v, str)}
    words = files["words.toml"]
    labels = {k: tuple(v) for k, v in labels_raw.items()}
    label_regex = {k: label_alternation(v) for k, v in labels.items()}
    env = {**macros, **{f"L_{k}": v for k, v in label_regex.items()}}
    patterns: dict[str, list[Pattern]] = {}
    for path in sorted(directory.glob("fields*.toml")):
        for i, entry in enumerate(files[path.name].get("pattern", [])):
            where = f"{path.name} pattern {entry.get('id', i)}"
            try:
                source = expand(entry["regex"], env, where)
                compiled = compile_regex(source, regex.MULTILINE)
                pat = Pattern(
                    id=entry["id"],
                    field=entry["field"],
                    regex=compiled,
                    source=source,
                    priority=int(entry.get("priority", 0)),
                    match=tuple(entry.get("match", ())),
                    no_match=tuple(entry.get("no_match", ())),
                    options={
                        k: v
                        for k, v in entry.items()
                        if k not in ("id", "field", "regex", "priority", "match", "no_match")
                    },
                )
            except KeyError as exc:
                raise PatternError(f"{where}: missing key {exc}") from exc
            except regex.error as exc:
                raise PatternError(f"{where}: bad regex: {exc}") from exc
            patterns.setdefault(pat.field, []).append(pat)
    ordered = {k: tuple(sorted(v, key=lambda p: p.priority)) for k, v in patterns.items()}
    return Patterns(
        labels,
        label_regex,
        macros,
        ordered,
        words,
        digest.hexdigest()[:12],
        files["headers.toml"],
        files["prose.toml"],
        files["qualifiers.toml"],
    )


def compiled(template: str) -> regex.Pattern:
    """Compile a code-side template that uses the same macros and ``{L_label}`` names."""
    return _compiled(template)


@functools.lru_cache(maxsize=256)
def _compiled(template: str) -> regex.Pattern:
    p = load()
    env = {**p.macros, **{f"L_{k}": v for k, v in p.label_regex.items()}}
    return compile_regex(expand(template, env, "code template"), regex.MULTILINE)


# ---- compiled regexes and parsed files kept on disk ------------------------------------------
# regex parses and compiles a pattern in Python: ~1 ms for a field pattern, ~40 ms for all of
# them, which a cold `cli.py extract` would pay on every run, and tomllib parses the pattern
# files in Python too. A compiled Pattern pickles as regex's own compiled code (regex registers
# that with copyreg), so, like Python's own __pycache__, both are kept per user and a cold start
# only rebuilds the Pattern objects (~40 µs each). The files are marshal data (the pickles are
# bytes inside them) and a pickle is loaded by an unpickler that resolves one global only: the
# function regex's own pickles name, so nothing else can be called. They are used only when the
# current user owns them and no one else can write them, and anything wrong with them means
# compiling or parsing afresh. EXTRACTOR_CACHE_DIR="" turns the cache off.
CACHE_ENV = "EXTRACTOR_CACHE_DIR"
MAX_CACHED_REGEXES = 4096
_codes: dict | None = None  # (source, flags) -> a compiled Pattern pickled, once read
_new: dict = {}  # compiled by this process, written at exit


def cache_dir() -> Path | None:
    """Where compiled regexes and parsed pattern files are kept: $EXTRACTOR_CACHE_DIR, else the
    user's cache folder; None (no cache) when it is set empty or no home folder is known."""
    configured = os.environ.get(CACHE_ENV)
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # unset, or relative, which XDG says to ignore
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "gov-perf-extractor" if os.path.isabs(base) else None


def _cache_file(kind: str) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    version = f"-{regex.__version__}" if kind == "regex" else ""
    return folder / f"{kind}{version}-{sys.implementation.cache_tag}.marshal"


def _read_marshal(path: Path):
    """What the cache file holds, or None when it is missing, foreign or damaged."""
    try:
        with path.open("rb") as fh:
            info = os.fstat(fh.fileno())
            if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o022):
                return None
            return marshal.load(fh)
    except (OSError, EOFError, ValueError, TypeError):
        return None


def _write_marshal(path: Path, value) -> None:
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                marshal.dump(value, fh)
            os.replace(tmp, path)  # atomic: parallel workers never read half a file
        except BaseException:
            os.unlink(tmp)
            raise
    except (OSError, ValueError):
        pass  # a read-only home, a full disk or an unmarshallable value only cost the next start time


def _read_codes() -> dict:
    path = _cache_file("regex")
    codes = _read_marshal(path) if path is not None else None
    return codes if isinstance(codes, dict) else {}


@functools.lru_cache(maxsize=1)
def _pattern_builder() -> tuple[str, str] | None:
    """(module, name) of the function a pickled Pattern is rebuilt with, as regex registers it
    with copyreg; None when this regex does not pickle its patterns (no cache then)."""
    reducer = copyreg.dispatch_table.get(type(regex.compile("")))
    if reducer is None:
        return None
    build = reducer(regex.compile(""))[0]
    return getattr(build, "__module__", None), getattr(build, "__name__", None)


class _PatternUnpickler(pickle.Unpickler):
    """Loads a pickled Pattern and nothing else: the one global it may name is regex's builder."""

    def find_class(self, module: str, name: str):
        if (module, name) != _pattern_builder():
            raise pickle.UnpicklingError(f"not a regex pattern: {module}.{name}")
        return super().find_class(module, name)


def _from_cache(data) -> regex.Pattern | None:
    if type(data) is not bytes or _pattern_builder() is None:
        return None
    try:
        pattern = _PatternUnpickler(io.BytesIO(data)).load()
    except Exception:  # noqa: BLE001 - a stale or damaged entry: compile afresh
        return None
    return pattern if isinstance(pattern, regex.Pattern) else None


def _write_codes() -> None:
    path = _cache_file("regex")
    if not _new or path is None:
        return
    codes = {**{k: v for k, v in _read_codes().items() if type(v) is bytes}, **_new}
    if len(codes) > MAX_CACHED_REGEXES:  # drop what other versions of the patterns left behind
        codes = dict(_new)
    _write_marshal(path, codes)
    _new.clear()


def compile_regex(source: str, flags: int = 0) -> regex.Pattern:
    """``regex.compile(source, flags)``, unpickled from the on-disk cache when it holds it."""
    global _codes
    if _codes is None:
        _codes = _read_codes()
    key = (source, int(flags))
    cached = _from_cache(_codes.get(key))
    if cached is not None and cached.pattern == source:
        return cached
    compiled = regex.compile(source, flags)
    if compiled.flags & regex.LOCALE or _pattern_builder() is None:  # LOCALE: code depends on the run's locale
        return compiled
    if not _new:
        atexit.register(_write_codes)
    _codes[key] = _new[key] = pickle.dumps(compiled, protocol=pickle.HIGHEST_PROTOCOL)
    return compiled


# The CJK block the patterns write as [一-龥]: inside a regex class (HAN), and one such character
HAN = r"\u4e00-\u9fa5"
HAN_CHAR = compile_regex("[" + HAN + "]")


_MACRO = compile_regex(r"\{([A-Za-z_]\w*)\}")

"""Walking an archive for ingest: which files are documents, where each sits relative to its root.

Each folder given to ``ingest`` belongs to a root (itself, or a known root that holds it), and
every file is named by its path relative to that root, so the archive named by a relative or
an absolute path, through a symlink, or from a parent folder, is the same set of paths. A
symlink whose target leaves the root is not followed unless asked: an archive must not publish
``/etc/passwd`` because someone left a link to it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from . import store

# Extensions under which a file is taken for a report even when it cannot be read (it then
# gets an error row). Elsewhere in a walked folder, what no reader takes (archives, GIFs) and
# plain text under other names (code, CSV, JSON) is not a document; workbooks, OFD files and
# scanned pages saved as images are (images are read by OCR, with the [ocr] extra).
DOCUMENT_EXTENSIONS = frozenset(
    {
        ".txt",
        ".text",
        ".doc",
        ".docx",
        ".pdf",
        ".htm",
        ".html",
        ".xhtml",
        ".mht",
        ".rtf",
        ".wps",
        ".xlsx",
        ".xls",
        ".ofd",
        ".png",
        ".jpg",
        ".jpeg",
        ".tif",
        ".tiff",
        "",
    }
)


@dataclass
class Scope:
    """A folder (or a file) given to one run, under its root; what the walk saw there.

    After a complete run, every current path under ``prefix`` that is not in ``seen`` is gone.
    """

    root: int
    folder: str  # the root's folder (absolute, resolved)
    prefix: str  # the walked folder or file relative to the root ('' for the root itself)
    seen: set[str] = field(default_factory=set)
    unlisted: list[str] = field(default_factory=list)  # folders that could not be listed


@dataclass(slots=True)
class Entry:
    path: str  # to open
    rel: str  # relative to the root, as stored
    named: bool  # given by name: a document whatever its name
    scope: Scope


@dataclass
class Walk:
    scopes: list[Scope] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)  # symlinks out of the root, not followed


def _resolved_file(path: str) -> str:
    """The file's path with its folder resolved and its own name kept (a named symlink stays a link)."""
    absolute = os.path.abspath(path)
    return os.path.join(os.path.realpath(os.path.dirname(absolute)), os.path.basename(absolute))


def scan(
    conn, paths: Iterable[str | os.PathLike], *, follow_symlinks: bool = False, exclude: Iterable[str] = ()
) -> Walk:
    """Place every given path under a root of the store and list the files under it, in name order."""
    from .store_migrate import adopt_legacy

    excluded = {os.path.realpath(p) for p in exclude}
    walk = Walk()
    for given in paths:
        given = os.fspath(given)
        if os.path.isdir(given):
            real = os.path.realpath(given)
            rid, folder = store.add_root(conn, real)
            adopt_legacy(conn, rid, folder)
            scope = Scope(rid, folder, "" if real == folder else store.relative(real, folder))
            walk.scopes.append(scope)
            walk.entries.extend(_walk(real, scope, walk, follow_symlinks, excluded))
        else:
            full = _resolved_file(given)
            rid, folder = store.add_root(conn, os.path.dirname(full))
            adopt_legacy(conn, rid, folder)
            rel = store.relative(full, folder)
            scope = Scope(rid, folder, rel)
            walk.scopes.append(scope)
            walk.entries.append(Entry(full, rel, True, scope))
    return walk


def _walk(top: str, scope: Scope, walk: Walk, follow: bool, excluded: set[str]) -> Iterator[Entry]:
    """Depth first in name order; hidden entries skipped; symlinks out of the root skipped unless ``follow``."""
    visited: set[str] = set()

    def unlisted(exc: OSError) -> None:
        scope.unlisted.append(store.relative(exc.filename or top, scope.folder))

    excluded_names = {os.path.basename(p) for p in excluded}  # realpath costs syscalls: only for these
    for root, dirs, files in os.walk(top, followlinks=follow, onerror=unlisted):
        if follow:  # a link back up the tree would loop for ever
            real = os.path.realpath(root)
            if real in visited:
                dirs[:] = []
                continue
            visited.add(real)
        # Linked folders are walked only when asked (os.walk's followlinks), then wherever they lead.
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            full = os.path.join(root, name)
            if name.startswith(".") or (name in excluded_names and os.path.realpath(full) in excluded):
                continue
            if os.path.islink(full) and not follow and not store.inside(os.path.realpath(full), scope.folder):
                walk.outside.append(store.relative(full, scope.folder))
                continue
            yield Entry(full, store.relative(full, scope.folder), False, scope)


def looks_like_document(entry: Entry) -> bool:
    """By its name; or, for a file whose name does not say document, by its first bytes."""
    if entry.named or os.path.splitext(entry.path)[1].lower() in DOCUMENT_EXTENSIONS:
        return True
    return _sniffs_as_document(entry.path)


def _sniffs_as_document(path: str) -> bool:
    """For a file whose name does not say document: does it sniff as one (a .pdf saved as .bin,
    a web page saved as .jsp)? Reads the first block only, or the whole file for a zip, whose
    directory is at its end; plain text under such a name (code, CSV, logs) is not a document.
    """
    from .errors import ReadError
    from .limits import current
    from .readers import SNIFF_BYTES, sniff

    try:
        with open(path, "rb") as fh:
            data = fh.read(SNIFF_BYTES)
            if data.startswith(b"PK"):
                data += fh.read(current().max_bytes)
        return bool(data) and sniff(data, path) != "txt"
    except (OSError, ReadError):
        return False


def find_files(paths: Iterable[str | os.PathLike], *, exclude: Iterable[str] = ()) -> Iterator[tuple[str, bool]]:
    """(path, named) for each file under ``paths``, depth first in name order; hidden entries skipped.

    Without a store: for walking an archive elsewhere (the Dask recipe in ``dask_engine``).
    """
    excluded = {os.path.realpath(p) for p in exclude}
    for top in paths:
        top = os.fspath(top)
        if not os.path.isdir(top):
            yield top, True
            continue
        for root, dirs, files in os.walk(top):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                full = os.path.join(root, name)
                if not name.startswith(".") and os.path.realpath(full) not in excluded:
                    yield full, False

"""Derived data kept between runs: the parsed catalog and the search index, in the user's cache dir.

Each entry is named after what it holds and the sha256 of the list file it was derived from, so an
edited list never meets an old entry, and a library of many lists has one entry of each kind per
list. An entry also records a stamp of the code that made it; a stale, foreign, corrupt or
unreadable entry is ignored and rebuilt, and a cache dir that cannot be written is simply not used.
Nothing here is ever fatal.

An entry holds data only: a header, then JSON, texts (Latin-1 when they can be, else UTF-16, which
decode several times faster than UTF-8 for Chinese) and arrays of integers (`Entry`), each section
with a CRC-32 checked when the entry is opened, before anything is used (a large entry checked so
before, and unchanged since, is not checked again: `CHECKED`); the texts of a large
entry are read and decoded only when first used (`entryfile` writes and reads those bytes). `stored` checks the type, length
and range of every column as it reads a catalog. Reading an entry cannot run code, whoever wrote it (the pickles of earlier
versions are never read, and removed). An entry is read only when it is a regular file owned by
the current user and writable by no one else, opened without blocking or following a link (a FIFO
planted in the dir cannot hang a run).

The dir is $POLICY_CACHE_DIR, else $XDG_CACHE_HOME/policycli, else ~/.cache/policycli, and only
ever an absolute path (a relative one would read entries from wherever the command runs; it is
ignored and `ignored_settings` says so).
"""
from __future__ import annotations

import functools
import gc
import os
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from .. import __version__
from . import entryfile
from .catalog import Ahead, BlockCheck, Told, parse_catalog
from .entryfile import LazyTexts, made_as, pack, status, unpack
from .files import digest_of, read_bytes, resolve_data_path
from .model import Catalog
from .stored import Entry, Malformed, catalog_entry, catalog_of

ENV_VAR = "POLICY_CACHE_DIR"
FORMAT = 4  # bump when the layout of cached data changes
KEEP = 1000  # entries of one kind kept, most recently used first (a library holds many lists)
KEEP_BYTES = 256 * 1024 * 1024  # and no more than this much of them
FRESH = 24 * 3600  # an entry read is marked used (its mtime set) when it was last marked longer ago


def cache_dir() -> Path | None:
    """The absolute cache dir, or None when there is none to use."""
    explicit = os.environ.get(ENV_VAR)
    if explicit and os.path.isabs(explicit):
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "policycli"
    try:
        home = Path.home()
    except (RuntimeError, KeyError):
        return None
    return home / ".cache" / "policycli" if home.is_absolute() else None


def writable(folder: Path) -> bool:
    """Whether files can be kept in `folder` (made when missing): a file is made there and removed."""
    import tempfile

    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".probe-"):
            return True
    except OSError:
        return False


def ignored_settings() -> list[str]:
    """One line for each cache setting of the environment that is ignored because it is relative."""
    from .files import relative_settings

    return relative_settings((ENV_VAR, "XDG_CACHE_HOME"), "缓存目录", Path.home() / ".cache")


@functools.cache
def code_stamp() -> str:
    """The version plus size and mtime of every module of the package: entries made by other
    code (an upgrade, a local change) are not used."""
    parts = [__version__, str(FORMAT)]
    package = os.path.dirname(os.path.dirname(__file__))
    try:
        for folder in sorted(_code_folders(package)):
            with os.scandir(folder) as entries:
                for entry in sorted(entries, key=lambda e: e.name):
                    if entry.name.endswith(".py"):
                        st = entry.stat()
                        parts.append(f"{os.path.relpath(entry.path, package)}:{st.st_size}:{st.st_mtime_ns}")
    except OSError:
        parts.append("?")
    return "/".join(parts)


def _code_folders(package: str) -> list[str]:
    """The package folder and its sub-packages (folders holding an __init__.py)."""
    folders = []
    for folder, subdirs, files in os.walk(package):
        subdirs[:] = [d for d in subdirs if d != "__pycache__"]
        if "__init__.py" in files:
            folders.append(folder)
    return folders


SUFFIX = ".entry"
MAX_ENTRY = 512 * 1024 * 1024  # an entry larger than this is not read (10,000 policies: ~50 MiB)


def _entry(folder: Path, kind: str, key: str) -> Path:
    return folder / f"{kind}-{key}{SUFFIX}"


def load(kind: str, key: str, stamp: str) -> Entry | None:
    """The entry, or None when there is none usable: missing, not a regular file of ours, made by
    other code, or failing its checksums or its layout. An entry is data only (JSON, texts and
    integers): reading one never runs code, whoever wrote it. Every section's checksum is checked
    here, but those of a large entry checked whole before and unchanged since (`_checked`); its
    texts are decoded when first used (`LazyTexts`)."""
    folder = cache_dir()
    if folder is None:
        return None
    path = _entry(folder, kind, key)
    opened = _open_entry(path)
    if opened is None:
        return None
    fd, size = opened
    before = status(fd) if size > entryfile.SMALL else None  # a small entry is read whole and checked
    trusted = before if before is not None and _checked(folder).get(path.name) == before else None
    try:
        found = unpack(fd, size, (kind, key, stamp), str(path), trusted)
    except Exception:  # noqa: BLE001 - truncated, damaged or foreign: rebuild
        found = None
    if found is None or not isinstance(found.texts, LazyTexts):
        os.close(fd)  # else closed with the texts
    elif trusted is None and status(fd) == before:
        _note_checked(folder, path.name, before)
    if found is not None:
        # What was loaded lives as long as the run: keep the collector from walking it all again
        # later (at 10,000 policies one full collection of it costs more than the search).
        gc.freeze()
    return found


# A large entry checked whole is noted (`CHECKED`: its name and `status`), and not checked again
# while it has that status, as git trusts a file whose stat data its index holds: 17.7 MB of
# checksums, 5 ms of every search over 10,000 policies on two cores. Any write to the file changes
# its ctime, which no one can set back; one changed within SETTLED seconds of its check (a
# filesystem's clock tick) could keep its times, so it is noted only later.
CHECKED = "checked.json"
SETTLED = 2.0
NOTED = 64  # names noted at most, the most recently checked
_NOTES: dict[Path, dict[str, tuple[int, ...]]] = {}


def _checked(folder: Path) -> dict[str, tuple[int, ...]]:
    """The large entries of `folder` checked whole, each with its `status` then (none when the note
    is missing, not a file of ours or not of this layout)."""
    if folder not in _NOTES:
        import json

        notes: dict[str, tuple[int, ...]] = {}
        opened = _open_entry(folder / CHECKED)
        if opened is not None:
            fd, size = opened
            try:
                found = json.loads(os.pread(fd, size, 0)) if size <= 64 * 1024 else None
                if type(found) is dict and all(type(v) is list and len(v) == 5 and all(type(n) is int for n in v)
                                               for v in found.values()):
                    notes = {str(name): tuple(value) for name, value in found.items()}
            except (OSError, ValueError):
                pass
            finally:
                os.close(fd)
        _NOTES[folder] = notes
    return _NOTES[folder]


def _note_checked(folder: Path, name: str, seen: tuple[int, ...]) -> None:
    """Note that entry `name` passed every check with status `seen`, when it has not changed for
    SETTLED seconds (a cache dir that cannot be written notes nothing)."""
    import json
    import tempfile

    if time.time() - seen[4] / 1e9 < SETTLED:
        return
    notes = {n: v for n, v in _checked(folder).items() if n != name}
    notes[name] = seen
    notes = dict(list(notes.items())[-NOTED:])
    _NOTES[folder] = notes
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".checked-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump({n: list(v) for n, v in notes.items()}, handle)
            os.replace(tmp, folder / CHECKED)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass


def discard(kind: str, key: str) -> None:
    """Remove the entry of this kind and key, if there is one (one read once)."""
    folder = cache_dir()
    if folder is not None:
        try:
            _entry(folder, kind, key).unlink()
        except OSError:
            pass


def kept(kind: str, key: str, stamp: str | None = None) -> bool:
    """Whether an entry of this kind and key is in the cache dir; with `stamp`, one this code made
    (by its header: an entry left by an earlier version is not). Not whether its checksums hold."""
    folder = cache_dir()
    if folder is None:
        return False
    if stamp is None:
        return _entry(folder, kind, key).is_file()
    opened = _open_entry(_entry(folder, kind, key))
    if opened is None:
        return False
    fd, size = opened
    try:
        return made_as(fd, size, (kind, key, stamp))
    except OSError:
        return False
    finally:
        os.close(fd)


def _open_entry(path: Path) -> tuple[int, int] | None:
    """A descriptor and the size of a regular file owned by this user and writable by no one else,
    opened without blocking or following a link (a FIFO or a link planted in the dir is never read)."""
    import stat

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        mine = not hasattr(os, "getuid") or st.st_uid == os.getuid()
        if stat.S_ISREG(st.st_mode) and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH) and mine and st.st_size <= MAX_ENTRY:
            if time.time() - st.st_mtime > FRESH:
                os.utime(fd)  # used: pruned after those not used for longer
            return fd, st.st_size
    except OSError:
        pass
    os.close(fd)
    return None


def store(kind: str, key: str, stamp: str, entry: Entry) -> bool:
    """Write atomically (temp file + rename); False when the cache dir cannot be used."""
    import tempfile

    folder = cache_dir()
    if folder is None:
        return False
    try:
        packed = pack(entry, (kind, key, stamp))
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{kind}-", suffix=".tmp")
    except (OSError, TypeError, ValueError):  # an unwritable dir; a value that is not plain data
        return False
    try:
        with os.fdopen(fd, "wb") as handle:
            for piece in packed:
                handle.write(piece)
        os.replace(tmp, _entry(folder, kind, key))
    except BaseException as exc:  # a full disk must not stop the run; Ctrl-C leaves no temporary file
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if not isinstance(exc, OSError):
            raise
        return False
    if _DEFERRED:
        _DEFERRED[-1].add((folder, kind))
    else:
        prune(folder, kind)
    return True


_DEFERRED: list[set[tuple[Path, str]]] = []  # while `pruning_after` runs: the kinds to prune after it


@contextmanager
def pruning_after() -> Iterator[None]:
    """Entries stored meanwhile are pruned once, after (a library's lists stored one after another:
    the folder is listed once, not once per entry)."""
    _DEFERRED.append(set())
    try:
        yield
    finally:
        for folder, kind in sorted(_DEFERRED.pop()):
            if _DEFERRED:
                _DEFERRED[-1].add((folder, kind))
            else:
                prune(folder, kind)


def prune(folder: Path, kind: str, suffix: str = SUFFIX) -> None:
    """Keep the KEEP most recently used files `kind-*suffix` (entries of a kind, or another
    module's files kept here, as the semantic vectors), within KEEP_BYTES; remove the entries of
    the old format (pickles, which are never read)."""
    try:
        found = [(entry.stat(), entry) for entry in folder.glob(f"{kind}-*{suffix}")]
        found.sort(key=lambda pair: pair[0].st_mtime, reverse=True)
        total = 0
        for number, (st, entry) in enumerate(found):
            total += st.st_size
            if number >= KEEP or (number and total > KEEP_BYTES):
                entry.unlink()
        for old in folder.glob(f"{kind}-*.pickle"):
            old.unlink()
    except OSError:
        pass


Unstored = list[tuple[str, str, Catalog]]  # catalogs parsed to be stored later: (digest, stamp, catalog)


def load_catalog_cached(path: str | os.PathLike[str] | None = None, checks: Sequence[BlockCheck] = (),
                        keep: bool = True, later: Unstored | None = None, told: Told | None = None) -> Catalog:
    """`catalog.load_catalog`, but a dataset seen before is read from its entry instead of parsed (no
    YAML). An entry records which block checks it passed, so it is only reused for the same checks.
    With `keep` False, a dataset parsed is not stored (its caller keeps what it makes of it); with
    `later`, it is added there, to be stored by `store_catalogs`. A dataset parsed tells `told`
    how far it has got (see `catalog.parse_catalog`)."""
    data_path = resolve_data_path(path)
    return _catalog_cached(read_bytes(data_path), str(data_path), checks, keep, later, told)


def store_catalogs(unstored: Unstored) -> None:
    """Store the entries of catalogs parsed before (see `load_catalog_cached`)."""
    for digest, stamp, catalog in unstored:
        try:
            entry = catalog_entry(catalog)
        except TypeError:  # a value that is not plain data: not kept
            continue
        store("catalog", digest, stamp, entry)


def _catalog_cached(raw: bytes, source: str, checks: Sequence[BlockCheck], keep: bool = True,
                    later: Unstored | None = None, told: Told | None = None) -> Catalog:
    digest = digest_of(raw)
    stamp = code_stamp() + "".join(f"/{c.__module__}.{c.__qualname__}" for c in checks)
    found = load("catalog", digest, stamp)
    if found is not None:
        try:
            with gc_paused():  # many objects, no garbage
                catalog = catalog_of(found)
        except Malformed:
            catalog = None
        if catalog is not None and catalog.path == source and catalog.digest == digest:
            gc.freeze()  # kept for the whole run: never walked by the collector again
            return catalog
    lists_to_read(1, len(raw))
    with gc_paused():  # parsing makes many objects and little garbage (3× faster at 10,000 policies)
        catalog = parse_catalog(raw, source, checks, _AHEAD[-1] if _AHEAD else None, told)
    gc.freeze()  # kept for the whole run, as one read from its entry is
    if keep and later is not None:
        later.append((digest, stamp, catalog))
    elif keep:
        store_catalogs([(digest, stamp, catalog)])
    return catalog


_AHEAD: list[Ahead] = []
# Work begun on a library's lists, read and checked, before they are paired: called as
# ahead(lists, store), the lists in the library's order, `store()` storing the entries of those just
# parsed; it returns whether it has taken that on (else they are stored at once).
ListsAhead = Callable[[Sequence[Catalog], Callable[[], None]], bool]
_LISTS_AHEAD: list[ListsAhead] = []
# Work begun before lists are read: called as begin(lists, size), with their number and, for one
# list, its size in bytes (see `lists_to_read`).
ListsBegun = Callable[[int, int], None]
_LISTS_BEGUN: list[ListsBegun] = []
# Work begun on each list of a library as soon as it is read and checked: called as each(catalog).
ListRead = Callable[[Catalog], None]
_LIST_READ: list[ListRead] = []
_ALONE: list[bool] = []


@contextmanager
def work_ahead(start: Ahead, lists: ListsAhead | None = None, begin: ListsBegun | None = None,
               each: ListRead | None = None) -> Iterator[None]:
    """While this runs, each list that has to be parsed (its entry missing) is handed to `start`
    before it is checked (see `catalog.Ahead`), the lists of a library, read and checked, to
    `lists` before they are paired (`lists_read`), each of them to `each` as soon as it is
    (`list_read`), and what is about to be read to `begin` (`lists_to_read`)."""
    hooks = [(_AHEAD, start), (_LISTS_AHEAD, lists), (_LISTS_BEGUN, begin), (_LIST_READ, each)]
    for kept, hook in hooks:
        if hook is not None:
            kept.append(hook)
    try:
        yield
    finally:
        for kept, hook in hooks:
            if hook is not None:
                kept.remove(hook)


def lists_to_read(count: int, size: int = 0) -> None:
    """A library is about to read its `count` lists (none of them read before as this library), or
    one list of `size` bytes is about to be parsed: work may begin on them meanwhile (`work_ahead`)."""
    if _LISTS_BEGUN:
        _LISTS_BEGUN[-1](count, size)


def list_read(catalog: Catalog) -> None:
    """One list of a library read and checked (from its entry, or parsed): work may begin on it
    while the others are read (`work_ahead`)."""
    if _LIST_READ:
        _LIST_READ[-1](catalog)


def lists_read(lists: Sequence[Catalog], unstored: Unstored) -> None:
    """A library's lists, read and checked, in the library's order, and the catalogs among them
    just parsed: handed to the work begun on them ahead of their pairing, if any (`work_ahead`),
    which may store those catalogs' entries meanwhile; else they are stored now."""
    if not (_LISTS_AHEAD and _LISTS_AHEAD[-1](lists, lambda: store_catalogs(unstored))):
        store_catalogs(unstored)


@contextmanager
def indexed_alone() -> Iterator[None]:
    """While this runs, a list parsed is the only one this run will index (a list added to a
    library kept): worth the work ahead whatever its size (see `alone`)."""
    _ALONE.append(True)
    try:
        yield
    finally:
        _ALONE.pop()


def alone() -> bool:
    """Whether the list being parsed is the only one this run indexes (see `indexed_alone`)."""
    return bool(_ALONE)


@contextmanager
def gc_paused(freeze: bool = False) -> Iterator[None]:
    """The collector off meanwhile; with `freeze`, what was made is then kept for the whole run
    (`gc.freeze`) before the collector is on again, so that its first collection does not walk
    all of it as new objects."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
        if freeze:
            gc.freeze()
    finally:
        if paused:
            gc.enable()

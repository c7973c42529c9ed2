"""Derived data kept between runs: the parsed catalog and the search index, in the user's cache dir.

Each entry is named after what it holds and the sha256 of the list file it was derived from, so an
edited list never meets an old entry, and a library of many lists has one entry of each kind per
list. An entry also records a stamp of the code that made it; a stale, foreign, corrupt or
unreadable entry is ignored and rebuilt, and a cache dir that cannot be written is simply not used.
Nothing here is ever fatal.

An entry holds data only: a header, then JSON, texts (Latin-1 when they can be, else UTF-16, which
decode several times faster than UTF-8 for Chinese) and arrays of integers (`Entry`), with a
CRC-32 of all of it checked before anything is decoded; `stored` checks the type of every value as
it rebuilds a catalog. Reading an entry cannot run code, whoever wrote it (the pickles of earlier
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
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .. import __version__
from .catalog import BlockCheck, parse_catalog
from .files import digest_of, read_bytes, resolve_data_path
from .model import Catalog
from .stored import Entry, Malformed, catalog_entry, catalog_of

ENV_VAR = "POLICY_CACHE_DIR"
FORMAT = 3  # bump when the layout of cached data changes
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
MAGIC = b"policycli cache 3\n"
MAX_ENTRY = 512 * 1024 * 1024  # an entry larger than this is not read (10,000 policies: ~50 MiB)


def _entry(folder: Path, kind: str, key: str) -> Path:
    return folder / f"{kind}-{key}{SUFFIX}"


def load(kind: str, key: str, stamp: str) -> Entry | None:
    """The entry, or None when there is none usable: missing, not a regular file of ours, made by
    other code, or failing its checksum or its layout. An entry is data only (JSON, UTF-8 text and
    integers): reading one never runs code, whoever wrote it."""
    folder = cache_dir()
    if folder is None:
        return None
    raw = _read_entry(_entry(folder, kind, key))
    if raw is None:
        return None
    try:
        found = _unpack(raw, (kind, key, stamp))
    except Exception:  # noqa: BLE001 - truncated, damaged or foreign: rebuild
        return None
    if found is not None:
        # What was loaded lives as long as the run: keep the collector from walking it all again
        # later (at 10,000 policies one full collection of it costs more than the search).
        gc.freeze()
    return found


def _read_entry(path: Path) -> bytes | None:
    """The bytes of a regular file owned by this user and writable by no one else, opened without
    blocking or following a link (a FIFO or a link planted in the dir is never read)."""
    import stat

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as handle:
            st = os.fstat(handle.fileno())
            if not stat.S_ISREG(st.st_mode) or st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
                return None
            if hasattr(os, "getuid") and st.st_uid != os.getuid() or st.st_size > MAX_ENTRY:
                return None
            if time.time() - st.st_mtime > FRESH:
                os.utime(handle.fileno())  # used: pruned after those not used for longer
            return handle.read(MAX_ENTRY + 1)
    except OSError:
        return None


def _unpack(raw: bytes, expected: tuple[str, str, str]) -> Entry | None:
    import json
    import zlib
    from array import array

    if not raw.startswith(MAGIC):
        return None
    end = raw.index(b"\n", len(MAGIC))
    head = json.loads(raw[len(MAGIC):end])
    body = memoryview(raw)[end + 1 :]
    if (head["kind"], head["key"], head["stamp"]) != expected or head["size"] != len(body):
        return None
    if zlib.crc32(body) != head["crc32"]:
        return None
    sections = []
    at = 0
    for size in head["sections"]:
        sections.append(body[at : at + size])
        at += size
    data, *rest = sections
    texts = [str(t, _ENCODINGS[kind], "surrogatepass") for t, kind in zip(rest[: head["texts"]], head["encodings"], strict=True)]
    numbers = []
    for section in rest[head["texts"] :]:
        values = array("q")
        values.frombytes(section)
        if sys.byteorder != "little":
            values.byteswap()
        numbers.append(values.tolist())
    return Entry(json.loads(str(data, "utf-8")), texts, numbers)


_ENCODINGS = {"l": "latin-1", "w": "utf-16-le"}  # how a text is kept: by the widest character it holds


def _kind(text: str) -> str:
    return "l" if text.isascii() or max(text) <= "\xff" else "w"


def _pack(entry: Entry, header: tuple[str, str, str]) -> list[bytes]:
    """The entry's bytes in pieces (written one after another: never joined in memory)."""
    import json
    import zlib
    from array import array

    sections = [json.dumps(entry.data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")]
    kinds = [_kind(text) for text in entry.texts]
    sections += [text.encode(_ENCODINGS[kind], "surrogatepass") for text, kind in zip(entry.texts, kinds)]
    for values in entry.numbers:
        packed = array("q", values)
        if sys.byteorder != "little":
            packed.byteswap()
        sections.append(packed.tobytes())
    crc = 0
    for section in sections:
        crc = zlib.crc32(section, crc)
    kind, key, stamp = header
    head = {"kind": kind, "key": key, "stamp": stamp, "size": sum(map(len, sections)), "crc32": crc,
            "texts": len(entry.texts), "encodings": "".join(kinds), "sections": [len(s) for s in sections]}
    return [MAGIC + json.dumps(head, ensure_ascii=True).encode("ascii") + b"\n", *sections]


def store(kind: str, key: str, stamp: str, entry: Entry) -> bool:
    """Write atomically (temp file + rename); False when the cache dir cannot be used."""
    import tempfile

    folder = cache_dir()
    if folder is None:
        return False
    try:
        packed = _pack(entry, (kind, key, stamp))
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{kind}-", suffix=".tmp")
    except (OSError, TypeError, ValueError):  # an unwritable dir; a value that is not plain data
        return False
    try:
        with os.fdopen(fd, "wb") as handle:
            for piece in packed:
                handle.write(piece)
        os.replace(tmp, _entry(folder, kind, key))
    except OSError:  # a full disk must not stop the run
        try:
            os.unlink(tmp)
        except OSError:
            pass
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


def load_catalog_cached(path: str | os.PathLike[str] | None = None, checks: Sequence[BlockCheck] = (),
                        keep: bool = True) -> Catalog:
    """`catalog.load_catalog`, but a dataset seen before is read from its entry instead of parsed (no
    YAML). An entry records which block checks it passed, so it is only reused for the same checks.
    With `keep` False, a dataset parsed is not stored (its caller keeps what it makes of it)."""
    data_path = resolve_data_path(path)
    return _catalog_cached(read_bytes(data_path), str(data_path), checks, keep)


def _catalog_cached(raw: bytes, source: str, checks: Sequence[BlockCheck], keep: bool = True) -> Catalog:
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
    with gc_paused():  # parsing makes many objects and little garbage (3× faster at 10,000 policies)
        catalog = parse_catalog(raw, source, checks)
    if not keep:
        return catalog
    try:
        entry = catalog_entry(catalog)
    except TypeError:  # a value that is not plain data: not kept
        return catalog
    store("catalog", digest, stamp, entry)
    return catalog


@contextmanager
def gc_paused() -> Iterator[None]:
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()

"""Derived data kept between runs: the parsed catalog and the search index, in the user's cache dir.

Each entry is a pickle named after what it holds and the sha256 of the dataset file it was derived
from, so an edited dataset never meets an old entry. An entry also records a stamp of the code that
made it; a stale, foreign, corrupt or unreadable entry is ignored and rebuilt, and a cache dir that
cannot be written is simply not used. Nothing here is ever fatal.

The dir is $POLICY_CACHE_DIR, else $XDG_CACHE_HOME/policycli, else ~/.cache/policycli, and only
ever an absolute path (a relative one would read entries from wherever the command runs; it is
ignored and `ignored_settings` says so). Entries are pickles, so one is only read when it is a
regular file owned by the current user and writable by no one else; it is opened without blocking
(a FIFO planted in the dir cannot hang a run).
"""
from __future__ import annotations

import gc
import os
import pickle
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .. import __version__
from .catalog import BlockCheck, parse_catalog
from .files import digest_of, read_bytes, resolve_data_path
from .model import Catalog

ENV_VAR = "POLICY_CACHE_DIR"
FORMAT = 1  # bump when the layout of cached objects changes
KEEP = 8  # entries of one kind kept, newest first (several datasets may be in use)


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
    return [f"环境变量 {name} 的值“{value}”不是绝对路径，已忽略；缓存目录须写成绝对路径，如 {Path.home() / '.cache'}"
            for name in (ENV_VAR, "XDG_CACHE_HOME")
            if (value := os.environ.get(name)) and not os.path.isabs(value)]


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


def _entry(folder: Path, kind: str, key: str) -> Path:
    return folder / f"{kind}-{key}.pickle"


def load(kind: str, key: str, stamp: str) -> Any | None:
    """The cached value, or None when there is none usable."""
    import stat

    folder = cache_dir()
    if folder is None:
        return None
    try:
        fd = os.open(_entry(folder, kind, key), os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as handle, gc_paused():  # unpickling makes no garbage
            st = os.fstat(handle.fileno())
            if not stat.S_ISREG(st.st_mode) or st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
                return None
            if hasattr(os, "getuid") and st.st_uid != os.getuid():
                return None
            header, value = pickle.load(handle)
    except Exception:  # noqa: BLE001 - unreadable, truncated or foreign: rebuild
        return None
    if header != (kind, key, stamp):
        return None
    # What was loaded lives as long as the run: keep the collector from walking it all again
    # later (at 10,000 policies one full collection of it costs more than the search).
    gc.freeze()
    return value


def store(kind: str, key: str, stamp: str, value: Any) -> bool:
    """Write atomically (temp file + rename); False when the cache dir cannot be used."""
    import tempfile

    folder = cache_dir()
    if folder is None:
        return False
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{kind}-", suffix=".tmp")
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(((kind, key, stamp), value), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, _entry(folder, kind, key))
    except Exception:  # noqa: BLE001 - a full disk or an unpicklable value must not stop the run
        try:
            os.unlink(tmp)
        except OSError:
            pass
        return False
    _prune(folder, kind)
    return True


def _prune(folder: Path, kind: str) -> None:
    try:
        entries = sorted(folder.glob(f"{kind}-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[KEEP:]:
            old.unlink()
    except OSError:
        pass


def load_catalog_cached(path: str | os.PathLike[str] | None = None, checks: Sequence[BlockCheck] = ()) -> Catalog:
    """`catalog.load_catalog`, but a dataset seen before is unpickled instead of parsed (no YAML).
    An entry records which block checks it passed, so it is only reused for the same checks."""
    data_path = resolve_data_path(path)
    raw = read_bytes(data_path)
    source = str(data_path)
    digest = digest_of(raw)
    stamp = code_stamp() + "".join(f"/{c.__module__}.{c.__qualname__}" for c in checks)
    found = load("catalog", digest, stamp)
    if isinstance(found, Catalog) and found.path == source:
        return found
    with gc_paused():  # parsing makes many objects and little garbage (3× faster at 10,000 policies)
        catalog = parse_catalog(raw, source, checks)
    store("catalog", digest, stamp, _shared(catalog))
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


def _shared(catalog: Catalog) -> Catalog:
    """The same catalog with equal strings, tuples and award / condition blocks made one object, so
    the pickle stores each once (sections, units, keywords and rules repeat across policies) and
    loads faster. Blocks are plain data that nothing changes after loading, so sharing is safe."""
    from dataclasses import replace

    pool: dict[Any, Any] = {}
    blocks: dict[str, Any] = {}

    def one(value: Any) -> Any:
        if isinstance(value, tuple):
            value = tuple(one(v) for v in value)
        return pool.setdefault(value, value) if isinstance(value, (str, tuple)) else value

    def one_block(value: Any) -> Any:
        return value if value is None else blocks.setdefault(repr(value), value)

    policies = tuple(
        replace(p, section=one(p.section), lead_units=one(p.lead_units), keywords=one(p.keywords), notes=one(p.notes),
                award=one_block(p.award), conditions=one_block(p.conditions))
        for p in catalog.policies
    )
    return replace(catalog, policies=policies)

"""The library of lists: the shipped list plus the lists a user added, one YAML file per list (in
the shipped schema) in $XDG_DATA_HOME/policycli/lists/, by default ~/.local/share/policycli/lists/.

A list's name is its file's name without `.yaml`; the shipped list is named like an added one, from
its region, year and batch (`derive_name`: 黄岛2024-1). This module owns where the lists live, their
names, adding and removing them, and reading the chosen ones into one catalog (see `combine`), which
is cached as a whole under the size and modification time of every list file: a list added, removed
or edited makes a new entry.

An import draft still holding fields marked as drafted (`Catalog.unconfirmed`: ids and titles
made up from the text, no award rules yet) is read only when named: reading the whole library
sets it aside (`Catalog.set_aside`), so that show, estimate, match and search answer from the
lists a person has finished, not twice over from a half-written copy."""
from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import DataError, InputError, os_reason
from .catalog import BlockCheck
from .files import default_data_path
from .model import Catalog

if TYPE_CHECKING:
    from .cache import Unstored

DATA_HOME_ENV = "XDG_DATA_HOME"
SUFFIX = ".yaml"
ORIGIN_MARK = "# 来源："  # first line of a list file written by `add_list`: where the list came from
SHIPPED_ORIGIN = "随包数据"
MAX_NAME = 32
# A name is typed on the command line and used as a file name and before ":" in LIST:ID
_BAD_NAME = re.compile(r"[\s/\\:：\x00-\x1f\x7f-\x9f]")
_NUMERALS = dict(zip("一二三四五六七八九十", range(1, 11)))


class NameTaken(InputError):
    """A list of that name is in the library already (`name`)."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"已有名为“{name}”的清单；要替换它请选择替换，或另起一个名称")


class ShippedList(InputError):
    """The shipped list was asked to be removed or replaced (`name`)."""

    def __init__(self, name: str, what: str) -> None:
        self.name = name
        super().__init__(f"“{name}”是随包清单，不能{what}；只查其他清单时可指定要查的清单")


@dataclass(frozen=True)
class ListFile:
    """A list of the library: its name (None until read, for the shipped list), file and origin."""

    name: str | None
    path: Path
    shipped: bool = False

    @property
    def origin(self) -> str:
        """Where the list came from: the shipped data, or the file or source it was added from."""
        if self.shipped:
            return SHIPPED_ORIGIN
        try:
            with open(self.path, "rb") as handle:
                first = handle.readline(4096).decode("utf-8", "replace").rstrip("\r\n")
        except OSError:
            return ""
        return first[len(ORIGIN_MARK):] if first.startswith(ORIGIN_MARK) else ""


def lists_dir() -> Path:
    """$XDG_DATA_HOME/policycli/lists when that is an absolute path, else ~/.local/share/policycli/lists."""
    data_home = os.environ.get(DATA_HOME_ENV, "")
    base = Path(data_home) if os.path.isabs(data_home) else Path.home() / ".local" / "share"
    return base / "policycli" / "lists"


def ignored_settings() -> list[str]:
    """A line when $XDG_DATA_HOME is ignored because it is relative."""
    from .files import relative_settings

    return relative_settings((DATA_HOME_ENV,), "清单库目录", Path.home() / ".local" / "share")


def list_files() -> list[ListFile]:
    """The shipped list, then the user's lists by name. A missing or unreadable folder holds none."""
    found = [ListFile(None, default_data_path(), shipped=True)]
    folder = lists_dir()
    try:
        with os.scandir(folder) as entries:
            names = sorted(e.name for e in entries if e.name.endswith(SUFFIX) and not e.name.startswith("."))
    except OSError:
        names = []
    found += [ListFile(n[: -len(SUFFIX)], folder / n) for n in names]
    return found


def derive_name(region: str, year: int, batch: str) -> str:
    """A short name from the list's region, year and batch: 青岛市黄岛区（西海岸新区）, 2024, 第一批 →
    黄岛2024-1. The place is the last unit of the region without its 区/县/市; a batch without a
    number (全年) is kept as written."""
    core = re.sub(r"[（(][^）)]*[）)]", "", unicodedata.normalize("NFKC", region)).strip()
    units = re.findall(r".+?(?:自治区|新区|省|市|区|县|旗)", core) or [core]
    place = re.sub(r"(?:新区|区|县|市|旗)$", "", units[-1]) or units[-1]
    batch = unicodedata.normalize("NFKC", batch).strip()
    number = re.fullmatch(r"第?([一二三四五六七八九十]|\d{1,2})批?", batch)
    if number:
        part = str(_NUMERALS.get(number.group(1), number.group(1)))
    else:
        part = batch
    name = f"{place}{year}" + (f"-{part}" if part else "")
    return _BAD_NAME.sub("", name)[:MAX_NAME] or f"{year}"


def check_name(name: str) -> str:
    """The name as stored (NFKC), or InputError saying what a name may hold."""
    folded = unicodedata.normalize("NFKC", name).strip()
    if not folded or len(folded) > MAX_NAME or _BAD_NAME.search(folded) or folded[0] in ".-":
        raise InputError(f"清单名称“{name}”不能用：名称为 1–{MAX_NAME} 个字，不含空格、/、\\ 和冒号，"
                         "不以 . 或 - 开头，如 黄岛2025-1")
    return folded


def named(files: Sequence[ListFile], shipped_name: str) -> list[ListFile]:
    """The files with the shipped list's name filled in."""
    return [ListFile(shipped_name, f.path, True) if f.shipped else f for f in files]


def choose(files: Sequence[ListFile], wanted: Sequence[str]) -> list[ListFile]:
    """The lists named in `wanted` (all when empty), in library order; an unknown name is an error
    naming the lists there are."""
    if not wanted:
        return list(files)
    names = {f.name: f for f in files}
    for name in wanted:
        if check_name(name) not in names:
            raise InputError(f"没有名为“{name}”的清单，{_offered([str(n) for n in names], check_name(name))}")
    chosen = {check_name(n) for n in wanted}
    return [f for f in files if f.name in chosen]


NAMES_OFFERED = 8  # lists named in an error at most: a library of 200 would fill the screen


def _offered(names: list[str], typed: str) -> str:
    """The lists an error offers instead of a name not there: all of them when they are few, else
    the NAMES_OFFERED nearest to what was typed, and how many there are."""
    if len(names) <= NAMES_OFFERED:
        return f"可选：{'、'.join(names)}"
    from rapidfuzz import fuzz, process

    nearest = [name for name, _, _ in process.extract(typed, names, scorer=fuzz.ratio, limit=NAMES_OFFERED)]
    return f"相近的有：{'、'.join(nearest)}（共 {len(names)} 份）"


def add_list(raw: bytes, source: str, name: str, *, force: bool = False, shipped_name: str = "") -> ListFile:
    """Store the dataset `raw` (already validated) as list `name`, its first line recording where it
    came from; the file it was read from is never touched. A name in use is refused unless `force`
    (the shipped list's, always)."""
    from .text import visible
    from .writing import write_whole

    name = check_name(name)
    if name == shipped_name:
        raise ShippedList(name, "替换")
    folder = lists_dir()
    target = folder / f"{name}{SUFFIX}"
    if target.exists() and not force:
        raise NameTaken(name)
    origin = "".join(visible(ch) if ch in "\r\n" or not ch.isprintable() else ch for ch in source)
    data = f"{ORIGIN_MARK}{origin}\n".encode("utf-8") + raw.removeprefix(b"\xef\xbb\xbf")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # also a file where the folder should be
        raise DataError([unwritable(folder, exc)]) from None
    try:
        write_whole(target, data, replace=force)
    except FileExistsError:
        raise NameTaken(name) from None
    except OSError as exc:
        raise DataError([unwritable(folder, exc)]) from None
    return ListFile(name, target)


def unwritable(folder: Path, exc: OSError) -> str:
    return (f"{folder}: 无法写入清单目录（{os_reason(exc)}），请检查该目录的权限，"
            f"或用环境变量 {DATA_HOME_ENV} 指定一个可写的目录")


def removable(files: Sequence[ListFile], name: str) -> ListFile:
    """List `name`, which may be removed: an unknown name or the shipped list is an error."""
    found = choose(files, [name])[0]
    if found.shipped:
        raise ShippedList(str(found.name), "删除")
    return found


def remove_list(files: Sequence[ListFile], name: str) -> ListFile:
    """Take list `name` out of the library (its file is deleted); the shipped list cannot be."""
    found = removable(files, name)
    try:
        found.path.unlink()
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise DataError([unwritable(found.path.parent, exc)]) from None
    return found


@dataclass(frozen=True)
class ListRow:
    """A list as `policy lists` shows it; `problem` is the first one when it does not validate,
    `unfinished` the number of items still to author (an import draft: see `Catalog.todo`)."""

    name: str
    title: str
    region: str
    year: int | None
    batch: str
    count: int | None
    origin: str
    path: str
    problem: str = ""
    unfinished: int = 0
    draft: bool = False  # fields still marked as drafted: read only when named (see `read_library`)

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, "title": self.title, "region": self.region, "year": self.year,
                "batch": self.batch, "count": self.count, "origin": self.origin, "path": self.path,
                "validates": not self.problem, "problem": self.problem or None, "unfinished": self.unfinished,
                "draft": self.draft}


def overview(files: Sequence[ListFile], checks: Sequence[BlockCheck] = ()) -> list[ListRow]:
    """Every list of the library with its metadata, read and checked."""
    from .cache import load_catalog_cached

    rows = []
    for f in files:
        try:
            c = load_catalog_cached(f.path, checks)
        except DataError as exc:
            rows.append(ListRow(str(f.name), "", "", None, "", None, f.origin, str(f.path), exc.lines[0]))
            continue
        name = f.name or derive_name(c.region, c.year, c.batch)
        rows.append(ListRow(name, c.title, c.region, c.year, c.batch, len(c.policies), f.origin, str(f.path),
                            unfinished=len(c.todo), draft=c.unconfirmed and not f.shipped))
    return rows


def read_library(files: Sequence[ListFile], checks: Sequence[BlockCheck] = (), wanted: Sequence[str] = (),
                 keep_each: bool = True, progress: Callable[[int, int], None] | None = None) -> Catalog:
    """The lists of `files` chosen by `wanted` (all when empty, import drafts aside: their names are
    the catalog's `set_aside`) as one catalog (see `combine`).
    A list that fails to load is left out; its first problem is in the catalog's `warnings`.
    Cached as a whole under the size and modification time of every file, and each list under its
    content (unless not `keep_each`: a file read alone is kept once, as the whole). When the lists
    are read one by one, `progress` is told (steps done, steps) as each is read, then paired; a
    file read alone and parsed tells it its lines read, then checked (`catalog.parse_catalog`)."""
    from . import cache
    from .stored import Malformed, catalog_entry, catalog_of

    key = _signature(files, wanted)
    stamp = cache.code_stamp() + "".join(f"/{c.__module__}.{c.__qualname__}" for c in checks)
    found = cache.load("library", key, stamp) if key else None
    if found is not None:
        try:
            with cache.gc_paused():
                whole = catalog_of(found)
            return replace(whole, read_again=lambda: _build(files, checks, wanted, keep_each, stamp))
        except Malformed:
            pass
    catalog = _build(files, checks, wanted, keep_each, stamp, progress)
    if key:
        try:
            cache.store("library", key, stamp, catalog_entry(catalog))
        except TypeError:  # a value that is not plain data: not kept
            pass
    return catalog


def _signature(files: Sequence[ListFile], wanted: Sequence[str]) -> str | None:
    lines = _stat_lines(files)
    return None if lines is None else _hashed(wanted, lines)


def _stat_lines(files: Sequence[ListFile]) -> list[str] | None:
    lines = []
    for f in files:
        try:
            st = os.stat(f.path)
        except OSError:
            return None
        lines.append(f"{f.name}|{f.path}|{st.st_size}|{st.st_mtime_ns}|{st.st_ino}")
    return lines


def _hashed(wanted: Sequence[str], lines: list[str]) -> str:
    return hashlib.sha256("\n".join([repr(sorted(wanted)), *lines]).encode("utf-8", "surrogateescape")).hexdigest()


def _build(files: Sequence[ListFile], checks: Sequence[BlockCheck], wanted: Sequence[str], keep_each: bool,
           stamp: str, progress: Callable[[int, int], None] | None = None) -> Catalog:
    from . import cache
    from .combine import combine

    with cache.pruning_after(), cache.gc_paused(freeze=True):  # many objects kept for the run, little garbage
        added = None if wanted else _added_last(files, checks, keep_each, stamp)
        if added is not None:
            return added
        unstored: Unstored = []
        cache.lists_to_read(len(files))
        if len(files) == 1 and not keep_each:  # a file read alone: its lines told, not the lists
            told, progress = progress, None
        else:
            told = None
        steps = 2 * len(files)  # each list read, then paired with those before it
        loaded, failed = _loaded(files, checks, keep_each, unstored,
                                 (lambda done, _: progress(done, steps)) if progress else None, told)
        problems = [f"清单“{name}”有错误，已略去（{reason}）" for name, reason in failed.items()]
        _named_broken(failed, wanted)
        picked = {id(f) for f in choose([f for f, _ in loaded], wanted)}
        chosen = [(f, c) for f, c in loaded if id(f) in picked]
        added = {f.path for f in files if f.name is not None and not f.shipped}  # not a file read alone
        aside = [] if wanted else [f for f, c in chosen if f.path in added and _drafting(f, c)]
        chosen = [(f, c) for f, c in chosen if f not in aside]
        rest = [f for f in files if f.path not in {a.path for a in aside}]
        earlier = _earlier(rest, chosen, wanted, stamp) if not problems else None
        cache.lists_read([c for _, c in sorted(chosen, key=lambda fc: -fc[1].year)], unstored)  # as `combine` orders them
        combined = combine([(str(f.name), c) for f, c in chosen], tuple(problems), earlier,
                           (lambda done: progress(steps - len(chosen) + done, steps)) if progress else None)
        if progress is not None:
            progress(steps, steps)
        return replace(combined, set_aside=tuple(str(f.name) for f in aside)) if aside else combined


def _named_broken(failed: dict[str, str], wanted: Sequence[str]) -> None:
    """A list named in `wanted` that is in the library but failed to load (`failed`: name ->
    first problem) is an error saying so, not that there is no such list."""
    for name in wanted:
        reason = failed.get(check_name(name))
        if reason is not None:
            raise DataError([f"清单“{check_name(name)}”有错误，不能使用：{reason}"])


def _drafting(f: ListFile, catalog: Catalog) -> bool:
    """Whether list `f` (as `list_files` gives it) is set aside when the whole library is read: an
    added import draft."""
    return not f.shipped and f.name is not None and catalog.unconfirmed


def _added_last(files: Sequence[ListFile], checks: Sequence[BlockCheck], keep: bool, stamp: str) -> Catalog | None:
    """The library when it is one read before (kept under the signature of the other files, its
    search index kept too) with one list added that is shown after all of its lists (the oldest):
    grown from that one (`combine.grown`), none of its lists read or paired again."""
    from . import cache
    from .cache import load_catalog_cached
    from .combine import grown
    from .stored import Malformed, catalog_of

    lines = _stat_lines(files)
    if lines is None or len(files) < 3:
        return None
    for number in reversed(range(len(files))):
        found = cache.load("library", _hashed((), lines[:number] + lines[number + 1 :]), stamp)
        if found is None:
            continue
        try:
            earlier = catalog_of(found)
        except Malformed:
            return None
        if (earlier.warnings or len(earlier.lists) + len(earlier.set_aside) != len(files) - 1
                or not cache.kept("search", earlier.digest)):
            return None
        try:
            with cache.indexed_alone():  # its index, the only one built, may be begun at once
                catalog = load_catalog_cached(files[number].path, checks, keep)
        except DataError:
            return None
        if _drafting(files[number], catalog):  # the library as it was, the draft set aside
            return replace(earlier, set_aside=(*earlier.set_aside, str(files[number].name)))
        position = {str(f.path): n for n, f in enumerate(files)}
        if not all(info.path in position and (info.year, number) > (catalog.year, position[info.path])
                   for info in earlier.lists):
            return None  # not shown last (`combine` orders the lists by year, then as `files`)
        new = files[number]
        return grown(earlier, new.name or derive_name(catalog.region, catalog.year, catalog.batch), catalog)
    return None


def _earlier(files: Sequence[ListFile], chosen: list[tuple[ListFile, Catalog]], wanted: Sequence[str],
             stamp: str) -> Catalog | None:
    """The library read before without the list shown last (the oldest, as `combine` orders them):
    with a list added last, the lists before it need not be paired again (see `combine`)."""
    from . import cache
    from .stored import Malformed, catalog_of

    if len(chosen) < 3:
        return None
    last = sorted(chosen, key=lambda fc: -fc[1].year)[-1][0]
    key = _signature([f for f in files if f.path != last.path], wanted)
    found = cache.load("library", key, stamp) if key else None
    try:
        return catalog_of(found) if found is not None else None
    except Malformed:
        return None


def _loaded(files: Sequence[ListFile], checks: Sequence[BlockCheck], keep: bool, unstored: Unstored,
            progress: Callable[[int, int], None] | None = None,
            told: Callable[[int, int], None] | None = None) -> tuple[list[tuple[ListFile, Catalog]], dict[str, str]]:
    """Each list read (from its cache entry, else parsed), named; a list that fails to load is
    left out, its first problem by its name (the shipped list's, or a lone file's, is raised). The lists
    parsed are added to `unstored`, their entries not stored yet (see `cache.lists_read`).
    `progress` is told the lists read; `told`, how far a list parsed has got (a file read alone)."""
    from .cache import list_read, load_catalog_cached, store_catalogs

    loaded: list[tuple[ListFile, Catalog]] = []
    failed: dict[str, str] = {}
    for number, f in enumerate(files):
        if progress is not None:
            progress(number, len(files))
        try:
            catalog = load_catalog_cached(f.path, checks, keep, unstored, told)
        except DataError as exc:
            if f.name is None:  # the shipped list, or a file read alone
                store_catalogs(unstored)
                raise
            failed[str(f.name)] = exc.lines[0]
            continue
        if f.name is None:
            f = ListFile(derive_name(catalog.region, catalog.year, catalog.batch), f.path, f.shipped)
        loaded.append((f, catalog))
        list_read(catalog)
    if progress is not None:
        progress(len(files), len(files))
    return loaded, failed

"""A dataset read with every check: the loader's own (dataset) and those of the engines that own a
block of each policy: `award:` (awards) and `conditions:` (match). The interfaces load through here,
so a dataset that passes is one every engine can run on."""
from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any

from .dataset import cache, catalog, library
from .dataset.model import Catalog


def check_award_block(checker: Any, node: Any, field: str) -> None:
    # Imported when called: a run that finds the parsed catalog in the cache needs neither engine.
    from .awards.blocks import check_award

    check_award(checker, node, field)


def check_conditions_block(checker: Any, node: Any, field: str) -> None:
    from .match.conditions import check_conditions

    check_conditions(checker, node, field)


CHECKS = (check_award_block, check_conditions_block)
Progress = Callable[[int, int], None]  # told (done, total)


def load_catalog(path: str | os.PathLike[str] | None = None, progress: Progress | None = None) -> Catalog:
    """The dataset at `path`, every check made; `progress` told its lines read, then checked."""
    return catalog.load_catalog(path, CHECKS, progress)


def parse_catalog(raw: bytes, source: str, progress: Progress | None = None) -> Catalog:
    return catalog.parse_catalog(raw, source, CHECKS, told=progress)


def load_catalog_cached(path: str | os.PathLike[str] | None = None) -> Catalog:
    return cache.load_catalog_cached(path, CHECKS)


def shipped_list_name() -> str:
    shipped = load_catalog_cached(library.default_data_path())
    return library.derive_name(shipped.region, shipped.year, shipped.batch)


def library_files() -> list[library.ListFile]:
    """The lists of the library, the shipped one named."""
    return library.named(library.list_files(), shipped_list_name())


def load_library(wanted: Sequence[str] = (), progress: Progress | None = None) -> Catalog:
    """The lists of the library named in `wanted` (all when empty) as one catalog; `progress` is
    told the lists read of those to read, when they are read one by one."""
    return library.read_library(library.list_files(), CHECKS, wanted, progress=progress)


def load_alone(path: str | os.PathLike[str] | None, progress: Progress | None = None) -> Catalog:
    """Exactly the one dataset at `path` (see `resolve_data_path`), its policies named by its list;
    `progress` told its lines read, then checked, when it is parsed."""
    from .dataset.files import resolve_data_path

    return library.read_library([library.ListFile(None, resolve_data_path(path))], CHECKS, keep_each=False,
                                progress=progress)


def load_chosen(path: str | os.PathLike[str] | None = None, wanted: Sequence[str] = (),
                progress: Progress | None = None) -> Catalog:
    """What a command answers over: the one dataset given by `path` or $POLICY_DATA, else the
    library (the lists named in `wanted`, all when empty); `progress` as `load_alone` or
    `load_library` tells it."""
    if reads_alone(path):
        return load_alone(path, progress)
    return load_library(wanted, progress)


def reads_alone(path: str | os.PathLike[str] | None) -> bool:
    """Whether `load_chosen(path)` reads one dataset (given by `path` or $POLICY_DATA), not the library."""
    from .dataset.files import ENV_VAR

    return path is not None or os.environ.get(ENV_VAR) is not None


def library_overview() -> list[library.ListRow]:
    return library.overview(library_files(), CHECKS)


def add_to_library(raw: bytes, source: str, name: str | None = None, *, force: bool = False) -> tuple[library.ListFile, Catalog]:
    """Validate the dataset `raw` read from `source` and add it to the library under `name`, by
    default the one derived from its region, year and batch. Raises DataError with every problem
    (file:line) when it does not validate."""
    checked = parse_catalog(raw, source)
    chosen = name if name is not None else library.derive_name(checked.region, checked.year, checked.batch)
    origin = source if not os.path.exists(source) else os.path.abspath(source)
    added = library.add_list(raw, origin, chosen, force=force, shipped_name=shipped_list_name())
    return added, checked


def removable_from_library(name: str) -> library.ListFile:
    return library.removable(library_files(), name)


def remove_from_library(name: str) -> library.ListFile:
    return library.remove_list(library_files(), name)


def library_path(given: str) -> str:
    """A list of the library named `given`, as its file; anything else (a file) as given. A file
    of that name in the current folder wins over the list."""
    if os.path.exists(given):
        return given
    for f in library_files():
        if f.name == given:
            return str(f.path)
    return given

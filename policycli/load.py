"""A dataset read with every check: the loader's own (dataset) and those of the engines that own a
block of each policy: `award:` (awards) and `conditions:` (match). The interfaces load through here,
so a dataset that passes is one every engine can run on."""
from __future__ import annotations

import os
from typing import Any

from .dataset import cache, catalog
from .dataset.model import Catalog


def check_award_block(checker: Any, node: Any, field: str) -> None:
    # Imported when called: a run that finds the parsed catalog in the cache needs neither engine.
    from .awards.blocks import check_award

    check_award(checker, node, field)


def check_conditions_block(checker: Any, node: Any, field: str) -> None:
    from .match.conditions import check_conditions

    check_conditions(checker, node, field)


CHECKS = (check_award_block, check_conditions_block)


def load_catalog(path: str | os.PathLike[str] | None = None) -> Catalog:
    return catalog.load_catalog(path, CHECKS)


def parse_catalog(raw: bytes, source: str) -> Catalog:
    return catalog.parse_catalog(raw, source, CHECKS)


def load_catalog_cached(path: str | os.PathLike[str] | None = None) -> Catalog:
    return cache.load_catalog_cached(path, CHECKS)

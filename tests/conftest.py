"""Shared test setup: the shipped dataset, and a cache dir of the tests' own (never the user's)."""
from __future__ import annotations

import os

import pytest

from policycli.cache import load_catalog_cached


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory):
    """Every test runs with POLICY_CACHE_DIR pointing at a temp dir, shared by the session."""
    saved = {k: os.environ.get(k) for k in ("POLICY_CACHE_DIR", "POLICY_DATA", "NO_COLOR")}
    os.environ["POLICY_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    os.environ.pop("POLICY_DATA", None)
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="session")
def catalog():
    return load_catalog_cached()

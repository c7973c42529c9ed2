from pathlib import Path

import pytest

from policycli.catalog import load_catalog

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "policies.yaml"


@pytest.fixture(scope="session")
def catalog():
    return load_catalog(DATA)

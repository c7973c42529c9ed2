"""Shared fixtures: the shipped catalog, the official text, a CLI runner, dataset files to break."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from policycli.catalog import load_catalog

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
DATASET = REPO / "data" / "policies.yaml"
OFFICIAL_COPY = TESTS / "fixtures" / "policy-list-2024-batch1.txt"
OFFICIAL_SHARED = REPO.parent / "shared" / "source" / "policy-list-2024-batch1.txt"


def official_source() -> Path:
    """The official list from ../shared when present, else the copy kept with the tests."""
    return OFFICIAL_SHARED if OFFICIAL_SHARED.is_file() else OFFICIAL_COPY


def official_items(path: Path) -> dict[tuple[int, int], dict[str, str]]:
    """Split the official text into {(part, number): {content, lead}} independently of the loader."""
    lines = [re.sub(r"\[bookmark: [^\]]*\]", "", l).strip() for l in path.read_text(encoding="utf-8").splitlines()]
    items, part = {}, 1
    for i, line in enumerate(lines):
        if line.startswith("二、"):
            part = 2
        if line.isdigit():
            items[(part, int(line))] = {"content": lines[i + 1], "lead": lines[i + 2]}
    return items


@pytest.fixture(scope="session")
def catalog():
    return load_catalog(DATASET)


@pytest.fixture(scope="session")
def official():
    return official_items(official_source())


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def dataset_dict():
    """The shipped dataset as a plain dict, to modify and write elsewhere."""
    return yaml.safe_load(DATASET.read_text(encoding="utf-8"))


@pytest.fixture
def write_dataset(tmp_path):
    def write(data, name="policies.yaml") -> Path:
        path = tmp_path / name
        if isinstance(data, (bytes, str)):
            path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        else:
            path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return path

    return write

"""The official text imported as a draft (no keywords, titles cut from the text, no English of
ours), once per session, for the tests that search a list nobody curated."""
from __future__ import annotations

from pathlib import Path

import pytest

from policycli.lists.draft_yaml import draft_yaml
from policycli.lists.drafting import draft_from
from policycli.lists.reading import read_list
from policycli.load import parse_catalog

OFFICIAL = Path(__file__).parent / "fixtures" / "policy-list-2024-batch1.txt"


@pytest.fixture(scope="session")
def draft():
    """The draft's catalog, as `policy --data DRAFT` reads it."""
    text = draft_yaml(draft_from(read_list(OFFICIAL)))
    return parse_catalog(text.encode("utf-8"), "draft.yaml")


def in_draft(catalog, draft, policy_id: str) -> str:
    """The draft's id of the shipped policy `policy_id` (the same part and number)."""
    shipped = next(p for p in catalog.policies if p.id == policy_id)
    return next(p.id for p in draft.policies if (p.part, p.number) == (shipped.part, shipped.number))

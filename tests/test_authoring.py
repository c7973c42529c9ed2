"""docs/authoring.md: its award and condition examples are valid blocks that quote the official
text, and the example draft it shows is what `policy import` makes of the official list."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import REPO, official_source

from policycli.awards.blocks import parse_award
from policycli.dataset.yamlfile import Checker, parse_located_yaml
from policycli.lists.draft_yaml import draft_yaml
from policycli.lists.drafting import draft_from
from policycli.lists.reading import read_list
from policycli.match.conditions import check_conditions

DOC = REPO / "docs" / "authoring.md"
BLOCKS = re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)


def test_the_doc_shows_every_award_kind():
    from policycli.awards.blocks import KINDS

    shown = set(re.findall(r"kind: (\w+)", "".join(BLOCKS)))
    assert shown == set(KINDS)


@pytest.mark.parametrize("block", [b for b in BLOCKS if b.startswith("award:")], ids=lambda b: re.search(r"kind: (\w+)", b).group(1))
def test_award_examples_are_valid_and_quote_a_shipped_policy(catalog, block):
    award = parse_located_yaml(block.encode(), "authoring.md")["award"]
    first = award.get("clause") or next(iter(re.findall(r"clause: ([^\n,}]+)", block)))
    first = first[0] if isinstance(first, list) else first
    policy = next(p for p in catalog.policies if first in p.content)
    problems = []
    rule = parse_award(award, "award", policy.content, lambda line, field, message: problems.append((field, message)))
    assert problems == [] and rule is not None


def test_condition_example_is_valid(catalog):
    block = next(b for b in BLOCKS if b.startswith("conditions:"))
    node = parse_located_yaml(block.encode(), "authoring.md")
    node["content"] = "\n".join(p.content for p in catalog.policies)
    check = Checker("authoring.md")
    check_conditions(check, node, "policies[x]")
    assert check.problems == []


def test_the_example_draft_is_the_import_of_the_official_list():
    shipped = Path(REPO / "examples" / "draft-2024-batch1.yaml").read_text(encoding="utf-8")
    assert shipped == draft_yaml(draft_from(read_list(official_source())))

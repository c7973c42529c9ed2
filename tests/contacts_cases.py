"""Expected contacts (tests/cases/contacts.yaml) and a reader of the official list to check them by."""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

TESTS = Path(__file__).resolve().parent
SOURCE_NAME = "policy-list-2024-batch1.txt"
SHARED_SOURCE = TESTS.parent.parent / "shared" / "source" / SOURCE_NAME
FIXTURE_SOURCE = TESTS / "fixtures" / SOURCE_NAME
PHONE = re.compile(r"^0\d{2,3}-\d{7,8}$")
PART_HEADING = re.compile(r"^(?:\[bookmark: [^\]]*\])?([一二三四五])、")
PARTS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5}


@cache
def cases() -> dict[str, Any]:
    return yaml.safe_load((TESTS / "cases" / "contacts.yaml").read_text(encoding="utf-8"))


def official_text() -> str:
    """The official list: ../shared/source when present, else the copy kept with the tests."""
    path = SHARED_SOURCE if SHARED_SOURCE.is_file() else FIXTURE_SOURCE
    return path.read_text(encoding="utf-8")


@cache
def official_items() -> list[dict[str, Any]]:
    """Each numbered item of the list: ref ("2-1"), lead units, and its (office, person, phone)s."""
    items = []
    part = 0
    for block in re.split(r"\n\s*\n", official_text()):
        lines = [line.strip() for line in block.strip().splitlines() if line.strip()]
        if not lines:
            continue
        for line in lines:
            heading = PART_HEADING.match(line)
            if heading:
                part = PARTS[heading.group(1)]
        if not lines[0].isdigit() or len(lines) < 4:
            continue
        lead = re.sub(r"^牵头单位[:：]", "", lines[2])
        rest = lines[3:]
        phones = [i for i, line in enumerate(rest) if PHONE.match(line)]
        offices = rest[: phones[0] - 1]
        people = [(rest[i - 1], rest[i]) for i in phones]
        assert len(offices) == len(people), block
        items.append({
            "ref": f"{part}-{lines[0]}",
            "lead_units": lead.split("、"),
            "contacts": [(office, person, phone) for office, (person, phone) in zip(offices, people, strict=True)],
        })
    return items


def ids_of(catalog: Any, refs: list[str]) -> list[str]:
    by_ref = {f"{p.part}-{p.number}": p.id for p in catalog.policies}
    return [by_ref[ref] for ref in refs]

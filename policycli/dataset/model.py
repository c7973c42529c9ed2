"""Typed, immutable objects of the policy catalog."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

PART_NUMERALS = {1: "一", 2: "二", 3: "三", 4: "四", 5: "五"}


@dataclass(frozen=True)
class Office:
    """A responsible office (区工信局责任科室) with its published contact."""

    name: str
    contact: str
    phone: str
    note: str | None = None  # e.g. a 核实提示 on a doubtful phone number
    lists: tuple[str, ...] = ()  # the lists of the library that name this office (contact and phone alike)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "contact": self.contact, "phone": self.phone, "note": self.note}


@dataclass(frozen=True)
class Part:
    number: int
    name: str
    sections: tuple[str, ...] = ()

    @property
    def numeral(self) -> str:
        return PART_NUMERALS.get(self.number, str(self.number))

    @property
    def label(self) -> str:
        return f"{self.numeral}、{self.name}"


@dataclass(frozen=True)
class Policy:
    id: str
    part: int
    section: str | None
    number: int
    title: str
    content: str
    lead_units: tuple[str, ...]
    offices: tuple[Office, ...]
    keywords: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    # Declarative data used by the award and eligibility engines; kept as plain mappings here.
    award: Any = None
    conditions: Any = None
    line: int = 0  # line of the policy in its YAML file
    list: str = ""  # name of the list it comes from (see dataset.library); "" for a file read alone
    also: tuple[str, ...] = ()  # "LIST:ID" of the same policy continued unchanged in other lists of the library
    also_at: tuple[str, ...] = ()  # where each of `also` stands in its list: "PART:NUMBER:SECTION" (see `placed`)
    versions: tuple[str, ...] = ()  # "LIST:ID" of its other versions: continued with changes in other lists
    drafted: tuple[str, ...] = ()  # the fields its list marks as drafted, still to confirm (`draft: [id, title]`)

    @property
    def key(self) -> str:
        """"LIST:ID", which names the policy across the lists of a library; the bare id without a list."""
        return f"{self.list}:{self.id}" if self.list else self.id

    @property
    def place(self) -> str:
        """Where the policy stands in its list, as `also_at` writes it."""
        return f"{self.part}:{self.number}:{self.section or ''}"

    @staticmethod
    def placed(place: str) -> dict[str, Any]:
        """The part, number and section `place` wrote, as fields of a `Policy`."""
        part, number, section = place.split(":", 2)
        return {"part": int(part), "number": int(number), "section": section or None}

    @property
    def lists(self) -> tuple[str, ...]:
        """Every list holding this policy: its own first, then those it is continued in."""
        return (self.list, *(a.split(":", 1)[0] for a in self.also)) if self.list else ()

    @property
    def ref(self) -> str:
        """Number as printed in the list, qualified by part: "一-3" is part 一, item 3. The one form in
        every output (table, json, csv, yaml, vCard): Excel would read "1-3" as a date (1月3日);
        `policy show` accepts 一-3, 1-3, 一3 and 3 alike."""
        return f"{PART_NUMERALS.get(self.part, self.part)}-{self.number}"

    @property
    def label(self) -> str:
        return self.ref

    def condition_clauses(self) -> list[str]:
        """The clause texts of the `conditions:` block, once each; "X；或 Y" for alternatives
        (an entry `any: [...]`). The block's facts and values are read by the match engine."""
        texts: list[str] = []
        for entry in self.conditions or ():
            options = entry.get("any") or (entry,)
            text = "；或 ".join(dict.fromkeys(str(c.get("clause", "")) for c in options))
            if text not in texts:
                texts.append(text)
        return texts

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "list": self.list,
            "also": list(self.also),
            "versions": list(self.versions),
            "ref": self.ref,
            "part": self.part,
            "section": self.section,
            "number": self.number,
            "title": self.title,
            "content": self.content,
            "lead_units": list(self.lead_units),
            "offices": [o.to_dict() for o in self.offices],
            "keywords": list(self.keywords),
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class ListInfo:
    """One list of a library as the catalog holds it: its name, metadata and parts."""

    name: str
    title: str
    region: str
    year: int
    batch: str
    parts: tuple[Part, ...]
    count: int
    path: str = ""
    area_code: str = ""

    def part(self, number: int) -> Part | None:
        return next((p for p in self.parts if p.number == number), None)

    @property
    def label(self) -> str:
        """How a heading names the list: 黄岛2024-1（2024年第一批）."""
        return f"{self.name}（{self.year}年{self.batch}）"


@dataclass(frozen=True)
class Catalog:
    """The whole dataset: metadata, parts, offices and policies, in list order."""

    title: str
    region: str
    year: int
    batch: str
    area_code: str
    source: str
    parts: tuple[Part, ...]
    offices: tuple[Office, ...]
    policies: tuple[Policy, ...]
    path: str = ""
    digest: str = ""
    warnings: tuple[str, ...] = field(default=(), compare=False)
    todo: tuple[str, ...] = field(default=(), compare=False)  # what remains to author (see catalog)
    drafted: tuple[str, ...] = ()  # the list's own fields it marks as drafted (`draft: [region]`)
    lists: tuple[ListInfo, ...] = ()  # the lists the policies come from (dataset.library); () for a file read alone
    # The import drafts of the library left out because no list was named (see `library.read_library`)
    set_aside: tuple[str, ...] = field(default=(), compare=False)
    # The list catalogs this one combines (a library), in the order of `policies`, of which each
    # member's are a subsequence; () for one list. Their own digests key the cache per list.
    members: tuple[Catalog, ...] = field(default=(), compare=False, repr=False)
    # A library read whole from the cache holds no members: this reads it again, its lists from
    # their own entries, for when its search index is not kept either (see `search.index`).
    read_again: Callable[[], Catalog] | None = field(default=None, compare=False, repr=False)

    @property
    def several(self) -> bool:
        """Whether the policies come from more than one list (tables then name each one's list)."""
        return len(self.lists) > 1

    @property
    def unconfirmed(self) -> bool:
        """Whether the list is an import draft still holding fields marked as drafted, of its own or
        of a policy (`policy import` marks them; a person confirms each and removes the mark)."""
        column = getattr(self.policies, "column", None)  # read from the cache: no policy made
        return bool(self.drafted) or any(column("drafted") if column else (p.drafted for p in self.policies))

    @property
    def ids(self) -> tuple[str, ...]:
        """The policies' ids in order (read from the cache: without making the policies)."""
        known = getattr(self.policies, "ids", None)
        return known if known is not None else tuple(p.id for p in self.policies)

    def list_info(self, name: str) -> ListInfo | None:
        return next((info for info in self.lists if info.name == name), None)

    def part_of(self, policy: Policy) -> Part | None:
        """The part a policy belongs to, in its own list (part numbers are per list)."""
        info = self.list_info(policy.list) if policy.list else None
        return info.part(policy.part) if info is not None else self.part(policy.part)

    def get(self, policy_id: str) -> Policy | None:
        for policy in self.policies:
            if policy.id == policy_id:
                return policy
        return None

    def part(self, number: int) -> Part | None:
        for part in self.parts:
            if part.number == number:
                return part
        return None

    def office(self, name: str) -> Office | None:
        for office in self.offices:
            if office.name == name:
                return office
        return None

    def policies_of_office(self, office: str | Office) -> list[Policy]:
        """The policies an office handles; given an `Office`, only those naming that very office (two
        lists may each have an office of the same name with different people)."""
        if isinstance(office, Office):
            return [p for p in self.policies if office in p.offices]
        return [p for p in self.policies if any(o.name == office for o in p.offices)]

"""A draft as it is read: the list's parts, its items (content, lead units, offices, people and
phones as the list gives them) and what was found along the way."""
from __future__ import annotations

from dataclasses import dataclass, field

from .columns import Columns


@dataclass
class Contact:
    office: str
    person: str
    phone: str
    line: int


@dataclass
class Item:
    part: int
    section: str | None
    number: int
    line: int
    content: str = ""
    title: str = ""  # the list's own title of the policy, when it gives one
    lead_units: list[str] = field(default_factory=list)
    lead_line: int = 0
    contacts: list[Contact] = field(default_factory=list)
    people: list[tuple[int, str]] = field(default_factory=list)
    phones: list[tuple[int, str, str]] = field(default_factory=list)  # (line, kind, number)
    offices: list[tuple[int, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    id: str = ""
    doubtful: list[str] = field(default_factory=list)  # fields written as the list has them, to confirm


@dataclass
class PartDraft:
    number: int
    name: str
    count: int | None
    line: int
    sections: list[str] = field(default_factory=list)
    lead_units: list[str] = field(default_factory=list)


@dataclass
class Draft:
    source: str
    title: str
    region: str
    year: int | None
    batch: str
    area_code: str
    parts: list[PartDraft]
    items: list[Item]
    problems: list[str]
    notices: list[str] = field(default_factory=list)  # what the list does not state, said once each
    columns: list[Columns] = field(default_factory=list)  # the tables' columns as recognised
    unplaced: list[int] = field(default_factory=list)  # lines of the text before the list, not imported

    def offices(self) -> list[Contact]:
        """Each office once, in order of first appearance, with the contact given there."""
        seen: dict[str, Contact] = {}
        for item in self.items:
            for contact in item.contacts:
                if contact.office and contact.office not in seen:
                    seen[contact.office] = contact
        return list(seen.values())


def short(text: str, width: int = 20) -> str:
    """A piece of the list quoted in a message: one line, control characters shown as \\xNN."""
    from ..dataset.text import visible

    text = " ".join(text.split())
    return visible(text if len(text) <= width else text[:width] + "…")


"""vCard 3.0 text (RFC 2426): value escaping, line folding and whole cards, UTF-8 with CRLF."""
from __future__ import annotations

import re
from typing import Any

from ..dataset.text import without_controls

CRLF = "\r\n"
LINE_OCTETS = 75  # longest content line, in UTF-8 octets, before it is folded

# Two-character family names; every other Chinese name's family name is its first character.
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 钟离 端木 南宫 西门 独孤 申屠 太史 闻人".split()
)


def escape(value: str) -> str:
    """A text value: backslash, comma and semicolon are escaped, line breaks become \\n; control and
    escape characters, which a phone would show or act on as they are, are removed."""
    value = without_controls(value.replace("\r\n", "\n").replace("\r", "\n"), keep="\n")
    return value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def structured(*components: str) -> str:
    """A structured value (N, ORG): components escaped one by one, joined by ';'."""
    return ";".join(escape(c) for c in components)


def split_name(name: str) -> tuple[str, str]:
    """(family, given) of a Chinese personal name: 陈辉平 → (陈, 辉平), 欧阳明 → (欧阳, 明)."""
    name = name.strip()
    if len(name) <= 1:
        return name, ""
    cut = 2 if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else 1
    return name[:cut], name[cut:]


def fold(line: str) -> str:
    """Split a content line into lines of at most 75 octets, never inside a UTF-8 character nor
    between an escape's backslash and its letter (some phones read escapes line by line);
    each continuation line starts with one space."""
    pieces: list[str] = []
    current, size = "", 0
    for unit in re.findall(r"\\.|.", line, re.DOTALL):
        width = len(unit.encode("utf-8"))
        if size + width > LINE_OCTETS:
            pieces.append(current)
            current, size = " ", 1
        current += unit
        size += width
    pieces.append(current)
    return CRLF.join(pieces)


def card(properties: list[tuple[str, str]]) -> str:
    """One vCard from (name with parameters, already escaped value) pairs."""
    lines = ["BEGIN:VCARD", "VERSION:3.0", *(f"{name}:{value}" for name, value in properties), "END:VCARD"]
    return "".join(fold(line) + CRLF for line in lines)


def result_cards(result: Any) -> str:
    """One vCard 3.0 per office: the person, the bureau and office, the work phone, and a note
    naming its lists (in a library of several), the policies handled and any verification note."""
    cards = []
    several = len({name for e in result.directory for name in e.office.lists}) > 1
    for entry in result.cards():
        office = entry.office
        note = [f"所在清单：{'、'.join(office.lists)}"] if several and office.lists else []
        if entry.policies:
            note.append("负责政策：" + "；".join(f"{p.label} {p.title}（{p.id}）" for p in entry.policies))
        if entry.lead_units:
            note.append("牵头单位：" + "、".join(entry.lead_units))
        if office.note:
            note.append(office.note)
        cards.append(card([
            ("N", structured(*split_name(office.contact), "", "", "")),
            ("FN", escape(office.contact)),
            ("ORG", structured(entry.organisation or result.organisation, office.name)),
            ("TEL;TYPE=WORK,VOICE", escape(office.phone)),
            *([("NOTE", escape("\n".join(note)))] if note else []),
        ]))
    return "".join(cards)

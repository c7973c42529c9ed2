"""Views of `policy contacts`: the directory tables and the vCard export."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from . import hint, new_table, paragraph, phone_text, plain

if TYPE_CHECKING:
    from ...contacts.directory import ContactResult, Entry, Group

_MATCHED_BY = {"office": "科室", "person": "联系人", "unit": "牵头单位", "policy": "政策", "phone": "电话"}


def contacts_view(result: ContactResult) -> Callable[[Console], None]:
    """Offices to call, as one table, or one per lead unit / policy with what it concerns."""

    def draw(console: Console) -> None:
        if result.approximate:
            paragraph(console, Text(f"没有与“{result.query}”完全一致的结果，以下为近似匹配。", style="yellow"))
        if result.by in ("unit", "policy"):
            from .tables import SameLayout

            tables = [contacts_table(console, _group_heading(group), group.entries) for group in result.groups]
            console.print(SameLayout(part for table in tables for part in (table, Text(""))))
        else:
            entries = [e for g in result.groups for e in g.entries]
            console.print(contacts_table(console, _directory_heading(result, len(entries)), entries))
            console.print()
        hint(console, "政策全文：policy show 编号；存入通讯录：", "policy contacts --format vcard > 联系人.vcf")

    return draw


def _directory_heading(result: ContactResult, count: int) -> str:
    if result.by is None:
        return f"{result.organisation} 责任科室联系人（{count} 个科室）"
    keys = "、".join(dict.fromkeys(g.key for g in result.groups))  # one office name in two lists: once
    return f"{_MATCHED_BY[result.by]}：{keys}"


def _group_heading(group: Group) -> str:
    if group.by == "unit":
        return f"牵头单位：{group.key}（牵头 {len(group.policies)} 项政策）"
    policy = group.policies[0]
    units = "、".join(dict.fromkeys(u for e in group.entries for u in e.lead_units))
    return f"政策 {policy.label} {policy.id} {policy.title}（牵头单位：{units}）"


def contacts_table(console: Console, title: str, entries: list[Entry] | tuple[Entry, ...]) -> Table:
    # Fixed width (at most 100 columns) so the ratios share it out; the phone column is as wide as
    # the longest number, so a marker such as （需核实） goes to the next line, never the number.
    table = new_table(console, title, leading=1, width=min(console.width, 100))
    several = len({name for e in entries for name in e.office.lists}) > 1  # name each office's lists
    table.add_column("科室", give=2)
    table.add_column("联系人", no_wrap=True)
    table.add_column("电话")
    if several:
        table.add_column("清单", no_wrap=True)  # a name never broken
    table.add_column("负责政策", give=0)
    for i, entry in enumerate(entries):
        if i and plain(console):
            table.add_row()  # without a box, `leading` draws nothing: keep offices apart
        handled = Text("\n".join(f"{_name(p, entry)} {p.title}" for p in entry.policies))
        if entry.office.note:
            handled.append("\n" + entry.office.note, style="yellow")
        lists = [Text("\n".join(entry.office.lists), style="dim")] if several else []
        table.add_row(Text(entry.office.name), Text(entry.office.contact), phone_text(entry.office, console), *lists,
                      handled)
    return table


def _name(policy: Any, entry: Entry) -> str:
    """A policy as a row names it: LIST:ID when the office handles another list's version of it."""
    twice = sum(p.id == policy.id for p in entry.policies) > 1
    return f"{policy.list}:{policy.id}" if twice and policy.list else policy.id


def contact_csv_columns(catalog: Any) -> list[str]:
    """The columns of the contacts CSV, for the header of a query that found nothing."""
    from ...contacts.directory import find_contacts
    from ...errors import NotFound

    try:
        rows = find_contacts(catalog).to_list()
    except NotFound:  # a list without contacts
        return []
    return list(rows[0]) if rows else []

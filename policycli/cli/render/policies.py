"""Views of `policy list`, `policy show` and `policy validate`."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.text import Text

from ...dataset.model import Catalog, Policy
from . import facts_grid, hint, new_table, office_line, paragraph


def offices_text(policy: Policy) -> Text:
    return Text("、".join(o.name for o in policy.offices))


def award_cell(policy: Policy) -> Text:
    """The 奖补额度 cell of `policy list` and row of `policy show`."""
    from ...awards.rules import award_fields

    return Text(award_fields(policy)["award_text"])


def policy_groups(catalog: Catalog, policies: list[Policy]) -> list[tuple[str, list[Policy]]]:
    """Policies grouped by list (when there are several), part and section, in list order, with a
    heading for each group."""
    if not catalog.several:
        return _part_groups(catalog.parts, policies, "")
    groups: list[tuple[str, list[Policy]]] = []
    for info in catalog.lists:
        groups += _part_groups(info.parts, [p for p in policies if p.list == info.name], f"{info.label} · ")
    return groups


def _part_groups(parts, policies: list[Policy], prefix: str) -> list[tuple[str, list[Policy]]]:
    numerals = "一二三四五六七八九十"
    groups: list[tuple[str, list[Policy]]] = []
    for part in parts:
        in_part = [p for p in policies if p.part == part.number]
        if not part.sections:
            if in_part:
                groups.append((prefix + part.label, in_part))
            continue
        for i, section in enumerate(part.sections):
            in_section = [p for p in in_part if p.section == section]
            if in_section:
                groups.append((f"{prefix}{part.label} ·（{numerals[i]}）{section}", in_section))
    return groups


def also_text(policy: Policy) -> str:
    """"亦见 黄岛2024-1" for a policy continued unchanged from other lists, "另有版本 黄岛2024-1:ID"
    for one continued with changes; "" otherwise."""
    said = [f"亦见 {'、'.join(policy.lists[1:])}"] if policy.also else []
    if policy.versions:
        said.append(f"另有不同版本 {'、'.join(policy.versions)}")
    return "；".join(said)


def list_view(catalog: Catalog, policies: list[Policy], extra: Callable[[Policy], Text] | None = None) -> Callable[[Console], None]:
    def draw(console: Console) -> None:
        from .tables import SameLayout

        sections: list[Any] = []
        for heading, group in policy_groups(catalog, policies):
            table = new_table(console, heading)
            table.add_column("序号", justify="right", no_wrap=True)
            table.add_column("编号", no_wrap=True)
            table.add_column("标题", give=2)
            table.add_column("责任科室", give=2)
            if extra:
                table.add_column("奖补额度")
            for p in group:
                title = Text(p.title)
                if p.also or p.versions:
                    title.append("\n" + also_text(p), style="dim")
                row = [Text(str(p.number)), Text(p.id, style="cyan"), title, offices_text(p)]
                if extra:
                    row.append(extra(p))
                table.add_row(*row)
            sections += [table, Text("")]
        console.print(SameLayout(sections))
        lists = f"（{len({p.list for p in policies})} 份清单）" if catalog.several else ""
        hint(console, f"共 {len(policies)} 项{lists}。查看全文：policy show 编号")

    return draw


def detail_view(catalog: Catalog, policy: Policy) -> Callable[[Console], None]:
    def draw(console: Console) -> None:
        part = catalog.part_of(policy)
        paragraph(console, Text(f"{policy.title}", style="bold"))
        where = f"{part.label}，第 {policy.number} 项" if part else f"第 {policy.number} 项"
        facts = [("编号", Text(policy.id, style="cyan"))]
        if catalog.several or policy.also:
            facts.append(("清单", Text("、".join(policy.lists))))
        if policy.versions:
            facts.append(("其他版本", Text("、".join(policy.versions) + "（内容有变化，policy show 清单:编号 查看）")))
        facts.append(("序号", Text(where)))
        if policy.section:
            facts.append(("所属", Text(policy.section)))
        facts.append(("牵头单位", Text("、".join(policy.lead_units))))
        for office in policy.offices:
            facts.append(("责任科室", office_line(office, console)))
            if office.note:
                facts.append(("", Text(office.note, style="yellow")))
        if policy.award is not None:
            facts.append(("奖补额度", award_cell(policy)))
        if policy.keywords:
            facts.append(("关键词", Text("、".join(policy.keywords), style="dim")))
        facts += [("备注", Text(note, style="yellow")) for note in policy.notes]
        console.print(facts_grid(facts))
        console.print()
        console.print(Text("政策原文", style="bold"))
        paragraph(console, Text(policy.content))

    return draw


def validate_view(path: str, count: int, warnings: list[str], todo: list[str] | None = None) -> Callable[[Console], None]:
    todo = todo or []

    def draw(console: Console) -> None:
        for line in warnings:
            console.print(Text("警告：" + line, style="yellow"), soft_wrap=True)
        for line in todo:
            console.print(Text(line, style="yellow"), soft_wrap=True)
        if todo:
            console.print(Text(f"还有 {len(todo)} 处待完成，写法见 docs/authoring.md；"
                               "全部完成前 policy validate --strict 不通过。", style="yellow"), soft_wrap=True)
        console.print(Text(f"{path}: 数据有效，共 {count} 项政策。", style="green"), soft_wrap=True)

    return draw

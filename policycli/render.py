"""All output: Rich views for the terminal and json / csv / yaml for machines.

Text from data files and from the user is always wrapped in `rich.text.Text`; the consoles are
created with markup off, so nothing a policy or a query contains is read as Rich markup.
"""
from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .model import Catalog, Office, Policy

FORMATS = ("table", "json", "csv", "yaml")


def make_console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, markup=False, emoji=False, highlight=False, soft_wrap=False)


def plain(console: Console) -> bool:
    """No boxes and no colour: output is not a terminal, or NO_COLOR is set."""
    return not console.is_terminal or bool(os.environ.get("NO_COLOR"))


def new_table(console: Console, title: str | None = None, **kwargs: Any) -> Table:
    table = Table(
        title=Text(title, style="bold") if title else None,
        title_justify="left",
        box=None if plain(console) else box.ROUNDED,
        header_style="bold",
        pad_edge=False,
        **kwargs,
    )
    return table


def error(message: str) -> None:
    """One line on stderr, never parsed as markup."""
    make_console(stderr=True).print(Text(message, style="red"), soft_wrap=True)


def warn(message: str) -> None:
    make_console(stderr=True).print(Text(message, style="yellow"), soft_wrap=True)


# --- machine formats ---------------------------------------------------------------------------


def to_jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def dump_json(data: Any) -> str:
    import json  # only when asked for: keeps the table path light

    return json.dumps(to_jsonable(data), ensure_ascii=False, indent=2)


def dump_yaml(data: Any) -> str:
    import yaml

    return yaml.safe_dump(to_jsonable(data), allow_unicode=True, sort_keys=False, width=1000)


def flatten(value: Any) -> str:
    """A CSV cell: lists joined by '；', nested objects by their values."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return " ".join(flatten(v) for v in value.values() if v not in (None, "", []))
    if isinstance(value, (list, tuple)):
        return "；".join(flatten(v) for v in value)
    return str(to_jsonable(value))


def dump_csv(rows: Iterable[dict[str, Any]]) -> str:
    """CSV with a UTF-8 BOM so that Excel opens the Chinese text correctly."""
    import csv

    rows = list(rows)
    buffer = io.StringIO()
    buffer.write("\ufeff")
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\r\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: flatten(v) for k, v in row.items()})
    return buffer.getvalue()


def emit(
    fmt: str,
    data: Any,
    table: Callable[[Console], None],
    csv_rows: Callable[[], Iterable[dict[str, Any]]] | None = None,
) -> None:
    """The one format switch every command goes through."""
    if fmt == "table":
        table(make_console())
        return
    if fmt == "json":
        text = dump_json(data) + "\n"
    elif fmt == "yaml":
        text = dump_yaml(data)
    elif fmt == "csv":
        rows = csv_rows() if csv_rows else (data if isinstance(data, list) else [data])
        text = dump_csv(rows)
    else:  # pragma: no cover - the CLI only passes known formats
        raise ValueError(fmt)
    sys.stdout.write(text)
    sys.stdout.flush()


# --- shared pieces -----------------------------------------------------------------------------


def phone_text(office: Office, console: Console) -> Text:
    """The phone as published; clickable (tel:) on a terminal."""
    style = ""
    if console.is_terminal:
        style = "link tel:" + "".join(ch for ch in office.phone if ch.isdigit())
    text = Text(office.phone, style=style)
    if office.note:
        text.append("（需核实）", style="yellow")
    return text


def offices_text(policy: Policy) -> Text:
    return Text("、".join(o.name for o in policy.offices))


def policy_csv_row(policy: Policy) -> dict[str, Any]:
    return {
        "id": policy.id,
        "ref": policy.ref,
        "part": policy.part,
        "section": policy.section or "",
        "number": policy.number,
        "title": policy.title,
        "lead_units": list(policy.lead_units),
        "offices": [o.name for o in policy.offices],
        "contacts": [o.contact for o in policy.offices],
        "phones": [o.phone for o in policy.offices],
        "keywords": list(policy.keywords),
        "notes": list(policy.notes) + [o.note for o in policy.offices if o.note],
        "content": policy.content,
    }


# --- policy list / show ------------------------------------------------------------------------


def policy_groups(catalog: Catalog, policies: list[Policy]) -> list[tuple[str, list[Policy]]]:
    """Policies grouped by part and section, in list order, with a heading for each group."""
    numerals = "一二三四五六七八九十"
    groups: list[tuple[str, list[Policy]]] = []
    for part in catalog.parts:
        in_part = [p for p in policies if p.part == part.number]
        if not part.sections:
            if in_part:
                groups.append((part.label, in_part))
            continue
        for i, section in enumerate(part.sections):
            in_section = [p for p in in_part if p.section == section]
            if in_section:
                groups.append((f"{part.label} ·（{numerals[i]}）{section}", in_section))
    return groups


def list_view(catalog: Catalog, policies: list[Policy], extra: Callable[[Policy], Text] | None = None) -> Callable[[Console], None]:
    def draw(console: Console) -> None:
        for heading, group in policy_groups(catalog, policies):
            table = new_table(console, heading)
            table.add_column("序号", justify="right", no_wrap=True)
            table.add_column("编号", no_wrap=True)
            table.add_column("标题", ratio=3)
            table.add_column("责任科室", ratio=2)
            if extra:
                table.add_column("最高额度", ratio=1)
            for p in group:
                row = [Text(str(p.number)), Text(p.id, style="cyan"), Text(p.title), offices_text(p)]
                if extra:
                    row.append(extra(p))
                table.add_row(*row)
            console.print(table)
            console.print()
        console.print(Text(f"共 {len(policies)} 项。查看全文：policy show 编号", style="dim"))

    return draw


def detail_view(catalog: Catalog, policy: Policy) -> Callable[[Console], None]:
    def draw(console: Console) -> None:
        part = catalog.part(policy.part)
        console.print(Text(f"{policy.title}", style="bold"))
        facts = Table.grid(padding=(0, 2))
        facts.add_column(style="bold", no_wrap=True)
        facts.add_column(overflow="fold")
        facts.add_row(Text("编号"), Text(policy.id, style="cyan"))
        where = f"{part.label}，第 {policy.number} 项" if part else f"第 {policy.number} 项"
        facts.add_row(Text("序号"), Text(where))
        if policy.section:
            facts.add_row(Text("所属"), Text(policy.section))
        facts.add_row(Text("牵头单位"), Text("、".join(policy.lead_units)))
        for office in policy.offices:
            line = Text(f"{office.name}  {office.contact}  ")
            line.append_text(phone_text(office, console))
            facts.add_row(Text("责任科室"), line)
            if office.note:
                facts.add_row(Text(""), Text(office.note, style="yellow"))
        if policy.keywords:
            facts.add_row(Text("关键词"), Text("、".join(policy.keywords), style="dim"))
        for note in policy.notes:
            facts.add_row(Text("备注"), Text(note, style="yellow"))
        console.print(facts)
        console.print()
        console.print(Text("政策原文", style="bold"))
        console.print(Text(policy.content))

    return draw


def validate_view(path: str, count: int, warnings: list[str]) -> Callable[[Console], None]:
    def draw(console: Console) -> None:
        for line in warnings:
            console.print(Text("警告：" + line, style="yellow"), soft_wrap=True)
        console.print(Text(f"{path}: 数据有效，共 {count} 项政策。", style="green"), soft_wrap=True)

    return draw



# --- policy search -----------------------------------------------------------------------------


def search_view(result: Any) -> Callable[[Console], None]:
    """Ranked results: rank, id, title over section, a snippet with the matched characters
    highlighted, and the office to call with its phone."""

    def draw(console: Console) -> None:
        table = new_table(console, f"搜索“{result.query}”：{result.total} 项", expand=True)
        table.add_column("排名", justify="right", no_wrap=True)
        table.add_column("编号", no_wrap=True)
        table.add_column("标题", ratio=2, overflow="fold")  # with the section under it
        table.add_column("摘要", ratio=3, overflow="fold")
        # a phone (13 characters) stays on one line, also at 60 columns
        narrow = {"width": 13} if console.width < 90 else {"ratio": 2, "min_width": 13}
        table.add_column("联系科室", overflow="fold", **narrow)
        for rank, hit in enumerate(result.hits, 1):
            policy = hit.policy
            contact = Text()
            for office in policy.offices:
                if contact:
                    contact.append("\n")
                contact.append(f"{office.name}\n{office.contact} ")
                contact.append_text(phone_text(office, console))
            title = Text(policy.title)
            title.append("\n" + (policy.section or "2023年延续执行"), style="dim")
            table.add_row(Text(str(rank)), Text(policy.id, style="cyan"), title, snippet_text(hit), contact)
        console.print(table)
        shown = len(result.hits)
        more = f"，显示前 {shown} 项（用 --limit 显示更多）" if result.total > shown else ""
        console.print(Text(f"共 {result.total} 项{more}。查看全文：policy show 编号", style="dim"))

    return draw


def snippet_text(hit: Any) -> Text:
    """The hit's snippet with the matched characters highlighted (as styles, never markup)."""
    piece, spans = hit.snippet()
    text = Text(piece)
    for start, end in spans:
        text.stylize("bold reverse", start, end)
    return text


def search_csv_rows(result: Any) -> list[dict[str, Any]]:
    rows = []
    for rank, hit in enumerate(result.hits, 1):
        row = {"rank": rank, "score": round(hit.score, 3)}
        row.update(policy_csv_row(hit.policy))
        row["matched"] = [f"{m.field}:{m.text}" for m in hit.matches]
        rows.append(row)
    return rows


def progress_callback(label: str, minimum: int = 200) -> Any:
    """A context manager giving a `callback(done, total)` that draws a progress bar on stderr.

    Nothing is drawn unless stderr is a terminal and the job has at least `minimum` steps.
    """
    from contextlib import contextmanager

    @contextmanager
    def manager():
        console = make_console(stderr=True)
        state: dict[str, Any] = {}

        def callback(done: int, total: int) -> None:
            if not console.is_terminal or total < minimum:
                return
            if "bar" not in state:
                from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

                bar = Progress(TextColumn("{task.description}", markup=False), BarColumn(), TaskProgressColumn(),
                               TimeRemainingColumn(), console=console, transient=True)
                bar.start()
                state["bar"] = bar
                state["task"] = bar.add_task(label, total=total)
            state["bar"].update(state["task"], completed=done)

        try:
            yield callback
        finally:
            if "bar" in state:
                state["bar"].stop()

    return manager()

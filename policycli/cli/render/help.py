"""The help of every command (`policy … --help`), laid out here from what the command declares (its
usage pieces, description, parameters and subcommands, read through their public attributes), in
Chinese: boxed sections on a terminal, a title line and the rows below it when piped. Paragraphs and
option help wrap by the Chinese line-breaking rules (`layout.Flow`); when the help column would be
too narrow to read, each option's help goes on the lines below it."""
from __future__ import annotations

import inspect
from collections.abc import Iterable
from typing import Any

from rich import box
from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from . import plain
from .layout import Flow

TITLES = {"usage": "用法：", "arguments": "参数", "options": "选项", "commands": "命令"}
OPTIONS_METAVAR = "[选项]"
SUBCOMMAND_METAVAR = "命令 [参数]..."
DEFAULT = "[默认：{}]"
REQUIRED = "[必填]"
# Value types as Typer names them, in Chinese; a switch shows none (it takes no value)
TYPE_NAMES = {"<str>": "<文本>", "<list[str]>": "<文本>", "<int>": "<整数>", "<bool>": None}
NARROWEST_HELP = 24  # a help column narrower than this goes below its option instead

STYLE_NAME, STYLE_TYPE, STYLE_NOTE = "bold cyan", "yellow", "dim"


def help_view(ctx: Any) -> Any:
    """A view (as `render.emit` takes) printing the help of `ctx.command`."""

    def show(console: Console) -> None:
        command, boxless = ctx.command, plain(console)
        console.print(Padding(Text(TITLES["usage"] + usage(ctx), style="bold"), (1, 1)))
        if command.help:
            console.print(Padding(description(command.help), (0, 1, 1, 1)))
        params = [p for p in command.get_params(ctx) if not getattr(p, "hidden", False)]
        for kind in ("argument", "option"):
            rows = [parameter_row(p, ctx) for p in params if p.param_type_name == kind]
            if rows:
                console.print(section(TITLES[f"{kind}s"], parameter_table(rows, console.width, boxless), boxless))
        commands = subcommands(ctx)
        if commands:
            console.print(section(TITLES["commands"], commands_table(commands), boxless))

    return show


def usage(ctx: Any) -> str:
    """`policy estimate [选项] [policy]`: an optional argument in brackets."""
    command = ctx.command
    pieces = [ctx.command_path]
    params = command.get_params(ctx)
    if any(p.param_type_name == "option" for p in params):
        pieces.append(OPTIONS_METAVAR)
    for param in params:
        if param.param_type_name == "argument":
            name = argument_name(param)
            pieces.append(name if param.required else f"[{name}]")
    if hasattr(command, "list_commands"):
        pieces.append(SUBCOMMAND_METAVAR)
    return " ".join(pieces)


def argument_name(param: Any) -> str:
    name = param.metavar or param.name or ""
    return name + "..." if param.nargs == -1 else name


def paragraphs(text: str) -> list[str]:
    """The paragraphs of a docstring or help string, each on one line (Chinese lines joined as they
    are, other lines with a space); leading blanks (an indented example) kept."""
    found = []
    for block in inspect.cleandoc(text).partition("\f")[0].split("\n\n"):
        lines = block.split("\n")
        joined = lines[0].rstrip()
        for line in lines[1:]:
            line = line.strip()
            joined += line if joined[-1:] and not joined[-1].isascii() else " " + line
        if joined.strip():
            found.append(joined)
    return found


def description(text: str) -> RenderableType:
    """The command's description: the first paragraph as it is, the others dim, a blank line between."""
    parts: list[RenderableType] = []
    for i, paragraph in enumerate(paragraphs(text)):
        if i:
            parts.append(Text(""))
        indent = len(paragraph) - len(paragraph.lstrip())
        body = Flow(Text(paragraph.strip(), style="" if i == 0 else STYLE_NOTE))
        parts.append(Padding(body, (0, 0, 0, indent)) if indent else body)
    return Group(*parts)


def type_shown(param: Any, ctx: Any) -> str | None:
    """The value a parameter takes as help shows it (`金额`, `<table|json|csv|yaml>`), None for a switch."""
    if getattr(param, "is_flag", False):
        return None
    shown = param.display_type_rich(ctx)
    return TYPE_NAMES.get(shown, shown) if shown else None


def parameter_help(param: Any, ctx: Any) -> str:
    """The help of a parameter, then on a line of its own its default and whether it is required."""
    words = [" ".join(paragraphs(param.help or ""))]
    default = param.default
    shows_default = getattr(param, "show_default", False) and not getattr(param, "is_flag", False)
    if shows_default and default is not None and not callable(default):
        shown = getattr(default, "value", default)
        words.append(DEFAULT.format(shown if isinstance(shown, str) else str(shown)))
    if param.required:
        words.append(REQUIRED)
    return "\n".join(w for w in words if w)


def parameter_row(param: Any, ctx: Any) -> tuple[str, str, str]:
    """(names, value type, help) of an option or argument."""
    if param.param_type_name == "argument":
        names = argument_name(param)
    else:
        names = ", ".join(sorted(param.opts, key=lambda o: not o.startswith("--")))
    return names, type_shown(param, ctx) or "", parameter_help(param, ctx)


def parameter_table(rows: list[tuple[str, str, str]], width: int, plain: bool) -> RenderableType:
    """Names, types and help side by side; when the help would get fewer than `NARROWEST_HELP`
    columns, the help below each name instead."""
    names = max(cell_len(r[0]) for r in rows)
    types = max(cell_len(r[1]) for r in rows)
    room = width - (1 if plain else 4)  # the indent, or the box's borders and padding
    help_width = room - names - types - 4
    if help_width >= NARROWEST_HELP:
        table = Table(box=None, show_header=False, expand=True, padding=(0, 1), pad_edge=False)
        table.add_column(style=STYLE_NAME, no_wrap=True, width=names)
        table.add_column(style=STYLE_TYPE, no_wrap=True, width=types)
        table.add_column(min_width=NARROWEST_HELP, ratio=1)
        for name, shown, help_text in rows:
            table.add_row(name, shown, Flow(help_text))
        return table
    lines: list[RenderableType] = []
    for name, shown, help_text in rows:
        line = Text(name, style=STYLE_NAME)
        if shown:
            line.append(" ").append(shown, style=STYLE_TYPE)
        lines += [line, Padding(Flow(help_text), (0, 0, 0, 4))]
    return Group(*lines)


def subcommands(ctx: Any) -> list[tuple[str, str]]:
    """(name, first paragraph of its help) of each visible subcommand of a group."""
    command = ctx.command
    if not hasattr(command, "list_commands"):
        return []
    found = []
    for name in command.list_commands(ctx):
        sub = command.get_command(ctx, name)
        if sub is not None and not sub.hidden:
            found.append((name, (paragraphs(sub.short_help or sub.help or "") or [""])[0].strip()))
    return found


def commands_table(commands: Iterable[tuple[str, str]]) -> Table:
    commands = list(commands)
    table = Table(box=None, show_header=False, expand=True, padding=(0, 1), pad_edge=False)
    table.add_column(style=STYLE_NAME, no_wrap=True, width=max(cell_len(n) for n, _ in commands))
    table.add_column(ratio=1)
    for name, summary in commands:
        table.add_row(name, Flow(summary))
    return table


def section(title: str, body: RenderableType, plain: bool) -> RenderableType:
    """A titled section: boxed on a terminal; plain, the title on a line of its own and the body
    indented by one column below it."""
    if not plain:
        return Panel(body, title=Text(title), title_align="left", border_style="dim", box=box.ROUNDED)
    return Group(Text(""), Text(title, style="bold"), Padding(body, (0, 0, 0, 1)))

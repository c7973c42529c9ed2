"""The `policy` command: the Typer app, its global options (--data, --list, --version), the table of
its commands (each written in the module of its group) and the console-script entry point."""
from __future__ import annotations

import sys
from typing import Annotated

import typer

from .. import __version__
from . import contacts, importing, money, policies, serve
from .commands import PolicyCommand, PolicyGroup, end_on_sigterm
from .context import complete_list_name
from .library import lists_app

app = typer.Typer(
    cls=PolicyGroup,
    help="查询青岛市黄岛区（西海岸新区）2024年工信、科技、大数据领域支持政策清单。\n\n"
    "示例：\n\n"
    "  policy list\n\n"
    "  policy show techretrofit\n\n"
    "  policy list --section 数字经济 --format csv > 政策.csv",
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
    no_args_is_help=True,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"policy {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    data: Annotated[
        str | None,
        typer.Option("--data", metavar="文件", help="使用另一份政策数据文件（YAML）；也可用环境变量 POLICY_DATA 指定。"),
    ] = None,
    lists: Annotated[
        list[str] | None,
        typer.Option("--list", "-l", metavar="清单", help="只查这份清单（名称见 policy lists），可重复；省略时查全部清单。",
                     autocompletion=lambda incomplete: complete_list_name(incomplete)),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", "-V", help="显示版本并退出。", callback=_version, is_eager=True)
    ] = False,
) -> None:
    ctx.obj = {"data": data, "lists": tuple(lists or ())}


# The commands in the order `policy --help` lists them.
COMMANDS = (
    ("list", policies.list_policies, PolicyCommand),
    ("show", policies.show_policy, PolicyCommand),
    ("search", policies.search_policies, PolicyCommand),
    ("contacts", contacts.contacts, PolicyCommand),
    ("estimate", money.estimate_award, money.EstimateCommand),
    ("match", money.match, PolicyCommand),
    ("serve", serve.serve, PolicyCommand),
    ("validate", policies.validate, PolicyCommand),
    ("import", importing.import_list, PolicyCommand),
    ("diff", importing.diff_lists, PolicyCommand),
)
for name, function, command_class in COMMANDS:
    app.command(name, cls=command_class)(function)
app.add_typer(lists_app, name="lists")


READABLE = "policycli-readable"


def _readable(error: UnicodeError) -> tuple[bytes, int]:
    """Text holding bytes that were not UTF-8 (an argument typed in a GBK terminal, a file name
    from an archive made on Windows) is written with � in their place instead of failing."""
    if not isinstance(error, UnicodeEncodeError) or error.encoding.replace("-", "").lower() != "utf8":
        raise error
    return "\ufffd".encode("utf-8") * (error.end - error.start), error.end  # bytes: the codec takes them as they are


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point."""
    import codecs

    end_on_sigterm()
    codecs.register_error(READABLE, _readable)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8", errors=READABLE)  # type: ignore[union-attr]
        except (AttributeError, ValueError):
            pass
    command_obj = typer.main.get_command(app)
    return command_obj.main(args=argv, prog_name="policy", standalone_mode=False)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

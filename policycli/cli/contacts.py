"""`policy contacts`: whom to call, with vCard output."""
from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from .context import catalog_of, completing
from .formats import Format


# The shared formats plus vcard, which only contacts writes; built from Format so it follows it.
ContactFormat = Enum("ContactFormat", [(f.name, f.value) for f in Format] + [("vcard", "vcard")], type=str)  # type: ignore[misc]

ContactFormatOption = Annotated[
    ContactFormat,
    typer.Option("--format", "-f", case_sensitive=False,
                 help="输出格式：table 表格（默认）、json、csv、yaml 或 vcard 名片（vCard 3.0，可导入手机、Outlook）。"),
]


def complete_contact(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    from ..contacts.directory import completions

    return completing(ctx, lambda catalog: completions(catalog, incomplete))


def contacts(
    ctx: typer.Context,
    query: Annotated[str | None, typer.Argument(
        metavar="查询词",
        help="科室（可只写一部分，如 信息化）、联系人、电话号码、牵头单位（如 区财政局）、政策编号/序号或搜索词；省略时列出全部联系人。",
        autocompletion=complete_contact, show_default=False)] = None,
    fmt: ContactFormatOption = ContactFormat.table,  # type: ignore[attr-defined]
) -> None:
    """查联系人：哪个科室、找谁、打哪个电话，负责哪些政策。

    示例：

      policy contacts 信息化

      policy contacts 陈辉平

      policy contacts 区财政局

      policy contacts 2-1

    存入手机或 Outlook 通讯录：

      policy contacts --format vcard > 联系人.vcf
    """
    from ..contacts.directory import find_contacts
    from ..errors import NotFound
    from ..contacts.vcard import result_cards
    from . import render
    from .render import contacts as views

    from ..search.plainwords import plain
    from ..search.resolve import clear_winner

    catalog = catalog_of(ctx)
    try:
        result = find_contacts(catalog, query, lambda q: clear_winner(catalog, q), plain().words)  # 小区装门禁 → smartcommunity
    except NotFound:
        render.emit_nothing(fmt.value, views.contact_csv_columns(catalog))
        raise
    render.emit(fmt.value, result.to_list(), views.contacts_view(result),
                writers={"vcard": lambda: result_cards(result)})

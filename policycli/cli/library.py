"""`policy lists`: the lists of the library (show, add, remove, prepare)."""
from __future__ import annotations

from typing import Annotated

import typer

from .commands import PolicyCommand, PolicyGroup
from .context import catalog_of, prepare_command, warn_ignored_settings
from .formats import Format, FormatOption

lists_app = typer.Typer(
    cls=PolicyGroup,
    help="清单库：随包清单和自己添加的清单；各命令默认查全部清单，--list 名称 只查其中几份。\n\n"
    "示例：\n\n"
    "  policy lists\n\n"
    "  policy lists add 2025年第一批.yaml\n\n"
    "  policy lists remove 黄岛2025-1\n\n"
    "  policy lists prepare",
    invoke_without_command=True,
    no_args_is_help=False,
)


@lists_app.callback()
def show_lists(ctx: typer.Context, fmt: FormatOption = Format.table) -> None:
    """列出清单库中的清单：名称、标题、地区、年份、批次、政策项数、来源、能否通过检查。"""
    if ctx.invoked_subcommand is not None:
        return
    from ..load import library_overview
    from . import render
    from .render import library as views

    warn_ignored_settings()
    rows = library_overview()
    data = [r.to_dict() for r in rows]
    # CSV: the name under the header of a policy's list (清单), not that of a company's name
    render.emit(fmt.value, data, views.lists_view(rows), lambda: [{"list": d["name"], **{k: v for k, v in d.items() if k != "name"}} for d in data])


def _name_taken(exc: Exception) -> Exception:
    from ..dataset.library import NameTaken, ShippedList
    from ..errors import InputError

    if isinstance(exc, NameTaken):
        return InputError(f"清单库中已有名为“{exc.name}”的清单：要替换它请加 --force，或用 --name 另起一个名称")
    if isinstance(exc, ShippedList):
        return InputError(f"“{exc.name}”是随包清单的名称，不能替换：请用 --name 另起一个名称")
    return exc


# A published list (Word, Excel, PDF, a web page or a text export) rather than a dataset: `policy import` reads it
DOCUMENT_STARTS = (b"PK\x03\x04", b"%PDF-", b"\xd0\xcf\x11\xe0")
PUBLISHED_SUFFIXES = (".docx", ".doc", ".wps", ".xlsx", ".xls", ".et", ".pdf", ".html", ".htm", ".txt", ".csv")


def add_file(raw: bytes, source: str, name: str | None, force: bool, fmt: Format) -> None:
    """Add the dataset `raw` (read from `source`) to the library and say so; shared with `import --add`."""
    from ..dataset.library import NameTaken, ShippedList
    from ..load import add_to_library
    from . import render
    from .render import library as views

    warn_ignored_settings()
    try:
        added, catalog = add_to_library(raw, source, name, force=force)
    except (NameTaken, ShippedList) as exc:
        raise _name_taken(exc) from None
    data = {"name": added.name, "path": str(added.path), "title": catalog.title, "count": len(catalog.policies),
            "todo": len(catalog.todo), "draft": catalog.unconfirmed}
    render.emit(fmt.value, data, views.added_view(data))


@lists_app.command("add", cls=PolicyCommand)
def add(
    file: Annotated[str, typer.Argument(metavar="文件", help="政策数据文件（YAML，与随包数据格式相同），或 policy import 写出的草稿。",
                                        show_default=False)],
    name: Annotated[str | None, typer.Option("--name", metavar="名称", help="清单名称；省略时按地区、年份和批次取名，如 黄岛2025-1。",
                                             show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="已有同名清单时替换它。")] = False,
    fmt: FormatOption = Format.table,
) -> None:
    """检查一份政策数据并加入清单库（复制一份，原文件不会改动）。

    示例：

      policy lists add 2025年第一批.yaml

      policy lists add 草稿.yaml --name 黄岛2025-2
    """
    from pathlib import Path

    from ..dataset.files import GIVEN, read_bytes
    from ..errors import DataError, InputError

    if not file.strip():
        raise InputError("数据文件名为空，请给出要加入的 .yaml 文件，如 policy lists add 2025年第一批.yaml")
    raw = read_bytes(Path(file), where=GIVEN)
    published = InputError(f"{file}: 这是清单原文，不是政策数据（YAML）；请先导入再加入清单库：policy import {file} --add")
    if raw.startswith(DOCUMENT_STARTS):
        raise published
    try:
        add_file(raw, file, name, force, fmt)
    except DataError:
        if Path(file).suffix.lower() in PUBLISHED_SUFFIXES:
            raise published from None
        raise


@lists_app.command("remove", cls=PolicyCommand)
def remove(
    name: Annotated[str, typer.Argument(metavar="名称", help="清单名称（见 policy lists）。", show_default=False)],
    yes: Annotated[bool, typer.Option("--yes", help="不再询问，直接删除（不在终端中运行时必须给出）。")] = False,
    fmt: FormatOption = Format.table,
) -> None:
    """从清单库中删除一份自己添加的清单（随包清单不能删除，只查其他清单时用 --list）。
    删除前会询问；清单库中的文件可能是这份清单唯一的副本，删除后无法恢复。

    示例：

      policy lists remove 黄岛2025-1

      policy lists remove 黄岛2025-1 --yes
    """
    from ..dataset.library import ShippedList
    from ..errors import InputError
    from ..load import removable_from_library, remove_from_library
    from . import render
    from .render import library as views

    warn_ignored_settings()
    try:
        found = removable_from_library(name)
    except ShippedList as exc:
        raise InputError(f"“{exc.name}”是随包清单，不能删除；只查其他清单时用 --list 名称，如 policy --list 名称 list") from None
    if not yes:
        _confirm_removal(str(found.name), str(found.path))
    removed = remove_from_library(name)
    data = {"name": removed.name, "path": str(removed.path)}
    render.emit(fmt.value, data, views.removed_view(data))


@lists_app.command("prepare", cls=PolicyCommand)
def prepare(ctx: typer.Context, fmt: FormatOption = Format.table) -> None:
    """预先建好清单库的搜索索引；装了 semantic 组件时，也算好按意思比较（韩文、日文查询）所需的
    全部政策向量，之后的搜索不必再分批计算。政策多时需要较长时间；可随时按 Ctrl-C 中断，
    已算好的会保留，下次接着算。

    示例：

      policy lists prepare

      policy --list 黄岛2025-1 lists prepare
    """
    from ..dataset import cache
    from ..errors import InputError
    from ..search import semantic
    from ..search.alongside import built_alongside
    from ..search.index import index_for
    from . import render
    from .render import library as views

    where = cache.cache_dir()
    if where is None or not cache.writable(where):
        raise InputError(f"缓存目录{f' {where} ' if where else ''}无法写入：建好的索引和向量存不下。"
                         "请检查目录权限，或用环境变量 POLICY_CACHE_DIR 指定一个可写的目录")
    with built_alongside():
        catalog = catalog_of(ctx)
    with render.indexing_bar() as progress:
        index_for(catalog, progress)
    data: dict[str, object] = {"count": len(catalog.policies), "semantic": semantic.available()}
    if semantic.available():
        from ..search.vectors import embed_all

        try:
            with render.progress_callback("正在计算语义向量", minimum=1) as progress:
                data["vectors"], data["embedded"] = embed_all(catalog, progress)
        except KeyboardInterrupt:
            render.warn(f"已中断：已算好的向量都已保存，再次运行 {prepare_command(ctx)} 接着算")
            raise
    render.emit(fmt.value, data, views.prepared_view(data))


def answers_typed() -> bool:
    """Whether a person at a terminal can answer a question (stdin is one)."""
    import sys

    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def _confirm_removal(name: str, path: str) -> None:
    """Ask on a terminal; elsewhere nobody can answer, so --yes is required."""
    from ..errors import InputError
    from . import render
    from .render.match import confirm

    if not answers_typed():
        raise InputError(f"删除清单“{name}”前需要确认，删除后无法恢复：确定要删除请加 --yes")
    if not confirm(render.make_console(stderr=True), f"删除清单“{name}”（{path}），删除后无法恢复。确定删除吗？"):
        raise InputError(f"未删除清单“{name}”")

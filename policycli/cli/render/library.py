"""Views of `policy lists`: the library's lists, a list added, a list removed."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.text import Text

from . import hint, new_table, paragraph


def lists_view(rows: list[Any]) -> Callable[[Console], None]:
    def draw(console: Console) -> None:
        table = new_table(console)
        for name, kwargs in (("名称", {"no_wrap": True}), ("标题", {}), ("地区", {}), ("年份", {"no_wrap": True}),
                             ("批次", {"no_wrap": True}), ("项数", {"justify": "right", "no_wrap": True}),
                             ("来源", {"overflow": "fold"}), ("检查", {})):
            table.add_column(name, **kwargs)
        for r in rows:
            check = Text("通过", style="green") if not r.problem else Text(f"有错误：{r.problem}", style="red")
            table.add_row(Text(r.name, style="cyan"), Text(r.title), Text(r.region), Text(str(r.year or "—")),
                          Text(r.batch or "—"), Text("—" if r.count is None else str(r.count)), Text(r.origin), check)
        console.print(table)
        paragraph(console, Text(f"共 {len(rows)} 份清单；各命令默认查全部清单。"))
        hint(console, "只查其中一份：", "policy --list 名称 search 关键词")

    return draw


def added_view(data: dict[str, Any]) -> Callable[[Console], None]:
    def draw(console: Console) -> None:
        todo = f"，另有 {data['todo']} 处待完成（policy validate 查看）" if data["todo"] else ""
        paragraph(console, Text(f"已加入清单库：{data['name']}（{data['title']}，{data['count']} 项政策{todo}）。"))
        hint(console, "查看全部清单：", "policy lists")

    return draw


def removed_view(data: dict[str, Any]) -> Callable[[Console], None]:
    def draw(console: Console) -> None:
        paragraph(console, Text(f"已从清单库删除：{data['name']}（{data['path']}）。"))

    return draw

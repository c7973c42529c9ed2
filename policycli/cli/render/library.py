"""Views of `policy lists`: the library's lists, a list added, a list removed, a library prepared."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.text import Text

from . import hint, new_table, paragraph


WIDE = 120  # from this width each field has its own column; below, region, batch and origin go under the title


def lists_view(rows: list[Any]) -> Callable[[Console], None]:
    """The lists with their metadata. The title gets the room: at narrower widths the region, year,
    batch and origin are dim lines under it, so a long title wraps into a few lines, not ten."""

    def draw(console: Console) -> None:
        wide = console.width >= WIDE
        table = new_table(console)
        table.add_column("名称", no_wrap=True)
        table.add_column("标题", ratio=3)
        if wide:
            table.add_column("地区", ratio=1)
            table.add_column("批次", no_wrap=True)
        table.add_column("项数", justify="right", no_wrap=True)
        if wide:
            table.add_column("来源", ratio=1, overflow="fold")
        table.add_column("检查", ratio=1, min_width=4)
        for r in rows:
            if r.problem:
                check = Text(f"有错误：{r.problem}", style="red")
            elif r.draft:
                check = Text(f"草稿：{r.unfinished} 项待补，默认不查", style="yellow")
            elif r.unfinished:
                check = Text(f"草稿：{r.unfinished} 项待补", style="yellow")
            else:
                check = Text("通过", style="green")
            batch = f"{r.year or '—'}年{r.batch}" if r.batch else str(r.year or "—")
            count = Text("—" if r.count is None else str(r.count))
            if wide:
                cells = [Text(r.title), Text(r.region), Text(batch), count, Text(r.origin)]
            else:
                title = Text(r.title)
                title.append("".join(f"\n{line}" for line in (f"{r.region} {batch}".strip(), f"来源：{r.origin}")
                                     if line and line != "来源："), style="dim")
                cells = [title, count]
            table.add_row(Text(r.name, style="cyan"), *cells, check)
        console.print(table)
        drafts = "（草拟内容待确认的草稿除外，用 --list 名称 指定时才查）" if any(r.draft for r in rows) else ""
        paragraph(console, Text(f"共 {len(rows)} 份清单；各命令默认查全部清单{drafts}。"))
        hint(console, "只查其中一份：", "policy --list 名称 search 关键词")

    return draw


def added_view(data: dict[str, Any]) -> Callable[[Console], None]:
    def draw(console: Console) -> None:
        todo = (f"；这是草稿：{data['todo']} 项待补，补完前估算和匹配可能不全（policy validate {data['path']} --strict 列出）"
                if data["todo"] else "")
        if data.get("draft"):
            todo = (f"；这是草稿：{data['todo']} 项待补，其中编号、标题等草拟内容待确认，各命令默认不查它，"
                    f"确认后删去 draft 行（policy validate {data['path']} --strict 列出）")
        paragraph(console, Text(f"已加入清单库：{data['name']}（{data['title']}，{data['count']} 项政策）{todo}。"))
        if data.get("draft"):
            hint(console, "现在就查这份草稿：", f"policy --list {data['name']} search 关键词")
        else:
            hint(console, "查看全部清单：", "policy lists")

    return draw


def removed_view(data: dict[str, Any]) -> Callable[[Console], None]:
    def draw(console: Console) -> None:
        paragraph(console, Text(f"已从清单库删除：{data['name']}（{data['path']}）。"))

    return draw


def prepared_view(data: dict[str, Any]) -> Callable[[Console], None]:
    def draw(console: Console) -> None:
        paragraph(console, Text(f"搜索索引已建好：{data['count']} 项政策。"))
        if not data["semantic"]:
            paragraph(console, Text("未安装 semantic 组件，不按意思比较，无需计算向量。"))
        elif data["vectors"] < data["count"]:
            paragraph(console, Text(f"已算好 {data['vectors']} 项政策的向量（本次新算 {data['embedded']} 项），"
                                    f"另有 {data['count'] - data['vectors']} 项未能算出。", style="yellow"))
        else:
            paragraph(console, Text(f"全部 {data['vectors']} 项政策的向量已算好（本次新算 {data['embedded']} 项）。"))

    return draw

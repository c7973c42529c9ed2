"""`policy serve`: the web pages, imported only when asked for (the web extra may be missing)."""
from __future__ import annotations

from typing import Annotated

import typer

from .context import chosen_lists


WEB_LIBRARIES = {"starlette", "uvicorn", "jinja2", "multipart", "python_multipart", "markupsafe", "anyio", "h11"}


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", metavar="地址",
                                      help="监听地址；默认 127.0.0.1 只供本机访问，0.0.0.0 对局域网开放；IPv6 写作 ::1 或 [::1]。")] = "127.0.0.1",
    port: Annotated[str, typer.Option("--port", metavar="端口", help="端口，默认 8000。", show_default=False)] = "8000",
    open_browser: Annotated[bool, typer.Option("--open", help="启动后在浏览器中打开。")] = False,
) -> None:
    """以网页形式提供查询、估算、联系人和企业匹配（需要 web 组件）。

    启动时先读取清单、建好搜索索引（缓存有效时直接读取），然后才开始接受访问；升级或修改清单后第一次启动要多等几秒。

    示例：

      policy serve

      policy serve --open

    对局域网开放：

      policy serve --host 0.0.0.0 --port 8080

    安装网页组件：

      pip install 'policycli[web]'

    在源码目录中安装：

      pip install '.[web]'
    """
    from ..awards.money import parse_count
    from ..errors import InputError

    try:
        number = parse_count(port, "--port", low=1, high=65535)
    except InputError:
        raise InputError(f"--port 的值“{port}”不是可用的端口号：请写 1 到 65535 之间的整数，如 --port 8000") from None
    try:
        from ..web.app import serve as run
    except ImportError as exc:
        if (exc.name or "").split(".")[0] not in WEB_LIBRARIES:
            raise
        raise InputError("policy serve 需要网页组件，请先安装：pip install 'policycli[web]'（在源码目录中为 pip install '.[web]'）") from None
    from functools import partial

    from ..load import reads_alone

    data = (ctx.find_root().obj or {}).get("data")
    run(host, number, open_browser, data, chosen_lists(ctx), _notes, partial(_bars, reads_alone(data)))


def _bars(alone: bool, step: str):
    """The terminal's bar while the server reads its lists, or its one file (`alone`), ("reading")
    and builds their index."""
    from . import render

    return render.reading_bar(alone) if step == "reading" else render.indexing_bar()


def _notes(catalog) -> list[str]:
    """What the terminal is told about the lists served: an import draft left out, and how to serve it."""
    if not catalog.set_aside:
        return []
    named = catalog.set_aside[0] if len(catalog.set_aside) == 1 else "名称"
    shown = "、".join(f"“{n}”" for n in catalog.set_aside)
    return [f"网页中未查草稿清单{shown}（编号、标题等草拟内容待确认）；要查它：policy --list {named} serve"]

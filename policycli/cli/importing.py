"""`policy import` and `policy diff`: a published list turned into a draft dataset, and two datasets
compared."""
from __future__ import annotations

from typing import Annotated

import typer

from .formats import Format, FormatOption
from .library import add_file


def import_list(
    source: Annotated[str, typer.Argument(metavar="文件", help="发布的清单：Word（.docx）、Excel（.xlsx）、保存的网页（.html）、带文字的 PDF，"
                                               "或导出的文本（.txt，UTF-8、GBK 或 UTF-16）；表格或编号段落均可。",
                                          show_default=False)],
    output: Annotated[str | None, typer.Option("--output", "-o", metavar="文件", help="把草稿写入这个 YAML 文件；省略或写 - 时输出到屏幕。",
                                               show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="-o 指定的文件已存在时覆盖它；与 --add 一起时替换同名清单。")] = False,
    add: Annotated[bool, typer.Option("--add", help="同时把草稿加入清单库（见 policy lists）。")] = False,
    name: Annotated[str | None, typer.Option("--name", metavar="名称", help="与 --add 一起：清单名称，省略时按地区、年份和批次取名。",
                                             show_default=False)] = None,
) -> None:
    """把官方清单转成政策数据草稿：原文、牵头单位、科室、联系人、电话照录，发现的问题逐条列出。

    编号和标题是草拟的，关键词、奖补规则和申请条件需要人工编写：policy validate 草稿.yaml 列出待完成项。

    示例：

      policy import 2025年第一批清单.docx -o 草稿.yaml

      policy --data 草稿.yaml list
    """
    from pathlib import Path

    from ..errors import InputError
    from ..lists.draft_yaml import draft_yaml
    from ..lists.drafting import draft_from
    from ..lists.reading import read_list
    from ..lists.writing import write_file
    from . import render
    from .render import lists as views

    if output == "-":  # the usual name of standard output, never a file called "-"
        output = None
    if not source.strip():
        raise InputError("清单文件名为空，请给出要导入的清单文件，如 policy import 清单.docx")
    if force and output is None and not add:
        raise InputError("--force 只和 -o 或 --add 一起使用（覆盖 -o 指定的文件、替换同名清单）；不带 -o 时草稿输出到屏幕")
    if name is not None and not add:
        raise InputError("--name 只和 --add 一起使用：加入清单库时的清单名称")
    if output and output.strip() and Path(output).resolve() == Path(source).resolve():
        raise InputError(f"{output}: 不能把草稿写到清单文件本身，请用 -o 换一个文件名")
    draft = draft_from(read_list(source))
    text = draft_yaml(draft)
    if output is not None:
        write_file(output, text, force=force)
    elif not add:
        render.write_out(text)
    for problem in draft.problems + draft.notices:
        render.warn(problem)
    for line in views.import_found(draft):
        render.warn(line)
    if output is not None:
        render.warn(views.import_summary(output, len(draft.items), len(draft.offices()), len(draft.problems)))
    if add:
        add_file(text.encode("utf-8"), output or source, name, force, Format.table)


def diff_lists(
    old: Annotated[str, typer.Argument(metavar="原清单", help="原来的政策数据文件（YAML），或清单库中的清单名称。", show_default=False)],
    new: Annotated[str, typer.Argument(metavar="新清单", help="新的政策数据文件（YAML，如导入的草稿），或清单库中的清单名称。", show_default=False)],
    fmt: FormatOption = Format.table,
) -> None:
    """比较两份政策数据：新增、取消、延续的政策，以及金额、奖补规则、科室、联系人、电话和原文的变化。

    按原文内容配对政策，不看编号和序号。

    示例：

      policy diff data/policies.yaml 草稿.yaml

    比较清单库中的两份清单：

      policy diff 黄岛2024-1 黄岛2025-1

    policy diff 旧.yaml 新.yaml --format csv > 变化.csv
    """
    from ..lists.compare import compare
    from ..load import load_catalog
    from . import render
    from .render import lists as views

    result = compare(load_catalog(_list_or_file(old)), load_catalog(_list_or_file(new)))
    render.emit(fmt.value, result.to_jsonable(), views.diff_view(result), result.rows)


def _list_or_file(given: str) -> str:
    """The file of the list of the library named `given`, or the file `given`; neither is a
    one-line error naming the lists."""
    import os

    from ..errors import InputError
    from ..load import library_files, library_path

    if not given.strip():
        raise InputError("清单名称为空，请给出清单库中的清单名称或数据文件，如 policy diff 黄岛2024-1 新清单.yaml")
    path = library_path(given)
    if os.path.lexists(path):
        return path
    names = "、".join(f.name for f in library_files() if f.name)
    raise InputError(f"{given}: 不是清单库中的清单，也没有这个文件；清单库中有：{names}（运行 policy lists 查看），"
                     "或给出数据文件（.yaml）的路径")

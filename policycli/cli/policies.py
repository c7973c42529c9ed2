"""`policy list`, `show`, `search` and `validate`: the policies themselves."""
from __future__ import annotations

from typing import Annotated, Any

import typer

from .context import catalog_of, complete_policy_id, prepare_command
from .formats import Format, FormatOption


def list_policies(
    ctx: typer.Context,
    part: Annotated[str | None, typer.Option("--part", "-p", help="部分：写序号（1/一、2/二）或部分名称的一部分，如 延续执行。")] = None,
    section: Annotated[str | None, typer.Option("--section", "-s", help="节，可只写一部分，如 数字经济。")] = None,
    office: Annotated[str | None, typer.Option("--office", "-o", help="区工信局责任科室，如 信息化管理科 或 信息化。")] = None,
    unit: Annotated[str | None, typer.Option("--unit", "-u", help="牵头单位，如 区财政局。")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """按部分和节列出政策。

    示例：

      policy list

      policy list --section 数字经济

      policy list --office 信息化 --format json
    """
    from ..dataset.lookup import filter_policies
    from . import render
    from .render import policies as views

    catalog = catalog_of(ctx)
    from ..shapes import policy_list

    def csv_rows() -> list[dict]:
        return [render.policy_csv_row(p) for p in policies]

    policies = filter_policies(catalog, part=part, section=section, office=office, unit=unit)
    if not policies:
        from ..errors import NotFound

        render.emit_nothing(fmt.value, render.policy_csv_row(catalog.policies[0]) if catalog.policies else ())
        raise NotFound("没有符合筛选条件的政策", code="no_policies", next="drop_list_filters")

    render.emit(fmt.value, policy_list(policies), views.list_view(catalog, policies, extra=views.award_cell), csv_rows)


def show_policy(
    ctx: typer.Context,
    policy: Annotated[str, typer.Argument(metavar="编号", help="政策编号（如 techretrofit）、序号（3 指第一部分第3项，2-3 指第二部分第3项）、标题或搜索词（如 技改）。",
                                          autocompletion=complete_policy_id, show_default=False)],
    fmt: FormatOption = Format.table,
) -> None:
    """显示一项政策的全部信息和原文。

    示例：

      policy show techretrofit

      policy show 3

      policy show 技改

      policy show 2-1 --format json
    """
    from ..search.resolve import resolve_policy
    from . import render
    from .render import policies as views

    catalog = catalog_of(ctx)
    found = resolve_policy(catalog, policy)
    from ..shapes import policy_detail

    render.emit(fmt.value, policy_detail(found), views.detail_view(catalog, found),
                lambda: [render.policy_csv_row(found)])


def search_policies(
    ctx: typer.Context,
    query: Annotated[list[str], typer.Argument(metavar="查询词", help="要找的内容：词语、简称、日常说法、整句问题、英文、拼音或拼音首字母、政策编号、电话；多个词都会计入。",
                                               show_default=False)],
    limit: Annotated[str | None, typer.Option("--limit", "-n", metavar="项数", help="最多显示几项，默认 10。",
                                              show_default=False)] = None,
    part: Annotated[str | None, typer.Option("--part", "-p", help="只在这一部分中找：1/一 或 2/二。")] = None,
    section: Annotated[str | None, typer.Option("--section", "-s", help="只在这一节中找，可只写一部分，如 数字经济。")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """按意思搜索政策：原文词语、简称、日常说法、同音错字、拼音、英文、整句问题都能找到。

    示例：

      policy search 数据中心

      policy search 技改

      policy search jsgz

      policy search 有没有支持建设智慧社区的补贴

      policy search 车间换了一批机床

      policy search smart community subsidy

      policy search 研发费用 奖补 --format json
    """
    from ..awards.money import parse_count
    from ..search.alongside import built_alongside
    from ..search.rank import check_query, search
    from ..search.results import nothing_found
    from . import render
    from .render import search as views

    text = " ".join(query)
    check_query(text)  # before the dataset is read and its notes are printed: bad input, one line
    count = 10 if limit is None else parse_count(limit, "--limit", low=1, high=10**6)
    with built_alongside():  # a large list parsed now is indexed on another core while it is checked
        catalog = catalog_of(ctx)
    with render.indexing_bar() as progress:
        result = search(catalog, text, limit=count, part=part, section=section, progress=progress)
    if not result.hits:
        render.emit_nothing(fmt.value, views.search_csv_columns(catalog))
        raise nothing_found(result)
    know_segmentation(catalog)
    render.emit(fmt.value, result.to_jsonable(), views.search_view(result, catalog, prepare_command(ctx)),
                lambda: views.search_csv_rows(result))


def know_segmentation(catalog: Any) -> None:
    """Tell the tables where the index cut titles, sections and offices into words (the index the
    search read, looked up for each cell that has to break)."""
    from .render.layout import know_words_of

    starts: dict[str, frozenset[int] | None] = {}

    def lookup(plain: str) -> frozenset[int] | None:
        from ..search.index import SEPARATOR, fold_text, index_for
        from ..search.words import item_starts

        if plain not in starts:
            fields = ("title", "section", "offices", "lead_units")
            starts[plain] = item_starts(index_for(catalog).blobs, fields, SEPARATOR, fold_text(plain))
        return starts[plain]

    know_words_of(lookup)


def validate(
    ctx: typer.Context,
    path: Annotated[str | None, typer.Argument(metavar="文件", help="要检查的数据文件；省略时检查当前使用的数据。", show_default=False)] = None,
    strict: Annotated[bool, typer.Option("--strict", help="把待完成的编写工作（草拟的编号和标题、缺少的关键词、奖补规则和申请条件）当作错误。")] = False,
    fmt: FormatOption = Format.table,
) -> None:
    """检查政策数据文件：必填字段、类型、编号、科室引用、电话区号，并列出待完成的编写工作。

    有错误时逐条列出（文件:行: 字段: 问题），退出码 2。

    示例：

      policy validate data/policies.yaml

    导入的草稿：

      policy validate 草稿.yaml --strict
    """
    from ..errors import DataError
    from ..load import load_catalog
    from . import render
    from .render import policies as views

    with render.reading_bar(alone=True) as progress:
        if path is not None:  # the file named here, not --data
            from ..dataset.files import GIVEN, read_bytes, resolve_data_path
            from ..load import parse_catalog

            given = resolve_data_path(path)
            catalog = parse_catalog(read_bytes(given, where=GIVEN), str(given), progress)
        else:
            catalog = load_catalog((ctx.find_root().obj or {}).get("data"), progress)
    if strict and catalog.todo:
        raise DataError([*catalog.todo, f"{catalog.path}: 还有 {len(catalog.todo)} 处待完成（--strict），写法见 docs/authoring.md"])
    result = {"path": catalog.path, "valid": True, "policies": len(catalog.policies), "warnings": list(catalog.warnings),
              "todo": list(catalog.todo)}
    render.emit(fmt.value, result, views.validate_view(catalog.path, len(catalog.policies), list(catalog.warnings),
                                                       list(catalog.todo)))

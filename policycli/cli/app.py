"""The `policy` command: parse arguments, call the core, render, map errors to exit codes."""
from __future__ import annotations

import sys
from collections.abc import Callable
from enum import Enum
from typing import Annotated, Any

import typer

from .. import __version__
from ..errors import PolicyError
from .commands import PolicyCommand, PolicyGroup
from .formats import Format, FormatOption
from .inputs import with_input_options
from .library import add_file, lists_app

# --- the app -----------------------------------------------------------------------------------

app = typer.Typer(
    cls=PolicyGroup,
    help="查询青岛市黄岛区（西海岸新区）2024年工信、科技、大数据领域支持政策清单。\n\n"
    "示例：\n\n"
    "  policy list\n\n"
    "  policy show techretrofit\n\n"
    "  policy list --section 数字经济 --format csv > 政策.csv",
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    no_args_is_help=True,
)
command = app.command




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


def complete_list_name(incomplete: str) -> list[tuple[str, str]]:
    """The library's list names for Tab completion; nothing when the library cannot be read."""
    try:
        from ..load import library_files

        return [(str(f.name), "随包清单" if f.shipped else f.origin) for f in library_files()
                if str(f.name).startswith(incomplete)]
    except Exception:  # noqa: BLE001 - completion must never fail loudly
        return []


def chosen_lists(ctx: typer.Context) -> tuple[str, ...]:
    """The --list names; refused together with --data or POLICY_DATA, which name one dataset."""
    import os

    from ..dataset.files import ENV_VAR
    from ..errors import InputError

    state = ctx.find_root().obj or {}
    wanted = state.get("lists", ())
    if wanted and (state.get("data") is not None or os.environ.get(ENV_VAR) is not None):
        given = "--data" if state.get("data") is not None else f"环境变量 {ENV_VAR}"
        raise InputError(f"--list 选的是清单库中的清单，不能与 {given} 指定的单个数据文件同时使用；请去掉其中之一")
    return wanted


def catalog_of(ctx: typer.Context):
    """The dataset chosen by --data / POLICY_DATA, else the library's lists (all, or those named by
    --list), loaded once per run (from the cache when these lists were seen before)."""
    from ..load import load_chosen

    state = ctx.find_root().obj or {}
    if "catalog" not in state:
        from .library import warn_ignored_settings
        from .render import warn

        wanted = chosen_lists(ctx)
        warn_ignored_settings()
        state["catalog"] = load_chosen(state.get("data"), wanted)
        for line in state["catalog"].warnings if state["catalog"].lists else ():
            warn(line)
        from .render.layout import know_words

        catalog = state["catalog"]
        know_words(lambda: (k for p in catalog.policies for k in p.keywords))  # read only if a cell must break
    return state["catalog"]


def completing(ctx: typer.Context, items: Callable[[Any], list[tuple[str, str]]]) -> list[tuple[str, str]]:
    """`items(catalog)` for Tab completion; any failure (no dataset, bad YAML) offers nothing."""
    try:
        from ..load import load_chosen

        params = ctx.find_root().params or {}
        return items(load_chosen(params.get("data"), tuple(params.get("lists") or ())))
    except Exception:  # noqa: BLE001 - completion must never fail loudly
        return []


def complete_policy_id(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    return completing(ctx, lambda catalog: [(p.id, p.title) for p in catalog.policies if p.id.startswith(incomplete)])


@command("list", cls=PolicyCommand)
def list_policies(
    ctx: typer.Context,
    part: Annotated[str | None, typer.Option("--part", "-p", help="部分：写序号（1/一、2/二）或部分名称的一部分，如 延续执行。")] = None,
    section: Annotated[str | None, typer.Option("--section", "-s", help="节，可只写一部分，如 数字经济。")] = None,
    office: Annotated[str | None, typer.Option("--office", "-o", help="区工信局责任科室，如 信息化管理科 或 信息化。")] = None,
    unit: Annotated[str | None, typer.Option("--unit", "-u", help="牵头单位，如 区财政局。")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """按部分和节列出政策。

    示例：policy list；policy list --section 数字经济；policy list --office 信息化 --format json
    """
    from ..dataset.lookup import filter_policies
    from . import render
    from .render import policies as views

    catalog = catalog_of(ctx)
    policies = filter_policies(catalog, part=part, section=section, office=office, unit=unit)
    if not policies:
        from ..errors import NotFound

        raise NotFound("没有符合筛选条件的政策", code="no_policies", next="drop_list_filters")
    from ..awards.rules import ceiling_fields
    from ..shapes import policy_list

    def csv_rows() -> list[dict]:  # one line per policy: the parts are in max_award_text
        return [{**render.policy_csv_row(p), **{k: v for k, v in ceiling_fields(p).items() if k != "max_award_parts"}}
                for p in policies]

    render.emit(fmt.value, policy_list(policies), views.list_view(catalog, policies, extra=views.max_award_cell), csv_rows)


@command("show", cls=PolicyCommand)
def show_policy(
    ctx: typer.Context,
    policy: Annotated[str, typer.Argument(help="政策编号（如 techretrofit）、序号（3 指第一部分第3项，2-3 指第二部分第3项）、标题或搜索词（如 技改）。",
                                          autocompletion=complete_policy_id, show_default=False)],
    fmt: FormatOption = Format.table,
) -> None:
    """显示一项政策的全部信息和原文。

    示例：policy show techretrofit；policy show 3；policy show 技改；policy show 2-1 --format json
    """
    from ..search.resolve import resolve_policy
    from . import render
    from .render import policies as views

    catalog = catalog_of(ctx)
    found = resolve_policy(catalog, policy)
    from ..shapes import policy_detail

    render.emit(fmt.value, policy_detail(found), views.detail_view(catalog, found),
                lambda: [render.policy_csv_row(found)])


# --- policy search ----------------------------------------------------------------------------


@command("search", cls=PolicyCommand)
def search_policies(
    ctx: typer.Context,
    query: Annotated[list[str], typer.Argument(help="要找的内容：词语、简称、日常说法、整句问题、英文、拼音或拼音首字母、政策编号、电话；多个词都会计入。",
                                               show_default=False)],
    limit: Annotated[str | None, typer.Option("--limit", "-n", metavar="项数", help="最多显示几项，默认 10。",
                                              show_default=False)] = None,
    part: Annotated[str | None, typer.Option("--part", "-p", help="只在这一部分中找：1/一 或 2/二。")] = None,
    section: Annotated[str | None, typer.Option("--section", "-s", help="只在这一节中找，可只写一部分，如 数字经济。")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """按意思搜索政策：原文词语、简称、日常说法、同音错字、拼音、英文、整句问题都能找到。

    示例：policy search 数据中心

    policy search 技改

    policy search jsgz

    policy search 有没有支持建设智慧社区的补贴

    policy search 车间换了一批机床

    policy search smart community subsidy

    policy search 研发费用 奖补 --format json
    """
    from ..awards.money import parse_count
    from ..search.rank import search
    from ..search.results import nothing_found
    from . import render
    from .render import search as views

    catalog = catalog_of(ctx)
    text = " ".join(query)
    count = 10 if limit is None else parse_count(limit, "--limit", low=1, high=10**6)
    with render.progress_callback("正在建立搜索索引") as progress:
        result = search(catalog, text, limit=count, part=part, section=section, progress=progress)
    if not result.hits:
        raise nothing_found(result)
    know_segmentation(catalog)
    render.emit(fmt.value, result.to_jsonable(), views.search_view(result, catalog), lambda: views.search_csv_rows(result))


def know_segmentation(catalog: Any) -> None:
    """Tell the tables where the index cut titles, sections and offices into words (read again
    from the cache, a few milliseconds, the first time a cell has to break)."""
    from .render.layout import know_words_of

    starts: dict[str, frozenset[int]] = {}

    def lookup(plain: str) -> frozenset[int] | None:
        from ..search.index import SEPARATOR, fold_text, index_for
        from ..search.words import item_starts

        if not starts:
            starts.update(item_starts(index_for(catalog).blobs, ("title", "section", "offices", "lead_units"), SEPARATOR))
        return starts.get(fold_text(plain))

    know_words_of(lookup)


READABLE = "policycli-readable"


def _readable(error: UnicodeError) -> tuple[bytes, int]:
    """Text holding bytes that were not UTF-8 (an argument typed in a GBK terminal, a file name
    from an archive made on Windows) is written with � in their place instead of failing."""
    if not isinstance(error, UnicodeEncodeError) or error.encoding.replace("-", "").lower() != "utf8":
        raise error
    return "\ufffd".encode("utf-8") * (error.end - error.start), error.end  # bytes: the codec takes them as they are


# --- policy contacts ---------------------------------------------------------------------------

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


@command("contacts", cls=PolicyCommand)
def contacts(
    ctx: typer.Context,
    query: Annotated[str | None, typer.Argument(
        help="科室（可只写一部分，如 信息化）、联系人、电话号码、牵头单位（如 区财政局）、政策编号/序号或搜索词；省略时列出全部联系人。",
        autocompletion=complete_contact, show_default=False)] = None,
    fmt: ContactFormatOption = ContactFormat.table,  # type: ignore[attr-defined]
) -> None:
    """查联系人：哪个科室、找谁、打哪个电话，负责哪些政策。

    示例：policy contacts 信息化；policy contacts 陈辉平；policy contacts 区财政局；policy contacts 2-1

    存入手机或 Outlook 通讯录：policy contacts --format vcard > 联系人.vcf
    """
    from ..contacts.directory import find_contacts
    from ..contacts.vcard import result_cards
    from . import render
    from .render import contacts as views

    from ..search.resolve import clear_winner

    catalog = catalog_of(ctx)
    result = find_contacts(catalog, query, lambda q: clear_winner(catalog, q))  # 小区装门禁 → smartcommunity
    render.emit(fmt.value, result.to_list(), views.contacts_view(result),
                writers={"vcard": lambda: result_cards(result)})


class EstimateCommand(PolicyCommand):
    """`policy estimate POLICY --help` describes that policy's inputs instead of every option."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and not args[0].startswith("-") and any(a in ("-h", "--help") for a in args):
            ctx.meta["help_policy"] = args[0]
        return super().parse_args(ctx, args)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        name = ctx.meta.get("help_policy")
        if name:
            try:
                from ..awards.rules import ceiling_text, inputs_of
                from ..search.resolve import resolve_policy
                from . import render
                from .render import estimate as views

                found = resolve_policy(catalog_of(ctx), name)
                formatter.write(render.rendered(views.estimate_help_view(found, inputs_of(found), ceiling_text(found))))
                return
            except PolicyError:
                pass  # not a policy: the command's own help
        super().format_help(ctx, formatter)


@command("estimate", cls=EstimateCommand)
@with_input_options
def estimate_award(
    ctx: typer.Context,
    policy: Annotated[str | None, typer.Argument(help="政策编号、序号、标题或搜索词（如 技改）；省略时列出可估算的政策及所需输入。",
                                                 autocompletion=complete_policy_id, show_default=False)] = None,
    fmt: FormatOption = Format.table,
    **given: Any,
) -> None:
    """按政策原文估算奖补金额，列出每步计算、上限和原文依据。

    不带编号运行 policy estimate 可查看每项政策需要哪些输入。

    示例：policy estimate techretrofit --invest 3000万

    policy estimate loansubsidy --loan 800万 --signed 2024-03
    """
    from ..awards.rules import MissingInputs, estimable, estimate_options, inputs_of
    from ..errors import InputError
    from ..search.resolve import resolve_policy
    from ..shapes import estimable_list, estimate_data
    from . import render
    from .render import estimate as views

    catalog = catalog_of(ctx)
    if policy is None:
        if any(v not in (None, False) for v in given.values()):
            raise InputError("请先给出政策编号，如 policy estimate techretrofit --invest 3000万；不带编号运行 policy estimate 查看可估算的政策")
        rows = estimable(catalog)
        render.emit(fmt.value, estimable_list(rows), views.estimable_view(rows))
        return
    found = resolve_policy(catalog, policy)
    try:
        result = estimate_options(found, given)
    except MissingInputs as exc:
        if exc.code == "missing_input" and not exc.any_of:
            raise
        raise InputError(views.missing_message(found, exc, inputs_of(found)), code=exc.code, field=exc.field,
                         valid=exc.valid) from None
    render.emit(fmt.value, estimate_data(found, result), views.estimate_view(found, result),
                lambda: views.estimate_csv_rows(result, found.list))


@command("match", cls=PolicyCommand)
def match(
    ctx: typer.Context,
    profile: Annotated[str | None, typer.Option("--profile", "-p", metavar="文件或目录",
                                                help="企业档案（YAML 文件）；给一个目录则每个 .yaml 档案一行，输出汇总表。")] = None,
    settings: Annotated[list[str] | None, typer.Option("--set", "-s", metavar="键=值",
                                                       help="设置或覆盖一项，可重复：--set above_scale=是、--set invest=3000万、--set vrcenter.cost=2000万（两份清单有同一编号时写 清单名:编号.数据名）。")] = None,
    interactive: Annotated[bool, typer.Option("--interactive", "-i", help="逐项提问，只问仍未知且影响结果的信息。")] = False,
    save: Annotated[str | None, typer.Option("--save", metavar="文件", help="把档案（含回答）保存为 YAML 文件；已有文件会先询问是否覆盖。")] = None,
    detail: Annotated[bool, typer.Option("--detail", "-d", help="表格列出全部内容：不符合的每项条件、非资金支持的内容。")] = False,
    fmt: FormatOption = Format.table,
) -> None:
    """根据企业档案找出可申请的政策，说明原因并估算金额合计。

    档案的键见 docs/profile.md。示例：policy match --profile examples/company.yaml

    policy match --set entity=企业 --set tech_firm=是 --set loan_mode=投保贷 --set repaid=是 --set loan=800万 --set signed=2024-03

    policy match --interactive --save 我的企业.yaml

    policy match --profile 客户档案/ --format csv > 汇总.csv
    """
    from pathlib import Path

    from ..errors import InputError
    from ..match.eligibility import match_profile
    from ..match.profile import Profile
    from ..match.profile_file import apply_settings, check_save_target, load_profile, load_profiles, save_profile
    from ..shapes import match_rows, match_summaries
    from . import render
    from .render import match as views

    catalog = catalog_of(ctx)
    settings = settings or []
    if profile and Path(profile).is_dir():
        if interactive or save is not None:
            raise InputError("--interactive 和 --save 只能用于一个企业档案文件，不能用于目录")
        results = [match_profile(catalog, apply_settings(p, settings, catalog)) for p in load_profiles(profile, catalog)]
        render.emit(fmt.value, match_summaries(results), views.summary_view(results))
        return
    if not (profile is not None or settings or interactive):
        raise InputError("请给出企业档案：--profile 档案.yaml、--set 键=值，或 --interactive 逐项回答；运行 policy match --help 查看示例")
    asker = render.make_console(stderr=True)
    replace_saved = save is not None and check_save_target(save)
    if replace_saved and not views.confirm(asker, f"文件 {save} 已存在，是否覆盖？"):
        raise InputError(f"{save}: 文件已存在，未覆盖；请换一个文件名")
    answers = load_profile(profile, catalog) if profile is not None else Profile()
    answers = apply_settings(answers, settings, catalog)
    if interactive:
        answers = _interview(catalog, answers, asker, ask_name=bool(save))
    if save is not None:
        save_profile(answers, save, overwrite=replace_saved)
        render.warn(f"已保存企业档案：{save}")
    result = match_profile(catalog, answers)
    render.emit(fmt.value, match_rows(result), views.match_view(result, detail))


def _interview(catalog: Any, answers: Any, console: Any, *, ask_name: bool) -> Any:
    """One question at a time, each chosen by the core from what is still unknown and matters."""
    from dataclasses import replace

    from ..match.eligibility import Question, answer, next_question
    from ..match.profile import TEXT, Fact, parse_value
    from .render import match as views

    views.interview_intro(console)
    skipped: set[str] = set()
    try:
        if ask_name and not answers.name:
            name = views.ask(console, Question(Fact("name", "企业名称", "企业名称是？", TEXT)), str)
            answers = answers if name is views.SKIP else replace(answers, name=name)
        while (question := next_question(catalog, answers, skipped)) is not None:
            value = views.ask(console, question, lambda text, q=question: parse_value(q.fact, text))
            if value is views.SKIP:
                skipped.add(question.key)
            else:
                answers = answer(answers, question, value)
    except EOFError:
        console.print()
    return answers


# --- policy serve ------------------------------------------------------------------------------

WEB_LIBRARIES = {"starlette", "uvicorn", "jinja2", "multipart", "python_multipart", "markupsafe", "anyio", "h11"}


@command("serve", cls=PolicyCommand)
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", metavar="地址",
                                      help="监听地址；默认 127.0.0.1 只供本机访问，0.0.0.0 对局域网开放。")] = "127.0.0.1",
    port: Annotated[str, typer.Option("--port", metavar="端口", help="端口，默认 8000。", show_default=False)] = "8000",
    open_browser: Annotated[bool, typer.Option("--open", help="启动后在浏览器中打开。")] = False,
) -> None:
    """以网页形式提供查询、估算、联系人和企业匹配（需要 web 组件）。

    示例：policy serve；policy serve --open；policy serve --host 0.0.0.0 --port 8080

    安装网页组件：pip install 'policycli\\[web]'（在源码目录中为 pip install '.\\[web]'）
    """
    from ..awards.money import parse_count
    from ..errors import InputError

    number = parse_count(port, "--port", low=1, high=65535)
    try:
        from ..web.app import serve as run
    except ImportError as exc:
        if (exc.name or "").split(".")[0] not in WEB_LIBRARIES:
            raise
        raise InputError("policy serve 需要网页组件，请先安装：pip install 'policycli[web]'（在源码目录中为 pip install '.[web]'）") from None
    run(host, number, open_browser, (ctx.find_root().obj or {}).get("data"), chosen_lists(ctx))


# --- policy validate -------------------------------------------------------------------------


@command("validate", cls=PolicyCommand)
def validate(
    ctx: typer.Context,
    path: Annotated[str | None, typer.Argument(help="要检查的数据文件；省略时检查当前使用的数据。", show_default=False)] = None,
    strict: Annotated[bool, typer.Option("--strict", help="把待完成的编写工作（草拟的编号和标题、缺少的关键词、奖补规则和申请条件）当作错误。")] = False,
    fmt: FormatOption = Format.table,
) -> None:
    """检查政策数据文件：必填字段、类型、编号、科室引用、电话区号，并列出待完成的编写工作。

    有错误时逐条列出（文件:行: 字段: 问题），退出码 2。示例：policy validate data/policies.yaml

    导入的草稿：policy validate 草稿.yaml --strict
    """
    from ..errors import DataError
    from ..load import load_catalog
    from . import render
    from .render import policies as views

    catalog = load_catalog(path if path is not None else (ctx.find_root().obj or {}).get("data"))
    if strict and catalog.todo:
        raise DataError([*catalog.todo, f"{catalog.path}: 还有 {len(catalog.todo)} 处待完成（--strict），写法见 docs/authoring.md"])
    result = {"path": catalog.path, "valid": True, "policies": len(catalog.policies), "warnings": list(catalog.warnings),
              "todo": list(catalog.todo)}
    render.emit(fmt.value, result, views.validate_view(catalog.path, len(catalog.policies), list(catalog.warnings),
                                                       list(catalog.todo)))


# --- policy import, policy diff -----------------------------------------------------------------


@command("import", cls=PolicyCommand)
def import_list(
    source: Annotated[str, typer.Argument(help="发布的清单：Word（.docx）、Excel（.xlsx）、保存的网页（.html）、带文字的 PDF，"
                                               "或导出的文本（.txt，UTF-8、GBK 或 UTF-16）；表格或编号段落均可。",
                                          show_default=False)],
    output: Annotated[str | None, typer.Option("--output", "-o", metavar="文件", help="把草稿写入这个 YAML 文件；省略时输出到屏幕。",
                                               show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="-o 指定的文件已存在时覆盖它；与 --add 一起时替换同名清单。")] = False,
    add: Annotated[bool, typer.Option("--add", help="同时把草稿加入清单库（见 policy lists）。")] = False,
    name: Annotated[str | None, typer.Option("--name", metavar="名称", help="与 --add 一起：清单名称，省略时按地区、年份和批次取名。",
                                             show_default=False)] = None,
) -> None:
    """把官方清单转成政策数据草稿：原文、牵头单位、科室、联系人、电话照录，发现的问题逐条列出。

    编号和标题是草拟的，关键词、奖补规则和申请条件需要人工编写：policy validate 草稿.yaml 列出待完成项。

    示例：policy import 2025年第一批清单.docx -o 草稿.yaml

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

    if force and output is None and not add:
        raise InputError("--force 只和 -o 或 --add 一起使用（覆盖 -o 指定的文件、替换同名清单）；不带 -o 时草稿输出到屏幕")
    if name and not add:
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


@command("diff", cls=PolicyCommand)
def diff_lists(
    old: Annotated[str, typer.Argument(help="原来的政策数据文件（YAML），或清单库中的清单名称。", show_default=False)],
    new: Annotated[str, typer.Argument(help="新的政策数据文件（YAML，如导入的草稿），或清单库中的清单名称。", show_default=False)],
    fmt: FormatOption = Format.table,
) -> None:
    """比较两份政策数据：新增、取消、延续的政策，以及金额、科室、联系人、电话和原文的变化。

    按原文内容配对政策，不看编号和序号。示例：policy diff data/policies.yaml 草稿.yaml

    比较清单库中的两份清单：policy diff 黄岛2024-1 黄岛2025-1

    policy diff 旧.yaml 新.yaml --format csv > 变化.csv
    """
    from ..lists.compare import compare
    from ..load import load_catalog
    from . import render
    from .render import lists as views

    from ..load import library_path

    result = compare(load_catalog(library_path(old)), load_catalog(library_path(new)))
    render.emit(fmt.value, result.to_jsonable(), views.diff_view(result), result.rows)


app.add_typer(lists_app, name="lists")


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point."""
    import codecs

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

"""`policy estimate` and `policy match`: what a company can get, for one policy from given figures or
for every policy from a profile (with the questions of --interactive)."""
from __future__ import annotations

from typing import Annotated, Any

import typer

from ..errors import PolicyError
from .commands import PolicyCommand
from .context import catalog_of, complete_policy_id
from .formats import Format, FormatOption
from .inputs import with_input_options


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
                from ..awards.rules import award_fields, inputs_of
                from ..search.resolve import resolve_policy
                from . import render
                from .render import estimate as views

                found = resolve_policy(catalog_of(ctx), name)
                formatter.write(render.rendered(views.estimate_help_view(found, inputs_of(found), award_fields(found)["award_text"])))
                return
            except PolicyError:
                pass  # not a policy: the command's own help
        super().format_help(ctx, formatter)


@with_input_options
def estimate_award(
    ctx: typer.Context,
    policy: Annotated[str | None, typer.Argument(metavar="编号", help="政策编号、序号、标题或搜索词（如 技改）；省略时列出可估算的政策及所需输入。",
                                                 autocompletion=complete_policy_id, show_default=False)] = None,
    fmt: FormatOption = Format.table,
    **given: Any,
) -> None:
    """按政策原文估算奖补金额，列出每步计算、上限和原文依据。

    不带编号运行 policy estimate 可查看每项政策需要哪些输入。

    示例：

      policy estimate techretrofit --invest 3000万

      policy estimate ipopool --rd 2000万 --rd-last 500万
    """
    from ..awards.input_table import REPEATABLE, given_once
    from ..awards.rules import MissingInputs, estimable, estimate_options, inputs_of
    from ..errors import InputError
    from ..search.resolve import resolve_policy
    from ..shapes import estimable_list, estimate_data
    from . import render
    from .render import estimate as views

    given = {k: given_once(k, list(v or ())) if k in REPEATABLE else v for k, v in given.items()}
    catalog = catalog_of(ctx)
    if policy is None:
        if any(v not in (None, False) for v in given.values()):
            raise InputError("请先给出政策编号，如 policy estimate techretrofit --invest 3000万；不带编号运行 policy estimate 查看可估算的政策")
        rows = estimable(catalog)
        data = estimable_list(rows)
        render.emit(fmt.value, data, views.estimable_view(rows),
                    lambda: [{**r, "award_parts": render.parts_cell(r["award_parts"])} for r in data])
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
                lambda: views.estimate_csv_rows(found, result))


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

    档案的键见 docs/profile.md。

    示例：

      policy match --profile examples/company.yaml

      policy match --set entity=企业 --set tech_firm=是

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

"""Views of `policy estimate`: the worked calculation, its json / csv shapes, and the list of
policies that can be estimated."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.text import Text

from ...dataset.model import Policy
from ...errors import plain
from ...shapes import ESTIMATE_DISCLAIMER
from ..wording import CLI, option
from . import facts_grid, hint, new_table, office_line, paragraph
from .layout import flow



def _heading(console: Console, title: str) -> None:
    console.print()
    console.print(Text(title, style="bold"))


def styled_amount(words: Any, style: str = "bold green") -> Text:
    """The amount's words (`awards.amounts`) styled: the figure in `style`, the remarks in yellow."""
    return Text.assemble((words.figure + words.per_year, style), (words.bound + words.discretion + words.pending, "yellow"))


def amount_text(result: Any) -> Text:
    """The final amount with what kind of figure it is."""
    from ...awards.amounts import amount_words

    words = amount_words(result)
    if words is None:
        return Text("无具体金额" if result.support else "—", style="bold")
    return styled_amount(words)


def estimate_view(policy: Policy, result: Any) -> Callable[[Console], None]:
    from ...awards.money import format_yuan

    def draw(console: Console) -> None:
        paragraph(console, Text(f"{policy.title}（{policy.id}）奖补估算", style="bold"))
        if result.inputs:
            _heading(console, "输入")
            console.print(facts_grid((s.label, Text(s.value)) for s in result.inputs))
        if result.steps:
            _heading(console, "计算")
            console.print(facts_grid((s.label, Text(s.value)) for s in result.steps))
        _heading(console, "结果")
        rows = [("估算金额", amount_text(result))]
        if result.ordinary_amount is not None:
            rows.append(("其中按普通规则", Text(format_yuan(result.ordinary_amount) + "（不需视情）")))
        if result.support:
            rows.append(("支持内容", Text(result.support)))
        console.print(facts_grid(rows))
        for note in result.notes:
            paragraph(console, Text("注：" + CLI.text(note), style="yellow"))
        if result.clauses:
            _heading(console, "政策依据（原文）")
            for clause in result.clauses:
                paragraph(console, Text(f"“{clause}”"))
        if result.conditions:
            _heading(console, "申请条件（原文）")
            for clause in result.conditions:
                console.print(flow(Text(f"· {clause}"), indent=2))
        _heading(console, "咨询")
        for office in policy.offices:
            paragraph(console, office_line(office, console))
        console.print()
        paragraph(console, Text(ESTIMATE_DISCLAIMER, style="dim"))

    return draw


def estimate_csv_rows(policy: Policy, result: Any) -> list[dict[str, Any]]:
    """The table's lines, one row each, so the worked calculation pastes into Excel: every 值 is the
    text the table shows (amounts as 3,000,000.00 元（300万元）, the result with its word and remarks);
    each row names the policy and its list. Programs read the amounts from the JSON."""
    from ...awards.amounts import amount_words
    from ...awards.money import format_yuan

    words = amount_words(result)
    lines = [("输入", s.label, s.value) for s in result.inputs] + [("计算", s.label, s.value) for s in result.steps]
    lines.append(("结果", "估算金额", words.text() if words else "无具体金额" if result.support else "—"))
    if result.ordinary_amount is not None:
        lines.append(("结果", "其中按普通规则", format_yuan(result.ordinary_amount) + "（不需视情）"))
    if result.support:
        lines.append(("结果", "支持内容", result.support))
    lines += [("说明", "注", plain(n)) for n in result.notes] + [("依据", "原文", c) for c in result.clauses]
    lines += [("申请条件", "原文", c) for c in result.conditions]
    lines += [("咨询", o.name, f"{o.contact} {o.phone}" + (f"（{o.note}）" if o.note else "")) for o in policy.offices]
    lines.append(("说明", "提示", ESTIMATE_DISCLAIMER))
    return [{"id": result.policy_id, "list": policy.list, "part": part, "label": label, "value": value}
            for part, label, value in lines]


def _input_brief(item: Any) -> str:
    choices = f"：{'、'.join(item.choices)}" if item.choices else ""
    return f"{'*' if item.required else ''}{option(item.name)} {item.label}{choices}"


def describe(item: Any) -> str:
    """ "--invest 年度设备投资额（如 3000万）" for help texts and error messages."""
    text = f"{option(item.name)} {item.label}"
    if item.kind == "choice" and item.choices:
        pairs = [f"{c}（{k}）" if k else c for c, k in zip(item.choices, item.keys or ("",) * len(item.choices))]
        text += "：" + "、".join(pairs)
    elif item.kind != "flag":
        text += f"（如 {item.sample}）"
    if item.default is not None and item.kind != "flag":
        text += f"，默认 {item.default}"
    if item.unless:
        text += f"，给了 {option(item.unless)} 时可省"
    return text


def example(item: Any) -> str:
    """The option as typed: "--invest 3000万", "--major"."""
    return option(item.name) if item.kind == "flag" else f"{option(item.name)} {item.sample}"


def typed_id(policy: Policy) -> str:
    """How a command names the policy: LIST:ID when other lists hold other versions of it."""
    return policy.key if policy.versions else policy.id


def missing_message(policy: Policy, error: Any, specs: list[Any]) -> str:
    """What `policy estimate` needs, each input with its option and an example, and a whole command."""
    missing = [s for s in specs if s.name in error.names]
    if error.any_of:
        return "至少需要以下一项：" + "；".join(describe(s) for s in missing)
    optional = [s for s in specs if not s.required and s not in missing]
    extra = f"。可选：{'；'.join(describe(s) for s in optional)}" if optional else ""
    command = " ".join(["policy estimate", typed_id(policy), *(example(s) for s in specs if s.required)])
    return f"估算 {policy.id}（{policy.title}）需要：{'；'.join(describe(s) for s in missing)}{extra}。示例：{command}"


def estimate_help_view(policy: Policy, specs: list[Any], ceiling_text: str) -> Callable[[Console], None]:
    """`policy estimate POLICY --help`: that policy's inputs, their choices in Chinese, an example."""

    def draw(console: Console) -> None:
        paragraph(console, Text(f"{policy.title}（{policy.id}）奖补估算", style="bold"))
        paragraph(console, Text(f"奖补额度：{ceiling_text}"))
        console.print()
        if specs:
            console.print(Text("输入（* 为必填）", style="bold"))
            console.print(facts_grid((("*" if s.required else " ") + option(s.name), Text(describe(s).split(" ", 1)[1]))
                                     for s in specs))
        else:
            paragraph(console, Text("无需输入：原文没有可计算的金额，估算列出支持内容、原文依据和咨询电话。"))
        console.print()
        hint(console, "示例：", " ".join(["policy estimate", typed_id(policy), *(example(s) for s in specs if s.required)]))
        hint(console, "输出格式：--format table|json|csv|yaml；全部选项：", "policy estimate --help")

    return draw


def estimable_view(rows: list[Any]) -> Callable[[Console], None]:
    """`policy estimate` without an id: each policy with its ceiling and the inputs it takes."""

    def draw(console: Console) -> None:
        table = new_table(console, "可估算的政策")
        table.add_column("编号", no_wrap=True)
        table.add_column("标题", give=2)
        table.add_column("奖补额度")
        table.add_column("输入（*为必填）")
        several = len({r.policy.list for r in rows}) > 1  # name each policy's lists
        for row in rows:
            if row.monetary:
                needs = "\n".join(_input_brief(s) for s in row.inputs) or "无需输入"
            else:
                needs = "无具体金额，无需输入"
            title = Text(row.policy.title)
            if several:
                title.append("".join(f"\n{name}" for name in row.policy.lists), style="dim")
            table.add_row(Text(row.policy.id, style="cyan"), title, Text(row.award_text), Text(needs))
        console.print(table)
        console.print()
        hint(console, "估算：policy estimate 编号 [选项]，例如：", "policy estimate techretrofit --invest 3000万")

    return draw

"""Views of `policy estimate`: the worked calculation, its json / csv shapes, and the list of
policies that can be estimated."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.text import Text

from ...dataset.model import Policy
from ...shapes import ESTIMATE_DISCLAIMER
from . import facts_grid, hint, new_table, office_line, paragraph
from .layout import flow



def _heading(console: Console, title: str) -> None:
    console.print()
    console.print(Text(title, style="bold"))


def amount_text(result: Any) -> Text:
    """The final amount with what kind of figure it is."""
    from ...awards.money import format_yuan

    if result.amount is None:
        return Text("无具体金额" if result.support else "—", style="bold")
    if result.breakdown:  # 定额 + 最高, 约 + 最高: each part with its word, never one word over both
        parts = " ＋ ".join(f"{p.word} {format_yuan(p.amount)}".strip() for p in result.breakdown)
        text = Text(f"合计 {format_yuan(result.amount)}：{parts}", style="bold green")
    else:
        text = Text((f"{result.word} " if result.word else "") + format_yuan(result.amount), style="bold green")
    if result.per_year is not None:
        text.append(f"，每年 {format_yuan(result.per_year)}", style="bold green")
    if result.cap_reached:
        text.append("（已达上限）", style="yellow")
    if result.discretionary:
        text.append("（可视情给予）", style="yellow")
    if result.pending:
        text.append(f"（{result.pending}，待公布后确定）", style="yellow")
    return text


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
            paragraph(console, Text("注：" + note, style="yellow"))
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


def estimate_csv_rows(result: Any) -> list[dict[str, Any]]:
    """One row per input, step and result line, so the worked calculation pastes into Excel."""
    rows = [{"id": result.policy_id, "part": "输入", "label": s.label, "value": s.value} for s in result.inputs]
    rows += [{"id": result.policy_id, "part": "计算", "label": s.label, "value": s.value} for s in result.steps]
    rows.append({"id": result.policy_id, "part": "结果", "label": "估算金额",
                 "value": "" if result.amount is None else format(result.amount, "f")})
    if result.support:
        rows.append({"id": result.policy_id, "part": "结果", "label": "支持内容", "value": result.support})
    rows += [{"id": result.policy_id, "part": "说明", "label": "注", "value": n} for n in result.notes]
    rows += [{"id": result.policy_id, "part": "依据", "label": "原文", "value": c} for c in result.clauses]
    return rows


def _input_brief(item: Any) -> str:
    choices = f"：{'、'.join(item.choices)}" if item.choices else ""
    return f"{'*' if item.required else ''}{item.option} {item.label}{choices}"


def estimate_help_view(policy: Policy, specs: list[Any], ceiling_text: str) -> Callable[[Console], None]:
    """`policy estimate POLICY --help`: that policy's inputs, their choices in Chinese, an example."""

    def draw(console: Console) -> None:
        paragraph(console, Text(f"{policy.title}（{policy.id}）奖补估算", style="bold"))
        paragraph(console, Text(f"奖补额度：{ceiling_text}"))
        console.print()
        if specs:
            console.print(Text("输入（* 为必填）", style="bold"))
            console.print(facts_grid((("*" if s.required else " ") + s.option, Text(s.describe().split(" ", 1)[1]))
                                     for s in specs))
        else:
            paragraph(console, Text("无需输入：原文没有可计算的金额，估算列出支持内容、原文依据和咨询电话。"))
        console.print()
        example = " ".join(["policy estimate", policy.id, *(s.example for s in specs if s.required)])
        hint(console, "示例：", example)
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
            table.add_row(Text(row.policy.id, style="cyan"), title, Text(row.ceiling_text), Text(needs))
        console.print(table)
        console.print()
        hint(console, "估算：policy estimate 编号 [选项]，例如：", "policy estimate techretrofit --invest 3000万")

    return draw

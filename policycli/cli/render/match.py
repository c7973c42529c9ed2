"""Views of `policy match`: per-company and summary tables, and the interactive questions (the
only place `rich.prompt` is imported)."""
from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.prompt import InvalidResponse, Prompt
from rich.text import Text

from ...errors import PolicyError
from ...shapes import MATCH_NOTE, STACKING_NOTE
from . import hint, new_table, paragraph
from .layout import Flow
from .layout import flow



def money_text(amount: Any) -> str:
    from ...awards.money import format_yuan

    return "—" if amount is None else format_yuan(amount)


def match_amount_text(match: Any, detail: bool = True) -> Text:
    from ...awards.amounts import amount_words
    from .estimate import styled_amount

    words = amount_words(match)
    if words is not None:
        return styled_amount(words, style="")
    if match.missing_figures:
        return Text("金额未知，缺少：" + "、".join(_figure_names(match)), style="yellow")
    if match.note:
        return Text(match.note, style="yellow")
    if not detail:
        return Text("无具体金额（支持内容见 --detail）", style="dim")
    return Text("支持内容：" + (match.support or ""), style="dim")


def _figure_names(match: Any) -> list[str]:
    from ...match.profile_file import input_facts

    facts = input_facts(match.policy)
    return [f"{facts[n].label}（{n}）" if n in facts else n for n in match.missing_figures]


def total_lines(result: Any) -> list[Text]:
    lines = [Text(f"合计：{money_text(result.total)}", style="bold")]
    if result.maximum_count:
        lines.append(Text(f"  其中 {result.maximum_count} 项是“最高”金额，按最高额计入，实际可能更少。"))
    if result.unknown_amounts:
        lines.append(Text(f"  另有 {len(result.unknown_amounts)} 项可申请但金额未计入（缺少数据）：{'、'.join(result.unknown_amounts)}。",
                          style="yellow"))
    totals = result.list_totals()
    if len(totals) > 1:
        shown = "；".join(f"{t['list']} 可申请 {t['eligible']} 项 {money_text(t['total'])}" for t in totals)
        lines.append(Text(f"  按清单：{shown}（延续执行的政策在各清单中都计入，合计只计一次；各清单版本不同的，合计按最新清单中可申请的版本计）。"))
    lines.append(Text("  " + STACKING_NOTE, style="dim"))
    return lines


def match_view(result: Any, detail: bool = False) -> Callable[[Console], None]:
    """可申请 and 待确认 in full; 不符合 one line each with what failed, unless `detail`."""
    from ...match.eligibility import ELIGIBLE, INELIGIBLE, STATUS_LABELS, UNCONFIRMED, fact_label

    def draw(console: Console) -> None:
        counts = "，".join(f"{STATUS_LABELS[s]} {result.count(s)} 项" for s in STATUS_LABELS)
        paragraph(console, Text(f"{result.profile.display_name}：{counts}", style="bold"))
        for note in result.notes:
            paragraph(console, Text("注：" + note, style="yellow"))
        console.print()
        columns = {
            ELIGIBLE: ("估算金额", lambda m: match_amount_text(m, detail)),
            UNCONFIRMED: ("还需确认", lambda m: Text("、".join(f"{fact_label(k)}（{k}）" for k in m.missing) or (m.note or ""))),
            INELIGIBLE: ("不符合的条件", lambda m: Text("；".join(f"{f.clause}（{f.detail}）" for f in m.failed))),
        }
        for status, (header, cell) in columns.items():
            group = result.group(status)
            if not group:
                continue
            if status == INELIGIBLE and not detail:
                _one_line_each(console, f"{STATUS_LABELS[status]}（{len(group)} 项）", group)
                continue
            table = new_table(console, f"{STATUS_LABELS[status]}（{len(group)} 项）")
            table.add_column("编号", no_wrap=True)
            table.add_column("标题", give=2)
            table.add_column(header)
            for m in group:
                table.add_row(Text(m.policy.id, style="cyan"), Text(m.policy.title), cell(m))
            console.print(table)
            console.print()
        for line in total_lines(result):
            console.print(flow(line, indent=2 if line.plain.startswith("  ") else 0))
        paragraph(console, Text(MATCH_NOTE, style="dim"))

    return draw


def _one_line_each(console: Console, title: str, group: list[Any]) -> None:
    """`id  what the profile says` on one line per policy, cut with … at the terminal's edge."""
    paragraph(console, Text(title, style="bold"))
    from .tables import STACK_BELOW

    width = max(len(m.policy.id) for m in group)
    for m in group:
        reason = m.failed[0].detail if m.failed else (m.note or "")
        more = f"（另有 {len(m.failed) - 1} 条）" if len(m.failed) > 1 else ""
        if console.width < STACK_BELOW:  # narrow: the id on its line, the reason under it in full
            console.print(Text(m.policy.id, style="cyan"))
            console.print(flow(Text(f"  {reason}{more}"), indent=2))
            continue
        line = Text(m.policy.id.ljust(width), style="cyan")
        line.append(f"  {reason}{more}")
        console.print(line, no_wrap=True, overflow="ellipsis")
    hint(console, "每项不符合的全部条件：加 --detail")
    console.print()


def summary_view(results: list[Any]) -> Callable[[Console], None]:
    def draw(console: Console) -> None:
        table = new_table(console, f"企业政策匹配汇总（{len(results)} 家）")
        table.add_column("企业")
        table.add_column("可申请", justify="right", no_wrap=True)
        table.add_column("待确认", justify="right", no_wrap=True)
        table.add_column("估算合计")
        for r in results:
            total = Text(money_text(r.total))
            if r.maximum_count:
                total.append(f"；含 {r.maximum_count} 项按最高额", style="dim")
            if r.unknown_amounts:
                total.append(f"；另有 {len(r.unknown_amounts)} 项金额未知", style="yellow")
            table.add_row(Text(r.profile.display_name), Text(str(r.count("eligible"))),
                          Text(str(r.count("unconfirmed"))), total)
        console.print(table)
        hint(console, "查看一家企业的明细：", "policy match --profile 档案文件")
        paragraph(console, Text(MATCH_NOTE, style="dim"))

    return draw


# --- interactive questions ---------------------------------------------------------------------


class _Question(Prompt):
    """A Rich prompt whose answer is checked by the core's parser; an empty answer skips."""

    parse: Callable[[str], Any] = staticmethod(lambda text: text)  # type: ignore[assignment]
    listed: tuple[str, ...] = ()  # the choices just shown, numbered, above the question
    several: bool = False  # several may be picked, or none ("无")

    @classmethod
    def get_input(cls, console: Console, prompt: Any, password: bool, stream: Any = None) -> str:
        from .layout import wrap

        *above, last = wrap(prompt, console.width) if isinstance(prompt, Text) and console.width else [prompt]
        for line in above:  # broken by the Chinese rules, the answer typed on the last line
            console.print(line, soft_wrap=True)
        if isinstance(prompt, Text):  # the blank after "：" that wrapping trims
            last.append(prompt.plain[len(prompt.plain.rstrip(" ")):])
        console.print(last, end="", soft_wrap=True)
        line = read_line()
        if not line:
            raise EOFError  # the interview ends the line
        end_answer(console, line)
        return line

    def process_response(self, value: str) -> Any:
        value = value.strip()
        if not value:
            return SKIP
        try:
            return type(self).parse(value)
        except PolicyError as exc:
            from ..wording import lines

            message = lines(exc)[0]
            if self.listed:  # not the whole list again, a screenful below the numbered one
                none = "；都没有就写 无" if self.several else ""
                message = message.replace("应为以下之一：" + "、".join(self.listed),
                                          f"请输入上面列出的编号（1–{len(self.listed)}）或名称{none}")
            raise InvalidResponse(Flow(Text(message, style="red"))) from None  # type: ignore[arg-type]


SKIP = object()


def read_line() -> str:
    """One line of the answers on stdin; "" at the end of input, also when stdin is closed."""
    return sys.stdin.readline() if sys.stdin is not None else ""


def end_answer(console: Console, line: str) -> None:
    """End the question's line where the terminal did not: at the end of input, and for answers
    from a pipe or file, which nobody typed (so no Enter was echoed)."""
    try:
        typed = sys.stdin is not None and sys.stdin.isatty()
    except (AttributeError, ValueError):
        typed = False
    if not line or not typed:
        console.print()


def ask(console: Console, question: Any, parse: Callable[[str], Any]) -> Any:
    """Ask one question; returns the parsed answer, SKIP, or raises EOFError at end of input."""
    from ...match.profile import CHOICE, CHOICES, FLAG

    fact = question.fact
    console.print()
    if question.reason:
        console.print(Flow(Text(f"（用于：{question.reason}）", style="dim")))
    hint = "回车跳过"
    if fact.kind in (CHOICE, CHOICES):
        for i, choice in enumerate(fact.choices, 1):
            console.print(Text(f"  {i}. {choice}"))
        hint = "输入编号或名称，多个用逗号分隔；都没有就写 无 或 0；回车跳过" if fact.kind == CHOICES else "输入编号或名称；回车跳过"
        if fact.several:
            hint = f"输入编号或名称，几种都有就都写上，个数写在后面，如 {fact.choices[0]}×2、{fact.choices[-1]}×1；回车跳过"
    elif fact.kind == FLAG:
        hint = "是 或 否；回车跳过"
    elif fact.kind == "money":
        hint = "如 3000万、30,000,000；回车跳过"
    elif fact.kind == "month":
        hint = "如 2024-03；回车跳过"
    prompt = Text(fact.question, style="bold")
    prompt.append(f"（{hint}）", style="dim")
    listed = tuple(fact.choices) if fact.kind in (CHOICE, CHOICES) else ()
    asker = type("_Ask", (_Question,), {"parse": staticmethod(parse), "listed": listed, "several": fact.kind == CHOICES})
    return asker.ask(prompt, console=console, show_default=False)


def confirm(console: Console, message: str) -> bool:
    """Yes/no on stdin; the end of input counts as no."""
    console.print(Text(message + "（是/否，默认否）", style="bold"), end="", soft_wrap=True)
    line = read_line()
    end_answer(console, line)
    return line.strip().lower() in {"y", "yes", "是", "是的", "覆盖"}


def interview_intro(console: Console) -> None:
    console.print(Flow(Text("逐项回答下列问题；不清楚的直接回车跳过，Ctrl-D 结束提问并查看结果。", style="bold")))

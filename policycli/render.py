"""All output: Rich views for the terminal and json / csv / yaml for machines.

Text from data files and from the user is always wrapped in `rich.text.Text`; the consoles are
created with markup off, so nothing a policy or a query contains is read as Rich markup.
"""
from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console
from rich.prompt import InvalidResponse, Prompt
from rich.table import Table
from rich.text import Text

from . import vcard
from .errors import PolicyError
from .model import Catalog, Office, Policy

if TYPE_CHECKING:
    from .contacts import ContactResult, Entry, Group

FORMATS = ("table", "json", "csv", "yaml")


def make_console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, markup=False, emoji=False, highlight=False, soft_wrap=False)


def plain(console: Console) -> bool:
    """No boxes and no colour: output is not a terminal, or NO_COLOR is set."""
    return not console.is_terminal or bool(os.environ.get("NO_COLOR"))


def new_table(console: Console, title: str | None = None, **kwargs: Any) -> Table:
    table = Table(
        title=Text(title, style="bold") if title else None,
        title_justify="left",
        box=None if plain(console) else box.ROUNDED,
        header_style="bold",
        pad_edge=False,
        **kwargs,
    )
    return table


def error(message: str) -> None:
    """One line on stderr, never parsed as markup."""
    make_console(stderr=True).print(Text(message, style="red"), soft_wrap=True)


def warn(message: str) -> None:
    make_console(stderr=True).print(Text(message, style="yellow"), soft_wrap=True)


# --- machine formats ---------------------------------------------------------------------------


def to_jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def dump_json(data: Any) -> str:
    import json  # only when asked for: keeps the table path light

    return json.dumps(to_jsonable(data), ensure_ascii=False, indent=2)


def dump_yaml(data: Any) -> str:
    import yaml

    return yaml.safe_dump(to_jsonable(data), allow_unicode=True, sort_keys=False, width=1000)


def flatten(value: Any) -> str:
    """A CSV cell: lists joined by '；', nested objects by their values."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return " ".join(flatten(v) for v in value.values() if v not in (None, "", []))
    if isinstance(value, (list, tuple)):
        return "；".join(flatten(v) for v in value)
    return str(to_jsonable(value))


def dump_csv(rows: Iterable[dict[str, Any]]) -> str:
    """CSV with a UTF-8 BOM so that Excel opens the Chinese text correctly."""
    import csv

    rows = list(rows)
    buffer = io.StringIO()
    buffer.write("\ufeff")
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\r\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: flatten(v) for k, v in row.items()})
    return buffer.getvalue()


def emit(
    fmt: str,
    data: Any,
    table: Callable[[Console], None],
    csv_rows: Callable[[], Iterable[dict[str, Any]]] | None = None,
    writers: dict[str, Callable[[], str]] | None = None,
) -> None:
    """The one format switch every command goes through; `writers` adds a command's own formats
    (e.g. vcard for contacts)."""
    if fmt == "table":
        table(make_console())
        return
    if writers and fmt in writers:
        text = writers[fmt]()
    elif fmt == "json":
        text = dump_json(data) + "\n"
    elif fmt == "yaml":
        text = dump_yaml(data)
    elif fmt == "csv":
        rows = csv_rows() if csv_rows else (data if isinstance(data, list) else [data])
        text = dump_csv(rows)
    else:  # pragma: no cover - the CLI only passes known formats
        raise ValueError(fmt)
    write_out(text)


def write_out(text: str) -> None:
    """UTF-8 bytes as they are: CSV and vCard line ends stay CRLF on every platform."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text)
    else:
        buffer.write(text.encode("utf-8"))
        buffer.flush()
    sys.stdout.flush()


# --- shared pieces -----------------------------------------------------------------------------


def phone_text(office: Office, console: Console) -> Text:
    """The phone as published; clickable (tel:) on a terminal."""
    style = ""
    if console.is_terminal:
        style = "link tel:" + "".join(ch for ch in office.phone if ch.isdigit())
    text = Text(office.phone, style=style)
    if office.note:
        text.append("（需核实）", style="yellow")
    return text


def offices_text(policy: Policy) -> Text:
    return Text("、".join(o.name for o in policy.offices))


def policy_csv_row(policy: Policy) -> dict[str, Any]:
    return {
        "id": policy.id,
        "ref": policy.ref,
        "part": policy.part,
        "section": policy.section or "",
        "number": policy.number,
        "title": policy.title,
        "lead_units": list(policy.lead_units),
        "offices": [o.name for o in policy.offices],
        "contacts": [o.contact for o in policy.offices],
        "phones": [o.phone for o in policy.offices],
        "keywords": list(policy.keywords),
        "notes": list(policy.notes) + [o.note for o in policy.offices if o.note],
        "content": policy.content,
    }


# --- policy list / show ------------------------------------------------------------------------


def policy_groups(catalog: Catalog, policies: list[Policy]) -> list[tuple[str, list[Policy]]]:
    """Policies grouped by part and section, in list order, with a heading for each group."""
    numerals = "一二三四五六七八九十"
    groups: list[tuple[str, list[Policy]]] = []
    for part in catalog.parts:
        in_part = [p for p in policies if p.part == part.number]
        if not part.sections:
            if in_part:
                groups.append((part.label, in_part))
            continue
        for i, section in enumerate(part.sections):
            in_section = [p for p in in_part if p.section == section]
            if in_section:
                groups.append((f"{part.label} ·（{numerals[i]}）{section}", in_section))
    return groups


def list_view(catalog: Catalog, policies: list[Policy], extra: Callable[[Policy], Text] | None = None) -> Callable[[Console], None]:
    def draw(console: Console) -> None:
        for heading, group in policy_groups(catalog, policies):
            table = new_table(console, heading)
            table.add_column("序号", justify="right", no_wrap=True)
            table.add_column("编号", no_wrap=True)
            table.add_column("标题", ratio=3, overflow="fold")
            table.add_column("责任科室", ratio=2, overflow="fold")
            if extra:
                table.add_column("最高额度", ratio=2, overflow="fold")
            for p in group:
                row = [Text(str(p.number)), Text(p.id, style="cyan"), Text(p.title), offices_text(p)]
                if extra:
                    row.append(extra(p))
                table.add_row(*row)
            console.print(table)
            console.print()
        console.print(Text(f"共 {len(policies)} 项。查看全文：policy show 编号", style="dim"))

    return draw


def detail_view(catalog: Catalog, policy: Policy) -> Callable[[Console], None]:
    def draw(console: Console) -> None:
        part = catalog.part(policy.part)
        console.print(Text(f"{policy.title}", style="bold"))
        facts = Table.grid(padding=(0, 2))
        facts.add_column(style="bold", no_wrap=True)
        facts.add_column(overflow="fold")
        facts.add_row(Text("编号"), Text(policy.id, style="cyan"))
        where = f"{part.label}，第 {policy.number} 项" if part else f"第 {policy.number} 项"
        facts.add_row(Text("序号"), Text(where))
        if policy.section:
            facts.add_row(Text("所属"), Text(policy.section))
        facts.add_row(Text("牵头单位"), Text("、".join(policy.lead_units)))
        for office in policy.offices:
            line = Text(f"{office.name}  {office.contact}  ")
            line.append_text(phone_text(office, console))
            facts.add_row(Text("责任科室"), line)
            if office.note:
                facts.add_row(Text(""), Text(office.note, style="yellow"))
        if policy.keywords:
            facts.add_row(Text("关键词"), Text("、".join(policy.keywords), style="dim"))
        for note in policy.notes:
            facts.add_row(Text("备注"), Text(note, style="yellow"))
        console.print(facts)
        console.print()
        console.print(Text("政策原文", style="bold"))
        console.print(Text(policy.content))

    return draw


def validate_view(path: str, count: int, warnings: list[str]) -> Callable[[Console], None]:
    def draw(console: Console) -> None:
        for line in warnings:
            console.print(Text("警告：" + line, style="yellow"), soft_wrap=True)
        console.print(Text(f"{path}: 数据有效，共 {count} 项政策。", style="green"), soft_wrap=True)

    return draw


# --- policy contacts ---------------------------------------------------------------------------

_MATCHED_BY = {"office": "科室", "person": "联系人", "unit": "牵头单位", "policy": "政策"}


def contacts_view(result: ContactResult) -> Callable[[Console], None]:
    """Offices to call, as one table, or one per lead unit / policy with what it concerns."""

    def draw(console: Console) -> None:
        if result.approximate:
            console.print(Text(f"没有与“{result.query}”完全一致的结果，以下为近似匹配。", style="yellow"))
        if result.by in ("unit", "policy"):
            for group in result.groups:
                console.print(contacts_table(console, _group_heading(group), group.entries))
                console.print()
        else:
            entries = [e for g in result.groups for e in g.entries]
            console.print(contacts_table(console, _directory_heading(result, len(entries)), entries))
            console.print()
        console.print(Text("政策全文：policy show 编号；存入通讯录：policy contacts --format vcard > 联系人.vcf", style="dim"))

    return draw


def _directory_heading(result: ContactResult, count: int) -> str:
    if result.by is None:
        return f"{result.organisation} 责任科室联系人（{count} 个科室）"
    keys = "、".join(g.key for g in result.groups)
    return f"{_MATCHED_BY[result.by]}：{keys}"


def _group_heading(group: Group) -> str:
    if group.by == "unit":
        return f"牵头单位：{group.key}（牵头 {len(group.policies)} 项政策）"
    policy = group.policies[0]
    units = "、".join(dict.fromkeys(u for e in group.entries for u in e.lead_units))
    return f"政策 {policy.label} {policy.id} {policy.title}（牵头单位：{units}）"


def contacts_table(console: Console, title: str, entries: list[Entry] | tuple[Entry, ...]) -> Table:
    # Fixed width (at most 100 columns) so the ratios share it out; the phone column is as wide as
    # the longest number, so a marker such as （需核实） goes to the next line, never the number.
    table = new_table(console, title, leading=1, width=min(console.width, 100))
    table.add_column("科室", ratio=2, overflow="fold")
    table.add_column("联系人", no_wrap=True)
    table.add_column("电话", width=max((len(e.office.phone) for e in entries), default=13), overflow="fold")
    table.add_column("负责政策", ratio=5, overflow="fold")
    for i, entry in enumerate(entries):
        if i and plain(console):
            table.add_row()  # without a box, `leading` draws nothing: keep offices apart
        handled = Text("\n".join(f"{p.id} {p.title}" for p in entry.policies))
        if entry.office.note:
            handled.append("\n" + entry.office.note, style="yellow")
        table.add_row(Text(entry.office.name), Text(entry.office.contact), phone_text(entry.office, console), handled)
    return table


def contacts_vcard(result: ContactResult) -> str:
    """One vCard 3.0 per office: the person, the bureau and office, the work phone, and a note
    listing the policies handled and any verification note."""
    cards = []
    for entry in result.cards():
        office = entry.office
        note = ["负责政策：" + "；".join(f"{p.label} {p.title}（{p.id}）" for p in entry.policies)]
        if entry.lead_units:
            note.append("牵头单位：" + "、".join(entry.lead_units))
        if office.note:
            note.append(office.note)
        cards.append(vcard.card([
            ("N", vcard.structured(*vcard.split_name(office.contact), "", "", "")),
            ("FN", vcard.escape(office.contact)),
            ("ORG", vcard.structured(result.organisation, office.name)),
            ("TEL;TYPE=WORK,VOICE", vcard.escape(office.phone)),
            ("NOTE", vcard.escape("\n".join(note))),
        ]))
    return "".join(cards)


# --- policy estimate -------------------------------------------------------------------------

ESTIMATE_DISCLAIMER = "以上为按政策原文的估算，不是承诺；能否获得支持及最终金额以主管部门审核为准。"


def max_award_cell(policy: Policy) -> Text:
    """The 最高额度 cell of `policy list`."""
    from .award_rules import ceiling_text

    return Text(ceiling_text(policy))


def _facts(rows: list[tuple[str, Text]]) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for label, value in rows:
        grid.add_row(Text(label), value)
    return grid


def _heading(console: Console, title: str) -> None:
    console.print()
    console.print(Text(title, style="bold"))


def amount_text(result: Any) -> Text:
    """The final amount with what kind of figure it is."""
    from .money import format_yuan

    if result.amount is None:
        return Text("无具体金额" if result.support else "—", style="bold")
    text = Text(("约 " if result.approximate else "最高 " if result.is_maximum else "") + format_yuan(result.amount),
                style="bold green")
    if result.cap_reached:
        text.append("（已达上限）", style="yellow")
    if result.discretionary:
        text.append("（可视情给予）", style="yellow")
    return text


def estimate_view(policy: Policy, result: Any) -> Callable[[Console], None]:
    def draw(console: Console) -> None:
        console.print(Text(f"{policy.title}（{policy.id}）奖补估算", style="bold"))
        if result.inputs:
            _heading(console, "输入")
            console.print(_facts([(s.label, Text(s.value)) for s in result.inputs]))
        if result.steps:
            _heading(console, "计算")
            console.print(_facts([(s.label, Text(s.value)) for s in result.steps]))
        _heading(console, "结果")
        rows = [("估算金额", amount_text(result))]
        if result.support:
            rows.append(("支持内容", Text(result.support)))
        console.print(_facts(rows))
        for note in result.notes:
            console.print(Text("注：" + note, style="yellow"))
        if result.clauses:
            _heading(console, "政策依据（原文）")
            for clause in result.clauses:
                console.print(Text(f"“{clause}”"))
        if result.conditions:
            _heading(console, "申请条件（原文）")
            for clause in result.conditions:
                console.print(Text(f"· {clause}"))
        _heading(console, "咨询")
        for office in policy.offices:
            line = Text(f"{office.name}  {office.contact}  ")
            line.append_text(phone_text(office, console))
            console.print(line)
        console.print()
        console.print(Text(ESTIMATE_DISCLAIMER, style="dim"))

    return draw


def estimate_data(policy: Policy, result: Any) -> dict[str, Any]:
    """json / yaml: the estimate with the policy's title and offices."""
    data = result.to_jsonable()
    return {"id": data.pop("id"), "title": policy.title, **data,
            "offices": [o.to_dict() for o in policy.offices], "disclaimer": ESTIMATE_DISCLAIMER}


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
    keys = f"（{'|'.join(item.keys)}）" if item.keys else ""
    return f"{'*' if item.required else ''}{item.option} {item.label}{keys}"


def estimable_view(rows: list[Any]) -> Callable[[Console], None]:
    """`policy estimate` without an id: each policy with its ceiling and the inputs it takes."""

    def draw(console: Console) -> None:
        table = new_table(console, "可估算的政策")
        table.add_column("编号", no_wrap=True)
        table.add_column("标题", ratio=2, overflow="fold")
        table.add_column("最高额度", ratio=1, overflow="fold")
        table.add_column("输入（* 为必填）", ratio=3, overflow="fold")
        for row in rows:
            if row.monetary:
                needs = "\n".join(_input_brief(s) for s in row.inputs) or "无需输入"
            else:
                needs = "非资金支持，无需输入"
            table.add_row(Text(row.policy.id, style="cyan"), Text(row.policy.title), Text(row.ceiling_text), Text(needs))
        console.print(table)
        console.print()
        console.print(Text("估算：policy estimate 编号 [选项]，如 policy estimate techretrofit --invest 3000万", style="dim"))

    return draw


# --- policy match ------------------------------------------------------------------------------

MATCH_NOTE = "以上为估算：是否符合条件和最终金额以主管部门审核为准。"
STACKING_NOTE = "每项政策只计一个金额：同一政策的不同档次互斥、只计所给档次；技术改造的一般项目与重大技改项目只计一次。"


def money_text(amount: Any) -> str:
    from .money import format_yuan

    return "—" if amount is None else format_yuan(amount)


def match_amount_text(match: Any) -> Text:
    if match.amount is not None:
        prefix = "最高 " if match.is_maximum else "约 " if match.approximate else ""
        text = Text(prefix + money_text(match.amount))
        if match.cap_reached:
            text.append("，已达上限", style="yellow")
        if match.discretionary:
            text.append("，视情支持", style="yellow")
        return text
    if match.missing_figures:
        return Text("金额未知，缺少：" + "、".join(_figure_names(match)), style="yellow")
    if match.note:
        return Text(match.note, style="yellow")
    return Text("非资金支持：" + (match.support or ""), style="dim")


def _figure_names(match: Any) -> list[str]:
    from .profile_file import input_facts

    facts = input_facts(match.policy)
    return [f"{facts[n].label}（{n}）" if n in facts else n for n in match.missing_figures]


def total_lines(result: Any) -> list[Text]:
    lines = [Text(f"合计：{money_text(result.total)}", style="bold")]
    if result.maximum_count:
        lines.append(Text(f"  其中 {result.maximum_count} 项是“最高”金额，按最高额计入，实际可能更少。"))
    if result.unknown_amounts:
        lines.append(Text(f"  另有 {len(result.unknown_amounts)} 项可申请但金额未计入（缺少数据）：{'、'.join(result.unknown_amounts)}。",
                          style="yellow"))
    lines.append(Text("  " + STACKING_NOTE, style="dim"))
    return lines


def match_view(result: Any) -> Callable[[Console], None]:
    from .eligibility import ELIGIBLE, INELIGIBLE, STATUS_LABELS, UNCONFIRMED, fact_label

    def draw(console: Console) -> None:
        counts = "，".join(f"{STATUS_LABELS[s]} {result.count(s)} 项" for s in STATUS_LABELS)
        console.print(Text(f"{result.profile.display_name}：{counts}", style="bold"))
        console.print()
        columns = {
            ELIGIBLE: ("估算金额", lambda m: match_amount_text(m)),
            UNCONFIRMED: ("还需确认", lambda m: Text("、".join(f"{fact_label(k)}（{k}）" for k in m.missing) or (m.note or ""))),
            INELIGIBLE: ("不符合的条件", lambda m: Text("；".join(f"{f.clause}（{f.detail}）" for f in m.failed))),
        }
        for status, (header, cell) in columns.items():
            group = result.group(status)
            if not group:
                continue
            table = new_table(console, f"{STATUS_LABELS[status]}（{len(group)} 项）")
            table.add_column("编号", no_wrap=True)
            table.add_column("标题", ratio=2, overflow="fold")
            table.add_column(header, ratio=3, overflow="fold")
            for m in group:
                table.add_row(Text(m.policy.id, style="cyan"), Text(m.policy.title), cell(m))
            console.print(table)
            console.print()
        for line in total_lines(result):
            console.print(line)
        console.print(Text(MATCH_NOTE, style="dim"))

    return draw


def match_rows(result: Any) -> list[dict[str, Any]]:
    return [{"name": result.profile.display_name, **m.to_dict()} for m in result.matches]


def summary_view(results: list[Any]) -> Callable[[Console], None]:
    def draw(console: Console) -> None:
        table = new_table(console, f"企业政策匹配汇总（{len(results)} 家）")
        table.add_column("企业", ratio=2, overflow="fold")
        table.add_column("可申请", justify="right", no_wrap=True)
        table.add_column("待确认", justify="right", no_wrap=True)
        table.add_column("估算合计", ratio=2, overflow="fold")
        for r in results:
            total = Text(money_text(r.total))
            if r.maximum_count:
                total.append(f"（含 {r.maximum_count} 项按最高额）", style="dim")
            if r.unknown_amounts:
                total.append(f"（另有 {len(r.unknown_amounts)} 项金额未知）", style="yellow")
            table.add_row(Text(r.profile.display_name), Text(str(r.count("eligible"))),
                          Text(str(r.count("unconfirmed"))), total)
        console.print(table)
        console.print(Text("查看一家企业的明细：policy match --profile 档案文件", style="dim"))
        console.print(Text(MATCH_NOTE, style="dim"))

    return draw


# --- interactive questions ---------------------------------------------------------------------


class _Question(Prompt):
    """A Rich prompt whose answer is checked by the core's parser; an empty answer skips."""

    parse: Callable[[str], Any] = staticmethod(lambda text: text)  # type: ignore[assignment]

    @classmethod
    def get_input(cls, console: Console, prompt: Any, password: bool, stream: Any = None) -> str:
        console.print(prompt, end="")
        line = sys.stdin.readline()
        if not line:
            raise EOFError
        return line

    def process_response(self, value: str) -> Any:
        value = value.strip()
        if not value:
            return SKIP
        try:
            return type(self).parse(value)
        except PolicyError as exc:
            raise InvalidResponse(Text(exc.lines[0], style="red")) from None


SKIP = object()


def ask(console: Console, question: Any, parse: Callable[[str], Any]) -> Any:
    """Ask one question; returns the parsed answer, SKIP, or raises EOFError at end of input."""
    from .profile import CHOICE, CHOICES, FLAG

    fact = question.fact
    console.print()
    if question.reason:
        console.print(Text(f"（用于：{question.reason}）", style="dim"), soft_wrap=True)
    hint = "回车跳过"
    if fact.kind in (CHOICE, CHOICES):
        for i, choice in enumerate(fact.choices, 1):
            console.print(Text(f"  {i}. {choice}"))
        hint = "输入编号或名称，多个用逗号分隔，都没有输入 0；回车跳过" if fact.kind == CHOICES else "输入编号或名称；回车跳过"
    elif fact.kind == FLAG:
        hint = "是/否，回车跳过"
    elif fact.kind == "money":
        hint = "如 3000万、30,000,000；回车跳过"
    elif fact.kind == "month":
        hint = "如 2024-03；回车跳过"
    prompt = Text(fact.question, style="bold")
    prompt.append(f"（{hint}）", style="dim")
    asker = type("_Ask", (_Question,), {"parse": staticmethod(parse)})
    return asker.ask(prompt, console=console, show_default=False)


def confirm(console: Console, message: str) -> bool:
    """Yes/no on stdin; the end of input counts as no."""
    console.print(Text(message + "（是/否，默认否）", style="bold"), end="")
    line = sys.stdin.readline()
    return line.strip().lower() in {"y", "yes", "是", "是的", "覆盖"}


def interview_intro(console: Console) -> None:
    console.print(Text("逐项回答下列问题；不清楚的直接回车跳过，Ctrl-D 结束提问并查看结果。", style="bold"), soft_wrap=True)


# --- policy search -----------------------------------------------------------------------------


def search_view(result: Any) -> Callable[[Console], None]:
    """Ranked results: rank, id, title over section, a snippet with the matched characters
    highlighted, and the office to call with its phone."""

    def draw(console: Console) -> None:
        table = new_table(console, f"搜索“{result.query}”：{result.total} 项", expand=True)
        table.add_column("排名", justify="right", no_wrap=True)
        table.add_column("编号", no_wrap=True)
        table.add_column("标题", ratio=2, overflow="fold")  # with the section under it
        table.add_column("摘要", ratio=3, overflow="fold")
        # a phone (13 characters) stays on one line, also at 60 columns
        narrow = {"width": 13} if console.width < 90 else {"ratio": 2, "min_width": 13}
        table.add_column("联系科室", overflow="fold", **narrow)
        for rank, hit in enumerate(result.hits, 1):
            policy = hit.policy
            contact = Text()
            for office in policy.offices:
                if contact:
                    contact.append("\n")
                contact.append(f"{office.name}\n{office.contact} ")
                contact.append_text(phone_text(office, console))
            title = Text(policy.title)
            title.append("\n" + (policy.section or "2023年延续执行"), style="dim")
            table.add_row(Text(str(rank)), Text(policy.id, style="cyan"), title, snippet_text(hit), contact)
        console.print(table)
        shown = len(result.hits)
        more = f"，显示前 {shown} 项（用 --limit 显示更多）" if result.total > shown else ""
        console.print(Text(f"共 {result.total} 项{more}。查看全文：policy show 编号", style="dim"))

    return draw


def snippet_text(hit: Any) -> Text:
    """The hit's snippet with the matched characters highlighted (as styles, never markup)."""
    piece, spans = hit.snippet()
    text = Text(piece)
    for start, end in spans:
        text.stylize("bold reverse", start, end)
    return text


def search_csv_rows(result: Any) -> list[dict[str, Any]]:
    rows = []
    for rank, hit in enumerate(result.hits, 1):
        row = {"rank": rank, "score": round(hit.score, 3)}
        row.update(policy_csv_row(hit.policy))
        row["matched"] = [f"{m.field}:{m.text}" for m in hit.matches]
        rows.append(row)
    return rows


def progress_callback(label: str, minimum: int = 200) -> Any:
    """A context manager giving a `callback(done, total)` that draws a progress bar on stderr.

    Nothing is drawn unless stderr is a terminal and the job has at least `minimum` steps.
    """
    from contextlib import contextmanager

    @contextmanager
    def manager():
        console = make_console(stderr=True)
        state: dict[str, Any] = {}

        def callback(done: int, total: int) -> None:
            if not console.is_terminal or total < minimum:
                return
            if "bar" not in state:
                from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

                bar = Progress(TextColumn("{task.description}", markup=False), BarColumn(), TaskProgressColumn(),
                               TimeRemainingColumn(), console=console, transient=True)
                bar.start()
                state["bar"] = bar
                state["task"] = bar.add_task(label, total=total)
            state["bar"].update(state["task"], completed=done)

        try:
            yield callback
        finally:
            if "bar" in state:
                state["bar"].stop()

    return manager()

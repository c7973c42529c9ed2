"""Views of `policy import` (its report) and `policy diff`."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.text import Text

from ...dataset.model import Policy
from . import facts_grid, new_table, paragraph

CONTEXT = 12  # characters of unchanged text kept on each side of a change

FIELD_LABELS = {"title": "标题", "amounts": "金额", "lead_units": "牵头单位", "offices": "责任科室", "contacts": "联系人",
                "phones": "电话", "notes": "备注", "award": "奖补规则", "conditions": "申请条件", "content": "原文"}
LIST_LABELS = {"title": "清单标题", "region": "地区", "year": "年份", "batch": "批次", "area_code": "区号",
               "source": "来源"}


def import_found(draft: Any) -> list[str]:
    """What the import read, so a person sees at once whether it read the list right: the
    columns recognised, the items in each part, the text before the list that was left out."""
    from ...dataset.model import PART_NUMERALS
    from ...lists.columns import LABELS

    lines = []
    for columns in draft.columns:
        if columns.inferred:
            named = "、".join(f"第{i + 1}栏→{LABELS[f]}" for i, f in enumerate(columns.fields) if f)
            lines.append(f"表格没有表头，按内容推断各栏：{named}；请核对")
        else:
            named = "、".join(f"{n}→{LABELS[f]}" if f else f"{n}→记入 notes" for n, f in zip(columns.names, columns.fields))
            lines.append(f"识别的表头：{named}")
    lines = list(dict.fromkeys(lines))
    counts = [(p, sum(1 for i in draft.items if i.part == p.number)) for p in draft.parts]
    parts = "；".join(f"{PART_NUMERALS.get(p.number, p.number)}、{p.name or '（无部分标题）'} {n} 项" for p, n in counts)
    lines.append(f"找到 {len(draft.items)} 项政策：{parts}")
    if draft.unplaced:
        first, last = draft.unplaced[0], draft.unplaced[-1]
        where = f"第 {first} 行" if first == last else f"第 {first}–{last} 行"
        lines.append(f"清单之前的 {len(draft.unplaced)} 段文字（{where}，如通知正文、落款）未导入")
    return lines


def import_summary(output: str, policies: int, offices: int, problems: int) -> str:
    found = f"发现 {problems} 处需要核实（见上，草稿照原文记录，未作改动）" if problems else "未发现问题"
    return f"已写入草稿 {output}：{policies} 项政策，{offices} 个科室；{found}。下一步：policy validate {output}"


def _ref(p: Policy) -> str:
    return p.label


def diff_view(result: Any) -> Callable[[Console], None]:
    def draw(console: Console) -> None:
        changed = [c for c in result.continued if c.changed]
        console.print(Text(f"比较 {result.old_path} → {result.new_path}", style="bold"), soft_wrap=True)
        paragraph(console, Text(f"新增 {len(result.added)} 项，取消 {len(result.removed)} 项，"
                                f"延续 {len(result.continued)} 项（其中 {len(changed)} 项有变化）"))
        if result.changes:
            console.print(Text("清单信息有变化", style="bold"))
            console.print(facts_grid([(LIST_LABELS.get(name, name), Text(f"{old or '—'} → {new or '—'}"))
                                      for name, (old, new) in result.changes.items()]))
        for heading, policies in (("新增", result.added), ("取消", result.removed)):
            if not policies:
                continue
            console.print()
            table = new_table(console, f"{heading}（{len(policies)} 项）")
            table.add_column("序号", no_wrap=True)
            table.add_column("编号", no_wrap=True)
            table.add_column("标题", overflow="fold")
            for p in policies:
                table.add_row(Text(_ref(p)), Text(p.id, style="cyan"), Text(p.title))
            console.print(table)
        if changed:
            console.print()
            console.print(Text(f"有变化的延续政策（{len(changed)} 项）", style="bold"))
        for c in changed:
            console.print()
            moved = f"{_ref(c.old)} {c.old.id} → {_ref(c.new)} {c.new.id}"
            paragraph(console, Text(f"{c.old.title}（{moved}，原文相似度 {c.similarity:.0f}%）", style="bold"))
            rows = []
            for name, (old, new) in c.changes.items():
                if name == "content":
                    rows.append((FIELD_LABELS[name], word_diff_text(c.text)))
                else:
                    rows.append((FIELD_LABELS.get(name, name), Text(f"{'、'.join(old) or '—'} → {'、'.join(new) or '—'}")))
            console.print(facts_grid(rows))
        if not (result.added or result.removed or changed):
            console.print(Text("两份数据的政策相同，没有变化。", style="green"))

    return draw


def word_diff_text(segments: Any) -> Text:
    """The changes in the text: deletions as [-…-], insertions as {+…+} (also coloured on a
    terminal), unchanged runs shortened to the words around the changes."""
    text = Text()
    last = len(segments) - 1
    for i, s in enumerate(segments):
        if s.op == "equal":
            run = s.old
            if i == 0 and len(run) > CONTEXT:
                run = "…" + run[-CONTEXT:]
            elif i == last and len(run) > CONTEXT:
                run = run[:CONTEXT] + "…"
            elif 0 < i < last and len(run) > 2 * CONTEXT + 1:
                run = run[:CONTEXT] + "…" + run[-CONTEXT:]
            text.append(run)
            continue
        if s.old:
            text.append(f"[-{s.old}-]", style="red")
        if s.new:
            text.append(f"{{+{s.new}+}}", style="green")
    return text

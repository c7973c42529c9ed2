"""The last step of reading a list: its title, region, year and batch (from the document, else
the file name, else left empty and said), the units a heading names for the items under it, the
contacts paired and checked, numbers that start again in each section, and drafted ids and
short titles for a person to confirm."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .checks import contacts, list_problems
from .items import Draft, Item
from .prose import metadata, title_of

if TYPE_CHECKING:
    from .columns import Columns

TITLE_DRAFT = 20  # the dataset's limit for a title
WHAT = {"year": "年份", "batch": "批次", "region": "所属地区"}


def finish(source: str, reader, tables: list[Columns]) -> Draft:
    name = source.replace("\\", "/").rsplit("/", 1)[-1]
    front = [row.single for row in reader.front if row.single]
    title = title_of(front)
    notices: list[str] = []
    if not title:
        title = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", name)
        notices.append(f"{source}: 清单中没有找到标题，草稿用文件名“{title}”作标题（draft 中已标出），请改为清单的正式标题")
    found = metadata(title, "\n".join(front), name)
    for key, (value, origin) in found.items():
        if not value:
            notices.append(f"{source}: 清单和文件名中都没有找到{WHAT[key]}，草稿中留空（draft 中已标出），请填写 {key}")
        elif origin != "title":
            where = "文件名" if origin == "file" else "清单前的通知或日期"
            notices.append(f"{source}: {WHAT[key]}“{value}”取自{where}（标题中没有），请核实")
    _inherit_leads(reader)
    notices += _renumber(source, reader.items)
    area_code, problems, more = contacts(source, reader.items)
    notices += more
    problems = reader.problems + problems + list_problems(source, reader.items, area_code) + _cut_off(source, reader.items)
    problems.sort(key=_line_of)
    _draft_names(reader.items)
    year = found["year"][0]
    return Draft(
        source=source, title=title, region=found["region"][0], year=int(year) if year else None,
        batch=found["batch"][0], area_code=area_code, parts=reader.parts, items=reader.items,
        problems=problems, notices=notices, columns=tables,
        unplaced=[row.line for row in reader.front if row.single and row.single not in title
                  and not re.match(r"附件\s*\d*\s*[:：]?$", row.single)],
    )


def _cut_off(source: str, items: list[Item]) -> list[str]:
    """The last item, when its text stops mid-sentence (the end of the list lost in copying)."""
    last = items[-1]
    text = last.content.rstrip()
    if len(text) > 15 and re.search(r"[\u3400-\u9fff，、：:；;,（(]$", text):
        return [f"{source}:{last.line}: 最后一项（第 {last.number} 项）的内容没有写完就结束了（“…{text[-12:]}”），可能被截断；"
                "草稿照录，请与原文核对"]
    return []


def _line_of(problem: str) -> int:
    match = re.search(r":(\d+): ", problem)
    return int(match.group(1)) if match else 0


def _inherit_leads(reader) -> None:
    """An item without lead units of its own has those its part's heading names (`（区科技局牵头）`)."""
    by_part = {p.number: p for p in reader.parts}
    for item in reader.items:
        part = by_part.get(item.part)
        if not item.lead_units and part is not None and part.lead_units:
            item.lead_units = list(part.lead_units)
            item.lead_line = part.line


def _renumber(source: str, items: list[Item]) -> list[str]:
    """Numbers that start again under each section repeat within a part, which a dataset cannot
    hold: such items are numbered on through the part, the printed number kept in notes."""
    seen: dict[tuple[int, int], str | None] = {}
    restarts = False
    for item in items:
        key = (item.part, item.number)
        if key in seen and seen[key] != item.section:
            restarts = True
        seen.setdefault(key, item.section)
    if not restarts:
        return []
    counts: dict[int, int] = {}
    for item in items:
        counts[item.part] = counts.get(item.part, 0) + 1
        item.notes.append(f"原文序号：{item.section + ' ' if item.section else ''}{item.number}")
        item.number = counts[item.part]
    return [f"{source}: 清单各节的序号从 1 重新开始，草稿按部分连续编号，原文序号记在每项的 notes 中"]


def _draft_names(items: list[Item]) -> None:
    """Draft ids (draft-PART-NUMBER) and short titles (the list's own, else the content's first
    phrase) for a person to confirm."""
    taken: set[str] = set()
    for item in items:
        base = f"draft-{item.part}-{item.number}"
        pid, n = base, 1
        while pid in taken:
            n += 1
            pid = f"{base}-{n}"
        taken.add(pid)
        item.id = pid
        own = " ".join(item.title.split())
        first = own or re.split(r"[，。；：,;:\n]", item.content, maxsplit=1)[0].strip() or f"第{item.number}项"
        item.title = _shortened(first)


def _shortened(title: str) -> str:
    """A title within the dataset's limit: cut at the last 、 that keeps a readable piece, else
    after the last whole word of two or more characters that fits, marked with … so nobody takes it for the list's own."""
    if len(title) <= TITLE_DRAFT:
        return title
    cut = title.rfind("、", 0, TITLE_DRAFT)
    if cut >= 8:
        return title[:cut]
    import rjieba

    end = at = 0
    for word in rjieba.cut(title):
        at += len(word)
        if at > TITLE_DRAFT - 1:
            break
        if len(word) > 1:  # not after a lone 无, 以, 对 left hanging
            end = at
    return title[: end if end >= 8 else TITLE_DRAFT - 1] + "…"

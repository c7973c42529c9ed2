"""Views of `policy search`: ranked hits with highlighted snippets, and their CSV rows."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.text import Text

from . import hint, new_table, phone_text, policy_csv_row


def search_view(result: Any, catalog: Any, prepare: str = "policy lists prepare") -> Callable[[Console], None]:
    """Ranked results: rank, id, title over section or its list's part name (and its list, when the
    catalog has several), a snippet with the matched characters highlighted, and the office to call
    with its phone; when the semantic pass compared only part of the policies, how many it left
    and the command (`prepare`) that compares them all."""
    several = catalog.several

    def draw(console: Console) -> None:
        table = new_table(console, f"搜索“{result.query}”：{result.total} 项", expand=True)
        table.add_column("排名", justify="right", no_wrap=True)
        table.add_column("编号", no_wrap=True)
        table.add_column("标题", ratio=2, overflow="fold")  # with the section under it
        table.add_column("摘要", ratio=3, overflow="fold", prose=True)
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
            if hit.approximate:
                title.append(f"（{APPROXIMATE}）", style="yellow")
            if hit.english:
                title.append("\n" + hit.english[0], style="italic")
            part = catalog.part_of(policy)
            placed = policy.section or (part.name if part is not None else "")
            if placed:
                title.append("\n" + placed, style="dim")
            if several:
                title.append("".join(f"\n{name}" for name in policy.lists), style="dim")  # a name never broken
            found_by = Text(f"{rank}\n")
            found_by.append(SIGNAL_LABELS.get(hit.signal, ""), style="dim")
            table.add_row(found_by, Text(policy.id, style="cyan"), title, snippet_text(hit), contact)
        console.print(table)
        shown = len(result.hits)
        more = f"，显示前 {shown} 项（用 --limit 显示更多）" if result.total > shown else ""
        console.print(Text(f"共 {result.total} 项{more}。查看全文：policy show 编号", style="dim"))
        for note in notes(result):
            console.print(Text(note, style="dim"))
        if result.pending:
            from ...search.results import pending_note

            hint(console, f"{pending_note(result.pending)}（每次搜索接着比较一部分）。一次算完（政策多时需要较长时间）：",
                 prepare)

    return draw


APPROXIMATE = "近似"
# What found a result, in two characters under its rank (JSON: "signal").
SIGNAL_LABELS = {"official": "原文", "related": "相关", "english": "英文", "pinyin": "拼音", "sound": "同音",
                 "recall": "部分", "translated": "译词", "semantic": "语义"}


def notes(result: Any) -> list[str]:
    """What the reader of the table should know: answers the list does not give, approximate
    matches, translations that are not official."""
    from ...search.results import ASK_THE_OFFICE

    out = []
    if result.procedure:
        out.append(ASK_THE_OFFICE + "（见“联系科室”列）。")
    partial = [h for h in result.hits if h.hinges]
    if partial:
        used = "、".join(dict.fromkeys(w for h in partial for w in h.hinges))
        out.append(f"没有与整句相符的政策；标“{APPROXIMATE}”的结果只按其中的部分词语（{used}）找到，"
                   "其余词语政策中没有，请核对。")
    elif any(h.translated for h in result.hits):
        out.append(f"标“{APPROXIMATE}”的结果是把查询按我们整理的韩文、日文词表译成中文后找到的，请核对。")
    elif any(h.approximate and not h.semantic for h in result.hits):  # (语义 has a note of its own)
        out.append(f"标“{APPROXIMATE}”的结果不是按所输入的词找到的，而是按同音、错字或相关说法找到的，请核对。")
    if any(h.semantic for h in result.hits):
        out.append("标“语义”的结果是按意思相近找到的（没有相符的词语），请核对。")
    if any(h.english for h in result.hits):
        out.append("English titles and summaries are our unofficial translation; the Chinese text is authoritative. "
                   "英文标题和摘要为非官方译文，以中文原文为准。")
    return out


def snippet_text(hit: Any) -> Text:
    """The hit's snippet with the matched characters highlighted (as styles, never markup); for
    an English query, our English summary, marked as unofficial."""
    if hit.english:  # whole: a summary cut off in mid-sentence tells the reader less than the title
        text = Text(hit.english[1])
        text.append("（非官方译文）", style="dim")
        return text
    piece, spans = hit.snippet()
    text = Text(piece)
    for start, end in spans:
        text.stylize("bold reverse", start, end)
    return text


SEARCH_CSV_BEFORE, SEARCH_CSV_AFTER = ("rank", "score", "approximate", "signal"), ("matched",)


def search_csv_rows(result: Any) -> list[dict[str, Any]]:
    rows = []
    for rank, hit in enumerate(result.hits, 1):
        row = dict(zip(SEARCH_CSV_BEFORE, (rank, round(hit.score, 3), hit.approximate, hit.signal), strict=True))
        row.update(policy_csv_row(hit.policy))
        row["matched"] = [f"{m.field}:{m.text}" for m in hit.matches]
        rows.append(row)
    return rows


def search_csv_columns(catalog: Any) -> list[str]:
    """The columns of `search_csv_rows`, for the header of a search that found nothing."""
    policy = list(policy_csv_row(catalog.policies[0])) if catalog.policies else []
    return [*SEARCH_CSV_BEFORE, *policy, *SEARCH_CSV_AFTER]

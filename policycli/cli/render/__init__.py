"""All output of the commands, the help included (`help.py`). Here: the
consoles, the one format switch `emit` (table | json | csv | yaml) and the pieces views share; each
command's views are a module of their own, imported only by that command.

Data and user text is always wrapped in `rich.text.Text` and the consoles have markup off, so
nothing a policy or a query contains is read as Rich markup. Control and escape characters in it are
never written raw (see `dataset.text`): the consoles show them as `\x1b` whatever view built the
text, messages go through `one_line`, and the machine formats escape (json, yaml) or drop (csv) them.
"""
from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable, Iterable
from typing import Any

from rich import box
from rich.console import Console
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from ...dataset import text as safe
from ...dataset.model import Office, Policy
from ...shapes import to_jsonable
from .visible import made_visible


class SafeConsole(Console):
    """A console that shows control and escape characters in what it prints as `\x1b`, `\x9b`:
    text, also in the cells of tables, is made visible before it is measured and wrapped (so a
    column is as wide as what it shows), and any segment still holding one is made visible as a
    last resort. Rich itself drops BEL, BS, VT, FF and CR from text."""

    def render(self, renderable: Any, options: Any = None) -> Any:
        renderable = made_visible(renderable)
        for segment in super().render(renderable, options):
            if segment.control or not safe.UNSAFE.search(segment.text):
                yield segment
            else:
                yield Segment(safe.visible(segment.text, keep="\n"), segment.style)

    def on_broken_pipe(self) -> None:
        """A closed stderr (`policy … 2>&1 | head -1`) is given up quietly and the command's exit code
        stands; Rich's own handling exits 1 and sends stdout, not stderr, nowhere."""
        if not self.stderr:
            super().on_broken_pipe()
            return
        self.quiet = True
        silence(2)


def make_console(stderr: bool = False) -> Console:
    return SafeConsole(stderr=stderr, markup=False, emoji=False, highlight=False, soft_wrap=False)


def plain(console: Console) -> bool:
    """No boxes and no colour: output is not a terminal, or NO_COLOR is set."""
    return not console.is_terminal or bool(os.environ.get("NO_COLOR"))


def new_table(console: Console, title: str | None = None, **kwargs: Any) -> Table:
    """A table whose text cells wrap by the Chinese line-breaking rules and which becomes one block
    per record when the terminal is narrower than 60 columns (see tables.py)."""
    from .tables import Records

    table = Records(
        title=Text(title, style="bold") if title else None,
        title_justify="left",
        box=None if plain(console) else box.ROUNDED,
        header_style="bold",
        pad_edge=not plain(console),  # in a box: a blank between border and text, so a phone copies clean
        **kwargs,
    )
    return table


def error(message: str) -> None:
    """One line on stderr, never parsed as markup; a line break in what the user typed (and so in
    the message quoting it) is shown as a space. A stderr that cannot be written (a full disk) is
    given up quietly: the exit code still tells what happened."""
    _to_stderr(Text(one_line(message), style="red"))


def warn(message: str) -> None:
    _to_stderr(Text(one_line(message), style="yellow"))


def _to_stderr(line: Text) -> None:
    try:
        make_console(stderr=True).print(line, soft_wrap=True)
    except OSError:
        silence(2)


def silence(fd: int) -> None:
    """Send what is still to be written to `fd` (1 stdout, 2 stderr) nowhere, so that the final
    flush at exit cannot fail once more (Python would then exit 120)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)
    except (OSError, ValueError):
        pass


def stdout_closed() -> bool:
    """Started with stdout closed (`>&-`): there is nowhere to write a result."""
    if sys.stdout is None:
        return True
    try:
        fd = sys.stdout.fileno()
    except (OSError, ValueError):  # not a file (tests capture it): open
        return False
    try:
        os.fstat(fd)
    except OSError:
        return True
    return False


def one_line(text: str) -> str:
    """A message on one line: line breaks as spaces, control and escape characters shown as `\x1b`."""
    return safe.one_line(text)


# --- machine formats ---------------------------------------------------------------------------


def dump_json(data: Any) -> str:
    import json  # only when asked for: keeps the table path light

    return safe.escape_json(json.dumps(to_jsonable(data), ensure_ascii=False, indent=2))


def dump_yaml(data: Any) -> str:
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def quoted_if_unsafe(dumper: Any, value: str) -> Any:  # so that escape_yaml's \uXXXX are escapes
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"' if safe.needs_quotes(value) else None)

    Dumper.add_representer(str, quoted_if_unsafe)
    return safe.escape_yaml(yaml.dump(to_jsonable(data), Dumper=Dumper, allow_unicode=True, sort_keys=False, width=1000))


def flatten(value: Any) -> str:
    """A CSV cell: lists joined by '；', nested objects by their values."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict):
        return " ".join(flatten(v) for v in value.values() if v not in (None, "", []))
    if isinstance(value, (list, tuple)):
        return "；".join(flatten(v) for v in value)
    return str(to_jsonable(value))


def csv_cell(value: Any) -> str:
    """A flattened cell that Excel shows as text: control and escape characters removed (line breaks
    and tabs kept), and one starting like a formula gets a leading '."""
    text = safe.without_controls(flatten(value))
    return "'" + text if text[:1] in _FORMULA_STARTS else text


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# The CSV header of each field, in the words of the tables (JSON and YAML keep the field names).
CSV_HEADERS = {
    "id": "编号", "list": "清单", "also": "亦见清单", "versions": "其他版本", "unfinished": "待补项数", "ref": "序号", "part": "部分", "section": "节", "number": "项号",
    "title": "标题", "lead_units": "牵头单位", "offices": "责任科室", "contacts": "联系人", "phones": "电话",
    "keywords": "关键词", "notes": "说明", "content": "政策原文", "award_text": "奖补额度",
    "award_amount": "原文所列最大金额（元）", "award_word": "该金额的说法", "award_per": "按个数计的单位",
    "award_discretionary": "可视情最高（元）", "award_parts": "原文所列各项金额（元）", "rank": "排名", "score": "相关度",
    "approximate": "近似", "matched": "命中", "matched_by": "查找方式", "office": "科室", "person": "联系人姓名",
    "phone": "联系电话", "note": "备注", "policies": "政策", "organisation": "单位", "lists": "所在清单",
    "label": "项目", "value": "值", "monetary": "资金类", "inputs": "输入", "name": "企业", "status": "状态代码",
    "status_label": "状态", "missing": "待回答的键", "missing_labels": "待回答", "failed": "不满足的条件",
    "amount": "估算金额（元）", "is_maximum": "按最高额", "cap_reached": "已达上限", "missing_figures": "缺少的数据",
    "discretionary": "视情支持", "support": "支持内容", "breakdown": "分项", "per_year": "每年金额（元）",
    "profile": "档案", "eligible": "可申请", "unconfirmed": "待确认", "ineligible": "不符合", "total": "合计（元）",
    "maximum_count": "按最高额计的项数", "unknown_amounts": "金额未知的政策", "old_ref": "原序号", "new_ref": "新序号",
    "old_id": "原编号", "new_id": "新编号", "field": "字段", "old": "原值", "new": "新值", "path": "文件",
    "valid": "有效", "warnings": "警告", "todo": "待办",
    "region": "地区", "year": "年份", "batch": "批次", "count": "政策项数", "origin": "来源", "validates": "通过检查",
    "problem": "问题", "signal": "命中方式", "pending": "暂估原因",
    "semantic": "按意思比较", "vectors": "已算好向量的政策", "embedded": "本次新算向量",
}


def dump_csv(rows: Iterable[dict[str, Any]], columns: Iterable[str] = ()) -> str:
    """CSV with a UTF-8 BOM so that Excel opens the Chinese text correctly, headed in the tables'
    Chinese words (`CSV_HEADERS`); no cell is run as a formula. Without rows, the header of
    `columns` alone."""
    import csv

    rows = list(rows)
    fields = list(rows[0]) if rows else list(columns)
    buffer = io.StringIO()
    buffer.write("\ufeff")
    if fields:
        writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\r\n")
        writer.writerow({k: CSV_HEADERS.get(k, k) for k in fields})
        for row in rows:
            writer.writerow({k: csv_cell(v) for k, v in row.items()})
    return buffer.getvalue()


def emit_nothing(fmt: str, columns: Iterable[str] = ()) -> None:
    """What a command that found nothing writes to stdout in a data format, so that a script or
    Excel still reads a document: an empty list (JSON, YAML), the CSV header alone (`columns`, the
    keys a row would have). A table writes nothing; the message on stderr says what happened."""
    if fmt == "json":
        write_out(dump_json([]) + "\n")
    elif fmt == "yaml":
        write_out(dump_yaml([]))
    elif fmt == "csv":
        write_out(dump_csv([], columns))


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
        console = make_console()
        if console.is_terminal:
            table(console)
        else:
            write_out(rendered(table, console))
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


def rendered(table: Callable[[Console], None], console: Console | None = None) -> str:
    """What `table` prints, as text: with the terminal's colours, or, not on a terminal, without
    the padding blanks at line ends."""
    console = console or make_console()
    with console.capture() as captured:
        table(console)
    text = captured.get()
    return text if console.is_terminal else "".join(line.rstrip() + "\n" for line in text.splitlines())


def write_out(text: str) -> None:
    """UTF-8 bytes as they are: CSV and vCard line ends stay CRLF on every platform."""
    if sys.stdout is None:  # started with stdout closed: nowhere to write, as for tables
        return
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text)
    else:
        buffer.write(text.encode("utf-8", errors=getattr(sys.stdout, "errors", None) or "strict"))
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


def office_line(office: Office, console: Console) -> Text:
    """Office, person and phone on one line."""
    line = Text(f"{office.name}  {office.contact}  ")
    line.append_text(phone_text(office, console))
    return line


def facts_grid(rows: Iterable[tuple[str, Text]]) -> Any:
    """Label / value pairs, labels in bold, without borders; stacked on narrow terminals."""
    from .tables import Facts

    return Facts(rows)


def paragraph(console: Console, text: Text) -> None:
    """A paragraph wrapped by the Chinese line-breaking rules (no line starts with 。 or 、)."""
    from .layout import flow

    console.print(flow(text))


def hint(console: Console, text: str, command: str | None = None) -> None:
    """A hint and its command; the command gets a line of its own that is never broken, so that it
    still works when copied from the terminal."""
    if command is None:
        console.print(Text(text, style="dim"), soft_wrap=True)
        return
    paragraph(console, Text(text, style="dim"))
    console.print(Text("  " + command, style="dim"), soft_wrap=True)


def policy_csv_row(policy: Policy) -> dict[str, Any]:
    return {
        "id": policy.id,
        "list": policy.list,
        "also": list(policy.also),
        "versions": list(policy.versions),
        "ref": policy.ref,  # 二-5, as printed: Excel would read 2-5 as a date (2月5日)
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
        **award_csv(policy),
    }


def award_csv(policy: Policy) -> dict[str, Any]:
    """The amount columns of `list` and `show`: those of JSON, the parts in one cell (`parts_cell`)."""
    from ...awards.rules import award_fields

    fields = award_fields(policy)
    return {**fields, "award_parts": parts_cell(fields["award_parts"])}


def parts_cell(parts: list[dict[str, Any]]) -> str:
    """Each amount the text names, in one CSV cell: 平台奖励：国家级双跨 定额 10000000.00；揭榜挂帅场景 每个场景最高 1000000.00."""
    return "；".join(f"{p['label'] + ' ' if p['label'] else ''}{'每个' + p['per'] if p['per'] else ''}{p['word']} "
                    f"{to_jsonable(p['amount'])}" for p in parts)


READING_BAR = 100  # lists read one by one from which their reading shows a bar (a second or more)
FILE_BAR = 150_000  # lines of a file read alone from which its reading shows a bar (half a second or more)


def reading_bar(alone: bool = False) -> Any:
    """`progress_callback` of a library's lists read one by one, then paired (two steps a list);
    `alone`: of one file's lines read, then checked (two steps a line)."""
    return progress_callback("正在读取政策清单", minimum=2 * (FILE_BAR if alone else READING_BAR))


def indexing_bar() -> Any:
    """`progress_callback` of a search index built, or of the children building it waited for."""
    return progress_callback("正在建立搜索索引")


REDRAW = 0.05  # seconds between two drawings of a bar, at least (one costs about half a millisecond)
SHOW_AFTER = 0.2  # seconds a job has run before its bar is drawn: one done sooner draws none


def progress_callback(label: str, minimum: int = 200) -> Any:
    """A context manager giving a `callback(done, total)` that draws a progress bar on stderr.

    Nothing is drawn unless stderr is a terminal that can redraw a line (not TERM=dumb) and the
    job has at least `minimum` steps and is not done SHOW_AFTER seconds after it began (an index
    the children had built meanwhile flashed from 0 % to 100 %). The bar is drawn again at a step,
    by no thread of its own (a first run forks its indexing children only while this process runs
    no other thread), at most every REDRAW seconds, and at the last, when it is taken off (a bar
    left at 100 % while the catalog is stored looked stuck); a job told again from the start (the
    next list indexed here) draws a bar of its own.
    """
    import time
    from contextlib import contextmanager

    @contextmanager
    def manager():
        console = make_console(stderr=True)
        state: dict[str, Any] = {}
        began = time.monotonic()

        def callback(done: int, total: int) -> None:
            if not console.is_terminal or console.is_dumb_terminal or total < minimum:
                return
            now, drawn = time.monotonic(), state.get("drawn")
            if "bar" not in state and (done >= total or now - began < SHOW_AFTER):
                return
            if done < total and drawn is not None and now - drawn < REDRAW:
                return
            state["drawn"] = now
            if "bar" not in state:
                from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

                bar = Progress(TextColumn("{task.description}", markup=False), BarColumn(), TaskProgressColumn(),
                               TimeRemainingColumn(), console=console, transient=True, auto_refresh=False)
                bar.start()
                state["bar"] = bar
                state["task"] = bar.add_task(label, total=total)
            state["bar"].update(state["task"], completed=done, total=total, refresh=True)
            if done >= total:  # taken off at once: what follows (storing the cache) is no part of it
                state.pop("bar").stop()
                del state["drawn"]

        try:
            yield callback
        finally:
            if "bar" in state:
                state["bar"].stop()

    return manager()

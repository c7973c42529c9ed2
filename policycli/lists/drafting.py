"""The rows of a published list, in any format, read by meaning into a draft dataset: tables by
their header names (or by what their cells look like), prose by its numbering, headings as
parts and sections. Every problem is reported as ``FILE:LINE: problem`` and nothing is corrected:
the draft says what the list says. What the list does not state (region, year, batch, offices,
people, phones) is left empty and said; ids and short titles are drafted and marked (`draft:`)."""
from __future__ import annotations

import re

from ..errors import DataError
from . import columns as col
from .columns import Columns
from .items import Draft, Item, PartDraft, short
from .metadata import finish
from .numbering import cell_number, numbered
from .prose import CLOSING, HELPERS, Plan, heading_parts, lead_clause, own_title, phones_in, plan_of, units_of, without_phones
from .rows import ListFile, Paragraph, Row

CONTACT_FIELDS = (col.OFFICE, col.PERSON, col.PHONE, col.CONTACT)
LEAD = re.compile(r"^\s*(?:牵头单位|责任单位|牵头部门|责任部门)\s*[:：]\s*")


def draft_from(listing: ListFile) -> Draft:
    """Read `listing` into a `Draft`; `DataError` when it holds no policy at all."""
    tables = _table_columns(listing.rows)
    lines = [line for line in (row.single for row in listing.rows) if line]
    plan = plan_of(lines, table_items=any(c is not None for c, _ in tables.values()))
    reader = _Reader(listing.source, tables, plan)
    for row in listing.rows:
        reader.take(row)
    reader.finish_part()
    if not reader.items:
        raise DataError(f"{listing.source}: 没有找到任何政策条目（带序号的表格，或 1.、（一）、第一条 这样编号的段落），请检查是否选对了文件")
    return finish(listing.source, reader, [c for c, _ in tables.values() if c is not None])


def _table_columns(rows: tuple[Row, ...]) -> dict[int, tuple[Columns | None, Row | None]]:
    """Each table's columns and its header row (None when inferred or none)."""
    by_table: dict[int, list[Row]] = {}
    for row in rows:
        if not row.loose and not row.single:
            by_table.setdefault(row.table, []).append(row)
    found: dict[int, tuple[Columns | None, Row | None]] = {}
    for table, table_rows in by_table.items():
        for row in table_rows[:20]:
            columns = col.header(row.texts())
            if columns is not None:
                found[table] = (columns, row)
                break
        else:
            found[table] = (col.inferred([r.texts() for r in table_rows]), None)
    return found


class _Reader:
    def __init__(self, source: str, tables: dict[int, tuple[Columns | None, Row | None]], plan: Plan):
        self.source = source
        self.tables = tables
        self.plan = plan
        self.front: list[Row] = []  # rows before the first heading or item
        self.parts: list[PartDraft] = []
        self.items: list[Item] = []
        self.problems: list[str] = []
        self.section: str | None = None
        self.seen: dict[int, int] = {}  # number -> line, in the current part
        self.last = 0  # the last item's number (numbering may run on across parts)
        self.counts: dict[int, int] = {}  # part number -> items found
        self.closed = False  # a closing paragraph was met: nothing after it belongs to an item

    def problem(self, line: int, message: str) -> None:
        self.problems.append(f"{self.source}:{line}: {message}")

    @property
    def started(self) -> bool:
        return bool(self.parts or self.items)

    def take(self, row: Row) -> None:
        single = row.single
        if not any(row.texts()):
            return
        if single:
            self.take_line(row, single)
            return
        columns, header = self.tables.get(row.table, (None, None))
        if columns is None:
            self.unknown(row)
        elif row is header or [t.strip() for t in row.texts()] == list(columns.names):
            return  # the header, or the header repeated on a new page
        else:
            self.table_item(row, columns)

    def take_line(self, row: Row, text: str) -> None:
        number = numbered(text)
        style = number.style if number else None
        if style and style == self.plan.part:
            self.start_part(row.line, number.value, number.rest)
        elif style and style == self.plan.section:
            self.start_section(row.line, number.rest)
        elif style and style == self.plan.item:
            self.prose_item(row, number.value, number.rest)
        elif self.in_table_body(row) and self.plan.item is None and _heading_like(text):
            if self.plan.part is None:
                self.start_part(row.line, len(self.parts) + 1, text)
            else:
                self.start_section(row.line, text)
        elif not self.started:
            self.front.append(row)
        elif self.plan.item is not None and self.items and not self.closed and not CLOSING.match(text):
            self.item_line(self.items[-1], text, row.line)
        else:
            self.closed = self.closed or bool(CLOSING.match(text))
            self.unknown(row, text)

    def in_table_body(self, row: Row) -> bool:
        """A row of a table whose header is known, after that header (a heading merged across it)."""
        columns, header = self.tables.get(row.table, (None, None))
        return not row.loose and columns is not None and (header is None or row.line > header.line)

    def unknown(self, row: Row, text: str | None = None) -> None:
        shown = text or next((t for t in row.texts() if t), "")
        if not self.started:
            self.front.append(row)
            return
        self.problem(row.line, f"无法识别的一行“{short(shown)}”：不是部分、节或政策条目，未导入，请核对原文")

    # --- headings ---

    def start_part(self, line: int, number: int, text: str) -> None:
        self.finish_part()
        name, count, units = heading_parts(text)
        if any(p.number == number for p in self.parts):
            number = max(p.number for p in self.parts) + 1
        self.parts.append(PartDraft(number=number, name=name, count=count, line=line, lead_units=units))
        self.section = None
        self.seen = {}

    def start_section(self, line: int, text: str) -> None:
        name = heading_parts(text)[0]
        if not self.parts:
            self.problem(line, f"节“{short(name)}”出现在第一个部分标题（一、……）之前，已归入第一部分，请核对")
            self.parts.append(PartDraft(number=1, name="", count=None, line=line))
        if name not in self.parts[-1].sections:
            self.parts[-1].sections.append(name)
        self.section = name

    def finish_part(self) -> None:
        """Close the current part: its heading's count against the items found."""
        if not self.parts:
            return
        part = self.parts[-1]
        found = self.counts.get(part.number, 0)
        if part.count is not None and part.count != found:
            self.problem(part.line, f"部分标题写“共{part.count}项”，实际找到 {found} 项，请核对原文")

    # --- items ---

    def new_item(self, line: int, number: int | None) -> Item:
        if not self.parts:
            if self.plan.part is not None:
                self.problem(line, "政策条目出现在第一个部分标题之前，已归入第一部分，请核对")
            self.parts.append(PartDraft(number=1, name="", count=None, line=line))
        self.closed = False
        item = Item(part=self.parts[-1].number, section=self.section, number=number or self.last + 1, line=line)
        self.items.append(item)
        self.check_number(item, given=number is not None)
        return item

    def check_number(self, item: Item, given: bool) -> None:
        previous = self.items[-2] if len(self.items) > 1 else None
        if given and item.number == 1 and previous is not None and previous.section != item.section:
            self.seen = {}  # numbering starts again under a new section
        if item.number in self.seen:
            self.problem(item.line, f"序号 {item.number} 重复（第 {self.seen[item.number]} 行已有），请核对原文")
        elif given and item.number not in (self.last + 1, 1):
            self.problem(item.line, f"序号 {item.number} 不连续：上一项是 {self.last}，应为 {self.last + 1}，请核对原文")
        self.seen.setdefault(item.number, item.line)
        self.last = item.number
        self.counts[item.part] = self.counts.get(item.part, 0) + 1

    def table_item(self, row: Row, columns: Columns) -> None:
        cells = row.cells + [[] for _ in range(len(columns.fields) - len(row.cells))]
        by_field: dict[str, list[Paragraph]] = {}
        for index, name in enumerate(columns.fields):
            if name:
                by_field[name] = cells[index]
        number_cell = by_field.get(col.NUMBER, [])
        number = cell_number(number_cell[0].text) if number_cell else None
        if number_cell and number is None:
            self.unknown(row)
            return
        if number is None and columns.index(col.NUMBER) is not None and self.items:
            # no number where the table has them: the rest of the row before, carried over a page
            self.continue_item(self.items[-1], by_field, cells, columns)
            return
        if self.items and self.merged_down(self.items[-1], number, by_field):
            contacts = {k: v for k, v in by_field.items() if k in CONTACT_FIELDS}
            self.continue_item(self.items[-1], contacts, [], Columns((), ()))
            return
        item = self.new_item(number_cell[0].line if number_cell else row.line, number)
        self.continue_item(item, by_field, cells, columns)
        if not item.content:
            self.problem(item.line, f"第 {item.number} 项没有政策内容")

    @staticmethod
    def merged_down(item: Item, number: int | None, by_field: dict[str, list[Paragraph]]) -> bool:
        """The row repeats the item's number, text and lead units (cells merged down over it) with
        another office or contact: more of the same item, not a second one."""
        if number != item.number or _texts(by_field.get(col.CONTENT)) != item.content:
            return False
        if units_in_cell(_texts(by_field.get(col.LEAD))) != item.lead_units:
            return False
        contact = " ".join(_texts(by_field.get(name)) for name in CONTACT_FIELDS)
        return bool(contact.strip()) and not any(name in contact for _, name in item.people)

    def continue_item(self, item: Item, by_field: dict[str, list[Paragraph]], cells: list[list[Paragraph]],
                      columns: Columns) -> None:
        content = "\n".join(p.text for p in by_field.get(col.CONTENT, []))
        item.content = f"{item.content}\n{content}" if item.content and content else item.content or content
        title = "".join(p.text for p in by_field.get(col.TITLE, []))
        item.title = item.title + title
        lead = by_field.get(col.LEAD, [])
        if lead:
            item.lead_line = item.lead_line or lead[0].line
            item.lead_units += units_in_cell("".join(p.text for p in lead))
        item.offices += [(p.line, n.strip()) for p in by_field.get(col.OFFICE, []) for n in re.split(r"[、，,；;]", p.text) if n.strip()]
        for name in (col.PERSON, col.PHONE, col.CONTACT):
            read_contact_cell(item, by_field.get(name, []))
        for index, name in enumerate(columns.fields):
            if name is None and index < len(cells) and cells[index]:
                label = columns.names[index] or f"第{index + 1}栏"
                item.notes.append(f"{label}：" + "\n".join(p.text for p in cells[index]))
        for extra in cells[len(columns.fields):]:
            if extra:
                self.problem(extra[0].line, f"第 {item.number} 项多出一栏“{short(extra[0].text)}”，未导入，请核对")

    def item_line(self, item: Item, text: str, line: int) -> None:
        """A further paragraph of a prose item: a labelled field (`牵头单位：…`, `责任科室：…`,
        `联系人、联系电话：…`) read as that column of a table would be, else more of its text."""
        label, colon, value = text.partition("：") if "：" in text else text.partition(":")
        name = col.field_of(label) if colon else None
        if name in (col.LEAD, col.OFFICE, col.PERSON, col.PHONE, col.CONTACT):
            fields = {name: [Paragraph(line, value.strip())]}
            self.continue_item(item, fields, [], Columns((), ()))
        else:
            item.content += "\n" + lead_of(item, text, line)

    def prose_item(self, row: Row, number: int, text: str) -> None:
        paragraph = row.cells[0][0]
        item = self.new_item(row.line, number)
        bold = paragraph.bold
        if bold and numbered(bold):
            bold = numbered(bold).rest
        title, rest = own_title(text, bold)
        if title and len(title) <= 20:
            item.title, text = title, rest
        item.content = lead_of(item, text, row.line)


def lead_of(item: Item, text: str, line: int) -> str:
    """`text` without a trailing lead clause, whose units (and phones) go to `item`."""
    rest, units = lead_clause(text)
    if units:
        item.lead_units += units
        item.lead_line = item.lead_line or line
        clause = text[len(rest):]
        item.phones += [(line, kind, number) for kind, number in phones_in(clause)]
        if item.phones and not item.offices:
            item.offices.append((line, units[0]))
    return rest


def units_in_cell(text: str) -> list[str]:
    return units_of(HELPERS.sub("", LEAD.sub("", text)))


def read_contact_cell(item: Item, cell: list[Paragraph]) -> None:
    """People and phones of a contact cell (names and numbers, on one line or several)."""
    for p in cell:
        item.phones += [(p.line, kind, number) for kind, number in phones_in(p.text)]
        rest = without_phones(p.text)
        item.people += [(p.line, name) for name in re.split(r"[\s、，,；;：:/]+", rest)
                        if name and name not in ("电话", "联系人", "联系电话", "手机", "座机") and not name.isdigit()]


def _texts(cell: list[Paragraph] | None) -> str:
    return "\n".join(p.text for p in cell or ())


def _heading_like(text: str) -> bool:
    return len(text) <= 30 and "。" not in text

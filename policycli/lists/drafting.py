"""The rows of an official list turned into a draft dataset in the shipped schema, with every
problem of the list reported as ``FILE:LINE: problem`` and nothing corrected: the draft says what
the list says. Ids, short titles and the region are drafted and marked (`draft:`); keywords,
award and condition blocks are left for a person to write (see docs/authoring.md)."""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field

from ..errors import DataError
from .reading import ListFile, Paragraph, Row

NUMERALS = "一二三四五六七八九十"
PART_HEADING = re.compile(r"^([一二三四五六七八九十]+)、\s*(.+?)\s*(?:[（(]\s*共\s*(\d+)\s*项\s*[）)])?\s*$")
SECTION_HEADING = re.compile(r"^[（(]([一二三四五六七八九十]+)[）)]\s*(.+?)\s*$")
LEAD = re.compile(r"^\s*牵头单位\s*[:：]\s*")
PHONE = re.compile(r"(0\d{2,3})\s*[-－—]\s*(\d{7,8})")
HEADER_WORDS = ("序号", "政策内容")
TITLE_DRAFT = 20  # the dataset's limit for a title
REGION_DRAFT = "待填写（所属地区）"


@dataclass
class Contact:
    office: str
    person: str
    phone: str
    line: int


@dataclass
class Item:
    part: int
    section: str | None
    number: int
    line: int
    content: str = ""
    lead_units: list[str] = field(default_factory=list)
    lead_line: int = 0
    contacts: list[Contact] = field(default_factory=list)
    id: str = ""
    title: str = ""


@dataclass
class PartDraft:
    number: int
    name: str
    count: int | None
    line: int
    sections: list[str] = field(default_factory=list)


@dataclass
class Draft:
    source: str
    title: str
    year: int | None
    batch: str
    area_code: str
    parts: list[PartDraft]
    items: list[Item]
    problems: list[str]

    def offices(self) -> list[Contact]:
        """Each office once, in order of first appearance, with the contact given there."""
        seen: dict[str, Contact] = {}
        for item in self.items:
            for contact in item.contacts:
                if contact.office and contact.office not in seen:
                    seen[contact.office] = contact
        return list(seen.values())


def draft_from(listing: ListFile) -> Draft:
    """Parse `listing` into a `Draft`; `DataError` when it holds no policy at all."""
    reader = _Reader(listing.source)
    for row in listing.rows:
        reader.take(row)
    reader.finish()
    if not reader.items:
        raise DataError(f"{listing.source}: 没有找到任何政策条目（序号、政策内容、牵头单位……的表格），请检查是否选对了文件")
    area_code = _area_code(reader.items)
    problems = reader.problems
    problems += _phone_problems(listing.source, reader.items, area_code)
    problems += _spelling_problems(listing.source, reader.items)
    problems += _office_problems(listing.source, reader.items)
    problems.sort(key=_line_of)
    _draft_names(reader.items)
    title = "".join(reader.title)
    year = re.search(r"(20\d{2})年", title)
    batch = re.search(r"[（(](第[一二三四五六七八九十\d]+批)[）)]", title)
    return Draft(
        source=listing.source,
        title=title,
        year=int(year.group(1)) if year else None,
        batch=batch.group(1) if batch else "",
        area_code=area_code,
        parts=reader.parts,
        items=reader.items,
        problems=problems,
    )


def _line_of(problem: str) -> int:
    match = re.search(r":(\d+): ", problem)
    return int(match.group(1)) if match else 0


class _Reader:
    def __init__(self, source: str):
        self.source = source
        self.title: list[str] = []
        self.parts: list[PartDraft] = []
        self.items: list[Item] = []
        self.problems: list[str] = []
        self.section: str | None = None
        self.seen: dict[int, int] = {}  # number -> line, in the current part

    def problem(self, line: int, message: str) -> None:
        self.problems.append(f"{self.source}:{line}: {message}")

    def take(self, row: Row) -> None:
        texts = [t for t in row.texts()]
        filled = [t for t in texts if t]
        if not filled:
            return
        single = len(set(filled)) == 1
        if single and (heading := PART_HEADING.match(filled[0])):
            self.start_part(row.line, heading)
        elif single and (heading := SECTION_HEADING.match(filled[0])):
            self.start_section(row.line, heading.group(2))
        elif filled[0] in HEADER_WORDS or (len(filled) > 1 and filled[1] in HEADER_WORDS):
            return
        elif re.fullmatch(r"\d{1,4}", filled[0]) and len(filled) > 1:
            self.item(row)
        elif row.loose and not self.parts:
            if not re.fullmatch(r"附件\s*\d*\s*[:：]?", filled[0]):
                self.title.append(filled[0])
        else:
            self.problem(row.line, f"无法识别的一行“{_short(filled[0])}”：不是部分、节或政策条目，未导入，请核对原文")

    def start_part(self, line: int, heading: re.Match[str]) -> None:
        self.finish()
        number = NUMERALS.index(heading.group(1)[-1]) + 1 if heading.group(1) in NUMERALS else len(self.parts) + 1
        count = int(heading.group(3)) if heading.group(3) else None
        self.parts.append(PartDraft(number=number, name=heading.group(2), count=count, line=line))
        self.section = None
        self.seen = {}

    def start_section(self, line: int, name: str) -> None:
        if not self.parts:
            self.problem(line, f"节“{name}”出现在第一个部分标题（一、……）之前，已归入第一部分，请核对")
            self.parts.append(PartDraft(number=1, name="", count=None, line=line))
        self.parts[-1].sections.append(name)
        self.section = name

    def finish(self) -> None:
        """Close the current part: its heading's count against the items found."""
        if not self.parts:
            return
        part = self.parts[-1]
        found = sum(1 for item in self.items if item.part == part.number)
        if part.count is not None and part.count != found:
            self.problem(part.line, f"部分标题写“共{part.count}项”，实际找到 {found} 项，请核对原文")

    def item(self, row: Row) -> None:
        if not self.parts:
            self.problem(row.line, "政策条目出现在第一个部分标题（一、……）之前，已归入第一部分，请核对")
            self.parts.append(PartDraft(number=1, name="", count=None, line=row.line))
        cells = [c for c in row.cells if c] + [[] for _ in range(5)]
        number_cell, content_cell, lead_cell, office_cell, contact_cell = cells[:5]
        number = int(number_cell[0].text)
        part = self.parts[-1].number
        item = Item(part=part, section=self.section, number=number, line=number_cell[0].line)
        self.check_number(item)
        item.content = "\n".join(p.text for p in content_cell)
        if not item.content:
            self.problem(item.line, f"第 {number} 项没有政策内容")
        self.read_lead(item, lead_cell)
        self.read_contacts(item, office_cell, contact_cell)
        for extra in [c for c in row.cells if c][5:]:
            self.problem(extra[0].line, f"第 {number} 项多出一栏“{_short(extra[0].text)}”，未导入，请核对")
        self.items.append(item)

    def check_number(self, item: Item) -> None:
        last = max((i.number for i in self.items if i.part == item.part), default=0)
        if item.number in self.seen:
            self.problem(item.line, f"序号 {item.number} 重复（第 {self.seen[item.number]} 行已有），请核对原文")
        elif item.number != last + 1:
            self.problem(item.line, f"序号 {item.number} 不连续：上一项是 {last}，应为 {last + 1}，请核对原文")
        self.seen.setdefault(item.number, item.line)

    def read_lead(self, item: Item, cell: list[Paragraph]) -> None:
        text = "".join(p.text for p in cell)
        item.lead_line = cell[0].line if cell else item.line
        if not text:
            self.problem(item.lead_line, f"第 {item.number} 项没有牵头单位")
            return
        if not LEAD.match(text):
            self.problem(item.lead_line, f"第 {item.number} 项的牵头单位一栏不以“牵头单位：”开头，已整栏作为牵头单位，请核对")
        units = [u.strip() for u in re.split(r"[、，,；;]", LEAD.sub("", text))]
        item.lead_units = [u for u in units if u]

    def read_contacts(self, item: Item, office_cell: list[Paragraph], contact_cell: list[Paragraph]) -> None:
        offices = [(p.line, name.strip()) for p in office_cell for name in re.split(r"[、，,；;]", p.text) if name.strip()]
        people: list[tuple[int, str]] = []
        phones: list[tuple[int, str]] = []
        for p in contact_cell:
            rest = p.text
            for match in PHONE.finditer(p.text):
                phones.append((p.line, f"{match.group(1)}-{match.group(2)}"))
            rest = PHONE.sub(" ", rest)
            people += [(p.line, name) for name in re.split(r"[\s、，,；;：:]+", rest) if name and name not in ("电话", "联系人")]
        what = {"科室": offices, "联系人": people, "电话": phones}
        for label, found in what.items():
            if not found:
                self.problem(item.line, f"第 {item.number} 项没有{label}，请补上后再用（草稿中留空）")
        counts = {label: len(found) for label, found in what.items() if found}
        if len(set(counts.values())) > 1:
            shown = "、".join(f"{label} {n} 个" for label, n in counts.items())
            self.problem(item.line, f"第 {item.number} 项的科室、联系人、电话个数不一致（{shown}），已按顺序对应，请核对")
        for i in range(max(len(offices), len(people), len(phones))):
            line = next((found[i][0] for found in (phones, people, offices) if i < len(found)), item.line)
            item.contacts.append(Contact(
                office=offices[i][1] if i < len(offices) else "",
                person=people[i][1] if i < len(people) else "",
                phone=phones[i][1] if i < len(phones) else "",
                line=line,
            ))


def _short(text: str, width: int = 20) -> str:
    """A piece of the list quoted in a message: one line, control characters shown as \\xNN."""
    text = " ".join(text.split())
    return _shown(text if len(text) <= width else text[:width] + "…")


def _shown(text: str) -> str:
    from ..dataset.text import visible

    return visible(text)


def _area_code(items: list[Item]) -> str:
    codes = Counter(c.phone.split("-")[0] for item in items for c in item.contacts if c.phone)
    return codes.most_common(1)[0][0] if codes else ""


def _phone_problems(source: str, items: list[Item], area_code: str) -> list[str]:
    problems = []
    for item in items:
        for contact in item.contacts:
            code = contact.phone.split("-")[0]
            if contact.phone and code != area_code:
                problems.append(f"{source}:{contact.line}: 电话“{contact.phone}”的区号 {code} 与清单中其他电话的区号 {area_code} "
                                f"不同，草稿照原文记录，请向发文单位核实后在科室上加 note 说明")
    return problems


def _spelling_problems(source: str, items: list[Item]) -> list[str]:
    """A unit (lead unit or office) written in two ways: same length, the same but for one
    character after the first (the first is the level, 区/市/省, which may differ rightly). The less
    frequent spelling is reported where it appears."""
    uses: dict[str, list[int]] = {}
    for item in items:
        for unit in item.lead_units:
            uses.setdefault(unit, []).append(item.lead_line)
        for contact in item.contacts:
            if contact.office:
                uses.setdefault(contact.office, []).append(contact.line)
    problems = []
    names = list(uses)
    for a in names:
        for b in names:
            if a == b or len(a) != len(b) or len(a) < 3:
                continue
            differ = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
            rarer = len(uses[a]) < len(uses[b]) or (len(uses[a]) == len(uses[b]) and a > b)
            if len(differ) == 1 and differ[0] > 0 and rarer:
                for line in uses[a]:
                    problems.append(f"{source}:{line}: 单位写作“{_shown(a)}”，别处写作“{_shown(b)}”（{len(uses[b])} 处），可能是同一单位的两种写法；"
                                    "草稿照原文记录，核实后请改正并在 notes 中说明")
    return problems


def _office_problems(source: str, items: list[Item]) -> list[str]:
    """An office given with another person or phone than where it first appears: the draft keeps
    the first (an office has one contact in the schema)."""
    first: dict[str, Contact] = {}
    problems = []
    for item in items:
        for c in item.contacts:
            if not c.office:
                continue
            seen = first.setdefault(c.office, c)
            if (seen.person, seen.phone) != (c.person, c.phone):
                problems.append(f"{source}:{c.line}: 科室“{_shown(c.office)}”这里写作 {_shown(c.person)} {c.phone}，第 {seen.line} 行写作 "
                                f"{_shown(seen.person)} {seen.phone}；草稿按第一次出现的记录，请核实")
    return problems


def _draft_names(items: list[Item]) -> None:
    """Draft ids (draft-PART-NUMBER) and short titles (the content's first phrase) for a person to
    confirm."""
    taken: set[str] = set()
    for item in items:
        base = f"draft-{item.part}-{item.number}"
        pid, n = base, 1
        while pid in taken:
            n += 1
            pid = f"{base}-{n}"
        taken.add(pid)
        item.id = pid
        first = re.split(r"[，。；：,;:\n]", item.content, maxsplit=1)[0].strip() or f"第{item.number}项"
        if len(first) > TITLE_DRAFT:  # at the last 、 that keeps a readable piece, else cut
            cut = first.rfind("、", 0, TITLE_DRAFT)
            first = first[:cut] if cut >= 8 else first[:TITLE_DRAFT]
        item.title = first


# --- the draft as YAML ---------------------------------------------------------------------------


def _q(value: object) -> str:
    """A YAML scalar: JSON's double-quoted form is valid YAML and keeps every character as it is
    (control, escape and bidi characters as \\uXXXX, which YAML reads back as the character)."""
    from ..dataset.text import escape_json

    return escape_json(json.dumps(value, ensure_ascii=False))


def _flow(values: list[str]) -> str:
    return "[" + ", ".join(_q(v) for v in values) + "]"


def draft_yaml(draft: Draft) -> str:
    """The draft dataset as YAML, in the layout of data/policies.yaml, with the work that
    remains said at the top."""
    name = draft.source.replace("\\", "/").rsplit("/", 1)[-1]
    out = [
        f"# 草稿：由 policy import 从 {name} 生成，内容照原文记录。",
        "# 待完成（policy validate 会逐项列出）：确认 draft 中列出的字段（编号 id、标题 title、地区 region）后",
        "# 删除 draft 行；为每项政策编写 keywords、award 和 conditions。写法见 docs/authoring.md。",
        f"title: {_q(draft.title)}",
        f"region: {_q(REGION_DRAFT)}",
        f"year: {draft.year if draft.year is not None else 0}",
        f"batch: {_q(draft.batch)}",
        f"area_code: {_q(draft.area_code)}",
        f"source: {_q(name)}",
        "draft: [region]",
        "parts:",
    ]
    for part in draft.parts:
        out += [f"  - number: {part.number}", f"    name: {_q(part.name)}"]
        if part.count is not None:
            out.append(f"    count: {part.count}")
        out.append(f"    sections: {_flow(part.sections)}")
    out += ["", "# 区工信局责任科室，每个科室一次，联系人和电话照原文。", "offices:" if draft.offices() else "offices: []"]
    for contact in draft.offices():
        out += [f"  - name: {_q(contact.office)}", f"    contact: {_q(contact.person)}", f"    phone: {_q(contact.phone)}"]
    out += ["", "policies:"]
    for item in draft.items:
        out += [f"  - id: {_q(item.id)}", "    draft: [id, title]", f"    part: {item.part}"]
        if item.section is not None:
            out.append(f"    section: {_q(item.section)}")
        out += [
            f"    number: {item.number}",
            f"    title: {_q(item.title)}",
            f"    lead_units: {_flow(item.lead_units)}",
            f"    offices: {_flow(list(dict.fromkeys(c.office for c in item.contacts if c.office)))}",
            f"    content: {_q(item.content)}",
        ]
    return "\n".join(out) + "\n"

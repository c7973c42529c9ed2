"""What each column of a list's table holds: found by the names in its header row (simplified or
traditional, in any order), or, for a table without one, by what its cells look like."""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .numbering import cell_number

NUMBER, TITLE, CONTENT, LEAD, OFFICE, PERSON, PHONE, CONTACT = (
    "number", "title", "content", "lead", "office", "person", "phone", "contact")
LABELS = {NUMBER: "序号", TITLE: "标题", CONTENT: "政策内容", LEAD: "牵头单位", OFFICE: "责任科室",
          PERSON: "联系人", PHONE: "联系电话", CONTACT: "联系人和电话"}

# The traditional forms of the characters of header names (a page in traditional script).
TRADITIONAL = str.maketrans("號內條責單聯繫係電話門辦項稱級區務額標據備註請間時屬財獎補說導單體際實負處舉總規劃類單",
                            "号内条责单联系系电话门办项称级区务额标据备注请间时属财奖补说导单体际实负处举总规划类单")

# Names in the order they are tried: the more specific first (联系人及电话 before 联系人).
NAMES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (CONTACT, re.compile(r"^(联系人.{0,2}(联系)?(电话|方式)|联系方式)$")),
    (PERSON, re.compile(r"^(联系人|经办人|联络人)(姓名)?$")),
    (PHONE, re.compile(r"^(联系|咨询|办公)?电话(号码)?$")),
    (OFFICE, re.compile(r"(科室|处室|股室)$")),
    (LEAD, re.compile(r"(牵头|责任|主管|实施|受理|主办)(单位|部门|主体)$|^(牵头|责任)?(单位|部门)$")),
    (NUMBER, re.compile(r"^(序号|编号|序)$")),
    (TITLE, re.compile(r"^(项目|政策名称|项目名称|事项|事项名称|名称|标题|政策项目|政策事项)$")),
    (CONTENT, re.compile(r"(内容|条款|措施|要点|政策|标准|描述)$")),
)


@dataclass(frozen=True)
class Columns:
    """The field of each column (None: one the schema has no place for, kept in notes) and the
    header names as written, for the notes and the report."""

    fields: tuple[str | None, ...]
    names: tuple[str, ...]
    inferred: bool = False

    def index(self, field: str) -> int | None:
        return self.fields.index(field) if field in self.fields else None


def header_name(text: str) -> str:
    return re.sub(r"[\s　:：]+", "", text).translate(TRADITIONAL)


def field_of(text: str) -> str | None:
    name = header_name(text)
    if not name or len(name) > 12:
        return None
    for field, pattern in NAMES:
        if pattern.search(name):
            return field
    return None


def header(texts: Sequence[str]) -> Columns | None:
    """The columns of a header row, or None when `texts` is not one: at least two names known,
    one of them the policy's text or title, none known twice."""
    fields = [field_of(t) for t in texts]
    known = [f for f in fields if f]
    if len(known) < 2 or not ({CONTENT, TITLE} & set(known)):
        return None
    if len(set(known)) != len(known):
        fields = _first_only(fields)
    if CONTENT not in fields:  # a title column alone is the policy's text
        fields = [CONTENT if f == TITLE else f for f in fields]
    return Columns(tuple(fields), tuple(t.strip() for t in texts))


def _first_only(fields: list[str | None]) -> list[str | None]:
    seen: set[str] = set()
    out: list[str | None] = []
    for f in fields:
        out.append(f if f and f not in seen else None)
        if f:
            seen.add(f)
    return out


PHONE_LOOK = re.compile(r"(?<!\d)(0\d{2,3}\s*[-－—]?\s*)?\d{7,8}(?!\d)|(?<!\d)1[3-9]\d{9}(?!\d)")
UNIT_LOOK = re.compile(r"^(牵头单位|责任单位)|[局委办院会行处]([、，,\s]|$)")
OFFICE_LOOK = re.compile(r"[科室处股组]$")


def inferred(rows: Sequence[Sequence[str]]) -> Columns | None:
    """The columns of a table without a header, by what most of each column's cells look like:
    small numbers, phones, unit names, office names; the longest text is the policy's."""
    if not rows:
        return None
    width = max(len(r) for r in rows)
    columns = [[r[i] for r in rows if i < len(r) and r[i]] for i in range(width)]
    fields: list[str | None] = [None] * width
    for i, cells in enumerate(columns):
        if not cells:
            continue
        if _most(cells, lambda c: cell_number(c) is not None):
            fields[i] = NUMBER
        elif _most(cells, lambda c: bool(PHONE_LOOK.search(c))):
            fields[i] = CONTACT
        elif _most(cells, lambda c: len(c) <= 40 and bool(UNIT_LOOK.search(c))):
            fields[i] = LEAD
        elif _most(cells, lambda c: all(OFFICE_LOOK.search(p) for p in re.split(r"[\n、，,]", c) if p.strip())):
            fields[i] = OFFICE
    rest = [i for i in range(width) if fields[i] is None and columns[i]]
    if not rest or NUMBER not in fields:
        return None
    longest = max(rest, key=lambda i: sum(len(c) for c in columns[i]) / len(columns[i]))
    fields[longest] = CONTENT
    return Columns(tuple(_first_only(fields)), tuple("" for _ in fields), inferred=True)


def _most(cells: list[str], test) -> bool:
    return sum(1 for c in cells if test(c)) * 3 >= len(cells) * 2

"""A draft written as YAML in the layout of data/policies.yaml, with the work that remains said
at the top and every field the list did not state left empty and marked as drafted."""
from __future__ import annotations

import json

from ..dataset.text import escape_json
from .items import Draft


def _q(value: object) -> str:
    """A YAML scalar: JSON's double-quoted form is valid YAML and keeps every character as it is
    (control, escape and bidi characters as \\uXXXX, which YAML reads back as the character)."""
    return escape_json(json.dumps(value, ensure_ascii=False))


def _flow(values: list[str]) -> str:
    return "[" + ", ".join(_q(v) for v in values) + "]"


def drafted_fields(draft: Draft) -> list[str]:
    """The top-level fields a person must confirm or fill: the region always (a list rarely
    states it whole), the others when the list did not state them."""
    fields = ["region"]
    fields += [name for name, value in (("year", draft.year), ("batch", draft.batch), ("area_code", draft.area_code))
               if not value]
    if any("没有找到标题" in n for n in draft.notices):
        fields.insert(0, "title")
    return fields


def draft_yaml(draft: Draft) -> str:
    """The draft dataset as YAML."""
    name = draft.source.replace("\\", "/").rsplit("/", 1)[-1]
    out = [
        f"# 草稿：从 {name} 导入生成，内容照原文记录。",
        "# 待完成（校验时会逐项列出）：确认 draft 中列出的字段（编号 id、标题 title、地区 region 等）后",
        "# 删除 draft 行；为每项政策编写 keywords、award 和 conditions。写法见 docs/authoring.md。",
        f"title: {_q(draft.title)}",
        f"region: {_q(draft.region)}",
        f"year: {draft.year if draft.year is not None else 'null'}",
        f"batch: {_q(draft.batch)}",
        f"area_code: {_q(draft.area_code)}",
        f"source: {_q(name)}",
        f"draft: [{', '.join(drafted_fields(draft))}]",
        "parts:",
    ]
    for part in draft.parts:
        out += [f"  - number: {part.number}", f"    name: {_q(part.name)}"]
        if part.count is not None:
            out.append(f"    count: {part.count}")
        out.append(f"    sections: {_flow(part.sections)}")
    offices = draft.offices()
    out += ["", "# 责任科室，每个科室一次，联系人和电话照原文。", "offices:" if offices else "offices: []"]
    for contact in offices:
        out += [f"  - name: {_q(contact.office)}", f"    contact: {_q(contact.person)}", f"    phone: {_q(contact.phone)}"]
    out += ["", "policies:"]
    for item in draft.items:
        out += [f"  - id: {_q(item.id)}", f"    draft: [{', '.join(['id', 'title', *item.doubtful])}]", f"    part: {item.part}"]
        if item.section is not None:
            out.append(f"    section: {_q(item.section)}")
        out += [
            f"    number: {item.number}",
            f"    title: {_q(item.title)}",
            f"    lead_units: {_flow(item.lead_units)}",
            f"    offices: {_flow(list(dict.fromkeys(c.office for c in item.contacts if c.office)))}",
            f"    content: {_q(item.content)}",
        ]
        if item.notes:
            out.append(f"    notes: {_flow(item.notes)}")
    return "\n".join(out) + "\n"

"""What an imported list's items say about whom to call, put together and checked: offices,
people and phones paired in order, phones without an area code or on a mobile, a phone with
another area code, a unit written two ways, an office given with two contacts. Each problem is
reported where it appears; the draft keeps what the list says."""
from __future__ import annotations

from collections import Counter

from .items import Contact, Item, short


def contacts(source: str, items: list[Item]) -> tuple[str, list[str], list[str]]:
    """Pair every item's offices, people and phones into contacts; the list's area code, the
    problems found and the notices (what the list as a whole does not give)."""
    area_code = _area_code(items)
    problems: list[str] = []
    has = {"科室": any(i.offices for i in items), "联系人": any(i.people for i in items),
           "电话": any(i.phones for i in items)}
    for item in items:
        phones = []
        for line, kind, number in item.phones:
            if kind == "full":
                phones.append((line, number))
            elif kind == "local" and area_code:
                phones.append((line, f"{area_code}-{number}"))
                problems.append(f"{source}:{line}: 电话“{number}”没有区号，草稿按清单中其他电话补上区号 {area_code}，请核实")
            else:
                what = "手机号" if kind == "mobile" else "电话（没有区号，清单中也没有其他带区号的电话）"
                item.notes.append(f"联系电话：{number}")
                problems.append(f"{source}:{line}: {what}“{number}”不能作为科室电话记录，已记入该项 notes，请核实后补上")
        what = {"科室": item.offices, "联系人": item.people, "电话": phones}
        for label, found in what.items():
            if not found and has[label]:
                problems.append(f"{source}:{item.line}: 第 {item.number} 项没有{label}，请补上后再用（草稿中留空）")
        counts = {label: len(found) for label, found in what.items() if found}
        if len(set(counts.values())) > 1:
            shown = "、".join(f"{label} {n} 个" for label, n in counts.items())
            problems.append(f"{source}:{item.line}: 第 {item.number} 项的科室、联系人、电话个数不一致（{shown}），已按顺序对应，请核对")
        offices = item.offices
        if not offices and (item.people or phones) and item.lead_units:
            offices = [(item.line, item.lead_units[0])]  # a contact of the lead unit itself
        for i in range(max(len(offices), len(item.people), len(phones))):
            line = next((found[i][0] for found in (phones, item.people, offices) if i < len(found)), item.line)
            item.contacts.append(Contact(
                office=offices[i][1] if i < len(offices) else "",
                person=item.people[i][1] if i < len(item.people) else "",
                phone=phones[i][1] if i < len(phones) else "",
                line=line,
            ))
    missing = [label for label, found in has.items() if not found]
    notices = [f"{source}: 清单没有写{'、'.join(missing)}，草稿中留空；查联系人时会说明这份清单没有列出联系方式"] if missing else []
    return area_code, problems, notices


def list_problems(source: str, items: list[Item], area_code: str) -> list[str]:
    return _phone_problems(source, items, area_code) + _spelling_problems(source, items) + _office_problems(source, items)


def _area_code(items: list[Item]) -> str:
    codes = Counter(number.split("-")[0] for item in items for _, kind, number in item.phones if kind == "full")
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
    frequent spelling is reported where it appears; an item whose lead units hold it marks them
    as drafted. Names are compared through keys with one
    character masked, so the work grows with the names, not with their pairs."""
    uses: dict[str, list[int]] = {}
    leading: dict[str, list[Item]] = {}
    for item in items:
        for unit in item.lead_units:
            uses.setdefault(unit, []).append(item.lead_line)
            leading.setdefault(unit, []).append(item)
        for contact in item.contacts:
            if contact.office:
                uses.setdefault(contact.office, []).append(contact.line)
    masked: dict[str, list[str]] = {}
    for name in uses:
        if len(name) >= 3:
            for i in range(1, len(name)):
                masked.setdefault(f"{name[:i]}\x00{name[i + 1:]}", []).append(name)
    problems = []
    for names in masked.values():
        for a in names:
            for b in names:
                rarer = len(uses[a]) < len(uses[b]) or (len(uses[a]) == len(uses[b]) and a > b)
                if a != b and rarer:
                    for item in leading.get(a, ()):  # its lead units are to confirm (`draft: [lead_units]`)
                        if "lead_units" not in item.doubtful:
                            item.doubtful.append("lead_units")
                    for line in uses[a]:
                        problems.append(f"{source}:{line}: 单位写作“{short(a, 40)}”，别处写作“{short(b, 40)}”（{len(uses[b])} 处），"
                                        "可能是同一单位的两种写法；草稿照原文记录，核实后请改正并在 notes 中说明")
    return problems


def _office_problems(source: str, items: list[Item]) -> list[str]:
    """An office given with another person or phone than where it first appears: the draft keeps
    the first (an office has one contact in the schema)."""
    first: dict[str, object] = {}
    problems = []
    for item in items:
        for c in item.contacts:
            if not c.office:
                continue
            seen = first.setdefault(c.office, c)
            if (seen.person, seen.phone) != (c.person, c.phone):
                problems.append(f"{source}:{c.line}: 科室“{short(c.office, 40)}”这里写作 {short(c.person, 40)} {c.phone}，第 {seen.line} 行写作 "
                                f"{short(seen.person, 40)} {seen.phone}；草稿按第一次出现的记录，请核实")
    return problems

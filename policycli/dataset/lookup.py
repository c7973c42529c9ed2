"""Find policies by id, number or title, and filter them by part, section, office and unit."""
from __future__ import annotations

import re
import unicodedata

from ..errors import InputError
from .model import PART_NUMERALS, Catalog, Policy

_NUMERAL_TO_PART = {v: k for k, v in PART_NUMERALS.items()}
# "3" → part 一 item 3; "2-3", "二-3", "二3", "2.3" → part 二 item 3. A part given as a digit needs
# the separator: "15" is part 一 item 15, not part 1 item 5.
_REF = re.compile(r"^(?:([1-9])\s*[-－.、]\s*|([一二三四五])\s*[-－.、]?\s*)?(\d{1,3})$")


def normalize(text: str) -> str:
    """Fold full-width forms and case so 'ＶＲ' and 'vr' compare equal to 'VR'."""
    return unicodedata.normalize("NFKC", text).strip().lower()


def parse_ref(text: str) -> tuple[int, int] | None:
    match = _REF.match(normalize(text))
    if not match:
        return None
    digit, numeral, number = match.groups()
    if numeral:
        return _NUMERAL_TO_PART[numeral], int(number)
    return (int(digit) if digit else 1), int(number)


class Ambiguous(InputError):
    """What was typed fits several policies about equally well."""


def ambiguous(text: str, policies: list[Policy], more: str = "", keys: bool = False, how: str = "") -> Ambiguous:
    """The one-line error naming the candidates (LIST:ID where two lists share an id, or every one
    with `keys`); `how`, another way to choose, after the usual one."""
    ids = [p.id for p in policies]
    named = "、".join(f"{p.key if keys or ids.count(p.id) > 1 else p.id}（{p.title}）" for p in policies)
    return Ambiguous(f"“{text.strip()}”可指多项政策：{named}{more}；请写其中一项的编号{how}")


def _one(query: str, found: list[Policy]) -> Policy | None:
    if len(found) > 1:
        raise ambiguous(query, found)
    return found[0] if found else None


def list_prefix(catalog: Catalog, q: str) -> tuple[str | None, str]:
    """"LIST:rest" → (LIST, rest) when LIST names a list of the library; an unknown LIST before an id
    is an error naming the lists; anything else (a title holding a colon) → (None, q)."""
    name, colon, rest = q.replace("：", ":").partition(":")
    if not colon or not catalog.lists:
        return None, q
    for info in catalog.lists:
        if normalize(info.name) == normalize(name):
            return info.name, rest.strip()
    aside = next((n for n in catalog.set_aside if normalize(n) == normalize(name)), None)
    if aside is not None:  # an import draft of the library, read only when named
        raise InputError(f"清单“{aside}”是还有草拟内容待确认的草稿，默认不查", code="draft_set_aside",
                         value=aside, next="name_the_draft")
    if re.fullmatch(r"[a-z][a-z0-9_-]*|[0-9一二三四五\-－.、]+", normalize(rest)):
        names = "、".join(i.name for i in catalog.lists)
        raise InputError(f"没有名为“{name.strip()}”的清单，可选：{names}；写法如 {catalog.lists[0].name}:编号")
    return None, q


def as_in_list(policy: Policy, name: str) -> Policy | None:
    """The policy as list `name` holds it: itself when it is that list's, the same policy named by
    that list's id, at that list's number, when it is continued there unchanged (see `combine`), else None."""
    if policy.list == name:
        return policy
    for i, other in enumerate(policy.also):
        held, _, pid = other.partition(":")
        if held == name:
            from dataclasses import replace

            where = (policy.place, *policy.also_at)
            here = Policy.placed(where[i + 1]) if len(where) == len(policy.also) + 1 else {}
            return replace(policy, id=pid, list=name, **here,
                           also=tuple(a for a in (policy.key, *policy.also) if a != other),
                           also_at=tuple(w for j, w in enumerate(where) if j != i + 1) if here else ())
    return None


def in_list(catalog: Catalog, name: str) -> list[Policy]:
    """The policies of list `name`, each as that list holds it (see `as_in_list`)."""
    return [own for p in catalog.policies if (own := as_in_list(p, name)) is not None]


def _find_in_list(catalog: Catalog, name: str, q: str) -> Policy:
    """A policy of list `name` by its id there, else by number or title among that list's policies."""
    from dataclasses import replace

    if not q:
        raise InputError(f"请在“{name}:”后写政策编号，例如 {name}:techretrofit", code="no_policy_given",
                         next="policy_ids")
    own = in_list(catalog, name)
    found = [p for p in own if p.id == q]
    if found:
        return found[0]
    info = catalog.list_info(name)
    mine = replace(catalog, policies=tuple(own), lists=(), parts=info.parts if info else catalog.parts)
    try:
        return find_policy(mine, q)
    except Ambiguous:
        raise
    except InputError as exc:
        if exc.code != "unknown_policy":
            raise
    hints = "、".join(f"{name}:{p.id}（{p.title}）" for p in suggest_policies(mine, q))
    raise InputError(f"清单“{name}”中未找到政策“{q}”" + (f"；是否要找：{hints}" if hints else ""),
                     code="unknown_policy", field="ref", value=f"{name}:{q}", next="policy_ids")


def find_policy(catalog: Catalog, query: str) -> Policy:
    """Resolve an id, a printed number (see `parse_ref`) or a title to one policy; LIST:… within one
    list of a library. Several policies of different lists are an `Ambiguous` error."""
    name, q = list_prefix(catalog, normalize(query))
    if name is not None:
        return _find_in_list(catalog, name, q)
    if not q:
        raise InputError("请给出政策编号，例如 techretrofit", code="no_policy_given", next="policy_ids")
    by_id = _one(query, [p for p in catalog.policies if p.id == q or any(a.split(":", 1)[1] == q for a in p.also)])
    if by_id is not None:
        return by_id
    ref = parse_ref(q)
    if ref is not None:
        numbered = _numbered(catalog, ref)
        if len(numbered) > 1:  # the same number in several lists: which list's
            several = len({p.list for p in numbered}) > 1
            how = f"，或在序号前写清单名称，如 {numbered[0].list}:{query.strip()}" if several else ""
            raise ambiguous(query, numbered, keys=several, how=how)
        if numbered:
            return numbered[0]
        part = catalog.part(ref[0])
        count = sum(1 for p in catalog.policies if p.part == ref[0])
        where = f"第{part.numeral}部分只有 {count} 项" if part else f"没有第 {ref[0]} 部分"
        raise InputError(f"没有序号为 {query} 的政策（{where}）", code="unknown_ref", field="ref", value=query,
                         next="policy_refs")
    titled = [p for p in catalog.policies if q == normalize(p.title)] or [
        p for p in catalog.policies if q in normalize(p.title)
    ]
    if len(titled) == 1:
        return titled[0]
    hints = suggest_policies(catalog, query)
    hint = "；是否要找：" + "、".join(f"{p.id}（{p.title}）" for p in hints) if hints else ""
    raise InputError(f"未找到政策“{query}”{hint}", code="unknown_policy", field="ref", value=query,
                     valid=[p.id for p in hints], next="policy_ids")


def _numbered(catalog: Catalog, ref: tuple[int, int]) -> list[Policy]:
    """The policies at (part, number) `ref`: in a library, each list's own (a policy continued
    unchanged may stand at another number in an older list: `Policy.also_at`)."""
    found = []
    for p in catalog.policies:
        if (p.part, p.number) == ref:
            found.append(p)
            continue
        for other, place in zip(p.also, p.also_at) if catalog.lists else ():  # not within one list's
            at = Policy.placed(place)
            if (at["part"], at["number"]) == ref and (held := as_in_list(p, other.partition(":")[0])) is not None:
                found.append(held)
                break
    return found


def suggest_policies(catalog: Catalog, query: str, limit: int = 3) -> list[Policy]:
    from rapidfuzz import fuzz, process

    q = normalize(query)
    choices = {p.id: f"{p.id} {normalize(p.title)}" for p in catalog.policies}
    scored = process.extract(q, choices, scorer=fuzz.WRatio, limit=limit, score_cutoff=50)
    by_id = {p.id: p for p in catalog.policies}
    return [by_id[key] for _, _, key in scored]


def match_choice(value: str, choices: list[str], what: str) -> list[str]:
    """Forgiving match of a filter value: exact, then substring, then a close typo."""
    found = match_names(value, choices) or close_names(value, choices)
    if found:
        return found
    options = "、".join(choices)
    raise InputError(f"{what}“{value}”不存在，可选：{options}")


def match_names(value: str, choices: list[str]) -> list[str]:
    """The choices equal to `value` when there are any, else those containing it (or contained in it)."""
    q = normalize(value)
    folded = {c: normalize(c) for c in choices}
    exact = [c for c, f in folded.items() if f == q]
    if exact:
        return exact
    return [c for c, f in folded.items() if q in f or (len(f) >= 2 and f in q)]


def close_names(value: str, choices: list[str]) -> list[str]:
    """The choices `value` is a close typo of (rapidfuzz partial ratio ≥ 75), best score only."""
    from rapidfuzz import fuzz, process

    folded = {c: normalize(c) for c in choices}
    close = process.extract(normalize(value), folded, scorer=fuzz.partial_ratio, limit=3, score_cutoff=75)
    if not close:
        return []
    best = close[0][1]
    return [key for _, score, key in close if score == best]


def parse_part(value: str, catalog: Catalog) -> int:
    """A part by number (1, 一), by year (2024) or by a piece of its name (延续执行)."""
    q = normalize(value)
    if q in _NUMERAL_TO_PART:
        q = str(_NUMERAL_TO_PART[q])
    if q.isdigit() and len(q) <= 2:  # a part number; "3" is not a piece of "2023年…"
        if catalog.part(int(q)):
            return int(q)
        options = "、".join(f"{p.number}/{p.numeral}（{p.name}）" for p in catalog.parts)
        raise InputError(f"没有第 {value.strip()} 部分，可选：{options}")
    names = {p.name: p.number for p in catalog.parts}
    matched = match_choice(value, list(names), "部分")
    if len(matched) > 1:
        numbers = " 或 ".join(str(p.number) for p in catalog.parts)
        raise InputError(f"部分“{value}”可指 {'、'.join(matched)}，请写 {numbers}")
    return names[matched[0]]


def filter_policies(
    catalog: Catalog,
    *,
    part: str | None = None,
    section: str | None = None,
    office: str | None = None,
    unit: str | None = None,
) -> list[Policy]:
    policies = list(catalog.policies)
    if part:
        number = parse_part(part, catalog)
        policies = [p for p in policies if p.part == number]
    if section:
        sections = [s for pt in catalog.parts for s in pt.sections]
        wanted = set(match_choice(section, sections, "节"))
        policies = [p for p in policies if p.section in wanted]
    if office:
        wanted = set(match_choice(office, [o.name for o in catalog.offices], "科室"))
        policies = [p for p in policies if any(o.name in wanted for o in p.offices)]
    if unit:
        units = sorted({u for p in catalog.policies for u in p.lead_units})
        wanted = set(match_choice(unit, units, "牵头单位"))
        policies = [p for p in policies if wanted & set(p.lead_units)]
    return policies

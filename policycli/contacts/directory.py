"""Whom to call: the directory of responsible offices, and what a query finds in it.

A query is tried, as typed, against phone numbers (86168249, 0532-86168249, +86 532 8616 8249),
office names (exact, then fragments), contact people, lead units (牵头单位) and policies (id,
printed number, title, keyword); the first kind that matches wins. Only
when nothing matches as typed is it read as a typo of an office, a person or a unit (close spelling,
an abbreviation, or the same pinyin). Nothing at all raises `NotFound` with the closest names.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from ..dataset.lookup import Ambiguous, close_names, find_policy, match_names, normalize, parse_ref, suggest_policies
from ..dataset.catalog import PHONE_PATTERN
from ..dataset.model import Catalog, Office, Policy
from ..errors import InputError, NotFound
from ..phonetics import pinyin as phonetics

# The list's offices are those of 区工信局 (its column heading is 区工信局责任科室); this is that
# bureau's full name, placed after the region to name the organisation on contact cards.
BUREAU = "工业和信息化局"

BY_OFFICE, BY_PERSON, BY_UNIT, BY_POLICY, BY_PHONE = "office", "person", "unit", "policy", "phone"


@dataclass(frozen=True)
class PolicyRef:
    """A policy as a contact entry names it: id, printed number and title."""

    id: str
    ref: str  # "一-3": part 一, item 3
    label: str  # "一-3", as shown to people
    title: str
    list: str = ""

    @classmethod
    def of(cls, policy: Policy) -> PolicyRef:
        return cls(id=policy.id, ref=policy.ref, label=policy.label, title=policy.title, list=policy.list)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "list": self.list, "ref": self.ref, "title": self.title}


@dataclass(frozen=True)
class Entry:
    """One office with its contact, the policies it handles (here) and their lead units."""

    office: Office
    policies: tuple[PolicyRef, ...]
    lead_units: tuple[str, ...]
    organisation: str = ""  # the bureau of the office's lists, e.g. 青岛市黄岛区工业和信息化局

    def to_dict(self) -> dict[str, Any]:
        return {
            "office": self.office.name,
            "person": self.office.contact,
            "phone": self.office.phone,
            "note": self.office.note,
            "policies": [p.to_dict() for p in self.policies],
            "lead_units": list(self.lead_units),
            "lists": list(self.office.lists),
        }


@dataclass(frozen=True)
class Group:
    """What one matched name (office, person, unit or policy id) leads to: policies and whom to call."""

    by: str | None  # BY_OFFICE, BY_PERSON, BY_UNIT, BY_POLICY, BY_PHONE; None for the whole directory
    key: str  # the name matched; "" for the whole directory
    policies: tuple[PolicyRef, ...]
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class ContactResult:
    query: str | None
    by: str | None
    approximate: bool  # matched as a typo, not as typed
    organisation: str  # e.g. 青岛市黄岛区工业和信息化局
    groups: tuple[Group, ...]
    directory: tuple[Entry, ...] = field(default=(), repr=False, compare=False)

    def to_list(self) -> list[dict[str, Any]]:
        """One object per (match, office), for json / yaml / csv."""
        return [
            {
                "matched_by": group.by,
                "matched": group.key or None,
                "approximate": self.approximate,
                **entry.to_dict(),
                "organisation": entry.organisation or self.organisation,
            }
            for group in self.groups
            for entry in group.entries
        ]

    def cards(self) -> list[Entry]:
        """Each office in the result once, with every policy it handles (for contact cards)."""
        wanted = {_office_key(e.office) for g in self.groups for e in g.entries}
        return [e for e in self.directory if _office_key(e.office) in wanted]


# --- the directory -----------------------------------------------------------------------------


def organisation_of(catalog: Catalog, lists: Iterable[str] = ()) -> str:
    """青岛市黄岛区（西海岸新区） → 青岛市黄岛区工业和信息化局 (the alias in brackets is dropped); in a
    library, the regions of `lists` (all lists when none is named), each once, lists without a region left out."""
    wanted = set(lists)
    infos = [i for i in catalog.lists if not wanted or i.name in wanted]
    named = [i.region for i in infos] if catalog.lists else [catalog.region]
    regions = dict.fromkeys(r for r in (re.sub(r"[（(][^）)]*[）)]", "", n).strip() for n in named) if r)
    return "、".join(regions) + BUREAU


def directory(catalog: Catalog) -> tuple[Entry, ...]:
    """Every office (in a library, once per name, person and phone, naming every list it comes from
    with every list's note: see dataset.combine), in dataset order, with all the policies it handles."""
    handled: dict[tuple[str, str, str], list[Policy]] = {_office_key(o): [] for o in catalog.offices}
    for policy in catalog.policies:
        for key in dict.fromkeys(_office_key(o) for o in policy.offices):
            if key in handled:
                handled[key].append(policy)
    codes = list_area_codes(catalog)
    return tuple(_entry(_warned(o, codes), handled[_office_key(o)], organisation_of(catalog, o.lists))
                 for o in catalog.offices)


def _office_key(office: Office) -> tuple[str, str, str]:
    return office.name, office.contact, office.phone


def _warned(office: Office, codes: dict[str, str]) -> Office:
    """The office with an area-code warning as its note when no list gives one but the phone's area
    code is not that of one of its lists."""
    if office.note:
        return office
    warning = area_code_warning(office.phone, office.lists, codes)
    return replace(office, note=warning) if warning else office


def list_area_codes(catalog: Catalog) -> dict[str, str]:
    """Each list's area code by list name ("" for a catalog of one list); a list without one takes the
    area code most of the other lists have."""
    if not catalog.members:
        return {"": catalog.area_code or ""}
    codes = {info.name: info.area_code or "" for info in catalog.lists}
    common = Counter(c for c in codes.values() if c).most_common(1)
    return {name: code or (common[0][0] if common else "") for name, code in codes.items()}


def area_code_warning(phone: str, lists: tuple[str, ...], codes: dict[str, str]) -> str | None:
    """核实提示 naming the lists whose area code differs from the phone's; None when none does."""
    match = PHONE_PATTERN.match(phone)
    if not match:
        return None
    own = match.group(1)
    differ = [(name, codes[name]) for name in (lists or ("",)) if codes.get(name) and codes[name] != own]
    if not differ:
        return None
    where = "、".join(f"清单 {name} 的区号 {code}" if name else f"清单区号 {code}" for name, code in differ)
    return f"核实提示（比对所得，非清单原文）：电话区号为 {own}，与{where} 不同，拨打前请核实。"


def _entry(office: Office, policies: Iterable[Policy], organisation: str = "") -> Entry:
    policies = list(policies)
    units = dict.fromkeys(u for p in policies for u in p.lead_units)
    return Entry(office, tuple(PolicyRef.of(p) for p in policies), tuple(units), organisation)


def _contacts_for(entries: tuple[Entry, ...], policies: list[Policy]) -> tuple[Entry, ...]:
    """The offices to call for `policies`, each with the ones among them it handles."""
    wanted = {(p.list, p.id) for p in policies} | {tuple(a.split(":", 1)) for p in policies for a in p.also}
    found = []
    for entry in entries:
        handled = [r for r in entry.policies if (r.list, r.id) in wanted]
        if handled:
            found.append(Entry(entry.office, tuple(handled), _units(policies, handled), entry.organisation))
    return tuple(found)


def _units(policies: list[Policy], refs: list[PolicyRef]) -> tuple[str, ...]:
    keys = {(r.list, r.id) for r in refs}
    return tuple(dict.fromkeys(u for p in policies if {(p.list, p.id), *(tuple(a.split(":", 1)) for a in p.also)} & keys
                               for u in p.lead_units))


def lead_units(catalog: Catalog) -> list[str]:
    """Every lead unit, in order of first appearance in the list."""
    return list(dict.fromkeys(u for p in catalog.policies for u in p.lead_units))


def people(catalog: Catalog) -> list[str]:
    return list(dict.fromkeys(o.contact for o in catalog.offices))


# --- finding -----------------------------------------------------------------------------------


def find_contacts(catalog: Catalog, query: str | None = None,
                  winner: Callable[[str], Policy | None] | None = None,
                  plain_words: Collection[str] = ()) -> ContactResult:
    """The whole directory (no query), or what `query` matches; see the module docstring. When
    nothing matches, `winner` (given by an interface: the policy a search finds with one clear
    winner, or None) names the policy whose contacts to give. A query made only of `plain_words`
    (words any policy uses: 补贴, 政策, 奖励; given by an interface) matches whole names only: no
    part of a name, title or keyword, no typo, no search winner."""
    if not catalog.offices:
        raise NotFound(f"这份清单（{catalog.title or catalog.path}）没有列出科室、联系人或电话；请查看清单原文或向发文单位询问",
                       code="no_contacts")
    entries = directory(catalog)
    organisation = organisation_of(catalog)
    q = (query or "").strip()
    if not q:
        everything = tuple(PolicyRef.of(p) for p in catalog.policies)
        return ContactResult(None, None, False, organisation, (Group(None, "", everything, entries),), entries)
    if is_phone_number(q):  # a number names a phone, never a policy by its digits
        groups = _phone_groups(entries, q)
        if groups:
            return ContactResult(q, BY_PHONE, False, organisation, tuple(groups), entries)
        raise NotFound(unknown_phone_message(entries, q), code="unknown_phone", field="query", value=q,
                       next="all_contacts")
    typo = len(q) <= typo_length(catalog)
    plain = only_plain_words(q, plain_words)
    tries = ((False, _as_named),) if plain else ((False, _as_typed), (True, _as_typo))[: 2 if typo else 1]
    for approximate, attempts in tries:
        for by, groups in attempts(catalog, entries, q):
            if groups:
                return ContactResult(q, by, approximate, organisation, tuple(groups), entries)
    found = winner(q) if winner and typo and not plain else None
    if found is not None:
        return ContactResult(q, BY_POLICY, False, organisation, tuple(_policy_groups(entries, [found])), entries)
    raise NotFound(not_found_message(catalog, q) if typo else too_long_message(catalog, q), code="unknown_contact",
                   field="query", value=q, next="all_contacts")


def typo_length(catalog: Catalog) -> int:
    """The longest query that can be a typo of a name: a name's pinyin typed out (at most six letters
    a character) and a little more. A longer one is only looked up as typed, which takes time in
    proportion to its length; comparing it by sound and spelling with every name would not."""
    return 6 * longest_name(catalog) + 8


def longest_name(catalog: Catalog) -> int:
    names = [o.name for o in catalog.offices] + people(catalog) + lead_units(catalog)
    return max((len(n) for n in names), default=0)


def too_long_message(catalog: Catalog, query: str) -> str:
    from ..dataset.text import clipped

    return (f"未找到与“{clipped(query)}”对应的科室、联系人、牵头单位或政策：科室、人名和单位都不超过 "
            f"{longest_name(catalog)} 字，请只写其中一个")


def _office_groups(entries: tuple[Entry, ...], names: list[str]) -> list[Group]:
    return [Group(BY_OFFICE, e.office.name, e.policies, (e,)) for e in entries if e.office.name in names]


def _person_groups(entries: tuple[Entry, ...], names: list[str]) -> list[Group]:
    groups = []
    for name in names:
        theirs = tuple(e for e in entries if e.office.contact == name)
        handled = tuple(dict.fromkeys(p for e in theirs for p in e.policies))
        groups.append(Group(BY_PERSON, name, handled, theirs))
    return groups


def _unit_groups(catalog: Catalog, entries: tuple[Entry, ...], units: list[str]) -> list[Group]:
    groups = []
    for unit in units:
        led = [p for p in catalog.policies if unit in p.lead_units]
        groups.append(Group(BY_UNIT, unit, tuple(PolicyRef.of(p) for p in led), _contacts_for(entries, led)))
    return groups


def _policy_groups(entries: tuple[Entry, ...], policies: list[Policy]) -> list[Group]:
    return [Group(BY_POLICY, p.id, (PolicyRef.of(p),), _contacts_for(entries, [p])) for p in policies]


def matching_policies(catalog: Catalog, query: str) -> list[Policy]:
    """`find_policy` (id, printed number, title); else every policy whose title contains the query
    or that has it as a keyword. A number that names no policy is `NotFound` with find_policy's reason."""
    try:
        return [find_policy(catalog, query)]
    except InputError as exc:
        if isinstance(exc, Ambiguous) or exc.code == "no_policy_given":  # the user chooses, or writes the id
            raise
        if parse_ref(query) is not None:
            raise NotFound.like(exc) from None
    q = normalize(query)
    return [p for p in catalog.policies if q in normalize(p.title) or q in {normalize(k) for k in p.keywords}]


Attempts = Iterator[tuple[str, list[Group]]]


def same_phone(typed: str, phone: str) -> bool:
    """Whether `typed` is `phone` as people write it: the local number (86168249), with the area
    code (0532-86168249, 053286168249) or with the country code (+86 532 8616 8249)."""
    if not all(ch.isdigit() or ch in " -+()（）" for ch in typed):
        return False
    said = "".join(ch for ch in typed if ch.isdigit())
    number = "".join(ch for ch in phone if ch.isdigit())
    if len(said) < 7 or not number:
        return False
    if number.endswith(said):
        return True
    for country in ("0086", "86"):
        if said.startswith(country) and number.lstrip("0").endswith(said[len(country):].lstrip("0")):
            return True
    return False


def is_phone_number(typed: str) -> bool:
    """`typed` is written as a phone number: digits (at least seven) and the signs people put
    between them."""
    return all(ch.isdigit() or ch in " -+()（）" for ch in typed) and sum(ch.isdigit() for ch in typed) >= 7


def one_digit_off(typed: str, phone: str) -> bool:
    """`typed` is `phone` (its last digits, as many as were typed; a country code read as the
    area code's 0) with exactly one digit different."""
    said = "".join(ch for ch in typed if ch.isdigit())
    number = "".join(ch for ch in phone if ch.isdigit())
    spellings = [said] + ["0" + said[len(c):].lstrip("0") for c in ("0086", "86") if said.startswith(c)]
    return any(sum(a != b for a, b in zip(s, number[-len(s):], strict=True)) == 1
               for s in spellings if len(s) <= len(number))


def other_area_code(typed: str, phone: str) -> bool:
    """`typed` has `phone`'s local number (its last eight digits) after another area code."""
    said = "".join(ch for ch in typed if ch.isdigit())
    for country in ("0086", "86"):
        if said.startswith(country) and len(said) > 10:
            said = "0" + said[len(country):].lstrip("0")
    number = "".join(ch for ch in phone if ch.isdigit())
    return (len(said) > 8 and len(number) > 8 and said[-8:] == number[-8:]
            and said[:-8].lstrip("0") != number[:-8].lstrip("0"))


def unknown_phone_message(entries: tuple[Entry, ...], typed: str) -> str:
    """No contact has the number; a number one digit away, or the same local number after another
    area code, is offered as a question, not a match."""
    kinds = (("该号码与所写号码差一位数字", one_digit_off), ("该号码与所写号码区号不同", other_area_code))
    for difference, near_to in kinds:
        near = [e.office for e in entries if near_to(typed, e.office.phone)]
        if len(near) == 1:
            office = near[0]
            return (f"没有联系人的电话是“{typed}”；是否指 {office.phone}（{office.name} {office.contact}）？"
                    f"{difference}，拨打前请核对")
    return f"没有联系人的电话是“{typed}”"


def _phone_groups(entries: tuple[Entry, ...], q: str) -> list[Group]:
    return [Group(BY_PHONE, e.office.phone, e.policies, (e,)) for e in entries if same_phone(q, e.office.phone)]


def _as_typed(catalog: Catalog, entries: tuple[Entry, ...], q: str) -> Attempts:
    """In order of precedence; each kind is only looked at when the ones before found nothing."""
    yield BY_PHONE, _phone_groups(entries, q)
    yield BY_OFFICE, _office_groups(entries, match_names(q, [o.name for o in catalog.offices]))
    yield BY_PERSON, _person_groups(entries, match_names(q, people(catalog)))
    yield BY_UNIT, _unit_groups(catalog, entries, match_names(q, lead_units(catalog)))
    yield BY_POLICY, _policy_groups(entries, matching_policies(catalog, q))


def _as_named(catalog: Catalog, entries: tuple[Entry, ...], q: str) -> Attempts:
    """As `_as_typed`, whole names and titles only."""
    def named(choices: list[str]) -> list[str]:
        return [c for c in choices if normalize(c) == normalize(q)]

    yield BY_OFFICE, _office_groups(entries, named([o.name for o in catalog.offices]))
    yield BY_PERSON, _person_groups(entries, named(people(catalog)))
    yield BY_UNIT, _unit_groups(catalog, entries, named(lead_units(catalog)))
    yield BY_POLICY, _policy_groups(entries, [p for p in catalog.policies if normalize(p.title) == normalize(q)])


def only_plain_words(query: str, words: Collection[str]) -> bool:
    """Whether `query` is made only of `words` (longest first, each as often as it comes) and
    punctuation: 补贴, 有没有补贴？, 政策 资金."""
    rest = normalize(query)
    for word in sorted(words, key=len, reverse=True):
        rest = rest.replace(word, " ")
    return bool(words) and not re.sub(r"[\W_]", "", rest)


# --- typos -------------------------------------------------------------------------------------


def like_names(query: str, names: list[str]) -> list[str]:
    """Names `query` is a typo or abbreviation of: close spelling (信息画管理科), the characters in
    order (数字新区办公室, 人行), or the same sounds (信息画, xinxihua)."""
    return (
        close_names(query, names)
        or [n for n in names if abbreviates(query, n)]
        or [n for n in names if phonetics.sounds_within(query, n)]
    )


def like_person(query: str, names: list[str]) -> list[str]:
    """The one person `query` clearly means: same pinyin (陈慧平, chenhuiping), or one character off
    in a name of three or more; nothing when that is not unique."""
    same_sound = [n for n in names if phonetics.sounds_within(query, n, whole=True)]
    if len(same_sound) == 1:
        return same_sound
    q = normalize(query)
    one_off = [n for n in names if len(n) == len(q) >= 3 and sum(a != b for a, b in zip(n, q, strict=True)) == 1]
    return one_off if len(one_off) == 1 else []


def abbreviates(query: str, name: str) -> bool:
    """All of the query's characters (at least two) occur in `name`, in order: 发改局 → 发展和改革局."""
    q = normalize(query)
    if len(q) < 2 or len(q) >= len(name):
        return False
    rest = iter(normalize(name))
    return all(ch in rest for ch in q)


def _as_typo(catalog: Catalog, entries: tuple[Entry, ...], q: str) -> Attempts:
    yield BY_OFFICE, _office_groups(entries, like_names(q, [o.name for o in catalog.offices]))
    yield BY_PERSON, _person_groups(entries, like_person(q, people(catalog)))
    yield BY_UNIT, _unit_groups(catalog, entries, like_names(q, lead_units(catalog)))


# --- nothing found -----------------------------------------------------------------------------


def not_found_message(catalog: Catalog, query: str, limit: int = 3) -> str:
    """未找到…；是否要找：the closest offices and people (by spelling or sound), and policy ids."""
    from rapidfuzz import fuzz

    said = phonetics.syllables(query)
    scored = []
    for office in catalog.offices:
        for name, other in ((office.name, office.contact), (office.contact, office.name)):
            # spelling, or sound compared syllable by syllable (王小明 ≈ 王晓东)
            score = max(fuzz.WRatio(normalize(query), normalize(name)), fuzz.ratio(said, phonetics.syllables(name)))
            scored.append((score, f"{name}（{other}）"))
    scored.sort(key=lambda item: -item[0])
    hints = list(dict.fromkeys(label for score, label in scored if score >= 50))[:limit]
    hints += [f"{p.id}（{p.title}）" for p in suggest_policies(catalog, query, limit=2)]
    hint = "；是否要找：" + "、".join(hints) if hints else ""
    return f"未找到与“{query}”对应的科室、联系人、牵头单位或政策{hint}"


def completions(catalog: Catalog, incomplete: str) -> list[tuple[str, str]]:
    """Office names, people and lead units that start with (or contain) what was typed, with help."""
    q = normalize(incomplete)
    items = [(o.name, f"{o.contact} {o.phone}") for o in catalog.offices]
    items += [(o.contact, f"{o.name} {o.phone}") for o in catalog.offices]
    items += [(u, "牵头单位") for u in lead_units(catalog)]
    seen: set[str] = set()
    starts, contains = [], []
    for value, help_text in items:
        if value in seen:
            continue
        seen.add(value)
        folded = normalize(value)
        if folded.startswith(q):
            starts.append((value, help_text))
        elif q in folded:
            contains.append((value, help_text))
    return starts + contains

"""Several lists as one catalog that keeps each policy's list.

Every policy and office is tagged with its list (`Policy.list`, `Office.lists`); the lists' own
metadata and parts are in `Catalog.lists`. A policy continued in a later list (its content paired by
`pairing.pair_texts`, as `policy diff` pairs policies) is kept once, in its newest list's version,
naming the others in `Policy.also`, only when the versions are the same in everything a user relies
on (`same_for_users`: title, text, amounts and conditions, lead units, offices, people and phones;
what an import draft has not written or marks as drafted is no difference);
a version that changed is a policy of its own, naming the others in `Policy.versions`. Lists are
ordered newest first."""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import fields, replace

from .model import Catalog, ListInfo, Office, Part, Policy
from .rows import PolicyRows, field_of

EVERY_PAIR = 2_500  # a list's texts are scored against every one kept when that is at most this many pairs


def combine(named: Sequence[tuple[str, Catalog]], problems: tuple[str, ...] = (), earlier: Catalog | None = None,
            paired: Callable[[int], None] | None = None) -> Catalog:
    """One catalog of the lists `named` (name, catalog); `problems` (lists left out) become its
    warnings. `earlier`, when given, is a catalog combined before: when it holds every list but the
    last shown (one list added to a library), the lists it holds are not paired again. `paired`
    is told the number of lists paired so far, as they are."""
    ordered = sorted(named, key=lambda nc: -nc[1].year)
    infos = tuple(_info(name, c) for name, c in ordered)
    offices: dict[tuple, Office] = {}
    for name, catalog in ordered:
        _merge_offices(offices, name, catalog)
    before = earlier is not None and len(ordered) > 2 and len(earlier.lists) == len(ordered) - 1 and (
        earlier.digest == library_digest([(n, c.digest) for n, c in ordered[:-1]]))
    also = (_continued([(name, c.policies) for name, c in ordered[-1:]], earlier.policies, paired) if before and earlier
            else _continued([(name, c.policies) for name, c in ordered], paired=paired))
    policies = []
    for name, catalog in ordered:
        for p in catalog.policies:
            if (name, p.id) in also.absorbed:
                continue
            policies.append(_changed(p, list=name, offices=_offices_of(p, offices), **_versions_of(also, (name, p.id))))
    first = ordered[0][1] if ordered else None
    regions = list(dict.fromkeys(c.region for _, c in ordered))
    return Catalog(
        title=first.title if len(ordered) == 1 and first else f"政策清单（{len(ordered)} 份）",
        region="、".join(regions),
        year=max((c.year for _, c in ordered), default=0),
        batch=first.batch if len(ordered) == 1 and first else "",
        area_code=first.area_code if first else "",
        source=first.source if len(ordered) == 1 and first else "",
        parts=_parts(c for _, c in ordered),
        offices=tuple(offices.values()),
        policies=tuple(policies),
        path=first.path if len(ordered) == 1 and first else "",
        # one list's own digest when it is alone: its search index is the same (kept per list)
        digest=first.digest if len(ordered) == 1 and first else
        library_digest([(n, c.digest) for n, c in ordered]),
        warnings=problems,
        lists=infos,
        members=tuple(c for _, c in ordered),  # the search index is kept per list (search.index)
    )


def library_digest(lists: Sequence[tuple[str, str]], before: str = "") -> str:
    """The digest of a library of the lists (name, digest) in this order (its search index is kept
    under it), each list's taken after the digest of those before it: the library with one list
    more after them all has the digest of (that library's, the list's)."""
    for name, digest in lists:
        before = hashlib.sha256(f"{before}\n{name}:{digest}".encode()).hexdigest()
    return before


def _merge_offices(offices: dict[tuple, Office], name: str, catalog: Catalog) -> None:
    """One office per name, person and phone, with every list's note: list `name`'s offices added."""
    for o in catalog.offices:
        key = (o.name, o.contact, o.phone)
        seen = offices.get(key)
        if seen is None:
            offices[key] = replace(o, lists=(name,))
        else:
            notes = dict.fromkeys(n for n in (seen.note, o.note) if n)
            offices[key] = replace(seen, lists=(*seen.lists, name), note="\n".join(notes) or None)


def grown(earlier: Catalog, name: str, catalog: Catalog) -> Catalog:
    """`combine` of the lists `earlier` combined and `catalog` (list `name`) shown after them all,
    made from `earlier` (a library of two lists or more) without reading or pairing its lists again:
    only the new list is paired, and a policy of theirs is made again only where the new list
    changed it (an office it shares, a version or an unchanged copy it adds). Its members are
    `earlier` and `catalog` (the search index is the one of `earlier` and the new list's, joined)."""
    offices = {(o.name, o.contact, o.phone): o for o in earlier.offices}
    _merge_offices(offices, name, catalog)
    also = _continued([(name, catalog.policies)], earlier.policies)
    values = {f.name: field_of(earlier.policies, f.name) for f in fields(Policy)}  # made as policies when used
    now = {id(o): offices[(o.name, o.contact, o.phone)] for o in earlier.offices}  # each office as merged now
    values["offices"] = [tuple(now[id(o)] if id(o) in now else offices[(o.name, o.contact, o.phone)] for o in mine)
                         for mine in values["offices"]]
    paired = {*also.of, *also.at, *also.versions}
    for position, key in enumerate(zip(map(str, values["list"]), values["id"])):
        if key in paired:
            for field, value in _versions_of(also, key).items():
                values[field][position] = value
    for p in catalog.policies:
        if (name, p.id) not in also.absorbed:
            made = _changed(p, list=name, offices=_offices_of(p, offices), **_versions_of(also, (name, p.id)))
            for field, column in values.items():
                column.append(getattr(made, field))
    lists = (*earlier.lists, _info(name, catalog))
    return replace(earlier, title=f"政策清单（{len(lists)} 份）",
                   region="、".join(dict.fromkeys([*(info.region for info in earlier.lists), catalog.region])),
                   year=max(earlier.year, catalog.year), parts=_parts([earlier, catalog]),
                   offices=tuple(offices.values()), policies=PolicyRows.of_values(values),
                   digest=library_digest([(name, catalog.digest)], earlier.digest),
                   warnings=(), lists=lists, members=(earlier, catalog))


def _offices_of(policy: Policy, offices: dict[tuple, Office]) -> tuple[Office, ...]:
    """The library's offices (merged across lists) of a list's policy."""
    return tuple(offices[(o.name, o.contact, o.phone)] for o in policy.offices)


def _versions_of(also: _Continued, key: tuple[str, str]) -> dict[str, tuple[str, ...]]:
    """What pairing found for the policy `key` (list, id): the fields `also`, `also_at`, `versions`."""
    return {"also": also.of.get(key, ()), "also_at": also.at.get(key, ()), "versions": also.versions.get(key, ())}


def _changed(policy: Policy, **fields: object) -> Policy:
    """`dataclasses.replace(policy, **fields)` for a policy (a frozen dataclass with no checks of its
    own) without calling its __init__: a grown library remakes most of its 10,000 policies."""
    made = object.__new__(Policy)
    made.__dict__.update(policy.__dict__, **fields)
    return made


def _info(name: str, catalog: Catalog) -> ListInfo:
    return ListInfo(name=name, title=catalog.title, region=catalog.region, year=catalog.year, batch=catalog.batch,
                    parts=catalog.parts, count=len(catalog.policies), path=catalog.path, area_code=catalog.area_code)


def _parts(catalogs) -> tuple[Part, ...]:
    """The parts of all lists by number: the first list's name, the sections of all."""
    parts: dict[int, Part] = {}
    for catalog in catalogs:
        for part in catalog.parts:
            seen = parts.get(part.number)
            sections = tuple(dict.fromkeys((*seen.sections, *part.sections))) if seen else part.sections
            parts[part.number] = Part(part.number, seen.name if seen else part.name, sections)
    return tuple(parts[n] for n in sorted(parts))


AUTHORED = ("title", "award", "conditions", "notes", "lead_units")  # what a draft may leave unwritten or unconfirmed


def same_for_users(kept: Policy, later: Policy) -> bool:
    """Whether `later`, a version of the policy `kept` in a list shown after it, tells a user nothing
    `kept` does not: the same official text, offices with their people and phones, and the same
    title, amounts and conditions, notes and lead units, or none yet where `later` leaves one
    unwritten (an import draft: no award, conditions or notes) or marks it as drafted (a title made
    up from the text). A draft imported from the same text as a finished list is its policies, once."""
    if kept.content != later.content or _contacts(kept) != _contacts(later):
        return False
    open_ = set(later.drafted)
    return all(getattr(kept, f) == getattr(later, f) or f in open_ or (f != "title" and not getattr(later, f))
               for f in AUTHORED)


def _contacts(p: Policy) -> tuple:
    return tuple((o.name, o.contact, o.phone) for o in p.offices)


class _Continued:
    """Which policies are continued from a list shown before: `absorbed` (list, id) are left out,
    `of[(list, id)]` the "LIST:ID" of the unchanged versions a kept policy stands for, `at[(list, id)]`
    where each stands in its list (`Policy.place`),
    `versions[(list, id)]` the "LIST:ID" of the changed versions of a kept policy."""

    def __init__(self) -> None:
        self.absorbed: set[tuple[str, str]] = set()
        self.of: dict[tuple[str, str], tuple[str, ...]] = {}
        self.at: dict[tuple[str, str], tuple[str, ...]] = {}
        self.versions: dict[tuple[str, str], tuple[str, ...]] = {}


def _continued(lists: Sequence[tuple[str, Sequence[Policy]]], combined: Sequence[Policy] | None = None,
               paired: Callable[[int], None] | None = None) -> _Continued:
    """Pair each policy of a list with at most one kept policy of the lists before it, as
    `pairing.pair_texts` pairs texts (beyond EVERY_PAIR pairs, with the kept texts sharing its
    rarer clause keys: `pairing.Kept`); a policy the same for users as its pair is absorbed by it, one
    left unpaired or changed is kept for the lists after it. `combined`, when given, are the
    policies of lists combined before (what pairing them gave, kept), shown before `lists`."""
    from .pairing import Kept

    found = _Continued()
    if len(lists) < (1 if combined is not None else 2):
        return found
    combined = combined or ()
    owners: list[tuple[str, str]] = []  # (list, id) of each kept text
    kept_policies: list[Policy | None] = [None] * len(combined)  # those of `combined` made when paired
    kept = Kept()
    wanted = ("list", "id", "content", "also", "also_at", "versions")
    for list_name, id_, content, also, also_at, versions in zip(*(field_of(combined, f) for f in wanted)):
        owner = (str(list_name), id_)
        owners.append(owner)
        kept.add(content)
        if also:
            found.of[owner], found.at[owner] = also, also_at
            found.absorbed.update((name, i) for name, i in (k.split(":", 1) for k in also))
        if versions:
            found.versions[owner] = versions
    for number, (name, policies) in enumerate(lists):
        if paired is not None:
            paired(number)
        pairs = kept.pair([p.content for p in policies], every_pair=EVERY_PAIR)
        for j, p in enumerate(policies):
            owner = owners[pairs[j][0]] if j in pairs else None
            if owner is not None and same_for_users(kept_policies[pairs[j][0]] or combined[pairs[j][0]], p):
                found.of[owner] = (*found.of.get(owner, ()), f"{name}:{p.id}")
                found.at[owner] = (*found.at.get(owner, ()), p.place)
                found.absorbed.add((name, p.id))
                continue
            if owner is not None:
                _link(found.versions, owner, (name, p.id))
            owners.append((name, p.id))
            kept_policies.append(p)
            kept.add(p.content)
    return found


def _link(versions: dict[tuple[str, str], tuple[str, ...]], a: tuple[str, str], b: tuple[str, str]) -> None:
    """Name changed versions `a` and `b` (and the versions already linked to `a`) in each other."""
    group = [a, *(tuple(k.split(":", 1)) for k in versions.get(a, ())), b]
    for key in group:
        versions[key] = tuple(f"{n}:{i}" for n, i in group if (n, i) != key)

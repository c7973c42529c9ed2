"""Several lists as one catalog that keeps each policy's list.

Every policy and office is tagged with its list (`Policy.list`, `Office.lists`); the lists' own
metadata and parts are in `Catalog.lists`. A policy continued in a later list (the same text, as
`policy diff` pairs policies: a similarity of its content of at least `SAME_POLICY`) is kept once,
in its newest list's version, naming the others in `Policy.also`. Lists are ordered newest first."""
from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace

from .model import Catalog, ListInfo, Office, Part, Policy

SAME_POLICY = 60.0  # as lists.compare: a similarity (0–100) from which two texts are the same policy
GRAM = 4  # characters of the pieces two texts must share to be compared at all
SAMPLE = 8  # only the pieces whose hash is 0 modulo this are looked at: the same ones in equal texts
COMMON_GRAM = 64  # a piece found in more policies than this says nothing about which one
SHARED = 0.2  # share of a text's pieces another must hold to be compared with it


def combine(named: Sequence[tuple[str, Catalog]], problems: tuple[str, ...] = ()) -> Catalog:
    """One catalog of the lists `named` (name, catalog); `problems` (lists left out) become its
    warnings."""
    ordered = sorted(named, key=lambda nc: -nc[1].year)
    infos = tuple(_info(name, c) for name, c in ordered)
    offices: dict[tuple, Office] = {}
    for name, catalog in ordered:
        for o in catalog.offices:
            key = (o.name, o.contact, o.phone, o.note)
            seen = offices.get(key)
            offices[key] = replace(o, lists=(*seen.lists, name) if seen else (name,))
    also = _continued([(name, c.policies) for name, c in ordered])
    policies = []
    for name, catalog in ordered:
        for p in catalog.policies:
            if (name, p.id) in also.absorbed:
                continue
            mine = tuple(offices[(o.name, o.contact, o.phone, o.note)] for o in p.offices)
            policies.append(replace(p, list=name, offices=mine, also=also.of.get((name, p.id), ())))
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
        hashlib.sha256("\n".join(f"{n}:{c.digest}" for n, c in ordered).encode()).hexdigest(),
        warnings=problems,
        lists=infos,
        members=tuple(c for _, c in ordered),  # the search index is kept per list (search.index)
    )


def _info(name: str, catalog: Catalog) -> ListInfo:
    return ListInfo(name=name, title=catalog.title, region=catalog.region, year=catalog.year, batch=catalog.batch,
                    parts=catalog.parts, count=len(catalog.policies), path=catalog.path)


def _parts(catalogs) -> tuple[Part, ...]:
    """The parts of all lists by number: the first list's name, the sections of all."""
    parts: dict[int, Part] = {}
    for catalog in catalogs:
        for part in catalog.parts:
            seen = parts.get(part.number)
            sections = tuple(dict.fromkeys((*seen.sections, *part.sections))) if seen else part.sections
            parts[part.number] = Part(part.number, seen.name if seen else part.name, sections)
    return tuple(parts[n] for n in sorted(parts))


class _Continued:
    """Which policies are continued from a list shown before: `absorbed` (list, id) are left out,
    `of[(list, id)]` the "LIST:ID" of the versions a kept policy stands for."""

    def __init__(self) -> None:
        self.absorbed: set[tuple[str, str]] = set()
        self.of: dict[tuple[str, str], tuple[str, ...]] = {}


def _continued(lists: Sequence[tuple[str, Sequence[Policy]]]) -> _Continued:
    """Pair each policy of a list with at most one kept policy of the lists before it (best
    similarity first), never two of one list in one group."""
    found = _Continued()
    if len(lists) < 2:
        return found
    from rapidfuzz import fuzz

    kept: list[tuple[str, Policy]] = []
    members: list[set[str]] = []  # lists already in each kept policy's group
    postings: dict[str, list[int]] = {}
    for name, policies in lists:
        scored = []
        grams = [_grams(p.content) for p in policies]
        for j, p in enumerate(policies):
            for k in _candidates(grams[j], postings):
                if name not in members[k]:
                    score = fuzz.ratio(kept[k][1].content, p.content)
                    if score >= SAME_POLICY:
                        scored.append((-score, k, j))
        taken_k: set[int] = set()
        taken_j: set[int] = set()
        for _, k, j in sorted(scored):
            if k in taken_k or j in taken_j:
                continue
            taken_k.add(k)
            taken_j.add(j)
            owner = (kept[k][0], kept[k][1].id)
            found.of[owner] = (*found.of.get(owner, ()), f"{name}:{policies[j].id}")
            found.absorbed.add((name, policies[j].id))
            members[k].add(name)
        for j, p in enumerate(policies):
            if j not in taken_j:
                for gram in grams[j]:
                    postings.setdefault(gram, []).append(len(kept))
                kept.append((name, p))
                members.append({name})
    return found


def _grams(text: str) -> set[str]:
    """A sample of the text's pieces of GRAM characters, chosen by content (those starting with a
    character whose code is 0 modulo SAMPLE), so that two texts alike share about the same share of
    their samples as of their pieces; all of a short text's."""
    flat = "".join(text.split())
    ends = range(max(1, len(flat) - GRAM + 1))
    sample = {flat[i : i + GRAM] for i in ends if ord(flat[i]) % SAMPLE == 0}
    return sample if len(sample) >= 4 else {flat[i : i + GRAM] for i in ends}


def _candidates(grams: set[str], postings: dict[str, list[int]]) -> list[int]:
    counts: dict[int, int] = {}
    for gram in grams:
        holders = postings.get(gram, ())
        if len(holders) <= COMMON_GRAM:
            for k in holders:
                counts[k] = counts.get(k, 0) + 1
    need = max(1, SHARED * len(grams))
    return [k for k, n in counts.items() if n >= need]

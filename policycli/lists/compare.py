"""What changed from one dataset to the next: policies added, removed and continued. Policies are
paired by their texts, never by id or number (a new list renumbers and a draft has new ids):
identical texts first, then the rest by similarity; for a continued policy, the amounts, lead
units, offices, people and phones that changed, and its text's differences word by word."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..dataset.model import Catalog, Policy

SAME_POLICY = 60.0  # similarity (0–100) from which two texts are taken for the same policy
AMOUNT = re.compile(r"\d+(?:\.\d+)?(?:亿元|万元|元|万|亿|%)")
TOKEN = re.compile(r"\d+(?:\.\d+)?%?|[A-Za-z]+|\s+|.", re.S)


@dataclass(frozen=True)
class Segment:
    """A run of the text: `equal`, `delete` (old only), `insert` (new only) or `replace`."""

    op: str
    old: str
    new: str

    def to_jsonable(self) -> dict[str, str]:
        return {"op": self.op, "old": self.old, "new": self.new}


@dataclass(frozen=True)
class Continued:
    old: Policy
    new: Policy
    similarity: float
    changes: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)  # field -> (old, new)
    text: tuple[Segment, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.changes)


@dataclass(frozen=True)
class Comparison:
    old_path: str
    new_path: str
    added: tuple[Policy, ...]
    removed: tuple[Policy, ...]
    continued: tuple[Continued, ...]

    def to_jsonable(self) -> dict[str, Any]:
        return {
            "old": self.old_path,
            "new": self.new_path,
            "added": [_brief(p) for p in self.added],
            "removed": [_brief(p) for p in self.removed],
            "continued": [
                {
                    "old": _brief(c.old),
                    "new": _brief(c.new),
                    "similarity": round(c.similarity, 1),
                    "changed": {k: {"old": o, "new": n} for k, (o, n) in c.changes.items()},
                    "text": [s.to_jsonable() for s in c.text],
                }
                for c in self.continued
            ],
        }

    def rows(self) -> list[dict[str, Any]]:
        """One row per change, for CSV."""
        out = []
        for status, policies in (("新增", self.added), ("取消", self.removed)):
            for p in policies:
                old, new = (None, p) if status == "新增" else (p, None)
                out.append(_row(status, old, new, "", "", ""))
        for c in self.continued:
            if not c.changes:
                out.append(_row("延续", c.old, c.new, "", "", ""))
            for name, (old, new) in c.changes.items():
                out.append(_row("延续", c.old, c.new, name, "；".join(old), "；".join(new)))
        return out


def _brief(p: Policy) -> dict[str, Any]:
    return {"id": p.id, "ref": p.ref, "title": p.title}


def _row(status: str, old: Policy | None, new: Policy | None, name: str, before: str, after: str) -> dict[str, Any]:
    either = new or old
    return {"status": status, "old_ref": old.label if old else "", "new_ref": new.label if new else "",
            "old_id": old.id if old else "", "new_id": new.id if new else "", "title": either.title if either else "",
            "field": name, "old": before, "new": after}


def compare(old: Catalog, new: Catalog) -> Comparison:
    pairs = pair_texts([p.content for p in old.policies], [p.content for p in new.policies])
    taken = {j for j, _ in pairs.values()}
    continued = [_continued(old.policies[i], new.policies[j], score) for i, (j, score) in sorted(pairs.items(), key=lambda kv: kv[1][0])]
    return Comparison(
        old_path=old.path,
        new_path=new.path,
        added=tuple(p for j, p in enumerate(new.policies) if j not in taken),
        removed=tuple(p for i, p in enumerate(old.policies) if i not in pairs),
        continued=tuple(continued),
    )


EVERY_PAIR = 250_000  # up to this many pairs of unpaired texts, each pair is scored
CANDIDATES = 16  # beyond it, the texts of the other list sharing the most rare pieces with one text
RARE_PIECES = 24  # the pieces (three characters) of a text the fewest texts of the other list have
COUNTED = 1_500  # holders of rare pieces counted per text, at most (after the rarest piece)


def pair_texts(old: list[str], new: list[str]) -> dict[int, tuple[int, float]]:
    """Old index -> (new index, similarity 0–100) for the texts taken for the same policy.

    Identical texts pair first, by their hash (in list order when a text repeats). The rest pair
    by similarity from SAME_POLICY up, the most similar pair first; each text is scored against
    every text left on the other side when that is at most EVERY_PAIR pairs, else against its
    CANDIDATES, and what is then left against every text left if few are: time and memory grow
    with the lists' length, not its square."""
    pairs: dict[int, tuple[int, float]] = {}
    waiting: dict[str, list[int]] = {}
    for j, text in enumerate(new):
        waiting.setdefault(text, []).append(j)
    for i, text in enumerate(old):
        if waiting.get(text):
            pairs[i] = (waiting[text].pop(0), 100.0)
    for every_pair in (False, True):  # candidates first when many are left, then every pair of the few left
        taken = {j for j, _ in pairs.values()}
        rest_old = [i for i in range(len(old)) if i not in pairs]
        rest_new = [j for j in range(len(new)) if j not in taken]
        if not rest_old or not rest_new:
            break
        if len(rest_old) * len(rest_new) <= EVERY_PAIR:
            candidates = {i: rest_new for i in rest_old}
        elif every_pair:
            break
        else:
            candidates = _candidates(old, new, rest_old, rest_new)
        for score, i, j in _scored(old, new, candidates):
            if i not in pairs and j not in taken:
                pairs[i] = (j, score)
                taken.add(j)
        if len(rest_old) * len(rest_new) <= EVERY_PAIR:
            break  # every pair was scored
    return pairs


def _scored(old: list[str], new: list[str], candidates: dict[int, list[int]]) -> list[tuple[float, int, int]]:
    """The candidate pairs similar from SAME_POLICY up, the most similar first (ties in list order)."""
    from rapidfuzz import fuzz

    scored = []
    for i, js in candidates.items():
        for j in js:
            score = fuzz.ratio(old[i], new[j], score_cutoff=SAME_POLICY)
            if score:
                scored.append((score, i, j))
    return sorted(scored, key=lambda t: (-t[0], t[1], t[2]))


def _candidates(old: list[str], new: list[str], rest_old: list[int], rest_new: list[int]) -> dict[int, list[int]]:
    """For each unpaired old text, the unpaired new texts sharing the most of its RARE_PIECES
    (pieces: runs of three characters; rare: held by the fewest new texts), counting no more than
    COUNTED holders."""
    from collections import Counter

    holders: dict[str, list[int]] = {}
    for j in rest_new:
        for piece in _pieces(new[j]):
            holders.setdefault(piece, []).append(j)
    held = {piece: len(js) for piece, js in holders.items()}
    out = {}
    for i in rest_old:
        present = sorted(_pieces(old[i]) & held.keys(), key=held.__getitem__)
        shared: Counter[int] = Counter()
        counted = 0
        for piece in present[:RARE_PIECES]:
            if counted and counted + held[piece] > COUNTED:
                break  # the pieces left are common ones: they would cost much and tell little
            shared.update(holders[piece])
            counted += held[piece]
        out[i] = [j for j, _ in shared.most_common(CANDIDATES)]
    return out


def _pieces(text: str) -> set[str]:
    return {text[k:k + 3] for k in range(max(1, len(text) - 2))}


FIELDS = {
    "amounts": lambda p: sorted(amounts(p.content), key=_amount_order(p.content)),
    "lead_units": lambda p: list(p.lead_units),
    "offices": lambda p: [o.name for o in p.offices],
    "contacts": lambda p: [o.contact for o in p.offices],
    "phones": lambda p: [o.phone for o in p.offices],
}


def amounts(text: str) -> list[str]:
    return AMOUNT.findall(text)


def _amount_order(text: str) -> Any:
    return lambda amount: text.find(amount)


def _continued(old: Policy, new: Policy, score: float) -> Continued:
    changes: dict[str, tuple[list[str], list[str]]] = {}
    for name, values in FIELDS.items():
        before, after = values(old), values(new)
        if name == "amounts":
            if Counter(before) != Counter(after):
                gone, came = Counter(before) - Counter(after), Counter(after) - Counter(before)
                changes[name] = (list(gone.elements()), list(came.elements()))
        elif before != after:
            changes[name] = (before, after)
    text: tuple[Segment, ...] = ()
    if old.content != new.content:
        text = word_diff(old.content, new.content)
        changes["content"] = ([old.content], [new.content])
    return Continued(old=old, new=new, similarity=score, changes=changes, text=text)


def word_diff(old: str, new: str) -> tuple[Segment, ...]:
    """The two texts as runs of equal, deleted, inserted and replaced words: a number (with its %)
    or a Latin word is one word, every Chinese character is one."""
    from difflib import SequenceMatcher

    a, b = TOKEN.findall(old), TOKEN.findall(new)
    out: list[Segment] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        out.append(Segment(op, "".join(a[i1:i2]), "".join(b[j1:j2])))
    return tuple(out)

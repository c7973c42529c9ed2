"""What changed from one dataset to the next: the list's own title, region, year, batch, area code
and source; policies added, removed and continued. Policies are paired by their texts as the library
pairs them (dataset.pairing); for a continued policy, the title, amounts, lead units, offices, people,
phones and notes that changed, the values of its award and conditions data that changed, and its
text's differences word by word."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..dataset.model import Catalog, Policy
from ..dataset.pairing import pair_texts

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
    changes: dict[str, tuple[str, str]] = field(default_factory=dict)  # the list's own fields: name -> (old, new)

    def to_jsonable(self) -> dict[str, Any]:
        return {
            "old": self.old_path,
            "new": self.new_path,
            "changed": {k: {"old": o, "new": n} for k, (o, n) in self.changes.items()},
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
        out = [_row("清单", None, None, name, old, new) for name, (old, new) in self.changes.items()]
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
        changes={name: (str(getattr(old, name)), str(getattr(new, name))) for name in LIST_FIELDS
                 if getattr(old, name) != getattr(new, name)},
    )


LIST_FIELDS = ("title", "region", "year", "batch", "area_code", "source")

FIELDS = {
    "title": lambda p: [p.title],
    "amounts": lambda p: sorted(amounts(p.content), key=_amount_order(p.content)),
    "lead_units": lambda p: list(p.lead_units),
    "offices": lambda p: [o.name for o in p.offices],
    "contacts": lambda p: [o.contact for o in p.offices],
    "phones": lambda p: [o.phone for o in p.offices],
    "notes": lambda p: list(p.notes),
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
    for name in RULE_FIELDS:
        rule = _rule_changes(name, getattr(old, name), getattr(new, name), quoted=old.content != new.content)
        if rule:
            changes[name] = rule
    text: tuple[Segment, ...] = ()
    if old.content != new.content:
        text = word_diff(old.content, new.content)
        changes["content"] = ([old.content], [new.content])
    return Continued(old=old, new=new, similarity=score, changes=changes, text=text)


RULE_FIELDS = ("award", "conditions")  # the data the estimate and the match run on


def _rule_changes(name: str, old: Any, new: Any, quoted: bool) -> tuple[list[str], list[str]] | None:
    """The values of an `award:` or `conditions:` block that changed, as "award.otherwise.cap：600";
    with `quoted` (the text changed, shown word by word) the clauses quoting it are left out."""
    if old == new:
        return None
    if old is None or new is None:
        return (["未写"] if old is None else ["已写"]), (["未写"] if new is None else ["已写"])
    before, after = _leaves(old, name), _leaves(new, name)
    keys = [k for k in dict.fromkeys([*before, *after]) if before.get(k) != after.get(k)
            and not (quoted and re.search(r"\.clause(\[\d+\])?$", k))]
    if not keys:
        return None
    return [f"{k}：{before[k]}" for k in keys if k in before], [f"{k}：{after[k]}" for k in keys if k in after]


def _leaves(value: Any, path: str) -> dict[str, str]:
    """Each scalar of a block by its path (award.brackets[1].rate), written as in the YAML."""
    if isinstance(value, dict):
        return {k: v for key, item in value.items() for k, v in _leaves(item, f"{path}.{key}").items()}
    if isinstance(value, (list, tuple)):
        return {k: v for i, item in enumerate(value) for k, v in _leaves(item, f"{path}[{i}]").items()}
    if value is None or isinstance(value, bool):
        return {path: {None: "null", True: "true", False: "false"}[value]}
    return {path: str(value)}


def word_diff(old: str, new: str) -> tuple[Segment, ...]:
    """The two texts as runs of equal, deleted, inserted and replaced words: a number (with its %)
    or a Latin word is one word, every Chinese character is one."""
    from difflib import SequenceMatcher

    a, b = TOKEN.findall(old), TOKEN.findall(new)
    out: list[Segment] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        out.append(Segment(op, "".join(a[i1:i2]), "".join(b[j1:j2])))
    return tuple(out)

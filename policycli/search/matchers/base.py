"""What a matcher hands to the ranking: for one term, per policy and field, the best match found
(its quality, which way it matched, and where)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..analyse import Term
from ..index import FIELDS, SearchIndex

# Fields searched for words: not the id and phones (matched whole), not the part or section name
# (a heading names what many policies share; it is no evidence for one of them), not the offices'
# names (科室 names who handles a policy, not what it offers: `contacts` finds them).
TEXT_FIELDS = tuple(f for f in FIELDS if f not in ("id", "phones", "offices", "lead_units"))


class FieldMatch:
    __slots__ = ("quality", "how", "spans")

    def __init__(self, quality: float, how: str, spans: list[tuple[int, int]]) -> None:
        self.quality = quality
        self.how = how
        self.spans = spans

    def spans_at(self, policy: int) -> list[tuple[int, int]]:
        """Where in the field of `policy` (the policy it was found for) the term matched."""
        return self.spans


class SharedFields(dict):
    """The matches of a term, per field, that many policies share alike but for where they are
    (their `spans_at` a policy): one dict for all of them, copied before one policy's is changed."""

    __slots__ = ()


PerPolicy = dict[int, dict[str, FieldMatch]]


@dataclass
class TermMatches:
    """All the ways one term matched: the best match per policy and field."""

    index: SearchIndex
    term: Term
    common: Callable[[str], str]  # usual reading of a character the dataset lacks

    def __post_init__(self) -> None:
        self.found: PerPolicy = {}

    def fields(self, policy: int) -> dict[str, FieldMatch]:
        """The policy's matches per field, its own to change."""
        per_field = self.found.get(policy)
        if per_field is None:
            per_field = self.found[policy] = {}
        elif type(per_field) is SharedFields:
            per_field = self.found[policy] = dict(per_field)
        return per_field

    def offer(self, policy: int, name: str, quality: float, how: str, spans: list[tuple[int, int]]) -> None:
        per_field = self.fields(policy)
        current = per_field.get(name)
        if current is None or quality > current.quality:
            per_field[name] = FieldMatch(quality, how, spans)

    def best(self) -> float:
        return max((m.quality for per in self.found.values() for m in per.values()), default=0.0)

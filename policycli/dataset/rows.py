"""The policies of a catalog read from the cache, by column, each `Policy` made the first time it is
used: a search over 10,000 policies reads their columns but makes only the policies it shows."""
from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from .model import Policy

Column = Callable[[int], Any]  # the value of one field for the policy at a position
Every = Callable[[], list[Any]]  # the values of one field for every policy, in order


class PolicyRows(Sequence):
    """A tuple-like sequence of `Policy` (index, slice, iterate, compare with a tuple), each made
    from `columns` (field name -> value at a position) when first asked for, then kept, so that a
    policy is one object however often it is read. `ids` are the policies' ids, read without
    making any policy; `every` (field name -> all its values at once) gives a whole field
    (`column`) without making any either."""

    __slots__ = ("_made", "_columns", "_every", "ids")

    def __init__(self, columns: dict[str, Column], ids: Sequence[str], every: dict[str, Every] | None = None) -> None:
        self._columns = tuple(columns.items())
        self._every = every or {}
        self._made: list[Policy | None] = [None] * len(ids)
        self.ids = tuple(ids)

    @classmethod
    def of_values(cls, values: dict[str, list[Any]]) -> PolicyRows:
        """The policies whose field NAME at each position is values[NAME] there (the lists are
        kept, not copied: not to be changed afterwards)."""
        return cls({name: v.__getitem__ for name, v in values.items()}, values["id"],
                   {name: v.copy for name, v in values.items()})

    def column(self, name: str) -> list[Any]:
        """Field `name` of every policy, in order: the values the policies hold or will hold."""
        every = self._every.get(name)
        if every is not None:
            return every()
        at = dict(self._columns)[name]
        return [at(position) for position in range(len(self._made))]

    def __len__(self) -> int:
        return len(self._made)

    def __getitem__(self, at: Any) -> Any:
        if isinstance(at, slice):
            return tuple(self[i] for i in range(*at.indices(len(self._made))))
        made = self._made[at]  # IndexError as a tuple's
        if made is None:
            made = object.__new__(Policy)
            position = at % len(self._made)
            made.__dict__.update({name: column(position) for name, column in self._columns})  # frozen
            self._made[at] = made
        return made

    def __iter__(self) -> Iterator[Policy]:
        for position in range(len(self._made)):
            yield self[position]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, (tuple, PolicyRows)):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other))

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __add__(self, other: Any) -> tuple[Policy, ...]:
        return tuple(self) + tuple(other)

    def __radd__(self, other: Any) -> tuple[Policy, ...]:
        return tuple(other) + tuple(self)

    def __repr__(self) -> str:
        return f"PolicyRows({len(self)} policies)"


def field_of(policies: Sequence[Policy], name: str) -> list[Any]:
    """Field `name` of each policy, in order (of policies read from the cache: none made)."""
    if isinstance(policies, PolicyRows):
        return policies.column(name)
    return [getattr(p, name) for p in policies]

"""The policies of a catalog read from the cache, by column, each `Policy` made the first time it is
used: a search over 10,000 policies reads their columns but makes only the policies it shows."""
from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from .model import Policy

Column = Callable[[int], Any]  # the value of one field for the policy at a position


class PolicyRows(Sequence):
    """A tuple-like sequence of `Policy` (index, slice, iterate, compare with a tuple), each made
    from `columns` (field name -> value at a position) when first asked for, then kept, so that a
    policy is one object however often it is read. `ids` are the policies' ids, read without
    making any policy."""

    __slots__ = ("_made", "_columns", "ids")

    def __init__(self, columns: dict[str, Column], ids: Sequence[str]) -> None:
        self._columns = tuple(columns.items())
        self._made: list[Policy | None] = [None] * len(ids)
        self.ids = tuple(ids)

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

    def column(self, name: str) -> Column:
        """The value of field `name` of the policy at a position, without making the policy."""
        return dict(self._columns)[name]


def column(policies: Sequence[Policy], name: str) -> Column:
    """The value of field `name` of the policy at a position of `policies` (a tuple or
    `PolicyRows`), making no policy that is not made yet."""
    if isinstance(policies, PolicyRows):
        return policies.column(name)
    return lambda position: getattr(policies[position], name)

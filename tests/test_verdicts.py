"""Precision's verdicts remembered by the answers they rest on (search/verdicts.py): a policy
answering the same questions alike gets the verdict judged for the first, and only then."""
from __future__ import annotations

from types import SimpleNamespace

from policycli.search.verdicts import Verdicts


class _Holder:
    def __init__(self, held: dict[int, set[str]]) -> None:
        self.held = held
        self.asked: list[tuple[int, str]] = []

    def holds(self, policy: int, word: str) -> bool:
        self.asked.append((policy, word))
        return word in self.held[policy]

    def one_off(self, policy: int, phrase: str) -> bool:
        return policy == 3


def _said() -> SimpleNamespace:
    return SimpleNamespace(cut=None, nouns=set(), where={}, whole={}, listed={}, compounds={}, headed={})


def _judge(policy: int, judged: list[int], said: SimpleNamespace | None = None, asks_approximate: bool = False):
    """A judge whose verdict rests on the holder's answers only, as `precision._against`'s does."""
    def judge(holder, approximate) -> str:
        judged.append(policy)
        if not holder.holds(policy, "社区"):
            return "社区"
        if not holder.holds(policy, "智慧"):
            return "" if holder.one_off(policy, "智慧社区") else "智慧"
        if said is not None:
            said.where["智慧"] = (0, 2)  # the query's words learnt something while judging
        return "近似" if asks_approximate and approximate(policy) else ""
    return judge


def test_policies_answering_alike_share_a_verdict_and_others_are_judged():
    held = {0: {"社区", "智慧"}, 1: {"社区", "智慧"}, 2: {"智慧"}, 3: {"社区"}, 4: {"社区"}, 5: {"智慧"}}
    verdicts, judged = Verdicts([_said()], _Holder(held)), []
    found = [verdicts.of(p, lambda p: False, _judge(p, judged)) for p in held]
    assert found == ["", "", "社区", "", "智慧", "社区"]
    assert judged == [0, 2, 3, 4]  # 1 answered as 0 did, 5 as 2; 3 and 4 asked one character off


def test_a_verdict_that_asked_whether_a_policy_was_found_approximately_is_never_reused():
    held = {p: {"社区", "智慧"} for p in range(2)}
    verdicts, judged = Verdicts([_said()], _Holder(held)), []
    found = [verdicts.of(p, lambda p: p == 1, _judge(p, judged, asks_approximate=True)) for p in (0, 1, 0)]
    assert found == ["", "近似", ""] and judged == [0, 1, 0]


def test_what_the_query_learnt_while_judging_empties_the_memory():
    said = _said()
    held = {p: {"社区", "智慧"} for p in range(3)}
    verdicts, judged = Verdicts([said], _Holder(held)), []
    assert [verdicts.of(p, lambda p: False, _judge(p, judged, said)) for p in range(3)] == ["", "", ""]
    assert judged == [0, 1]  # 0 taught the query a word's place: its answers not kept; 2 answered as 1

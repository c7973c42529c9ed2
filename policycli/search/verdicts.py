"""Precision's verdicts remembered by the answers they rest on (speed only).

With many results, whether a word of the query speaks against a policy (`precision._against`) is
for most of them a function of which of the query's words the policy holds: the judging asks
`holds(policy, word)` in an order that depends only on the answers before. The first policy of
each pattern of answers is judged in full, its questions and answers recorded in a tree; a later
policy giving the same answers to the same questions gets the same verdict. Where the judging asks
anything else of the policy (a typo of one character, an act, whether it was found approximately),
every policy reaching that point is judged in full; and when judging teaches the query's words
something (their runs cut into words, a compound's heads), the tree is emptied.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

_ASK, _VERDICT, _JUDGE = "ask", "verdict", "judge"


class Verdicts:
    """The verdicts of `judge(holder, approximate)` for the policies of one search."""

    def __init__(self, said: list[Any], holder: Any) -> None:
        self.said = said
        self.holder = holder
        self.root: list[Any] | None = None  # [_ASK, word, {answer: node}] | [_VERDICT, word] | [_JUDGE]
        self.state = self._state()

    def _state(self) -> tuple[tuple[int, ...], ...]:
        """What the query's words have learnt so far (each only grows)."""
        return tuple((one.cut is None, len(one.nouns), len(one.where), len(one.whole), len(one.listed),
                      len(one.compounds), len(one.headed)) for one in self.said)

    def of(self, policy: int, approximate: Callable[[int], bool],
           judge: Callable[[Any, Callable[[int], bool]], str]) -> str:
        node = self.root
        while node is not None and node[0] == _ASK:
            node = node[2].get(self.holder.holds(policy, node[1]))
        if node is not None and node[0] == _VERDICT:
            return node[1]
        recorder = _Recorder(self.holder)
        verdict = judge(recorder, recorder.approximate(approximate))
        state = self._state()
        if state != self.state:
            self.root, self.state = None, state
        else:
            self._keep(recorder.asked, [_JUDGE] if recorder.other else [_VERDICT, verdict])
        return verdict

    def _keep(self, asked: list[tuple[str, bool]], leaf: list[Any]) -> None:
        if not asked:
            self.root = leaf
            return
        if self.root is None:
            self.root = [_ASK, asked[0][0], {}]
        node = self.root
        for at, (word, answer) in enumerate(asked):
            if node[0] != _ASK or node[1] != word:  # never so: the questions follow from the answers
                self.root = None
                return
            children = node[2]
            if at + 1 == len(asked):
                children[answer] = leaf
            else:
                node = children.setdefault(answer, [_ASK, asked[at + 1][0], {}])


class _Recorder:
    """A `precision.Holder` that records what is asked of the policy: the holds questions and
    their answers up to the first question of another kind (`other`)."""

    def __init__(self, holder: Any) -> None:
        self.holder = holder
        self.asked: list[tuple[str, bool]] = []
        self.other = False

    def holds(self, policy: int, word: str) -> bool:
        answer = self.holder.holds(policy, word)
        if not self.other:
            self.asked.append((word, answer))
        return answer

    def is_common(self, word: str) -> bool:  # the same for every policy
        return self.holder.is_common(word)

    def one_off(self, policy: int, phrase: str) -> bool:
        self.other = True
        return self.holder.one_off(policy, phrase)

    def holds_act(self, policy: int, thing: str, acts: frozenset[str]) -> bool:
        self.other = True
        return self.holder.holds_act(policy, thing, acts)

    def approximate(self, approximate: Callable[[int], bool]) -> Callable[[int], bool]:
        def asked(policy: int) -> bool:
            self.other = True
            return approximate(policy)

        return asked

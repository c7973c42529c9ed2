"""What a question asks that a support list does not state, although it names a policy of the list.

- a time: when to apply, a deadline, when the money arrives (技改奖补申报截止时间). A list of support
  policies states none; a question asking only that (none of `elsewhere.answers` of
  data/vocabulary.yaml: how much, whom to call, who may apply, whether there is such support, nor
  an amount) finds nothing, and the note says whom to ask;
- another office's measure named by a policy only as the base of its award (加计扣除 of an award of
  20% of the deductible R&D costs), asked without a word of support: the question is about the
  measure (its rate, its filing), the tax office's business;
- another value of one thing: a level of government or a grade of an evaluation other than the
  ones a policy states (区级 of a policy for national and municipal labs, 良好 of one rewarding
  优秀): that policy is no answer.
"""
from __future__ import annotations

import functools
from typing import NamedTuple


class Lists(NamedTuple):
    when: tuple[str, ...]
    answers: tuple[str, ...]
    measures: tuple[str, ...]
    support: tuple[str, ...]
    who: frozenset[str]
    exclusive: tuple[tuple[tuple[str, ...], ...], ...]  # groups of values, each value its forms


@functools.cache
def lists() -> Lists:
    """The lists of data/vocabulary.yaml `elsewhere` these rules read, folded as queries are."""
    from .analyse import fold_query
    from .lexicon import VOCABULARY, word_lists

    when, answers, measures, support, who, exclusive = word_lists(
        VOCABULARY, "elsewhere", ("when", "answers", "measures", "support", "who", "exclusive"), fold_query)
    groups = tuple(tuple(tuple(value.split()) for value in group.split("|")) for group in exclusive)
    return Lists(tuple(when), tuple(answers), tuple(measures), tuple(support), frozenset(who), groups)


def unanswered(query: str, amount: bool) -> str:
    """The phrase of `query` (folded) that makes it a question the list does not answer at all,
    or "": a time asked alone, or another office's measure asked without a word of support.
    `amount`: whether the query names an amount (then it asks how much)."""
    words = lists()
    when = next((w for w in words.when if w in query), "")
    if when and not amount and not any(w in query for w in words.answers):
        return when
    measure = next((w for w in words.measures if w in query), "")
    if measure and not any(w in query for w in words.support):
        return measure
    return ""


def other_value(query: str, texts: list[str]) -> str:
    """The value of `query` (a level, a grade) that a policy whose `texts` state another value of
    the same thing, and not this one, does not offer; "" when there is none."""
    for group in lists().exclusive:
        asked = [value for value in group if any(form in query for form in value)]
        if len(asked) != 1:
            continue
        if not any(form in text for form in asked[0] for text in texts) and any(
                form in text for value in group if value is not asked[0] for form in value for text in texts):
            return next(form for form in asked[0] if form in query)
    return ""

"""What a question asks that a support list does not state, although it names a policy of the list.

- a time: when to apply, a deadline, when the money arrives (技改奖补申报截止时间). A list of support
  policies states none; a question asking only that (none of `elsewhere.answers` of
  data/vocabulary.yaml: how much, whom to call, who may apply, whether there is such support, nor
  an amount) finds nothing, and the note names the offices of the policies it asks about;
- another office's measure named by a policy only as the base of its award (加计扣除 of an award of
  20% of the deductible R&D costs), asked without a word of support: the question is about the
  measure (its rate, its filing), the tax office's business;
- an amount asked as an award (奖补200万, 最高补助50万, 比例30%) of a policy that does not give it,
  or holds it only as a threshold or a band of what it measures (1000万元以上部分 of a loan): that
  policy is no answer (and a search of an amount no policy gives finds nothing);
- another value of one thing: a level of government or a grade of an evaluation other than the
  ones a policy states (区级 of a policy for national and municipal labs, 良好 of one rewarding
  优秀): that policy is no answer.
"""
from __future__ import annotations

import functools
from collections.abc import Container, Sequence
from typing import NamedTuple

from . import amounts
from .analyse import Term, fold_query
from .plainwords import plain


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
    from .lexicon import VOCABULARY, word_lists

    when, answers, measures, support, who, exclusive = word_lists(
        VOCABULARY, "elsewhere", ("when", "answers", "measures", "support", "who", "exclusive"), fold_query)
    groups = tuple(tuple(tuple(value.split()) for value in group.split("|")) for group in exclusive)
    return Lists(tuple(when), tuple(answers), tuple(measures), tuple(support), frozenset(who), groups)


def time_alone(query: str, amount: bool) -> str:
    """The phrase of `query` (folded) asking a time, when the query asks nothing else the list
    answers (`amount`: whether it names an amount, asking how much); else ""."""
    words = lists()
    when = next((w for w in words.when if w in query), "")
    return when if when and not amount and not any(w in query for w in words.answers) else ""


def measure_asked(query: str, asking: bool) -> str:
    """The other office's measure `query` (folded) asks about (`asking`: with question, generic
    or procedure words; the measure's name alone is looked up as any word is) without a word of
    support; else ""."""
    words = lists()
    measure = next((w for w in words.measures if w in query), "")
    if measure and asking and not any(w in query for w in words.support):
        return measure
    return ""


def support_ending(text: str) -> str:
    """The generic word of support ending `text` after other words (补贴 of 运营补贴), or ""."""
    support = lists().support
    return next((g for g in plain().generic if text.endswith(g) and len(g) < len(text)
                 and any(w in g for w in support)), "")


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


# One-character verbs of an award before an amount (补300万), and the light words that may stand
# between the two (奖励的是500万, 补了).
_AWARD_VERBS = ("补", "奖", "给", "贴")
_LIGHT = "的是了个约达到为"
# What follows an amount that is a threshold or a band of what a policy measures, not an award
# (50万元以上的仪器, 10万元及以下的贷款, 500万元至1000万元（含）部分).
_THRESHOLD = ("以上", "以下", "及以下", "及以上", "(含)", "（含）", "至", "部分", "以内")


def awards_asked(terms: list[Term], query: str) -> list[int]:
    """The positions in `terms` of the amounts asked as an award (奖励5000万, 最高补1亿, 比例是100%),
    when the words before each say so: a generic word of support or of how much (奖励, 最高, 比例)
    or a one-character award verb (补, 奖, 给), light words between them left aside. An amount said
    of the firm (投了1200万, 营收5000万) asks for nothing."""
    generic = [w for w in plain().generic if len(w) >= 2]
    text = amounts.from_chinese(amounts.from_english(fold_query(query)))
    out = []
    for i, term in enumerate(terms):
        at = text.find(term.text) if amounts.is_amount(term.text) else -1
        if at < 0:
            continue
        before = text[:at].rstrip()
        while before and before[-1] in _LIGHT:
            before = before[:-1]
        if before.endswith(_AWARD_VERBS) or any(before.endswith(w) for w in generic):
            out.append(i)
    return out


def giving(passed: list[int], content: list[str], terms: list[Term], found: Sequence[Container[int]],
           awards: list[int]) -> list[int]:
    """The policies of `passed` that give each amount asked as an award (`awards`, positions in
    `terms`; `found`: the policies holding each term), not only hold it as a threshold or a band."""
    return [p for p in passed if all(p in found[i] and as_award(content[p], terms[i].text) for i in awards)]


def as_award(content: str, amount: str) -> bool:
    """Whether `content` (a policy's text) holds `amount` as an award: some whole occurrence not
    followed by a threshold's or a band's words; True when the amount is not written so there
    (found in another form)."""
    at, seen = content.find(amount), False  # amounts are written in ASCII digits and 万 in both
    while at >= 0:
        end = at + len(amount)
        if amounts.whole_at(content, at, end):
            seen = True
            rest = content[end:].removeprefix("元")
            if not rest.startswith(_THRESHOLD):
                return True
        at = content.find(amount, at + 1)
    return not seen

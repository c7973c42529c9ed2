"""The match form's questions: only what still decides a verdict or an amount, grouped, the group
quickest to answer first, each group's questions in the order a person answers them (`ASKED_ORDER`:
who applies, what it is, what it did, then its loan and the repayment), and what is already known
filled in (to change, or sent again)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from ..match.eligibility import ELIGIBLE, INELIGIBLE, figure_question, match_profile
from ..match.profile import ASKED_ORDER, CHOICES, FACT_BY_KEY, FLAG, RATE, RECOGNITION, Fact, Profile

GROUP_NAMES = {"基本情况": "基本情况", RECOGNITION: "认定与入选", "数据": "金额所需的数据"}


@dataclass
class Field:
    """One question of the form: the field's name (a fact key, or policy.input for one policy's figure)."""

    name: str
    fact: Fact
    question: str
    choices: tuple[str, ...] = ()
    value: str = ""
    checked: tuple[str, ...] = field(default_factory=tuple)
    reason: str = ""  # the policies it decides

    @property
    def size(self) -> int:
        return len(self.choices) if self.fact.kind == CHOICES else 1


def form_questions(catalog: Any, profile: Profile | None, result: Any, data: Any) -> dict[str, Any]:
    """`ask`: [(group title, [Field])] still open, quickest group first; `known`: [Field] answered."""
    profile = profile or Profile()
    result = result or match_profile(catalog, profile)
    open_matches = [m for m in result.matches if m.status != INELIGIBLE]
    asked: dict[str, Field] = {}
    for match in open_matches:
        for key in match.missing:
            entry = asked.setdefault(key, Field(key, FACT_BY_KEY[key], FACT_BY_KEY[key].question))
            entry.reason = "、".join(filter(None, [entry.reason, match.policy.title]))
    if "recognitions" in asked:
        asked["recognitions"].choices = _recognitions_that_decide(open_matches)
    for match in result.group(ELIGIBLE):
        for name in match.missing_figures:
            question = figure_question(match.policy, name)
            asked.setdefault(question.key, Field(question.key, question.fact, question.fact.question,
                                                 reason=match.policy.title))
    groups: dict[str, list[Field]] = {}
    for entry in asked.values():
        entry.choices = entry.choices or entry.fact.choices
        groups.setdefault(GROUP_NAMES.get(entry.fact.group, entry.fact.group), []).append(entry)
    ask = [(title, sorted(fields, key=lambda f: ASKED_ORDER.get(f.name, len(ASKED_ORDER))))  # stable: figures as found
           for title, fields in groups.items()]
    ask.sort(key=lambda group: sum(f.size for f in group[1]))
    known = _known(catalog, profile)
    for entry in known:  # as the person wrote it (800万), when it came from the form
        typed = data.get(entry.name) if hasattr(data, "get") else None
        if isinstance(typed, str) and typed.strip() and entry.fact.kind != CHOICES:
            entry.value = typed.strip()
    return {"ask": ask, "known": known, "asked_count": len(asked)}


def _recognitions_that_decide(matches: list[Any]) -> tuple[str, ...]:
    """The recognitions a policy still open asks for, in the vocabulary's order."""
    from ..match.conditions import AnyOf, conditions_of

    wanted: set[str] = set()
    for match in matches:
        if "recognitions" not in match.missing:
            continue
        for entry in conditions_of(match.policy):
            for condition in entry.options if isinstance(entry, AnyOf) else (entry,):
                if condition.fact == "recognitions":
                    wanted.update(condition.value)
    return tuple(c for c in FACT_BY_KEY["recognitions"].choices if c in wanted)


def _known(catalog: Any, profile: Profile) -> list[Field]:
    """Every answer given, as a filled field: facts, then the figures of single policies."""
    from ..match.profile_file import figure_policy, input_facts

    known = [Field(key, FACT_BY_KEY[key], FACT_BY_KEY[key].question, FACT_BY_KEY[key].choices,
                   *_shown(FACT_BY_KEY[key], value))
             for key, value in profile.facts.items()]
    for pid, values in profile.figures.items():
        policy = figure_policy(catalog, pid)  # kept under LIST:ID when two lists use the id
        facts = input_facts(policy) if policy else {}
        for name, value in values.items():
            if name in facts:
                fact = facts[name]
                known.append(Field(f"{pid}.{name}", fact, fact.question, fact.choices, *_shown(fact, value)))
    return known


def _shown(fact: Fact, value: Any) -> tuple[str, tuple[str, ...]]:
    """(text of the field, boxes ticked) for a typed value."""
    if fact.kind == CHOICES:
        return "", tuple(value) or ("无",)
    if fact.kind == FLAG:
        return ("是" if value else "否"), ()
    if fact.kind == RATE:
        return f"{value}%", ()
    if isinstance(value, Decimal):
        return format(value, "f"), ()
    if isinstance(value, date):
        return f"{value:%Y-%m}", ()
    return str(value), ()

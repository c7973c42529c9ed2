"""From a profile to every policy the enterprise may claim: statuses, reasons, amounts and the total.

Each condition is met, not met or unknown. A policy is 可申请 when all are met (its amount comes
from the estimate engine), 不符合 when one is not met, and 待确认 otherwise, with the facts still
missing. Stacking rule of the total: one amount per policy — the estimate engine computes one level
of a policy whose levels are exclusive, every level held where the text allows several (smart
communities of several types, both evaluations of newrnd), and techretrofit's tracks as one amount;
the text states no limit across policies, so eligible amounts are added, "up to" ones at their
maximum. In a library, a policy continued in several lists counts in each list's total and once in the
overall total; when its versions differ, at the newest eligible version (lists are newest first).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..dataset.model import Catalog, Policy
from ..errors import InputError, plain
from .conditions import MET, NOT_MET, UNKNOWN, AnyOf, Condition, conditions_of
from .profile import ASKED_ORDER, CHOICES, FACT_BY_KEY, FIGURE, FLAG, MONEY, Fact, Profile

ELIGIBLE, UNCONFIRMED, INELIGIBLE = "eligible", "unconfirmed", "ineligible"
STATUS_LABELS = {ELIGIBLE: "可申请", UNCONFIRMED: "待确认", INELIGIBLE: "不符合"}
STATUSES = tuple(STATUS_LABELS)


@dataclass(frozen=True)
class Finding:
    """One entry of a policy's conditions, evaluated."""

    clause: str
    state: str
    facts: tuple[str, ...]  # the facts it tests
    detail: str  # what the profile says, e.g. "规模以上企业：否"


@dataclass(frozen=True)
class PolicyMatch:
    policy: Policy
    status: str
    findings: tuple[Finding, ...]
    missing: tuple[str, ...] = ()  # facts whose answers would settle the status
    missing_figures: tuple[str, ...] = ()  # estimate inputs the amount still needs
    amount: Decimal | None = None
    is_maximum: bool = False
    cap_reached: bool = False
    support: str | None = None  # what the policy gives when it is not money
    note: str | None = None
    approximate: bool = False  # the text gives the amount as "左右"
    discretionary: bool = False  # the authorities decide case by case (可视情)
    notes: tuple[str, ...] = ()  # the estimate's notes
    breakdown: tuple[Any, ...] = ()  # parts of different kinds (定额 + 最高), as in the estimate
    per_year: Decimal | None = None  # for awards over several years
    pending: str | None = None  # the rate the amount depends on is not published yet

    @property
    def word(self) -> str:
        """What kind of figure the amount is, as the estimate says it: 约, 暂估, 最高, or none."""
        return "约" if self.approximate else "暂估" if self.pending else "最高" if self.is_maximum else ""

    @property
    def failed(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.state == NOT_MET)

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.policy.id,
            "list": self.policy.list,
            "also": list(self.policy.also),
            "title": self.policy.title,
            "status": self.status,
            "status_label": self.label,
            "missing": list(self.missing),
            "missing_labels": [fact_label(k) for k in self.missing],
            "failed": [f"{f.clause}（{f.detail}）" for f in self.failed],
            "amount": self.amount,
            "is_maximum": self.is_maximum,
            "cap_reached": self.cap_reached,
            "missing_figures": list(self.missing_figures),
            "approximate": self.approximate,
            "discretionary": self.discretionary,
            "support": self.support,
            "note": self.note,
            "notes": list(self.notes),
            "breakdown": [{"label": p.label, "amount": p.amount, "word": p.word} for p in self.breakdown],
            "per_year": self.per_year,
            "pending": self.pending,
        }


@dataclass(frozen=True)
class MatchResult:
    profile: Profile
    matches: tuple[PolicyMatch, ...]
    total: Decimal
    maximum_count: int  # amounts in the total that are "up to" amounts, counted at their maximum
    unknown_amounts: tuple[str, ...]  # eligible policies whose amount is still unknown
    notes: tuple[str, ...] = ()  # about the profile's figures, e.g. a bare amount under 1万 read as 元

    def group(self, status: str) -> list[PolicyMatch]:
        return [m for m in self.matches if m.status == status]

    def count(self, status: str) -> int:
        return len(self.group(status))

    def list_totals(self) -> list[dict[str, Any]]:
        """Per list of the library: its verdict counts and the total of its eligible amounts, each
        list's by its own version. A policy continued in several lists counts in each of them (and
        once in `total`, see the module docstring)."""
        names = list(dict.fromkeys(n for m in self.matches for n in m.policy.lists))
        out = []
        for name in names:
            mine = [m for m in self.matches if name in m.policy.lists]
            counted = [m.amount for m in mine if m.status == ELIGIBLE and m.amount is not None]
            out.append({"list": name, "eligible": sum(m.status == ELIGIBLE for m in mine),
                        "unconfirmed": sum(m.status == UNCONFIRMED for m in mine),
                        "ineligible": sum(m.status == INELIGIBLE for m in mine),
                        "total": sum(counted, Decimal("0.00"))})
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.profile.display_name,
            "total": self.total,
            "maximum_count": self.maximum_count,
            "unknown_amounts": list(self.unknown_amounts),
            "notes": list(self.notes),
            "lists": self.list_totals(),
            "policies": [m.to_dict() for m in self.matches],
        }

    def summary(self) -> dict[str, Any]:
        return {
            "name": self.profile.display_name,
            "profile": self.profile.source,
            "eligible": self.count(ELIGIBLE),
            "unconfirmed": self.count(UNCONFIRMED),
            "ineligible": self.count(INELIGIBLE),
            "total": self.total,
            "maximum_count": self.maximum_count,
            "unknown_amounts": list(self.unknown_amounts),
            "notes": list(self.notes),
            "lists": self.list_totals(),
        }


def fact_label(key: str) -> str:
    fact = FACT_BY_KEY.get(key)
    return fact.label if fact else key


def describe(fact: Fact, value: Any) -> str:
    if value is None:
        return f"{fact.label}：未知"
    if fact.kind == FLAG:
        shown = "是" if value else "否"
    elif fact.kind == CHOICES:
        shown = "、".join(value) or "无"
    elif fact.kind == MONEY:
        from ..awards.money import format_yuan

        shown = format_yuan(value)
    else:
        shown = str(value)
    return f"{fact.label}：{shown}"


# --- matching -----------------------------------------------------------------------------------


def match_profile(catalog: Catalog, profile: Profile) -> MatchResult:
    matches = tuple(match_policy(policy, profile) for policy in catalog.policies)
    eligible = [m for m in matches if m.status == ELIGIBLE]
    counted = _once([m for m in eligible if m.amount is not None])
    return MatchResult(
        profile=profile,
        matches=matches,
        total=sum((m.amount for m in counted), Decimal("0.00")),
        maximum_count=sum(1 for m in counted if m.is_maximum and m.amount),
        unknown_amounts=tuple(m.policy.id for m in eligible if m.missing_figures or m.note),
        notes=_unit_notes(catalog, profile),
    )


def _once(matches: list[PolicyMatch]) -> list[PolicyMatch]:
    """The first (newest) of each policy's versions (see `Policy.versions`)."""
    seen: set[str] = set()
    out = []
    for m in matches:
        keys = {m.policy.key, *m.policy.versions}
        if not keys & seen:
            out.append(m)
        seen |= keys
    return out


def _unit_notes(catalog: Catalog, profile: Profile) -> tuple[str, ...]:
    """The estimate's note for each money figure of the profile given as a bare number under 1万."""
    from ..awards.money import bare_yuan_note, plain_number
    from ..awards.rules import inputs_of

    notes: dict[str, None] = {}
    for policy in catalog.policies:
        given = _inputs(policy, profile, {})
        for spec in inputs_of(policy):
            value = given.get(spec.name)
            if spec.kind == "money" and isinstance(value, Decimal):
                note = bare_yuan_note(spec.label, plain_number(value), value)
                if note:
                    notes[note] = None
    return tuple(notes)


def match_policy(policy: Policy, profile: Profile) -> PolicyMatch:
    entries = conditions_of(policy)
    facts = dict(profile.facts)
    findings = tuple(_finding(entry, facts) for entry in entries)
    states = {f.state for f in findings}
    if not entries:
        return PolicyMatch(policy, UNCONFIRMED, (), note="数据中还没有申请条件（conditions），请向责任科室咨询")
    if NOT_MET in states:
        return PolicyMatch(policy, INELIGIBLE, findings)
    missing = tuple(dict.fromkeys(k for f in findings if f.state == UNKNOWN for k in f.facts if k not in facts))
    if UNKNOWN in states:
        return PolicyMatch(policy, UNCONFIRMED, findings, missing=missing,
                           missing_figures=_needed_figures(policy, profile, entries, facts))
    return _estimated(policy, profile, findings, _bound_inputs(policy, entries, facts))


def _finding(entry: Condition | AnyOf, facts: dict[str, Any]) -> Finding:
    options = entry.options if isinstance(entry, AnyOf) else (entry,)
    keys = tuple(dict.fromkeys(c.fact for c in options))
    clause = "；或 ".join(dict.fromkeys(c.clause for c in options))
    return Finding(clause, entry.state(facts), keys, _detail(options, facts))


def _detail(options: tuple[Condition, ...], facts: dict[str, Any]) -> str:
    """What the profile says about these conditions, e.g. "规模以上企业：否" or "认定与入选中没有：…"."""
    parts: list[str] = []
    for key in dict.fromkeys(c.fact for c in options):
        fact = FACT_BY_KEY[key]
        wanted = [v for c in options if c.fact == key and c.op == "has" for v in c.value]
        if wanted and key in facts:
            parts.append(f"{fact.label}中没有：{'、'.join(dict.fromkeys(wanted))}")
        else:
            parts.append(describe(fact, facts.get(key)))
    return "；".join(parts)


def _bound_inputs(policy: Policy, entries: tuple[Condition | AnyOf, ...], facts: dict[str, Any]) -> dict[str, Any]:
    """Estimate inputs implied by the conditions that are met (e.g. the award level). Where the text
    lets one applicant hold several levels, every level met counts (one of each recognition);
    otherwise the first one listed."""
    from ..awards.rules import inputs_of

    several = {s.name for s in inputs_of(policy) if s.several}
    bound: dict[str, Any] = {}
    for entry in entries:
        options = entry.options if isinstance(entry, AnyOf) else (entry,)
        for met in (c for c in options if c.state(facts) == MET):
            for name, value in met.inputs.items():
                if name not in bound:
                    bound[name] = value
                elif name in several:
                    bound[name] = f"{bound[name]}、{value}"
            if not several:
                break
    return bound


def _inputs(policy: Policy, profile: Profile, bound: dict[str, Any]) -> dict[str, Any]:
    from ..awards.rules import inputs_of

    names = {spec.name for spec in inputs_of(policy)}
    merged = {**{k: v for k, v in profile.facts.items() if FACT_BY_KEY[k].group == FIGURE},
              **bound, **profile.figures.get(policy.key, profile.figures.get(policy.id, {}))}
    return {k: v for k, v in merged.items() if k in names}


def _needed_figures(policy: Policy, profile: Profile, entries: Any, facts: dict[str, Any]) -> tuple[str, ...]:
    """Required estimate inputs the profile does not give (levels come from the conditions)."""
    from ..awards.rules import inputs_of

    given = _inputs(policy, profile, {})
    implied = _implied_names(entries)
    return tuple(s.name for s in inputs_of(policy)
                 if s.required and s.name not in given and s.name not in implied)


def _implied_names(entries: Any) -> set[str]:
    """Inputs some condition sets when met (e.g. `level`): never asked for as figures."""
    return {k for e in entries for c in (e.options if isinstance(e, AnyOf) else (e,)) for k in c.inputs}


def _estimated(policy: Policy, profile: Profile, findings: tuple[Finding, ...], bound: dict[str, Any]) -> PolicyMatch:
    from ..awards.rules import MissingInputs, estimate

    try:
        result = estimate(policy, _inputs(policy, profile, bound))
    except MissingInputs as exc:
        implied = _implied_names(conditions_of(policy))
        names = tuple(n for n in exc.names if n not in implied) or tuple(exc.names)
        return PolicyMatch(policy, ELIGIBLE, findings, missing_figures=names)
    except InputError as exc:
        return PolicyMatch(policy, ELIGIBLE, findings, note=f"无法估算金额：{plain(exc.lines[0])}")
    return PolicyMatch(
        policy, ELIGIBLE, findings,
        amount=result.amount,
        is_maximum=bool(result.is_maximum),
        cap_reached=bool(result.cap_reached),
        support=result.support,
        approximate=bool(result.approximate),
        discretionary=bool(result.discretionary),
        notes=tuple(plain(note) for note in result.notes),  # a profile's figures, named by their labels
        breakdown=tuple(result.breakdown),
        per_year=result.per_year,
        pending=result.pending,
    )


# --- what to ask next ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    fact: Fact
    policy_id: str | None = None  # set when the answer is a figure of that one policy
    reason: str = ""  # the policies the answer settles

    @property
    def key(self) -> str:
        return f"{self.policy_id}.{self.fact.key}" if self.policy_id else self.fact.key


def next_question(catalog: Catalog, profile: Profile, skipped: frozenset[str] | set[str] = frozenset()) -> Question | None:
    """The fact still unknown that matters for a policy not yet ruled out and comes first in the
    order a person answers (`ASKED_ORDER`: who applies, what it did, then its loan); then the
    figures an eligible policy's amount needs. None when nothing is left to ask."""
    result = match_profile(catalog, profile)
    open_matches = [m for m in result.matches if m.status != INELIGIBLE]
    missing = {key for m in open_matches for key in m.missing if key not in skipped}
    if missing:
        key = min(missing, key=ASKED_ORDER.__getitem__)
        titles = [m.policy.title for m in open_matches if key in m.missing]
        more = f" 等 {len(titles)} 项" if len(titles) > 3 else ""
        return Question(FACT_BY_KEY[key], reason="、".join(titles[:3]) + more)
    for match in result.group(ELIGIBLE):
        for name in match.missing_figures:
            question = figure_question(match.policy, name)
            if question.key not in skipped:
                return question
    return None


def figure_question(policy: Policy, name: str) -> Question:
    """Shared figures (invest, rd, loan, …) are kept at the top of the profile; the rest per policy."""
    fact = FACT_BY_KEY.get(name)
    if fact is not None and fact.group == FIGURE:
        return Question(fact, reason=policy.title)
    from .profile_file import input_facts

    return Question(input_facts(policy)[name], policy_id=policy.id, reason=policy.title)


def answer(profile: Profile, question: Question, value: Any) -> Profile:
    if question.policy_id:
        return profile.with_figure(question.policy_id, question.fact.key, value)
    return profile.with_fact(question.fact.key, value)

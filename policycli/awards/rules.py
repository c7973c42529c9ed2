"""Award estimates from the rules kept as data: the public API used by `policy estimate` and `policy match`.

- `inputs_of(policy)`: the inputs a policy's estimate takes (`InputSpec`s).
- `estimate(policy, inputs, *, lpr=None, today=None)`: an `Estimate` with every step shown; raises
  `MissingInputs` (an `InputError` with `.names`) when required inputs are absent. Inputs the policy
  does not use are ignored (see `estimate_options` for the strict check the CLI makes).
- `award_fields(policy)`: the amounts the text names, each in its own word (最高, 约, 定额, 视情最高).

The rule kinds are in kinds.py, combined.py and brackets.py, the state of one run and its result in
running.py, the reading of `award:` blocks in blocks.py.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from ..dataset.model import Catalog, Policy
from ..errors import DataError, InputError, NotFound
from .blocks import check_award, parse_award
from .inputs import KNOWN, InputSpec, MissingInputs, absent, spec
from .kinds import NoMoney, Rule
from .running import Estimate, Run, Step
from .money import round_to

__all__ = ["InputSpec", "MissingInputs", "Step", "Estimate", "inputs_of", "estimate", "award_fields",
           "estimate_options", "estimable", "check_award", "rule_of"]


def rule_of(policy: Policy) -> Rule | None:
    """The policy's award rule, or None when its data has no `award:` block."""
    if policy.award is None:
        return None
    problems: list[str] = []
    rule = parse_award(policy.award, f"policies[{policy.id}].award", policy.content,
                       lambda line, field, message: problems.append(f"{field}: {message}"))
    if problems or rule is None:
        raise DataError([f"政策 {policy.id} 的奖补规则有误：{p}" for p in problems])
    return rule


def inputs_of(policy: Policy) -> list[InputSpec]:
    rule = rule_of(policy)
    return rule.inputs() if rule else []


def award_fields(policy: Policy) -> dict[str, Any]:
    """The amounts the text names, as every interface shows them (`list`, `show`, `estimate` without an
    id, the web page): `award_text` the parts in the text's words (定额1000万元或100万元＋每个场景最高100万元);
    `award_amount` the largest amount named for the ordinary award, with `award_word` its word (最高, 约,
    定额) and `award_per` the item it is paid for (基地), so that a list sorts by it; `award_discretionary`
    a track granted case by case (可视情…最高2000万元); `award_parts` each amount named. No derived total:
    the text never states one."""
    rule = rule_of(policy)
    parts = rule.ceilings() if rule else ()
    ordinary = [c for c in parts if not c.word.startswith("视情")]
    named = max(ordinary, key=lambda c: c.amount, default=None)
    track = max((c.amount for c in parts if c.word.startswith("视情")), default=None)
    return {"award_text": rule.ceiling_text() if rule else "—",
            "award_amount": None if named is None else round_to(named.amount),
            "award_word": named.word if named else None,
            "award_per": named.per if named else None,
            "award_discretionary": None if track is None else round_to(track),
            "award_parts": [c.to_jsonable() for c in parts]}


def estimate(policy: Policy, inputs: Mapping[str, Any], *, lpr: Any = None, today: date | None = None) -> Estimate:
    """Estimate the award of `policy` from `inputs` (names as in `inputs_of`).

    `lpr` is either an `lpr.LprTable` to use instead of the shipped data/lpr.yaml, or a rate that
    overrides the published LPR (like the `lpr` input, e.g. "3.1%"). `today` (default: today) is used
    to warn about contract months still to come.
    """
    rule = rule_of(policy)
    if rule is None:
        raise NotFound(f"政策 {policy.id}（{policy.title}）的数据中还没有奖补规则（award），无法估算；规则的写法见 docs/authoring.md")
    from .lpr import LprTable

    values = dict(inputs)
    table = lpr if isinstance(lpr, LprTable) else None
    if lpr is not None and table is None and absent(values.get("lpr")):
        values["lpr"] = lpr
    specs = rule.inputs()
    missing = [s for s in specs if s.required and absent(values.get(s.name)) and not (s.unless and not absent(values.get(s.unless)))]
    if missing:
        needed = "；".join(s.mark for s in missing)
        raise MissingInputs(f"估算 {policy.id}（{policy.title}）需要：{needed}", [s.name for s in missing])
    run = Run(specs, values, table, today or date.today())
    outcome = rule.run(run)
    order = [s.name for s in specs]
    run.inputs.sort(key=lambda shown: order.index(shown.name))
    return Estimate(
        policy_id=policy.id,
        amount=None if outcome.amount is None else round_to(outcome.amount),
        is_maximum=outcome.is_maximum and not run.pending,  # no cap yet: the rate is not known
        cap_reached=outcome.cap_reached,
        steps=run.steps,
        notes=run.notes,
        clauses=run.clauses,
        support=rule.support if isinstance(rule, NoMoney) else None,
        approximate=outcome.approximate,
        discretionary=run.discretionary,
        inputs=run.inputs,
        conditions=policy.condition_clauses(),
        breakdown=[replace(p, amount=round_to(p.amount)) for p in outcome.parts],
        per_year=None if outcome.per_year is None else round_to(outcome.per_year),
        ordinary_amount=None if outcome.ordinary_amount is None else round_to(outcome.ordinary_amount),
        pending=run.pending,
    )


def estimate_options(policy: Policy, given: Mapping[str, Any], *, today: date | None = None) -> Estimate:
    """`estimate` for what a person gave: inputs the policy does not take are an error, not ignored."""
    if rule_of(policy) is None:
        return estimate(policy, given, today=today)  # says the rule is not written yet
    used = {s.name for s in inputs_of(policy)}
    foreign = [name for name, value in given.items() if not absent(value) and name not in used]
    if foreign:
        options = "、".join(spec(n).mark if n in KNOWN else n for n in foreign)
        specs = inputs_of(policy)
        if not specs:
            raise InputError(f"{policy.id}（{policy.title}）没有可计算的金额，不需要 {options}", code="takes_no_inputs",
                             field=foreign[0], value=policy.id, next="estimate_alone")
        valid = "、".join(s.mark for s in specs)
        raise InputError(f"{options} 不适用于 {policy.id}（{policy.title}），该政策可用的输入：{valid}",
                         code="foreign_input", field=foreign[0], valid=[s.name for s in specs])
    return estimate(policy, given, today=today)


@dataclass(frozen=True)
class Estimable:
    """One row of `policy estimate` without an id."""

    policy: Policy
    inputs: list[InputSpec]
    monetary: bool

    @property
    def award_text(self) -> str:
        return award_fields(self.policy)["award_text"]

    def to_jsonable(self) -> dict[str, Any]:
        fields = award_fields(self.policy)
        return {
            "id": self.policy.id,
            "list": self.policy.list,
            "title": self.policy.title,
            "monetary": self.monetary,
            **{k: format(v, "f") if isinstance(v, Decimal) else v for k, v in fields.items()},
            "inputs": [{"name": s.name, "label": s.label, "kind": s.kind,
                        "required": s.required, "choices": list(s.choices), "keys": list(s.keys)}
                       for s in self.inputs],
        }


def estimable(catalog: Catalog) -> list[Estimable]:
    """Every policy with an award rule, with its inputs."""
    rows = []
    for policy in catalog.policies:
        rule = rule_of(policy)
        if rule is None:
            continue
        monetary = not (isinstance(rule, NoMoney) and rule.stated)
        rows.append(Estimable(policy, rule.inputs(), monetary))
    return rows

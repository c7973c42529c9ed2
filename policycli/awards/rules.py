"""Award estimates from the rules kept as data: the public API used by `policy estimate` and `policy match`.

- `inputs_of(policy)`: the inputs a policy's estimate takes (`InputSpec`s).
- `estimate(policy, inputs, *, lpr=None, today=None)`: an `Estimate` with every step shown; raises
  `MissingInputs` (an `InputError` with `.names`) when required inputs are absent. Inputs the policy
  does not use are ignored (see `estimate_options` for the strict check the CLI makes).
- `ceiling(policy)`: the largest amount the text promises, in 元 (a discretionary track such as
  "可视情…最高2000万元" only with `discretionary=True`) (per unit for per-unit amounts, summing
  the parts of a sum; None where the text states none or it depends on the LPR).

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

__all__ = ["InputSpec", "MissingInputs", "Step", "Estimate", "inputs_of", "estimate", "ceiling", "ceiling_text", "ceiling_fields",
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


def ceiling(policy: Policy, *, discretionary: bool = False) -> Decimal | None:
    """The cap the text promises; with `discretionary`, the largest amount including tracks granted
    case by case ("不超过600万元", or "可视情…最高2000万元" with discretionary)."""
    rule = rule_of(policy)
    top = (rule.discretionary_ceiling() if discretionary else rule.ceiling()) if rule else None
    return None if top is None else round_to(top)


def ceiling_fields(policy: Policy) -> dict[str, Any]:
    """The promised amount as machine fields (`list` and `estimate` without an id): `max_award` the
    cap in 元 (none where a part is paid per item with no cap over the items), `max_award_word` what
    the text calls it (最高, 约, 定额), `max_award_per` the item a per-item amount is paid for,
    `max_award_parts` each amount the text states, with its word, item and the part or level."""
    rule = rule_of(policy)
    parts = rule.ceilings() if rule else ()
    top = ceiling(policy)
    same = [c for c in parts if round_to(c.amount) == top] if top is not None else []
    chosen = same[0] if len(same) == 1 else parts[0] if len({(c.word, c.per) for c in parts}) == 1 else None
    return {"max_award": top, "max_award_discretionary": ceiling(policy, discretionary=True),
            "max_award_text": rule.ceiling_text() if rule else "—",
            "max_award_word": chosen.word if chosen and top is not None else None,
            "max_award_per": chosen.per if chosen and top is not None else None,
            "max_award_parts": [c.to_jsonable() for c in parts]}


def ceiling_text(policy: Policy) -> str:
    """The ceiling in the text's own words: 最高600万元, 约200万元, 定额1000万元或100万元, 每个基地最高100万元,
    最高600万元（可视情最高2000万元）, 按LPR计, 未列明, —."""
    rule = rule_of(policy)
    return rule.ceiling_text() if rule else "—"


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
    ceiling: Decimal | None
    ceiling_text: str
    monetary: bool
    top: Decimal | None = None  # the ceiling including a discretionary track

    def to_jsonable(self) -> dict[str, Any]:
        fields = ceiling_fields(self.policy)
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
    """Every policy with an award rule, with its inputs and ceiling."""
    rows = []
    for policy in catalog.policies:
        rule = rule_of(policy)
        if rule is None:
            continue
        monetary = not (isinstance(rule, NoMoney) and rule.stated)
        rows.append(Estimable(policy, rule.inputs(), ceiling(policy), rule.ceiling_text(), monetary,
                              ceiling(policy, discretionary=True)))
    return rows

"""Properties of every policy whose award is computed from a base (rate, increase, brackets):
never negative, never above its cap, never smaller when the base grows."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policycli.awards.lpr import load_lpr
from policycli.awards.rules import award_fields, estimate, inputs_of

COMPUTED = ("rate", "increase", "brackets")
MONTHS = [date(y, m, 1) for y in range(2019, 2027) for m in range(1, 13) if date(2019, 8, 1) <= date(y, m, 1) <= date(2026, 6, 1)]
RATED = ["vrcenter", "techretrofit", "ipopool", "loansubsidy", "identnode"]  # checked against the data below


def bases(block):
    """The base inputs of the computed rules in an award block."""
    if isinstance(block, dict):
        if block.get("kind") in COMPUTED:
            yield block["base"]
        for value in block.values():
            yield from bases(value)
    elif isinstance(block, list):
        for item in block:
            yield from bases(item)


amounts = st.integers(min_value=0, max_value=10**11).map(lambda fen: Decimal(fen) / 100)  # up to 10 亿元


def other_inputs(policy, base: str):
    """A strategy for every input of the policy except `base` (and the --lpr override)."""
    fields = {}
    for item in inputs_of(policy):
        if item.name in (base, "lpr"):
            continue
        if item.kind == "money":
            fields[item.name] = amounts
        elif item.kind == "month":
            fields[item.name] = st.sampled_from(MONTHS)
        elif item.kind == "flag":
            fields[item.name] = st.booleans()
        elif item.kind == "count":
            fields[item.name] = st.integers(1, item.maximum or 20)
        elif item.kind == "choice":
            fields[item.name] = st.sampled_from(item.keys or item.choices)
    return st.fixed_dictionaries(fields)


@pytest.fixture(scope="module")
def lpr():
    return load_lpr()


def test_the_computed_policies_are_found(catalog):
    assert [p.id for p in catalog.policies if list(bases(p.award))] == RATED


@pytest.mark.parametrize("policy_id", RATED)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), base=amounts, growth=amounts)
def test_never_negative_never_above_cap_never_smaller_for_a_larger_base(catalog, lpr, policy_id, data, base, growth):
    policy = catalog.get(policy_id)
    name = next(bases(policy.award))
    others = data.draw(other_inputs(policy, name))
    low = estimate(policy, {**others, name: base}, lpr=lpr)
    high = estimate(policy, {**others, name: base + growth}, lpr=lpr)
    for result in (low, high):
        assert result.amount >= 0
        assert result.amount == result.amount.quantize(Decimal("0.01"))
        fields = award_fields(policy)
        top = fields["award_discretionary" if result.discretionary else "award_amount"]
        if top is not None:
            assert result.amount <= top
        else:  # the LPR brackets: never more than the whole loan at the highest LPR, each of the two
            # brackets rounded half-up to 分 (at most 0.005 元 each), every year
            highest = max(rate for change in lpr.changes for rate in change.rates.values())
            assert result.amount <= ((base + growth) * highest + Decimal("0.01")) * 3
    assert high.amount >= low.amount
    if high.cap_reached and low.cap_reached:
        assert high.amount == low.amount


@settings(max_examples=150, deadline=None)
@given(now=amounts, before=amounts, more=amounts)
def test_a_larger_previous_year_never_raises_the_increase_award(catalog, now, before, more):
    policy = catalog.get("ipopool")
    first = estimate(policy, {"rd": now, "rd_last": before})
    second = estimate(policy, {"rd": now, "rd_last": before + more})
    assert Decimal(0) <= second.amount <= first.amount <= Decimal(3000000)

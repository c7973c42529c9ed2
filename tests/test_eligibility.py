"""Matching profiles to policies: statuses, missing facts, failed conditions, amounts and the total."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from policycli.match.eligibility import (
    ELIGIBLE,
    INELIGIBLE,
    UNCONFIRMED,
    answer,
    match_policy,
    match_profile,
    next_question,
)
from policycli.match.profile import Profile
from policycli.match.profile_file import apply_settings, load_profile

CASES = Path(__file__).parent / "cases"
EXPECTED = yaml.safe_load((CASES / "match.yaml").read_text(encoding="utf-8"))


def result_of(name: str, catalog):
    return match_profile(catalog, load_profile(CASES / "profiles" / f"{name}.yaml", catalog))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_profiles_match_exactly(name, catalog):
    want = EXPECTED[name]
    result = result_of(name, catalog)
    assert result.profile.display_name == want["name"]
    eligible = {m.policy.id: (None if m.amount is None else format(m.amount, "f")) for m in result.group(ELIGIBLE)}
    assert eligible == want["eligible"]
    assert {m.policy.id: list(m.missing) for m in result.group(UNCONFIRMED)} == want["unconfirmed"]
    ineligible = {m.policy.id for m in result.group(INELIGIBLE)}
    assert ineligible == {p.id for p in catalog.policies} - set(want["eligible"]) - set(want["unconfirmed"])
    assert [m.policy.id for m in result.matches if m.is_maximum and m.amount] == want["maximum"]
    assert [m.policy.id for m in result.matches if m.cap_reached] == want["cap_reached"]
    assert format(result.total, "f") == want["total"]
    assert result.maximum_count == want["maximum_count"]
    assert list(result.unknown_amounts) == want["unknown_amounts"]


def test_failed_conditions_quote_the_text_and_the_answer(catalog):
    result = result_of("nothing", catalog)
    by_id = {m.policy.id: m for m in result.matches}
    failed = by_id["techretrofit"].failed
    assert [(f.clause, f.detail) for f in failed] == [
        ("实施技术改造", "实施技术改造：否"),
        ("规模以上制造业企业", "规模以上企业：否"),
        ("规模以上制造业企业", "制造业企业：否"),
    ]
    (loan,) = by_id["loansubsidy"].failed[:1]
    assert (loan.clause, loan.detail) == ("科技型企业", "科技型企业：否")
    assert [f.detail for f in by_id["loansubsidy"].failed] == ["科技型企业：否", "贷款融资模式：普通贷款"]
    (any_of,) = by_id["rediscount"].failed
    assert any_of.clause == "科技型企业；或 “专精特新”"
    assert any_of.detail == "科技型企业：否；专精特新企业：否"
    (brain,) = by_id["industrybrain"].failed
    assert brain.detail == "认定与入选中没有：省级产业大脑"
    (chain,) = by_id["supplychain"].failed
    assert chain.detail.startswith("认定与入选中没有：应收账款确权金额和增速全省前10名、商业汇票签发量和增速全省前10名、")


def test_eligible_without_figures_has_an_unknown_amount(catalog):
    profile = apply_settings(load_profile(CASES / "profiles" / "manufacturer.yaml", catalog),
                             [], catalog)
    profile = Profile({k: v for k, v in profile.facts.items() if k not in ("invest",)}, name="无投资额")
    result = match_profile(catalog, profile)
    retrofit = next(m for m in result.matches if m.policy.id == "techretrofit")
    assert retrofit.status == ELIGIBLE and retrofit.amount is None
    assert retrofit.missing_figures == ("invest",)
    assert result.unknown_amounts == ("techretrofit",)
    assert format(result.total, "f") == "3000000.00"


def test_major_retrofit_counts_once(catalog):
    profile = load_profile(CASES / "profiles" / "manufacturer.yaml", catalog)
    major = match_profile(catalog, apply_settings(profile, ["major=是"], catalog))
    retrofit = next(m for m in major.matches if m.policy.id == "techretrofit")
    assert format(retrofit.amount, "f") == "9600000.00"
    assert format(major.total, "f") == "12600000.00"  # 9,600,000 instead of 6,000,000, not both


def test_levels_are_exclusive_and_come_from_the_recognitions(catalog):
    both = apply_settings(Profile(), ["recognitions=国家级双跨工业互联网平台,国家级特色专业型工业互联网平台"], catalog)
    platform = match_policy(catalog.get("iiplatform"), both)
    assert platform.status == ELIGIBLE
    assert format(platform.amount, "f") == "10000000.00"
    special = apply_settings(Profile(), ["recognitions=国家级特色专业型工业互联网平台"], catalog)
    assert format(match_policy(catalog.get("iiplatform"), special).amount, "f") == "1000000.00"
    community = apply_settings(Profile(), ["recognitions=基础型智慧社区"], catalog)
    match = match_policy(catalog.get("smartcommunity"), community)
    assert (format(match.amount, "f"), match.is_maximum) == ("100000.00", True)


def test_figures_of_one_policy_reach_its_estimate(catalog):
    profile = apply_settings(Profile(), ["entity=企业", "recognitions=省级虚拟现实应用体验中心", "vrcenter.cost=1000万"], catalog)
    vr = match_policy(catalog.get("vrcenter"), profile)
    assert (vr.status, format(vr.amount, "f"), vr.cap_reached) == (ELIGIBLE, "2000000.00", False)


def test_questions_follow_the_order_a_person_answers_and_skip_what_is_ruled_out(catalog):
    """Who applies and what it is first, then what it did, then its loan and the repayment."""
    answers = {"entity": "企业", "manufacturer": False, "high_tech": False, "tech_firm": True, "ic_industry": False,
               "graduate": False, "recognitions": (), "data_center": False, "instruments": False,
               "loan_mode": "投保贷", "repaid": True}
    profile, asked = Profile(), []
    while (question := next_question(catalog, profile, {"loan", "signed"})) is not None:
        asked.append(question.key)
        profile = answer(profile, question, answers[question.key])
    # techretrofit is ruled out (not a manufacturer): its scale and the retrofit itself are not asked
    assert asked == ["entity", "manufacturer", "high_tech", "tech_firm", "ic_industry", "graduate", "recognitions",
                     "data_center", "instruments", "loan_mode", "repaid"]


def test_question_for_figures_comes_after_the_conditions(catalog):
    profile = load_profile(CASES / "profiles" / "techsmall.yaml", catalog)
    profile = Profile({k: v for k, v in profile.facts.items() if k != "loan"}, name="x")
    profile = apply_settings(profile, ["instruments=否"], catalog)
    question = next_question(catalog, profile)
    assert (question.fact.key, question.policy_id) == ("loan", None)
    skipped = next_question(catalog, profile, {"loan"})
    assert skipped is None


def test_figure_of_one_policy_is_asked_for_that_policy(catalog):
    profile = apply_settings(Profile(), ["entity=企业", "recognitions=省级虚拟现实应用体验中心"], catalog)
    profile = apply_settings(profile, [f"{k}=否" for k in ("retrofit", "tech_firm", "specialized", "instruments",
                                                          "ic_industry", "data_center", "graduate")], catalog)
    question = next_question(catalog, profile)
    assert (question.key, question.policy_id) == ("vrcenter.cost", "vrcenter")
    profile = answer(profile, question, Decimal("5000000"))
    assert profile.figures == {"vrcenter": {"cost": Decimal("5000000")}}
    assert next_question(catalog, profile) is None

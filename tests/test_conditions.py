"""Eligibility conditions in the dataset: verbatim clauses, known facts, load-time checks, evaluation."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import cli_lines, invoke
from copies import line_in_copy, with_copies

from policycli.dataset.files import default_data_path
from policycli.errors import DataError
from policycli.load import parse_catalog
from policycli.match.conditions import MET, NOT_MET, UNKNOWN, AnyOf, Condition, conditions_of
from policycli.match.profile import FACT_BY_KEY

SHIPPED = default_data_path()


def _options(entry):
    return entry.options if isinstance(entry, AnyOf) else (entry,)


def test_every_policy_has_conditions(catalog):
    assert len(catalog.policies) == 20
    for policy in catalog.policies:
        assert conditions_of(policy), policy.id


def test_every_clause_is_verbatim_in_its_policy(catalog):
    for policy in catalog.policies:
        for entry in conditions_of(policy):
            for condition in _options(entry):
                assert condition.clause in policy.content, (policy.id, condition.clause)


def test_every_fact_is_in_the_vocabulary(catalog):
    for policy in catalog.policies:
        for entry in conditions_of(policy):
            for condition in _options(entry):
                assert condition.fact in FACT_BY_KEY


def test_conditions_named_in_the_issue(catalog):
    def facts_and_values(pid):
        return {(c.fact, c.value if not isinstance(c.value, tuple) else c.value)
                for e in conditions_of(catalog.get(pid)) for c in _options(e)}

    assert {("above_scale", True), ("manufacturer", True), ("retrofit", True)} <= facts_and_values("techretrofit")
    assert {("high_tech", True), ("recognitions", ("高新技术企业上市培育库",))} <= facts_and_values("ipopool")
    loan = facts_and_values("loansubsidy")
    assert ("tech_firm", True) in loan and ("repaid", True) in loan
    assert ("recognitions", ("省级虚拟现实应用体验中心",)) in facts_and_values("vrcenter")
    assert ("recognitions", ("国家级双跨工业互联网平台",)) in facts_and_values("iiplatform")
    assert ("recognitions", ("全国重点实验室",)) in facts_and_values("keylab")
    assert ("recognitions", ("省级数字经济园区",)) in facts_and_values("digitalpark")
    assert ("recognitions", ("标杆型智慧社区",)) in facts_and_values("smartcommunity")
    assert ("graduate", True) in facts_and_values("startuploan")


# --- load-time checks ---------------------------------------------------------------------------


def _broken(old: str, new: str) -> bytes:
    text = SHIPPED.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1).encode("utf-8")


def _line_of(raw: bytes, fragment: str) -> int:
    text = raw.decode("utf-8")
    return text[: text.index(fragment)].count("\n") + 1


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        ('fact: retrofit, op: is', 'fact: retrofitt, op: is', "policies[techretrofit].conditions[0].fact", "未知的事实“retrofitt”"),
        ('{clause: "实施技术改造"', '{clause: "实施技改"', "policies[techretrofit].conditions[0].clause", "“实施技改”不在该政策原文中"),
        ('fact: retrofit, op: is', 'fact: retrofit, op: has', "policies[techretrofit].conditions[0].op", "“has”不能用于实施技术改造（retrofit）"),
        ('fact: retrofit, op: is, value: true', 'fact: retrofit, op: is, value: 也许', "policies[techretrofit].conditions[0].value", "“也许”不是是/否"),
        ('value: 高新技术企业上市培育库}', 'value: 上市培育库}', "policies[ipopool].conditions[1].value", "“上市培育库”不是认定与入选的可选值"),
        ('value: [投保贷, 投贷, 跟贷', 'value: [投保贷, 信用贷, 跟贷', "policies[loansubsidy].conditions[1].value", "“信用贷”不是贷款融资模式的可选值"),
        ('fact: retrofit, op: is, value: true}', 'fact: retrofit, op: is, value: true, weight: 2}', "policies[techretrofit].conditions[0]", "未知的字段 weight"),
        ('fact: retrofit, op: is', 'fact: !!binary aGk=, op: is', "policies[techretrofit].conditions[0].fact", "未知的事实二进制数据，可用："),
        ('fact: retrofit, op: is', 'fact: retrofit, op: !!binary aGk=', "policies[techretrofit].conditions[0].op", "二进制数据不能用于实施技术改造"),
    ],
)
def test_bad_condition_is_reported_with_file_line_and_field(old, new, field, message):
    raw = _broken(old, new)
    with pytest.raises(DataError) as caught:
        parse_catalog(raw, "p.yaml")
    line = _line_of(raw, new)
    assert any(p.startswith(f"p.yaml:{line}: {field}: ") and message in p for p in cli_lines(caught.value)), cli_lines(caught.value)


def test_all_condition_problems_are_reported_at_once():
    raw = _broken('fact: retrofit, op: is', 'fact: nope, op: is')
    raw = raw.replace('fact: high_tech, op: is'.encode(), 'fact: nope2, op: is'.encode())
    with pytest.raises(DataError) as caught:
        parse_catalog(raw, "p.yaml")
    assert len([p for p in cli_lines(caught.value) if "未知的事实" in p]) == 2


def test_any_needs_two_options():
    raw = _broken('''      - any:
          - {clause: "科技型企业", fact: tech_firm, op: is, value: true}
          - {clause: "“专精特新”", fact: specialized, op: is, value: true}''',
                  '''      - any:
          - {clause: "科技型企业", fact: tech_firm, op: is, value: true}''')
    with pytest.raises(DataError) as caught:
        parse_catalog(raw, "p.yaml")
    assert any("policies[rediscount].conditions[0].any: 应为至少两个条件的列表" in p for p in cli_lines(caught.value))


def test_validate_command_reports_a_bad_condition(tmp_path: Path):


    bad = tmp_path / "bad.yaml"
    bad.write_bytes(_broken('fact: graduate', 'fact: student'))
    result = invoke("validate", str(bad))
    assert result.exit_code == 2
    assert "policies[startuploan].conditions[0].fact: 未知的事实“student”" in result.stderr
    assert "Traceback" not in result.output


# --- evaluation -------------------------------------------------------------------------------


def test_is_in_has_and_unknown():
    flag = Condition("规模以上", "above_scale", "is", True)
    assert flag.state({"above_scale": True}) == MET
    assert flag.state({"above_scale": False}) == NOT_MET
    assert flag.state({}) == UNKNOWN
    choice = Condition("经营主体", "entity", "in", ("企业", "个体工商户"))
    assert choice.state({"entity": "个体工商户"}) == MET
    assert choice.state({"entity": "高校"}) == NOT_MET
    has = Condition("入库", "recognitions", "has", ("高新技术企业上市培育库",))
    assert has.state({"recognitions": ("省级产业大脑", "高新技术企业上市培育库")}) == MET
    assert has.state({"recognitions": ()}) == NOT_MET
    assert has.state({}) == UNKNOWN


def test_ordered_comparisons():
    at_least = Condition("x", "invest", "≥", Decimal("500000"))
    assert at_least.state({"invest": Decimal("500000")}) == MET
    assert at_least.state({"invest": Decimal("499999.99")}) == NOT_MET
    before = Condition("x", "signed", "<", date(2024, 7, 1))
    assert before.state({"signed": date(2024, 6, 1)}) == MET
    assert before.state({"signed": date(2024, 7, 1)}) == NOT_MET


def test_any_of_is_met_by_one_and_unknown_only_when_nothing_is_met():
    either = AnyOf((Condition("科技型企业", "tech_firm", "is", True), Condition("专精特新", "specialized", "is", True)))
    assert either.state({"tech_firm": False, "specialized": True}) == MET
    assert either.state({"tech_firm": True}) == MET
    assert either.state({"tech_firm": False}) == UNKNOWN
    assert either.state({"tech_firm": False, "specialized": False}) == NOT_MET


def test_levels_named_by_conditions_are_levels_of_the_award(catalog):
    from policycli.awards.rules import inputs_of

    named = 0
    for policy in catalog.policies:
        choices = {s.name: s.choices for s in inputs_of(policy)}
        for entry in conditions_of(policy):
            for condition in _options(entry):
                for name, value in condition.inputs.items():
                    assert value in choices[name], (policy.id, name, value)
                    named += 1
    assert named == 10


def test_a_shared_condition_block_is_checked_against_each_policys_own_text():
    raw = with_copies(("", ""), ("对实施技术改造并", "对实施技改并"), ("", ""))
    with pytest.raises(DataError) as caught:
        parse_catalog(raw, "p.yaml")
    line = line_in_copy(raw, 1, '{clause: "实施技术改造"')
    assert cli_lines(caught.value) == [
        f"p.yaml:{line}: policies[copy1].conditions[0].clause: “实施技术改造”不在该政策原文中，clause 须逐字摘自原文"]


def test_a_repeated_bad_condition_is_reported_for_every_policy_holding_it():
    raw = with_copies(("fact: retrofit, op: is", "fact: retrofitt, op: is"), ("fact: retrofit, op: is", "fact: retrofitt, op: is"))
    with pytest.raises(DataError) as caught:
        parse_catalog(raw, "p.yaml")
    lines = [line_in_copy(raw, i, "retrofitt") for i in (0, 1)]
    assert [p.split(": 未知的事实")[0] for p in cli_lines(caught.value)] == [
        f"p.yaml:{lines[0]}: policies[copy0].conditions[0].fact", f"p.yaml:{lines[1]}: policies[copy1].conditions[0].fact"]

"""Award estimates from the rules in data/policies.yaml: the cases of tests/cases/award_cases.yaml,
the traceability of every rule to the official text, validation, and the public API."""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
import yaml
from conftest import DATASET as DATA, cli_lines
from conftest import REPO as ROOT
from conftest import cli_words, invoke, official_source
from copies import line_in_copy, with_copies

from policycli.awards.lpr import LprChange, LprTable
from policycli.cli.wording import CLI
from policycli.awards.rules import (
    InputSpec,
    MissingInputs,
    award_fields,
    estimate,
    estimate_options,
    inputs_of,
)
from policycli.errors import DataError, InputError
from policycli.load import parse_catalog

CASES = yaml.safe_load((ROOT / "tests" / "cases" / "award_cases.yaml").read_text(encoding="utf-8"))
TODAY = date(2025, 1, 15)


def case_id(case):
    return f"{case['policy']}-" + "-".join(f"{k}={v}" for k, v in case["inputs"].items())


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_case(catalog, case):
    policy = catalog.get(case["policy"])
    if "missing" in case:
        with pytest.raises(MissingInputs) as caught:
            estimate(policy, case["inputs"], today=TODAY)
        assert caught.value.names == case["missing"]
        message = cli_words(caught.value)
        assert "\n" not in message
        assert all(f"--{name.replace('_', '-')}" in message for name in case["missing"])
        return
    if "error" in case:
        with pytest.raises(InputError) as caught:
            estimate(policy, case["inputs"], today=TODAY)
        assert case["error"] in cli_words(caught.value) and "\n" not in cli_words(caught.value)
        return
    result = estimate(policy, case["inputs"], today=TODAY)
    expected = case["amount"]
    assert (None if result.amount is None else format(result.amount, "f")) == expected
    for flag in ("cap_reached", "is_maximum", "approximate", "discretionary"):
        if flag in case:
            assert getattr(result, flag) is case[flag], flag
    if "breakdown" in case:
        assert [f"{p.label} {p.word} {p.amount}" for p in result.breakdown] == case["breakdown"]
    for figure in ("per_year", "ordinary_amount"):  # 元, exact string, or null
        if figure in case:
            value = getattr(result, figure)
            assert (None if value is None else format(value, "f")) == case[figure], figure
    steps = [f"{s.label} {s.value}" for s in result.steps]
    for text in case.get("steps", []):
        assert any(text in s for s in steps), (text, steps)
    for text in case.get("notes", []):  # written as the command line words them
        assert any(text in CLI.text(n) for n in result.notes), (text, result.notes)
    if "support" in case:
        assert case["support"] in result.support
    if expected is None:
        assert result.support and not result.steps
        assert not any("没有" in n and "资金" in n for n in result.notes), "the text never says there is no money"
    assert result.clauses, "every estimate cites the text it comes from"


def test_every_policy_is_covered_by_cases(catalog):
    assert {c["policy"] for c in CASES} == {p.id for p in catalog.policies}


def test_issue_examples_exactly(catalog):
    retrofit = catalog.get("techretrofit")
    assert estimate(retrofit, {"invest": "30000000"}).amount == Decimal("3600000.00")
    assert not estimate(retrofit, {"invest": "30000000"}).cap_reached
    capped = estimate(retrofit, {"invest": "80000000"})
    assert (capped.amount, capped.cap_reached) == (Decimal("6000000.00"), True)
    assert estimate(retrofit, {"invest": "80000000", "major": True}).amount == Decimal("9600000.00")
    assert estimate(catalog.get("ipopool"), {"rd": "15000000", "rd_last": "10000000"}).amount == Decimal("1000000.00")
    loan = estimate(catalog.get("loansubsidy"), {"loan": "8000000", "signed": "2024-03"})
    assert loan.amount == Decimal("672750.00")
    assert ("每年合计", "224,250.00 元（22.425万元）") in [(s.label, s.value) for s in loan.steps]
    vr = estimate(catalog.get("vrcenter"), {"cost": "20000000"})
    assert (vr.amount, vr.cap_reached) == (Decimal("3000000.00"), True)


# --- traceability ---------------------------------------------------------------------------------


def clauses_in(block):
    if isinstance(block, dict):
        for key, value in block.items():
            if key == "clause":
                yield from ([value] if isinstance(value, str) else value)
            else:
                yield from clauses_in(value)
    elif isinstance(block, list):
        for item in block:
            yield from clauses_in(item)


def test_every_policy_has_an_award_block_with_clauses(catalog):
    for policy in catalog.policies:
        assert policy.award, policy.id
        assert list(clauses_in(policy.award)), policy.id


def test_every_clause_occurs_verbatim_in_its_policy(catalog):
    for policy in catalog.policies:
        for clause in clauses_in(policy.award):
            assert clause in policy.content, (policy.id, clause)


def test_every_clause_occurs_in_the_official_text(catalog):
    source = official_source().read_text(encoding="utf-8")
    for policy in catalog.policies:
        for clause in clauses_in(policy.award):
            assert clause in source, (policy.id, clause)


def test_award_blocks_sit_right_before_content():
    lines = DATA.read_text(encoding="utf-8").splitlines()
    awards = [i for i, line in enumerate(lines) if line == "    award:"]
    assert len(awards) == 20
    for start in awards:
        end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith("      "))
        assert lines[end] == "    content: |-"


def test_no_rule_code_knows_a_policy_id(catalog):
    code = "".join(path.read_text(encoding="utf-8") for path in (ROOT / "policycli" / "awards").glob("*.py"))
    for policy in catalog.policies:
        assert not re.search(rf"\b{policy.id}\b", code), policy.id


# --- ceilings -------------------------------------------------------------------------------------

AMOUNTS = yaml.safe_load((ROOT / "tests" / "cases" / "award_amounts.yaml").read_text(encoding="utf-8"))


def test_every_policy_has_its_amounts_written_down(catalog):
    assert sorted(AMOUNTS) == sorted(p.id for p in catalog.policies)


@pytest.mark.parametrize("policy_id", sorted(AMOUNTS))
def test_amount_fields_say_what_the_text_says(catalog, policy_id):
    fields = award_fields(catalog.get(policy_id))
    said = {key: None if fields[f"award_{key}"] is None else format(fields[f"award_{key}"], "f")
            for key in ("amount", "discretionary")}
    parts = [[p["label"], p["amount"], p["word"], p["per"]] for p in fields["award_parts"]]
    assert {"text": fields["award_text"], **said, "word": fields["award_word"], "per": fields["award_per"],
            "parts": parts} == AMOUNTS[policy_id]


def test_every_amount_named_is_in_the_text(catalog):
    """Each part's amount appears in the policy's own text (in 万元), so no figure is derived."""
    for policy in catalog.policies:
        for part in award_fields(policy)["award_parts"]:
            wan = format(Decimal(part["amount"]) / 10000, "f").rstrip("0").rstrip(".")
            assert f"{wan}万" in policy.content, (policy.id, part)


# --- public API -------------------------------------------------------------------------------------


def test_inputs_of(catalog):
    def names(pid):
        return [(s.name, s.kind, s.required) for s in inputs_of(catalog.get(pid))]

    assert names("techretrofit") == [("invest", "money", True), ("major", "flag", False)]
    assert names("ipopool") == [("rd", "money", True), ("rd_last", "money", True)]
    assert names("loansubsidy") == [("loan", "money", True), ("signed", "month", True), ("lpr", "rate", False),
                                    ("lpr_term", "choice", False), ("years", "count", False)]
    assert names("training") == [("excellent", "flag", False)]
    assert names("datacenter") == []
    level = inputs_of(catalog.get("smartcommunity"))[0]
    assert level == InputSpec(name="level", label="智慧社区类型", kind="choice", choices=("标杆型", "基础型/成长型"),
                              required=True, keys=("biaogan", "jichu"), several=True)
    assert [s.mark for s in inputs_of(catalog.get("ipopool"))] == ["⟦rd|本年度可加计扣除研发费用⟧", "⟦rd_last|上年度可加计扣除研发费用⟧"]


def test_typed_inputs_are_accepted(catalog):
    loan = catalog.get("loansubsidy")
    result = estimate(loan, {"loan": Decimal(8000000), "signed": date(2024, 3, 9), "years": 3})
    assert result.amount == Decimal("672750.00")
    assert estimate(loan, {"loan": 8000000, "lpr": Decimal("3.45")}).amount == Decimal("672750.00")
    assert estimate(catalog.get("techretrofit"), {"invest": 80000000, "major": "是"}).discretionary


def test_inputs_a_policy_does_not_take_are_ignored_by_estimate_but_refused_on_the_command_line(catalog):
    policy = catalog.get("vrcenter")
    assert estimate(policy, {"cost": "1000万", "invest": "1亿", "level": "x"}).amount == Decimal("2000000.00")
    with pytest.raises(InputError) as caught:
        estimate_options(policy, {"cost": "1000万", "invest": "1亿", "major": False})
    assert cli_words(caught.value) == "--invest 不适用于 vrcenter（虚拟现实应用体验中心补助），该政策可用的输入：--cost"
    assert (caught.value.code, caught.value.field, caught.value.valid) == ("foreign_input", "invest", ("cost",))
    with pytest.raises(InputError) as caught:
        estimate_options(catalog.get("datacenter"), {"count": "2"})
    assert cli_words(caught.value) == ("datacenter（新型数据中心建设支持）没有可计算的金额，不需要 --count；"
                                       "直接运行 policy estimate datacenter")


def test_lpr_keyword_takes_a_table_or_an_override(catalog):
    loan = catalog.get("loansubsidy")
    table = LprTable(source="测试", confirmed_through=date(2030, 12, 1),
                     changes=(LprChange(date(2024, 1, 20), {"1y": Decimal("0.04"), "5y": Decimal("0.05")}),))
    result = estimate(loan, {"loan": "800万", "signed": "2024-03"}, lpr=table)
    assert result.amount == Decimal("780000.00")  # (200,000 + 60,000) × 3
    assert "LPR 来源：测试" in result.notes
    assert estimate(loan, {"loan": "800万"}, lpr="3.1%").amount == Decimal("604500.00")


def test_missing_inputs_message_lists_what_is_needed(catalog):
    with pytest.raises(MissingInputs) as caught:
        estimate(catalog.get("loansubsidy"), {})
    assert str(caught.value) == "估算 loansubsidy（科技型企业贷款贴息）需要：“贷款金额”；“贷款合同签订月份”"
    assert (caught.value.names, caught.value.code) == (["loan", "signed"], "missing_inputs")
    assert isinstance(caught.value, InputError) and caught.value.exit_code == 2
    assert invoke("estimate", "loansubsidy").stderr == (
        "估算 loansubsidy（科技型企业贷款贴息）需要：--loan 贷款金额（如 3000万）；--signed 贷款合同签订月份（如 2024-03），"
        "给了 --lpr 时可省。可选：--lpr 指定 LPR（代替公布值）（如 3.1%）；--lpr-term LPR 期限：1年期（1y）、5年期以上（5y），"
        "默认 1y；--years 补贴年数（如 2），默认 3。示例：policy estimate loansubsidy --loan 3000万 --signed 2024-03\n")


def test_a_contract_month_still_to_come_is_flagged(catalog):
    result = estimate(catalog.get("loansubsidy"), {"loan": "100万", "signed": "2025-03"}, today=TODAY)
    assert any("尚未到来" in n for n in result.notes)


def test_steps_show_the_inputs_in_order(catalog):
    result = estimate(catalog.get("loansubsidy"), {"loan": "800万", "signed": "2024-03"})
    assert [(s.name, s.value) for s in result.inputs] == [
        ("loan", "8,000,000.00 元（800万元）"), ("signed", "2024-03"), ("lpr_term", "1年期（默认）"), ("years", "3（默认）")]


def test_conditions_are_carried_when_the_data_has_them(catalog):
    from dataclasses import replace

    assert estimate(catalog.get("techretrofit"), {"invest": "1"}).conditions == ["实施技术改造", "规模以上制造业企业"]
    assert estimate(catalog.get("rediscount"), {}).conditions == ["科技型企业；或 “专精特新”"]
    policy = replace(catalog.get("techretrofit"), conditions=None)
    assert estimate(policy, {"invest": "1"}).conditions == []


# --- a new policy needs YAML only; validation at load time -------------------------------------


NEW_POLICY = """
  - id: newbrackets
    part: 2
    number: 6
    title: 测试分档奖励
    lead_units: [区工信局]
    offices: [技术改造科]
    award:
      kind: brackets
      base: cost
      mode: {mode}
      unit: 万元
      rounding: 分
      brackets:
        - upto: 1000
          rate: "2%"
          clause: 投资1000万元（含）以下的按2%给予奖励
        - upto: null
          rate: "1%"
          clause: 1000万元以上的按1%给予奖励
    content: |-
      对企业新建项目，投资1000万元（含）以下的按2%给予奖励；1000万元以上的按1%给予奖励。
"""


def dataset_with(extra: str) -> bytes:
    return (DATA.read_text(encoding="utf-8").rstrip("\n") + "\n" + extra.lstrip("\n")).encode("utf-8")


@pytest.mark.parametrize("mode, cost, amount", [
    ("sum", "1500万", "250000.00"),      # 1000万 × 2% + 500万 × 1%
    ("lookup", "1500万", "150000.00"),   # the whole 1500万 × 1%
    ("lookup", "800万", "160000.00"),
    ("sum", "800万", "160000.00"),
])
def test_a_new_policy_needs_yaml_only(mode, cost, amount):
    catalog = parse_catalog(dataset_with(NEW_POLICY.replace("{mode}", mode)), "new.yaml")
    result = estimate(catalog.get("newbrackets"), {"cost": cost})
    assert format(result.amount, "f") == amount


def problems_of(raw: bytes) -> list[str]:
    with pytest.raises(DataError) as caught:
        parse_catalog(raw, "bad.yaml")
    return cli_lines(caught.value)


def line_of(text: str, needle: str, nth: int = 0) -> int:
    lines = [i + 1 for i, line in enumerate(text.splitlines()) if needle in line]
    return lines[nth]


def test_bad_award_blocks_report_every_problem_with_file_line_and_field():
    text = dataset_with(NEW_POLICY.replace("{mode}", "sometimes")).decode()
    text = text.replace('          rate: "2%"', '          rate: "3%"')
    text = text.replace("          clause: 1000万元以上的按1%给予奖励", "          clause: 1000万元以上的按1%给予奖金")
    text = text.replace("    cap: 600\n", "    cap: 700\n")
    text = text.replace("rounding: 分\n        clause: 按照年度设备投资额12%", "rounding: 角\n        clause: 按照年度设备投资额12%")
    text = text.replace("    award:\n      kind: per_unit\n", "    award:\n      kind: per_unit\n      colour: red\n")
    problems = problems_of(text.encode())
    rate_line = line_of(text, 'rate: "3%"')
    assert problems == [
        f"bad.yaml:{line_of(text, 'cap: 700')}: policies[techretrofit].award.otherwise.cap: 金额 700万 未出现在 clause 中，请引用写有该金额的原文",
        f"bad.yaml:{line_of(text, 'rounding: 角')}: policies[techretrofit].award.otherwise.rounding: “角”无效，应为 分 或 元",
        f"bad.yaml:{line_of(text, 'colour: red')}: policies[recyclingbase].award.colour: per_unit 类型没有字段“colour”，可用："
        "kind、clause、note、discretionary、labels、amount、up_to、unit_name、default_count、unit",
        f"bad.yaml:{rate_line}: policies[newbrackets].award.brackets[0].rate: 比例 3% 未出现在 clause 中，请引用写有该比例的原文",
        f"bad.yaml:{line_of(text, '给予奖金')}: policies[newbrackets].award.brackets[1].clause: “1000万元以上的按1%给予奖金”未在该政策原文中逐字出现，请从 content 复制",
        f"bad.yaml:{line_of(text, 'mode: sometimes')}: policies[newbrackets].award.mode: “sometimes”无效，应为 sum 或 lookup",
    ]


@pytest.mark.parametrize("award, message", [
    ("kind: gift\n      clause: x", "award.kind: 未知类型“gift”"),
    ("kind: up_to\n      amount: 0.5\n      unit: 万元\n      clause: 奖励", "award.amount: 0.5 是浮点数"),
    ("kind: up_to\n      amount: 5\n      unit: 千元\n      clause: 奖励", "award.unit: “千元”无效，应为 元 或 万元"),
    ("kind: rate\n      base: loan2\n      rate: \"2%\"\n      rounding: 分\n      clause: 按2%给予奖励", "award.base: “loan2”不是可用的输入"),
    ("kind: up_to\n      amount: 10\n      unit: 万元\n      clause: 奖励", "award.amount: 金额 10万 未出现在 clause 中"),
    ("kind: none\n      support: 支持", "award.clause: 缺少原文引用"),
    ("kind: levels\n      choices: []", "award.choices: 应为非空列表"),
    ("- not a mapping", "award: 应为映射"),
    ("kind: up_to\n      amount: {a: 1}\n      unit: 万元\n      clause: 奖励", "award.amount: 映射不是金额，应为非负数"),
    ("kind: up_to\n      amount: !!binary aGk=\n      unit: 万元\n      clause: 奖励", "award.amount: 二进制数据不是金额"),
    ("kind: rate\n      base: loan\n      rate: [2%]\n      rounding: 分\n      clause: 按2%给予奖励", "award.rate: 列表不是比例"),
    ("kind: up_to\n      amount: 5\n      unit: !!binary aGk=\n      clause: 奖励", "award.unit: 二进制数据无效，应为 元 或 万元"),
    ("kind: up_to\n      amount: 5\n      unit: \"万\\e[2J\"\n      clause: 奖励", "award.unit: “万\\x1b[2J”无效"),
])
def test_single_award_problems(award, message):
    block = NEW_POLICY.replace("{mode}", "sum")
    start = block.index("      kind: brackets")
    end = block.index("    content:")
    block = block[:start] + "      " + award + "\n" + block[end:]
    problems = problems_of(dataset_with(block))
    assert len(problems) == 1 and message in problems[0], problems
    assert problems[0].startswith("bad.yaml:") and "policies[newbrackets].award" in problems[0]


def test_a_signing_month_to_come_waits_on_a_rate_not_yet_published(catalog):
    policy = catalog.get("loansubsidy")
    later = estimate(policy, {"loan": "800万", "signed": "2024-06"}, today=date(2024, 1, 15))
    assert (later.word, later.is_maximum) == ("暂估", False)  # not 最高: nothing caps a rate still unknown
    assert later.pending == "2024年6月的 LPR 尚未公布，暂按最近公布值 3.45% 估算，待公布后确定"
    assert later.to_jsonable()["pending"] == later.pending
    known = estimate(policy, {"loan": "800万", "signed": "2024-01"}, today=date(2024, 1, 22))  # out on the 20th
    assert (known.word, known.is_maximum, known.pending) == ("最高", True, None)
    given = estimate(policy, {"loan": "800万", "signed": "2024-06", "lpr": "3.1%"}, today=date(2024, 1, 15))
    assert given.pending is None  # the rate is given: nothing waits


@pytest.mark.parametrize("signed, step, pending", [
    ("2026-03", "3.00%（2026年3月签订当月公布值，自 2025-05-20 起执行）", None),  # the last month verified
    ("2026-11", "3.00%（2026年11月的 LPR 未核实（数据只到2026年3月），暂按2026年3月公布值，自 2025-05-20 起执行）",
     "2026年11月的 LPR 未核实，暂按2026年3月公布值 3.00% 估算，以人民银行公布值为准"),
    ("2026-12", "3.00%（2026年12月的 LPR 尚未公布，暂按2026年3月公布值，自 2025-05-20 起执行）",  # out on the 20th
     "2026年12月的 LPR 尚未公布，暂按2026年3月公布值 3.00% 估算，待公布后确定"),
    ("2027-01", "3.00%（2027年1月的 LPR 尚未公布，暂按2026年3月公布值，自 2025-05-20 起执行）",
     "2027年1月的 LPR 尚未公布，暂按2026年3月公布值 3.00% 估算，待公布后确定"),
])
def test_a_month_past_the_verified_data_or_not_yet_published_is_provisional(catalog, signed, step, pending):
    result = estimate(catalog.get("loansubsidy"), {"loan": "800万", "signed": signed}, today=date(2026, 12, 2))
    assert result.steps[0].value == step
    assert (result.amount, result.pending, result.word) == (Decimal("585000.00"), pending, "暂估" if pending else "最高")
    published = estimate(catalog.get("loansubsidy"), {"loan": "800万", "signed": "2026-12"}, today=date(2026, 12, 21))
    assert "2026年12月的 LPR 未核实" in published.pending  # out by the 21st, but not in the data yet


def test_a_shared_award_block_is_checked_for_each_policy_and_each_type_of_value():
    raw = with_copies(("", ""), ("        cap: 2000\n", "        cap: 2000.0\n"), ("discretionary: true", "discretionary: 1"),
                      ("不超过600万元。", "不超过六百万元。"), ("", ""))
    assert problems_of(raw) == [
        f"bad.yaml:{line_in_copy(raw, 1, 'cap: 2000.0')}: policies[copy1].award.when_set.cap: "
        "2000.0 是浮点数，金额请写整数或加引号的小数，如 \"0.5\"",
        f"bad.yaml:{line_in_copy(raw, 2, 'discretionary: 1')}: policies[copy2].award.when_set.discretionary: 应为 true 或 false",
        f"bad.yaml:{line_in_copy(raw, 3, 'clause: 按照年度设备投资额12%的比例给予奖补，')}: policies[copy3].award.otherwise.clause: "
        "“按照年度设备投资额12%的比例给予奖补，单个企业当年获得奖补资金总额不超过600万元”未在该政策原文中逐字出现，请从 content 复制",
    ]

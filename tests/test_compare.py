"""Pairing of policies by their texts, and word-by-word differences."""
from __future__ import annotations

from dataclasses import replace

from policycli.lists.compare import amounts, compare, word_diff


def test_policies_pair_by_text_not_by_id_or_number(catalog):
    shuffled = tuple(replace(p, id=f"x{i}", number=20 - i) for i, p in enumerate(reversed(catalog.policies)))
    result = compare(catalog, replace(catalog, policies=shuffled))
    assert result.added == result.removed == ()
    assert all(c.old.content == c.new.content and not c.changed for c in result.continued)
    assert len(result.continued) == 20


def test_a_rewritten_policy_is_removed_and_another_added(catalog):
    policies = list(catalog.policies)
    policies[0] = replace(policies[0], content="对新建的5G基站给予每站1万元补贴。")
    result = compare(catalog, replace(catalog, policies=tuple(policies)))
    assert [p.id for p in result.removed] == [p.id for p in result.added] == ["creditreport"]


def test_word_diff_keeps_numbers_whole():
    segments = word_diff("给予最高300万元奖补", "给予最高1000万元一次性奖补")
    assert [(s.op, s.old, s.new) for s in segments if s.op != "equal"] == [("replace", "300", "1000"), ("insert", "", "一次性")]
    assert "".join(s.new for s in segments) == "给予最高1000万元一次性奖补"


def test_amounts_are_money_and_rates():
    assert amounts("按建设费用的20%最高给予300万元奖补，每个场景最高100万，总额不超过1.5亿元") == ["20%", "300万元", "100万", "1.5亿元"]

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


def long_lists(n: int = 3000) -> tuple[list[str], list[str]]:
    """n texts in the shape of a long list (the 20 originals, then varied by batch), and the next
    version: every text edited and the order reversed, so that nothing pairs by identity. An
    original shares its every piece with its variants: only scoring the few left finds its pair."""
    import yaml
    from conftest import DATASET

    originals = [p["content"] for p in yaml.safe_load(DATASET.read_text(encoding="utf-8"))["policies"]]
    old = [originals[i % len(originals)] if k == 0 else f"第{k}批：{originals[i % len(originals)]}（{k}号试点）"
           for k, i in ((i // len(originals), i) for i in range(n))]
    new = [text + "（本条款2025年继续执行）" for text in reversed(old)]
    return old, new


def test_long_lists_with_every_text_edited_pair_each_policy_with_its_next_version(monkeypatch):
    """The audit's 3,000 against 3,000: every pair was scored (35 s, 2.2 GB). Now each text is
    scored against at most CANDIDATES others (and the few left against each other), and each
    still finds its own next version."""
    from rapidfuzz import fuzz

    from policycli.dataset import pairing as module

    old, new = long_lists()
    calls = []
    real = fuzz.ratio
    monkeypatch.setattr(fuzz, "ratio", lambda *args, **kwargs: calls.append(1) or real(*args, **kwargs))
    pairs = module.pair_texts(old, new)
    assert {i: j for i, (j, _) in pairs.items()} == {i: len(old) - 1 - i for i in range(len(old))}
    assert len(calls) <= len(old) * module.CANDIDATES + module.EVERY_PAIR  # not the 9,000,000 of every pair


def test_identical_texts_pair_by_identity_without_scoring(monkeypatch):
    from rapidfuzz import fuzz

    from policycli.dataset.pairing import pair_texts

    old, _ = long_lists()
    monkeypatch.setattr(fuzz, "ratio", lambda *args, **kwargs: (_ for _ in ()).throw(AssertionError("scored")))
    pairs = pair_texts(old, list(reversed(old)) + ["一项新政策"])
    assert pairs == {i: (len(old) - 1 - i, 100.0) for i in range(len(old))}


def test_a_text_repeated_pairs_in_list_order_and_the_extra_copy_is_added():
    from policycli.dataset.pairing import pair_texts

    assert pair_texts(["甲", "甲", "乙"], ["乙", "甲", "甲", "甲"]) == {0: (1, 100.0), 1: (2, 100.0), 2: (0, 100.0)}

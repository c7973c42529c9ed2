"""The search index: one blob per field, offsets that map back to policies and characters."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from policycli.search.index import FIELDS, Blob, build_index, field_texts, fold_text, index_for
from policycli.search.rank import search


def test_fold_text_keeps_every_offset():
    text = "ＶＲ体验，ＡＩ（人工智能）"
    folded = fold_text(text)
    assert len(folded) == len(text)
    assert folded.startswith("vr体验") and "ai(" in folded


def test_each_policy_field_is_found_at_its_offsets(catalog):
    index = build_index(catalog)
    assert index.ids == tuple(p.id for p in catalog.policies)
    for number, policy in enumerate(catalog.policies):
        texts = field_texts(catalog, policy)
        for name in FIELDS:
            blob = index.blobs[name]
            if name == "derived":  # terms of the field vocabulary found in the title or text
                own = fold_text(policy.title + policy.content)
                assert all(term in own for term in blob.field_of(number).split("\n") if term)
            else:
                assert blob.field_of(number) == fold_text(texts[name])
            assert blob.owner(blob.starts[number]) == number
            assert len(blob.sound) == len(blob.initials) == len(blob.text)


@pytest.mark.parametrize("added", [
    "（全角括号）ＡＢＣ，ｖｒ",  # NFKC changes them one for one: the whole field folded at once
    "温度…℃与⑴、Ⅱ类",  # NFKC makes more than one character of these: kept, policy by policy
    "資訊服務與數位轉型",  # traditional characters: read as simplified, policy by policy
    "e\u0301与ﬁ",  # a combining accent and a ligature outside GB 2312
])
def test_each_field_is_folded_as_alone_whatever_its_characters(catalog, added):
    """Every field of every policy is folded at once, field by field; what each policy's text holds
    is what folding that text alone gives, offsets and all."""
    from dataclasses import replace

    policies = list(catalog.policies)
    policies[1] = replace(policies[1], content=added + policies[1].content, keywords=(*policies[1].keywords, added))
    policies[3] = replace(policies[3], title=added[:8])
    odd = replace(catalog, policies=tuple(policies))
    index = build_index(odd)
    for number, policy in enumerate(odd.policies):
        texts = field_texts(odd, policy)
        for name in ("title", "keywords", "content"):
            assert index.blobs[name].field_of(number) == fold_text(texts[name]), (name, number)
    assert index.latin[1] == build_index(replace(odd, policies=(policies[1],))).latin[0]


def test_progress_is_reported_up_to_the_total(catalog):
    """By the text done: each field transcribed (half of the bar once all are), then cut into words."""
    seen = []
    build_index(catalog, lambda done, total: seen.append((done, total)))
    count = len(catalog.policies)
    assert seen[-1] == (count, count) and (count // 2, count) in seen and len(seen) == 2 * len(FIELDS)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_the_index_is_cached_under_the_dataset_digest(catalog, tmp_path, monkeypatch):
    monkeypatch.setenv("POLICY_CACHE_DIR", str(tmp_path))
    built = index_for(catalog)
    assert (tmp_path / f"search-{catalog.digest}.entry").exists()
    calls = []
    again = index_for(catalog, lambda d, t: calls.append(d))
    assert calls == [] and again.ids == built.ids
    assert again.blobs["content"].text == built.blobs["content"].text


def test_latin_form_for_typed_pinyin_near_misses(catalog):
    index = build_index(catalog)
    number = index.ids.index("datacenter")
    assert "xinxingshujuzhongxin" in index.latin[number] and "idc" in index.latin[number]


# --- kept per list, combined for a library -----------------------------------------------------------


def test_an_index_comes_back_from_its_entry_equal_in_every_field(catalog):
    import json

    from policycli.dataset.cache import Entry
    from policycli.search.index import SearchIndex
    from policycli.search.stored import index_entry, index_of

    built = build_index(catalog)
    entry = index_entry(built)
    back = index_of(Entry(json.loads(json.dumps(entry.data, ensure_ascii=False)), entry.texts, entry.numbers),
                    SearchIndex, Blob)
    for slot in SearchIndex.__slots__:
        if slot != "blobs":
            assert getattr(back, slot) == getattr(built, slot), slot
            assert type(getattr(back, slot)) is type(getattr(built, slot)), slot
    for name, blob in built.blobs.items():
        assert [getattr(back.blobs[name], part) for part in Blob.__slots__] == [getattr(blob, part) for part in Blob.__slots__]


def test_an_index_entry_whose_blobs_do_not_line_up_is_refused(catalog):
    from policycli.dataset.cache import Entry
    from policycli.dataset.stored import Malformed
    from policycli.search.index import SearchIndex
    from policycli.search.stored import index_entry, index_of

    entry = index_entry(build_index(catalog))
    for damaged in (Entry(entry.data, [t[:-1] for t in entry.texts], entry.numbers),
                    Entry(entry.data, entry.texts, [n[:-1] for n in entry.numbers]),
                    Entry({**entry.data, "rest": {}}, entry.texts, entry.numbers)):
        with pytest.raises(Malformed):
            index_of(damaged, SearchIndex, Blob)


def _halves(catalog):
    """The shipped list as two lists (the first and the last ten policies), each its own digest."""
    from dataclasses import replace

    first, second = catalog.policies[:10], catalog.policies[10:]
    return (replace(catalog, policies=first, digest="a" * 64), replace(catalog, policies=second, digest="b" * 64))


QUERIES = [q["query"] for kind in yaml.safe_load((Path(__file__).parent / "cases" / "search_queries.yaml")
                                                 .read_text(encoding="utf-8")).values() for q in kind]


def test_two_lists_combined_search_as_one_list_holding_both(catalog, tmp_path, monkeypatch):
    """Each list's index is built and kept apart; put end to end they answer every judged query as
    the index of one list holding both does."""
    from dataclasses import replace

    from policycli.search.index import keep_in_memory
    from policycli.search.rank import search

    monkeypatch.setenv("POLICY_CACHE_DIR", str(tmp_path))
    combined = replace(catalog, digest="", members=_halves(catalog))
    whole = replace(catalog, digest="c" * 64)
    assert index_for(combined).ids == index_for(whole).ids
    kept = sorted(p.name[:8] for p in tmp_path.glob("search-*"))  # each list's, the whole's, and the two joined
    assert len(kept) == 4 and {"search-a", "search-b", "search-c"} <= set(kept)
    keep_in_memory()  # as a server does: each index read (and combined) once
    try:
        _same_answers(combined, whole, search)
    finally:
        keep_in_memory(False)


def test_a_librarys_lists_keep_no_related_words_the_library_makes_them_from_all_their_terms(catalog, tmp_path, monkeypatch):
    """A list indexed to be joined keeps the terms of our word lists its texts hold, not the
    related words and English phrases they give; the library's are those of one list holding
    both halves, and so are the related words a query reaches through them."""
    from dataclasses import replace

    from policycli.search.rank import search

    monkeypatch.setenv("POLICY_CACHE_DIR", str(tmp_path))
    first, second = (build_index(half, to_join=True) for half in _halves(catalog))
    assert (first.related, first.en_phrases, first.to_join) == ({}, {}, True)
    assert first.terms and second.terms - first.terms  # each half holds terms of its own
    whole = build_index(catalog)
    combined = replace(catalog, digest="", members=_halves(catalog))
    library = index_for(combined)
    assert list(library.related.items()) == list(whole.related.items()) and library.related
    assert list(library.en_phrases.items()) == list(whole.en_phrases.items()) and library.en_phrases
    assert (library.terms, library.to_join) == (whole.terms, False)
    assert [h.policy.id for h in search(combined, "机器换人").hits] == [h.policy.id for h in search(catalog, "机器换人").hits] != []


def test_a_list_indexed_for_a_library_and_searched_alone_is_given_its_tables_once(catalog, tmp_path, monkeypatch):
    """The entry a library left for one of its lists, read for that list alone: its related words
    and English phrases are those a list indexed alone has, and its entry is kept so."""
    from dataclasses import replace

    from policycli.search import index as index_module

    monkeypatch.setenv("POLICY_CACHE_DIR", str(tmp_path))
    first, second = _halves(catalog)
    index_for(replace(catalog, digest="", members=(first, second)))
    alone = build_index(first)
    monkeypatch.setattr(index_module, "build_index", lambda *args: pytest.fail("built again"))
    for _ in range(2):  # the second time from its entry, made whole the first time
        index_module._KEPT.clear()
        found = index_for(replace(first))
        assert (found.related, found.en_phrases, found.to_join) == (alone.related, alone.en_phrases, False)
        assert found.related and index_module.kept_index(first.digest, first.ids).to_join is False


def test_a_long_list_indexed_as_two_halves_answers_as_one_index(catalog, tmp_path, monkeypatch):
    """A list of SPLIT_FROM policies or more is indexed as two halves joined (two processes may
    make them at once): every judged query gets the same answers as from one index of it."""
    from dataclasses import replace

    from policycli.search import building
    from policycli.search.index import keep_in_memory
    from policycli.search.rank import search

    monkeypatch.setenv("POLICY_CACHE_DIR", str(tmp_path))
    whole = replace(catalog, digest="c" * 64)
    halved = replace(catalog, digest="d" * 64)
    index_for(whole)
    monkeypatch.setattr(building, "SPLIT_FROM", 10)
    folded = building.Folded(building.listing(halved))
    assert [len(half.columns["title"][1]) - 1 for half in folded.halves] == [10, 10]
    assert index_for(halved).ids == index_for(whole).ids
    keep_in_memory()
    try:
        _same_answers(halved, whole, search)
    finally:
        keep_in_memory(False)


def _same_answers(combined, whole, search):
    for query in QUERIES:
        mine, theirs = search(combined, query), search(whole, query)
        assert [(h.policy.id, round(h.score, 6)) for h in mine.hits] == [(h.policy.id, round(h.score, 6)) for h in theirs.hits], query
        assert (mine.total, [p.id for p in mine.suggestions]) == (theirs.total, [p.id for p in theirs.suggestions]), query


def test_a_combined_catalog_may_leave_policies_of_its_lists_out(catalog, tmp_path, monkeypatch):
    from dataclasses import replace

    from policycli.search.rank import search

    monkeypatch.setenv("POLICY_CACHE_DIR", str(tmp_path))
    first, second = _halves(catalog)
    kept = tuple(p for p in catalog.policies if p.id not in ("datacenter", "techretrofit"))
    combined = replace(catalog, policies=kept, digest="", members=(first, second))
    index = index_for(combined)
    assert index.ids == tuple(p.id for p in kept)
    whole = build_index(catalog)
    position = {p.id: i for i, p in enumerate(catalog.policies)}
    for name, blob in index.blobs.items():
        assert [blob.field_of(i) for i in range(len(kept))] == [whole.blobs[name].field_of(position[p.id]) for p in kept]
    assert search(combined, "数据中心").hits == () and [h.policy.id for h in search(combined, "jsgz").hits] == []
    assert [h.policy.id for h in search(combined, "揭榜挂帅").hits] == ["iiplatform"]


def test_lists_whose_sound_codes_differ_are_recoded(catalog):
    """A syllable outside the shared codes gets the next free code in each list: the same code may
    then mean two syllables; combining gives each its own."""
    from policycli.search.stored import combine

    first, second = (build_index(half) for half in _halves(catalog))
    extra = chr(0xE000 + 400)
    for index, syllable in ((first, "xx"), (second, "yy")):
        index.codes[syllable] = extra
    both = combine([(first, None), (second, None)])
    assert both.codes["xx"] != both.codes["yy"]
    assert len(set(both.codes.values())) == len(both.codes)


def test_a_list_added_to_a_library_is_the_only_one_indexed(catalog, tmp_path, monkeypatch):
    from dataclasses import replace

    from policycli.dataset.combine import combine
    from policycli.search import index as index_module
    from policycli.search.rank import search

    monkeypatch.setenv("POLICY_CACHE_DIR", str(tmp_path))
    first, second = _halves(catalog)
    third = replace(catalog, policies=catalog.policies[:5], year=2023, digest="d" * 64)
    index_for(combine([("甲", first), ("乙", second)]))
    built = []
    real = index_module.build_index
    monkeypatch.setattr(index_module, "build_index", lambda c, *args: built.append(c.digest) or real(c, *args))
    library = combine([("甲", first), ("乙", second), ("丙", third)])
    assert index_for(library).ids == tuple(p.id for p in library.policies)
    assert built == ["d" * 64]
    assert [h.policy.id for h in search(library, "揭榜挂帅").hits] == ["iiplatform"]


def test_an_index_asked_again_for_the_same_catalog_is_not_read_again(catalog, tmp_path, monkeypatch):
    """A run asks for the index twice (the search, then a table breaking titles into words): the
    second time it is not read back from its entry; another catalog of the same list is."""
    from dataclasses import replace

    from policycli.dataset import cache

    monkeypatch.setenv("POLICY_CACHE_DIR", str(tmp_path))
    mine = replace(catalog)
    first = index_for(mine)
    reads = []
    real = cache.load
    monkeypatch.setattr(cache, "load", lambda kind, *args: reads.append(kind) or real(kind, *args))
    assert index_for(mine) is first and reads == []
    assert index_for(replace(catalog)).ids == first.ids and reads == ["search"]


def _same_index(a, b) -> bool:
    from policycli.search.index import SearchIndex

    parts = ("text", "sound", "initials", "edges", "starts")
    return (all(getattr(a.blobs[n], p) == getattr(b.blobs[n], p) for n in FIELDS for p in parts)
            and all(getattr(a, name) == getattr(b, name) for name in SearchIndex.__slots__ if name != "blobs"))


def _fields(index):
    from policycli.search.index import SearchIndex

    tables = {slot: (getattr(index, slot), list(getattr(index, slot)) if isinstance(getattr(index, slot), dict) else None)
              for slot in SearchIndex.__slots__ if slot != "blobs"}
    return tables, {name: [getattr(blob, part) for part in Blob.__slots__ if part != "_later"] for name, blob in index.blobs.items()}


@pytest.mark.parametrize("year", [2022, 2026])  # the list added comes last, or first (the newest)
def test_a_library_with_one_list_more_is_indexed_from_the_one_kept(catalog, tmp_path, monkeypatch, year):
    """Adding a list reads the library's index kept before and the new list's own, not every
    list's; the index is the one joining every list's own gives, field for field."""
    from dataclasses import replace

    from policycli.dataset import cache
    from policycli.dataset.combine import combine
    from policycli.search import index as index_module
    from policycli.search import stored

    monkeypatch.setenv("POLICY_CACHE_DIR", str(tmp_path))
    first, second = _halves(catalog)
    again = replace(catalog, policies=catalog.policies[:5], year=2023, digest="d" * 64)  # continued: absorbed
    index_for(combine([("甲", first), ("乙", second), ("丙", again)]))
    added = replace(catalog, policies=catalog.policies[3:9], title="新增清单", year=year, digest="e" * 64)
    library = combine([("甲", first), ("乙", second), ("丙", again), ("丁", added)])
    reads = []
    real = cache.load
    monkeypatch.setattr(cache, "load", lambda kind, key, *args: reads.append(key) or real(kind, key, *args))
    grown = index_for(library)
    assert {"a" * 64, "b" * 64, "d" * 64} & set(reads) == set()  # no list's own index read but the new one's
    assert grown.ids == tuple(p.id for p in library.policies)
    joined = stored.combine([(index_module._list_index(member, None), keep)
                             for member, keep in index_module.members_kept(library)])
    assert _fields(grown) == _fields(joined)


def test_a_library_with_a_list_edited_is_indexed_from_every_lists_own(catalog, tmp_path, monkeypatch):
    from dataclasses import replace

    from policycli.dataset import cache
    from policycli.dataset.combine import combine

    monkeypatch.setenv("POLICY_CACHE_DIR", str(tmp_path))
    first, second = _halves(catalog)
    index_for(combine([("甲", first), ("乙", second)]))
    edited = replace(second, policies=second.policies[:-1], digest="f" * 64)
    third = replace(catalog, policies=catalog.policies[:2], year=2020, digest="e" * 64)
    library = combine([("甲", first), ("乙", edited), ("丙", third)])
    reads = []
    real = cache.load
    monkeypatch.setattr(cache, "load", lambda kind, key, *args: reads.append(key) or real(kind, key, *args))
    assert index_for(library).ids == tuple(p.id for p in library.policies)
    assert {"a" * 64, "f" * 64, "e" * 64} <= set(reads)


def test_a_library_grown_from_one_read_before_keeps_what_its_index_is_made_of(catalog, tmp_path, monkeypatch):
    """A library grown by an older list (its members: the library read before and that list) keeps
    its lists with its index, so that a newer list added next is indexed from it too."""
    from dataclasses import replace

    from policycli.dataset import cache
    from policycli.dataset.combine import combine, grown
    from policycli.search import index as index_module
    from policycli.search import stored

    monkeypatch.setenv("POLICY_CACHE_DIR", str(tmp_path))
    first, second = _halves(catalog)
    older = replace(catalog, policies=catalog.policies[:5], year=2023, digest="d" * 64)
    before = combine([("甲", first), ("乙", second)])
    index_for(before)
    index_for(grown(before, "丙", older))
    newest = replace(catalog, policies=catalog.policies[3:9], title="新增清单", year=2026, digest="e" * 64)
    library = combine([("甲", first), ("乙", second), ("丙", older), ("丁", newest)])
    reads = []
    real = cache.load
    monkeypatch.setattr(cache, "load", lambda kind, key, *args: reads.append(key) or real(kind, key, *args))
    index = index_for(library)
    assert {"a" * 64, "b" * 64, "d" * 64} & set(reads) == set()
    joined = stored.combine([(index_module._list_index(member, None), keep)
                             for member, keep in index_module.members_kept(library)])
    assert _fields(index) == _fields(joined)


def _two_lists_of_years(tmp_path, monkeypatch, dataset_dict) -> None:
    """A library of the shipped list and two lists of other years (two policies each), read with
    the cache in tmp_path/built."""
    folder = tmp_path / "data-home" / "policycli" / "lists"
    folder.mkdir(parents=True)
    for year, ids in ((2023, ("techretrofit", "datacenter")), (2025, ("smartcommunity", "datacenter"))):
        data = dict(dataset_dict, year=year, title=dataset_dict["title"].replace("2024", str(year)))
        data["parts"] = [{k: v for k, v in part.items() if k != "count"} for part in dataset_dict["parts"]]
        data["policies"] = [dict(p, content=p["content"] + f"{year}年液冷集群。") for p in dataset_dict["policies"]
                            if p["id"] in ids]
        (folder / f"{year}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))
    monkeypatch.setenv("POLICY_CACHE_DIR", str(tmp_path / "built"))


def test_a_librarys_index_is_written_alike_from_lists_built_or_read_back(tmp_path, monkeypatch, dataset_dict):
    """The library's entry joined from its lists' indexes just built and from the same indexes read
    back from their entries: the same bytes (sets of texts are written in order)."""
    import shutil

    from policycli.load import load_library
    from policycli.search import index as index_module

    _two_lists_of_years(tmp_path, monkeypatch, dataset_dict)
    catalog = load_library()
    index_for(catalog)
    built = {p.name: p.read_bytes() for p in (tmp_path / "built").glob("search-*.entry")}
    library_entry = f"search-{catalog.digest}.entry"
    (tmp_path / "read").mkdir()
    for name in set(built) - {library_entry}:
        shutil.copy(tmp_path / "built" / name, tmp_path / "read" / name)
    monkeypatch.setenv("POLICY_CACHE_DIR", str(tmp_path / "read"))
    monkeypatch.setattr(index_module, "build_index", lambda *args: pytest.fail("built again"))
    index_for(load_library())
    assert len(built) == 4 and (tmp_path / "read" / library_entry).read_bytes() == built[library_entry]


def test_a_library_read_whole_from_the_cache_is_indexed_from_its_lists_when_its_index_is_gone(
        tmp_path, monkeypatch, dataset_dict):
    """The library's catalog kept whole (no lists in it) and its index pruned or removed: the lists
    are read again from their entries and the index made from theirs, byte for byte the first
    run's; not the whole library indexed as one list (slower, and cut into other words)."""
    import shutil

    from policycli.load import load_library
    from policycli.search import index as index_module

    _two_lists_of_years(tmp_path, monkeypatch, dataset_dict)
    first = load_library()
    index_for(first)
    library_entry = f"search-{first.digest}.entry"
    built = (tmp_path / "built" / library_entry).read_bytes()
    shutil.copytree(tmp_path / "built", tmp_path / "read")
    (tmp_path / "read" / library_entry).unlink()
    monkeypatch.setenv("POLICY_CACHE_DIR", str(tmp_path / "read"))
    catalog = load_library()
    assert catalog.members == () and len(catalog.lists) == 3  # read whole from its entry
    monkeypatch.setattr(index_module, "build_index", lambda *args: pytest.fail("built again"))
    assert index_for(catalog).ids == catalog.ids
    assert (tmp_path / "read" / library_entry).read_bytes() == built


def test_a_library_read_whole_whose_files_change_before_it_is_indexed_is_indexed_as_read(
        tmp_path, monkeypatch, dataset_dict):
    """Its lists read again are another library (a file edited meanwhile): the catalog as read is
    indexed whole, as before, and answers."""
    import shutil

    from policycli.load import load_library

    _two_lists_of_years(tmp_path, monkeypatch, dataset_dict)
    first = load_library()
    index_for(first)
    shutil.copytree(tmp_path / "built", tmp_path / "read")
    (tmp_path / "read" / f"search-{first.digest}.entry").unlink()
    monkeypatch.setenv("POLICY_CACHE_DIR", str(tmp_path / "read"))
    catalog = load_library()
    edited = tmp_path / "data-home" / "policycli" / "lists" / "2025.yaml"
    edited.write_text(edited.read_text(encoding="utf-8").replace("液冷集群", "风冷集群"), encoding="utf-8")
    assert catalog.members == () and index_for(catalog).ids == catalog.ids
    assert {"smartcommunity", "datacenter"} <= {h.policy.id for h in search(catalog, "2025年液冷集群").hits}


def test_a_list_added_to_a_library_kept_is_indexed_on_a_second_core_while_the_library_grows(tmp_path, monkeypatch,
                                                                                            dataset_dict):
    """Whatever its size, the one list a run adds to a library kept has its index built by a child
    while this process grows the library: the answer and the library's index are those of a
    library read afresh in one process; a library's first run forks nothing for its small lists."""
    import os

    from conftest import invoke

    from policycli.dataset.library import lists_dir
    from policycli.load import load_library
    from policycli.search import ahead

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))
    monkeypatch.setenv("POLICY_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(ahead, "_cores", lambda: 2)
    forked = []
    real_fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: forked.append(1) or real_fork())
    lists_dir().mkdir(parents=True)
    for name, year in (("甲2025", 2025), ("乙2023", 2023)):
        data = dict(dataset_dict, year=year, title=dataset_dict["title"].replace("2024", str(year)))
        data["policies"] = [dict(p, content=p["content"] + f"（{name}）") for p in dataset_dict["policies"]]
        (tmp_path / f"{name}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    (lists_dir() / "甲2025.yaml").write_bytes((tmp_path / "甲2025.yaml").read_bytes())
    assert invoke("search", "技术改造").exit_code == 0
    assert forked == []  # every list read for the first time: none indexed alone
    (lists_dir() / "乙2023.yaml").write_bytes((tmp_path / "乙2023.yaml").read_bytes())
    answer = invoke("search", "技术改造", "--format", "json")
    assert answer.exit_code == 0 and forked == [1]
    grown = index_for(load_library())
    monkeypatch.setenv("POLICY_CACHE_DIR", str(tmp_path / "afresh"))
    assert invoke("search", "技术改造", "--format", "json").stdout == answer.stdout
    assert forked == [1]
    assert _fields(grown) == _fields(index_for(load_library()))


def test_lists_joined_from_their_entries_keep_no_table_read_for_the_join(catalog, tmp_path, monkeypatch):
    """Joining a library's lists (one removed, or added between others) reads each list's tables
    and blob texts from its entry once, without keeping them on the list's index (201 lists'
    tables at once cost more than the library's own); the index is the one of indexes in memory."""
    from policycli.search import index as index_module
    from policycli.search import stored

    monkeypatch.setenv("POLICY_CACHE_DIR", str(tmp_path))
    first, second = _halves(catalog)
    built = [(index_for(first), None), (index_for(second), [0, 2, 3])]
    read = [(index_module.kept_index(c.digest, c.ids), keep) for c, (_, keep) in zip((first, second), built, strict=True)]
    assert _fields(stored.combine(read)) == _fields(stored.combine(built))
    for index, _ in read:
        assert not any(_slot_set(index, slot) for slot in ("related", "readings", "en_phrases", "vocabulary"))
        assert not any(_slot_set(blob, "text") for blob in index.blobs.values())


def _slot_set(holder, name) -> bool:
    try:
        object.__getattribute__(holder, name)
    except AttributeError:
        return False
    return True

"""The cache: where it lives, and that a stale, corrupt or unwritable cache never changes results."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest
from conftest import invoke

from policycli.dataset import cache, entryfile
from policycli.dataset.cache import Entry, cache_dir, load, load_catalog_cached, store
from policycli.dataset.files import default_data_path

SHIPPED = default_data_path()


@pytest.fixture
def own_cache(tmp_path, monkeypatch):
    """A fresh, empty cache dir for one test, with nothing read from another cache dir kept in memory
    (the word lists of search/precision.py and search/plainwords.py are read once a process)."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("POLICY_CACHE_DIR", str(folder))
    _forget_word_lists()
    yield folder
    _forget_word_lists()


def _forget_word_lists() -> None:
    from policycli.search.plainwords import plain
    from policycli.search.said import elsewhere

    elsewhere.cache_clear()
    plain.cache_clear()


@pytest.fixture
def dataset(tmp_path):
    """A copy of the shipped dataset that a test may edit."""
    path = tmp_path / "policies.yaml"
    path.write_bytes(SHIPPED.read_bytes())
    return path


def search_ids(*args: str) -> tuple[int, list[str]]:
    """`policy ARGS --format json` as a run of its own: the word lists of search/precision.py and
    search/plainwords.py, which a process reads once, are read again."""
    import json

    _forget_word_lists()
    result = invoke(*args, "--format", "json")
    return result.exit_code, [item["id"] for item in json.loads(result.stdout or "[]")]


# --- where ----------------------------------------------------------------------------------------


def test_cache_dir_follows_env_then_xdg_then_home(monkeypatch, tmp_path):
    monkeypatch.setenv("POLICY_CACHE_DIR", str(tmp_path / "mine"))
    assert cache_dir() == tmp_path / "mine"
    monkeypatch.delenv("POLICY_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "policycli"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # not absolute: ignored, as the spec says
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "policycli"


# --- entries --------------------------------------------------------------------------------------


def test_store_and_load_round_trip_atomically(own_cache):
    assert store("thing", "abc", "v1", Entry({"x": [1, 2]}, ["长文本\n", ""], [[0, 5, -3, 2**40]]))
    found = load("thing", "abc", "v1")
    assert (found.data, found.texts, [list(n) for n in found.numbers]) == ({"x": [1, 2]}, ["长文本\n", ""], [[0, 5, -3, 2**40]])
    assert [p.name for p in own_cache.iterdir()] == ["thing-abc.entry"]  # no temp file left


def test_an_entry_from_other_code_is_ignored(own_cache):
    store("thing", "abc", "v1", Entry(1))
    assert load("thing", "abc", "v2") is None


def test_an_entry_is_taken_for_this_codes_by_its_header(own_cache):
    """`kept` with a stamp: an entry made for this key by this code, read from its header only
    (an entry left by an earlier version is there, but not kept for this code)."""
    store("thing", "abc", "v1", Entry({"x": 1}, ["数据"], [[1]]))
    assert cache.kept("thing", "abc") and cache.kept("thing", "abc", "v1")
    assert not cache.kept("thing", "abc", "v2") and not cache.kept("thing", "other", "v1")
    (own_cache / "thing-abc.entry").write_bytes(b"policycli cache 4\nnot json\n")
    assert cache.kept("thing", "abc") and not cache.kept("thing", "abc", "v1")


def _damaged(raw: bytes) -> list[bytes]:
    """An entry cut short, with one byte changed in each part, and with a header that lies."""
    body = raw.index(b"\n", len(entryfile.MAGIC)) + 1
    flipped = [raw[:i] + bytes([raw[i] ^ 1]) + raw[i + 1 :] for i in (0, body - 3, body, len(raw) - 1)]
    lying = raw.replace(b'"sections": [[', b'"sections": [[1', 1)
    assert lying != raw
    return [b"", b"not an entry", raw[:20], raw[:-1], *flipped, lying]


def test_a_corrupt_entry_is_ignored(own_cache):
    store("thing", "abc", "v1", Entry({"x": "数据"}, ["数据中心"], [[1, 2]]))
    path = own_cache / "thing-abc.entry"
    for junk in _damaged(path.read_bytes()):
        path.write_bytes(junk)
        assert load("thing", "abc", "v1") is None


@pytest.fixture
def large(monkeypatch):
    """Every entry read as a large one is: checked whole when opened (a few bytes at a time, into
    one buffer), its texts read when used."""
    monkeypatch.setattr(entryfile, "SMALL", 0)
    monkeypatch.setattr(entryfile._Sections, "CHUNK", 7)
    monkeypatch.setattr(entryfile, "HEAD", 64)  # a header longer than the first read


def test_the_texts_of_a_large_entry_are_read_when_used(own_cache, large):
    texts = ["长文本\n" * 1000, "", "latin only", "\U0001f600 beyond the BMP", "\ud800 a lone surrogate"]
    assert store("thing", "abc", "v1", Entry({"x": 1}, texts, [[0, 2**40]]))
    found = load("thing", "abc", "v1")
    assert isinstance(found.texts, entryfile.LazyTexts) and [found.texts.length(i) for i in range(5)] == list(map(len, texts))
    assert found.texts[3] == texts[3] and found.texts[1:3] == texts[1:3] and list(found.texts) == texts
    assert (found.data, [list(n) for n in found.numbers]) == ({"x": 1}, [[0, 2**40]])


@pytest.mark.parametrize("text", ["长文本，第二行\n" * 300, "latin only, " * 50, "\U0001f600 beyond the BMP, 数据" * 20])
def test_a_piece_of_a_large_entrys_text_is_the_same_before_and_after_it_is_read_whole(own_cache, large, text):
    assert store("thing", "abc", "v1", Entry({}, ["other", text], []))
    found = load("thing", "abc", "v1")
    cuts = [(0, 0), (0, 7), (5, 40), (len(text) - 9, len(text)), (30, 10), (len(text) - 3, len(text) + 5)]
    assert [found.texts.piece(1, start, end) for start, end in cuts] == [text[start:end] for start, end in cuts]
    assert found.texts[1] == text and [found.texts.piece(1, s, e) for s, e in cuts] == [text[s:e] for s, e in cuts]


def test_a_piece_of_a_large_entrys_text_changed_while_read_is_one_line(own_cache, large):
    from policycli.errors import DataError

    store("thing", "abc", "v1", Entry({}, ["数据中心" * 100], []))
    path = own_cache / "thing-abc.entry"
    found = load("thing", "abc", "v1")
    raw = path.read_bytes()
    time.sleep(0.02)  # written later than it was opened, also where file times move by the clock tick
    with open(path, "r+b") as handle:
        handle.seek(raw.index("数据中心".encode("utf-16-le")))
        handle.write("数据中兴".encode("utf-16-le"))
    with pytest.raises(DataError):
        found.texts.piece(0, 0, 4)


def test_a_large_entrys_text_is_looked_into_without_being_read_whole(own_cache, large):
    texts = ["丁P中\n数据中心\n智慧社区\n", "latin only\nx\n"]
    store("thing", "abc", "v1", Entry({}, texts, []))
    found = load("thing", "abc", "v1")
    spans = {0: (0, 4), 1: (4, 9), 2: (9, 14)}
    assert found.texts.holding(0, spans, ["偎"]) == set()  # its UTF-16 bytes straddle 丁 and P
    assert found.texts.holding(0, spans, ["中心", "社"]) == {1, 2}
    assert found.texts.holding(0, spans, ["丁P"]) == {0}
    assert found.texts.holding(1, {0: (0, 11), 1: (11, 13)}, ["x", "中"]) == {1}  # 中: no Latin-1 text holds it
    assert found.texts._done == [None, None]  # neither text read whole
    assert list(found.texts) == texts
    assert found.texts.holding(0, spans, ["中心", "社"]) == {1, 2}  # read whole: alike


def test_a_piece_of_a_large_entrys_text_is_read_alone(own_cache, large, monkeypatch):
    text = "长文本，第二行\n" * 300
    store("thing", "abc", "v1", Entry({}, ["other", text], []))
    found = load("thing", "abc", "v1")
    read = []
    real = os.pread
    monkeypatch.setattr(os, "pread", lambda fd, length, offset: read.append(length) or real(fd, length, offset))
    assert [found.texts.piece(1, 8, 14), found.texts.piece(1, 2395, 2500)] == [text[8:14], text[2395:2500]]
    assert read == [12, 10]  # six characters, then the last five: not the 2,400 of the text


def test_a_piece_of_a_large_entrys_text_cut_short_while_read_is_one_line(own_cache, large):
    from policycli.errors import DataError

    store("thing", "abc", "v1", Entry({}, ["数据中心" * 100], []))
    path = own_cache / "thing-abc.entry"
    found = load("thing", "abc", "v1")
    os.truncate(path, path.stat().st_size - 100)
    with pytest.raises(DataError):
        found.texts.piece(0, 390, 400)


@pytest.mark.parametrize("halves_from", [0, 1 << 30], ids=["two-threads", "one-thread"])
def test_a_large_entry_with_any_one_section_damaged_is_ignored(own_cache, large, monkeypatch, halves_from):
    import json

    monkeypatch.setattr(entryfile._Sections, "HALVES_FROM", halves_from)  # 0: its texts checked on two threads

    texts = ["数据中心" * 100, "第二段", "latin", "智慧社区" * 50]
    store("thing", "abc", "v1", Entry({"x": "数据"}, texts, [[1, 2], [3]]))
    path = own_cache / "thing-abc.entry"
    good = path.read_bytes()
    end = good.index(b"\n", len(entryfile.MAGIC))
    at = end + 1
    for length, _ in json.loads(good[len(entryfile.MAGIC) : end])["sections"]:
        middle = at + length // 2
        path.write_bytes(good[:middle] + bytes([good[middle] ^ 1]) + good[middle + 1 :])
        assert load("thing", "abc", "v1") is None, middle
        at += length
    path.write_bytes(good)
    assert list(load("thing", "abc", "v1").texts) == texts


def test_a_large_entry_damaged_anywhere_is_ignored_and_one_changed_while_read_is_one_line(own_cache, large):
    from policycli.errors import DataError

    store("thing", "abc", "v1", Entry({"x": "数据"}, ["数据中心" * 100, "第二段"], [[1, 2]]))
    path = own_cache / "thing-abc.entry"
    good = path.read_bytes()
    for junk in _damaged(good):
        path.write_bytes(junk)
        assert load("thing", "abc", "v1") is None
    path.write_bytes(good)
    found = load("thing", "abc", "v1")
    assert found.texts[1] == "第二段"
    time.sleep(0.02)  # (see above)
    with open(path, "r+b") as handle:  # the same file changed in place, after it was opened
        handle.seek(good.index("数据中心".encode("utf-16-le")))
        handle.write("数据中兴".encode("utf-16-le"))
    with pytest.raises(DataError) as raised:
        found.texts[0]
    assert raised.value.lines == [f"{path}: 缓存文件在读取时被改动，请再运行一次（缓存会重建）"]
    assert load("thing", "abc", "v1") is None  # the next run rebuilds it


def _crc_calls(monkeypatch) -> list[int]:
    """The lengths of the bytes CRC-32 is worked out over from now on."""
    import zlib

    calls: list[int] = []
    real = zlib.crc32
    monkeypatch.setattr(zlib, "crc32", lambda data, value=0: calls.append(len(data)) or real(data, value))
    return calls


def _status_of(path) -> list[int]:
    fd = os.open(path, os.O_RDONLY)
    try:
        return list(entryfile.status(fd))
    finally:
        os.close(fd)


def test_a_large_entry_checked_whole_is_not_checked_again_until_it_changes(own_cache, large, monkeypatch):
    monkeypatch.setattr(cache, "SETTLED", 0.0)
    texts = ["数据中心" * 100, "第二段", "智慧社区" * 50]
    store("thing", "abc", "v1", Entry({"x": "数据"}, texts, [[1, 2]]))
    path = own_cache / "thing-abc.entry"
    calls = _crc_calls(monkeypatch)
    assert list(load("thing", "abc", "v1").texts) == texts and sum(calls) > len(texts[0]) * 2
    assert json.loads((own_cache / cache.CHECKED).read_text())["thing-abc.entry"] == _status_of(path)
    calls.clear()
    cache._NOTES.clear()  # as a run of its own: the note read from the cache dir
    found = load("thing", "abc", "v1")
    assert (found.data, list(found.texts), [list(n) for n in found.numbers]) == ({"x": "数据"}, texts, [[1, 2]])
    assert calls == []
    raw = path.read_bytes()
    with open(path, "r+b") as handle:  # the same file, the same size, a text changed in place
        handle.seek(raw.index("智慧社区".encode("utf-16-le")))
        handle.write("智慧社曲".encode("utf-16-le"))
    os.utime(path, ns=(10**18, 10**18))  # and its times, also where they move by the clock tick
    assert load("thing", "abc", "v1") is None  # checked again: the checksum no longer holds


def test_a_large_entry_changed_lately_is_checked_every_time(own_cache, large, monkeypatch):
    """One changed within SETTLED seconds of its check could keep its times through a change: it is
    not noted, and its checksums are checked at every load."""
    store("thing", "abc", "v1", Entry({}, ["数据中心" * 100], []))
    calls = _crc_calls(monkeypatch)
    for _ in range(2):
        calls.clear()
        assert list(load("thing", "abc", "v1").texts) == ["数据中心" * 100] and calls
    assert not (own_cache / cache.CHECKED).exists()


def test_a_note_of_another_layout_or_a_link_vouches_for_nothing(own_cache, large, monkeypatch, tmp_path):
    monkeypatch.setattr(cache, "SETTLED", 0.0)
    store("thing", "abc", "v1", Entry({}, ["数据中心" * 100], []))
    seen = _status_of(own_cache / "thing-abc.entry")
    calls = _crc_calls(monkeypatch)
    elsewhere = tmp_path / "note.json"
    elsewhere.write_text(json.dumps({"thing-abc.entry": seen}))
    for planted in ('{"thing-abc.entry": "all"}', "[]", "not json", None):
        note = own_cache / cache.CHECKED
        note.unlink(missing_ok=True)
        if planted is None:
            note.symlink_to(elsewhere)
        else:
            note.write_text(planted)
        cache._NOTES.clear()
        calls.clear()
        assert list(load("thing", "abc", "v1").texts) == ["数据中心" * 100] and calls, planted


def test_search_reads_large_entries_alike_and_rebuilds_a_damaged_text(own_cache, large, dataset):
    assert search_ids("--data", str(dataset), "search", "数据中兴") == (0, ["datacenter"])
    assert search_ids("--data", str(dataset), "search", "数据中兴") == (0, ["datacenter"])  # from the entries
    assert search_ids("--data", str(dataset), "search", "jsgz") == (0, ["techretrofit"])
    (index,) = own_cache.glob("search-*.entry")
    raw = bytearray(index.read_bytes())
    raw[len(raw) // 2] ^= 1  # within the texts of the index
    index.write_bytes(bytes(raw))
    assert search_ids("--data", str(dataset), "search", "数据中兴") == (0, ["datacenter"])
    assert index.read_bytes() != bytes(raw)  # rebuilt


def test_an_unwritable_cache_dir_is_skipped(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache dir should be")
    monkeypatch.setenv("POLICY_CACHE_DIR", str(blocker / "cache"))
    assert store("thing", "abc", "v1", Entry(1)) is False
    assert load("thing", "abc", "v1") is None


def test_old_entries_are_pruned_least_recently_used_first(own_cache, monkeypatch):
    for i in range(7):
        store("thing", f"k{i}", "v1", Entry(i))
        os.utime(own_cache / f"thing-k{i}.entry", (1000 + i, 1000 + i))
    monkeypatch.setattr(cache, "KEEP", 4)
    assert load("thing", "k0", "v1").data == 0  # read: used now
    (own_cache / "thing-old.pickle").write_bytes(b"an entry of the old format")
    store("thing", "last", "v1", Entry(0))
    assert sorted(p.name for p in own_cache.glob("thing-*")) == [
        "thing-k0.entry", "thing-k5.entry", "thing-k6.entry", "thing-last.entry"]


# --- the catalog ----------------------------------------------------------------------------------


def test_a_dataset_seen_before_is_not_parsed_again(own_cache, dataset, monkeypatch):
    first = load_catalog_cached(dataset)

    def no_parsing(*_args, **_kwargs):
        raise AssertionError("parsed again")

    monkeypatch.setattr(cache, "parse_catalog", no_parsing)
    again = load_catalog_cached(dataset)
    assert again == first and again.digest == first.digest and again.warnings == first.warnings


def test_an_edited_dataset_is_parsed_again(own_cache, dataset):
    load_catalog_cached(dataset)
    dataset.write_text(dataset.read_text(encoding="utf-8").replace("新型数据中心建设支持", "新型数据中心建设扶持"), encoding="utf-8")
    assert load_catalog_cached(dataset).get("datacenter").title == "新型数据中心建设扶持"


def test_a_corrupt_catalog_entry_is_rebuilt(own_cache, dataset):
    expected = load_catalog_cached(dataset)
    (entry,) = own_cache.glob("catalog-*.entry")
    entry.write_bytes(entry.read_bytes()[:100])
    assert load_catalog_cached(dataset) == expected
    assert entry.stat().st_size > 100


def test_invalid_data_is_reported_not_cached(own_cache, dataset):
    from policycli.errors import DataError

    dataset.write_text("policies: [", encoding="utf-8")
    with pytest.raises(DataError):
        load_catalog_cached(dataset)
    assert not list(own_cache.glob("catalog-*"))


# --- search through the CLI: the cache never changes the answer -----------------------------------


def test_search_is_right_with_a_cold_a_warm_and_a_corrupt_cache(own_cache):
    assert search_ids("search", "数据中兴") == (0, ["datacenter"])
    kinds = ["catalog", "library", "search"]  # library: the lists of the library as one catalog
    # words: the word lists of search/precision.py and plainwords.py, stored by the first search of a process
    assert sorted(p.name.split("-")[0] for p in own_cache.glob("*.entry") if not p.name.startswith("words")) == kinds
    assert search_ids("search", "数据中兴") == (0, ["datacenter"])
    for entry in own_cache.glob("*.entry"):
        entry.write_bytes(b"\x00" * 50)
    assert search_ids("search", "数据中兴") == (0, ["datacenter"])


def test_search_is_right_when_the_cache_dir_cannot_be_written(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("POLICY_CACHE_DIR", str(blocker / "cache"))
    assert search_ids("search", "数据中兴") == (0, ["datacenter"])
    assert search_ids("search", "jsgz") == (0, ["techretrofit"])


def test_search_sees_an_edited_dataset(own_cache, dataset):
    assert search_ids("--data", str(dataset), "search", "太空电梯")[0] == 1
    text = dataset.read_text(encoding="utf-8").replace("keywords: [数据中心,", "keywords: [太空电梯, 数据中心,")
    dataset.write_text(text, encoding="utf-8")
    assert search_ids("--data", str(dataset), "search", "太空电梯") == (0, ["datacenter"])


def test_every_command_uses_the_cached_catalog(own_cache):
    invoke("list")
    assert list(own_cache.glob("catalog-*.entry"))


def test_a_warm_search_loads_no_yaml_pinyin_or_fuzzy(own_cache):
    """The common path stays light: what it needs was computed once into the cache."""
    probe = (
        "import sys\n"
        "from policycli.cli.app import main\n"
        "for query in sys.argv[1:]:\n"
        "    main(['search', query])\n"
        "heavy = [m for m in ('yaml', 'pypinyin', 'rapidfuzz', 'rjieba') if m in sys.modules]\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    env = dict(os.environ, POLICY_CACHE_DIR=str(own_cache))
    subprocess.run([sys.executable, "-c", probe, "数据中心"], env=env, capture_output=True, check=True)
    warm = subprocess.run([sys.executable, "-c", probe, "数据中心", "数据中兴", "jsgz", "shujuzhongxin"],
                          env=env, capture_output=True, text=True, check=True)
    assert "HEAVY []" in warm.stderr
    assert "datacenter" in warm.stdout and "techretrofit" in warm.stdout


def test_a_typo_is_read_with_the_shipped_readings_without_pypinyin(own_cache):
    """工业乎联网: 乎 is in no policy; its usual reading (hu, as 互) comes from data/readings.txt,
    in a first run and a warm one alike, and pypinyin is not imported for it."""
    probe = (
        "import sys\n"
        "from policycli.cli.app import main\n"
        "try:\n"
        "    main(['search', '工业乎联网', '--format', 'json'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('PYPINYIN', 'pypinyin' in sys.modules, file=sys.stderr)\n"
    )
    env = dict(os.environ, POLICY_CACHE_DIR=str(own_cache))
    runs = [subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
            for _ in range(2)]
    assert [[h["id"] for h in json.loads(run.stdout)][:2] for run in runs] == [["iiplatform", "identnode"]] * 2
    assert "PYPINYIN False" in runs[1].stderr
    assert not list(own_cache.glob("hanzi-*"))


# --- a cache that cannot run code -------------------------------------------------------------------


class _Planted:
    """Unpickling this runs code: it writes a marker file."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def _payload(kind, key, stamp, marker):
    import pickle

    return pickle.dumps(((kind, key, stamp), _Planted(marker)))


def _plant(folder, kind, key, stamp, marker, suffix=".entry"):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{kind}-{key}{suffix}"
    path.write_bytes(_payload(kind, key, stamp, marker))
    return path


def _forged(kind, key, stamp, data):
    """An entry with a right header and checksum whose data has not the layout the reader expects."""
    from policycli.dataset.entryfile import pack

    return b"".join(pack(Entry(data, ["x"], [[0]]), (kind, key, stamp)))


CHECKS_STAMP = "/policycli.load.check_award_block/policycli.load.check_conditions_block"


def test_payloads_planted_under_every_name_the_cache_uses_never_run_and_never_change_results(own_cache, tmp_path):
    """Every name a search's cache uses (found by a first search: the list's catalog and index, the
    library's catalog and index, the word lists of search/precision.py and plainwords.py), under the new suffix and the old one
    (.pickle), each holding a pickle that runs code when unpickled; then each holding a
    well-formed entry of the wrong layout: nothing runs, every answer is right, and the planted
    entries are replaced by good ones."""
    assert search_ids("search", "数据中兴") == (0, ["datacenter"])
    names = sorted(p.name.removesuffix(".entry") for p in own_cache.glob("*.entry"))
    assert {name.split("-")[0] for name in names} == {"catalog", "words", "library", "search"}
    marker = tmp_path / "code-ran"
    for name in names:
        kind, key = name.split("-", 1)
        for suffix in (".pickle", ".entry"):
            _plant(own_cache, kind, key, cache.code_stamp(), marker, suffix)
    assert search_ids("search", "数据中兴") == (0, ["datacenter"])
    assert not marker.exists()
    for name in names:
        kind, key = name.split("-", 1)
        for stamp in (cache.code_stamp(), cache.code_stamp() + CHECKS_STAMP):
            (own_cache / f"{name}.entry").write_bytes(_forged(kind, key, stamp, {"policies": [[1]], "blobs": 2}))
            assert search_ids("search", "数据中兴") == (0, ["datacenter"])
            assert search_ids("search", "工业乎联网")[1][:2] == ["iiplatform", "identnode"]  # a typo read
    assert not marker.exists()
    assert load_catalog_cached().get("datacenter").title == "新型数据中心建设支持"
    assert sorted(p.name for p in own_cache.iterdir()) == [f"{name}.entry" for name in names]


def test_a_planted_pickle_never_runs_in_a_whole_run(own_cache, tmp_path):
    from policycli.dataset.files import digest_of

    marker = tmp_path / "code-ran"
    digest = digest_of(SHIPPED.read_bytes())
    for kind, key in (("catalog", digest), ("search", digest)):
        for suffix in (".pickle", ".entry"):
            _plant(own_cache, kind, key, "any", marker, suffix)
    done = subprocess.run([sys.executable, "-m", "policycli", "search", "数据中兴", "--format", "json"],
                          capture_output=True, timeout=60, env=dict(os.environ, POLICY_CACHE_DIR=str(own_cache)))
    assert done.returncode == 0 and b"datacenter" in done.stdout
    assert not marker.exists()


@pytest.mark.parametrize("variable", ["POLICY_CACHE_DIR", "XDG_CACHE_HOME"])
def test_a_relative_cache_dir_is_ignored_with_a_warning_and_a_planted_pickle_never_runs(tmp_path, monkeypatch, variable):
    from policycli.dataset.files import digest_of

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("POLICY_CACHE_DIR", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv(variable, "planted")
    marker = tmp_path / "code-ran"
    stamp = cache.code_stamp() + CHECKS_STAMP
    folder = tmp_path / "planted" / ("policycli" if variable == "XDG_CACHE_HOME" else "")
    _plant(folder, "catalog", digest_of(SHIPPED.read_bytes()), stamp, marker, ".pickle")
    assert cache_dir() == tmp_path / "home" / ".cache" / "policycli"
    result = invoke("search", "数据中心", "--format", "json")
    assert result.exit_code == 0
    assert not marker.exists()
    assert result.stderr.splitlines() == [
        f"环境变量 {variable} 的值“planted”不是绝对路径，已忽略；缓存目录须写成绝对路径，如 {tmp_path / 'home' / '.cache'}"]


def test_an_entry_writable_by_others_or_not_a_regular_file_is_not_read(own_cache, tmp_path):
    assert store("thing", "abc", "v1", Entry("good"))
    path = own_cache / "thing-abc.entry"
    path.chmod(0o666)
    assert load("thing", "abc", "v1") is None
    path.chmod(0o600)
    assert load("thing", "abc", "v1").data == "good"
    path.rename(tmp_path / "elsewhere.entry")
    os.symlink(tmp_path / "elsewhere.entry", path)
    assert load("thing", "abc", "v1") is None


def test_a_fifo_planted_in_the_cache_dir_does_not_block(own_cache):
    assert store("catalog", "warm", "v1", Entry(1))  # makes the dir
    from policycli.dataset.files import digest_of

    os.mkfifo(own_cache / f"catalog-{digest_of(SHIPPED.read_bytes())}.entry")
    done = subprocess.run([sys.executable, "-m", "policycli", "search", "数据中心", "--format", "json"],
                          capture_output=True, timeout=30, env=dict(os.environ, POLICY_CACHE_DIR=str(own_cache)))
    assert done.returncode == 0 and b"datacenter" in done.stdout


# --- a library: one entry per list ------------------------------------------------------------------


def test_lists_read_each_through_its_own_entry_and_only_a_new_one_is_parsed(own_cache, tmp_path, monkeypatch):
    from policycli.load import CHECKS

    def load_lists(paths, checks):
        return [load_catalog_cached(path, checks) for path in paths]

    text = SHIPPED.read_text(encoding="utf-8")
    paths = []
    for number, title in enumerate(["新型数据中心建设支持", "新型数据中心建设扶持", "新型数据中心建设补助"]):
        path = tmp_path / f"list-{number}.yaml"
        path.write_text(text.replace("新型数据中心建设支持", title), encoding="utf-8")
        paths.append(path)
    first = load_lists(paths[:2], CHECKS)
    assert [c.get("datacenter").title for c in first] == ["新型数据中心建设支持", "新型数据中心建设扶持"]
    assert len(list(own_cache.glob("catalog-*.entry"))) == 2
    parsed = []
    real = cache.parse_catalog
    monkeypatch.setattr(cache, "parse_catalog", lambda raw, source, checks, ahead=None, told=None:
                        parsed.append(source) or real(raw, source, checks, ahead, told))
    again = load_lists(paths, CHECKS)
    assert parsed == [str(paths[2])]
    assert again[:2] == first and again[2].get("datacenter").title == "新型数据中心建设补助"


# --- a library read from its entries --------------------------------------------------------------


@pytest.fixture
def two_lists(tmp_path, monkeypatch, dataset_dict):
    """A library of the shipped list and a second one of three policies, one with new words."""
    import yaml

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))
    folder = tmp_path / "data-home" / "policycli" / "lists"
    folder.mkdir(parents=True)
    data = dict(dataset_dict, year=2025, title=dataset_dict["title"].replace("2024", "2025"))
    data["parts"] = [{k: v for k, v in part.items() if k != "count"} for part in dataset_dict["parts"]]
    data["policies"] = [dict(p) for p in dataset_dict["policies"] if p["id"] in ("datacenter", "techretrofit")]
    next(p for p in data["policies"] if p["id"] == "datacenter")["content"] += "支持建设液冷集群。"
    path = folder / "黄岛2025-1.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def library_answers() -> tuple:
    """What a user sees of the library: a search across the lists, a policy by LIST:ID, the count."""
    import json

    found = invoke("search", "液冷集群", "--format", "json")
    shown = invoke("show", "黄岛2025-1:datacenter", "--format", "json")
    listed = invoke("list", "--format", "json")
    assert (found.exit_code, shown.exit_code, listed.exit_code) == (0, 0, 0), found.stderr + shown.stderr
    return ([(h["list"], h["id"]) for h in json.loads(found.stdout)], json.loads(shown.stdout),
            len(json.loads(listed.stdout)), found.stderr + shown.stderr + listed.stderr)


def test_a_library_answers_alike_from_entries_cut_short_or_damaged_and_rebuilds_them(own_cache, two_lists):
    first = library_answers()
    assert first[0] == [("黄岛2025-1", "datacenter")] and first[2] == 21  # techretrofit continued as it was, datacenter changed
    assert library_answers() == first  # from the entries
    entries = sorted(own_cache.glob("*.entry"))
    assert {p.name.split("-")[0] for p in entries} == {"catalog", "words", "library", "search"}
    for cut in (lambda raw: raw[: len(raw) // 2], lambda raw: raw[:-7] + b"\xff" * 7):
        for entry in entries:
            entry.write_bytes(cut(entry.read_bytes()))
        assert library_answers() == first  # no traceback, no warning, the same answers
        assert all(library_answers() == first for _ in range(2))  # rebuilt: read again from the entries


def test_a_cache_dir_that_cannot_be_written_still_answers(own_cache, two_lists, monkeypatch):
    """A read-only cache dir (its entries there from an earlier run, or none): the answers are
    the same and nothing is reported."""
    import tempfile

    first = library_answers()
    own_cache.chmod(0o555)
    monkeypatch.setattr(tempfile, "mkstemp", _refused)  # as for a user without write access (even root)
    try:
        assert library_answers() == first
        two_lists.write_text(two_lists.read_text(encoding="utf-8").replace("液冷集群", "液冷机房"), encoding="utf-8")
        import json

        found = invoke("search", "液冷机房", "--format", "json")
        assert [(h["list"], h["id"]) for h in json.loads(found.stdout)] == [("黄岛2025-1", "datacenter")]
        assert found.stderr == ""
    finally:
        own_cache.chmod(0o755)


def _refused(*_args, **_kwargs):
    raise PermissionError(13, "Permission denied")


def test_a_file_read_alone_is_kept_once_and_not_parsed_again(own_cache, dataset, monkeypatch):
    """`--data FILE`: the file read alone is kept as one catalog entry (the whole), beside its index;
    the next run reads it from there without parsing."""
    from policycli.dataset import catalog as catalog_module

    import hashlib

    assert search_ids("--data", str(dataset), "search", "数据中心") == (0, ["datacenter"])
    digest = hashlib.sha256(dataset.read_bytes()).hexdigest()
    assert len(list(own_cache.glob("library-*.entry"))) == 1 and (own_cache / f"search-{digest}.entry").exists()
    assert not (own_cache / f"catalog-{digest}.entry").exists()
    monkeypatch.setattr(catalog_module, "_build", lambda *a, **k: (_ for _ in ()).throw(AssertionError("parsed again")))
    assert search_ids("--data", str(dataset), "search", "数据中心") == (0, ["datacenter"])

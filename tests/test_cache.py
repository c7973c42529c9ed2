"""The cache: where it lives, and that a stale, corrupt or unwritable cache never changes results."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import invoke

from policycli.dataset import cache
from policycli.dataset.cache import cache_dir, load, load_catalog_cached, store
from policycli.dataset.files import default_data_path

SHIPPED = default_data_path()


@pytest.fixture
def own_cache(tmp_path, monkeypatch):
    """A fresh, empty cache dir for one test."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("POLICY_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def dataset(tmp_path):
    """A copy of the shipped dataset that a test may edit."""
    path = tmp_path / "policies.yaml"
    path.write_bytes(SHIPPED.read_bytes())
    return path


def search_ids(*args: str) -> tuple[int, list[str]]:
    import json

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
    assert store("thing", "abc", "v1", {"x": [1, 2]})
    assert load("thing", "abc", "v1") == {"x": [1, 2]}
    assert [p.name for p in own_cache.iterdir()] == ["thing-abc.pickle"]  # no temp file left


def test_an_entry_from_other_code_is_ignored(own_cache):
    store("thing", "abc", "v1", 1)
    assert load("thing", "abc", "v2") is None


@pytest.mark.parametrize("junk", [b"", b"not a pickle", b"\x80\x05\x95garbage", b"\x80\x04K\x01."])
def test_a_corrupt_entry_is_ignored(own_cache, junk):
    store("thing", "abc", "v1", 1)
    (own_cache / "thing-abc.pickle").write_bytes(junk)
    assert load("thing", "abc", "v1") is None


def test_an_unwritable_cache_dir_is_skipped(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache dir should be")
    monkeypatch.setenv("POLICY_CACHE_DIR", str(blocker / "cache"))
    assert store("thing", "abc", "v1", 1) is False
    assert load("thing", "abc", "v1") is None


def test_old_entries_are_pruned(own_cache):
    for i in range(cache.KEEP + 3):
        store("thing", f"k{i}", "v1", i)
        os.utime(own_cache / f"thing-k{i}.pickle", (1000 + i, 1000 + i))
    store("thing", "last", "v1", 0)
    assert len(list(own_cache.glob("thing-*.pickle"))) == cache.KEEP


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
    (entry,) = own_cache.glob("catalog-*.pickle")
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
    kinds = ["catalog", "hanzi", "library", "search"]  # library: the lists of the library as one catalog
    assert sorted(p.name.split("-")[0] for p in own_cache.glob("*.pickle")) == kinds
    assert search_ids("search", "数据中兴") == (0, ["datacenter"])
    for entry in own_cache.glob("*.pickle"):
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
    assert list(own_cache.glob("catalog-*.pickle"))


def test_a_warm_search_loads_no_yaml_pinyin_fuzzy_or_json(own_cache):
    """The common path stays light: what it needs was computed once into the cache."""
    probe = (
        "import sys\n"
        "from policycli.cli.app import main\n"
        "for query in sys.argv[1:]:\n"
        "    main(['search', query])\n"
        "heavy = [m for m in ('yaml', 'pypinyin', 'rapidfuzz', 'json') if m in sys.modules]\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    env = dict(os.environ, POLICY_CACHE_DIR=str(own_cache))
    subprocess.run([sys.executable, "-c", probe, "数据中心"], env=env, capture_output=True, check=True)
    warm = subprocess.run([sys.executable, "-c", probe, "数据中心", "数据中兴", "jsgz", "shujuzhongxin"],
                          env=env, capture_output=True, text=True, check=True)
    assert "HEAVY []" in warm.stderr
    assert "datacenter" in warm.stdout and "techretrofit" in warm.stdout


def test_a_missing_table_of_common_readings_is_rebuilt_for_a_typo(own_cache):
    assert search_ids("search", "数据中心") == (0, ["datacenter"])
    (table,) = own_cache.glob("hanzi-*.pickle")
    table.unlink()
    assert search_ids("search", "工业乎联网")[1][:2] == ["iiplatform", "identnode"]
    assert table.exists()


# --- a cache that cannot run code -------------------------------------------------------------------


class _Planted:
    """Unpickling this runs code: it writes a marker file."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def _plant(folder, kind, key, stamp, marker):
    import pickle

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{kind}-{key}.pickle"
    path.write_bytes(pickle.dumps(((kind, key, stamp), _Planted(marker))))
    return path


@pytest.mark.parametrize("variable", ["POLICY_CACHE_DIR", "XDG_CACHE_HOME"])
def test_a_relative_cache_dir_is_ignored_with_a_warning_and_a_planted_pickle_never_runs(tmp_path, monkeypatch, variable):
    from policycli.dataset.files import digest_of

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("POLICY_CACHE_DIR", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv(variable, "planted")
    marker = tmp_path / "code-ran"
    stamp = cache.code_stamp() + "/policycli.load.check_award_block/policycli.load.check_conditions_block"
    folder = tmp_path / "planted" / ("policycli" if variable == "XDG_CACHE_HOME" else "")
    _plant(folder, "catalog", digest_of(SHIPPED.read_bytes()), stamp, marker)
    assert cache_dir() == tmp_path / "home" / ".cache" / "policycli"
    result = invoke("search", "数据中心", "--format", "json")
    assert result.exit_code == 0
    assert not marker.exists()
    assert result.stderr.splitlines() == [
        f"环境变量 {variable} 的值“planted”不是绝对路径，已忽略；缓存目录须写成绝对路径，如 {tmp_path / 'home' / '.cache'}"]


def test_an_entry_writable_by_others_or_not_a_regular_file_is_not_read(own_cache, tmp_path):
    marker = tmp_path / "code-ran"
    path = _plant(own_cache, "thing", "abc", "v1", marker)
    path.chmod(0o666)
    assert load("thing", "abc", "v1") is None
    assert not marker.exists()
    path.unlink()
    os.symlink(tmp_path / "elsewhere.pickle", path)
    _plant(tmp_path / "x", "thing", "abc", "v1", marker).rename(tmp_path / "elsewhere.pickle")
    assert load("thing", "abc", "v1") is None
    assert not marker.exists()


def test_a_fifo_planted_in_the_cache_dir_does_not_block(own_cache):
    assert store("catalog", "warm", "v1", 1)  # makes the dir
    from policycli.dataset.files import digest_of

    os.mkfifo(own_cache / f"catalog-{digest_of(SHIPPED.read_bytes())}.pickle")
    done = subprocess.run([sys.executable, "-m", "policycli", "search", "数据中心", "--format", "json"],
                          capture_output=True, timeout=30, env=dict(os.environ, POLICY_CACHE_DIR=str(own_cache)))
    assert done.returncode == 0 and b"datacenter" in done.stdout

"""Indexing begun in a child process on a second core: the indexes it leaves are the ones this
process would make, byte for byte; one process on one core; children stopped and waited for."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from policycli.search import alongside
from policycli.search import index as index_module
from policycli.search.index import FIELDS, build_index, index_for


def _same_index(a, b) -> bool:
    from policycli.search.index import SearchIndex

    parts = ("text", "sound", "initials", "edges", "starts")
    return (all(getattr(a.blobs[n], p) == getattr(b.blobs[n], p) for n in FIELDS for p in parts)
            and all(getattr(a, name) == getattr(b, name) for name in SearchIndex.__slots__ if name != "blobs"))


@pytest.mark.parametrize("early, split", [(True, False), (False, False), (True, True), (False, True)])
def test_a_large_list_is_indexed_on_a_second_core_while_it_is_checked(tmp_path, monkeypatch, early, split):
    """The child's index, read from the cache, is the one this process would have built: a child
    forked before the list is parsed (its bytes AHEAD_BYTES or more), given the list once it is,
    or one forked then. A list of SPLIT_FROM policies or more is indexed in two halves at once by
    the child and a child of its own, and joined: as this process joins them."""
    import os

    from policycli.dataset.files import default_data_path
    from policycli.load import load_alone
    from policycli.search import ahead, building

    monkeypatch.setenv("POLICY_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(alongside, "AHEAD_FROM", 20)  # the shipped list counts as large
    monkeypatch.setattr(alongside, "AHEAD_BYTES", 1 if early else 1 << 40)
    monkeypatch.setattr(building, "SPLIT_FROM", 10 if split else 1 << 40)
    monkeypatch.setattr(ahead, "_cores", lambda: 2)
    monkeypatch.setattr("threading.active_count", lambda: 1)  # whatever the test runner runs beside
    forks = tmp_path / "forks"  # a line for each fork, in whichever process made it
    real_fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: forks.open("a").write(f"{os.getpid()}\n") and real_fork())
    with alongside.built_alongside():
        catalog = load_alone(default_data_path())
    assert forks.read_text().split()[0] == str(os.getpid())
    monkeypatch.setattr(index_module, "build_index", lambda *args: pytest.fail("built again"))
    told = []  # a progress bar is drawn while this process waits for the child, as far as it has got
    index = index_for(catalog, lambda done, total: told.append((done, total)))
    assert told[0] == (0, 20) and told[-1] == (20, 20) and {total for _, total in told} == {20}
    assert [done for done, _ in told] == sorted({done for done, _ in told})
    assert [p.name[:8] for p in (tmp_path / "cache").glob("search-*.entry")] == ["search-" + catalog.digest[0]]
    made = forks.read_text().split()
    assert len(made) == (2 if split else 1) and len(set(made)) == len(made)  # the child's child, for the second half
    assert _same_index(index, build_index(catalog.members[0]))


@pytest.mark.parametrize("early", [True, False])
def test_no_child_on_one_core_and_none_left_for_a_refused_list(tmp_path, monkeypatch, early):
    import os

    from policycli.errors import DataError
    from policycli.load import load_alone
    from policycli.search import ahead

    monkeypatch.setenv("POLICY_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(alongside, "AHEAD_FROM", 1)
    monkeypatch.setattr(alongside, "AHEAD_BYTES", 1 if early else 1 << 40)
    shipped = Path(__file__).resolve().parent.parent / "data" / "policies.yaml"
    forked = []
    real_fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: forked.append(1) or real_fork())
    monkeypatch.setattr(ahead, "_cores", lambda: 1)
    with alongside.built_alongside():
        load_alone(shipped)
    assert forked == []
    monkeypatch.setattr(ahead, "_cores", lambda: 2)
    refused = tmp_path / "refused.yaml"
    refused.write_text(shipped.read_text(encoding="utf-8").replace("area_code:", "area_code: [1]\n_unused:", 1),
                       encoding="utf-8")
    with pytest.raises(DataError), alongside.built_alongside():
        load_alone(refused)
    assert forked == [1] and ahead._AHEAD == []  # the child was stopped and waited for


def test_a_long_list_indexed_on_two_cores_is_the_one_made_half_after_half_whatever_its_words(tmp_path, monkeypatch, catalog):
    """The two processes indexing a long list's halves swap their own words on pipes of the
    smallest size (64 KiB where none can be made larger), more words than fit on either: neither
    waits for the other for ever, and the index is the one this process makes half after half."""
    import json
    import pickle
    import time
    from dataclasses import replace

    from policycli.search import ahead, building

    monkeypatch.setenv("POLICY_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(ahead, "large_pipe", os.pipe)
    monkeypatch.setattr(building, "SPLIT_FROM", 10)
    many = [replace(p, keywords=(*p.keywords, *(f"{p.id}专用词语{n:04d}号" for n in range(400))))
            for p in catalog.policies]
    listed = building.listing(replace(catalog, policies=tuple(many)))
    assert all(len(json.dumps(half.own).encode()) > 2 * 65536 for half in building.Folded(listed).halves)

    def apart(make) -> object:  # in a process of its own: the word cutter as it is here
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                (tmp_path / "made").write_bytes(pickle.dumps(_fields(make())))
                code = 0
            finally:
                os._exit(code)
        for _ in range(600):  # a minute at most: two processes waiting for each other never end
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            time.sleep(0.1)
        else:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            pytest.fail("the two halves waited for each other")
        assert os.waitstatus_to_exitcode(status) == 0
        return pickle.loads((tmp_path / "made").read_bytes())

    on_two_cores = apart(lambda: alongside._halves_on_two_cores(listed))
    half_after_half = apart(lambda: building.halves_joined(listed, building.Folded(listed)))
    assert on_two_cores == half_after_half


def _fields(index) -> dict:
    from policycli.search.index import SearchIndex

    parts = ("text", "sound", "initials", "edges", "starts")
    out = {f"{n}.{p}": getattr(index.blobs[n], p) for n in FIELDS for p in parts}
    out.update({name: getattr(index, name) for name in SearchIndex.__slots__ if name != "blobs"})
    return out


def test_a_child_is_forked_with_two_cores_however_busy_they_are(monkeypatch):
    """The cores this process may run on decide, not how busy they are: with another process on
    each, a first run of two processes still gets more of them than one."""
    from policycli.search import ahead

    monkeypatch.setattr("threading.active_count", lambda: 1)
    monkeypatch.setattr(os, "getloadavg", lambda: (8.0, 8.0, 8.0))
    monkeypatch.setattr(ahead, "CPU_QUOTA", ("/nonexistent/cpu.max",) * 3)  # no control group's quota
    for cores, forks in (({0}, False), ({0, 1}, True), ({1, 3}, True)):
        monkeypatch.setattr(os, "sched_getaffinity", lambda pid, cores=cores: cores)
        assert ahead.may_fork() is forks
    monkeypatch.delattr(os, "sched_getaffinity")
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert ahead._cores() == 2


@pytest.mark.parametrize("v2, v1, cores", [
    ("max 100000\n", None, 4),              # cgroup v2, no quota: the affinity's four
    ("150000 100000\n", None, 2),           # a CPU and a half: two
    ("100000 100000\n", None, 1),           # `--cpus=1`: one, no child
    ("50000 100000\n", None, 1),
    (None, ("-1", "100000"), 4),             # cgroup v1, no quota
    (None, ("200000", "100000"), 2),
    (None, ("100000", "100000"), 1),
    (None, None, 4),                         # no control group to read
    ("garbage\n", ("x", "100000"), 4),
])
def test_a_control_groups_cpu_quota_caps_the_cores(tmp_path, monkeypatch, v2, v1, cores):
    """A container limited to one CPU's time indexes in one process, whatever cores it sees."""
    from policycli.search import ahead

    paths = [tmp_path / "cpu.max", tmp_path / "cfs_quota_us", tmp_path / "cfs_period_us"]
    if v2 is not None:
        paths[0].write_text(v2, encoding="ascii")
    if v1 is not None:
        paths[1].write_text(v1[0] + "\n", encoding="ascii")
        paths[2].write_text(v1[1] + "\n", encoding="ascii")
    monkeypatch.setattr(ahead, "CPU_QUOTA", tuple(str(p) for p in paths))
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})
    assert ahead._cores() == cores


def _library_of_four(tmp_path, dataset_dict) -> None:
    """Three lists beside the shipped one; the newest (indexed first) has a keyword that the older
    ones hold in their texts: how those are cut into words depends on its being indexed before."""
    folder = tmp_path / "data-home" / "policycli" / "lists"
    folder.mkdir(parents=True)
    for year in (2025, 2023, 2022):
        data = dict(dataset_dict, year=year, title=dataset_dict["title"].replace("2024", str(year)))
        data["parts"] = [{k: v for k, v in part.items() if k != "count"} for part in dataset_dict["parts"]]
        data["policies"] = [dict(p, id=f"{p['id']}-{year}", content=p["content"] + "支持浸没液冷集群算力调度。",
                                 keywords=[*p.get("keywords", []), "液冷集群算力"] if year == 2025 else p.get("keywords", []))
                            for p in dataset_dict["policies"][:6]]
        (folder / f"{year}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def _run_apart(tmp_path, name, monkeypatch, second_core, fail_child=False, early=True, told=None) -> list:
    """Load the library and search it in a process of its own (forked from this one: the word
    cutter as it is here), with its cache in tmp_path/name: what it found, the children it made
    and the lists it indexed itself. Without `early`, no child is forked before the lists are read.
    With `told` (a list), the progress a bar is told is added to it, each child taking a tenth of a
    second over each list it stores."""
    import json
    import os

    from policycli.load import load_library
    from policycli.search import building
    from policycli.search import ahead
    from policycli.search.rank import search

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))
    monkeypatch.setenv("POLICY_CACHE_DIR", str(tmp_path / name))
    monkeypatch.setattr(alongside, "AHEAD_LISTS", 2)
    monkeypatch.setattr(ahead, "_cores", lambda: 2 if second_core else 1)
    monkeypatch.setattr("threading.active_count", lambda: 1)  # whatever the test runner runs beside
    if not early:
        monkeypatch.setattr(alongside, "_begin_ahead", lambda *args: None)
    if fail_child:
        real = building.Folded

        class Failing(real):  # in the child indexing ahead only (the run's own process is its parent)
            def __init__(self, catalog):
                if os.getppid() == running[0]:
                    raise RuntimeError("the child fails")
                super().__init__(catalog)

        monkeypatch.setattr(building, "Folded", Failing)
    if told is not None:
        import time

        real_store = alongside.store
        monkeypatch.setattr(alongside, "store", lambda *args: time.sleep(0.1) or real_store(*args))
    running: list[int] = []
    real_fork = os.fork
    pid = real_fork()
    if pid == 0:
        code = 1
        try:
            running[:] = [os.getpid()]
            forked, built = [], []
            os.fork = lambda: forked.append(1) or real_fork()
            real_build = index_module.build_index  # as this process indexes a list
            index_module.build_index = lambda *args, **kw: built.append(1) or real_build(*args, **kw)
            with alongside.built_alongside():
                catalog = load_library()
            progress: list[tuple[int, int]] = []
            found = search(catalog, "液冷集群算力", limit=20,
                           progress=lambda done, total: progress.append((done, total))).to_jsonable()
            (tmp_path / f"{name}.json").write_text(json.dumps([found, len(forked), len(built), progress],
                                                              ensure_ascii=False))
            code = 0
        finally:
            os._exit(code)
    assert os.waitpid(pid, 0)[1] == 0
    *made, progress = json.loads((tmp_path / f"{name}.json").read_text())
    if told is not None:
        told += [tuple(step) for step in progress]
    return made


def _entries(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.glob("*.entry")}


@pytest.mark.parametrize("long_lists", [False, True])
def test_a_librarys_lists_indexed_in_two_processes_are_those_one_process_makes(tmp_path, monkeypatch, dataset_dict,
                                                                             long_lists):
    """With a second core, a child forked before the lists are read is given every one of them to
    index while this process pairs them; it indexes the first half and a child of its own the
    second, once the word cutter knows the first half's words: every entry is the same, byte for
    byte, as one process indexing them all makes; so is what a search finds. So with lists long
    enough to be indexed as two halves each (`building.SPLIT_FROM`)."""
    from policycli.search import building

    if long_lists:
        monkeypatch.setattr(building, "SPLIT_FROM", 4)
    _library_of_four(tmp_path, dataset_dict)
    alone, forked_alone, built_alone = _run_apart(tmp_path, "alone", monkeypatch, second_core=False)
    split, forked_split, built_split = _run_apart(tmp_path, "split", monkeypatch, second_core=True)
    assert (forked_alone, built_alone) == (0, 4)  # a busy machine: one process
    assert (forked_split, built_split) == (1, 0)
    assert split == alone and len(alone) == 6  # each policy shown once, its versions in the older lists with it
    entries = _entries(tmp_path / "alone")
    assert len([name for name in entries if name.startswith("search-")]) == 4 + 1  # each list's, the library's
    assert _entries(tmp_path / "split") == entries  # none left of the child's own (the lists it indexed, joined)


def test_the_bar_shown_while_the_children_index_moves_as_each_list_is_stored(tmp_path, monkeypatch, dataset_dict):
    """While this process waits for the children indexing the library's lists, the bar shows the
    policies of every list they have stored, of all of them (the shipped 20 and three lists of 6):
    from none to all, never back."""
    _library_of_four(tmp_path, dataset_dict)
    told: list[tuple[int, int]] = []
    _run_apart(tmp_path, "split", monkeypatch, second_core=True, told=told)
    total = 20 + 3 * 6
    assert told[0] == (0, total) and told[-1] == (total, total) and {t for _, t in told} == {total}
    assert [done for done, _ in told] == sorted({done for done, _ in told})  # never back, never twice
    assert any(0 < done < total for done, _ in told)  # lists stored before the last one


def test_the_child_begins_each_list_as_it_is_read(tmp_path, monkeypatch, dataset_dict):
    """Lists read slowly: the child forked before they are read begins each of them (its
    `building.Folded`) as it is passed on, before its job is whole, and none twice; the entries are
    still those one process makes, byte for byte."""
    import time

    from policycli.search import ahead, building

    _library_of_four(tmp_path, dataset_dict)
    alone, _, _ = _run_apart(tmp_path, "alone", monkeypatch, second_core=False)
    log = tmp_path / "log"

    def logged(kind: str, what: str) -> None:
        with open(log, "a", encoding="utf-8") as file:
            file.write(f"{kind} {time.monotonic()} {what}\n")

    real_folded, real_pass_on, real_give = building.Folded, alongside._pass_on, ahead.give

    class Logged(real_folded):
        def __init__(self, listed):
            super().__init__(listed)
            logged("begun", listed.digest)

    monkeypatch.setattr(building, "Folded", Logged)
    monkeypatch.setattr(alongside, "_pass_on", lambda catalog: real_pass_on(catalog) or time.sleep(0.3))
    monkeypatch.setattr(ahead, "give", lambda *args: logged("given", "-") or real_give(*args))
    split, forked, built = _run_apart(tmp_path, "split", monkeypatch, second_core=True)
    lines = [line.split() for line in log.read_text(encoding="utf-8").splitlines()]
    given = [float(at) for kind, at, _ in lines if kind == "given"]
    begun = [(float(at), digest) for kind, at, digest in lines if kind == "begun"]
    assert len(given) == 1 and len(begun) == len({digest for _, digest in begun}) == 4
    assert all(at < given[0] for at, _ in begun)
    assert (forked, built) == (1, 0) and split == alone
    assert _entries(tmp_path / "split") == _entries(tmp_path / "alone")


def test_a_child_stopped_while_it_writes_entries_leaves_no_temporary_file(tmp_path, monkeypatch):
    """Ctrl-C stops the children (SIGTERM): one stopped in the middle of writing an entry removes
    its temporary file before it ends; the entries it finished are kept whole."""
    import time

    from policycli.dataset import cache
    from policycli.search import ahead

    monkeypatch.setenv("POLICY_CACHE_DIR", str(tmp_path))
    entry = cache.Entry({"n": 1}, ["字" * 1_000])
    real_replace = os.replace
    monkeypatch.setattr(os, "replace", lambda *args: time.sleep(0.05) or real_replace(*args))  # mostly writing
    pid = ahead.forked(("list",))
    if pid == 0:
        code = 1
        try:
            ahead.child_begins()
            for number in range(10_000):
                cache.store("search", f"{number:064d}", "stamp", entry)
            code = 0
        finally:
            os._exit(code)
    time.sleep(0.5)
    assert list(tmp_path.glob("search-*.entry"))  # it was writing
    ahead.await_child(ahead.child_of("list"), stop=True)
    assert [p.name for p in tmp_path.iterdir() if not p.name.endswith(".entry")] == []
    assert all(cache.load("search", p.name[len("search-"):-len(".entry")], "stamp") is not None
               for p in tmp_path.glob("search-*.entry"))


def test_a_childs_job_comes_piece_by_piece_however_large():
    """Pieces passed on to a waiting child, more than a pipe holds, then its job: each whole, in
    order, the job last, after which the child runs no other thread (it may fork); a child whose
    job is never given gets none."""
    import os
    import threading

    from policycli.search import ahead

    pieces = [("read", ("d%d" % n, "词" * 40_000)) for n in range(12)]
    for give in (True, False):
        job, giving = ahead.large_pipe()
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                os.close(giving)
                given = ahead.Job(job)
                got = []
                while (piece := given.next()) is not None:
                    got.append(piece)
                    if piece[0] == "lists":  # the job: once the pipe ends, no thread but this one
                        given.ended()
                        got.append(threading.active_count())
                code = 0 if got == (pieces + [("lists", ["d0"]), 1] if give else pieces) else 3
            finally:
                os._exit(code)
        os.close(job)
        child = ahead.Child(pid, (), job=giving, wants="lists")
        for number, piece in enumerate(pieces):
            ahead.pass_on(child, f"d{number}", piece)
        assert child.sent == {f"d{n}" for n in range(12)}
        if give:
            ahead.give(child, ("d0",), ("lists", ["d0"]))
            assert child.job == -1 and child.lists == ("d0",)
        else:
            os.close(child.job)
        assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0


def test_a_child_forked_once_the_lists_are_read_makes_the_same_entries(tmp_path, monkeypatch, dataset_dict):
    """Without a child forked before the lists were read, one forked once they are indexes the
    first of them (CHILD_SHARE: 2 of 4) and stores their catalogs: the same entries again."""
    _library_of_four(tmp_path, dataset_dict)
    alone, _, _ = _run_apart(tmp_path, "alone", monkeypatch, second_core=False)
    split, forked, built = _run_apart(tmp_path, "split", monkeypatch, second_core=True, early=False)
    assert (forked, built) == (1, 4 - round(4 * alongside.CHILD_SHARE)) == (1, 2) and split == alone
    assert _entries(tmp_path / "split") == _entries(tmp_path / "alone")


def test_a_child_forked_for_lists_already_indexed_is_stopped(tmp_path, monkeypatch, dataset_dict):
    """A library read again under another signature (a file touched), its lists indexed before:
    the child forked before reading them has nothing to index and is stopped at once; the run
    indexes nothing (no list's entry is written again) and answers as before."""
    _library_of_four(tmp_path, dataset_dict)
    first, _, _ = _run_apart(tmp_path, "cache", monkeypatch, second_core=True)
    written = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "cache").glob("search-*.entry")}
    for path in (tmp_path / "data-home" / "policycli" / "lists").iterdir():
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    again, forked, built = _run_apart(tmp_path, "cache", monkeypatch, second_core=True)
    assert (forked, built) == (1, 0) and again == first
    assert {p.name: p.stat().st_mtime_ns for p in (tmp_path / "cache").glob("search-*.entry")} == written


def test_lists_indexed_by_an_earlier_version_are_indexed_again_by_the_children(tmp_path, monkeypatch, dataset_dict):
    """After an upgrade every entry in the cache dir was made by other code: the lists' indexes are
    there but cannot be used. They are the children's to index again, as in a first run (before,
    being there, they were taken for indexed: the child was stopped and this process indexed the
    four lists itself, on one core)."""
    from policycli.dataset import cache

    _library_of_four(tmp_path, dataset_dict)
    first, _, _ = _run_apart(tmp_path, "cache", monkeypatch, second_core=True)
    old = {p.name: p.read_bytes() for p in (tmp_path / "cache").glob("search-*.entry")}
    stamp = cache.code_stamp()
    monkeypatch.setattr(cache, "code_stamp", lambda: stamp + "-upgraded")
    again, forked, built = _run_apart(tmp_path, "cache", monkeypatch, second_core=True)
    assert (forked, built) == (1, 0) and again == first
    assert all(path.read_bytes() != old[path.name] for path in (tmp_path / "cache").glob("search-*.entry")
               if path.name in old)


def test_one_list_of_a_library_edited_is_indexed_by_the_child_already_forked(tmp_path, monkeypatch, dataset_dict):
    """One list edited: the child forked before the lists were read (it has imported what
    indexing needs) indexes it, alone, while this process pairs the lists; this process builds
    no index (before, the child was stopped as having too few to do, and this process imported
    pypinyin and rjieba to index the list). The entries and answers are those this process makes
    on a busy machine."""
    import shutil

    _library_of_four(tmp_path, dataset_dict)
    _run_apart(tmp_path, "cache", monkeypatch, second_core=True)
    edited = tmp_path / "data-home" / "policycli" / "lists" / "2023.yaml"
    edited.write_text(edited.read_text(encoding="utf-8").replace("浸没液冷", "浸没式液冷"), encoding="utf-8")
    shutil.copytree(tmp_path / "cache", tmp_path / "busy")
    alone, forked_alone, built_alone = _run_apart(tmp_path, "busy", monkeypatch, second_core=False)
    again, forked, built = _run_apart(tmp_path, "cache", monkeypatch, second_core=True)
    assert (forked_alone, built_alone) == (0, 1) and (forked, built) == (1, 0)
    assert again == alone
    searched = {name: raw for name, raw in _entries(tmp_path / "busy").items() if name.startswith("search-")}
    assert {name: raw for name, raw in _entries(tmp_path / "cache").items() if name in searched} == searched


def test_a_child_that_fails_leaves_the_lists_to_this_process(tmp_path, monkeypatch, dataset_dict):
    _library_of_four(tmp_path, dataset_dict)
    alone, _, _ = _run_apart(tmp_path, "alone", monkeypatch, second_core=False)
    split, forked, built = _run_apart(tmp_path, "split", monkeypatch, second_core=True, fail_child=True)
    assert (forked, built) == (1, 4) and split == alone
    assert _entries(tmp_path / "split") == _entries(tmp_path / "alone")


def test_a_childs_words_come_whole_however_many():
    """More words than a pipe holds at once (a library of many lists of their own): all of them,
    in order; a child that sends nothing gives none (its lists are then indexed here)."""
    import os

    from policycli.search import ahead

    sent = [f"词{n}语" for n in range(60_000)]
    for words in (sent, None):
        reader, writer = ahead.large_pipe()
        pid = os.fork()
        if pid == 0:
            os.close(reader)
            if words is not None:
                ahead.send_words(writer, words)
            os._exit(0)
        os.close(writer)
        got = ahead.words_sent(ahead.Child(pid, (), reader))
        os.waitpid(pid, 0)
        assert got == words

#!/usr/bin/env python3
"""How `policy search` scales with the size of the dataset, in one list and in a library of lists.

Generates synthetic datasets (the 20 shipped policies varied into N policies, valid for the
loader) in a temporary dir, then times whole processes that search them:
- one list of N policies: `policy --data FILE search QUERY`;
- a library of L lists of M policies (`--library 200x50`): `policy search QUERY` with the L list
  files in the library folder ($XDG_DATA_HOME/policycli/lists/, beside the shipped list); then
  the same with one more list of M added to the folder (only that list is parsed and indexed).
For each case: the first run, which parses the YAML and builds the cache (the median of
`--first-runs`, each from the same cache state), and the median of several runs with the cache
warm (interleaved over all cases and queries); against the first case, the median of the ratios
of the runs of one round, a second apart (on a machine whose speed drifts, a ratio of medians
taken minutes apart drifts with it). Peak memory is the largest
resident set of those processes (os.wait4 gives the getrusage of each child).

Usage: python benchmarks/scale.py [--sizes 20,1000,10000] [--library 200x50] [--runs 7] [--first-runs 3] [--query Q ...]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent / "data" / "policies.yaml"
PLACES = ["黄岛", "胶州", "即墨", "城阳", "崂山", "李沧", "市南", "市北", "平度", "莱西", "灵山卫", "薛家岛",
          "辛安", "长江路", "珠海", "隐珠", "王台", "六汪", "宝山", "大村", "张家楼", "铁山", "海青", "泊里"]


def synthetic(n: int, first: int = 0) -> str:
    """The shipped dataset with its policies varied into `n` (ids, numbers and texts differ); the
    variations numbered from `first`, so that the lists of a library differ from one another."""
    import yaml

    data = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))
    base = data["policies"]
    out = []
    for i in range(first, first + n):
        k, policy = divmod(i, len(base))
        original = base[policy]
        if k == 0:
            out.append(original)
            continue
        place = PLACES[k % len(PLACES)]
        varied = dict(original)
        varied["id"] = f"{original['id'][:24]}{k}"
        varied["number"] = original["number"] + 100 * k
        varied["title"] = f"{place}{original['title']}"[:20]
        # The text itself stays verbatim: award rules and conditions quote it clause by clause.
        varied["content"] = f"{place}片区第{k}批：{original['content']}（{place}第{k}批次试点）"
        varied["keywords"] = list(original.get("keywords", []))[k % 3 :]
        out.append(varied)
    data["policies"] = out

    class Expanded(yaml.SafeDumper):
        """Writes the shared award and condition blocks out in full, as a hand-kept list has them:
        no anchors and aliases (the loader bounds what aliases may add)."""

        def ignore_aliases(self, data):
            return True

    return yaml.dump(data, Dumper=Expanded, allow_unicode=True, sort_keys=False, width=1000)


def distinct(n: int, first: int = 0) -> str:
    """A list of `n` policies of its own for the library case, numbered from `first`: each text is
    phrases of the shipped list shuffled, so that no two lists hold the same policy continued (the
    library shows such a policy once, which would shrink the library measured). Without award and
    condition blocks: they quote the text verbatim."""
    import random
    import re

    import yaml

    data = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))
    phrases = sorted({p for policy in data["policies"] for p in re.split(r"[，。；、：]", policy["content"]) if 4 <= len(p) <= 30})
    sections = data["parts"][0]["sections"]
    rng = random.Random(first)
    policies = []
    for i in range(first, first + n):
        words = rng.sample(phrases, 8)
        policies.append({"id": f"p{i}", "part": 1, "section": sections[i % len(sections)], "number": i + 1,
                         "title": "".join(words[:2])[:20], "keywords": words[2:4], "lead_units": ["区工信局"],
                         "offices": [data["offices"][i % len(data["offices"])]["name"]], "content": "，".join(words) + "。"})
    data["parts"] = [{k: v for k, v in data["parts"][0].items() if k != "count"}]
    data.update(title=f"测试清单 {first // max(n, 1)}", year=2000 + first // max(n, 1) % 25, policies=policies)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


CPU: dict[tuple[str, ...], float] = {}  # CPU time (user + system) of the last run of each argv


def run(argv: list[str], env: dict[str, str]) -> tuple[float, int, int]:
    """Wall time (s), peak RSS (KiB) and exit code of one whole process; its CPU time goes to `CPU`
    (on a loaded machine the CPU time moves far less than the wall time).

    A child's peak RSS starts from this process's size when it forks, so this process never
    holds a dataset itself (they are written by a child)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    CPU[tuple(argv)] = usage.ru_utime + usage.ru_stime
    return elapsed, usage.ru_maxrss, os.waitstatus_to_exitcode(status)


def write(tmp: Path, name: str, n: int, first: int = 0, kind: str = "varied") -> Path:
    """`synthetic` (varied) or `distinct` written to tmp/NAME.yaml by a child process."""
    path = tmp / f"{name}.yaml"
    subprocess.run([sys.executable, __file__, "--write", str(n), str(first), str(path), kind], check=True)
    return path


def first_run(argv: list[str], env: dict[str, str]) -> tuple[float, int, float]:
    """Wall time, peak RSS and CPU time of a run that must succeed (exit 0 or 1: found or not)."""
    elapsed, rss, code = run(argv, env)
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} exited {code}")
    return elapsed, rss, CPU[tuple(argv)]


class First(tuple):
    """The first runs of a case, each from the same cache state: the median wall time, the largest
    peak RSS and the median CPU time (as `first_run` gives one), and the walls' range."""

    walls: tuple[float, ...]

    def __new__(cls, runs: list[tuple[float, int, float]]) -> First:
        made = super().__new__(cls, (statistics.median(r[0] for r in runs), max(r[1] for r in runs),
                                     statistics.median(r[2] for r in runs)))
        made.walls = tuple(sorted(r[0] for r in runs))
        return made

    def __str__(self) -> str:
        spread = f", {self.walls[0]:.2f}–{self.walls[-1]:.2f} s over {len(self.walls)}" if len(self.walls) > 1 else ""
        return f"{self[0]:.2f} s ({self[2]:.2f} s CPU{spread})"


def first_runs(argv: list[str], env: dict[str, str], tries: int, cache: Path, before: Path | None = None) -> First:
    """`tries` first runs, each from the cache as `before` left it (a copy of the cache dir; none:
    an empty cache). The last one's cache is kept. One first run is one sample of a machine whose
    speed drifts by a second from one minute to the next: their median is the figure."""
    import shutil

    runs = []
    for _ in range(tries):
        shutil.rmtree(cache, ignore_errors=True)
        if before is not None:
            shutil.copytree(before, cache)
        runs.append(first_run(argv, env))
    return First(runs)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="20,1000,10000", help="policies of the one-list cases ('' for none)")
    ap.add_argument("--library", default="200x50", help="LISTSxPOLICIES of the library case ('' for none)")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--first-runs", type=int, default=3, help="first runs of each case (their median is reported)")
    ap.add_argument("--query", action="append", help="query to time (repeatable); default 数据中心, 数据中兴 and a question")
    ap.add_argument("--write", nargs=4, metavar=("N", "FIRST", "FILE", "KIND"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.write:  # run as a child, so that this process stays small (see `run`)
        make = distinct if args.write[3] == "distinct" else synthetic
        Path(args.write[2]).write_text(make(int(args.write[0]), int(args.write[1])), encoding="utf-8")
        return 0
    queries = args.query or ["数据中心", "数据中兴", "有没有支持建设智慧社区的补贴"]
    script = Path(sys.executable).with_name("policy")
    policy = [str(script)] if script.exists() else [sys.executable, "-m", "policycli"]
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # bytecode reused, as on an installed system
    print(f"host yardstick: {yardstick(env) * 1000:.0f} ms, two at once {yardstick_pair(env) * 1000:.0f} ms",
          file=sys.stderr)

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        cases: list[tuple[str, str, list[str], dict[str, str]]] = []  # (case, query, argv, env)
        first: dict[str, First] = {}
        sizes: dict[str, tuple[int, Path]] = {}
        for n in (int(s) for s in args.sizes.split(",") if s):
            data = write(tmp, f"policies-{n}", n)
            cache = tmp / f"cache-{n}"
            case = f"{n:,}"
            for query in queries:
                argv = policy + ["--data", str(data), "search", query]
                if case not in first:  # the first query parses the YAML and builds the cache
                    first[case] = first_runs(argv, dict(env, POLICY_CACHE_DIR=str(cache)), args.first_runs, cache)
                else:
                    first_run(argv, dict(env, POLICY_CACHE_DIR=str(cache)))
                cases.append((case, query, argv, dict(env, POLICY_CACHE_DIR=str(cache))))
            sizes[case] = (data.stat().st_size, cache)
            print(f"{case}: first run {first[case]}, {first[case][1] / 1024:.0f} MiB", file=sys.stderr)
        library = Library(tmp, args.library, policy, queries, env, args.first_runs) if args.library else None
        if library:
            cases += library.add(args.library.split("x")[0], first, sizes)
        times, peaks = cached_runs(cases, args.runs)
        report(cases, times, peaks, first, sizes)
        if library:  # one list more: its first run, then cached runs beside the first case's again
            baseline = [c for c in cases if c[0] == cases[0][0]]
            more = baseline + library.add(1, first, sizes)
            times, peaks = cached_runs(more, args.runs)
            report(more, times, peaks, first, sizes, head=False)
    return 0


YARDSTICK = [sys.executable, "-c", "import typer, rich.console, rich.table"]


def yardstick(env: dict[str, str], runs: int = 7) -> float:
    """Median wall time (s) of a process that imports what every command imports (Typer, Rich):
    how fast the host is just now, to read the first runs by (the same code's first runs took
    2.2–2.3 s and 3.6–4.8 s on one machine on one day)."""
    return statistics.median(run(YARDSTICK, env)[0] for _ in range(runs))


def yardstick_pair(env: dict[str, str], runs: int = 7) -> float:
    """Median wall time (s) of two such processes started together, until both have ended: how
    fast the host's two cores are just now. A first run indexes on the second core while the
    first one checks; one process alone does not see what slows the second (two runs of this
    benchmark a minute apart, at the same single yardstick, had first runs 1.4 s apart)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        procs = [subprocess.Popen(YARDSTICK, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
                 for _ in range(2)]
        for proc in procs:
            proc.wait()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


class Library:
    """A library folder ($XDG_DATA_HOME/policycli/lists/) filled with synthetic lists, searched with
    `policy search` (the shipped list and every list of the folder)."""

    def __init__(self, tmp: Path, shape: str, policy: list[str], queries: list[str], env: dict[str, str],
                 tries: int = 1) -> None:
        self.count, self.each = (int(x) for x in shape.split("x"))
        self.made = tmp / "made"
        self.folder = tmp / "data" / "policycli" / "lists"
        self.folder.mkdir(parents=True)
        self.made.mkdir()
        self.argvs = [policy + ["search", query] for query in queries]
        self.queries = queries
        self.env = dict(env, XDG_DATA_HOME=str(tmp / "data"), POLICY_CACHE_DIR=str(tmp / "cache-library"))
        self.env.pop("POLICY_DATA", None)
        self.lists = 0
        self.tries = tries

    def add(self, count: int | str, first: dict[str, First], sizes: dict[str, tuple[int, Path]]) -> list[tuple]:
        """Add `count` lists, time the first run after, and give the cases to time cached."""
        import shutil

        for number in range(self.lists, self.lists + int(count)):
            path = write(self.made, f"list-{number:04d}", self.each, number * self.each, "distinct")
            shutil.copy(path, self.folder / path.name)
        self.lists += int(count)
        name = f"{self.lists}×{self.each}"
        cache = Path(self.env["POLICY_CACHE_DIR"])
        before = None
        if cache.exists():  # each first run starts from the cache of the lists before
            before = cache.with_name(cache.name + "-before")
            shutil.rmtree(before, ignore_errors=True)
            shutil.copytree(cache, before)
        cases = []
        for query, argv in zip(self.queries, self.argvs, strict=True):
            if name not in first:  # the first query reads the new lists and builds their cache
                first[name] = first_runs(argv, self.env, self.tries, cache, before)
            else:
                first_run(argv, self.env)
            cases.append((name, query, argv, self.env))
        sizes[name] = (sum(p.stat().st_size for p in self.folder.iterdir()), cache)
        print(f"{name}: first run {first[name]}, {first[name][1] / 1024:.0f} MiB", file=sys.stderr)
        return cases


def cached_runs(cases: list[tuple], runs: int) -> tuple[dict, dict]:
    """Cached runs, interleaved over all cases and queries so that a change in machine load during
    the benchmark weighs on every case alike: in each round, each query over every case one after
    the other (the first case's run and each other case's of that query are a second apart, so
    their ratio is taken under one machine load: see `report`)."""
    times: dict[tuple[str, str], list[float]] = {(c, q): [] for c, q, _, _ in cases}
    peaks: dict[tuple[str, str], int] = {(c, q): 0 for c, q, _, _ in cases}
    queries = list(dict.fromkeys(q for _, q, _, _ in cases))
    by_query = [c for q in queries for c in cases if c[1] == q]
    for _ in range(runs):
        for case, query, argv, env in by_query:
            elapsed, rss, _ = run(argv, env)
            times[case, query].append(elapsed)
            peaks[case, query] = max(peaks[case, query], rss)
    return times, peaks


def report(cases: list[tuple], times: dict, peaks: dict, first: dict, sizes: dict, head: bool = True) -> None:
    cache_sizes = {c: sum(f.stat().st_size for f in cache.glob("*.entry")) if cache.exists() else 0
                   for c, (_, cache) in sizes.items()}
    smallest = cases[0][0]
    if head:
        print("| policies (lists×policies: a library, beside the shipped 20) | query | cached run, median | vs first case, median of rounds "
              "| peak RSS, cached | first run (parses, builds cache) | peak RSS, first run | dataset | cache |")
        print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for number, (case, query, _, _) in enumerate(cases):
        median = statistics.median(times[case, query])
        # the median of the rounds' ratios: each of a run and the first case's run of its round
        ratio = statistics.median(t / f for t, f in zip(times[case, query], times[smallest, query], strict=True))
        built = number == 0 or cases[number - 1][0] != case
        first_text, first_peak = (str(first[case]), f"{first[case][1] / 1024:.0f} MiB") if built else ("", "")
        print(f"| {case} | {query} | {median * 1000:.0f} ms | {ratio:.2f}× | {peaks[case, query] / 1024:.0f} MiB | "
              f"{first_text} | {first_peak} | {sizes[case][0] / 1024:,.0f} KiB | {cache_sizes[case] / 1024:,.0f} KiB |")


if __name__ == "__main__":
    sys.exit(main())

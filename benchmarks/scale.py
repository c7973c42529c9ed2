#!/usr/bin/env python3
"""How `policy search` scales with the size of the dataset.

Generates synthetic datasets (the 20 shipped policies varied into N policies, valid for the
loader) in a temporary dir, then for each N times whole-process runs of
`policy --data FILE search QUERY`: the first run, which parses the YAML and builds the cache,
and the median of several runs with the cache warm (interleaved over all sizes and queries). Peak memory is the largest resident set of
those processes (os.wait4 gives the getrusage of each child), for the first run and for the
cached runs apart.

Usage: python benchmarks/scale.py [--sizes 20,1000,10000] [--runs 7] [--query 数据中心 ...]
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


def synthetic(n: int) -> str:
    """The shipped dataset with its policies varied into `n` (ids, numbers and texts differ)."""
    import yaml

    data = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))
    base = data["policies"]
    out = []
    for i in range(n):
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


def run(argv: list[str], env: dict[str, str]) -> tuple[float, int, int]:
    """Wall time (s), peak RSS (KiB) and exit code of one whole process.

    A child's peak RSS starts from this process's size when it forks, so this process never
    holds a dataset itself (they are written by a child)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    return elapsed, usage.ru_maxrss, os.waitstatus_to_exitcode(status)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="20,1000,10000")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--query", action="append", help="query to time (repeatable); default 数据中心, 数据中兴 and a question")
    ap.add_argument("--write", nargs=2, metavar=("N", "FILE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.write:  # run as a child, so that this process stays small (see `run`)
        Path(args.write[1]).write_text(synthetic(int(args.write[0])), encoding="utf-8")
        return 0
    queries = args.query or ["数据中心", "数据中兴", "有没有支持建设智慧社区的补贴"]
    script = Path(sys.executable).with_name("policy")
    policy = [str(script)] if script.exists() else [sys.executable, "-m", "policycli"]

    with tempfile.TemporaryDirectory() as tmp:
        cases = []  # (n, query, argv, env)
        first: dict[int, tuple[float, int]] = {}
        sizes: dict[int, tuple[int, Path]] = {}
        for n in (int(s) for s in args.sizes.split(",")):
            data = Path(tmp) / f"policies-{n}.yaml"
            subprocess.run([sys.executable, __file__, "--write", str(n), str(data)], check=True)
            cache = Path(tmp) / f"cache-{n}"
            env = dict(os.environ, POLICY_CACHE_DIR=str(cache))
            env.pop("PYTHONDONTWRITEBYTECODE", None)  # bytecode reused, as on an installed system
            for query in queries:
                argv = policy + ["--data", str(data), "search", query]
                elapsed, rss, code = run(argv, env)
                if code not in (0, 1):
                    raise SystemExit(f"{' '.join(argv)} exited {code}")
                first.setdefault(n, (elapsed, rss))  # the first query parsed the YAML and built the cache
                cases.append((n, query, argv, env))
            sizes[n] = (data.stat().st_size, cache)
            print(f"N={n:>6}: first run {first[n][0]:.2f} s, {first[n][1] / 1024:.0f} MiB", file=sys.stderr)
        # Cached runs, interleaved over all sizes and queries so that a change in machine load
        # during the benchmark weighs on every case alike.
        times: dict[tuple[int, str], list[float]] = {(n, q): [] for n, q, _, _ in cases}
        peaks: dict[tuple[int, str], int] = {(n, q): 0 for n, q, _, _ in cases}
        for _ in range(args.runs):
            for n, query, argv, env in cases:
                elapsed, rss, _ = run(argv, env)
                times[n, query].append(elapsed)
                peaks[n, query] = max(peaks[n, query], rss)
        cache_sizes = {n: sum(f.stat().st_size for f in cache.glob("*.pickle")) for n, (_, cache) in sizes.items()}

    smallest = min(sizes)
    print("| policies | query | cached run, median | vs 20 policies | peak RSS, cached | first run (parses, builds cache) | peak RSS, first run | dataset | cache |")
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for number, (n, query, _, _) in enumerate(cases):
        median = statistics.median(times[n, query])
        ratio = median / statistics.median(times[smallest, query])
        built = number == 0 or cases[number - 1][0] != n
        first_text, first_peak = (f"{first[n][0]:.2f} s", f"{first[n][1] / 1024:.0f} MiB") if built else ("", "")
        print(f"| {n:,} | {query} | {median * 1000:.0f} ms | {ratio:.2f}× | {peaks[n, query] / 1024:.0f} MiB | "
              f"{first_text} | {first_peak} | {sizes[n][0] / 1024:,.0f} KiB | {cache_sizes[n] / 1024:,.0f} KiB |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

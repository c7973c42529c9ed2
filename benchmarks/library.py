#!/usr/bin/env python3
"""How `policy search` scales with the number of lists in the library.

Fills a temporary library ($XDG_DATA_HOME) with N synthetic lists of M policies each (texts made of
phrases of the shipped list, shuffled, so that no two policies are the same policy continued), then
times whole-process runs of `policy search QUERY`: the first run over the full library, which reads
every list and builds the cache, and the median of several cached runs, interleaved with cached
runs over the shipped list alone (an empty library). The bar: cached search over 200 lists of 50
policies within 2x the one-list search.

Usage: python benchmarks/library.py [--lists 200] [--policies 50] [--runs 9] [--query 数据中心 ...]
"""
from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent / "data" / "policies.yaml"


def synthetic_list(data: dict, k: int, size: int, phrases: list[str], rng: random.Random) -> dict:
    """List k: `size` policies of shuffled phrases, without award or condition blocks (they quote
    the text verbatim), in the shipped list's parts and offices."""
    sections = data["parts"][0]["sections"]
    policies = []
    for i in range(size):
        words = rng.sample(phrases, 8)
        policies.append({
            "id": f"p{k}x{i}",
            "part": 1,
            "section": sections[i % len(sections)],
            "number": i + 1,
            "title": "".join(words[:2])[:20],
            "keywords": words[2:4],
            "lead_units": ["区工信局"],
            "offices": [data["offices"][i % len(data["offices"])]["name"]],
            "content": "，".join(words) + "。",
        })
    parts = [{k2: v for k2, v in data["parts"][0].items() if k2 != "count"}]
    return dict(data, title=f"第{k}份测试清单", year=2000 + k % 25, batch=f"第{k % 9 + 1}批", parts=parts,
                policies=policies)


def fill(home: Path, lists: int, size: int) -> None:
    import yaml

    data = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))
    phrases = sorted({p for policy in data["policies"] for p in re.split(r"[，。；、：]", policy["content"]) if 4 <= len(p) <= 30})
    rng = random.Random(19)
    folder = home / "policycli" / "lists"
    folder.mkdir(parents=True)
    for k in range(lists):
        text = yaml.safe_dump(synthetic_list(data, k, size, phrases, rng), allow_unicode=True, sort_keys=False)
        (folder / f"测试{k:03d}.yaml").write_text(text, encoding="utf-8")


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    start = time.perf_counter()
    proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    return time.perf_counter() - start, proc.returncode, proc.stderr.decode("utf-8", "replace")[-300:]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lists", type=int, default=200)
    ap.add_argument("--policies", type=int, default=50)
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--query", action="append")
    args = ap.parse_args()
    queries = args.query or ["数据中心", "数据中兴", "有没有支持建设智慧社区的补贴"]
    policy = [sys.executable, "-m", "policycli"]
    with tempfile.TemporaryDirectory() as tmp:
        full, empty = Path(tmp) / "full", Path(tmp) / "empty"
        empty.mkdir()
        fill(full, args.lists, args.policies)
        base = dict(os.environ, POLICY_CACHE_DIR=str(Path(tmp) / "cache"))
        base.pop("POLICY_DATA", None)
        envs = {"one list": dict(base, XDG_DATA_HOME=str(empty)), "library": dict(base, XDG_DATA_HOME=str(full))}
        first, code, err = timed([*policy, "search", queries[0]], envs["library"])
        if code != 0:
            print(f"search over the library failed ({code}): {err}", file=sys.stderr)
            return 2
        listed, _, _ = timed([*policy, "list", "--format", "json"], envs["library"])
        print(f"{args.lists} lists x {args.policies} policies: first search {first:.2f} s (reads every list, "
              f"builds the cache); a cached `list` {listed:.2f} s")
        for env in envs.values():  # warm both
            for q in queries:
                timed([*policy, "search", q], env)
        times: dict[tuple[str, str], list[float]] = {}
        for _ in range(args.runs):
            for q in queries:
                for name, env in envs.items():
                    times.setdefault((name, q), []).append(timed([*policy, "search", q], env)[0])
        for q in queries:
            one = statistics.median(times[("one list", q)])
            many = statistics.median(times[("library", q)])
            print(f"{q}: one list {one * 1000:.0f} ms, library {many * 1000:.0f} ms, ratio {many / one:.2f} (bar 2.0)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

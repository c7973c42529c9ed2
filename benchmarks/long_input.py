"""Long input: times of `policy contacts` and `policy search` with very long queries (the whole
process, median, and the lookup itself in-process, best of the runs), and the time and peak memory of building the search index of a dataset with one very long text.

The queries are one character repeated (信, the start of 信息化管理科, so every name is a candidate),
a phrase repeated and a mix of Latin letters and digits. The long text replaces the content of one
policy of the shipped data with N characters of GB 2312 text that never repeats a phrase (so no
memo helps), with a comma every 10 to 60 characters, or, with --one-run, without any break.

    python benchmarks/long_input.py [--runs 3] [--sizes 100000,1000000,3000000] [--one-run] [--index-only]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

POLICY = [sys.executable, "-m", "policycli"]

QUERIES = [("信", "信"), ("信息画管理科", "phrase"), ("a1", "latin")]

INDEX_CHILD = r"""
import json, random, resource, sys, time
from dataclasses import replace
from policycli.load import load_catalog
from policycli.search.index import build_index

size, one_run = int(sys.argv[1]), sys.argv[2] == "1"
chars = []
for high in range(0xB0, 0xD8):  # level 1 of GB 2312: the 3,755 common characters
    for low in range(0xA1, 0xFF):
        try:
            chars.append(bytes((high, low)).decode("gb2312"))
        except UnicodeDecodeError:
            pass
rng = random.Random(1)
pieces, length = [], 0
while length < size:
    n = rng.randint(10, 60)
    pieces.append("".join(rng.choice(chars) for _ in range(n)) + ("" if one_run else "，"))
    length += n + (0 if one_run else 1)
text = "".join(pieces)[:size]
catalog = load_catalog(None)
policies = tuple(replace(p, content=p.content + text) if p.id == "techretrofit" else p for p in catalog.policies)
catalog = replace(catalog, policies=policies, digest="")
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
build_index(catalog)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "before_kib": before, "peak_kib": peak}))
"""


def wall(args: list[str]) -> tuple[float, int]:
    start = time.perf_counter()
    done = subprocess.run(POLICY + args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start, done.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="100000,1000000,3000000", help="lengths of the long text, comma-separated")
    parser.add_argument("--one-run", action="store_true", help="the long text without any punctuation")
    parser.add_argument("--index-only", action="store_true", help="time the index only, not the queries")
    args = parser.parse_args()

    os.environ.setdefault("POLICY_CACHE_DIR", tempfile.mkdtemp(prefix="policy-bench-"))
    wall(["search", "数据中心"])  # the shipped data's cache and index, built once
    if not args.index_only:
        queries(args.runs)
    index(args.sizes, args.one_run)


def in_process(command: str, query: str, runs: int) -> float:
    """Best time of the lookup itself (the dataset loaded), without the process's start-up."""
    from policycli.contacts.directory import find_contacts
    from policycli.errors import PolicyError
    from policycli.load import load_catalog_cached
    from policycli.search.rank import search

    catalog = load_catalog_cached(None)
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        try:
            find_contacts(catalog, query) if command == "contacts" else search(catalog, query)
        except PolicyError:
            pass
        best = min(best, time.perf_counter() - start)
    return best


def queries(runs: int) -> None:
    print(f"{'command':<10}{'query':<8}{'characters':>12}{'process s':>11}{'lookup s':>10}{'exit':>6}")
    for command, lengths in (("contacts", (10_000, 40_000)), ("search", (1_000, 10_000, 40_000))):
        for unit, name in QUERIES:
            for length in lengths:
                query = (unit * (length // len(unit) + 1))[:length]
                results = [wall([command, query]) for _ in range(runs)]
                median = statistics.median(t for t, _ in results)
                lookup = in_process(command, query, runs)
                print(f"{command:<10}{name:<8}{length:>12,}{median:>11.2f}{lookup:>10.3f}{results[0][1]:>6}")
    print()


def index(sizes: str, one_run: bool) -> None:
    print(f"{'index: text of':>16}{'seconds':>10}{'peak RSS MiB':>14}{'before build MiB':>18}")
    for size in (int(s) for s in sizes.split(",")):
        child = subprocess.run([sys.executable, "-c", INDEX_CHILD, str(size), "1" if one_run else "0"],
                               capture_output=True, text=True, check=True)
        figures = json.loads(child.stdout)
        print(f"{size:>16,}{figures['seconds']:>10.1f}{figures['peak_kib'] / 1024:>14.0f}{figures['before_kib'] / 1024:>18.0f}")


if __name__ == "__main__":
    main()

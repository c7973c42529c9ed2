#!/usr/bin/env python3
"""Cold-start cost of `policy search 数据中心` against the bare Typer + Rich floor app.

Both run as fresh processes with the same Python, in pairs whose order alternates, after the
search cache and the bytecode have been warmed; the figure is the median of the per-pair wall-time ratios.

Usage: python benchmarks/cold_start.py [--runs 30] [--floor PATH] [--query 数据中心]
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
DEFAULT_FLOOR = HERE.parent.parent / "shared" / "bench" / "floor_app.py"


def timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed with exit {proc.returncode}: {proc.stderr.decode()[-300:]}")
    return elapsed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=30, help="number of pairs (default 30)")
    ap.add_argument("--floor", default=str(DEFAULT_FLOOR), help="path of floor_app.py")
    ap.add_argument("--query", default="数据中心")
    args = ap.parse_args()
    if not Path(args.floor).is_file():
        print(f"cold_start: the floor app {args.floor} is not present; it comes with ../shared (the project's "
              "shared folder beside the checkout), or give one with --floor PATH", file=sys.stderr)
        return 2

    python = sys.executable
    policy = [python, "-c", "import sys; from policycli.cli.app import main; sys.exit(main())"]
    script = Path(python).with_name("policy")
    if script.exists():
        policy = [str(script)]
    ours = policy + ["search", args.query]
    floor = [python, args.floor, "search", args.query]

    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, POLICY_CACHE_DIR=cache)
        env.pop("NO_COLOR", None)
        # As on an installed system: compiled bytecode is written once and reused (a developer
        # shell with PYTHONDONTWRITEBYTECODE would otherwise recompile every module on every run).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        for _ in range(3):  # build the cache, warm the page cache and the .pyc files
            timed(ours, env)
            timed(floor, env)
        ratios, t_ours, t_floor = [], [], []
        for i in range(args.runs):
            if i % 2:
                a = timed(ours, env)
                b = timed(floor, env)
            else:
                b = timed(floor, env)
                a = timed(ours, env)
            t_ours.append(a)
            t_floor.append(b)
            ratios.append(a / b)
    print(f"pairs {args.runs} · policy search median {statistics.median(t_ours) * 1000:.0f} ms · "
          f"floor median {statistics.median(t_floor) * 1000:.0f} ms")
    print(f"median ratio {statistics.median(ratios):.3f} (bar: 1.2)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

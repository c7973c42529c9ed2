"""Cold-run timings of `policy contacts`, whole process, median of several runs.

Each kind of query takes a different path: an office, person, unit or policy is matched as typed
(no pinyin); a typo and a miss load pypinyin. Completion is timed too. When ../shared/bench/floor_app.py
is present (a bare Typer app printing a 20-row Rich table), it is timed alongside as the floor.

    python benchmarks/contacts_bench.py [--runs 9]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOOR = ROOT.parent / "shared" / "bench" / "floor_app.py"
POLICY = [sys.executable, "-m", "policycli"]

CASES = [
    ("directory", ["contacts"], {}),
    ("office fragment", ["contacts", "信息化"], {}),
    ("person", ["contacts", "陈辉平"], {}),
    ("lead unit", ["contacts", "区财政局"], {}),
    ("policy number", ["contacts", "2-1"], {}),
    ("vcard, all", ["contacts", "--format", "vcard"], {}),
    ("typo (pinyin)", ["contacts", "信息画"], {}),
    ("not found", ["contacts", "张三"], {}),
    ("completion", [], {"_POLICY_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "policy contacts 信息"}),
]


def wall(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    runs = [(name, POLICY + argv, env) for name, argv, env in CASES]
    if FLOOR.is_file():
        runs.insert(0, ("floor app", [sys.executable, str(FLOOR), "search", "数据中心"], {}))
    wall(POLICY + ["contacts"], {})  # warm the file cache once
    print(f"{'case':<18}{'median s':>10}{'min s':>8}")
    for name, cmd, env in runs:
        times = [wall(cmd, env) for _ in range(args.runs)]
        print(f"{name:<18}{statistics.median(times):>10.3f}{min(times):>8.3f}")


if __name__ == "__main__":
    main()

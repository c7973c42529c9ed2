#!/usr/bin/env python3
"""How `policy diff` scales: two lists of N policies each (scale.py's synthetic list, and a next
version of it), timed as whole processes with their peak memory.

Two next versions:
- `revision`: the list reordered and renumbered with new ids, 3 % of the policies dropped, 2 %
  added, and 10 % of the texts edited (a sentence added);
- `all-edited`: every text edited, reordered, new ids: nothing pairs by identical text, so every
  pair is found by similarity.

Usage: python benchmarks/diff.py [--sizes 300,3000] [--runs 1]
The bar (issue 21): 3,000 against 3,000 in under 10 s and 500 MiB.
"""
from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
EDIT = "（本条款2025年继续执行，具体以申报通知为准）"


def next_version(text: str, kind: str, seed: int = 21) -> str:
    """The list in `text` as its next version of the given kind (see the module's docstring)."""
    import yaml

    data = yaml.safe_load(text)
    rng = random.Random(seed)
    policies = data["policies"]
    if kind == "revision":
        kept = [p for p in policies if rng.random() >= 0.03]
        added = [dict(p, id=f"{p['id'][:20]}new{i}", content=f"新设：{p['content']}（新增）")
                 for i, p in enumerate(rng.sample(policies, max(1, len(policies) // 50)))]
        edited = set(rng.sample(range(len(kept)), len(kept) // 10))
        policies = [dict(p, content=p["content"] + EDIT) if i in edited else p for i, p in enumerate(kept)] + added
    else:
        policies = [dict(p, content=p["content"] + EDIT) for p in policies]
    rng.shuffle(policies)
    for number, policy in enumerate(policies):
        policy["id"] = f"v2{policy['id'][:26]}{number}"
        policy["number"] = number + 1000
    data["policies"] = policies

    class Expanded(yaml.SafeDumper):
        def ignore_aliases(self, data):
            return True

    return yaml.dump(data, Dumper=Expanded, allow_unicode=True, sort_keys=False, width=1000)


def write(n: int, folder: Path) -> dict[str, Path]:
    sys.path.insert(0, str(HERE))
    from scale import synthetic

    old = synthetic(n)
    paths = {"old": folder / f"old-{n}.yaml"}
    paths["old"].write_text(old, encoding="utf-8")
    for kind in ("revision", "all-edited"):
        paths[kind] = folder / f"{kind}-{n}.yaml"
        paths[kind].write_text(next_version(old, kind), encoding="utf-8")
    return paths


def run(argv: list[str]) -> tuple[float, float, int]:
    """Wall time (s), CPU time (s: user and system, which other work on the machine does not
    stretch) and peak RSS (KiB) of one whole process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"{' '.join(argv)} exited {code}: {proc.stderr.read().decode('utf-8', 'replace')[-500:]}")
    proc.stderr.close()
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="300,3000")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--write", nargs=2, metavar=("N", "DIR"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.write:  # run as a child, so that this process stays small
        write(int(args.write[0]), Path(args.write[1]))
        return 0
    script = Path(sys.executable).with_name("policy")
    policy = [str(script)] if script.exists() else [sys.executable, "-m", "policycli"]
    print("| policies | next version | time (best of runs) | CPU time (best) | peak RSS |")
    print("| ---: | --- | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(s) for s in args.sizes.split(",")):
            subprocess.run([sys.executable, __file__, "--write", str(n), tmp], check=True)
            old = Path(tmp) / f"old-{n}.yaml"
            for kind in ("revision", "all-edited"):
                argv = policy + ["diff", str(old), str(Path(tmp) / f"{kind}-{n}.yaml"), "--format", "json"]
                results = [run(argv) for _ in range(args.runs)]
                best = min(r[0] for r in results)
                cpu = min(r[1] for r in results)
                peak = max(r[2] for r in results)
                print(f"| {n:,} | {kind} | {best:.1f} s | {cpu:.1f} s | {peak / 1024:.0f} MiB |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

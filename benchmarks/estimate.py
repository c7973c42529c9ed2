"""Time what `policy estimate` costs: loading (with award validation), one estimate, the CLI run.

Run: python benchmarks/estimate.py
"""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from policycli.awards.rules import estimate
from policycli.load import load_catalog

DATA = Path(__file__).resolve().parent.parent / "data" / "policies.yaml"


def best_of(runs: int, call) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    load = best_of(20, lambda: load_catalog(DATA))
    catalog = load_catalog(DATA)
    loan = catalog.get("loansubsidy")
    one = best_of(200, lambda: estimate(loan, {"loan": "800万", "signed": "2024-03"}))
    every = best_of(20, lambda: [estimate(p, {"invest": "1", "rd": "1", "rd_last": "0", "loan": "1", "signed": "2024-03",
                                              "cost": "1", "level": "市级", "count": "1"})
                                 for p in catalog.policies if p.id not in ("iiplatform", "smartcommunity")])
    cli = best_of(5, lambda: subprocess.run([sys.executable, "-m", "policycli", "estimate", "loansubsidy", "--loan", "800万",
                                             "--signed", "2024-03"], capture_output=True, check=True))
    print(f"load_catalog (20 policies, awards validated): {load * 1000:.1f} ms")
    print(f"one loan estimate: {one * 1000:.2f} ms")
    print(f"18 estimates: {every * 1000:.1f} ms")
    print(f"policy estimate loansubsidy (whole process): {cli * 1000:.0f} ms")


if __name__ == "__main__":
    main()

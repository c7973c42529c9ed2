#!/usr/bin/env python3
"""Search quality on the judged queries kept in ../shared/eval (the project's shared folder beside
the checkout): runs ../shared/eval/search_eval.py with the given arguments, or exits 2 saying
that folder is missing.

Usage: python benchmarks/search_eval.py [-v] [--queries FILE] ...
"""
from __future__ import annotations

import runpy
import sys
from pathlib import Path

EVAL = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "search_eval.py"


def main() -> int:
    if not EVAL.is_file():
        print(f"search_eval: {EVAL} is not present; the judged queries come with ../shared, "
              "the project's shared folder beside the checkout", file=sys.stderr)
        return 2
    sys.argv = [str(EVAL), *sys.argv[1:]]
    runpy.run_path(str(EVAL), run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main())

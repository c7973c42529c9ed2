"""Scripts that need ../shared say so in one line and exit 2 when it is missing."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def run(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *argv], capture_output=True, text=True, timeout=60)


def test_cold_start_without_the_floor_app_exits_2_in_one_line():
    proc = run(str(BENCHMARKS / "cold_start.py"), "--floor", "/nonexistent/floor_app.py")
    assert proc.returncode == 2
    assert len(proc.stderr.splitlines()) == 1 and "../shared" in proc.stderr and "--floor" in proc.stderr


def test_search_eval_without_shared_exits_2_in_one_line(tmp_path):
    # A checkout with nothing beside it: the script copied two levels below an empty folder.
    copy = tmp_path / "repo" / "benchmarks" / "search_eval.py"
    copy.parent.mkdir(parents=True)
    shutil.copy(BENCHMARKS / "search_eval.py", copy)
    proc = run(str(copy), "-v")
    assert proc.returncode == 2
    assert len(proc.stderr.splitlines()) == 1 and "../shared" in proc.stderr

"""Time `policy` on hostile values: each special YAML scalar (huge numbers, deep nesting, aliases,
escapes) as every profile value and in a few dataset fields, in-process, best of the runs. The bar
is 2 s a run; tests/test_fuzz.py checks what such runs answer, this script how long they take.

Run: python benchmarks/hostile_inputs.py [--runs 3]
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import typer.main
from typer.testing import CliRunner

from policycli.cli.app import app

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data" / "policies.yaml"
BAR = 2.0
VALUES = ["9" * 5000, "1e999", "[[[[[[[[]]]]]]]]", "&a [*a]", "{<<: 5}", "!!binary aGk=", "2024-02-30",
          '"\\e[31m红\\e[0m"', '"\\x9b2J"', "-3000万", "12%"]
PROFILE_KEYS = ("invest", "signed", "years", "lpr", "entity", "recognitions", "name", "figures")
DATASET_FIELDS = ("        base: invest", "      kind: switch", '    title: "技术改造设备投资奖补"')


def cases(folder: Path) -> list[tuple[str, list[str]]]:
    """(label, argv) of every hostile run."""
    shipped = DATA.read_text(encoding="utf-8")
    found = []
    for i, value in enumerate(VALUES):
        for key in PROFILE_KEYS:
            profile = folder / f"p{i}-{key}.yaml"
            profile.write_text(f"{key}: {value}\n", encoding="utf-8")
            found.append((f"profile {key}: {value[:20]}", ["match", "--profile", str(profile), "--format", "json"]))
        for field in DATASET_FIELDS:
            name, _, _ = field.strip().partition(":")
            data = folder / f"d{i}-{name}.yaml"
            assert field in shipped, field
            data.write_text(shipped.replace(field, f"{field.split(':')[0]}: {value}", 1), encoding="utf-8")
            found.append((f"dataset {name}: {value[:20]}", ["--data", str(data), "show", "techretrofit"]))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    command, runner = typer.main.get_command(app), CliRunner()
    with tempfile.TemporaryDirectory() as tmp:
        times = []
        for label, argv in cases(Path(tmp)):
            best = float("inf")
            for _ in range(args.runs):
                start = time.perf_counter()
                with runner.isolation():
                    try:
                        command.main(argv, prog_name="policy")
                    except SystemExit:
                        pass
                best = min(best, time.perf_counter() - start)
            times.append((best, label))
    times.sort(reverse=True)
    print(f"{len(times)} hostile runs, best of {args.runs}; slowest:")
    for best, label in times[:5]:
        print(f"  {best * 1000:8.1f} ms  {label}")
    print("met" if times[0][0] < BAR else "NOT met", f"(every run < {BAR:g} s)")


if __name__ == "__main__":
    main()

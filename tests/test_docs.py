"""Every `$ policy …` example in README.md and docs/ shows the command's real output."""
from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from conftest import invoke


ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def examples(path: Path) -> list[tuple[str, str]]:
    """(command, shown output) for each `$ policy` line of each console block."""
    found = []
    for block in re.findall(r"```console\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.S):
        for chunk in re.split(r"^(?=\$ )", block, flags=re.M):
            if chunk.startswith("$ policy "):
                command, _, shown = chunk.partition("\n")
                found.append((command[len("$ policy "):], shown))
    return found


def real_output(command: str, monkeypatch) -> str:
    monkeypatch.chdir(ROOT)
    result = invoke(*shlex.split(command), env={"COLUMNS": "80", "NO_COLOR": None})
    return "".join(line.rstrip() + "\n" for line in (result.stdout + result.stderr).splitlines())


CASES = [(path.name, command, shown) for path in DOCS for command, shown in examples(path)]


def test_the_docs_have_examples():
    assert {name for name, _, _ in CASES} >= {"README.md", "estimate.md"}
    assert len(CASES) >= 7


@pytest.mark.parametrize("doc, command, shown", CASES, ids=[f"{d}: {c}" for d, c, _ in CASES])
def test_example_output_is_real(doc, command, shown, monkeypatch):
    real = real_output(command, monkeypatch)
    if shown.endswith("…\n"):  # an excerpt: the lines shown are the first lines of the output
        shown = shown[: -len("…\n")]
        assert real.startswith(shown)
    else:
        assert real == shown

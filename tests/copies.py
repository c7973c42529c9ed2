"""The shipped list with a policy copied, each copy's text changed: a list whose policies share
their award and condition blocks, as the long lists written by hand do."""
from __future__ import annotations

from conftest import DATASET


def with_copies(*changes: tuple[str, str], pid: str = "techretrofit", number: int = 3) -> bytes:
    """The shipped list with policy `pid` (numbered `number`) copied once per change as copy0,
    copy1, … (numbered 90, 91, …), the change replacing `old` with `new` in the copy."""
    text = DATASET.read_text(encoding="utf-8")
    start = text.index(f"  - id: {pid}\n")
    end = text.find("  - id: ", start + 1)
    policy = text[start:] if end < 0 else text[start:end]
    copies = [policy.replace(f"id: {pid}", f"id: copy{i}").replace(f"number: {number}\n", f"number: {90 + i}\n")
              .replace(old, new) for i, (old, new) in enumerate(changes)]
    return (text.rstrip("\n") + "\n" + "".join(copies)).encode("utf-8")


def line_in_copy(raw: bytes, copy: int, fragment: str) -> int:
    """The line of the first `fragment` in copy number `copy`."""
    text = raw.decode("utf-8")
    return text[: text.index(fragment, text.index(f"id: copy{copy}\n"))].count("\n") + 1

"""Errors the core raises, and how an interface words them.

An error carries what went wrong in words of no interface, a stable machine `code`, which input it
concerns (`field`), the `value` given, the `valid` forms or candidates, and `next`: what the person
can do next, as a key each interface words (the CLI with a command, a page with where to look, the
API with an address). Where a message names an input it holds a mark (`named`, `given`) that each
interface turns into its own words: `--invest` on the command line, “年度设备投资额” on a page.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

MARK = r"⟦([+~]?)([a-z_]+)\|([^⟦⟧]*)⟧( 的值)?( ?)"  # compiled when first used: not at every start


def named(name: str, label: str) -> str:
    """A mark naming the input `name` (an estimate input, a profile key or a setting) in a message;
    followed by " 的值" it speaks of the value given to it."""
    return f"⟦{name}|{label}⟧"


def given(name: str, label: str) -> str:
    """A mark for giving the input `name`: "加 --major" on the command line, "勾选“…”" on a page."""
    return f"⟦+{name}|{label}⟧"


def fact(name: str, label: str) -> str:
    """A mark for the fact `name` of a profile in a message about the value given for it. Where the
    value was written names it already (`--set invest=…`, a line of a profile file), the message
    says "年度设备投资额 的值" before 的值 and nothing without; a form names it by its field
    ("年度设备投资额：")."""
    return f"⟦~{name}|{label}⟧"


def _no_next(key: str, error: Any) -> str:
    return ""


class Wording:
    """How one interface words the marks and the next steps of the core's messages."""

    def __init__(self, name: Callable[[str, str], str], give: Callable[[str, str], str],
                 next: Callable[[str, Any], str] = _no_next, value: Callable[[str, str], str] | None = None,
                 field: Callable[[str, str], str] | None = None):
        self.name = name  # (name, label) → how the input is named
        self.give = give  # (name, label) → how the input is given
        self.next = next  # (next-step key, error) → the sentence appended, with its punctuation
        self.value = value  # (name, label) → "the value of the input", when not "name 的值"
        self.field = field  # (name, label) → a fact named by the field it was given in (see `fact`)

    def text(self, message: str) -> str:
        def word(match: re.Match[str]) -> str:
            kind, name, label, of_value, space = match.groups()
            if kind == "~":
                text = self.field(name, label) if self.field else f"{label}{of_value}" if of_value else ""
            elif kind:
                text = self.give(name, label) + (of_value or "")
            elif of_value and self.value is not None:
                text = self.value(name, label)
            else:
                text = self.name(name, label) + (of_value or "")
            return text if text.endswith(("”", "：")) else text + space  # no blank after a quote

        return re.sub(MARK, word, message) if "⟦" in message else message


# Words of no interface: an input by its label (for texts kept in results, e.g. a match's note).
PLAIN = Wording(name=lambda name, label: f"“{label}”", give=lambda name, label: f"注明“{label}”",
                value=lambda name, label: f"“{label}”的值")


def plain(message: str) -> str:
    return PLAIN.text(message)


class PolicyError(Exception):
    """Base class: `lines` (with marks) are shown one per line; `worded` puts them in an interface's words."""

    exit_code = 2
    default_code = "error"

    def __init__(self, lines: Sequence[str] | str, *, code: str | None = None, field: str | None = None,
                 value: Any = None, valid: Sequence[str] = (), next: str | None = None):
        self.lines = [lines] if isinstance(lines, str) else list(lines)
        self.code = code or self.default_code
        self.field, self.value, self.valid, self.next = field, value, tuple(valid), next
        super().__init__("\n".join(plain(line) for line in self.lines))

    @classmethod
    def like(cls, other: PolicyError) -> PolicyError:
        """`other` as this kind of error, with its message and structure."""
        return cls(other.lines, code=other.code, field=other.field, value=other.value, valid=other.valid,
                   next=other.next)

    def worded(self, wording: Wording) -> list[str]:
        lines = [wording.text(line) for line in self.lines]
        if self.next and lines:
            lines[-1] += wording.next(self.next, self)
        return lines

    def to_jsonable(self) -> dict[str, Any]:
        """The structure beside the message: code, and field, value and valid forms when known."""
        out: dict[str, Any] = {"code": self.code}
        if self.field is not None:
            out["field"] = self.field
        if self.value is not None:
            out["value"] = str(self.value)
        if self.valid:
            out["valid"] = list(self.valid)
        if self.next:
            out["next"] = self.next
        return out


class DataError(PolicyError):
    """The dataset is missing, unreadable or invalid (exit 2)."""

    default_code = "bad_data"


class InputError(PolicyError):
    """A value the user gave is not usable (exit 2)."""

    default_code = "bad_input"


class ManyProblems(InputError):
    """Everything wrong in what a user gave (an enterprise profile), one problem a line, perhaps
    hundreds: an interface lists the first few and counts the rest."""


class NotFound(PolicyError):
    """Nothing matched what the user asked for (exit 1)."""

    exit_code = 1
    default_code = "not_found"


_OS_REASONS = {
    "ENOENT": "路径不存在",
    "EACCES": "没有权限",
    "EPERM": "没有权限",
    "EROFS": "只读文件系统",
    "ENOSPC": "磁盘空间不足",
    "EDQUOT": "超出磁盘配额",
    "EISDIR": "这是一个目录",
    "ENOTDIR": "路径中有一部分不是目录",
    "ENAMETOOLONG": "文件名太长",
    "EBUSY": "文件正被占用",
    "EADDRINUSE": "端口已被占用",
    "EADDRNOTAVAIL": "本机没有这个地址",
}


def os_reason(exc: OSError) -> str:
    """Why the system refused, in Chinese (the system's own text is English)."""
    import errno

    name = errno.errorcode.get(exc.errno or 0, "")
    return _OS_REASONS.get(name, f"系统错误 {name or exc.errno}")

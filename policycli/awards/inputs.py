"""The inputs an award estimate can take: names, labels, kinds, and parsing of what people type.

Each interface names an input its own way (an option, a form field, a query parameter); messages
name it by a mark (`errors.named`). Values may be the raw text people type ("3000万", "2024-03",
"3.1%") or already typed (Decimal, int, date, bool).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from ..errors import InputError, given, named
from .input_table import KNOWN
from .money import checked_amount, parse_amount, parse_count, parse_percent

KINDS = ("money", "month", "count", "choice", "flag", "rate")


@dataclass(frozen=True)
class InputSpec:
    """One input a policy's estimate takes."""

    name: str
    label: str  # Chinese
    kind: str  # money | month | count | choice | flag | rate
    choices: tuple[str, ...] = ()  # Chinese names, for kind "choice"
    required: bool = True
    keys: tuple[str, ...] = ()  # short ASCII keys aligned with `choices`
    default: Any = None
    unless: str | None = None  # not required when this other input is given
    maximum: int | None = None  # for counts
    several: bool = False  # a choice that may name several levels at once ("标杆型×2、基础型×3")

    @property
    def mark(self) -> str:
        """The input named in a message; each interface words it (`errors.named`)."""
        return named(self.name, self.label)

    @property
    def sample(self) -> str:
        """An example of a value as people type it ("" for a flag, which takes none)."""
        if self.kind == "choice":  # the Chinese name as people say it, first of its alternatives
            return (self.choices or self.keys or ("?",))[0].split("/")[0]
        return {"money": "3000万", "month": "2024-03", "count": "2", "rate": "3.1%"}.get(self.kind, "")

    @property
    def give(self) -> str:
        """Giving the input, marked for a message: "加 --major" on the command line (`errors.given`)."""
        return given(self.name, self.label)

    @property
    def example(self) -> str:
        """The input and an example value, marked for a message: "--invest 3000万" on the command line."""
        return given(self.name, self.label) if self.kind == "flag" else f"{self.mark} {self.sample}"


def spec(name: str, label: str | None = None, **fields: Any) -> InputSpec:
    kind, default_label = KNOWN[name]
    return InputSpec(name=name, label=label or default_label, kind=kind, **fields)


def merge(specs: list[InputSpec]) -> list[InputSpec]:
    """One spec per name, in first-seen order; required if any use requires it, choices united."""
    merged: dict[str, InputSpec] = {}
    for item in specs:
        seen = merged.get(item.name)
        if seen is None:
            merged[item.name] = item
            continue
        choices, keys = list(seen.choices), list(seen.keys)
        for i, choice in enumerate(item.choices):
            if choice not in choices:
                choices.append(choice)
                keys.append(item.keys[i] if i < len(item.keys) else "")
        merged[item.name] = replace(seen, required=seen.required or item.required, several=seen.several or item.several,
                                    choices=tuple(choices), keys=tuple(keys) if any(keys) else ())
    return list(merged.values())


class MissingInputs(InputError):
    """Required inputs are absent; `.names` lists them (input names, e.g. ["invest"]); `any_of`: one
    of them is enough. Code `missing_inputs`: found before estimating (every required input named);
    `missing_input`: one a rule reached while estimating."""

    def __init__(self, message: str, names: list[str], *, any_of: bool = False, code: str = "missing_inputs"):
        super().__init__(message, code=code, field=names[0] if names else None, valid=names)
        self.names = list(names)
        self.any_of = any_of


def absent(value: Any) -> bool:
    return value is None or value is False or (isinstance(value, str) and not value.strip())


_TRUE = {"true", "yes", "y", "1", "是", "对"}
_FALSE = {"false", "no", "n", "0", "否", "不是"}


def coerce(item: InputSpec, value: Any) -> Any:
    """A typed value for `item` from what the user or a profile gave; InputError when unusable."""
    option = item.mark
    if item.kind == "money":
        if isinstance(value, bool):
            raise InputError(f"{option} 需要金额，请写成 30000000、3000万 或 0.3亿")
        if isinstance(value, (int, Decimal)):
            return checked_amount(Decimal(value), option, str(value))
        return parse_amount(str(value), option)
    if item.kind == "count":
        text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
        number = parse_count(str(text), option)
        if number < 1:  # "0 个基地" asks for nothing: say so instead of estimating 0
            raise InputError(f"{option} 的值“{value}”过小，{item.label}至少为 1")
        if item.maximum is not None and not 1 <= number <= item.maximum:
            raise InputError(f"{option} 的值“{value}”超出范围，应为 1 到 {item.maximum}")
        return number
    if item.kind == "month":
        from .lpr import parse_month

        return parse_month(value, option)
    if item.kind == "rate":
        text = format(value, "f") if isinstance(value, (int, Decimal)) and not isinstance(value, bool) else str(value)
        return parse_percent(text, option, low=Decimal("0.5"), high=Decimal(20))
    if item.kind == "flag":
        if isinstance(value, bool):
            return value
        folded = str(value).strip().lower()
        if folded in _TRUE | _FALSE:
            return folded in _TRUE
        raise InputError(f"{option} 的值“{value}”无效，是就{given(item.name, item.label)}，不是就省略")
    return value if isinstance(value, (str, date)) else str(value)

"""Amounts in a query: 300万, 300万元, 0.3亿, 20%, 1000万元 are each a term of their own that
matches only a whole amount of the text, written the same way: 3000万 never matches the 300万 of
最高300万元, nor 00万 the end of 1000万."""
from __future__ import annotations

import re

# digits (with a decimal part) and an optional unit; 万元 and 亿元 as 万 and 亿
_AMOUNT = re.compile(r"(?<![\d.a-z])(\d+(?:\.\d+)?)\s*(万元|亿元|万|亿|元|%)?(?![\da-z])")
_WHOLE = re.compile(r"\d+(?:\.\d+)?(?:万|亿|元|%)?")


def _unit(match: re.Match[str]) -> str:
    number, unit = match.group(1), match.group(2) or ""
    return f" {number}{unit[:1]} "


def marked(text: str) -> str:
    """The text with each amount set apart as a word of its own (万元 written 万), phone numbers
    and other long runs of digits left as they are."""
    return _AMOUNT.sub(lambda m: m.group() if len(m.group(1)) >= 7 and not m.group(2) else _unit(m), text)


def is_amount(term: str) -> bool:
    """A term that is an amount (or a bare number of fewer than seven digits: not a phone)."""
    return bool(_WHOLE.fullmatch(term)) and (not term.isdigit() or len(term) < 7)


def whole_at(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is a whole amount of the text: no digit or decimal point just
    before it, no digit just after (300万 in 最高300万元, not in 3000万)."""
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    return not (before.isdigit() or before == ".") and not after.isdigit() and not (
        after == "." and end + 1 < len(text) and text[end + 1].isdigit())

"""Amounts in a query: 300万, 300万元, 0.3亿, 20%, 1000万元 are each a term of their own that
matches only a whole amount of the text, written the same way: 3000万 never matches the 300万 of
最高300万元, nor 00万 the end of 1000万."""
from __future__ import annotations

import re
from decimal import Decimal

# digits (with a decimal part) and an optional unit; 万元 and 亿元 as 万 and 亿
_AMOUNT = re.compile(r"(?<![\d.a-z])(\d+(?:\.\d+)?)\s*(万元|亿元|万|亿|元|%)?(?![\da-z])")
_WHOLE = re.compile(r"\d+(?:\.\d+)?(?:万|亿|元|%)?")


# English amounts: RMB 3 million, 3 million yuan, 1.5m, RMB 500,000, 2 billion
_CURRENCY = r"(?:rmb|cny|yuan|¥)"
_ENGLISH_SCALED = re.compile(rf"(?:{_CURRENCY}\s*)?(?<![\d.,])(\d+(?:\.\d+)?)\s*(million|mln|mn|m|billion|bn)\b(?:\s*{_CURRENCY}\b)?")
_ENGLISH_PLAIN = re.compile(rf"{_CURRENCY}\s*(\d{{1,3}}(?:,\d{{3}})+|\d+)(?![\d.,])|(?<![\d.,])(\d{{1,3}}(?:,\d{{3}})+|\d+)\s*{_CURRENCY}\b")


def from_english(text: str) -> str:
    """English amounts as the lists write them: RMB 3 million → 300万, 2 billion yuan → 20亿,
    RMB 500,000 → 50万 (a folded, lower-case query; others unchanged)."""
    if not any(ch.isascii() and ch.isalpha() for ch in text):
        return text

    def scaled(m: re.Match[str]) -> str:
        if m.group(2) in ("m", "mn") and not re.search(_CURRENCY, m.group()):
            return m.group()  # 5 m: metres as likely as millions
        number = Decimal(m.group(1)) * (100 if m.group(2).startswith("m") else 10)
        return f" {_plain(number)}{'万' if m.group(2).startswith('m') else '亿'} "

    def plain(m: re.Match[str]) -> str:
        number = Decimal((m.group(1) or m.group(2)).replace(",", ""))
        return f" {_plain(number / 10000)}万 " if number >= 10000 else f" {_plain(number)}元 "

    return _ENGLISH_PLAIN.sub(plain, _ENGLISH_SCALED.sub(scaled, text))


# Chinese numerals before a unit, as typed on a phone: 五百万, 两千万, 一千二百万元, 三十万 (not 千万
# alone, which is also "by all means", nor 一千多万, which is no exact amount).
_CHINESE_AMOUNT = re.compile(r"(?<![零一二两三四五六七八九十百千])([一二两三四五六七八九十][零一二两三四五六七八九十百千]*)(万元|亿元|万|亿|元)")
_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SCALES = {"十": 10, "百": 100, "千": 1000}


def from_chinese(text: str) -> str:
    """Amounts written in Chinese numerals as digits: 五百万 → 500万, 两千万元 → 2000万元,
    十二万 → 12万 (others unchanged)."""
    if not any(ch in _SCALES or ch in _DIGITS for ch in text):
        return text

    def digits(m: re.Match[str]) -> str:
        number = _numeral(m.group(1))
        return m.group() if number is None else f"{number}{m.group(2)}"

    return _CHINESE_AMOUNT.sub(digits, text)


def _numeral(text: str) -> int | None:
    """The value of a Chinese numeral below ten thousand (一千二百, 十二, 三十), None when it is
    not one written the usual way."""
    total, digit = 0, None
    for ch in text:
        if ch in _DIGITS:
            if digit is not None and digit != 0:
                return None  # 五五: two digits in a row is no numeral of this kind
            digit = _DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * _SCALES[ch]
            digit = None
    return total + (digit or 0)


def _plain(number: Decimal) -> str:
    return format(number.normalize(), "f")


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

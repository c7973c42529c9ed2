"""How the items and headings of a published list are numbered: `1` `1.` `1、` `（1）` `①` `一、`
`（一）` `第一条` `第一部分`, in full-width or half-width brackets, with Chinese numerals of any size.
A numbered text is split into its style, its value and the rest of the text."""
from __future__ import annotations

import re
from dataclasses import dataclass

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
CN = "零〇一二两三四五六七八九十百千万"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# Style names, outermost first where lists agree on an order (a part is 第一部分 or 一、, a
# section （一）, an item 1. or （1）); the reader decides per document which style is the item.
PART_WORD = "part_word"  # 第一部分、第一章
CN_DUN = "cn"  # 一、
CN_PAREN = "cn_paren"  # （一）
ARTICLE = "article"  # 第一条
ARABIC = "arabic"  # 1. 1、 1．
ARABIC_PAREN = "arabic_paren"  # （1）
CIRCLED_STYLE = "circled"  # ①

PATTERNS = (
    (PART_WORD, re.compile(rf"^第\s*([{CN}\d]+)\s*(?:部分|章|篇)\s*[、:：.．]?\s*")),
    (ARTICLE, re.compile(rf"^第\s*([{CN}\d]+)\s*条\s*[、:：.．]?\s*")),
    (CN_PAREN, re.compile(rf"^[（(]\s*([{CN}]+)\s*[）)]\s*[、.．]?\s*")),
    (ARABIC_PAREN, re.compile(r"^[（(]\s*(\d{1,6})\s*[）)]\s*[、.．]?\s*")),
    (CN_DUN, re.compile(rf"^([{CN}]+)\s*[、.．]\s*")),
    (ARABIC, re.compile(r"^(\d{1,6})\s*(?:[、]|[.．](?!\d))\s*")),
    (CIRCLED_STYLE, re.compile(rf"^([{CIRCLED}])\s*")),
)
BARE = re.compile(r"^\s*(\d{1,6}|[一二三四五六七八九十百千]+)\s*[.．、]?\s*$")  # a number cell of a table


@dataclass(frozen=True)
class Numbered:
    style: str
    value: int
    rest: str


def cn_number(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零五 → 105, 10 → 10; None if `text` is not a number."""
    if text.isdigit():
        return int(text)
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in DIGITS:
            digit = DIGITS[ch]
        elif ch in UNITS:
            unit = UNITS[ch]
            if unit == 10000:
                total = (total + section + (digit or 0)) * unit
                section = 0
            else:
                section += (1 if digit is None else digit) * unit
            digit = None
        else:
            return None
    value = total + section + (digit or 0)
    return value if value > 0 else None


def numbered(text: str) -> Numbered | None:
    """The numbering `text` starts with, or None."""
    for style, pattern in PATTERNS:
        match = pattern.match(text)
        if match is None:
            continue
        raw = match.group(1)
        value = CIRCLED.index(raw) + 1 if style == CIRCLED_STYLE else cn_number(raw)
        if value is None:
            continue
        rest = text[match.end():].strip()
        if style in (CN_DUN, ARABIC) and not rest:
            return None
        return Numbered(style, value, rest)
    return None


def cell_number(text: str) -> int | None:
    """The number of a table's number cell (`1`, `1.`, `一`, `10000`), or None."""
    match = BARE.match(text)
    return cn_number(match.group(1)) if match else None

"""Money and the numbers people type: amounts in 元 / 万 / 亿, percentages, counts.

Everything is `decimal.Decimal`; nothing here ever goes through a float.
"""
from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from ..errors import InputError

WAN = Decimal(10000)
YI = Decimal(100000000)
FEN = Decimal("0.01")
YUAN = Decimal(1)
MAX_AMOUNT = Decimal(10) ** 13  # 10 万亿元: anything larger is a typo, not an enterprise's figure

_UNITS = {"": Decimal(1), "元": Decimal(1), "万": WAN, "万元": WAN, "亿": YI, "亿元": YI}
# 30000000 · 30,000,000 · 3000.5 · 3000万 · 0.3亿元 (digits grouped by three when commas are used)
_AMOUNT = re.compile(r"^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(元|万元?|亿元?)?$", re.ASCII)
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$", re.ASCII)


def _fold(text: str) -> str:
    """Full-width digits, commas and signs to ASCII; spaces removed."""
    folded = unicodedata.normalize("NFKC", str(text)).strip()
    return folded.replace("，", ",").replace("−", "-").replace(" ", "")


def amount_hint(option_name: str, text: str) -> str:
    return f"{option_name} 的值“{text}”不是金额，请写成 30000000、3000万 或 0.3亿"


def parse_amount(text: str, option_name: str) -> Decimal:
    """An amount in 元 from what people write: 30000000, 30,000,000, ３０００万, 3000万元, 0.3亿.

    Raises `InputError` (one Chinese line naming the option) for non-numeric, negative or absurd values.
    """
    raw = str(text).strip()
    folded = _fold(raw)
    match = _AMOUNT.match(folded)
    if not match:
        raise InputError(amount_hint(option_name, raw))
    sign, whole, fraction, unit = match.groups()
    value = Decimal(whole.replace(",", "") + (fraction or "")) * _UNITS[unit or ""]
    return checked_amount(-value if sign == "-" else value, option_name, raw)


def checked_amount(value: Decimal, option_name: str, raw: str) -> Decimal:
    """`value` itself when it is a plausible amount; InputError naming the option otherwise."""
    if value < 0:
        raise InputError(f"{option_name} 的值“{raw}”是负数，金额不能为负，请写成 0 或正数")
    if value > MAX_AMOUNT:
        raise InputError(f"{option_name} 的值“{raw}”超过 10 万亿元，不像真实金额，请检查位数和单位（万、亿）")
    return abs(value)  # -0 → 0


def parse_percent(text: str, option_name: str, *, low: Decimal, high: Decimal) -> Decimal:
    """A percentage as a fraction: "3.1%" or "3.1" → Decimal("0.031"); must lie in [low, high] percent."""
    raw = str(text).strip()
    folded = _fold(raw).rstrip("%")
    if not _NUMBER.match(folded):
        raise InputError(f"{option_name} 的值“{raw}”不是百分数，请写成 3.1% 这样的形式")
    value = Decimal(folded)
    if not low <= value <= high:
        raise InputError(f"{option_name} 的值“{raw}”不在 {low}%–{high}% 之间，请写成 3.1% 这样的百分数")
    return value / 100


def parse_count(text: str, option_name: str, *, low: int = 0, high: int = 10000) -> int:
    """A whole number low..high ("3", "３", "3个")."""
    raw = str(text).strip()
    folded = _fold(raw).removesuffix("个").removesuffix("年")
    if not (folded.isascii() and folded.isdigit()):
        raise InputError(f"{option_name} 的值“{raw}”不是整数，请写成 1、2、3 这样的个数")
    digits = folded.lstrip("0") or "0"
    if len(digits) > len(str(high)):  # also keeps int() away from thousands of digits
        raise InputError(f"{option_name} 的值“{raw}”过大，不能超过 {high}")
    value = int(digits)
    if value < low:
        raise InputError(f"{option_name} 的值“{raw}”过小，不能小于 {low}")
    if value > high:
        raise InputError(f"{option_name} 的值“{raw}”过大，不能超过 {high}")
    return value


def rate_of(text: str) -> Decimal:
    """A percentage written in the dataset ("12%") as a fraction; raises ValueError when malformed."""
    folded = _fold(text)
    if not folded.endswith("%") or not _NUMBER.match(folded[:-1]) or folded.startswith(("-", "+")):
        raise ValueError(text)
    try:
        return Decimal(folded[:-1]) / 100
    except InvalidOperation:  # pragma: no cover - the pattern already rules this out
        raise ValueError(text) from None


def round_to(value: Decimal, unit: Decimal = FEN) -> Decimal:
    """Half-up rounding to 分 (or to 元 with unit=YUAN)."""
    return value.quantize(unit, rounding=ROUND_HALF_UP)


def plain_number(value: Decimal) -> str:
    """A decimal without exponent or pointless trailing zeros: 22.4250 → 22.425, 3.6E+2 → 360."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def format_wan(value: Decimal) -> str:
    """万元 without pointless zeros: 3,600,000 → 360万元; 224,250 → 22.425万元."""
    return f"{plain_number(round_to(value) / WAN)}万元"


def format_yuan(value: Decimal) -> str:
    """The house style for money: "3,600,000.00 元（360万元）"."""
    return f"{round_to(value):,.2f} 元（{format_wan(value)}）"


def format_percent(fraction: Decimal) -> str:
    """0.12 → "12%", 0.01725 → "1.725%"."""
    return f"{plain_number(fraction * 100)}%"

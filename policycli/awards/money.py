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

# Chinese numerals as written in offices and on invoices (小写 and 大写); 两 is 2, 〇/零 are 0.
_DIGITS = {**{c: i for i, c in enumerate("零一二三四五六七八九")}, **{c: i for i, c in enumerate("〇壹贰叁肆伍陆柒捌玖")},
           "两": 2, "貳": 2, "參": 3, "陸": 6}
_DIGITS["〇"] = 0
_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_LARGE = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
_PREFIXES = ("人民币", "RMB", "CNY", "¥")
_SUFFIXES = ("元整", "圆整", "整", "元", "圆")
# The currency written after the amount, as contracts do; brackets are ASCII after NFKC folding
_CURRENCY_AFTER = re.compile(r"\(?\s*(?:人民币|RMB|CNY)\s*\)?\s*整?$", re.IGNORECASE)
# 30,000,000 · 30 000 000 · 3000.5 (digits grouped by three when separators are used)
_ARABIC = re.compile(r"\d{1,3}(?:[,' ]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+", re.ASCII)
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$", re.ASCII)


def _fold(text: str) -> str:
    """Full-width digits, commas and signs to ASCII; spaces removed."""
    folded = unicodedata.normalize("NFKC", str(text)).strip()
    return folded.replace("，", ",").replace("−", "-").replace(" ", "")


# Foreign currencies people of the new area write; the list's amounts are all 人民币
_FOREIGN = re.compile("美元|美金|欧元|日元|日圆|韩元|韩币|港元|港币|英镑|澳元|台币|US\\$|\\$|€|£|₩|"
                      "(?<![A-Za-z])(?:USD|EUR|JPY|KRW|HKD|GBP|AUD|TWD|dollars?|euros?|yen|won)(?![A-Za-z])",
                      re.IGNORECASE)
_COUNTED = re.compile("[0-9零〇一二三四五六七八九十百千万亿两壹贰叁肆伍陆柒捌玖拾佰仟]")


def amount_hint(option_name: str, text: str) -> str:
    return f"{option_name} 的值“{text}”不是金额，请写成 30000000、3000万 或 0.3亿"


def parse_amount(text: str, option_name: str) -> Decimal:
    """An amount in 元 from what people write: 30000000, 30,000,000, ３０００万, 3000万元, 0.3亿, 3千万,
    三千万, 叁仟万元整, 3000w, ¥3000万, 人民币3,000万元, 3000万元人民币, 3000万元（人民币）, RMB 30 million.

    Raises `InputError` (one Chinese line naming the option) for non-numeric, negative or absurd values,
    and for amounts that could be read more than one way (the message says how it was read).
    """
    raw = str(text).strip()
    if not raw:
        raise InputError(amount_hint(option_name, raw))
    folded = unicodedata.normalize("NFKC", raw).strip().replace("，", ",").replace("−", "-").replace("－", "-")
    folded = re.sub(r"\s+", " ", folded)
    foreign = _FOREIGN.search(folded)
    if foreign and _COUNTED.search(folded):
        raise InputError(f"{option_name} 的值“{raw}”是外币（{foreign.group(0)}）：金额只认人民币，"
                         "请按人民币折算后再写，如 3000万")
    sign = ""
    if folded[:1] and folded[:1] in "+-":
        sign, folded = folded[0], folded[1:].strip()
    for prefix in _PREFIXES:
        if folded.upper().startswith(prefix):
            folded = folded[len(prefix):].strip()
            break
    if folded[:1] and folded[:1] in "+-" and not sign:
        sign, folded = folded[0], folded[1:].strip()
    currency_after = _CURRENCY_AFTER.search(folded)
    if currency_after and currency_after.start() > 0:  # 3000万元人民币, 3000万RMB, 3000万元（人民币）
        folded = folded[: currency_after.start()].strip()
    for suffix in _SUFFIXES:
        if folded.endswith(suffix) and len(folded) > len(suffix):
            folded = folded[: -len(suffix)].strip()
            break
    folded = re.sub(r"(?<=[\d.])[wW]$", "万", folded)
    if re.search(r"[A-Za-z]", folded) and re.search(r"\d", folded):
        return checked_amount(_read_english(folded, option_name, raw, negative=sign == "-"), option_name, raw)
    value = _read_decimal(folded, option_name, raw) if "点" in folded else _read_number(folded, option_name, raw)
    return checked_amount(-value if sign == "-" else value, option_name, raw)


_ENGLISH_SCALES = {"thousand": Decimal(1000), "million": Decimal(10) ** 6, "billion": Decimal(10) ** 9}
_ENGLISH = re.compile(r"^(?:rmb|cny)?\s?(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)\s?"
                      r"(?:(thousand|million|billion)s?)?\s?(?:yuan|rmb|cny)?$", re.ASCII | re.IGNORECASE)


def _read_english(text: str, option_name: str, raw: str, *, negative: bool) -> Decimal:
    """30 million, 2.5 million yuan, 3 billion RMB, 500 thousand: as foreign-invested firms write amounts."""
    match = _ENGLISH.match(text)
    if match is None:
        raise InputError(f"{option_name} 的值“{raw}”不是金额：英文只认 million、billion、thousand"
                         f"（可带 RMB、CNY、yuan），请写成 30 million、3000万 或 30000000")
    number, scale = match.groups()
    value = Decimal(number.replace(",", "")) * (_ENGLISH_SCALES[scale.lower()] if scale else 1)
    return -value if negative else value


_CHINESE_DECIMAL = re.compile(r"^(.+?)点([0-9零〇一二三四五六七八九两壹贰叁肆伍陆柒捌玖]+)([万萬亿億]?)$")


def _read_decimal(text: str, option_name: str, raw: str) -> Decimal:
    """一百二十三点四五万 → 1234500: a whole number, 点, one digit per place, then at most one 万 or 亿."""
    match = _CHINESE_DECIMAL.match(text)
    if match is None:
        raise InputError(amount_hint(option_name, raw))
    whole, places, unit = match.groups()
    if unit and any(c in _LARGE for c in whole):
        raise InputError(amount_hint(option_name, raw))  # 一万二点五万
    digits = "".join(c if c.isdigit() else str(_DIGITS[c]) for c in places)
    value = _read_number(whole, option_name, raw) + Decimal(f"0.{digits}")
    return value * _LARGE[unit] if unit else value


def _read_number(text: str, option_name: str, raw: str) -> Decimal:
    """The value of digits mixed with Chinese numerals and 十/百/千/万/亿 units."""
    tokens: list[Decimal | str] = []
    tail = ""  # the digits of the last number written in digits, for "1234万5678"
    i = 0
    while i < len(text):
        match = _ARABIC.match(text, i)
        if match:
            run = tail = match.group()
            if re.search(r"[,' ]", run) is None and re.match(r"\d{1,3}[,' ]\d", text[i:]):
                ungrouped = re.sub(r"(?<=[0-9])[,' ](?=[0-9])", "", text)  # the unit kept: 3,00,0万 → 3000万
                raise InputError(f"{option_name} 的值“{raw}”分组不对：千分位逗号应每三位一个，请不带逗号写成 {ungrouped}")
            tokens.append(Decimal(re.sub(r"[,' ]", "", run)))
            i = match.end()
            continue
        char = text[i]
        if char in "零〇" and tokens and isinstance(tokens[-1], str):
            tokens.append("零")  # 三千零五十: the 零 only says a place is empty
        elif char in _DIGITS:
            tokens.append(Decimal(_DIGITS[char]))
        elif char in _SMALL or char in _LARGE:
            tokens.append(char)
        elif char == " " and tokens:  # "3000 万"
            pass
        else:
            raise InputError(amount_hint(option_name, raw))
        if char != " ":
            tail = ""
        i += 1
    if not tokens:
        raise InputError(amount_hint(option_name, raw))
    return _combine(tokens, option_name, raw, tail)


def _combine(tokens: list[Decimal | str], option_name: str, raw: str, tail: str = "") -> Decimal:
    """十/百/千 scale the number before them within a 万 or 亿 section; 万 and 亿 scale the section.

    `tail` is the last token as written when it was digits: after 万 four digits (亿: eight) are the
    remainder itself, 1234万5678 = 12345678."""
    total = Decimal(0)  # the 亿 sections
    wan = Decimal(0)  # the 万 section
    section = Decimal(0)
    number: Decimal | None = None
    last_small = 10**5
    last_large = 10**9
    previous: Decimal | str | None = None
    zero = False
    for token in tokens:
        if token == "零":
            zero = True  # until the next unit: 三千零五 is 3005, 一万零三千五 still ends in a bare 五
            continue
        if isinstance(token, Decimal):
            if isinstance(previous, Decimal):
                raise InputError(amount_hint(option_name, raw))  # "3 4": two numbers
            number = token
        elif token in _SMALL:
            unit = _SMALL[token]
            if unit >= last_small or (number is None and not (unit == 10 and section == 0)):
                raise InputError(amount_hint(option_name, raw))
            section += (Decimal(1) if number is None else number) * unit
            number, last_small, zero = None, unit, False
        else:
            unit = _LARGE[token]
            part = section + (number or 0)
            if previous is None or previous in _LARGE or unit >= last_large or (unit == 10**4 and wan):
                raise InputError(amount_hint(option_name, raw))
            if number is not None and not zero and 10 < last_small < 10**5 and number < 10 \
                    and number == number.to_integral_value():
                _refuse_short_section(section, number, last_small, token, total + wan, option_name, raw)
            if unit == 10**8:
                total = (total + wan + part) * unit
                wan = Decimal(0)
            else:
                wan = part * unit
            section, number, last_small, last_large, zero = Decimal(0), None, 10**5, unit, False
        previous = token
    if number is not None and not zero and 10 < last_small < 10**5 and previous is tokens[-1] and number < 10 \
            and number == number.to_integral_value():
        # "3千5", "三千五": colloquially 3500, but it could be a typo for 3005 or 3千5百万
        read = total + wan + section + number * last_small / 10
        raise InputError(f"{option_name} 的值“{raw}”不明确：可读作 {plain_number(read)}（末位按"
                         f"{_UNIT_NAMES[last_small // 10]}计），请写成 {plain_number(read)} 这样的数字")
    if number is not None and not zero and last_small == 10**5 and last_large < 10**9 and tokens[-1] is number \
            and len(tokens) > 1:
        return _after_large_unit(total + wan, number, last_large, tail, option_name, raw)
    return total + wan + section + (number or 0)


def _after_large_unit(before: Decimal, number: Decimal, large: int, tail: str, option_name: str, raw: str) -> Decimal:
    """A bare number after 万 or 亿 (`large`), following `before`: the remainder itself when written
    with all its places (1234万5678, 1亿23456789); otherwise never guessed."""
    places = len(str(large)) - 1
    if tail.isdigit() and len(tail) == places:
        return before + number
    if tail.isdigit() and len(tail) > 1:
        raise InputError(f"{option_name} 的值“{raw}”不明确：{_LARGE_NAMES[large]}后面的部分应写满 {places} 位"
                         f"（{tail} 写成 {tail.zfill(places)}），或整个金额只用数字写")
    # "3万5": colloquially 35000, but it could be 30005
    read, literal = before + number * (large // 10), before + number
    raise InputError(f"{option_name} 的值“{raw}”不明确：可读作 {plain_number(read)} 或 "
                     f"{plain_number(literal)}，请只用数字写出是哪一个")


def _refuse_short_section(section: Decimal, number: Decimal, last_small: int, large: str, before: Decimal,
                          option_name: str, raw: str) -> None:
    """"三千五万", "3千5万": colloquially 3500万, written out 3005万; never guess which."""
    readings = []
    for part in (section + number * last_small / 10, section + number):
        text = f"{plain_number(part)}{large}"
        readings.append(text if not before else plain_number(before + part * _LARGE[large]))
    colloquial, literal = readings
    raise InputError(f"{option_name} 的值“{raw}”不明确：可读作 {colloquial}（末位按{_UNIT_NAMES[last_small // 10]}计）"
                     f"或 {literal}；指前者请写 {colloquial}，指后者请写 {literal}")


_UNIT_NAMES = {1: "个", 10: "十", 100: "百", 1000: "千", 1000 * 10: "万"}
_LARGE_NAMES = {10**4: "万", 10**8: "亿"}


def bare_yuan_note(label: str, text: str, value: Decimal) -> str | None:
    """The note for a bare number under 1万 read as 元 (finance staff mostly count in 万元); None otherwise."""
    text = text.strip()
    if 0 < value < WAN and text.replace(",", "").replace(".", "", 1).isdigit():
        return f"{label}按元计：{text} 即 {format_yuan(value)}；若指 {text}万元，请写 {text}万"
    return None


def checked_amount(value: Decimal, option_name: str, raw: str) -> Decimal:
    """`value` itself when it is a plausible amount; InputError naming the option otherwise."""
    if value < 0:
        raise InputError(f"{option_name} 的值“{raw}”是负数，金额不能为负，请写成 0 或正数")
    if value > MAX_AMOUNT:
        raise InputError(f"{option_name} 的值“{raw}”超过 10 万亿元，不像真实金额，请检查位数和单位（万、亿）")
    if value != value.quantize(FEN, rounding=ROUND_HALF_UP):
        raise InputError(f"{option_name} 的值“{raw}”细到分以下（按元计小数点后超过两位），金额请写到分")
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
    if folded.startswith("-") and folded[1:].isascii() and folded[1:].isdigit():
        raise InputError(f"{option_name} 的值“{raw}”是负数，不能小于 {low}")
    if folded and len(folded) <= 4 and all(c in _DIGITS or c in "十拾" for c in folded):
        try:  # 三个, 十二年
            folded = str(_read_number(folded, option_name, raw))
        except InputError:
            pass
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

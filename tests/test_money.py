"""Amounts as people type them, and money as users read it."""
import re
from decimal import Decimal

import pytest

from policycli.awards.money import format_wan, format_yuan, parse_amount, parse_count, parse_percent, round_to
from policycli.errors import InputError

THIRTY_MILLION = Decimal(30000000)


@pytest.mark.parametrize("text", [
    "30000000", "30,000,000", "30000000元", "３０００００００", "３０，０００，０００",
    "3000万", "3000万元", "３０００万", "3000 万", "0.3亿", "0.3亿元", "０．３亿", " 3000万 ",
])
def test_every_accepted_spelling_of_thirty_million(text):
    assert parse_amount(text, "--invest") == THIRTY_MILLION


@pytest.mark.parametrize("text", [
    "3千万", "三千万", "叁仟万元", "叁仟万元整", "3000w", "3000W", "¥3000万", "￥3000万", "3000万元整", "人民币3000万元",
    "RMB 30,000,000", "30 000 000", "3,000万", "３千万", "¥30,000,000.00", "0.3亿元", "3.0千万", "两千万",
])
def test_amounts_as_written_in_offices_and_on_invoices(text):
    expected = Decimal(20000000) if text.startswith("两") else THIRTY_MILLION
    assert parse_amount(text, "--invest") == expected


@pytest.mark.parametrize("text", [
    "3000万元人民币", "人民币3000万元整", "3000万元人民币整", "叁仟万元整人民币", "3000万RMB", "3000万 rmb", "RMB3000万元",
    "3000万元（人民币）", "3000万元(人民币)", "CNY 3000万元", "3000万元CNY", "30,000,000.00元人民币", "30 million RMB",
])
def test_the_currency_before_or_after_the_amount_as_contracts_write_it(text):
    assert parse_amount(text, "--invest") == THIRTY_MILLION


@pytest.mark.parametrize("text", ["人民币", "RMB", "3000万元人民币人民币", "（人民币）"])
def test_the_currency_alone_or_twice_is_not_an_amount(text):
    with pytest.raises(InputError, match="不是金额"):
        parse_amount(text, "--invest")


@pytest.mark.parametrize("text, expected", [
    ("三千零五十万", Decimal(30500000)), ("1亿2000万", Decimal(120000000)), ("一亿零三百万", Decimal(103000000)),
    ("十万", Decimal(100000)), ("一万三千", Decimal(13000)), ("3.5千万", Decimal(35000000)), ("3百万", Decimal(3000000)),
    ("壹佰万元整", Decimal(1000000)), ("伍拾万", Decimal(500000)),
    ("1234万5678", Decimal(12345678)), ("1234万0567", Decimal(12340567)), ("1亿23456789", Decimal(123456789)),
    ("1亿2345万6789", Decimal(123456789)), ("1,234万5678元", Decimal(12345678)),
    ("一百二十三点四五万", Decimal(1234500)), ("3点5万", Decimal(35000)), ("一点五亿", Decimal(150000000)),
    ("十二点三四", Decimal("12.34")), ("壹佰点零伍万元", Decimal(1000500)), ("12345.67", Decimal("12345.67")),
])
def test_chinese_numerals(text, expected):
    assert parse_amount(text, "--invest") == expected


@pytest.mark.parametrize("text, message", [
    ("3千5", "--invest 的值“3千5”不明确：可读作 3500（末位按百计），请写成 3500 这样的数字"),
    ("三千五", "--invest 的值“三千五”不明确：可读作 3500（末位按百计），请写成 3500 这样的数字"),
    ("3万5", "--invest 的值“3万5”不明确：可读作 35000 或 30005，请只用数字写出是哪一个"),
    ("1234万567", "--invest 的值“1234万567”不明确：万后面的部分应写满 4 位（567 写成 0567），或整个金额只用数字写"),
    ("1234.567", "--invest 的值“1234.567”细到分以下（按元计小数点后超过两位），金额请写到分"),
    ("1.2345678万", "--invest 的值“1.2345678万”细到分以下（按元计小数点后超过两位），金额请写到分"),
    ("30,00", "--invest 的值“30,00”分组不对：千分位逗号应每三位一个，请不带逗号写成 3000"),
    ("3,00,0万", "--invest 的值“3,00,0万”分组不对：千分位逗号应每三位一个，请不带逗号写成 3000万"),  # the unit kept
    ("1,00,000元", "--invest 的值“1,00,000元”分组不对：千分位逗号应每三位一个，请不带逗号写成 100000"),
    ("三千五万", "--invest 的值“三千五万”不明确：可读作 3500万（末位按百计）或 3005万；指前者请写 3500万，指后者请写 3005万"),
    ("3千5万", "--invest 的值“3千5万”不明确：可读作 3500万（末位按百计）或 3005万；指前者请写 3500万，指后者请写 3005万"),
    ("两千五万", "--invest 的值“两千五万”不明确：可读作 2500万（末位按百计）或 2005万；指前者请写 2500万，指后者请写 2005万"),
    ("3千5亿", "--invest 的值“3千5亿”不明确：可读作 3500亿（末位按百计）或 3005亿；指前者请写 3500亿，指后者请写 3005亿"),
    ("一万三千五", "--invest 的值“一万三千五”不明确：可读作 13500（末位按百计），请写成 13500 这样的数字"),
    ("一万零三千五", "--invest 的值“一万零三千五”不明确：可读作 13500（末位按百计），请写成 13500 这样的数字"),
    ("一亿零三千五万", "--invest 的值“一亿零三千五万”不明确：可读作 135000000（末位按百计）或 130050000；"
                  "指前者请写 135000000，指后者请写 130050000"),
    ("一亿三千五万", "--invest 的值“一亿三千五万”不明确：可读作 135000000（末位按百计）或 130050000；"
                "指前者请写 135000000，指后者请写 130050000"),
])
def test_ambiguous_amounts_say_how_they_were_read(text, message):
    with pytest.raises(InputError) as caught:
        parse_amount(text, "--invest")
    assert str(caught.value) == message


@pytest.mark.parametrize("text, expected", [
    ("三千五百万", Decimal(35000000)), ("三千零五万", Decimal(30050000)), ("3千5百万", Decimal(35000000)),
    ("三十五万", Decimal(350000)), ("一万零五", Decimal(10005)), ("三千零五", Decimal(3005)), ("一亿零五", Decimal(100000005)), ("3千50万", Decimal(30500000)), ("30 万", Decimal(300000)),
])
def test_written_out_sections_before_wan_are_read_as_written(text, expected):
    assert parse_amount(text, "--invest") == expected


@pytest.mark.parametrize("text, expected", [
    ("RMB 30 million", THIRTY_MILLION), ("30 million", THIRTY_MILLION), ("30 Million", THIRTY_MILLION),
    ("3 million yuan", Decimal(3000000)), ("CNY 2.5 million", Decimal(2500000)), ("¥30 million", THIRTY_MILLION),
    ("1.5 billion RMB", Decimal(1500000000)), ("500 thousand", Decimal(500000)), ("RMB30million", THIRTY_MILLION),
    ("30,000 thousand", THIRTY_MILLION), ("30000000 yuan", THIRTY_MILLION),
])
def test_amounts_written_in_english(text, expected):
    assert parse_amount(text, "--invest") == expected


@pytest.mark.parametrize("text", ["30 mio", "30s", "3 lakh", "30 grand"])
def test_other_english_words_are_refused_with_how_to_write_the_amount(text):
    with pytest.raises(InputError) as caught:
        parse_amount(text, "--invest")
    assert str(caught.value) == (f"--invest 的值“{text}”不是金额：英文只认 million、billion、thousand"
                                 "（可带 RMB、CNY、yuan），请写成 30 million、3000万 或 30000000")


@pytest.mark.parametrize("text, currency", [
    ("3000万美元", "美元"), ("３０００万美元", "美元"), ("3000万美元人民币", "美元"), ("3000万日元", "日元"),
    ("5000万韩元", "韩元"), ("300万港币", "港币"), ("$3000万", "$"), ("€300万", "€"), ("3000万USD", "USD"),
    ("USD 30 million", "USD"), ("30 dollars", "dollars"), ("30 million dollars", "dollars"),
])
def test_a_foreign_currency_is_named_and_not_read_as_yuan(text, currency):
    with pytest.raises(InputError) as caught:
        parse_amount(text, "--invest")
    assert str(caught.value) == (f"--invest 的值“{text}”是外币（{currency}）：金额只认人民币，"
                                 "请按人民币折算后再写，如 3000万")


@pytest.mark.parametrize("text", ["won", "dollars", "美元"])
def test_a_currency_without_a_number_is_not_an_amount(text):
    with pytest.raises(InputError, match="不是金额"):
        parse_amount(text, "--invest")


@pytest.mark.parametrize("text", ["1234万5678", "1234万567", "3万5", "1亿5", "1234.567", "三万五"])
def test_no_message_suggests_a_number_the_text_does_not_say(text):
    """A refusal may name readings of what was written, never another amount to claim."""
    try:
        value = parse_amount(text, "--invest")
    except InputError as refused:
        suggested = set(re.findall(r"\d{5,}", str(refused)))
        allowed = {"35000", "30005", "150000000", "100000005"}
        assert suggested <= allowed, str(refused)
    else:
        assert value == Decimal(12345678)


@pytest.mark.parametrize("text", ["3万万", "万", "3百千", "3000万美元", "3 4", "元", "¥", "3千万万",
                                  "点五万", "12点", "一万二点五万", "1点2点3万"])
def test_malformed_amounts_are_not_guessed(text):
    with pytest.raises(InputError):
        parse_amount(text, "--invest")


@pytest.mark.parametrize("text, expected", [
    ("1.5亿元", Decimal(150000000)), ("300万", Decimal(3000000)), ("22.425万", Decimal("224250")),
    ("0", Decimal(0)), ("1234.56", Decimal("1234.56")), ("10000000000000", Decimal(10) ** 13),
])
def test_amounts(text, expected):
    assert parse_amount(text, "--cost") == expected


@pytest.mark.parametrize("text, fragment", [
    ("abc", "不是金额"), ("3000万美元", "是外币（美元）"), ("", "不是金额"), ("1,00,000", "分组不对"),
    ("-5", "不能为负"), ("－3000万", "不能为负"), ("10000000000001", "超过 10 万亿元"), ("1000000亿", "超过 10 万亿元"),
])
def test_bad_amounts_name_the_option_in_one_line(text, fragment):
    with pytest.raises(InputError) as caught:
        parse_amount(text, "--invest")
    message = str(caught.value)
    assert message.startswith("--invest 的值“")
    assert fragment in message and "\n" not in message


def test_non_numeric_message_is_the_documented_one():
    with pytest.raises(InputError, match="^--invest 的值“abc”不是金额，请写成 30000000、3000万 或 0.3亿$"):
        parse_amount("abc", "--invest")


@pytest.mark.parametrize("value, shown", [
    (Decimal(3600000), "3,600,000.00 元（360万元）"),
    (Decimal(224250), "224,250.00 元（22.425万元）"),
    (Decimal("672750.00"), "672,750.00 元（67.275万元）"),
    (Decimal(0), "0.00 元（0万元）"),
    (Decimal("0.005"), "0.01 元（0.000001万元）"),
    (Decimal(20000000), "20,000,000.00 元（2000万元）"),
])
def test_format_yuan(value, shown):
    assert format_yuan(value) == shown


def test_rounding_is_half_up_to_fen():
    assert round_to(Decimal("0.125")) == Decimal("0.13")
    assert round_to(Decimal("2.675")) == Decimal("2.68")  # a float would give 2.67
    assert round_to(Decimal("-0.125")) == Decimal("-0.13")
    assert format_wan(Decimal("12345.678")) == "1.234568万元"


def test_percent_and_count():
    assert parse_percent("3.1%", "--lpr", low=Decimal("0.5"), high=Decimal(20)) == Decimal("0.031")
    assert parse_percent("３.４５", "--lpr", low=Decimal("0.5"), high=Decimal(20)) == Decimal("0.0345")
    with pytest.raises(InputError, match="--lpr 的值“0.031”不在"):
        parse_percent("0.031", "--lpr", low=Decimal("0.5"), high=Decimal(20))
    with pytest.raises(InputError, match="不是百分数"):
        parse_percent("三", "--lpr", low=Decimal("0.5"), high=Decimal(20))
    assert parse_count("３个", "--count") == 3
    with pytest.raises(InputError, match="^--count 的值“-1”是负数，不能小于 0$"):
        parse_count("-1", "--count")
    assert parse_count("三个", "--count") == 3


def test_count_below_its_lower_bound_names_the_bound():
    assert parse_count("1", "--limit", low=1) == 1
    with pytest.raises(InputError, match="^--limit 的值“0”过小，不能小于 1$"):
        parse_count("0", "--limit", low=1)


def test_a_count_with_thousands_of_digits_is_too_large_not_a_crash():
    with pytest.raises(InputError, match="^--count 的值“9{5000}”过大，不能超过 10000$"):
        parse_count("9" * 5000, "--count")
    assert parse_count("0" * 5000 + "3", "--count") == 3

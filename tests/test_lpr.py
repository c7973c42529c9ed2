"""Which LPR applies to a contract month, and the LPR table's validation."""
import re
from datetime import date
from decimal import Decimal

import pytest
from conftest import cli_lines, cli_words

from policycli.awards.lpr import load_lpr, parse_lpr, parse_month, parse_term
from policycli.cli.wording import CLI
from policycli.dataset.yamlfile import parse_located_yaml
from policycli.errors import DataError, InputError


@pytest.fixture(scope="module")
def table():
    return load_lpr()


def quote(table, month, term="1y"):
    return table.quote(parse_month(month), term)


def test_table_is_the_published_change_points(table):
    assert table.source == "中国人民银行授权全国银行间同业拆借中心公布"
    assert len(table.changes) == 15
    assert (table.changes[0].effective, table.changes[0].rates) == (
        date(2019, 8, 20), {"1y": Decimal("0.0425"), "5y": Decimal("0.0485")})
    assert (table.changes[-1].effective, table.changes[-1].rates) == (
        date(2025, 5, 20), {"1y": Decimal("0.0300"), "5y": Decimal("0.0350")})
    assert table.confirmed_through == date(2026, 3, 1)


@pytest.mark.parametrize("month, term, rate", [
    ("2019-08", "1y", "0.0425"),  # first publication of the reformed LPR
    ("2019-09", "1y", "0.0420"),
    ("2019-10", "1y", "0.0420"),  # no change in October: the September value is still published
    ("2020-03", "5y", "0.0475"),
    ("2023-08", "1y", "0.0345"),
    ("2024-01", "5y", "0.0420"),
    ("2024-02", "5y", "0.0395"),  # 5-year changed, 1-year did not
    ("2024-02", "1y", "0.0345"),
    ("2024-03", "1y", "0.0345"),  # the example
    ("2024-06", "1y", "0.0345"),
    ("2024-07", "1y", "0.0335"),  # published 2024-07-22: the value published in July
    ("2024-10", "1y", "0.0310"),
    ("2025-04", "1y", "0.0310"),
    ("2025-05", "1y", "0.0300"),
    ("2026-03", "5y", "0.0350"),
])
def test_value_published_in_the_month(table, month, term, rate):
    assert quote(table, month, term).rate == Decimal(rate)


def test_change_month_names_the_previous_rate(table):
    q = quote(table, "2024-07")
    assert q.previous == (date(2024, 2, 20), Decimal("0.0345"))
    notes = [CLI.text(note) for note in table.describe(q)]
    assert len(notes) == 1 and "7月22日由 3.45% 调整为 3.35%" in notes[0] and "--lpr 3.45%" in notes[0]
    assert table.describe(quote(table, "2024-08")) == []
    assert quote(table, "2024-02", "1y").previous is None  # only the 5-year rate changed that month


def test_effective_date_is_when_the_term_last_changed(table):
    assert quote(table, "2024-03").effective == date(2023, 8, 21)
    assert quote(table, "2024-03", "5y").effective == date(2024, 2, 20)


def test_months_after_the_last_confirmed_one_use_the_last_value_and_warn(table):
    assert table.describe(quote(table, "2026-03")) == []
    q = quote(table, "2026-04")
    assert q.rate == Decimal("0.03") and q.beyond_confirmed
    assert [CLI.text(note) for note in table.describe(q)] == ["LPR 数据只核实到 2026年3月，2026年4月 暂按最后公布值 3.00% 计算，"
                                 "请以人民银行公布值为准，必要时用 --lpr 指定"]


def test_month_before_the_first_publication_is_an_input_error(table):
    with pytest.raises(InputError) as caught:
        quote(table, "2019-07")
    assert re.search("--signed 2019-07 早于现行 LPR 首次公布（2019-08-20）.*--lpr", cli_words(caught.value))
    assert (caught.value.code, caught.value.field, caught.value.value) == ("before_first_lpr", "signed", "2019-07")


@pytest.mark.parametrize("text", ["2024-03", "2024-3", "2024/03", "2024.3", "202403", "2024年3月", "２０２４－０３"])
def test_month_spellings(text):
    assert parse_month(text) == date(2024, 3, 1)


@pytest.mark.parametrize("text", ["2024-13", "2024", "三月", "2024-03-05", ""])
def test_bad_months(text):
    with pytest.raises(InputError) as caught:
        parse_month(text)
    assert re.fullmatch("--signed 的值“.*”不是年月，请写成 2024-03 这样的形式", cli_words(caught.value))


@pytest.mark.parametrize("text, term", [("1y", "1y"), ("1Y", "1y"), ("1年期", "1y"), ("5y", "5y"), ("5年期以上", "5y"), ("五年期", "5y")])
def test_terms(text, term):
    assert parse_term(text) == term


def test_bad_term():
    with pytest.raises(InputError) as caught:
        parse_term("3y")
    assert cli_words(caught.value).startswith("--lpr-term 的值“3y”无效")


def test_bad_table_reports_every_problem_with_its_line():
    text = """source: 测试
confirmed_through: "2024-13"
changes:
  - {date: "2020-02-20", 1y: "4.05%", 5y: "4.75%"}
  - {date: "2020-01-20", 1y: "4.05", 5y: "4.75%"}
  - {date: "someday", 1y: "4.05%", 5y: "4.75%"}
"""
    with pytest.raises(DataError) as caught:
        parse_lpr(parse_located_yaml(text.encode(), "lpr.yaml"), "lpr.yaml")
    assert cli_lines(caught.value) == [
        'lpr.yaml:2: confirmed_through: “2024-13”不是年月，请写成 "2026-03"',
        'lpr.yaml:5: changes[1].1y: “4.05”不是利率，请写成带 % 的文本，如 "3.45%"',
        'lpr.yaml:6: changes[2].date: “someday”不是日期，请写成 "2024-07-22"',
    ]


def test_out_of_order_change_points_are_refused():
    text = 'source: x\nconfirmed_through: "2024-01"\nchanges:\n  - {date: "2020-02-20", 1y: "4%", 5y: "4%"}\n  - {date: "2020-01-20", 1y: "4%", 5y: "4%"}\n'
    with pytest.raises(DataError) as caught:
        parse_lpr(parse_located_yaml(text.encode(), "l.yaml"), "l.yaml")
    assert cli_lines(caught.value) == ["l.yaml:5: changes[1].date: 日期应晚于上一条，请按时间先后排列"]


def test_a_change_dated_with_a_time_of_day_is_refused(tmp_path):
    path = tmp_path / "lpr.yaml"
    path.write_text('source: x\nconfirmed_through: "2026-03"\nchanges:\n'
                    '  - {date: 2019-08-20, 1y: "4.25%", 5y: "4.85%"}\n'
                    '  - {date: 2019-09-20 09:15:00, 1y: "4.20%", 5y: "4.85%"}\n', encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_lpr(path)
    assert cli_lines(caught.value) == [f"{path}:5: “2019-09-20 09:15:00”带有时刻；这里只能写日期，如 2024-03-01"]


def test_a_fifo_as_the_lpr_table_is_refused_without_blocking(tmp_path):
    import os

    fifo = tmp_path / "lpr.yaml"
    os.mkfifo(fifo)
    with pytest.raises(DataError) as caught:
        load_lpr(fifo)
    assert cli_lines(caught.value) == [f"{fifo}: 不是普通文件（是管道、设备或套接字），不能作为数据文件读取，请指定 .yaml 文件"]

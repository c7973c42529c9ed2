"""policycli.dataset.lookup: printed numbers and the forgiving name matching other commands build on."""
from __future__ import annotations

import pytest
from conftest import cli_lines

from policycli.dataset.lookup import close_names, match_choice, match_names, parse_part, parse_ref
from policycli.errors import InputError


@pytest.mark.parametrize("text, ref", [
    ("3", (1, 3)), ("15", (1, 15)), ("12", (1, 12)), ("1-15", (1, 15)), ("1 - 15", (1, 15)),
    ("2-3", (2, 3)), ("2.3", (2, 3)), ("二-3", (2, 3)), ("二3", (2, 3)), ("２－３", (2, 3)),
])
def test_parse_ref(text, ref):
    assert parse_ref(text) == ref


def test_a_word_is_not_a_printed_number():
    assert parse_ref("keylab") is None and parse_ref("3a") is None


OFFICES = ["信息化管理科", "高新技术科", "科技项目科"]


def test_match_names_prefers_the_exact_name_then_fragments():
    assert match_names("科技项目科", OFFICES) == ["科技项目科"]
    assert match_names("技术", OFFICES) == ["高新技术科"]
    assert match_names("科", OFFICES) == OFFICES
    assert match_names("信息画", OFFICES) == []


def test_close_names_reads_typos():
    assert close_names("信息画管理科", OFFICES) == ["信息化管理科"]
    assert close_names("数据中心", OFFICES) == []


def test_match_choice_falls_back_to_typos_and_names_the_choices_when_nothing_fits():
    assert match_choice("高薪技术", OFFICES, "科室") == ["高新技术科"]
    with pytest.raises(InputError, match="科室“财务”不存在，可选：信息化管理科"):
        match_choice("财务", OFFICES, "科室")


@pytest.mark.parametrize("value, number", [("1", 1), ("２", 2), ("二", 2), ("2024", 1), ("2023", 2), ("延续", 2)])
def test_parse_part_by_number_numeral_year_or_name(catalog, value, number):
    assert parse_part(value, catalog) == number


PARTS = "可选：1/一（2024年新实施政策）、2/二（2023年“稳中向好、进中提质”政策清单中延续执行的政策）"


@pytest.mark.parametrize("value, message", [
    ("3", f"没有第 3 部分，{PARTS}"),
    ("４", f"没有第 ４ 部分，{PARTS}"),
    ("0", f"没有第 0 部分，{PARTS}"),
    ("三", f"没有第 三 部分，{PARTS}"),
    ("20", f"没有第 20 部分，{PARTS}"),
    ("政策", "部分“政策”可指 2024年新实施政策、2023年“稳中向好、进中提质”政策清单中延续执行的政策，请写 1 或 2"),
])
def test_a_part_that_does_not_exist_is_not_read_as_a_fragment_of_a_year(catalog, value, message):
    with pytest.raises(InputError) as caught:
        parse_part(value, catalog)
    assert cli_lines(caught.value) == [message]

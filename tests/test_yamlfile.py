"""YAML that cannot hang or blow up: nesting, aliases, cycles, integers, timestamps and merge keys,
each refused in one line with the file and line wherever it sits in a document."""
from __future__ import annotations

from datetime import date

import pytest

from policycli.dataset.yamlfile import MAX_DEPTH, parse_located_yaml
from policycli.errors import DataError


def problem(text: str) -> str:
    with pytest.raises(DataError) as caught:
        parse_located_yaml(text.encode("utf-8"), "f.yaml")
    [line] = caught.value.lines
    return line


def bomb(levels: int = 9) -> str:
    """A flow list whose aliases expand to 9**levels items while only ~80 are written."""
    rows = ['&l0 ["x","x","x","x","x","x","x","x","x"]']
    rows += [f"&l{i} [{','.join([f'*l{i - 1}'] * 9)}]" for i in range(1, levels)]
    return "[" + ", ".join(rows) + "]"


@pytest.mark.parametrize("where", [
    "award:\n  kind: fixed\n  clause: {bomb}\n",
    "policies:\n  - id: a\n    conditions:\n      - fact: {bomb}\n",
    "{bomb}\n",
])
def test_an_alias_bomb_anywhere_is_refused_without_expanding_it(where):
    text = where.format(bomb=bomb())
    line = text.count("\n", 0, text.index("&l0")) + 1
    assert problem(text) == f"f.yaml:{line}: 锚点和别名（&名称 / *名称）重复展开的内容过多（超过 100,000 项），请直接写出内容"


def test_a_few_aliases_are_fine():
    tree = parse_located_yaml(b"a: &u [1, 2]\nb: *u\nc: {<<: {x: 1}, y: 2}\n", "f.yaml")
    assert tree == {"a": [1, 2], "b": [1, 2], "c": {"x": 1, "y": 2}}


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 400, 990])
def test_deep_nesting_is_refused_in_one_line(depth):
    text = "award:\n  clause: " + "[" * depth + "]" * depth + "\n"
    assert problem(text) == f"f.yaml:2: 嵌套超过 {MAX_DEPTH} 层，请减少列表和映射的层数"


def test_deep_block_nesting_is_refused():
    text = "".join("  " * i + f"k{i}:\n" for i in range(200)) + "  " * 200 + "v\n"
    assert "嵌套超过 32 层" in problem(text) or "嵌套层数过多" in problem(text)


def test_nesting_within_the_bound_is_read():
    depth = MAX_DEPTH - 1
    assert parse_located_yaml(("[" * depth + "]" * depth).encode(), "f.yaml") is not None


def test_an_alias_inside_its_own_anchor_is_refused():
    assert problem("a: &x [1, *x]\n") == "f.yaml:1: 别名（*名称）引用了包含它自己的锚点，形成循环，请去掉这个别名"


@pytest.mark.parametrize("value", ["0x10", "017", "190:20:30", "1_000", "0b101", "+0x1"])
def test_integers_only_in_plain_decimal_form(value):
    assert problem(f"title: a\ninvest: {value}\n") == (
        f"f.yaml:2: “{value}”不是普通的十进制整数：只能写数字，如 3000，不能用 0x、0o、以 0 开头、下划线或冒号的写法；要作为文本请加引号")


def test_integers_of_insane_size_are_refused():
    assert problem("year: " + "9" * 5000 + "\n") == "f.yaml:1: 整数位数过多（5000 位），最多 18 位"
    assert parse_located_yaml(b"a: -123456789012345678\nb: '0x10'\n", "f.yaml") == {"a": -123456789012345678, "b": "0x10"}


def test_timestamps_are_dates_or_refused():
    assert parse_located_yaml(b"signed: 2024-03-01\n", "f.yaml") == {"signed": date(2024, 3, 1)}
    assert problem("a: 1\nsigned: 2024-03-01 10:00:00\n") == "f.yaml:2: “2024-03-01 10:00:00”带有时刻；这里只能写日期，如 2024-03-01"
    assert problem("signed: 2024-02-30\n") == "f.yaml:1: “2024-02-30”不是有效的日期，请写成 2024-03-01"


@pytest.mark.parametrize("text, line", [("a: 1\nb:\n  <<: 5\n", 3), ("a: 1\nb: {<<: [1, 2]}\n", 2)])
def test_a_bad_merge_key_is_named_as_such(text, line):
    assert problem(text) == f"f.yaml:{line}: 合并键 << 的值应为映射（如 <<: *名称，名称指向一个映射）或映射的列表"

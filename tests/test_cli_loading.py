"""Datasets and profiles from a hostile world, through the installed command: a wrong shape anywhere
is `file:line: field: message` and exit 2; nothing hangs, blows up or is silently replaced."""
from __future__ import annotations

import os

import pytest
from conftest import DATASET, hang_guard, invoke


SHIPPED = DATASET.read_text(encoding="utf-8")
BOMB = ('["x", &l0 ["x","x","x","x","x","x","x","x","x"], '
        + ", ".join(f"&l{i} [{','.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 9)) + "]")


def edited(tmp_path, old: str, new: str, name: str = "policies.yaml"):
    """The shipped dataset with the first `old` replaced by `new`; (path, line of the change)."""
    assert old in SHIPPED
    path = tmp_path / name
    path.write_text(SHIPPED.replace(old, new, 1), encoding="utf-8")
    return path, SHIPPED[: SHIPPED.index(old)].count("\n") + 1


def refused(result, *lines):
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == list(lines)
    assert "Traceback" not in result.output and "内部错误" not in result.stderr


@pytest.mark.parametrize("old, new, field, message", [
    ("      kind: switch\n      flag: major", "      kind: [switch]\n      flag: major", "policies[techretrofit].award.kind",
     "应为 rate、increase、fixed、up_to、about、per_unit、levels、switch、sum、brackets、none、unstated 之一，实际是列表"),
    ("        unit: 万元\n        rounding: 分\n        clause: 按照年度", "        unit: {万: 元}\n        rounding: 分\n        clause: 按照年度",
     "policies[techretrofit].award.otherwise.unit", "应为 元 或 万元，实际是映射"),
    ("        base: invest\n        rate: \"12%\"\n        cap: 600", "        base: [invest]\n        rate: \"12%\"\n        cap: 600",
     "policies[techretrofit].award.otherwise.base", "应为输入的名称（文本），实际是列表"),
    ('      - {clause: "实施技术改造", fact: retrofit, op: is, value: true}', '      - {clause: "实施技术改造", fact: [retrofit], op: is, value: true}',
     "policies[techretrofit].conditions[0].fact", "应为文本，实际是列表"),
    ('      - {clause: "实施技术改造", fact: retrofit, op: is, value: true}', '      - {clause: "实施技术改造", fact: retrofit, op: {is: 1}, value: true}',
     "policies[techretrofit].conditions[0].op", "应为文本，实际是映射"),
    ('      - {clause: "实施技术改造", fact: retrofit, op: is, value: true}', '      - {clause: "实施技术改造", fact: !!set {a, b}, op: is, value: true}',
     "policies[techretrofit].conditions[0].fact", "应为文本，实际是集合"),
])
def test_a_wrong_shape_in_award_or_conditions_is_file_line_field_message(tmp_path, old, new, field, message):
    path, line = edited(tmp_path, old, new)
    for command in (["validate"], ["list"], ["show", "techretrofit"], ["match", "--set", "entity=企业"]):
        result = invoke("--data", str(path), *command)
        assert result.exit_code == 2, result.output
        assert f"{path}:{line}: {field}: {message}" in result.stderr.splitlines(), result.stderr
        assert "内部错误" not in result.stderr


@pytest.mark.parametrize("old, new", [
    ("      clause: 属于基础领域", f"      clause: {BOMB}\n      note: 属于基础领域"),
    ('      - {clause: "实施技术改造", fact: retrofit, op: is, value: true}', f'      - {{clause: "实施技术改造", fact: retrofit, op: is, value: {BOMB}}}'),
])
def test_an_alias_bomb_inside_award_or_conditions_is_refused_at_once(tmp_path, old, new):
    path, line = edited(tmp_path, old, new)
    result = invoke("--data", str(path), "list")
    refused(result, f"{path}:{line}: 锚点和别名（&名称 / *名称）重复展开的内容过多（超过 100,000 项），请直接写出内容")


def test_hex_integers_and_huge_integers_are_refused_by_validate_and_every_command(tmp_path):
    path, line = edited(tmp_path, "    number: 3\n", "    number: 0x3\n")
    for command in (["validate"], ["list"], ["show", "3"]):
        refused(invoke("--data", str(path), *command),
                f"{path}:{line}: “0x3”不是普通的十进制整数：只能写数字，如 3000，不能用 0x、0o、以 0 开头、下划线或冒号的写法；要作为文本请加引号")
    path, line = edited(tmp_path, "    number: 3\n", "    number: " + "3" * 4400 + "\n")
    refused(invoke("--data", str(path), "list"), f"{path}:{line}: 整数位数过多（4400 位），最多 18 位")


def test_a_timestamp_with_a_time_in_a_condition_is_refused(tmp_path):
    path, line = edited(tmp_path, "value: true}", "value: 2024-03-01 10:00:00}")
    refused(invoke("--data", str(path), "list"), f"{path}:{line}: “2024-03-01 10:00:00”带有时刻；这里只能写日期，如 2024-03-01")


def test_a_bad_merge_key_is_reported_as_a_merge_key(tmp_path):
    path, line = edited(tmp_path, "    part: 1\n", "    <<: [1]\n    part: 1\n")
    refused(invoke("--data", str(path), "list"), f"{path}:{line}: 合并键 << 的值应为映射（如 <<: *名称，名称指向一个映射）或映射的列表")


@pytest.mark.parametrize("args, env", [(["--data", "", "list"], None), (["list"], {"POLICY_DATA": ""}),
                                       (["validate", ""], None), (["--data", "", "validate"], None)])
def test_an_empty_data_path_is_an_error_not_the_shipped_data(args, env):
    result = invoke(*args, env=env)
    assert result.exit_code == 2
    assert result.stderr.splitlines() in (["数据文件路径为空，请给出 .yaml 文件的路径；省略则使用随包数据"],
                                         ["环境变量 POLICY_DATA 为空，请设为数据文件路径，或用 unset POLICY_DATA 使用随包数据"])


def test_an_empty_profile_path_is_an_error():
    refused(invoke("match", "--profile", "", "--set", "entity=企业"),
            "--profile: 文件名为空，请给出企业档案 .yaml 文件，如 --profile examples/company.yaml")


@pytest.mark.parametrize("what", ["dataset", "profile"])
def test_a_fifo_as_dataset_or_profile_is_refused_without_blocking(tmp_path, what):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    args = ["--data", str(fifo), "list"] if what == "dataset" else ["match", "--profile", str(fifo)]
    with hang_guard():  # opening a pipe no one writes to would wait for ever
        done = invoke(*args)
    noun = "数据文件" if what == "dataset" else "企业档案"
    assert done.exit_code == 2
    assert done.stderr.splitlines() == [f"{fifo}: 不是普通文件（是管道、设备或套接字），不能作为{noun}读取，请指定 .yaml 文件"]


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_an_endless_device_as_dataset_or_profile_is_refused_unread(device):
    if not os.path.exists(device):
        pytest.skip(f"{device} does not exist here")
    for args, noun in ((["--data", device, "list"], "数据文件"), (["match", "--profile", device], "企业档案")):
        with hang_guard():
            done = invoke(*args)
        assert done.exit_code == 2
        assert done.stderr.splitlines() == [f"{device}: 不是普通文件（是管道、设备或套接字），不能作为{noun}读取，请指定 .yaml 文件"]


def test_an_unreadable_profile_directory_is_an_input_problem(tmp_path, monkeypatch):
    from pathlib import Path

    folder = tmp_path / "profiles"
    folder.mkdir()

    def deny(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "iterdir", deny)
    refused(invoke("match", "--profile", str(folder)), f"{folder}: 无法读取企业档案目录（没有权限），请检查目录权限")

"""Reading dataset and profile files: only regular files, a stated size limit, empty paths refused."""
from __future__ import annotations

import os
import threading

import pytest
from conftest import cli_lines

from policycli.dataset import files
from policycli.dataset.files import read_bytes, resolve_data_path
from policycli.errors import DataError


def problem(path, what="数据文件") -> str:
    with pytest.raises(DataError) as caught:
        read_bytes(path, what)
    [line] = cli_lines(caught.value)
    return line


def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "policies.yaml"
    os.mkfifo(fifo)
    outcome = []
    reader = threading.Thread(target=lambda: outcome.append(problem(fifo)), daemon=True)
    reader.start()
    reader.join(5)
    if reader.is_alive():  # unblock the reader so the test run ends, then fail
        with open(fifo, "wb"):
            pass
        pytest.fail("reading a FIFO blocked")
    assert outcome == [f"{fifo}: 不是普通文件（是管道、设备或套接字），不能作为数据文件读取，请指定 .yaml 文件"]


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_a_device_is_refused_unread(device):
    if not os.path.exists(device):
        pytest.skip(f"{device} does not exist here")
    assert problem(device, "企业档案") == f"{device}: 不是普通文件（是管道、设备或套接字），不能作为企业档案读取，请指定 .yaml 文件"


def test_a_directory_is_refused(tmp_path):
    assert problem(tmp_path) == f"{tmp_path}: 这是一个目录，不是数据文件，请指定 .yaml 文件"


def test_a_file_over_the_limit_is_refused_saying_the_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "MAX_BYTES", 1024 * 1024)
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (1024 * 1024 + 1))
    assert problem(big) == f"{big}: 数据文件超过 1 MiB，太大，不能读取；请检查是否选错了文件"
    big.write_bytes(b"#" * (1024 * 1024))
    assert len(read_bytes(big)) == 1024 * 1024


def test_the_limit_leaves_room_for_ten_thousand_policies_twice_as_long_as_ours():
    per_policy = files.default_data_path().stat().st_size / 20
    assert files.MAX_BYTES >= 10_000 * per_policy * 2
    assert files.MAX_BYTES <= 64 * 1024 * 1024  # and still refuses a runaway file quickly


@pytest.mark.parametrize("explicit", ["", "  "])
def test_an_empty_data_path_is_an_error(explicit):
    with pytest.raises(DataError) as caught:
        resolve_data_path(explicit)
    assert cli_lines(caught.value) == ["数据文件路径为空，请给出 .yaml 文件的路径；省略则使用随包数据"]


def test_an_empty_policy_data_is_an_error(monkeypatch):
    monkeypatch.setenv("POLICY_DATA", "")
    with pytest.raises(DataError) as caught:
        resolve_data_path()
    assert cli_lines(caught.value) == ["环境变量 POLICY_DATA 为空，请设为数据文件路径，或用 unset POLICY_DATA 使用随包数据"]

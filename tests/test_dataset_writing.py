"""dataset.writing: a file written whole or not at all, never over one nobody agreed to replace."""
from __future__ import annotations

import errno
import os

import pytest

from policycli.dataset import writing
from policycli.dataset.writing import write_whole


def test_a_new_file_is_written_whole(tmp_path):
    target = tmp_path / "a.yaml"
    write_whole(target, "名称: 甲\n".encode(), replace=False)
    assert target.read_text(encoding="utf-8") == "名称: 甲\n"
    assert os.listdir(tmp_path) == ["a.yaml"]


def test_an_existing_file_is_kept_unless_replacing_is_agreed(tmp_path):
    target = tmp_path / "a.yaml"
    target.write_text("旧", encoding="utf-8")
    with pytest.raises(FileExistsError):
        write_whole(target, b"new", replace=False)
    assert target.read_text(encoding="utf-8") == "旧"
    assert os.listdir(tmp_path) == ["a.yaml"]


def test_a_replaced_file_keeps_its_permissions(tmp_path):
    target = tmp_path / "a.yaml"
    target.write_text("旧", encoding="utf-8")
    os.chmod(target, 0o600)
    write_whole(target, b"new", replace=True)
    assert target.read_bytes() == b"new"
    assert os.stat(target).st_mode & 0o777 == 0o600


def test_a_full_disk_leaves_the_old_file_whole_and_no_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "a.yaml"
    target.write_text("旧内容", encoding="utf-8")

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(writing.os, "fsync", full)
    with pytest.raises(OSError):
        write_whole(target, b"new", replace=True)
    assert target.read_text(encoding="utf-8") == "旧内容"
    assert os.listdir(tmp_path) == ["a.yaml"]

"""A file written whole or not at all, never over an existing one unless asked."""
from __future__ import annotations

import os

import pytest
from conftest import cli_lines

from policycli.errors import DataError, InputError
from policycli.lists.writing import write_file


def test_writes_a_new_file(tmp_path):
    write_file(tmp_path / "a.yaml", "一\n")
    assert (tmp_path / "a.yaml").read_text(encoding="utf-8") == "一\n"
    assert os.listdir(tmp_path) == ["a.yaml"]


def test_keeps_an_existing_file_unless_forced(tmp_path):
    target = tmp_path / "a.yaml"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(InputError):
        write_file(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    write_file(target, "new", force=True)
    assert target.read_text(encoding="utf-8") == "new"
    assert os.listdir(tmp_path) == ["a.yaml"]


def test_a_failed_write_leaves_nothing(tmp_path, monkeypatch):
    target = tmp_path / "a.yaml"
    target.write_text("old", encoding="utf-8")

    def full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(DataError) as caught:
        write_file(target, "new", force=True)
    assert "磁盘空间不足" in cli_lines(caught.value)[0]
    assert target.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["a.yaml"]


def test_a_folder_is_not_a_file_name(tmp_path):
    with pytest.raises(InputError):
        write_file(tmp_path, "x", force=True)

"""The index-building progress bar: on a terminal only, for big jobs only."""
from __future__ import annotations

import io

from rich.console import Console

from policycli import render


def test_no_progress_bar_when_stderr_is_not_a_terminal(capsys):
    with render.progress_callback("建立索引", minimum=10) as callback:
        for done in range(0, 101, 10):
            callback(done, 100)
    assert capsys.readouterr().err == ""


def _terminal(monkeypatch) -> io.StringIO:
    buffer = io.StringIO()
    monkeypatch.setattr(render, "make_console", lambda stderr=False: Console(file=buffer, force_terminal=True, markup=False, width=80))
    return buffer


def test_progress_bar_on_a_terminal_for_a_big_job(monkeypatch):
    buffer = _terminal(monkeypatch)
    with render.progress_callback("正在建立搜索索引", minimum=10) as callback:
        for done in range(0, 1001, 100):
            callback(done, 1000)
    assert "正在建立搜索索引" in buffer.getvalue()


def test_no_progress_bar_for_a_small_job(monkeypatch):
    buffer = _terminal(monkeypatch)
    with render.progress_callback("正在建立搜索索引", minimum=200) as callback:
        callback(20, 20)
    assert buffer.getvalue() == ""

"""The index-building progress bar: on a terminal only, for big jobs only."""
from __future__ import annotations

import io

import pytest
from conftest import invoke
from rich.console import Console

from csvrows import read_csv
from policycli.cli import render


def test_no_progress_bar_when_stderr_is_not_a_terminal(capsys):
    with render.progress_callback("建立索引", minimum=10) as callback:
        for done in range(0, 101, 10):
            callback(done, 100)
    assert capsys.readouterr().err == ""


def _terminal(monkeypatch) -> io.StringIO:
    monkeypatch.setattr(render, "SHOW_AFTER", 0)  # drawn at once: the jobs below take no time
    buffer = io.StringIO()
    monkeypatch.setattr(render, "make_console", lambda stderr=False: Console(file=buffer, force_terminal=True, markup=False, width=80))
    return buffer


def test_progress_bar_on_a_terminal_for_a_big_job(monkeypatch):
    buffer = _terminal(monkeypatch)
    with render.progress_callback("正在建立搜索索引", minimum=10) as callback:
        for done in range(0, 1001, 100):
            callback(done, 1000)
    assert "正在建立搜索索引" in buffer.getvalue()


def test_a_bar_told_often_is_drawn_at_most_every_redraw_seconds_and_at_the_end(monkeypatch):
    """A thousand steps told at once draw the bar once, at the first (each drawing costs about half
    a millisecond on a terminal); a step told REDRAW seconds later or more is drawn, and so is the last."""
    buffer = _terminal(monkeypatch)
    clock = [100.0]
    monkeypatch.setattr("time.monotonic", lambda: clock[0])
    with render.progress_callback("正在读取政策清单", minimum=10) as callback:
        callback(0, 1000)
        first = buffer.getvalue().count("正在读取政策清单")  # the bar begun and drawn at 0%
        for done in range(1, 1000):
            callback(done, 1000)
        assert buffer.getvalue().count("正在读取政策清单") == first and "  1%" not in buffer.getvalue()
        clock[0] += render.REDRAW + 0.001
        callback(500, 1000)
        assert buffer.getvalue().count("正在读取政策清单") == first + 1 and " 50%" in buffer.getvalue()
        callback(1000, 1000)
        assert buffer.getvalue().count("正在读取政策清单") >= first + 2 and "100%" in buffer.getvalue()


def test_a_job_done_before_show_after_draws_no_bar_and_a_longer_one_does(monkeypatch):
    """An index the children had built by the time it is waited for: told 0 then all at once,
    within SHOW_AFTER seconds; no bar. A job still running after SHOW_AFTER seconds is drawn."""
    buffer = _terminal(monkeypatch)
    monkeypatch.setattr(render, "SHOW_AFTER", 0.2)
    clock = [100.0]
    monkeypatch.setattr("time.monotonic", lambda: clock[0])
    with render.progress_callback("正在建立搜索索引", minimum=10) as callback:
        callback(0, 1000)
        clock[0] += 0.1
        callback(1000, 1000)
    assert buffer.getvalue() == ""
    with render.progress_callback("正在建立搜索索引", minimum=10) as callback:
        callback(0, 1000)
        clock[0] += 0.3
        callback(400, 1000)
        assert " 40%" in buffer.getvalue()
        callback(1000, 1000)
    assert "100%" in buffer.getvalue()


def test_a_bar_is_taken_off_at_its_last_step_not_when_the_work_after_it_ends(monkeypatch):
    """The reading of a long file done, its catalog is stored: the bar must not stay at 100 %
    meanwhile. The last step told again draws nothing; a job told again from the start (the next
    list indexed) draws a bar of its own."""
    buffer = _terminal(monkeypatch)
    with render.progress_callback("正在读取政策清单", minimum=10) as callback:
        callback(0, 1000)
        callback(1000, 1000)
        shown = buffer.getvalue()
        assert "100%" in shown and shown.endswith("\x1b[?25h\r\x1b[1A\x1b[2K")  # the cursor shown, the line erased
        callback(1000, 1000)
        assert buffer.getvalue() == shown
        callback(0, 500)
        assert buffer.getvalue() != shown and buffer.getvalue().endswith("  0%\x1b[0m \x1b[36m-:--:--\x1b[0m")


def test_no_bar_on_a_terminal_that_cannot_redraw_a_line(monkeypatch):
    """TERM=dumb: no bar, and no empty line where it would have been."""
    buffer = io.StringIO()
    monkeypatch.setattr(render, "SHOW_AFTER", 0)
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.setattr(render, "make_console", lambda stderr=False: Console(file=buffer, force_terminal=True, width=80))
    with render.progress_callback("正在读取政策清单", minimum=10) as callback:
        for done in range(0, 1001, 100):
            callback(done, 1000)
    assert buffer.getvalue() == ""


def test_no_progress_bar_for_a_small_job(monkeypatch):
    buffer = _terminal(monkeypatch)
    with render.progress_callback("正在建立搜索索引", minimum=200) as callback:
        callback(20, 20)
    assert buffer.getvalue() == ""


def test_csv_cells_are_text_in_excel():
    from policycli.cli.render import dump_csv

    out = dump_csv([{"name": "=HYPERLINK(\"http://x\")", "other": "+1", "at": "@SUM(A1)", "ok": True, "no": False,
                     "phone": "0532-86168249", "amount": "672750.00"}])
    [row] = read_csv(out)
    assert row == {"name": "'=HYPERLINK(\"http://x\")", "other": "'+1", "at": "'@SUM(A1)", "ok": "是", "no": "否",
                   "phone": "0532-86168249", "amount": "672750.00"}


def test_a_profile_name_like_a_formula_is_escaped_in_the_summary(tmp_path):
    (tmp_path / "a.yaml").write_text("name: \"=1+2\"\nentity: 企业\n", encoding="utf-8")
    result = invoke("match", "--profile", str(tmp_path), "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = read_csv(result.stdout)
    assert rows[0][next(iter(rows[0]))] == "'=1+2"


@pytest.mark.parametrize("args, headers", [
    (["list"], ["编号", "清单", "亦见清单", "其他版本", "序号", "部分", "节", "项号", "标题", "牵头单位", "责任科室", "联系人", "电话"]),
    (["match", "--set", "entity=企业"], ["企业", "编号", "清单", "亦见清单", "标题", "状态代码", "状态", "待回答的键", "待回答"]),
    (["contacts", "信息化"], ["查找方式", "命中", "近似", "科室", "联系人姓名", "联系电话"]),
    (["lists"], ["清单", "标题", "地区", "年份", "批次", "政策项数", "来源", "文件", "通过检查", "问题", "待补项数"]),
])
def test_csv_headers_are_the_tables_chinese_words(args, headers):
    from policycli.cli.render import CSV_HEADERS

    result = invoke(*args, "--format", "csv")
    import csv

    first = next(csv.reader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert first[: len(headers)] == headers
    assert not set(first) & set(CSV_HEADERS)  # no English field name left
    assert len(set(CSV_HEADERS.values())) == len(CSV_HEADERS)  # each header names one field


def test_the_progress_bar_runs_no_thread_of_its_own(monkeypatch):
    """A first run forks the children that index its lists only while it runs no other thread:
    the bar drawn while the lists are read must not start one."""
    import threading

    buffer = _terminal(monkeypatch)
    before = threading.active_count()
    with render.progress_callback("正在读取政策清单", minimum=10) as callback:
        for done in range(0, 101, 10):
            callback(done, 100)
            assert threading.active_count() == before
    assert "正在读取政策清单" in buffer.getvalue() and "100%" in buffer.getvalue()

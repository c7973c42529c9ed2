"""The index-building progress bar: on a terminal only, for big jobs only."""
from __future__ import annotations

import io

from conftest import invoke
from rich.console import Console

from policycli.cli import render


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


def test_csv_cells_are_text_in_excel():
    import csv
    import io

    from policycli.cli.render import dump_csv

    out = dump_csv([{"name": "=HYPERLINK(\"http://x\")", "other": "+1", "at": "@SUM(A1)", "ok": True, "no": False,
                     "phone": "0532-86168249", "amount": "672750.00"}])
    [row] = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    assert row == {"name": "'=HYPERLINK(\"http://x\")", "other": "'+1", "at": "'@SUM(A1)", "ok": "是", "no": "否",
                   "phone": "0532-86168249", "amount": "672750.00"}


def test_a_profile_name_like_a_formula_is_escaped_in_the_summary(tmp_path):
    import csv
    import io


    (tmp_path / "a.yaml").write_text("name: \"=1+2\"\nentity: 企业\n", encoding="utf-8")
    result = invoke("match", "--profile", str(tmp_path), "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert rows[0][next(iter(rows[0]))] == "'=1+2"

"""The shared command-line mechanism: parser errors in Chinese, help text readable at 80 columns."""
from __future__ import annotations

import json
import re
import os
import subprocess
import sys

import pytest
from conftest import invoke


@pytest.mark.parametrize("args, command", [
    (["list", "--format", "xml"], "policy list"), (["contacts", "--format", "pdf"], "policy contacts"),
    (["estimate", "techretrofit", "--invest"], "policy estimate"), (["search", "数据", "--limit"], "policy search"),
    (["--data"], "policy"), (["estimate", "techretrofit", "--major=是"], "policy estimate"),
    (["list", "extra"], "policy list"), (["--data", "x.yaml"], "policy"), (["show", "3", "4", "5"], "policy show"),
    (["list", "--sectoin", "数字经济"], "policy list"), (["serach", "数据中心"], "policy"),
])
def test_parser_errors_are_one_chinese_line_naming_the_command(args, command):
    """Exit 2, nothing on stdout, one line on stderr pointing to the command's help (each line's
    wording is pinned in golden/cli/error-*.txt)."""
    result = invoke(*args)
    assert (result.exit_code, result.stdout) == (2, "")
    [line] = result.stderr.splitlines()
    assert line.startswith("错误：") and f"运行 {command} --help 查看" in line, line


@pytest.mark.parametrize("value, fault", [("0", "过小"), ("-1", "是负数"), ("abc", "不是整数"), ("1.5", "不是整数")])
def test_search_limit_errors_name_the_option_the_value_and_the_fault(value, fault):
    result = invoke("search", "数据中心", "--limit", value)
    assert (result.exit_code, result.stdout) == (2, "")
    [line] = result.stderr.splitlines()
    assert line.startswith(f"--limit 的值“{value}”{fault}"), line


def test_search_limit_accepts_full_width_digits():
    result = invoke("search", "补贴", "--limit", "２", "--format", "json")
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == 2


@pytest.mark.parametrize("value", ["JSON", "Json"])
def test_format_names_ignore_case(value):
    result = invoke("show", "techretrofit", "--format", value)
    assert result.exit_code == 0
    assert result.stdout.lstrip().startswith("{")


COMMANDS = [[], ["list"], ["show"], ["validate"], ["search"], ["contacts"], ["estimate"], ["match"], ["import"], ["diff"]]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "policy")
def test_help_is_whole_and_chinese_at_80_columns(command):
    from rich.cells import cell_len

    result = invoke(*command, "--help", columns=80)
    assert result.exit_code == 0
    out = result.stdout
    assert "示例" in out
    assert "…" not in out  # nothing cut off
    assert max(cell_len(line) for line in out.splitlines()) <= 80
    for english in ("[default:", "[required]", "<bool>", "<str>", "list[str]", "int range", "PATH", "FILE"):
        assert english not in out, english


def test_help_has_chinese_headings_and_lists_every_command():
    from conftest import policy_command

    out = invoke("--help", columns=80).stdout
    assert out.lstrip().startswith("用法：policy [选项] 命令 [参数]...")
    assert "\n选项\n" in out and "\n命令\n" in out and "Usage" not in out
    listed = [line.split()[0] for line in out.split("\n命令\n")[1].splitlines() if line[:2].strip()]
    group = policy_command()
    assert listed == [name for name in group.list_commands(None) if not group.get_command(None, name).hidden]


def test_help_of_a_command_with_an_argument_names_it_in_the_usage_and_under_its_heading():
    out = invoke("show", "--help", columns=80).stdout
    assert "用法：policy show [选项] 编号\n" in out
    arguments = out.split("\n参数\n")[1].split("\n选项\n")[0]
    assert arguments.lstrip().startswith("编号  <文本>  政策编号") and "[必填]" in arguments


EVERY_HELP = [[], ["list"], ["show"], ["search"], ["contacts"], ["estimate"], ["estimate", "techretrofit"], ["match"],
              ["serve"], ["validate"], ["import"], ["diff"], ["lists"], ["lists", "add"], ["lists", "remove"]]


@pytest.mark.parametrize("terminal", [False, True], ids=["piped", "terminal"])
@pytest.mark.parametrize("command", EVERY_HELP, ids=lambda c: " ".join(c) or "policy")
def test_help_shows_text_as_written_with_no_markup_escapes(command, terminal):
    env = {"FORCE_COLOR": "1"} if terminal else None
    out = invoke(*command, "--help", env=env, columns=80).stdout
    assert "\\" not in out  # pip install 'policycli[web]' copies as it is shown
    assert re.search(r"[A-Za-z_]+\.\.\.|\[(?:query|policy|path|source|old|new)\]", out) is None  # metavars in Chinese


@pytest.mark.parametrize("columns", [40, 47, 53, 60, 80])
@pytest.mark.parametrize("command", EVERY_HELP, ids=lambda c: " ".join(c) or "policy")
def test_a_command_in_the_help_breaks_only_between_its_arguments(command, columns):
    wide = invoke(*command, "--help", columns=1000).stdout
    examples = {m.group(0) for m in re.finditer(r"(?:policy|pip install)(?: [^\s，。；：、（）“”]+)+", wide)}
    narrow = invoke(*command, "--help", columns=columns).stdout
    joined = re.sub(r"\s*\n\s*", " ", narrow)
    for example in examples:
        assert example in joined, (example, narrow)


def test_the_serve_help_gives_the_install_command_to_copy():
    for columns in (60, 200):  # each command on a line of its own, below what it is for
        lines = [line.strip() for line in invoke("serve", "--help", columns=columns).stdout.splitlines()]
        assert lines[lines.index("安装网页组件：") + 2] == "pip install 'policycli[web]'"
        assert lines[lines.index("在源码目录中安装：") + 2] == "pip install '.[web]'"
        assert lines[lines.index("对局域网开放：") + 2] == "policy serve --host 0.0.0.0 --port 8080"


@pytest.mark.parametrize("terminal", [False, True], ids=["piped", "terminal"])
@pytest.mark.parametrize("command", EVERY_HELP, ids=lambda c: " ".join(c) or "policy")
def test_every_example_in_the_help_is_a_whole_command_on_a_line_of_its_own_at_60_columns(command, terminal):
    """Copying one line of the help gives one command that runs: no example shares its line with
    another (`policy list；policy list --section …`) or wraps onto the next at 60 columns."""
    env = {"FORCE_COLOR": "1"} if terminal else None
    lines = [line.strip("│ ") for line in invoke(*command, "--help", env=env, columns=60).stdout.splitlines()]
    description = lines[:next((i for i, line in enumerate(lines) if line in ("参数", "选项") or line.startswith("╭─")), None)]
    examples = [line for line in description if re.match(r"(?:policy|pip install) ", line)]
    assert examples, lines
    for example in examples:
        assert re.search(r"[；;]\s*policy ", example) is None, example
        wide = [line.strip("│ ") for line in invoke(*command, "--help", env=env, columns=200).stdout.splitlines()]
        assert example in wide, (example, "wraps at 60 columns")


def test_help_on_a_terminal_is_boxed_and_fits():
    from rich.cells import cell_len

    lines = invoke("--help", env={"FORCE_COLOR": "1"}, columns=80).stdout.splitlines()
    assert any(line.startswith("╭─ 选项 ─") for line in lines) and any(line.startswith("╭─ 命令 ─") for line in lines)
    assert max(cell_len(line) for line in lines) == 80


def test_narrow_help_puts_each_option_help_below_the_option():
    from rich.cells import cell_len

    lines = invoke("list", "--help", columns=60).stdout.splitlines()
    at = lines.index(" --part, -p <文本>")
    assert lines[at + 1].startswith("     部分：写序号")
    assert max(cell_len(line) for line in lines) <= 60


def test_help_keeps_every_word_of_a_long_option_help():
    out = invoke("match", "--help", columns=80).stdout
    flat = "".join(ch for line in out.splitlines() for ch in line if ch not in "│ ")
    assert "把档案（含回答）保存为YAML文件；已有文件会先询问是否覆盖。" in flat
    assert "[默认：table]" in flat


# --- bytes that are not UTF-8 (file names from an archive made on Windows are often GBK) --------

GBK_NAME = os.fsdecode("客户".encode("gbk"))  # what Python makes of those bytes in a UTF-8 locale


def policy(*args: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "policycli", *args], capture_output=True, cwd=cwd,
                          env={**os.environ, "LC_ALL": "C.UTF-8", "PYTHONIOENCODING": ""})


@pytest.mark.parametrize("command", [["show"], ["search"], ["contacts"], ["estimate", "techretrofit", "--invest"],
                                     ["match", "--set"]])
def test_an_argument_in_gbk_gets_its_one_line_message_not_a_crash(tmp_path, command):
    done = policy(*command, os.fsdecode(b"\xbf\xcd"), cwd=tmp_path)  # 客 in GBK
    assert done.returncode in (1, 2)
    message = done.stderr.decode("utf-8")
    assert len(message.splitlines()) == 1 and "\ufffd" in message and "Error" not in message


def test_a_profile_directory_with_gbk_file_names_is_summarised(tmp_path):
    folder = tmp_path / "客户档案"
    folder.mkdir()
    (folder / f"{GBK_NAME}.yaml").write_text("above_scale: 是\n", encoding="utf-8")
    done = policy("match", "--profile", str(folder), "--format", "json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert [row["name"] for row in json.loads(done.stdout.decode("utf-8"))] == ["客户"]
    done = policy("match", "--profile", str(folder), cwd=tmp_path)
    assert done.returncode == 0 and done.stderr == b""
    assert "客户" in done.stdout.decode("utf-8")


@pytest.mark.parametrize("args", [["show", "x\ny"], ["contacts", "x\ny"], ["search", "x\ny"],
                                  ["estimate", "techretrofit", "--invest", "1\r\n2"], ["match", "--set", "x\ny"],
                                  ["list", "--part", "x\ny"], ["--data", "x\ny", "list"]],
                         ids=["show", "contacts", "search", "estimate", "match", "list", "data"])
def test_a_line_break_in_what_the_user_typed_keeps_the_message_on_one_line(args):
    result = invoke(*args)
    assert result.exit_code in (1, 2)
    assert len(result.stderr.splitlines()) == 1
    assert "x y" in result.stderr or "1 2" in result.stderr


def test_install_completion_reports_in_chinese(tmp_path):
    result = invoke("--install-completion", env={"HOME": str(tmp_path), "SHELL": "/bin/bash"})
    assert result.exit_code == 0
    script = tmp_path / ".bash_completions" / "policy.sh"
    assert script.is_file()
    assert result.stdout == f"已为 bash 安装 Tab 补全：{script}。重新打开终端后生效\n"


def test_install_completion_for_an_unknown_shell_says_which_ones_work(tmp_path):
    result = invoke("--install-completion", env={"HOME": str(tmp_path), "SHELL": "/bin/tcsh"})
    assert result.exit_code == 2
    assert result.stderr == "无法为 tcsh 安装 Tab 补全：只支持 bash、zsh、fish 和 PowerShell\n"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_a_full_disk_while_writing_the_result_is_one_chinese_line(tmp_path, fmt):
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "policycli", "list", "--format", fmt], stdout=full,
                              stderr=subprocess.PIPE, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.decode("utf-8") == "无法写出结果：磁盘空间不足。请检查磁盘空间和输出位置后重试\n"


@pytest.mark.parametrize("args", ["list --format json", "show techretrofit", "--version", "search 数据中心"])
def test_a_closed_stdout_is_a_usage_error_said_on_stderr(tmp_path, args):
    done = subprocess.run(f'"{sys.executable}" -m policycli {args} >&-', shell=True, capture_output=True, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.decode("utf-8") == ("无法写出结果：标准输出已关闭（如命令后写了 >&-）。"
                                           "请让结果输出到终端、文件或管道，如 > 结果.txt\n")


def test_closed_stdout_and_stderr_still_exit_2(tmp_path):
    done = subprocess.run(f'"{sys.executable}" -m policycli list >&- 2>&-', shell=True, cwd=tmp_path)
    assert done.returncode == 2


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("args, code", [
    (["show", "nonexist"], 2), (["list", "--part", "9"], 2), (["nosuchcommand"], 2), (["search", "养老服务"], 1),
    (["contacts", "王五五"], 1), (["list"], 0), (["validate"], 0), (["match", "--set", "x=1"], 2),
])
def test_a_full_disk_under_stderr_keeps_the_documented_exit_code(tmp_path, args, code):
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "policycli", *args], stdout=subprocess.PIPE, stderr=full,
                              cwd=tmp_path)
    assert done.returncode == code


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_disk_under_both_streams_is_exit_2(tmp_path):
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "policycli", "list"], stdout=full, stderr=full, cwd=tmp_path)
    assert done.returncode == 2


@pytest.mark.parametrize("args", [["match", "--interactive"], ["match", "--interactive", "--save", "档案.yaml"]])
def test_ctrl_c_at_a_question_is_quiet_and_exits_130(tmp_path, args):
    import signal

    # A shell running pytest in the background ignores SIGINT, and children inherit that: restore it
    proc = _at_first_question(tmp_path, args, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 130
    assert "Traceback" not in err.decode("utf-8") and out == b""
    assert not (tmp_path / "档案.yaml").exists()


def _at_first_question(tmp_path, args: list[str], **popen) -> subprocess.Popen:
    """`policy ARGS` in a process of its own, once it has asked its first question (and a moment
    more): stdin, stdout and stderr pipes."""
    import time

    proc = subprocess.Popen([sys.executable, "-m", "policycli", *args], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path, **popen)
    asked = b""
    while "？".encode() not in asked:  # waiting for the answer to the first question
        chunk = os.read(proc.stderr.fileno(), 4096)
        assert chunk, asked.decode("utf-8", "replace")
        asked += chunk
    time.sleep(0.2)
    return proc


def test_sigterm_ends_a_command_as_ctrl_c_does_with_exit_143(tmp_path):
    """`timeout`, `kill` or a service manager: what the command was doing unwinds (a bar is taken
    off the terminal, children stopped, nothing half written), quietly."""
    import signal

    proc = _at_first_question(tmp_path, ["match", "--interactive", "--save", "档案.yaml"])
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 143
    assert "Traceback" not in err.decode("utf-8") and out == b""
    assert not (tmp_path / "档案.yaml").exists()


@pytest.mark.parametrize("args, stream, expected", [
    (["list"], "stdout", "techretrofit"),
    (["show", "nonexist"], "stderr", "未找到政策“nonexist”"),
    (["--help"], "stdout", "示例"),
    (["search", "--help"], "stdout", "示例"),
])
def test_columns_zero_means_unknown_width_not_nothing_shown(args, stream, expected):
    result = invoke(*args, env={"COLUMNS": "0"})
    assert expected in getattr(result, stream)


def test_policy_alone_shows_the_help_without_an_empty_error_line():
    result = invoke()
    assert result.exit_code == 2
    assert "示例" in result.stdout
    assert result.stderr == ""


def test_parser_errors_without_a_chinese_form_of_their_own_still_make_one_line():
    from policycli.cli.commands import UsageError, usage_message

    # the parser's own classes, found from Typer's public BadParameter as the command finds them
    parser_error = {cls.__name__: cls for cls in UsageError.__subclasses__()}
    message = usage_message(parser_error["BadOptionUsage"]("--x", "Option '--x' requires 2 arguments."))
    assert message == "错误：选项 --x 后面缺少值。运行 policy --help 查看用法"
    message = usage_message(parser_error["BadArgumentUsage"]("Argument 'x' is not a valid integer."))
    assert message == "错误：Argument 'x' 不是整数。运行 policy --help 查看用法"


@pytest.mark.parametrize("args", [["--help"], ["estimate", "--help"], ["match", "--help"], ["list", "--help"]])
def test_piped_help_has_no_boxes_no_padding_and_no_line_starting_with_punctuation(args):
    out = invoke(*args).stdout
    assert not set("╭╮╰╯│─") & set(out)
    assert all(line == line.rstrip() for line in out.splitlines())
    assert not any(line.strip()[:1] in tuple("，。、；：）") for line in out.splitlines())


def test_ctrl_c_while_still_loading_is_quiet_and_exits_130(monkeypatch, capsys):
    import policycli.__main__ as entry
    import policycli.cli.app

    def interrupted(argv=None):
        raise KeyboardInterrupt  # as when Ctrl-C lands while Rich or the dataset is being imported

    monkeypatch.setattr(policycli.cli.app, "main", interrupted)
    assert entry.main() == 130
    assert capsys.readouterr() == ("", "")


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_ctrl_c_at_a_question_in_a_terminal_ends_the_line_for_the_shell(tmp_path):
    """Typed at a terminal, the shell's next prompt must not start right after the question."""
    import select
    import signal
    import time

    main, side = os.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "policycli", "match", "--interactive"], stdin=side,
                            stdout=subprocess.PIPE, stderr=side, cwd=tmp_path)
    os.close(side)
    shown = b""
    while "？".encode() not in shown or select.select([main], [], [], 0.5)[0]:  # the question, then quiet
        ready, _, _ = select.select([main], [], [], 20)
        assert ready, shown.decode("utf-8", "replace")
        shown += os.read(main, 4096)
    time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=20) == 130
    after = b""
    while select.select([main], [], [], 0.5)[0]:
        try:
            chunk = os.read(main, 4096)
        except OSError:
            break
        if not chunk:
            break
        after += chunk
    os.close(main)
    assert after.endswith(b"\n"), after


@pytest.mark.parametrize("columns", ["999999999999", "100000", "-5", "abc", "0", "1", " 80 "])
@pytest.mark.parametrize("args", [["--help"], ["list"], ["estimate", "techretrofit", "--invest", "3000万"]])
def test_any_columns_value_is_handled(columns, args):
    result = invoke(*args, env={"COLUMNS": columns})
    assert result.exit_code == 0, (result.stdout, result.stderr)
    assert result.stdout.strip() and "内部错误" not in result.stderr


LONG = "x" * 100_000
# Each option given a 100,000-character value: its one-line error quotes it clipped, with its length.
LONG_VALUES = [
    ["list", "--part", LONG], ["list", "--section", LONG], ["list", "--office", LONG], ["list", "--unit", LONG],
    ["list", "--format", LONG], ["search", "技改", "--limit", LONG], ["search", "技改", "--part", LONG],
    ["search", "技改", "--section", LONG], ["estimate", "techretrofit", "--invest", LONG],
    ["estimate", "ipopool", "--rd", "1", "--rd-last", LONG], ["estimate", "loansubsidy", "--loan", "1", "--signed", LONG],
    ["estimate", "loansubsidy", "--loan", "1", "--signed", "2024-03", "--years", LONG],
    ["estimate", "loansubsidy", "--loan", "1", "--signed", "2024-03", "--lpr", LONG],
    ["estimate", "loansubsidy", "--loan", "1", "--signed", "2024-03", "--lpr-term", LONG],
    ["estimate", "smartcommunity", "--level", LONG], ["estimate", "smartcommunity", "--level", "标杆型", "--count", LONG],
    ["match", "--profile", LONG], ["match", "--set", LONG], ["match", "--set", "invest=" + LONG],
    ["match", "--set", "entity=企业", "--save", LONG + "/a.yaml"], ["--data", LONG, "list"],
    ["serve", "--port", LONG], ["serve", "--host", LONG], ["show", LONG],
]


@pytest.mark.parametrize("args", LONG_VALUES, ids=[" ".join(a).replace(LONG, "LONG") for a in LONG_VALUES])
def test_a_long_value_is_clipped_in_its_message(args):
    result = invoke(*args)
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert "…（共 100,00" in line and len(line) < 400, line[:300]
    assert "内部错误" not in line


@pytest.mark.parametrize("host, says", [
    ("a\x1bb", "--host a\\x1bb: 不是有效的地址"),
    ("a" * 300, "--host " + "a" * 40 + "…（共 300 字）: 不是有效的地址"),
    ("a" * 70 + ".example.com", "--host " + "a" * 40 + "…（共 82 字）: 不是有效的地址"),
    ("bad\x00host", "--host bad\\x00host: 不是有效的地址"),
])
def test_a_host_that_is_no_address_is_one_line_and_exit_2(host, says):
    result = invoke("serve", "--host", host, "--port", "8000")
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith(says) and line.endswith("本机使用请省略 --host（默认 127.0.0.1），局域网使用如 --host 0.0.0.0")


@pytest.mark.parametrize("args", [["--help"], ["search", "--help"], ["match", "--help"], ["list", "--format", "json"]])
def test_output_into_a_pipe_closed_early_exits_quietly(tmp_path, args):
    """`policy --help | head -1` ends with 0 and says nothing, as every command does (not 141 or 1)."""
    command = " ".join([f'"{sys.executable}"', "-m", "policycli", *args])
    proc = subprocess.run(["bash", "-c", f"set -o pipefail; {command} | head -c 1 >/dev/null"], capture_output=True,
                          text=True, cwd=tmp_path, env={**os.environ, "COLUMNS": "80"})
    assert (proc.returncode, proc.stderr) == (0, "")


@pytest.mark.parametrize("args, code", [(["show", "nosuch"], 2), (["search", "养老服务"], 1), (["list", "--part", "9"], 2)])
def test_an_error_into_a_closed_stderr_keeps_its_exit_code(tmp_path, args, code):
    """`policy show nosuch 2>&1 | head -0`: the message cannot be written, the exit code still tells
    a script what happened (Rich's own handling would exit 1)."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # every write to stderr now fails with a broken pipe
    try:
        proc = subprocess.run([sys.executable, "-m", "policycli", *args], stdout=subprocess.DEVNULL, stderr=write_end,
                              cwd=tmp_path, env={**os.environ, "COLUMNS": "80"}, timeout=60)
    finally:
        os.close(write_end)
    assert proc.returncode == code

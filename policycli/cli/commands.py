"""The command classes behind `policy`: Chinese parser errors and help texts, and every failure
mapped to one Chinese line and an exit code (0 ok, 1 nothing found, 2 usage or data error,
130 interrupted, 70 internal error)."""
from __future__ import annotations

import os
import re
import sys
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from ..errors import PolicyError

# --- Chinese messages for the argument parser ---------------------------------------------------

HELP_OPTION_TEXT = "显示本帮助并退出。"
# The options Typer adds to the group for Tab completion, described in Chinese
COMPLETION_HELP = {
    "install_completion": "为当前 shell 安装 Tab 补全。",
    "show_completion": "显示当前 shell 的 Tab 补全脚本，以便复制或自定义。",
}


# Click's parser errors, reached through Typer's public BadParameter (Typer keeps Click inside itself):
# UsageError is the base of every one of them; the others are told by their class's name.
UsageError = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")


def _is(exc: BaseException, name: str) -> bool:
    """`exc` is a Click error of class `name` or of a subclass of it."""
    return any(c.__name__ == name for c in type(exc).__mro__)


def _global_option(ctx: Any, name: str) -> str:
    """The line for a global option (--list, --data) written after the command: put it before."""
    root = ctx.find_root() if ctx is not None and ctx.parent is not None else None
    option = next((p for p in root.command.params if name in getattr(p, "opts", ())), None) if root else None
    if option is None:
        return ""
    value = f" {option.metavar}" if option.metavar and not getattr(option, "is_flag", False) else ""
    command = ctx.command_path.partition(" ")[2]
    return (f"错误：{name} 是全局选项，要写在命令之前，如 {root.info_name} {name}{value} {command}。"
            f"运行 {root.info_name} --help 查看用法")


def usage_message(exc: Any) -> str:
    """One Chinese line for a parser error, naming what was wrong and what to do."""
    ctx = exc.ctx
    command = ctx.command_path if ctx else "policy"
    hint = f"运行 {command} --help 查看用法"
    if _is(exc, "NoSuchOption"):
        where = _global_option(ctx, exc.option_name)
        if where:
            return where
        similar = f"，是否要用 {'、'.join(exc.possibilities)}" if exc.possibilities else ""
        return f"错误：没有选项 {exc.option_name}{similar}。{hint}"
    if _is(exc, "MissingParameter"):
        name = _param_name(exc.param)
        return f"错误：缺少{'参数' if getattr(exc.param, 'param_type_name', '') == 'argument' else '选项'} {name}。{hint}"
    if _is(exc, "BadParameter"):
        return f"错误：{_param_name(exc.param)} 的值{_given(exc)}无效，{_expected(exc)}。{hint}"
    if _is(exc, "BadOptionUsage"):
        option = exc.option_name
        if " requires " in exc.message:
            return f"错误：选项 {option} 后面缺少值。{hint}"
        if "does not take a value" in exc.message:
            return f"错误：选项 {option} 是开关，不接受值：要用就写 {option}，不用就省略。{hint}"
        return f"错误：选项 {option} 用法不对：{_translate(exc.message)}。{hint}"
    message = exc.message
    if message.startswith("Missing command"):
        return "错误：缺少命令，如 policy list。运行 policy --help 查看全部命令"
    if message.startswith("No such command"):
        name = message.split("'")[1] if "'" in message else message
        return f"错误：没有命令 {name}{_nearest_command(ctx, name)}。运行 {command} --help 查看全部命令"
    extra = re.fullmatch(r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)", message)
    if extra:
        return f"错误：多余的参数 {extra.group(1)}；含空格的内容请加引号。{hint}"
    return f"错误：{_translate(message)}。{hint}"


def _nearest_command(ctx: Any, name: str) -> str:
    """"，是否要用 policy search" for a command mistyped (serach); for words that are no command
    (数据中心, a search forgotten), how to search them; "" otherwise."""
    from difflib import get_close_matches

    group = ctx.command if ctx else None
    commands = group.list_commands(ctx) if hasattr(group, "list_commands") else []
    near = get_close_matches(name.lower(), commands, n=1, cutoff=0.6)
    if near:
        return f"，是否要用 {ctx.command_path} {near[0]}"
    if "search" in commands and not name.isascii():
        return f"；要查政策请写 {ctx.command_path} search {name}"
    return ""


def _param_name(param: Any) -> str:
    if param is None:
        return ""
    opts = getattr(param, "opts", None) or []
    if getattr(param, "param_type_name", "") == "argument":
        return param.metavar or (param.name or "").upper()
    return "/".join(opts) or param.name


def _translate(message: str) -> str:
    """The parser's English words that have a Chinese form (for errors without one of their own)."""
    replacements = {
        "is not a valid integer": "不是整数",
        "is not a valid float": "不是数字",
        "is not one of": "不是以下之一：",
        "is not in the range": "不在范围内",
        "requires an argument": "需要一个值",
        "Option": "选项",
        "does not take a value": "不接受值",
    }
    for english, chinese in replacements.items():
        message = message.replace(english, chinese)
    return message.rstrip("。.")


def _given(exc: Any) -> str:
    """The rejected value in quotes, when the parser kept it (in the validation error it raises from)."""
    cause = exc.__cause__
    try:
        value = cause.errors()[0]["input"]  # type: ignore[union-attr]
    except (AttributeError, IndexError, KeyError, TypeError):
        return ""
    return f"“{value}”"


def _expected(exc: Any) -> str:
    """What the option accepts: its choices, or the parser's reason in Chinese."""
    descriptor = getattr(exc.param, "type_descriptor", None)
    if descriptor is not None and descriptor.is_choice and descriptor.choices:
        return "可选：" + "、".join(str(getattr(c, "value", c)) for c in descriptor.choices)
    return _translate(exc.message)


def refuse_repeats(ctx: Any, args: list[str]) -> None:
    """An option that takes one value given twice (`--invest 3000万 --invest 2000万`) is an error:
    the parser would silently keep the last value. Options meant to be repeated (`--level`, `--set`,
    `--list`) and switches are left alone."""
    from ..awards.input_table import repeated_message

    single = {}  # option spelling → the parameter it sets
    for param in ctx.command.params:
        if getattr(param, "param_type_name", "") == "option" and not (param.multiple or param.is_flag or param.count):
            single.update(dict.fromkeys(param.opts, param))
    seen: dict[Any, tuple[str, list[str]]] = {}
    tokens = iter(args)
    for token in tokens:
        if token == "--":
            break
        name, attached, value = token, "=" in token and token.startswith("--"), None
        if attached:
            name, value = token.split("=", 1)
        elif token.startswith("-") and not token.startswith("--") and len(token) > 2 and token[:2] in single:
            name, attached, value = token[:2], True, token[2:]
        param = single.get(name)
        if param is None:
            continue
        if not attached:
            value = next(tokens, "")
        seen.setdefault(param, (name, []))[1].append(value or "")
    for name, values in seen.values():
        if len(values) > 1:
            raise UsageError(repeated_message(f"选项 {name}", values), ctx=ctx)


class Localized:
    """Help of our own (`render.help`) for every command, with a Chinese help option; parser errors
    tied to the command they happened in. Only Click's public hooks are overridden."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            refuse_repeats(ctx, args)
            return super().parse_args(ctx, args)  # type: ignore[misc]
        except UsageError as exc:
            if exc.ctx is None:  # the option parser raises without one; the hint needs the command
                exc.ctx, exc.cmd = ctx, ctx.command
            raise

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = HELP_OPTION_TEXT
        return option

    def format_help(self, ctx: Any, formatter: Any) -> None:
        """The help written into Click's formatter, as Click's `get_help` expects."""
        from . import render
        from .render.help import help_view

        formatter.write(render.rendered(help_view(ctx)))


class PolicyCommand(Localized, TyperCommand):
    pass


COMPLETION_SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")


def _install_completion(ctx: Any, param: Any, value: Any) -> Any:
    """--install-completion for the user's shell ($SHELL), reporting in Chinese (Typer's own
    callback reports in English)."""
    from pathlib import Path

    from typer.completion import install

    from ..errors import InputError

    if not value or ctx.resilient_parsing:
        return value
    shell = value if isinstance(value, str) else Path(os.environ.get("SHELL", "")).name or None
    if shell not in COMPLETION_SHELLS:
        raise InputError(f"无法为 {shell or '当前 shell'} 安装 Tab 补全：只支持 bash、zsh、fish 和 PowerShell")
    shell, path = install(shell=shell)
    typer.echo(f"已为 {shell} 安装 Tab 补全：{path}。重新打开终端后生效")
    raise typer.Exit(0)


MAX_COLUMNS = 1000  # no terminal is wider; Rich lays help out in a buffer this wide
MIN_COLUMNS = 20  # narrower, Rich prints nothing but blank lines


def _usable_columns() -> None:
    """COLUMNS as Rich can use it: 0 ("width unknown" to some tools), text or a negative number is
    dropped (the terminal's own width, or 80), an absurd width is taken as the widest terminal and
    a width of a few columns as the narrowest that shows anything."""
    value = os.environ.get("COLUMNS")
    if value is None:
        return
    text = value.strip()
    if not (text.isascii() and text.isdigit()) or int(text) == 0:
        del os.environ["COLUMNS"]
    elif len(text) > 4 or int(text) > MAX_COLUMNS:
        os.environ["COLUMNS"] = str(MAX_COLUMNS)
    elif int(text) < MIN_COLUMNS:
        os.environ["COLUMNS"] = str(MIN_COLUMNS)


class PolicyGroup(Localized, TyperGroup):
    def main(self, args: Any = None, prog_name: str | None = None, complete_var: Any = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        """Run with every failure mapped to one Chinese line and an exit code; no traceback."""
        _usable_columns()
        for param in self.params:  # Typer adds its completion options after building the group
            if param.name in COMPLETION_HELP:
                param.help = COMPLETION_HELP[param.name]
            if param.name == "install_completion":
                param.callback = _install_completion
        given = list(sys.argv[1:] if args is None else args)
        code = run_safely(lambda: super(PolicyGroup, self).main(
            args=given, prog_name="policy", complete_var=complete_var,
            standalone_mode=False, **extra), check_stdout=complete_var is None, given=given)
        if standalone_mode:
            sys.exit(code)
        return code


def run_safely(call: Any, check_stdout: bool = False, given: list[str] | None = None) -> int:
    """`call()` with every failure turned into one line and an exit code; the arguments in `given`
    are clipped where a message quotes them (a 100,000-character value would bury the message)."""
    from ..dataset.text import clip_echoes
    from . import render

    def error(message: str) -> None:
        render.error(clip_echoes(message, given or []))

    if check_stdout and render.stdout_closed():
        error("无法写出结果：标准输出已关闭（如命令后写了 >&-）。请让结果输出到终端、文件或管道，如 > 结果.txt")
        return 2
    try:
        result = call()
        if sys.stdout is not None:
            sys.stdout.flush()  # a closed pipe shows here, not in Python's flush at exit
    except UsageError as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":  # `policy` alone: its message is the help
            typer.echo(exc.message)
            return 2
        try:
            message = usage_message(exc)
        except Exception:  # noqa: BLE001 - never let the message itself fail
            message = f"错误：{exc.format_message()}。运行 policy --help 查看用法"
        if message:
            error(message)
        return 2
    except PolicyError as exc:
        from .wording import bounded_lines

        for line in bounded_lines(exc):
            error(line)
        return exc.exit_code
    except (KeyboardInterrupt, typer.Abort):
        _end_the_line()
        return 130
    except Terminated:
        _end_the_line()
        return 143
    except BrokenPipeError:
        render.silence(1)
        return 0
    except SystemExit as exc:  # the parser and Rich exit 1 on a closed pipe; `policy list | head -1` is no error
        if not isinstance(exc.__context__, BrokenPipeError):
            raise
        render.silence(1)
        return 0
    except OSError as exc:  # the core turns its own file problems into PolicyErrors: this is the output
        from ..errors import os_reason

        render.silence(1)
        where = f"读写 {exc.filename}" if exc.filename else "写出结果"
        error(f"无法{where}：{os_reason(exc)}。请检查磁盘空间和输出位置后重试")
        return 2
    except Exception as exc:  # noqa: BLE001 - last resort: one line, never a traceback
        if os.environ.get("POLICY_DEBUG"):
            raise
        error(f"内部错误：{type(exc).__name__}: {str(exc).strip()}。请把这一行和所用命令反馈给维护者（设置 POLICY_DEBUG=1 可看详细信息）")
        return 70
    if result == 130:  # Typer turns Ctrl-C into this exit code itself, before the handler above
        _end_the_line()
    return result if isinstance(result, int) else 0


class Terminated(BaseException):
    """SIGTERM came (`timeout`, `kill`, a service manager stopping it): the command ends as on
    Ctrl-C, its `finally` clauses run (a bar drawn is taken off the terminal: it hides the cursor;
    the children indexing are stopped), exit 143."""


def end_on_sigterm() -> None:
    """From now on SIGTERM raises `Terminated` in this process (a child forked to index sets its own)."""
    import signal

    def stop(*_: Any) -> None:
        raise Terminated

    signal.signal(signal.SIGTERM, stop)


def _end_the_line() -> None:
    """After Ctrl-C at a question, the shell's prompt starts on a line of its own."""
    try:
        if sys.stderr is not None and sys.stderr.isatty():
            sys.stderr.write("\n")
            sys.stderr.flush()
    except (OSError, ValueError):
        pass

"""The command line's words for the core's messages: an input is its option (`--invest`), giving it
is "加 --major" or "用 --lpr 指定", and what to do next is a command to run."""
from __future__ import annotations

from typing import Any

from ..errors import Wording

SHORT_OPTIONS = {"output": "-o"}
FLAGS = {"major", "excellent", "force"}  # options that take no value


def option(name: str) -> str:
    """The option of an input or setting: rd_last → --rd-last, output → -o."""
    return SHORT_OPTIONS.get(name) or "--" + name.replace("_", "-")


def give(name: str, label: str) -> str:
    return f"加 {option(name)}" if name in FLAGS else f"用 {option(name)} 指定"


NEXT_STEPS = {
    "policy_ids": "。运行 policy list 查看全部编号",
    "policy_refs": "，运行 policy list 查看序号",
    "all_contacts": "。运行 policy contacts 查看全部联系人",
    "rephrase": "。换个说法再试，或运行 policy list 查看全部",
    "ask_office": "：运行 policy contacts 查看全部科室和电话，或 policy contacts 政策编号",
    "drop_filters": "。去掉 --part、--section 再试",
    "name_topic": "。请写上做了什么事或要哪类支持，如 技术改造、研发投入、贷款贴息，或运行 policy list 查看全部政策及其奖补额度",
    "search_example": "，例如 policy search 数据中心",
    "drop_list_filters": "。去掉部分筛选条件再试，或运行 policy list 查看全部",
}


def next_step(key: str, error: Any) -> str:
    if key == "estimate_alone":
        return f"；直接运行 policy estimate {error.value}"
    if key == "name_the_draft":
        return f"；要查它请加 --list {error.value}（写在命令名之前）"
    if key == "policy_ids" and error.code == "unknown_policy" and ":" in str(error.value or ""):
        from .context import shell_word

        name = str(error.value).rsplit(":", 1)[0]  # 清单:编号 not found in that list: list that list's ids
        return f"。运行 policy --list {shell_word(name)} list 查看这份清单的编号"
    if key == "compare_more":
        return compare_more() + "。"
    return NEXT_STEPS.get(key, "")


def compare_more() -> str:
    """After "N policies not compared by meaning yet" (search/semantic.py): how to compare them all."""
    from .context import prepare_command

    return f"（每次搜索接着比较一部分；运行 {prepare_command()} 可一次算完，政策多时需要较长时间）"


CLI = Wording(name=lambda name, label: option(name), give=give, next=next_step)


def lines(error: Any) -> list[str]:
    """The lines the command line prints for a core error."""
    return error.worded(CLI)


SHOWN_PROBLEMS = 10  # of a profile's many problems (hundreds of unknown keys): the first few and the count


def bounded_lines(error: Any) -> list[str]:
    """`lines`; of `ManyProblems`, the first SHOWN_PROBLEMS with how many there are in all (and the next step)."""
    from ..errors import ManyProblems

    said = lines(error)
    if not isinstance(error, ManyProblems) or len(said) <= SHOWN_PROBLEMS:
        return said
    then = CLI.next(error.next, error) if error.next else ""
    return [*said[:SHOWN_PROBLEMS], f"……共 {len(said):,} 处问题，以上是前 {SHOWN_PROBLEMS} 处{then}"]

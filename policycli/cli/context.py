"""What every command shares: the dataset a run uses (--data, POLICY_DATA or the library's lists
named by --list), loaded once per run, and Tab completion of list names and policy ids."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer


def complete_list_name(incomplete: str) -> list[tuple[str, str]]:
    """The library's list names for Tab completion; nothing when the library cannot be read."""
    try:
        from ..load import library_files

        return [(str(f.name), "随包清单" if f.shipped else f.origin) for f in library_files()
                if str(f.name).startswith(incomplete)]
    except Exception:  # noqa: BLE001 - completion must never fail loudly
        return []


def chosen_lists(ctx: typer.Context) -> tuple[str, ...]:
    """The --list names; refused together with --data or POLICY_DATA, which name one dataset."""
    from ..dataset.files import ENV_VAR
    from ..errors import InputError
    from ..load import reads_alone

    state = ctx.find_root().obj or {}
    wanted = state.get("lists", ())
    if wanted and reads_alone(state.get("data")):
        given = "--data" if state.get("data") is not None else f"环境变量 {ENV_VAR}"
        raise InputError(f"--list 选的是清单库中的清单，不能与 {given} 指定的单个数据文件同时使用；请去掉其中之一")
    return wanted


def catalog_of(ctx: typer.Context):
    """The dataset chosen by --data / POLICY_DATA, else the library's lists (all, or those named by
    --list), loaded once per run (from the cache when these lists were seen before)."""
    from ..load import load_chosen, reads_alone

    state = ctx.find_root().obj or {}
    if "catalog" not in state:
        from .render import reading_bar, warn

        wanted = chosen_lists(ctx)
        warn_ignored_settings()
        _CHOSEN.update(data=state.get("data"), lists=wanted)
        with reading_bar(alone=reads_alone(state.get("data"))) as progress:
            state["catalog"] = load_chosen(state.get("data"), wanted, progress)
        for line in state["catalog"].warnings if state["catalog"].lists else ():
            warn(line)
        if state["catalog"].set_aside:
            warn(set_aside_line(state["catalog"].set_aside, preparing=ctx.command_path.endswith("lists prepare")))
        from .render.layout import know_words

        catalog = state["catalog"]
        know_words(lambda: (k for p in catalog.policies for k in p.keywords))  # read only if a cell must break
    return state["catalog"]


def set_aside_line(names: tuple[str, ...], preparing: bool = False) -> str:
    """The line saying which import drafts of the library were not searched (or prepared), and
    how to search (or prepare) one."""
    shown = "、".join(f"“{n}”" for n in names)
    named = names[0] if len(names) == 1 else "名称"
    if preparing:
        return f"未准备草稿清单{shown}（编号、标题等草拟内容待确认）；要准备它请加 --list {named}，如 policy --list {named} lists prepare"
    return f"未查草稿清单{shown}（编号、标题等草拟内容待确认）；要查它请加 --list {named}，如 policy --list {named} search 关键词"


_CHOSEN: dict[str, Any] = {}  # the --data and --list of the dataset this run loaded, for the messages after it


def prepare_command(ctx: typer.Context | None = None) -> str:
    """`policy lists prepare` for the lists this run uses (its --list or --data), to copy."""
    state = (ctx.find_root().obj or {}) if ctx is not None else _CHOSEN
    if state.get("data") is not None:
        return f"policy --data {shell_word(str(state['data']))} lists prepare"
    return " ".join(["policy", *(f"--list {shell_word(n)}" for n in state.get("lists", ())), "lists", "prepare"])


def completing(ctx: typer.Context, items: Callable[[Any], list[tuple[str, str]]]) -> list[tuple[str, str]]:
    """`items(catalog)` for Tab completion; any failure (no dataset, bad YAML) offers nothing."""
    try:
        from ..load import load_chosen

        params = ctx.find_root().params or {}
        return items(load_chosen(params.get("data"), tuple(params.get("lists") or ())))
    except Exception:  # noqa: BLE001 - completion must never fail loudly
        return []


def complete_policy_id(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    return completing(ctx, lambda catalog: [(p.id, p.title) for p in catalog.policies if p.id.startswith(incomplete)])


def warn_ignored_settings() -> None:
    """Warn of each folder setting of the environment that is ignored (a relative path)."""
    from ..dataset import cache, library
    from .render import warn

    for line in (*cache.ignored_settings(), *library.ignored_settings()):
        warn(line)


def shell_word(text: str) -> str:
    """`text` as one word of a command to copy: as it is, or quoted when the shell would split or
    expand it."""
    import re
    from shlex import quote

    return text if re.fullmatch(r"[^\s'\"$`\\|&;<>()*?!#~{}\[\]]+", text) else quote(text)

"""The estimate inputs as options of `policy estimate`, one each, made from `awards.inputs.INPUTS`."""
from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Annotated, Any

import typer

from ..awards.input_table import INPUTS, REPEATABLE
from .wording import option


def input_option(name: str) -> tuple[Any, Any]:
    """(annotation, default) of the option of the input `name`."""
    item = INPUTS[name]
    if item.kind == "flag":
        return Annotated[bool, typer.Option(option(name), help=item.help)], False
    if name in REPEATABLE:  # --level 标杆型×2 --level 基础型×3 adds up as "标杆型×2、基础型×3" does
        return Annotated[list[str] | None, typer.Option(option(name), metavar=item.metavar, help=item.help + "也可重复本选项。",
                                                        show_default=False)], None
    return Annotated[str | None, typer.Option(option(name), metavar=item.metavar, help=item.help, show_default=False)], None


def with_input_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """`func(ctx, policy, fmt, **given)` as Typer sees it: an option for every input, between the
    policy argument and the format option, each passed in `given` under the input's name (a
    repeatable one as a list of its values)."""
    signature = inspect.signature(func, eval_str=True)
    fixed = [p for p in signature.parameters.values() if p.kind != p.VAR_KEYWORD]
    inputs = []
    for name in INPUTS:
        annotation, default = input_option(name)
        inputs.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation))
    last = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in fixed[2:]]
    func.__signature__ = signature.replace(parameters=[*fixed[:2], *inputs, *last])  # type: ignore[attr-defined]
    func.__annotations__ = {p.name: p.annotation for p in func.__signature__.parameters.values()}  # type: ignore[attr-defined]
    return func

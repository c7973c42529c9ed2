"""Jinja2 templates (autoescaped: every value is text, never markup) and the page response."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import HTMLResponse

TEMPLATES = Path(__file__).resolve().parent / "templates"


# An amount with its unit, and its 万元 in brackets: one unbreakable piece on a phone screen
AMOUNT = re.compile(r"\d[\d,]*(?:\.\d+)?\s?(?:万元|亿元|元)(?:（[\d.,]+万元）)?|（[\d.,]+万元）|\d[\d,]*(?:\.\d+)?%")


def money(text: Any) -> Markup:
    """`text` escaped, each amount in it wrapped in <span class="money"> (kept on one line)."""
    escaped = str(escape("" if text is None else str(text)))
    return Markup(AMOUNT.sub(lambda m: f'<span class="money">{m.group()}</span>', escaped))


def names(values: Any) -> Markup:
    """List names (黄岛2025-1) joined by 、, each escaped and kept on one line."""
    return Markup("、").join(Markup('<span class="name">{}</span>').format(shown(str(v))) for v in values)


def shown(value: Any) -> Any:
    """Every value a template writes, with control, escape and bidi characters shown as the terminal
    shows them (`\x1b`, `\u202e`): a title cannot turn the page's text around or hide in it."""
    from markupsafe import Markup

    from ..dataset.text import UNSAFE, visible

    if isinstance(value, str) and UNSAFE.search(value):
        return (Markup if isinstance(value, Markup) else str)(visible(value, keep="\n\t"))
    return value


def templates() -> Environment:
    from ..awards.money import format_yuan

    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, finalize=shown,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["yuan"] = lambda value: "—" if value is None else format_yuan(value)
    env.filters["money"] = money
    env.filters["names"] = names
    env.filters["tel"] = lambda phone: "tel:" + "".join(ch for ch in phone if ch.isdigit())
    return env


def page(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    env: Environment = request.app.state.templates
    html = env.get_template(name).render(catalog=request.app.state.catalog, request=request, **context)
    return HTMLResponse(html, status_code=status_code)

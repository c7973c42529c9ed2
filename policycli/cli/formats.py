"""The --format option every command has."""
from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    yaml = "yaml"


FormatOption = Annotated[
    Format,
    typer.Option("--format", "-f", case_sensitive=False,
                 help="输出格式：table 表格（默认）、json、csv（Excel 可直接打开）、yaml。"),
]

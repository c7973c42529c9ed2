"""What every format of a published list is turned into: rows of cells of paragraphs (a table's
rows) and loose paragraphs, each paragraph with the line it came from. Nothing here knows a
format or what the rows mean."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import NoReturn

from ..errors import InputError

BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")


@dataclass(frozen=True)
class Paragraph:
    line: int
    text: str
    bold: str = ""  # the paragraph's leading bold words (a policy's own title), when the format shows them


@dataclass
class Row:
    """A row of a table (cells of paragraphs; `table` counts the document's tables from 1), or a
    paragraph outside any table (one cell, `loose`)."""

    line: int
    cells: list[list[Paragraph]] = field(default_factory=list)
    loose: bool = False
    table: int = 0

    def texts(self) -> list[str]:
        return ["\n".join(p.text for p in cell) for cell in self.cells]

    @cached_property
    def single(self) -> str:
        """The text of a one-cell row (a paragraph, or a row merged across the table), else ""
        (worked out once: the row is complete when drafting reads it)."""
        filled = [t for t in self.texts() if t]
        return filled[0] if filled and len(set(filled)) == 1 else ""


@dataclass(frozen=True)
class ListFile:
    source: str
    rows: tuple[Row, ...]
    encoding: str  # the text's encoding, or the format ("docx", "xlsx", "pdf")


def clean(text: str) -> str:
    return BOOKMARK.sub("", text).replace("\u3000", " ").replace("\xa0", " ").strip()


def need(module: str, what: str) -> NoReturn:
    """`InputError` naming the extra to install when the optional reader of `what` is missing."""
    raise InputError(f"读取 {what} 需要可选组件（{module}）：请运行 pip install 'policycli[import]'，"
                     "或把清单另存为 .txt 后再导入")

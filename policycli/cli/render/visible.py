"""Control and escape characters in what is printed shown as `\\x1b`, `\\x9b` (`dataset.text.visible`),
in a Text, a table's title and headers and the text a wrapper holds; a table's cells are made
visible as they are added (`tables.Records`, `tables.Facts`)."""
from __future__ import annotations

import bisect
from typing import Any

from rich.table import Table
from rich.text import Span, Text

from ...dataset import text as safe


def made_visible(renderable: Any) -> Any:
    """`renderable` with its text made visible by `visible_text`: a Text itself, the title and
    headers of a table (its cells are made visible as they are added: `tables.Records`, `tables.Facts`),
    the text a wrapper holds."""
    if isinstance(renderable, Text):
        return visible_text(renderable) if safe.UNSAFE.search(renderable.plain) else renderable
    if isinstance(renderable, Table):
        renderable.title = made_visible(renderable.title)
        for column in renderable.columns:
            column.header = made_visible(column.header)
    elif isinstance(getattr(renderable, "text", None), Text):  # layout.Flow
        renderable.text = made_visible(renderable.text)
    elif isinstance(getattr(renderable, "renderables", None), list):  # rich.console.Group
        renderable.renderables[:] = [made_visible(r) for r in renderable.renderables]
    return renderable


def visible_text(text: Text) -> Text:
    """`text` with unsafe characters shown by `dataset.text.visible` (line breaks and tabs kept),
    its styles moved along with the characters they cover."""
    plain = text.plain
    pieces: list[str] = []
    shifts: list[tuple[int, int]] = []  # (position in plain, characters added up to and including it)
    added, last = 0, 0
    for match in safe.UNSAFE.finditer(plain):
        shown = safe.visible(match.group(), keep="\n\t")
        pieces += [plain[last:match.start()], shown]
        added += len(shown) - 1
        shifts.append((match.start(), added))
        last = match.end()
    pieces.append(plain[last:])

    positions = [position for position, _ in shifts]

    def moved(index: int) -> int:
        before = bisect.bisect_left(positions, index)
        return index + (shifts[before - 1][1] if before else 0)

    result = Text("".join(pieces), style=text.style, justify=text.justify, overflow=text.overflow,
                  no_wrap=text.no_wrap, end=text.end, tab_size=text.tab_size)
    result.spans = [Span(moved(s.start), moved(s.end), s.style) for s in text.spans]
    return result

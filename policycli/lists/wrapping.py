"""Lines that were only wrapped (the hard line breaks of a PDF, or of text copied out of one)
joined back into the paragraphs they were, and the spaces such text puts around numbers removed.
A line is wrapped when it is as full as the text's fullest lines and the next one does not begin
a numbered item or heading; a short line ends its paragraph."""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from .numbering import numbered

if TYPE_CHECKING:
    from .rows import Paragraph

FULL = 0.85  # a line at least this share of the fullest lines' length was wrapped
MIN_WIDTH = 16  # lines shorter than this are never taken for wrapped ones
NUMBER_SPACE = re.compile(r"(?<=[\u3400-\u9fff，。、；：（）])\s+(?=[\d.%]+)|(?<=[\d.%])\s+(?=[\u3400-\u9fff，。、；：（）])")


def joined(first: str, second: str) -> str:
    """Two pieces of one wrapped line: no space between Chinese text, one between Latin words."""
    if first[-1:].isascii() and first[-1:].isalnum() and second[:1].isascii() and second[:1].isalnum():
        return f"{first} {second}"
    return first + second


def starts_anew(text: str) -> bool:
    """The line begins a numbered item or heading, so it was not the rest of the line before."""
    return numbered(text) is not None


def width_of(lengths: Sequence[int]) -> int:
    """The length of a full line: that of the longest lines, ignoring the few longest (a title
    or a line that overflowed)."""
    ordered = sorted(lengths)
    return ordered[max(0, int(len(ordered) * 0.9) - 1)] if ordered else 0


def joined_lines(paragraphs: Sequence[Paragraph]) -> list[Paragraph]:
    """`paragraphs` (one per line of a text) with wrapped lines joined to the line after them;
    text whose lines are short or of uneven length (a Word export: a line per paragraph) is left
    as it is: in wrapped text most lines are about as full as the fullest."""
    lengths = [len(p.text) for p in paragraphs]
    width = width_of(lengths)
    full = sum(1 for n in lengths if FULL * width <= n <= width + 2)
    if width < MIN_WIDTH or full * 5 < len(lengths) * 2:
        return list(paragraphs)
    out: list[Paragraph] = []
    wrapped = False
    for paragraph in paragraphs:
        if wrapped and not starts_anew(paragraph.text):
            out[-1] = replace(out[-1], text=joined(out[-1].text, paragraph.text))
        else:
            out.append(paragraph)
        wrapped = len(paragraph.text) >= FULL * width
    return out


def tidy_numbers(text: str) -> str:
    """`2024 年` → `2024年`, `最高 600 万元` → `最高600万元`: spaces a PDF's text layer puts between
    digits and Chinese text."""
    return NUMBER_SPACE.sub("", text)

"""An office or a lead unit named in a query (信息化管理科电话多少, 區化工專項行動辦公室 聯絡電話,
人民银行黄岛支行). Their names say who handles a policy, not what it offers, so their words are no
evidence of a topic (办公室 alone finds nothing); but a whole name, as a phone clerk types it, asks
for the policies that office handles or that unit leads. The name is read out of the query and keeps
those policies: what is left is searched among them, and a question of nothing else (电话多少) is
answered by all of them."""
from __future__ import annotations

import functools

from .analyse import is_han
from .index import SEPARATOR, SearchIndex
from .scan import whole_hits


FIELDS = ("offices", "lead_units")  # the index's fields of whole names: the offices, the lead units


def read_out(folded: str, index: SearchIndex) -> tuple[str, dict[int, tuple[str, str, int]]]:
    """The folded query without the whole names of offices and lead units it holds, and the
    policies they handle: policy -> (the name as the list writes it, its field, its offset there).
    A name is taken as written or without the 区/市 it begins with, where the query's words begin
    and end (科技项目科 is no office in 科技项目科研经费: 科研 is one word); the longest first."""
    taken: list[tuple[int, int]] = []
    said: list[str] = []
    edges: set[int] | None = None
    for typed, name in _names(*(index.blobs[field].text for field in FIELDS)):
        at = folded.find(typed)
        while at >= 0:
            end = at + len(typed)
            if not any(a < end and at < b for a, b in taken):
                if edges is None:
                    from .words import word_edges

                    edges = word_edges(folded)
                if at in edges and end in edges:
                    taken.append((at, end))
                    said.append(name)
            at = folded.find(typed, end)
    handled: dict[int, tuple[str, str, int]] = {}
    for field in FIELDS:
        blob = index.blobs[field]
        text = blob.text

        def whole_item(a: int, b: int, text: str = text) -> bool:  # between separators (a policy's part starts after one)
            return (a == 0 or text[a - 1] == SEPARATOR) and text[b] == SEPARATOR

        for name in dict.fromkeys(said):
            for policy, at in whole_hits(blob, text, name, whole_item):
                handled.setdefault(policy, (name, field, at - blob.starts[policy]))
    if not handled:
        return folded, {}
    rest = list(folded)
    for a, b in taken:
        rest[a:b] = " " * (b - a)
    return "".join(rest), handled


@functools.lru_cache(maxsize=4)
def _names(*blobs: str) -> tuple[tuple[str, str], ...]:
    """(as one may type it, as written) for each whole name of the blobs' texts, longest first: as
    written and without a leading 区 or 市; fewer than four characters are too little to tell an
    office or a unit by (科技科 and 财政局 are words of a text too)."""
    names: dict[str, str] = {}
    for text in blobs:
        for name in dict.fromkeys(text.split(SEPARATOR)):
            for typed in (name, name[1:] if name[:1] in "区市" else name):
                if len(typed) >= 4:
                    names.setdefault(typed, name)
    return tuple(sorted(names.items(), key=lambda item: -len(item[0])))


def asks_only(rest: str) -> bool:
    """Whether what is left of a query beside an office's name only asks about it (电话多少,
    联系电话, 管哪些政策, 找谁): words that count nothing and the asking words of
    data/vocabulary.yaml `elsewhere.answers`, and characters alone."""
    from .asked import lists
    from .plainwords import plain

    left = rest
    for word in sorted({*plain().words, *lists().answers}, key=len, reverse=True):
        if len(word) >= 2 and word in left:
            left = left.replace(word, " ")
    return not any(is_han(a) and is_han(b) or a.isalnum() and b.isalnum() for a, b in zip(left, left[1:]))

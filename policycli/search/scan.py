"""Scanning the index: where a string occurs in each policy's part of a blob (the first time, the
first time as a run of whole words, with one character free), how telling a match is from the
share of policies holding it, and the sound strings of a piece of a query."""
from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable, Iterator
from typing import Any

from .analyse import is_han
from .index import SEPARATOR, SearchIndex

Accept = Callable[[int, int], bool]


def rarity(found_in: int, size: int) -> float:
    """How telling a match is, from the share of policies it occurs in (not their number, so
    that quality does not drift with the size of the dataset): 3.0 for none, 2.4 for 1 in 20,
    1.0 for half of them."""
    return math.log(1 + 1 / (found_in / max(size, 1) + 0.05))


def first_hits(haystack: str, needle: str, starts: list[int]) -> Iterator[tuple[int, int]]:
    """(policy, offset) of the first occurrence of `needle` in each policy's part of a blob."""
    at = haystack.find(needle)
    while at >= 0:
        policy = bisect_right(starts, at) - 1
        yield policy, at
        at = haystack.find(needle, starts[policy + 1])


def first_places(haystack: str, needle: str, starts: list[int]) -> dict[int, int]:
    """{policy: offset of the first `needle` in its part of a blob}: `first_hits` written out,
    for a needle many policies hold (a common piece of a question at 10,000 policies). The last
    answers are kept (`_RECENT`): the pieces of a question and the words precision checks are
    often the same needles in the same blobs (建设, 社区); a longer needle whose two-character
    pieces were all answered is looked for only in the policies holding every one of them (智慧社区
    after 智慧, 慧社, 社区). Callers do not change the answer."""
    key = (id(haystack), needle)
    known = _RECENT.get(key)
    if known is not None and known[0] is haystack and known[1] is starts:
        return known[2]
    pieces = _pieces_known(haystack, needle, starts)
    if pieces is not None:
        found = {}
        pieces.sort(key=len)
        for policy in sorted(set(pieces[0]).intersection(*pieces[1:])):
            at = haystack.find(needle, starts[policy], starts[policy + 1])
            if at >= 0:
                found[policy] = at - starts[policy]
        _RECENT.keep(key, (haystack, starts, found))
        return found
    found = {}
    find = haystack.find
    at = find(needle)
    following = 0  # the policy after the last one found: a common needle is often in it
    while at >= 0:
        policy = following if at < starts[following + 1] else bisect_right(starts, at, following + 1) - 1
        found[policy] = at - starts[policy]
        following = policy + 1
        at = find(needle, starts[following])
    _RECENT.keep(key, (haystack, starts, found))
    return found


def _pieces_known(haystack: str, needle: str, starts: list[int]) -> list[dict[int, int]] | None:
    """`first_places` of each two-character piece of `needle` (three characters or more) in this
    blob, in order, when `_RECENT` knows them all; else None."""
    if len(needle) < 3:
        return None
    answers = []
    for i in range(len(needle) - 1):
        known = _RECENT.get((id(haystack), needle[i : i + 2]))
        if known is None or known[0] is not haystack or known[1] is not starts:
            return None
        answers.append(known[2])
    return answers


class _Answers(dict):
    """first_places' last answers: (id of the blob's text, needle) -> (that text, kept alive so
    that the id stays its own, its starts, the answer). At most MOST answers and PLACES places in
    all (a few MiB: the needles of a few questions at 10,000 policies); all dropped beyond."""

    MOST = 256
    PLACES = 100_000
    places = 0

    def keep(self, key: tuple[int, str], answer: tuple[str, list[int], dict[int, int]]) -> None:
        if len(self) >= self.MOST or self.places + len(answer[2]) > self.PLACES:
            self.clear()
            self.places = 0
        self[key] = answer
        self.places += len(answer[2])


_RECENT = _Answers()


def whole_hits(blob: Any, haystack: str, needle: str, accept: Accept | None = None) -> Iterator[tuple[int, int]]:
    """Like `first_hits`, for the first occurrence in each policy that is a run of whole words
    (or that `accept(start, end)` accepts)."""
    accept = accept or blob.whole
    starts = blob.starts
    at = haystack.find(needle)
    while at >= 0:
        policy = bisect_right(starts, at) - 1
        end = starts[policy + 1] - 1
        at = at if accept(at, at + len(needle)) else next_whole(blob, needle, at, end, haystack, accept)
        if at >= 0:
            yield policy, at
        at = haystack.find(needle, end + 1)


def next_whole(blob: Any, needle: str, at: int, end: int, haystack: str | None = None,
               accept: Accept | None = None) -> int:
    """The first occurrence of `needle` from `at` to `end` that is a run of whole words, or -1."""
    haystack = blob.sound if haystack is None else haystack
    accept = accept or blob.whole
    while at >= 0:
        if accept(at, at + len(needle)):
            return at
        at = haystack.find(needle, at + 1, end)
    return -1


def wild_hits(haystack: str, prefix: str, suffix: str, starts: list[int]) -> Iterator[tuple[int, int]]:
    """Like `first_hits` for prefix + any one character but a separator + suffix."""
    if len(prefix) >= len(suffix):
        anchor, back = prefix, 0
    else:
        anchor, back = suffix, len(prefix) + 1
    middle = len(prefix)
    at = haystack.find(anchor)
    while at >= 0:
        start = at - back
        if (start >= 0 and haystack.startswith(prefix, start) and haystack[start + middle] != SEPARATOR
                and haystack.startswith(suffix, start + middle + 1)):
            policy = bisect_right(starts, start) - 1
            yield policy, start
            at = haystack.find(anchor, starts[policy + 1] + back)
        else:
            at = haystack.find(anchor, at + 1)


def sound_variants(index: SearchIndex, text: str, common: Callable[[str], str]) -> list[str]:
    """The sound strings `text` may stand for (each reading of each character the texts use; the
    usual reading of one they do not), none for a character of no known sound."""
    from ..phonetics.pinyin import NO_SOUND, fold, variants

    options = []
    for ch in text:
        if not is_han(ch):
            options.append((ch,))
            continue
        codes = index.readings.get(ch)
        if codes:
            options.append(tuple(codes))
            continue
        reading = common(ch)
        options.append((index.codes.get(fold(reading), NO_SOUND) if reading else NO_SOUND,))
    return [v for v in variants(options) if NO_SOUND not in v]


class CommonReadings:
    """Usual reading of a character the dataset does not use: from the shipped table of common
    characters, else straight from pypinyin (a character beyond GB 2312)."""

    def __init__(self) -> None:
        self.table: dict[str, str] | None = None

    def __call__(self, ch: str) -> str:
        from .index import common_readings

        if self.table is None:
            self.table = common_readings()
        found = self.table.get(ch)
        if found is None:
            from ..phonetics.pinyin import reading_of

            found = reading_of(ch)
        return found

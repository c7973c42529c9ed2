"""The search index: every searchable field of every policy, normalized, with its sound keys.

Built once per dataset (pypinyin is slow to import and to run) and cached under the dataset's
content hash; a search then only loads a few long strings and small tables.

Each field kind is one *blob*: the field's text of every policy in catalog order, each followed
by a newline, with `starts[i]` the offset of policy i. One `str.find` over a blob searches all
policies at once; `bisect` maps a hit back to its policy.
"""
from __future__ import annotations

import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from typing import Any

from ..dataset import cache
from ..dataset.model import Catalog, Policy

FIELDS = ("title", "keywords", "content", "section", "lead_units", "offices", "contacts")
SEPARATOR = "\n"  # ends each policy's text in a blob and parts of a list field; never in a query

Progress = Callable[[int, int], None]


class Blob:
    """One field of every policy: its text, sound string and initials string, end to end."""

    __slots__ = ("text", "sound", "initials", "starts")

    def __init__(self, text: str, sound: str, initials: str, starts: list[int]) -> None:
        self.text = text
        self.sound = sound
        self.initials = initials
        self.starts = starts

    def owner(self, offset: int) -> int:
        return bisect_right(self.starts, offset) - 1

    def field_of(self, policy: int) -> str:
        return self.text[self.starts[policy] : self.starts[policy + 1] - 1]


class SearchIndex:
    __slots__ = ("ids", "blobs", "readings", "codes", "syllables", "latin")

    def __init__(self, ids: tuple[str, ...], blobs: dict[str, Blob], readings: dict[str, str],
                 codes: dict[str, str], syllables: frozenset[str], latin: tuple[str, ...]) -> None:
        self.ids = ids
        self.blobs = blobs
        self.readings = readings  # Han character -> codes of its readings in the dataset
        self.codes = codes  # folded syllable -> code
        self.syllables = syllables  # syllables (as typed and folded) for reading Latin queries
        self.latin = latin  # per policy: pinyin of title and keywords, for near misses in pinyin

    @property
    def size(self) -> int:
        return len(self.ids)


def field_texts(catalog: Catalog, policy: Policy, joiner: str = SEPARATOR) -> dict[str, str]:
    """The searchable fields of a policy, list items joined by `joiner` (one character, so that
    offsets in the index are offsets in the displayed text too)."""
    part = catalog.part(policy.part)
    return {
        "title": policy.title,
        "keywords": joiner.join(policy.keywords),
        "content": policy.content,
        "section": policy.section or (part.name if part else ""),
        "lead_units": joiner.join(policy.lead_units),
        "offices": joiner.join(o.name for o in policy.offices),
        "contacts": joiner.join(f"{o.contact}{joiner}{o.phone}" for o in policy.offices),
    }


_folded: dict[str, str] = {}


def fold_text(text: str) -> str:
    """NFKC and lower case, one character out for each character in, so offsets stay valid."""
    quick = unicodedata.normalize("NFKC", text).lower()
    if len(quick) == len(text):
        return quick
    out = []
    for ch in text:
        folded = _folded.get(ch)
        if folded is None:
            folded = unicodedata.normalize("NFKC", ch).lower()
            folded = folded if len(folded) == 1 else ch
            _folded[ch] = folded
        out.append(folded)
    return "".join(out)


def build_index(catalog: Catalog, progress: Progress | None = None) -> SearchIndex:
    from . import pinyin

    vocabulary = pinyin.Vocabulary()
    scribe = pinyin.Transcriber(vocabulary)
    parts: dict[str, tuple[list[str], list[str], list[str], list[int]]] = {f: ([], [], [], [0]) for f in FIELDS}
    latin: list[str] = []
    total = len(catalog.policies)
    step = max(1, total // 100)
    for number, policy in enumerate(catalog.policies):
        texts = field_texts(catalog, policy)
        for name in FIELDS:
            text = fold_text(texts[name]) + SEPARATOR
            sound, initials = scribe.transcribe(text)
            plain, sounds, firsts, starts = parts[name]
            plain.append(text)
            sounds.append(sound)
            firsts.append(initials)
            starts.append(starts[-1] + len(text))
        latin.append(scribe.latin(fold_text(texts["title"] + " " + " ".join(policy.keywords))))
        if progress and (number % step == 0 or number + 1 == total):
            progress(number + 1, total)
    blobs = {name: Blob("".join(a), "".join(b), "".join(c), d) for name, (a, b, c, d) in parts.items()}
    typed = set(scribe.syllables) | {pinyin.fold(s) for s in scribe.syllables}
    return SearchIndex(
        ids=tuple(p.id for p in catalog.policies),
        blobs=blobs,
        readings={ch: "".join(sorted(codes)) for ch, codes in scribe.readings.items()},
        codes=dict(vocabulary.codes),
        syllables=frozenset(typed),
        latin=tuple(latin),
    )


# What a long-running process (the web app) has already read or built, so that it neither re-reads
# the cache file nor re-checks the code stamp per query: the last dataset's index and the common
# readings, each for the cache folder it was read from. Off for a command-line run, which reads once.
_KEPT: dict[str, tuple[Any, ...]] = {}
_KEEPING = [False]


def keep_in_memory(keep: bool = True) -> None:
    """From now on, keep the index and the readings in this process after the first read (or,
    with False, stop and forget what was kept)."""
    _KEEPING[0] = keep
    if not keep:
        _KEPT.clear()


def index_for(catalog: Catalog, progress: Progress | None = None) -> SearchIndex:
    """The cached index of this dataset, built (and cached) when missing or stale."""
    ids = tuple(p.id for p in catalog.policies)
    where = cache.cache_dir()
    kept = _KEPT.get("search")
    if catalog.digest and kept is not None and kept[:2] == (where, catalog.digest) and kept[2].ids == ids:
        return kept[2]
    stamp = cache.code_stamp()
    if catalog.digest:
        found = cache.load("search", catalog.digest, stamp)
        if isinstance(found, SearchIndex) and found.ids == ids:
            if _KEEPING[0]:
                _KEPT["search"] = (where, catalog.digest, found)
            return found
    with cache.gc_paused():
        index = build_index(catalog, progress)
    if catalog.digest:
        cache.store("search", catalog.digest, stamp, index)
        if _KEEPING[0]:
            _KEPT["search"] = (where, catalog.digest, index)
        common_readings()  # pypinyin is loaded now: cache these too, for typos in later queries
    return index


def common_readings() -> dict[str, str]:
    """Usual readings of the common characters (GB 2312), cached once for all datasets."""
    where = cache.cache_dir()
    kept = _KEPT.get("hanzi")
    if kept is not None and kept[0] == where:
        return kept[1]
    stamp = cache.code_stamp()
    found = cache.load("hanzi", "gb2312", stamp)
    if isinstance(found, dict):
        if _KEEPING[0]:
            _KEPT["hanzi"] = (where, found)
        return found
    from . import pinyin

    table = pinyin.common_readings()
    cache.store("hanzi", "gb2312", stamp, table)
    if _KEEPING[0]:
        _KEPT["hanzi"] = (where, table)
    return table

"""What a search index holds: every searchable field of every policy, folded, with its sound keys.

Each field kind is one *blob*: the field's text of every policy in catalog order, each followed
by a newline, with `starts[i]` the offset of policy i. One `str.find` over a blob searches all
policies at once; `bisect` maps a hit back to its policy. `SearchIndex` holds the blobs and the
tables beside them; `fold_text` is how every text (and every query) is folded for it.
"""
from __future__ import annotations

import functools
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from ..dataset.model import Catalog, Policy
from . import words
from .scripts import simplified_aligned

# "derived": the terms of our word lists (field vocabulary, glossary) that a policy's title or
# text holds, found at indexing, so that a list without hand-written keywords is searched alike.
FIELDS = ("title", "keywords", "derived", "content", "lead_units", "offices", "contacts", "id", "phones")
SEPARATOR = "\n"  # ends each policy's text in a blob and parts of a list field; never in a query

Progress = Callable[[int, int], None]


class ReadLater:
    """An object whose attributes named in `LATER` may be read from the cache when first used:
    `_later(name)` gives the value of one not set yet (see `search.stored`)."""

    __slots__ = ("_later",)
    LATER: frozenset[str] = frozenset()

    def __getattr__(self, name: str) -> Any:  # only for an attribute not set yet
        later = object.__getattribute__(self, "_later") if name in type(self).LATER else None
        if later is None:
            raise AttributeError(name)
        value = later(name)
        setattr(self, name, value)
        return value


class Blob(ReadLater):
    """One field of every policy: its text, sound string and initials string, end to end, and
    the edges of its words (see `words`). Read from the cache, each of the four texts is read when
    first used: a search for a word in Chinese characters reads no sound string."""

    __slots__ = ("text", "sound", "initials", "starts", "edges")
    LATER = frozenset(("text", "sound", "initials", "edges"))

    def __init__(self, text: str, sound: str, initials: str, starts: list[int], edges: str = "") -> None:
        self.text = text
        self.sound = sound
        self.initials = initials
        self.starts = starts
        self.edges = edges or words.EDGE * (len(text) + 1)
        self._later = None

    def whole(self, start: int, end: int) -> bool:
        """Whether text[start:end] is a run of whole words of the text."""
        return words.whole(self.edges, start, end)

    def owner(self, offset: int) -> int:
        return bisect_right(self.starts, offset) - 1

    def field_of(self, policy: int) -> str:
        return self.text[self.starts[policy] : self.starts[policy + 1] - 1]

    def holding(self, name: str, policies: Iterable[int], needles: Sequence[str]) -> set[int]:
        """Those of `policies` whose part of text `name` (the sound string) holds one of `needles`;
        of a text read from the cache and not read yet, without reading it whole (`search.stored`)."""
        starts = self.starts
        spans = {p: (starts[p], starts[p + 1]) for p in policies}
        try:
            text = object.__getattribute__(self, name)
        except AttributeError:
            found = object.__getattribute__(self, "_later").holding(name, spans, needles)
            if found is not None:
                return found
            text = getattr(self, name)
        return {p for p, (start, end) in spans.items() if any(text.find(n, start, end) >= 0 for n in needles)}


class SearchIndex(ReadLater):
    """Read from the cache, its tables are decoded when first used (`ReadLater`)."""

    __slots__ = ("ids", "blobs", "readings", "codes", "syllables", "latin", "related", "related_longest",
                 "spoken", "vocabulary", "english", "en_postings", "en_phrases", "en_longest", "terms", "to_join")
    LATER = frozenset(__slots__) - {"ids", "blobs"}

    def __init__(self, ids: tuple[str, ...], blobs: dict[str, Blob], readings: dict[str, str],
                 codes: dict[str, str], syllables: frozenset[str], latin: tuple[str, ...],
                 related: dict[str, tuple[str, ...]] | None = None, spoken: dict[str, str] | None = None,
                 vocabulary: frozenset[str] | None = None,
                 english: tuple[tuple[str, str] | None, ...] = (),
                 en_postings: dict[str, dict[int, float]] | None = None,
                 en_phrases: dict[tuple[str, ...], tuple[str, ...]] | None = None,
                 terms: frozenset[str] = frozenset(), to_join: bool = False) -> None:
        self.ids = ids
        self.blobs = blobs
        self.readings = readings  # Han character -> codes of its readings in the dataset
        self.codes = codes  # folded syllable -> code
        self.syllables = syllables  # syllables (as typed and folded) for reading Latin queries
        self.latin = latin  # per policy: pinyin of title and keywords, for near misses in pinyin
        self.spoken = spoken or {}  # sound string of a word of the texts -> that word (its commonest)
        self.vocabulary = vocabulary or frozenset()  # the words of the texts (and within them)
        self.english = english or (None,) * len(ids)  # per policy: our English (title, summary)
        self.en_postings = en_postings or {}  # English stem -> {policy: weight}
        # everyday word -> dataset terms (data/synonyms.yaml); stems of a glossary phrase -> Chinese terms
        self.set_word_tables(related or {}, en_phrases or {})
        self.terms = terms  # the terms of our word lists the texts hold (`lexicon.terms_in`)
        # Made to be joined with other lists' indexes (a library's list): `related` and
        # `en_phrases` are made when it is, from the `terms` of all of them (`stored.combine`).
        self.to_join = to_join
        self._later = None

    def set_word_tables(self, related: dict[str, tuple[str, ...]], en_phrases: dict[tuple[str, ...], tuple[str, ...]]) -> None:
        """Set its related words and English phrases, and the longest key of each."""
        self.related, self.en_phrases = related, en_phrases
        self.related_longest = max(map(len, related), default=0)
        self.en_longest = max(map(len, en_phrases), default=0)

    @property
    def size(self) -> int:
        return len(self.ids)


def field_texts(catalog: Catalog, policy: Policy, joiner: str = SEPARATOR) -> dict[str, str]:
    """The searchable fields of a policy, list items joined by `joiner` (one character, so that
    offsets in the index are offsets in the displayed text too)."""
    return {
        "title": policy.title,
        "keywords": joiner.join(policy.keywords),
        "derived": "",
        "content": policy.content,
        "lead_units": joiner.join(policy.lead_units),
        "offices": joiner.join(o.name for o in policy.offices),
        "contacts": joiner.join(f"{o.contact}{joiner}{o.phone}" for o in policy.offices),
        "id": policy.id,
        "phones": joiner.join(digits(o.phone) for o in policy.offices),
    }


@functools.lru_cache(maxsize=4096)  # a list's policies share a few offices' phones
def digits(text: str) -> str:
    return "".join(filter(str.isdigit, text))


_folded: dict[str, str] = {}


def fold_text(text: str) -> str:
    """NFKC, lower case and simplified characters (a list written in traditional ones), one
    character out for each character in, so offsets stay valid."""
    text = simplified_aligned(text)
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


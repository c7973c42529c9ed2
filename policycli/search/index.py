"""The search index: every searchable field of every policy, normalized, with its sound keys.

Built once per dataset (pypinyin is slow to import and to run) and cached under the dataset's
content hash; a search then only loads a few long strings and small tables.

Each field kind is one *blob*: the field's text of every policy in catalog order, each followed
by a newline, with `starts[i]` the offset of policy i. One `str.find` over a blob searches all
policies at once; `bisect` maps a hit back to its policy.
"""
from __future__ import annotations

import sys
import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from typing import Any

from ..dataset import cache
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


class SearchIndex(ReadLater):
    """Read from the cache, its tables are decoded when first used (`ReadLater`)."""

    __slots__ = ("ids", "blobs", "readings", "codes", "syllables", "latin", "related", "related_longest",
                 "spoken", "vocabulary", "english", "en_postings", "en_phrases", "en_longest")
    LATER = frozenset(__slots__) - {"ids", "blobs"}

    def __init__(self, ids: tuple[str, ...], blobs: dict[str, Blob], readings: dict[str, str],
                 codes: dict[str, str], syllables: frozenset[str], latin: tuple[str, ...],
                 related: dict[str, tuple[str, ...]] | None = None, spoken: dict[str, str] | None = None,
                 vocabulary: frozenset[str] | None = None,
                 english: tuple[tuple[str, str] | None, ...] = (),
                 en_postings: dict[str, dict[int, float]] | None = None,
                 en_phrases: dict[tuple[str, ...], tuple[str, ...]] | None = None) -> None:
        self.ids = ids
        self.blobs = blobs
        self.readings = readings  # Han character -> codes of its readings in the dataset
        self.codes = codes  # folded syllable -> code
        self.syllables = syllables  # syllables (as typed and folded) for reading Latin queries
        self.latin = latin  # per policy: pinyin of title and keywords, for near misses in pinyin
        self.related = related or {}  # everyday word -> dataset terms (data/synonyms.yaml)
        self.related_longest = max(map(len, self.related), default=0)
        self.spoken = spoken or {}  # sound string of a word of the texts -> that word (its commonest)
        self.vocabulary = vocabulary or frozenset()  # the words of the texts (and within them)
        self.english = english or (None,) * len(ids)  # per policy: our English (title, summary)
        self.en_postings = en_postings or {}  # English stem -> {policy: weight}
        self.en_phrases = en_phrases or {}  # stems of a glossary phrase -> Chinese terms
        self.en_longest = max(map(len, self.en_phrases), default=0)
        self._later = None

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


def digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


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


def build_index(catalog: Catalog, progress: Progress | None = None) -> SearchIndex:
    from ..phonetics import pinyin
    from . import english as english_words
    from . import lexicon

    from .stored import SHARED_CODES

    vocabulary = pinyin.Vocabulary()
    vocabulary.codes.update(SHARED_CODES)  # every list's index codes sounds alike (see stored)
    scribe = pinyin.Transcriber(vocabulary)
    parts: dict[str, tuple[list[str], list[str], list[str], list[int]]] = {f: ([], [], [], [0]) for f in FIELDS}
    latin: list[str] = []
    total = len(catalog.policies)
    step = max(1, total // 100)
    terms = lexicon.field_terms(fold_text("".join(f"{p.title}{SEPARATOR}{p.content}{SEPARATOR}"
                                                  for p in catalog.policies)), fold_text)
    for number, policy in enumerate(catalog.policies):
        texts = field_texts(catalog, policy)
        texts["derived"] = lexicon.derived_terms(fold_text(policy.title + SEPARATOR + policy.content), terms)
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
    used = {code for codes in scribe.readings.values() for code in codes}
    ids = tuple(p.id for p in catalog.policies)
    corpus = "".join(blobs[name].text for name in ("title", "keywords", "derived", "content"))
    related = lexicon.related_words(corpus, fold_text)
    glossary = lexicon.glossary(corpus, fold_text)
    own = [fold_text(k) for p in catalog.policies for k in p.keywords]
    own += [t for terms in related.values() for t in terms] + [t for terms in glossary.values() for t in terms]
    spoken, known = _segment(blobs, words.segmenter(dict.fromkeys(own)))
    english = lexicon.english_texts(ids)
    en_texts = [(i, text, weight) for i, pair in enumerate(english) if pair
                for text, weight in zip(pair, (1.0, 0.8), strict=True)]
    return SearchIndex(
        ids=ids,
        blobs=blobs,
        readings={ch: "".join(sorted(codes)) for ch, codes in scribe.readings.items()},
        codes={s: c for s, c in vocabulary.codes.items() if c in used},  # the sounds of this list only
        syllables=frozenset(typed),
        latin=tuple(latin),
        related=related,
        spoken=spoken,
        vocabulary=known,
        english=english,
        en_postings=english_words.postings(en_texts),
        en_phrases=english_words.phrases(glossary),
    )


# What a long-running process (the web app) has already read or built, so that it neither re-reads
# the cache file nor re-checks the code stamp per query: the last few indexes and the common
# readings, each for the cache folder it was read from. Off for a command-line run, which reads once.
_KEPT: dict[str, tuple[Any, ...]] = {}
_KEEPING = [False]
KEPT_INDEXES = 4  # indexes kept at once (the last read), each of a dataset or a library
# The index last given and the catalog it was asked for: one run asks again for the same catalog
# (the table of results breaks titles at the index's word edges), and is not read twice.
_LAST: list[Any] = []


def keep_in_memory(keep: bool = True) -> None:
    """From now on, keep the index and the readings in this process after the first read (or,
    with False, stop and forget what was kept)."""
    _KEEPING[0] = keep
    if not keep:
        _KEPT.clear()
        _LAST.clear()


WINDOW = 10_000  # characters cut into words at once
MAX_WORDS = 50_000  # distinct words of the texts counted for the vocabulary


def _words_within(piece: str, within: Callable[[str], list[str]]) -> list[tuple[int, str]]:
    """(offset, word) of a word of Han characters and of the words within it (none for others)."""
    if not 2 <= len(piece) <= 8 or not all("\u3400" <= ch <= "\u9fff" for ch in piece):
        return []
    if len(piece) == 2:
        return [(0, piece)]
    return [(piece.find(w), w) for w in dict.fromkeys(within(piece)) if len(w) >= 2 and w in piece]


def _segment(blobs: dict[str, Blob], cutters: tuple[Callable[[str], list[str]], Callable[[str], list[str]]]
             ) -> tuple[dict[str, str], frozenset[str]]:
    """Set the word edges of every blob; return the words of titles, keywords and texts and the
    words within them, and their sound string → word table (the commonest word of each sound),
    for reading typed pinyin."""
    cut, within = cutters
    first: dict[str, tuple[Blob, int]] = {}  # each distinct word: where it first occurs
    tally: dict[str, int] = {}
    for name, blob in blobs.items():
        edges = []
        counted = name in ("title", "keywords", "content")
        for policy in range(len(blob.starts) - 1):
            # a window of a policy's text at a time: the list of words stays small, even for a
            # text of a million characters (a word cut at a window's end is two words)
            for at in range(blob.starts[policy], blob.starts[policy + 1], WINDOW):
                text = blob.text[at : min(at + WINDOW, blob.starts[policy + 1])]
                pieces = cut(text)
                if sum(map(len, pieces)) != len(text):  # never expected: every edge for this text
                    pieces = list(text)
                edges.append(words.edges_of(pieces)[:-1])
                if not counted:
                    continue
                for piece in pieces:
                    if piece in tally:
                        tally[piece] += 1
                    elif len(tally) < MAX_WORDS:  # enough for any real vocabulary; bounds memory
                        first[piece] = (blob, at)
                        tally[piece] = 1
                    at += len(piece)
        blob.edges = "".join(edges) + words.EDGE
    counts: dict[str, dict[str, int]] = {}
    for piece, (blob, at) in first.items():
        for offset, word in _words_within(piece, within):
            sound = blob.sound[at + offset : at + offset + len(word)]
            seen = counts.setdefault(sound, {})
            seen[word] = seen.get(word, 0) + tally[piece]
    spoken = {sound: max(seen, key=lambda w: (seen[w], w)) for sound, seen in counts.items()}
    return spoken, frozenset(w for seen in counts.values() for w in seen)


def index_for(catalog: Catalog, progress: Progress | None = None) -> SearchIndex:
    """The cached index of this dataset, built (and cached) when missing or stale. A catalog that
    combines several lists (`Catalog.members`, a library) is indexed from its lists' own indexes,
    each cached under its list, put end to end: a list added to a library is the only one indexed."""
    ids = catalog.ids
    where = cache.cache_dir()
    if _LAST and _LAST[0] is catalog and _LAST[1:3] == [where, _stamp()]:
        return _LAST[3]
    key = catalog.digest or _members_key(catalog)
    kept = _KEPT.get(f"search {key}")
    if key and kept is not None and kept[0] == where and kept[1].ids == ids:
        _LAST[:] = [catalog, where, _stamp(), kept[1]]
        return kept[1]
    parts = members_kept(catalog) if catalog.members else []
    if len(parts) == 1 and parts[0][1] is None:  # one whole list: its own index
        index = _list_index(parts[0][0], progress)
    elif (index := _stored(key, ids)) is None:
        if parts:
            from .stored import combine

            index = combine([(_list_index(member, progress), keep) for member, keep in parts])
        else:
            with cache.gc_paused():
                index = build_index(catalog, progress)
        _store(key, index)
    if key and _KEEPING[0]:
        for older in [k for k in _KEPT if k.startswith("search ")][: -KEPT_INDEXES + 1 or None]:
            del _KEPT[older]
        _KEPT[f"search {key}"] = (where, index)
    _LAST[:] = [catalog, where, _stamp(), index]
    return index


def _members_key(catalog: Catalog) -> str:
    import hashlib

    if not catalog.members or not all(m.digest for m in catalog.members):
        return ""
    return hashlib.sha256("+".join(m.digest for m in catalog.members).encode("ascii")).hexdigest()


def members_kept(catalog: Catalog) -> list[tuple[Catalog, list[int] | None]]:
    """Each member list with the positions of its policies that the combined catalog holds (None:
    all of them): the combined policies are the members' in order, some perhaps left out. When the
    catalog names its lists (`Catalog.lists`, one per member), a policy is its own list's."""
    names = [info.name for info in catalog.lists] if len(catalog.lists) == len(catalog.members) else None
    chosen = iter(catalog.policies)
    wanted = next(chosen, None)
    out: list[tuple[Catalog, list[int] | None]] = []
    for number, member in enumerate(catalog.members):
        keep = []
        for position, policy in enumerate(member.policies):
            if wanted is not None and wanted.id == policy.id and (names is None or wanted.list == names[number]):
                keep.append(position)
                wanted = next(chosen, None)
        out.append((member, None if len(keep) == len(member.policies) else keep))
    if wanted is not None:
        raise ValueError("the combined catalog's policies are not its members' in order")
    return out


def _list_index(catalog: Catalog, progress: Progress | None) -> SearchIndex:
    """One list's index: from its entry, else built and stored."""
    ids = catalog.ids
    index = _stored(catalog.digest, ids)
    if index is None:
        with cache.gc_paused():
            index = build_index(catalog, progress)
        _store(catalog.digest, index)
    return index


def _stamp() -> str:
    """The code's stamp and the word lists': an edited word list makes a new index too."""
    from .lexicon import stamp as lists_stamp

    return cache.code_stamp() + lists_stamp()


def _stored(key: str, ids: tuple[str, ...]) -> SearchIndex | None:
    """The index kept under `key` when it is there, reads back whole and indexes `ids`."""
    from ..dataset.stored import Malformed
    from .stored import index_of

    found = cache.load("search", key, _stamp()) if key else None
    if found is None:
        return None
    try:
        with cache.gc_paused():
            index = index_of(found, SearchIndex, Blob)
    except Malformed:
        return None
    return index if index.ids == ids else None


def _store(key: str, index: SearchIndex) -> None:
    from .stored import index_entry

    if key:
        cache.store("search", key, _stamp(), index_entry(index))
    if "pypinyin" in sys.modules:  # an index was built: cache these too, for typos in later queries
        common_readings()


def common_readings() -> dict[str, str]:
    """Usual readings of the common characters (GB 2312), cached once for all datasets: the
    characters and their readings as two texts of one entry."""
    where = cache.cache_dir()
    kept = _KEPT.get("hanzi")
    if kept is not None and kept[0] == where:
        return kept[1]
    stamp = cache.code_stamp()
    found = cache.load("hanzi", "gb2312", stamp)
    table = _readings_of(found) if found is not None else None
    if table is None:
        from ..dataset.stored import joined
        from ..phonetics import pinyin

        table = pinyin.common_readings()
        texts: list[str] = []
        columns = [joined(list(table), texts), joined(list(table.values()), texts), len(table)]
        cache.store("hanzi", "gb2312", stamp, cache.Entry(columns, texts))
    if _KEEPING[0]:
        _KEPT["hanzi"] = (where, table)
    return table


def _readings_of(entry: cache.Entry) -> dict[str, str] | None:
    from ..dataset.stored import Malformed, split

    try:
        chars, readings, count = entry.data
        table = dict(zip(split(chars, entry.texts, count), split(readings, entry.texts, count), strict=True))
    except (Malformed, TypeError, ValueError, IndexError):
        return None
    return table if len(table) == count and all(len(ch) == 1 for ch in table) else None

"""The search index: every searchable field of every policy, normalized, with its sound keys.

Built once per dataset (pypinyin is slow to import and to run) and cached under the dataset's
content hash; a search then only loads a few long strings and small tables.

Each field kind is one *blob*: the field's text of every policy in catalog order, each followed
by a newline, with `starts[i]` the offset of policy i. One `str.find` over a blob searches all
policies at once; `bisect` maps a hit back to its policy.
"""
from __future__ import annotations

import functools
import gc
import re
import sys
import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from itertools import accumulate
from typing import Any

from ..dataset import cache
from ..dataset.model import Catalog, Policy
from . import words
from .scripts import in_gb2312, simplified_aligned

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
    """The index of a catalog, field by field: each field's text of every policy folded,
    transcribed and cut into words at once (see `_column`), not policy by policy."""
    from ..phonetics import pinyin
    from . import english as english_words
    from . import lexicon
    from .stored import SHARED_CODES

    scribe = pinyin.Transcriber(pinyin.Vocabulary(SHARED_CODES), _SHARED_RUNS)  # every list codes alike (see stored)
    policies = catalog.policies
    total = len(policies)
    texts = [field_texts(catalog, policy) for policy in policies]
    columns = {name: [t[name] for t in texts] for name in FIELDS}
    del texts
    blobs: dict[str, Blob] = {}
    for step, name in enumerate(sorted(FIELDS, key=lambda name: name == "derived")):  # derived from the others
        if name == "derived":  # the field vocabulary's terms in a policy's title or text
            titles, contents = (_pieces(blobs[n].text, blobs[n].starts) for n in ("title", "content"))
            own = [f"{t}{SEPARATOR}{c}" for t, c in zip(titles, contents)]
            terms = lexicon.field_terms(SEPARATOR.join(own), fold_text)
            columns[name] = [lexicon.derived_terms(text, terms) for text in own]
        text, starts = _column(columns.pop(name))
        blobs[name] = Blob(text, *scribe.transcribe(text), starts)
        if progress and total:
            progress(total * (step + 1) // len(FIELDS), total)
    blobs = {name: blobs[name] for name in FIELDS}
    latin = scribe.latin_each(_pieces(*_column([f"{p.title} {' '.join(p.keywords)}" for p in policies])))
    typed = scribe.syllables
    typed |= {pinyin.fold(s) for s in typed}
    readings = scribe.readings
    used = {code for codes in readings.values() for code in codes}
    ids = tuple(p.id for p in policies)
    corpus = "".join(blobs[name].text for name in ("title", "keywords", "derived", "content"))
    related = lexicon.related_words(corpus, fold_text)
    glossary = lexicon.glossary(corpus, fold_text)
    own = _pieces(*_column([k for p in policies for k in p.keywords]))
    own += [t for terms in related.values() for t in terms] + [t for terms in glossary.values() for t in terms]
    spoken, known = _segment(blobs, words.segmenter(dict.fromkeys(own)))
    english = lexicon.english_texts(ids)
    en_texts = [(i, text, weight) for i, pair in enumerate(english) if pair
                for text, weight in zip(pair, (1.0, 0.8), strict=True)]
    return SearchIndex(
        ids=ids,
        blobs=blobs,
        readings={ch: "".join(sorted(codes)) for ch, codes in readings.items()},
        codes={s: c for s, c in scribe.vocabulary.codes.items() if c in used},  # the sounds of this list only
        syllables=frozenset(typed),
        latin=tuple(latin),
        related=related,
        spoken=spoken,
        vocabulary=known,
        english=english,
        en_postings=english_words.postings(en_texts),
        en_phrases=english_words.phrases(glossary),
    )


_SHARED_RUNS: dict[str, Any] = {}  # runs of Han characters transcribed with the shared codes, for every list


def _column(texts: list[str]) -> tuple[str, list[int]]:
    """One field of every policy folded as `fold_text` folds each (each followed by SEPARATOR), and
    where each starts. A column of GB 2312 characters is folded at once, by a table."""
    whole = SEPARATOR.join(texts) + SEPARATOR
    starts = [0, *accumulate(len(text) + 1 for text in texts)]
    if not in_gb2312(whole):  # traditional characters, Japanese forms, other scripts: text by text
        return "".join(fold_text(text) + SEPARATOR for text in texts), starts
    table, expanding = _gb2312_folding()
    if not expanding.search(whole):
        return _replaced(whole, table).lower(), starts
    return "".join((fold_text(text) if expanding.search(text) else _replaced(text, table).lower()) + SEPARATOR
                   for text in texts), starts


def _replaced(text: str, table: dict[str, str]) -> str:
    """`text` with each character of `table` replaced (one `str.replace` per character present: a
    few of them, in most texts)."""
    for old, new in table.items():
        if old in text:
            text = text.replace(old, new)
    return text


@functools.cache
def _gb2312_folding() -> tuple[dict[str, str], re.Pattern[str]]:
    """What NFKC makes of each character of GB 2312 that it changes into one character (a text of
    them is folded by this table and lower case: none of them combines with its neighbour), and the
    characters it makes more of (…, ℃, ⑴), which `fold_text` keeps as they are."""
    table: dict[str, str] = {}
    expanding = []
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                ch = bytes((high, low)).decode("gb2312")
            except UnicodeDecodeError:
                continue
            folded = unicodedata.normalize("NFKC", ch)
            if len(folded) != 1 or len(folded.lower()) != 1:
                expanding.append(ch)
            elif folded != ch:
                table[ch] = folded
    return table, re.compile("[" + re.escape("".join(expanding)) + "]")


def _pieces(text: str, starts: list[int]) -> list[str]:
    """Each policy's text of a column (without its SEPARATOR)."""
    return [text[a : b - 1] for a, b in zip(starts, starts[1:])]


# What a long-running process (the web app) has already read or built, so that it neither re-reads
# the cache file nor re-checks the code stamp per query: the last few indexes and the common
# readings, each for the cache folder it was read from. Off for a command-line run, which reads once.
_KEPT: dict[str, tuple[Any, ...]] = {}
_KEEPING = [False]
KEPT_INDEXES = 4  # indexes kept at once (the last read), each of a dataset or a library


def keep_in_memory(keep: bool = True) -> None:
    """From now on, keep the index and the readings in this process after the first read (or,
    with False, stop and forget what was kept)."""
    _KEEPING[0] = keep
    if not keep:
        _KEPT.clear()


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
    from collections import Counter

    cut, within = cutters
    first: dict[str, tuple[Blob, int]] = {}  # each distinct word: where it first occurs
    tally: Counter[str] = Counter()
    for name, blob in blobs.items():
        edges = []
        counted = name in ("title", "keywords", "content")
        for start, end in _windows(blob.starts):
            text = blob.text[start:end]
            pieces = cut(text)
            if sum(map(len, pieces)) != len(text):  # never expected: every edge for this text
                pieces = list(text)
            edges.append(words.edges_of(pieces)[:-1])
            if counted:
                _count(pieces, start, blob, first, tally)
        blob.edges = "".join(edges) + words.EDGE
    counts: dict[str, dict[str, int]] = {}
    for piece, (blob, at) in first.items():
        for offset, word in _words_within(piece, within):
            sound = blob.sound[at + offset : at + offset + len(word)]
            seen = counts.setdefault(sound, {})
            seen[word] = seen.get(word, 0) + tally[piece]
    spoken = {sound: max(seen, key=lambda w: (seen[w], w)) for sound, seen in counts.items()}
    return spoken, frozenset(w for seen in counts.values() for w in seen)


def _windows(starts: list[int]) -> list[tuple[int, int]]:
    """(start, end) of the parts of a blob cut into words at once: whole policies together, up to
    WINDOW characters (their texts end in SEPARATOR, where a word always ends), and a longer text
    alone, WINDOW characters at a time (a word cut at a window's end is two words). The list of
    words stays small, even for a text of a million characters."""
    out = []
    policy, count = 0, len(starts) - 1
    while policy < count:
        start, end = starts[policy], starts[policy + 1]
        if end - start > WINDOW:
            out += [(at, min(at + WINDOW, end)) for at in range(start, end, WINDOW)]
            policy += 1
            continue
        last = max(bisect_right(starts, start + WINDOW) - 1, policy + 1)
        out.append((start, starts[last]))
        policy = last
    return out


def _count(pieces: list[str], start: int, blob: Blob, first: dict[str, tuple[Blob, int]], tally: Any) -> None:
    """Count the words of a window of `blob` (at `start`): each of the first MAX_WORDS distinct
    words met (enough for any real vocabulary; bounds memory) is counted from where it first
    occurs, which `first` keeps."""
    from collections import Counter

    fresh = set(pieces).difference(tally)
    room = MAX_WORDS - len(tally)
    if fresh and room > 0:
        admitted = fresh if len(fresh) <= room else [w for w in dict.fromkeys(pieces) if w in fresh][:room]
        offsets = list(accumulate(map(len, pieces), initial=start))[:-1]
        where = dict(zip(reversed(pieces), reversed(offsets)))  # the first offset of each word
        for word in admitted:
            first[word] = (blob, where[word])
            tally[word] = 0
    if len(fresh) <= room:  # every word of the window is counted
        tally.update(pieces)
        return
    for word, count in Counter(pieces).items():
        if word in tally:
            tally[word] += count


def index_for(catalog: Catalog, progress: Progress | None = None) -> SearchIndex:
    """The cached index of this dataset, built (and cached) when missing or stale. A catalog that
    combines several lists (`Catalog.members`, a library) is indexed from its lists' own indexes,
    each cached under its list, put end to end: a list added to a library is the only one indexed."""
    ids = catalog.ids
    where = cache.cache_dir()
    key = catalog.digest or _members_key(catalog)
    kept = _kept(where, key, ids, catalog)
    if kept is not None:
        return kept
    parts = members_kept(catalog) if catalog.members else []
    if len(parts) == 1 and parts[0][1] is None:  # one whole list: its own index
        index = _list_index(parts[0][0], progress)
    elif (index := _stored(key, ids)) is None:
        if parts:
            from .stored import combine

            with cache.pruning_after(), cache.gc_paused():  # each list's index is kept for the run
                index = combine([(_list_index(member, progress), keep) for member, keep in parts])
        else:
            with cache.gc_paused():
                index = build_index(catalog, progress)
        _store(key, index)
        gc.freeze()  # kept for the run: never walked by the collector again, not even at exit
    if key and _KEEPING[0]:
        for older in [k for k in _KEPT if k.startswith("search ")][: -KEPT_INDEXES + 1 or None]:
            del _KEPT[older]
        _KEPT[f"search {key}"] = (where, index)
    elif key:  # asked again for this catalog (a table breaking a title into words): not read back
        import weakref

        _KEPT["last"] = (where, key, index, weakref.ref(catalog))
    return index


def _kept(where: Any, key: str, ids: tuple[str, ...], catalog: Catalog) -> SearchIndex | None:
    """The index of `key` already in this process: kept, or the last one used for this very catalog."""
    found = _KEPT.get(f"search {key}")
    if found is None and (last := _KEPT.get("last")) is not None and last[1] == key and last[3]() is catalog:
        found = (last[0], last[2])
    if key and found is not None and found[0] == where and found[1].ids == ids:
        return found[1]
    return None


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
        gc.freeze()  # kept for the run: never walked by the collector again, not even at exit
    return index


def _stamp() -> str:
    """The code's stamp and the word lists': an edited word list makes a new index too."""
    return cache.code_stamp() + _lists_stamp()


@functools.cache  # the word lists are read once per process too (`lexicon.read`)
def _lists_stamp() -> str:
    from .lexicon import stamp

    return stamp()


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
    where = cache.cache_dir()
    if "pypinyin" in sys.modules and where not in _READINGS_STORED:  # an index was built: cache these
        common_readings()  # too, for typos in later queries (once per cache dir and process)
        _READINGS_STORED.add(where)


_READINGS_STORED: set[Any] = set()  # the cache dirs where this process has made sure of them


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

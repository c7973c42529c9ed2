"""Building a search index from a catalog (pypinyin and rjieba run here only): field by field,
each field's text of every policy folded, transcribed and cut into words at once."""
from __future__ import annotations

import functools
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from itertools import accumulate
from typing import Any, NamedTuple

from ..dataset.model import Catalog
from . import words
from .blob import FIELDS, SEPARATOR, Blob, Progress, SearchIndex, field_texts, fold_text
from .scripts import in_gb2312


def build_index(catalog: Catalog, progress: Progress | None = None, to_join: bool = False) -> SearchIndex:
    """The index of a catalog, field by field: each field's text of every policy folded,
    transcribed and cut into words at once (see `_column`), not policy by policy. With `to_join`,
    an index to join with other lists' (`SearchIndex.to_join`)."""
    return built(listing(catalog), progress, to_join=to_join)


def built(listed: Listing, progress: Progress | None = None, folded: Folded | None = None,
          to_join: bool = False) -> SearchIndex:
    """The index of a list from what indexing reads of it (`listing`); `folded`: its beginning,
    made before (`Folded`). With `to_join`, an index to join with other lists' (`SearchIndex.to_join`)."""
    return _built(listed, folded or Folded(listed), progress, to_join)


class Listing(NamedTuple):
    """What indexing a list reads of it, plain data that `marshal` sends to another process: its
    digest, each policy's id, title and keywords, and each field's texts (`FIELDS`, `field_texts`)."""

    digest: str
    ids: tuple[str, ...]
    titles: tuple[str, ...]
    keywords: tuple[tuple[str, ...], ...]
    texts: tuple[tuple[str, ...], ...]


def listing(catalog: Catalog) -> Listing:
    """What indexing reads of a catalog's list."""
    policies = catalog.policies
    texts = [field_texts(catalog, policy) for policy in policies]
    return Listing(catalog.digest, tuple(p.id for p in policies), tuple(p.title for p in policies),
                   tuple(tuple(p.keywords) for p in policies), tuple(tuple(t[name] for t in texts) for name in FIELDS))


def ready() -> None:
    """Import and read what indexing needs (pypinyin, rjieba and its dictionary, our word lists),
    indexing nothing: done once before a child is forked to index, it is done for both."""
    import rjieba  # noqa: F401  (its dictionary is loaded on import)

    from ..phonetics import pinyin
    from . import english, lexicon

    pinyin.Transcriber(pinyin.Vocabulary())
    nothing = lexicon.terms_in("", fold_text)
    lexicon.related_words(nothing, fold_text)
    lexicon.glossary(nothing, fold_text)
    lexicon.field_terms("", fold_text)
    lexicon.english_texts(())
    english.phrases({})


class Folded:
    """What indexing a list begins with (no pypinyin, no rjieba): each field's text of every
    policy folded (`_column`), the word lists' terms its texts hold, and its own words: those that
    indexing it teaches the word cutter (`words.segmenter`), its keywords and the terms of our word
    lists that its texts hold. The cutter keeps them for the process, so a list indexed after others
    is cut knowing theirs too (`search.index` gives another process the words of the lists before).
    A list of SPLIT_FROM policies or more is begun as two halves (`halves`, `split`), its own words
    theirs (the first's, then the second's), so that two processes may index it at once."""

    def __init__(self, listed: Listing, whole: bool = False) -> None:
        from . import lexicon

        self.halves: tuple[Folded, ...] = ()
        if not whole and len(listed.ids) >= SPLIT_FROM:
            self.halves = tuple(Folded(half, whole=True) for half in split(listed))
            self.own = list(dict.fromkeys(word for half in self.halves for word in half.own))
            return
        self.columns = {name: _column(list(texts)) for name, texts in zip(FIELDS, listed.texts, strict=True) if name != "derived"}
        titles, contents = (_pieces(*self.columns[n]) for n in ("title", "content"))
        own = [f"{t}{SEPARATOR}{c}" for t, c in zip(titles, contents)]
        terms = lexicon.field_terms(SEPARATOR.join(own), fold_text)  # the field vocabulary's terms in a title or text
        self.columns["derived"] = _column([lexicon.derived_terms(text, terms) for text in own])
        # (a term within a derived term is in the title or text that holds that one)
        self.terms = lexicon.terms_in("".join(self.columns[name][0] for name in ("title", "keywords", "content")), fold_text)
        self.related = lexicon.related_words(self.terms, fold_text)
        self.glossary = lexicon.glossary(self.terms, fold_text)
        self.own = _pieces(*_column([k for keywords in listed.keywords for k in keywords]))
        self.own += [t for terms in self.related.values() for t in terms] + [t for terms in self.glossary.values() for t in terms]


SPLIT_FROM = 2_000  # policies of a list from which it is indexed as two halves, joined (`Folded`)


def split(listed: Listing) -> tuple[Listing, Listing]:
    """The first and the second half of a list's policies, as lists of their own (their digests
    the list's, marked 1 and 2)."""
    cut = (len(listed.ids) + 1) // 2
    return tuple(Listing(f"{listed.digest}/{number}", *(part[at] for part in listed[1:4]),
                         tuple(texts[at] for texts in listed.texts))
                 for number, at in ((1, slice(None, cut)), (2, slice(cut, None))))


def halves_joined(listed: Listing, folded: Folded, progress: Progress | None = None) -> SearchIndex:
    """The index of a list begun as two halves (`Folded.halves`): the cutter taught the own words
    of both, each half indexed, the two joined (`stored.combine`: its related words and English
    phrases from the terms of both, as the list's)."""
    from .stored import combine

    words.teach(folded.own)
    made, done, total = [], 0, len(listed.ids)
    for half, begun in zip(split(listed), folded.halves, strict=True):
        told = (lambda d, _, at=done: progress(at + d, total)) if progress else None
        made.append(_built(half, begun, told, to_join=True))
        done += len(half.ids)
    return combine([(index, None) for index in made])


def _built(listed: Listing, folded: Folded, progress: Progress | None, to_join: bool = False) -> SearchIndex:
    if folded.halves:
        return halves_joined(listed, folded, progress)
    from ..phonetics import pinyin
    from . import english as english_words
    from . import lexicon
    from .stored import SHARED_CODES

    scribe = pinyin.Transcriber(pinyin.Vocabulary(SHARED_CODES), _SHARED_RUNS)  # every list codes alike (see stored)
    total = len(listed.ids)
    blobs: dict[str, Blob] = {}
    work = 2 * sum(len(text) for text, _ in folded.columns.values()) or 1  # each field transcribed, then cut
    done = [0]

    def did(name: str) -> None:  # the text of field `name` transcribed, or cut into words
        done[0] += len(blobs[name].text)
        if progress and total:
            progress(total * done[0] // work, total)

    for name in sorted(FIELDS, key=lambda name: name == "derived"):  # codes given in this order
        text, starts = folded.columns.pop(name)
        blobs[name] = Blob(text, *scribe.transcribe(text), starts)
        did(name)
    blobs = {name: blobs[name] for name in FIELDS}
    latin = scribe.latin_each(_pieces(*_column([f"{title} {' '.join(keywords)}" for title, keywords in zip(listed.titles, listed.keywords)])))
    typed = scribe.syllables
    typed |= {pinyin.fold(s) for s in typed}
    readings = scribe.readings
    used = {code for codes in readings.values() for code in codes}
    ids = listed.ids
    spoken, known = _segment(blobs, words.segmenter(dict.fromkeys(folded.own)), did)
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
        related=None if to_join else folded.related,
        spoken=spoken,
        vocabulary=known,
        english=english,
        en_postings=english_words.postings(en_texts),
        en_phrases=None if to_join else english_words.phrases(folded.glossary),
        terms=folded.terms,
        to_join=to_join,
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


WINDOW = 10_000  # characters cut into words at once
MAX_WORDS = 50_000  # distinct words of the texts counted for the vocabulary


def _words_within(piece: str, within: Callable[[str], list[str]]) -> list[tuple[int, str]]:
    """(offset, word) of a word of Han characters and of the words within it (none for others)."""
    if not 2 <= len(piece) <= 8 or not all("\u3400" <= ch <= "\u9fff" for ch in piece):
        return []
    if len(piece) == 2:
        return [(0, piece)]
    return [(piece.find(w), w) for w in dict.fromkeys(within(piece)) if len(w) >= 2 and w in piece]


def _segment(blobs: dict[str, Blob], cutters: tuple[Callable[[str], list[str]], Callable[[str], list[str]]],
             done: Callable[[str], None] | None = None) -> tuple[dict[str, str], frozenset[str]]:
    """Set the word edges of every blob (`done` told the name of each when it is); return the
    words of titles, keywords and texts and the words within them, and their sound string → word
    table (the commonest word of each sound), for reading typed pinyin."""
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
        if done is not None:
            done(name)
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


"""Words: where the words of a text begin and end, and the longest known words in a query.

Texts are segmented once, while an index is built, with rjieba (jieba's dictionary, compiled in)
plus the dataset's own terms; the result is kept as an *edges* string aligned with the text, so a
search only has to look up two characters to know whether a match is a whole run of words.
Queries are read at search time by forward maximum matching over a dict of known words: pure
Python, nothing to import.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

EDGE = "1"  # a word starts (or the text ends) at this offset
INSIDE = "0"


def segmenter(own_words: Iterable[str]) -> tuple[Callable[[str], list[str]], Callable[[str], list[str]]]:
    """Two functions knowing `own_words` as words: one cutting a text into words, one giving the
    words within a word (互联网 → 互联, 联网, 互联网). Without rjieba (not expected: it is a
    dependency) every character is a word, which accepts every match."""
    try:
        import rjieba
    except ImportError:  # pragma: no cover - a declared dependency
        return list, lambda word: [word]
    teach(own_words)
    return rjieba.cut, rjieba.cut_for_search


def teach(own_words: Iterable[str]) -> None:
    """Give rjieba's dictionary (one per process) the words of two characters or more it was not
    given yet: once each, as adding one again would raise its frequency."""
    import rjieba

    for word in own_words:
        if len(word) >= 2 and word not in _ADDED:
            rjieba.add_word(word, None, None)
            _ADDED.add(word)


_ADDED: set[str] = set()  # words given to rjieba in this process


def query_reader() -> Any:
    """rjieba as a query is read: jieba's dictionary alone. A process that indexed a list (or cut
    table cells) taught the shared dictionary that list's words; a query is read with a cutter of
    its own then, so that it reads the same in the run that built an index as in the runs that load
    it (重点项目库 is no word of jieba's: 重点项目 | 库). None without rjieba."""
    try:
        import rjieba
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    if not _ADDED:
        return rjieba
    if not _PRISTINE:
        _PRISTINE.append(rjieba.Jieba())
    return _PRISTINE[0]


_PRISTINE: list[Any] = []  # a cutter never taught a word, made when first needed


def edges_of(words: Iterable[str]) -> str:
    """The edges string of a text cut into `words` (one more character than the text)."""
    return "".join(map(_EDGES.__getitem__, map(len, words))) + EDGE


class _Edges(dict):
    """Word length -> its edges (an EDGE, then INSIDE for every other character)."""

    def __missing__(self, length: int) -> str:
        self[length] = edges = EDGE + INSIDE * (length - 1)
        return edges


_EDGES = _Edges()


def whole(edges: str, start: int, end: int) -> bool:
    """Whether text[start:end] begins and ends where words do (a run of whole words)."""
    return edges[start] == EDGE and edges[end] == EDGE


def longest_words(text: str, known: Mapping[str, object] | frozenset[str], longest: int) -> list[tuple[int, int]]:
    """Forward maximum matching: the (start, end) of known words of two or more characters in
    `text`, left to right, each the longest known word starting there; unknown characters are
    skipped one at a time."""
    found = []
    i, n = 0, len(text)
    while i < n - 1:
        for end in range(min(n, i + longest), i + 1, -1):
            if text[i:end] in known:
                found.append((i, end))
                i = end
                break
        else:
            i += 1
    return found


def known_words(text: str, known: Mapping[str, object] | frozenset[str], longest: int) -> list[tuple[int, int]]:
    """The (start, end) of every known word of two or more characters in `text`, except those
    inside a longer one found; overlapping words are all kept (贷款利息 and 利息负担 in
    贷款利息负担)."""
    found = [(i, j) for i in range(len(text) - 1) for j in range(i + 2, min(len(text), i + longest) + 1)
             if text[i:j] in known]
    return [(i, j) for i, j in found if not any(a <= i and j <= b and (a, b) != (i, j) for a, b in found)]


# Parts of speech (jieba's tags) of words that say what someone did or how much, not what about:
# verbs, numerals and measure words, adverbs, pronouns, particles, time words, locatives,
# prepositions, conjunctions. A verbal noun (vn) names a thing and is not among them.
EVERYDAY_TAGS = ("v", "vd", "vg", "m", "mq", "q", "d", "r", "u", "ul", "uj", "uz", "ug", "uv", "ud", "y", "t",
                  "f", "p", "c", "e", "o", "ad")


def everyday_words(text: str, tags: tuple[str, ...] = EVERYDAY_TAGS, *, guess: bool = True) -> list[tuple[int, int]]:
    """The (start, end) of the words of `text` that are everyday verbs, numerals, adverbs and the
    like (添置, 几台, 提前): rjieba's tagger, imported only for a query with words the dataset does
    not know; `tags` are jieba's tags of such words. Without `guess`, jieba does not guess words
    its dictionary lacks (its HMM made 太旧 a place name and 条新 an adjective): their characters
    stand alone. Nothing without rjieba."""
    jieba = query_reader()
    if jieba is None:  # pragma: no cover - a declared dependency
        return []
    out = []
    at = 0
    for word, tag in jieba.tag(text, guess):
        if tag in tags or len(word) == 1:  # a character alone says little (厂, 新)
            out.append((at, at + len(word)))
        at += len(word)
    return out


def word_edges(text: str) -> set[int]:
    """Where jieba's words of `text` begin and end (every offset without rjieba): a word of the
    texts found in a query across two of its words (废旧 in 报废|旧车) is not what was written."""
    jieba = query_reader()
    if jieba is None:  # pragma: no cover - a declared dependency
        return set(range(len(text) + 1))
    edges, at = {0}, 0
    for word in jieba.cut(text, False):
        at += len(word)
        edges.add(at)
    return edges


def item_starts(blobs: Mapping[str, Any], fields: Iterable[str], separator: str, item: str) -> frozenset[int] | None:
    """Where the words of `item` begin when it is a whole item of one of `fields` (a title, an
    office name: the text between separators, folded as the index folds it), as the index cut
    them at its first such place: a table can break a title between its words without segmenting
    it again. None when no field holds it whole."""
    if not item or separator in item:
        return None
    for name in fields:
        blob = blobs.get(name)
        if blob is None:
            continue
        if blob.text.startswith(item + separator):
            at = 0
        else:
            at = blob.text.find(separator + item + separator)
            if at < 0:
                continue
            at += len(separator)
        return frozenset(i for i in range(len(item)) if blob.edges[at + i] == EDGE)
    return None

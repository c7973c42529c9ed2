"""Our own word lists, read while an index is built: the general vocabulary of the field
(data/vocabulary.yaml: everyday words, abbreviations, older names and Taiwan/Hong Kong words for
the terms of industrial, science-and-technology and digital-economy policy, tied to no list),
everyday words for this list's terms (data/synonyms.yaml, a refinement), an English title and
summary per policy (data/english.yaml) and an English to Chinese glossary (data/glossary.yaml).
None of them is official text; each file says so.

Only what fits the dataset is kept: a synonym or glossary target that occurs in no policy is
dropped, so the lists can serve an edited or another dataset without inventing matches.
"""
from __future__ import annotations

import functools
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import Any

from ..dataset.files import shipped_file

VOCABULARY = "vocabulary.yaml"
SYNONYMS = "synonyms.yaml"
ENGLISH = "english.yaml"
GLOSSARY = "glossary.yaml"
KOREAN_JAPANESE = "korean_japanese.yaml"
ENGLISH_WORDS = "english_words.yaml"
TAIWAN_HONGKONG = "taiwan_hongkong.yaml"
PLAINWORDS = "plainwords.yaml"
PLACES = "places.yaml"


@functools.cache  # the shipped word lists change with the package, not while a process runs
def stamp() -> str:
    """Size and modification time of each word list, for the cache key of an index."""
    parts = []
    for name in (VOCABULARY, SYNONYMS, ENGLISH, GLOSSARY, ENGLISH_WORDS, PLAINWORDS, KOREAN_JAPANESE, PLACES):
        try:
            st = Path(shipped_file(name)).stat()
            parts.append(f"{name}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append(f"{name}:-")
    return "/" + "/".join(parts)


@functools.cache  # read once per process: a library's lists are indexed one after another
def read(name: str) -> Any:
    """A shipped word list, or None when it is missing or unreadable (search then works without it).
    Shared by every caller: read, never changed."""
    import yaml

    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        return yaml.load(Path(shipped_file(name)).read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - a safe loader
    except (OSError, yaml.YAMLError):
        return None


def word_lists(name: str, section: str | None, keys: tuple[str, ...], fold: Any) -> list[list[str]]:
    """The lists `keys` of a shipped word list (of its mapping `section`, or at its top), each word
    folded by `fold` as queries are; kept in the cache dir, so that a search does not read YAML.
    Empty lists when the file is missing."""
    from ..dataset import cache
    from ..dataset.stored import Malformed, joined, split

    kind, key = "words", "-".join((Path(name).stem, *([section] if section else []), *keys))  # one entry per lists read
    stamped = cache.code_stamp() + stamp()
    found = cache.load(kind, key, stamped)
    if found is not None:
        try:
            return [split(column, found.texts, count) for column, count in found.data]
        except (Malformed, TypeError, ValueError, IndexError):
            pass
    data = read(name) or {}
    data = (data.get(section) or {}) if section else data
    lists = [[fold(str(w)) for w in data.get(k) or [] if w] for k in keys]
    texts: list[str] = []
    cache.store(kind, key, stamped, cache.Entry([[joined(w, texts), len(w)] for w in lists], texts))
    return lists


def occurring(terms: Iterable[str], corpus: str) -> tuple[str, ...]:
    """The terms that occur in `corpus` (the dataset's searchable text, folded, end to end)."""
    return tuple(t for t in dict.fromkeys(terms) if t and t in corpus)


def terms_in(corpus: str, fold: Any) -> frozenset[str]:
    """The terms of our word lists (the groups' and the glossary's, folded by `fold`) that occur in
    `corpus`: each looked for once, for `related_words` and `glossary` to ask of."""
    return frozenset(filter(corpus.__contains__, _all_terms(fold)))


@functools.cache
def _all_terms(fold: Any) -> tuple[str, ...]:
    groups, holding = _groups_holding(fold)
    return tuple(dict.fromkeys([*holding, *(t for _, chinese in _folded_glossary(fold) for t in chinese)]))


def related_words(corpus: AbstractSet[str] | str, fold: Any) -> dict[str, tuple[str, ...]]:
    """Everyday word → the dataset terms it stands for (only terms that occur in `corpus`: a text,
    or the terms it holds, `terms_in`)."""
    out: dict[str, tuple[str, ...]] = {}  # word -> its terms, in order
    more: set[str] = set()  # the words of more than one group: their terms may repeat
    groups, holding = _groups_holding(fold)
    for number in sorted({n for term, numbers in holding.items() if term in corpus for n in numbers}):
        terms, words = groups[number]
        kept = tuple(dict.fromkeys(t for t in terms if t in corpus))
        if not kept:
            continue
        for key in words:
            seen = out.get(key)
            if seen is None:
                out[key] = kept
            else:
                out[key] = seen + kept
                more.add(key)
    for key in more:
        out[key] = tuple(dict.fromkeys(out[key]))
    return out


@functools.cache
def _groups_holding(fold: Any) -> tuple[tuple[tuple[tuple[str, ...], tuple[str, ...]], ...], dict[str, list[int]]]:
    """The folded groups, and the numbers of the groups holding each term: a list holds the terms
    of a few of them."""
    groups = _folded_groups(fold)
    holding: dict[str, list[int]] = {}
    for number, (terms, _) in enumerate(groups):
        for term in terms:
            holding.setdefault(term, []).append(number)
    return groups, holding


@functools.cache  # the same for every list indexed in a process
def _folded_groups(fold: Any) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """(terms, everyday words of two characters or more) of each group of `_groups`, folded."""
    return tuple((tuple(fold(str(t)) for t in group.get("terms") or []),
                  tuple(key for word in group.get("words") or [] if len(key := fold(str(word))) >= 2))
                 for group in _groups())


def english_texts(ids: tuple[str, ...]) -> tuple[tuple[str, str] | None, ...]:
    """(title, summary) of each policy in catalog order, None where our translation has no entry."""
    data = (read(ENGLISH) or {}).get("policies") or {}
    out = []
    for pid in ids:
        entry = data.get(pid) or {}
        title, summary = entry.get("title"), entry.get("summary")
        out.append((str(title), str(summary)) if title and summary else None)
    return tuple(out)


def glossary(corpus: AbstractSet[str] | str, fold: Any) -> dict[str, list[str]]:
    """English phrase → the Chinese terms it translates that occur in `corpus` (as in `related_words`)."""
    out = {}
    for english, chinese in _folded_glossary(fold):
        kept = [t for t in chinese if t in corpus]
        if kept:
            out[english] = kept
    return out


@functools.cache
def _folded_glossary(fold: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each English phrase and its Chinese terms, folded, each once (none empty)."""
    data = (read(GLOSSARY) or {}).get("glossary") or {}
    return tuple((str(english).lower(), tuple(t for t in dict.fromkeys(fold(str(c)) for c in chinese or []) if t))
                 for english, chinese in data.items())


def _groups() -> list[dict[str, Any]]:
    """The groups of the field vocabulary and of the list's own synonyms, in that order."""
    return [g for name in (VOCABULARY, SYNONYMS) for g in ((read(name) or {}).get("groups") or [])]


def field_terms(corpus: str, fold: Any) -> tuple[str, ...]:
    """The terms of the field vocabulary that occur in `corpus`, longest first: what a policy
    holding one of them is about (a list's own synonyms name terms mentioned in passing too)."""
    return tuple(sorted(occurring(_vocabulary_terms(fold), corpus), key=len, reverse=True))


@functools.cache
def _vocabulary_terms(fold: Any) -> tuple[str, ...]:
    """The field vocabulary's terms of two characters or more, folded."""
    terms = [fold(str(t)) for g in ((read(VOCABULARY) or {}).get("groups") or []) for t in g.get("terms") or []]
    return tuple(t for t in terms if len(t) >= 2)


def derived_terms(text: str, terms: tuple[str, ...], joiner: str = "\n") -> str:
    """The `terms` a policy's text holds, as keywords derived at indexing (a term inside a longer
    one found is left out: 数据中心 for 新型数据中心 is kept, as both are listed terms)."""
    return joiner.join(t for t in terms if t in text)


_KOREAN_JAPANESE: list[tuple[dict[str, str], int, frozenset[str], tuple[str, ...]]] = []


def korean_japanese(fold: Any) -> tuple[dict[str, str], int, frozenset[str], tuple[str, ...]]:
    """Korean or Japanese word (folded by `fold`, as queries are) → Chinese term ("" for an
    everyday word that says nothing about the topic), the longest word's length, the grammar words
    (particles, endings, question words) and the endings of Korean predicates; read once, only
    for a query in Hangul or kana."""
    if not _KOREAN_JAPANESE:
        data = read(KOREAN_JAPANESE) or {}
        table = {fold(str(w)): "" for w in data.get("everyday") or [] if w}
        table.update({fold(str(k)): str(v) for k, v in (data.get("words") or {}).items() if k and v})
        grammar = frozenset(fold(str(w)) for w in data.get("grammar") or [] if w)
        endings = tuple(fold(str(w)) for w in data.get("endings") or [] if w)
        _KOREAN_JAPANESE.append((table, max(map(len, table), default=0), grammar, endings))
    return _KOREAN_JAPANESE[0]

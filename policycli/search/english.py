"""English: words of an English query reduced to stems, matched against our English title and
summary of each policy (an unofficial translation) and, through our glossary, against the Chinese.

The stemmer is a light suffix stripper applied alike to the texts (at index time) and the query,
with British and American spellings folded (centre/center, utilisation/utilization): what matters
is that both sides reduce the same way, not linguistic exactness. Pure Python, nothing to import.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable

_WORD = re.compile(r"[a-z0-9]+(?:[&'][a-z0-9]+)*")
# Words that say nothing about the topic.
STOPWORDS = frozenset(
    "a an the of for and or to in on at by with from as is are be been was were it its this that these those "
    "our we us i my me you your they their there what which who whom whose how when where why can could do does "
    "did get got have has had will would should may might must any some all per each about into than then also "
    "please want need looking look find tell know up out off over under more most less least very "
    "after before other another just only such both via again already still because since so if but "
    "use used using make made lot lots much many".split()
)
# Words of nearly every policy (their stems): they count little, like 补贴 and 政策 in Chinese.
GENERIC = frozenset(
    "subsidy subsidize subsidise award fund funding support grant policy enterprise company firm business project money "
    "incentive reward scheme programme program apply application rmb yuan million".split()
)
# What a question about the procedure asks: the list states none of it.
PROCEDURE = frozenset(
    "deadline date time timeline schedule address office hour form material document paperwork procedure "
    "process step submit submission result list publicity contact phone telephone tel email".split()
)
# Words that make a query a sentence (pronouns, question words, auxiliaries) rather than a noun
# phrase, and the prepositions that end the head of one (customs clearance | for imported machinery).
SENTENCE = frozenset(
    "i we our us my me you your they their it its there this that what which who whom whose how when where why "
    "can could do does did is are was were am be been will would should shall may might must have has had "
    "please any".split()
)
PREPOSITIONS = frozenset(
    "for of on to with in at by from about without under into via per after before over against through "
    "toward towards within between among like than".split()
)
_SUFFIXES = (
    ("ological", "ology"),  # technological transformation, technology transformation
    ("isations", "ization"), ("izations", "ization"), ("isation", "ization"),
    ("ising", "iz"), ("izing", "iz"), ("ised", "iz"), ("ized", "iz"), ("ises", "iz"), ("izes", "iz"),
    ("ise", "iz"), ("ize", "iz"),
    ("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", "e"), ("s", ""),
)


@functools.lru_cache(maxsize=8192)  # the glossary's words are stemmed for every list indexed
def stem(word: str) -> str:
    """centres → center, laboratories → laboratory, recycling → recycl, utilisation → utilization."""
    w = word.lower()
    if len(w) <= 3 or not w.isalpha():
        return w
    for suffix, replacement in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            if suffix == "s" and w.endswith(("ss", "us", "is")):
                break
            w = w[: -len(suffix)] + replacement
            break
    if w.endswith("re") and len(w) > 4 and w[-3] not in "aeiou":
        w = w[:-2] + "er"  # centre, metre
    if w.endswith("e") and len(w) >= 4:
        w = w[:-1]  # cycle/cycled, finance/financed, base/based reduce alike
    return w


GENERIC = frozenset(stem(w) for w in GENERIC)
PROCEDURE = frozenset(stem(w) for w in PROCEDURE)


@functools.cache
def everyday() -> frozenset[str]:
    """The stems of the everyday words of a question that say nothing about its topic
    (data/english_words.yaml: need, preparing, can't); read when a list is indexed."""
    from .lexicon import ENGLISH_WORDS, read

    return frozenset(stem(str(w).lower()) for w in (read(ENGLISH_WORDS) or {}).get("everyday") or [] if w)


@functools.cache
def elsewhere() -> frozenset[str]:
    """The stems of the English words that put a question with another office or with a person
    (hiring, wages, visas: data/english_words.yaml `elsewhere`); kept in the cache dir with the
    other word lists, so that a search reads no YAML."""
    from .lexicon import ENGLISH_WORDS, word_lists

    return frozenset(stem(w) for w in word_lists(ENGLISH_WORDS, None, ("elsewhere",), str.lower)[0] if w)


def tokens(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def stems(text: str) -> list[str]:
    return [stem(t) for t in tokens(text) if t not in STOPWORDS]


def postings(texts: Iterable[tuple[int, str, float]]) -> dict[str, dict[int, float]]:
    """stem → {policy: weight} from (policy, text, weight of that text) triples, best weight kept."""
    out: dict[str, dict[int, float]] = {}
    for policy, text, weight in texts:
        for s in stems(text):
            seen = out.setdefault(s, {})
            if seen.get(policy, 0.0) < weight:
                seen[policy] = weight
    return out


def phrases(glossary: dict[str, list[str]]) -> dict[tuple[str, ...], tuple[str, ...]]:
    """The glossary keyed by the stems of each English phrase, and each everyday word (`everyday`)
    that is no phrase of its own keyed alone to no term: kept with the index, so that a query
    knows them without reading the word list."""
    out = dict(_everyday_keys())
    for english, chinese in glossary.items():
        key = _glossary_key(english)
        if key and chinese:
            out[key] = tuple(dict.fromkeys(out.get(key, ()) + tuple(chinese)))
    return out


@functools.cache  # the same for every list indexed in a process
def _everyday_keys() -> dict[tuple[str, ...], tuple[str, ...]]:
    return {(word,): () for word in everyday()}


@functools.cache  # a phrase of the glossary (a bounded set), keyed once per process, not once per list
def _glossary_key(english: str) -> tuple[str, ...]:
    return _phrase_key(tokens(english))


def _phrase_key(words: list[str]) -> tuple[str, ...]:
    """The stems a query holds of a glossary phrase: its stopwords dropped, as a query's are
    (open to the public → open public); none for a phrase left with one word so (set up, list on):
    that word alone says less than the phrase."""
    kept = [stem(w) for w in words if w not in STOPWORDS]
    return tuple(kept) if len(kept) == len(words) or len(kept) > 1 else ()


def glossed(words: list[str], table: dict[tuple[str, ...], tuple[str, ...]], longest: int) -> list[tuple[int, int, tuple[str, ...]]]:
    """The glossary phrases in a sequence of stems, longest first at each position, as
    (start, end, Chinese terms)."""
    found = []
    i = 0
    while i < len(words):
        for end in range(min(len(words), i + longest), i, -1):
            terms = table.get(tuple(words[i:end]))
            if terms:
                found.append((i, end, terms))
                i = end
                break
        else:
            i += 1
    return found


def phrase_head(words: list[str], everyday: Callable[[str], bool], generic: Callable[[str], bool]
                ) -> tuple[str | None, bool]:
    """The head of an English query that is a noun phrase: the last word before the first
    preposition that is neither `everyday` nor `generic`, as the last word of a compound is its
    head (lottery of license plate lottery, clearance of customs clearance for imported
    machinery); and whether it ends the phrase (no generic word after it: ranking of ranking
    reward is what the reward is for). None for a sentence (a pronoun, a question word, an
    auxiliary) or a phrase whose first part says nothing (funding for ...)."""
    if any(w in SENTENCE for w in words):
        return None, False
    head, last = None, False
    for word in words:
        if word in PREPOSITIONS:
            break
        if everyday(word):
            continue
        if generic(word):
            last = False
        else:
            head, last = word, True
    return head, last

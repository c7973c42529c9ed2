"""Recall: a second reading of a query the strict ranking found nothing for.

The strict ranking (rank.py) lets every word of a query count, so a long sentence in someone's
own words (我们厂新买了一批数控机床，听说能按比例返点) or an English sentence finds nothing when
one word is in no text. This pass reads such a query as a bag of words instead:

  - the words of the query that the texts know (whole words of the texts and within them), the
    everyday words of data/synonyms.yaml, English words of our English texts or glossary;
  - a pair of characters the texts lack, read by sound as a whole word of the texts (设被 → 设备,
    心片 → 芯片), as a typo;
  - words nobody wrote (返点, 公寓) are dropped: they neither count nor veto;
  - question words, procedure words and words nearly every policy uses (补贴, 资金, subsidy)
    count nothing.

Each word found counts by how rare it is among the policies (`_rarity`); a policy's evidence is the
sum over the distinct words it holds (a word held only by sound or as a related word counts less).
A policy is a result only when its evidence reaches MIN_EVIDENCE, which takes two telling words
or one very rare one with another: one word in common with an unrelated question (人才 of 人才公寓)
is not enough. A question that is one topic word framed by everyday words (我们厂今年买了几台新设备，
能申请补贴吗; 设备投了五千万，最多能补多少) needs less, FRAMED_EVIDENCE (one word of a few policies):
every other word of it is a question, generic or framing word, an everyday verb, number, adverb or
the like (jieba's tags), or a character alone; a noun no policy holds (电梯 of 老旧小区加装电梯) keeps
the bar where it was. Results of this pass are approximate, and the results say so.
"""
from __future__ import annotations

import functools
from typing import Any

from .english import GENERIC as EN_GENERIC
from .english import PROCEDURE as EN_PROCEDURE
from .english import STOPWORDS, stem
from .weights import FRAMED_EVIDENCE, LENGTH_BONUS, LONGEST, MIN_EVIDENCE, RELATIVE
from .weights import RECALL_RELATED_CREDIT as RELATED_CREDIT
from .weights import RECALL_SOUND_CREDIT as SOUND_CREDIT
from .words import known_words

# Evidence needed (MIN_EVIDENCE, weights.py): two words each found in one policy in ten (rarity
# 2.0 each), or a word of one policy in twenty (2.4) with another of one in four (1.5); one word
# alone only when it is a long word of the texts (贷款利息: 2.4 × 1.5).
TEXT_FIELDS = ("title", "keywords", "derived", "content")


class Word:
    """A word of the query found in some policies: which, how, and where."""

    __slots__ = ("text", "how", "where", "weight", "at")

    def __init__(self, text: str, how: str, at: tuple[int, int] = (0, 0)) -> None:
        self.text = text
        self.at = at  # (start, end) in the query's term
        self.how = how  # words (of the texts, as typed), related, sound or english
        self.where: dict[int, tuple[str, int, int, float]] = {}  # policy -> (field, start, end, credit)
        self.weight = 0.0


def recall(index: Any, terms: list[Any], plain: frozenset[str], sounds: Any, rarity: Any, *,
           framed: bool = True) -> dict[int, tuple[float, list[Word]]]:
    """{policy: (evidence, words found)} for the policies whose evidence passes the cutoff.
    `plain` are the words that count nothing (fillers, generic and procedure words), `sounds`
    gives the sound strings of a piece of text, `rarity` the weight of a share of policies.
    With `framed`, a policy holding the topic of a question of everyday words needs less."""
    found: list[Word] = []
    read: list[tuple[Any, list[Word]]] = []  # each term with the words found in it
    for term in terms:
        if term.latin:
            word = _english(index, term)
            words = [word] if word else []
        else:
            words = _chinese(index, term.text, plain, sounds)
        found += words
        read.append((term, words))
    evidence: dict[int, float] = {}
    held: dict[int, list[Word]] = {}
    seen: set[str] = set()
    for word in found:
        owners = frozenset(word.where)
        if not owners or word.text in seen:
            continue
        seen.add(word.text)
        credit = SOUND_CREDIT if word.how == "sound" else RELATED_CREDIT if word.how == "related" else 1.0
        if word.how == "words":  # a longer word of the texts is a more telling one (贷款利息)
            credit *= min(LONGEST, 1 + LENGTH_BONUS * (len(word.text) - 2))
        word.weight = credit * rarity(len(owners), index.size)
        for policy in owners:
            evidence[policy] = evidence.get(policy, 0.0) + word.weight * word.where[policy][3]
            held.setdefault(policy, []).append(word)
    if not evidence:
        return {}
    best = max(evidence.values())
    framing = _Framing(read) if framed else None
    return {p: (e, held[p]) for p, e in evidence.items() if e >= RELATIVE * best and (
        e >= MIN_EVIDENCE or (framing is not None and e >= FRAMED_EVIDENCE and framing.only(p)))}


class _Framing:
    """Whether all a query says besides what a policy holds only frames it: question, generic and
    framing words, and everyday words (a verb, number, adverb and the like, or a character alone:
    words.everyday_words) that are no word of the texts."""

    def __init__(self, read: list[tuple[Any, list[Word]]]) -> None:
        self.read = read
        self.everyday: dict[str, list[tuple[int, int]]] = {}
        self.edges: dict[str, set[int]] = {}

    def only(self, policy: int) -> bool:
        return all(self._term(term, words, policy) for term, words in self.read)

    def _as_written(self, text: str, a: int, b: int, covered: list[bool]) -> bool:
        """Whether the word found at text[a:b] is a word of the query: with a character left
        beside it, it must begin and end where jieba's words do (年租 of 青年租屋 is none)."""
        if (a == 0 or covered[a - 1]) and (b == len(text) or covered[b]):
            return True
        if text not in self.edges:
            from .words import word_edges

            self.edges[text] = word_edges(text)
        return a in self.edges[text] and b in self.edges[text]

    def _term(self, term: Any, words: list[Word], policy: int) -> bool:
        if term.importance < 1 or all(w < 1 for w in term.weights):  # generic words alone (有什么扶持政策)
            return True
        if term.latin:  # English is read word by word, as before: only Chinese is framed
            return False
        text = term.text
        covered = [w < 1 or not ch.isalpha() for ch, w in zip(text, term.weights, strict=True)]
        known = [False] * len(text)  # inside a word of the texts: a topic, never framing
        for word in words:
            a, b = word.at
            if policy in word.where and self._as_written(text, a, b, covered):
                covered[a:b] = [True] * (b - a)
            known[a:b] = [True] * (b - a)
        for start, end in _runs(covered, known):  # what is left, cut into words by itself
            piece = text[start:end]
            if piece not in self.everyday:
                from .words import EVERYDAY_TAGS, everyday_words

                self.everyday[piece] = everyday_words(piece, EVERYDAY_TAGS + ("a",), guess=False)  # and adjectives (新, 简便)
            for a, b in self.everyday[piece]:
                covered[start + a : start + b] = [True] * (b - a)
        return all(covered)


def _runs(covered: list[bool], known: list[bool]) -> list[tuple[int, int]]:
    """(start, end) of each run of characters neither covered nor inside a word of the texts."""
    runs, start = [], None
    for i, free in enumerate([not c and not k for c, k in zip(covered, known, strict=True)] + [False]):
        if free and start is None:
            start = i
        elif not free and start is not None:
            runs.append((start, i))
            start = None
    return runs


def _english(index: Any, term: Any) -> Word | None:
    key = stem(term.text)
    if term.text in STOPWORDS or key in EN_GENERIC or key in EN_PROCEDURE:
        return None
    word = Word(term.text, "english")
    for policy, weight in index.en_postings.get(key, {}).items():
        word.where.setdefault(policy, ("english", 0, 0, weight))
    for chinese in term.gloss:
        _locate(index, chinese, word)
    return word if word.where else None


def _chinese(index: Any, text: str, plain: frozenset[str], sounds: Any) -> list[Word]:
    spans = known_words(text, index.vocabulary, 8) + known_words(text, index.related, index.related_longest)
    spans = [(a, b) for a, b in spans if not any(c <= a and b <= d and (c, d) != (a, b) for c, d in spans)]
    covered = [False] * len(text)
    out = []
    for a, b in sorted(set(spans)):
        piece = text[a:b]
        covered[a:b] = [True] * (b - a)
        if piece in plain or all(ch in plain for ch in piece) or _made_of(piece, plain):
            continue
        word = Word(piece, "related" if piece in index.related else "words", (a, b))
        if piece in index.related:
            for official in index.related[piece]:
                _locate(index, official, word, fields=TEXT_FIELDS[:3])  # what a policy is about
        if piece in index.vocabulary:
            word.how = "words"
            _locate(index, piece, word)
        if word.where:
            out.append(word)
    # Two characters of no known word: a typo of a word of the texts, by sound (设被 → 设备); not
    # two of which one is of a word that counts nothing (有什 of 有什么 is no typo of 由省).
    for a, b in known_words(text, plain, _longest(plain)):
        covered[a:b] = [True] * (b - a)
    for i in range(len(text) - 1):
        piece = text[i : i + 2]
        if covered[i] or covered[i + 1] or not all("\u3400" <= ch <= "\u9fff" for ch in piece):
            continue
        if piece in plain or all(ch in plain for ch in piece):
            continue
        word = Word(piece, "sound", (i, i + 2))
        for needle in sounds(piece):
            for name in TEXT_FIELDS:
                blob = index.blobs[name]
                at = blob.sound.find(needle)
                while at >= 0:
                    policy = blob.owner(at)
                    if blob.whole(at, at + 2) and blob.text[at : at + 2] not in plain:
                        start = at - blob.starts[policy]
                        word.where.setdefault(policy, (name, start, start + 2, 1.0))
                        at = blob.sound.find(needle, blob.starts[policy + 1])  # the first in a policy is enough
                    else:
                        at = blob.sound.find(needle, at + 1)
        if word.where:
            out.append(word)
    return out


@functools.lru_cache(maxsize=4)
def _longest(words: frozenset[str]) -> int:
    return max(map(len, words), default=1)


def _made_of(piece: str, plain: frozenset[str]) -> bool:
    """Whether `piece` is a run of words that count nothing (没有补贴, 申请资金)."""
    if not piece:
        return True
    return any(piece.startswith(w) and _made_of(piece[len(w):], plain) for w in plain if len(w) >= 1 and piece.startswith(w))


def _locate(index: Any, needle: str, word: Word, fields: tuple[str, ...] = TEXT_FIELDS) -> None:
    """Record the first place of `needle` in each policy's fields."""
    for name in fields:
        blob = index.blobs[name]
        at = blob.text.find(needle)
        while at >= 0:
            policy = blob.owner(at)
            start = at - blob.starts[policy]
            word.where.setdefault(policy, (name, start, start + len(needle), 1.0))
            at = blob.text.find(needle, blob.starts[policy + 1])

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
is not enough. Results of this pass are approximate, and the results say so.
"""
from __future__ import annotations

from typing import Any

from .english import GENERIC as EN_GENERIC
from .english import PROCEDURE as EN_PROCEDURE
from .english import STOPWORDS, stem
from .weights import LENGTH_BONUS, LONGEST, MIN_EVIDENCE, RELATIVE
from .weights import RECALL_RELATED_CREDIT as RELATED_CREDIT
from .weights import RECALL_SOUND_CREDIT as SOUND_CREDIT
from .words import known_words

# Evidence needed (MIN_EVIDENCE, weights.py): two words each found in one policy in ten (rarity
# 2.0 each), or a word of one policy in twenty (2.4) with another of one in four (1.5); one word
# alone only when it is a long word of the texts (贷款利息: 2.4 × 1.5).
TEXT_FIELDS = ("title", "keywords", "derived", "content")


class Word:
    """A word of the query found in some policies: which, how, and where."""

    __slots__ = ("text", "how", "where", "weight")

    def __init__(self, text: str, how: str) -> None:
        self.text = text
        self.how = how  # words (of the texts, as typed), related, sound or english
        self.where: dict[int, tuple[str, int, int, float]] = {}  # policy -> (field, start, end, credit)
        self.weight = 0.0


def recall(index: Any, terms: list[Any], plain: frozenset[str], sounds: Any, rarity: Any) -> dict[int, tuple[float, list[Word]]]:
    """{policy: (evidence, words found)} for the policies whose evidence passes the cutoff.
    `plain` are the words that count nothing (fillers, generic and procedure words), `sounds`
    gives the sound strings of a piece of text, `rarity` the weight of a share of policies."""
    found: list[Word] = []
    for term in terms:
        if term.latin:
            word = _english(index, term)
            if word:
                found.append(word)
        else:
            found += _chinese(index, term.text, plain, sounds)
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
    return {p: (e, held[p]) for p, e in evidence.items() if e >= MIN_EVIDENCE and e >= RELATIVE * best}


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
        word = Word(piece, "related" if piece in index.related else "words")
        if piece in index.related:
            for official in index.related[piece]:
                _locate(index, official, word, fields=TEXT_FIELDS[:3])  # what a policy is about
        if piece in index.vocabulary:
            word.how = "words"
            _locate(index, piece, word)
        if word.where:
            out.append(word)
    # Two characters of no known word: a typo of a word of the texts, by sound (设被 → 设备).
    for i in range(len(text) - 1):
        piece = text[i : i + 2]
        if covered[i] or covered[i + 1] or not all("\u3400" <= ch <= "\u9fff" for ch in piece):
            continue
        if piece in plain or any(ch in plain for ch in piece):
            continue
        word = Word(piece, "sound")
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

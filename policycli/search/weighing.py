"""A query's terms weighed by the texts of an index (analyse.py weighs each by itself): question
words inside a term dropped when a word of the texts spans the gap, pinyin typed a syllable apart
joined, pinyin of a generic word weighed as one, English words given the Chinese terms of the
glossary phrases they form."""
from __future__ import annotations

from collections.abc import Callable

from .analyse import Term, weigh, without_everyday
from .english import glossed, stem
from .index import SearchIndex
from .plainwords import plain
from .scan import CommonReadings, sound_variants
from .words import known_words
from .weights import FILLER_WEIGHT, GENERIC_TERM


def weighed(index: SearchIndex, terms: list[Term], common: CommonReadings) -> list[Term]:
    """The terms weighed by the texts' vocabulary, with their English glosses, everyday English
    words dropped."""
    sounds_known = _sounds_known(index, common)
    terms = [t if t.latin else _regrouped(_squeezed(index, weigh(t.text, index.vocabulary, sounds_known, index.related)),
                                          t.group)
             for t in _syllables_joined(index, terms)]
    for term in terms:
        if term.latin and term.importance == 1.0 and _spells_generic(index, term.text):
            term.importance, term.topic = GENERIC_TERM, False  # butie, as 补贴 typed in characters
    _gloss(index, terms)
    return without_everyday(terms, index.en_phrases)


def _squeezed(index: SearchIndex, term: Term) -> Term:
    """The term without the question words inside it (社区搞智能化改造 → 社区智能化改造) when a
    word of the texts or a related word then spans where they were; else the term as it is."""
    inside = [i for i, w in enumerate(term.weights) if w == FILLER_WEIGHT
              and any(v > FILLER_WEIGHT for v in term.weights[:i]) and any(v > FILLER_WEIGHT for v in term.weights[i + 1:])]
    if not inside:
        return term
    kept_at = [i for i in range(len(term.text)) if i not in inside]
    text = "".join(term.text[i] for i in kept_at)
    spans = known_words(text, index.related, index.related_longest) + known_words(text, index.vocabulary, 8)
    if not any(kept_at[b - 1] - kept_at[a] != b - 1 - a for a, b in spans):  # no word across a gap
        return term
    squeezed = Term(text, [term.weights[i] for i in kept_at], term.importance, procedure=term.procedure)
    squeezed.topic = term.topic
    return squeezed


def _syllables_joined(index: SearchIndex, terms: list[Term]) -> list[Term]:
    """Pinyin typed a syllable apart (zai tiexian, 再贴现; zhuan jing te xin): a lone syllable that
    is no English word of our texts is read with the Latin word after it as one word, and so is
    a lone syllable after such a word."""
    out: list[Term] = []
    joined = False  # whether out[-1] was read from syllables typed apart
    for term in terms:
        before = out[-1] if out else None
        if (before is not None and before.latin and term.latin and before.text.isalpha() and term.text.isalpha()
                and (_lone_syllable(index, before.text) or joined and _lone_syllable(index, term.text))):
            out[-1] = Term(before.text + term.text, [1.0] * (len(before.text) + len(term.text)))
            out[-1].group = before.group
            joined = True
        else:
            out.append(term)
            joined = False
    return out


def _lone_syllable(index: SearchIndex, text: str) -> bool:
    from .english import STOPWORDS

    return text in index.syllables and text not in STOPWORDS and stem(text) not in index.en_postings


def _spells_generic(index: SearchIndex, text: str) -> bool:
    """Whether Latin letters that are no English word of our texts are the pinyin of a generic
    word of the texts (butie: 补贴, zijin: 资金)."""
    if stem(text) in index.en_postings:
        return False
    from ..phonetics.pinyin import NO_SOUND, fold, split_syllables

    generic = plain().generic
    for syllables in split_syllables(text, index.syllables, 4):
        sound = "".join(index.codes.get(fold(s), NO_SOUND) for s in syllables)
        if len(syllables) >= 2 and index.spoken.get(sound) in generic:
            return True
    return False


def _sounds_known(index: SearchIndex, common: CommonReadings) -> Callable[[str], bool]:
    """Whether a piece of a query sounds like a word of the texts it is not (技该 like 技改)."""
    def sounds_known(piece: str) -> bool:
        return any(index.spoken.get(sound, piece) != piece for sound in sound_variants(index, piece, common))
    return sounds_known


def _regrouped(term: Term, group: int) -> Term:
    term.group = group
    return term


def _gloss(index: SearchIndex, terms: list[Term]) -> None:
    """Give the English words of the query the Chinese terms of the glossary phrases they form."""
    stems = [stem(t.text) if t.latin else "" for t in terms]
    for start, end, chinese in glossed(stems, index.en_phrases, index.en_longest):
        for term in terms[start:end]:
            term.gloss = tuple(dict.fromkeys(term.gloss + chinese))

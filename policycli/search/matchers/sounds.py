"""Sound-alike and pinyin: a term read by its folded pinyin against whole words of the text
(数据中兴 → 数据中心), with one character wrong (虚似现实), Latin letters read as pinyin
(shujuzhongxin) or as initials (jsgz), and pinyin mixed with characters (zhihui社区)."""
from __future__ import annotations

import re
from collections.abc import Callable

from ...phonetics.pinyin import NO_SOUND, fold, split_syllables, variants
from ..analyse import Term, weigh
from ..scan import sound_variants, wild_hits
from ..weights import INITIALS, INITIALS_SHORT, MIXED, PINYIN, SOUND, SOUND_SHORT, TYPO
from .base import TEXT_FIELDS, PerPolicy, TermMatches
from .official import substring


def by_sound(found: TermMatches) -> None:
    """The term's sound strings as whole words of the text."""
    text = found.term.text
    for sound in sound_variants(found.index, text, found.common):
        substring(found, sound, "sound", SOUND if len(text) > 2 else SOUND_SHORT)


def one_wrong(found: TermMatches) -> None:
    """The term with one character replaced by any other (虚似现实 for 虚拟现实): the rest must be
    the very characters, as matching the rest by sound finds too much."""
    text = found.term.text
    n = len(text)
    quality = TYPO * (n - 1) / n
    for i in range(n):
        for name in TEXT_FIELDS:
            blob = found.index.blobs[name]
            for policy, at in wild_hits(blob.text, text[:i], text[i + 1 :], blob.starts):
                if not blob.whole(at, at + n):
                    continue  # 办公室 is no typo of 公示: only whole words count
                start = at - blob.starts[policy]
                found.offer(policy, name, quality, "typo", [(start, start + n)])


def typed_pinyin(found: TermMatches) -> None:
    """Latin letters as the syllables of a word of the text, or as its initials."""
    text = found.term.text
    index = found.index
    for syllables in split_syllables(text, index.syllables):
        if len(syllables) < 2:
            continue  # one syllable is too little to go on
        sound = "".join(index.codes.get(fold(s), NO_SOUND) for s in syllables)
        if NO_SOUND in sound:
            continue
        substring(found, sound, "pinyin", PINYIN, word_start=len(syllables) >= 4)  # four syllables start a word
        word = index.spoken.get(sound)
        if word:  # a word of the texts, also within a longer one (互联网 in 工业互联网)
            substring(found, word, "pinyin", PINYIN, plain=True)
    if len(text) >= 3:
        substring(found, text, "initials", INITIALS if len(text) >= 4 else INITIALS_SHORT, initials=True)


def mixed(found: TermMatches, match: Callable[[TermMatches], PerPolicy]) -> None:
    """Pinyin and characters in one term (zhihui社区): each run of letters read as a word of the
    texts that sounds like it, then the whole term matched as characters by `match`."""
    index = found.index
    options: list[tuple[str, ...]] = []
    for run in re.findall(r"[a-z]+|[^a-z]+", found.term.text):
        spelled: list[str] = []
        if run.isascii() and run.isalpha():
            for syllables in split_syllables(run, index.syllables)[:6]:
                sound = "".join(index.codes.get(fold(s), NO_SOUND) for s in syllables)
                word = index.spoken.get(sound)
                if word and word not in spelled:
                    spelled.append(word)
        options.append(tuple(spelled[:3]) or (run,))  # letters that are no pinyin stay (vr体验)
    if all(len(o) == 1 and o[0] in found.term.text for o in options):
        return  # nothing read as pinyin: the pieces as typed are matched next
    for text in variants(options, limit=6):
        read: Term = weigh(text)
        for policy, per_field in match(TermMatches(index, read, found.common)).items():
            for name, m in per_field.items():
                found.offer(policy, name, MIXED * m.quality, "pinyin" if m.how == "exact" else m.how,
                            m.spans_at(policy))

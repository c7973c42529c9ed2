"""Query analysis, the first step of a search: the query folded (NFKC, case, traditional
characters to simplified), split into terms at spaces and punctuation, each character weighed by
what it says about the topic (question, generic and procedure words count little or nothing),
phone numbers read as digits, amounts read as whole amounts, and "A 和 B" as alternatives.

The analysed terms are handed to the matchers, which never analyse the query again.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping

from ..dataset.lookup import normalize
from . import amounts, scripts
from .scripts import is_han
from .english import GENERIC as EN_GENERIC
from .english import PROCEDURE as EN_PROCEDURE
from .english import STOPWORDS, stem
from .plainwords import Plain, plain
from .weights import FILLER_WEIGHT, GENERIC_TERM, GENERIC_WEIGHT, LONE_WEIGHT
from .words import known_words

# Terms are separated by spaces and punctuation (full- or half-width).
_SEPARATORS = str.maketrans(dict.fromkeys(",，、;；。!！?？:：()（）[]【】{}<>《》\"“”‘’/\\|+=*^$#@~`\t\r\n", " "))
# "A 和 B": two things asked about at once (实验室和研发机构); 与 and 及 are left alone, as
# official names use them (科研设施与仪器).
_AND = re.compile(r"(?<=[\u3400-\u9fffa-z0-9]{2})(?:和|以及|或者|还有)(?=[\u3400-\u9fffa-z0-9]{2})")
# A phone number as people write it: 0532-86168249, (0532) 8616 8249, +86 532 86168249.
_PHONE = re.compile(r"\+?\(?\d[\d()\s\-]{5,}\d")


class Term:
    """One word of the query, with how much each of its characters counts."""

    __slots__ = ("text", "weights", "importance", "latin", "procedure", "topic", "gloss", "english", "group")

    def __init__(self, text: str, weights: list[float], importance: float = 1.0, *, procedure: bool = False) -> None:
        self.text = text
        self.weights = weights  # per character: 1, LONE_WEIGHT, GENERIC_WEIGHT or FILLER_WEIGHT
        self.importance = importance  # lower for a term made only of generic words
        self.latin = is_latin(text)
        self.procedure = procedure  # holds a word about the procedure (时间, 材料, 地址)
        self.topic = importance == 1.0 and any(w == 1.0 for w in weights)  # says what it is about
        self.gloss: tuple[str, ...] = ()  # Chinese terms of the glossary, for an English word
        self.english = False  # matched as an English word
        self.group = 0  # terms of one group are alternatives ("A 和 B"): a policy needs one of them

    def __repr__(self) -> str:
        return f"Term({self.text!r}, {self.weights}, {self.importance})"


def fold_query(query: str, chinese: bool = True) -> str:
    """The query as the index holds texts: NFKC, lower case, control characters as spaces,
    traditional characters (and, when `chinese`, Taiwan/Hong Kong words) as simplified (only when
    the query has characters outside simplified GB 2312, so an ordinary query loads nothing)."""
    visible = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in normalize(query))
    return scripts.simplified(visible, chinese)


def written_in_japanese(query: str) -> bool:
    """Whether a query in kanji alone (without kana) is Japanese: it has a kanji of Japanese form
    only, in neither simplified GB 2312 nor traditional Big5 nor Hong Kong's written Cantonese
    (発, 枠, 価; not 哋, 嘅), or a Japanese word of
    kanji that Chinese does not write so (`kanji` of data/korean_japanese.yaml: 手形割引, 利子補給)."""
    if scripts.needs_converting(query) and any(
            scripts.is_han(ch) and not scripts.in_chinese_sets(ch) for ch in query):
        return True
    if not any(is_han(ch) for ch in query):
        return False
    folded = fold_query(query)
    return any(word in folded for word in _japanese_kanji())


@functools.cache
def _japanese_kanji() -> tuple[str, ...]:
    """The Japanese words of kanji of data/korean_japanese.yaml `kanji`, folded as queries are;
    kept in the cache dir with the other word lists, so that a Chinese query reads no YAML."""
    from .lexicon import KOREAN_JAPANESE, word_lists

    return tuple(w for w in word_lists(KOREAN_JAPANESE, None, ("kanji",), fold_query)[0] if w)


def read_in_chinese(text: str, japanese: bool = False) -> str:
    """A Korean or Japanese query with the words of our word list (data/korean_japanese.yaml) in
    Chinese; what is left in Hangul or kana is dropped when it is grammar (particles, endings,
    question words of the list's `grammar`, a Korean predicate ending in one of its `endings`, any
    run of hiragana) and kept as typed otherwise: a word the list cannot read then counts against a
    match, as an unknown Chinese word does. Words of the list's `everyday` (準備, 目指す) are
    dropped. A katakana word is read only whole or as words end to end (ローン is not read inside
    ドローン), in any of its spellings (ブレイン, ブレーン). A query in kanji alone is read so when
    `japanese` (`written_in_japanese`: 手形割引 枠, 利子補給). Other queries unchanged."""
    if not japanese and not scripts.kinds(text) & {scripts.HANGUL, scripts.KANA}:
        return text
    from .lexicon import korean_japanese

    folded, longest, grammar, endings = korean_japanese(_fold_kana)
    table = _AnySpelling(folded)
    text = _particles_dropped(text, table)
    longest *= 2  # a word as typed may be longer than its folded form (ヴァ, ー)
    out: list[str] = []
    left = ""  # Hangul or kana not read yet

    def flush() -> None:
        for run in _script_runs(left):
            out.append(" " if _is_grammar(run, grammar, endings) else f" {run} ")

    i = 0
    while i < len(text):
        for end in range(min(len(text), i + longest), i, -1):
            chinese = table.get(text[i:end])
            if chinese is not None and _whole_word(text, i, end, left, table, longest):
                flush()
                left = ""
                out.append(f" {chinese}" if _suffix_follows(text, end) else f" {chinese} ")
                i = end
                break
        else:
            if scripts.kinds(text[i]) & {scripts.HANGUL, scripts.KANA}:
                left += text[i]
            else:
                flush()
                left = ""
                out.append(" " if _okurigana_stem(text, i) else text[i])
            i += 1
    flush()
    return "".join(out)


# Korean particles that end a noun (object, subject, topic, of, to, with, by, too): 설비를 교체 is
# the 설비 교체 of the word list.
_KOREAN_PARTICLE = re.compile(r"(?<![\uac00-\ud7af])([\uac00-\ud7af]+?)(으로|에서|에게|을|를|이|가|은|는|의|에|와|과|도|로)(?=\s|$)")


def _particles_dropped(text: str, table: _AnySpelling) -> str:
    """`text` with the particle after a Korean word of the list dropped (설비를 → 설비), so that
    the list's words of two or more (설비 교체) are read across a sentence's particles."""
    def word(found: re.Match[str]) -> str:
        return found[1] if found[1] in table and found[0] not in table else found[0]

    return _KOREAN_PARTICLE.sub(word, text) if scripts.HANGUL in scripts.kinds(text) else text


def _suffix_follows(text: str, at: int) -> bool:
    """Whether one kanji alone follows a word read at text[at]: a suffix of that word (費 of 内装費,
    額 of 投資額), kept with it as one word, as Chinese writes it; two or more are a word of their own."""
    return at < len(text) and is_han(text[at]) and (at + 1 == len(text) or not is_han(text[at + 1]))


class _AnySpelling:
    """The word list looked up by a word's folded katakana spelling (ブレイン finds ブレーン); the
    query itself is left as typed, so a word the list cannot read is kept as written."""

    def __init__(self, folded: dict[str, str]) -> None:
        self.folded = folded

    def get(self, word: str) -> str | None:
        return self.folded.get(scripts.fold_katakana(word))

    def __contains__(self, word: str) -> bool:
        return scripts.fold_katakana(word) in self.folded


def _fold_kana(text: str) -> str:
    """A word of the Korean and Japanese list folded as a query is: NFKC, case, traditional and
    Japanese forms, one spelling of each katakana loanword."""
    return scripts.fold_katakana(fold_query(text, chinese=False))


_PARTICLES = frozenset("のがはをにでとへもや")


def _okurigana_stem(text: str, at: int) -> bool:
    """Whether text[at] is one kanji standing alone before its okurigana, the stem of a Japanese
    verb or adjective (買ったら, 新しい, 受ける) rather than a word of the topic: dropped, as a
    Chinese verb of one character counts little. A kanji before a particle (市の) is kept."""
    after = text[at + 1] if at + 1 < len(text) else ""
    return (is_han(text[at]) and (at == 0 or not is_han(text[at - 1])) and _kana_kind(after or "a") == "hiragana"
            and after not in _PARTICLES)


def _is_katakana(ch: str) -> bool:
    return "\u30a0" <= ch <= "\u30ff" or "\u31f0" <= ch <= "\u31ff" or ch == "\uff70"


def _whole_word(text: str, start: int, end: int, left: str, table: _AnySpelling, longest: int) -> bool:
    """Whether a word of the list at text[start:end] may be read there: a katakana word only where
    a katakana run starts or a word read ends (`left` empty), and up to where the run ends or
    another word of the list starts (スマートシティ, not the ローン of ドローン)."""
    if not _is_katakana(text[start]):
        return True
    if start > 0 and _is_katakana(text[start - 1]) and left and _is_katakana(left[-1]):
        return False
    if end == len(text) or not _is_katakana(text[end]) or not _is_katakana(text[end - 1]):
        return True
    return any(text[end:stop] in table for stop in range(end + 1, min(len(text), end + longest) + 1))


def _script_runs(text: str) -> list[str]:
    """`text` cut where it changes between Hangul, hiragana and katakana."""
    runs: list[str] = []
    for ch in text:
        kind = _kana_kind(ch)
        if runs and _kana_kind(runs[-1][-1]) == kind:
            runs[-1] += ch
        else:
            runs.append(ch)
    return runs


def _kana_kind(ch: str) -> str:
    if "\u3040" <= ch <= "\u309f":
        return "hiragana"
    return scripts.KANA if scripts.kinds(ch) & {scripts.KANA} else scripts.HANGUL


def _is_grammar(run: str, grammar: frozenset[str], endings: tuple[str, ...] = ()) -> bool:
    """Whether a run of Hangul or kana says nothing about the topic: hiragana (particles and
    endings around the words of a Japanese sentence), words of `grammar` end to end, or a Korean
    word ending in a predicate's ending of `endings` (샀는데, 준비하고 있어요: a verb, not a topic)."""
    if _kana_kind(run[0]) == "hiragana":
        return True
    if _kana_kind(run[0]) == scripts.HANGUL and (run.endswith(endings) or any(e.endswith(run) for e in endings)):
        return True  # a predicate, or the ending left of one after an everyday word (바꾸 + 면)
    ends = {0}
    for end in range(1, len(run) + 1):
        if any(start in ends and run[start:end] in grammar for start in range(end)):
            ends.add(end)
    return len(run) in ends


def parse_terms(query: str) -> list[Term]:
    """The terms of a query, each weighed; question words alone are kept at full weight, so that
    something is searched."""
    visible = _PHONE.sub(lambda m: " " + _phone_digits(m.group()) + " ", read_in_chinese(fold_query(query), written_in_japanese(query)))
    visible = amounts.marked(amounts.from_chinese(amounts.from_english(visible)))
    pieces = []  # (text, group)
    for group, piece in enumerate(visible.translate(_SEPARATORS).split()):
        alternatives = [p for p in _AND.split(piece) if p]
        for alternative in alternatives:
            # English words joined by hyphens are words apart, as in our English texts (start-up);
            # a full stop ends a sentence, not the word before it (We design chips.)
            if is_latin(alternative.rstrip(".")):
                alternative = alternative.rstrip(".")
            words = alternative.split("-") if is_latin(alternative) else [alternative]
            pieces += [(w, group if len(alternatives) > 1 else -1) for w in words if any(ch.isalnum() for ch in w)]
    terms = []
    for number, (text, group) in enumerate(pieces):
        term = weigh(text)
        term.group = group if group >= 0 else len(pieces) + number  # a group of its own
        terms.append(term)
    useful = [t for t in terms if any(w > 0 for w in t.weights) or t.procedure]
    if useful:
        return useful
    return [Term(p, [1.0] * len(p)) for p, _ in pieces]


def _phone_digits(text: str) -> str:
    """A phone number as its digits, without the country code: +86 532 86168249 → 053286168249.
    Anything with fewer than seven digits is left as typed."""
    number = "".join(ch for ch in text if ch.isdigit())
    if len(number) < 7:
        return text
    if text.lstrip("(").startswith("+") or (number.startswith("86") and len(number) >= 12):
        number = number[2:] if number.startswith("86") else number
        if not number.startswith(("0", "1")):
            number = "0" + number  # the trunk 0 of the area code, left out after +86
    return number


def is_latin(text: str) -> bool:
    """Letters of the Latin alphabet, maybe joined by & ' - (r&d, banker's, pre-ipo)."""
    return text.isascii() and any(ch.isalpha() for ch in text) and all(ch.isalpha() or ch in "&'-" for ch in text)


def weigh(text: str, known: frozenset[str] = frozenset(), sounds_known: Callable[[str], bool] | None = None,
          field: Mapping[str, object] | frozenset[str] = frozenset()) -> Term:
    """The term with the weight of each character; characters inside a word of the texts (`known`)
    are never single-character fillers nor lone verbs (能 in 智能化, 化 in 智能化), nor are two
    characters that sound like a word of the texts (`sounds_known`) when one of them is a
    one-character question word (该 of 技该, a typo of 技改). A procedure or framing word inside a
    word of the field two characters longer or more (`field`: 名单 of 失信名单) is part of it."""
    if is_latin(text):
        return _english_term(text)
    weights = [1.0] * len(text)
    if amounts.is_amount(text):  # refines what the words ask; alone it finds the policies of that amount
        return Term(text, weights, GENERIC_TERM)
    words = plain()
    inside = [False] * len(text)
    for a, b in known_words(text, known, 8) if known else ():
        if text[a:b] not in words.words:
            inside[a:b] = [True] * (b - a)
    if sounds_known is not None:
        for a, b in _typed_for_words(text, inside, words, sounds_known):
            inside[a:b] = [True] * (b - a)
    _mark(text, weights, words.generic, GENERIC_WEIGHT, min_len=1)
    # A single-character filler only inside a longer phrase: 能 in 能耗 is a word, not a filler.
    _mark(text, weights, words.fillers, FILLER_WEIGHT, min_len=1 if len(text) >= 3 else 2, keep=inside)
    spans = known_words(text, field, 8) if field else []
    _mark(text, weights, words.framing, FILLER_WEIGHT, min_len=2, within=spans)  # 负担重, 听说: around the topic
    procedure = _mark(text, weights, words.procedure, FILLER_WEIGHT, min_len=2, within=spans)
    # A lone character between question words is mostly a verb (买, 建, 办): it counts less.
    for i, w in enumerate(weights):
        alone = (i == 0 or weights[i - 1] < 1) and (i == len(text) - 1 or weights[i + 1] < 1)
        if w == 1.0 and alone and len(text) > 1 and is_han(text[i]) and not inside[i]:
            weights[i] = LONE_WEIGHT
    if not any(w == 1.0 for w in weights):
        if all(w == FILLER_WEIGHT for w in weights):
            return Term(text, weights, procedure=procedure)
        weights = [1.0 if w > 0 else 0.0 for w in weights]
        return Term(text, weights, importance=GENERIC_TERM, procedure=procedure)
    return Term(text, weights, procedure=procedure)


def _typed_for_words(text: str, inside: list[bool], words: Plain, sounds_known: Callable[[str], bool]
                     ) -> list[tuple[int, int]]:
    """Pairs of characters outside known words and outside question words of two characters or
    more, one of them a one-character question word and the other not, that sound like a word of
    the texts (技该: jigai, as 技改; not 有什 of 有什么)."""
    single = {w for w in words.fillers if len(w) == 1}
    taken = list(inside)
    for a, b in known_words(text, words.words, 8):  # words of two characters or more
        taken[a:b] = [True] * (b - a)
    out = []
    for i in range(len(text) - 1):
        pair = text[i : i + 2]
        if taken[i] or taken[i + 1] or not (is_han(pair[0]) and is_han(pair[1])):
            continue
        if (pair[0] in single) != (pair[1] in single) and sounds_known(pair):
            out.append((i, i + 2))
    return out


def _english_term(text: str) -> Term:
    if text in STOPWORDS:
        return Term(text, [FILLER_WEIGHT] * len(text))
    if stem(text) in EN_PROCEDURE:
        return Term(text, [FILLER_WEIGHT] * len(text), procedure=True)
    return Term(text, [1.0] * len(text), GENERIC_TERM if stem(text) in EN_GENERIC else 1.0)


def without_everyday(terms: list[Term], phrases: dict[tuple[str, ...], tuple[str, ...]]) -> list[Term]:
    """The terms without the everyday English words (keyed to no term in the index's `phrases`)
    and the generic ones (policy, scheme, company) that are part of no glossary phrase of the
    query (run after the phrases are found): a list without our English has none of them, and a
    word that matches nothing weighs a query down. All of them when nothing else is left."""
    kept = [t for t in terms if not t.latin or t.gloss or (phrases.get((stem(t.text),)) != () and t.importance == 1.0)]
    return kept if kept else terms


_FIRST: dict[int, tuple[tuple[str, ...], dict[str, list[str]]]] = {}


def _by_first(words: tuple[str, ...]) -> dict[str, list[str]]:
    """`words` by their first character, longest first (in their order at equal lengths); kept
    per list of words (the lists of plain() live as long as the process)."""
    entry = _FIRST.get(id(words))
    if entry is None or entry[0] is not words:
        index: dict[str, list[str]] = {}
        for word in sorted(words, key=len, reverse=True):
            index.setdefault(word[:1], []).append(word)
        entry = _FIRST[id(words)] = (words, index)
    return entry[1]


def _mark(text: str, weights: list[float], words: Iterable[str], weight: float, min_len: int,
          keep: list[bool] | None = None, within: list[tuple[int, int]] = ()) -> bool:
    """Give the characters of each of `words` found in `text` (longest first) at most `weight`,
    but not a one-character word at a position `keep` marks, nor a word inside one of `within`
    (spans of words of the field) two characters longer or more; whether any was found."""
    words = tuple(words)
    if text in words:
        min_len = 1  # a whole term that is one such word, even of one character
    by_first = _by_first(words)
    i = 0
    found = False
    while i < len(text):
        for word in [w for w in by_first.get(text[i], ()) if len(w) >= min_len and text.startswith(w, i)][:1]:
            if keep and len(word) == 1 and keep[i]:
                continue
            if any(a <= i and i + len(word) <= b and b - a >= len(word) + 2 for a, b in within):
                continue  # a part of a longer word (名单 of 失信名单), not 办公 of 办公室
            for j in range(i, i + len(word)):
                weights[j] = min(weights[j], weight)
            i += len(word) - 1
            found = True
        i += 1
    return found

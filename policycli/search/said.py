"""What a term of a query says, as precision.py reads it: its topic words (the words of the texts
and related words, and the nouns and verbs of jieba's dictionary in what is left; question,
procedure, generic and framing words are none, nor a word of the texts read across two words of
the query), its audience words, its compounds and their heads."""
from __future__ import annotations

import functools
from typing import Protocol

from .analyse import Term, is_han
from .asked import lists, support_ending
from .index import SearchIndex
from .plainwords import plain
from .weights import GENERIC_WEIGHT
from .words import known_words, query_reader, word_edges


class Holder(Protocol):
    """Who holds a word of the query (precision.Holder), as far as reading a term needs it."""

    def holds(self, policy: int, word: str) -> bool: ...

    def is_common(self, word: str) -> bool: ...

# jieba's tags of words naming a thing: nouns of every kind, verbal and adjectival nouns, idioms,
# unknown strings. A word of the texts is a topic word whatever its tag (认定, 改造).
_NOUN_TAGS = frozenset({"n", "nr", "nr1", "nr2", "nrt", "ns", "nt", "nz", "nw", "ng", "vn", "an", "l", "i", "j",
                        "x", "eng", "s", "t", "b"})
# jieba's tags of common nouns: a term of the query naming one is about that thing (the names of
# places, firms and people say who or where, not what: 黄岛, 海尔).
_COMMON_NOUN_TAGS = frozenset({"n", "ng"})
# The shortest term of two words (技改项目): a shorter one is one word of the field, which a policy may
# hold under a narrower term of its group (融资 of 贷款).
_COMPOUND = 4


def topic_words(index: SearchIndex, term: Term) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The (start, end) of the topic words of a Chinese term: the longest words of the texts and
    related words, and the runs of other content characters between them (cut into words by
    `nouns` only when it matters: jieba is not loaded for most queries)."""
    text = term.text
    spans = known_words(text, index.vocabulary, 8) + known_words(text, index.related, index.related_longest)
    spans = sorted({(a, b) for a, b in spans if not any(c <= a and b <= d and (c, d) != (a, b) for c, d in spans)})
    spans = _as_written(text, spans, term.weights)
    covered = [False] * len(text)
    for a, b in spans:
        covered[a:b] = [True] * (b - a)
    weights = term.weights
    return ([(a, b) for a, b in spans if not _plain(text[a:b], weights[a:b]) and not _adds_nothing(a, b, spans, weights)],
            _runs(text, covered, weights))


def _as_written(text: str, spans: list[tuple[int, int]], weights: list[float]) -> list[tuple[int, int]]:
    """The known words that are words of the query too: a word of the texts read across two
    words of the query (废旧 in 报废旧车: 报废 旧车) is none. Checked with jieba only where a
    character of the topic that no known word covers stands alone on each side of a known word,
    or where two known words share a character."""
    def loose(i: int) -> bool:
        return 0 <= i < len(text) and is_han(text[i]) and weights[i] >= 1 and not any(c <= i < d for c, d in spans)

    doubtful = [(a, b) for a, b in spans if loose(a - 1) and not loose(a - 2) and loose(b) and not loose(b + 1)]
    # of two known words sharing a character (免费|费用 of 能免费用吗), the one jieba does not read
    # is none, when jieba reads the other
    crossed = [(a, b) for a, b in spans if any(c < b and a < d and (c, d) != (a, b) for c, d in spans)]
    if not doubtful and not crossed:
        return spans
    edges = word_edges(text)

    def read(a: int, b: int) -> bool:
        return a in edges and b in edges

    misread = {(a, b) for a, b in crossed if not read(a, b) and any(
        c < b and a < d and (c, d) != (a, b) and read(c, d) for c, d in crossed)}
    return [(a, b) for a, b in spans if ((a, b) not in doubtful or read(a, b)) and (a, b) not in misread]


def _adds_nothing(a: int, b: int, spans: list[tuple[int, int]], weights: list[float]) -> bool:
    """Whether the word at (a, b) overlaps other words and adds to them only plain characters
    (平台奖励 after 双跨平台): it names nothing of its own."""
    others = [(c, d) for c, d in spans if (c, d) != (a, b) and c < b and a < d]
    return bool(others) and all(weights[i] < 1 for i in range(a, b) if not any(c <= i < d for c, d in others))


def _in_order(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans by where they end: overlapping known words (贷款利息, 利息负担) both count."""
    return sorted(spans, key=lambda s: (s[1], s[0]))


def _plain(word: str, weights: list[float]) -> bool:
    return word in plain().words or all(w < 1 for w in weights)


def _runs(text: str, covered: list[bool], weights: list[float]) -> list[tuple[int, int]]:
    """Runs of two or more Han characters that no known word covers, with a character of the
    topic (a run of question or generic words alone is none)."""
    runs, start = [], None
    for i, ch in enumerate(text + " "):
        inside = i < len(text) and is_han(ch) and not covered[i]
        if inside and start is None:
            start = i
        elif not inside and start is not None:
            if i - start >= 2 and any(w > 0 for w in weights[start:i]):
                runs.append((start, i))
            start = None
    return runs


def words_of(text: str, start: int, end: int, weights: list[float]) -> list[tuple[int, int, str]]:
    """The words of jieba's dictionary in text[start:end] that name a thing or an act (nouns and
    verbs: 氢能, 购车, 下乡, 登记), with their tags; not question or generic words, nor a word made
    of question words (怎么弄: the characters of the query's `weights` all 0)."""
    jieba = query_reader()
    if jieba is None:  # pragma: no cover - a declared dependency
        return []
    out, at = [], start
    for word, tag in jieba.tag(text[start:end], False):  # words of jieba's dictionary only
        a, b = at, at + len(word)
        at = b
        # a word of the dictionary is a word, whatever its characters weigh apart (就 of 就业)
        if (len(word) >= 2 and (tag in _NOUN_TAGS or tag == "v") and word not in plain().words
                and any(w > 0 for w in weights[a:b])):
            out.append((a, b, tag))
    return out


class Said:
    """What one term of the query says: its audience words and its topic words; the runs of
    characters of no known word are cut into words only when a policy does not hold one whole."""

    def __init__(self, term: Term, audience: list[str], known: list[tuple[int, int]], runs: list[tuple[int, int]],
                 broad: frozenset[str], acts: frozenset[str]) -> None:
        self.term = term
        self.acts = acts
        self.ending = support_ending(term.text)  # 补贴 of 运营补贴
        self.audience = audience
        self.known = known
        self.runs = runs
        self.broad = broad
        self.cut: list[tuple[int, int]] | None = None
        self.nouns: set[str] = set()  # words of the runs that name things (not verbs)
        self.things: set[str] = set()  # of them, common nouns (not names of places, firms or people)
        self.known_words = [term.text[a:b] for a, b in known]  # words of the texts, related words
        self.where: dict[str, tuple[int, int]] = {}
        self.whole: dict[str, str] = {}  # a word stemmed -> the word of the query it was cut from
        # the same for every policy: the runs' words, the topic words with the runs cut or not,
        # the compound each list of them ends with, and its heads
        self.run_words = [term.text[a:b] for a, b in runs]
        self.listed: dict[bool, list[str]] = {}
        self.compounds: dict[tuple[str, ...], list[str]] = {}
        self.headed: dict[tuple[str, ...], list[list[str]]] = {}

    def words(self, holder: Holder, policy: int) -> list[str]:
        """The topic words, in order of their ends (runs cut when the policy lacks one)."""
        text = self.term.text
        cut = any(not holder.holds(policy, word) for word in self.run_words)
        if cut not in self.listed:
            if cut:
                if self.cut is None:
                    words = [w for a, b in self.runs for w in words_of(text, a, b, self.term.weights)]
                    self.nouns = {text[a:b] for a, b, tag in words if tag != "v"}
                    self.things = {text[a:b] for a, b, tag in words if tag in _COMMON_NOUN_TAGS}
                    self.cut = _in_order(self.known + [(a, b) for a, b, _ in words])
                spans = self.cut
            else:
                spans = _in_order(self.known + self.runs)
            for a, b in spans:
                self.where.setdefault(text[a:b], (a, b))
            self.listed[cut] = list(dict.fromkeys(text[a:b] for a, b in spans))
        return self.listed[cut]

    def field_things(self) -> list[str]:
        """In a term of two words or more, every character of it in a word of the texts, a related
        word or a plain word (技改项目, 软件著作权; not 融资 alone, which may stand for a policy's 贷款,
        nor 数据中兴, a typo, nor 电动机车 read as 电动机 and 车), and not ending in who asks outside a
        word (IC设计公司 says who asks; 智能工厂 is a word), the words of the texts and related words naming
        a thing: neither generic nor broad nor a kind of applicant."""
        text, weights = self.term.text, self.term.weights
        if len(text) < _COMPOUND or self.runs:
            return []

        def in_word(i: int) -> bool:
            return any(a <= i < b for a, b in self.known)

        if any(text.endswith(w) and not in_word(len(text) - len(w)) for w in askers()) or not all(
                weights[i] < 1 or not is_han(ch) or in_word(i) for i, ch in enumerate(text)):
            return []
        generic, broad = plain().generic, broad_or_who()
        return [w for w in self.known_words if w not in generic and not made_of(w, broad)]

    def possessed(self, words: list[str]) -> list[str]:
        """The words naming a thing after the last 的 of the term (网络安全保险 of 工业互联网平台的
        网络安全保险): what is asked for, of the thing before it."""
        at = self.term.text.rfind("的")
        if at < 0:
            return []
        generic, broad = plain().generic, broad_or_who()
        return [w for w in words if self.where[w][0] > at and w not in generic and not made_of(w, broad)
                and (w in self.nouns or w in self.known_words)]

    def support_for(self, words: list[str], holder: Holder) -> list[str]:
        """The telling words before a word of support ending the term (电费 of 电费补贴, 运营 of
        运营补贴): what the support asked for is for; none of them held, the policy gives other
        support."""
        text, ending = self.term.text, self.ending
        if not ending:
            return []
        broad, generic, end = broad_or_who(), plain().generic, len(text) - len(ending)
        before = [w for w in words if self.where[w][1] <= end]
        if not before and end >= 2 and all(is_han(ch) for ch in text[:end]) and all(
                w >= 1 for w in self.term.weights[:end]):
            before = [text[:end]]  # a word jieba does not know (运维 of 运维补贴)
        return [w for w in before if w not in generic and not made_of(w, broad) and not holder.is_common(w)]

    def compound(self, words: list[str]) -> list[str]:
        """The last run of topic words written together (nothing but other content between them,
        or generic words: 项目 of 技术改造项目环评), without the broad words ending it, when it has
        two or more (qualifiers and their head)."""
        key = tuple(words)
        if key not in self.compounds:
            weights = self.term.weights
            run: list[str] = []
            for word in words:
                a, b = self.where[word]
                end = self.where[run[-1]][1] if run else -1
                if run and end < a and all(w == GENERIC_WEIGHT for w in weights[end:a]):
                    end = a  # only generic words between: still one compound
                if run and a <= end < b:
                    run.append(word)
                elif b > end:
                    run = [word]
            self.compounds[key] = self._headed(self._act_apart(run))
        return self.compounds[key]

    def _act_apart(self, run: list[str]) -> list[str]:
        """`run` with an act ending its last word set apart (平台认定 → 平台, 认定), so the act
        rule reads the thing recognised as it does when the two are typed as words."""
        last = run[-1] if run else ""
        act = next((a for a in self.acts if last.endswith(a) and len(last) > len(a) + 1), "")
        if not act or last in self.acts:
            return run
        a, b = self.where[last]
        self.where.setdefault(last[: -len(act)], (a, b - len(act)))
        self.where.setdefault(act, (b - len(act), b))
        return [*run[:-1], last[: -len(act)], act]

    def _headed(self, run: list[str]) -> list[str]:
        """`run` without the broad words ending it, when two words or more are left."""
        while run:
            run[-1] = self._stem(run[-1])  # 加工厂 → 加工, 平台奖励 → 平台
            if not made_of(run[-1], self.broad):  # 改造, 智能化改造, 平台
                break
            run.pop()
        return run if len(run) >= 2 else []

    def heads(self, compound: list[str]) -> list[list[str]]:
        """The runs whose last word a policy must hold: the compound, and when an act ends it
        (认定, 入选: recognising the thing before it), the compound without the act too; an act
        written before the thing (认定高新技术企业) is read after it too, as 高新技术企业认定."""
        key = tuple(compound)
        if key not in self.headed:
            acted = self._headed(compound[:-1]) if compound and compound[-1] in self.acts else []
            act = next((w for w in compound[:-1] if w in self.acts), "")
            after = [w for w in compound if w != act] + [act] if act and compound[-1] not in self.acts else []
            self.headed[key] = [run for run in (compound, acted, after) if run]
        return self.headed[key]

    def thing(self, run: list[str]) -> str:
        """What the act ending `run` recognises: the last word before it that is not broad
        (实验室 of 实验室获国家级认定: a level says who recognises, not what)."""
        return next((w for w in reversed(run[:-1]) if not made_of(w, self.broad)), run[-2])

    def _stem(self, word: str) -> str:
        """`word` without a broad, generic or support word ending it (加工厂 → 加工: a processing
        plant is the one who asks, processing what it is about; 平台奖励 → 平台; 优秀奖 → 优秀), when
        two characters or more are left."""
        a, b = self.where[word]
        generic, support = plain().generic, lists().support
        for end in range(2, len(word)):
            if word[end:] in self.broad or word[end:] in generic or word[end:] in support:
                self.where.setdefault(word[:end], (a, a + end))
                self.whole.setdefault(word[:end], word)
                return word[:end]
        return word


@functools.cache
def elsewhere() -> tuple[frozenset[str], tuple[str, ...], frozenset[str], frozenset[str]]:
    """(audience, other offices' and other programmes' words, asking phrases, broad words, acts) of
    data/vocabulary.yaml `elsewhere`, folded as queries are."""
    from .analyse import fold_query
    from .lexicon import VOCABULARY, word_lists

    lists = word_lists(VOCABULARY, "elsewhere", ("audience", "offices", "programmes", "asks", "broad", "acts"), fold_query)
    return frozenset(lists[0] + lists[1] + lists[2]), tuple(lists[3]), frozenset(lists[4]), frozenset(lists[5])


@functools.cache
def served() -> tuple[tuple[str, ...], frozenset[str]]:
    """(the words before the public saying whom an enterprise's project serves, the words for the
    public) of data/vocabulary.yaml `elsewhere.served` and `elsewhere.public`, folded as queries are."""
    from .analyse import fold_query
    from .lexicon import VOCABULARY, word_lists

    markers, public = word_lists(VOCABULARY, "elsewhere", ("served", "public"), fold_query)
    return tuple(markers), frozenset(public)


def audience_of(text: str, audience: frozenset[str]) -> list[str]:
    """The audience words of `text` that put the question with that person (个人征信), the longest
    first: not the public written only after a word saying whom a project serves (给市民体验)."""
    markers, public = served()

    def asks(word: str) -> bool:
        if word not in public:
            return True
        at = text.find(word)
        while at >= 0:
            if not any(text.endswith(m, 0, at) for m in markers):
                return True
            at = text.find(word, at + 1)
        return False

    return sorted((w for w in audience if w in text and asks(w)), key=lambda w: (-len(w), w))


@functools.cache
def askers() -> frozenset[str]:
    """The words for the one who asks (公司, 厂) and the kinds of applicant (科技型企业), of
    data/vocabulary.yaml `elsewhere.askers` and `elsewhere.who`, folded as queries are."""
    from .analyse import fold_query
    from .lexicon import VOCABULARY, word_lists

    return frozenset(word_lists(VOCABULARY, "elsewhere", ("askers",), fold_query)[0]) | lists().who


@functools.cache
def broad_or_who() -> frozenset[str]:
    """The broad words and the kinds of applicant: they end a compound without being its head."""
    return elsewhere()[2] | lists().who


@functools.lru_cache(maxsize=4096)
def made_of(word: str, parts: frozenset[str]) -> bool:
    """Whether `word` is a run of `parts` (智能化改造: 智能化 改造)."""
    return not word or any(word.startswith(w) and made_of(word[len(w):], parts) for w in parts if word.startswith(w))

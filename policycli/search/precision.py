"""Precision: results that the query's own words speak against are dropped, not just marked.

A question can share a word or two with a policy and still ask for something the list does not
offer: 新能源汽车购车补贴 shares 新能源汽车 with the recycling base but asks about buying a car,
小区物业费怎么交 shares 小区 with smart communities but asks about a fee, 个人征信报告 shares 报告
with the public credit report but is a person's. The strict ranking weighs every word and lets
such a result through when the shared word is rare. The rules, over the query's *topic words*
(the words of the texts and related words, and the nouns and verbs of jieba's dictionary in what
is left; question, procedure, generic and framing words are none, nor is a word of the texts read
across two words of the query, 废旧 in 报废|旧车, nor one adding only generic characters to the
word it overlaps, 平台奖励 after 双跨平台):

- the head: in a run of topic words written together (a compound: 新能源汽车购车, 高新技术企业认定,
  小区物业费) the last names what is asked for, the others qualify it. A result whose policy holds
  a qualifier but not the head (not as typed, not through a related word, not by sound, and the
  compound not one character off the policy's text: 信用修护 is a typo) is dropped; the broad
  words and the words for the one who asks (厂, 业者) end a compound without being its head, and
  are taken off the end of a word (加工厂 → 加工). When an act ends the compound (认定, 入选:
  `elsewhere.acts`, recognising the thing before it), the thing is a head too (设计中心 of
  工业设计中心认定), and a policy holding the thing as typed holds the act under any of its
  names (获批 for 认定 of 重点实验室认定);
- only common words: a result whose policy holds, of the query's topic words, only words that
  many policies hold (产业, 建设, 认定: COMMON_SHARE), generic words or kinds of applicant
  (`elsewhere.who`: 科技型企业) while a noun of the query is in no policy (氢能 of 氢能产业补贴, 年报
  of 企业年报) or a telling word of it is not in this one (企业技术中心 of 企业技术中心认定奖励) is
  dropped; so is one holding nothing of a term of its own naming a common noun (机柜租金 of
  数据中心 机柜租金), or nothing of what support ending a term is for (电费 of 数据中心 电费补贴);
- another audience: a word putting the question with a person or a household rather than an
  enterprise (个人, 房贷, 退役军人: `elsewhere.audience` of data/vocabulary.yaml), or with another
  office and its business (税务局, 许可证: `elsewhere.offices`), that the policy does not hold
  drops the result;
- another office's business: asking how to look something up, pay it or what it is now (怎么查,
  怎么交, 现在多少: `elsewhere.asks`) drops a result found only approximately;
- another value: a level or a grade the policy does not state beside others it does (asked.py).

The results left keep their order, except that those holding a telling word of the query (not
common, not made of broad words: 社区 of 社区数字化改造) come before those holding none of them.

A search whose strict results are all dropped so finds nothing: its words were understood, and
what they ask for is not in the list (the recall pass is not tried). The recall pass, which reads
a long sentence as a bag of words, is held to the last two rules only; a Korean or Japanese query
read in Chinese (its grammar gone, its words side by side) to all but the head rule.
"""
from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from .analyse import Term, is_han
from .asked import lists, other_value, support_ending
from .english import stem
from .index import SEPARATOR, SearchIndex
from .plainwords import plain
from .scan import first_places, sound_variants
from .verdicts import Verdicts
from .weights import COMMON_SHARE, GENERIC_WEIGHT
from .words import known_words, word_edges

# jieba's tags of words naming a thing: nouns of every kind, verbal and adjectival nouns, idioms,
# unknown strings. A word of the texts is a topic word whatever its tag (认定, 改造).
_NOUN_TAGS = frozenset({"n", "nr", "nr1", "nr2", "nrt", "ns", "nt", "nz", "nw", "ng", "vn", "an", "l", "i", "j",
                        "x", "eng", "s", "t", "b"})
# jieba's tags of common nouns: a term of the query naming one is about that thing (the names of
# places, firms and people say who or where, not what: 黄岛, 海尔).
_COMMON_NOUN_TAGS = frozenset({"n", "ng"})
# Where a policy holds a word of the query: its texts, and the names of the people to call (a
# name typed, 臧文科, is held by the policies that person handles, whatever jieba makes of it).
_HELD_FIELDS = ("title", "keywords", "derived", "content", "contacts")
# From one result in MANY policies up, a word is looked for in all texts at once rather than in
# each result's texts: a search costs the same either way, this is the faster (speed only).
MANY = 50
# Likewise by sound, when those asked about that lack a word as typed, times HEARD_ALL, reach the
# size of the index times the word's sound variants (a scan of every sound string per variant).
HEARD_ALL = 8



@functools.cache
def elsewhere() -> tuple[frozenset[str], tuple[str, ...], frozenset[str], frozenset[str]]:
    """(audience and other offices' words, asking phrases, broad words, acts) of
    data/vocabulary.yaml `elsewhere`, folded as queries are."""
    from .analyse import fold_query
    from .lexicon import VOCABULARY, word_lists

    lists = word_lists(VOCABULARY, "elsewhere", ("audience", "offices", "asks", "broad", "acts"), fold_query)
    return frozenset(lists[0] + lists[1]), tuple(lists[2]), frozenset(lists[3]), frozenset(lists[4])


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
    try:
        import rjieba
    except ImportError:  # pragma: no cover - a declared dependency
        return []
    out, at = [], start
    for word, tag in rjieba.tag(text[start:end], False):  # words of jieba's dictionary only
        a, b = at, at + len(word)
        at = b
        # a word of the dictionary is a word, whatever its characters weigh apart (就 of 就业)
        if (len(word) >= 2 and (tag in _NOUN_TAGS or tag == "v") and word not in plain().words
                and any(w > 0 for w in weights[a:b])):
            out.append((a, b, tag))
    return out


class Holder:
    """Whether a policy holds a word of the query: as typed, through a related word of our word
    lists, or by sound (a typo). With `many` policies to ask about (`asked`), each word is looked
    for as typed in all texts at once (the policies holding it are kept), not in each policy's in
    turn; and by sound too when many of those asked lack it as typed (HEARD_ALL)."""

    def __init__(self, index: SearchIndex, common: Callable[[str], str], many: bool = False,
                 asked: Iterable[int] = ()) -> None:
        self.index = index
        self.common = common
        self.many = many
        self.asked = set(asked)
        self.heard_by: dict[str, set[int] | None] = {}
        self.texts: dict[int, list[str]] = {}
        self.heard: dict[int, str] = {}
        self.sounds: dict[str, list[str]] = {}
        self.owners: dict[str, set[int]] = {}  # the policies holding a word as typed or by a related word
        self.common_words: dict[str, bool] = {}

    def texts_of(self, policy: int) -> list[str]:
        """The policy's texts where a word of the query is looked for, as the index holds them."""
        return self._texts(policy)

    def _texts(self, policy: int) -> list[str]:
        if policy not in self.texts:
            self.texts[policy] = [self.index.blobs[n].field_of(policy) for n in _HELD_FIELDS]
        return self.texts[policy]

    def _heard(self, policy: int) -> str:
        """The sound strings of the policy's texts, joined by the separator (which no sound of a
        word of a query holds)."""
        if policy not in self.heard:
            blobs = self.index.blobs
            self.heard[policy] = SEPARATOR.join(
                blobs[n].sound[blobs[n].starts[policy] : blobs[n].starts[policy + 1]] for n in _HELD_FIELDS)
        return self.heard[policy]

    def _variants(self, word: str) -> list[str]:
        if word not in self.sounds:
            self.sounds[word] = sound_variants(self.index, word, self.common)
        return self.sounds[word]

    def _holding(self, word: str) -> set[int]:
        """The policies holding `word` as typed or through a related word."""
        if word not in self.owners:
            owners: set[int] = set()
            for name in _HELD_FIELDS:
                blob = self.index.blobs[name]
                for target in (word, *self.index.related.get(word, ())):
                    owners.update(first_places(blob.text, target, blob.starts))
            self.owners[word] = owners
        return self.owners[word]

    def _heard_by(self, word: str) -> set[int] | None:
        """The policies whose sound strings hold `word` (any of its variants), found in all sound
        strings at once, when enough of the policies asked about lack it as typed: else None."""
        if word not in self.heard_by:
            variants = self._variants(word)
            lacking = len(self.asked) - len(self.asked & self._holding(word))
            every = None
            if (lacking * HEARD_ALL >= self.index.size * len(variants)
                    and all(v and SEPARATOR not in v for v in variants)):
                every = set()
                for name in _HELD_FIELDS:  # a variant never spans two policies: each part ends with SEPARATOR
                    blob = self.index.blobs[name]
                    for needle in variants:
                        every.update(first_places(blob.sound, needle, blob.starts))
            self.heard_by[word] = every
        return self.heard_by[word]

    def is_common(self, word: str) -> bool:
        """Whether many policies hold `word` as typed (产业, 建设): COMMON_SHARE of them or more."""
        if word not in self.common_words:
            self.common_words[word] = len(self._holding(word)) / max(self.index.size, 1) >= COMMON_SHARE
        return self.common_words[word]

    def holds_act(self, policy: int, thing: str, acts: frozenset[str]) -> bool:
        """Whether the policy's text holds `thing` as typed and the act of recognising it under
        any of its names (重点实验室 and 获批 for 重点实验室认定). Never the act alone, nor a thing
        found only by a related word."""
        texts = self._texts(policy)
        return any(thing in text for text in texts) and any(act in text for act in acts for text in texts)

    def one_off(self, policy: int, phrase: str) -> bool:
        """Whether the policy's text holds `phrase` (four characters or more) with one character
        other than written: a typo."""
        if len(phrase) < 4:
            return False
        for text in self._texts(policy):
            for i in range(len(phrase)):
                before, after = phrase[:i], phrase[i + 1 :]
                at = text.find(before)
                while 0 <= at <= len(text) - len(phrase):
                    if text.startswith(after, at + i + 1) and text[at + i] != "\n":
                        return True
                    at = text.find(before, at + 1) if before else at + 1
        return False

    def holds(self, policy: int, word: str) -> bool:
        if self.many:  # a word is never split by the separator ending each policy's part of a blob
            if policy in self._holding(word):
                return True
            every = self._heard_by(word)
            if every is not None:
                return policy in every
        else:
            plain = self._texts(policy)
            if any(word in t for t in plain) or any(t in text for t in self.index.related.get(word, ()) for text in plain):
                return True
        heard = self._heard(policy)
        return any(needle in heard for needle in self._variants(word))


def _against(policy: int, said: list[Said], holder: Holder, asked: str, approximate: Callable[[int], bool],
             heads: bool) -> str:
    """The word of the query that speaks against `policy` as its answer, or "" when none does."""
    held: dict[str, bool] = {}
    named: list[str] = []
    for one in said:
        for word in one.audience:
            if not holder.holds(policy, word):
                return word
        words = one.words(holder, policy)
        held.update((w, holder.holds(policy, w)) for w in words)
        if heads and len(said) > 1 and not any(held[w] for w in words):  # a term of its own naming a
            thing = next((w for w in words if w in one.things), "")  # thing the policy holds nothing of:
            if thing:  # 机柜租金 of 数据中心 机柜租金
                return thing
        lacking = one.support_for(words, holder) if heads else []
        if lacking and not any(held.get(w) or holder.holds(policy, w) for w in lacking):
            return lacking[-1]  # support for what the policy does not hold: 电费 of 数据中心 电费补贴
        named += [w for w in words if not held[w] and w in one.nouns]  # a noun of no policy: 氢能, 年报
        compound = one.compound(words) if heads else []
        for run in one.heads(compound):
            if run[-1] not in held:  # stemmed (平台奖励 → 平台) or whole (数据平台, a related word)
                held[run[-1]] = holder.holds(policy, run[-1]) or holder.holds(policy, one.whole.get(run[-1], run[-1]))
            if not held[run[-1]] and any(held.setdefault(w, holder.holds(policy, w)) for w in run[:-1]
                                         if not _made_of(w, one.broad)) and not holder.one_off(
                    policy, one.term.text[one.where[run[0]][0] : one.where[run[-1]][1]]) and not (
                    run[-1] in one.acts and holder.holds_act(policy, one.thing(run), one.acts)):
                return run[-1]  # the head: 新能源汽车购车; what is recognised: 设计中心 of 工业设计中心认定
    broad, generic = _broad_or_who(), plain().generic
    if all(holder.is_common(w) or _made_of(w, broad) or w in generic for w, h in held.items() if h):  # held:
        # only common, generic or broad words or kinds of applicant (产业, 认定; 奖励; 中心; 科技型企业, 毕业生)
        lacked = named or [w for w, h in held.items() if not h and not holder.is_common(w)]
        if lacked:  # while the query names something telling: 氢能 of no policy, 高新技术企业 of another
            return lacked[0]
    return asked if asked and approximate(policy) else ""


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

    def support_for(self, words: list[str], holder: Holder) -> list[str]:
        """The telling words before a word of support ending the term (电费 of 电费补贴, 运营 of
        运营补贴): what the support asked for is for; none of them held, the policy gives other
        support."""
        text, ending = self.term.text, self.ending
        if not ending:
            return []
        broad, generic, end = _broad_or_who(), plain().generic, len(text) - len(ending)
        before = [w for w in words if self.where[w][1] <= end]
        if not before and end >= 2 and all(is_han(ch) for ch in text[:end]) and all(
                w >= 1 for w in self.term.weights[:end]):
            before = [text[:end]]  # a word jieba does not know (运维 of 运维补贴)
        return [w for w in before if w not in generic and not _made_of(w, broad) and not holder.is_common(w)]

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
            if not _made_of(run[-1], self.broad):  # 改造, 智能化改造, 平台
                break
            run.pop()
        return run if len(run) >= 2 else []

    def heads(self, compound: list[str]) -> list[list[str]]:
        """The runs whose last word a policy must hold: the compound, and when an act ends it
        (认定, 入选: recognising the thing before it), the compound without the act too."""
        key = tuple(compound)
        if key not in self.headed:
            acted = self._headed(compound[:-1]) if compound and compound[-1] in self.acts else []
            self.headed[key] = [run for run in (compound, acted) if run]
        return self.headed[key]

    def thing(self, run: list[str]) -> str:
        """What the act ending `run` recognises: the last word before it that is not broad
        (实验室 of 实验室获国家级认定: a level says who recognises, not what)."""
        return next((w for w in reversed(run[:-1]) if not _made_of(w, self.broad)), run[-2])

    def _stem(self, word: str) -> str:
        """`word` without a broad or generic word ending it (加工厂 → 加工: a processing plant is
        the one who asks, processing what it is about; 平台奖励 → 平台), when two characters or
        more are left."""
        a, b = self.where[word]
        generic = plain().generic
        for end in range(2, len(word)):
            if word[end:] in self.broad or word[end:] in generic:
                self.where.setdefault(word[:end], (a, a + end))
                self.whole.setdefault(word[:end], word)
                return word[:end]
        return word


def kept(index: SearchIndex, terms: list[Term], passed: list[int], common: Callable[[str], str],
         approximate: Callable[[int], bool], query: str, *, words: bool = True,
         heads: bool = True) -> tuple[list[int], tuple[str, ...]]:
    """The results (`passed`, positions of policies) no word of the query speaks against, in
    order, and the words that dropped the others. `approximate` tells whether a result was found
    only approximately; `query` is the query as folded. Without `words` (the recall pass, which
    reads a query as a bag of words) only the audience and asking rules apply; without `heads`
    (a Korean or Japanese query read in Chinese: its words stand side by side with the grammar
    between them gone) no head rule."""
    audience, asks, broad, acts = elsewhere()
    said = []
    for term in terms:
        if term.latin or not any(is_han(ch) for ch in term.text):
            continue
        known, runs = topic_words(index, term) if words else ([], [])
        said.append(Said(term, sorted((w for w in audience if w in term.text), key=lambda w: (-len(w), w)), known, runs,
                         broad, acts))  # the longest first, the same in every process
    asked = next((phrase for phrase in asks if phrase in query), "")
    foreign = _english_elsewhere(terms)
    valued = any(form in query for group in lists().exclusive for value in group for form in value)
    if not asked and not foreign and not valued and not any(one.audience or one.runs for one in said) and sum(
            len(one.known) for one in said) < 2:
        return passed, ()
    holder = Holder(index, common, many=len(passed) * MANY >= index.size, asked=passed)
    verdicts = Verdicts(said, holder) if holder.many else None  # many results: most judged alike
    out, against = [], []
    for policy in passed:
        word = next((w for w in foreign if policy not in index.en_postings.get(stem(w), {})), "")
        word = word or (other_value(query, holder.texts_of(policy)) if valued else "")
        if not word and verdicts is not None:
            word = verdicts.of(policy, approximate, lambda h, a: _against(policy, said, h, asked, a, heads))
        elif not word:
            word = _against(policy, said, holder, asked, approximate, heads)
        if word:
            against.append(word)
        else:
            out.append(policy)
    return (_telling_first(out, said, holder, broad) if words else out), tuple(dict.fromkeys(against))


def _english_elsewhere(terms: list[Term]) -> list[str]:
    """The English words of the query, glossed to no term of the list, that put it with another
    office or with a person (hiring of subsidy for hiring graduates): a policy whose English does
    not hold one is no answer (a list without our English holds none). Read for a query of two
    Latin words or more only: one Latin word alone (jsgz) is mostly pinyin, and reads no list."""
    if sum(t.latin for t in terms) < 2:
        return []
    from .english import elsewhere as english_elsewhere

    return [t.text for t in terms if t.latin and not t.gloss and stem(t.text) in english_elsewhere()]


def _telling_first(out: list[int], said: list[Said], holder: Holder, broad: frozenset[str]) -> list[int]:
    """`out` with the policies holding a telling word of the query (社区 of 社区搞智能化改造: no
    common word, not made of broad words) before those holding none of them, when some do."""
    telling = [w for one in said for w in (one.term.text[a:b] for a, b in one.known + one.runs)
               if not _made_of(w, broad) and not holder.is_common(w)]
    if not telling or len(out) < 2:
        return out
    holding = {p: any(holder.holds(p, w) for w in telling) for p in out}
    return [p for p in out if holding[p]] + [p for p in out if not holding[p]] if any(holding.values()) else out


@functools.cache
def _broad_or_who() -> frozenset[str]:
    return elsewhere()[2] | lists().who


def applicants_only(words: tuple[str, ...]) -> bool:
    """Whether `words` (what a result hinges on) name only kinds of applicant or broad things
    (规上, 制造业; 科技型企业): who a policy is for, not what it gives."""
    return bool(words) and all(_made_of(w, _broad_or_who()) for w in words)


@functools.lru_cache(maxsize=4096)
def _made_of(word: str, parts: frozenset[str]) -> bool:
    """Whether `word` is a run of `parts` (智能化改造: 智能化 改造)."""
    return not word or any(word.startswith(w) and _made_of(word[len(w):], parts) for w in parts if word.startswith(w))

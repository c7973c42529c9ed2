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
  数据中心 机柜租金) or made of words of the field that no result holds (技改项目 of 技改项目 银行贷款
  贴息; keywords each naming a policy, 数据中心 智慧社区, each answered by one, drop nothing), or
  nothing of what support ending a term is for (电费 of 数据中心 电费补贴);
- what is asked of a thing: two words naming a thing or more after the last 的 of a term (网络安全
  保险 of 工业互联网平台的网络安全保险), none of which the policy holds while it holds a word before,
  drop the result;
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

from collections.abc import Callable, Iterable

from .analyse import Term, is_han
from .asked import lists, other_value
from .english import stem
from .index import SEPARATOR, SearchIndex
from .plainwords import plain
from .said import Said, audience_of, broad_or_who, elsewhere, made_of, topic_words
from .scan import first_places, sound_variants
from .verdicts import Verdicts
from .weights import COMMON_SHARE

# Where a policy holds a word of the query: its texts, and the names of the people to call (a
# name typed, 臧文科, is held by the policies that person handles, whatever jieba makes of it).
_HELD_FIELDS = ("title", "keywords", "derived", "content", "contacts")
# From one result in MANY policies up, a word is looked for in all texts at once rather than in
# each result's texts: a search costs the same either way, this is the faster (speed only).
MANY = 50
# Likewise by sound, when those asked about that lack a word as typed, times HEARD_ALL, reach the
# size of the index times the word's sound variants (a scan of every sound string per variant).
HEARD_ALL = 8


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
        self.heard_among: dict[str, set[int]] = {}
        self.texts: dict[int, list[str]] = {}
        self.heard: dict[int, str] = {}
        self.sounds: dict[str, list[str]] = {}
        self.owners: dict[str, set[int]] = {}  # the policies holding a word as typed or by a related word
        self.common_words: dict[str, bool] = {}

    def texts_of(self, policy: int) -> list[str]:
        """The policy's texts where a word of the query is looked for, as the index holds them."""
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

    def _heard_among(self, word: str) -> set[int]:
        """Those of the policies asked about that lack `word` as typed and whose sound strings
        hold it, all found at once (`Blob.holding`: without decoding the sound strings, which cost
        more than the few hundred parts of them asked about)."""
        if word not in self.heard_among:
            left = self.asked - self._holding(word)
            found: set[int] = set()
            for name in _HELD_FIELDS:
                if left:
                    heard = self.index.blobs[name].holding("sound", left, self._variants(word))
                    found |= heard
                    left -= heard
            self.heard_among[word] = found
        return self.heard_among[word]

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
        texts = self.texts_of(policy)
        return any(thing in text for text in texts) and any(act in text for act in acts for text in texts)

    def one_off(self, policy: int, phrase: str) -> bool:
        """Whether the policy's text holds `phrase` (four characters or more) with one character
        other than written: a typo."""
        if len(phrase) < 4:
            return False
        for text in self.texts_of(policy):
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
            if policy in self.asked:
                return policy in self._heard_among(word)
        else:
            plain = self.texts_of(policy)
            if any(word in t for t in plain) or any(t in text for t in self.index.related.get(word, ()) for text in plain):
                return True
        heard = self._heard(policy)
        return any(needle in heard for needle in self._variants(word))


def _against(policy: int, said: list[Said], holder: Holder, asked: str, approximate: Callable[[int], bool],
             heads: bool, unanswered: frozenset[str] = frozenset()) -> str:
    """The word of the query that speaks against `policy` as its answer, or "" when none does
    (`unanswered`: the words of the field naming a thing, of a term of their own, that no result
    holds)."""
    held: dict[str, bool] = {}
    named: list[str] = []
    for one in said:
        for word in one.audience:
            if not holder.holds(policy, word):
                return word
        words = one.words(holder, policy)
        held.update((w, holder.holds(policy, w)) for w in words)
        if heads and len(said) > 1 and not any(held[w] for w in words):  # a term of its own naming a
            thing = next((w for w in words if w in one.things or w in unanswered), "")  # thing the
            if thing:  # policy holds nothing of: 机柜租金 of 数据中心 机柜租金, 技改 of 技改项目 银行贷款
                return thing
        owned = one.possessed(words) if heads else []  # two words or more naming what is asked of the
        if len(owned) >= 2 and not any(held[w] for w in owned) and any(held[w] for w in words if w not in owned):
            return owned[-1]  # policy's thing, none held: 网络安全保险 of 工业互联网平台的网络安全保险
        lacking = one.support_for(words, holder) if heads else []
        if lacking and not any(held.get(w) or holder.holds(policy, w) for w in lacking):
            return lacking[-1]  # support for what the policy does not hold: 电费 of 数据中心 电费补贴
        named += [w for w in words if not held[w] and w in one.nouns]  # a noun of no policy: 氢能, 年报
        compound = one.compound(words) if heads else []
        for run in one.heads(compound):
            if run[-1] not in held:  # stemmed (平台奖励 → 平台) or whole (数据平台, a related word)
                held[run[-1]] = holder.holds(policy, run[-1]) or holder.holds(policy, one.whole.get(run[-1], run[-1]))
            if not held[run[-1]] and any(held.setdefault(w, holder.holds(policy, w)) for w in run[:-1]
                                         if not made_of(w, one.broad)) and not holder.one_off(
                    policy, one.term.text[one.where[run[0]][0] : one.where[run[-1]][1]]) and not (
                    run[-1] in one.acts and holder.holds_act(policy, one.thing(run), one.acts)):
                return run[-1]  # the head: 新能源汽车购车; what is recognised: 设计中心 of 工业设计中心认定
    broad, generic = broad_or_who(), plain().generic
    if all(holder.is_common(w) or made_of(w, broad) or w in generic for w, h in held.items() if h):  # held:
        # only common, generic or broad words or kinds of applicant (产业, 认定; 奖励; 中心; 科技型企业, 毕业生)
        lacked = named or [w for w, h in held.items() if not h and not holder.is_common(w)]
        if lacked:  # while the query names something telling: 氢能 of no policy, 高新技术企业 of another
            return lacked[0]
    return asked if asked and approximate(policy) else ""


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
        said.append(Said(term, audience_of(term.text, audience), known, runs, broad, acts))
    asked = next((phrase for phrase in asks if phrase in query), "")
    foreign = _english_elsewhere(terms)
    valued = any(form in query for group in lists().exclusive for value in group for form in value)
    if not asked and not foreign and not valued and not any(one.audience or one.runs for one in said) and sum(
            len(one.known) for one in said) < 2:
        return passed, ()
    holder = Holder(index, common, many=len(passed) * MANY >= index.size, asked=passed)
    unanswered = _unanswered(said, holder, passed) if heads and len(said) > 1 else frozenset()
    verdicts = Verdicts(said, holder) if holder.many else None  # many results: most judged alike
    out, against = [], []
    for policy in passed:
        word = next((w for w in foreign if policy not in index.en_postings.get(stem(w), {})), "")
        word = word or (other_value(query, holder.texts_of(policy)) if valued else "")
        if not word and verdicts is not None:
            word = verdicts.of(policy, approximate, lambda h, a: _against(policy, said, h, asked, a, heads, unanswered))
        elif not word:
            word = _against(policy, said, holder, asked, approximate, heads, unanswered)
        if word:
            against.append(word)
        else:
            out.append(policy)
    return (_telling_first(out, said, holder, broad) if words else out), tuple(dict.fromkeys(against))


def _unanswered(said: list[Said], holder: Holder, passed: list[int]) -> frozenset[str]:
    """The words of the field naming a thing in a term of their own (技改 of 技改项目 银行贷款 贴息)
    that no result holds: a result holding nothing of that term answers another question. Keywords
    each naming a policy (数据中心 智慧社区) are answered by one result each and drop nothing; nor do
    the words of a term a result holds a word of (创业孵化: the start-up policy holds 创业)."""
    out: set[str] = set()
    for one in said:
        things = one.field_things()
        if things and not any(holder.holds(p, w) for w in things for p in passed):
            out.update(things)
    return frozenset(out)


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
               if not made_of(w, broad) and not holder.is_common(w)]
    if not telling or len(out) < 2:
        return out
    typed = set().union(*map(holder._holding, telling)) if holder.many else set()  # each holds it (speed only)
    holding = {p: p in typed or any(holder.holds(p, w) for w in telling) for p in out}
    return [p for p in out if holding[p]] + [p for p in out if not holding[p]] if any(holding.values()) else out


def applicants_only(words: tuple[str, ...]) -> bool:
    """Whether `words` (what a result hinges on) name only kinds of applicant or broad things
    (规上, 制造业; 科技型企业): who a policy is for, not what it gives."""
    return bool(words) and all(made_of(w, broad_or_who()) for w in words)


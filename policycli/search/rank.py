"""Ranked search: find the policies a person means from what they type.

A query is split into terms (at spaces and punctuation); every term counts. Each term is matched
against every field of every policy in several ways, each giving a *quality* between 0 and 1:

  exact      the term occurs in the field                                        1.0
  sound      same pinyin, with sounds people confuse folded together (数据中兴)    0.9 (0.8 for 2 chars)
  pinyin     Latin letters read as pinyin (shujuzhongxin)                        0.9
  initials   Latin letters read as pinyin initials (jsgz)                        0.8 (0.7 for 3 letters)
  typo       one character wrong in a term of 4 to 8, the rest as typed (虚似现实)  0.9 × (n-1)/n
  words      share of the term covered by its two-character pieces (or their
             sounds) found in the field, reordered or interrupted (questions,
             社区智慧); in all fields together                                   0.85 × share; 0.8 ×
  fuzzy      rapidfuzz near miss, only when nothing above matched well           0.8 × ratio

Sounds are tried only when the term is not in the data as typed, and pieces only when the
whole term was not found: scattered 数据…中心 is not 数据中心.

In "words", each character counts by how rare its pieces are in the dataset (an unseen piece
counts most), question words such as 有没有/哪些/怎么 count nothing and words every policy uses
such as 支持/政策/补贴 count little, so they cannot drown what the person asks about.

A term's quality in a policy is its best over fields and ways; its *rank* is that quality times
the field's weight, plus a little for each further field that matches. Terms are combined by a
mean weighted by how rare each term is, so all of them count and a rare one counts more.

Cutoff. A policy is a result only when its combined quality is at least MIN_QUALITY and its rank
score at least RELATIVE of the best one. MIN_QUALITY sits between what real matches reach and
what unrelated queries reach by sharing a common word: over some 250 judged queries of every
kind, the relevant policy's quality was never below 0.56 (a question padded with everyday words:
买新设备有补贴吗) and no unrelated query reached 0.45 (养老服务 shares only 服务: 0.26; 教育培训
shares 培训: 0.43). RELATIVE drops the tail of policies that share only a part of what the best
ones match. Rarity is measured as a share of the dataset, so these levels hold at any size.
"""
from __future__ import annotations

import math
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from ..dataset.lookup import filter_policies, normalize
from ..dataset.model import Catalog, Policy
from ..errors import InputError
from .index import FIELDS, SEPARATOR, Progress, SearchIndex, field_texts, index_for

FIELD_WEIGHTS = {
    "title": 1.0,
    "keywords": 0.95,
    "contacts": 0.9,
    "content": 0.85,
    "offices": 0.7,
    "lead_units": 0.6,
    "section": 0.5,
}
MIN_QUALITY = 0.5
RELATIVE = 0.6
SUGGEST_QUALITY = 0.4  # near misses worth a "是否要找"
EXTRA_FIELD = 0.1  # rank bonus per further field that matches

# Words that carry no topic in a question: they count nothing.
FILLERS = (
    "有没有", "有无", "是否有", "是不是", "是否", "哪些", "哪个", "哪里", "哪儿", "哪家", "什么", "怎么样", "怎么办",
    "怎么", "怎样", "如何", "请问", "想问", "一下", "我们", "我司", "本公司", "公司", "我想", "想要", "需要", "可以",
    "能否", "能不能", "可不可以", "多少钱", "多少", "相关", "方面", "关于", "这个", "那个", "有关", "一个", "一些",
    "条件", "享受", "流程", "手续", "材料", "渠道", "找谁", "联系谁", "电话", "部门", "负责", "咨询", "目前", "现在",
    "今年", "具体", "应该", "能够", "进行", "方面的", "针对", "你好", "您好", "谢谢", "麻烦", "帮我", "查一下", "了解",
    "知道", "告诉", "有哪些", "参加", "参与", "获得", "得到", "拿到", "准备", "打算", "最多", "要求", "标准",
    "做", "搞", "弄", "办",
    "的", "了", "吗", "呢", "吧", "啊", "呀", "么", "我", "你", "在", "是", "有", "给", "对", "和", "与", "及",
    "或", "想", "要", "能", "去", "找", "拿", "领", "些", "谁", "钱", "还", "都", "也", "就", "该", "多",
)
# Words nearly every policy uses: they count little.
GENERIC = (
    "政策", "支持", "扶持", "补贴", "补助", "资助", "奖励", "奖补", "奖金", "激励", "鼓励", "资金", "申请", "申报",
    "办理", "兑现", "优惠", "企业", "项目", "给予", "最高", "万元", "元",
)
FILLER_WEIGHT = 0.0
GENERIC_WEIGHT = 0.2
LONE_WEIGHT = 0.4
WEAK_SHARE = 0.4  # words: below this share (quality 0.34) a policy is not about the term
SOUND_CREDIT = 0.7  # a two-character piece that only sounds the same is weaker evidence
LONG = 5  # content characters beyond which what is not found counts less (questions)
# Terms are separated by spaces and punctuation (full- or half-width).
_SEPARATORS = str.maketrans(dict.fromkeys(",，、;；。!！?？:：()（）[]【】{}<>《》\"'“”‘’/\\|+=*&^$#@~`\t\r\n", " "))


# --- results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    """How one query term matched a policy: in which field, which text, and how."""

    term: str
    field: str
    text: str
    how: str

    def to_dict(self) -> dict[str, Any]:
        return {"term": self.term, "field": self.field, "text": self.text, "how": self.how}


@dataclass(frozen=True)
class Hit:
    policy: Policy
    score: float
    quality: float
    matches: tuple[Match, ...]
    spans: dict[str, tuple[tuple[int, int], ...]] = field(default_factory=dict, compare=False)  # per field
    texts: dict[str, str] = field(default_factory=dict, compare=False)  # the fields in `spans`, as shown

    def to_dict(self) -> dict[str, Any]:
        data = self.policy.to_dict()
        data["score"] = round(self.score, 3)
        data["matched"] = [m.to_dict() for m in self.matches]
        return data

    def snippet(self, width: int = 36) -> tuple[str, tuple[tuple[int, int], ...]]:
        """A short piece of the field that matched best, and the highlighted ranges within it."""
        name = "content" if self.spans.get("content") else (self.matches[0].field if self.matches else "content")
        text = self.texts.get(name, self.policy.content)
        spans = sorted(self.spans.get(name, ()))
        if len(text) <= width:
            return text, tuple(spans)
        focus = spans[0][0] if spans else 0
        start = max(0, min(focus - width // 4, len(text) - width))
        end = start + width
        piece = text[start:end]
        shifted = [(max(a, start) - start, min(b, end) - start) for a, b in spans if b > start and a < end]
        if start > 0:
            piece = "…" + piece
            shifted = [(a + 1, b + 1) for a, b in shifted]
        if end < len(text):
            piece += "…"
        return piece, tuple(shifted)


@dataclass(frozen=True)
class SearchResult:
    query: str
    hits: tuple[Hit, ...]  # best first, at most `limit`
    total: int  # results above the cutoff before the limit
    suggestions: tuple[Policy, ...] = ()  # near misses, when there is no result
    outside: tuple[Policy, ...] = ()  # results the --part/--section filter left out, when there is none

    def to_jsonable(self) -> list[dict[str, Any]]:
        return [h.to_dict() for h in self.hits]


# --- query terms -------------------------------------------------------------------------------


class Term:
    """One word of the query, with how much each of its characters counts."""

    __slots__ = ("text", "weights", "importance", "latin")

    def __init__(self, text: str, weights: list[float], importance: float = 1.0) -> None:
        self.text = text
        self.weights = weights  # per character: 1, LONE_WEIGHT, GENERIC_WEIGHT or FILLER_WEIGHT
        self.importance = importance  # lower for a term made only of generic words
        self.latin = text.isascii() and text.isalpha()

    def __repr__(self) -> str:
        return f"Term({self.text!r}, {self.weights}, {self.importance})"


def parse_terms(query: str) -> list[Term]:
    visible = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in normalize(query))
    pieces = visible.translate(_SEPARATORS).split()
    terms = [_term(p) for p in pieces]
    useful = [t for t in terms if any(w > 0 for w in t.weights)]
    if useful:
        return useful
    return [Term(p, [1.0] * len(p)) for p in pieces]


def _term(text: str) -> Term:
    weights = [1.0] * len(text)
    _mark(text, weights, GENERIC, GENERIC_WEIGHT, min_len=1)
    # A single-character filler only inside a longer phrase: 能 in 能耗 is a word, not a filler.
    _mark(text, weights, FILLERS, FILLER_WEIGHT, min_len=1 if len(text) >= 3 else 2)
    # A lone character between question words is mostly a verb (买, 建, 办): it counts less.
    for i, w in enumerate(weights):
        alone = (i == 0 or weights[i - 1] < 1) and (i == len(text) - 1 or weights[i + 1] < 1)
        if w == 1.0 and alone and len(text) > 1 and _is_han(text[i]):
            weights[i] = LONE_WEIGHT
    if not any(w == 1.0 for w in weights):
        if all(w == FILLER_WEIGHT for w in weights):
            return Term(text, weights)
        weights = [1.0 if w > 0 else 0.0 for w in weights]
        return Term(text, weights, importance=0.25)
    return Term(text, weights)


def _mark(text: str, weights: list[float], words: tuple[str, ...], weight: float, min_len: int) -> None:
    """Give the characters of each of `words` found in `text` (longest first) at most `weight`."""
    if text in words:
        min_len = 1  # a whole term that is one such word, even of one character
    i = 0
    while i < len(text):
        for word in sorted((w for w in words if len(w) >= min_len and text.startswith(w, i)), key=len, reverse=True)[:1]:
            for j in range(i, i + len(word)):
                weights[j] = min(weights[j], weight)
            i += len(word) - 1
        i += 1


# --- matching one term -------------------------------------------------------------------------


class _FieldMatch:
    __slots__ = ("quality", "how", "spans")

    def __init__(self, quality: float, how: str, spans: list[tuple[int, int]]) -> None:
        self.quality = quality
        self.how = how
        self.spans = spans


class _TermMatcher:
    """All the ways one term matches, per policy and field."""

    def __init__(self, index: SearchIndex, term: Term, common: Any) -> None:
        self.index = index
        self.term = term
        self.common = common  # callable giving readings for characters the dataset lacks
        self.found: dict[int, dict[str, _FieldMatch]] = {}

    def offer(self, policy: int, name: str, quality: float, how: str, spans: list[tuple[int, int]]) -> None:
        per_field = self.found.setdefault(policy, {})
        current = per_field.get(name)
        if current is None or quality > current.quality:
            per_field[name] = _FieldMatch(quality, how, spans)

    def run(self) -> dict[int, dict[str, _FieldMatch]]:
        text = self.term.text
        self._substring(text, "exact", 1.0, plain=True)
        # Sounds are for typos: when the very characters typed are in the data, homophones
        # elsewhere are not what was meant.
        typed_as_is = bool(self.found)
        if self.term.latin and not typed_as_is:
            self._typed_pinyin(text)
        elif len(text) >= 2 and not typed_as_is and any(_is_han(ch) for ch in text):
            for sound in self._sounds(text):
                self._substring(sound, "sound", 0.9 if len(text) > 2 else 0.8)
            if 4 <= len(text) <= 8 and self.best() < 0.8:
                self._one_wrong()
        # Pieces of the term matter when the whole was not found: scattered 数据…中心 is not 数据中心.
        if len(text) >= 2 and not self.term.latin and self.best() < 0.9:
            self._words()
        if len(text) >= 3 and self.best() < 0.6:
            self._fuzzy()
        return self.found

    def best(self) -> float:
        return max((m.quality for per in self.found.values() for m in per.values()), default=0.0)

    # exact, sound, pinyin and initials: one string searched in every blob
    def _substring(self, needle: str, how: str, quality: float, *, plain: bool = False, initials: bool = False) -> None:
        for name in FIELDS:
            blob = self.index.blobs[name]
            haystack = blob.text if plain else blob.initials if initials else blob.sound
            for policy, at in _first_hits(haystack, needle, blob.starts):
                start = at - blob.starts[policy]
                self.offer(policy, name, quality, how, [(start, start + len(needle))])

    def _sounds(self, text: str) -> list[str]:
        return _sound_variants(self.index, text, self.common)

    def _typed_pinyin(self, text: str) -> None:
        from .pinyin import NO_SOUND, fold, split_syllables

        for syllables in split_syllables(text, self.index.syllables):
            if len(syllables) < 2:
                continue  # one syllable is too little to go on
            sound = "".join(self.index.codes.get(fold(s), NO_SOUND) for s in syllables)
            if NO_SOUND not in sound:
                self._substring(sound, "pinyin", 0.9)
        if len(text) >= 3:
            self._substring(text, "initials", 0.8 if len(text) >= 4 else 0.7, initials=True)

    def _one_wrong(self) -> None:
        """The term with one character replaced by any other (虚似现实 for 虚拟现实): the rest
        must be the very characters, as matching the rest by sound finds too much."""
        text = self.term.text
        n = len(text)
        quality = 0.9 * (n - 1) / n
        for i in range(n):
            for name in FIELDS:
                blob = self.index.blobs[name]
                for policy, at in _wild_hits(blob.text, text[:i], text[i + 1 :], blob.starts):
                    start = at - blob.starts[policy]
                    self.offer(policy, name, quality, "typo", [(start, start + n)])

    def _words(self) -> None:
        """Cover the term with its two-character pieces (and their sounds) found in each field."""
        text, weights = self.term.text, self.term.weights
        n = len(text)
        union: dict[int, dict[int, float]] = {}  # policy -> {position in the term: credit}
        hits: dict[int, list[tuple[str, int, float, int]]] = {}  # policy -> (field, position, credit, offset)
        rarity = [0.0] * (n - 1)
        blobs = [(name, self.index.blobs[name]) for name in FIELDS]
        for i in range(n - 1):
            if weights[i] < 1 and weights[i + 1] < 1 and any(w == 1 for w in weights):
                continue  # no content character: 支持, 补贴, 有没 say nothing about the topic
            piece = text[i : i + 2]
            owners: set[int] = set()
            # One pass over the sound strings finds the piece and its homophones; the text
            # tells which of the two each hit is.
            sounded = _is_han(piece[0]) or _is_han(piece[1])
            for needle in self._sounds(piece) if sounded else [piece]:
                for name, blob in blobs:
                    plain, starts = blob.text, blob.starts
                    for policy, at in _first_hits(blob.sound if sounded else plain, needle, starts):
                        value = 1.0
                        if sounded and plain[at : at + 2] != piece:
                            exact = plain.find(piece, at, starts[policy + 1])
                            value, at = (1.0, exact) if exact >= 0 else (SOUND_CREDIT, at)
                        owners.add(policy)
                        marks = union.get(policy)
                        if marks is None:
                            marks = union[policy] = {}
                            hits[policy] = []
                        if marks.get(i, 0.0) < value:
                            marks[i] = value
                        if marks.get(i + 1, 0.0) < value:
                            marks[i + 1] = value
                        hits[policy].append((name, i, value, at - starts[policy]))
            rarity[i] = _rarity(len(owners), self.index.size)
        char_weight = []
        for i in range(n):
            around = [rarity[j] for j in (i - 1, i) if 0 <= j < n - 1 and rarity[j] > 0]
            char_weight.append(weights[i] * (min(around) if around else 0.0))
        total = sum(char_weight)
        if total <= 0:
            return
        # In a long question, much of what is not found is everyday words: it counts less.
        content = sum(1 for w in weights if w == 1.0)
        slack = min(1.0, LONG / content) if content else 1.0

        def share(marks: dict[int, float]) -> float:
            found = sum(char_weight[i] * c for i, c in marks.items())
            return found / (found + slack * (total - found)) if found > 0 else 0.0

        for policy, marks in union.items():
            spread = share(marks)
            if spread < WEAK_SHARE:  # a common piece or two: this policy is not about the term
                continue
            per_field: dict[str, dict[int, float]] = {}
            where: dict[str, list[tuple[int, int]]] = {}
            for name, i, value, offset in hits[policy]:
                field_marks = per_field.setdefault(name, {})
                if field_marks.get(i, 0.0) < value or field_marks.get(i + 1, 0.0) < value:
                    field_marks[i] = max(field_marks.get(i, 0.0), value)
                    field_marks[i + 1] = max(field_marks.get(i + 1, 0.0), value)
                    where.setdefault(name, []).append((offset, offset + 2))
            for name, field_marks in per_field.items():
                self.offer(policy, name, 0.85 * share(field_marks), "words", where[name])
            found = self.found[policy]
            if 0.8 * spread > max(m.quality for m in found.values()):
                # spread over fields: credit the field that holds the most of it
                name = max(found, key=lambda f: found[f].quality)
                found[name] = _FieldMatch(0.8 * spread, "words", found[name].spans)

    def _fuzzy(self) -> None:
        """rapidfuzz near misses (a transposed or extra character), when nothing matched well."""
        from rapidfuzz import fuzz, process

        text = self.term.text
        if self.term.latin:
            choices = self.index.latin
            for _, score, policy in process.extract(text, choices, scorer=fuzz.partial_ratio, score_cutoff=85, limit=None):
                self.offer(policy, "title", 0.8 * score / 100, "fuzzy", [])
            return
        for name in ("title", "keywords", "content"):
            blob = self.index.blobs[name]
            choices = [blob.field_of(i) for i in range(self.index.size)]
            for _, score, policy in process.extract(text, choices, scorer=fuzz.partial_ratio, score_cutoff=75, limit=None):
                alignment = fuzz.partial_ratio_alignment(text, choices[policy])
                span = [(alignment.dest_start, alignment.dest_end)] if alignment else []
                self.offer(policy, name, 0.8 * score / 100, "fuzzy", span)


def _rarity(found_in: int, size: int) -> float:
    """How telling a match is, from the share of policies it occurs in (not their number, so
    that quality does not drift with the size of the dataset): 3.0 for none, 2.4 for 1 in 20,
    1.0 for half of them."""
    return math.log(1 + 1 / (found_in / max(size, 1) + 0.05))


def _first_hits(haystack: str, needle: str, starts: list[int]):
    """(policy, offset) of the first occurrence of `needle` in each policy's part of a blob."""
    at = haystack.find(needle)
    while at >= 0:
        policy = bisect_right(starts, at) - 1
        yield policy, at
        at = haystack.find(needle, starts[policy + 1])


def _wild_hits(haystack: str, prefix: str, suffix: str, starts: list[int]):
    """Like `_first_hits` for prefix + any one character but a separator + suffix."""
    if len(prefix) >= len(suffix):
        anchor, back = prefix, 0
    else:
        anchor, back = suffix, len(prefix) + 1
    middle = len(prefix)
    at = haystack.find(anchor)
    while at >= 0:
        start = at - back
        if (start >= 0 and haystack.startswith(prefix, start) and haystack[start + middle] != SEPARATOR
                and haystack.startswith(suffix, start + middle + 1)):
            policy = bisect_right(starts, start) - 1
            yield policy, start
            at = haystack.find(anchor, starts[policy + 1] + back)
        else:
            at = haystack.find(anchor, at + 1)


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or ch >= "\U00020000"


def _sound_variants(index: SearchIndex, text: str, common: Any) -> list[str]:
    from .pinyin import NO_SOUND, fold, variants

    options = []
    for ch in text:
        if not _is_han(ch):
            options.append((ch,))
            continue
        codes = index.readings.get(ch)
        if codes:
            options.append(tuple(codes))
            continue
        reading = common(ch)
        options.append((index.codes.get(fold(reading), NO_SOUND) if reading else NO_SOUND,))
    return [v for v in variants(options) if NO_SOUND not in v]


class _CommonReadings:
    """Usual reading of a character the dataset does not use: from the cached table of common
    characters (built again if it went missing), else straight from pypinyin."""

    def __init__(self) -> None:
        self.table: dict[str, str] | None = None

    def __call__(self, ch: str) -> str:
        from .index import common_readings
        from .pinyin import reading_of

        if self.table is None:
            self.table = common_readings()
        return self.table.get(ch) or reading_of(ch)


# --- ranking -----------------------------------------------------------------------------------


# Longest query, in characters: five times the longest policy text, so a pasted paragraph is
# found; matching takes time that grows faster than the query's length.
MAX_QUERY = 1000


def search(
    catalog: Catalog,
    query: str,
    *,
    limit: int = 10,
    part: str | None = None,
    section: str | None = None,
    progress: Progress | None = None,
) -> SearchResult:
    """Policies matching `query`, best first, cut off where relevance ends."""
    if len(query) > MAX_QUERY:
        raise InputError(f"搜索内容过长（{len(query):,} 字），最多 {MAX_QUERY:,} 字：请只写要找的词语或一句问题，"
                         "如 policy search 数据中心")
    terms = parse_terms(query)
    allowed = None
    if part or section:
        chosen = {p.id for p in filter_policies(catalog, part=part, section=section)}
        allowed = {i for i, p in enumerate(catalog.policies) if p.id in chosen}
    if not terms:
        raise InputError(f"“{query}”里没有可搜索的文字，请给出要找的内容，例如 policy search 数据中心")
    index = index_for(catalog, progress)
    common = _CommonReadings()
    per_term = [_TermMatcher(index, term, common).run() for term in terms]
    weights = _term_weights(index.size, terms, per_term)
    scored = _score(weights, per_term, allowed)

    def order(p: int) -> tuple[float, int, int]:
        return -scored[p][0], catalog.policies[p].part, catalog.policies[p].number

    passed = sorted(_above_cutoff(scored), key=order)
    if passed:
        hits = tuple(_hit(catalog, catalog.policies[p], scored[p], terms, [found.get(p) for found in per_term])
                     for p in passed[:limit])
        return SearchResult(query, hits, len(passed))
    outside: tuple[Policy, ...] = ()
    if allowed is not None:
        everywhere = _score(weights, per_term, None)
        outside = tuple(catalog.policies[p] for p in sorted(_above_cutoff(everywhere), key=lambda p: -everywhere[p][0]))
    near = sorted((p for p, (_, quality) in scored.items() if quality >= SUGGEST_QUALITY), key=order)[:3]
    return SearchResult(query, (), 0, tuple(catalog.policies[p] for p in near), outside[:3])


def _above_cutoff(scored: dict[int, tuple[float, float]]) -> list[int]:
    """The policies relevant enough to list: good matches that are not far behind the best."""
    if not scored:
        return []
    best = max(score for score, _ in scored.values())
    return [p for p, (score, quality) in scored.items() if quality >= MIN_QUALITY and score >= RELATIVE * best]


def _term_weights(size: int, terms: list[Term], per_term: list[dict[int, dict[str, _FieldMatch]]]) -> list[float]:
    """A term counts by how rare its good matches are, less when it is only generic words."""
    weights = []
    for term, found in zip(terms, per_term):
        df = sum(1 for per in found.values() if max(m.quality for m in per.values()) >= 0.6)
        weights.append(term.importance * _rarity(df, size))
    return weights


def _score(
    weights: list[float], per_term: list[dict[int, dict[str, _FieldMatch]]], allowed: set[int] | None
) -> dict[int, tuple[float, float]]:
    """(rank score, quality) of every policy that matched any term, as weighted means over terms."""
    total = sum(weights)
    candidates = set().union(*per_term)
    if allowed is not None:
        candidates &= allowed
    out = {}
    for policy in candidates:
        quality = score = 0.0
        for weight, found in zip(weights, per_term):
            per_field = found.get(policy)
            if per_field:
                q, r = _term_score(per_field)
                quality += weight * q
                score += weight * r
        out[policy] = (score / total, quality / total)
    return out


def _term_score(per_field: dict[str, _FieldMatch]) -> tuple[float, float]:
    """Quality: the best match in any field. Rank: the best of quality times the field's weight,
    plus a little for each further field that matches well."""
    ranked = sorted(((FIELD_WEIGHTS[name] * m.quality, m.quality) for name, m in per_field.items()), reverse=True)
    quality = max(q for _, q in ranked)
    return quality, ranked[0][0] + EXTRA_FIELD * sum(r for r, q in ranked[1:] if q >= 0.5)


def _hit(catalog: Catalog, policy: Policy, scored: tuple[float, float], terms: list[Term],
         found: list[dict[str, _FieldMatch] | None]) -> Hit:
    shown = field_texts(catalog, policy, "、")
    matches = []
    spans: dict[str, list[tuple[int, int]]] = {}
    for term, per_field in zip(terms, found):
        if not per_field:
            continue
        name, top = max(per_field.items(), key=lambda kv: FIELD_WEIGHTS[kv[0]] * kv[1].quality)
        text = shown[name]
        pieces = [text[a:b] for a, b in _merged(top.spans)]
        matches.append(Match(term.text, name, "…".join(dict.fromkeys(p for p in pieces if p)) or text, top.how))
        for field_name, m in per_field.items():
            spans.setdefault(field_name, []).extend(m.spans)
    return Hit(policy, scored[0], scored[1], tuple(matches), {k: tuple(_merged(v)) for k, v in spans.items()},
               {k: shown[k] for k in spans})


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Ranges in order, overlaps merged. The index joins list items with one character, as the
    display does, so its offsets are display offsets."""
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def not_found_message(result: SearchResult) -> str:
    """The one line for a search without results: where the answer is when a filter left it out,
    else the near misses."""
    def named(policies: Any) -> str:
        return "、".join(f"{p.id}（{p.title}）" for p in policies)

    if result.outside:
        return (f"所选的部分或节中没有与“{result.query}”相关的政策；不限部分和节时有：{named(result.outside)}。"
                "去掉 --part、--section 再试")
    hint = f"；是否要找：{named(result.suggestions)}" if result.suggestions else ""
    return f"没有找到与“{result.query}”相关的政策{hint}。换个说法再试，或运行 policy list 查看全部"

"""Ranked search: find the policies a person means from what they type.

A query is split into terms (at spaces and punctuation); every term counts. Each term is matched
against every field of every policy in several ways, each giving a *quality* between 0 and 1:

  exact      the term occurs in the field; a policy id (or its start), a phone number  1.0
  sound      same pinyin, with sounds people confuse folded together (数据中兴),
             against whole words of the text only                                0.9 (0.8 for 2 chars)
  pinyin     Latin letters read as pinyin (shujuzhongxin); pinyin mixed with
             characters read as the text's word of that sound (zhihui社区)        0.9 (× 0.95 mixed)
  initials   Latin letters read as pinyin initials (jsgz)                        0.8 (0.7 for 3 letters)
  english    an English word in our English title (1) or summary (0.8) of the
             policy, or a glossary phrase's Chinese term in the text              0.9 × that; 0.85
  typo       one character wrong in a term of 4 to 8, the rest as typed, a whole
             word of the text (虚似现实)                                           0.9 × (n-1)/n
  words      share of the term covered by its two-character pieces found in the
             field (by sound only for a piece the texts lack, as a whole word),
             reordered or interrupted (questions, 社区智慧), and by everyday
             words of data/synonyms.yaml whose terms are in the title or keywords
             ("related": 机床 → 设备); in all fields together                      0.85 × share; 0.8 ×
  fuzzy      rapidfuzz near miss, only when nothing above matched well           0.8 × ratio

Sounds are tried only when the term is not in the data as typed, and pieces only when the
whole term was not found: scattered 数据…中心 is not 数据中心. Matches by sound, typo, near
miss or related word are *approximate*, and the results say so.

In "words", each character counts by how rare its pieces are in the dataset (an unseen piece
counts most), question words such as 有没有/哪些/怎么 count nothing and words every policy uses
such as 支持/政策/补贴 count little, so they cannot drown what the person asks about. Words the
texts do not know count less when they only say what someone did: a lone character between words
found (换, 装), a verb, number or adverb by jieba's tagger (添置, 几台), an unknown word right before
an everyday word it qualifies (数控 in 数控机床). Words about the procedure (时间, 材料, 地址, 公示)
count nothing; a query of nothing else finds nothing (the list does not state it).
"A 和 B" asks about two things: a policy needs one of them.

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
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from ..dataset.lookup import filter_policies, normalize
from ..dataset.model import Catalog, Policy
from ..errors import InputError, NotFound
from .index import FIELDS, SEPARATOR, Progress, SearchIndex, field_texts, index_for
from .english import GENERIC as EN_GENERIC
from .english import PROCEDURE as EN_PROCEDURE
from .english import STOPWORDS, stem
from .words import known_words

FIELD_WEIGHTS = {
    "title": 1.0,
    "id": 1.0,
    "phones": 0.9,
    "english": 0.9,
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
    "条件", "享受", "渠道", "联系谁", "电话", "部门", "负责", "咨询", "目前", "现在",
    "今年", "具体", "应该", "能够", "进行", "方面的", "针对", "你好", "您好", "谢谢", "麻烦", "帮我", "查一下", "了解",
    "知道", "告诉", "有哪些", "参加", "参与", "获得", "得到", "拿到", "准备", "打算", "最多", "要求", "标准",
    "自己", "咱们", "我家", "今年", "去年", "明年", "已经", "一直", "比较", "非常", "特别", "不少", "很多", "一批",
    "做", "搞", "弄", "办",
    "的", "了", "吗", "呢", "吧", "啊", "呀", "么", "我", "你", "在", "是", "有", "给", "对", "和", "与", "及",
    "或", "想", "要", "能", "去", "找", "拿", "领", "些", "谁", "钱", "还", "都", "也", "就", "该", "多",
)
# Words nearly every policy uses: they count little.
GENERIC = (
    "政策", "支持", "扶持", "补贴", "补助", "资助", "奖励", "奖补", "奖金", "激励", "鼓励", "资金", "申请", "申报",
    "办理", "兑现", "优惠", "企业", "项目", "给予", "最高", "万元", "元",
)
# What a question about the procedure asks (when, where, which papers, who was chosen): the list
# states none of it. Such words count nothing; a question made only of them and everyday words
# finds nothing, with a pointer to the offices.
PROCEDURE = (
    "什么时候", "何时", "时候", "时间", "截止", "期限", "日期", "几月", "几号", "哪天", "多久", "地址", "地点",
    "在哪", "在哪里", "在哪儿", "窗口", "网址", "网站", "入口", "公示", "名单", "结果", "进度", "材料", "资料",
    "表格", "模板", "流程", "手续", "程序", "步骤", "报名", "提交", "递交", "受理", "审批", "办公", "联系方式",
    "开始", "结束", "到账", "发放", "拨付", "公布", "找谁", "联系谁",
)
_PLAIN_WORDS = frozenset(FILLERS + GENERIC + PROCEDURE)
FILLER_WEIGHT = 0.0
GENERIC_WEIGHT = 0.2
LONE_WEIGHT = 0.4
WEAK_SHARE = 0.4  # words: below this share (quality 0.34) a policy is not about the term
SOUND_CREDIT = 0.7  # a two-character piece that only sounds the same is weaker evidence
RELATED_CREDIT = 0.9  # an everyday word for a term of the text (data/synonyms.yaml)
MODIFIER, MODIFIER_WEIGHT = 3, 0.5  # unknown characters before an everyday word: how many, and their weight
LONG = 5  # content characters beyond which what is not found counts less (questions)
# Terms are separated by spaces and punctuation (full- or half-width).
_SEPARATORS = str.maketrans(dict.fromkeys(",，、;；。!！?？:：()（）[]【】{}<>《》\"“”‘’/\\|+=*^$#@~`\t\r\n", " "))
# "A 和 B": two things asked about at once (实验室和研发机构); 与 and 及 are left alone, as
# official names use them (科研设施与仪器).
_AND = re.compile(r"(?<=[\u3400-\u9fffa-z0-9]{2})(?:和|以及|或者|还有)(?=[\u3400-\u9fffa-z0-9]{2})")
# A phone number as people write it: 0532-86168249, (0532) 8616 8249, +86 532 86168249.
_PHONE = re.compile(r"\+?\(?\d[\d()\s\-]{5,}\d")
TEXT_FIELDS = tuple(f for f in FIELDS if f not in ("id", "phones"))  # searched for words; the others whole
APPROXIMATE = frozenset({"sound", "typo", "fuzzy", "related"})  # matches that are not what was typed


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
    english: tuple[str, str] | None = field(default=None, compare=False)  # our (title, summary), for an English query
    loose: bool = field(default=False, compare=False)  # found by the recall pass: some words of the query left out

    @property
    def approximate(self) -> bool:
        """Matched only by sound, a typo, a near miss or a related word, not as typed, or with
        words of the query left out (recall.py)."""
        return self.loose or (bool(self.matches) and all(m.how in APPROXIMATE for m in self.matches))

    def to_dict(self) -> dict[str, Any]:
        data = self.policy.to_dict()
        data["score"] = round(self.score, 3)
        data["approximate"] = self.approximate
        data["matched"] = [m.to_dict() for m in self.matches]
        if self.english:
            data["english"] = {"title": self.english[0], "summary": self.english[1], "note": UNOFFICIAL}
        return data

    def snippet(self, width: int = 36) -> tuple[str, tuple[tuple[int, int], ...]]:
        """A short piece of the policy's own text around what matched, and the highlighted ranges
        within it (the text from its start when the match was elsewhere: title, keywords, contacts)."""
        text = self.policy.content
        spans = sorted(self.spans.get("content", ()))
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


UNOFFICIAL = "非官方译文，以中文原文为准"


@dataclass(frozen=True)
class SearchResult:
    query: str
    hits: tuple[Hit, ...]  # best first, at most `limit`
    total: int  # results above the cutoff before the limit
    suggestions: tuple[Policy, ...] = ()  # near misses, when there is no result
    outside: tuple[Policy, ...] = ()  # results the --part/--section filter left out, when there is none
    procedure: bool = False  # the query asks about the procedure (when, where, which papers)
    english: bool = False  # the query is in English

    def to_jsonable(self) -> list[dict[str, Any]]:
        return [h.to_dict() for h in self.hits]


# --- query terms -------------------------------------------------------------------------------


class Term:
    """One word of the query, with how much each of its characters counts."""

    __slots__ = ("text", "weights", "importance", "latin", "procedure", "topic", "gloss", "english", "group")

    def __init__(self, text: str, weights: list[float], importance: float = 1.0, *, procedure: bool = False) -> None:
        self.text = text
        self.weights = weights  # per character: 1, LONE_WEIGHT, GENERIC_WEIGHT or FILLER_WEIGHT
        self.importance = importance  # lower for a term made only of generic words
        self.latin = _is_latin(text)
        self.procedure = procedure  # holds a word about the procedure (时间, 材料, 地址)
        self.topic = importance == 1.0 and any(w == 1.0 for w in weights)  # says what it is about
        self.gloss: tuple[str, ...] = ()  # Chinese terms of the glossary, for an English word
        self.english = False  # matched as an English word
        self.group = 0  # terms of one group are alternatives ("A 和 B"): a policy needs one of them

    def __repr__(self) -> str:
        return f"Term({self.text!r}, {self.weights}, {self.importance})"


def parse_terms(query: str) -> list[Term]:
    visible = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in normalize(query))
    visible = _PHONE.sub(lambda m: " " + _phone_digits(m.group()) + " ", visible)
    pieces = []  # (text, group)
    for group, piece in enumerate(visible.translate(_SEPARATORS).split()):
        alternatives = [p for p in _AND.split(piece) if p]
        for alternative in alternatives:
            # English words joined by hyphens are words apart, as in our English texts (start-up)
            words = alternative.split("-") if _is_latin(alternative) else [alternative]
            pieces += [(w, group if len(alternatives) > 1 else -1) for w in words if any(ch.isalnum() for ch in w)]
    terms = []
    for number, (text, group) in enumerate(pieces):
        term = _term(text)
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


def _is_latin(text: str) -> bool:
    """Letters of the Latin alphabet, maybe joined by & ' - (r&d, banker's, pre-ipo)."""
    return text.isascii() and any(ch.isalpha() for ch in text) and all(ch.isalpha() or ch in "&'-" for ch in text)


def _term(text: str, known: frozenset[str] = frozenset()) -> Term:
    """The term with the weight of each character; characters inside a word of the texts (`known`)
    are never single-character fillers nor lone verbs (能 in 智能化, 化 in 智能化)."""
    weights = [1.0] * len(text)
    if _is_latin(text):
        if text in STOPWORDS:
            return Term(text, [FILLER_WEIGHT] * len(text))
        if stem(text) in EN_PROCEDURE:
            return Term(text, [FILLER_WEIGHT] * len(text), procedure=True)
        return Term(text, weights, 0.25 if stem(text) in EN_GENERIC else 1.0)
    inside = [False] * len(text)
    for a, b in known_words(text, known, 8) if known else ():
        if text[a:b] not in _PLAIN_WORDS:
            inside[a:b] = [True] * (b - a)
    _mark(text, weights, GENERIC, GENERIC_WEIGHT, min_len=1)
    # A single-character filler only inside a longer phrase: 能 in 能耗 is a word, not a filler.
    _mark(text, weights, FILLERS, FILLER_WEIGHT, min_len=1 if len(text) >= 3 else 2, keep=inside)
    procedure = _mark(text, weights, PROCEDURE, FILLER_WEIGHT, min_len=2)
    # A lone character between question words is mostly a verb (买, 建, 办): it counts less.
    for i, w in enumerate(weights):
        alone = (i == 0 or weights[i - 1] < 1) and (i == len(text) - 1 or weights[i + 1] < 1)
        if w == 1.0 and alone and len(text) > 1 and _is_han(text[i]) and not inside[i]:
            weights[i] = LONE_WEIGHT
    if not any(w == 1.0 for w in weights):
        if all(w == FILLER_WEIGHT for w in weights):
            return Term(text, weights, procedure=procedure)
        weights = [1.0 if w > 0 else 0.0 for w in weights]
        return Term(text, weights, importance=0.25, procedure=procedure)
    return Term(text, weights, procedure=procedure)


def _mark(text: str, weights: list[float], words: tuple[str, ...], weight: float, min_len: int,
          keep: list[bool] | None = None) -> bool:
    """Give the characters of each of `words` found in `text` (longest first) at most `weight`,
    but not a one-character word at a position `keep` marks; whether any was found."""
    if text in words:
        min_len = 1  # a whole term that is one such word, even of one character
    i = 0
    found = False
    while i < len(text):
        for word in sorted((w for w in words if len(w) >= min_len and text.startswith(w, i)), key=len, reverse=True)[:1]:
            if keep and len(word) == 1 and keep[i]:
                continue
            for j in range(i, i + len(word)):
                weights[j] = min(weights[j], weight)
            i += len(word) - 1
            found = True
        i += 1
    return found


# --- matching one term -------------------------------------------------------------------------


class _FieldMatch:
    __slots__ = ("quality", "how", "spans")

    def __init__(self, quality: float, how: str, spans: list[tuple[int, int]]) -> None:
        self.quality = quality
        self.how = how
        self.spans = spans


class _TermMatcher:
    """All the ways one term matches, per policy and field."""

    def __init__(self, index: SearchIndex, term: Term, common: Any, *, exact_only: bool = False) -> None:
        self.index = index
        self.term = term
        self.common = common  # callable giving readings for characters the dataset lacks
        self.exact_only = exact_only
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
        self._identifiers()
        if self.exact_only:
            return self.found
        has_han = any(_is_han(ch) for ch in text)
        if self.term.latin and not typed_as_is:
            if self._english():
                return self.found  # an English word is not pinyin, nor a near miss of it
            if text.isalpha():
                self._typed_pinyin(text)
        elif has_han and not typed_as_is and any(ch.isascii() and ch.isalpha() for ch in text):
            self._mixed()
        elif len(text) >= 2 and not typed_as_is and has_han:
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
    def _substring(self, needle: str, how: str, quality: float, *, plain: bool = False, initials: bool = False,
                   fields: tuple[str, ...] = TEXT_FIELDS) -> None:
        """Every field holding `needle` (in its text, its initials or its sound string). A match
        by sound or by initials must be a run of whole words of the text: 施建 does not sound like
        the 施建 of 实施建设, nor 公示 like the 公室 of 办公室, and xyz is not the initials of the
        现与再 of 再贴现与再贷款."""
        whole = not plain and not initials
        for name in fields:
            blob = self.index.blobs[name]
            haystack = blob.text if plain else blob.initials if initials else blob.sound
            if initials:  # and no one-character word at either end: zzz is not 在制造
                hits = _whole_hits(blob, haystack, needle, lambda a, b: blob.whole(a, b) and not blob.whole(a, a + 1)
                                   and not blob.whole(b - 1, b))
            else:
                hits = _whole_hits(blob, haystack, needle) if whole else _first_hits(haystack, needle, blob.starts)
            for policy, at in hits:
                start = at - blob.starts[policy]
                self.offer(policy, name, quality, how, [(start, start + len(needle))])

    def _identifiers(self) -> None:
        """A policy id (or its first six letters or more), a phone number (seven digits or more)."""
        text = self.term.text
        if text.isdigit() and len(text) >= 7:
            self._substring(text, "exact", 1.0, plain=True, fields=("phones",))
        elif text.isascii() and len(text) >= 3:
            blob = self.index.blobs["id"]
            for policy, at in _first_hits(blob.text, text, blob.starts):
                whole = blob.text[at + len(text)] == SEPARATOR
                if at == blob.starts[policy] and (whole or len(text) >= 6):
                    self.offer(policy, "id", 1.0 if whole else 0.9, "exact", [(0, len(text))])

    def _english(self) -> bool:
        """An English word against our English title and summary, and its glossary terms against
        the Chinese text; False when the word is in neither."""
        postings = self.index.en_postings.get(stem(self.term.text))
        if not postings and not self.term.gloss:
            return False
        self.term.english = True
        for policy, weight in (postings or {}).items():
            self.offer(policy, "english", 0.9 * weight, "english", [])
        for chinese in self.term.gloss:
            self._substring(chinese, "english", 0.85, plain=True)
        return True

    def _mixed(self) -> None:
        """Pinyin and characters in one term (zhihui社区): each run of letters read as a word of
        the texts that sounds like it, then the whole term matched as characters."""
        from .pinyin import NO_SOUND, fold, split_syllables, variants

        options: list[tuple[str, ...]] = []
        for run in re.findall(r"[a-z]+|[^a-z]+", self.term.text):
            spelled = []
            if run.isascii() and run.isalpha():
                for syllables in split_syllables(run, self.index.syllables)[:6]:
                    sound = "".join(self.index.codes.get(fold(s), NO_SOUND) for s in syllables)
                    word = self.index.spoken.get(sound)
                    if word and word not in spelled:
                        spelled.append(word)
            options.append(tuple(spelled[:3]) or (run,))  # letters that are no pinyin stay (vr体验)
        if all(len(o) == 1 and o[0] in self.term.text for o in options):
            return  # nothing read as pinyin: the pieces as typed are matched next
        for text in variants(options, limit=6):
            for policy, per_field in _TermMatcher(self.index, _term(text), self.common).run().items():
                for name, m in per_field.items():
                    self.offer(policy, name, 0.95 * m.quality, "pinyin" if m.how == "exact" else m.how, m.spans)

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
            for name in TEXT_FIELDS:
                blob = self.index.blobs[name]
                for policy, at in _wild_hits(blob.text, text[:i], text[i + 1 :], blob.starts):
                    if not blob.whole(at, at + n):
                        continue  # 办公室 is no typo of 公示: only whole words count
                    start = at - blob.starts[policy]
                    self.offer(policy, name, quality, "typo", [(start, start + n)])

    def _words(self) -> None:
        """Cover the term with its two-character pieces (and their sounds) found in each field,
        and with the everyday words in it that our table ties to the dataset's terms."""
        text = self.term.text
        weights = list(self.term.weights)
        n = len(text)
        # What is said around the topic counts less (below), but only where there is a topic: a
        # term of generic words alone (没有这个政策) was given full weights just to be searched.
        topical = self.term.importance == 1.0
        related = known_words(text, self.index.related, self.index.related_longest)
        for a, b in related:  # a related word is about the topic, whatever its characters
            weights[a:b] = [1.0] * (b - a)
        union: dict[int, dict[int, float]] = {}  # policy -> {position in the term: credit}
        hits: dict[int, list[tuple[str, int, int, float, int, int]]] = {}  # policy -> (field, from, to, credit, start, end)
        rarity = [0.0] * (n - 1)
        seen = [False] * (n - 1)  # the piece occurs in some text
        blobs = [(name, self.index.blobs[name]) for name in TEXT_FIELDS]

        def mark(policy: int, name: str, first: int, last: int, value: float, start: int, end: int) -> None:
            marks = union.get(policy)
            if marks is None:
                marks = union[policy] = {}
                hits[policy] = []
            for k in range(first, last):
                if marks.get(k, 0.0) < value:
                    marks[k] = value
            hits[policy].append((name, first, last, value, start, end))

        for i in range(n - 1):
            if weights[i] < 1 and weights[i + 1] < 1 and any(w == 1 for w in weights):
                continue  # no content character: 支持, 补贴, 有没 say nothing about the topic
            piece = text[i : i + 2]
            owners: set[int] = set()
            for name, blob in blobs:
                starts = blob.starts
                entries = None
                for policy, at in _first_hits(blob.text, piece, starts):
                    owners.add(policy)
                    marks = union.get(policy)
                    if marks is None:
                        marks = union[policy] = {}
                        entries = hits[policy] = []
                    else:
                        entries = hits[policy]
                    marks[i] = marks[i + 1] = 1.0
                    offset = at - starts[policy]
                    entries.append((name, i, i + 2, 1.0, offset, offset + 2))
            # Homophones only for a piece the texts do not hold (a typo: 互连 for 互联), and only
            # where they are a whole word: 施建 is no piece of 实施建设.
            if not owners and weights[i] == weights[i + 1] == 1.0 and (_is_han(piece[0]) or _is_han(piece[1])):
                for needle in self._sounds(piece):
                    for name, blob in blobs:
                        for policy, at in _whole_hits(blob, blob.sound, needle):
                            owners.add(policy)
                            offset = at - blob.starts[policy]
                            mark(policy, name, i, i + 2, SOUND_CREDIT, offset, offset + 2)
            rarity[i] = _rarity(len(owners), self.index.size)
            seen[i] = bool(owners)
        for a, b in related:
            owners = set()
            for official in self.index.related[text[a:b]]:
                for name, blob in blobs[:2]:  # what a policy is about: its title and keywords
                    for policy, at in _first_hits(blob.text, official, blob.starts):
                        owners.add(policy)
                        offset = at - blob.starts[policy]
                        mark(policy, name, a, b, RELATED_CREDIT, offset, offset + len(official))
            if owners:
                telling = _rarity(len(owners), self.index.size)
                for i in range(a, b - 1):
                    rarity[i] = telling if not seen[i] else min(rarity[i], telling)
                # Chinese compounds end in their head: unknown words just before an everyday
                # word (数控 in 数控机床, 人脸 in 人脸门禁) qualify it and count half.
                k = a - 1
                while (topical and k >= max(0, a - MODIFIER) and weights[k] == 1.0 and not seen[k] and (k == 0 or not seen[k - 1])
                       and not any(c <= k < d for c, d in related)):
                    weights[k] = MODIFIER_WEIGHT
                    k -= 1
        # A character of no word found, alone between words found or question words, is mostly
        # a verb (换 in 车间换了一批机床, 装 in 小区装门禁): it counts less.
        covered = [any(seen[j] for j in (i - 1, i) if 0 <= j < n - 1) or any(a <= i < b for a, b in related)
                   for i in range(n)]
        for i in range(n if topical else 0):
            if weights[i] == 1.0 and not covered[i] and all(
                    j < 0 or j >= n or covered[j] or weights[j] < 1 for j in (i - 1, i + 1)):
                weights[i] = LONE_WEIGHT
        # Words the texts do not know that are verbs, numerals, adverbs and the like (添置, 几台,
        # 提前) say what someone did, not what about; unknown nouns (公寓, 医保) still count fully.
        if topical and any(w == 1.0 and not c for w, c in zip(weights, covered)) and any(covered):
            from .words import everyday_words

            for a, b in everyday_words(text):
                if not any(covered[a:b]):
                    weights[a:b] = [min(w, LONE_WEIGHT) for w in weights[a:b]]
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
            how: dict[str, str] = {}
            for name, first, last, value, start, end in hits[policy]:
                field_marks = per_field.setdefault(name, {})
                if any(field_marks.get(k, 0.0) < value for k in range(first, last)):
                    for k in range(first, last):
                        field_marks[k] = max(field_marks.get(k, 0.0), value)
                    where.setdefault(name, []).append((start, end))
                    if value == RELATED_CREDIT:
                        how[name] = "related"
            for name, field_marks in per_field.items():
                self.offer(policy, name, 0.85 * share(field_marks), how.get(name, "words"), where.get(name, []))
            found = self.found[policy]
            if 0.8 * spread > max(m.quality for m in found.values()):
                # spread over fields: credit the field that holds the most of it
                name = max(found, key=lambda f: found[f].quality)
                found[name] = _FieldMatch(0.8 * spread, found[name].how, found[name].spans)

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


def _whole_hits(blob: Any, haystack: str, needle: str, accept: Any = None):
    """Like `_first_hits`, for the first occurrence in each policy that is a run of whole words
    (or that `accept(start, end)` accepts)."""
    accept = accept or blob.whole
    starts = blob.starts
    at = haystack.find(needle)
    while at >= 0:
        policy = bisect_right(starts, at) - 1
        end = starts[policy + 1] - 1
        at = at if accept(at, at + len(needle)) else _next_whole(blob, needle, at, end, haystack, accept)
        if at >= 0:
            yield policy, at
        at = haystack.find(needle, end + 1)


def _next_whole(blob: Any, needle: str, at: int, end: int, haystack: str | None = None, accept: Any = None) -> int:
    """The first occurrence of `needle` from `at` to `end` that is a run of whole words, or -1."""
    haystack = blob.sound if haystack is None else haystack
    accept = accept or blob.whole
    while at >= 0:
        if accept(at, at + len(needle)):
            return at
        at = haystack.find(needle, at + 1, end)
    return -1


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
        raise InputError(f"搜索内容过长（{len(query):,} 字），最多 {MAX_QUERY:,} 字：请只写要找的词语或一句问题",
                         code="query_too_long", field="query", next="search_example")
    terms = parse_terms(query)
    allowed = None
    if part or section:
        chosen = {p.id for p in filter_policies(catalog, part=part, section=section)}
        allowed = {i for i, p in enumerate(catalog.policies) if p.id in chosen}
    if not terms:
        raise InputError(f"“{query}”里没有可搜索的文字，请给出要找的内容", code="nothing_to_search", field="query",
                         value=query, next="search_example")
    index = index_for(catalog, progress)
    common = _CommonReadings()
    terms = [t if t.latin else _regrouped(_term(t.text, index.vocabulary), t.group) for t in terms]
    _gloss(index, terms)
    # A question about the procedure (申报时间, 需要什么材料) is answered by no policy text; with a
    # topic besides (技改申报时间), the topic is searched and the note says whom to ask.
    procedure = any(t.procedure for t in terms)
    topical = [t for t in terms if t.topic or not t.procedure]
    only_procedure = procedure and not any(t.topic for t in terms)
    if only_procedure:
        topical = terms
    per_term = [_TermMatcher(index, term, common, exact_only=only_procedure).run() for term in topical]
    terms, per_term = _alternatives(topical, per_term)
    weights = _term_weights(index.size, terms, per_term)
    scored = _score(weights, per_term, allowed)
    english = any(t.english for t in terms)

    def order(p: int) -> tuple[float, int, int]:
        return -scored[p][0], catalog.policies[p].part, catalog.policies[p].number

    passed = sorted(_above_cutoff(scored), key=order)
    if passed:
        hits = tuple(_hit(catalog, catalog.policies[p], scored[p], terms, [found.get(p) for found in per_term],
                          index.english[p] if english else None)
                     for p in passed[:limit])
        return SearchResult(query, hits, len(passed), procedure=procedure, english=english)
    if only_procedure:
        return SearchResult(query, (), 0, procedure=True, english=english)
    loose = _recall(catalog, index, topical, common, allowed, english)
    if loose:
        return SearchResult(query, loose[:limit], len(loose), procedure=procedure, english=english)
    outside: tuple[Policy, ...] = ()
    if allowed is not None:
        everywhere = _score(weights, per_term, None)
        outside = tuple(catalog.policies[p] for p in sorted(_above_cutoff(everywhere), key=lambda p: -everywhere[p][0]))
    near = sorted((p for p, (_, quality) in scored.items() if quality >= SUGGEST_QUALITY), key=order)[:3]
    return SearchResult(query, (), 0, tuple(catalog.policies[p] for p in near), outside[:3], procedure, english)


def _recall(catalog: Catalog, index: SearchIndex, terms: list[Term], common: Any, allowed: set[int] | None,
            english: bool) -> tuple[Hit, ...]:
    """The recall pass (recall.py) for a query the strict ranking found nothing for: best first."""
    from .recall import MIN_EVIDENCE, recall

    english = english or any(t.latin for t in terms)
    found = recall(index, terms, _PLAIN_WORDS, lambda piece: _sound_variants(index, piece, common), _rarity)
    if allowed is not None:
        found = {p: v for p, v in found.items() if p in allowed}
    hits = []
    for policy, (evidence, held) in found.items():
        shown = field_texts(catalog, catalog.policies[policy], "、")
        score = evidence / (evidence + MIN_EVIDENCE)
        matches, spans = [], {}
        for word in held:
            name, start, end, _ = word.where[policy]
            text = shown.get(name, "") if name != "english" else ""
            piece = text[start:end] if end > start else (index.english[policy] or ("", ""))[0]
            matches.append(Match(word.text, name, piece, word.how))
            if end > start:
                spans.setdefault(name, []).append((start, end))
        hits.append(Hit(catalog.policies[policy], score, score, tuple(matches),
                        {k: tuple(_merged(v)) for k, v in spans.items()}, {k: shown[k] for k in spans},
                        index.english[policy] if english else None, loose=True))
    hits.sort(key=lambda h: (-h.score, h.policy.part, h.policy.number))
    return tuple(hits)


def _regrouped(term: Term, group: int) -> Term:
    term.group = group
    return term


def _alternatives(terms: list[Term], per_term: list[dict[int, dict[str, _FieldMatch]]]):
    """Terms of one group ("实验室和研发机构") as one: a policy matches it as well as it matches
    the best of them."""
    groups: dict[int, list[int]] = {}
    for i, term in enumerate(terms):
        groups.setdefault(term.group, []).append(i)
    out_terms, out_found = [], []
    for members in groups.values():
        if len(members) == 1:
            out_terms.append(terms[members[0]])
            out_found.append(per_term[members[0]])
            continue
        merged: dict[int, dict[str, _FieldMatch]] = {}
        for i in members:
            for policy, per_field in per_term[i].items():
                mine = merged.setdefault(policy, {})
                for name, m in per_field.items():
                    if name not in mine or m.quality > mine[name].quality:
                        mine[name] = m
        text = "和".join(terms[i].text for i in members)
        joined = Term(text, [1.0] * len(text), max(terms[i].importance for i in members))
        joined.english = any(terms[i].english for i in members)
        out_terms.append(joined)
        out_found.append(merged)
    return out_terms, out_found


def _gloss(index: SearchIndex, terms: list[Term]) -> None:
    """Give the English words of the query the Chinese terms of the glossary phrases they form."""
    stems = [stem(t.text) if t.latin else "" for t in terms]
    from .english import glossed

    for start, end, chinese in glossed(stems, index.en_phrases, index.en_longest):
        for term in terms[start:end]:
            term.gloss = tuple(dict.fromkeys(term.gloss + chinese))


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
         found: list[dict[str, _FieldMatch] | None], english: tuple[str, str] | None = None) -> Hit:
    shown = field_texts(catalog, policy, "、")
    shown["english"] = english[0] if english else ""
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
               {k: shown[k] for k in spans}, english)


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


ASK_THE_OFFICE = "政策清单没有写明申报时间、地点、材料和公示等办理事项，请向负责的科室咨询"


def nothing_found(result: SearchResult) -> NotFound:
    """The error for a search without results: whom to ask about the procedure, where the answer
    is when a filter left it out, else the near misses."""
    def named(policies: Any) -> str:
        return "、".join(f"{p.id}（{p.title}）" for p in policies)

    query = result.query
    if result.procedure:
        return NotFound(f"{ASK_THE_OFFICE}（“{query}”）", code="procedure_question", field="query", value=query,
                        next="ask_office")
    if result.outside:
        return NotFound(f"所选的部分或节中没有与“{query}”相关的政策；不限部分和节时有：{named(result.outside)}",
                        code="filtered_out", field="query", value=query, valid=[p.id for p in result.outside],
                        next="drop_filters")
    hint = f"；是否要找：{named(result.suggestions)}" if result.suggestions else ""
    return NotFound(f"没有找到与“{query}”相关的政策{hint}", code="no_results", field="query", value=query,
                    valid=[p.id for p in result.suggestions], next="rephrase")

"""What a search returns: the policies found, best first, each with what matched, where, and
which signal found it; and the one line for a search that finds nothing."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..dataset.model import Policy
from ..errors import NotFound

UNOFFICIAL = "非官方译文，以中文原文为准"
ASK_THE_OFFICE = "政策清单没有写明申报时间、地点、材料和公示等办理事项，请向负责的科室咨询"

# The signals that find a result, what is least like what was typed first: a result names the
# first of them among its matches, so the reader knows what to check.
SIGNALS = (
    "semantic",  # by meaning: the optional embedding model, for a Korean or Japanese query
    "recall",  # the bag-of-words pass: some words of the query left out
    "translated",  # a Korean or Japanese query read through our word list (data/korean_japanese.yaml)
    "sound",  # same sound, a typo, a near miss
    "related",  # an everyday word of the field vocabulary for a term of the text
    "pinyin",  # typed pinyin or initials
    "english",  # our English texts and glossary
    "official",  # the words of the text as typed
)
_SIGNAL_OF_HOW = {"exact": "official", "words": "official", "related": "related", "english": "english",
                  "pinyin": "pinyin", "initials": "pinyin", "sound": "sound", "typo": "sound", "fuzzy": "sound"}
APPROXIMATE = frozenset({"sound", "typo", "fuzzy", "related"})  # matches that are not what was typed


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
    semantic: bool = field(default=False, compare=False)  # found by the embedding model only
    # found by only part of what was asked: the words of the query it hinges on (the rest is in no text)
    hinges: tuple[str, ...] = field(default=(), compare=False)
    translated: bool = field(default=False, compare=False)  # a Korean or Japanese query read through our word list

    @property
    def approximate(self) -> bool:
        """Matched only by sound, a typo, a near miss or a related word, not as typed, or with
        words of the query left out (recall.py, or `hinges`), through our Korean and Japanese word
        list, or by meaning alone (semantic.py)."""
        return (self.loose or self.semantic or self.translated or bool(self.hinges)
                or (bool(self.matches) and all(m.how in APPROXIMATE for m in self.matches)))

    @property
    def signals(self) -> tuple[str, ...]:
        """The signals that found this result, the one to check first first."""
        found = {"semantic"} if self.semantic else {"recall"} if self.loose else set()
        found |= {"translated"} if self.translated else set()
        found |= {_SIGNAL_OF_HOW.get(m.how, "official") for m in self.matches}
        return tuple(s for s in SIGNALS if s in found)

    @property
    def signal(self) -> str:
        return (self.signals or ("official",))[0]

    def to_dict(self) -> dict[str, Any]:
        data = self.policy.to_dict()
        data["score"] = round(self.score, 3)
        data["approximate"] = self.approximate
        data["signal"] = self.signal
        data["signals"] = list(self.signals)
        data["hinges_on"] = list(self.hinges)
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


@dataclass(frozen=True)
class SearchResult:
    query: str
    hits: tuple[Hit, ...]  # best first, at most `limit`
    total: int  # results above the cutoff before the limit
    suggestions: tuple[Policy, ...] = ()  # near misses, when there is no result
    outside: tuple[Policy, ...] = ()  # results the part or section filter left out, when there is none
    procedure: bool = False  # the query asks about the procedure (when, where, which papers)
    english: bool = False  # the query is in English
    against: tuple[str, ...] = ()  # words of the query no policy sharing its other words holds (precision.py)
    whom: tuple[Policy, ...] = ()  # the policies a time was asked of (asked.py): their offices are whom to ask
    measure: str = ""  # another office's measure asked about (加计扣除), which policies use only to reckon awards
    broad: bool = False  # the query holds only words any policy list uses (有哪些补贴): it names no kind of support
    office: str = ""  # the office or lead unit the query named (offices.py), among whose policies it was searched
    place: str = ""  # another province or city the query named, which no list is of (places.elsewhere)
    regions: tuple[str, ...] = ()  # the places the lists are of, when `place` is given
    pending: int = 0  # policies the semantic pass has not compared yet: a run embeds only part of what is new

    def to_jsonable(self) -> list[dict[str, Any]]:
        return [h.to_dict() for h in self.hits]


def pending_note(pending: int) -> str:
    """What a search says of the policies the semantic pass has not compared yet (semantic.py)."""
    return f"另有 {pending} 项政策尚未按意思比较过"


def merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Ranges in order, overlaps merged. The index joins list items with one character, as the
    display does, so its offsets are display offsets."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def nothing_found(result: SearchResult) -> NotFound:
    """The error for a search without results: whom to ask about the procedure, where the answer
    is when a filter left it out, else the near misses."""
    def named(policies: Any) -> str:
        return "、".join(f"{p.id}（{p.title}）" for p in policies)

    query = result.query
    if result.procedure:
        offices = "、".join(dict.fromkeys(f"{o.name} {o.contact} {o.phone}" for p in result.whom for o in p.offices))
        return NotFound(f"{ASK_THE_OFFICE}（“{query}”" + (f"；负责科室：{offices}）" if offices else "）"),
                        code="procedure_question", field="query", value=query, next="ask_office")
    if result.place:
        mine = "、".join(r for r in result.regions if r) or "本地"
        return NotFound(f"没有找到与“{query}”相关的政策：现有清单是{mine}的，不含{result.place}的政策", code="no_results",
                        field="query", value=query, next="rephrase")
    if result.office:
        others = f"；其他科室、单位负责的有：{named(result.outside)}" if result.outside else ""
        return NotFound(f"“{result.office}”负责的政策中没有与“{query}”相关的{others}", code="no_results", field="query",
                        value=query, valid=[p.id for p in result.outside], next="rephrase")
    if result.outside:
        return NotFound(f"所选的部分或节中没有与“{query}”相关的政策；不限部分和节时有：{named(result.outside)}",
                        code="filtered_out", field="query", value=query, valid=[p.id for p in result.outside],
                        next="drop_filters")
    if result.measure:
        return NotFound(f"“{result.measure}”本身（比例、申报、备案等）由税务等部门办理，政策清单只用它计算奖补；"
                        f"要找按它计算的奖补，可搜“{result.measure} 奖补”", code="no_results", field="query", value=query,
                        next="rephrase")
    if result.broad:
        return NotFound(f"没有找到与“{query}”相关的政策：其中只有各项政策都用的说法（补贴、政策、多少之类），"
                        "看不出是哪方面的支持", code="no_results", field="query", value=query, next="name_topic")
    if result.against:
        words = "、".join(f"“{w}”" for w in result.against)
        return NotFound(f"没有找到与“{query}”相关的政策：与其中部分词语相关的政策都不涉及{words}", code="no_results",
                        field="query", value=query, next="rephrase")
    hint = f"；是否要找：{named(result.suggestions)}" if result.suggestions else ""
    left = f"；{pending_note(result.pending)}" if result.pending else ""
    return NotFound(f"没有找到与“{query}”相关的政策{hint}{left}", code="no_results", field="query", value=query,
                    valid=[p.id for p in result.suggestions], next="compare_more" if result.pending else "rephrase")

"""Ranking, the last step of a search: the terms of the analysed query (analyse.py) are matched
by the matchers (matchers/), each term's matches combined per policy, and the policies listed
best first down to where relevance ends. Every weight is named in weights.py.

A term's quality in a policy is its best over fields and ways; its rank is that quality times the
field's weight, plus a little for each further field that matches. Terms are combined by a mean
weighted by how rare each term is, so all of them count and a rare one counts more. "A 和 B"
asks about two things: a policy needs one of them. A question of only words any policy list uses
(哪个政策补贴最多: question, generic and procedure words, no topic nor amount) finds nothing; one
such word alone (补贴) is searched as typed.

Cutoff. A policy is a result only when its combined quality is at least MIN_QUALITY and its rank
score at least RELATIVE of the best one. MIN_QUALITY sits between what real matches reach and
what unrelated queries reach by sharing a common word: over some 250 judged queries of every
kind, the relevant policy's quality was never below 0.56 (a question padded with everyday words:
买新设备有补贴吗) and no unrelated query reached 0.45 (养老服务 shares only 服务: 0.26; 教育培训
shares 培训: 0.43). Rarity is measured as a share of the dataset, so these levels hold at any size.

When nothing passes, the query is read again as a bag of words (recall.py) and, with the optional
`semantic` extra, by meaning (semantic.py) when it is not in Chinese script or nothing else found
anything. Results of those passes are approximate, and say so.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import replace

from ..dataset.cache import gc_paused
from ..dataset.lookup import filter_policies
from ..dataset.model import Catalog, Policy
from ..dataset.rows import field_of
from ..dataset.text import as_words
from ..errors import InputError
from . import amounts, offices, places, scripts, semantic
from .analyse import Term, fold_query, parse_terms, written_in_japanese
from .asked import awards_asked, giving, measure_asked, support_ending, time_alone
from .english import stem
from .index import Progress, SearchIndex, field_texts, index_for
from .matchers import match_term
from .matchers.base import FieldMatch, PerPolicy, TermMatches
from .plainwords import plain
from .precision import applicants_only, kept
from .results import APPROXIMATE, Hit, Match, SearchResult, merged
from .said import elsewhere
from .scan import CommonReadings, rarity, sound_variants
from .weighing import weighed
from .weights import (EXTRA_FIELD, FIELD_WEIGHTS, FILLER_WEIGHT, GENERIC_TERM, MIN_EVIDENCE, MIN_QUALITY, PARTIAL,
                      RELATIVE, STRONG, SUGGEST_QUALITY)

# Longest query, in characters: five times the longest policy text, so a pasted paragraph is
# found; matching takes time that grows faster than the query's length.
MAX_QUERY = 1000
Scores = dict[int, tuple[float, float]]  # policy -> (rank score, quality)


@gc_paused()  # a search makes tens of thousands of short-lived objects and no cycles worth walking
def search(catalog: Catalog, query: str, *, limit: int = 10, part: str | None = None, section: str | None = None,
           progress: Progress | None = None) -> SearchResult:
    """Policies matching `query`, best first, cut off where relevance ends. Terminal sequences
    pasted along with it (colour) are not part of it."""
    query = as_words(query)
    read, lists = _query_read(catalog, query)
    terms = parse_terms(read)
    allowed = _allowed(catalog, part, section, lists)
    if not terms and not semantic.wanted(read):
        raise _nothing_to_search(query)
    index = index_for(catalog, progress)
    if not terms:  # Korean or Japanese of no word we can read: by meaning only
        found, pending = semantic.hits(catalog, index, read, allowed)
        return SearchResult(query, found[:limit], len(found), english=bool(found) and found[0].english is not None,
                            pending=pending)
    other = _other_place(catalog, index, read)
    if other:  # another province or city, which no list is of and no policy names
        return SearchResult(query, (), 0, place=other, regions=tuple(dict.fromkeys(_regions(catalog).values())))
    rest, handled = offices.read_out(fold_query(query), index)  # before a place within a name is read out
    if handled:  # (人民银行黄岛支行: 黄岛 is the list's district)
        return _by_office(catalog, index, (query, _query_read(catalog, rest)[0]), handled, allowed, limit)
    common = CommonReadings()
    return _ranked(catalog, index, (query, read), weighed(index, terms, common), common, allowed, limit)


def _by_office(catalog: Catalog, index: SearchIndex, asked: tuple[str, str],
               handled: dict[int, tuple[str, str, int]], allowed: set[int] | None, limit: int) -> SearchResult:
    """A query naming an office or a lead unit (offices.py): what else it asks searched among the
    policies it handles, or, when it only asks about it (电话多少), all of them in list order."""
    query, rest = asked
    mine = set(handled) if allowed is None else set(handled) & allowed
    terms = parse_terms(rest)
    if terms and not offices.asks_only(rest):
        common = CommonReadings()
        found = _ranked(catalog, index, asked, weighed(index, terms, common), common, mine, limit)
        named = "、".join(dict.fromkeys(name for name, _, _ in handled.values()))
        return found if found.hits else replace(found, office=named)
    hits = []
    for policy in sorted(mine):
        name, field, at = handled[policy]
        shown = _shown(catalog, index, policy)[field]
        hits.append(Hit(catalog.policies[policy], 1.0, 1.0, (Match(name, field, name, "exact"),),
                        {field: ((at, at + len(name)),)}, {field: shown}))
    return SearchResult(query, tuple(hits[:limit]), len(hits), procedure=any(t.procedure for t in terms))


def _ranked(catalog: Catalog, index: SearchIndex, asked: tuple[str, str], terms: list[Term], common: CommonReadings,
            allowed: set[int] | None, limit: int) -> SearchResult:
    """The search for the weighed `terms` of a query `asked` (as typed, and as read: without the
    place it names)."""
    query, read = asked
    # A question about the procedure (申报时间, 需要什么材料) is answered by no policy text; with a
    # topic besides (技改申报时间), the topic is searched and the note says whom to ask.
    procedure = any(t.procedure for t in terms)
    only_procedure = procedure and not any(t.topic for t in terms)
    topical = terms if only_procedure else [t for t in terms if t.topic or not t.procedure]
    if not only_procedure and _no_topic(terms):
        return SearchResult(query, (), 0, procedure=procedure, english=any(t.latin for t in terms), broad=True)
    per_term = [match_term(TermMatches(index, term, common), exact_only=only_procedure) for term in topical]
    terms, per_term = _alternatives(topical, per_term)
    terms, per_term = _without_idle_generic(terms, per_term)
    awards = awards_asked(terms, read)
    unasked = _not_offered(query, read, terms, per_term, awards, procedure)
    if unasked:
        return unasked
    when = time_alone(fold_query(read), any(amounts.is_amount(t.text) for t in terms))
    scored = _score(_term_weights(index.size, terms, per_term), per_term, allowed)
    english = any(t.english for t in terms)
    translated = semantic.wanted(read) or written_in_japanese(read)  # read through our Korean and Japanese words
    # A reader of Korean or Japanese is shown our English title and summary beside the Chinese
    # (there are none in Korean or Japanese); the query is still matched as it was read.
    readable = english or translated
    passed = _best_first(catalog, scored, _above_cutoff(scored))
    if awards and passed:  # an award of an amount: the policies giving it (not a loan band of that amount)
        passed = giving(passed, field_of(catalog.policies, "content"), terms, per_term, awards)
        if not passed:
            return SearchResult(query, (), 0, procedure=procedure, english=any(t.latin for t in terms),
                                against=tuple(terms[i].text for i in awards))

    def hit(p: int) -> Hit:
        return _hit(catalog, index, p, scored[p], terms, [found.get(p) for found in per_term], readable, translated)

    if passed:
        passed, against = kept(index, terms, passed, common, lambda p: hit(p).approximate, fold_query(read),
                               heads=not translated)
        if not passed:  # understood, and what it asks for is not in the list
            return SearchResult(query, (), 0, procedure=procedure, english=english, against=against)
        passed = _head_first(index, terms, per_term, passed, read)
    if when:  # a time asked alone, which no policy states: the note names the offices to ask
        return SearchResult(query, (), 0, procedure=True, english=english, against=(when,),
                            whom=tuple(catalog.policies[p] for p in passed[:3]))
    if passed and not (translated and _all_approximate(passed, per_term)):
        hits = tuple(hit(p) for p in passed[:limit])
        return SearchResult(query, hits, len(passed), procedure=procedure, english=english)
    if only_procedure:
        return SearchResult(query, (), 0, procedure=True, english=english)
    loose, pending = (_recall_kept(catalog, index, topical, _recall(catalog, index, topical, common, allowed, readable,
                                                                    translated), common, read), 0)
    if not loose and _unread(topical):
        loose, pending = semantic.hits(catalog, index, read, allowed)
    if loose:
        return SearchResult(query, loose[:limit], len(loose), procedure=procedure,
                            english=english or loose[0].english is not None, pending=pending)
    near = _near_misses(catalog, index, read, scored, terms, common, hit, translated)
    return SearchResult(query, (), 0, near, _outside(catalog, terms, per_term, allowed), procedure, english,
                        pending=pending)


def _not_offered(query: str, read: str, terms: list[Term], per_term: list[PerPolicy], awards: list[int],
                 procedure: bool) -> SearchResult | None:
    """Nothing, said so, when the query asks for what no policy states: an award of an amount no
    policy of the list gives, or another office's measure asked about without support."""
    latin = any(t.latin for t in terms)
    unoffered = tuple(terms[i].text for i in awards if not per_term[i])
    if unoffered:
        return SearchResult(query, (), 0, procedure=procedure, english=latin, against=unoffered)
    measure = measure_asked(fold_query(read), any(w < 1 for t in terms for w in t.weights))
    if measure:
        return SearchResult(query, (), 0, procedure=procedure, english=latin, against=(measure,), measure=measure)
    return None


def _near_misses(catalog: Catalog, index: SearchIndex, query: str, scored: Scores, terms: list[Term],
                 common: CommonReadings, hit: Callable[[int], Hit], translated: bool) -> tuple[Policy, ...]:
    """Up to three policies to suggest when nothing is found: close enough, and not spoken against
    by the query's own words."""
    near = _best_first(catalog, scored, (p for p, (_, quality) in scored.items() if quality >= SUGGEST_QUALITY))
    if near:
        near = kept(index, terms, near, common, lambda p: hit(p).approximate, fold_query(query), heads=not translated)[0]
    return tuple(catalog.policies[p] for p in near[:3])


def _without_idle_generic(terms: list[Term], per_term: list[PerPolicy]) -> tuple[list[Term], list[PerPolicy]]:
    """Beside an amount, the terms made only of generic words (最高补 of 最高补300万的政策) say how
    the amount is asked: a term no policy of that amount holds in any way tells nothing and is
    left out (奖励 of 奖励1000万的政策, held by some of them, still ranks them)."""
    holders = set().union(*(found for t, found in zip(terms, per_term, strict=True) if amounts.is_amount(t.text)))
    if not holders:
        return terms, per_term
    out_terms, out_found = [], []
    for term, found in zip(terms, per_term, strict=True):
        if term.importance == GENERIC_TERM and not term.latin and not amounts.is_amount(term.text):
            if not holders.intersection(found):
                continue
        out_terms.append(term)
        out_found.append(found)
    return out_terms, out_found


def _best_first(catalog: Catalog, scored: Scores, policies: Iterable[int]) -> list[int]:
    """`policies` by rank score, best first; equal scores in the list's order (no policy made)."""
    part, number = field_of(catalog.policies, "part"), field_of(catalog.policies, "number")
    return sorted(policies, key=lambda p: (-scored[p][0], part[p], number[p]))


def check_query(query: str) -> None:
    """Refuse a query that no dataset could answer (too long, nothing to search), as `search`
    would, before any dataset is read."""
    query = as_words(query)
    _refuse_long(query)
    if not parse_terms(query) and not semantic.wanted(query):
        raise _nothing_to_search(query)


def _refuse_long(query: str) -> None:
    if len(query) > MAX_QUERY:
        raise InputError(f"搜索内容过长（{len(query):,} 字），最多 {MAX_QUERY:,} 字：请只写要找的词语或一句问题",
                         code="query_too_long", field="query", next="search_example")


def _nothing_to_search(query: str) -> InputError:
    return InputError(f"“{query}”里没有可搜索的文字，请给出要找的内容", code="nothing_to_search", field="query",
                      value=query, next="search_example")


def _query_read(catalog: Catalog, query: str) -> tuple[str, frozenset[str] | None]:
    """`query` without the place it names (places.py), and the lists of that place (None: all);
    a query longer than MAX_QUERY is refused before it is read."""
    _refuse_long(query)
    return places.read_out(query, _regions(catalog))


def _regions(catalog: Catalog) -> dict[str, str]:
    """Each list's name -> the region it is of ("" for a list that does not say, as a draft)."""
    return {info.name: info.region for info in catalog.lists} if catalog.lists else {"": catalog.region}


def _other_place(catalog: Catalog, index: SearchIndex, read: str) -> str:
    """The other place the query names (places.elsewhere) when no policy's title, keywords or
    text names it, else ""."""
    from .words import query_reader

    def tagged(text: str) -> list[tuple[str, str]]:
        jieba = query_reader()
        return jieba.tag(text, False) if jieba is not None else []

    other = places.elsewhere(fold_query(read), _regions(catalog).values(), tagged)
    return other if other and not any(other in index.blobs[name].text for name in ("title", "keywords", "content")) else ""


def _no_topic(terms: list[Term]) -> bool:
    """Whether the query is a question made only of words any policy list uses (哪个政策补贴最多,
    奖补 资金): nothing in it tells one policy from another. One such word typed alone (补贴) is
    still searched as a word."""
    if any(t.topic or amounts.is_amount(t.text) for t in terms):
        return False
    return len(terms) > 1 or any(w == FILLER_WEIGHT for t in terms for w in t.weights)


def _outside(catalog: Catalog, terms: list[Term], per_term: list[PerPolicy], allowed: set[int] | None
             ) -> tuple[Policy, ...]:
    """The first three results the part and section filters left out (none without a filter)."""
    if allowed is None:
        return ()
    everywhere = _score(_term_weights(len(catalog.policies), terms, per_term), per_term, None)
    return tuple(catalog.policies[p] for p in sorted(_above_cutoff(everywhere), key=lambda p: -everywhere[p][0]))[:3]


def _allowed(catalog: Catalog, part: str | None, section: str | None, lists: frozenset[str] | None) -> set[int] | None:
    """The positions of the policies the part and section filters and the lists of the place
    named leave, None for all."""
    allowed = None
    if part or section:
        chosen = {p.id for p in filter_policies(catalog, part=part, section=section)}
        allowed = {i for i, p in enumerate(catalog.policies) if p.id in chosen}
    if lists is not None:
        of_place = {i for i, name in enumerate(field_of(catalog.policies, "list")) if name in lists}
        allowed = of_place if allowed is None else allowed & of_place
    return allowed


def _all_approximate(passed: list[int], per_term: list[PerPolicy]) -> bool:
    """Whether every result was found only by sound or near misses (a Korean or Japanese query
    whose few Chinese characters sound like something): the semantic pass may read it better."""
    return all(m.how in APPROXIMATE for p in passed for found in per_term for m in (found.get(p) or {}).values())


def _recall(catalog: Catalog, index: SearchIndex, terms: list[Term], common: Callable[[str], str],
            allowed: set[int] | None, english: bool, translated: bool) -> tuple[Hit, ...]:
    """The recall pass (recall.py) for a query the strict ranking found nothing for: best first."""
    from .recall import recall

    english = english or any(t.latin for t in terms)
    said_by_whom = elsewhere()[0]  # who asks (个人) is no evidence of what about
    found = recall(index, terms, plain().words | said_by_whom, lambda piece: sound_variants(index, piece, common),
                   rarity, framed=not translated)
    if allowed is not None:
        found = {p: v for p, v in found.items() if p in allowed}
    hits = []
    for policy, (evidence, held) in found.items():
        shown = _shown(catalog, index, policy)
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
                        {k: tuple(merged(v)) for k, v in spans.items()}, {k: shown[k] for k in spans},
                        index.english[policy] if english else None, loose=True, translated=translated,
                        hinges=tuple(dict.fromkeys(m.term for m in matches))))
    # at equal evidence, the policy whose title or keywords hold the words first
    hits.sort(key=lambda h: (-h.score, -sum(FIELD_WEIGHTS.get(m.field, 0.0) for m in h.matches), h.policy.part,
                             h.policy.number))
    return tuple(hits)


# The longest term of a query typed as keywords apart (数据中心 机柜租金 优惠), not as a sentence.
_KEYWORD = 6


def _recall_kept(catalog: Catalog, index: SearchIndex, terms: list[Term], loose: tuple[Hit, ...],
                 common: Callable[[str], str], query: str) -> tuple[Hit, ...]:
    """The results of the recall pass that no word of a person's business or another office's
    speaks against (precision.py); a bag of words has no heads, but a query of one phrase
    without question words (高新技术企业资格复审), or one whose results each rest on a single word
    of it (工业固废 of 工业固废跨省转移审批) or on kinds of applicant only (规上, 制造业), or one of
    short keywords typed apart (数据中心 机柜租金 优惠: each a phrase), is held to all the rules, as
    a strict result is."""
    if not loose:
        return loose
    head, last = _english_head(index, terms, query)
    if last and not any(t.gloss or stem(t.text) in index.en_postings for t in terms if t.text == head):
        return ()  # an English phrase whose head no text holds asks for what the list lacks (customs clearance ...)
    position = {id(p): i for i, p in enumerate(catalog.policies)}
    phrase = (len(terms) == 1 and not terms[0].latin and all(w > 0 for w in terms[0].weights)
              or all(len(h.hinges) == 1 or applicants_only(h.hinges) for h in loose)
              or len(terms) > 1 and any(support_ending(t.text) for t in terms if not t.latin)
              or len(terms) > 1 and all(len(t.text) <= _KEYWORD for t in terms))  # keywords typed apart
    translated = semantic.wanted(query) or written_in_japanese(query)  # Korean, Japanese: words side by side
    left = set(kept(index, terms, [position[id(h.policy)] for h in loose], common, lambda _: True,
                    fold_query(query), words=phrase, heads=not translated)[0])
    return tuple(h for h in loose if position[id(h.policy)] in left)


def _head_first(index: SearchIndex, terms: list[Term], per_term: list[PerPolicy], passed: list[int], query: str
                ) -> list[int]:
    """`passed` with the policies that hold the head of an English phrase first (interest of
    interest subsidy on bank loans), each part in its order."""
    head, _ = _english_head(index, terms, query)
    holders = set().union(*(found for t, found in zip(terms, per_term, strict=True) if t.text == head)) if head else set()
    if not holders:
        return passed
    return [p for p in passed if p in holders] + [p for p in passed if p not in holders]


def _english_head(index: SearchIndex, terms: list[Term], query: str) -> tuple[str | None, bool]:
    """The head of a query of English words only that is a noun phrase, and whether it ends the
    phrase (english.phrase_head); (None, False) for any other query."""
    if not terms or not all(t.latin for t in terms):
        return None, False
    from .english import GENERIC as EN_GENERIC
    from .english import PROCEDURE as EN_PROCEDURE
    from .english import STOPWORDS, phrase_head, tokens

    def everyday(word: str) -> bool:
        return word in STOPWORDS or index.en_phrases.get((stem(word),)) == ()

    def generic(word: str) -> bool:
        return stem(word) in EN_GENERIC or stem(word) in EN_PROCEDURE

    return phrase_head(tokens(fold_query(query)), everyday, generic)


def _unread(terms: list[Term]) -> bool:
    """Whether a word of a Korean or Japanese query is left as typed, in Hangul or kana, by our
    word list: when every word was read, what lexical search finds (or does not) is the answer,
    and the semantic pass, which cannot tell a house allowance from a smart community, is not asked."""
    return any(scripts.kinds(t.text) & {scripts.HANGUL, scripts.KANA} for t in terms)


def _shown(catalog: Catalog, index: SearchIndex, policy: int) -> dict[str, str]:
    """The fields of a policy as shown, list items joined by 、 (offsets as in the index)."""
    shown = field_texts(catalog, catalog.policies[policy], "、")
    shown["derived"] = index.blobs["derived"].field_of(policy).replace("\n", "、")
    return shown


def _alternatives(terms: list[Term], per_term: list[PerPolicy]) -> tuple[list[Term], list[PerPolicy]]:
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
        joined_found: PerPolicy = {}
        for i in members:
            for policy, per_field in per_term[i].items():
                mine = joined_found.setdefault(policy, {})
                for name, m in per_field.items():
                    if name not in mine or m.quality > mine[name].quality:
                        mine[name] = m
        text = "和".join(terms[i].text for i in members)
        joined = Term(text, [1.0] * len(text), max(terms[i].importance for i in members))
        joined.english = any(terms[i].english for i in members)
        out_terms.append(joined)
        out_found.append(joined_found)
    return out_terms, out_found


def _above_cutoff(scored: Scores) -> list[int]:
    """The policies relevant enough to list: good matches that are not far behind the best."""
    if not scored:
        return []
    best = max(score for score, _ in scored.values())
    return [p for p, (score, quality) in scored.items() if quality >= MIN_QUALITY and score >= RELATIVE * best]


def _term_weights(size: int, terms: list[Term], per_term: list[PerPolicy]) -> list[float]:
    """A term counts by how rare its good matches are, less when it is only generic words."""
    weights = []
    for term, found in zip(terms, per_term, strict=True):
        shared = Counter(map(id, found.values()))  # many policies share their fields: each judged once
        fields = {id(per): per for per in found.values()}
        df = sum(n for key, n in shared.items() if max(m.quality for m in fields[key].values()) >= STRONG)
        weights.append(term.importance * rarity(df, size))
    return weights


def _score(weights: list[float], per_term: list[PerPolicy], allowed: set[int] | None) -> Scores:
    """(rank score, quality) of every policy that matched any term, as weighted means over terms."""
    total = sum(weights)
    candidates = set().union(*per_term)
    if allowed is not None:
        candidates &= allowed
    out = {}
    known: dict[int, tuple[float, float]] = {}  # by the id of a policy's fields: many policies share theirs
    for policy in candidates:
        quality = score = 0.0
        for weight, found in zip(weights, per_term, strict=True):
            per_field = found.get(policy)
            if per_field:
                key = id(per_field)
                q, r = known[key] if key in known else known.setdefault(key, _term_score(per_field))
                quality += weight * q
                score += weight * r
        out[policy] = (score / total, quality / total)
    return out


def _term_score(per_field: dict[str, FieldMatch]) -> tuple[float, float]:
    """Quality: the best match in any field. Rank: the best of quality times the field's weight,
    plus a little for each further field that matches well."""
    if len(per_field) == 1:  # one field: its quality and rank, no further field to add
        (name, m), = per_field.items()
        return m.quality, FIELD_WEIGHTS[name] * m.quality
    ranked = sorted([(FIELD_WEIGHTS[name] * m.quality, m.quality) for name, m in per_field.items()], reverse=True)
    quality = max([q for _, q in ranked])
    return quality, ranked[0][0] + EXTRA_FIELD * sum([r for r, q in ranked[1:] if q >= MIN_QUALITY])


def _hit(catalog: Catalog, index: SearchIndex, policy: int, scored: tuple[float, float], terms: list[Term],
         found: list[dict[str, FieldMatch] | None], english: bool, translated: bool) -> Hit:
    shown = _shown(catalog, index, policy)
    translated_text = index.english[policy] if english else None
    shown["english"] = translated_text[0] if translated_text else ""
    matches = []
    spans: dict[str, list[tuple[int, int]]] = {}
    partial = False  # a term of the topic matched only in part (新能源汽车 of 新能源汽车购车补贴)
    for term, per_field in zip(terms, found, strict=True):
        if not per_field:
            partial = partial or term.topic
            continue
        name, top = max(per_field.items(), key=lambda kv: FIELD_WEIGHTS[kv[0]] * kv[1].quality)
        partial = partial or (term.topic and max(m.quality for m in per_field.values()) < PARTIAL)
        text = shown[name]
        pieces = [text[a:b] for a, b in merged(top.spans_at(policy))]
        matches.append(Match(term.text, name, "…".join(dict.fromkeys(p for p in pieces if p)) or text, top.how))
        for field_name, m in per_field.items():
            spans.setdefault(field_name, []).extend(m.spans_at(policy))
    hinges = tuple(dict.fromkeys(p for m in matches for p in m.text.split("…") if p)) if partial else ()
    return Hit(catalog.policies[policy], scored[0], scored[1], tuple(matches),
               {k: tuple(merged(v)) for k, v in spans.items()}, {k: shown[k] for k in spans}, translated_text,
               hinges=hinges, translated=translated)

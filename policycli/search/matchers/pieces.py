"""Words and related terms: a term of several words covered by its two-character pieces found in
a field (by sound only for a piece the texts lack, as a whole word), reordered or interrupted
(questions, 社区智慧), and by the everyday words of the field vocabulary whose terms the policy's
title, keywords or derived terms hold ("related": 机床 → 设备).

Each character counts by how rare its pieces are in the dataset (an unseen piece counts most);
what is said around the topic counts less: a lone character between words found (换, 装), an
everyday verb, number or adverb by jieba's tagger (添置, 几台), an unknown word just before an
everyday word it qualifies (数控 in 数控机床). A policy's quality is the share of the term it
covers, per field (WORDS ×) and over all fields (SPREAD ×).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import chain

from ..analyse import is_han
from ..scan import first_hits, first_places, rarity, sound_variants, whole_hits
from ..weights import (
    LONE_WEIGHT, LONG, MODIFIER, MODIFIER_WEIGHT, RELATED_CREDIT, SINGLE_WEIGHT, SOUND_CREDIT, SPREAD, WEAK_SHARE,
    WORDS,
)
from ..words import known_words
from .base import TEXT_FIELDS, FieldMatch, SharedFields, TermMatches

# where an everyday word's terms count: what a policy is about
ABOUT_FIELDS = ("title", "keywords", "derived")
Place = tuple[str, int, int, float, int, int]  # field, first and last position in the term, credit, span


class _Cover:
    """Which positions of the term each policy covers, with what credit, and where."""

    def __init__(self, found: TermMatches) -> None:
        self.found = found
        self.text = found.term.text
        n = len(self.text)
        self.weights = list(found.term.weights)
        self.related = known_words(self.text, found.index.related, found.index.related_longest)
        for a, b in self.related:  # a related word is about the topic, whatever its characters
            self.weights[a:b] = [1.0] * (b - a)
        # A piece found as typed marks its two positions with full credit: where each policy holds
        # it is kept per field ({policy: offset}), and a policy's places are made only when it is
        # offered (`_Typed`): at 10,000 policies a question finds some thirty thousand.
        self.exact: list[list[tuple[str, dict[int, int]]]] = [[] for _ in range(max(n - 1, 0))]
        self.held: list[set[int]] = [set() for _ in range(max(n - 1, 0))]  # who holds each piece as typed
        # marks by sound and related words: policy -> {position in the term: credit}, and their places
        self.union: dict[int, dict[int, float]] = {}
        self.places: dict[int, list[tuple[float, Place]]] = {}  # (stage: the piece, or n after them)
        self.stage = 0.0
        self.marked: list[Iterable[int]] = []  # the policies marked, in order
        self.rarity = [0.0] * (n - 1)
        self.seen = [False] * (n - 1)  # the piece occurs in some text
        self.topical = found.term.importance == 1.0  # not a term of generic words alone

    def mark(self, policy: int, name: str, first: int, last: int, credit: float, start: int, end: int) -> None:
        marks = self.union.setdefault(policy, {})
        for k in range(first, last):
            if marks.get(k, 0.0) < credit:
                marks[k] = credit
        self.places.setdefault(policy, []).append((self.stage, (name, first, last, credit, start, end)))
        self.marked.append((policy,))

    def pieces(self) -> None:
        """Each two-character piece with a content character, where the texts hold it; by sound
        for a piece they lack (a typo: 互连 for 互联), as a whole word only."""
        index, text, weights = self.found.index, self.text, self.weights
        for i in range(len(text) - 1):
            if weights[i] < 1 and weights[i + 1] < 1 and any(w == 1 for w in weights):
                continue  # no content character: 支持, 补贴, 有没 say nothing about the topic
            piece = text[i : i + 2]
            owners = self.held[i]
            for name in TEXT_FIELDS:
                blob = index.blobs[name]
                hits = first_places(blob.text, piece, blob.starts)
                if hits:
                    self.exact[i].append((name, hits))
                    self.marked.append(hits)
                    owners.update(hits)
            self.stage = i + 0.5  # after this piece as typed, before the next
            sounding: set[int] = set()
            if not owners and weights[i] == weights[i + 1] == 1.0 and (is_han(piece[0]) or is_han(piece[1])):
                for needle in sound_variants(index, piece, self.found.common):
                    for name in TEXT_FIELDS:
                        blob = index.blobs[name]
                        for policy, at in whole_hits(blob, blob.sound, needle):
                            sounding.add(policy)
                            offset = at - blob.starts[policy]
                            self.mark(policy, name, i, i + 2, SOUND_CREDIT, offset, offset + 2)
            found_in = len(owners) or len(sounding)
            self.rarity[i] = rarity(found_in, index.size)
            self.seen[i] = bool(found_in)

    def spreads(self, share: Callable[[dict[int, float]], float], least: float) -> Iterator[tuple[int, int, float]]:
        """(policy, the pieces it holds as typed as a bit mask, the share of the term it covers
        over all fields), in the order first marked, of the policies covering `least` or more. The
        share of a policy holding only pieces as typed is worked out once per set of pieces."""
        masks: dict[int, int] = {}
        for i, owners in enumerate(self.held):
            bit = 1 << i
            for policy in owners:
                masks[policy] = masks.get(policy, 0) | bit
        by_mask: dict[int, float] = {}
        union = self.union
        for policy in dict.fromkeys(chain.from_iterable(self.marked)):
            mask = masks.get(policy, 0)
            if policy in union:
                spread = share(_marks(self.places_of(policy, mask)))
            else:
                spread = by_mask.get(mask)
                if spread is None:
                    spread = by_mask[mask] = share(dict.fromkeys(_positions(mask), 1.0))
            if spread >= least:  # most of a large library's are not: a common piece or two
                yield policy, mask, spread

    def places_of(self, policy: int, mask: int) -> list[Place]:
        """Where a policy marked by sound or a related word holds what of the term, in the order
        marked (`mask`: the pieces it holds as typed; see `_Typed` for the others)."""
        extra = self.places[policy]
        out: list[Place] = []
        e = 0
        for i, fields in enumerate(self.exact):
            while e < len(extra) and extra[e][0] < i:
                out.append(extra[e][1])
                e += 1
            if mask >> i & 1:
                for name, hits in fields:
                    at = hits.get(policy)
                    if at is not None:
                        out.append((name, i, i + 2, 1.0, at, at + 2))
        out += [place for _, place in extra[e:]]
        return out

    def related_terms(self) -> None:
        """Everyday words (机床) where a policy is about their terms (设备); the unknown words
        just before one (数控 in 数控机床) qualify it and count half."""
        index = self.found.index
        self.stage = len(self.text)  # after every piece
        for a, b in self.related:
            owners: set[int] = set()
            for official in index.related[self.text[a:b]]:
                for name in ABOUT_FIELDS:
                    blob = index.blobs[name]
                    for policy, at in first_hits(blob.text, official, blob.starts):
                        owners.add(policy)
                        offset = at - blob.starts[policy]
                        self.mark(policy, name, a, b, RELATED_CREDIT, offset, offset + len(official))
            if not owners:
                continue
            telling = rarity(len(owners), index.size)
            for i in range(a, b - 1):
                self.rarity[i] = telling if not self.seen[i] else min(self.rarity[i], telling)
            k = a - 1
            while (self.topical and k >= max(0, a - MODIFIER) and self.weights[k] == 1.0 and not self.seen[k]
                   and (k == 0 or not self.seen[k - 1]) and not any(c <= k < d for c, d in self.related)):
                self.weights[k] = MODIFIER_WEIGHT
                k -= 1

    def discount_context(self) -> None:
        """What only says what someone did counts less: a character of no word found, alone
        between words found or question words (换 in 车间换了一批机床); unknown verbs, numerals
        and adverbs (添置, 几台), and less still a word of one character (厂, 新) beside words
        found. Unknown nouns (公寓, 医保) still count fully."""
        n, weights, seen = len(self.text), self.weights, self.seen
        covered = [any(seen[j] for j in (i - 1, i) if 0 <= j < n - 1) or any(a <= i < b for a, b in self.related)
                   for i in range(n)]
        for i in range(n if self.topical else 0):
            if weights[i] == 1.0 and not covered[i] and all(
                    j < 0 or j >= n or covered[j] or weights[j] < 1 for j in (i - 1, i + 1)):
                weights[i] = LONE_WEIGHT
        if self.topical and any(w == 1.0 and not c for w, c in zip(weights, covered)) and any(covered):
            from ..words import everyday_words

            for a, b in everyday_words(self.text):
                if not any(covered[a:b]):
                    least = SINGLE_WEIGHT if b - a == 1 else LONE_WEIGHT
                    weights[a:b] = [min(w, least) for w in weights[a:b]]

    def char_weights(self) -> list[float]:
        n = len(self.text)
        out = []
        for i in range(n):
            around = [self.rarity[j] for j in (i - 1, i) if 0 <= j < n - 1 and self.rarity[j] > 0]
            out.append(self.weights[i] * (min(around) if around else 0.0))
        return out


def words(found: TermMatches) -> None:
    """Offer each policy the share of the term its pieces and related terms cover."""
    cover = _Cover(found)
    cover.pieces()
    cover.related_terms()
    cover.discount_context()
    char_weight = cover.char_weights()
    total = sum(char_weight)
    if total <= 0:
        return
    # In a long question, much of what is not found is everyday words: it counts less.
    content = sum(1 for w in cover.weights if w == 1.0)
    slack = min(1.0, LONG / content) if content else 1.0

    def share(marks: dict[int, float]) -> float:
        held = sum(char_weight[i] * c for i, c in marks.items())
        return held / (held + slack * (total - held)) if held > 0 else 0.0

    known: dict[tuple, FieldShares] = {}  # what the places give, by field, position and credit

    def shares(places: list[Place]) -> FieldShares:
        key = tuple([place[:4] for place in places])
        if key not in known:
            known[key] = _field_shares(places, share)
        return known[key]

    typed = _Typed(cover, share)
    if not cover.union:  # every policy holds pieces as typed only (no sound, no related word)
        typed.offer_all(found, WEAK_SHARE)
        return
    for policy, mask, spread in cover.spreads(share, WEAK_SHARE):  # below it: not about the term
        if policy in cover.places:
            _offer_fields(found, policy, cover.places_of(policy, mask), spread, shares)
        else:
            typed.offer(found, policy, mask, spread)


class _Typed:
    """`_offer_fields` for a policy holding pieces of the term as typed only (most of them): its
    places are the pieces of its mask in each field holding them, known by a number per piece
    and field (a bit of its pattern), and what a pattern gives is worked out once (the same
    shares as `_field_shares` of its places). A policy no other way matched is given the
    pattern's `SharedFields`, alike for all of them but for where (`_PatternMatch`)."""

    def __init__(self, cover: _Cover, share: Callable[[dict[int, float]], float]) -> None:
        self.share = share
        self.where: list[tuple[str, int]] = []  # number -> (field, piece)
        self.hits: list[dict[int, int]] = []  # number -> {policy: offset}
        self.numbered: list[list[tuple[int, dict[int, int]]]] = []  # per piece: (bit, its hits) per field
        for i, fields in enumerate(cover.exact):
            self.numbered.append([(1 << (len(self.where) + k), hits) for k, (_, hits) in enumerate(fields)])
            self.where += [(name, i) for name, _ in fields]
            self.hits += [hits for _, hits in fields]
        self.pieces: dict[int, tuple[int, ...]] = {}  # mask -> its pieces
        self.known: dict[int, tuple[tuple[int, ...], FieldShares]] = {}  # pattern -> its numbers, field shares
        self.fresh: dict[int, SharedFields] = {}  # pattern -> `_fresh`

    def offer(self, found: TermMatches, policy: int, mask: int, spread: float) -> None:
        pieces = self.pieces.get(mask)
        if pieces is None:
            pieces = self.pieces[mask] = _pieces_of(mask)
        pattern = 0
        for i in pieces:
            for bit, hits in self.numbered[i]:
                if policy in hits:
                    pattern |= bit
        if policy not in found.found:
            found.found[policy] = self._fresh(pattern, spread)
        else:
            self._offer_known(found, policy, pattern, spread)

    def offer_all(self, found: TermMatches, least: float) -> None:
        """`offer` of every policy holding pieces of the term as typed, when no policy was marked
        otherwise (`_Cover.union` empty), in the order first found, those covering less than
        `least` of the term left out (as `_Cover.spreads` gives them): each policy's pattern made
        at once from the pieces' hits, what a pattern gives worked out once."""
        patterns: dict[int, int] = {}
        get = patterns.get
        for number, hits in enumerate(self.hits):
            bit = 1 << number
            for policy in hits:
                patterns[policy] = get(policy, 0) | bit
        given: dict[int, tuple[float, SharedFields] | None] = {}
        mine = found.found
        for policy, pattern in patterns.items():
            if pattern in given:
                both = given[pattern]
            else:
                both = given[pattern] = self._given(pattern, least)
            if both is None:
                continue
            if policy not in mine:
                mine[policy] = both[1]
            else:
                self._offer_known(found, policy, pattern, both[0])

    def _given(self, pattern: int, least: float) -> tuple[float, SharedFields] | None:
        """The spread of the pieces of `pattern` over all fields (their share of the term) and what
        a policy of that pattern no other way matched is given; None below `least`."""
        mask = 0
        for n in _pieces_of(pattern):
            mask |= 1 << self.where[n][1]
        spread = self.share(dict.fromkeys(_positions(mask), 1.0))
        return None if spread < least else (spread, self._fresh(pattern, spread))

    def _fresh(self, pattern: int, spread: float) -> SharedFields:
        """What `_offer` gives a policy of `pattern` no other way matched: the same for all of them
        (their pieces are its mask, and so its spread) but for where (`_PatternMatch`)."""
        shared = self.fresh.get(pattern)
        if shared is None:
            numbers, shares = self._shares(pattern)
            shared = self.fresh[pattern] = SharedFields(
                (name, _PatternMatch(quality, how, [self.hits[numbers[j]] for j in chosen]))
                for name, quality, how, chosen in _spread_over(shares, spread))
        return shared

    def _offer_known(self, found: TermMatches, policy: int, pattern: int, spread: float) -> None:
        """`_offer` of a pattern to a policy matched before (as typed whole, by sound)."""
        numbers, shares = self._shares(pattern)
        ats = [self.hits[n][policy] for n in numbers]
        _offer(found, policy, shares, lambda j: (ats[j], ats[j] + 2), spread)

    def _shares(self, pattern: int) -> tuple[tuple[int, ...], FieldShares]:
        known = self.known.get(pattern)
        if known is None:
            numbers = _pieces_of(pattern)
            places = [(name, i, i + 2, 1.0, 0, 2) for name, i in map(self.where.__getitem__, numbers)]
            known = self.known[pattern] = (numbers, _field_shares(places, self.share))
        return known


class _PatternMatch(FieldMatch):
    """The match of a field holding pieces of the term as typed, shared by the policies of one
    pattern (`_Typed`): where it is in a policy is read from the hits of the pieces that say so."""

    __slots__ = ("_hits",)

    def __init__(self, quality: float, how: str, hits: list[dict[int, int]]) -> None:
        self.quality = quality
        self.how = how
        self._hits = hits  # `spans` stays unset: a shared match is read through `spans_at`

    def spans_at(self, policy: int) -> list[tuple[int, int]]:
        return [(hits[policy], hits[policy] + 2) for hits in self._hits]


def _pieces_of(mask: int) -> tuple[int, ...]:
    """The bits set in a mask, in order: its pieces (bit i: the piece at position i), or a
    pattern's numbers."""
    return tuple(i for i in range(mask.bit_length()) if mask >> i & 1)


def _positions(mask: int) -> list[int]:
    """The positions of the term covered by the pieces of `mask` (bit i: positions i and i + 1)."""
    return sorted({k for i in _pieces_of(mask) for k in (i, i + 1)})


def _marks(places: list[Place]) -> dict[int, float]:
    """The best credit of each position over `places`, keys in the order first marked."""
    marks: dict[int, float] = {}
    for _, first, last, credit, _, _ in places:
        for k in range(first, last):
            if marks.get(k, 0.0) < credit:
                marks[k] = credit
    return marks


FieldShares = list[tuple[str, float, str, list[int]]]  # field, quality, how, which places say where


def _offer_fields(found: TermMatches, policy: int, places: list[Place], spread: float,
                  shares: Callable[[list[Place]], FieldShares]) -> None:
    """Offer the policy its match in each field that holds pieces of the term, and its `spread`
    over all fields where that is better."""
    _offer(found, policy, shares(places), lambda j: places[j][4:6], spread)


def _offer(found: TermMatches, policy: int, shares: FieldShares, span: Callable[[int], tuple[int, int]],
           spread: float) -> None:
    """`found.offer`, written out, of each field's share (`span(j)`: where place j of the share
    is), then the term's `spread` over all fields where that is better than any one field's match,
    credited to the field that holds the most of it."""
    mine = found.fields(policy)
    for name, quality, how, chosen in shares:
        current = mine.get(name)
        if current is None or quality > current.quality:
            mine[name] = FieldMatch(quality, how, [span(j) for j in chosen])
    if SPREAD * spread > max(m.quality for m in mine.values()):
        name = max(mine, key=lambda f: mine[f].quality)
        mine[name] = FieldMatch(SPREAD * spread, mine[name].how, mine[name].spans_at(policy))


def _spread_over(shares: FieldShares, spread: float) -> FieldShares:
    """What `_offer` of `shares` and `spread` gives a policy matched no other way: each field's
    share, and the spread instead of the best of them where it is better."""
    given = list(shares)
    best = max(range(len(given)), key=lambda k: given[k][1])  # the first of the best, as `_offer`
    if SPREAD * spread > given[best][1]:
        name, _, how, chosen = given[best]
        given[best] = (name, SPREAD * spread, how, chosen)
    return given


def _field_shares(places: list[Place], share: Callable[[dict[int, float]], float]) -> FieldShares:
    """Per field, in the order first found: the quality of what it covers, how it matched, and
    the places that covered some position better than the places before them (its spans)."""
    per_field: dict[str, dict[int, float]] = {}
    where: dict[str, list[int]] = {}
    how: dict[str, str] = {}
    for j, (name, first, last, credit, _, _) in enumerate(places):
        field_marks = per_field.get(name)
        if field_marks is None:
            field_marks = per_field[name] = {}
        better = False
        for k in range(first, last):
            if field_marks.get(k, 0.0) < credit:
                field_marks[k] = credit
                better = True
        if better:
            where.setdefault(name, []).append(j)
            if credit == RELATED_CREDIT:
                how[name] = "related"
    return [(name, WORDS * share(field_marks), how.get(name, "words"), where.get(name, []))
            for name, field_marks in per_field.items()]

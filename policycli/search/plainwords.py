"""Words of a query that say little about its topic (data/plainwords.yaml, our own lists tied to
no list of policies): question words (count nothing), words nearly every policy uses (count
little), words about the procedure, which a list never states (count nothing; a query of only
these finds nothing and points to the offices), and what people say about their situation around
the topic (负担重, 听说: count nothing, and never what a question hinges on). Read once per
process from the cache dir, not from YAML."""
from __future__ import annotations

import functools
from typing import NamedTuple


class Plain(NamedTuple):
    fillers: tuple[str, ...]
    generic: tuple[str, ...]
    procedure: tuple[str, ...]
    framing: tuple[str, ...]
    words: frozenset[str]  # all of them


@functools.cache
def plain() -> Plain:
    """The lists of data/plainwords.yaml, folded as queries are."""
    from ..dataset.lookup import normalize
    from .lexicon import PLAINWORDS, word_lists
    from .scripts import simplified

    lists = [tuple(words) for words in word_lists(PLAINWORDS, None, Plain._fields[:4],
                                                  lambda word: simplified(normalize(word)))]
    return Plain(*lists, frozenset(w for words in lists for w in words))

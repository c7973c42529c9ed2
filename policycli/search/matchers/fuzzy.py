"""Near misses by rapidfuzz (a transposed or extra character), only when nothing else matched
well: a term of Chinese against titles, keywords and texts; Latin letters against each policy's
pinyin."""
from __future__ import annotations

from ..weights import FUZZY
from .base import TermMatches


def near_misses(found: TermMatches) -> None:
    from rapidfuzz import fuzz, process

    text = found.term.text
    index = found.index
    if found.term.latin:
        for _, score, policy in process.extract(text, index.latin, scorer=fuzz.partial_ratio, score_cutoff=85, limit=None):
            found.offer(policy, "title", FUZZY * score / 100, "fuzzy", [])
        return
    for name in ("title", "keywords", "content"):
        blob = index.blobs[name]
        choices = [blob.field_of(i) for i in range(index.size)]
        for _, score, policy in process.extract(text, choices, scorer=fuzz.partial_ratio, score_cutoff=75, limit=None):
            alignment = fuzz.partial_ratio_alignment(text, choices[policy])
            span = [(alignment.dest_start, alignment.dest_end)] if alignment else []
            found.offer(policy, name, FUZZY * score / 100, "fuzzy", span)

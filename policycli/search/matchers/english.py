"""English: an English word against our English title and summary of each policy, and the
Chinese terms of the glossary phrases it is part of against the Chinese text."""
from __future__ import annotations

from ..english import stem
from ..weights import ENGLISH, ENGLISH_TITLE, GLOSS, SHORT_LATIN
from .base import TermMatches
from .official import substring


def english(found: TermMatches) -> bool:
    """Offer the policies the English word is found in; False when it is in no English text and
    no glossary phrase."""
    term = found.term
    postings = found.index.en_postings.get(stem(term.text))
    if postings and len(term.text) <= SHORT_LATIN:  # a short word in passing in a summary (red mud)
        postings = {p: w for p, w in postings.items() if w >= ENGLISH_TITLE}
    if not postings and not term.gloss:
        return False
    term.english = True
    for policy, weight in (postings or {}).items():
        found.offer(policy, "english", ENGLISH * weight, "english", [])
    for chinese in term.gloss:
        substring(found, chinese, "english", GLOSS, plain=True)
    return True

"""The matchers of a search, one module per way of matching a term of the query:

  official   the term as typed, an id, a phone number, a whole amount
  sounds     same folded pinyin (数据中兴), one character wrong (虚似现实), typed pinyin and
             initials (shujuzhongxin, jsgz), pinyin mixed with characters (zhihui社区)
  english    our English texts and the glossary's Chinese terms
  pieces     the term's pieces and its related everyday words (机床 → 设备), reordered or apart
  fuzzy      near misses, when nothing else matched well

`match_term` tries them in order, each only when the ones before leave room: sounds only when the
characters typed are not in the texts (homophones elsewhere are not what was meant) and the term
is no question (有没有…的补贴, begun or ended by question words, is no phrase of a text, typed or
by sound: its pieces are, and a piece the texts lack is matched by sound there), pieces only
when the whole term was not found (scattered 数据…中心 is not 数据中心). The bag-of-words pass
(recall.py) and the semantic pass (semantic.py) run over the whole query, after the ranking.
"""
from __future__ import annotations

from .. import amounts
from ..analyse import is_han
from ..weights import FILLER_WEIGHT
from .base import PerPolicy, TermMatches
from .english import english
from .fuzzy import near_misses
from .official import as_typed, identifiers
from .pieces import words
from .sounds import by_sound, mixed, one_wrong, typed_pinyin


def match_term(found: TermMatches, *, exact_only: bool = False) -> PerPolicy:
    """Every way the term matches, per policy and field."""
    text = found.term.text
    as_typed(found)
    typed_as_is = bool(found.found)
    identifiers(found)
    if exact_only or amounts.is_amount(text):
        return found.found
    has_han = any(is_han(ch) for ch in text)
    if found.term.latin and not typed_as_is:
        if english(found):
            return found.found  # an English word is not pinyin, nor a near miss of it
        if text.isalpha():
            typed_pinyin(found)
    elif has_han and not typed_as_is and any(ch.isascii() and ch.isalpha() for ch in text):
        mixed(found, match_term)
    elif len(text) >= 2 and not typed_as_is and has_han:
        if not _question(found.term.weights):
            by_sound(found)
        if 4 <= len(text) <= 8 and found.best() < 0.8:
            one_wrong(found)
    if len(text) >= 2 and not found.term.latin and found.best() < 0.9:
        words(found)
    if len(text) >= 3 and found.best() < 0.6:
        near_misses(found)
    return found.found


def _question(weights: list[float]) -> bool:
    """Whether a term begins or ends with question or filler words (有没有…, …吗): a question, which
    no text holds whole. One with a filler inside may be a title (科研设施与仪器开放共享)."""
    return weights[0] == FILLER_WEIGHT or weights[-1] == FILLER_WEIGHT

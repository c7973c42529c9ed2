"""Official words: the term as typed in a field of the text; a policy id (or its start); a phone
number; an amount, only as a whole amount of the text."""
from __future__ import annotations

from .. import amounts
from ..index import SEPARATOR
from ..scan import first_hits, whole_hits
from ..weights import EXACT, ID_PREFIX, SHORT_LATIN
from .base import TEXT_FIELDS, TermMatches


def substring(found: TermMatches, needle: str, how: str, quality: float, *, plain: bool = False,
              initials: bool = False, fields: tuple[str, ...] = TEXT_FIELDS, word_start: bool = False) -> None:
    """Every field holding `needle` (in its text, its initials or its sound string). A match by
    sound or by initials must be a run of whole words of the text: 施建 does not sound like the
    施建 of 实施建设, nor 公示 like the 公室 of 办公室, and xyz is not the initials of the 现与再
    of 再贴现与再贷款. With `word_start`, a sound match need only start a word (chuangyedanbao is
    the start of 创业担保贷款)."""
    whole = not plain and not initials
    for name in fields:
        blob = found.index.blobs[name]
        haystack = blob.text if plain else blob.initials if initials else blob.sound
        if initials:  # and no one-character word at either end: zzz is not 在制造
            hits = whole_hits(blob, haystack, needle, lambda a, b, blob=blob: blob.whole(a, b)
                              and not blob.whole(a, a + 1) and not blob.whole(b - 1, b))
        else:
            starts = (lambda a, b, blob=blob: blob.whole(a, a)) if word_start else None
            hits = whole_hits(blob, haystack, needle, starts) if whole else first_hits(haystack, needle, blob.starts)
        for policy, at in hits:
            start = at - blob.starts[policy]
            found.offer(policy, name, quality, how, [(start, start + len(needle))])


def as_typed(found: TermMatches) -> None:
    """The term as typed; an amount only where it is a whole amount (300万 not in 3000万); a
    short Latin word (x, red) only as a whole Latin word (VR, not the x of XR)."""
    text = found.term.text
    if found.term.latin and len(text) <= SHORT_LATIN:
        for name in TEXT_FIELDS:
            blob = found.index.blobs[name]
            for policy, at in whole_hits(blob, blob.text, text, lambda a, b, t=blob.text: _latin_word(t, a, b)):
                start = at - blob.starts[policy]
                found.offer(policy, name, EXACT, "exact", [(start, start + len(text))])
        return
    if not amounts.is_amount(text):
        substring(found, text, "exact", EXACT, plain=True)
        return
    for name in TEXT_FIELDS:
        blob = found.index.blobs[name]
        at = blob.text.find(text)
        while at >= 0:
            policy = blob.owner(at)
            if amounts.whole_at(blob.text, at, at + len(text)):
                start = at - blob.starts[policy]
                found.offer(policy, name, EXACT, "exact", [(start, start + len(text))])
            at = blob.text.find(text, at + 1)


def _latin_word(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] has no Latin letter on either side."""
    def letter(i: int) -> bool:
        return 0 <= i < len(text) and text[i].isascii() and text[i].isalpha()
    return not letter(start - 1) and not letter(end)


def identifiers(found: TermMatches) -> None:
    """A policy id (or its first six letters or more), a phone number (seven digits or more)."""
    text = found.term.text
    if text.isdigit() and len(text) >= 7:
        substring(found, text, "exact", EXACT, plain=True, fields=("phones",))
    elif text.isascii() and len(text) >= 3:
        blob = found.index.blobs["id"]
        for policy, at in first_hits(blob.text, text, blob.starts):
            whole = blob.text[at + len(text)] == SEPARATOR
            if at == blob.starts[policy] and (whole or len(text) >= 6):
                found.offer(policy, "id", EXACT if whole else ID_PREFIX, "exact", [(0, len(text))])

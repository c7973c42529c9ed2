"""Matching by sound (search/matchers/sounds.py): a long term is looked for by its sound only in
the fields whose initials hold it, and found exactly as when every field is read."""
from __future__ import annotations

import random

from conftest import shipped_catalog

from policycli.search.analyse import weigh
from policycli.search.index import index_for
from policycli.search.matchers import sounds
from policycli.search.matchers.base import TEXT_FIELDS, TermMatches
from policycli.search.scan import CommonReadings, sound_variants


def _terms(index, count: int = 400) -> list[str]:
    """Pieces of the texts, 6 to 14 characters long, most with one character swapped for another
    that sounds like it (a typo of a pinyin keyboard), some as they are, some reversed."""
    alike: dict[str, list[str]] = {}
    for ch, codes in index.readings.items():
        for code in codes:
            alike.setdefault(code, []).append(ch)
    rng = random.Random(7)
    terms = []
    for _ in range(count):
        blob = index.blobs[rng.choice(TEXT_FIELDS)]
        policy = rng.randrange(len(blob.starts) - 1)
        text = blob.field_of(policy)
        if len(text) < 6:
            continue
        start = rng.randrange(len(text) - 5)
        piece = list(text[start : start + rng.randint(6, 14)])
        kind = rng.random()
        if kind < 0.7:
            at = rng.randrange(len(piece))
            others = [c for code in index.readings.get(piece[at], ()) for c in alike[code] if c != piece[at]]
            if others:
                piece[at] = rng.choice(sorted(others))
        elif kind < 0.8:
            piece.reverse()
        terms.append("".join(piece))
    return terms


def _by_sound(index, common, text: str) -> dict:
    found = TermMatches(index, weigh(text), common)
    sounds.by_sound(found)
    return {p: {f: (m.quality, m.how, m.spans) for f, m in fields.items()} for p, fields in found.found.items()}


def test_a_long_term_is_looked_for_only_where_its_initials_are_and_found_alike(monkeypatch):
    index = index_for(shipped_catalog())
    common = CommonReadings()
    found = skipped = 0
    for text in _terms(index):
        monkeypatch.setattr(sounds, "SOUND_CHECKED", 10**6)
        everywhere = _by_sound(index, common, text)
        monkeypatch.setattr(sounds, "SOUND_CHECKED", 6)
        assert _by_sound(index, common, text) == everywhere, text
        found += bool(everywhere)
        first = {code: syllable[0] for syllable, code in index.codes.items()}
        skipped += sum(len(TEXT_FIELDS) - len(sounds._may_sound(index, [sounds._sure(first, c) for c in sound]))
                       for sound in sound_variants(index, text, common))
    assert found >= 50 and skipped >= 500  # terms found by sound, and fields spared


def test_a_question_reads_no_sound_string_and_no_reading_of_a_character_the_texts_lack(monkeypatch):
    index = index_for(shipped_catalog())
    asked = []
    found = TermMatches(index, weigh("有没有支持建设智慧社区的补贴"), lambda ch: asked.append(ch) or "")
    sounds.by_sound(found)
    assert found.found == {} and asked == []
    found = TermMatches(index, weigh("有没有支持建设智慧社区的补贴"), lambda ch: asked.append(ch) or "")
    monkeypatch.setattr(sounds, "SOUND_CHECKED", 10**6)
    sounds.by_sound(found)
    assert found.found == {} and "没" in asked  # read, when every field is looked in

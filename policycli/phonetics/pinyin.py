"""Sound keys: pinyin of Chinese text, folded so that sounds people confuse compare equal.

A text's *sound string* has one character per character of the text: a Han character becomes the
code of its folded syllable (a private-use character), anything else stays as it is. Its *initials
string* has the first letter of each Han character's syllable and a blank for anything else. Both
line up with the text, so a match found in them points straight at the characters to highlight.

pypinyin is imported only while an index is being built (and, rarely, for a query character that
no cached table knows); searching works from the cached strings and tables.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from itertools import chain
from collections.abc import Set as AbstractSet
from operator import itemgetter
from typing import Any, NamedTuple

HAN = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+"  # compiled when an index is built
NO_INITIAL = " "
NO_SOUND = "\x01"  # a code that occurs in no sound string
_CODE_BASE = 0xE000
# Longest run of Han characters given to pypinyin at once; far longer than any word or phrase.
RUN_PIECE = 64


def fold(syllable: str) -> str:
    """The fuzzy class of a toneless syllable: zh/z, ch/c, sh/s, n/l, ang/an, eng/en, ing/in."""
    s = syllable
    if s[:2] in ("zh", "ch", "sh"):
        s = s[0] + s[2:]
    elif s[:1] == "n" and len(s) > 1 and s[1] != "g":
        s = "l" + s[1:]
    if s.endswith(("ang", "eng", "ing")):
        s = s[:-1]
    return s


class Vocabulary:
    """Folded syllables and their codes, grown while an index is built; `base` fixes the codes of
    the syllables it holds (the same in every vocabulary made from it)."""

    def __init__(self, base: dict[str, str] | None = None) -> None:
        self.codes: dict[str, str] = dict(base or {})
        self.base_codes = frozenset(self.codes.values())
        self._said: dict[str, str] = {}  # each syllable met (unfolded) → its code

    def code(self, syllable: str) -> str:
        code = self._said.get(syllable)
        if code is None:
            key = fold(syllable)
            code = self.codes.get(key)
            if code is None:
                code = chr(_CODE_BASE + len(self.codes))
                self.codes[key] = code
            self._said[syllable] = code
        return code


# pypinyin's syllables of a run of Han characters, remembered for the whole process: the lists of a
# library are indexed one after another and share most of their phrases.
_CONVERTED: dict[str, list[str]] = {}
MAX_CONVERTED = 1 << 16  # runs remembered (at most RUN_PIECE characters each)


class _Run(NamedTuple):
    """A run of Han characters transcribed: its sound, initials and typed strings (aligned with
    it) and the syllables it was read as."""

    sound: str
    initials: str
    typed: str
    syllables: tuple[str, ...]


_SOUND, _INITIALS, _TYPED = itemgetter(0), itemgetter(1), itemgetter(2)
_NOT_TYPED = re.compile(r"[^0-9A-Za-z\n]+")


class Transcriber:
    """Turns texts into sound and initials strings with pypinyin (index building only).

    Each distinct run of Han characters is transcribed once: `shared` (a dict kept by the caller
    for every transcriber whose vocabulary has the same `base`) holds the runs read with base codes
    only, so the lists of a library indexed one after another share that work; a text is cut into
    its runs by one regular-expression split and put together again by joins."""

    def __init__(self, vocabulary: Vocabulary, shared: dict[str, _Run] | None = None) -> None:
        from pypinyin import Style

        lazy_pinyin = _word_memo_pinyin().lazy_pinyin

        def convert(run: str) -> list[str]:
            found = _CONVERTED.get(run)
            if found is None:
                found = lazy_pinyin(run, style=Style.NORMAL, errors=_no_reading)
                if len(_CONVERTED) < MAX_CONVERTED:
                    _CONVERTED[run] = found
            return found

        self._convert = convert
        self._split = re.compile(f"({HAN})").split
        self.vocabulary = vocabulary
        self._shared = shared if shared is not None else {}
        self._runs: dict[str, _Run] = {}  # every run this transcriber has met

    @property
    def readings(self) -> dict[str, set[str]]:
        """Han character -> codes of its readings in the texts transcribed."""
        out: dict[str, set[str]] = {}
        pairs = set(zip("".join(self._runs), "".join(run.sound for run in self._runs.values())))
        for ch, code in pairs:
            if code != ch:  # read as a syllable
                out.setdefault(ch, set()).add(code)
        return out

    @property
    def syllables(self) -> set[str]:
        """The syllables (unfolded) of the texts transcribed, for reading typed pinyin."""
        return set(chain.from_iterable(run.syllables for run in self._runs.values()))

    def _run(self, run: str) -> _Run:
        found = self._runs.get(run)
        if found is None:
            found = self._shared.get(run) or self._read(run)
            self._runs[run] = found
        return found

    def _read(self, run: str) -> _Run:
        """A run read with pypinyin. A long run goes to pypinyin in pieces of at most RUN_PIECE
        characters: its word splitting takes time in the square of the length it is given."""
        if len(run) > RUN_PIECE:
            pieces = [self._run(run[i : i + RUN_PIECE]) for i in range(0, len(run), RUN_PIECE)]
            return _Run(*("".join(p[k] for p in pieces) for k in range(3)), tuple(chain.from_iterable(p.syllables for p in pieces)))
        syllables = list(self._convert(run))
        if len(syllables) != len(run):  # never expected; fall back to one character at a time
            syllables = [(self._convert(ch) or [None])[0] for ch in run]
        sound, initials, typed, said, coded = [], [], [], [], []
        code_of = self.vocabulary.code
        for ch, syllable in zip(run, syllables):
            if syllable and syllable.isascii() and syllable.isalpha():
                code = code_of(syllable)
                said.append(syllable)
                coded.append(code)
                sound.append(code)
                initials.append(syllable[0])
                typed.append(syllable)
            else:
                sound.append(ch)
                initials.append(NO_INITIAL)
                typed.append(" ")
        found = _Run("".join(sound), "".join(initials), "".join(typed), tuple(said))
        if len(self._shared) < MAX_CONVERTED and self.vocabulary.base_codes.issuperset(coded):  # coded alike in every such vocabulary
            self._shared[run] = found
        return found

    def _pieces(self, text: str) -> tuple[list[str], list[_Run]]:
        """The text cut at its runs of Han characters (the other text at even positions, the runs
        at odd ones), and each run transcribed."""
        parts = self._split(text)
        runs = parts[1::2]
        for run in set(runs).difference(self._runs):
            self._run(run)
        return parts, list(map(self._runs.__getitem__, runs))

    def transcribe(self, text: str) -> tuple[str, str]:
        """The sound and initials strings of `text`, each as long as the text."""
        parts, runs = self._pieces(text)
        sound = parts[:]
        sound[1::2] = map(_SOUND, runs)
        initials = list(map(NO_INITIAL.__mul__, map(len, parts)))
        initials[1::2] = map(_INITIALS, runs)
        return "".join(sound), "".join(initials)

    def latin(self, text: str) -> str:
        """Typed-pinyin form of a text: syllables run together, words apart (数据中心 -> shujuzhongxin)."""
        return self.latin_each([text])[0]

    def latin_each(self, texts: list[str]) -> list[str]:
        """`latin` of each text, all transcribed at once."""
        if not texts:
            return []
        parts, runs = self._pieces("\n".join(text.replace("\n", " ") for text in texts))
        parts[1::2] = map(_TYPED, runs)
        return [" ".join(line.split()) for line in _NOT_TYPED.sub(" ", "".join(parts)).split("\n")]


def _no_reading(chars: str) -> list[str]:
    return [""] * len(chars)


@functools.cache
def _word_memo_pinyin() -> Any:
    """pypinyin's converter as `pypinyin.lazy_pinyin` uses it, remembering the syllables of each
    word it is given (after pypinyin's own word splitting), for the whole process: a run not met
    before is mostly words met before, and their conversion is most of the cost."""
    from pypinyin.converter import DefaultConverter
    from pypinyin.core import Pinyin

    class WordMemo(DefaultConverter):
        def __init__(self) -> None:
            super().__init__()
            self.memo: dict[tuple[Any, ...], list[list[str]]] = {}

        def convert(self, words: str, style: Any, heteronym: bool, errors: Any, strict: bool, **kwargs: Any) -> list[list[str]]:
            key = (words, style, heteronym, errors, strict)
            found = self.memo.get(key) if not kwargs else None
            if found is None:
                found = super().convert(words, style, heteronym, errors, strict, **kwargs)
                if not kwargs and len(self.memo) < MAX_CONVERTED:
                    self.memo[key] = found
            return [list(syllables) for syllables in found]

    return Pinyin(WordMemo())


def common_readings() -> dict[str, str]:
    """The usual toneless reading of each of the 6,763 characters of GB 2312, from pypinyin.

    Covers what people type by mistake on a pinyin keyboard (数据中兴, 工业乎联网) when the
    dataset itself never uses that character. Only the usual reading: a keyboard offers a
    character for the sound it is normally read with. Searches read the table shipped in
    data/readings.txt, written by `readings_file` from this one.
    """
    from pypinyin import Style, lazy_pinyin

    chars = []
    for high in range(0xB0, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.append(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    readings = lazy_pinyin(chars, style=Style.NORMAL, errors=lambda s: [""] * len(s))
    return {ch: r for ch, r in zip(chars, readings) if r.isascii() and r.isalpha()}


def readings_file() -> str:
    """The text of data/readings.txt: `common_readings`, one line per reading (its characters in
    GB 2312 order), after a header naming where it comes from."""
    from importlib.metadata import version

    by_reading: dict[str, list[str]] = {}
    for ch, reading in common_readings().items():
        by_reading.setdefault(reading, []).append(ch)
    head = [
        f"# The usual toneless reading of each of the {sum(map(len, by_reading.values())):,} characters of GB 2312, "
        f"from pypinyin {version('pypinyin')}",
        "# (https://github.com/mozillazg/python-pinyin, MIT licence): what a pinyin keyboard offers a character for,",
        "# to read a typo (数据中兴) the dataset never writes. Written by `python -m policycli.phonetics.pinyin`",
        "# (readings_file in policycli/phonetics/pinyin.py) into data/readings.txt.",
        "# One line per reading: the reading, a space, its characters.",
    ]
    return "\n".join(head + [f"{reading} {''.join(chars)}" for reading, chars in sorted(by_reading.items())]) + "\n"


def reading_of(char: str) -> str:
    """The usual reading of one character straight from pypinyin (for characters no table knows)."""
    try:
        from pypinyin import Style, lazy_pinyin
    except ImportError:  # pragma: no cover - a declared dependency
        return ""
    found = lazy_pinyin(char, style=Style.NORMAL, errors=lambda s: [""] * len(s))
    return found[0] if found and found[0].isascii() and found[0].isalpha() else ""


def split_syllables(text: str, known: AbstractSet[str], limit: int = 16) -> list[list[str]]:
    """Ways to read a run of Latin letters as syllables from `known`, fewest syllables first."""
    longest = max((len(s) for s in known), default=0)
    ways: list[list[list[str]] | None] = [None] * (len(text) + 1)
    ways[len(text)] = [[]]
    for start in range(len(text) - 1, -1, -1):
        found: list[list[str]] = []
        for end in range(min(len(text), start + longest), start, -1):
            piece = text[start:end]
            tails = ways[end]
            if piece in known and tails:
                found.extend([piece, *tail] for tail in tails[:limit])
        ways[start] = sorted(found, key=len)[:limit] if found else None
    return ways[0] or []


def variants(choices: Iterable[tuple[str, ...]], limit: int = 16) -> list[str]:
    """Every string made by picking one option per position, at most `limit` of them."""
    out = [""]
    for options in choices:
        if len(out) * len(options) > limit:
            options = options[:1]
        out = [prefix + option for prefix in out for option in options]
    return out


@functools.lru_cache(maxsize=256)
def _syllables(text: str) -> tuple[str, ...]:
    from pypinyin import lazy_pinyin  # imported only when a text is transcribed: about 0.3 s

    folded = unicodedata.normalize("NFKC", text).lower()
    return tuple(s for s in lazy_pinyin(folded) if s.strip())


def syllables(text: str) -> list[str]:
    """Toneless syllables, e.g. 信息化 → ['xin', 'xi', 'hua']; other text stays as one token
    (memoized: a query is compared with every name)."""
    return list(_syllables(text))


def sounds_within(query: str, name: str, *, whole: bool = False) -> bool:
    """The query sounds like a run of whole syllables of `name` (the whole of it with `whole`),
    sounds people confuse folded together (张 ≈ 臧, 刘 ≈ 牛). Typed pinyin counts too: xinxihua
    sounds within 信息化管理科."""
    said = syllables(query)
    if len("".join(said)) < 4:  # one syllable says too little
        return False
    keys = {"".join(said), "".join(fold(s) for s in said)}
    heard = syllables(name)
    folded = [fold(s) for s in heard]
    if whole:
        return "".join(heard) in keys or "".join(folded) in keys
    for start in range(len(heard)):
        for run in (heard[start:], folded[start:]):
            joined = ""
            for syllable in run:
                joined += syllable
                if joined in keys:
                    return True
                if not any(k.startswith(joined) for k in keys):
                    break
    return False


if __name__ == "__main__":  # data/readings.txt
    import sys

    sys.stdout.write(readings_file())

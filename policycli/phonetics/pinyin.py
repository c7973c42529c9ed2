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
from collections.abc import Set as AbstractSet

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
    """Folded syllables and their codes, grown while an index is built."""

    def __init__(self) -> None:
        self.codes: dict[str, str] = {}

    def code(self, syllable: str) -> str:
        key = fold(syllable)
        code = self.codes.get(key)
        if code is None:
            code = chr(_CODE_BASE + len(self.codes))
            self.codes[key] = code
        return code


# pypinyin's syllables of a run of Han characters, remembered for the whole process: the lists of a
# library are indexed one after another and share most of their phrases.
_CONVERTED: dict[str, list[str]] = {}
MAX_CONVERTED = 1 << 16  # runs remembered (at most RUN_PIECE characters each)


class Transcriber:
    """Turns texts into sound and initials strings with pypinyin (index building only)."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        from pypinyin import Style, lazy_pinyin

        def convert(run: str) -> list[str]:
            found = _CONVERTED.get(run)
            if found is None:
                found = lazy_pinyin(run, style=Style.NORMAL, errors=lambda s: [""] * len(s))
                if len(_CONVERTED) < MAX_CONVERTED:
                    _CONVERTED[run] = found
            return found

        self._convert = convert
        self.han = re.compile(HAN)
        self.vocabulary = vocabulary
        self.readings: dict[str, set[str]] = {}  # Han character -> codes seen in the dataset
        self.syllables: set[str] = set()  # unfolded syllables seen, for reading typed pinyin
        self._runs: dict[str, tuple[str, str, str]] = {}  # run -> sound, initials, typed pinyin

    def _run(self, run: str) -> tuple[str, str, str]:
        """Sound string, initials string and syllables of a run of Han characters (memoized:
        the same phrases recur across policies). A long run goes to pypinyin in pieces of at most
        RUN_PIECE characters: its word splitting takes time in the square of the length it is given."""
        if len(run) > RUN_PIECE:
            pieces = [self._run(run[i : i + RUN_PIECE]) for i in range(0, len(run), RUN_PIECE)]
            return ("".join(p[0] for p in pieces), "".join(p[1] for p in pieces),
                    "".join(p[2] for p in pieces))
        found = self._runs.get(run)
        if found is not None:
            return found
        syllables = list(self._convert(run))
        if len(syllables) != len(run):  # never expected; fall back to one character at a time
            syllables = [(self._convert(ch) or [None])[0] for ch in run]
        sound, initials, typed = [], [], []
        for ch, syllable in zip(run, syllables):
            if syllable and syllable.isascii() and syllable.isalpha():
                code = self.vocabulary.code(syllable)
                self.readings.setdefault(ch, set()).add(code)
                self.syllables.add(syllable)
                sound.append(code)
                initials.append(syllable[0])
                typed.append(syllable)
            else:
                sound.append(ch)
                initials.append(NO_INITIAL)
                typed.append(" ")
        found = self._runs[run] = ("".join(sound), "".join(initials), "".join(typed))
        return found

    def transcribe(self, text: str) -> tuple[str, str]:
        sound: list[str] = []
        initials: list[str] = []
        last = 0
        for match in self.han.finditer(text):
            start, end = match.span()
            run_sound, run_initials, _ = self._run(match.group())
            sound += (text[last:start], run_sound)
            initials += (NO_INITIAL * (start - last), run_initials)
            last = end
        sound.append(text[last:])
        initials.append(NO_INITIAL * (len(text) - last))
        return "".join(sound), "".join(initials)

    def latin(self, text: str) -> str:
        """Typed-pinyin form of a text: syllables run together, words apart (数据中心 -> shujuzhongxin)."""
        out = []
        last = 0
        for match in self.han.finditer(text):
            out.append(text[last : match.start()])
            out.append(self._run(match.group())[2])
            last = match.end()
        out.append(text[last:])
        joined = "".join(ch if ch.isascii() and ch.isalnum() else " " for ch in "".join(out))
        return " ".join(joined.split())


def common_readings() -> dict[str, str]:
    """The usual toneless reading of each of the 6,763 characters of GB 2312.

    Covers what people type by mistake on a pinyin keyboard (数据中兴, 工业乎联网) when the
    dataset itself never uses that character. Only the usual reading: a keyboard offers a
    character for the sound it is normally read with.
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

"""Scripts and characters: which writing systems a text uses, and traditional characters (with
the words of Taiwan and Hong Kong: 軟體 → 软件, 資料 → 数据) and Japanese forms (実験 → 实验) read
as simplified Chinese, through OpenCC's phrase conversion, except the words the mainland writes
alike (智慧 of 智慧社区, not OpenCC's 智能); katakana spellings folded.

OpenCC (Apache-2.0; its dictionaries ship in the package, nothing is downloaded) costs about 50 ms
to load, so it is loaded only for a text with Han characters outside simplified GB 2312: an
ordinary query or list never loads it.
"""
from __future__ import annotations

import functools

HANGUL = "hangul"
KANA = "kana"
HAN = "han"
LATIN = "latin"


def in_gb2312(text: str) -> bool:
    """Whether every character of `text` is in GB 2312 (simplified Chinese as most lists write it)."""
    return _encodable(text, "gb2312")


def in_big5(text: str) -> bool:
    """Whether every character of `text` is in Big5 (the traditional characters of Taiwan and Hong Kong)."""
    return _encodable(text, "big5")


def in_chinese_sets(ch: str) -> bool:
    """Whether a Han character is one Chinese writes: in GB 2312 or Big5, or a character of Hong
    Kong's written Cantonese in our Taiwan and Hong Kong words (哋, 嘅, 咗: outside Big5, and no
    Japanese form)."""
    return in_gb2312(ch) or in_big5(ch) or ch in _hong_kong_characters()


@functools.cache
def _hong_kong_characters() -> frozenset[str]:
    from .lexicon import TAIWAN_HONGKONG, read

    words = (read(TAIWAN_HONGKONG) or {}).get("words") or {}
    return frozenset(ch for word in words for ch in str(word) if is_han(ch) and not in_big5(ch) and not in_gb2312(ch))


def _encodable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or ch >= "\U00020000"


def kinds(text: str) -> set[str]:
    """The writing systems of a text's letters: han, latin, hangul, kana."""
    found = set()
    for ch in text:
        if is_han(ch):
            found.add(HAN)
        elif "\uac00" <= ch <= "\ud7af" or "\u1100" <= ch <= "\u11ff" or "\u3130" <= ch <= "\u318f":
            found.add(HANGUL)
        elif "\u3040" <= ch <= "\u30ff" or "\u31f0" <= ch <= "\u31ff":
            found.add(KANA)
        elif ch.isascii() and ch.isalpha():
            found.add(LATIN)
    return found


# Katakana spelling variants of one loanword (ブレイン and ブレーン, サーバー and サーバ, ヴィ and
# ビ, ウェ and ウエ): e-row kana followed by イ is the long vowel, ヴ is read as バ-row, small vowel kana
# as large ones, and long-vowel marks are dropped.
_E_ROW = "エケセテネヘメレゲゼデベペェ"
_V_ROW = {"ヴァ": "バ", "ヴィ": "ビ", "ヴェ": "ベ", "ヴォ": "ボ", "ヴ": "ブ"}
_SMALL_VOWELS = str.maketrans("ァィゥェォ", "アイウエオ")


def fold_katakana(text: str) -> str:
    """`text` with its katakana spelt one way for each loanword: ブレイン and ブレーン both ブレン,
    サーバー and サーバ both サバ, ソフトウェア and ソフトウエア alike. Applied alike to our word
    list and to a query, so it only decides which spellings meet."""
    if not any("\u30a1" <= ch <= "\u30fc" for ch in text):
        return text
    text = "".join("ー" if ch == "イ" and i and text[i - 1] in _E_ROW else ch for i, ch in enumerate(text))
    for variant, plain in _V_ROW.items():
        text = text.replace(variant, plain)
    return text.translate(_SMALL_VOWELS).replace("ー", "")


def is_chinese(text: str) -> bool:
    """Written in Chinese characters (maybe with Latin letters and digits), not Korean or Japanese."""
    found = kinds(text)
    return HAN in found and not found & {HANGUL, KANA}


def needs_converting(text: str) -> bool:
    """Whether the text has Han characters outside simplified GB 2312 (traditional, Japanese forms)."""
    try:
        text.encode("gb2312")  # the usual case, checked at once: every character is in GB 2312
    except UnicodeEncodeError:
        return any(is_han(ch) and not in_gb2312(ch) for ch in text)
    return False


@functools.cache
def _converter(config: str):  # noqa: ANN202 - OpenCC's object, imported lazily
    try:
        import opencc
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    try:
        return opencc.OpenCC(config)
    except Exception:  # noqa: BLE001 - a broken install: the text stays as it is
        return None


def simplified(text: str, chinese: bool = True) -> str:
    """Traditional characters and Taiwan/Hong Kong words as simplified Chinese, Japanese forms
    too, then the words of our Taiwan and Hong Kong list (data/taiwan_hongkong.yaml: 機台 → 设备)
    when the text is `chinese` and not Korean or Japanese (起業者 is 起業 and 者, not 業者); the
    text unchanged when it needs nothing or OpenCC is missing."""
    if not needs_converting(text):
        return text
    converted = _opencc(text)
    return _local_words(converted) if chinese and not kinds(text) & {HANGUL, KANA} else converted


def _opencc(text: str) -> str:
    japanese = _converter("jp2t")
    if japanese is not None:  # a Japanese form (実, 図) to its traditional one, then all to simplified
        text = "".join(_one(japanese, ch) if is_han(ch) and not in_gb2312(ch) else ch for ch in text)
    convert = _converter("tw2sp")
    if convert is None:
        return text
    kept = _kept()
    if kept is None or not kept.search(text):
        return convert.convert(text)
    # a word the mainland writes too (智慧 of 智慧社区) keeps its own reading: character by character
    characters = _converter("t2s") or convert
    pieces = kept.split(text)  # the kept words at odd positions
    return "".join((characters if i % 2 else convert).convert(piece) for i, piece in enumerate(pieces) if piece)


@functools.cache
def _kept():  # noqa: ANN202 - a compiled pattern, or None
    """The words of our Taiwan and Hong Kong list (`kept`) that OpenCC's Taiwan phrases would read
    as another mainland word (智慧 → 智能) where the mainland writes them as they are."""
    import re

    from .lexicon import TAIWAN_HONGKONG, read

    words = sorted({str(w) for w in (read(TAIWAN_HONGKONG) or {}).get("kept") or [] if w}, key=len, reverse=True)
    return re.compile("(" + "|".join(map(re.escape, words)) + ")") if words else None


def _local_words(text: str) -> str:
    """`text` (converted) with the words of our Taiwan and Hong Kong list, longest first."""
    table, longest = _taiwan_hongkong()
    if not table:
        return text
    out, i = [], 0
    while i < len(text):
        for end in range(min(len(text), i + longest), i, -1):
            word = table.get(text[i:end])
            if word:
                out.append(word)
                i = end
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


@functools.cache
def _taiwan_hongkong() -> tuple[dict[str, str], int]:
    """Our Taiwan and Hong Kong word (as OpenCC reads it) → the mainland term, and the longest
    word's length; read at the first text with traditional characters."""
    from .lexicon import TAIWAN_HONGKONG, read

    words = (read(TAIWAN_HONGKONG) or {}).get("words") or {}
    table = {_opencc(str(k)): str(v) for k, v in words.items() if k and v}
    return table, max(map(len, table), default=0)


def _one(converter, ch: str) -> str:  # noqa: ANN001
    out = converter.convert(ch)
    return out if len(out) == 1 else ch


def simplified_aligned(text: str) -> str:
    """`simplified`, one character out for each character in (for texts whose offsets must stay
    valid): phrases when they keep the length, else character by character."""
    if not needs_converting(text):
        return text
    converted = simplified(text)
    if len(converted) == len(text):
        return converted
    single = _converter("t2s")
    if single is None:
        return text
    return "".join(_one(single, ch) for ch in text)

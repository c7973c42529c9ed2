"""The search index as cache data (`dataset.cache.Entry`) and back, and the index of several lists
made from each list's own index.

An index is kept per list file; a library's index is its lists' indexes put end to end when it is
searched (`combine`): joining the blobs costs a few milliseconds, and a list added or edited is the
only one whose index is built. For the joined sound strings to mean one thing, every index codes
the syllables alike: `SHARED_CODES` fixes the codes of every toneless syllable pypinyin writes
(folded), in alphabetical order; a syllable outside it (none is known) gets the next free code in the
list where it occurs, and `combine` recodes the lists whose codes differ.
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

from ..dataset.stored import Entry, Malformed, decode, encode, joined, split, text_length

# `index` imports this module (to store, read and combine what it builds), so the index and blob
# classes are taken from the objects given (or passed in), never imported here.
SearchIndex = Blob = Any

# The folded toneless syllables of pypinyin's dictionary (see pinyin.fold), in order: their codes.
_SYLLABLES = """
a ai an ao ba bai ban bao bei ben bi bian biao bie bin bo bong bu ca cai can cao ce cei cen ci cong cou cu cua cuai
cuan cui cun cuo da dai dan dao de dei den di dia dian diao die din diu dong dou du duan dui dun duo e ei en er fa
fan fei fen fiao fo fou fu ga gai gan gao ge gei gen gong gou gu gua guai guan gui gun guo ha hai han hao he hei hen
hm hng hong hou hu hua huai huan hui hun huo ji jia jian jiao jie jin jiong jiu ju juan jue jun ka kai kan kao ke kei
ken kong kou ku kua kuai kuan kui kun kuo la lai lan lao le lei len li lia lian liao lie lin liu lo long lou lu luan
lun luo lv lve m ma mai man mao me mei men mi mian miao mie min miu mo mou mu n ng o ou pa pai pan pao pei pen pi pian
piao pie pin po pou pu qi qia qian qiao qie qin qiong qiu qu quan que qun ran rao re ren ri rong rou ru rua ruan rui
run ruo sa sai san sao se sei sen si song sou su sua suai suan sui sun suo ta tai tan tao te tei ten ti tian tiao tie
tin tong tou tu tuan tui tun tuo wa wai wan wei wen wo wong wu xi xia xian xiao xie xin xiong xiu xu xuan xue xun ya
yan yao ye yi yin yo yong you yu yuan yue yun za zai zan zao ze zei zen zi zong zou zu zua zuai zuan zui zun zuo
""".split()
CODE_BASE = 0xE000
SHARED_CODES = {syllable: chr(CODE_BASE + i) for i, syllable in enumerate(_SYLLABLES)}

_BLOB_TEXTS = ("text", "sound", "initials", "edges")
# Tables of texts (ids, readings, related words, the glossary...) are kept as columns of joined texts
# (`dataset.stored.joined`), which write and read back many times faster than JSON: a collection
# of texts as {COLLECTION: [type, column]}, a mapping as {MAPPING: [keys column, values column]}.
# (`encode` writes no key starting with NUL.)
COLLECTION = "\x00texts"
MAPPING = "\x00table"
_COLLECTIONS = {"tuple": tuple, "list": list, "frozenset": frozenset, "set": set}


def _count(value: Any) -> int:
    if type(value) is not int or value < 0:
        raise Malformed("count")
    return value


def index_entry(index: SearchIndex) -> Entry:
    """The index as an entry: each blob's strings as texts and its offsets as numbers, its tables
    of texts as joined texts, the rest as JSON (`dataset.stored.encode`), whatever fields the index has."""
    texts: list[str] = []
    numbers: list[list[int]] = []
    blobs = {}
    for name, blob in index.blobs.items():
        blobs[name] = [len(texts), len(numbers)]
        texts += [getattr(blob, part) for part in _BLOB_TEXTS]
        numbers.append(blob.starts)
    rest = {}
    for slot in type(index).__slots__:
        if slot != "blobs":
            value = getattr(index, slot)
            rest[slot] = _text_table(value, texts)
            if rest[slot] is None:
                rest[slot] = encode(value)
    return Entry({"blobs": blobs, "rest": rest}, texts, numbers)


def _text_table(value: Any, texts: list[str]) -> Any:
    """A collection of texts or a mapping of texts (or of tuples of texts) to the same as joined
    texts added to `texts`; None when `value` is not one."""
    kind = next((name for name, cls in _COLLECTIONS.items() if type(value) is cls), None)
    if kind is not None:  # a set in order: the same bytes however it was made (built or joined)
        items = list(value)
        if kind in ("frozenset", "set") and set(map(type, items)) <= {str}:
            items.sort()
        column = _column(items, texts)
        return {COLLECTION: [kind, column]} if column is not None and column[0] == "text" else None
    if type(value) is dict:
        keys = _column(list(value), texts)
        values = _column(list(value.values()), texts) if keys is not None else None
        return {MAPPING: [keys, values]} if values is not None else None
    return None


def _column(values: list[Any], texts: list[str]) -> list[Any] | None:
    """Texts as ["text", column, count]; tuples or lists of texts as [type, column of them all,
    count, length of each]; None for anything else."""
    kinds = set(map(type, values))
    if kinds <= {str}:
        return ["text", joined(values, texts), len(values)]
    for kind in ("tuple", "list"):
        if kinds == {_COLLECTIONS[kind]}:
            flat = [t for v in values for t in v]
            if set(map(type, flat)) <= {str}:
                return [kind, joined(flat, texts), len(flat), [len(v) for v in values]]
    return None


def index_of(entry: Entry, index_type: type, blob_type: type) -> SearchIndex:
    """The index (of `index_type`, its blobs of `blob_type`) that `index_entry` wrote, its blobs
    checked to line up; or `Malformed`."""
    try:
        return _index_of(entry, index_type, blob_type)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        raise Malformed(str(exc)) from None


def _index_of(entry: Entry, index_type: type, blob_type: type) -> SearchIndex:
    data = entry.data
    index = object.__new__(index_type)
    rest = data["rest"]
    if set(rest) != set(index_type.__slots__) - {"blobs"}:
        raise Malformed("fields")
    index.ids = _value(rest["ids"], entry.texts)
    if not isinstance(index.ids, tuple) or not set(map(type, index.ids)) <= {str}:
        raise Malformed("ids")
    blobs = {}
    for name, (first, number) in data["blobs"].items():
        text, sound, initials, edges = (text_length(entry.texts, _count(first) + i) for i in range(len(_BLOB_TEXTS)))
        starts = list(entry.numbers[number])
        lined_up = sound == initials == text == edges - 1 and len(starts) == len(index.ids) + 1
        if not lined_up or starts[0] != 0 or starts[-1] != text or starts != sorted(starts):
            raise Malformed(f"blob {name}")
        blob = object.__new__(blob_type)
        blob.starts = starts
        blob._later = _Part(entry.texts, first)
        blobs[name] = blob
    index.blobs = blobs
    index._later = partial(_table, rest, entry.texts)  # the other fields: decoded when first used
    return index


def _value(value: Any, texts: Sequence[str]) -> Any:
    if type(value) is dict and list(value) == [COLLECTION]:
        kind, column = value[COLLECTION]
        return _COLLECTIONS[kind](_column_of(column, texts, ("text",)))
    if type(value) is dict and list(value) == [MAPPING]:
        keys, values = value[MAPPING]
        keys, values = _column_of(keys, texts), _column_of(values, texts)
        if len(keys) != len(values):
            raise Malformed("table")
        return dict(zip(keys, values))
    return decode(value)


def _column_of(column: Any, texts: Sequence[str], kinds: tuple[str, ...] = ("text", "tuple", "list")) -> list[Any]:
    """The values of a column that `_column` wrote, or `Malformed`."""
    if type(column) is not list or not column or column[0] not in kinds:
        raise Malformed("column")
    if column[0] == "text":
        _, joined_texts, count = column
        return split(joined_texts, texts, _count(count))
    kind, joined_texts, count, lengths = column
    flat = split(joined_texts, texts, _count(count))
    if type(lengths) is not list or sum(map(_count, lengths)) != len(flat):
        raise Malformed("rows")
    make, out, at = _COLLECTIONS[kind], [], 0
    for length in lengths:
        out.append(make(flat[at : at + length]))
        at += length
    return out


def _table(rest: dict[str, Any], texts: Sequence[str], name: str) -> Any:
    """Field `name` of an index read from the cache. Its entry's checksum was checked when it was
    opened; a value of another layout (an entry made to look like ours) is a one-line error."""
    try:
        return _value(rest[name], texts)
    except (Malformed, KeyError, TypeError, ValueError, IndexError, AttributeError):
        from ..errors import DataError

        raise DataError(["搜索索引的缓存内容无法读取，请删除缓存目录后再运行一次"]) from None


class _Part:
    """The texts of a blob in its entry, from `first`: each read when first used (`blob.ReadLater`),
    or looked into before it is (`holding`)."""

    __slots__ = ("texts", "first")

    def __init__(self, texts: Sequence[str], first: int) -> None:
        self.texts, self.first = texts, first

    def __call__(self, name: str) -> str:
        return self.texts[self.first + _BLOB_TEXTS.index(name)]

    def holding(self, name: str, spans: dict[int, tuple[int, int]], needles: Sequence[str]) -> set[int] | None:
        """`LazyTexts.holding` of text `name`, for an entry whose texts are read when used; else None."""
        holding = getattr(self.texts, "holding", None)
        return None if holding is None else holding(self.first + _BLOB_TEXTS.index(name), spans, needles)


def combine(parts: Sequence[tuple[SearchIndex, Sequence[int] | None]]) -> SearchIndex:
    """One index of several lists' indexes, in order; of each, the policies at the positions given
    (all of them for None), as a library keeps them. Tables are merged: where two lists give a sound
    a different word (`spoken`), the first list's is kept; the related words and English phrases
    are made from the terms of all of them (`word_tables`)."""
    if len(parts) == 1 and parts[0][1] is None and not _read(parts[0][0], "to_join"):
        return parts[0][0]
    codes: dict[str, str] = {}  # syllable -> code, one code per syllable
    owner: dict[str, str] = {}  # code -> syllable
    for index, _ in parts:
        for syllable, code in _read(index, "codes").items():
            if syllable in codes:
                continue
            if code in owner:  # a code another list gave another syllable: the next free one
                code = chr(max(map(ord, owner)) + 1)
            codes[syllable], owner[code] = code, syllable
    picked = [(_recoded(index, codes), _runs(keep, index.size)) for index, keep in parts]
    return _joined(picked, codes)


def _read(holder: Any, name: str) -> Any:
    """Field `name` of an index or a blob; one read from its entry and not read yet is read
    without being kept on it: joining a library's lists needs each list's tables once, and all of
    them kept at once would cost more than the library's own (see `blob.ReadLater`)."""
    try:
        return object.__getattribute__(holder, name)
    except AttributeError:
        later = getattr(holder, "_later", None)
        return later(name) if later is not None else getattr(holder, name)


def _runs(keep: Sequence[int] | None, size: int) -> list[tuple[int, int]]:
    """The positions kept as runs [start, end) of consecutive policies."""
    if keep is None:
        return [(0, size)] if size else []
    runs: list[tuple[int, int]] = []
    for position in keep:
        if runs and runs[-1][1] == position:
            runs[-1] = (runs[-1][0], position + 1)
        else:
            runs.append((position, position + 1))
    return runs


def _recoded(index: SearchIndex, codes: dict[str, str]) -> SearchIndex:
    """`index` with its sound codes those of `codes` (itself when they already are)."""
    table = {ord(code): codes[syllable] for syllable, code in _read(index, "codes").items() if codes[syllable] != code}
    if not table:
        return index
    recoded = object.__new__(type(index))
    for slot in type(index).__slots__:
        setattr(recoded, slot, getattr(index, slot))
    recoded.blobs = {name: type(b)(b.text, b.sound.translate(table), b.initials, b.starts, b.edges)
                     for name, b in index.blobs.items()}
    recoded.readings = {ch: "".join(sorted(c.translate(table))) for ch, c in index.readings.items()}
    recoded.spoken = {sound.translate(table): word for sound, word in index.spoken.items()}
    return recoded


def _joined(parts: list[tuple[SearchIndex, list[tuple[int, int]]]], codes: dict[str, str]) -> SearchIndex:
    out = object.__new__(type(parts[0][0]))
    ids: list[str] = []
    per_policy: dict[str, list[Any]] = {"latin": [], "english": []}
    offsets: list[int] = []  # the first position of each part's kept policies in the whole
    for index, runs in parts:
        offsets.append(len(ids))
        mine = {slot: _read(index, slot) for slot in per_policy}
        for start, end in runs:
            ids += index.ids[start:end]
            for slot in per_policy:
                per_policy[slot] += mine[slot][start:end]
    out.ids = tuple(ids)
    out.latin = tuple(per_policy["latin"])
    out.english = tuple(per_policy["english"])
    out.blobs = {name: _joined_blob([(index.blobs[name], runs) for index, runs in parts]) for name in parts[0][0].blobs}
    out.codes = codes
    readings: dict[str, set[str]] = {}
    for index, _ in parts:
        for ch, found in _read(index, "readings").items():
            readings.setdefault(ch, set()).update(found)
    out.readings = {ch: "".join(sorted(found)) for ch, found in readings.items()}
    out.syllables = frozenset().union(*(_read(index, "syllables") for index, _ in parts))
    out.vocabulary = frozenset().union(*(_read(index, "vocabulary") for index, _ in parts))
    out.spoken = {}
    for index, _ in parts:
        for sound, word in _read(index, "spoken").items():
            out.spoken.setdefault(sound, word)
    out.terms = frozenset().union(*(_read(index, "terms") for index, _ in parts))
    out.set_word_tables(*word_tables(out.terms))
    out.to_join = False
    out.en_postings = {}
    for (index, runs), first in zip(parts, offsets, strict=True):
        moved = _moved(runs, first)
        for stem, weights in _read(index, "en_postings").items():
            target = out.en_postings.setdefault(stem, {})
            for policy, weight in weights.items():
                if policy in moved:
                    target[moved[policy]] = weight
    return out


def word_tables(terms: frozenset[str]) -> tuple[dict[str, tuple[str, ...]], dict[tuple[str, ...], tuple[str, ...]]]:
    """The related words and English phrases of an index whose texts hold `terms` (of our word
    lists), as a list holding them all is given them when it is built (`building`): a library's
    are made from the terms of all its lists, not joined from theirs."""
    from . import english, lexicon
    from .blob import fold_text

    return lexicon.related_words(terms, fold_text), english.phrases(lexicon.glossary(terms, fold_text))


def _moved(runs: list[tuple[int, int]], first: int) -> dict[int, int]:
    """Position in the part -> position in the whole, for the kept policies."""
    moved = {}
    for start, end in runs:
        for position in range(start, end):
            moved[position] = first + len(moved)
    return moved


def _joined_blob(parts: list[tuple[Blob, list[tuple[int, int]]]]) -> Blob:
    texts: dict[str, list[str]] = {part: [] for part in _BLOB_TEXTS}
    starts = [0]
    for blob, runs in parts:
        mine = {part: _read(blob, part) for part in _BLOB_TEXTS} if runs else {}
        for start, end in runs:
            a, b = blob.starts[start], blob.starts[end]
            for part in _BLOB_TEXTS:
                texts[part].append(mine[part][a:b])
            starts += [starts[-1] + s - a for s in blob.starts[start + 1 : end + 1]]
    edges = "".join(texts["edges"]) + (_read(parts[0][0], "edges")[-1:] if parts else "")
    return type(parts[0][0])("".join(texts["text"]), "".join(texts["sound"]), "".join(texts["initials"]), starts, edges)

"""A catalog as cache data (an `Entry`, as `cache` keeps it), and back: JSON and UTF-8 text only,
so an entry, whoever wrote it, can only ever hold data. Reading one checks every value's type on the way: an
entry that does not have the layout written here is refused (`Malformed`), and rebuilt.

`encode` / `decode` keep what JSON alone would change: tuples, sets, dates, mappings with keys
other than text (a YAML mapping may have number keys). Each such value is a one-key object whose
key starts with NUL, which no mapping of ours has (one that does is written as pairs)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from datetime import date
from typing import Any

from .model import Catalog, ListInfo, Office, Part, Policy

TAG = "\x00"


class Malformed(ValueError):
    """Cache data without the layout written by this module."""


class Entry:
    """What a cache entry holds: `data` (JSON: see `encode` for the types it keeps), long `texts`
    and lists of `numbers` (64-bit integers), each kept in its own section so that it loads in one
    step (see `cache`)."""

    __slots__ = ("data", "texts", "numbers")

    def __init__(self, data: Any, texts: Sequence[str] = (), numbers: Sequence[Sequence[int]] = ()) -> None:
        self.data = data
        self.texts = list(texts)
        self.numbers = [list(n) for n in numbers]


def encode(value: Any) -> Any:
    """`value` (None, bool, int, float, str, date, and tuples, lists, sets and dicts of them) as JSON."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, tuple):
        return {TAG + "tuple": [encode(v) for v in value]}
    if isinstance(value, (set, frozenset)):
        return {TAG + ("frozenset" if isinstance(value, frozenset) else "set"): [encode(v) for v in value]}
    if isinstance(value, date):
        return {TAG + ("datetime" if type(value) is not date else "date"): value.isoformat()}
    if type(value) in _MODELS.values():
        return {TAG + type(value).__name__: {f.name: encode(getattr(value, f.name)) for f in fields(value)}}
    if isinstance(value, dict):
        if all(type(k) is str and not k.startswith(TAG) for k in value):
            return {k: encode(v) for k, v in value.items()}
        return {TAG + "pairs": [[encode(k), encode(v)] for k, v in value.items()]}
    raise TypeError(f"not plain data: {type(value).__name__}")


def decode(data: Any) -> Any:
    if data is None or isinstance(data, (bool, int, float, str)):
        return data
    if isinstance(data, list):
        return [decode(v) for v in data]
    if not isinstance(data, dict):
        raise Malformed(type(data).__name__)
    if len(data) == 1:
        (key, inner), = data.items()
        if key.startswith(TAG):
            return _model(_MODELS[key[1:]], inner) if key[1:] in _MODELS else _TAGS[key[1:]](inner)
    return {k: decode(v) for k, v in data.items()}


# The model's small value objects that a catalog's fields may hold, rebuilt field by field.
_MODELS = {cls.__name__: cls for cls in (ListInfo, Office, Part)}


def _model(cls: type, inner: Any) -> Any:
    if not isinstance(inner, dict) or set(inner) != {f.name for f in fields(cls)}:
        raise Malformed(cls.__name__)
    return cls(**{name: decode(value) for name, value in inner.items()})


def _pairs(inner: Any) -> dict[Any, Any]:
    return {decode(k): decode(v) for k, v in _list(inner)}


def _date(inner: Any) -> date:
    from datetime import datetime

    if not isinstance(inner, str):
        raise Malformed("date")
    return date.fromisoformat(inner) if len(inner) == 10 else datetime.fromisoformat(inner)


def _list(inner: Any) -> list[Any]:
    if not isinstance(inner, list):
        raise Malformed("list")
    return inner


_TAGS = {
    "tuple": lambda inner: tuple(decode(v) for v in _list(inner)),
    "set": lambda inner: {decode(v) for v in _list(inner)},
    "frozenset": lambda inner: frozenset(decode(v) for v in _list(inner)),
    "date": _date,
    "datetime": _date,
    "pairs": _pairs,
}


# --- the catalog ------------------------------------------------------------------------------------

_TOP = ("title", "region", "year", "batch", "area_code", "source", "path", "digest")
_OWN = {"parts", "offices", "policies", "warnings", "todo", "members"}  # members: never kept (see `cache`)
_POLICY = [f.name for f in fields(Policy)]
_TEXT = ("id", "title")  # columns of text; content is kept as one long text
_NUMBER = ("part", "number", "line")
_TEXTS = ("lead_units", "keywords", "notes")  # columns of tuples of text, kept flat with their lengths
_BLOCKS = ("award", "conditions")  # kept once each, numbered
_POLICY_OWN = {*_TEXT, *_NUMBER, *_TEXTS, *_BLOCKS, "content", "section", "offices"}
_STR, _INT, _STR_OR_NONE = {str}, {int}, {str, type(None)}


def catalog_entry(catalog: Catalog) -> Entry:
    """The catalog as a cache entry, its policies by column. Offices are numbered (a policy names its
    offices by number, so they stay the catalog's own objects); equal award and condition blocks are
    written once; the policy texts are one long text."""
    office_number = {id(o): i for i, o in enumerate(catalog.offices)}
    blocks: dict[str, int] = {}
    table: list[Any] = []
    tagged: list[int] = []  # the blocks that JSON alone does not give back as they were

    def block(value: Any) -> int:
        if value is None:
            return -1
        key = repr(value)  # tells 1 from True and "1", a date from its text: equal only when the same
        if key not in blocks:
            blocks[key] = len(table)
            encoded = encode(value)
            if encoded != value:  # holds a tuple, a date, a key that is not text: decoded when read
                tagged.append(len(table))
            table.append(encoded)
        return blocks[key]

    ps = catalog.policies
    texts = ["".join(p.content for p in ps)]
    columns: dict[str, Any] = {name: [getattr(p, name) for p in ps] for name in (*_NUMBER, "section")}
    for name in _TEXT:
        columns[name] = joined([getattr(p, name) for p in ps], texts)
    for name in _TEXTS:
        columns[name] = _flat([getattr(p, name) for p in ps], texts)
    columns["offices"] = _flat([[office_number[id(o)] for o in p.offices] for p in ps])
    for name in _BLOCKS:
        columns[name] = [block(getattr(p, name)) for p in ps]
    columns["more"] = {name: _more([getattr(p, name) for p in ps], texts) for name in _POLICY if name not in _POLICY_OWN}
    data = {
        **{name: getattr(catalog, name) for name in _TOP},
        "parts": [[p.number, p.name, list(p.sections)] for p in catalog.parts],
        "offices": [encode(o) for o in catalog.offices],
        "blocks": table,
        "tagged": tagged,
        "policies": columns,
        "warnings": list(catalog.warnings),
        "todo": list(catalog.todo),
        "more": {f.name: encode(getattr(catalog, f.name)) for f in fields(Catalog)  # fields added later
                 if f.name not in _OWN and f.name not in _TOP},
    }
    return Entry(data, texts, [[len(p.content) for p in ps]])


def _more(values: list[Any], texts: list[str]) -> list[Any]:
    """A column of a field added to `Policy` later: [kind, column]; texts and tuples of texts
    (the usual kinds) by column, anything else value by value."""
    if all(type(v) is str for v in values):
        return ["text", joined(values, texts)]
    if all(type(v) is tuple and all(type(t) is str for t in v) for v in values):
        return ["texts", _flat(values, texts)]
    return ["any", [encode(v) for v in values]]


def _more_of(column: Any, texts: list[str], count: int) -> list[Any]:
    kind, values = column
    if kind == "text":
        return split(values, texts, count)
    if kind == "texts":
        return _unflat(values, _STR, count, tuple, texts)
    if kind == "any":
        return [decode(v) for v in _column(values, None, count)]
    raise Malformed("column kind")


def _flat(rows: list[Any], texts: list[str] | None = None) -> list[Any]:
    """Rows of items as [all items, the length of each row]; items of text as one text of `texts`."""
    items = [item for row in rows for item in row]
    return [joined(items, texts) if texts is not None else items, [len(row) for row in rows]]


SEP = "\x1f"  # joins a column of texts into one (a column with a text holding it stays a JSON list)


def joined(values: list[str], texts: list[str]) -> int | list[str]:
    """A column of texts as the number of one text added to `texts` (reading it back is a split),
    or as it is when a value holds the separator."""
    if any(SEP in value for value in values):
        return values
    texts.append(SEP.join(values))
    return len(texts) - 1


def split(column: Any, texts: list[str], count: int) -> list[str]:
    """The column `joined` wrote: `count` texts, or `Malformed`."""
    if type(column) is not int:
        return _column(column, _STR, count)
    values = texts[column].split(SEP) if count else []
    if len(values) != count:
        raise Malformed("column")
    return values


def catalog_of(entry: Entry) -> Catalog:
    """The catalog that `catalog_entry` wrote, every value's type checked; or `Malformed`."""
    try:
        return _catalog_of(entry)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        raise Malformed(str(exc)) from None


def _catalog_of(entry: Entry) -> Catalog:
    data = entry.data
    top = {name: data[name] for name in _TOP}
    if not all(type(top[name]) is str for name in _TOP if name != "year") or type(top["year"]) is not int:
        raise Malformed("metadata")
    parts = tuple(Part(_int(n), _str(name), _strs(sections)) for n, name, sections in data["parts"])
    offices = tuple(_office(decode(o)) for o in _list(data["offices"]))
    blocks = _list(data["blocks"])
    for number in _column(data["tagged"], _INT, len(data["tagged"])):
        blocks[number] = decode(blocks[number])
    columns = data["policies"]
    texts = entry.texts
    count = len(_list(columns["number"]))
    out: dict[str, list[Any]] = {}
    for name in _TEXT:
        out[name] = split(columns[name], texts, count)
    for names, kinds in ((_NUMBER, _INT), (("section",), _STR_OR_NONE)):
        for name in names:
            out[name] = _column(columns[name], kinds, count)
    for name in _TEXTS:
        out[name] = _unflat(columns[name], _STR, count, tuple, texts)
    out["offices"] = _unflat(columns["offices"], _INT, count, lambda row: tuple(map(offices.__getitem__, row)))
    for name in _BLOCKS:
        out[name] = [None if i < 0 else blocks[i] for i in _column(columns[name], _INT, count)]
    out["content"] = _cut(entry.texts[0], entry.numbers[0], count)
    for name in _POLICY:
        if name not in _POLICY_OWN:
            out[name] = _more_of(columns["more"][name], texts, count)
    new = object.__new__
    policies = []
    for row in zip(*(out[name] for name in _POLICY)):
        policy = new(Policy)
        policy.__dict__.update(zip(_POLICY, row))  # every field, each checked (frozen: no __setattr__)
        policies.append(policy)
    more = {name: decode(value) for name, value in data["more"].items()}
    if set(more) != {f.name for f in fields(Catalog)} - _OWN - set(_TOP):
        raise Malformed("fields")
    return Catalog(**top, **more, parts=parts, offices=offices, policies=tuple(policies),
                   warnings=_strs(data["warnings"]), todo=_strs(data["todo"]))


def _column(values: Any, kinds: set[type] | None, count: int) -> list[Any]:
    if not isinstance(values, list) or len(values) != count or kinds is not None and not set(map(type, values)) <= kinds:
        raise Malformed("column")
    return values


def _unflat(flat: Any, kinds: set[type], count: int, make: Any, texts: list[str] | None = None) -> list[Any]:
    items, lengths = flat
    _column(lengths, _INT, count)
    if min(lengths, default=0) < 0:
        raise Malformed("rows")
    items = split(items, texts, sum(lengths)) if texts is not None else _column(items, kinds, sum(lengths))
    if kinds is _INT and min(items, default=0) < 0:
        raise Malformed("numbers")
    if not items:  # every row empty (notes, most often)
        return [make(items)] * count
    return [make(items[a:b]) for a, b in _spans(lengths)]


def _spans(lengths: list[int]) -> zip:
    """(start, end) of consecutive pieces of these lengths."""
    from itertools import accumulate

    ends = list(accumulate(lengths))
    return zip([0, *ends[:-1]], ends)


def _cut(text: str, lengths: list[int], count: int) -> list[str]:
    if len(lengths) != count or sum(lengths) != len(text) or min(lengths, default=0) < 0:
        raise Malformed("texts")
    return [text[a:b] for a, b in _spans(lengths)]


def _office(office: Any) -> Office:
    if type(office) is not Office or not {type(office.note)} <= _STR_OR_NONE:
        raise Malformed("office")
    for text in (office.name, office.contact, office.phone):
        _str(text)
    return office


def _str(value: Any) -> str:
    if type(value) is not str:
        raise Malformed("text")
    return value


def _int(value: Any) -> int:
    if type(value) is not int:
        raise Malformed("number")
    return value


def _strs(values: Any) -> tuple[str, ...]:
    if not isinstance(values, list) or not set(map(type, values)) <= _STR:
        raise Malformed("texts")
    return tuple(values)

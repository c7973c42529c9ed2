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
_PLAIN = frozenset({type(None), bool, int, float, str})


class Malformed(ValueError):
    """Cache data without the layout written by this module."""


class Entry:
    """What a cache entry holds: `data` (JSON: see `encode` for the types it keeps), long `texts`
    and lists of `numbers` (64-bit integers), each kept in its own section so that it loads in one
    step (see `cache`)."""

    __slots__ = ("data", "texts", "numbers")

    def __init__(self, data: Any, texts: Sequence[str] = (), numbers: Sequence[Sequence[int]] = ()) -> None:
        self.data = data
        self.texts = texts if hasattr(texts, "length") else list(texts)  # `cache.LazyTexts` stays lazy
        self.numbers = [n if hasattr(n, "typecode") else list(n) for n in numbers]  # arrays as read


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
    kind = type(data)  # as JSON makes them: no subclasses
    if kind in _PLAIN:
        return data
    if kind is list:
        return [decode(v) for v in data]
    if kind is not dict:
        raise Malformed(kind.__name__)
    if len(data) == 1:
        (key, inner), = data.items()
        if key.startswith(TAG):
            return _model(_MODELS[key[1:]], inner) if key[1:] in _MODELS else _TAGS[key[1:]](inner)
    return {k: decode(v) for k, v in data.items()}


# The model's small value objects that a catalog's fields may hold, rebuilt field by field.
_MODELS = {cls.__name__: cls for cls in (ListInfo, Office, Part)}
_FIELD_NAMES = {cls: {f.name for f in fields(cls)} for cls in _MODELS.values()}  # a library's 200 lists: looked up once


def _model(cls: type, inner: Any) -> Any:
    if not isinstance(inner, dict) or inner.keys() != _FIELD_NAMES[cls]:
        raise Malformed(cls.__name__)
    return cls(**{name: value if type(value) in _PLAIN else decode(value) for name, value in inner.items()})


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


def _tuple(inner: Any) -> tuple[Any, ...]:
    values = _list(inner)
    if all(type(v) is str for v in values):  # most are: a list's sections, an office's lists
        return tuple(values)
    return tuple([decode(v) for v in values])


_TAGS = {
    "tuple": _tuple,
    "set": lambda inner: {decode(v) for v in _list(inner)},
    "frozenset": lambda inner: frozenset(decode(v) for v in _list(inner)),
    "date": _date,
    "datetime": _date,
    "pairs": _pairs,
}


# --- the catalog ------------------------------------------------------------------------------------

_TOP = ("title", "region", "year", "batch", "area_code", "source", "path", "digest")
_OWN = {"parts", "offices", "policies", "warnings", "todo", "lists", "members", "read_again"}  # members: never kept
_LIST_FIELDS = tuple(f.name for f in fields(ListInfo))  # a library's lists, each kept as a row of them
_POLICY = [f.name for f in fields(Policy)]
_TEXT = ("id", "title")  # columns of text, each kept as one long text and the lengths
_NUMBER = ("part", "number", "line")  # columns of integers, kept as numbers
_TEXTS = ("lead_units", "keywords", "notes")  # columns of tuples of text, kept flat with their lengths
_BLOCKS = ("award", "conditions")  # kept once each, numbered
_POLICY_OWN = {*_TEXT, *_NUMBER, *_TEXTS, *_BLOCKS, "content", "section", "offices"}
_STR, _INT, _STR_OR_NONE = {str}, {int}, {str, type(None)}


def catalog_entry(catalog: Catalog) -> Entry:
    """The catalog as a cache entry, its policies by column: integers and the lengths of rows as
    numbers, texts as long texts, so that reading it back makes no object per policy (see `rows`).
    Offices are numbered (a policy names its offices by number, so they stay the catalog's own
    objects); sections and equal award and condition blocks are written once."""
    write = _Writer()
    columns = _policy_columns(catalog, write)
    data = {
        **{name: getattr(catalog, name) for name in _TOP},
        "count": len(catalog.policies),
        "parts": _part_rows(catalog.parts),
        "lists": [[_part_rows(info.parts) if name == "parts" else getattr(info, name) for name in _LIST_FIELDS]
                  for info in catalog.lists],
        "offices": [encode(o) for o in catalog.offices],
        "blocks": write.blocks,
        "tagged": write.tagged,
        "policies": columns,
        "warnings": list(catalog.warnings),
        "todo": list(catalog.todo),
        "more": {f.name: encode(getattr(catalog, f.name)) for f in fields(Catalog)  # fields added later
                 if f.name not in _OWN and f.name not in _TOP},
    }
    return Entry(data, write.texts, write.numbers)


def _policy_columns(catalog: Catalog, write: _Writer) -> dict[str, Any]:
    """The policies' fields, column by column, as `catalog_of` reads them."""
    from .rows import field_of

    ps = catalog.policies
    office_number = {id(o): i for i, o in enumerate(catalog.offices)}
    sections = field_of(ps, "section")
    named = {name: number for number, name in enumerate(dict.fromkeys(s for s in sections if s is not None))}
    columns: dict[str, Any] = {"section": [list(named), write.number_column([named.get(s, -1) for s in sections])]}
    for name in _NUMBER:
        columns[name] = write.number_column(field_of(ps, name))
    for name in (*_TEXT, "content"):
        columns[name] = write.text_column(field_of(ps, name))
    for name in _TEXTS:
        columns[name] = write.flat(field_of(ps, name), True)
    columns["offices"] = write.flat([[office_number[id(o)] for o in offices] for offices in field_of(ps, "offices")], False)
    for name in _BLOCKS:
        columns[name] = write.number_column(list(map(write.block, field_of(ps, name))))
    columns["more"] = {name: _more(field_of(ps, name), write.text_column, write.flat)
                       for name in _POLICY if name not in _POLICY_OWN}
    return columns


class _Writer:
    """The texts, numbers and blocks of an entry being written; each column added gives what
    `data` holds to find it again."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.numbers: list[list[int]] = []
        self.blocks: list[Any] = []  # each distinct award or condition block, encoded
        self.tagged: list[int] = []  # the blocks that JSON alone does not give back as they were
        self._known: dict[str, int] = {}

    def number_column(self, values: list[int]) -> int:
        self.numbers.append(values)
        return len(self.numbers) - 1

    def text_column(self, values: list[str]) -> list[int]:
        self.texts.append("".join(values))
        return [len(self.texts) - 1, self.number_column(_starts(map(len, values)))]

    def flat(self, rows: list[Any], text: bool) -> list[Any]:
        """Rows of items as [all items, the number of the column of each row's start]."""
        items = [item for row in rows for item in row]
        return [self.text_column(items) if text else self.number_column(items), self.number_column(_starts(map(len, rows)))]

    def block(self, value: Any) -> int:
        """The number of a block (-1 for none), written when first met."""
        if value is None:
            return -1
        key = repr(value)  # tells 1 from True and "1", a date from its text: equal only when the same
        number = self._known.get(key)
        if number is None:
            number = self._known[key] = len(self.blocks)
            encoded = encode(value)
            if encoded != value:  # holds a tuple, a date, a key that is not text: decoded when read
                self.tagged.append(number)
            self.blocks.append(encoded)
        return number


def _starts(lengths: Any) -> list[int]:
    """Where each of consecutive pieces of these lengths starts, then where the last ends."""
    from itertools import accumulate

    return [0, *accumulate(lengths)]


def _more(values: list[Any], text_column: Any, flat: Any) -> list[Any]:
    """A column of a field added to `Policy` later: [kind, column]; texts and tuples of texts
    (the usual kinds) by column, anything else value by value."""
    if all(type(v) is str for v in values):
        return ["text", text_column(values)]
    if all(type(v) is tuple and all(type(t) is str for t in v) for v in values):
        return ["texts", flat(values, True)]
    return ["any", [encode(v) for v in values]]


SEP = "\x1f"  # joins a column of texts into one (a column with a text holding it stays a JSON list)


def joined(values: list[str], texts: list[str]) -> int | list[str]:
    """A column of texts as the number of one text added to `texts` (reading it back is a split),
    or as it is when a value holds the separator."""
    text = SEP.join(values)
    if text.count(SEP) != max(len(values) - 1, 0):  # a value holds the separator
        return values
    texts.append(text)
    return len(texts) - 1


def split(column: Any, texts: Sequence[str], count: int) -> list[str]:
    """The column `joined` wrote: `count` texts, or `Malformed`."""
    if type(column) is not int:
        return _column(column, _STR, count)
    values = texts[column].split(SEP) if count else []
    if len(values) != count:
        raise Malformed("column")
    return values


def text_length(texts: Sequence[str], number: int) -> int:
    """The length of text `number` of an entry's texts, without reading a text not read yet."""
    return texts.length(number) if hasattr(texts, "length") else len(_str(texts[number]))


def catalog_of(entry: Entry) -> Catalog:
    """The catalog that `catalog_entry` wrote, every column's type and length checked (its policies
    are made when first used: `rows.PolicyRows`); or `Malformed`."""
    try:
        return _catalog_of(entry)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        raise Malformed(str(exc)) from None


def _catalog_of(entry: Entry) -> Catalog:
    from .rows import PolicyRows

    data = entry.data
    top = {name: data[name] for name in _TOP}
    if not all(type(top[name]) is str for name in _TOP if name != "year") or type(top["year"]) is not int:
        raise Malformed("metadata")
    parts = _parts(data["parts"])
    offices = tuple(_office(decode(o)) for o in _list(data["offices"]))
    blocks = _list(data["blocks"])
    for number in _column(data["tagged"], _INT, len(data["tagged"])):
        blocks[number] = decode(blocks[number])
    columns = data["policies"]
    count = _count(data["count"])
    read = _Columns(entry, count)
    out: dict[str, tuple[Any, Any]] = {}  # field -> (its value at a position, all its values)
    for name in (*_TEXT, "content"):
        out[name] = read.cut(columns[name])
    names, numbers = _list(columns["section"])  # each policy's section by number (-1: none)
    names = _column(names, _STR, len(names))
    out["section"] = read.pick(read.numbers(numbers, within=len(names), low=-1), names)
    for name in _NUMBER:
        out[name] = _listed(read.numbers(columns[name]))
    for name in _TEXTS:
        out[name] = read.rows(columns[name], True)
    out["offices"] = read.rows(columns["offices"], False, offices)
    for name in _BLOCKS:
        out[name] = read.pick(read.numbers(columns[name], within=len(blocks), low=-1), blocks)
    for name in _POLICY:
        if name not in _POLICY_OWN:
            out[name] = read.more(columns["more"][name])
    more = {name: decode(value) for name, value in data["more"].items()}
    if set(more) != {f.name for f in fields(Catalog)} - _OWN - set(_TOP):
        raise Malformed("fields")
    policies = PolicyRows({name: out[name][0] for name in _POLICY}, read.texts(columns["id"]),
                          {name: out[name][1] for name in _POLICY})
    return Catalog(**top, **more, parts=parts, offices=offices, policies=policies, lists=_lists(data["lists"]),
                   warnings=_strs(data["warnings"]), todo=_strs(data["todo"]))


def _part_rows(parts: Sequence[Part]) -> list[list[Any]]:
    return [[p.number, p.name, list(p.sections)] for p in parts]


def _parts(rows: Any) -> tuple[Part, ...]:
    return tuple(Part(_int(n), _str(name), _strs(sections)) for n, name, sections in _list(rows))


def _lists(rows: Any) -> tuple[ListInfo, ...]:
    """The lists of a library, each a row of its fields (its parts as `_parts`): a library's
    two hundred decoded field by field took 3 ms of every search."""
    out = []
    for row in _list(rows):
        if type(row) is not list or len(row) != len(_LIST_FIELDS):
            raise Malformed("lists")
        values = dict(zip(_LIST_FIELDS, row))
        for name, value in values.items():
            if name == "parts":
                values[name] = _parts(value)
            elif type(value) not in _LIST_KINDS[name]:
                raise Malformed("lists")
        info = object.__new__(ListInfo)  # frozen, its fields checked: set as `PolicyRows` makes a policy
        info.__dict__.update(values)
        out.append(info)
    return tuple(out)


_LIST_KINDS = {name: ({int, type(None)} if name in ("year", "count") else {str, type(None)}) for name in _LIST_FIELDS}


def _listed(values: Sequence[Any]) -> tuple[Any, Any]:
    return values.__getitem__, lambda: list(values)


def _pieces(text: str, starts: Sequence[int]) -> list[str]:
    return [text[a:b] for a, b in zip(starts, starts[1:])]


def _rows(items: Sequence[Any], starts: Sequence[int]) -> list[tuple[Any, ...]]:
    return [tuple(items[a:b]) for a, b in zip(starts, starts[1:])]


class _Columns:
    """The columns of an entry's policies as functions of a policy's position, each checked whole
    when read (type, length, range), so that making a policy later cannot fail; each with a function
    giving all its values at once (`rows.PolicyRows.column`)."""

    def __init__(self, entry: Entry, count: int) -> None:
        self.entry = entry
        self.count = count

    def numbers(self, column: Any, count: int | None = None, within: int | None = None, low: int = 0) -> Sequence[int]:
        """A column of `count` integers; with `within`, each a number of a table of that size (or
        down to `low`: -1 for none)."""
        values = self.entry.numbers[_count(column)]
        if len(values) != (self.count if count is None else count):
            raise Malformed("column")
        if within is not None and values and (min(values) < low or max(values) >= within):
            raise Malformed("numbers")
        return values

    def starts(self, column: Any, total: int, count: int | None = None) -> Sequence[int]:
        """Where each row starts, then where the last ends (`total`). Starts out of order or out of
        range would only cut wrong pieces, never fail: an entry's checksum stands for them."""
        starts = self.numbers(column, (self.count if count is None else count) + 1)
        if starts[0] != 0 or starts[-1] != total:
            raise Malformed("rows")
        return starts

    def texts(self, column: Any) -> list[str]:
        """A column of texts (see `cut`), every one of them made now."""
        number, starts_column = column
        text = self.entry.texts[_count(number)]
        return _pieces(text, self.starts(starts_column, len(text)))

    def rows(self, flat: Any, text: bool, table: tuple[Any, ...] | None = None) -> tuple[Any, Any]:
        """A column of tuples: of texts, or (`table`) of the table's items by number."""
        items_column, starts_column = flat
        total = self.numbers(starts_column, self.count + 1)[-1]
        starts = self.starts(starts_column, total)
        if text:
            item, every_item = self.cut(items_column, total)
        else:
            items = [(table or ())[i] for i in self.numbers(items_column, total, len(table or ()))]
        if not total:  # every row empty (notes, most often)
            return (lambda _position: ()), (lambda: [()] * self.count)
        if text:
            return (lambda position: tuple(map(item, range(starts[position], starts[position + 1])))), (
                lambda: _rows(every_item(), starts))
        return (lambda position: tuple(items[starts[position] : starts[position + 1]])), lambda: _rows(items, starts)

    def cut(self, column: Any, count: int | None = None) -> tuple[Any, Any]:
        """A column of texts kept as one text (read when first used) and where each starts."""
        number, starts_column = column
        texts = self.entry.texts
        starts = self.starts(starts_column, text_length(texts, _count(number)), count)
        if hasattr(texts, "piece"):  # `entryfile.LazyTexts`: a row read alone decodes only its piece
            return (lambda position: texts.piece(number, starts[position], starts[position + 1])), (
                lambda: _pieces(texts[number], starts))
        return (lambda position: texts[number][starts[position] : starts[position + 1]]), (
            lambda: _pieces(texts[number], starts))

    @staticmethod
    def pick(numbers: list[int], table: list[Any]) -> tuple[Any, Any]:
        return (lambda position: None if numbers[position] < 0 else table[numbers[position]]), (
            lambda: [None if number < 0 else table[number] for number in numbers])

    def more(self, column: Any) -> tuple[Any, Any]:
        kind, values = column
        if kind == "text":
            return self.cut(values)
        if kind == "texts":
            return self.rows(values, True)
        if kind == "any":
            return _listed([decode(v) for v in _column(values, None, self.count)])
        raise Malformed("column kind")


def _count(value: Any) -> int:
    if type(value) is not int or value < 0:
        raise Malformed("count")
    return value


def _column(values: Any, kinds: set[type] | None, count: int) -> list[Any]:
    if not isinstance(values, list) or len(values) != count or kinds is not None and not set(map(type, values)) <= kinds:
        raise Malformed("column")
    return values


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

"""The fast path of `yamlfile.parse_located_yaml`: the same `Located` / `LocatedList` tree, with the
same lines, built straight from libyaml's events instead of through PyYAML's node graph and its
Python constructors (at 10,000 policies: about a third of the time and half the memory).

The bounds of `yamlfile` and its located containers are defined here, below it.

It handles what a hand-kept list holds: mappings, sequences, plain and quoted scalars, anchors and
aliases within the same bounds as the full loader. Anything else, or anything the full loader
would refuse (a tag, a merge key, a duplicate key, an integer it does not accept, a timestamp with
a time, a second document, a syntax error, a bound exceeded), raises `Unusual`, and the caller reads
the document again with the full loader, whose answer (value or message) is the one that counts.
"""
from __future__ import annotations

import re
from typing import Any

MAX_DEPTH = 32
MAX_ALIAS_NODES = 100_000
MAX_DIGITS = 18
_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)", re.ASCII)


class Located(dict):
    """A mapping that remembers the line of itself and of each key (set wherever one is made)."""

    __slots__ = ("line", "lines")  # no dict of attributes: a list of 10,000 policies has 200,000 of them
    line: int
    lines: dict[Any, int]


class LocatedList(list):
    __slots__ = ("line", "lines")
    line: int
    lines: list[int]


class Unusual(Exception):
    """The document needs the full loader (for its value or its message)."""


_BOOL = {"yes": True, "no": False, "true": True, "false": False, "on": True, "off": False}


def _implicit(value: str, resolvers: dict[str, list[tuple[str, Any]]]) -> Any:
    """A plain scalar as the safe loader (with our integer and timestamp rules) reads it."""
    for tag, pattern in resolvers.get(value[:1], ()):
        if not pattern.match(value):
            continue
        kind = tag.rsplit(":", 1)[1]
        if kind == "str":
            return value
        if kind == "null":
            return None
        if kind == "bool":
            return _BOOL[value.lower()]
        if kind == "int":
            if not _DECIMAL.fullmatch(value) or len(value.lstrip("+-")) > MAX_DIGITS:
                raise Unusual
            return int(value)
        if kind == "float":
            return _float(value)
        if kind == "timestamp":
            return _date(tag, value)
        raise Unusual  # a merge key or a value key: the full loader decides
    return value


def _float(value: str) -> float:
    text = value.replace("_", "").lower()
    sign = -1.0 if text[0] == "-" else 1.0
    text = text.lstrip("+-")
    if text == ".inf":
        return sign * float("inf")
    if text == ".nan":
        return float("nan")
    if ":" in text:
        raise Unusual
    return sign * float(text)


def _date(tag: str, value: str) -> Any:
    """A date; one with a time of day, or no valid date, is the full loader's to refuse."""
    from datetime import datetime

    import yaml

    try:
        made = yaml.constructor.SafeConstructor().construct_yaml_timestamp(yaml.ScalarNode(tag, value))
    except (ValueError, OverflowError):
        raise Unusual from None
    if isinstance(made, datetime):
        raise Unusual
    return made


_NO_KEY = object()


def parse_events(text: str, base: type) -> Any:
    """The document in `text` as `Located` / `LocatedList` trees, read with `base` (a safe loader
    class, libyaml's when installed), or `Unusual`. One loop over the events, kept flat: it runs
    once per key and value of the document."""
    import yaml
    from yaml import events as ev

    loader = base(text)
    resolvers = loader.yaml_implicit_resolvers
    get = loader.get_event
    scalar, alias, map_start, seq_start = ev.ScalarEvent, ev.AliasEvent, ev.MappingStartEvent, ev.SequenceStartEvent
    ends = (ev.MappingEndEvent, ev.SequenceEndEvent)
    anchors: dict[str, tuple[Any, int]] = {}  # name -> (value, line); value _OPEN while being read
    stack: list[tuple[Any, Any, bool, Any, int, str | None]] = []  # the enclosing collections' state
    shape = _Shape()
    container: Any = None  # the collection being read: its lines, its kind, and a key waiting for its value
    lines: Any = None
    is_map = False
    key: Any = _NO_KEY
    key_line = 0
    root: Any = None
    documents = 0
    try:
        while True:
            event = get()
            kind = type(event)
            if kind is scalar:
                if event.tag is not None:
                    raise Unusual
                value = event.value
                if event.implicit[0] and value[:1] in resolvers:
                    value = _implicit(value, resolvers)
                line = event.start_mark.line + 1
                if event.anchor is not None:
                    _anchor(anchors, event.anchor, (value, line))
            elif kind is map_start or kind is seq_start:
                if event.tag is not None or len(stack) >= MAX_DEPTH - 1:
                    raise Unusual
                if event.anchor is not None:
                    _anchor(anchors, event.anchor, (_OPEN, 0))  # an alias to it inside is a cycle
                stack.append((container, lines, is_map, key, key_line, event.anchor))
                is_map = kind is map_start
                container = Located() if is_map else LocatedList()
                container.line = event.start_mark.line + 1
                container.lines = lines = {} if is_map else []
                key = _NO_KEY
                continue
            elif kind in ends:
                value, line = container, container.line
                container, lines, is_map, key, key_line, anchor = stack.pop()
                if anchor is not None:
                    anchors[anchor] = (value, line)
            elif kind is alias:
                # the node aliased, with the line where it is written (as the full loader has it)
                value, line = anchors.get(event.anchor, (_OPEN, 0))
                if value is _OPEN:
                    raise Unusual  # undefined, or a cycle
                shape.alias(value, len(stack))
            elif kind is ev.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise Unusual
                continue
            elif kind is ev.StreamEndEvent:
                return root
            else:  # stream start, document end
                continue
            if container is None:
                root = value
            elif not is_map:
                container.append(value)
                lines.append(line)
            elif key is _NO_KEY:
                if isinstance(value, (dict, list)) or value in container:
                    raise Unusual  # a collection as a key, or a duplicate key: the full loader's message
                key, key_line = value, line
            else:
                container[key] = value
                lines[key] = key_line
                key = _NO_KEY
    except yaml.YAMLError:
        raise Unusual from None
    finally:
        loader.dispose()


_OPEN = object()


class _Shape:
    """The bounds on what aliases add, as the full loader counts them: nodes once expanded, and
    nesting depth with the aliased collections in place."""

    def __init__(self) -> None:
        self.added = 0
        self.known: dict[int, tuple[int, int]] = {}  # id(collection) -> (nodes expanded, depth)

    def alias(self, value: Any, enclosing: int) -> None:
        if not isinstance(value, (dict, list)):
            return
        size, depth = self.measure(value)
        self.added += size
        if self.added > MAX_ALIAS_NODES or enclosing + depth > MAX_DEPTH:
            raise Unusual

    def measure(self, value: Any) -> tuple[int, int]:
        known = self.known.get(id(value))
        if known is not None:
            return known
        size, depth = 1, 0
        for child in (part for pair in value.items() for part in pair) if isinstance(value, dict) else value:
            if isinstance(child, (dict, list)):
                child_size, child_depth = self.measure(child)
            else:
                child_size, child_depth = 1, 1
            size += child_size
            depth = max(depth, child_depth)
        self.known[id(value)] = size, depth + 1
        return size, depth + 1


def _anchor(anchors: dict[str, tuple[Any, int]], name: str, entry: tuple[Any, int]) -> None:
    if name in anchors:
        raise Unusual  # a duplicate anchor
    anchors[name] = entry

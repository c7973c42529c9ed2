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
SHORT = 32  # texts up to this long are kept once (see `_Events.short`)
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


def parse_events(text: str, base: type) -> Any:
    """The document in `text` as `Located` / `LocatedList` trees, read with `base` (a safe loader
    class, libyaml's when installed), or `Unusual`."""
    import yaml

    loader = base(text)
    try:
        return _Events(loader).document()
    except yaml.YAMLError:
        raise Unusual from None
    finally:
        loader.dispose()


class _Events:
    """A document read from its events by recursive descent: a mapping or a sequence reads its
    own events up to its end. The loops run once per key and value of the document, so a plain
    scalar, the commonest event, is read in place."""

    def __init__(self, loader: Any) -> None:
        from yaml import events

        self.events = events
        self.get = loader.get_event
        self.resolvers = loader.yaml_implicit_resolvers
        self.resolved: dict[str, Any] = {}  # plain scalar -> its value (a list repeats most of them)
        self.keys: dict[Any, Any] = {}  # the keys of mappings met (each policy has the same ones)
        self.short: dict[str, str] = {}  # the short texts met (units, offices, sections: written again and again)
        self.anchors: dict[str, tuple[Any, int]] = {}  # name -> (value, line); value _OPEN while being read
        self.shape = _Shape()
        self.depth = 0  # collections open

    def document(self) -> Any:
        """The one document of the stream (None when there is none)."""
        ev = self.events
        self.get()  # the stream's start
        if type(self.get()) is ev.StreamEndEvent:  # else a document's start
            return None
        root, _ = self.node(self.get())
        self.get()  # the document's end
        if type(self.get()) is not ev.StreamEndEvent:
            raise Unusual  # a second document
        return root

    def node(self, event: Any) -> tuple[Any, int]:
        """The value of the node that starts with `event`, and its line."""
        kind = type(event)
        if kind is self.events.ScalarEvent:
            return self.scalar(event)
        if kind is self.events.AliasEvent:  # the node aliased, with the line where it is written
            value, line = self.anchors.get(event.anchor, (_OPEN, 0))
            if value is _OPEN:
                raise Unusual  # undefined, or a cycle
            self.shape.alias(value, self.depth)
            return value, line
        if event.tag is not None or self.depth >= MAX_DEPTH - 1:
            raise Unusual
        anchor = event.anchor
        if anchor is not None:
            _anchor(self.anchors, anchor, (_OPEN, 0))  # an alias to it inside is a cycle
        self.depth += 1
        value = self.mapping(event) if kind is self.events.MappingStartEvent else self.sequence(event)
        self.depth -= 1
        if anchor is not None:
            self.anchors[anchor] = (value, value.line)
        return value, value.line

    def scalar(self, event: Any) -> tuple[Any, int]:
        """A scalar's value and line."""
        return self.value(event), event.start_mark.line + 1

    def value(self, event: Any) -> Any:
        """A scalar's value (a mapping's value needs no line)."""
        if event.tag is not None:
            raise Unusual
        value = event.value
        if event.implicit[0] and value[:1] in self.resolvers:
            found = self.resolved.get(value, _OPEN)
            if found is _OPEN:
                found = self.resolved[value] = _implicit(value, self.resolvers)
            value = found
        elif len(value) <= SHORT:  # one object for a short text however often it is written
            value = self.short.setdefault(value, value)
        if event.anchor is not None:
            _anchor(self.anchors, event.anchor, (value, event.start_mark.line + 1))
        return value

    def mapping(self, start: Any) -> Located:
        mapping = Located()
        mapping.line = start.start_mark.line + 1
        mapping.lines = lines = {}
        get, value, node, keys = self.get, self.value, self.node, self.keys
        scalar_event, end = self.events.ScalarEvent, self.events.MappingEndEvent
        while True:
            event = get()
            kind = type(event)
            if kind is end:
                return mapping
            if kind is scalar_event:
                key, line = value(event), event.start_mark.line + 1
                key = keys.setdefault(key, key)  # one object for a key however often it is written
            else:
                key, line = node(event)
                if isinstance(key, (dict, list)):
                    raise Unusual  # a collection as a key: the full loader's message
            if key in mapping:
                raise Unusual  # a duplicate key: the full loader's message
            event = get()
            mapping[key] = value(event) if type(event) is scalar_event else node(event)[0]
            lines[key] = line

    def sequence(self, start: Any) -> LocatedList:
        sequence = LocatedList()
        sequence.line = start.start_mark.line + 1
        sequence.lines = lines = []
        get, scalar, node = self.get, self.scalar, self.node
        scalar_event, end = self.events.ScalarEvent, self.events.SequenceEndEvent
        while True:
            event = get()
            kind = type(event)
            if kind is end:
                return sequence
            value, line = scalar(event) if kind is scalar_event else node(event)
            sequence.append(value)
            lines.append(line)


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

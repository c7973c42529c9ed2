"""The first path of `yamlfile.parse_located_yaml`: a document in the style lists are written in,
read line by line in Python instead of through libyaml's events (at 10,000 policies, in about 60%
of their time). It gives the same `Located` / `LocatedList` tree, with the same lines, as
`yamlfast.parse_events` and the full loader.

It reads one node per line: block mappings and sequences, plain keys, plain and quoted scalars
(with escapes), flow collections closed on their line, literal blocks (`|`, `|-`), comments and
empty lines. Anything else (a scalar over several lines, a folded block, an anchor, alias or tag,
a complex key, a tab, a line break other than LF or CRLF, a character libyaml refuses, a syntax error...)
raises `Unusual`, and the document is read by the events instead: this path agrees with them or
steps aside (tests/test_yamllines.py compares them on generated and damaged documents).
"""
from __future__ import annotations

import re
import sys
from collections.abc import Callable
from typing import Any

from .yamlfast import MAX_DEPTH, SHORT, Located, LocatedList, Unusual, _implicit

# A character that needs the events: one libyaml refuses, a tab, CR (but in CRLF), NEL, LS, PS or BOM.
_ODD = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
_INDICATORS = "-?:,[]{}#&*!|>'\"%@`"  # a plain scalar cannot begin with these
_STARTS_OTHERWISE = frozenset(_INDICATORS)
_PLAIN_START = f"[^\\s{re.escape(_INDICATORS)}]"
_KEY = re.compile(_PLAIN_START + "[^:#]*")  # a plain key (no colon or hash inside)
_FLOW_PLAIN = re.compile(_PLAIN_START + r"[^,\[\]{}:#]*")  # a plain scalar in a flow collection
_FLOW_INDICATOR = re.compile(r"[\[\]{}'\"#:]")  # in a flow sequence, a sign that it holds more than words
MAX_KEY = 1000  # characters of a key written without "?" (libyaml allows 1,024 from its start to the colon)
_NOT_A_NODE = frozenset((" ", "#", ""))
_NONE = object()


class LineReader:
    """One document, read by recursive descent over its lines (`pos`: the next line to read)."""

    TOLD = 100  # times a long document's reading is told (`told`), at most

    def __init__(self, text: str, resolvers: dict[str, list[tuple[str, Any]]],
                 told: Callable[[int, int], None] | None = None) -> None:
        if "\r" in text:
            text = text.replace("\r\n", "\n")  # a file saved on Windows: one line break, as libyaml counts it
        if _ODD.search(text):
            raise Unusual
        self.lines = text.split("\n")
        self.lines.append("")  # a last line to look at: the end (see `after`)
        self.end = len(self.lines) - 1
        self.pos = 0
        self.resolvers = resolvers
        self.resolved: dict[str, Any] = {}  # plain scalar -> its value
        self.keys: dict[str, Any] = {}  # a key as written -> the key (one object for each)
        self.plains: dict[str, Any] = {}  # a short plain scalar as written after a key -> its value
        self.starts = _STARTS_OTHERWISE.union(resolvers)  # a plain scalar's first characters that need a look
        self.short: dict[str, str] = {}  # a quoted text -> itself (apart from `plains`: "yes" is not yes)
        self.depth = 0
        # `told(lines read, lines)` after an item of a sequence, every `every` lines or more
        self.told = told
        self.every = max(self.end // self.TOLD, 1)
        self.tell_at = self.every if told is not None else sys.maxsize

    def document(self) -> Any:
        indent = self.skip()
        if indent < 0:
            return None
        if indent:
            raise Unusual
        line = self.lines[self.pos]
        if line.startswith(("---", "...")):
            raise Unusual
        root = self.sequence(0) if line[:2] in ("- ", "-") else self.mapping(0)
        if self.skip() >= 0:
            raise Unusual  # a line left over: less indented than its block, or a syntax error
        return root

    def skip(self) -> int:
        """Move past empty and comment lines: the indent of the next line, or -1 at the end."""
        lines, pos = self.lines, self.pos
        while pos < self.end:
            line = lines[pos]
            stripped = line.lstrip(" ")
            if stripped and stripped[0] != "#":
                self.pos = pos
                return len(line) - len(stripped)
            pos += 1
        self.pos = pos
        return -1

    def after(self, indent: int, prefix: str) -> int:
        """The indent of the next line to read (see `skip`), found at once when it is indented
        by `indent` (`prefix`, its spaces) and holds a node."""
        line = self.lines[self.pos]
        if line.startswith(prefix) and line[indent : indent + 1] not in _NOT_A_NODE:
            return indent
        return self.skip()

    def open(self) -> None:
        if self.depth >= MAX_DEPTH - 1:
            raise Unusual
        self.depth += 1

    def key(self, written: str) -> Any:
        """The key written as `written` (met before: at once)."""
        key = self.keys.get(written, _NONE)
        if key is _NONE:
            if not _KEY.fullmatch(written) or written[-1] == " " or len(written) > MAX_KEY:
                raise Unusual
            key = self.keys[written] = self.plain(written)
        return key

    def mapping(self, indent: int) -> Located:
        """The block mapping whose keys begin at column `indent`, from the current line."""
        self.open()
        mapping = Located()
        mapping.line = self.pos + 1
        mapping.lines = lines = {}
        prefix = " " * indent
        texts, keys, plains, starts = self.lines, self.keys, self.plains, self.starts
        pos = self.pos
        while True:  # `pos`: the line to read (from 0), then the next (`number`: the line read, from 1)
            line = texts[pos]
            texts[pos] = ""  # read: not held while the rest is (a large list has 500,000 lines)
            pos = number = pos + 1
            colon = line.find(": ", indent)
            if colon < 0:
                if line[-1] != ":":
                    raise Unusual  # a scalar over several lines, or not a mapping at all
                colon = len(line) - 1
            written = line[indent:colon]
            key = keys.get(written, _NONE)
            if key is _NONE:
                key = self.key(written)
            if key in mapping:
                raise Unusual
            rest = line[colon + 2 :]
            if rest[:1] == " ":
                rest = rest.lstrip(" ")
            if rest and rest[0] != "#":  # a value on the key's line, not a comment
                value = plains.get(rest, _NONE) if len(rest) <= SHORT else _NONE
                if value is not _NONE:
                    pass
                elif rest[0] not in starts and rest[-1] not in " :" and " #" not in rest and ": " not in rest:
                    # plain text, the commonest value: `scalar`'s checks written out, as for a dash below
                    value = rest if len(rest) > SHORT else plains.setdefault(rest, rest)
                else:
                    self.pos = pos
                    value = self.inline(rest, pos, indent)
                    pos = self.pos
                mapping[key] = value
                lines[key] = number
                following = texts[pos]
                if following.startswith(prefix) and following[indent : indent + 1] not in _NOT_A_NODE:
                    if following[indent] == "-":
                        raise Unusual
                    continue  # the next key, at once
                self.pos = pos
                following = self.skip()
            else:
                self.pos = pos
                mapping[key], following = self.below(indent)
                lines[key] = number
            pos = self.pos
            if following != indent:
                if following > indent:
                    raise Unusual
                self.depth -= 1
                return mapping
            if texts[pos][indent] == "-":
                raise Unusual

    def below(self, indent: int) -> tuple[Any, int]:
        """The value of a key written with nothing after it: the block below it, or null; and the
        indent of the line after it."""
        following = self.skip()
        if following > indent:
            value = self.block(following)
        elif following == indent and self.lines[self.pos][indent : indent + 2] in ("- ", "-"):
            value = self.sequence(indent)  # a sequence under a key needs no indent
        else:
            return None, following
        return value, self.skip()

    def sequence(self, indent: int) -> LocatedList:
        """The block sequence whose dashes are at column `indent`, from the current line."""
        self.open()
        sequence = LocatedList()
        sequence.line = self.pos + 1
        sequence.lines = lines = []
        prefix = " " * indent
        texts, plains, starts = self.lines, self.plains, self.starts
        while True:
            pos = self.pos
            line = texts[pos]
            if line[indent : indent + 2] != "- ":
                raise Unusual  # a dash alone: a node begun on the lines below, or none
            rest = line[indent + 2 :]
            stripped = rest.lstrip(" ") if rest[:1] == " " else rest
            if not stripped or stripped[0] in "-#":
                raise Unusual  # a sequence in a sequence on one line, or a comment after a dash
            colon = stripped.find(": ")
            if (colon > 0 or stripped[-1] == ":") and stripped[0] not in _STARTS_OTHERWISE:
                column = len(line) - len(stripped)
                texts[pos] = " " * column + stripped  # a mapping begun on the dash's line
                value = self.mapping(column)
            else:
                texts[pos] = ""
                self.pos = pos + 1
                value = plains.get(stripped, _NONE) if len(stripped) <= SHORT else _NONE
                if value is not _NONE:
                    pass
                elif stripped[0] not in starts and stripped[-1] not in " :" and " #" not in stripped:
                    value = stripped if len(stripped) > SHORT else plains.setdefault(stripped, stripped)  # plain text
                else:
                    value = self.inline(stripped, pos + 1, indent)
            sequence.append(value)
            lines.append(pos + 1)
            if self.pos >= self.tell_at:
                self.tell()
            following = self.after(indent, prefix)
            if following != indent or texts[self.pos][indent] != "-":
                if following > indent:
                    raise Unusual
                self.depth -= 1
                return sequence  # at the end of its block, or at a key of the mapping it is the value of

    def tell(self) -> None:
        self.told(self.pos, self.end)
        self.tell_at = self.pos + self.every

    def block(self, indent: int) -> Any:
        """The block collection that begins at the current line (indented by `indent`)."""
        line = self.lines[self.pos]
        if line[indent : indent + 2] in ("- ", "-"):
            return self.sequence(indent)
        return self.mapping(indent)

    def inline(self, text: str, number: int, indent: int) -> Any:
        """A node written after a key or a dash, on the line `number` (the current line is the next)."""
        first = text[0]
        if first == "|":
            return self.literal(text, indent)
        if first == "[" and text[-1] == "]" and not _FLOW_INDICATOR.search(text, 1, len(text) - 1):
            return self.words(text, number)
        if first in "[{":
            value, end = self.flow(text, 0, number)
            _ends(text, end)
            return value
        value, end = self.scalar(text, 0)
        _ends(text, end)
        return value

    def words(self, text: str, number: int) -> LocatedList:
        """A flow sequence of plain scalars, `[a, b]`: split at its commas."""
        self.open()
        words = LocatedList()
        words.line = number
        inner = text[1:-1].strip(" ")
        if inner:
            for word in inner.split(", "):
                word = word.strip(" ")
                if not word or word[0] in _STARTS_OTHERWISE or "," in word:
                    raise Unusual
                value = self.plains.get(word, _NONE)
                words.append(self.plain(word) if value is _NONE else value)
        words.lines = [number] * len(words)
        self.depth -= 1
        return words

    def scalar(self, text: str, start: int) -> tuple[Any, int]:
        """A quoted scalar, or a plain one up to the end of the line (block context)."""
        first = text[start]
        if first == "'":
            return self.single(text, start)
        if first == '"':
            end = text.find('"', start + 1)
            if end < 0:
                raise Unusual
            inner = text[start + 1 : end]
            if "\\" in inner:
                return _escaped(text, start)
            return self.text(inner), end + 1
        value = text[start:]
        comment = value.find(" #")
        if comment >= 0:
            value = value[:comment]
        value = value.rstrip(" ")
        if first in _STARTS_OTHERWISE or ": " in value or value[-1] == ":":
            raise Unusual
        made = self.plain(value)
        if start == 0 and len(text) <= SHORT:
            self.plains[text] = made
        return made, len(text)

    def single(self, text: str, start: int) -> tuple[str, int]:
        pos, parts = start + 1, []
        while True:
            end = text.find("'", pos)
            if end < 0:
                raise Unusual
            parts.append(text[pos:end])
            if text[end + 1 : end + 2] != "'":
                return self.text("'".join(parts)), end + 1
            pos = end + 2

    def plain(self, value: str) -> Any:
        if value[:1] in self.resolvers:
            found = self.resolved.get(value, self)
            if found is self:
                found = self.resolved[value] = _implicit(value, self.resolvers)
            return found
        return self.text(value)

    def text(self, value: str) -> str:
        return self.short.setdefault(value, value) if len(value) <= SHORT else value

    def flow(self, text: str, start: int, number: int) -> tuple[Any, int]:
        """A flow sequence or mapping closed on this line: its value and where it ends."""
        self.open()
        closing = "]" if text[start] == "[" else "}"
        made: Any = LocatedList() if closing == "]" else Located()
        made.line = number
        made.lines = [] if closing == "]" else {}
        pos = _spaces(text, start + 1)
        if text[pos : pos + 1] == closing:
            self.depth -= 1
            return made, pos + 1
        while True:
            if closing == "]":
                value, pos = self.flow_node(text, pos, number)
                made.append(value)
                made.lines.append(number)
            else:
                begun = pos
                key, pos = self.flow_node(text, pos, number, key=True)
                if text[pos : pos + 2] != ": " or key in made or pos - begun > MAX_KEY:
                    raise Unusual
                key = self.keys.setdefault(key, key)
                made[key], pos = self.flow_node(text, _spaces(text, pos + 2), number)
                made.lines[key] = number
            pos = _spaces(text, pos)
            sign = text[pos : pos + 1]
            if sign == closing:
                self.depth -= 1
                return made, pos + 1
            if sign != "," or text[pos + 1 : pos + 2] != " ":
                raise Unusual
            pos = _spaces(text, pos + 1)
            if text[pos : pos + 1] in ("]", "}", ",", ""):
                raise Unusual  # an empty entry, or a comma before the end

    def flow_node(self, text: str, pos: int, number: int, key: bool = False) -> tuple[Any, int]:
        first = text[pos : pos + 1]
        if first in ("[", "{"):
            if key:
                raise Unusual
            return self.flow(text, pos, number)
        if first in ("'", '"'):
            return self.scalar(text, pos)
        found = _FLOW_PLAIN.match(text, pos)
        if not found:
            raise Unusual
        return self.plain(found.group().rstrip(" ")), found.end()

    def literal(self, header: str, indent: int) -> str:
        """A literal block (`|` or `|-`) whose lines follow, indented more than `indent`."""
        if header not in ("|", "|-"):
            raise Unusual
        lines, pos = self.lines, self.pos
        body: list[str] = []
        inner = -1
        while pos < len(lines):
            line = lines[pos]
            if not line:
                body.append("")
                pos += 1
                continue
            stripped = line.lstrip(" ")
            depth = len(line) - len(stripped)
            if inner < 0:
                if depth <= indent or body:
                    break  # no content (a leading empty line makes the events decide)
                inner = depth
            elif depth < inner:
                break
            if not stripped:
                raise Unusual  # a line of spaces only
            body.append(line[inner:])
            pos += 1
        if body and not body[0]:
            raise Unusual
        while body and not body[-1]:
            body.pop()
            pos -= 1
        self.pos = pos
        if not body:
            raise Unusual
        value = "\n".join(body)
        return self.text(value if header == "|-" else value + "\n")


_DOUBLE = re.compile(r'"((?:[^"\\]|\\(?:[0abtnvfre "/\\N_LP]|x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}))*)"')
_ESCAPE = re.compile(r"\\(?:x([0-9A-Fa-f]{2})|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "n": "\n", "v": "\v", "f": "\f", "r": "\r", "e": "\x1b",
            " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029"}


def _escaped(text: str, start: int) -> tuple[str, int]:
    """A double-quoted scalar with escapes, closed on its line (JSON's escapes, and YAML's)."""
    found = _DOUBLE.match(text, start)
    if not found:
        raise Unusual  # an escape YAML does not know, or the quote not closed on this line
    return _ESCAPE.sub(_unescape, found.group(1)), found.end()


def _unescape(found: re.Match[str]) -> str:
    simple = found.group(4)
    if simple is not None:
        return _ESCAPES[simple]
    code = int(found.group(1) or found.group(2) or found.group(3), 16)
    if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        raise Unusual  # no character: the full loader's message
    return chr(code)


def _ends(text: str, end: int) -> None:
    """What follows a node on its line (from `end`) must be spaces, or a comment after a space."""
    rest = text[end:]
    if rest.strip(" ") and not (rest[0] == " " and rest.lstrip(" ")[0] == "#"):
        raise Unusual


def _spaces(text: str, pos: int) -> int:
    while text[pos : pos + 1] == " ":
        pos += 1
    return pos


def parse_lines(text: str, base: type, told: Callable[[int, int], None] | None = None) -> Any:
    """The document in `text` as `Located` / `LocatedList` trees, with the implicit types of `base`
    (a safe loader class), or `Unusual`. `told` is told (lines read, lines) as the reading goes on
    (a hundred times in all, at most)."""
    try:
        return LineReader(text, base.yaml_implicit_resolvers, told).document()
    except IndexError:
        raise Unusual from None

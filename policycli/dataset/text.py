"""Text from outside (arguments, files and their names, profiles, data, the environment) made safe
for a terminal, for JSON and YAML, and for CSV cells.

A terminal acts on control characters instead of showing them: ESC starts colour, cursor and title
sequences (CSI, OSC 0) and hyperlinks (OSC 8), U+009B is CSI on its own, SO switches to line-drawing
glyphs, DEL and BS erase, and the bidi overrides turn text around. None of them is ever written as
it is:
- on a terminal and in messages each is shown as a short escape a person can read out and report:
  `\\x1b`, `\\x9b`, `\\x7f`, `\\u202e` (`visible`);
- in JSON and YAML the text is kept exactly, with each of them written as an escape (`\\u001b`) that
  the reader turns back into the character (`escape_json`, `escape_yaml`);
- in CSV cells and contact cards, which spreadsheets and phones show as they are, they are removed
  (`without_controls`); line breaks and tabs stay.

Pure functions of strings: no output library is needed, so every interface can use them.
"""
from __future__ import annotations

import functools
import re

# Besides the C0 controls (U+0000–U+001F): DEL, the C1 controls (U+0080–U+009F, with U+009B = CSI
# and U+009D = OSC), the bidi marks, embeddings, overrides and isolates, and the Unicode line and
# paragraph separators (a terminal does not break the line at them; many programs do).
_OTHERS = "\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
UNSAFE = re.compile(f"[\\x00-\\x1f{_OTHERS}]")


@functools.cache
def _pattern(keep: str) -> re.Pattern[str]:
    """The unsafe characters except those in `keep` (C0 controls only: line break, tab)."""
    c0 = "".join(f"\\x{c:02x}" for c in range(0x20) if chr(c) not in keep)
    return re.compile(f"[{c0}{_OTHERS}]")


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible(text: str, keep: str = "") -> str:
    """`text` with every control, escape and bidi character shown as `\\x1b`, `\\x9b`, `\\u202e`;
    the characters in `keep` (say a line break, where the layout needs it) stay as they are."""
    if not UNSAFE.search(text):
        return text
    return _pattern(keep).sub(lambda m: _escape(m.group()), text)


def one_line(text: str) -> str:
    """A message line: line breaks as spaces, everything else unsafe shown by `visible`."""
    return visible(" ".join(text.replace("\r\n", "\n").split("\n")))


def has_controls(text: str, keep: str = "\n\t") -> bool:
    """Whether `text` holds an unsafe character other than those in `keep`."""
    return bool(_pattern(keep).search(text))


def without_controls(text: str, keep: str = "\n\t") -> str:
    """`text` with the unsafe characters removed (for CSV cells and contact cards)."""
    return _pattern(keep).sub("", text) if UNSAFE.search(text) else text


# Whole terminal sequences: CSI (colour, cursor), OSC (title, hyperlink) to its terminator, and
# the two-character ESC sequences; what pasting from a coloured terminal brings along.
_SEQUENCES = re.compile("(?:\x1b\\[|\x9b)[0-?]*[ -/]*[@-~]|(?:\x1b\\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\\\|\x9c)?"
                        "|\x1b[@-Z\\\\-_]")


def as_words(text: str) -> str:
    """Text typed or pasted as words (a query): terminal sequences removed whole, any other
    control or bidi character read as a space."""
    return _pattern("").sub(" ", _SEQUENCES.sub("", text))


def escape_json(document: str) -> str:
    """A JSON document (written with ensure_ascii=False) with every unsafe character that is still
    raw written as `\\uXXXX`. JSON's own syntax is ASCII without controls, so any such character is
    inside a string, where the escape stands for the same character; the raw line breaks are the
    layout's own (json.dumps escapes those in strings)."""
    return _pattern("\n").sub(lambda m: f"\\u{ord(m.group()):04x}", document)


def escape_yaml(document: str) -> str:
    """The same for a YAML document whose strings holding unsafe characters were written in double
    quotes (where YAML reads `\\uXXXX` as the character); see `needs_quotes`."""
    return _pattern("\n").sub(lambda m: f"\\u{ord(m.group()):04x}", document)


def needs_quotes(text: str) -> bool:
    """A string YAML must write in double quotes for `escape_yaml` to be exact."""
    return has_controls(text, keep="\n")


def clipped(text: str, limit: int = 40) -> str:
    """Outside text quoted in a message, cut to `limit` characters with its length said:
    a message quoting a 40,000-character argument in full would bury what it says."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}…（共 {len(text):,} 字）"


ECHOED_WHOLE = 120  # a value up to this long (a file's path, a sentence) is quoted whole


def clip_echoes(message: str, given: list[str]) -> str:
    """`message` with every value from `given` (arguments, query values) longer than ECHOED_WHOLE
    that it quotes cut by `clipped`: one place clips what every option's message echoes. A value is
    looked for whole, stripped, and after its first `=` (as `--set KEY=VALUE` quotes it)."""
    pieces = set()
    for value in given:
        for piece in (value, value.strip(), value.partition("=")[2], value.partition("=")[2].strip()):
            if len(piece) > ECHOED_WHOLE:
                pieces.add(piece)
    for piece in sorted(pieces, key=len, reverse=True):
        if piece in message:
            message = message.replace(piece, clipped(piece))
    return message

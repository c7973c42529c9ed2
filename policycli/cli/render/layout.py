"""Line breaking for mixed Chinese and ASCII text (the tables built on it are in `tables.py`).

Rich breaks lines only at spaces and folds anything longer character by character, so a Chinese
paragraph is cut anywhere: a closing mark (`、` `。` `）`) can start a line and `500万元` can lose its
unit. `Flow` breaks where the Chinese line-breaking rules allow instead:

- never inside a run of ASCII letters, digits and joiners (ids, phone numbers, options, 30,000.00);
- inside a command to copy (`policy contacts 区财政局`) only between its arguments;
- never between a number and its unit (`500万元`, `3,600,000.00 元`, `12%`, `2024年`);
- never before a closing mark, never after an opening one;
- anywhere else between Chinese characters, and at spaces (which are dropped at the break).

In table cells (`words=True`) a text that has to break breaks between items of a list (after `、`
`，` `；` and at spaces) when each item fits, and otherwise between words: Chinese words as rjieba
cuts them (imported only when a cell has to break), English words at spaces and after a hyphen.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

CLOSING = set("，。、；：？！）」』】》〉〕”’…·%,.;:!?)]}")
OPENING = set("（「『【《〈〔“‘([{")
UNITS = set("元万亿千百个项家年月日号次期倍")
WORD = set(",abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/:@#~=+*|'&$^\\`")


def _cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def _word(char: str) -> bool:
    return char in WORD or (char.isascii() and char.isalnum())


def _joined(before: str, after: str, before2: str, after2: str) -> bool:
    """True when no line break may fall between `before` and `after` (with one more char each side)."""
    if after in CLOSING or before in OPENING:
        return True
    if before in "（“" or after in "”）":
        return True
    if _word(before) and _word(after):
        return True
    if before.isdigit() and after in UNITS:
        return True
    if before in "万亿千百" and after == "元" and before2.isdigit():
        return True
    if before in UNITS and after in UNITS and before2.isdigit():  # 3000万元
        return True
    return False


_SHORT_ASIDE = re.compile(r"（[^（）\s]{1,8}）")  # （需核实）, （360万元）, （graduate）: kept whole
# Words that end the names of offices and bodies, kept whole so that a name breaks between its words
# (数字新区建设 / 领导小组 / 办公室), not inside one (领导小组办 / 公室).
_NAME_WORDS = re.compile(r"领导小组|办公室|委员会|工作组|服务中心|管理局")
# An English amount keeps its currency, number and scale on one line: RMB 20 million.
_ENGLISH_AMOUNT = re.compile(r"\b(?:RMB|CNY|USD)\s\d[\d,.]*(?:\s(?:million|billion|thousand|yuan))?\b"
                             r"|\b\d[\d,.]*\s(?:million|billion|thousand|yuan)\b")


# A command to copy (policy contacts 区财政局, pip install 'policycli[web]'): it breaks only between
# its arguments, at spaces, never inside one; it ends at Chinese punctuation.
_COMMAND = re.compile(r"\b(?:policy|pip install)(?: [^\s，。；：、（）“”]+)+")


@functools.lru_cache(maxsize=1024)
def break_points(plain: str) -> tuple[tuple[int, int], ...]:
    """(end of a piece, start of the next) for each place a line may break; spaces fall in between.
    Remembered: a table measures and draws each cell's text several times."""
    inside = {i for pattern in (_SHORT_ASIDE, _NAME_WORDS, _ENGLISH_AMOUNT) for m in pattern.finditer(plain)
              for i in range(m.start() + 1, m.end())}
    inside |= {i for m in _COMMAND.finditer(plain) for i in range(m.start() + 1, m.end()) if plain[i] != " "}
    return tuple(p for p in _break_points(plain) if p[0] not in inside)


def _break_points(plain: str) -> list[tuple[int, int]]:
    points: list[tuple[int, int]] = []
    i, n = 1, len(plain)
    while i < n:
        char = plain[i]
        if char == " ":
            j = i
            while j < n and plain[j] == " ":
                j += 1
            before, after = plain[i - 1], plain[j] if j < n else ""
            # "3,600,000.00 元" and "元（": a space between a number and its unit does not break
            if not (before.isdigit() and after == "元") and not (after in CLOSING):
                points.append((i, j))
            i = j + 1
            continue
        before = plain[i - 1]
        if _cjk(before) and _cjk(char) and (i + 1 == n or not _cjk(plain[i + 1])):
            i += 1  # keep the last two characters of a run of Chinese together: 办公室, not 办公 / 室
            continue
        if before != " " and not _joined(before, char, plain[i - 2] if i > 1 else "", plain[i + 1] if i + 1 < n else ""):
            points.append((i, i))
        i += 1
    return points


def _pieces(plain: str, points: Iterable[tuple[int, int]] | None = None) -> list[tuple[int, int, int]]:
    """(start, end, start of the next piece) of each unbreakable piece."""
    pieces, start = [], 0
    for end, following in break_points(plain) if points is None else points:
        pieces.append((start, end, following))
        start = following
    pieces.append((start, len(plain), len(plain)))
    return pieces


ITEM_ENDS = set("、，；,;＋+")
AMOUNT_WORDS = ("最高", "约", "合计", "定额", "每年")


def _items(plain: str) -> list[tuple[int, int, int]]:
    """Pieces between items of a list (after 、，；＋) and at spaces, except the space between the
    word of an amount and the amount (最高 672,750.00 元)."""
    strong = [p for p in break_points(plain) if plain[p[0] - 1] in ITEM_ENDS
              or (p[0] != p[1] and not (plain[:p[0]].endswith(AMOUNT_WORDS) and plain[p[1]].isdigit()))]
    return _pieces(plain, strong)


def _words(item: str) -> list[tuple[int, int, int]]:
    """Pieces of one item between its words: a Chinese word is cut only where the segmentation
    says (asked only for an item with a break between two Chinese characters), English after a hyphen;
    an amount keeps its word (最高1000万元, 约200万元)."""
    points = [p for p in break_points(item)
              if not (p[0] == p[1] and item[:p[0]].endswith(AMOUNT_WORDS) and item[p[1]].isdigit())]
    inside_run = [p for p in points if _cjk(item[p[0] - 1]) and _cjk(item[p[0]])]
    if inside_run:
        starts = _word_starts(item)
        points = [p for p in points if p not in inside_run or p[0] in starts]
    return _pieces(item, sorted([*points, *_hyphen_points(item)]))


def _word_pieces(plain: str, width: int) -> tuple[list[tuple[int, int, int]], set[int]]:
    """Pieces of a table cell that has to break: whole items where they fit, else whole words (a
    word wider than the line as prose); and the starts of list items broken into words, which begin
    a line (定额1000万元或100万元＋ / 每个场景最高100万元)."""
    pieces: list[tuple[int, int, int]] = []
    fresh: set[int] = set()
    for start, end, following in _items(plain):
        if cell_len(plain[start:end]) <= width:
            pieces.append((start, end, following))
            continue
        if start and plain[start - 1] in ITEM_ENDS:
            fresh.add(start)
        for a, b, c in _words(plain[start:end]):
            word = plain[start + a:start + b]
            inner = _pieces(word) if cell_len(word) > width else [(0, len(word), c - a)]
            pieces += [(start + a + x, start + a + y, start + a + z) for x, y, z in inner]
        pieces[-1] = (pieces[-1][0], pieces[-1][1], following)
    return pieces, fresh


def widest_word(text: str, width: int) -> int:
    """The widest word of the items of a table cell wider than `width` (0 when every item fits):
    the narrowest the cell's column can be without cutting a word."""
    widest = 0
    for line in text.split("\n"):
        for start, end, _ in _items(line) if cell_len(line) > width else ():
            item = line[start:end]
            if cell_len(item) > width:
                widest = max([widest] + [cell_len(item[a:b]) for a, b, _ in _words(item)])
    return widest


def _hyphen_points(plain: str) -> list[tuple[int, int]]:
    """After the hyphen of an English compound (Above-designated-size), never in a number or an id."""
    return [(m.end(), m.end()) for m in re.finditer(r"(?<=[A-Za-z]{2})-(?=[A-Za-z]{2})", plain)]


_SEGMENTED: dict[str, frozenset[int]] = {}
_OWN_WORDS: list[Callable[[], Iterable[str]]] = []
_CUT_ALREADY: list[Callable[[str], frozenset[int] | None]] = []


def know_words_of(lookup: Callable[[str], frozenset[int] | None]) -> None:
    """Texts already cut into words (by the search index): `lookup` gives where the words of a
    text begin, or None for a text it does not hold."""
    _CUT_ALREADY.append(lookup)


def know_words(source: Callable[[], Iterable[str]]) -> None:
    """Words of the dataset (its keywords: 上市培育库, 奖补) to cut as whole words, as search does;
    `source` is read the first time a cell has to break."""
    _OWN_WORDS.append(source)
    _SEGMENTED.clear()


def _known_starts(lookup: Callable[[str], frozenset[int] | None], plain: str) -> frozenset[int] | None:
    """The lookup's word starts for `plain`, or for its beginning when an aside follows (技术改造
    设备投资奖补（近似）): the aside is kept whole anyway."""
    found = lookup(plain)
    cut = plain.find("（")
    if found is None and cut > 0 and _SHORT_ASIDE.fullmatch(plain[cut:]):
        head = lookup(plain[:cut])
        found = None if head is None else head | {cut}
    return found


def _word_starts(plain: str) -> frozenset[int]:
    """Offsets where a word of `plain` begins, by the segmentation search uses (rjieba); a word of one
    Chinese character (库, 科, 与) stays with the word before it: 上市 / 培育库, not 培育 / 库; one that
    begins the text, with the word after it: 上年度, not 上 / 年度."""
    for lookup in _CUT_ALREADY:
        known = _known_starts(lookup, plain)
        if known is not None:
            return known
    if plain not in _SEGMENTED:
        try:
            import rjieba
        except ImportError:  # pragma: no cover - a declared dependency; every character is a word
            return frozenset(range(len(plain)))
        from ...search.words import teach

        while _OWN_WORDS:
            teach(_OWN_WORDS.pop()())
        starts, at = set(), 0
        words = rjieba.cut(plain)
        for i, word in enumerate(words):
            after_lone_first = i == 1 and len(words[0]) == 1 and _cjk(words[0])  # 上 + 年度, not 上 / 年度
            if not (at and len(word) == 1 and _cjk(word)) and not after_lone_first:
                starts.add(at)
            at += len(word)
        _SEGMENTED[plain] = frozenset(starts)
    return _SEGMENTED[plain]


@functools.lru_cache(maxsize=1024)
def widest_piece(text: str) -> int:
    """Remembered, as `break_points`: a cell is measured several times."""
    return max((cell_len(text[a:b]) for line in text.split("\n") for a, b, _ in _pieces_of(line)), default=0)


@functools.lru_cache(maxsize=1024)
def widest_line(text: str) -> int:
    return max((cell_len(line) for line in text.split("\n")), default=0)


def _pieces_of(line: str) -> list[tuple[int, int, int]]:
    return _pieces(line) if line else [(0, 0, 0)]


def wrap(text: Text, width: int, words: bool = False) -> list[Text]:
    """`text` broken into lines of at most `width` cells (a piece wider than that is folded); with
    `words`, between items and words (see the module's docstring)."""
    width = max(1, width)
    lines: list[Text] = []
    for paragraph in text.split("\n", allow_blank=True):
        plain = paragraph.plain
        if not plain.strip():
            lines.append(Text(""))
            continue
        start: int | None = None
        end, used = 0, 0
        pieces, fresh = _word_pieces(plain, width) if words and cell_len(plain) > width else (_pieces(plain), set())
        for a, b, _ in pieces:
            size = cell_len(plain[a:b])
            if start is None:
                start, end, used = a, b, size
            else:
                gap = cell_len(plain[end:a])
                if used + gap + size <= width and a not in fresh:
                    end, used = b, used + gap + size
                else:
                    lines.append(paragraph[start:end])
                    start, end, used = a, b, size
            while used > width:  # one piece wider than the line: fold it
                cut, cells = start, 0
                while cells + cell_len(plain[cut]) <= width:
                    cells += cell_len(plain[cut])
                    cut += 1
                while cut - 1 > start and cut < end and plain[cut] in CLOSING:
                    cut -= 1  # fold before the character a closing mark follows, not before the mark
                cut = max(cut, start + 1)
                lines.append(paragraph[start:cut])
                start, used = cut, cell_len(plain[cut:end])
        lines.append(paragraph[start:end])
    for line in lines:
        line.rstrip()
    return lines


class Flow:
    """A Text that wraps by the rules above; measures its narrowest width as its widest piece."""

    def __init__(self, text: Text | str, indent: int = 0, words: bool = False):
        self.text = text if isinstance(text, Text) else Text(text)
        self.indent = indent
        self.words = words

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        plain = self.text.plain
        return Measurement(widest_piece(plain), widest_line(plain)).clamp(max_width=options.max_width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in self.lines(options.max_width):
            line.no_wrap, line.overflow, line.end = True, "fold", "\n"
            yield line

    def lines(self, width: int) -> list[Text]:
        """The text in lines of at most `width` cells, each after the first indented."""
        width = max(1, width)
        indent = self.indent if self.indent < width else 0
        lines = wrap(self.text, width - indent, self.words)
        if indent:
            lines[1:] = [Text(" " * indent).append_text(line) for line in lines[1:]]
        return lines


def flow(text: Text | str, indent: int = 0, words: bool = False) -> Flow:
    return text if isinstance(text, Flow) else Flow(text, indent, words)

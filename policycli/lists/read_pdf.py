"""A PDF with a text layer as rows: the cells of the tables where the page has ruled tables, the
lines of its text elsewhere, in page order. Lines that were only wrapped (at a cell's or the
page's right edge, the next line not indented or numbered) are joined; radical code points a
Chinese font put in the text layer (⼯ for 工, ⻋ for 车) are mapped to the ideographs they stand
for; spaces set around numbers (`2024 年`) are removed; nothing else is normalised. A scanned
PDF (no text layer) is refused. Lines count the rows and text lines in document order."""
from __future__ import annotations

import re
import unicodedata
from typing import Any

from ..errors import DataError
from .rows import Paragraph, Row, clean, need
from .wrapping import joined, starts_anew, tidy_numbers

MAX_PAGES = 500
KANGXI = re.compile(r"[\u2e80-\u2eff\u2f00-\u2fdf]")


def pdf_rows(raw: bytes, source: str) -> list[Row]:
    try:
        import pypdfium2 as pdfium  # PDFium, the PDF engine of Chromium: only here
    except ImportError:
        need("pypdfium2", ".pdf")
    try:
        document = pdfium.PdfDocument(raw)
    except Exception as exc:  # noqa: BLE001 - PdfiumError and others on what is not a PDF
        raise DataError(f"{source}: 不是有效的 PDF 文件，无法读取（{type(exc).__name__}），请重新导出 PDF 或找发文单位要 Word 文件") from None
    if len(document) > MAX_PAGES:
        raise DataError(f"{source}: PDF 有 {len(document)} 页，超过 {MAX_PAGES} 页，不像一份政策清单，未读取；请检查是否选对了文件")
    reader = _Reader(radicals())
    for page in document:
        chars, rules = _page_content(page)
        reader.page(chars, rules)
    if not reader.chars:
        raise DataError(f"{source}: 这个 PDF 没有文字层（是扫描件或图片），无法读取文字；请找发文单位要 Word 或文字版 PDF，"
                        "或先用文字识别（OCR）转成文字")
    reader.flush()
    return reader.rows


def _page_content(page: Any) -> tuple[list[dict], list[tuple[float, float, float, float]]]:
    """The page's characters (text and box, measured from the top) and its rules: thin filled or
    stroked paths, as (x0, top, x1, bottom)."""
    import pypdfium2.raw as pdfium_c

    height = page.get_height()
    text = page.get_textpage()
    chars = []
    for index in range(text.count_chars()):
        char = text.get_text_range(index, 1)
        if not char.strip():
            continue
        left, bottom, right, top = text.get_charbox(index, loose=True)
        chars.append({"text": char, "x0": left, "x1": right, "top": height - top, "bottom": height - bottom,
                      "size": top - bottom})
    rules = []
    for path in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH]):
        left, bottom, right, top = path.get_bounds()
        if min(right - left, top - bottom) < 2 < max(right - left, top - bottom):
            rules.append((left, height - top, right, height - bottom))
    return chars, rules


def radicals() -> dict[str, str]:
    """Radical code point -> ideograph: the CJK Radicals Supplement from data/radicals.txt
    (Unicode's EquivalentUnifiedIdeograph data), the Kangxi Radicals by NFKC."""
    from ..dataset.files import shipped_file

    table = {chr(c): unicodedata.normalize("NFKC", chr(c)) for c in range(0x2F00, 0x2FD6)}
    for line in shipped_file("radicals.txt").read_text(encoding="utf-8").splitlines():
        code = line.split("#", 1)[0].strip()
        if code:
            radical, ideograph = (chr(int(part, 16)) for part in code.split(";"))
            table[radical] = ideograph
    return table


class _Line:
    __slots__ = ("text", "x0", "x1", "top", "size")

    def __init__(self, chars: list[dict]):
        self.size = max(c["size"] for c in chars) or 1
        self.top = min(c["top"] for c in chars)
        self.x0 = chars[0]["x0"]
        self.x1 = chars[-1]["x1"]
        pieces = [chars[0]["text"]]
        for before, char in zip(chars, chars[1:]):
            if char["x0"] - before["x1"] > 0.25 * self.size and not pieces[-1].endswith(" "):
                pieces.append(" ")
            pieces.append(char["text"])
        self.text = "".join(pieces)


def _mid(char: dict) -> float:
    return (char["top"] + char["bottom"]) / 2


def lines_of(chars: list[dict]) -> list[_Line]:
    """Characters grouped into lines by their vertical middle (a flat glyph such as 一 has a box
    of its own height, but the same middle), left to right."""
    lines: list[list[dict]] = []
    size = 0.0
    for char in sorted(chars, key=_mid):
        if lines and abs(_mid(char) - _mid(lines[-1][0])) < max(size, char["size"]) / 2:
            lines[-1].append(char)
            size = max(size, char["size"])
        else:
            lines.append([char])
            size = char["size"]
    return [_Line(sorted(line, key=lambda c: c["x0"])) for line in lines]


CLOSING = set("，。、；：？！）》」』”’,.;:?!)]%")


def paragraphs_of(lines: list[_Line], right: float, left: float) -> list[str]:
    """Lines joined where the next line's first character (with the punctuation that may not
    begin a line) would not have fitted before the right edge, or where a line ended in a hyphen,
    and the next line is neither indented nor numbered."""
    out: list[str] = []
    gap: float | None = None  # room left at the end of the line before, None: it ended a paragraph
    for line in lines:
        text = line.text.strip()
        if not text:
            continue
        needed = line.size * (1.2 + (len(text) > 1 and text[1] in CLOSING))
        if gap is not None and gap < needed and out and line.x0 <= left + line.size and not starts_anew(text):
            out[-1] = joined(out[-1], text)
        else:
            out.append(text)
        gap = 0.0 if text[-1] in "-－" else right - line.x1  # a phone or word broken at its hyphen
    return out


class _Reader:
    def __init__(self, table: dict[str, str]):
        self.table = table
        self.rows: list[Row] = []
        self.line = 0
        self.chars = 0
        self.tables = 0
        self.columns = 0  # columns of the last table, when it was the last thing read
        self.pending: list[_Line] = []  # text lines outside tables not yet made paragraphs
        self.bounds = (0.0, 0.0)

    def radical_mapped(self, text: str) -> str:
        return KANGXI.sub(lambda m: self.table.get(m.group(), m.group()), text)

    def tidy(self, text: str) -> str:
        return clean(tidy_numbers(self.radical_mapped(text)))

    def page(self, chars: list[dict], rules: list[tuple[float, float, float, float]]) -> None:
        chars = [dict(c, text=self.radical_mapped(c["text"])) for c in chars]
        self.chars += len(chars)
        tables = tables_of(rules)
        boxes = [t.bbox for t in tables]
        outside = [c for c in chars if not any(_inside(c, b) for b in boxes)]
        blocks: list[tuple[float, Any]] = [(line.top, line) for line in lines_of(outside)]
        blocks += [(t.bbox[1], t) for t in tables]
        xs = [line.x1 for _, line in blocks if isinstance(line, _Line)]
        self.bounds = (max(xs, default=0.0), min((line.x0 for _, line in blocks if isinstance(line, _Line)), default=0.0))
        first = True
        for _, block in sorted(blocks, key=lambda b: b[0]):
            if isinstance(block, _Line):
                self.pending.append(block)
                self.columns = 0
            else:
                self.flush()
                self.read_table(block, chars, continues=first and self.columns == len(block.columns))
            first = False

    def flush(self) -> None:
        right, left = self.bounds
        for text in paragraphs_of(self.pending, right, left):
            self.line += 1
            self.rows.append(Row(self.line, [[Paragraph(self.line, self.tidy(text))]], loose=True))
        self.pending = []

    def read_table(self, table: Any, chars: list[dict], continues: bool) -> None:
        if not continues:
            self.tables += 1
        self.columns = len(table.columns)
        inside = [c for c in chars if _inside(c, table.bbox)]
        for top, bottom, boxes in table.rows:
            self.line += 1
            row = Row(self.line, table=self.tables)
            in_row = [c for c in inside if top <= _middle(c)[1] < bottom]
            for box in boxes:  # a cell merged across columns is one box
                cell_chars = [c for c in in_row if box[0] <= _middle(c)[0] < box[2]]
                lines = lines_of(cell_chars)
                left = min((line.x0 for line in lines), default=box[0])
                texts = paragraphs_of(lines, box[2] - (left - box[0]), left)
                row.cells.append([Paragraph(self.line, t) for t in map(self.tidy, texts) if t])
            if continues and self.rows and not self.rows[-1].loose and row.cells and not row.cells[0]:
                _join_rows(self.rows[-1], row)  # the rest of a row cut by the page's end
            elif any(row.cells):
                self.rows.append(row)
            continues = False


def _join_rows(before: Row, after: Row) -> None:
    for index, cell in enumerate(after.cells):
        if index >= len(before.cells):
            before.cells.append(cell)
        elif cell and before.cells[index]:
            last = before.cells[index][-1]
            before.cells[index][-1] = Paragraph(last.line, joined(last.text, cell[0].text), last.bold)
            before.cells[index] += [Paragraph(before.line, p.text) for p in cell[1:]]
        elif cell:
            before.cells[index] = [Paragraph(before.line, p.text) for p in cell]


class _Table:
    """A ruled table: its box, and each row's top, bottom and cell boxes (x0, top, x1, bottom)."""

    def __init__(self, rows: list[tuple[float, float, list[tuple[float, float, float, float]]]]):
        self.rows = rows
        self.columns = [None] * max(len(cells) for _, _, cells in rows)
        self.bbox = (min(c[0][0] for _, _, c in rows), rows[0][0], max(c[-1][2] for _, _, c in rows), rows[-1][1])


def tables_of(rules: list[tuple[float, float, float, float]]) -> list[_Table]:
    """The ruled tables among a page's rules: rules that cross each other, grouped; each band
    between horizontal rules a row, cut into cells by the vertical rules across it. The ends of
    the vertical rules count as horizontal ones, so the part of a row cut by the page's end is a
    row (joined again in `read_table`)."""
    vertical = [((r[0] + r[2]) / 2, r[1], r[3]) for r in rules if r[2] - r[0] < r[3] - r[1]]
    horizontal = [((r[1] + r[3]) / 2, r[0], r[2]) for r in rules if r[2] - r[0] >= r[3] - r[1]]
    groups = _crossing(vertical, horizontal)
    tables = []
    for v_rules, h_rules in groups:
        ys = _merged(sorted([y for y, _, _ in h_rules] + [min(t for _, t, _ in v_rules), max(b for _, _, b in v_rules)]))
        rows = []
        for top, bottom in zip(ys, ys[1:]):
            middle = (top + bottom) / 2
            xs = _merged(sorted(x for x, t, b in v_rules if t <= middle <= b))
            if bottom - top > 2 and len(xs) > 1:
                rows.append((top, bottom, [(x0, top, x1, bottom) for x0, x1 in zip(xs, xs[1:])]))
        if rows:
            tables.append(_Table(rows))
    return tables


def _crossing(vertical: list, horizontal: list) -> list[tuple[list, list]]:
    """Vertical and horizontal rules grouped by crossing (within a point): the rules of each table."""
    parent = list(range(len(vertical) + len(horizontal)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (x, top, bottom) in enumerate(vertical):
        for j, (y, x0, x1) in enumerate(horizontal):
            if x0 - 1 <= x <= x1 + 1 and top - 1 <= y <= bottom + 1:
                parent[root(i)] = root(len(vertical) + j)
    groups: dict[int, tuple[list, list]] = {}
    for i, rule in enumerate(vertical):
        groups.setdefault(root(i), ([], []))[0].append(rule)
    for j, rule in enumerate(horizontal):
        groups.setdefault(root(len(vertical) + j), ([], []))[1].append(rule)
    return [(v, h) for v, h in groups.values() if len(v) >= 2 and len(h) >= 2]


def _merged(values: list[float]) -> list[float]:
    """Sorted positions, those within 1.5 points of the one before taken as the same."""
    out: list[float] = []
    for value in values:
        if not out or value - out[-1] > 1.5:
            out.append(value)
    return out


def _middle(char: dict) -> tuple[float, float]:
    return (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2


def _inside(char: dict, box: tuple[float, float, float, float]) -> bool:
    x, y = _middle(char)
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]

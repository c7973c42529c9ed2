"""A saved web page (.html, .htm, or an .xls that is really HTML, as government sites often serve)
as rows: its data tables (a table holding no other table, with rows of two cells or more; other
tables only lay the page out) and the paragraphs of its text, in page order, in the page's declared encoding (GBK pages included). Scripts, styles, navigation, headers,
footers and sharing bars are left out. Lines are the lines of the page's source."""
from __future__ import annotations

import re
from typing import Any

from ..errors import DataError
from .encodings import decode_text
from .rows import Paragraph, Row, clean, need

SKIP = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "select", "button",
        "iframe", "head", "title", "template", "svg"}
BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "td", "th", "ul", "ol", "dl", "dt",
          "dd", "section", "article", "main", "blockquote", "pre", "center", "tbody", "thead", "body", "br", "hr"}
JUNK = re.compile(r"(^|[-_\s])(nav|navbar|menu|footer|foot|header|head|breadcrumb|crumb|banner|sidebar|share|copyright"
                  r"|toolbar|pagination|pager|related|topbar|top-bar|search|login)([-_\s\d]|$)", re.I)
CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.I)
SPACE = re.compile(r"\s+")
CJK_SPACE = re.compile(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])")


def html_rows(raw: bytes, source: str) -> tuple[list[Row], str]:
    """The page's rows and the encoding it was read in."""
    try:
        import lxml.html  # only here
    except ImportError:
        need("lxml", ".html")
    text, encoding = _decoded(raw, source)
    try:
        root = lxml.html.document_fromstring(text)
    except Exception as exc:  # noqa: BLE001 - lxml raises several kinds on what is not HTML at all
        raise DataError(f"{source}: 无法读取这个网页文件（{type(exc).__name__}），请在浏览器中重新“另存为网页”") from None
    walker = _Walker()
    walker.walk(root)
    return walker.rows, encoding


def _decoded(raw: bytes, source: str) -> tuple[str, str]:
    """The page's text in the encoding it declares (BOM, then <meta charset>), else UTF-8, else GBK."""
    if raw.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode_text(raw, source)
    declared = CHARSET.search(raw[:4096])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        name = "gb18030" if name in ("gb2312", "gbk", "gb18030", "x-gbk") else name
        try:
            return raw.decode(name), "gbk" if name == "gb18030" else name
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(raw, source)


def _text(element: Any) -> list[str]:
    """The lines of an element's text as a browser shows them: whitespace collapsed, a <br> or a
    block inside ending a line."""
    pieces: list[str] = []

    def visit(node: Any) -> None:
        if not isinstance(node.tag, str) or node.tag in SKIP:
            pieces.append(node.tail or "")
            return
        if node.tag in BLOCKS and node is not element:
            pieces.append("\n")
        pieces.append(node.text or "")
        for child in node:
            visit(child)
        if node.tag in BLOCKS and node is not element:
            pieces.append("\n")
        if node is not element:
            pieces.append(node.tail or "")

    visit(element)
    lines = "".join(pieces).split("\n")
    return [t for t in (clean(CJK_SPACE.sub("", SPACE.sub(" ", line))) for line in lines) if t]


def _bold(element: Any) -> str:
    """The bold words an element begins with (after its numbering), as a title."""
    first = next((c for c in element if isinstance(c.tag, str)), None)
    if first is None or first.tag not in ("strong", "b") or len((element.text or "").strip()) > 6:
        return ""
    return clean(SPACE.sub(" ", first.text_content()))


class _Walker:
    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.tables = 0
        self.blocky: set[Any] = set()
        self.last = 0

    def line_of(self, element: Any) -> int:
        """The element's line in the page's source; counted on where several share a line."""
        self.last = max(element.sourceline or 0, self.last + 1)
        return self.last

    def walk(self, root: Any) -> None:
        for element in root.iter():  # every element holding a block, so leaves are known at once
            if isinstance(element.tag, str) and element.tag in BLOCKS - {"br"}:
                parent = element.getparent()
                while parent is not None and parent not in self.blocky:
                    self.blocky.add(parent)
                    parent = parent.getparent()
        self.visit(root)

    def skipped(self, element: Any) -> bool:
        if not isinstance(element.tag, str) or element.tag in SKIP:
            return True
        marks = f"{element.get('class', '')} {element.get('id', '')} {element.get('role', '')}"
        return bool(JUNK.search(marks))

    def visit(self, element: Any) -> None:
        if self.skipped(element):
            return
        if element.tag == "table" and not element.xpath(".//table") and _has_columns(element):
            self.table(element)
        elif element not in self.blocky:
            self.paragraphs(element, _text(element))
        else:
            loose: list[str] = [element.text or ""]
            for child in element:
                if isinstance(child.tag, str) and (child in self.blocky or child.tag in BLOCKS):
                    self.paragraphs(element, _text_of(loose))
                    loose = []
                    self.visit(child)
                elif not self.skipped(child):
                    loose.append(child.text_content())
                loose.append(child.tail or "")
            self.paragraphs(element, _text_of(loose))

    def paragraphs(self, element: Any, lines: list[str]) -> None:
        bold = _bold(element) if element.tag in ("p", "div", "li") else ""
        for index, text in enumerate(lines):
            line = self.line_of(element)
            self.rows.append(Row(line, [[Paragraph(line, text, bold if index == 0 else "")]], loose=True))

    def table(self, element: Any) -> None:
        self.tables += 1
        carried: dict[int, tuple[int, list[Paragraph]]] = {}  # column -> (rows left, cell) of a rowspan
        for tr in element.iter("tr"):
            line = self.line_of(tr)
            row = Row(line, table=self.tables)
            column = 0
            cells = [c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]
            while cells or column in carried:
                if column in carried:
                    left, cell = carried.pop(column)
                    row.cells.append(cell)
                    if left > 1:
                        carried[column] = (left - 1, cell)
                    column += 1
                    continue
                td = cells.pop(0)
                cell = [Paragraph(line, t) for t in _text(td)]
                row.cells.append(cell)
                span = _span(td, "rowspan")
                if span > 1:
                    carried[column] = (span - 1, cell)
                column += _span(td, "colspan")  # a cell merged across columns counts once
            if any(row.cells):
                self.rows.append(row)


def _has_columns(table: Any) -> bool:
    """A table of data: some row has two cells or more (a table of one column is a layout box)."""
    return any(len([c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]) > 1 for tr in table.iter("tr"))


def _span(element: Any, name: str) -> int:
    try:
        return max(1, min(int(element.get(name, "1")), 1000))
    except ValueError:
        return 1


def _text_of(pieces: list[str]) -> list[str]:
    return [t for t in (clean(CJK_SPACE.sub("", SPACE.sub(" ", line))) for line in "".join(pieces).split("\n")) if t]

"""An official list file read into rows of cells: the Word table itself (.docx) or Word's text
export of it (.txt, encoding detected). Each paragraph keeps the line it came from (for a .docx,
the row of the table) so that every problem can be reported as ``FILE:LINE: problem``."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..dataset.files import read_bytes
from ..errors import DataError, InputError

BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")


@dataclass(frozen=True)
class Paragraph:
    line: int
    text: str


@dataclass
class Row:
    """A row of the table (cells of paragraphs), or a paragraph outside it (one cell, `loose`)."""

    line: int
    cells: list[list[Paragraph]] = field(default_factory=list)
    loose: bool = False

    def texts(self) -> list[str]:
        return ["\n".join(p.text for p in cell) for cell in self.cells]


@dataclass(frozen=True)
class ListFile:
    source: str
    rows: tuple[Row, ...]
    encoding: str  # "docx" for a Word file


def read_list(path: str | Path) -> ListFile:
    """The rows of the list at `path`; `DataError` when it cannot be read or holds nothing."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".doc", ".wps", ".pdf"):
        raise InputError(f"{path}: 不支持 {suffix} 文件，请在 Word 中另存为 .docx 或纯文本 .txt 后再导入")
    raw = _read_bytes(path)
    if not raw.strip():
        raise DataError(f"{path}: 文件是空的，没有可导入的内容；请检查是否选对了文件")
    if suffix == ".docx" or raw[:2] == b"PK":
        rows = docx_rows(raw, str(path))
        encoding = "docx"
    else:
        text, encoding = decode_text(raw, str(path))
        rows = text_rows(text)
    if not any(p.text for row in rows for cell in row.cells for p in cell):
        raise DataError(f"{path}: 文件里没有文字，没有可导入的内容；请检查是否选对了文件")
    return ListFile(source=str(path), rows=tuple(rows), encoding=encoding)


def _read_bytes(path: Path) -> bytes:
    """The list's bytes: a regular file of bounded size only (a FIFO or a device cannot hang an import)."""
    return read_bytes(path, "清单文件", "清单文件（.docx 或 .txt）")


# --- text export -------------------------------------------------------------------------------


def decode_text(raw: bytes, source: str) -> tuple[str, str]:
    """The text and the encoding it was found in: UTF-8 (with or without BOM), UTF-16 (with BOM,
    or without one: text has no zero bytes but UTF-16 has one in every tab, line end and digit,
    on the odd bytes for little-endian), else GB18030 (which includes GBK)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    elif b"\x00" in raw and len(raw) % 2 == 0:
        candidates = ["utf-16-le" if raw[1::2].count(0) > raw[0::2].count(0) else "utf-16-be"]
    else:
        candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text or _binary(text):
            break
        return text, {"utf-8-sig": "utf-8", "gb18030": "gbk"}.get(encoding, encoding)
    raise DataError(f"{source}: 无法识别文件的文字编码（不是 UTF-8、UTF-16 或 GBK 文本），请在 Word 中另存为 .docx 或 UTF-8 文本后再导入")


def _binary(text: str) -> bool:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    return controls > max(2, len(text) // 100)


def clean(text: str) -> str:
    return BOOKMARK.sub("", text).replace("\u3000", " ").strip()


def text_rows(text: str) -> list[Row]:
    """Word's text export: a line starting with a tab begins a cell, a line without one goes on
    with the cell before it (a second paragraph), a blank line ends the row. Lines outside any
    row are paragraphs of their own (the title)."""
    rows: list[Row] = []
    row: Row | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            row = None
            continue
        starts_cell = line.startswith("\t")
        paragraph = Paragraph(number, clean(line))
        if starts_cell:
            if row is None or row.loose:
                row = Row(number)
                rows.append(row)
            row.cells.append([paragraph] if paragraph.text else [])
        elif row is not None and not row.loose:
            if paragraph.text:
                row.cells[-1].append(paragraph)
        else:
            rows.append(Row(number, [[paragraph]], loose=True))
            row = None
    return rows


# --- Word --------------------------------------------------------------------------------------


def docx_rows(raw: bytes, source: str) -> list[Row]:
    """The paragraphs before the first table, then every row of every table; a cell merged across
    columns counts once, one merged across rows belongs to each of them. Lines are the 1-based
    count of paragraphs and rows in document order."""
    try:
        import docx  # python-docx: ~0.3 s to import, so only here
    except ImportError:
        raise InputError("读取 .docx 需要 python-docx：请运行 pip install 'policycli[docx]'，或在 Word 中另存为 .txt 后再导入") from None
    import io
    import zipfile

    try:
        document = docx.Document(io.BytesIO(raw))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise DataError(f"{source}: 不是有效的 .docx 文件（{type(exc).__name__}），请在 Word 中重新另存为 .docx") from None
    except Exception as exc:  # noqa: BLE001 - lxml and python-docx raise many kinds on damaged files
        raise DataError(f"{source}: 无法读取这个 .docx 文件（{type(exc).__name__}），请在 Word 中重新另存为 .docx") from None
    from docx.table import Table
    from docx.text.paragraph import Paragraph as DocxParagraph

    rows: list[Row] = []
    line = 0
    for block in document.iter_inner_content():
        if isinstance(block, DocxParagraph):
            line += 1
            text = clean(block.text)
            if text:
                rows.append(Row(line, [[Paragraph(line, text)]], loose=True))
        elif isinstance(block, Table):
            for table_row in block.rows:
                line += 1
                row = Row(line)
                previous = None
                for cell in table_row.cells:
                    if previous is not None and cell._tc is previous:
                        continue  # the same cell again: merged across columns
                    previous = cell._tc
                    texts = [clean(p) for para in cell.paragraphs for p in para.text.splitlines()]
                    row.cells.append([Paragraph(line, t) for t in texts if t])
                rows.append(row)
    return rows

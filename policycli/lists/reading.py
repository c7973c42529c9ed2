"""A published list file turned into rows of cells and loose paragraphs, whatever its format: a
text export (.txt, encoding detected; Word's, or a sheet saved as CSV or tab-delimited text),
Word (.docx), Excel (.xlsx), a saved web page (.html, in
its declared encoding) or a PDF with a text layer. A format only turns a file into rows; what the
rows mean is read by `drafting`, the same for every format. The format is recognised by content,
not by the file's name. Each paragraph keeps the line it came from (a line of the text, a row of
the table, a paragraph of the document) so every problem can be reported as ``FILE:LINE``."""
from __future__ import annotations

import re
from pathlib import Path

from ..dataset.files import read_bytes
from ..errors import DataError, InputError
from .encodings import decode_text
from .rows import ListFile, Paragraph, Row, clean
from .wrapping import joined_lines

HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|table|div|p)\b", re.I | re.S)


def read_list(path: str | Path) -> ListFile:
    """The rows of the list at `path`; `DataError` when it cannot be read or holds nothing."""
    path = Path(path)
    source = str(path)
    if path.is_symlink() and not path.exists():
        import os

        raise DataError(f"{path}: 是一个失效的链接（指向 {os.readlink(path)}，那里没有文件），请给出清单文件本身的路径")
    raw = read_bytes(path, "清单文件", "清单文件（.docx、.xlsx、.html、.pdf 或 .txt）")
    if not raw.strip():
        raise DataError(f"{path}: 文件是空的，没有可导入的内容；请检查是否选对了文件")
    rows, encoding = _rows_of(raw, source, path.suffix.lower())
    if not any(p.text for row in rows for cell in row.cells for p in cell):
        raise DataError(f"{path}: 文件里没有文字，没有可导入的内容；请检查是否选对了文件")
    return ListFile(source=source, rows=tuple(rows), encoding=encoding)


def _rows_of(raw: bytes, source: str, suffix: str) -> tuple[list[Row], str]:
    if raw.startswith(b"PK\x03\x04"):
        return _zip_rows(raw, source, suffix)
    if raw.startswith(b"%PDF-"):
        from .read_pdf import pdf_rows

        return pdf_rows(raw, source), "pdf"
    if raw.startswith(b"\xd0\xcf\x11\xe0") or raw.lstrip().startswith(b"{\\rtf"):
        raise InputError(_old_format(source, suffix))
    if suffix in (".doc", ".wps", ".docx", ".xlsx"):
        if not HTML_START.match(raw[:4096]):
            raise InputError(_old_format(source, suffix))
    if HTML_START.match(raw[:4096]):
        from .read_web import html_rows

        return html_rows(raw, source)
    text, encoding = decode_text(raw, source)
    if suffix == ".csv" or _tab_separated(text):
        return delimited_rows(text, "," if suffix == ".csv" else "\t"), encoding
    return text_rows(text), encoding


def _old_format(source: str, suffix: str) -> str:
    if suffix in (".xls", ".et"):
        return f"{source}: 不支持旧版 Excel 格式（{suffix}），请在 Excel 或 WPS 中另存为 .xlsx 后再导入"
    shown = suffix if suffix in (".doc", ".wps") else "旧版 Word/WPS 或 RTF 格式"
    return f"{source}: 不支持 {shown} 文件，请在 Word 或 WPS 中另存为 .docx（或纯文本 .txt）后再导入"


def _zip_rows(raw: bytes, source: str, suffix: str) -> tuple[list[Row], str]:
    from .zipped import members

    names = members(raw, source, suffix if suffix in (".docx", ".xlsx") else ".docx 或 .xlsx")
    if "word/document.xml" in names:
        from .read_word import docx_rows

        return docx_rows(raw, source), "docx"
    if "xl/workbook.xml" in names:
        from .read_sheet import xlsx_rows

        return xlsx_rows(raw, source), "xlsx"
    raise DataError(f"{source}: 是压缩文件，但不是 Word（.docx）或 Excel（.xlsx）文件，请检查是否选对了文件")


# --- text export -------------------------------------------------------------------------------


def text_rows(text: str) -> list[Row]:
    """Word's text export: a line starting with a tab begins a cell, a line without one goes on
    with the cell before it (a second paragraph), a blank line ends the row. Lines outside any
    row are paragraphs of their own (the title, or a list written as prose), joined where a line
    was only wrapped (a text copied out of a PDF)."""
    rows: list[Row] = []
    row: Row | None = None
    loose: list[Paragraph] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            row = None
            continue
        paragraph = Paragraph(number, clean(line))
        if line.startswith("\t"):
            if row is None or row.loose:
                if loose:
                    rows += _loose(loose)
                    loose = []
                row = Row(number, table=1)
                rows.append(row)
            row.cells.append([paragraph] if paragraph.text else [])
        elif row is not None and not row.loose:
            if paragraph.text:
                row.cells[-1].append(paragraph)
        elif paragraph.text:
            loose.append(paragraph)
    return rows + _loose(loose)


def _tab_separated(text: str) -> bool:
    """Excel's "text (tab-delimited)": cells apart by tabs on one line, no line starting with one
    (Word's export starts every cell's line with a tab)."""
    lines = text.splitlines()
    return not any(line.startswith("\t") for line in lines) and sum("\t" in line.strip() for line in lines) >= 2


def delimited_rows(text: str, delimiter: str) -> list[Row]:
    """A sheet saved as CSV or tab-delimited text: a record a row (a quoted cell may hold line
    breaks), its line the record's first line."""
    import csv
    import io

    rows: list[Row] = []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    line = 1
    for record in reader:
        row = Row(line, table=1)
        row.cells = [[Paragraph(line, t) for t in map(clean, cell.splitlines()) if t] for cell in record]
        while row.cells and not row.cells[-1]:
            row.cells.pop()
        if row.cells:
            rows.append(row)
        line = reader.line_num + 1
    return rows


def _loose(paragraphs: list[Paragraph]) -> list[Row]:
    return [Row(p.line, [[p]], loose=True) for p in joined_lines(paragraphs)]

"""A Word (.docx) list as rows: its paragraphs and the rows of its tables, in document order,
with the labels of Word's automatic numbering written out (`word_numbering`)."""
from __future__ import annotations

from typing import Any

from ..errors import DataError
from .rows import Paragraph, Row, clean, need


def docx_rows(raw: bytes, source: str) -> list[Row]:
    """Every paragraph (with its leading bold words) and every row of every table; a cell merged
    across columns counts once, one merged across rows belongs to each of them. Lines are the
    1-based count of paragraphs and rows in document order."""
    try:
        import docx  # python-docx: ~0.3 s to import, so only here
    except ImportError:
        need("python-docx", ".docx")
    import io

    try:
        document = docx.Document(io.BytesIO(raw))
    except Exception as exc:  # noqa: BLE001 - lxml and python-docx raise many kinds on damaged files
        raise DataError(f"{source}: 不是有效的 .docx 文件，无法读取（{type(exc).__name__}），请在 Word 中重新另存为 .docx") from None
    from docx.table import Table
    from docx.text.paragraph import Paragraph as DocxParagraph

    from .word_numbering import Numbering

    numbering = Numbering(document)
    rows: list[Row] = []
    line = tables = 0
    for block in document.iter_inner_content():
        if isinstance(block, DocxParagraph):
            line += 1
            text = clean(numbering.label(block) + block.text)
            if text:
                rows.append(Row(line, [[Paragraph(line, text, _bold_lead(block))]], loose=True))
        elif isinstance(block, Table):
            tables += 1
            for table_row in block.rows:
                line += 1
                rows.append(_row(table_row, line, tables, numbering))
    return rows


def _row(table_row: Any, line: int, table: int, numbering: Any) -> Row:
    row = Row(line, table=table)
    previous = None
    for cell in table_row.cells:
        if previous is not None and cell._tc is previous:
            continue  # the same cell again: merged across columns
        previous = cell._tc
        paragraphs = []
        for para in cell.paragraphs:
            bold = _bold_lead(para)
            for index, piece in enumerate((numbering.label(para) + para.text).splitlines()):
                if clean(piece):
                    paragraphs.append(Paragraph(line, clean(piece), bold if index == 0 else ""))
        row.cells.append(paragraphs)
    return row


def _bold_lead(paragraph: Any) -> str:
    """The bold words a paragraph begins with after its numbering (a title set in bold), when
    the rest is not bold."""
    import re

    lead: list[str] = []
    runs = list(paragraph.runs)
    for index, run in enumerate(runs):
        if run.bold:
            lead.append(run.text)
        elif not lead and re.fullmatch(r"[\s\d一二三四五六七八九十百第条（）().、．]*", run.text):
            continue  # the numbering before the title
        else:
            rest = "".join(r.text for r in runs[index:]).strip()
            return clean("".join(lead)) if lead and rest else ""
    return ""

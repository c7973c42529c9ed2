"""An Excel (.xlsx) list as rows: every sheet's rows in order, a cell merged across columns
counted once, one merged across rows belonging to each of them, line breaks in a cell kept as
paragraphs. Lines are the sheet's row numbers, counted on through later sheets."""
from __future__ import annotations

import datetime
from typing import Any

from ..errors import DataError
from .rows import Paragraph, Row, clean, need


def xlsx_rows(raw: bytes, source: str) -> list[Row]:
    try:
        import openpyxl  # only here: ~0.2 s to import
    except ImportError:
        need("openpyxl", ".xlsx")
    import io

    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on damaged files
        raise DataError(f"{source}: 不是有效的 .xlsx 文件，无法读取（{type(exc).__name__}），请在 Excel 中重新另存为 .xlsx") from None
    rows: list[Row] = []
    offset = 0
    for table, sheet in enumerate(book.worksheets, start=1):
        rows += _sheet_rows(sheet, table, offset)
        offset += sheet.max_row
    return rows


def _sheet_rows(sheet: Any, table: int, offset: int) -> list[Row]:
    across: set[tuple[int, int]] = set()  # cells covered by a merge from their left
    down: dict[tuple[int, int], tuple[int, int]] = {}  # cells covered by a merge from above -> its top-left
    for merged in sheet.merged_cells.ranges:
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                if c > merged.min_col:
                    across.add((r, c))
                elif r > merged.min_row:
                    down[(r, c)] = (merged.min_row, merged.min_col)
    rows = []
    for r, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
        line = offset + r
        row = Row(line, table=table)
        for c, value in enumerate(cells, start=1):
            if (r, c) in across:
                continue
            if (r, c) in down:
                top = down[(r, c)]
                value = sheet.cell(*top).value
            row.cells.append([Paragraph(line, t) for t in map(clean, _text(value).splitlines()) if t])
        while row.cells and not row.cells[-1]:
            row.cells.pop()
        if row.cells:
            rows.append(row)
    return rows


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()[:10]
    return str(value)

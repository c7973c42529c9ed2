"""Official list files made by the tests: small crafted lists, and a Word (.docx) copy of a text
export built with python-docx (merged heading rows, a column merged down several rows, two
offices and two people in one cell)."""
from __future__ import annotations

from pathlib import Path

HEADER = [["序号"], ["政策内容"], ["区级责任部门"], ["区工信局责任科室"], ["联系人、联系电话"]]


def item(number, content="对新认定的企业给予最高100万元奖补。", lead="牵头单位：区工信局、区财政局",
         office="信息化管理科", people=("陈辉平", "0532-86168249")) -> list[list[str]]:
    """The cells of an item row, each cell a list of paragraphs."""
    return [[str(number)], [content], [lead] if lead else [], office.split("\n") if office else [], list(people)]


def text_export(title: list[str], blocks: list) -> str:
    """A list as Word exports it to text: a cell starts with a tab, its further paragraphs follow
    without one, rows are separated by blank lines. A block is a str (a one-cell row) or a list
    of cells."""
    lines = ["附件：", *title]
    for block in blocks:
        cells = [[block]] if isinstance(block, str) else block
        for cell in cells:
            lines.append("\t" + (cell[0] if cell else ""))
            lines.extend(cell[1:])
        lines.append("")
    return "\n".join(lines) + "\n"


def crafted(*blocks, title=("青岛市2025年政策清单（第一批）",), heading="一、2025年新实施政策（共2项）") -> str:
    return text_export(list(title), [heading, HEADER, *blocks])


def official_blocks(text: str) -> tuple[list[str], list]:
    """Title paragraphs and rows of cells of the official text export, split on its own terms
    (tabs start cells, blank lines end rows): independent of the importer's reader."""
    import re

    title: list[str] = []
    rows: list[list[list[str]]] = []
    current: list[list[str]] | None = None
    for line in text.splitlines():
        line_text = re.sub(r"\[bookmark: [^\]]*\]", "", line).strip()
        if not line.strip():
            current = None
        elif line.startswith("\t"):
            if current is None:
                current = []
                rows.append(current)
            current.append([line_text] if line_text else [])
        elif current is not None:
            current[-1].append(line_text)
        elif line_text != "附件：":
            title.append(line_text)
    return title, rows


def build_docx(text: str, path: Path, merge_down: tuple[int, int] | None = None) -> Path:
    """A .docx of the text export: title paragraphs, one table with heading rows merged across
    its five columns; `merge_down` = (first, last) item numbers of part 一 whose office and
    contact cells are merged down into one (they must be the same in the text)."""
    import docx

    title, rows = official_blocks(text)
    document = docx.Document()
    for paragraph in title:
        document.add_paragraph(paragraph)
    table = document.add_table(rows=0, cols=5)
    item_rows: dict[int, int] = {}
    part = 0
    for cells in rows:
        row = table.add_row()
        if len(cells) == 1:
            merged = row.cells[0].merge(row.cells[4])
            merged.text = cells[0][0]
            part += cells[0][0][:2] in ("一、", "二、")
            continue
        for index, paragraphs in enumerate(cells[:5]):
            cell = row.cells[index]
            cell.text = paragraphs[0] if paragraphs else ""
            for more in paragraphs[1:]:
                cell.add_paragraph(more)
        if part == 1 and cells[0] and cells[0][0].isdigit():
            item_rows[int(cells[0][0])] = len(table.rows) - 1
    if merge_down:
        first, last = (item_rows[n] for n in merge_down)
        for column in (3, 4):
            top = table.cell(first, column)
            keep = [p.text for p in top.paragraphs]
            for row_index in range(first + 1, last + 1):
                table.cell(row_index, column).text = ""
            merged = top.merge(table.cell(last, column))
            merged.text = keep[0]
            for more in keep[1:]:
                merged.add_paragraph(more)
    document.save(str(path))
    return path

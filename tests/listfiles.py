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


def _escaped(text: str) -> str:
    import html

    return html.escape(text, quote=False)


PAGE = """<!DOCTYPE html>
<html><head><meta charset="{charset}"><title>{title}</title>
<style>body {{ font-family: "Noto Sans CJK SC", sans-serif; font-size: 12px; }}
table {{ border-collapse: collapse; width: 100%; }} td {{ border: 1px solid #000; padding: 3px; vertical-align: top; }}
td p {{ margin: 0; }}</style></head>
<body>
{before}<div class="article">
{body}
</div>
{after}</body></html>
"""
SITE = ("""<div class="header"><a href="/">首页</a> <a href="/zwgk">政务公开</a> <a href="/zcwj">政策文件</a></div>
<div class="breadcrumb">当前位置：首页 &gt; 政务公开 &gt; 政策文件</div>
""", """<div class="footer">主办单位：某某区人民政府办公室 联系电话：0532-80000000 版权所有</div>
<script>var visits = 1;</script>
""")


def build_html(text: str, layout: str = "table", charset: str = "utf-8", site: bool = True) -> str:
    """A web page of the text export as a bureau's site shows it, between a navigation bar and a
    footer (`site`; without them, the page as printed to PDF): the title paragraphs, then either one table (heading rows merged across it, a cell's
    paragraphs as <p>) or numbered paragraphs (`1.` items with labelled lines for lead unit,
    office and contact, as some notices are written)."""
    title, rows = official_blocks(text)
    body = [f"<p>{_escaped(t)}</p>" for t in title]
    if layout == "table":
        body.append('<table>')
        for cells in rows:
            if len(cells) == 1:
                body.append(f'<tr><td colspan="5"><strong>{_escaped(cells[0][0])}</strong></td></tr>')
            else:
                tds = "".join("<td>" + "".join(f"<p>{_escaped(p)}</p>" for p in cell) + "</td>" for cell in cells)
                body.append(f"<tr>{tds}</tr>")
        body.append("</table>")
    else:
        for cells in rows:
            if len(cells) == 1:
                body.append(f"<p><strong>{_escaped(cells[0][0])}</strong></p>")
            elif cells[0] and cells[0][0].isdigit():
                number, content, lead, office, contact = (cells + [[]] * 5)[:5]
                body.append(f"<p>{number[0]}. {_escaped(content[0])}</p>")
                body += [f"<p>{_escaped(p)}</p>" for p in content[1:]]
                body.append(f"<p>{_escaped(''.join(lead))}</p>")
                body.append(f"<p>责任科室：{_escaped('、'.join(office))}</p>")
                body.append(f"<p>联系人、联系电话：{_escaped(' '.join(contact))}</p>")
    before, after = SITE if site else ("", "")
    return PAGE.format(charset=charset, title=_escaped(title[-1] if title else ""), body="\n".join(body),
                       before=before, after=after)


def print_to_pdf(pages: dict[str, str], folder: Path) -> dict[str, Path] | None:
    """Each page (name: HTML) printed to `folder`/name.pdf on A4 by the system's Chromium, as a
    bureau's PDF attachment is made from its web page: all in one browser, closed afterwards. None
    when there is no Chromium or no Playwright to drive it."""
    import os

    from conftest import CHROMIUM, CHROMIUM_ARGS

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not os.access(CHROMIUM, os.X_OK):
        return None
    printed = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        tab = browser.new_page()
        for name, html in pages.items():
            tab.set_content(html)
            printed[name] = folder / f"{name}.pdf"
            tab.pdf(path=str(printed[name]), format="A4", margin={side: "1cm" for side in ("top", "right", "bottom", "left")})
        browser.close()
    return printed


def build_xlsx(text: str, path: Path, merge_down: tuple[int, int] | None = None) -> Path:
    """An Excel copy of the text export: the title merged across the first row, then the table
    with heading rows merged across its five columns, a cell's paragraphs as line breaks in the
    cell; `merge_down` = (first, last) item numbers of part 一 whose office and contact cells are
    merged down into one, as in `build_docx`."""
    import openpyxl

    title, rows = official_blocks(text)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "清单"
    notes = book.create_sheet("填表说明")
    notes.append(["本表由区工信局汇总，如有疑问请联系各责任科室。"])
    sheet.append(["".join(title)])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=5)
    item_rows: dict[int, int] = {}
    part = 0
    for cells in rows:
        if len(cells) == 1:
            sheet.append([cells[0][0]])
            sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=5)
            part += cells[0][0][:2] in ("一、", "二、")
            continue
        values = ["\n".join(c) for c in cells]
        sheet.append([int(values[0]) if values[0].isdigit() else values[0], *values[1:]])
        if part == 1 and values[0].isdigit():
            item_rows[int(values[0])] = sheet.max_row
    if merge_down:
        first, last = (item_rows[n] for n in merge_down)
        for column in (4, 5):
            for row in range(first + 1, last + 1):
                sheet.cell(row, column).value = None
            sheet.merge_cells(start_row=first, start_column=column, end_row=last, end_column=column)
    book.save(str(path))
    return path

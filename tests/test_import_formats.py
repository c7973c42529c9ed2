"""`policy import` of every format a list is published in, each read into the same rows and read
by the same code: the official list as .xlsx (openpyxl), as a saved web page (a table; numbered
paragraphs in GBK; an .xls that is really HTML) and as a PDF printed from the page by Chromium,
each giving exactly the parts, numbers, contents, lead units, offices, people and phones of the
text export (itself checked against data/policies.yaml in test_drafting); other layouts in
these formats; mislabelled, old and scanned files refused in one line."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import invoke, official_source
from listfiles import build_html, build_xlsx, crafted, item, print_to_pdf
from test_import_layouts import PROSE_DOTTED, imported, messages, opens_everywhere
from test_import_word import TRADITIONAL, zipped

from policycli.errors import DataError, InputError
from policycli.lists.reading import read_list


def facts(draft):
    return {
        "title": draft.title, "year": draft.year, "batch": draft.batch, "area_code": draft.area_code,
        "parts": [(p.number, p.name, p.count, p.sections) for p in draft.parts],
        "items": [(i.part, i.section, i.number, i.content, i.lead_units, [(c.office, c.person, c.phone) for c in i.contacts])
                  for i in draft.items],
    }


@pytest.fixture(scope="module")
def official():
    return imported(official_source())


@pytest.fixture(scope="module")
def text():
    return official_source().read_text(encoding="utf-8")


def test_excel_with_merged_cells_and_a_notes_sheet(official, text, tmp_path):
    path = build_xlsx(text, tmp_path / "清单.xlsx", merge_down=(11, 13))
    draft = imported(path)
    assert facts(draft) == facts(official)
    assert read_list(path).encoding == "xlsx"
    assert draft.columns[0].names == ("序号", "政策内容", "区级责任部门", "区工信局责任科室", "联系人、联系电话")
    assert [p.split(": ", 1)[1] for p in draft.problems][-1].startswith("无法识别的一行“本表由区工信局汇总")  # the second sheet
    opens_everywhere(draft, tmp_path)


def test_a_saved_web_page_with_the_table_inline(official, text, tmp_path):
    path = tmp_path / "关于公布政策清单的通知.html"
    path.write_text(build_html(text), encoding="utf-8")
    draft = imported(path)
    assert facts(draft) == facts(official)
    assert not [p for p in draft.problems + draft.notices if "主办单位" in p or "首页" in p]  # navigation and footer left out
    opens_everywhere(draft, tmp_path)


def test_a_gbk_web_page_of_numbered_paragraphs(official, text, tmp_path):
    path = tmp_path / "清单.htm"
    path.write_bytes(build_html(text, layout="paragraphs", charset="gb2312").encode("gbk"))
    listing = read_list(path)
    assert listing.encoding == "gbk"
    draft = imported(path)
    assert facts(draft) == facts(official)
    opens_everywhere(draft, tmp_path)


def test_an_xls_that_is_really_a_web_page_is_read_as_one(official, text, tmp_path):
    path = tmp_path / "清单.xls"
    path.write_text(build_html(text), encoding="utf-8")
    assert facts(imported(path)) == facts(official)


PROSE_PAGE = "<html><body style='font-size:14px;width:420px'>" + "".join(
    f"<p>{line}</p>" for line in PROSE_DOTTED.splitlines()) + "</body></html>"
SCANNED_PAGE = "<html><body><div style='width:300px;height:300px;background:#333'></div></body></html>"


@pytest.fixture(scope="module")
def printed(text, tmp_path_factory):
    """The module's PDFs, printed once: the official list's web page, a prose list and a page with no
    text (as a scan gives)."""
    pdfs = print_to_pdf({"清单": build_html(text, site=False), "措施": PROSE_PAGE, "扫描件": SCANNED_PAGE},
                        tmp_path_factory.mktemp("pdf"))
    if pdfs is None:
        pytest.skip("Chromium or Playwright is not installed: the PDF copies are printed from the web page by it")
    return pdfs


@pytest.fixture
def official_pdf(printed):
    return printed["清单"]


def test_a_pdf_printed_from_the_page(official, official_pdf, tmp_path):
    draft = imported(official_pdf)
    assert facts(draft) == facts(official)
    assert read_list(official_pdf).encoding == "pdf"
    opens_everywhere(draft, tmp_path)


def test_a_pdf_of_a_prose_list_joins_its_wrapped_lines(printed, tmp_path):
    draft = imported(printed["措施"])
    assert [(i.number, i.lead_units) for i in draft.items] == [(1, ["区工信局"]), (2, ["区工信局", "区财政局"]),
                                                               (3, ["区科技局"]), (4, ["区科技局"])]
    assert draft.items[2].content == "研发投入补助。对研发费用增长超过20%的企业，按增量部分的5%给予补助，最高100万元。"
    opens_everywhere(draft, tmp_path)


def test_a_scanned_pdf_is_refused_in_one_line(printed, tmp_path):
    pdf = printed["扫描件"]
    result = invoke("import", str(pdf), "-o", str(tmp_path / "d.yaml"))
    assert result.exit_code == 2
    assert result.stderr == (f"{pdf}: 这个 PDF 没有文字层（是扫描件或图片），无法读取文字；请找发文单位要 Word 或文字版 PDF，"
                             "或先用文字识别（OCR）转成文字\n")


def test_a_pdf_of_too_many_pages_is_refused_before_reading(official_pdf, monkeypatch):
    from policycli.lists import read_pdf

    monkeypatch.setattr(read_pdf, "MAX_PAGES", 1)
    with pytest.raises(DataError) as caught:
        read_list(official_pdf)
    assert "超过 1 页，不像一份政策清单，未读取" in caught.value.lines[0]


def test_radicals_of_a_text_layer_are_mapped_and_nothing_else_normalised():
    from policycli.lists.read_pdf import _Reader, radicals

    tidy = _Reader(radicals()).tidy
    assert tidy("⼈⺠政府 ⻋辆购置，最高 600 万元（2024 年）：ＡＩ") == "人民政府 车辆购置，最高600万元（2024年）：ＡＩ"


@pytest.mark.parametrize("rows", [TRADITIONAL])
def test_a_traditional_header_in_excel_and_on_a_web_page(rows, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(str(tmp_path / "匯編.xlsx"))
    page = "<table>" + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows) + "</table>"
    (tmp_path / "匯編.html").write_text(f"<html><body><p>高新區2021年政策匯編</p>{page}</body></html>", encoding="utf-8")
    for name in ("匯編.xlsx", "匯編.html"):
        draft = imported(tmp_path / name)
        assert [(i.number, i.title, [(c.office, c.person, c.phone) for c in i.contacts]) for i in draft.items] == [
            (1, "單項冠軍示範企業", [("產業發展科", "王明", "0571-87702345")]),
            (2, "專精特新小巨人", [("企業服務科", "李華", "0571-87702346")]),
            (3, "智能工廠", [("技術改造科", "趙強", "")]),
        ], name
        assert draft.items[0].notes == ["備註：按年度申報"]
        opens_everywhere(draft, tmp_path)


def test_a_gbk_page_of_a_prose_list(tmp_path):
    body = "".join(f"<p>{line}</p>" for line in PROSE_DOTTED.splitlines())
    page = f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=GBK"></head><body>{body}</body></html>'
    path = tmp_path / "措施.html"
    path.write_bytes(page.encode("gbk"))
    draft = imported(path)
    assert [(i.number, i.title, i.lead_units) for i in draft.items] == [
        (1, "设备更新奖补", ["区工信局"]), (2, "智能工厂认定", ["区工信局", "区财政局"]),
        (3, "研发投入补助", ["区科技局"]), (4, "高新技术企业奖励", ["区科技局"])]
    assert "清单没有写科室、联系人、电话，草稿中留空；查联系人时会说明这份清单没有列出联系方式" in messages(draft)
    opens_everywhere(draft, tmp_path)


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


@pytest.mark.parametrize("name, content, message", [
    ("清单.doc", OLE, "不支持 .doc 文件，请在 Word 或 WPS 中另存为 .docx（或纯文本 .txt）后再导入"),
    ("清单.wps", OLE, "不支持 .wps 文件，请在 Word 或 WPS 中另存为 .docx（或纯文本 .txt）后再导入"),
    ("清单.docx", OLE, "不支持 旧版 Word/WPS 或 RTF 格式 文件，请在 Word 或 WPS 中另存为 .docx（或纯文本 .txt）后再导入"),
    ("清单.xls", OLE, "不支持旧版 Excel 格式（.xls），请在 Excel 或 WPS 中另存为 .xlsx 后再导入"),
    ("清单.docx", zipped({"mimetype": b"application/zip", "content.xml": b"<x/>"}),
     "是压缩文件，但不是 Word（.docx）或 Excel（.xlsx）文件，请检查是否选对了文件"),
    ("清单.pdf", b"%PDF-1.4\n%broken", "不是有效的 PDF 文件，无法读取"),
])
def test_mislabelled_and_old_files_are_refused_in_one_line(name, content, message, tmp_path):
    path = tmp_path / name
    path.write_bytes(content)
    result = invoke("import", str(path), "-o", str(tmp_path / "d.yaml"))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{path}: {message}") and result.stderr.count("\n") == 1
    assert not (tmp_path / "d.yaml").exists()


def test_a_word_file_named_pdf_is_read_as_word(tmp_path):
    from listfiles import build_docx

    path = build_docx(crafted(item(1), item(2)), tmp_path / "清单.docx")
    renamed = path.rename(tmp_path / "清单.pdf")
    assert read_list(renamed).encoding == "docx" and len(imported(renamed).items) == 2


@pytest.mark.parametrize("module, build, what", [
    ("openpyxl", lambda p: build_xlsx(crafted(item(1), item(2)), p / "x.xlsx"), "读取 .xlsx 需要可选组件（openpyxl）"),
    ("lxml.html", lambda p: _written(p / "x.html", "<html><body><p>1. 内容</p></body></html>"), "读取 .html 需要可选组件（lxml）"),
    ("pypdfium2", lambda p: _written(p / "x.pdf", "%PDF-1.4"), "读取 .pdf 需要可选组件（pypdfium2）"),
])
def test_without_the_import_extra_the_error_names_it(module, build, what, tmp_path, monkeypatch):
    path = build(tmp_path)
    monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(InputError) as caught:
        read_list(path)
    assert caught.value.lines == [f"{what}：请运行 pip install 'policycli[import]'，或把清单另存为 .txt 后再导入"]


def _written(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_a_page_laid_out_with_nested_tables_and_items_split_by_line_breaks(tmp_path):
    items = "<br>".join(f"{n}、对新认定的企业给予一次性奖励{n}0万元，按年度申报。（责任单位：区商务局）" for n in range(1, 4))
    page = f"""<html><head><meta charset="utf-8"></head><body>
<table class="layout"><tr><td class="nav"><a href="/">首页</a></td></tr>
<tr><td><table width="100%"><tr><td><p align="center">某某区2024年商贸政策清单（第一批）</p><p>{items}</p></td></tr></table>
<p>备注：以上政策由区商务局负责解释。</p></td></tr></table></body></html>"""
    path = tmp_path / "清单.html"
    path.write_text(page, encoding="utf-8")
    draft = imported(path)
    assert (draft.title, draft.batch) == ("某某区2024年商贸政策清单（第一批）", "第一批")
    assert [(i.number, i.lead_units) for i in draft.items] == [(n, ["区商务局"]) for n in range(1, 4)]
    assert [m for m in messages(draft) if "无法识别" in m] == ["无法识别的一行“备注：以上政策由区商务局负责解释。”：不是部分、节或政策条目，未导入，请核对原文"]


@pytest.mark.parametrize("name, delimiter, encoding", [("清单.csv", ",", "utf-8-sig"), ("清单.txt", "\t", "gbk")])
def test_a_sheet_saved_as_csv_or_tab_delimited_text(name, delimiter, encoding, official, text, tmp_path):
    import csv
    import io

    from listfiles import official_blocks

    title, rows = official_blocks(text)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(["".join(title)])
    for cells in rows:
        writer.writerow(["\n".join(c) for c in cells])
    path = tmp_path / name
    path.write_bytes(buffer.getvalue().encode(encoding))
    assert facts(imported(path)) == facts(official)

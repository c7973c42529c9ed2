"""`policy import` of Word lists laid out otherwise than the official one (built with python-docx
after real published lists): a traditional-script header in another column order with person and
phone in two columns and a column the schema has no place for, a table without a header, parts as
unnumbered merged rows, prose with bold titles; and the bounds (a zip bomb, a blank or dangling
output)."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from conftest import invoke
from test_import_layouts import imported, messages, opens_everywhere


docx = pytest.importorskip("docx")


def table_document(path: Path, rows: list[list[str]], title: str = "", merged: tuple[int, ...] = ()) -> Path:
    """A .docx: an optional title paragraph, then one table of `rows`; the rows whose index is in
    `merged` are merged across the whole table."""
    document = docx.Document()
    if title:
        document.add_paragraph(title)
    width = max(len(r) for r in rows)
    table = document.add_table(rows=0, cols=width)
    for index, cells in enumerate(rows):
        row = table.add_row()
        if index in merged:
            row.cells[0].merge(row.cells[width - 1]).text = cells[0]
            continue
        for i, text in enumerate(cells):
            row.cells[i].text = text
    document.save(str(path))
    return path


TRADITIONAL = [
    ["序號", "項目", "聯繫電話", "政策條款", "責任科室", "聯繫人", "備註"],
    ["1", "單項冠軍示範企業", "0571-87702345", "對新認定的國家級製造業單項冠軍示範企業，給予一次性獎勵100萬元。", "產業發展科", "王明", "按年度申報"],
    ["2", "專精特新小巨人", "87702346", "對新認定的國家級專精特新「小巨人」企業，給予一次性獎勵50萬元。", "企業服務科", "李華", ""],
    ["3", "智能工廠", "13800001111", "對新認定的省級智能工廠，給予一次性獎勵30萬元。", "技術改造科", "趙強", ""],
]


def test_a_traditional_header_in_another_order_with_person_and_phone_apart(tmp_path):
    path = table_document(tmp_path / "政策匯編.docx", TRADITIONAL, title="高新區（濱江）經信局2021年政策匯編")
    draft = imported(path)
    assert [(i.number, i.title, i.content[:7], [(c.office, c.person, c.phone) for c in i.contacts], i.notes)
            for i in draft.items] == [
        (1, "單項冠軍示範企業", "對新認定的國家", [("產業發展科", "王明", "0571-87702345")], ["備註：按年度申報"]),
        (2, "專精特新小巨人", "對新認定的國家", [("企業服務科", "李華", "0571-87702346")], []),
        (3, "智能工廠", "對新認定的省級", [("技術改造科", "趙強", "")], ["联系电话：13800001111"]),
    ]
    assert draft.items[1].content == "對新認定的國家級專精特新「小巨人」企業，給予一次性獎勵50萬元。"  # kept as written
    assert [c.fields for c in draft.columns] == [("number", "title", "phone", "content", "office", "person", None)]
    assert (draft.region, draft.year, draft.area_code) == ("高新區（濱江）", 2021, "0571")
    assert messages(draft)[:2] == [
        "电话“87702346”没有区号，草稿按清单中其他电话补上区号 0571，请核实",
        "手机号“13800001111”不能作为科室电话记录，已记入该项 notes，请核实后补上",
    ]
    opens_everywhere(draft, tmp_path)
    result = invoke("import", str(path), "-o", str(tmp_path / "d.yaml"))
    assert result.exit_code == 0
    assert "识别的表头：序號→序号、項目→标题、聯繫電話→联系电话、政策條款→政策内容、責任科室→责任科室、聯繫人→联系人、備註→记入 notes" in result.stderr


def test_a_table_without_a_header_is_read_by_what_its_cells_look_like(tmp_path):
    rows = [["一、2025年新实施政策"],
            ["1", "对新建5G基站给予每个1万元补助。", "区工信局、区财政局", "信息化管理科", "陈某 0532-86168249"],
            ["2", "对新认定的工业互联网平台给予奖励50万元。", "区工信局", "信息化管理科", "陈某 0532-86168249"]]
    draft = imported(table_document(tmp_path / "清单.docx", rows, title="2025年某某区数字经济政策清单（第一批）", merged=(0,)))
    assert [(i.number, i.lead_units, [(c.office, c.person, c.phone) for c in i.contacts]) for i in draft.items] == [
        (1, ["区工信局", "区财政局"], [("信息化管理科", "陈某", "0532-86168249")]),
        (2, ["区工信局"], [("信息化管理科", "陈某", "0532-86168249")]),
    ]
    assert draft.columns[0].inferred and draft.columns[0].fields == ("number", "content", "lead", "office", "contact")
    opens_everywhere(draft, tmp_path)


def test_parts_as_unnumbered_merged_rows_and_a_combined_contact_column(tmp_path):
    rows = [["序号", "政策名称", "主要内容", "牵头部门", "联系人及电话"],
            ["新出台政策"],
            ["1", "首贷贴息", "对首次获得银行贷款的小微企业按贷款利息的50%给予贴息。", "区金融办", "张三 0532-81110001"],
            ["延续政策"],
            ["1", "上市奖励", "对在境内主板上市的企业给予奖励500万元。", "区金融办", "张三 0532-81110001"]]
    draft = imported(table_document(tmp_path / "清单.docx", rows, title="某某区2024年金融支持政策清单", merged=(1, 3)))
    assert [(p.number, p.name) for p in draft.parts] == [(1, "新出台政策"), (2, "延续政策")]
    assert [(i.part, i.number, i.title, i.lead_units) for i in draft.items] == [
        (1, 1, "首贷贴息", ["区金融办"]), (2, 1, "上市奖励", ["区金融办"])]
    assert draft.problems == []
    opens_everywhere(draft, tmp_path)


def test_an_item_over_two_rows_with_its_number_and_text_merged_down(tmp_path):
    rows = [["序号", "政策内容", "牵头单位", "责任科室", "联系人", "联系电话"],
            ["1", "对新认定的国家重点实验室给予奖励1000万元。", "区科技局", "科技项目科", "刘某", "0532-85160001"],
            ["", "", "", "高新技术科", "柳某", "0532-85160002"],
            ["2", "对新认定的高新技术企业给予奖励10万元。", "区科技局", "高新技术科", "柳某", "0532-85160002"]]
    path = table_document(tmp_path / "清单.docx", rows, title="某某区2024年科技政策清单")
    document = docx.Document(str(path))
    table = document.tables[0]
    for column in (0, 1, 2):
        keep = table.cell(1, column).text
        table.cell(1, column).merge(table.cell(2, column)).text = keep
    document.save(str(path))
    draft = imported(path)
    assert [(i.number, i.lead_units, [(c.office, c.person, c.phone) for c in i.contacts]) for i in draft.items] == [
        (1, ["区科技局"], [("科技项目科", "刘某", "0532-85160001"), ("高新技术科", "柳某", "0532-85160002")]),
        (2, ["区科技局"], [("高新技术科", "柳某", "0532-85160002")]),
    ]
    assert draft.problems == []
    opens_everywhere(draft, tmp_path)


def test_word_prose_with_bold_titles(tmp_path):
    document = docx.Document()
    document.add_paragraph("某某区2024年人才政策清单（第一批）")
    for n, (title, rest) in enumerate([("青年人才安居补贴。", "对新引进的全日制博士给予每月3000元租房补贴，最长3年。（责任单位：区人社局）"),
                                       ("高层次人才奖励", "对新入选国家级人才计划的给予奖励100万元。（责任单位：区人社局、区财政局）")], start=1):
        paragraph = document.add_paragraph(f"{n}. ")
        paragraph.add_run(title).bold = True
        paragraph.add_run(rest)
    path = tmp_path / "人才.docx"
    document.save(str(path))
    draft = imported(path)
    assert [(i.title, i.content[:8], i.lead_units) for i in draft.items] == [
        ("青年人才安居补贴", "对新引进的全日制", ["区人社局"]),
        ("高层次人才奖励", "对新入选国家级人", ["区人社局", "区财政局"]),
    ]
    assert draft.batch == "第一批"
    opens_everywhere(draft, tmp_path)


def zipped(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize("part", ["word/document.xml", "word/media/image1.png"])
def test_a_zip_bomb_is_refused_from_its_declared_sizes(part, tmp_path):
    path = tmp_path / "清单.docx"
    path.write_bytes(zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>", part: bytes(8 * 1024 * 1024)}))
    assert path.stat().st_size < 100_000
    result = invoke("import", str(path), "-o", str(tmp_path / "d.yaml"))
    assert result.exit_code == 2
    assert result.stderr == f"{path}: 文件解压后其中 {part} 过大（声明 8 MiB），不像正常的清单，未读取；请检查文件来源\n"
    assert not (tmp_path / "d.yaml").exists()


@pytest.mark.parametrize("output", ["", "  "])
def test_a_blank_output_is_refused(output, tmp_path):
    from conftest import official_source

    result = invoke("import", str(official_source()), "-o", output)
    assert result.exit_code == 2
    assert result.stderr == "草稿文件名是空的：请给出要写入的文件名，如 -o 草稿.yaml\n" and result.stdout == ""


def test_a_dash_for_output_prints_the_draft_and_writes_no_file(tmp_path, monkeypatch):
    from conftest import official_source

    monkeypatch.chdir(tmp_path)
    result = invoke("import", str(official_source()), "-o", "-")
    assert result.exit_code == 0 and result.stdout.startswith("# 草稿：从 policy-list-2024-batch1.txt 导入生成")
    assert list(tmp_path.iterdir()) == []


def test_dangling_links_are_named(tmp_path):
    from conftest import official_source

    (tmp_path / "out.yaml").symlink_to(tmp_path / "gone" / "x.yaml")
    result = invoke("import", str(official_source()), "-o", str(tmp_path / "out.yaml"))
    assert result.exit_code == 2 and "是一个失效的链接（指向" in result.stderr and "gone" in result.stderr
    (tmp_path / "in.docx").symlink_to(tmp_path / "missing.docx")
    result = invoke("import", str(tmp_path / "in.docx"))
    assert result.exit_code == 2 and result.stderr.startswith(f"{tmp_path / 'in.docx'}: 是一个失效的链接")


def test_word_automatic_numbering_is_read_as_shown(tmp_path):
    document = docx.Document()
    document.add_paragraph("某某区2024年人才政策清单")
    document.add_paragraph("对新引进的全日制博士给予每月3000元租房补贴，最长3年。（责任单位：区人社局）", style="List Number")
    document.add_paragraph("对新入选国家级人才计划的给予奖励100万元。（责任单位：区人社局、区财政局）", style="List Number")
    path = tmp_path / "人才.docx"
    document.save(str(path))
    draft = imported(path)
    assert [(i.number, i.lead_units) for i in draft.items] == [(1, ["区人社局"]), (2, ["区人社局", "区财政局"])]

    table_doc = docx.Document()
    table = table_doc.add_table(rows=0, cols=3)
    for cells in [("序号", "政策内容", "牵头单位"), ("", "对新认定的企业给予奖励10万元。", "区工信局"),
                  ("", "对新认定的平台给予奖励20万元。", "区工信局")]:
        row = table.add_row()
        for cell, text in zip(row.cells, cells):
            cell.text = text
    for row in table.rows[1:]:  # the number column numbered by Word, its cells empty of text
        row.cells[0].paragraphs[0].style = table_doc.styles["List Number"]
    table_doc.save(str(tmp_path / "表.docx"))
    assert [(i.number, i.content) for i in imported(tmp_path / "表.docx").items] == [
        (1, "对新认定的企业给予奖励10万元。"), (2, "对新认定的平台给予奖励20万元。")]


@pytest.mark.parametrize("n, shown", [(1, "一"), (10, "十"), (15, "十五"), (20, "二十"), (99, "九十九"),
                                      (105, "一百零五"), (110, "一百一十"), (120, "一百二十")])
def test_chinese_counting_as_word_shows_it(n, shown):
    from policycli.lists.numbering import cn_number
    from policycli.lists.word_numbering import chinese

    assert chinese(n) == shown and cn_number(shown) == n

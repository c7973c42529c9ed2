"""Import of an official list: the shipped text gives the shipped dataset's facts exactly (the
problems of the text reported, and recorded in the data as decisions); its .docx, GBK and UTF-16
copies give the same; every check on a small crafted list."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import official_source, shipped_catalog
from listfiles import build_docx, crafted, item

from policycli.lists.draft_yaml import draft_yaml
from policycli.lists.drafting import draft_from
from policycli.lists.reading import read_list
from policycli.load import load_catalog


def imported(path: Path):
    return draft_from(read_list(path))


def loaded_draft(draft, tmp_path: Path):
    out = tmp_path / "draft.yaml"
    out.write_text(draft_yaml(draft), encoding="utf-8")
    return load_catalog(out)


@pytest.fixture(scope="module")
def official_draft():
    return imported(official_source())


def facts(catalog):
    """Everything the official text states, per policy and for the dataset."""
    return {
        "title": catalog.title,
        "parts": [(p.number, p.name, list(p.sections)) for p in catalog.parts],
        "offices": [(o.name, o.contact, o.phone) for o in catalog.offices],
        "policies": [
            {"part": p.part, "section": p.section, "number": p.number, "content": p.content,
             "lead_units": list(p.lead_units), "offices": [(o.name, o.contact, o.phone) for o in p.offices]}
            for p in catalog.policies
        ],
    }


RECORDED = re.compile(r"原文牵头单位写作“(.+?)”，应为“(.+?)”")


def test_the_official_text_imports_to_the_shipped_facts(official_draft, tmp_path):
    """Field by field equal, except where data/policies.yaml records a decision (a note): there
    the importer must have reported the problem at that item, and the draft holds the text as
    published."""
    shipped = shipped_catalog()
    draft = loaded_draft(official_draft, tmp_path)
    problems = "\n".join(official_draft.problems)
    expected = facts(shipped)
    got = facts(draft)
    for policy, fact, item_ in zip(shipped.policies, got["policies"], official_draft.items):
        for note in policy.notes:
            published, recorded = RECORDED.search(note).groups()
            assert f":{item_.lead_line}: 单位写作“{published}”" in problems
            assert published in fact["lead_units"]
            fact["lead_units"] = [recorded if u == published else u for u in fact["lead_units"]]
    assert got == expected
    noted = [o for o in shipped.offices if o.note]
    assert [o.phone for o in noted] == ["0352-85161772"]
    assert "电话“0352-85161772”的区号 0352 与清单中其他电话的区号 0532 不同" in problems


def test_every_problem_of_the_official_text_is_a_decision_recorded_in_the_data(official_draft):
    lines = [int(re.search(r":(\d+): ", p).group(1)) for p in official_draft.problems]
    text = official_source().read_text(encoding="utf-8").splitlines()
    assert [text[n - 1].strip() for n in lines] == ["牵头单位：区发改局、区工信区、区财政局"] * 2 + ["0352-85161772"]


def test_the_draft_of_the_official_text_is_marked_as_a_draft(official_draft, tmp_path):
    draft = loaded_draft(official_draft, tmp_path)
    assert [p.id for p in draft.policies][:3] == ["draft-1-1", "draft-1-2", "draft-1-3"]
    assert draft.policies[15].id == "draft-2-1"
    assert all(len(p.title) <= 20 and p.content.startswith(p.title.removesuffix("…")) for p in draft.policies)
    cut = [p.title for p in draft.policies if p.title.endswith("…")]
    assert cut[:2] == ["全面推行经营主体以公共信用报告代替…", "对实施技术改造并符合相应标准的规模以上…"]  # whole words
    assert "对投保贷、投贷、跟贷等投（保）贷融资…" in cut
    assert draft.year == 2024 and draft.batch == "第一批" and draft.area_code == "0532"
    assert len(draft.todo) == 21  # the region, and every policy
    assert all(p.award is None and p.conditions is None and not p.keywords for p in draft.policies)
    assert [(p.count, p.number) for p in official_draft.parts] == [(15, 1), (5, 2)]


def draft_facts(draft):
    return {
        "title": draft.title,
        "parts": [(p.number, p.name, p.count, p.sections) for p in draft.parts],
        "items": [(i.part, i.section, i.number, i.content, i.lead_units, [(c.office, c.person, c.phone) for c in i.contacts])
                  for i in draft.items],
        "problems": len(draft.problems),
    }


def test_a_word_copy_imports_to_the_same_result(official_draft, tmp_path):
    text = official_source().read_text(encoding="utf-8")
    word = build_docx(text, tmp_path / "清单.docx", merge_down=(11, 13))
    draft = imported(word)
    assert draft_facts(draft) == draft_facts(official_draft)
    two = draft.items[15]
    assert [(c.office, c.person, c.phone) for c in two.contacts] == [
        ("科技项目科", "刘琦", "0532-85162339"), ("高新技术科", "柳叙英", "0532-85161795")]
    assert all(re.match(r".*清单\.docx:\d+: ", p) for p in draft.problems)


def test_the_word_copy_really_has_merged_cells(tmp_path):
    import docx

    text = official_source().read_text(encoding="utf-8")
    table = docx.Document(str(build_docx(text, tmp_path / "x.docx", merge_down=(11, 13)))).tables[0]
    heading = table.rows[0].cells
    assert heading[0]._tc is heading[4]._tc
    offices = [row.cells[3]._tc for row in table.rows]
    assert len(offices) - len(set(map(id, offices))) >= 2


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_other_encodings_import_to_the_same_result(encoding, official_draft, tmp_path):
    text = official_source().read_text(encoding="utf-8")
    copy = tmp_path / official_source().name
    copy.write_bytes(text.encode(encoding))
    draft = imported(copy)
    assert read_list(copy).encoding == {"gb18030": "gbk", "utf-8-sig": "utf-8"}.get(encoding, encoding)
    assert draft_yaml(draft) == draft_yaml(official_draft)
    assert [p.split(": ", 1)[1] for p in draft.problems] == [p.split(": ", 1)[1] for p in official_draft.problems]


# --- checks, on small crafted lists ------------------------------------------------------------


def problems_of(text: str, tmp_path: Path, name="list.txt") -> list[str]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return imported(path).problems


def line_of(text: str, needle: str, nth: int = 1) -> int:
    found = [i for i, line in enumerate(text.splitlines(), start=1) if needle in line]
    return found[nth - 1]


def test_a_clean_list_has_no_problems(tmp_path):
    assert problems_of(crafted(item(1), item(2)), tmp_path) == []


def test_a_part_heading_count_that_differs_from_the_items(tmp_path):
    text = crafted(item(1), item(2), heading="一、2025年新实施政策（共3项）")
    assert problems_of(text, tmp_path) == [
        f"{tmp_path / 'list.txt'}:{line_of(text, '共3项')}: 部分标题写“共3项”，实际找到 2 项，请核对原文"]


def test_a_repeated_number(tmp_path):
    text = crafted(item(1), item(1, content="另一项内容。"))
    assert problems_of(text, tmp_path) == [
        f"{tmp_path / 'list.txt'}:{line_of(text, chr(9) + '1', 2)}: 序号 1 重复（第 {line_of(text, chr(9) + '1')} 行已有），请核对原文"]


def test_numbers_out_of_order(tmp_path):
    text = crafted(item(1), item(3), heading="一、新政策")
    assert problems_of(text, tmp_path) == [
        f"{tmp_path / 'list.txt'}:{line_of(text, chr(9) + '3')}: 序号 3 不连续：上一项是 1，应为 2，请核对原文"]


@pytest.mark.parametrize("missing, row", [
    ("科室", item(2, office="")),
    ("联系人", item(2, people=("0532-86168249",))),
    ("电话", item(2, people=("陈辉平",))),
])
def test_an_item_without_office_person_or_phone(missing, row, tmp_path):
    text = crafted(item(1), row)
    problems = problems_of(text, tmp_path)
    assert f"{tmp_path / 'list.txt'}:{line_of(text, chr(9) + '2')}: 第 2 项没有{missing}，请补上后再用（草稿中留空）" in problems


def test_a_phone_with_another_area_code(tmp_path):
    text = crafted(item(1), item(2, office="成果转化与创新孵化科", people=("刘永华", "0352-85161772")), item(3),
                   heading="一、新政策（共3项）")
    assert problems_of(text, tmp_path) == [
        f"{tmp_path / 'list.txt'}:{line_of(text, '0352-')}: 电话“0352-85161772”的区号 0352 与清单中其他电话的区号 0532 不同，"
        "草稿照原文记录，请向发文单位核实后在科室上加 note 说明"]


def test_a_unit_written_two_ways(tmp_path):
    text = crafted(item(1), item(2, lead="牵头单位：区发改局、区工信区"), item(3), heading="一、新政策（共3项）")
    assert problems_of(text, tmp_path) == [
        f"{tmp_path / 'list.txt'}:{line_of(text, '区工信区')}: 单位写作“区工信区”，别处写作“区工信局”（2 处），可能是同一单位的两种写法；"
        "草稿照原文记录，核实后请改正并在 notes 中说明"]


def test_a_unit_written_two_ways_marks_the_items_lead_units_as_drafted(official_draft, tmp_path):
    draft = loaded_draft(official_draft, tmp_path)
    marked = {p.number: p.drafted for p in draft.policies if "lead_units" in p.drafted}
    assert marked == {9: ("id", "title", "lead_units"), 10: ("id", "title", "lead_units")}  # 区工信区
    assert all(p.drafted == ("id", "title") for p in draft.policies if p.number not in marked or p.part != 1)
    assert draft.unconfirmed and not load_catalog(None).unconfirmed


def test_units_of_other_levels_or_names_are_not_taken_for_one(tmp_path):
    text = crafted(item(1, lead="牵头单位：区财政局、区发改局"), item(2, lead="牵头单位：市财政局、区工信局"))
    assert problems_of(text, tmp_path) == []


def test_problems_are_reported_never_fixed(tmp_path):
    text = crafted(item(1, lead="牵头单位:区工信区、区财政局", office="成果转化与创新孵化科", people=("刘永华", "0352-85161772")),
                   item(1), heading="一、新政策（共3项）")
    path = tmp_path / "list.txt"
    path.write_text(text, encoding="utf-8")
    draft = imported(path)
    assert len(draft.problems) == 4
    assert [(i.number, i.lead_units) for i in draft.items] == [(1, ["区工信区", "区财政局"]), (1, ["区工信局", "区财政局"])]
    assert draft.items[0].contacts[0].phone == "0352-85161772"
    assert draft.parts[0].count == 3
    assert [i.id for i in draft.items] == ["draft-1-1", "draft-1-1-2"]


def test_both_colons_bookmarks_and_several_offices_in_one_cell(tmp_path):
    text = crafted(
        item(1, lead="[bookmark: _Hlk1]牵头单位:区工信局、区财政局"),
        item(2, office="科技项目科\n高新技术科", people=("刘琦", "0532-85162339", "柳叙英", "0532-85161795")))
    path = tmp_path / "list.txt"
    path.write_text(text, encoding="utf-8")
    draft = imported(path)
    assert draft.problems == []
    assert draft.items[0].lead_units == ["区工信局", "区财政局"]
    assert [(c.office, c.person, c.phone) for c in draft.items[1].contacts] == [
        ("科技项目科", "刘琦", "0532-85162339"), ("高新技术科", "柳叙英", "0532-85161795")]
    assert [o.office for o in draft.offices()] == ["信息化管理科", "科技项目科", "高新技术科"]


def test_a_person_and_phone_on_one_line(tmp_path):
    text = crafted(item(1, people=("陈辉平 0532-86168249",)), item(2))
    assert problems_of(text, tmp_path) == []


def test_a_crafted_draft_loads_with_its_problems_kept(tmp_path):
    text = crafted(item(1), item(2, lead="牵头单位：区发改局、区工信区"), item(3), heading="一、新政策（共4项）")
    path = tmp_path / "list.txt"
    path.write_text(text, encoding="utf-8")
    catalog = loaded_draft(imported(path), tmp_path)
    assert catalog.policies[1].lead_units == ("区发改局", "区工信区")
    assert any("原文标题写共 4 项，数据中有 3 项" in w for w in catalog.warnings)


def test_an_office_given_with_two_different_contacts(tmp_path):
    text = crafted(item(1), item(2, people=("王某", "0532-86168249")))
    assert problems_of(text, tmp_path) == [
        f"{tmp_path / 'list.txt'}:{line_of(text, '0532-86168249', 2)}: 科室“信息化管理科”这里写作 王某 0532-86168249，"
        f"第 {line_of(text, '0532-86168249')} 行写作 陈辉平 0532-86168249；草稿按第一次出现的记录，请核实"]


def test_a_row_that_is_neither_heading_nor_item_is_reported(tmp_path):
    text = crafted(item(1), [["备注"], ["本清单由区工信局解释"]], item(2))
    assert problems_of(text, tmp_path) == [
        f"{tmp_path / 'list.txt'}:{line_of(text, '备注')}: 无法识别的一行“备注”：不是部分、节或政策条目，未导入，请核对原文"]


def test_control_characters_of_the_list_are_shown_not_replayed_in_messages(tmp_path):
    text = crafted(item(1), [["\x1b]0;x\x07备注"], ["说明"]], item(2))
    problems = problems_of(text, tmp_path)
    assert len(problems) == 1 and "“\\x1b]0;x\\x07备注”" in problems[0] and "\x1b" not in problems[0]


def test_a_windows_text_export_with_crlf_imports_the_same(official_draft, tmp_path):
    text = official_source().read_text(encoding="utf-8")
    copy = tmp_path / official_source().name
    copy.write_bytes(text.replace("\n", "\r\n").encode("gbk"))
    assert draft_yaml(imported(copy)) == draft_yaml(official_draft)

"""`policy import` on lists laid out as other districts publish theirs (built here after real
published lists; no real document is kept): prose numbered 1. / （一） / 第一条 with a trailing
（责任单位：…） or （…牵头，…配合） clause, parts whose heading names the lead unit, sections whose
numbering starts again, Word tables with traditional headers in another order, separate person
and phone columns, no header at all, bold titles; titles without a batch, lists without contacts,
numbers past 10000, a last item cut off. Each asserts the items, fields and warnings, and that the
draft opens in every command."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import invoke

from policycli.lists.draft_yaml import draft_yaml
from policycli.lists.drafting import draft_from
from policycli.lists.reading import read_list

NOTICE = """关于印发《某某区促进制造业高质量发展若干政策措施》的通知
各街道办事处，区直有关部门：
现将《某某区促进制造业高质量发展若干政策措施》印发给你们，请认真贯彻落实。
某某区人民政府办公室
2024年3月15日
"""

PROSE_DOTTED = NOTICE + """某某区促进制造业高质量发展若干政策措施
为加快推进新型工业化，结合我区实际，制定如下政策措施。
一、支持企业技术改造
1. 设备更新奖补。对年度设备投资额超过500万元的规模以上工业企业，按设备投资额的10%给予奖补，最高200万元。（区工信局牵头，区财政局配合）
2. 智能工厂认定。对新认定的市级智能工厂给予一次性奖励50万元，数字化车间给予奖励20万元。（责任单位：区工信局、区财政局）
二、支持科技创新
3. 研发投入补助。对研发费用增长超过20%的企业，按增量部分的5%给予补助，最高100万元。（区科技局牵头）
4. 高新技术企业奖励。对首次认定的高新技术企业给予奖励10万元，重新认定的给予奖励5万元。（区科技局牵头，区税务局配合）
本措施自2024年4月1日起施行，有效期至2026年12月31日，由区工信局负责解释。
"""


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def imported(path: Path):
    return draft_from(read_list(path))


def opens_everywhere(draft, tmp_path: Path) -> Path:
    """The draft written, and every reading command on it exiting 0 (found) or 1 (nothing found)."""
    out = tmp_path / "draft.yaml"
    out.write_text(draft_yaml(draft), encoding="utf-8")
    for args in (["list"], ["search", "奖励"], ["contacts"], ["show", draft.items[0].id], ["validate", str(out)]):
        result = invoke("--data", str(out), *args)
        assert result.exit_code in (0, 1), (args, result.stderr)
        assert "Traceback" not in result.stderr
    return out


def fields(draft) -> list[tuple]:
    return [(i.part, i.section, i.number, i.title, i.lead_units, [(c.office, c.person, c.phone) for c in i.contacts])
            for i in draft.items]


def messages(draft) -> list[str]:
    return [p.split(": ", 1)[1] for p in draft.problems + draft.notices]


def test_a_prose_list_numbered_1_dot_with_lead_clauses(tmp_path):
    path = write(tmp_path, "措施.txt", PROSE_DOTTED)
    draft = imported(path)
    assert draft.title == "某某区促进制造业高质量发展若干政策措施"
    assert (draft.year, draft.batch, draft.region, draft.area_code) == (2024, "", "某某区", "")
    assert [(p.number, p.name) for p in draft.parts] == [(1, "支持企业技术改造"), (2, "支持科技创新")]
    assert fields(draft) == [
        (1, None, 1, "设备更新奖补", ["区工信局"], []),
        (1, None, 2, "智能工厂认定", ["区工信局", "区财政局"], []),
        (2, None, 3, "研发投入补助", ["区科技局"], []),
        (2, None, 4, "高新技术企业奖励", ["区科技局"], []),
    ]
    # a short first sentence is the drafted title and stays in the text
    assert draft.items[0].content == "设备更新奖补。对年度设备投资额超过500万元的规模以上工业企业，按设备投资额的10%给予奖补，最高200万元。"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert messages(draft) == [
        f"无法识别的一行“{lines[-1][:20]}…”：不是部分、节或政策条目，未导入，请核对原文",
        "年份“2024”取自清单前的通知或日期（标题中没有），请核实",
        "清单和文件名中都没有找到批次，草稿中留空（draft 中已标出），请填写 batch",
        "清单没有写科室、联系人、电话，草稿中留空；查联系人时会说明这份清单没有列出联系方式",
    ]
    assert draft.unplaced == [1, 2, 3, 4, 5, 7]
    out = opens_everywhere(draft, tmp_path)
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["draft"] == ["region", "batch", "area_code"] and data["offices"] == []
    result = invoke("--data", str(out), "contacts")
    assert result.exit_code == 1 and "没有列出科室、联系人或电话" in result.stderr


def test_cn_paren_items_under_parts_that_name_the_lead_unit(tmp_path):
    text = """2025年某某区推动经济高质量发展若干政策举措
一、强化科技创新(区科技局牵头)
以科技创新为引领，加快培育新质生产力。
(一)加强创新平台建设。对新认定的省级重点实验室，给予一次性奖励100万元；对市级重点实验室给予奖励30万元。
(二)支持企业加大研发投入。对年度研发投入超过1000万元的企业，按其增量部分给予最高50万元补助。
二、扩大有效投资(区发改局牵头)
(一)支持重大项目建设。对总投资超过5亿元的新建工业项目，按设备投资额的5%给予补助，最高500万元。（责任单位：区发改局、区工信局）
"""
    draft = imported(write(tmp_path, "举措.txt", text))
    assert (draft.year, draft.region) == (2025, "某某区")
    assert [(i.part, i.number, i.title, i.lead_units) for i in draft.items] == [
        (1, 1, "加强创新平台建设", ["区科技局"]),
        (1, 2, "支持企业加大研发投入", ["区科技局"]),
        (2, 1, "支持重大项目建设", ["区发改局", "区工信局"]),
    ]
    assert [p.name for p in draft.parts] == ["强化科技创新", "扩大有效投资"]
    assert messages(draft)[0] == "无法识别的一行“以科技创新为引领，加快培育新质生产力。”：不是部分、节或政策条目，未导入，请核对原文"
    opens_everywhere(draft, tmp_path)


def test_three_levels_with_numbers_starting_again_in_each_section(tmp_path):
    text = """某某市进一步支持民间投资发展的若干措施（第二批）
一、发挥重大项目牵引作用
（一）支持民间资本参与重大工程。
1、梳理一批收益稳定的项目，常态化向民间资本推介，按项目投资额的1%给予前期费用补助。（市发展改革委牵头负责）
2、对民间资本控股的重点项目，按贷款市场报价利率的50%给予贴息，最长3年。（市财政局、市发展改革委按职责分工负责）
（二）鼓励民间资本参与新型基础设施建设。
1、对民营企业投资建设的5G基站、数据中心，按实际投资额的10%给予补助，最高300万元。（市工业和信息化局牵头）
"""
    draft = imported(write(tmp_path, "措施.txt", text))
    assert draft.batch == "第二批" and draft.region == "某某市"
    assert [(i.part, i.section, i.number, i.lead_units, i.notes) for i in draft.items] == [
        (1, "支持民间资本参与重大工程", 1, ["市发展改革委"], ["原文序号：支持民间资本参与重大工程 1"]),
        (1, "支持民间资本参与重大工程", 2, ["市财政局", "市发展改革委"], ["原文序号：支持民间资本参与重大工程 2"]),
        (1, "鼓励民间资本参与新型基础设施建设", 3, ["市工业和信息化局"], ["原文序号：鼓励民间资本参与新型基础设施建设 1"]),
    ]
    assert "清单各节的序号从 1 重新开始，草稿按部分连续编号，原文序号记在每项的 notes 中" in messages(draft)
    assert not draft.problems
    opens_everywhere(draft, tmp_path)


def test_articles_with_titles_before_a_colon(tmp_path):
    text = """某某县2024年工业经济稳增长政策清单
第一条 技术改造奖补：对技术改造项目按设备投资额的8%给予奖补，最高300万元。（牵头单位：县工信局）
第二条 首台套奖励：对首次认定的省级首台（套）装备给予一次性奖励50万元。（牵头单位：县工信局）
第三条 上规奖励：对首次纳入规模以上统计的工业企业给予奖励10万元。（牵头单位：县统计局）
"""
    draft = imported(write(tmp_path, "清单.txt", text))
    assert [(i.number, i.title, i.lead_units, i.content[:8]) for i in draft.items] == [
        (1, "技术改造奖补", ["县工信局"], "对技术改造项目按"),
        (2, "首台套奖励", ["县工信局"], "对首次认定的省级"),
        (3, "上规奖励", ["县统计局"], "对首次纳入规模以"),
    ]
    assert draft.region == "某某县" and draft.year == 2024
    assert [p.name for p in draft.parts] == [""]
    opens_everywhere(draft, tmp_path)


@pytest.mark.parametrize("mark", ["{n}、", "（{n}）", "({n})", "{n}．"])
def test_other_arabic_numbering(mark, tmp_path):
    body = "".join(f"{mark.format(n=n)}对符合条件的企业给予一次性奖励{n}0万元，具体按年度申报通知执行。（责任单位：区商务局）\n"
                   for n in range(1, 4))
    draft = imported(write(tmp_path, "清单.txt", "2024年某某区商贸流通政策清单\n" + body))
    assert [(i.number, i.lead_units) for i in draft.items] == [(n, ["区商务局"]) for n in range(1, 4)]
    opens_everywhere(draft, tmp_path)


def test_a_last_item_cut_off_mid_sentence_is_kept_and_flagged(tmp_path):
    text = PROSE_DOTTED.replace("（区科技局牵头，区税务局配合）\n本措施自2024年4月1日起施行，有效期至2026年12月31日，由区工信局负责解释。\n", "")
    text = text.replace("重新认定的给予奖励5万元。", "重新认定的给予")
    path = write(tmp_path, "措施.txt", text)
    draft = imported(path)
    assert draft.items[-1].content.endswith("重新认定的给予")
    line = len(text.splitlines())
    assert f"{path}:{line}: 最后一项（第 4 项）的内容没有写完就结束了（“…10万元，重新认定的给予”），可能被截断；草稿照录，请与原文核对" in draft.problems


def test_a_pdf_copy_wrapped_in_lines_is_joined(tmp_path):
    lines = []
    for n in range(1, 4):
        text = f"{n}. 对新认定的国家级专精特新小巨人企业给予一次性奖励{n}0万元，对省级专精特新中小企业给予奖励5万元，对市级给予奖励2万元。（责任单位：区工信局）"
        lines += [text[i:i + 30] for i in range(0, len(text), 30)]
    draft = imported(write(tmp_path, "清单.txt", "某某区2024年专精特新企业培育政策\n" + "\n".join(lines) + "\n"))
    assert len(draft.items) == 3
    assert draft.items[1].content == "对新认定的国家级专精特新小巨人企业给予一次性奖励20万元，对省级专精特新中小企业给予奖励5万元，对市级给予奖励2万元。"
    assert draft.items[1].lead_units == ["区工信局"]
    opens_everywhere(draft, tmp_path)


def test_numbers_past_ten_thousand(tmp_path):
    from listfiles import crafted, item

    rows = [item(n) for n in range(9998, 10003)]
    draft = imported(write(tmp_path, "list.txt", crafted(*rows, heading="一、新政策")))
    assert [i.number for i in draft.items] == [9998, 9999, 10000, 10001, 10002]
    assert [m for m in messages(draft) if "不连续" in m] == ["序号 9998 不连续：上一项是 0，应为 1，请核对原文"]


def test_a_title_without_batch_opens_at_once(tmp_path):
    from listfiles import crafted, item

    draft = imported(write(tmp_path, "list.txt", crafted(item(1), item(2), title=("青岛市某某区2025年科技创新政策清单",))))
    assert (draft.batch, draft.year, draft.region) == ("", 2025, "青岛市某某区")
    out = opens_everywhere(draft, tmp_path)
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["draft"] == ["region", "batch"]
    result = invoke("validate", str(out))
    assert result.exit_code == 0 and "待完成：确认地区 region、批次 batch（草拟）后从 draft 中删除" in result.stdout + result.stderr


def test_year_and_batch_from_the_file_name_when_the_title_has_none(tmp_path):
    from listfiles import crafted, item

    draft = imported(write(tmp_path, "2025年第二批惠企政策.txt", crafted(item(1), item(2), title=("惠企政策清单",))))
    assert (draft.year, draft.batch) == (2025, "第二批")
    assert "年份“2025”取自文件名（标题中没有），请核实" in messages(draft)


def test_a_traditional_notice_with_its_title_over_three_lines(tmp_path):
    text = """關於印發《某某市貫徹落實穩增長若干政策措施
實施方案》的通知
各縣市區人民政府，市直機關各單位：
現將《某某市貫徹落實穩增長若干政策措施實施方案》印發給你們，請認真組織實施。
某某市人民政府辦公室
2023年3月15日
某某市貫徹落實穩增長若干政策
措施實施方案
為全面貫徹落實有關精神，特制定本實施方案。
一、促進消費恢復升級
1.加大促消費活動力度。整合3000萬元資金用於發放消費券，對承辦市級消費促進活動的企業給予3萬元-5萬元資金支持。（市商務局牽頭，市財政局配合）
2.支持汽車消費。對購買新能源汽車的個人給予每輛3000元補貼。（責任單位：市商務局、市財政局）
"""
    draft = imported(write(tmp_path, "方案.txt", text))
    assert draft.title == "某某市貫徹落實穩增長若干政策措施實施方案"
    assert (draft.region, draft.year) == ("某某市", 2023)
    assert [(i.number, i.title, i.lead_units) for i in draft.items] == [
        (1, "加大促消費活動力度", ["市商務局"]), (2, "支持汽車消費", ["市商務局", "市財政局"])]
    assert draft.items[0].content.startswith("加大促消費活動力度。整合3000萬元資金")  # kept as written
    opens_everywhere(draft, tmp_path)

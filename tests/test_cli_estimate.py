"""`policy estimate` and the 奖补额度 column of `policy list`, as a user runs them."""
from __future__ import annotations

import json
import re

import pytest
import yaml
from csvrows import read_csv
from conftest import DATASET as DATA, invoke


def one_line_error(result, *fragments: str) -> str:
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


@pytest.mark.parametrize("spelling", [
    "30000000", "30,000,000", "３０００００００", "3000万", "3000万元", "３０００万", "0.3亿", "0.3亿元", "３，０００万",
    "RMB 30 million", "30 million", "CNY 30 million yuan",
])
def test_every_spelling_of_the_investment(spelling):
    result = invoke("estimate", "techretrofit", "--invest", spelling)
    assert result.exit_code == 0, result.stderr
    assert "30,000,000.00 元（3000万元）" in result.stdout
    assert "估算金额  3,600,000.00 元（360万元）" in result.stdout


@pytest.mark.parametrize("value, fragment", [
    ("-5", "是负数"), ("-3000万", "是负数"), ("abc", "不是金额，请写成 30000000、3000万 或 0.3亿"),
    ("3000美元", "是外币（美元）：金额只认人民币"), ("3千5", "不明确：可读作 3500"),
    ("三千五万", "不明确：可读作 3500万（末位按百计）或 3005万；指前者请写 3500万，指后者请写 3005万"),
    ("30 mio", "英文只认 million、billion、thousand（可带 RMB、CNY、yuan），请写成 30 million、3000万 或 30000000"), ("100000000000000", "超过 10 万亿元"), ("2000000亿", "超过 10 万亿元"),
])
def test_bad_amounts_exit_2_with_one_line_naming_the_option(value, fragment):
    one_line_error(invoke("estimate", "techretrofit", "--invest", value), "--invest", f"“{value}”", fragment)


@pytest.mark.parametrize("args, fragments", [
    (["ipopool", "--rd", "1500万", "--rd-last", "x"], ["--rd-last 的值“x”不是金额"]),
    (["loansubsidy", "--loan", "800万", "--signed", "2024-13"], ["--signed 的值“2024-13”不是年月"]),
    (["loansubsidy", "--loan", "800万", "--signed", "2024-03", "--years", "5"], ["--years 的值“5”超出范围，应为 1 到 3"]),
    (["loansubsidy", "--loan", "800万", "--lpr", "abc"], ["--lpr 的值“abc”不是百分数"]),
    (["loansubsidy", "--loan", "800万", "--lpr", "31%"], ["--lpr 的值“31%”不在"]),
    (["loansubsidy", "--loan", "800万", "--signed", "2024-03", "--lpr-term", "10y"], ["--lpr-term 的值“10y”无效"]),
    (["recyclingbase", "--count", "-1"], ["--count 的值“-1”是负数"]),
    (["recyclingbase", "--count", "0"], ["--count 的值“0”过小，基地数量至少为 1"]),
    (["keylab", "--level", "[red]省级[/red]"], ["--level 的值“[red]省级[/red]”不是本政策的平台类型"]),
])
def test_bad_values(args, fragments):
    one_line_error(invoke("estimate", *args), *fragments)


def test_missing_inputs_are_listed():
    line = one_line_error(invoke("estimate", "ipopool"), "估算 ipopool（高新技术企业上市培育库奖补）需要：", "--rd 本年度可加计扣除研发费用",
                          "--rd-last 上年度可加计扣除研发费用", "示例：policy estimate ipopool --rd 3000万 --rd-last 3000万")
    assert line.startswith("估算 ipopool")
    one_line_error(invoke("estimate", "loansubsidy", "--loan", "800万"), "--signed 贷款合同签订月份")
    one_line_error(invoke("estimate", "smartcommunity"), "--level 智慧社区类型：标杆型（biaogan）、基础型/成长型（jichu）")
    one_line_error(invoke("estimate", "iiplatform"), "至少需要以下一项", "--level", "--count")


def test_options_of_another_policy_are_refused():
    one_line_error(invoke("estimate", "techretrofit", "--invest", "3000万", "--cost", "100万"),
                   "--cost 不适用于 techretrofit（技术改造设备投资奖补），该政策可用的输入：--invest、--major")
    one_line_error(invoke("estimate", "vrcenter", "--cost", "100万", "--excellent"), "--excellent 不适用于 vrcenter")
    one_line_error(invoke("estimate", "datacenter", "--loan", "1"), "没有可计算的金额，不需要 --loan")
    one_line_error(invoke("estimate", "--invest", "3000万"), "请先给出政策编号")


def test_unknown_policy():
    one_line_error(invoke("estimate", "techretrofitt", "--invest", "1"), "未找到政策“techretrofitt”", "techretrofit")


@pytest.mark.parametrize("args, amount", [
    (["techretrofit", "--invest", "80000000"], "6,000,000.00 元（600万元）（已达上限）"),
    (["techretrofit", "--invest", "80000000", "--major"], "9,600,000.00 元（960万元）（可视情给予）"),
    (["3", "--invest", "30000000"], "3,600,000.00 元（360万元）"),
    (["技术改造设备投资奖补", "--invest", "30000000"], "3,600,000.00 元（360万元）"),
    (["ipopool", "--rd", "15000000", "--rd-last", "10000000"], "1,000,000.00 元（100万元）"),
    (["loansubsidy", "--loan", "8000000", "--signed", "2024-03"], "最高 672,750.00 元（67.275万元），每年 224,250.00 元（22.425万元）"),
    (["loansubsidy", "--loan", "800万", "--lpr", "3.1%", "--years", "1"], "最高 201,500.00 元（20.15万元），每年 201,500.00 元（20.15万元）"),
    (["loansubsidy", "--loan", "800万", "--signed", "2024年3月", "--lpr-term", "5y"], "最高 770,250.00 元（77.025万元）"),
    (["techretrofit", "--invest", "叁仟万元整"], "3,600,000.00 元（360万元）"),
    (["techretrofit", "--invest", "¥3000w"], "3,600,000.00 元（360万元）"),
    (["techretrofit", "--invest", "3000万", "--major"], "3,600,000.00 元（360万元）\n"),
    (["vrcenter", "--cost", "20000000"], "3,000,000.00 元（300万元）（已达上限）"),
    (["iiplatform", "--level", "双跨", "--count", "2"],
     "合计 12,000,000.00 元（1200万元）：定额 10,000,000.00 元（1000万元） ＋ 最高 2,000,000.00 元（200万元）"),
    (["smartcommunity", "--level", "标杆型"], "最高 1,000,000.00 元（100万元）"),
    (["keylab", "--level", "全国重点实验室"], "最高 10,000,000.00 元（1000万元）"),
    (["newrnd", "--level", "省级优秀"], "约 2,000,000.00 元（200万元）"),
    (["training", "--excellent"], "最高 600,000.00 元（60万元）"),
])
def test_amounts_on_the_command_line(args, amount):
    result = invoke("estimate", *args, columns=200)
    assert result.exit_code == 0, result.stderr
    assert re.search(f"估算金额 +{re.escape(amount)}", result.stdout), result.stdout


def test_the_ordinary_amount_stands_beside_a_discretionary_one():
    out = invoke("estimate", "techretrofit", "--invest", "80000000", "--major").stdout
    assert "其中按普通规则  6,000,000.00 元（600万元）（不需视情）" in out
    assert "（可视情给予）" not in invoke("estimate", "techretrofit", "--invest", "3000万", "--major").stdout


def test_worked_calculation_view():
    result = invoke("estimate", "loansubsidy", "--loan", "8000000", "--signed", "2024-03")
    out = result.stdout
    for text in ("科技型企业贷款贴息（loansubsidy）奖补估算", "输入", "贷款金额", "8,000,000.00 元（800万元）", "计算",
                 "LPR（1年期）", "3.45%", "500万元（含）以下部分", "5,000,000.00 × LPR 3.45% = 172,500.00", "每年合计",
                 "224,250.00 元（22.425万元）", "672,750.00 元（67.275万元）", "政策依据（原文）", "“单家企业累计补贴不超过3年”",
                 "咨询", "科技项目科  刘琦  0532-85162339", "以上为按政策原文的估算", "主管部门审核为准"):
        assert text in out, text
    capped = invoke("estimate", "techretrofit", "--invest", "80000000").stdout
    assert "9,600,000.00 超过上限 6,000,000.00 元（600万元），按上限计" in capped
    below = invoke("estimate", "techretrofit", "--invest", "30000000").stdout
    assert "未超过上限 6,000,000.00 元（600万元）" in below


def test_non_monetary_policies_say_what_they_give_and_exit_0():
    result = invoke("estimate", "datacenter")
    assert result.exit_code == 0
    assert "估算金额  无具体金额" in result.stdout and "支持内容" in result.stdout and "新型数据中心" in result.stdout
    unstated = invoke("estimate", "supplychain", "--format", "json")
    data = json.loads(unstated.stdout)
    assert unstated.exit_code == 0 and data["amount"] is None and "资金奖励" in data["support"]
    assert "原文给予资金奖励，但未写明金额" in data["notes"]


def test_doubtful_phone_keeps_its_marker():
    assert "0352-85161772（需核实）" in invoke("estimate", "startuploan").stdout


def test_json_shape():
    result = invoke("estimate", "techretrofit", "--invest", "80000000", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["id"] == "techretrofit" and data["title"] == "技术改造设备投资奖补"
    assert data["amount"] == "6000000.00" and data["amount_wan"] == "600"
    assert data["cap_reached"] is True and data["is_maximum"] is False
    assert isinstance(data["notes"], list) and isinstance(data["clauses"], list)
    assert all(set(step) == {"label", "value"} for step in data["steps"])
    assert {"label": "上限", "value": "9,600,000.00 超过上限 6,000,000.00 元（600万元），按上限计"} in data["steps"]
    assert data["inputs"][0] == {"name": "invest", "label": "年度设备投资额", "value": "80,000,000.00 元（8000万元）"}
    assert data["offices"] == [{"name": "技术改造科", "contact": "臧文科", "phone": "0532-86175786", "note": None}]
    assert "\\u" not in result.stdout


def test_yaml_and_csv():
    data = yaml.safe_load(invoke("estimate", "ipopool", "--rd", "1500万", "--rd-last", "1000万", "--format", "yaml").stdout)
    assert data["amount"] == "1000000.00"
    text = invoke("estimate", "ipopool", "--rd", "1500万", "--rd-last", "1000万", "--format", "csv").stdout
    assert text.startswith("\ufeff")
    rows = read_csv(text)
    assert rows[0] == {"id": "ipopool", "list": "黄岛2024-1", "part": "输入", "label": "本年度可加计扣除研发费用",
                       "value": "15,000,000.00 元（1500万元）"}
    assert {"id": "ipopool", "list": "黄岛2024-1", "part": "结果", "label": "估算金额", "value": "1,000,000.00 元（100万元）"} in rows


def test_the_csv_says_every_line_as_the_table_does_with_the_offices():
    args = ("estimate", "ipopool", "--rd", "2000万", "--rd-last", "500万")
    table = invoke(*args, columns=200).stdout
    rows = [(r["part"], r["label"], r["value"]) for r in read_csv(invoke(*args, "--format", "csv").stdout)]
    assert ("结果", "估算金额", "3,000,000.00 元（300万元）（已达上限）") in rows
    assert "估算金额  3,000,000.00 元（300万元）（已达上限）" in table
    assert ("咨询", "高新技术科", "柳叙英 0532-85161795") in rows
    assert ("申请条件", "原文", "高新技术企业") in rows and rows[-1][1] == "提示"
    for part, label, value in rows:
        if part in ("输入", "计算", "结果"):
            assert re.search(rf"^{re.escape(label)} +{re.escape(value)}$", table, re.M), (label, value)
    loan = read_csv(invoke("estimate", "loansubsidy", "--loan", "800万", "--signed", "2024-03", "--format", "csv").stdout)
    assert {"part": "结果", "label": "估算金额", "value": "最高 672,750.00 元（67.275万元），每年 224,250.00 元（22.425万元）"} \
        .items() <= next(r for r in loan if r["label"] == "估算金额").items()
    data = json.loads(invoke(*args, "--format", "json").stdout)
    assert [(o["name"], o["contact"], o["phone"]) for o in data["offices"]] == [("高新技术科", "柳叙英", "0532-85161795")]
    major = read_csv(invoke("estimate", "techretrofit", "--invest", "2亿", "--major", "--format", "csv").stdout)
    assert {"part": "结果", "label": "其中按普通规则", "value": "6,000,000.00 元（600万元）（不需视情）"}.items() <= \
        next(r for r in major if r["label"] == "其中按普通规则").items()


def test_without_an_id_lists_the_estimable_policies_and_their_inputs():
    result = invoke("estimate", columns=160)
    assert result.exit_code == 0
    for text in ("techretrofit", "*--invest 年度设备投资额", "--major 属于重大技改项目", "*--signed 贷款合同签订月份",
                 "无具体金额，无需输入", "约200万元", "按LPR计", "最高600万元（可视情最高2000万元）"):
        assert text in result.stdout, text
    rows = json.loads(invoke("estimate", "--format", "json").stdout)
    assert len(rows) == 20
    retrofit = next(r for r in rows if r["id"] == "techretrofit")
    assert retrofit["award_amount"] == "6000000.00" and retrofit["award_discretionary"] == "20000000.00"
    assert [i["name"] for i in retrofit["inputs"]] == ["invest", "major"]
    assert next(r for r in rows if r["id"] == "datacenter")["monetary"] is False


def test_conditions_are_shown_when_the_dataset_has_them(tmp_path):
    result = invoke("estimate", "techretrofit", "--invest", "1000万")
    assert result.exit_code == 0, result.stderr
    assert "申请条件（原文）" in result.stdout and "· 规模以上制造业企业" in result.stdout
    text = DATA.read_text(encoding="utf-8")
    start = text.index("    conditions:\n      - {clause: \"实施技术改造\"")
    end = text.index("  - id: ipopool", start)
    path = tmp_path / "without-conditions.yaml"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    result = invoke("--data", str(path), "estimate", "techretrofit", "--invest", "1000万")
    assert result.exit_code == 0, result.stderr
    assert "申请条件" not in result.stdout


def test_list_shows_the_amounts_in_the_texts_words():
    table = invoke("list").stdout
    assert "奖补额度" in table and "约200万元" in table and "每个基地最高100万元" in table
    wide = invoke("list", columns=200).stdout
    for said in ("最高600万元（可视情最高2000万元）", "项目补助最高30万元＋绩效优秀奖励最高30万元", "最高1000万元或50万元"):
        assert said in wide, said
    assert "60万" not in wide  # 公共实训: 最高30万元补助 and 最高30万元奖励, never a total of 60万元
    rows = {r["id"]: r for r in json.loads(invoke("list", "--format", "json").stdout)}
    assert rows["techretrofit"]["award_amount"] == "6000000.00" and rows["techretrofit"]["award_discretionary"] == "20000000.00"
    assert rows["iiplatform"]["award_text"] == "定额1000万元或100万元＋每个场景最高100万元"
    assert (rows["iiplatform"]["award_amount"], rows["iiplatform"]["award_word"]) == ("10000000.00", "定额")
    assert (rows["newrnd"]["award_amount"], rows["newrnd"]["award_word"]) == ("2000000.00", "约")
    assert rows["loansubsidy"]["award_amount"] is None and rows["datacenter"]["award_amount"] is None
    text = invoke("list", "--format", "csv").stdout.lstrip("\ufeff")
    header = text.splitlines()[0].split(",")
    assert header[-6:] == ["奖补额度", "原文所列最大金额（元）", "该金额的说法", "按个数计的单位", "可视情最高（元）",
                           "原文所列各项金额（元）"]
    by_id = {r["id"]: r for r in read_csv(text)}
    assert by_id["vrcenter"]["award_amount"] == "3000000.00" and by_id["creditreport"]["award_amount"] == ""
    assert [by_id["newrnd"][k] for k in ("award_amount", "award_word")] == ["2000000.00", "约"]
    assert [by_id["training"][k] for k in ("award_amount", "award_word")] == ["300000.00", "最高"]
    assert by_id["iiplatform"]["award_parts"] == ("平台奖励：国家级双跨 定额 10000000.00；平台奖励：国家级特色专业型 定额 1000000.00；"
                                                  "揭榜挂帅场景 每个场景最高 1000000.00")
    assert by_id["techretrofit"]["award_discretionary"] == "20000000.00" and by_id["ipopool"]["award_discretionary"] == ""


def test_the_csv_json_and_yaml_of_list_and_show_agree():
    rows = {r["id"]: r for r in json.loads(invoke("list", "--format", "json").stdout)}
    listed = {r["id"]: r for r in read_csv(invoke("list", "--format", "csv").stdout.lstrip("\ufeff"))}
    for pid in ("iiplatform", "newrnd", "training", "loansubsidy"):
        shown = json.loads(invoke("show", pid, "--format", "json").stdout)
        assert {k: v for k, v in shown.items() if k.startswith("award_")} == \
            {k: v for k, v in rows[pid].items() if k.startswith("award_")}
        csv_row = read_csv(invoke("show", pid, "--format", "csv").stdout.lstrip("\ufeff"))[0]
        assert csv_row == listed[pid]
        assert f"award_text: {rows[pid]['award_text']}" in invoke("show", pid, "--format", "yaml").stdout


def test_show_has_the_amount_row():
    assert "奖补额度  定额1000万元或100万元＋每个场景最高100万元" in invoke("show", "iiplatform", columns=100).stdout
    assert "奖补额度  约200万元＋最高50万元" in invoke("show", "newrnd").stdout
    assert "奖补额度  按LPR计" in invoke("show", "loansubsidy").stdout


def test_a_contract_month_past_the_verified_lpr_says_the_amount_is_provisional():
    out = invoke("estimate", "loansubsidy", "--loan", "800万", "--signed", "2026-05", columns=200).stdout
    assert "3.00%（2026年5月的 LPR 未核实（数据只到2026年3月），暂按2026年3月公布值，自 2025-05-20 起执行）" in out
    assert ("估算金额  暂估 585,000.00 元（58.5万元），每年 195,000.00 元（19.5万元）"
            "（2026年5月的 LPR 未核实，暂按2026年3月公布值 3.00% 估算，以人民银行公布值为准）") in out
    assert "签订当月公布值" not in out and "最高 585,000.00" not in out
    data = json.loads(invoke("estimate", "loansubsidy", "--loan", "800万", "--signed", "2026-05", "--format", "json").stdout)
    assert (data["is_maximum"], data["pending"]) == (False, "2026年5月的 LPR 未核实，暂按2026年3月公布值 3.00% 估算，以人民银行公布值为准")


def test_shipped_dataset_validates():
    result = invoke("validate", str(DATA))
    assert result.exit_code == 0 and "数据有效，共 20 项政策" in result.stdout


@pytest.mark.parametrize("args", [
    ["estimate", "loansubsidy", "--loan", "800万", "--signed", "2024-07"],
    ["estimate", "iiplatform", "--level", "双跨", "--count", "2"],
    ["estimate"],
    ["list"],
])
def test_readable_at_60_columns(args):
    from rich.cells import cell_len

    result = invoke(*args, columns=60)
    assert result.exit_code == 0
    assert all(cell_len(line) <= 60 for line in result.stdout.splitlines())
    assert "…" not in result.stdout


def test_help_for_one_policy_lists_its_inputs_with_chinese_choices():
    out = invoke("estimate", "smartcommunity", "--help").stdout
    assert "智慧社区建设奖补（smartcommunity）奖补估算" in out
    assert "*--level  智慧社区类型：标杆型（biaogan）、基础型/成长型（jichu）" in out
    assert "--invest" not in out  # only this policy's inputs
    assert "  policy estimate smartcommunity --level 标杆型\n" in out
    assert "奖补额度：最高600万元（可视情最高2000万元）" in invoke("estimate", "techretrofit", "-h").stdout
    generic = invoke("estimate", "--help").stdout
    assert "--invest" in generic and "--level" in generic


def test_help_for_one_policy_puts_the_full_help_command_on_a_line_of_its_own():
    """At 60 columns a terminal would break it mid-word otherwise: 'policy est' / 'imate --help'."""
    lines = invoke("estimate", "techretrofit", "--help", columns=60).stdout.splitlines()
    assert "  policy estimate --help" in lines


def test_the_listing_shows_choices_in_chinese():
    out = invoke("estimate", columns=200).stdout
    assert "--level 智慧社区类型：标杆型、基础型/成长型" in out
    assert "biaogan" not in out


def test_example_for_a_missing_choice_is_in_chinese():
    result = invoke("estimate", "smartcommunity")
    assert result.exit_code == 2 and "示例：policy estimate smartcommunity --level 标杆型" in result.stderr


def test_no_rise_in_rd_is_one_result_not_two():
    out = invoke("estimate", "ipopool", "--rd", "800万", "--rd-last", "1000万").stdout
    assert out.count("结果") == 1 and "没有新增，奖补为 0" in out
    assert "估算金额  0.00 元（0万元）" in out


@pytest.mark.parametrize("args, note", [
    (["techretrofit", "--invest", "3000"], "注：年度设备投资额按元计：3000 即 3,000.00 元（0.3万元）；若指 3000万元，请写 3000万"),
    (["loansubsidy", "--loan", "500", "--signed", "2024-03"],
     "注：贷款金额按元计：500 即 500.00 元（0.05万元）；若指 500万元，请写 500万"),
])
def test_a_bare_number_under_10000_yuan_is_flagged_as_maybe_meant_in_wan(args, note):
    out = invoke("estimate", *args, columns=200).stdout
    assert note in out.splitlines()


@pytest.mark.parametrize("amount", ["3000元", "3000万", "30000", "9,999.99元", "0"])
def test_amounts_with_a_unit_or_of_10000_yuan_and_more_get_no_unit_note(amount):
    out = invoke("estimate", "techretrofit", "--invest", amount, columns=200).stdout
    assert "按元计" not in out


@pytest.mark.parametrize("policy, repeated, one_value, total", [
    ("smartcommunity", ["标杆型×2", "基础型×3"], "标杆型×2、基础型×3", "最高 2,300,000.00 元（230万元）"),
    ("newrnd", ["省级优秀", "市级优秀"], "省级优秀、市级优秀", "合计 2,500,000.00 元（250万元）"),
])
def test_a_repeated_level_adds_up_as_the_one_value_list(policy, repeated, one_value, total):
    options = [a for level in repeated for a in ("--level", level)]
    several = invoke("estimate", policy, *options)
    listed = invoke("estimate", policy, "--level", one_value)
    assert several.exit_code == 0, several.stderr
    assert f"估算金额  {total}" in several.stdout
    assert several.stdout == listed.stdout


@pytest.mark.parametrize("args, fragment", [
    (["estimate", "techretrofit", "--invest", "3000万", "--invest", "2000万"],
     "错误：选项 --invest 只能给一个值，却给了 2 次（3000万、2000万）；请只保留一个。运行 policy estimate --help 查看用法"),
    (["estimate", "techretrofit", "--invest=3000万", "--invest", "2000万"], "选项 --invest 只能给一个值"),
    (["estimate", "loansubsidy", "--loan", "800万", "--signed", "2024-03", "--signed", "2024-05"], "选项 --signed 只能给一个值"),
    (["search", "技改", "--limit", "3", "--limit", "5"], "选项 --limit 只能给一个值，却给了 2 次（3、5）"),
    (["list", "--format", "json", "--format", "csv"], "选项 --format 只能给一个值"),
])
def test_an_option_of_one_value_given_twice_is_refused(args, fragment):
    one_line_error(invoke(*args), fragment)


def test_a_count_given_both_after_the_level_and_by_count_is_named_as_such():
    line = one_line_error(invoke("estimate", "smartcommunity", "--level", "标杆型×2", "--count", "3"))
    assert line == "个数给了两次：--level 的值“标杆型×2”中已有个数，又给了 --count；请只写一处，如 --level 标杆型×2，去掉 --count"
    assert "多个" not in line


@pytest.mark.parametrize("written", ["3000万元人民币", "人民币3000万元整", "3000万元（人民币）", "3000万RMB"])
def test_an_investment_written_as_in_a_contract(written):
    result = invoke("estimate", "techretrofit", "--invest", written)
    assert result.exit_code == 0, result.stderr
    assert "估算金额  3,600,000.00 元（360万元）" in result.stdout

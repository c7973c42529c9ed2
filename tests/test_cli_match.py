"""`policy match` from the command line: groups, totals, formats, directories, questions, errors."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import invoke

from csvrows import read_csv

PROFILES = Path(__file__).parent / "cases" / "profiles"
EXAMPLE = Path(__file__).parent.parent / "examples" / "company.yaml"
EXAMPLES = Path(__file__).parent.parent / "examples"


def match(*args: str, input: str | None = None, columns: int | None = None):
    return invoke("match", *args, input=input, columns=columns)


def rows(result) -> dict[str, dict]:
    assert result.exit_code == 0, result.output
    return {row["id"]: row for row in json.loads(result.stdout)}


def test_table_shows_three_groups_and_the_total():
    result = match("--profile", str(PROFILES / "manufacturer.yaml"))
    assert result.exit_code == 0, result.output
    out = result.stdout
    flat = out.replace("\n", "").replace(" ", "")
    assert "青岛海岳智能装备有限公司：可申请 5 项，待确认 2 项，不符合 13 项" in out
    assert out.index("可申请（5 项）") < out.index("待确认（2 项）") < out.index("不符合（13 项）")
    assert "6,000,000.00元（600万元）（已达上限）" in flat
    assert "最高2,000,000.00元（200万元）" in flat
    assert "合计：9,000,000.00 元（900万元）" in out
    assert "其中 1 项是“最高”金额，按最高额计入" in out
    assert "建设新型数据中心（data_center）" in flat  # what datacenter still needs
    # 不符合: one line each, with what failed; every condition with --detail
    assert "\nvrcenter         认定与入选中没有：省级虚拟现实应用体验中心\n" in out
    ineligible = out.split("不符合（13 项）\n")[1].split("\n每项不符合的全部条件")[0].splitlines()
    assert len(ineligible) == 13 and ineligible[1] == "loansubsidy      贷款融资模式：无贷款"
    assert "省级遴选确定的应用体验中心（" not in flat
    detail = match("--profile", str(PROFILES / "manufacturer.yaml"), "--detail").stdout
    assert "省级遴选确定的应用体验中心（认定与入选中没有：省级虚拟现实应用体验中心）" in detail.replace("\n", "").replace(" ", "")


def test_compact_support_points_to_detail():
    out = match("--profile", str(PROFILES / "manufacturer.yaml")).stdout
    assert "无具体金额（支持内容见 --detail）" in out.replace("\n", "")
    detail = match("--profile", str(PROFILES / "manufacturer.yaml"), "--detail").stdout.replace("\n", "").replace(" ", "")
    assert "支持内容：以一份公共信用报告代替" in detail


def test_json_has_one_object_per_policy():
    data = rows(match("--profile", str(PROFILES / "manufacturer.yaml"), "--format", "json"))
    assert len(data) == 20
    assert data["techretrofit"] | {} == {
        "name": "青岛海岳智能装备有限公司", "id": "techretrofit", "list": "黄岛2024-1", "also": [],
        "title": "技术改造设备投资奖补", "status": "eligible", "status_label": "可申请", "missing": [], "missing_labels": [], "failed": [],
        "amount": "6000000.00", "is_maximum": False, "cap_reached": True, "missing_figures": [],
        "approximate": False, "discretionary": False, "support": None, "note": None,
        "notes": ["若属于重大技改项目，可视情最高可达 2000万元：注明“属于重大技改项目”后再估算"], "breakdown": [], "per_year": None, "pending": None,
    }
    assert (data["industrybrain"]["amount"], data["industrybrain"]["is_maximum"]) == ("2000000.00", True)
    assert data["datacenter"]["status"] == "unconfirmed"
    assert data["datacenter"]["missing"] == ["data_center"] and data["datacenter"]["amount"] is None
    assert data["loansubsidy"]["status"] == "ineligible"
    assert data["loansubsidy"]["failed"] == ["投保贷、投贷、跟贷等投（保）贷融资模式支持的（贷款融资模式：无贷款）"]
    assert data["creditreport"]["amount"] is None and data["creditreport"]["support"]


def test_csv_and_yaml():
    result = match("--profile", str(PROFILES / "techsmall.yaml"), "--format", "csv")
    assert result.exit_code == 0 and result.stdout.startswith("\ufeff")
    table = read_csv(result.stdout)
    assert len(table) == 20
    loan = next(r for r in table if r["id"] == "loansubsidy")
    assert (loan["status_label"], loan["amount"], loan["is_maximum"]) == ("可申请", "672750.00", "是")
    assert next(r for r in table if r["id"] == "instrumentshare")["missing"] == "instruments"
    data = yaml.safe_load(match("--profile", str(PROFILES / "techsmall.yaml"), "--format", "yaml").stdout)
    assert [r["id"] for r in data if r["status"] == "eligible"] == ["creditreport", "loansubsidy", "rediscount", "startuploan"]


def test_set_without_a_profile_and_over_a_profile():
    data = rows(match("--set", "entity=企业", "--set", "tech_firm=是", "--set", "loan_mode=投保贷", "--set", "repaid=是",
                    "--set", "loan=500万", "--set", "signed=2024-03", "--format", "json"))
    assert data["loansubsidy"]["status"] == "eligible"
    assert data["loansubsidy"]["amount"] == "517500.00"  # 5,000,000 × 3.45% × 3 years
    own_rate = rows(match("--profile", str(PROFILES / "techsmall.yaml"), "--set", "lpr=3.1%", "--set", "years=1", "--format", "json"))
    assert own_rate["loansubsidy"]["amount"] == "201500.00"  # 5,000,000 × 3.1% + 3,000,000 × 1.55%
    five_year = rows(match("--profile", str(PROFILES / "techsmall.yaml"), "--set", "lpr_term=5y", "--set", "years=1", "--format", "json"))
    assert five_year["loansubsidy"]["amount"] == "256750.00"  # 3.95%: 197,500 + 3,000,000 × 1.975%
    changed = rows(match("--profile", str(PROFILES / "manufacturer.yaml"), "--set", "invest=3000万", "--format", "json"))
    assert (changed["techretrofit"]["amount"], changed["techretrofit"]["cap_reached"]) == ("3600000.00", False)


def test_directory_gives_one_row_per_enterprise():
    result = match("--profile", str(PROFILES))
    assert result.exit_code == 0, result.output
    assert "企业政策匹配汇总（4 家）" in result.stdout
    for name in ("青岛海岳智能装备有限公司", "青岛启明软件科技有限公司", "青岛顺达商贸有限公司", "empty"):
        assert name in result.stdout
    assert "9,000,000.00元（900万元）；含1项按最高额" in result.stdout.replace("\n", "").replace(" ", "")
    data = json.loads(match("--profile", str(PROFILES), "--format", "json").stdout)
    assert [(r["name"], r["eligible"], r["unconfirmed"], r["total"]) for r in data] == [
        ("empty", 0, 20, "0.00"),
        ("青岛海岳智能装备有限公司", 5, 2, "9000000.00"),
        ("青岛顺达商贸有限公司", 1, 0, "0.00"),
        ("青岛启明软件科技有限公司", 4, 1, "672750.00"),
    ]


def test_examples_run():
    assert match("--profile", str(EXAMPLES / "company.yaml")).exit_code == 0
    result = match("--profile", str(EXAMPLES / "profiles"), "--format", "csv")
    assert result.exit_code == 0, result.output
    assert len(read_csv(result.stdout)) == len(list((EXAMPLES / "profiles").glob("*.yaml")))


# --- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("content", "message"), [
    ("entity: 企业\nsize: 大\n", ":2: size: 未知的键；可用的键：name、entity、manufacturer"),
    ("invest: 很多\n", ":1: invest: 年度设备投资额 的值“很多”不是金额"),
    ("- 企业\n", ":1: 企业档案应为“键: 值”的映射，实际是列表；可用的键：name、entity"),
    ("entity: [企业\n", "YAML 格式错误"),
])
def test_bad_profile_is_one_chinese_line_and_exit_2(tmp_path, content, message):
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    result = match("--profile", str(path))
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(str(path)) and message in lines[0]
    assert "Traceback" not in result.stderr


def test_missing_profile_file(tmp_path):
    result = match("--profile", str(tmp_path / "none.yaml"))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"{tmp_path / 'none.yaml'}: 企业档案文件不存在，请检查 --profile 的路径"


def test_bad_set_and_no_input():
    result = match("--set", "size=大")
    assert result.exit_code == 2 and result.stderr.startswith("--set size=大: 未知的键；可用的键：name、entity")
    result = match()
    assert result.exit_code == 2 and "请给出企业档案：--profile 档案.yaml、--set 键=值，或 --interactive 逐项回答" in result.stderr


@pytest.mark.parametrize("first, again, key, values", [("invest=3000万", "invest=2000万", "invest", "3000万、2000万"),
                                                       ("制造业企业=是", "ＭＡＮＵＦＡＣＴＵＲＥＲ=否", "manufacturer", "是、否"),
                                                       ("vrcenter.cost=2000万", "vrcenter.cost=1000万", "vrcenter.cost",
                                                        "2000万、1000万")])
def test_a_key_set_twice_is_refused_naming_it(first, again, key, values):
    result = match("--profile", str(PROFILES / "manufacturer.yaml"), "--set", first, "--set", again)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"--set {key} 只能给一个值，却给了 2 次（{values}）；请只保留一个\n"


def test_a_key_of_several_values_set_twice_adds_up():
    base = ["--set", "recognitions=标杆型智慧社区,基础型智慧社区"]
    apart = rows(match(*base, "--set", "smartcommunity.level=标杆型×2", "--set", "smartcommunity.level=基础型×3",
                       "--format", "json"))
    assert apart["smartcommunity"]["amount"] == "2300000.00"  # 2 × 100万 + 3 × 10万, as 标杆型×2、基础型×3
    each = rows(match("--set", "recognitions=标杆型智慧社区", "--set", "recognitions=基础型智慧社区", "--format", "json"))
    assert each["smartcommunity"]["amount"] == "1100000.00"  # one community of each type named


def test_a_profile_of_many_problems_lists_the_first_ten_and_the_count(tmp_path):
    (tmp_path / "档案").mkdir()
    for name in ("a", "b"):
        (tmp_path / "档案" / f"{name}.yaml").write_text("".join(f"k{i}: 1\n" for i in range(33)), encoding="utf-8")
    one = match("--profile", str(tmp_path / "档案" / "a.yaml"))
    said = one.stderr.splitlines()
    assert (one.exit_code, one.stdout, len(said)) == (2, "", 11)
    assert said[0].startswith(f"{tmp_path / '档案' / 'a.yaml'}:1: k0: 未知的键；可用的键：name、entity")
    assert said[9].startswith(f"{tmp_path / '档案' / 'a.yaml'}:10: k9: 未知的键")
    assert said[10] == "……共 33 处问题，以上是前 10 处"
    both = match("--profile", str(tmp_path / "档案"))
    assert both.exit_code == 2 and both.stderr.splitlines()[-1] == "……共 66 处问题，以上是前 10 处"


def test_directory_cannot_be_interviewed():
    result = match("--profile", str(PROFILES), "--interactive")
    assert result.exit_code == 2
    assert "--interactive 和 --save 只能用于一个企业档案文件，不能用于目录" in result.stderr


# --- interactive ------------------------------------------------------------------------------

# A small tech firm answering from scratch: only what still matters is asked, one question at a time.
ANSWERS = [  # in the order a person answers: who applies, what it is, what it did, then its loan
    ("申请主体是哪一类？", "1"),  # 企业
    ("是否为制造业企业？", "否"),  # techretrofit ruled out: scale and retrofit are not asked
    ("是否为已认定的高新技术企业？", "否"),
    ("是否为科技型企业", "是"),
    ("是否为集成电路产业企业？", "否"),
    ("创业者（申请人）是否为大学生或高校毕业生？", "否"),
    ("已获得下列哪些认定", "0"),  # none: every recognition-based policy is ruled out
    ("是否正在建设或已建成新型数据中心？", ""),  # skipped: stays unknown
    ("是否管理可向社会开放共享的科研设施与仪器？", "否"),
    ("企业贷款属于哪种融资模式？", "投保贷"),
    ("该笔贷款是否已正常还贷？", "是"),
    ("投（保）贷贷款金额是多少？", "八百多万"),  # not an amount: asked again
    ("投（保）贷贷款金额是多少？", "800万"),
    ("贷款合同是哪个月签订的？", "2024-03"),
]


def feed(answers=ANSWERS) -> str:
    return "".join(answer + "\n" for _, answer in answers)


def test_interactive_asks_only_what_matters_and_shows_the_result():
    result = match("--interactive", "--format", "json", input=feed())
    assert result.exit_code == 0, result.output
    asked = [line for line in result.stderr.splitlines() if "？" in line]
    assert len(asked) == len(ANSWERS)
    for (question, _), line in zip(ANSWERS, asked):
        assert question in line
    assert "不是金额" in result.stderr
    assert "是否为规模以上企业" not in result.stderr and "是否实施了技术改造" not in result.stderr
    data = rows(result)
    assert data["loansubsidy"]["amount"] == "672750.00"
    assert data["datacenter"]["status"] == "unconfirmed" and data["datacenter"]["missing"] == ["data_center"]
    assert data["techretrofit"]["status"] == "ineligible"


RECOGNITIONS_ASKED = "已获得下列哪些认定"


def answering(question: str, answer: str, *args: str):
    """`match -i` for an enterprise answering 否 to every question but `question`, wherever the
    interview asks it."""
    first = match("--interactive", "--set", "entity=企业", *args, input="否\n" * 30)
    asked = [line for line in first.stderr.splitlines() if "？" in line]
    at = next(i for i, line in enumerate(asked) if question in line)
    answers = "".join(f"{answer}\n" if i == at else "否\n" for i in range(30))
    return match("--interactive", "--set", "entity=企业", *args, input=answers)


@pytest.mark.parametrize("none", ["否", "无", "没有", "都没有", "暂无", "no", "0"])
def test_interactive_takes_the_everyday_words_for_none_of_these(none):
    result = answering(RECOGNITIONS_ASKED, none, "--format", "json")
    assert result.exit_code == 0, result.output
    asked = result.stderr.replace("\n", "")
    assert "都没有就写 无 或 0；回车跳过）" in asked and "不是可选值" not in asked
    assert rows(result)["iiplatform"]["status"] == "ineligible"  # no recognition: the platform award is ruled out


def test_a_wrong_answer_to_a_list_says_how_to_answer_none():
    result = answering(RECOGNITIONS_ASKED, "啥")
    assert "“啥”不是可选值，请输入上面列出的编号（1–24）或名称；都没有就写 无" in result.stderr.replace("\n", "")


@pytest.mark.parametrize("yes", ["是", "是的", "有", "对"])
def test_a_yes_no_question_takes_yes(yes):
    from policycli.match.profile import FACTS

    result = match("--interactive", "--set", "entity=企业", "--set", "recognitions=无", "--format", "json", input=f"{yes}\n" * 2)
    assert result.exit_code == 0, result.output
    assert "（是 或 否；回车跳过）" in result.stderr and "不是是/否" not in result.stderr
    asked = [f.key for f in FACTS if f.question in result.stderr]
    assert len(asked) >= 2
    assert not any(key in r["missing"] for r in rows(result).values() for key in asked[:2])  # both answered


def test_interactive_stops_at_end_of_input():
    result = match("--interactive", input="1\n0\n")
    assert result.exit_code == 0, result.output
    assert "可申请 1 项" in result.stdout  # creditreport; the rest is left to confirm


def test_interactive_starts_from_a_profile():
    result = match("--interactive", "--profile", str(PROFILES / "manufacturer.yaml"), input="否\n是\n")
    assert result.exit_code == 0, result.output
    asked = [line for line in result.stderr.splitlines() if "？" in line]
    assert len(asked) == 2 and "大学生" in asked[0] and "新型数据中心" in asked[1]  # who it is, then what it did
    assert "可申请 6 项，待确认 0 项" in result.stdout


def test_save_writes_the_answers_as_a_profile(tmp_path):
    target = tmp_path / "启明.yaml"
    result = match("--interactive", "--save", str(target), input="青岛启明软件科技有限公司\n" + feed())
    assert result.exit_code == 0, result.output
    saved = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert saved["name"] == "青岛启明软件科技有限公司"
    assert saved["loan"] == 8000000 and saved["signed"] == "2024-03" and saved["recognitions"] == []
    assert "data_center" not in saved
    again = rows(match("--profile", str(target), "--format", "json"))
    asked = rows(match("--interactive", "--format", "json", input=feed()))
    assert again == {pid: row | {"name": "青岛启明软件科技有限公司"} for pid, row in asked.items()}


def test_save_never_overwrites_without_asking(tmp_path):
    target = tmp_path / "old.yaml"
    target.write_text("name: 原来的\n", encoding="utf-8")
    result = match("--set", "entity=企业", "--save", str(target), input="否\n")
    assert result.exit_code == 2
    assert "已存在，是否覆盖" in result.stderr and f"{target}: 文件已存在，未覆盖" in result.stderr
    assert target.read_text(encoding="utf-8") == "name: 原来的\n"
    result = match("--set", "entity=企业", "--save", str(target), input="")
    assert result.exit_code == 2 and target.read_text(encoding="utf-8") == "name: 原来的\n"
    result = match("--set", "entity=企业", "--save", str(target), input="是\n")
    assert result.exit_code == 0
    assert yaml.safe_load(target.read_text(encoding="utf-8")) == {"entity": "企业"}


def test_save_to_a_directory_is_refused_before_anything_is_asked(tmp_path):
    result = match("--interactive", "--save", str(tmp_path), input="青岛启明软件科技有限公司\n" + feed())
    assert result.exit_code == 2
    assert result.stderr == f"{tmp_path}: 这是一个目录，请给出 .yaml 文件名\n"


def test_save_into_a_missing_directory_is_refused_before_the_questions(tmp_path):
    target = tmp_path / "没有这个目录" / "启明.yaml"
    result = match("--interactive", "--save", str(target), input="青岛启明软件科技有限公司\n" + feed())
    assert result.exit_code == 2
    assert result.stderr == f"{target}: 目录 {target.parent} 不存在，请先建立目录或换一个路径\n"
    assert not target.parent.exists()


def test_end_of_input_at_the_overwrite_question_ends_its_line(tmp_path):
    target = tmp_path / "old.yaml"
    target.write_text("name: 原来的\n", encoding="utf-8")
    result = match("--set", "entity=企业", "--save", str(target), input="")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"文件 {target} 已存在，是否覆盖？（是/否，默认否）",
                                          f"{target}: 文件已存在，未覆盖；请换一个文件名"]


@pytest.mark.parametrize("answer, then", [("是\n", "已保存企业档案：{target}"), ("否\n", "{target}: 文件已存在，未覆盖；请换一个文件名")])
def test_an_answer_from_a_pipe_ends_the_question_line(tmp_path, answer, then):
    target = tmp_path / "old.yaml"
    target.write_text("name: 原来的\n", encoding="utf-8")
    result = match("--set", "entity=企业", "--save", str(target), input=answer)
    assert result.stderr.splitlines() == [f"文件 {target} 已存在，是否覆盖？（是/否，默认否）", then.format(target=target)]


def test_a_message_about_an_answer_from_a_pipe_starts_a_line_of_its_own():
    result = match("--interactive", "--format", "json", input=feed())
    refused = [line for line in result.stderr.splitlines() if "不是金额" in line]
    assert refused and all(line.startswith("贷款金额 的值") for line in refused)


@pytest.mark.parametrize("columns", [60, 80])
def test_amounts_stay_whole_at_60_columns_and_more(columns):
    def shown(*args):
        result = invoke("match", *args, columns=columns)
        assert result.exit_code == 0, result.output
        return result.stdout

    out = shown("--profile", str(EXAMPLES / "company.yaml"))
    for amount in ("6,000,000.00", "1,000,000.00", "672,750.00", "10,672,750.00"):
        assert amount in out
    summary = shown("--profile", str(PROFILES))
    for amount in ("9,000,000.00", "672,750.00"):
        assert amount in summary


def test_stdin_closed_counts_as_end_of_input(tmp_path):
    import subprocess
    import sys

    old = tmp_path / "old.yaml"
    old.write_text("name: 原来的\n", encoding="utf-8")
    for args, code in ((["--interactive", "--format", "json"], 0), (["--set", "entity=企业", "--save", str(old)], 2)):
        line = " ".join(f'"{a}"' for a in ["match", *args])
        done = subprocess.run(f'"{sys.executable}" -m policycli {line} <&-', shell=True, capture_output=True, cwd=tmp_path)
        assert done.returncode == code
        assert "内部错误" not in done.stderr.decode("utf-8")
    assert old.read_text(encoding="utf-8") == "name: 原来的\n"


def test_fixed_and_up_to_parts_keep_their_words_and_the_loan_total_is_an_upper_bound():
    data = rows(match("--profile", str(EXAMPLE), "--format", "json"))
    assert data["iiplatform"]["breakdown"] == [
        {"label": "平台奖励", "amount": "1000000.00", "word": "定额"},
        {"label": "揭榜挂帅场景", "amount": "2000000.00", "word": "最高"}]
    assert (data["loansubsidy"]["is_maximum"], data["loansubsidy"]["per_year"]) == (True, "224250.00")
    out = match("--profile", str(EXAMPLE), columns=200).stdout
    assert "合计 3,000,000.00 元（300万元）：定额 1,000,000.00 元（100万元） ＋ 最高 2,000,000.00 元（200万元）" in out
    assert "最高 672,750.00 元（67.275万元），每年 224,250.00 元（22.425万元）" in out


def test_below_60_columns_each_reason_is_shown_in_full():
    out = match("--profile", str(PROFILES / "manufacturer.yaml"), columns=40).stdout
    flat = out.replace("\n", "").replace(" ", "")
    assert "smartcommunity认定与入选中没有：标杆型智慧社区、成长型智慧社区、基础型智慧社区" in flat
    assert "…" not in out.split("不符合（13 项）")[1]


def test_a_file_that_appears_during_the_questions_is_not_overwritten(tmp_path, monkeypatch):
    from policycli.match import profile_file

    target = tmp_path / "new.yaml"
    real = profile_file.apply_settings

    def someone_else_saves_meanwhile(*args, **kwargs):
        target.write_text("name: 别人的\n", encoding="utf-8")
        return real(*args, **kwargs)

    monkeypatch.setattr(profile_file, "apply_settings", someone_else_saves_meanwhile)
    result = match("--set", "entity=企业", "--save", str(target), input="")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"{target}: 文件已存在（在回答问题期间出现），未覆盖；请换一个文件名，或再运行一次并确认覆盖"]
    assert target.read_text(encoding="utf-8") == "name: 别人的\n"


def test_an_empty_save_path_is_an_error_before_the_questions():
    result = match("--interactive", "--save", "", input="青岛启明软件科技有限公司\n")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == ["--save: 文件名为空，请给出要保存的 .yaml 文件名，如 --save 我的企业.yaml"]


@pytest.fixture
def read_only_folder(tmp_path):
    """A folder nobody can create files in: mode 555, and immutable when running as root (whom
    the mode does not stop)."""
    folder = tmp_path / "只读"
    folder.mkdir()
    (folder / "已有.yaml").write_text("name: 原来的\n", encoding="utf-8")  # a writable file in it
    folder.chmod(0o555)
    if os.geteuid() == 0:
        done = subprocess.run(["chattr", "+i", str(folder)], capture_output=True)
        if done.returncode != 0:
            folder.chmod(0o755)
            pytest.skip("running as root on a file system without chattr +i: no folder is read-only to root")
    yield folder
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(folder)], capture_output=True)
    folder.chmod(0o755)


@pytest.mark.parametrize("name", ["启明.yaml", "已有.yaml"])
def test_save_into_a_read_only_folder_is_refused_before_the_first_question(read_only_folder, name):
    """Also over a writable file there: the new profile is written beside it and renamed over it,
    which a read-only folder refuses, so the file's own permission does not tell."""
    target = read_only_folder / name
    result = match("--interactive", "--save", str(target), input="是\n青岛启明软件科技有限公司\n" + feed())
    assert result.exit_code == 2
    assert result.stderr == f"{target}: 没有写入权限，请换一个路径\n"
    assert sorted(p.name for p in read_only_folder.iterdir()) == ["已有.yaml"]


YUAN_NOTE = "年度设备投资额按元计：3000 即 3,000.00 元（0.3万元）；若指 3000万元，请写 3000万"


def test_a_bare_amount_under_wan_is_noted_as_read_in_yuan_as_estimate_does():
    args = ("--set", "retrofit=是", "--set", "above_scale=是", "--set", "manufacturer=是", "--set", "invest=3000")
    table = match(*args, columns=200)
    assert table.exit_code == 0, table.output
    assert "注：" + YUAN_NOTE in table.stdout
    assert "360.00 元（0.036万元）" in table.stdout
    assert rows(match(*args, "--format", "json"))["techretrofit"]["notes"][0] == YUAN_NOTE
    estimate = invoke("estimate", "techretrofit", "--invest", "3000", columns=200)
    assert "注：" + YUAN_NOTE in estimate.stdout


@pytest.mark.parametrize("invest", ["3000万", "30000000", "0"])
def test_amounts_with_a_unit_or_over_wan_get_no_yuan_note(invest):
    out = match("--set", "retrofit=是", "--set", "above_scale=是", "--set", "manufacturer=是",
                "--set", f"invest={invest}", columns=200).stdout
    assert "按元计" not in out


def test_a_bare_amount_in_a_profile_file_is_noted(tmp_path):
    profile = tmp_path / "企业.yaml"
    profile.write_text("retrofit: 是\nabove_scale: 是\nmanufacturer: 是\ninvest: 3000\n", encoding="utf-8")
    assert "注：" + YUAN_NOTE in match("--profile", str(profile), columns=200).stdout


def test_an_answer_that_is_no_choice_points_to_the_numbers_shown_not_the_whole_list_again():
    result = match("--interactive", input="合作社\n1\n")
    assert result.exit_code == 0, result.output
    said = [line for line in result.stderr.splitlines() if "合作社" in line]
    assert said == ["“合作社”不是可选值，请输入上面列出的编号（1–7）或名称"], said
    assert "  7. 个人" in result.stderr  # the numbered choices stay above the question


def test_interactive_questions_break_by_the_chinese_rules_at_60_columns():
    """No line of the questions starts with 、 or ）: the program breaks them, not the terminal."""
    from rich.cells import cell_len

    result = match("--interactive", input="1\n否\n否\n否\n否\n否\n否\n八百万的平台\n", columns=60)
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert "补贴、省级数字经济园区奖补 等 12 项）" in lines  # a line of its own, 、 kept off its start
    assert all(cell_len(line) <= 60 for line in lines), [line for line in lines if cell_len(line) > 60]
    assert not [line for line in lines if line and line[0] in "、，。；：）」”"]

"""`policy list`, `policy show`, `policy validate`: views, filters, formats, errors."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
import yaml
from csvrows import read_csv
from conftest import invoke


def test_list_groups_by_part_and_section():
    result = invoke("list")
    assert result.exit_code == 0
    out = result.stdout
    headings = ["（一）加大援企惠企力度", "（二）全力扩大有效需求", "（三）加快新型工业化发展", "（四）培育壮大数字经济",
                "二、2023年“稳中向好、进中提质”政策清单中延续执行的政策"]
    positions = [out.index(h) for h in headings]
    assert positions == sorted(positions)
    assert out.index("techretrofit") < out.index("（四）培育壮大数字经济") < out.index("datacenter")
    assert "共 20 项" in out


def test_list_json_has_all_twenty_with_content(catalog):
    data = json.loads(invoke("list", "--format", "json").stdout)
    assert [d["id"] for d in data] == [p.id for p in catalog.policies]
    assert all(d["content"] == p.content for d, p in zip(data, catalog.policies))
    assert data[2]["offices"] == [{"name": "技术改造科", "contact": "臧文科", "phone": "0532-86175786", "note": None}]


def test_json_is_utf8_not_escaped():
    out = invoke("show", "techretrofit", "-f", "json").stdout
    assert "技术改造" in out and "\\u" not in out


def test_list_csv_round_trips_and_opens_in_excel(catalog):
    out = invoke("list", "--format", "csv").stdout
    assert out.startswith("\ufeff")
    rows = read_csv(out)
    assert [r["id"] for r in rows] == [p.id for p in catalog.policies]
    assert [r["content"] for r in rows] == [p.content for p in catalog.policies]
    assert rows[15]["phones"] == "0532-85162339；0532-85161795"


def test_list_yaml_round_trips(catalog):
    data = yaml.safe_load(invoke("list", "--format", "yaml").stdout)
    assert [(d["id"], d["content"]) for d in data] == [(p.id, p.content) for p in catalog.policies]


@pytest.mark.parametrize(
    "args, ids",
    [
        (["--section", "数字经济"], ["digitalpark", "digitalprojects", "industrybrain", "iiplatform", "identnode", "datacenter", "smartcommunity"]),
        (["--part", "二"], ["keylab", "supplychain", "newrnd", "training", "startuploan"]),
        (["--part", "2"], ["keylab", "supplychain", "newrnd", "training", "startuploan"]),
        (["--part", "延续执行"], ["keylab", "supplychain", "newrnd", "training", "startuploan"]),
        (["--office", "信息化"], ["vrcenter", "digitalpark", "digitalprojects", "industrybrain", "iiplatform", "identnode"]),
        (["--office", "信息画管理科"], ["vrcenter", "digitalpark", "digitalprojects", "industrybrain", "iiplatform", "identnode"]),
        (["--unit", "人民银行"], ["loansubsidy", "rediscount", "supplychain", "startuploan"]),
        (["--unit", "区文旅局"], ["vrcenter"]),
        (["--part", "1", "--section", "新型工业化", "--office", "高新技术科"], ["ipopool", "instrumentshare"]),
    ],
)
def test_filters_match_forgivingly(args, ids):
    result = invoke("list", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert [d["id"] for d in json.loads(result.stdout)] == ids


def test_unknown_filter_value_lists_choices():
    result = invoke("list", "--section", "航空航天")
    assert result.exit_code == 2
    assert result.stderr.strip() == "节“航空航天”不存在，可选：加大援企惠企力度、全力扩大有效需求、加快新型工业化发展、培育壮大数字经济"


def test_filters_with_no_common_policy_exit_1():
    result = invoke("list", "--part", "2", "--section", "数字经济")
    assert result.exit_code == 1
    assert "没有符合筛选条件的政策" in result.stderr


def test_show_by_id():
    result = invoke("show", "techretrofit")
    assert result.exit_code == 0
    out = result.stdout
    assert "技术改造设备投资奖补" in out and "技术改造科" in out and "臧文科" in out and "0532-86175786" in out
    assert "按照年度设备投资额12%的比例给予奖补" in out.replace("\n", "")


@pytest.mark.parametrize("ref, policy_id", [("3", "techretrofit"), ("1-3", "techretrofit"), ("一3", "techretrofit"),
                                            ("2-1", "keylab"), ("二-5", "startuploan"), ("TechRetrofit", "techretrofit"),
                                            ("智慧社区建设奖补", "smartcommunity"), ("数据中心", "datacenter")])
def test_show_resolves_numbers_and_titles(ref, policy_id):
    result = invoke("show", ref, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["id"] == policy_id  # one object, not a list of one


def test_show_unknown_id_suggests_closest():
    result = invoke("show", "techretrofti")
    assert result.exit_code == 2
    assert result.stderr.startswith("未找到政策“techretrofti”；是否要找：techretrofit（技术改造设备投资奖补）")
    assert len(result.stderr.strip().splitlines()) == 1


def test_show_number_out_of_range():
    result = invoke("show", "2-9")
    assert result.exit_code == 2
    assert "没有序号为 2-9 的政策（第二部分只有 5 项）" in result.stderr


def test_show_displays_verification_note():
    out = invoke("show", "startuploan").stdout
    assert "0352-85161772" in out and "核实提示" in out


def test_markup_in_data_prints_literally(dataset_dict, write_dataset):
    dataset_dict["policies"][0]["content"] = "支持[red]x[/red]与[/]以及[bold]粗体"
    dataset_dict["policies"][0].pop("award")  # its clause quotes the real content
    dataset_dict["policies"][0].pop("conditions")  # so do its conditions
    dataset_dict["policies"][0]["title"] = "[b]标题[/b][/]"
    path = write_dataset(dataset_dict)
    result = invoke("--data", str(path), "show", "creditreport")
    assert result.exit_code == 0, result.stderr
    assert "支持[red]x[/red]与[/]以及[bold]粗体" in result.stdout
    assert "[b]标题[/b][/]" in result.stdout
    listing = invoke("--data", str(path), "list")
    assert "[b]标题[/b][/]" in listing.stdout


def test_data_from_environment(dataset_dict, write_dataset):
    dataset_dict["policies"] = dataset_dict["policies"][:2]
    path = write_dataset(dataset_dict)
    data = json.loads(invoke("list", "-f", "json", env={"POLICY_DATA": str(path)}).stdout)
    assert [d["id"] for d in data] == ["creditreport", "vrcenter"]


def test_bad_dataset_one_line_exit_2(tmp_path):
    result = invoke("--data", str(tmp_path / "missing.yaml"), "list")
    assert result.exit_code == 2
    assert result.stderr.strip() == f"{tmp_path / 'missing.yaml'}: 数据文件不存在，请检查 --data 或 POLICY_DATA 指定的路径"
    assert "Traceback" not in result.output


def test_validate_ok_with_warning():
    result = invoke("validate")
    assert result.exit_code == 0
    assert "数据有效，共 20 项政策" in result.stdout
    assert "0352-85161772" in result.stdout


def test_validate_reports_every_problem(dataset_dict, write_dataset):
    dataset_dict["policies"][0]["offices"] = ["无此科室"]
    dataset_dict["policies"][1]["part"] = 9
    path = write_dataset(dataset_dict)
    result = invoke("validate", str(path))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2 and all(l.startswith(f"{path}:") for l in lines)


def test_usage_errors_are_chinese_one_line():
    result = invoke("list", "--bogus")
    assert result.exit_code == 2
    assert result.stderr.strip() == "错误：没有选项 --bogus。运行 policy list --help 查看用法"
    result = invoke("show")
    assert result.exit_code == 2
    assert result.stderr.strip() == "错误：缺少参数 编号。运行 policy show --help 查看用法"
    result = invoke("list", "--format", "xml")
    assert result.exit_code == 2
    assert result.stderr.strip() == "错误：--format/-f 的值“xml”无效，可选：table、json、csv、yaml。运行 policy list --help 查看用法"
    result = invoke("frobnicate")
    assert result.exit_code == 2
    assert result.stderr.strip() == "错误：没有命令 frobnicate。运行 policy --help 查看全部命令"


@pytest.mark.parametrize("typed, says", [
    (["serach", "数据中心"], "错误：没有命令 serach，是否要用 policy search。运行 policy --help 查看全部命令"),
    (["contact", "信息化"], "错误：没有命令 contact，是否要用 policy contacts。运行 policy --help 查看全部命令"),
    (["lists", "ad", "x.yaml"], "错误：没有命令 ad，是否要用 policy lists add。运行 policy lists --help 查看全部命令"),
    (["数据中心"], "错误：没有命令 数据中心；要查政策请写 policy search 数据中心。运行 policy --help 查看全部命令"),
])
def test_a_mistyped_command_gets_the_nearest_one(typed, says):
    result = invoke(*typed)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", says + "\n")


def test_help_and_version():
    result = invoke("--help")
    assert result.exit_code == 0 and "查询青岛市黄岛区" in result.stdout and "显示本帮助并退出" in result.stdout
    assert "示例" in invoke("list", "--help").stdout
    assert invoke("--version").stdout.startswith("policy ")


def test_plain_output_without_terminal_fits_60_columns():
    result = invoke("list", env={"COLUMNS": "60"})
    assert result.exit_code == 0
    assert not set("─│╭╮╰╯┃━") & set(result.stdout)
    from rich.cells import cell_len
    assert max(cell_len(line) for line in result.stdout.splitlines()) <= 60
    assert "techretrofit" in result.stdout


def test_completion_of_policy_ids():
    from policycli.cli.context import complete_policy_id

    class Ctx:
        def find_root(self):
            return self
        params = {}

    assert ("techretrofit", "技术改造设备投资奖补") in complete_policy_id(Ctx(), "tech")
    assert all(pid.startswith("d") for pid, _ in complete_policy_id(Ctx(), "d"))


def test_broken_pipe_is_quiet(tmp_path):
    code = "import sys; from policycli.cli.app import main; sys.exit(main(['list']))"
    proc = subprocess.run(f'"{sys.executable}" -c "{code}" | head -3', shell=True, capture_output=True, text=True,
                          cwd=tmp_path, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert len(proc.stdout.splitlines()) == 3
    assert proc.stderr == ""


def test_python_dash_m(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "policycli", "show", "techretrofit", "-f", "json"],
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["id"] == "techretrofit"


def test_boxes_only_on_a_terminal_without_no_color():
    boxed = invoke("list", env={"FORCE_COLOR": "1", "COLUMNS": "100"}).stdout
    assert "╭" in boxed or "│" in boxed
    plain = invoke("list", env={"FORCE_COLOR": "1", "NO_COLOR": "1", "COLUMNS": "100"}).stdout
    assert not set("─│╭╮╰╯") & set(plain)
    import re
    colours = re.findall(r"\x1b\[([0-9;]*)m", plain)
    assert not [c for c in colours if re.search(r"(^|;)(3[0-8]|9[0-7])(;|$)", c)]


def test_interrupt_exits_130_quietly(capsys):
    from policycli.cli.commands import run_safely

    def interrupted():
        raise KeyboardInterrupt

    assert run_safely(interrupted) == 130
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("text, shown", [("boom", "boom"), ("first\nsecond\n", "first second")])
def test_unexpected_error_is_one_line(capsys, monkeypatch, text, shown):
    from policycli.cli.commands import run_safely

    monkeypatch.delenv("POLICY_DEBUG", raising=False)

    def broken():
        raise RuntimeError(text)

    assert run_safely(broken) == 70
    err = capsys.readouterr().err
    assert err.splitlines() == [f"内部错误：RuntimeError: {shown}。请把这一行和所用命令反馈给维护者（设置 POLICY_DEBUG=1 可看详细信息）"]


def test_csv_numbers_are_not_read_as_dates_by_excel(catalog):
    """Excel turns a cell such as 2-5 into 2月5日; the CSV writes the number as printed (二-5),
    which `policy show` accepts too."""
    out = invoke("list", "--format", "csv").stdout
    rows = read_csv(out)
    assert [r["ref"] for r in rows][:3] == ["一-1", "一-2", "一-3"] and rows[-1]["ref"] == "二-5"
    assert not any(re.fullmatch(r"\d+[-/]\d+", r["ref"]) for r in rows)
    shown = invoke("show", rows[-1]["ref"], "--format", "json").stdout
    assert json.loads(shown)["id"] == rows[-1]["id"]


def test_one_ref_form_in_every_format():
    """The same 一-3 in json, yaml, csv and the vCard, and `show` takes it back."""
    listed = json.loads(invoke("list", "--format", "json").stdout)
    assert [p["ref"] for p in listed][:3] == ["一-1", "一-2", "一-3"] and listed[-1]["ref"] == "二-5"
    assert "ref: 一-3" in invoke("show", "techretrofit", "--format", "yaml").stdout
    contacts = json.loads(invoke("contacts", "技术改造科", "--format", "json").stdout)
    assert {"id": "techretrofit", "list": "黄岛2024-1", "ref": "一-3", "title": "技术改造设备投资奖补"} in contacts[0]["policies"]
    assert "一-3" in invoke("contacts", "技术改造科", "--format", "vcard").stdout
    for form in ("一-3", "1-3", "一3", "3"):
        assert json.loads(invoke("show", form, "--format", "json").stdout)["id"] == "techretrofit"


# --- an answer of nothing, in a data format: a document a script can still read ----------------

NOTHING = [
    (["search", "养老服务"], "没有找到与“养老服务”相关的政策。换个说法再试，或运行 policy list 查看全部"),
    (["list", "--section", "数字经济", "--office", "科技项目科"], "没有符合筛选条件的政策。去掉部分筛选条件再试，或运行 policy list 查看全部"),
    (["contacts", "找不到的人"], "未找到与“找不到的人”对应的科室、联系人、牵头单位或政策"),
    (["contacts", "86175787"], "没有联系人的电话是“86175787”"),
]


@pytest.mark.parametrize("args, message", NOTHING, ids=lambda a: " ".join(a) if isinstance(a, list) else "")
@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_nothing_found_writes_an_empty_list_and_the_message_on_stderr(args, message, fmt):
    result = invoke(*args, "--format", fmt)
    assert result.exit_code == 1
    assert result.stdout == "[]\n"
    assert (json.loads if fmt == "json" else yaml.safe_load)(result.stdout) == []
    assert result.stderr.startswith(message) and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("args, message", NOTHING, ids=lambda a: " ".join(a) if isinstance(a, list) else "")
def test_nothing_found_in_csv_is_the_header_the_rows_would_have(args, message):
    empty = invoke(*args, "--format", "csv")
    assert empty.exit_code == 1 and empty.stderr.startswith(message)
    found = {"search": ["search", "技改"], "list": ["list"], "contacts": ["contacts"]}[args[0]]
    full = invoke(*found, "--format", "csv")
    header = full.stdout.splitlines()[0]
    assert empty.stdout.splitlines() == [header] and header.startswith("\ufeff排名" if args[0] == "search" else "\ufeff")
    assert read_csv(empty.stdout) == []


def test_no_csv_header_is_left_in_english():
    for args in (["search", "技改"], ["match", "--set", "entity=企业", "--set", "loan=800万"]):
        header = invoke(*args, "--format", "csv").stdout.splitlines()[0]
        assert re.search(r"[A-Za-z]", header) is None, header


@pytest.mark.parametrize("columns", [58, 60, 62, 64, 66, 70, 75, 80, 90])
def test_every_section_of_the_list_is_laid_out_alike(columns):
    out = invoke("list", columns=columns).stdout
    sections = [block for block in out.split("\n\n") if "·（" in block.splitlines()[0]]
    assert len(sections) > 3
    as_tables = [bool(re.search(r"^序号\s+编号\s+标题", block, re.M)) for block in sections]
    assert len(set(as_tables)) == 1, (columns, as_tables)

"""`policy import`, `policy diff` and `policy validate --strict` as a user runs them: files
written whole or not at all, one-line errors and exit codes, a draft usable at once."""
from __future__ import annotations

import json
import os

import pytest
import yaml
from csvrows import read_csv
from conftest import DATASET, cli_lines, invoke, official_source
from listfiles import crafted, item


@pytest.fixture
def draft(tmp_path):
    out = tmp_path / "草稿.yaml"
    result = invoke("import", official_source(), "-o", out)
    assert result.exit_code == 0, result.stderr
    return out


# --- import ------------------------------------------------------------------------------------


def test_import_writes_the_draft_and_reports_the_problems(draft):
    result = invoke("import", official_source())  # to stdout
    assert result.exit_code == 0
    assert draft.read_text(encoding="utf-8") == result.stdout
    lines = result.stderr.splitlines()
    assert "区工信区" in lines[0] and "0352-85161772" in lines[2]
    assert lines[3:] == [
        f"{official_source()}: 清单和文件名中都没有找到所属地区，草稿中留空（draft 中已标出），请填写 region",
        "识别的表头：序号→序号、政策内容→政策内容、区级责任部门→牵头单位、区工信局责任科室→责任科室、联系人、联系电话→联系人和电话",
        "找到 20 项政策：一、2024年新实施政策 15 项；二、2023年“稳中向好、进中提质”政策清单中延续执行的政策 5 项"]
    assert yaml.safe_load(result.stdout)["policies"][2]["content"].startswith("对实施技术改造并符合相应标准的规模以上制造业企业")


def test_import_summary_says_where_and_what_next(tmp_path):
    out = tmp_path / "d.yaml"
    result = invoke("import", official_source(), "-o", out)
    assert result.stderr.splitlines()[-1] == (
        f"已写入草稿 {out}：20 项政策，10 个科室；发现 3 处需要核实（见上，草稿照原文记录，未作改动）。下一步：policy validate {out}")
    assert result.stdout == ""


def test_import_never_overwrites_without_force(tmp_path):
    out = tmp_path / "d.yaml"
    out.write_text("mine\n", encoding="utf-8")
    result = invoke("import", official_source(), "-o", out)
    assert result.exit_code == 2
    assert result.stderr == f"{out}: 文件已存在，未覆盖；加 --force 覆盖，或用 -o 换一个文件名\n"
    assert out.read_text(encoding="utf-8") == "mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.yaml"]


def test_import_force_replaces_the_file_whole(tmp_path):
    out = tmp_path / "d.yaml"
    out.write_text("mine\n", encoding="utf-8")
    result = invoke("import", official_source(), "-o", out, "--force")
    assert result.exit_code == 0
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["policies"][0]["id"] == "draft-1-1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.yaml"]  # no temporary file left


def test_force_needs_an_output_file():
    result = invoke("import", official_source(), "--force")
    assert result.exit_code == 2
    assert "--force 只和 -o 或 --add 一起使用" in result.stderr


def test_import_will_not_write_over_the_list_itself(tmp_path):
    source = tmp_path / "list.txt"
    source.write_text(crafted(item(1), item(2)), encoding="utf-8")
    result = invoke("import", source, "-o", source, "--force")
    assert result.exit_code == 2
    assert source.read_text(encoding="utf-8") == crafted(item(1), item(2))


def test_import_into_a_missing_folder_is_one_line(tmp_path):
    result = invoke("import", official_source(), "-o", tmp_path / "no" / "d.yaml")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "无法写入（路径不存在）" in result.stderr


@pytest.mark.parametrize("content, name, message", [
    (None, "missing.txt", "文件不存在，请检查路径"),
    (b"", "empty.txt", "文件是空的，没有可导入的内容"),
    (b"  \n\t\n", "blank.txt", "文件是空的，没有可导入的内容"),
    (bytes(range(256)) * 4, "binary.txt", "无法识别文件的文字编码"),
    (b"PK\x03\x04 not really a zip", "broken.docx", "不是有效的 .docx 文件"),
    (b"PK\x03\x04 not really a zip", "broken.xlsx", "不是有效的 .xlsx 文件"),
    ("只有一段文字，没有表格。\n".encode(), "prose.txt", "没有找到任何政策条目"),
    (b"{\\rtf1}", "list.doc", "不支持 .doc 文件"),
])
def test_an_unreadable_or_empty_list_writes_nothing(tmp_path, content, name, message):
    source = tmp_path / name
    if content is not None:
        source.write_bytes(content)
    out = tmp_path / "d.yaml"
    result = invoke("import", source, "-o", out)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{source}: ") and message in result.stderr
    assert result.stderr.count("\n") == 1
    assert not out.exists()


def test_a_folder_is_not_a_list(tmp_path):
    result = invoke("import", tmp_path)
    assert result.exit_code == 2
    assert "这是一个目录" in result.stderr


def test_without_python_docx_a_word_file_says_how_to_install(tmp_path, monkeypatch):
    import sys

    from policycli.errors import InputError
    from policycli.lists.reading import read_list

    from listfiles import build_docx

    source = build_docx(crafted(item(1), item(2)), tmp_path / "list.docx")
    monkeypatch.setitem(sys.modules, "docx", None)
    with pytest.raises(InputError) as caught:
        read_list(source)
    assert cli_lines(caught.value) == ["读取 .docx 需要可选组件（python-docx）：请运行 pip install 'policycli[import]'，或把清单另存为 .txt 后再导入"]


def test_the_text_path_does_not_import_python_docx():
    import subprocess
    import sys

    code = ("import sys; from policycli.lists.reading import read_list; from policycli.lists.drafting import draft_from;"
            f"draft_from(read_list({str(official_source())!r})); print('docx' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout == "False\n"


# --- a draft is usable at once -----------------------------------------------------------------


def test_a_draft_lists_shows_searches_and_finds_contacts(draft):
    listed = invoke("--data", draft, "list", "--format", "json")
    assert listed.exit_code == 0 and len(json.loads(listed.stdout)) == 20
    shown = invoke("--data", draft, "show", "2-1")
    assert shown.exit_code == 0 and "刘琦  0532-85162339" in shown.stdout and "柳叙英  0532-85161795" in shown.stdout
    found = invoke("--data", draft, "search", "技术改造", "--format", "json")
    assert found.exit_code == 0 and json.loads(found.stdout)[0]["id"] == "draft-1-3"
    contacts = invoke("--data", draft, "contacts", "信息化", "--format", "json")
    assert contacts.exit_code == 0 and contacts.stdout.count("0532-86168249") >= 1


def test_estimate_and_match_on_a_draft_say_there_is_no_rule_yet(draft):
    estimate = invoke("--data", draft, "estimate", "draft-1-3", "--invest", "3000万")
    assert estimate.exit_code == 1
    assert "还没有奖补规则（award），无法估算" in estimate.stderr
    match = invoke("--data", draft, "match", "--set", "entity=企业", "--format", "json")
    assert match.exit_code == 0
    assert "数据中还没有申请条件（conditions）" in match.stdout


def test_validate_lists_what_remains_to_author(draft):
    result = invoke("validate", draft)
    assert result.exit_code == 0
    out = result.stdout
    assert f"{draft}:10: draft: 待完成：确认地区 region（草拟）后从 draft 中删除" in out
    assert "policies[draft-1-3]: 待完成：确认编号 id、标题 title（草拟）后从 draft 中删除；编写 keywords、award、conditions" in out
    assert "还有 21 处待完成" in out
    data = json.loads(invoke("validate", draft, "--format", "json").stdout)
    assert len(data["todo"]) == 21


def test_validate_strict_refuses_a_draft_and_accepts_the_shipped_dataset(draft):
    strict = invoke("validate", draft, "--strict")
    assert strict.exit_code == 2
    assert strict.stderr.splitlines()[-1] == f"{draft}: 还有 21 处待完成（--strict），写法见 docs/authoring.md"
    shipped = invoke("validate", DATASET, "--strict")
    assert shipped.exit_code == 0


def test_validate_lists_only_what_is_missing(dataset_dict, write_dataset):
    policy = dataset_dict["policies"][0]
    del policy["keywords"], policy["conditions"]
    dataset_dict["policies"][1]["draft"] = ["title"]
    path = write_dataset(dataset_dict)
    result = invoke("validate", path, "--format", "json")
    todo = json.loads(result.stdout)["todo"]
    assert [t.split(": ", 1)[1] for t in todo] == [
        "policies[creditreport]: 待完成：编写 keywords、conditions",
        "policies[vrcenter]: 待完成：确认标题 title（草拟）后从 draft 中删除"]


def test_an_unknown_draft_marker_is_an_error(dataset_dict, write_dataset):
    dataset_dict["policies"][0]["draft"] = ["award"]
    result = invoke("validate", write_dataset(dataset_dict))
    assert result.exit_code == 2
    assert "policies[creditreport].draft: 不认识的草拟字段 award，只能是 id、title、section" in result.stderr


# --- diff --------------------------------------------------------------------------------------


@pytest.fixture
def changed(dataset_dict, write_dataset):
    """The shipped dataset with 一-2 removed, a policy added, techretrofit's 600万元 cap raised to
    800万元, and 技术改造科's phone changed; ids renamed, so pairing must go by the texts."""
    data = dataset_dict
    removed = data["policies"].pop(1)
    assert removed["id"] == "vrcenter"
    retrofit = data["policies"][1]
    retrofit["id"] = "retrofit2025"
    retrofit["content"] = retrofit["content"].replace("不超过600万元", "不超过800万元")
    retrofit["award"]["otherwise"]["cap"] = 800
    retrofit["award"]["otherwise"]["clause"] = retrofit["award"]["otherwise"]["clause"].replace("600万元", "800万元")
    for office in data["offices"]:
        if office["name"] == "技术改造科":
            office["phone"] = "0532-86175700"
    data["policies"].append({
        "id": "aicompute", "part": 2, "number": 6, "title": "算力券",
        "content": "对租用区内智能算力的中小企业，按租用费用的30%发放算力券，每家企业每年最高50万元。",
        "lead_units": ["区工信局"], "offices": ["信息化管理科"]})
    return write_dataset(data, "new.yaml")


def test_diff_finds_added_removed_and_what_changed(changed):
    result = invoke("diff", DATASET, changed, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [p["id"] for p in data["added"]] == ["aicompute"]
    assert [p["id"] for p in data["removed"]] == ["vrcenter"]
    assert len(data["continued"]) == 19
    moved = [c for c in data["continued"] if c["changed"]]
    assert [(c["old"]["id"], c["new"]["id"]) for c in moved] == [("techretrofit", "retrofit2025")]
    changes = moved[0]["changed"]
    assert changes["amounts"] == {"old": ["600万元"], "new": ["800万元"]}
    assert changes["phones"] == {"old": ["0532-86175786"], "new": ["0532-86175700"]}
    assert changes["award"] == {"old": ["award.otherwise.cap：600"], "new": ["award.otherwise.cap：800"]}
    assert set(changes) == {"amounts", "phones", "award", "content"}  # the clauses quoting the text: in its diff
    assert data["changed"] == {}  # the list's own title, year and the rest are the same
    assert [s for s in moved[0]["text"] if s["op"] != "equal"] == [{"op": "replace", "old": "600", "new": "800"}]


def test_diff_table_shows_the_words_that_changed(changed):
    result = invoke("diff", DATASET, changed)
    assert result.exit_code == 0
    out = result.stdout
    assert "新增 1 项，取消 1 项，延续 19 项（其中 1 项有变化）" in out
    assert "原文      …年获得奖补资金总额不超过[-600-]{+800+}万元。企业实施的技术改造…" in out
    assert "0532-86175786 → 0532-86175700" in out
    assert "600万元 → 800万元" in out


def test_diff_csv_has_a_row_per_change(changed):
    result = invoke("diff", DATASET, changed, "--format", "csv")
    rows = read_csv(result.stdout)
    assert [(r["status"], r["new_id"] or r["old_id"], r["field"]) for r in rows if r["field"] or r["status"] != "延续"] == [
        ("新增", "aicompute", ""), ("取消", "vrcenter", ""),
        ("延续", "retrofit2025", "amounts"), ("延续", "retrofit2025", "phones"), ("延续", "retrofit2025", "award"),
        ("延续", "retrofit2025", "content")]
    assert yaml.safe_load(invoke("diff", DATASET, changed, "--format", "yaml").stdout)["added"][0]["title"] == "算力券"


def test_diff_of_the_shipped_dataset_and_its_imported_draft(draft):
    data = json.loads(invoke("diff", DATASET, draft, "--format", "json").stdout)
    assert data["added"] == data["removed"] == []
    changed = {c["new"]["id"]: c["changed"] for c in data["continued"] if c["changed"]}
    units = {key: change["lead_units"] for key, change in changed.items() if "lead_units" in change}
    assert units == {key: {"old": ["区发改局", "区工信局", "区财政局"], "new": ["区发改局", "区工信区", "区财政局"]}
                     for key in ("draft-1-9", "draft-1-10")}
    # the draft's titles are the text's own words, not the shipped short titles: each is reported
    titles = {c["new"]["id"]: c["changed"].get("title") for c in data["continued"]}
    assert titles["draft-1-9"] == {"old": ["省级数字经济园区奖补"], "new": ["围绕数字基础设施建设以及数字产业化"]}
    assert all(("title" in c["changed"]) == (c["old"]["title"] != c["new"]["title"]) for c in data["continued"])


def test_diff_reports_a_change_of_the_rules_data_alone(dataset_dict, write_dataset):
    """The text unchanged, the estimate's rounding and the match's condition changed: the library
    keeps the two as different versions, and the diff says what changed."""
    retrofit = next(p for p in dataset_dict["policies"] if p["id"] == "techretrofit")
    retrofit["award"]["otherwise"]["rounding"] = "元"
    retrofit["conditions"][1]["value"] = False
    changed = write_dataset(dataset_dict, "new.yaml")
    data = json.loads(invoke("diff", DATASET, changed, "--format", "json").stdout)
    [moved] = [c for c in data["continued"] if c["changed"]]
    assert moved["new"]["id"] == "techretrofit" and moved["text"] == []
    assert moved["changed"] == {"award": {"old": ["award.otherwise.rounding：分"], "new": ["award.otherwise.rounding：元"]},
                                "conditions": {"old": ["conditions[1].value：true"], "new": ["conditions[1].value：false"]}}
    table = invoke("diff", DATASET, changed, columns=120).stdout
    assert "延续 20 项（其中 1 项有变化）" in table
    assert "奖补规则  award.otherwise.rounding：分 → award.otherwise.rounding：元" in table
    assert "申请条件  conditions[1].value：true → conditions[1].value：false" in table


def test_diff_of_a_dataset_with_itself():
    result = invoke("diff", DATASET, DATASET)
    assert result.exit_code == 0
    assert "两份数据的政策相同，没有变化。" in result.stdout


def test_diff_of_a_missing_file(tmp_path):
    result = invoke("diff", DATASET, tmp_path / "no.yaml")
    assert result.exit_code == 2
    assert result.stderr == (f"{tmp_path / 'no.yaml'}: 不是清单库中的清单，也没有这个文件；清单库中有：黄岛2024-1"
                             "（运行 policy lists 查看），或给出数据文件（.yaml）的路径\n")


@pytest.mark.parametrize("args, says", [
    (["import", ""], "清单文件名为空，请给出要导入的清单文件，如 policy import 清单.docx"),
    (["lists", "add", " "], "数据文件名为空，请给出要加入的 .yaml 文件，如 policy lists add 2025年第一批.yaml"),
    (["diff", "黄岛2024-1", ""], "清单名称为空，请给出清单库中的清单名称或数据文件，如 policy diff 黄岛2024-1 新清单.yaml"),
])
def test_an_empty_file_name_is_named_as_empty_not_as_the_current_folder(args, says):
    result = invoke(*args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", says + "\n")


def test_import_help_is_chinese():
    result = invoke("import", "--help")
    assert result.exit_code == 0 and "把官方清单转成政策数据草稿" in result.stdout


def test_a_list_file_name_in_gbk_gets_one_line(tmp_path):
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "policycli", "import", os.fsdecode(b"\xbf\xcd.txt")], capture_output=True,
                          cwd=tmp_path, env={**os.environ, "LC_ALL": "C.UTF-8", "PYTHONIOENCODING": ""})
    assert done.returncode == 2
    message = done.stderr.decode("utf-8")
    assert len(message.splitlines()) == 1 and "文件不存在" in message


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_list_that_is_no_regular_file_is_refused_without_blocking(tmp_path, kind):
    if kind == "fifo":
        source = tmp_path / "list.txt"
        os.mkfifo(source)
    else:
        source = "/dev/zero"
    out = tmp_path / "draft.yaml"
    result = invoke("import", str(source), "-o", str(out))
    assert result.exit_code == 2
    assert "不是普通文件（是管道、设备或套接字），不能作为清单文件读取" in result.output
    assert not out.exists()


def test_diff_reports_the_lists_title_and_a_policys_title(dataset_dict, write_dataset):
    data = dict(dataset_dict, year=2025, title=dataset_dict["title"].replace("2024", "2025"))
    was = data["policies"][0]["title"]
    data["policies"][0] = dict(data["policies"][0], title="企业信用报告补贴")
    newer = write_dataset(data, "new.yaml")
    result = json.loads(invoke("diff", DATASET, newer, "--format", "json").stdout)
    assert result["changed"] == {"title": {"old": dataset_dict["title"], "new": data["title"]},
                                 "year": {"old": "2024", "new": "2025"}}
    [moved] = [c for c in result["continued"] if c["changed"]]
    assert moved["changed"] == {"title": {"old": [was], "new": ["企业信用报告补贴"]}}
    table = invoke("diff", DATASET, newer, columns=200).stdout
    assert "清单信息有变化" in table and "年份      2024 → 2025" in table
    assert f"标题  {was} → 企业信用报告补贴" in table

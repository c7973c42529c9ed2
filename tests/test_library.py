"""The library of lists as a user meets it: a second list (three policies of the shipped list
re-issued as 2025's first batch, one with new words) added, answered by every command with its list
named, restricted by --list, removed again; name clashes, invalid files and an unwritable data dir."""
from __future__ import annotations

import copy
import json
import os
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
import yaml
from conftest import DATASET, invoke

from policycli.dataset import library

REPO = Path(__file__).resolve().parent.parent
SHIPPED = "黄岛2024-1"
NEXT = "黄岛2025-1"
NEW_WORDS = "支持建设液冷集群。"
REISSUED = ("techretrofit", "datacenter", "smartcommunity")


def as_json(result):
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def reissue(dataset: dict, year: int = 2025, ids=REISSUED, extra: str = NEW_WORDS) -> dict:
    """The shipped list cut down to `ids`, as `year`'s first batch; datacenter's text gets `extra`."""
    data = dict(dataset, year=year, title=dataset["title"].replace("2024", str(year)))
    data["parts"] = [{k: v for k, v in part.items() if k != "count"} for part in dataset["parts"]]
    data["policies"] = [dict(p) for p in dataset["policies"] if p["id"] in ids]
    for p in data["policies"]:
        if p["id"] == "datacenter":
            p["content"] += extra
    used = {o for p in data["policies"] for o in p["offices"]}
    data["offices"] = [o for o in dataset["offices"] if o["name"] in used]
    return data


@pytest.fixture
def own_library(tmp_path, monkeypatch):
    """An empty library of this test's own."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))
    return tmp_path / "data-home" / "policycli" / "lists"


@pytest.fixture
def next_year(tmp_path, dataset_dict) -> Path:
    path = tmp_path / "2025年第一批.yaml"
    path.write_text(yaml.safe_dump(reissue(dataset_dict), allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_a_second_list_is_added_answered_by_every_command_and_removed(own_library, next_year, tmp_path):
    before = next_year.read_bytes()
    added = invoke("lists", "add", next_year)
    assert added.exit_code == 0, added.stderr
    assert NEXT in added.stdout
    assert next_year.read_bytes() == before  # FILE is never modified
    assert (own_library / f"{NEXT}.yaml").is_file()

    shown = as_json(invoke("lists", "--format", "json"))
    assert [(r["name"], r["count"], r["year"], r["validates"]) for r in shown] == [
        (SHIPPED, 20, 2024, True), (NEXT, 3, 2025, True)]
    assert shown[0]["origin"] == "随包数据" and shown[1]["origin"] == str(next_year)

    found = as_json(invoke("search", "液冷集群", "--format", "json"))  # datacenter changed: its own result
    assert [(h["id"], h["list"], h["also"], h["versions"]) for h in found] == [
        ("datacenter", NEXT, [], [f"{SHIPPED}:datacenter"])]
    table = invoke("search", "液冷集群")
    assert NEXT in table.stdout and SHIPPED not in table.stdout

    listed = as_json(invoke("list", "--format", "json"))
    assert len(listed) == 21  # the two re-issued unchanged once each with both lists named; datacenter twice
    assert {p["id"]: p["list"] for p in listed if p["also"]} == {"techretrofit": NEXT, "smartcommunity": NEXT}
    assert sum(p["list"] == SHIPPED for p in listed) == 18
    grouped = invoke("list").stdout
    assert grouped.index(f"{NEXT}（2025年第一批）") < grouped.index(f"{SHIPPED}（2024年第一批）")

    only_next = as_json(invoke("--list", NEXT, "list", "--format", "json"))
    assert sorted(p["id"] for p in only_next) == sorted(REISSUED)
    assert all(p["also"] == [] for p in only_next)
    assert invoke("--list", SHIPPED, "search", "液冷集群").exit_code == 1

    contacts = as_json(invoke("contacts", "数字新区", "--format", "json"))
    assert contacts[0]["phone"] == "0532-86986596" and contacts[0]["lists"] == [NEXT, SHIPPED]
    assert {(p["id"], p["list"]) for p in contacts[0]["policies"]} >= {("datacenter", NEXT), ("smartcommunity", NEXT)}

    estimate = as_json(invoke("estimate", f"{NEXT}:techretrofit", "--invest", "3000万", "--format", "json"))
    assert estimate["amount"] == "3600000.00"

    company = REPO / "examples" / "company.yaml"
    rows = as_json(invoke("match", "--profile", company, "--format", "json"))
    assert len(rows) == 21 and {r["id"]: r["list"] for r in rows}["techretrofit"] == NEXT
    profiles = tmp_path / "档案"
    profiles.mkdir()
    (profiles / "company.yaml").write_bytes(company.read_bytes())
    [both] = as_json(invoke("match", "--profile", profiles, "--format", "json"))
    [alone] = as_json(invoke("--list", SHIPPED, "match", "--profile", profiles, "--format", "json"))
    assert both["total"] == alone["total"]  # a continued policy counts once overall
    totals = {t["list"]: t for t in both["lists"]}
    assert totals[SHIPPED]["total"] == alone["total"]
    assert totals[NEXT]["eligible"] + totals[NEXT]["unconfirmed"] + totals[NEXT]["ineligible"] == 3
    assert totals[NEXT]["total"] == "6000000.00"  # techretrofit at its cap; the other two give no sum here
    table = invoke("match", "--profile", company).stdout
    assert f"按清单：{NEXT} 可申请" in table.replace("\n", "")

    removed = invoke("lists", "remove", NEXT, "--yes")
    assert removed.exit_code == 0, removed.stderr
    assert [r["name"] for r in as_json(invoke("lists", "--format", "json"))] == [SHIPPED]
    assert next_year.read_bytes() == before


def test_a_name_in_use_is_refused_unless_forced(own_library, next_year):
    assert invoke("lists", "add", next_year).exit_code == 0
    again = invoke("lists", "add", next_year)
    assert again.exit_code == 2
    assert f"已有名为“{NEXT}”的清单" in again.stderr and "--force" in again.stderr
    assert invoke("lists", "add", next_year, "--force").exit_code == 0
    renamed = invoke("lists", "add", next_year, "--name", "第二份")
    assert renamed.exit_code == 0, renamed.stderr
    assert [r["name"] for r in as_json(invoke("lists", "--format", "json"))] == [SHIPPED, "第二份", NEXT]
    shipped = invoke("lists", "add", DATASET)  # its derived name is the shipped list's
    assert shipped.exit_code == 2 and "随包清单" in shipped.stderr and "--name" in shipped.stderr
    assert invoke("lists", "add", DATASET, "--name", SHIPPED, "--force").exit_code == 2
    refused = invoke("lists", "remove", SHIPPED)
    assert refused.exit_code == 2 and "--list" in refused.stderr
    unknown = invoke("lists", "remove", "黄岛2030-1")
    assert unknown.exit_code == 2 and SHIPPED in unknown.stderr
    bad = invoke("lists", "add", next_year, "--name", "a/b")
    assert bad.exit_code == 2 and "不能用" in bad.stderr
    empty = invoke("lists", "add", next_year, "--name", "")  # an empty name is a mistake, not "no name"
    assert empty.exit_code == 2 and "清单名称“”不能用" in empty.stderr
    assert [r["name"] for r in as_json(invoke("lists", "--format", "json"))] == [SHIPPED, "第二份", NEXT]


def test_a_list_is_removed_only_when_confirmed(own_library, next_year, monkeypatch):
    assert invoke("lists", "add", next_year).exit_code == 0
    stored = own_library / f"{NEXT}.yaml"
    unasked = invoke("lists", "remove", NEXT)  # no terminal to ask on
    assert unasked.exit_code == 2 and "--yes" in unasked.stderr and len(unasked.stderr.strip().splitlines()) == 1
    assert stored.is_file()

    from policycli.cli import library as lists_cli
    monkeypatch.setattr(lists_cli, "answers_typed", lambda: True)
    declined = invoke("lists", "remove", NEXT, input="否\n")
    assert declined.exit_code == 2 and "是/否" in declined.stderr and "未删除" in declined.stderr
    assert invoke("lists", "remove", NEXT, input="").exit_code == 2  # end of input: no
    assert stored.is_file()
    accepted = invoke("lists", "remove", NEXT, input="是\n")
    assert accepted.exit_code == 0, accepted.stderr
    assert not stored.exists() and next_year.is_file()


def test_a_search_hit_is_placed_under_its_own_lists_part_name(own_library, tmp_path, dataset_dict):
    data = reissue(dataset_dict, ids=("keylab", "techretrofit"))
    data["parts"][1]["name"] = "上年度继续有效的政策"
    path = tmp_path / "另一份.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert invoke("lists", "add", path).exit_code == 0
    found = invoke("--list", NEXT, "search", "重点实验室", columns=200)
    assert found.exit_code == 0, found.stderr
    assert "上年度继续有效的政策" in found.stdout and "2023年" not in found.stdout
    shipped = invoke("--list", SHIPPED, "search", "重点实验室", columns=200).stdout
    assert "2023年“稳中向好、进中提质”政策清单中延续执行的政策" in shipped


def test_a_relative_data_home_is_ignored_with_a_warning(tmp_path, monkeypatch, next_year):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", "relative")
    monkeypatch.chdir(tmp_path)
    warning = (f"环境变量 XDG_DATA_HOME 的值“relative”不是绝对路径，已忽略；清单库目录须写成绝对路径，"
               f"如 {tmp_path / 'home' / '.local' / 'share'}")
    added = invoke("lists", "add", next_year, "--format", "json")
    assert added.exit_code == 0, added.stderr
    assert added.stderr.splitlines() == [warning]
    assert as_json(added)["path"] == str(tmp_path / "home" / ".local" / "share" / "policycli" / "lists" / f"{NEXT}.yaml")
    assert not (tmp_path / "relative").exists()
    searched = invoke("search", "液冷集群", "--format", "json")
    assert searched.stderr.splitlines() == [warning] and as_json(searched)[0]["list"] == NEXT


def test_a_figure_set_for_an_id_two_lists_use_names_its_list(own_library, tmp_path, dataset_dict):
    data = reissue(dataset_dict, ids=("datacenter",))
    data["policies"][0]["id"] = "vrcenter"  # another policy under an id the shipped list uses
    path = tmp_path / "同号.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert invoke("lists", "add", path).exit_code == 0
    facts = ("--set", "entity=企业", "--set", "recognitions=省级虚拟现实应用体验中心")
    bare = invoke("match", *facts, "--set", "vrcenter.cost=1000万", "--format", "json")
    assert bare.exit_code == 2 and len(bare.stderr.strip().splitlines()) == 1
    assert f"{SHIPPED}:vrcenter" in bare.stderr and f"{NEXT}:vrcenter" in bare.stderr
    rows = as_json(invoke("match", *facts, "--set", f"{SHIPPED}:vrcenter.cost=1000万", "--format", "json"))
    amounts = {(r["list"], r["id"]): r["amount"] for r in rows}
    assert amounts[(SHIPPED, "vrcenter")] == "2000000.00"
    unknown = invoke("match", *facts, "--set", "黄岛2030-1:vrcenter.cost=1000万")
    assert unknown.exit_code == 2 and SHIPPED in unknown.stderr


@pytest.mark.parametrize("columns, most", [(60, 11), (80, 8), (120, 7)])
def test_the_lists_table_gives_a_long_title_the_room(own_library, columns, most):
    from rich.cells import cell_len

    shown = invoke("lists", columns=columns)
    assert shown.exit_code == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert max(cell_len(line) for line in lines) <= columns
    assert len(lines) <= most  # the title wraps into a few lines, not ten
    assert "青岛市黄岛区（西海岸新区）" in shown.stdout and "随包数据" in shown.stdout and "第一批" in shown.stdout
    [row] = as_json(invoke("lists", "--format", "json", columns=columns))
    assert row["title"] == "市2024年工信、科技、大数据领域“促进经济巩固向好、加快绿色低碳高质量发展”政策清单（第一批）"


def test_an_invalid_file_is_refused_with_its_line(own_library, tmp_path, dataset_dict):
    data = reissue(dataset_dict)
    data["policies"][1]["title"] = "一个远远超过二十个字的标题用来检查数据校验是否能发现问题"
    path = tmp_path / "坏.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    line = next(i for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "远远超过" in text)
    result = invoke("lists", "add", path)
    assert result.exit_code == 2
    assert f"{path}:{line}: policies[datacenter].title: 标题过长" in result.stderr
    assert not own_library.exists()


def test_an_unwritable_data_dir_is_one_line(tmp_path, monkeypatch, next_year):
    blocked = tmp_path / "home"
    blocked.mkdir()
    (blocked / "policycli").write_text("a file where the folder should be")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocked))
    result = invoke("lists", "add", next_year)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "无法写入清单目录" in result.stderr and "XDG_DATA_HOME" in result.stderr


def test_a_shared_id_needs_its_list(own_library, tmp_path, dataset_dict):
    """The 2025 list has a techretrofit whose text is not the 2024 one: two policies, one id."""
    data = reissue(dataset_dict, ids=("techretrofit",))
    policy = data["policies"][0]
    policy["content"] = "对新建智能工厂的企业，按照工厂建成后首年产值的一定比例给予一次性奖励，具体标准另行制定。"
    del policy["award"], policy["conditions"]  # yet to be written: the list still loads
    path = tmp_path / "2025.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert invoke("lists", "add", path).exit_code == 0, invoke("validate", path).stderr
    shown = invoke("show", "techretrofit")
    assert shown.exit_code == 2
    assert shown.stderr.count("\n") == 1
    assert f"{NEXT}:techretrofit（技术改造设备投资奖补）" in shown.stderr
    assert f"{SHIPPED}:techretrofit" in shown.stderr
    assert "新建智能工厂" in as_json(invoke("show", f"{NEXT}:techretrofit", "--format", "json"))["content"]
    assert as_json(invoke("show", f"{SHIPPED}:techretrofit", "--format", "json"))["list"] == SHIPPED
    unknown = invoke("show", "黄岛2031-1:techretrofit")
    assert unknown.exit_code == 2 and "没有名为“黄岛2031-1”的清单" in unknown.stderr
    compared = as_json(invoke("diff", SHIPPED, NEXT, "--format", "json"))
    assert (len(compared["removed"]), len(compared["added"]), len(compared["continued"])) == (20, 1, 0)


def test_data_means_one_dataset(own_library, next_year):
    assert invoke("lists", "add", next_year).exit_code == 0
    alone = as_json(invoke("--data", DATASET, "list", "--format", "json"))
    assert len(alone) == 20 and {p["list"] for p in alone} == {SHIPPED} and not any(p["also"] for p in alone)
    both = invoke("--data", DATASET, "--list", NEXT, "list")
    assert both.exit_code == 2 and "--data" in both.stderr
    unknown = invoke("--list", "无此清单", "list")
    assert unknown.exit_code == 2 and f"可选：{SHIPPED}、{NEXT}" in unknown.stderr


def test_a_name_not_in_a_large_library_is_answered_with_the_nearest_names(own_library, next_year):
    """A library of many lists: the error names the lists nearest to what was typed and how many
    there are, on one short line, not all of them."""
    import yaml

    own_library.mkdir(parents=True, exist_ok=True)
    data = yaml.safe_load(Path(next_year).read_text(encoding="utf-8"))
    for year in range(2001, 2013):
        (own_library / f"黄岛{year}-1.yaml").write_text(yaml.safe_dump(dict(data, year=year), allow_unicode=True), encoding="utf-8")
    unknown = invoke("--list", "黄岛2009-2", "list")
    assert unknown.exit_code == 2
    line = unknown.stderr.strip()
    assert "\n" not in line and line.startswith("没有名为“黄岛2009-2”的清单，相近的有：黄岛2009-1、")
    assert line.endswith("（共 13 份）") and line.count("黄岛") == 1 + 8


def test_a_broken_list_in_the_library_is_left_out_with_a_warning(own_library):
    own_library.mkdir(parents=True)
    (own_library / "坏清单.yaml").write_text("title: [", encoding="utf-8")
    result = invoke("list", "--format", "json")
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == 20
    assert "清单“坏清单”有错误，已略去" in result.stderr
    rows = as_json(invoke("lists", "--format", "json"))
    assert rows[1]["name"] == "坏清单" and rows[1]["validates"] is False and "坏清单.yaml" in rows[1]["problem"]


def test_the_web_answers_over_two_lists(own_library, next_year):
    pytest.importorskip("uvicorn", reason="web extra not installed (pip install '.[web]')")
    from conftest import served

    from policycli.web.app import make_app

    def get(url: str) -> str:
        with urllib.request.urlopen(url, timeout=20) as response:
            return response.read().decode("utf-8")

    assert invoke("lists", "add", next_year).exit_code == 0
    with served(make_app()) as base:
        api = json.loads(get(base + "/api/search?" + urlencode({"q": "液冷集群"})))
        home = get(base + "/")
        page = get(base + "/policy/" + quote(f"{NEXT}:datacenter"))
        found = get(base + "/?" + urlencode({"q": "液冷集群"}))
        only = json.loads(get(base + "/api/policies"))
        contacts = get(base + "/contacts?" + urlencode({"q": "数字新区"}))
        estimable = json.loads(get(base + "/api/estimate"))
        matched = json.loads(get(base + "/api/match?" + urlencode({"set": ["entity=企业", "above_scale=是",
                                                                               "manufacturer=是", "invest=3000万"]}, doseq=True)))
    assert api == as_json(invoke("search", "液冷集群", "--format", "json"))
    assert len(only) == 21 and only == as_json(invoke("list", "--format", "json"))
    assert f"{NEXT}（2025年第一批） · 一、2024年新实施政策" in home and f"{SHIPPED}（2024年第一批） · " in home
    assert f'<dt>清单</dt><dd><span class="name">{NEXT}</span></dd>' in page and NEW_WORDS in page
    name = '<span class="name">{}</span>'.format
    assert f"清单 {name(NEXT)}" in found
    assert f"清单 {name(NEXT)}、{name(SHIPPED)}" in contacts and f'href="/policy/{NEXT}:datacenter"' in contacts
    assert estimable == as_json(invoke("estimate", "--format", "json"))
    assert {r["id"]: r["list"] for r in estimable}["techretrofit"] == NEXT
    assert {m["id"]: m["list"] for m in matched}["techretrofit"] == NEXT and len(matched) == 21


@pytest.mark.parametrize("region, year, batch, name", [
    ("青岛市黄岛区（西海岸新区）", 2024, "第一批", "黄岛2024-1"),
    ("青岛市黄岛区（西海岸新区）", 2025, "第二批", "黄岛2025-2"),
    ("山东省青岛市胶州市", 2024, "", "胶州2024"),
    ("青岛西海岸新区", 2023, "第3批", "青岛西海岸2023-3"),
    ("浦东新区", 2024, "全年", "浦东2024-全年"),
])
def test_names_come_from_region_year_and_batch(region, year, batch, name):
    assert library.derive_name(region, year, batch) == name


def test_the_tests_never_see_the_developers_library():
    assert Path(os.environ["XDG_DATA_HOME"]) != Path.home() / ".local" / "share"
    assert str(library.lists_dir()).startswith(os.environ["XDG_DATA_HOME"])


def test_import_adds_the_draft_in_one_step(own_library):
    from conftest import official_source

    result = invoke("import", official_source(), "--add", "--name", "导入2024")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("已加入清单库：导入2024")
    rows = as_json(invoke("lists", "--format", "json"))
    assert [(r["name"], r["count"], r["validates"]) for r in rows] == [(SHIPPED, 20, True), ("导入2024", 20, True)]
    assert Path(rows[1]["origin"]).resolve() == Path(official_source()).resolve()
    listed = invoke("list", "--format", "json")
    # its ids and titles are drafted: left out unless named, said in one line
    assert [p["list"] for p in as_json(listed)] == [SHIPPED] * 20
    assert listed.stderr.strip() == ("未查草稿清单“导入2024”（编号、标题等草拟内容待确认）；"
                                     "要查它请加 --list 导入2024，如 policy --list 导入2024 search 关键词")
    # named beside the shipped list: the same official text is the same policies, each shown once
    both = as_json(invoke("--list", SHIPPED, "--list", "导入2024", "list", "--format", "json"))
    assert len(both) == 20 and all(p["list"] == SHIPPED and not p["versions"] for p in both)
    assert all(len(p["also"]) == 1 and p["also"][0].startswith("导入2024:draft-") for p in both)
    again = invoke("import", official_source(), "--add", "--name", "导入2024")
    assert again.exit_code == 2 and "--force" in again.stderr


def test_completion_offers_the_list_names(own_library, next_year):
    assert invoke("lists", "add", next_year).exit_code == 0
    result = invoke(env={"_POLICY_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "policy --list 黄岛"})
    assert result.exit_code == 0
    assert SHIPPED in result.stdout and NEXT in result.stdout


def test_a_list_edited_in_the_library_is_read_again(own_library, next_year):
    assert invoke("lists", "add", next_year).exit_code == 0
    assert invoke("search", "氢能重卡").exit_code == 1
    stored = own_library / f"{NEXT}.yaml"
    stored.write_text(stored.read_text(encoding="utf-8").replace(NEW_WORDS, "支持氢能重卡示范。"), encoding="utf-8")
    found = as_json(invoke("search", "氢能重卡", "--format", "json"))
    assert [(h["id"], h["list"]) for h in found] == [("datacenter", NEXT)]
    assert invoke("search", "液冷集群").exit_code == 1


def test_a_draft_is_added_as_a_draft_with_the_count_of_items_to_finish(own_library):
    draft = REPO / "examples" / "draft-2024-batch1.yaml"
    added = invoke("lists", "add", draft, "--name", "草稿", columns=400)
    assert added.exit_code == 0, added.stderr
    [said] = [line for line in added.stdout.splitlines() if line.startswith("已加入清单库")]
    assert "；这是草稿：21 项待补" in said and f"policy validate {own_library / '草稿.yaml'} --strict" in said
    rows = as_json(invoke("lists", "--format", "json"))
    assert [(r["name"], r["validates"], r["unfinished"]) for r in rows] == [(SHIPPED, True, 0), ("草稿", True, 21)]
    table = invoke("lists", columns=200).stdout
    assert "草稿：21 项待补" in table and table.count("通过") == 1


@pytest.mark.parametrize("command", [("lists", "add"), ("validate",)])
def test_a_missing_file_argument_is_named_as_the_commands_not_data(own_library, tmp_path, command):
    missing = tmp_path / "nonexistent.yaml"
    result = invoke(*command, missing)
    assert result.exit_code == 2
    assert result.stderr == f"{missing}: 数据文件不存在，请检查命令中给出的文件路径\n"


@pytest.mark.parametrize("args, example", [
    (("list", "--list", SHIPPED), "policy --list 清单 list"),
    (("lists", "remove", "--list", SHIPPED), "policy --list 清单 lists remove"),
    (("search", "技改", "--data", "x.yaml"), "policy --data 文件 search"),
])
def test_a_global_option_after_the_command_is_told_to_go_before_it(own_library, args, example):
    result = invoke(*args)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(f"错误：{args[-2]} 是全局选项，要写在命令之前，如 {example}。")
    assert len(result.stderr.strip().splitlines()) == 1


def test_the_web_search_keeps_the_approximate_note_apart_from_the_lists(own_library, next_year):
    from conftest import served

    from policycli.web.app import make_app

    assert invoke("lists", "add", next_year).exit_code == 0
    with served(make_app()) as url:
        with urllib.request.urlopen(url + "/?q=" + quote("技能人才实训计划补助"), timeout=20) as response:
            html = response.read().decode("utf-8")
    assert "请核对</span> <span class=\"list\">· 清单 " in html
    assert "请核对清单" not in html


@pytest.mark.parametrize("name, content", [
    ("2025年第一批清单.txt", None),  # the official text itself
    ("2025年第一批清单.docx", b"PK\x03\x04" + b"\0" * 64),
    ("2025年第一批清单.pdf", b"%PDF-1.7\n"),
    ("清单.html", "<html><body><p>1. 对企业给予最高100万元奖补。</p></body></html>".encode()),
])
def test_adding_a_published_list_instead_of_a_dataset_says_to_import_it(own_library, tmp_path, name, content):
    from conftest import official_source

    path = tmp_path / name
    path.write_bytes(Path(official_source()).read_bytes() if content is None else content)
    result = invoke("lists", "add", path)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        f"{path}: 这是清单原文，不是政策数据（YAML）；请先导入再加入清单库：policy import {path} --add"]
    assert not own_library.exists()


def test_a_dataset_saved_as_text_is_still_added(own_library, tmp_path, next_year):
    path = tmp_path / "2025年第一批.txt"
    path.write_bytes(next_year.read_bytes())
    result = invoke("lists", "add", path)
    assert result.exit_code == 0, result.stderr


def test_an_id_missing_from_the_named_list_points_to_that_lists_ids(own_library):
    result = invoke("show", "黄岛2024-1:nosuch")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines() == ["清单“黄岛2024-1”中未找到政策“nosuch”。运行 policy --list 黄岛2024-1 list 查看这份清单的编号"]
    listed = invoke("--list", "黄岛2024-1", "list")  # the command given runs
    assert listed.exit_code == 0 and "techretrofit" in listed.stdout


def test_the_page_title_names_only_the_regions_the_lists_give(own_library):
    """A draft imported without its region leaves no dangling 、 in the browser tab's title."""
    pytest.importorskip("uvicorn", reason="web extra not installed (pip install '.[web]')")
    import re

    from conftest import official_source, served

    from policycli.web.app import make_app

    assert invoke("import", official_source(), "--add").exit_code == 0  # the draft has no region yet
    with served(make_app()) as base:
        with urllib.request.urlopen(base + "/contacts", timeout=20) as response:
            page = response.read().decode("utf-8")
    assert re.search(r"<title>(.*)</title>", page).group(1) == "联系人 · 青岛市黄岛区（西海岸新区）"


def test_a_list_named_that_fails_to_load_is_said_to_have_errors_not_to_be_missing(own_library):
    own_library.mkdir(parents=True)
    broken = own_library / "坏清单.yaml"
    broken.write_text("title: [broken\n", encoding="utf-8")
    result = invoke("--list", "坏清单", "search", "技术改造")
    assert result.exit_code == 2
    assert result.stderr == f"清单“坏清单”有错误，不能使用：{broken}:2: YAML 格式错误：方括号 [ ] 没有配对，缺少逗号或 ]\n"


@pytest.mark.parametrize(("args", "message"), [
    (("search", " "), "“ ”里没有可搜索的文字，请给出要找的内容，例如 policy search 数据中心"),
    (("search", "数据中心", "--limit", "0"), None),
])
def test_bad_search_input_is_one_line_even_when_the_library_has_notes(own_library, args, message):
    own_library.mkdir(parents=True)
    (own_library / "坏清单.yaml").write_text("title: [broken\n", encoding="utf-8")  # its load prints a note
    result = invoke(*args)
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1
    assert message is None or result.stderr == message + "\n"


def test_reading_many_lists_tells_how_far_it_has_got_once_and_not_again(own_library, tmp_path, dataset_dict, monkeypatch):
    """A library read list by list (its first run) tells each list read, then each paired with those
    before it, from none to all; read again from its cache, it tells nothing."""
    from policycli.load import load_library

    monkeypatch.setenv("POLICY_CACHE_DIR", str(tmp_path / "cache"))
    own_library.mkdir(parents=True)
    for year in (2025, 2023, 2022):
        (own_library / f"{year}.yaml").write_text(yaml.safe_dump(reissue(dataset_dict, year), allow_unicode=True),
                                                  encoding="utf-8")
    told: list[tuple[int, int]] = []
    catalog = load_library(progress=lambda done, total: told.append((done, total)))
    assert len(catalog.lists) == 4 and {total for _, total in told} == {8}
    assert told[0] == (0, 8) and (4, 8) in told and told[-1] == (8, 8)  # 4 read, then 4 paired
    assert [done for done, _ in told] == sorted(done for done, _ in told)
    told.clear()
    assert load_library(progress=lambda done, total: told.append((done, total))).ids == catalog.ids and told == []


@pytest.mark.parametrize("from_lists, drawn", [(4, True), (5, False)])
def test_a_bar_shows_the_reading_of_a_library_of_many_lists_on_a_terminal(own_library, tmp_path, dataset_dict,
                                                                            monkeypatch, from_lists, drawn):
    """From READING_BAR lists read one by one (here 4, the shipped list and three), a first run
    draws the reading on a terminal; the answer is the same."""
    monkeypatch.setenv("POLICY_CACHE_DIR", str(tmp_path / "cache"))
    bars = _bars_on_a_terminal(monkeypatch, "READING_BAR", from_lists)
    own_library.mkdir(parents=True)
    for year in (2025, 2023, 2022):
        (own_library / f"{year}.yaml").write_text(yaml.safe_dump(reissue(dataset_dict, year), allow_unicode=True),
                                                  encoding="utf-8")
    found = as_json(invoke("search", "液冷集群", "--format", "json"))
    assert [(h["id"], h["list"]) for h in found] == [("datacenter", "2025")]
    assert ("正在读取政策清单" in bars.getvalue()) is drawn


@pytest.mark.parametrize("from_lines, drawn", [(1_000, True), (1_000_000, False)])
def test_a_bar_shows_the_reading_of_one_long_file_on_a_terminal(tmp_path, dataset_dict, monkeypatch, from_lines, drawn):
    """A file read alone (--data) of FILE_BAR lines or more (here 1,000: the shipped list six
    times over) draws its reading on a terminal; the answer is the same."""
    monkeypatch.setenv("POLICY_CACHE_DIR", str(tmp_path / "cache"))
    bars = _bars_on_a_terminal(monkeypatch, "FILE_BAR", from_lines)
    path = _six_times_over(tmp_path, dataset_dict)
    assert path.read_text(encoding="utf-8").count("\n") > 1_000
    found = as_json(invoke("--data", str(path), "search", "液冷", "--format", "json"))
    assert [h["id"] for h in found] == ["datacenter", *(f"datacenter{k}" for k in range(1, 6))]
    assert ("正在读取政策清单" in bars.getvalue()) is drawn


@pytest.mark.parametrize("named", [True, False])
def test_validate_shows_the_reading_of_a_long_file_on_a_terminal(tmp_path, dataset_dict, monkeypatch, named):
    """`policy validate FILE` (and of --data) draws the reading of a file of FILE_BAR lines or more
    (here 1,000), and says the same."""
    bars = _bars_on_a_terminal(monkeypatch, "FILE_BAR", 1_000)
    path = _six_times_over(tmp_path, dataset_dict)
    args = ["validate", str(path)] if named else ["--data", str(path), "validate"]
    result = as_json(invoke(*args, "--format", "json"))
    assert result["valid"] is True and result["policies"] == 120
    assert "正在读取政策清单" in bars.getvalue()


def _bars_on_a_terminal(monkeypatch, setting: str, value: int):
    """What the CLI draws on stderr, as a terminal 80 columns wide, with the bar's threshold
    `setting` of `render` set to `value`."""
    import io

    from rich.console import Console

    from policycli.cli import render

    monkeypatch.setattr(render, setting, value)
    monkeypatch.setattr(render, "SHOW_AFTER", 0)  # drawn at once: a test's lists take no time
    bars = io.StringIO()
    real = render.make_console
    monkeypatch.setattr(render, "make_console", lambda stderr=False: Console(file=bars, force_terminal=True, width=80)
                        if stderr else real(stderr))
    return bars


def _six_times_over(tmp_path, dataset: dict):
    """tmp_path/long.yaml: the shipped list's policies six times over (120; ids and numbers their
    own), written out in full as a hand-kept list is: over 1,000 lines."""
    base = dataset["policies"]
    dataset["policies"] = [{**copy.deepcopy(p), "id": f"{p['id'][:24]}{k}", "number": p["number"] + 100 * k}
                           if k else p for k in range(6) for p in base]
    path = tmp_path / "long.yaml"
    path.write_text(yaml.safe_dump(dataset, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
    return path

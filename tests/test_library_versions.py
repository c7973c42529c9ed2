"""A library where next year's list continues every policy, one of them changed: the 技改 cap raised
from 600万 to 800万 and its office's phone changed. Each list answers with its own version; a bare id
naming two different versions asks which; LIST:ID never crashes, whatever follows the colon."""
from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml
from conftest import invoke

REPO = Path(__file__).resolve().parent.parent
OLD, NEW = "黄岛2024-1", "黄岛2025-1"
OLD_PHONE, NEW_PHONE = "0532-86175786", "0532-86175799"


def as_json(result):
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def one_line_error(result) -> str:
    assert result.exit_code == 2 and result.stdout == "", result.stdout
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr, result.stderr
    return result.stderr


def next_year_of(dataset: dict, phone: str = NEW_PHONE) -> dict:
    """The whole shipped list as 2025's, techretrofit's cap 800万 and 技术改造科's phone changed."""
    data = json.loads(json.dumps(dataset, ensure_ascii=False))
    data.update(year=2025, title=dataset["title"].replace("2024", "2025"))
    data["parts"] = [{k: v for k, v in part.items() if k != "count"} for part in data["parts"]]
    retrofit = next(p for p in data["policies"] if p["id"] == "techretrofit")
    retrofit["content"] = retrofit["content"].replace("不超过600万元", "不超过800万元")
    track = retrofit["award"]["otherwise"]
    track["cap"], track["clause"] = 800, track["clause"].replace("600万", "800万")
    for office in data["offices"]:
        if office["phone"] == OLD_PHONE:
            office["phone"] = phone
    return data


@pytest.fixture
def shipped_only(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))


@pytest.fixture
def two_years(shipped_only, tmp_path, dataset_dict):
    path = tmp_path / "2025.yaml"
    path.write_text(yaml.safe_dump(next_year_of(dataset_dict), allow_unicode=True, sort_keys=False), encoding="utf-8")
    added = invoke("lists", "add", path)
    assert added.exit_code == 0, added.stderr


@pytest.fixture
def renumbered(shipped_only, tmp_path, dataset_dict):
    """2025's list without vrcenter (一-2): techretrofit, unchanged, is 一-2 there, 一-3 in 2024's."""
    data = json.loads(json.dumps(dataset_dict, ensure_ascii=False))
    data.update(year=2025, title=dataset_dict["title"].replace("2024", "2025"))
    data["parts"] = [{k: v for k, v in part.items() if k != "count"} for part in data["parts"]]
    data["policies"] = [p for p in data["policies"] if p["id"] != "vrcenter"]
    for p in data["policies"]:
        if p["part"] == 1 and p["number"] > 2:
            p["number"] -= 1
    path = tmp_path / "2025.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    added = invoke("lists", "add", path)
    assert added.exit_code == 0, added.stderr


def test_an_unchanged_policy_shown_in_a_list_has_that_lists_number(renumbered):
    for typed, ref in ((f"{OLD}:techretrofit", "一-3"), (f"{NEW}:techretrofit", "一-2"), (f"{OLD}:3", "一-3"),
                       (f"{NEW}:2", "一-2")):
        shown = as_json(invoke("show", typed, "--format", "json"))
        assert (shown["id"], shown["ref"], shown["section"]) == ("techretrofit", ref, "加快新型工业化发展"), typed
    assert as_json(invoke("show", f"{OLD}:2", "--format", "json"))["id"] == "vrcenter"
    assert "序号      一、2024年新实施政策，第 3 项" in invoke("show", f"{OLD}:techretrofit", columns=100).stdout
    merged = as_json(invoke("show", "techretrofit", "--format", "json"))
    assert (merged["list"], merged["ref"], merged["also"]) == (NEW, "一-2", [f"{OLD}:techretrofit"])


def test_a_bare_number_is_each_lists_own(renumbered):
    """一-3 is techretrofit in 2024's list and ipopool in 2025's: the number asks which; 一-15 is
    only 2024's (smartcommunity, 一-14 in 2025's)."""
    error = one_line_error(invoke("show", "3"))
    assert error.strip() == (f"“3”可指多项政策：{OLD}:techretrofit（技术改造设备投资奖补）、{NEW}:ipopool（高新技术企业上市培育库奖补）"
                     f"；请写其中一项的编号，或在序号前写清单名称，如 {OLD}:3")
    last = as_json(invoke("show", "15", "--format", "json"))
    assert (last["id"], last["list"], last["ref"]) == ("smartcommunity", OLD, "一-15")
    contacts = as_json(invoke("contacts", "15", "--format", "json"))
    assert [(c["office"], [p["ref"] for p in c["policies"]]) for c in contacts] == [("数字新区建设领导小组办公室", ["一-14"])]


@pytest.mark.parametrize("command", [("show",), ("estimate",), ("contacts",)])
@pytest.mark.parametrize("typed, says", [("nosuch", f"清单“{OLD}”中未找到政策“nosuch”"),
                                         ("", f"请在“{OLD}:”后写政策编号"),
                                         ("贷款", "可指多项政策")])
def test_list_and_anything_after_the_colon_is_a_one_line_error(shipped_only, command, typed, says):
    result = invoke(*command, f"{OLD}:{typed}")
    if command == ("contacts",) and typed == "nosuch":
        assert result.exit_code == 1 and "未找到" in result.stderr and "Traceback" not in result.stderr
        return
    assert says in one_line_error(result)


def test_list_and_a_number_or_a_word_find_that_lists_policy(two_years):
    for typed in ("3", "技改", "techretrofit"):
        shown = as_json(invoke("show", f"{OLD}:{typed}", "--format", "json"))
        assert (shown["id"], shown["list"], shown["offices"][0]["phone"]) == ("techretrofit", OLD, OLD_PHONE)
    contacts = as_json(invoke("contacts", f"{OLD}:3", "--format", "json"))
    assert [(c["phone"], c["lists"], c["lead_units"]) for c in contacts] == [(OLD_PHONE, [OLD], ["区工信局", "区财政局"])]
    unchanged = as_json(invoke("show", f"{OLD}:keylab", "--format", "json"))
    assert unchanged["list"] == OLD and unchanged["also"] == [f"{NEW}:keylab"]


@pytest.mark.parametrize("listed, cap, words", [(OLD, "6,000,000.00 元（600万元）", "不超过600万元"),
                                               (NEW, "8,000,000.00 元（800万元）", "不超过800万元")])
def test_each_list_answers_with_its_own_version(two_years, listed, cap, words):
    estimated = invoke("estimate", f"{listed}:techretrofit", "--invest", "1亿")
    assert estimated.exit_code == 0, estimated.stderr
    assert f"估算金额  {cap}（已达上限）" in estimated.stdout
    phone = OLD_PHONE if listed == OLD else NEW_PHONE
    shown = as_json(invoke("show", f"{listed}:techretrofit", "--format", "json"))
    assert shown["list"] == listed and shown["offices"][0]["phone"] == phone
    assert words in shown["content"] and shown["versions"] == [f"{OLD if listed == NEW else NEW}:techretrofit"]


def test_a_bare_id_naming_two_different_versions_asks_which(two_years):
    for command in (("estimate", "techretrofit", "--invest", "1亿"), ("show", "techretrofit"), ("contacts", "techretrofit")):
        error = one_line_error(invoke(*command))
        assert f"{NEW}:techretrofit（技术改造设备投资奖补）" in error and f"{OLD}:techretrofit" in error
    needs = one_line_error(invoke("estimate", f"{OLD}:技改"))
    assert needs.rstrip().endswith(f"示例：policy estimate {OLD}:techretrofit --invest 3000万")  # a command that works
    assert as_json(invoke("show", "keylab", "--format", "json"))["also"] == [f"{OLD}:keylab"]  # unchanged: once


def test_match_totals_each_list_by_its_own_version_and_the_overall_total_once(two_years, tmp_path):
    company = REPO / "examples" / "company.yaml"
    (tmp_path / "档案").mkdir()
    (tmp_path / "档案" / "company.yaml").write_bytes(company.read_bytes())
    [summary] = as_json(invoke("match", "--profile", tmp_path / "档案", "--format", "json"))
    totals = {t["list"]: t["total"] for t in summary["lists"]}
    assert totals == {NEW: "12672750.00", OLD: "10672750.00"}
    assert summary["total"] == "12672750.00"  # techretrofit once, at 2025's version
    table = invoke("match", "--profile", company, columns=200).stdout
    assert "合计按最新清单中可申请的版本计" in "".join(table.split())


def test_search_shows_each_changed_version_under_its_list(two_years):
    found = as_json(invoke("search", "不超过600万元", "--format", "json"))
    retrofit = [(h["list"], "不超过600万元" in h["content"]) for h in found if h["id"] == "techretrofit"]
    assert retrofit[0] == (OLD, True)
    assert all(ok for listed, ok in retrofit if listed == OLD) and (NEW, True) not in retrofit
    newer = next(h for h in found if (h["id"], h["list"]) == ("techretrofit", NEW))
    assert "600万" not in [m["term"] for m in newer["matched"]]  # 800万's text is not said to match 600万


def test_the_web_gives_404_and_400_not_500(two_years):
    pytest.importorskip("uvicorn", reason="web extra not installed (pip install '.[web]')")
    from conftest import served

    from policycli.web.app import make_app

    def status(path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(base + quote(path), timeout=20) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")

    with served(make_app()) as base:
        page = status(f"/policy/{OLD}:nosuch")
        by_number = status(f"/api/policies/{OLD}:3")
        word = status(f"/api/estimate/{OLD}:技改")
        old = status(f"/api/policies/{OLD}:techretrofit")
        shown = status(f"/policy/{OLD}:techretrofit")
        newer = status(f"/policy/{NEW}:techretrofit")
        home = status("/")
    assert page[0] == 404 and f"未找到政策“nosuch”" in page[1]
    assert by_number[0] == 200 and json.loads(by_number[1])["list"] == OLD
    assert word[0] == 400 and json.loads(word[1])["field"] == "invest", word
    assert json.loads(old[1])["offices"][0]["phone"] == OLD_PHONE
    other = f'<dt>其他版本</dt><dd class="versions"><a href="/policy/{NEW}:techretrofit">{NEW}:techretrofit</a>（内容有变化）</dd>'
    assert shown[0] == 200 and other in shown[1]  # as the CLI's 其他版本 line and the JSON's versions
    cap = '<dt>奖补额度</dt><dd>最高<span class="money">{}万元</span>（可视情最高<span class="money">2000万元</span>）</dd>'
    assert cap.format(600) in shown[1] and cap.format(800) in newer[1]  # each page its own version's cap
    versions = '另有不同版本 <span class="name">{}:techretrofit</span>'
    assert home[1].count(versions.format(OLD)) == 1 and home[1].count(versions.format(NEW)) == 1


def test_each_contact_row_and_card_names_its_list_and_an_old_number_keeps_its_policies(two_years):
    by_old_number = as_json(invoke("contacts", "86175786", "--format", "json"))
    assert [(c["phone"], c["lists"], [(p["list"], p["id"]) for p in c["policies"]]) for c in by_old_number] == [
        (OLD_PHONE, [OLD], [(OLD, "techretrofit")])]
    table = invoke("contacts", "技术改造科", columns=100).stdout
    assert table.splitlines()[0] == "科室：技术改造科"
    rows = [line.split() for line in table.splitlines() if "臧文科" in line]
    assert rows == [["技术改造科", "臧文科", NEW_PHONE, NEW, "techretrofit", "技术改造设备投资奖补"],
                    ["技术改造科", "臧文科", OLD_PHONE, OLD, "techretrofit", "技术改造设备投资奖补"]]
    cards = invoke("contacts", "技术改造科", "--format", "vcard").stdout.replace("\r\n ", "").split("END:VCARD")[:-1]
    assert [(f"TEL;TYPE=WORK,VOICE:{phone}" in card, f"NOTE:所在清单：{listed}\\n" in card)
            for card, phone, listed in zip(cards, (NEW_PHONE, OLD_PHONE), (NEW, OLD))] == [(True, True)] * 2
    one = invoke("contacts", "86175786", "--format", "vcard").stdout
    assert one.count("BEGIN:VCARD") == 1 and OLD_PHONE in one and NEW_PHONE not in one


def test_an_office_handling_both_versions_names_each_by_its_list(shipped_only, tmp_path, dataset_dict):
    path = tmp_path / "2025.yaml"
    path.write_text(yaml.safe_dump(next_year_of(dataset_dict, phone=OLD_PHONE), allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    assert invoke("lists", "add", path).exit_code == 0
    table = invoke("contacts", "86175786", columns=120).stdout
    assert [line.split("  ")[-1].strip() for line in table.splitlines() if "技术改造设备投资奖补" in line] == [
        f"{NEW}:techretrofit 技术改造设备投资奖补", f"{OLD}:techretrofit 技术改造设备投资奖补"]
    one = invoke("contacts", "信息化", columns=120).stdout
    assert "  vrcenter 虚拟现实应用体验中心补助" in one  # one version: the id alone


def test_the_csv_names_the_other_version_for_excel(two_years):
    from csvrows import read_csv

    rows = read_csv(invoke("list", "--format", "csv").stdout)
    retrofit = [(r["list"], r["versions"]) for r in rows if r["id"] == "techretrofit"]
    assert retrofit == [(NEW, f"{OLD}:techretrofit"), (OLD, f"{NEW}:techretrofit")]


def test_a_list_added_last_is_the_only_one_read_and_the_library_is_as_read_afresh(shipped_only, tmp_path, dataset_dict,
                                                                                   monkeypatch):
    """A library read before, with an older list added (shown last): only that list is read and
    paired; the library, its versions and its answers are those of reading every list afresh."""
    from policycli import load
    from policycli.contacts.directory import list_area_codes
    from policycli.dataset import cache
    from policycli.dataset.library import lists_dir
    from policycli.dataset.stored import catalog_entry

    monkeypatch.setenv("POLICY_CACHE_DIR", str(tmp_path / "cache"))
    lists_dir().mkdir(parents=True)
    (lists_dir() / "甲2025.yaml").write_text(yaml.safe_dump(next_year_of(dataset_dict), allow_unicode=True), encoding="utf-8")
    older = next_year_of(dataset_dict, phone="0532-86175700")
    older.update(year=2023, title=dataset_dict["title"].replace("2024", "2023"))
    assert invoke("search", "技术改造").exit_code == 0
    (lists_dir() / "乙2023.yaml").write_text(yaml.safe_dump(older, allow_unicode=True), encoding="utf-8")
    read = []
    real = cache.load_catalog_cached
    monkeypatch.setattr(cache, "load_catalog_cached", lambda path, *args: read.append(Path(path).name) or real(path, *args))
    grown = load.load_library()
    assert read == ["乙2023.yaml"]
    answer = invoke("search", "技术改造", "--format", "json")
    monkeypatch.setattr(cache, "load_catalog_cached", real)
    monkeypatch.setenv("POLICY_CACHE_DIR", str(tmp_path / "afresh"))
    afresh = load.load_library()
    assert [p.versions for p in afresh.policies if p.versions] and [p.also for p in afresh.policies if p.also]
    mine, theirs = catalog_entry(grown), catalog_entry(afresh)
    assert (mine.data, list(mine.texts), [list(n) for n in mine.numbers]) == (
        theirs.data, list(theirs.texts), [list(n) for n in theirs.numbers])
    assert invoke("search", "技术改造", "--format", "json").stdout == answer.stdout
    assert list_area_codes(grown) == list_area_codes(afresh) == {n: "0532" for n in ("甲2025", "黄岛2024-1", "乙2023")}


def test_a_figure_of_a_bare_id_set_twice_names_the_setting_and_asks_which_list(two_years):
    error = one_line_error(invoke("match", "--set", "techretrofit.invest=1", "--set", "techretrofit.invest=2"))
    assert error.startswith("--set techretrofit.invest=1: “techretrofit”可指多项政策：")
    error = one_line_error(invoke("match", "--set", f"{OLD}:techretrofit.invest=1", "--set", f"{OLD}:techretrofit.invest=2"))
    assert error == f"--set {OLD}:techretrofit.invest 只能给一个值，却给了 2 次（1、2）；请只保留一个\n"

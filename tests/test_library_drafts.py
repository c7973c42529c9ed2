"""An import draft added to the library: left out of the everyday commands until named with
--list (one line says so), and, named beside the list it was imported from, recognised as the same
policies (the same official text: a drafted title and rules not written yet are no difference)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import invoke

from policycli.lists.draft_yaml import draft_yaml
from policycli.lists.drafting import draft_from
from policycli.lists.reading import read_list

SHIPPED = "黄岛2024-1"
DRAFT = "草稿"
SET_ASIDE = f"未查草稿清单“{DRAFT}”（编号、标题等草拟内容待确认）；要查它请加 --list {DRAFT}，如 policy --list {DRAFT} search 关键词"
PROFILE = Path(__file__).parent / "cases" / "profiles" / "manufacturer.yaml"
OFFICIAL = Path(__file__).parent / "fixtures" / "policy-list-2024-batch1.txt"
BOTH = ("--list", SHIPPED, "--list", DRAFT)


def as_json(result):
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def draft_text() -> str:
    return draft_yaml(draft_from(read_list(OFFICIAL)))


@pytest.fixture
def with_draft(tmp_path, monkeypatch, draft_text):
    """A library holding the shipped list and the official text imported as a draft, added as 草稿."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))
    path = tmp_path / "draft.yaml"
    path.write_text(draft_text, encoding="utf-8")
    added = invoke("lists", "add", path, "--name", DRAFT, columns=400)
    assert added.exit_code == 0, added.stderr
    return added


def test_adding_a_draft_says_it_is_left_out_until_named(with_draft, tmp_path):
    stored = tmp_path / "data-home" / "policycli" / "lists" / f"{DRAFT}.yaml"
    assert with_draft.stdout.splitlines() == [
        f"已加入清单库：{DRAFT}（市2024年工信、科技、大数据领域“促进经济巩固向好、加快绿色低碳高质量发展”政策清单（第一批），"
        f"20 项政策）；这是草稿：21 项待补，其中编号、标题等草拟内容待确认，各命令默认不查它，确认后删去 draft 行"
        f"（policy validate {stored} --strict 列出）。",
        "现在就查这份草稿：",
        f"  policy --list {DRAFT} search 关键词",
    ]
    rows = as_json(invoke("lists", "--format", "json"))
    assert [(r["name"], r["draft"], r["unfinished"]) for r in rows] == [(SHIPPED, False, 0), (DRAFT, True, 21)]
    table = invoke("lists", columns=200).stdout
    assert "草稿：21 项待补，默认不查" in table and "（草拟内容待确认的草稿除外，用 --list 名称 指定时才查）" in table


def test_show_and_estimate_answer_from_the_finished_list_with_one_line_about_the_draft(with_draft):
    for typed in ("3", "技改", "techretrofit"):
        shown = invoke("show", typed)
        assert shown.exit_code == 0, shown.stderr
        assert shown.stdout.startswith("技术改造设备投资奖补\n") and "其他版本" not in shown.stdout
        assert shown.stderr.strip() == SET_ASIDE
    estimate = invoke("estimate", "技改", "--invest", "100万", "--format", "json")
    assert as_json(estimate)["amount"] == "120000.00" and estimate.stderr.strip() == SET_ASIDE


def test_search_and_match_count_each_policy_once(with_draft):
    found = as_json(invoke("search", "陈辉平", "--format", "json"))
    assert len(found) == 6 and {h["list"] for h in found} == {SHIPPED}
    matched = invoke("match", "--profile", PROFILE)
    assert matched.exit_code == 0, matched.stderr
    assert matched.stdout.startswith("青岛海岳智能装备有限公司：可申请 5 项，待确认 2 项，不符合 13 项")
    assert matched.stderr.strip() == SET_ASIDE


def test_a_draft_named_with_list_is_read_and_nothing_is_said(with_draft):
    shown = invoke("--list", DRAFT, "show", "3", "--format", "json")
    assert as_json(shown)["id"] == "draft-1-3" and shown.stderr == ""


def test_named_beside_the_list_it_was_imported_from_it_is_the_same_policies(with_draft):
    """Same official text: each policy once, the draft named as a list holding it."""
    listed = as_json(invoke(*BOTH, "list", "--format", "json"))
    assert len(listed) == 20 and all(p["list"] == SHIPPED and not p["versions"] for p in listed)
    assert [p["also"] for p in listed][:3] == [[f"{DRAFT}:draft-1-1"], [f"{DRAFT}:draft-1-2"], [f"{DRAFT}:draft-1-3"]]
    shown = invoke(*BOTH, "show", "3", columns=100)
    assert shown.exit_code == 0, shown.stderr
    assert f"清单      {SHIPPED}、{DRAFT}\n" in shown.stdout and "其他版本" not in shown.stdout
    # 区工信区 (digitalpark, digitalprojects): the draft marks the unit it copied as to confirm
    assert as_json(invoke(*BOTH, "show", "digitalpark", "--format", "json"))["also"] == [f"{DRAFT}:draft-1-9"]
    assert len(as_json(invoke(*BOTH, "search", "陈辉平", "--format", "json"))) == 6
    estimate = as_json(invoke(*BOTH, "estimate", "技改", "--invest", "100万", "--format", "json"))
    assert estimate["amount"] == "120000.00"
    matched = invoke(*BOTH, "match", "--profile", PROFILE)
    assert "可申请 5 项，待确认 2 项，不符合 13 项" in matched.stdout.splitlines()[0]


def test_a_draft_added_to_a_library_read_before_is_set_aside_without_reading_the_others_again(
        tmp_path, monkeypatch, draft_text, dataset_dict):
    """The library read before (its search index kept) is the answer as it was, the draft named aside:
    the same catalog a fresh read gives, nothing combined or paired again."""
    import yaml

    from policycli.dataset import combine
    from policycli.load import load_library

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))
    monkeypatch.setenv("POLICY_CACHE_DIR", str(tmp_path / "cache"))
    data = dict(dataset_dict, year=2025, title=dataset_dict["title"].replace("2024", "2025"))
    data["parts"] = [{k: v for k, v in part.items() if k != "count"} for part in dataset_dict["parts"]]
    data["policies"] = [dict(p) for p in dataset_dict["policies"] if p["id"] in ("techretrofit", "datacenter")]
    next_year = tmp_path / "2025.yaml"
    next_year.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert invoke("lists", "add", next_year).exit_code == 0
    assert invoke("search", "技改").exit_code == 0  # the library read, its index kept
    draft = tmp_path / "draft.yaml"
    draft.write_text(draft_text, encoding="utf-8")
    assert invoke("lists", "add", draft, "--name", DRAFT).exit_code == 0
    combined = []
    real = combine.combine
    monkeypatch.setattr(combine, "combine", lambda *a, **k: combined.append(a) or real(*a, **k))
    grown = load_library()
    assert combined == [] and grown.set_aside == (DRAFT,)
    monkeypatch.setenv("POLICY_CACHE_DIR", str(tmp_path / "fresh"))
    fresh = load_library()
    assert combined and fresh.set_aside == (DRAFT,) and fresh.policies == grown.policies and len(fresh.policies) == 20


@pytest.mark.parametrize("args", [("show", f"{DRAFT}:3"), ("estimate", f"{DRAFT}:draft-1-3", "--invest", "100万")])
def test_a_draft_named_before_an_id_says_it_is_read_only_when_named(with_draft, args):
    result = invoke(*args)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        SET_ASIDE, f"清单“{DRAFT}”是还有草拟内容待确认的草稿，默认不查；要查它请加 --list {DRAFT}（写在命令名之前）"]

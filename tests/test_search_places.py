"""The place a list is of, named in a query: read out of it, and in a library of several places
the lists of the place named kept."""
from __future__ import annotations

import json

import pytest
import yaml
from conftest import invoke

from drafts import draft  # noqa: F401 (a fixture)

from policycli.search.places import place_names, read_out
from policycli.search.rank import search

HUANGDAO = "青岛市黄岛区（西海岸新区）"
LISTS = {"黄岛2024-1": HUANGDAO, "即墨2025-1": "青岛市即墨区", "草稿": ""}


def test_a_region_is_called_by_each_unit_with_and_without_its_suffix():
    assert place_names(HUANGDAO) == {"青岛市", "青岛", "黄岛区", "黄岛", "西海岸新区", "西海岸", "新区"}
    assert place_names("山东省烟台市莱山区") == {"山东省", "山东", "烟台市", "烟台", "莱山区", "莱山"}
    assert place_names("浙江省杭州市西湖区") == {"浙江省", "浙江", "杭州市", "杭州", "西湖区", "西湖"}
    assert place_names("") == set()


@pytest.mark.parametrize("query, read, lists", [
    ("黄岛 技改", "  技改", {"黄岛2024-1", "草稿"}),
    ("即墨区的技改补贴", " 的技改补贴", {"即墨2025-1", "草稿"}),
    ("西海岸新区数据中心", " 数据中心", {"黄岛2024-1", "草稿"}),
    ("青岛 技改", "  技改", None),  # every list with a region is of 青岛
    ("上海 技改", "上海 技改", None),  # no list is of 上海: a word of the query
    ("黄岛", "黄岛", None),  # nothing else to search
])
def test_the_place_named_is_read_out_and_keeps_its_lists(query, read, lists):
    assert read_out(query, LISTS) == (read, None if lists is None else frozenset(lists))


@pytest.mark.parametrize("query", ["黄岛 技改", "技改 黄岛", "西海岸新区的技改补贴", "新区 技改", "本区 技改"])
def test_the_lists_own_district_is_no_topic(query):
    result = invoke("search", query, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert [hit["id"] for hit in json.loads(result.stdout)][:1] == ["techretrofit"]


def test_a_library_of_two_places_answers_with_the_place_named(tmp_path, monkeypatch, dataset_dict):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))
    other = dict(dataset_dict, region="青岛市即墨区", year=2025, title=dataset_dict["title"].replace("2024", "2025"))
    retrofit = {k: v for k, v in next(p for p in dataset_dict["policies"] if p["id"] == "techretrofit").items()
                if k not in ("award", "conditions")}
    other["policies"] = [dict(retrofit, id="jmretrofit", title="即墨技改奖补",
                              content="对即墨区规模以上工业企业实施技术改造的，按设备投资额10%给予奖补，最高300万元。")]
    other["parts"] = [{k: v for k, v in part.items() if k != "count"} for part in dataset_dict["parts"]]
    other["offices"] = [o for o in dataset_dict["offices"] if o["name"] in {n for p in other["policies"] for n in p["offices"]}]
    path = tmp_path / "即墨.yaml"
    path.write_text(yaml.safe_dump(other, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert invoke("lists", "add", path).exit_code == 0
    lists = {place: [hit["list"] for hit in json.loads(invoke("search", f"{place} 技改", "--format", "json").stdout)]
             for place in ("即墨", "黄岛", "青岛")}
    assert lists["即墨"] == ["即墨2025-1"] and lists["黄岛"] == ["黄岛2024-1"]
    assert sorted(lists["青岛"]) == ["即墨2025-1", "黄岛2024-1"]


@pytest.mark.parametrize("query, place", [("深圳集成电路企业补贴", "深圳"), ("在苏州有没有技改补贴", "苏州"),
                                          ("海南自贸港", "海南"), ("安康市的数据中心补贴", "安康")])
def test_another_province_or_city_is_a_question_for_its_own_lists(catalog, query, place):
    assert search(catalog, query).hits == ()
    out = invoke("search", query)
    assert out.exit_code == 1
    assert f"现有清单是青岛市黄岛区（西海岸新区）的，不含{place}的政策" in out.stderr


@pytest.mark.parametrize("query, wanted", [("山东省级专精特新", "rediscount"), ("山东省 技改", "techretrofit")])
def test_the_lists_own_province_is_read_out_as_its_district_is(catalog, query, wanted):
    assert [h.policy.id for h in search(catalog, query).hits][:1] == [wanted]


@pytest.mark.parametrize("query", ["朝阳产业 技改", "大同小异的技改补贴", "平安康复补贴", "中山大学 研发"])
def test_a_place_name_within_another_word_is_no_other_place(catalog, query):
    assert search(catalog, query).place == ""


def test_a_draft_of_no_region_may_be_of_anywhere(draft):
    assert search(draft, "深圳集成电路企业补贴").place == ""

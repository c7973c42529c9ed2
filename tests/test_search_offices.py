"""An office or a lead unit named in a query (search/offices.py): its whole name keeps the policies
it handles or leads, on the shipped list and on a draft imported from the official text; a word
within a name finds nothing by it."""
from __future__ import annotations

import pytest
from conftest import invoke
from drafts import draft, in_draft  # noqa: F401 (a fixture)

from policycli.search.rank import search
from policycli.search.results import nothing_found

INFORMATION = ["vrcenter", "digitalpark", "digitalprojects", "industrybrain", "iiplatform", "identnode"]


@pytest.mark.parametrize("query", ["信息化管理科", "信息化管理科电话多少", "信息化管理科管哪些政策", "資訊化管理科 聯絡電話"])
def test_an_office_asked_about_answers_with_every_policy_it_handles_in_list_order(catalog, draft, query):
    assert [h.policy.id for h in search(catalog, query).hits] == INFORMATION
    assert [h.policy.id for h in search(draft, query).hits] == [in_draft(catalog, draft, p) for p in INFORMATION]
    hit = search(catalog, query).hits[0]
    assert (hit.matches[0].field, hit.matches[0].text, hit.signal) == ("offices", "信息化管理科", "official")


@pytest.mark.parametrize("query", ["区化工专项行动办公室", "化工专项行动办公室 电话", "薛振 区化工专项行动办公室 电话"])
def test_an_office_is_named_with_or_without_its_district(catalog, query):
    assert [h.policy.id for h in search(catalog, query).hits] == ["supplychain"]


def test_what_else_is_asked_is_searched_among_the_offices_policies(catalog):
    assert [h.policy.id for h in search(catalog, "信息化管理科 工业互联网").hits][:1] == ["iiplatform"]
    assert all(h.policy.id in INFORMATION for h in search(catalog, "信息化管理科 工业互联网").hits)


def test_a_topic_the_office_does_not_handle_names_the_policy_elsewhere():
    out = invoke("search", "信息化管理科 数据中心")
    assert out.exit_code == 1
    assert out.stderr.startswith("“信息化管理科”负责的政策中没有与“信息化管理科 数据中心”相关的；"
                                 "其他科室、单位负责的有：datacenter（新型数据中心建设支持）")


@pytest.mark.parametrize("query", ["办公室", "管理科", "想租个办公室"])
def test_a_word_within_an_office_name_finds_nothing_by_it(catalog, draft, query):
    for data in (catalog, draft):
        assert all(m.field != "offices" for h in search(data, query).hits for m in h.matches)


def test_an_office_name_inside_other_words_is_no_office(catalog):
    # 科技项目科 is an office; in 科技项目科研经费 the words are 科技 项目 科研 经费
    assert all(m.field != "offices" for h in search(catalog, "科技项目科研经费").hits for m in h.matches)


def test_the_table_and_json_show_the_offices_phone():
    out = invoke("search", "信息化管理科电话多少", "--format", "json")
    assert out.exit_code == 0
    assert '"phone": "0532-86168249"' in out.stdout


def test_nothing_found_without_an_office_keeps_its_message(catalog):
    assert "负责的政策" not in str(nothing_found(search(catalog, "电动汽车下乡补贴")))


@pytest.mark.parametrize("query", ["人民银行黄岛支行", "人民银行黄岛支行牵头哪些政策"])
def test_a_lead_unit_asked_about_answers_with_every_policy_it_leads(catalog, draft, query):
    # 黄岛 within the unit's name is not read out as the list's district first
    led = ["loansubsidy", "rediscount", "supplychain", "startuploan"]
    assert [h.policy.id for h in search(catalog, query).hits] == led
    assert [h.policy.id for h in search(draft, query).hits] == [in_draft(catalog, draft, p) for p in led]
    assert search(catalog, query).hits[0].matches[0].field == "lead_units"


def test_a_lead_unit_and_a_topic_find_the_policy_it_leads_on_that_topic(catalog):
    assert [h.policy.id for h in search(catalog, "人民银行黄岛支行 再贷款").hits] == ["rediscount"]

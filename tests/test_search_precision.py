"""Precision (search/precision.py): a question sharing words with a policy but asking for what the
list does not offer finds nothing, on the shipped data and on a draft imported from the official
text; answerable paraphrases of the same shapes are still found first. Cases in
tests/cases/search_precision.yaml."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import invoke
from drafts import draft, in_draft  # noqa: F401 (a fixture)

from policycli.search.rank import search
from policycli.search.results import nothing_found

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "search_precision.yaml").read_text(encoding="utf-8"))
NOTHING = [pytest.param(c["query"], c.get("because"), id=f"{kind}:{c['query']}")
           for kind, items in CASES["nothing"].items() for c in items]
FOUND = [pytest.param(c["query"], c["policy"], id=c["query"]) for c in CASES["found"]]


@pytest.mark.parametrize("query, because", NOTHING)
def test_a_question_for_what_the_list_lacks_finds_nothing(catalog, draft, query, because):
    for data in (catalog, draft):
        result = search(data, query)
        assert [h.policy.id for h in result.hits] == [], query
        if because:
            assert because in result.against


@pytest.mark.parametrize("query, wanted", FOUND)
def test_an_answerable_paraphrase_is_still_found_first(catalog, draft, query, wanted):
    assert search(catalog, query).hits[0].policy.id == wanted
    assert search(draft, query).hits[0].policy.id == in_draft(catalog, draft, wanted)


@pytest.mark.parametrize("query", ["给钱最多的政策", "x"])
def test_a_question_of_no_topic_exits_with_the_usual_message(query):
    out = invoke("search", query)
    assert out.exit_code == 1 and f"没有找到与“{query}”相关的政策" in out.stderr


@pytest.mark.parametrize("query", [c["query"] for c in CASES["nothing"]["generic"] if not c["query"].isascii()] + ["有哪些补贴"])
def test_a_question_naming_no_kind_of_support_says_to_name_one_or_to_read_the_list(catalog, draft, query):
    for data in (catalog, draft):
        assert "看不出是哪方面的支持" in str(nothing_found(search(data, query)))
    out = invoke("search", query)
    assert out.exit_code == 1
    assert out.stderr.strip().endswith("请写上做了什么事或要哪类支持，如 技术改造、研发投入、贷款贴息，"
                                       "或运行 policy list 查看全部政策及其奖补额度")


def test_a_pair_of_characters_inside_a_question_word_is_no_typo(catalog):
    # 有什 (of 有什么) sounds like 由省 of a policy's text; the recall pass read it as a typo
    assert search(catalog, "我们是小微企业有什么政策").hits == ()
    assert search(catalog, "设被补贴").hits[0].policy.id == "techretrofit"  # a typo beside a generic word


def test_the_message_names_the_word_no_policy_holds(catalog):
    error = nothing_found(search(catalog, "电动汽车下乡补贴"))
    assert "下乡" in str(error) and "是否要找" not in str(error)
    out = invoke("search", "电动汽车下乡补贴")
    assert out.exit_code == 1 and "“下乡”" in out.stderr


def test_a_qualifier_of_the_policy_does_not_drop_it(catalog):
    # 新能源汽车 qualifies 电池回收 here, as in the policy's own text
    assert search(catalog, "新能源汽车电池回收").hits[0].policy.id == "recyclingbase"
    assert search(catalog, "个人创业担保贷款").hits[0].policy.id == "startuploan"  # the policy names 个人


def test_a_persons_word_drops_the_recall_pass_result_too(catalog):
    # 贷款 alone brings the recall pass to a lending policy; 公积金 is a household's
    assert search(catalog, "公积金贷款额度").hits == ()


def test_an_office_name_is_no_evidence_of_what_a_policy_offers(catalog, draft):
    # 办公室 is in the name of an office (科室) only: it says who handles a policy, not what it offers
    for data in (catalog, draft):
        assert any("办公室" in o.name for p in data.policies for o in p.offices)
        assert search(data, "办公室").hits == ()
        assert all(m.field != "offices" for h in search(data, "想租个办公室").hits for m in h.matches)


def test_a_lead_unit_is_no_evidence_of_what_a_policy_offers(catalog, draft):
    # 区司法局 leads the credit-report policy only: named whole, it asks which policies it leads
    # (search/offices.py); its words are no evidence of content, nor is it of another business
    for data in (catalog, draft):
        assert any("区司法局" in unit for p in data.policies for unit in p.lead_units)
        assert [h.policy.number for h in search(data, "区司法局").hits] == [1]
        assert search(data, "司法局").hits == () and search(data, "区司法局 法律援助").hits == ()


def test_a_near_miss_the_query_speaks_against_is_not_suggested(catalog, draft):
    # the recycling base shares 工业 and 认定 but is no design centre: no "是否要找" for it
    for data in (catalog, draft):
        result = search(data, "工业设计中心认定奖励")
        assert result.hits == () and result.suggestions == ()
    out = invoke("search", "工业设计中心认定奖励")
    assert out.exit_code == 1 and "是否要找" not in out.stderr


@pytest.mark.parametrize("query, amount, wanted", [
    ("能拿300万的有哪几项", "300万", {"vrcenter", "ipopool", "identnode"}),
    ("补助100万元的是哪几个", "100万", {"recyclingbase", "iiplatform", "smartcommunity"}),
])
def test_an_amount_framed_as_a_question_finds_the_policies_of_that_amount(catalog, query, amount, wanted):
    found = {h.policy.id for h in search(catalog, query).hits}
    assert wanted <= found and all(amount in h.policy.content for h in search(catalog, query).hits)


def test_an_amount_asked_as_a_cap_is_not_matched_by_a_loan_band(catalog, draft):
    # the loan subsidy's 1000万 is the top of a band of the loan (500万元至1000万元（含）部分)
    for data in (catalog, draft):
        found = {h.policy.id for h in search(data, "最高1000万").hits}
        assert found == {in_draft(catalog, data, "keylab"), in_draft(catalog, data, "iiplatform")}


def test_a_time_asked_alone_finds_nothing_and_names_the_office_to_ask(catalog):
    result = search(catalog, "智慧社区奖补申报截止时间")
    assert result.hits == () and result.procedure
    out = invoke("search", "智慧社区奖补申报截止时间")
    assert out.exit_code == 1 and "请向负责的科室咨询" in out.stderr
    assert "负责科室：数字新区建设领导小组办公室 李振良 0532-86986596" in out.stderr


def test_a_tax_measure_asked_about_says_where_it_is_handled_and_how_to_find_the_award(catalog):
    out = invoke("search", "研发费用加计扣除怎么备案")
    assert out.exit_code == 1 and out.stdout == ""
    assert "“加计扣除”本身" in out.stderr and "可搜“加计扣除 奖补”" in out.stderr
    assert search(catalog, "加计扣除 奖补").hits[0].policy.id == "ipopool"


ANOTHER_LIST = [  # another district's kind of list, written for this test: it offers what the first one lacks
    "对新认定的国家级企业技术中心，给予最高100万元一次性奖励。",
    "对新建成的社区养老服务中心，按每个最高30万元给予建设补助。",
    "对跨境电商企业年度出口报关单量超过1万票的，给予最高20万元奖励。",
    "对新认定的市级工业设计中心，给予最高50万元奖励。",
    "对新认定的县级重点实验室，给予最高20万元奖励。",
    "对新建的5G通信基站，按每个基站1万元给予建设补助。",
    "对新建的数据中心，按年度用电量给予最高50万元用电补贴。",
    "对首次纳入规模以上工业统计的小升规企业，给予一次性10万元奖励。",
    "对新认定的国家级绿色工厂，给予最高50万元奖励。",
    "对面向市民开放的科普场馆，按运营费用的10%给予补助。",
]


@pytest.fixture(scope="module")
def another(tmp_path_factory):
    """A draft of ANOTHER_LIST, imported as any list is."""
    from listfiles import crafted, item

    from policycli.lists.draft_yaml import draft_yaml
    from policycli.lists.drafting import draft_from
    from policycli.lists.reading import read_list
    from policycli.load import parse_catalog

    path = tmp_path_factory.mktemp("another") / "list.txt"
    path.write_text(crafted(*(item(n, text) for n, text in enumerate(ANOTHER_LIST, 1)),
                            heading=f"一、2025年新实施政策（共{len(ANOTHER_LIST)}项）"), encoding="utf-8")
    return parse_catalog(draft_yaml(draft_from(read_list(path))).encode("utf-8"), "another.yaml")


@pytest.mark.parametrize("query, number", [
    ("国家级企业技术中心认定奖励", 1),  # a level before the thing recognised, which this list holds
    ("社区养老服务中心建设补助", 2),  # elderly care is a household's business unless the list offers it
    ("出口报关单量奖励", 3),  # another office's business, which this list rewards
    ("工业设计中心认定奖励", 4),
    ("县级重点实验室奖励", 5),  # a level this list states
    ("通信基站建设补助", 6),  # telecoms' business, which this list supports
    ("数据中心 用电补贴", 7),  # support for what this list's policy holds
    ("小升规企业奖励多少", 8),  # a programme of its own, which this list offers
    ("绿色工厂认定奖励", 9),
    ("给市民开放的科普场馆补助", 10),  # the public served: no person asking
])
def test_words_that_drop_results_of_one_list_find_them_in_a_list_that_holds_them(another, query, number):
    hits = search(another, query).hits
    assert hits and hits[0].policy.number == number, [h.policy.number for h in hits]


@pytest.mark.parametrize(("many", "heard_all"), [(0, 0), (10**9, 0), (10**9, 10**9)],
                         ids=["each-policy-in-turn", "all-texts-at-once", "all-texts-and-sounds-at-once"])
def test_both_ways_of_asking_who_holds_a_word_drop_the_same_results(catalog, draft, monkeypatch, many, heard_all):
    """A long result list looks each word up in all texts at once (precision.MANY), and by sound
    in all sound strings at once (precision.HEARD_ALL): forced one way and the other, every case
    keeps and drops the same results for the same words."""
    from policycli.search import precision

    queries = [c["query"] for items in CASES["nothing"].values() for c in items] + [c["query"] for c in CASES["found"]]
    usual = {(which, q): _outcome(data, q) for which, data in (("shipped", catalog), ("draft", draft)) for q in queries}
    monkeypatch.setattr(precision, "MANY", many)
    monkeypatch.setattr(precision, "HEARD_ALL", heard_all)
    forced = {(which, q): _outcome(data, q) for which, data in (("shipped", catalog), ("draft", draft)) for q in queries}
    assert forced == usual


def _outcome(catalog, query):
    result = search(catalog, query)
    return [h.policy.id for h in result.hits], result.total, result.against

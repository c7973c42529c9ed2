"""Query analysis (search/analyse.py, amounts.py, scripts.py): amounts matched only whole,
traditional characters and Taiwan/Hong Kong words read as simplified."""
from __future__ import annotations

import json
import re

import pytest
from conftest import invoke

from policycli.search.amounts import marked, whole_at
from policycli.search.analyse import parse_terms, weigh
from policycli.search.plainwords import plain
from policycli.search.rank import search
from policycli.search.scripts import is_chinese, simplified


def ids(result):
    return [h.policy.id for h in result.hits]


def holding_amount(catalog, amount: str) -> set[str]:
    """The policies whose text states `amount` (300万) as a whole amount, read from the data."""
    pattern = re.compile(rf"(?<![\d.]){re.escape(amount)}(?!\d)")
    return {p.id for p in catalog.policies if pattern.search(p.content)}


def test_an_amount_is_a_term_of_its_own():
    assert [t.text for t in parse_terms("贷了800万元，利息")] == ["贷了", "800万", "利息"]
    assert marked("最高300万元") == "最高 300万 "
    assert marked("5g基站") == "5g基站"  # no amount inside a word


def test_a_whole_amount_is_not_part_of_a_longer_one():
    assert whole_at("最高300万元", 2, 6) and not whole_at("最高3000万元", 3, 7)
    assert not whole_at("1000万", 1, 4)


@pytest.mark.parametrize("amount", ["300万", "1000万", "100万"])
def test_an_amount_finds_the_policies_stating_it_whole(catalog, amount):
    expected = holding_amount(catalog, amount)
    assert expected and set(ids(search(catalog, amount))) == expected


@pytest.mark.parametrize("query", ["3000万", "00万", "3000万元", "5000万"])
def test_an_amount_no_policy_states_finds_nothing(catalog, query):
    assert not holding_amount(catalog, query.replace("元", ""))
    assert ids(search(catalog, query)) == []


def test_an_amount_beside_the_topic_does_not_veto_it(catalog):
    assert ids(search(catalog, "技改 3000万"))[0] == "techretrofit"


def test_a_procedure_word_inside_a_word_of_the_field_is_part_of_it():
    assert weigh("公示名单").procedure and not weigh("失信名单", field=frozenset({"失信名单"})).procedure
    assert weigh("失信名单", field=frozenset({"失信名单"})).weights == [1.0] * 4


@pytest.mark.parametrize("typed, digits", [
    ("贷款五百万以内", "500万"), ("两千万元", "2000万"), ("一千二百万", "1200万"), ("三十万", "30万"), ("十万元", "10万"),
])
def test_an_amount_in_chinese_numerals_is_read_as_digits(typed, digits):
    assert digits in [t.text for t in parse_terms(typed)]


@pytest.mark.parametrize("typed", ["千万不要", "一千多万", "十大领域"])
def test_words_with_numerals_that_are_no_exact_amount_stay_words(typed):
    assert [t.text for t in parse_terms(typed)] == [typed]


def test_an_amount_in_chinese_numerals_finds_the_policies_stating_it(catalog):
    assert set(ids(search(catalog, "能拿两百万的有哪些"))) == holding_amount(catalog, "200万")


@pytest.mark.parametrize("query, simple", [
    ("軟體和積體電路企業", "软件和集成电路企业"), ("資料中心", "数据中心"), ("晶片設計", "芯片设计"),
    ("国家重点実験室", "国家重点实验室"), ("数据中心", "数据中心"),
])
def test_traditional_and_japanese_forms_read_as_simplified(query, simple):
    assert simplified(query) == simple


@pytest.mark.parametrize("query, wanted", [
    ("軟體產業", "digitalprojects"), ("資料中心建設", "datacenter"), ("虛擬實境", "vrcenter"),
    ("貸款貼息", "loansubsidy"), ("智慧社區", "smartcommunity"), ("創業擔保貸款", "startuploan"),
])
def test_traditional_queries_find_the_policy(catalog, query, wanted):
    assert ids(search(catalog, query))[0] == wanted


def test_a_list_written_in_traditional_characters_is_searched_in_simplified(dataset_dict, write_dataset):
    from policycli.load import load_catalog

    data = dataset_dict
    first = data["policies"][0]
    first["content"] = "全面推行經營主體以公共信用報告代替無違法違規記錄證明。"
    first["title"] = "公共信用報告"
    first.pop("award", None)
    first.pop("conditions", None)
    first["keywords"] = []
    catalog = load_catalog(write_dataset(data))
    assert ids(search(catalog, "信用报告"))[:1] == [data["policies"][0]["id"]]


def test_korean_japanese_and_chinese_script():
    assert is_chinese("数据中心 vr") and not is_chinese("데이터 센터") and not is_chinese("データセンター")


def test_the_json_names_the_signal_of_each_result(catalog):
    data = json.loads(invoke("search", "数据中心", "--format", "json").stdout)
    assert data[0]["signal"] == "official" and data[0]["signals"] == ["official"] and data[0]["hinges_on"] == []


@pytest.mark.parametrize("query, signal", [
    ("数据中心", "official"), ("车间换了一批机床", "related"), ("smart community", "english"),
    ("shujuzhongxin", "pinyin"), ("数据中兴", "sound"),
    ("我们车间去年添了三台五轴加工中心和几台工业机器人，总共花了一千多万", "recall"),
])
def test_each_result_says_which_signal_found_it(catalog, query, signal):
    assert search(catalog, query).hits[0].signal == signal


def test_the_table_shows_the_signal_under_the_rank():
    out = invoke("search", "车间换了一批机床").stdout
    assert "相关" in out.splitlines()[3]


@pytest.mark.parametrize("query, hinge", [("技能人才实训计划补助", "实训"), ("社区搞智能化改造", "社区")])
def test_a_result_found_by_part_of_the_query_is_marked_with_the_words_it_hinges_on(catalog, query, hinge):
    # 计划 and 搞 are in no policy: what is found is marked approximate, with the words it hinges on
    hits = search(catalog, query).hits
    assert hits and all(hit.approximate and hit.hinges for hit in hits)
    assert any(hinge in "".join(hit.hinges) for hit in hits)
    data = json.loads(invoke("search", query, "--format", "json").stdout)
    assert data and all(d["approximate"] and d["hinges_on"] for d in data)


@pytest.mark.parametrize("query", ["新能源汽车购车补贴", "高校毕业生租房补贴"])
def test_a_question_asking_for_what_the_list_lacks_finds_nothing(catalog, query):
    # the list supports recycling new-energy vehicles' batteries and graduates' start-ups, not
    # buying a car or renting a flat (search/precision.py)
    assert search(catalog, query).hits == ()
    assert invoke("search", query, "--format", "json").exit_code == 1


def test_a_part_or_section_name_is_no_evidence(catalog):
    # 延续执行 and 清单 are in the name of the second part only, never in a policy's own text
    assert not any("延续执行" in p.content + p.title for p in catalog.policies)
    assert ids(search(catalog, "延续执行的政策清单")) == []


def test_framing_words_of_the_data_count_nothing():
    assert "负担重" in plain().framing and "怎么" in plain().fillers and "补贴" in plain().generic
    assert weigh("利息负担重").weights == [1.0, 1.0, 0.0, 0.0, 0.0]


def test_a_question_word_in_a_pair_sounding_like_a_word_of_the_texts_is_not_a_filler():
    assert weigh("在贴现").weights[0] == 0.0  # 在 is a question word of the lists
    assert weigh("在贴现", sounds_known=lambda pair: pair == "在贴").weights == [1.0, 1.0, 1.0]
    assert weigh("有什么贴现", sounds_known=lambda pair: True).weights[:3] == [0.0, 0.0, 0.0]  # 什 is in 什么

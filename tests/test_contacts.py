"""policycli.contacts.directory: the directory and what each kind of query finds, checked against the official list."""
from __future__ import annotations

import json

import pytest
from contacts_cases import FIXTURE_SOURCE, SHARED_SOURCE, cases, ids_of, official_items
from conftest import cli_lines, invoke

from policycli.contacts.directory import (
    BY_OFFICE,
    BY_PERSON,
    BY_PHONE,
    BY_POLICY,
    BY_UNIT,
    completions,
    directory,
    find_contacts,
    like_person,
    organisation_of,
)
from policycli.errors import NotFound

OFFICES = cases()["offices"]
UNITS = cases()["units"]


def printed(refs):
    """The official numbering (1-3, read from the text) as every output prints it (一-3)."""
    return ["一二"[int(r.split("-")[0]) - 1] + "-" + r.split("-")[1] for r in refs]


def contacts_of(result):
    """(office, person, phone) of every entry, in order."""
    return [(e.office.name, e.office.contact, e.office.phone) for g in result.groups for e in g.entries]


# --- the expected cases agree with the official text ---------------------------------------------


def test_fixture_copy_is_the_official_text():
    if not SHARED_SOURCE.is_file():
        pytest.skip("../shared is not present (the official text to compare the kept copy with)")
    assert FIXTURE_SOURCE.read_bytes() == SHARED_SOURCE.read_bytes()


def test_cases_list_the_ten_office_person_phone_entries_of_the_official_text():
    published = {c for item in official_items() for c in item["contacts"]}
    expected = {(o["office"], o["person"], o["phone"]) for o in OFFICES}
    assert len(expected) == 10
    assert expected == published


def test_cases_give_each_office_the_policies_the_official_text_gives_it():
    for office in OFFICES:
        handled = [i["ref"] for i in official_items() if any(c[0] == office["office"] for c in i["contacts"])]
        assert handled == office["policies"], office["office"]


def test_cases_give_each_lead_unit_the_policies_the_official_text_gives_it():
    led: dict[str, list[str]] = {}
    for item in official_items():
        for unit in item["lead_units"]:
            unit = "区工信局" if unit == "区工信区" else unit  # the list's slip, see contacts.yaml
            led.setdefault(unit, []).append(item["ref"])
    assert led == UNITS


def test_the_official_text_has_twenty_items():
    assert len(official_items()) == 20


# --- the directory -------------------------------------------------------------------------------


def test_directory_has_one_entry_per_office_with_its_policies_and_lead_units(catalog):
    entries = directory(catalog)
    assert [(e.office.name, e.office.contact, e.office.phone) for e in entries] == [
        (o["office"], o["person"], o["phone"]) for o in OFFICES
    ]
    for entry, office in zip(entries, OFFICES, strict=True):
        assert [p.ref for p in entry.policies] == printed(office["policies"])
        expected_units = {u for u, refs in UNITS.items() if set(refs) & set(office["policies"])}
        assert set(entry.lead_units) == expected_units


def test_no_query_gives_the_whole_directory(catalog):
    result = find_contacts(catalog)
    assert result.by is None and not result.approximate
    assert contacts_of(result) == [(o["office"], o["person"], o["phone"]) for o in OFFICES]
    assert len(result.groups[0].policies) == 20


def test_organisation_is_the_district_bureau(catalog):
    assert organisation_of(catalog) == cases()["organisation"]


def test_the_doubtful_phone_keeps_its_published_number_and_carries_the_note(catalog):
    case = cases()["doubtful_phone"]
    entry = next(e for e in directory(catalog) if e.office.name == case["office"])
    assert entry.office.phone == case["phone"]
    assert case["note_contains"] in entry.office.note
    row = next(r for r in find_contacts(catalog).to_list() if r["office"] == case["office"])
    assert row["phone"] == case["phone"] and case["note_contains"] in row["note"]


# --- each office by full name, by fragment, by person --------------------------------------------


@pytest.mark.parametrize("office", OFFICES, ids=[o["office"] for o in OFFICES])
@pytest.mark.parametrize("how", ["office", "fragment", "person"])
def test_each_office_is_found_with_its_exact_phone(catalog, office, how):
    result = find_contacts(catalog, office[how])
    assert result.by == (BY_PERSON if how == "person" else BY_OFFICE)
    assert not result.approximate
    assert contacts_of(result) == [(office["office"], office["person"], office["phone"])]
    assert [p.ref for p in result.groups[0].policies] == printed(office["policies"])


def local_number(phone: str) -> str:
    return phone.split("-")[1]


@pytest.mark.parametrize("office", OFFICES, ids=[o["office"] for o in OFFICES])
@pytest.mark.parametrize("written", [lambda p: p, local_number, lambda p: p.replace("-", ""),
                                     lambda p: "+86 " + p[1:4] + " " + local_number(p)],
                         ids=["as-published", "local", "digits", "country-code"])
def test_each_office_is_found_by_its_phone_number_as_people_write_it(catalog, office, written):
    result = find_contacts(catalog, written(office["phone"]))
    assert result.by == BY_PHONE and not result.approximate
    assert contacts_of(result) == [(office["office"], office["person"], office["phone"])]
    assert [p.ref for p in result.groups[0].policies] == printed(office["policies"])


@pytest.mark.parametrize("typed", ["0532-85161772", "12345678", "86168"])
def test_a_number_of_no_office_is_not_found(catalog, typed):
    # 0532-85161772 is the doubtful number with the Qingdao code: the list prints 0352
    with pytest.raises(NotFound):
        find_contacts(catalog, typed)


def test_exact_office_name_wins_over_fragments(catalog):
    result = find_contacts(catalog, "信息化管理科")
    assert [g.key for g in result.groups] == ["信息化管理科"]


def test_an_ambiguous_fragment_shows_every_match(catalog):
    result = find_contacts(catalog, "创新")
    assert result.by == BY_OFFICE
    assert [g.key for g in result.groups] == ["创新人才科", "成果转化与创新孵化科"]
    result = find_contacts(catalog, "刘")
    assert result.by == BY_PERSON
    assert {e.office.contact for g in result.groups for e in g.entries} == {"刘琦", "刘永华"}


# --- lead units ----------------------------------------------------------------------------------


@pytest.mark.parametrize("unit", list(UNITS))
def test_each_lead_unit_shows_the_policies_it_leads_and_whom_to_call(catalog, unit):
    result = find_contacts(catalog, unit)
    assert result.by == BY_UNIT and not result.approximate
    [group] = result.groups
    assert group.key == unit
    assert [p.ref for p in group.policies] == printed(UNITS[unit])
    expected = [(o["office"], o["person"], o["phone"]) for o in OFFICES if set(o["policies"]) & set(UNITS[unit])]
    assert contacts_of(result) == expected
    for entry in group.entries:  # each office lists only the unit's policies it handles
        office = next(o for o in OFFICES if o["office"] == entry.office.name)
        assert [p.ref for p in entry.policies] == printed(r for r in office["policies"] if r in UNITS[unit])


@pytest.mark.parametrize("fragment, unit", list(cases()["unit_fragments"].items()))
def test_a_fragment_of_a_unit_finds_it(catalog, fragment, unit):
    result = find_contacts(catalog, fragment)
    assert result.by == BY_UNIT
    assert [g.key for g in result.groups] == [unit]


# --- policies ------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", cases()["two_offices"]["queries"])
def test_the_two_office_policy_shows_both_people(catalog, query):
    case = cases()["two_offices"]
    result = find_contacts(catalog, query)
    assert result.by == BY_POLICY
    [group] = result.groups
    assert group.key == ids_of(catalog, [case["ref"]])[0]
    expected = [(c["office"], c["person"], c["phone"]) for c in case["contacts"]]
    assert sorted(contacts_of(result)) == sorted(expected)


@pytest.mark.parametrize("item", official_items(), ids=[i["ref"] for i in official_items()])
def test_each_printed_number_gives_the_contacts_the_official_text_prints(catalog, item):
    part, number = item["ref"].split("-")
    query = number if part == "1" else item["ref"]  # a bare number is part 一: 15 is 1-15, not 1-5
    result = find_contacts(catalog, query)
    assert result.by == BY_POLICY
    assert sorted(contacts_of(result)) == sorted(item["contacts"])


def test_a_title_fragment_shared_by_several_policies_shows_them_all(catalog):
    result = find_contacts(catalog, "科技型企业")
    assert result.by == BY_POLICY
    assert [g.key for g in result.groups] == ids_of(catalog, ["1-5", "1-6"])


def test_a_keyword_of_a_policy_finds_its_office(catalog):
    policy = catalog.get("techretrofit")
    keyword = next(k for k in policy.keywords if k not in policy.title)
    result = find_contacts(catalog, keyword)
    assert result.by == BY_POLICY
    assert [e.office.name for g in result.groups for e in g.entries] == [o.name for o in policy.offices]


def test_a_number_that_names_no_policy_is_not_found(catalog):
    with pytest.raises(NotFound) as exc:
        find_contacts(catalog, "1-99")
    assert "1-99" in cli_lines(exc.value)[0]


# --- typos ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", cases()["typos"], ids=[c["query"] for c in cases()["typos"]])
def test_a_typo_is_read_as_what_it_is_close_to(catalog, case):
    result = find_contacts(catalog, case["query"])
    assert (result.by, [g.key for g in result.groups]) == (case["by"], [case["key"]])
    assert result.approximate


def test_what_matches_as_typed_wins_over_a_typo_of_an_office(catalog):
    # The full title is also close enough to 高新技术科 to pass for a typo of it.
    title = catalog.get("ipopool").title
    result = find_contacts(catalog, title)
    assert (result.by, result.approximate, [g.key for g in result.groups]) == (BY_POLICY, False, ["ipopool"])


def test_a_typo_of_a_name_must_point_to_one_person():
    assert like_person("陈辉亮", ["陈辉平", "王晓东"]) == ["陈辉平"]
    assert like_person("陈辉亮", ["陈辉平", "陈辉明"]) == []
    assert like_person("刘奇", ["刘琦", "刘永华"]) == ["刘琦"]  # same pinyin
    assert like_person("刘其", ["刘琦", "柳琪"]) == []  # two people sound like it


# --- nothing found -------------------------------------------------------------------------------


@pytest.mark.parametrize("case", cases()["not_found"], ids=[c["query"] for c in cases()["not_found"]])
def test_nothing_found_suggests_the_closest_offices_and_people(catalog, case):
    with pytest.raises(NotFound) as exc:
        find_contacts(catalog, case["query"])
    [message] = cli_lines(exc.value)
    assert message.startswith(f"未找到与“{case['query']}”")
    suggested = message.split("是否要找：", 1)[1]
    assert case["suggests"] in suggested
    assert exc.value.exit_code == 1


@pytest.mark.parametrize("query", cases()["no_policy"])
def test_a_letter_or_a_word_in_passing_names_no_policy(query):
    out = invoke("contacts", query)
    assert out.exit_code == 1 and f"未找到与“{query}”" in out.stderr


@pytest.mark.parametrize("query", cases()["generic"])
def test_a_word_any_policy_uses_names_no_policy_nor_office(catalog, query):
    from policycli.search.plainwords import plain

    with pytest.raises(NotFound) as exc:
        find_contacts(catalog, query, lambda q: pytest.fail(f"searched {q}"), plain().words)
    assert exc.value.exit_code == 1 and cli_lines(exc.value)[0].startswith(f"未找到与“{query}”对应的科室、联系人、牵头单位或政策")


def test_a_generic_word_is_not_found_by_the_command_and_a_topic_with_it_still_is():
    out = invoke("contacts", "补贴")
    assert (out.exit_code, out.stdout) == (1, "")
    assert out.stderr == ("未找到与“补贴”对应的科室、联系人、牵头单位或政策；是否要找：recyclingbase（工业资源综合利用试点基地补贴）。"
                          "运行 policy contacts 查看全部联系人\n")
    found = json.loads(invoke("contacts", "技改补贴", "--format", "json").stdout)
    assert [(c["office"], c["phone"]) for c in found] == [("技术改造科", "0532-86175786")]
    named = json.loads(invoke("contacts", "工业资源综合利用试点基地补贴", "--format", "json").stdout)
    assert [(c["office"], c["phone"]) for c in named] == [("产业政策科", "0532-86989187")]


# --- completion ----------------------------------------------------------------------------------


def test_completion_offers_offices_people_and_units(catalog):
    assert completions(catalog, "信息")[0] == ("信息化管理科", "陈辉平 0532-86168249")
    assert ("陈辉平", "信息化管理科 0532-86168249") in completions(catalog, "陈")
    assert [value for value, _ in completions(catalog, "区财")] == ["区财政局"]
    assert len(completions(catalog, "")) == 10 + 10 + len(UNITS)
    assert completions(catalog, "不存在的名字") == []


@pytest.mark.parametrize("length", [10_000, 40_000])
def test_a_query_far_longer_than_any_name_is_not_compared_by_sound_and_says_so(catalog, monkeypatch, length):
    import policycli.phonetics.pinyin as phonetics

    def no_pinyin(text):
        raise AssertionError("the sound of a long query was computed")

    monkeypatch.setattr(phonetics, "_syllables", no_pinyin)
    with pytest.raises(NotFound) as found:
        find_contacts(catalog, "信" * length)
    assert cli_lines(found.value) == [
        f"未找到与“{'信' * 40}…（共 {length:,} 字）”对应的科室、联系人、牵头单位或政策：科室、人名和单位都不超过 13 字，"
        "请只写其中一个。运行 policy contacts 查看全部联系人"]


def test_a_long_text_naming_an_office_still_finds_it(catalog):
    result = find_contacts(catalog, "请问这个归哪个科室管，" * 30 + "信息化管理科")
    assert [(e.office.name, e.office.phone) for g in result.groups for e in g.entries] == [("信息化管理科", "0532-86168249")]


def test_a_typo_just_under_the_limit_is_still_read_by_sound(catalog):
    result = find_contacts(catalog, "xinxihuaguanlike")
    assert result.approximate and [g.key for g in result.groups] == ["信息化管理科"]


def test_an_interface_may_name_the_policy_when_nothing_matches(catalog):
    techretrofit = catalog.get("techretrofit")
    result = find_contacts(catalog, "车间换了一批机床", winner=lambda q: techretrofit)
    assert result.by == BY_POLICY and contacts_of(result) == [("技术改造科", "臧文科", "0532-86175786")]
    with pytest.raises(NotFound):
        find_contacts(catalog, "火星探测", winner=lambda q: None)
    # what matches as typed never asks
    assert find_contacts(catalog, "信息化", winner=lambda q: techretrofit).by == BY_OFFICE


# --- several lists ---------------------------------------------------------------------------

def _second_list(dataset: dict, **changes) -> dict:
    """The shipped list as a draft of it reads: no region, no verification notes."""
    data = dict(dataset, region="", draft=["region"], **changes)
    data["offices"] = [{k: v for k, v in o.items() if k != "note"} for o in dataset["offices"]]
    if not data.get("area_code"):
        data.pop("area_code", None)
        data["draft"] = ["region", "area_code"]
    return data


def _library(*named: tuple[str, dict]):
    import yaml

    from policycli.dataset.combine import combine
    from policycli.load import parse_catalog

    return combine([(name, parse_catalog(yaml.safe_dump(d, allow_unicode=True).encode(), f"{name}.yaml"))
                    for name, d in named])


@pytest.mark.parametrize("area_code", ["0532", ""], ids=["own-area-code", "no-area-code"])
def test_an_office_in_two_lists_is_one_entry_naming_both_and_keeping_the_note(dataset_dict, area_code):
    library = _library(("甲", dataset_dict), ("草稿", _second_list(dataset_dict, area_code=area_code)))
    result = find_contacts(library, "85161772")
    (entry,) = [e for g in result.groups for e in g.entries]
    assert (entry.office.phone, entry.office.contact, entry.office.lists) == ("0352-85161772", "刘永华", ("甲", "草稿"))
    assert "核实提示：原文所列电话区号为0352" in entry.office.note
    assert [p.id for p in entry.policies] == ["startuploan"]
    assert len(find_contacts(library).directory) == len(dataset_dict["offices"])


@pytest.mark.parametrize("area_code", ["0532", ""], ids=["own-area-code", "no-area-code"])
def test_a_list_of_its_own_with_a_foreign_area_code_is_warned_about(dataset_dict, area_code):
    second = _second_list(dataset_dict, area_code=area_code)
    for office in second["offices"]:
        if office["phone"] == "0352-85161772":
            office["contact"] = "刘永"  # another person: an entry of its own, with no note from its list
    library = _library(("甲", dataset_dict), ("草稿", second))
    entries = [e for g in find_contacts(library, "85161772").groups for e in g.entries]
    assert [(e.office.contact, e.office.lists) for e in entries] == [("刘永华", ("甲",)), ("刘永", ("草稿",))]
    assert "核实提示：原文所列" in entries[0].office.note
    assert entries[1].office.note == "核实提示（比对所得，非清单原文）：电话区号为 0352，与清单 草稿 的区号 0532 不同，拨打前请核实。"


def test_cards_over_two_lists_are_one_per_office_with_the_bureau_named_once(dataset_dict):
    from policycli.contacts.vcard import result_cards

    library = _library(("甲", dataset_dict), ("草稿", _second_list(dataset_dict)))
    cards = result_cards(find_contacts(library, "刘永华")).replace("\r\n ", "")
    assert cards.count("BEGIN:VCARD") == 1
    assert "ORG:青岛市黄岛区工业和信息化局;成果转化与创新孵化科\r\n" in cards
    assert "核实提示：原文所列电话区号为0352" in cards
    assert all(line != "NOTE:负责政策：" for line in cards.split("\r\n"))

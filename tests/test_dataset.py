"""The shipped dataset against the official list: verbatim content, offices, people, phones."""
from __future__ import annotations

import pytest
import yaml
from conftest import OFFICIAL_COPY, OFFICIAL_SHARED, TESTS

OFFICES = yaml.safe_load((TESTS / "cases" / "offices.yaml").read_text(encoding="utf-8"))


def test_twenty_policies_fifteen_new_five_continued(catalog):
    assert len(catalog.policies) == 20
    assert [p.number for p in catalog.policies if p.part == 1] == list(range(1, 16))
    assert [p.number for p in catalog.policies if p.part == 2] == list(range(1, 6))


def test_metadata(catalog):
    assert catalog.region == "青岛市黄岛区（西海岸新区）"
    assert catalog.year == 2024
    assert catalog.batch == "第一批"
    assert catalog.area_code == "0532"
    assert "政策清单（第一批）" in catalog.title
    assert [s for s in catalog.part(1).sections] == ["加大援企惠企力度", "全力扩大有效需求", "加快新型工业化发展", "培育壮大数字经济"]


@pytest.mark.skipif(not OFFICIAL_SHARED.is_file(), reason="../shared is not present (the official text to compare the kept copy with)")
def test_kept_copy_is_the_official_text():
    assert OFFICIAL_COPY.read_bytes() == OFFICIAL_SHARED.read_bytes()


def test_every_content_is_verbatim(catalog, official):
    assert len(official) == 20
    for policy in catalog.policies:
        assert policy.content == official[(policy.part, policy.number)]["content"], policy.id


def test_lead_units_follow_the_text(catalog, official):
    for policy in catalog.policies:
        lead = official[(policy.part, policy.number)]["lead"]
        published = lead.replace(":", "：").split("：", 1)[1].split("、")
        # The list writes 区工信区 where 区工信局 is meant; the dataset records 区工信局 and says so.
        expected = ["区工信局" if u == "区工信区" else u for u in published]
        assert list(policy.lead_units) == expected, policy.id
        if "区工信区" in published:
            assert any("区工信区" in n for n in policy.notes), policy.id


def test_techretrofit_id_and_unique_ids(catalog):
    assert catalog.get("techretrofit").content.startswith("对实施技术改造并符合相应标准的规模以上制造业企业")
    ids = [p.id for p in catalog.policies]
    assert len(set(ids)) == 20


def test_titles_are_short(catalog):
    assert all(0 < len(p.title) <= 20 for p in catalog.policies)


@pytest.mark.parametrize("entry", OFFICES, ids=[e["office"] for e in OFFICES])
def test_office_person_phone(catalog, entry):
    office = catalog.office(entry["office"])
    assert (office.contact, office.phone) == (entry["person"], entry["phone"])
    assert [p.id for p in catalog.policies_of_office(entry["office"])] == entry["policies"]


def test_offices_as_published_in_the_text(official):
    text = OFFICIAL_COPY.read_text(encoding="utf-8")
    for entry in OFFICES:
        assert entry["office"] in text and entry["person"] in text and entry["phone"] in text


def test_two_office_policy(catalog):
    keylab = catalog.get("keylab")
    assert [(o.name, o.contact, o.phone) for o in keylab.offices] == [
        ("科技项目科", "刘琦", "0532-85162339"),
        ("高新技术科", "柳叙英", "0532-85161795"),
    ]


def test_datong_area_code_is_flagged_and_noted(catalog):
    office = catalog.office("成果转化与创新孵化科")
    assert office.phone == "0352-85161772"
    assert "核实" in office.note and "0532" in office.note
    assert any("0352-85161772" in w and "0532" in w for w in catalog.warnings)
    assert len(catalog.warnings) == 1


def test_keywords_are_curated(catalog):
    assert "技改" in catalog.get("techretrofit").keywords
    assert "VR" in catalog.get("vrcenter").keywords
    assert "芯片" in catalog.get("digitalprojects").keywords
    assert all(p.keywords for p in catalog.policies)

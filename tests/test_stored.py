"""A catalog as cache data and back: equal in every field and type, shared objects kept, and an entry
of any other layout refused (never half-read)."""
from __future__ import annotations

from dataclasses import fields, replace
from datetime import date

import pytest

from policycli.dataset.cache import Entry
from policycli.dataset.stored import Malformed, catalog_entry, catalog_of, decode, encode


@pytest.mark.parametrize("value", [
    None, True, 0, -3, 1.5, float("inf"), "文本", [], {},
    {"rate": "12%", "cap": 6_000_000, "levels": [{"name": "标杆型", "amount": 50}], "ok": False},
    {1: "one", 2.5: "two", None: "none", True: "yes"},  # keys that are not text
    {"\x00tuple": [1]},  # a key that looks like our tags
    (1, (2, "x")), {"a": ("b",)}, frozenset({"x", "y"}), {1, 2},
    date(2024, 3, 1), [date(2019, 8, 20), {"date": date(2024, 1, 31)}],
])
def test_plain_values_round_trip_with_their_types(value):
    import json

    back = decode(json.loads(json.dumps(encode(value))))
    assert back == value and type(back) is type(value)
    if isinstance(value, dict):
        assert [type(k) for k in back] == [type(k) for k in value]


def test_anything_else_is_refused_when_written():
    with pytest.raises(TypeError):
        encode(object())


def round_trip(catalog):
    import json

    entry = catalog_entry(catalog)
    data = json.loads(json.dumps(entry.data, ensure_ascii=False))
    return catalog_of(Entry(data, entry.texts, entry.numbers))


def test_the_shipped_catalog_comes_back_equal_in_every_field(catalog):
    back = round_trip(catalog)
    assert back == catalog
    for f in fields(catalog):
        assert getattr(back, f.name) == getattr(catalog, f.name), f.name
    for mine, theirs in zip(back.policies, catalog.policies, strict=True):
        for f in fields(mine):
            assert getattr(mine, f.name) == getattr(theirs, f.name), (mine.id, f.name)
            assert type(getattr(mine, f.name)) is type(getattr(theirs, f.name)), (mine.id, f.name)
        assert all(office in back.offices for office in mine.offices)
        assert mine.to_dict() == theirs.to_dict()
        assert mine.condition_clauses() == theirs.condition_clauses()


def test_equal_blocks_are_written_once(catalog):
    from dataclasses import replace

    policies = tuple(replace(p, award=dict(catalog.policies[0].award)) for p in catalog.policies)
    entry = catalog_entry(replace(catalog, policies=policies))
    assert len(entry.data["blocks"]) == 1 + len({repr(p.conditions) for p in catalog.policies if p.conditions})


def _number(entry_numbers, d, *path):
    """The column of numbers that data `d` names at `path`."""
    column = d["policies"]
    for step in path:
        column = column[step]
    return entry_numbers[column]


@pytest.mark.parametrize("damage", [
    lambda d, t, n: d.pop("policies"),
    lambda d, t, n: d.pop("count"),
    lambda d, t, n: d.__setitem__("count", 21),  # columns of 20
    lambda d, t, n: d["policies"].__setitem__("id", [99, 0]),  # no such text
    lambda d, t, n: d["policies"].__setitem__("title", "one title for twenty policies"),
    lambda d, t, n: _number(n, d, "number").pop(),
    lambda d, t, n: _number(n, d, "title", 1).__setitem__(-1, 10**6),  # past the end of the titles
    lambda d, t, n: _number(n, d, "content", 1).__setitem__(0, 1),  # the first text not at the start
    lambda d, t, n: _number(n, d, "keywords", 1).__setitem__(-1, 0),  # the keywords of no policy
    lambda d, t, n: _number(n, d, "offices", 0).__setitem__(0, -1),
    lambda d, t, n: _number(n, d, "offices", 0).__setitem__(0, 10_000),
    lambda d, t, n: _number(n, d, "award").__setitem__(0, 10_000),
    lambda d, t, n: d["policies"]["section"].__setitem__(0, 3),
    lambda d, t, n: d["policies"]["section"][0].__setitem__(0, 3),  # a section named by no text
    lambda d, t, n: _number(n, d, "section", 1).__setitem__(0, 99),  # a section of no name
    lambda d, t, n: d["policies"]["more"]["list"].__setitem__(0, "unknown kind"),
    lambda d, t, n: d["offices"].__setitem__(0, ["name", 1, "0532-1", None]),
    lambda d, t, n: d.__setitem__("year", "2024"),
    lambda d, t, n: d["more"].__setitem__("unknown", 1),
    lambda d, t, n: d["tagged"].append(10_000),
    lambda d, t, n: d["tagged"].append("0"),
    lambda d, t, n: (d["tagged"].append(0), d["blocks"].__setitem__(0, {"\x00tuple": "not a list"})),
    lambda d, t, n: t.__setitem__(d["policies"]["content"][0], "short"),  # texts that do not add up
])
def test_an_entry_of_another_layout_is_refused_when_read_not_when_a_policy_is_used(catalog, damage):
    import json

    entry = catalog_entry(catalog)
    data = json.loads(json.dumps(entry.data, ensure_ascii=False))
    texts, numbers = list(entry.texts), [list(n) for n in entry.numbers]
    damage(data, texts, numbers)
    with pytest.raises(Malformed):
        catalog_of(Entry(data, texts, numbers))


def _with_lists(catalog):
    from dataclasses import replace

    from policycli.dataset.model import ListInfo, Part

    parts = (Part(1, "产业发展", ("数字经济", "先进制造")), Part(2, "科技创新"))
    return replace(catalog, lists=(ListInfo("黄岛2024-1", "政策清单", "青岛市黄岛区", 2024, "第一批", parts, 20, "/a.yaml"),
                                   ListInfo("胶州2025", "若干政策", "胶州市", 2025, "", (), 12, "", "370281")))


def test_a_librarys_lists_come_back_equal_with_their_parts(catalog):
    library = _with_lists(catalog)
    back = round_trip(library)
    assert back.lists == library.lists
    assert back.lists[0].part(1).sections == ("数字经济", "先进制造") and back.lists[1].area_code == "370281"
    assert back.lists[0].label == "黄岛2024-1（2024年第一批）"


@pytest.mark.parametrize("damage", [
    lambda d: d["lists"][0].pop(),  # a field short
    lambda d: d["lists"][1].__setitem__(3, "2025"),  # the year as text
    lambda d: d["lists"][0].__setitem__(0, 7),  # a name that is a number
    lambda d: d["lists"][0][5][0].__setitem__(2, "数字经济"),  # sections not a list
    lambda d: d.__setitem__("lists", {"黄岛2024-1": {}}),
])
def test_lists_of_another_layout_are_refused(catalog, damage):
    import json

    entry = catalog_entry(_with_lists(catalog))
    data = json.loads(json.dumps(entry.data, ensure_ascii=False))
    damage(data)
    with pytest.raises(Malformed):
        catalog_of(Entry(data, list(entry.texts), [list(n) for n in entry.numbers]))


def test_sections_are_kept_once_and_a_policy_of_none_reads_back_without_one(catalog):
    policies = (replace(catalog.policies[0], section=None), *catalog.policies[1:])
    entry = catalog_entry(replace(catalog, policies=policies))
    named = [s for s in dict.fromkeys(p.section for p in catalog.policies[1:]) if s is not None]
    assert entry.data["policies"]["section"][0] == named  # each once, by number
    back = round_trip(replace(catalog, policies=policies))
    assert [p.section for p in back.policies] == [None, *(p.section for p in catalog.policies[1:])]


def test_policies_read_back_are_made_once_when_first_used(catalog):
    back = round_trip(catalog)
    assert back.ids == tuple(p.id for p in catalog.policies)
    assert back.policies[3] is back.policies[3] and back.policies[-1] is back.policies[len(catalog.policies) - 1]
    assert back.policies[2:4] == catalog.policies[2:4] and type(back.policies[2:4]) is tuple
    assert list(back.policies) == list(catalog.policies) and back.policies == catalog.policies
    with pytest.raises(IndexError):
        back.policies[len(catalog.policies)]


def test_a_field_of_every_policy_is_read_without_making_the_policies(catalog):
    from policycli.dataset.rows import field_of

    back = round_trip(catalog)
    for name in ("part", "number", "title"):
        assert field_of(back.policies, name) == [getattr(p, name) for p in catalog.policies]
    assert back.policies._made == [None] * len(catalog.policies)  # noqa: SLF001 (none made to read them)
    assert field_of(catalog.policies, "number")[4] == catalog.policies[4].number  # a catalog parsed, not read back


def test_blocks_with_dates_and_number_keys_come_back_as_they_were(catalog):
    from dataclasses import replace

    odd = {"since": date(2024, 1, 31), 1: ("a", "b"), "rows": [{2: "x"}]}
    policies = (replace(catalog.policies[0], award=odd), *catalog.policies[1:])
    back = round_trip(replace(catalog, policies=policies))
    assert back.policies[0].award == odd and back.policies[1].award == catalog.policies[1].award
    assert type(back.policies[0].award["since"]) is date and type(back.policies[0].award[1]) is tuple

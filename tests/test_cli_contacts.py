"""`policy contacts`: every format, the vCard export, the 0352 note, exit codes and completion."""
from __future__ import annotations

import io
import json
import re

import pytest
import vobject
import yaml
from conftest import invoke, shipped_catalog
from contacts_cases import cases, ids_of
from rich.cells import cell_len
from rich.console import Console

from csvrows import read_csv
from policycli.cli.render.contacts import contacts_view
from policycli.contacts.directory import find_contacts

OFFICES = cases()["offices"]
UNITS = cases()["units"]
DOUBTFUL = cases()["doubtful_phone"]
FORMATS = ["table", "json", "csv", "yaml", "vcard"]


def rows(*args: str) -> list[dict]:
    result = invoke("contacts", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def cards(text: str) -> list:
    return list(vobject.readComponents(text))


@pytest.fixture(scope="module")
def note(catalog) -> str:
    return next(o.note for o in catalog.offices if o.name == DOUBTFUL["office"])


# --- lookups through the command -----------------------------------------------------------------


@pytest.mark.parametrize("office", OFFICES, ids=[o["office"] for o in OFFICES])
@pytest.mark.parametrize("how", ["office", "fragment", "person"])
def test_each_office_by_name_fragment_and_person_gives_its_exact_phone(office, how):
    found = rows(office[how])
    assert [(r["office"], r["person"], r["phone"]) for r in found] == [(office["office"], office["person"], office["phone"])]
    assert found[0]["matched_by"] == ("person" if how == "person" else "office")
    table = invoke("contacts", office[how])
    assert table.exit_code == 0
    assert office["person"] in table.stdout and office["phone"] in table.stdout


@pytest.mark.parametrize("unit", list(UNITS))
def test_each_lead_unit_lists_its_policies_and_their_contacts(catalog, unit):
    found = rows(unit)
    assert {r["matched_by"] for r in found} == {"unit"} and {r["matched"] for r in found} == {unit}
    handled = [p["id"] for r in found for p in r["policies"]]  # once per office handling it
    assert sorted(handled) == sorted(p.id for p in catalog.policies if f"{p.part}-{p.number}" in UNITS[unit] for _ in p.offices)
    assert set(handled) == set(ids_of(catalog, UNITS[unit]))
    for r in found:
        office = next(o for o in OFFICES if o["office"] == r["office"])
        assert (r["person"], r["phone"]) == (office["person"], office["phone"])


def test_the_two_office_policy_shows_both_people_in_the_table():
    case = cases()["two_offices"]
    result = invoke("contacts", case["ref"])
    assert result.exit_code == 0
    for contact in case["contacts"]:
        assert contact["person"] in result.stdout and contact["phone"] in result.stdout
    assert sorted((r["person"], r["phone"]) for r in rows("keylab")) == sorted(
        (c["person"], c["phone"]) for c in case["contacts"])


def test_a_typo_is_shown_as_an_approximate_match():
    result = invoke("contacts", "信息画管理科")
    assert result.exit_code == 0
    assert "近似匹配" in result.stdout and "陈辉平" in result.stdout and "0532-86168249" in result.stdout
    assert rows("信息画管理科")[0]["approximate"] is True


def test_nothing_found_exits_1_with_suggestions_on_stderr():
    result = invoke("contacts", "张三")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("未找到与“张三”") and "是否要找：张庆龙（产业政策科）" in result.stderr
    assert "Traceback" not in result.output


def test_markup_in_the_query_is_printed_literally():
    result = invoke("contacts", "[red]x[/red]")
    assert result.exit_code == 1
    assert "[red]x[/red]" in result.stderr


# --- the formats ---------------------------------------------------------------------------------


def test_json_csv_and_yaml_parse_to_the_same_ten_contacts():
    expected = [(o["office"], o["person"], o["phone"]) for o in OFFICES]
    as_json = json.loads(invoke("contacts", "-f", "json").stdout)
    as_yaml = yaml.safe_load(invoke("contacts", "-f", "yaml").stdout)
    text = invoke("contacts", "-f", "csv").stdout
    assert text.startswith("\ufeff")  # Excel reads the BOM as UTF-8
    as_csv = read_csv(text)
    for parsed in (as_json, as_yaml, as_csv):
        assert [(r["office"], r["person"], r["phone"]) for r in parsed] == expected
    assert as_json == as_yaml
    assert as_csv[1]["policies"].startswith("vrcenter")


def test_json_entries_carry_policies_lead_units_and_organisation(catalog):
    [row] = rows("技术改造科")
    assert row["policies"] == [{"id": "techretrofit", "list": "黄岛2024-1", "ref": "一-3",
                                "title": catalog.get("techretrofit").title}]
    assert row["lists"] == ["黄岛2024-1"]
    assert row["lead_units"] == ["区工信局", "区财政局"]
    assert row["organisation"] == cases()["organisation"]
    assert row["note"] is None


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("query", [None, DOUBTFUL["office"], "区人社局"])
def test_the_0352_note_shows_in_every_format(fmt, query, note):
    args = ["contacts"] + ([query] if query else []) + ["--format", fmt]
    result = invoke(*args)
    assert result.exit_code == 0
    text = result.stdout
    if fmt == "table":
        assert DOUBTFUL["phone"] in text and "需核实" in text
        assert "".join(note.split()) in "".join(text.split())  # the table may wrap it
    elif fmt == "vcard":
        [card] = [c for c in cards(text) if c.tel.value == DOUBTFUL["phone"]]
        assert note in card.note.value
    else:
        parsed = {"json": json.loads, "yaml": yaml.safe_load,
                  "csv": lambda t: read_csv(t)}[fmt](text)
        [row] = [r for r in parsed if r["phone"] == DOUBTFUL["phone"]]
        assert row["note"] == note


def test_vcard_lists_all_ten_people_with_names_org_and_numbers(catalog):
    result = invoke("contacts", "--format", "vcard")
    assert result.exit_code == 0
    raw = result.stdout_bytes
    assert raw.count(b"\n") == raw.count(b"\r\n")  # CRLF only
    for line in raw.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")  # no character cut by folding
    parsed = cards(raw.decode("utf-8"))
    assert len(parsed) == 10
    for card, office in zip(parsed, OFFICES, strict=True):
        assert card.version.value == "3.0"
        assert card.fn.value == office["person"]
        assert card.n.value.family + card.n.value.given == office["person"]
        assert card.n.value.family == office["person"][0]
        assert card.org.value == [cases()["organisation"], office["office"]]
        assert card.tel.value == office["phone"]
        assert [t.upper() for t in card.tel.params["TYPE"]] == ["WORK", "VOICE"]
        for policy_id in ids_of(catalog, office["policies"]):
            assert f"（{policy_id}）" in card.note.value


def test_vcard_of_a_query_has_one_card_per_office_with_all_its_policies():
    parsed = cards(invoke("contacts", "2-1", "-f", "vcard").stdout)
    assert sorted(c.fn.value for c in parsed) == ["刘琦", "柳叙英"]
    liu = next(c for c in parsed if c.fn.value == "刘琦")
    assert "（loansubsidy）" in liu.note.value  # the card names every policy the person handles
    unit = cards(invoke("contacts", "区财政局", "-f", "vcard").stdout)
    assert len(unit) == len({c.tel.value for c in unit}) == 9


def test_vcard_is_offered_by_contacts_only():
    result = invoke("list", "--format", "vcard")
    assert result.exit_code == 2
    assert "vcard" in result.stderr
    assert invoke("list", "--format", "json").exit_code == 0
    assert "vcard" in invoke("contacts", "--help").stdout


# --- terminal rendering --------------------------------------------------------------------------


def draw(console: Console, query: str | None = None) -> str:
    contacts_view(find_contacts(shipped_catalog(), query))(console)
    return console.file.getvalue()


def test_phones_are_tel_links_on_a_terminal_and_plain_otherwise():
    terminal = draw(Console(file=io.StringIO(), force_terminal=True, width=100, markup=False))
    assert "\x1b]8;" in terminal and "tel:053286168249" in terminal and "tel:035285161772" in terminal
    piped = invoke("contacts").stdout
    assert "\x1b" not in piped and "0532-86168249" in piped


def test_the_table_stays_readable_at_60_columns():
    text = draw(Console(file=io.StringIO(), width=60, markup=False))
    assert max(cell_len(line) for line in text.splitlines()) <= 60
    for office in OFFICES:
        assert office["phone"] in text  # never folded
        assert office["person"] in text
    assert "…" not in text  # nothing cut off


# --- completion ----------------------------------------------------------------------------------


def complete(words: str, **env: str) -> str:
    result = invoke(env={
        "_POLICY_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": words, **env})
    assert result.exit_code == 0
    return result.stdout


def test_completion_offers_office_names_and_people():
    assert "信息化管理科" in complete("policy contacts 信息")
    assert "陈辉平" in complete("policy contacts 陈")


def test_completion_with_a_broken_dataset_offers_nothing_quietly(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("policies: [", encoding="utf-8")
    out = complete("policy contacts 信", POLICY_DATA=str(bad))
    assert "信息化管理科" not in out and "Traceback" not in out


def test_letters_that_name_nothing_find_no_contact():
    result = invoke("contacts", "xyz")
    assert result.exit_code == 1
    assert "未找到与“xyz”对应的科室、联系人、牵头单位或政策" in result.output


ONE_DIGIT_OFF = ("0532-86175786（技术改造科 臧文科）", "该号码与所写号码差一位数字")
# the list prints 0352-85161772 where every other number has Qingdao's 0532
OTHER_AREA_CODE = ("0352-85161772（成果转化与创新孵化科 刘永华）", "该号码与所写号码区号不同")


@pytest.mark.parametrize("typed, offered", [
    ("86175787", ONE_DIGIT_OFF), ("0532-86175787", ONE_DIGIT_OFF), ("+86 532 8617 5787", ONE_DIGIT_OFF),
    ("0532-85161772", OTHER_AREA_CODE), ("053285161772", OTHER_AREA_CODE), ("+86 532 8516 1772", OTHER_AREA_CODE),
])
def test_a_number_close_to_a_listed_one_is_not_a_match_and_offers_it(typed, offered):
    phone, difference = offered
    result = invoke("contacts", typed)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.strip() == (f"没有联系人的电话是“{typed}”；是否指 {phone}？"
                                     f"{difference}，拨打前请核对。运行 policy contacts 查看全部联系人")


def test_a_number_no_contact_has_names_no_policy_and_offers_nothing():
    result = invoke("contacts", "12345678")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.strip() == "没有联系人的电话是“12345678”。运行 policy contacts 查看全部联系人"


ESCAPES = re.compile(r"\x1b\[[0-9;]*m|\x1b\]8;[^\x1b]*\x1b\\")


@pytest.mark.parametrize("args", [["contacts"], ["contacts", "技术改造科"], ["list"]])
def test_a_bordered_table_leaves_a_blank_between_border_and_text(args):
    out = ESCAPES.sub("", invoke(*args, env={"FORCE_COLOR": "1"}, columns=120).stdout)
    rows = [line.rstrip() for line in out.splitlines() if line.startswith("│")]
    assert rows
    for line in rows:  # selecting a phone with the mouse picks up no border
        assert line.startswith("│ ") and line.endswith(" │"), line

"""Hostile text never reaches a terminal raw: every command, option and format, with escape and
control sequences given as arguments, as answers, as file names, and planted in a dataset and a
profile. Tables and messages show them as `\\x1b`; json and yaml keep them exactly (escaped); csv
and vcard drop them."""
from __future__ import annotations

import json
import re

import pytest
import yaml

from csvrows import read_csv
from policycli.dataset.text import UNSAFE

from conftest import DATASET, OFFICIAL_COPY, dump_dataset, invoke, shipped_dict

CSI = "\x1b[2J"  # clear the screen
OSC_TITLE = "\x1b]0;标题\x07"  # set the window title
OSC_LINK = "\x1b]8;;http://x.invalid/\x1b\\链接\x1b]8;;\x1b\\"  # a hyperlink
SO, DEL, C1_CSI, BIDI = "\x0e", "\x7f", "\x9b31m", "\u202e"
PAYLOAD = f"甲{CSI}{OSC_TITLE}{OSC_LINK}{SO}{DEL}{C1_CSI}{BIDI}乙"
NAME = PAYLOAD.replace(OSC_LINK, "")  # for a file name, which cannot hold the link's "/"
SHORT = f"改{CSI}{SO}{DEL}\x9b{BIDI}"  # for a title (at most 20 characters)

# What Rich itself writes on a terminal: colours and the tel: links of phone numbers.
RICH_OWN = re.compile(r"\x1b\[[0-9;]*m|\x1b\]8;[^\x1b\x07]*;tel:[0-9]*\x1b\\|\x1b\]8;;\x1b\\")


def raw_controls(text: str, *, line_end: str = "\n") -> list[str]:
    """The unsafe characters in output, apart from its own line ends."""
    return [ch for ch in UNSAFE.findall(text.replace(line_end, "\n")) if ch != "\n"]


def survived(*args, input=None, env=None):
    """`policy ARGS`, which must end with a documented exit code whatever the input."""
    result = invoke(*args, input=input, env=env)
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.output)
    return result


def assert_nothing_raw(result, *, line_end="\n"):
    assert raw_controls(result.stdout, line_end=line_end) == [], result.stdout
    assert raw_controls(result.stderr) == [], result.stderr


P = PAYLOAD
ARGUMENT_CASES = [
    ["show", P], ["show", P, "--format", "json"],
    ["search", P], ["search", "数据", P], ["search", "数据", "--part", P], ["search", "数据", "--section", P],
    ["search", "数据", "--limit", P], ["search", P, "--format", "yaml"],
    ["contacts", P], ["contacts", P, "--format", "vcard"], ["contacts", "--format", P],
    ["estimate", P], ["estimate", P, "--invest", "1"], ["estimate", "techretrofit", "--invest", P],
    ["estimate", "loansubsidy", "--loan", "800万", "--signed", P], ["estimate", "loansubsidy", "--loan", P],
    ["estimate", "loansubsidy", "--loan", "800万", "--signed", "2024-03", "--lpr", P],
    ["estimate", "loansubsidy", "--loan", "800万", "--signed", "2024-03", "--years", P],
    ["estimate", "loansubsidy", "--loan", "800万", "--signed", "2024-03", "--lpr-term", P],
    ["estimate", "smartcommunity", "--level", P], ["estimate", "recyclingbase", "--count", P],
    ["estimate", "vrcenter", "--cost", P],
    ["list", "--part", P], ["list", "--section", P], ["list", "--office", P], ["list", "--unit", P],
    ["list", "--format", P], ["list", P], ["list", f"--{P}"], [P], [f"--{P}"],
    ["match", "--set", f"{P}=1"], ["match", "--set", f"invest={P}"], ["match", "--set", P],
    ["match", "--set", f"entity={P}"], ["match", "--set", f"signed={P}"], ["match", "--set", f"recognitions={P}"],
    ["match", "--set", f"vrcenter.{P}=1"], ["match", "--profile", P], ["match", "--profile", f"{P}.yaml"],
    ["validate", P], ["validate", f"{P}.yaml"], ["--data", P, "list"], ["--data", f"{P}.yaml", "show", "1"],
    ["estimate", P, "--help"], ["match", "--detail", "--set", f"entity={P}"],
    ["import", P], ["import", f"{P}.txt"], ["diff", P, f"{P}.yaml"], ["diff", "--format", P, "a", "b"],
]


@pytest.mark.parametrize("args", ARGUMENT_CASES, ids=lambda a: " ".join(x.replace(P, "P") for x in a))
def test_escapes_in_arguments_are_shown_never_run(args):
    result = survived(*args)
    assert_nothing_raw(result)


@pytest.mark.parametrize("args", [["show", P], ["contacts", P], ["list", "--office", P], ["match", "--set", f"{P}=1"],
                                  ["estimate", "techretrofit", "--invest", P], ["list", f"--{P}"]])
def test_a_message_quoting_an_argument_shows_each_control_as_an_escape_to_read_out(args):
    result = survived(*args)
    assert result.exit_code in (1, 2)
    assert "甲\\x1b[2J\\x1b]0;标题\\x07\\x1b]8;;http://x.invalid/\\x1b\\链接" in result.stderr
    assert "\\x0e\\x7f\\x9b31m\\u202e乙" in result.stderr


def test_on_a_terminal_the_only_escapes_are_rich_own_colours_and_phone_links():
    env = {"FORCE_COLOR": "1", "COLUMNS": "100", "NO_COLOR": ""}
    for args in (["show", P], ["contacts", P], ["search", "数据", "--part", P]):
        result = survived(*args, env=env)
        assert raw_controls(RICH_OWN.sub("", result.stderr)) == [], result.stderr


# --- planted in a dataset --------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_dataset(tmp_path_factory):
    """The shipped data with escapes in a title, and the payload in a keyword, a lead unit, a note, an office's
    contact person and note, and a section name; one file for the module (no test writes to it)."""
    dataset_dict = shipped_dict()
    policy = next(p for p in dataset_dict["policies"] if p["id"] == "techretrofit")
    policy["title"] = "技术" + SHORT
    policy["keywords"] = list(policy["keywords"]) + ["钥匙" + P]
    policy["lead_units"] = list(policy["lead_units"]) + ["单位" + P]
    policy["notes"] = ["备注" + P]
    office = next(o for o in dataset_dict["offices"] if o["name"] == policy["offices"][0])
    office["contact"] = "臧" + P
    office["note"] = "核实" + P
    return dump_dataset(dataset_dict, tmp_path_factory.mktemp("hostile") / "policies.yaml")


DATA_COMMANDS = [
    ["list"], ["show", "techretrofit"], ["search", "技术改造"], ["search", "钥匙"], ["contacts"],
    ["contacts", "技术改造科"], ["contacts", "techretrofit"], ["estimate"], ["estimate", "techretrofit", "--invest", "3000万"],
    ["match", "--set", "manufacturer=是", "--set", "above_scale=是", "--set", "retrofit=是", "--set", "invest=3000万"],
    ["validate"], ["estimate", "techretrofit", "--help"],
    ["match", "--detail", "--set", "manufacturer=是", "--set", "above_scale=是", "--set", "invest=3000万"],
]
FORMATS = ["table", "json", "yaml", "csv"]


DATA_CASES = [(args, fmt) for args in DATA_COMMANDS for fmt in FORMATS + (["vcard"] if args[0] == "contacts" else [])]


@pytest.mark.parametrize(("args", "fmt"), DATA_CASES, ids=[f"{' '.join(a)}-{f}" for a, f in DATA_CASES])
def test_escapes_planted_in_the_dataset_never_come_out_raw(hostile_dataset, args, fmt):
    result = survived("--data", str(hostile_dataset), *args, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert_nothing_raw(result, line_end="\r\n" if fmt in ("csv", "vcard") else "\n")


@pytest.mark.parametrize("fmt", FORMATS)
def test_escapes_planted_in_a_changed_dataset_never_come_out_raw_in_diff(hostile_dataset, fmt):
    result = survived("diff", str(DATASET), str(hostile_dataset), "--format", fmt)
    assert result.exit_code == 0, result.output
    assert_nothing_raw(result, line_end="\r\n" if fmt == "csv" else "\n")


def test_escapes_in_an_official_list_being_imported_never_come_out_raw(tmp_path):
    source = tmp_path / "清单.txt"
    source.write_text(OFFICIAL_COPY.read_text(encoding="utf-8").replace("全面推行", "全面推行" + P, 1), encoding="utf-8")
    result = survived("import", str(source))
    assert_nothing_raw(result)
    draft = yaml.safe_load(result.stdout)  # the draft keeps what the list says, escaped
    assert draft["policies"][0]["content"].startswith("全面推行" + P + "经营主体")


def test_a_table_shows_planted_escapes_visibly(hostile_dataset):
    result = survived("--data", str(hostile_dataset), "show", "techretrofit", env={"COLUMNS": "300"})
    # (Rich itself drops BEL, BS, VT, FF and CR from text: the title's BEL is gone, not raw)
    for shown in ("技术改\\x1b[2J\\x0e\\x7f\\x9b\\u202e", "备注甲\\x1b[2J\\x1b]0;标题\\x1b]8;;http://x.invalid/",
                  "\\x0e\\x7f\\x9b31m\\u202e乙"):
        assert shown in result.stdout


@pytest.mark.parametrize("args", [["list"], ["search", "技术改造"], ["estimate"]])
def test_a_column_is_as_wide_as_the_escapes_it_shows(hostile_dataset, args):
    result = survived("--data", str(hostile_dataset), *args, env={"COLUMNS": "200"})
    assert "技术改\\x1b[2J\\x0e\\x7f\\x9b\\u202e" in result.stdout, result.stdout


def test_json_and_yaml_keep_planted_text_exactly(hostile_dataset):
    as_json = survived("--data", str(hostile_dataset), "show", "techretrofit", "--format", "json").stdout
    assert "\\u001b[2J" in as_json and "\\u009b31m" in as_json and "\\u202e" in as_json
    assert json.loads(as_json)["title"] == "技术" + SHORT
    as_yaml = survived("--data", str(hostile_dataset), "contacts", "技术改造科", "--format", "yaml").stdout
    assert yaml.safe_load(as_yaml)[0]["person"] == "臧" + P


def test_csv_and_vcard_drop_planted_controls(hostile_dataset):
    rows = read_csv(survived("--data", str(hostile_dataset), "show", "techretrofit", "--format", "csv").stdout)
    assert rows[0]["title"] == "技术改[2J"
    assert rows[0]["notes"].startswith("备注甲[2J]0;标题]8;;http://x.invalid/\\链接]8;;\\31m乙")
    card = survived("--data", str(hostile_dataset), "contacts", "技术改造科", "--format", "vcard").stdout
    assert "\nFN:臧甲[2J]0\\;标题]8\\;\\;h" in card and raw_controls(card) == []


def test_validate_warns_about_control_characters_in_the_data(hostile_dataset):
    result = survived("validate", str(hostile_dataset))
    assert result.exit_code == 0
    assert "控制字符" in result.stdout and "techretrofit" in result.stdout


# --- profiles, file names, answers -----------------------------------------------------------


def test_escapes_in_a_profile_and_its_file_name(tmp_path):
    profile = tmp_path / f"档案{NAME}.yaml"
    profile.write_text(yaml.safe_dump({"name": "公司" + P, "entity": "企业", "invest": "3000万"}, allow_unicode=True),
                       encoding="utf-8")
    for fmt in FORMATS:
        assert_nothing_raw(survived("match", "--profile", str(profile), "--format", fmt),
                           line_end="\r\n" if fmt == "csv" else "\n")
    assert_nothing_raw(survived("match", "--profile", str(tmp_path), "--format", "table"))
    bad = tmp_path / f"坏{NAME}.yaml"
    bad.write_text(yaml.safe_dump({"entity": P, P: "是", "invest": P}, allow_unicode=True), encoding="utf-8")
    result = survived("match", "--profile", str(bad))
    assert result.exit_code == 2
    assert_nothing_raw(result)
    assert "\\x1b" in result.stderr


def test_escapes_in_interactive_answers_and_the_save_question(tmp_path):
    target = tmp_path / f"存{NAME}.yaml"
    target.write_text("name: 旧\n", encoding="utf-8")
    answers = "\n".join(["是", P, P, "企业"] + [P] * 5 + [""] * 40) + "\n"
    result = survived("match", "--interactive", "--save", str(target), input=answers)
    assert_nothing_raw(result)
    assert "\\x1b" in result.stderr

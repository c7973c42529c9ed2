"""dataset.text: control and escape characters shown, escaped or dropped, never passed on raw."""
from __future__ import annotations

import json

import pytest
import yaml

from policycli.cli.render import dump_csv, dump_json, dump_yaml
from policycli.cli.render.visible import visible_text
from policycli.dataset.text import as_words, escape_json, has_controls, one_line, visible, without_controls

HOSTILE = ["\x1b[2J", "\x1b]0;标题\x07", "\x1b]8;;http://x.invalid/\x1b\\链接", "\x0e", "\x7f", "\x9b31m", "\u202e",
           "\x85", "\u2028", "\x00", "\r", "\x08"]


@pytest.mark.parametrize("text, shown", [
    ("a\x1b[31mb", "a\\x1b[31mb"), ("\x9b2J", "\\x9b2J"), ("\x0e\x0f", "\\x0e\\x0f"), ("\x7f", "\\x7f"),
    ("abc\u202edef", "abc\\u202edef"), ("a\u2066b\u2069", "a\\u2066b\\u2069"), ("行\r\n", "行\\x0d\\x0a"),
    ("技术改造 VR 0532-86175786", "技术改造 VR 0532-86175786"), ("a\\x1b", "a\\x1b"),
])
def test_visible_shows_each_control_as_an_escape_a_person_can_read_out(text, shown):
    assert visible(text) == shown
    assert visible(visible(text)) == shown


def test_visible_keeps_what_the_layout_needs():
    assert visible("一\n二\t三\x1b", keep="\n\t") == "一\n二\t三\\x1b"


def test_one_line_turns_line_breaks_into_spaces_and_shows_the_rest():
    assert one_line("第一行\r\n第二行\n\x1b]0;t\x07") == "第一行 第二行 \\x1b]0;t\\x07"


@pytest.mark.parametrize("text", HOSTILE)
def test_nothing_unsafe_survives_any_form(text):
    assert not has_controls(visible(text), keep="")
    assert not has_controls(without_controls(text), keep="\n\t")
    assert not has_controls(escape_json(json.dumps(text, ensure_ascii=False)), keep="")


@pytest.mark.parametrize("value", [{"键\x1b": ["\x9b", "正常", "\u202e\n换行\x85\u2028"]}, "\x00" + "长" * 2000 + "\x1b"])
def test_json_and_yaml_keep_the_text_exactly_and_escape_it(value):
    for dump, load in ((dump_json, json.loads), (dump_yaml, yaml.safe_load)):
        document = dump(value)
        assert load(document) == value
        assert not has_controls(document, keep="\n")


def test_json_escapes_c1_and_bidi_although_other_non_ascii_stays_as_it_is():
    assert dump_json(["青岛\x9b\u202e"]) == '[\n  "青岛\\u009b\\u202e"\n]'


def test_csv_cells_lose_controls_and_keep_line_breaks():
    assert dump_csv([{"a": "=1\x1b[2J\x9b", "b": "一\n二\x07"}]) == '\ufeffa,b\r\n\'=1[2J,"一\n二"\r\n'


def test_a_styled_text_keeps_its_styles_on_the_same_characters():
    from rich.text import Text

    text = Text("甲\x1b乙\u202e丙")
    text.stylize("bold", 2, 5)  # 乙 \u202e 丙
    shown = visible_text(text)
    assert shown.plain == "甲\\x1b乙\\u202e丙"
    assert [(s.start, s.end, s.style) for s in shown.spans] == [(5, 13, "bold")]


@pytest.mark.parametrize(("pasted", "words"), [
    ("\x1b[31m실감\x1b[0m 미디어 공간", "실감 미디어 공간"),  # copied from a coloured terminal
    ("\x1b]0;pwned\x07数据中心", "数据中心"),  # a title sequence
    ("\x1b]8;;http://example.com\x1b\\技改\x1b]8;;\x1b\\", "技改"),  # a hyperlink
    ("\x9b1m数据\x1bM中心", "数据中心"),  # CSI on its own, a two-character sequence
    ("数据\x00中心\u202e", "数据 中心 "),  # other controls read as spaces
])
def test_a_query_pasted_with_terminal_sequences_keeps_only_its_words(pasted, words):
    assert as_words(pasted) == words

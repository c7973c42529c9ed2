"""The line reader gives exactly what the full loader gives (values, types, lines), or steps aside
(`Unusual`) for the events and the full loader to decide: on every shipped file, on documents
written in every style, on generated documents and on generated damage to them. And it does read
what lists are written with."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_yamlfast import DOCUMENTS, UNUSUAL, full, same

from policycli.dataset import yamlfile
from policycli.dataset.yamlfast import Unusual
from policycli.dataset.yamllines import parse_lines
from policycli.errors import DataError

REPO = Path(__file__).resolve().parent.parent
BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def agrees(text: str) -> bool:
    """Whether the line reader read `text` (True) or stepped aside (False); when it read it, the
    full loader reads the same, and when the full loader refuses it, the line reader stepped aside."""
    try:
        expected = full(text)
    except Exception:  # noqa: BLE001 - refused by the full loader: the line reader must step aside too
        with pytest.raises(Unusual):
            parse_lines(text, BASE)
        return False
    try:
        read = parse_lines(text, BASE)
    except Unusual:
        return False
    same(read, expected)
    return True


FILES = sorted((REPO / "data").glob("*.yaml")) + sorted((REPO / "tests" / "cases").glob("*.yaml"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_shipped_and_test_file_reads_the_same_or_steps_aside(path):
    agrees(path.read_text(encoding="utf-8-sig"))


def test_the_shipped_list_is_read_by_lines():
    assert agrees((REPO / "data" / "policies.yaml").read_text(encoding="utf-8"))


def test_a_list_saved_on_windows_is_read_by_lines():
    text = (REPO / "data" / "policies.yaml").read_text(encoding="utf-8").replace("\n", "\r\n")
    assert agrees(text)
    assert not agrees("a: b\rc: d\n")  # a lone CR: a line break to libyaml


READ = [  # what lists are written with: read here, the same as the full loader
    "a: 1\nb: text\n",
    "# a comment\ntitle: \"政策清单\"  # after a value\nyear: 2024\n\nbatch: '第一批'\n",
    "parts:\n- number: 1\n  sections: []\n- number: 2\n  sections: [加大援企惠企力度, 全力扩大有效需求]\n",
    "policies:\n  - id: a\n    keywords: [VR, AR]\n    award:\n      kind: none\n    content: |-\n      第一行\n\n      第三行\n",
    "a:\n  - x\n  - 'it''s'\n  - \"q\"\nb: |\n  kept\n    indented\nc: ~\nd:\ne: {k: v, n: [1, 2]}\n",
    "list:\n- {clause: \"经营主体\", fact: entity, op: in, value: [企业, 个体工商户]}\n- k: 532\n  p: '0532'\n",
    "a: yes\nb: On\nc: 2024-03-01\nd: 1.5\ne: .inf\nf: null\ng: 电话 0532-86986589\nh: '1:2'\n",
    "key: value   \nother: x # y\nurl: http://example.com/a#b\n",
    "- a\n- b: 1\n  c: 2\n-   d: 3\n",
    "a: \"tab\\there\\u0041\\x42\\U0001F600 \\\"q\\\" \\\\ \\e\"\nb: [\"x\\ny\", z]\n",
]


@pytest.mark.parametrize("text", READ)
def test_what_lists_are_written_with_is_read_by_lines(text):
    assert agrees(text)


STEPPED_ASIDE = [  # valid YAML, read by the events instead
    "a: >\n  folded\n",
    "a: \"two\n  lines\"\n",
    "a: plain\n  over two lines\n",
    "a: [1,\n  2]\n",
    "a: &x 1\nb: *x\n",
    "a: !!str 1\n",
    "? k\n: v\n",
    "a: |+\n  keep\n\n",
    "a: |\n\n  after an empty line\n",
    "-\n  a: 1\n",
    "- - a\n",
    "a:\tb\n",
    "a: b\rc: d\n",
    "---\na: 1\n",
    "\"quoted key\": 1\n",
    "a: -1\n",
    "a: [x,y]\n",
]


@pytest.mark.parametrize("text", STEPPED_ASIDE)
def test_what_the_events_read_better_is_left_to_them(text):
    full(text)  # valid YAML
    with pytest.raises(Unusual):
        parse_lines(text, BASE)
    same(yamlfile.parse_located_yaml(text.encode(), "f.yaml"), full(text))


EDGES = [  # read the same or stepped aside, by the letter of libyaml
    "...: 1\n", "---x: 1\n", "a: ...\n", "a: b# c\n", "a:b\n", "a :b\n", "a: 'b'#c\n", "a: [b]#c\n", "a: {b: c}#d\n",
    "a: |\n  x\n#c\nb: 1\n", "a: |\n  x\n  #c\nb: 1\n", "a: |\n   x\n  y\n", "a: 'x''y'''\n", 'a: "a\\\\"\n',
    "a: [\"a, b\", 'c]']\n", "a: [a  , b]\n", "a: {a: }\n", "a:\n  # c\n  b: 1\n", "a: 1\n...\n", "a: - \n",
    "y: a\nn: b\n", "a:\n-\n", "a: 1\n b: 2\n", "a:\n  b: 1\n c: 2\n", 'a: "\\N\\_\\L\\P\\0\\a\\b\\v\\f\\r\\/\\ "\n',
    "k" * 1024 + ": 1\n", "k" * 1025 + ": 1\n", "- " + "k" * 1025 + ": 1\n", "a: {" + "k" * 1025 + ": 1}\n",
]


@pytest.mark.parametrize("text", EDGES)
def test_edges_read_the_same_or_step_aside(text):
    agrees(text)


def test_a_key_libyaml_finds_too_long_is_left_to_it():
    """libyaml looks for a key's colon within 1,024 characters of its start."""
    with pytest.raises(DataError):
        yamlfile.parse_located_yaml(("k" * 1025 + ": 1\n").encode(), "f.yaml")


@pytest.mark.parametrize("text", DOCUMENTS + UNUSUAL)
def test_the_fast_path_cases_read_the_same_or_step_aside(text):
    agrees(text)


# Generated documents: texts drawn from the characters that mean something in YAML, and Chinese.
SIGNS = list(" :#-?,[]{}'\"|>&*!%@`~\\\n") + ["yes", "no", "0532", "1e3", "2024-03-01", "1_0", "null", "  "]
words = (st.lists(st.sampled_from(SIGNS + list("ab01数据中心。，")), max_size=6).map("".join)
         | st.sampled_from(SIGNS))
keys = st.from_regex(r"[a-z_][a-z0-9_]{0,6}", fullmatch=True) | st.sampled_from(["yes", "1", "标题", "a b", "~"])
scalars = st.none() | st.booleans() | st.integers(-10**6, 10**6) | words
trees = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
                     max_leaves=20)
styles = st.fixed_dictionaries({"default_flow_style": st.sampled_from([False, None]), "indent": st.sampled_from([2, 4]),
                                "width": st.sampled_from([20, 1000]), "allow_unicode": st.booleans(),
                                "line_break": st.sampled_from(["\n", "\r\n"])})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tree=st.dictionaries(keys, trees, min_size=1, max_size=5), style=styles)
def test_generated_documents_read_the_same_or_step_aside(tree, style):
    agrees(yaml.safe_dump(tree, sort_keys=False, **style))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), tree=st.dictionaries(keys, trees, min_size=1, max_size=4))
def test_damaged_documents_read_the_same_or_step_aside(data, tree):
    """Characters put in, taken out, or lines indented differently, anywhere in a document."""
    text = yaml.safe_dump(tree, sort_keys=False, allow_unicode=True, default_flow_style=data.draw(st.sampled_from([False, None])))
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(text)))
        edit = data.draw(st.sampled_from(["insert", "delete", "indent"]))
        if edit == "insert":
            text = text[:at] + data.draw(st.sampled_from(SIGNS + ["\t", "\r", "\u2028", "\x85", "\ufeff", "\x07"])) + text[at:]
        elif edit == "delete":
            text = text[:at] + text[at + 1 :]
        else:
            start = text.rfind("\n", 0, at) + 1
            text = text[:start] + " " * data.draw(st.integers(1, 3)) + text[start:]
    agrees(text)


def test_a_large_list_in_the_styles_lists_are_written_in_reads_by_lines():
    """A list of thousands of policies as a dump writes it, and as the importer does (JSON's
    double quotes, a text's line breaks and control characters as escapes)."""
    policies = [{"id": f"p{i}", "part": 1, "title": f"政策{i}：数据中心", "keywords": ["算力", "数据中心"],
                 "offices": ["信息化管理科"], "award": {"kind": "cap", "cap": 300, "unit": "万元"},
                 "content": "对符合条件的项目给予最高300万元补助。申报时间另行通知。"} for i in range(200)]
    for style in (False, None):
        text = "# 清单\n" + yaml.safe_dump({"title": "清单", "year": 2024, "policies": policies}, allow_unicode=True,
                                         sort_keys=False, default_flow_style=style, width=1000)
        assert agrees(text)
    drafted = ["title: \"清单\"", "policies:"]
    for i in range(200):
        content = json.dumps(f"第{i}条\n对符合条件的项目\t给予\u202e补助\x1b。", ensure_ascii=False)
        drafted += [f"  - id: {json.dumps(f'p{i}')}", "    keywords: [\"算力\", \"数据\\\"中心\\\"\"]",
                    f"    content: {content}"]
    assert agrees("\n".join(drafted) + "\n")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_damaged_parts_of_the_shipped_list_read_the_same_or_step_aside(data):
    """The shipped list's own style (comments, quotes, flow collections, literal blocks), cut short
    and damaged."""
    lines = (REPO / "data" / "policies.yaml").read_text(encoding="utf-8").split("\n")
    start = data.draw(st.sampled_from([0, *[n for n, line in enumerate(lines) if line.startswith("  - id:")]]))
    window = lines[start : start + data.draw(st.integers(1, 40))]
    text = "\n".join(line[2:] if start and line.startswith("  ") else line for line in window) + "\n"
    for _ in range(data.draw(st.integers(0, 3))):
        at = data.draw(st.integers(0, len(text)))
        text = text[:at] + data.draw(st.sampled_from(SIGNS + ["", "\\n", "\\u00e9", "\\x", "|-\n"])) + text[at + data.draw(st.integers(0, 2)):]
    agrees(text)

"""The fast YAML path gives exactly what the full loader gives (values, types, lines), or hands the
document over to it: on every shipped file, the test cases, and documents using every feature."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from policycli.dataset import yamlfile
from policycli.dataset.yamlfast import Unusual, parse_events
from policycli.errors import DataError

REPO = Path(__file__).resolve().parent.parent
BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def full(text: str):
    """The full loader alone (what the fast path must match)."""
    reader = yamlfile.loader_class()(text)
    try:
        node = reader.get_single_node()
        if node is None:
            return None
        yamlfile._check_shape(node)
        return reader.construct_document(node)
    finally:
        reader.dispose()


def same(fast, slow, path="$"):
    assert type(fast) is type(slow), path
    if isinstance(slow, dict):
        assert list(fast) == list(slow) and (fast.line, fast.lines) == (slow.line, slow.lines), path
        for key in slow:
            same(fast[key], slow[key], f"{path}.{key}")
    elif isinstance(slow, list):
        assert len(fast) == len(slow) and (fast.line, fast.lines) == (slow.line, slow.lines), path
        for i, (a, b) in enumerate(zip(fast, slow)):
            same(a, b, f"{path}[{i}]")
    else:
        assert fast == slow or (fast != fast and slow != slow), path  # NaN


@pytest.mark.parametrize("path", sorted((REPO / "data").glob("*.yaml")) + sorted((REPO / "tests" / "cases").glob("*.yaml")),
                         ids=lambda p: p.name)
def test_every_shipped_and_test_file_reads_the_same(path):
    text = path.read_text(encoding="utf-8-sig")
    same(parse_events(text, BASE), full(text))


DOCUMENTS = [
    "",
    "# only a comment\n",
    "---\n",
    "plain\n",
    "a: 1\nb: -2\nc: +3\nd: 0\ne: 1.5\nf: .inf\ng: -.Inf\nh: .nan\ni: 1e3\n",
    "a: yes\nb: No\nc: on\nd: OFF\ne: true\nf: ~\ng: null\nh:\ni: ''\nj: \"\"\n",
    "a: 2024-03-01\nb: '2024-03-01'\nc: \"12\"\nd: '1.5'\n",
    "list:\n  - a\n  -\n    - b\n    - {c: 1, d: [e, f]}\n  - - g\n",
    "a: &x {k: v, n: [1, 2]}\nb: *x\nc: &s text\nd: *s\ne: [*x, *s]\n",
    "? complex\n: value\n1: one\n2.5: two\nno: three\n~: none\n",
    "text: |\n  line one\n  line two\nfolded: >\n  a\n  b\nquoted: \"tab\\there\"\nsingle: 'it''s'\n",
    "政策: 数据中心\n清单:\n  - 标题: 技术改造\n    金额: 600\n",
    "[1, [2, [3, [4]]], {a: {b: {c: d}}}]\n",
    "a: 1.0\nb: 6.8523015e+5\nc: 685.230_15e+03\nd: 0.\n",
]


@pytest.mark.parametrize("text", DOCUMENTS)
def test_documents_read_the_same(text):
    same(parse_events(text, BASE), full(text))


UNUSUAL = [
    "a: !!str 1\n",  # a tag
    "a: !custom x\n",
    "a: {<<: {x: 1}, y: 2}\n",  # a merge key
    "a: 1\na: 2\n",  # a duplicate key
    "a: 0x1F\n",  # integers the loader refuses
    "a: 017\n",
    "a: 1_000\n",
    "a: 190:20:30\n",
    "a: 1234567890123456789\n",
    "a: 2024-03-01 10:00:00\n",  # a time of day
    "a: 2024-02-30\n",  # no such date
    "a: 1:30.5\n",  # a sexagesimal float
    "a: =\n",
    "--- 1\n--- 2\n",  # two documents
    "a: [1, 2\n",  # a syntax error
    "a: *nowhere\n",
    "a: &x [*x]\n",  # a cycle
    "a: &x 1\nb: &x 2\n",  # an anchor defined twice
    "? [a]\n: b\n",  # a collection as a key
    "[" * 40 + "]" * 40 + "\n",  # too deep
]


@pytest.mark.parametrize("text", UNUSUAL)
def test_what_the_full_loader_must_decide_is_handed_over(text):
    with pytest.raises(Unusual):
        parse_events(text, BASE)
    try:
        expected = full(text)
    except Exception as exc:  # noqa: BLE001 - refused by the full loader: the message comes from it
        with pytest.raises(DataError):
            yamlfile.parse_located_yaml(text.encode(), "f.yaml")
        assert exc is not None
    else:
        same(yamlfile.parse_located_yaml(text.encode(), "f.yaml"), expected)


def test_aliases_count_as_the_full_loader_counts_them():
    """Expanded nodes and depth through aliases: just within the bounds reads fast and the same;
    just over them goes to the full loader (which refuses)."""
    nested = "a: &d " + "[" * 20 + "x" + "]" * 20 + "\n"
    within = nested + "b: " + "[" * 10 + "*d" + "]" * 10 + "\n"
    over = nested + "b: " + "[" * 12 + "*d" + "]" * 12 + "\n"
    same(parse_events(within, BASE), full(within))
    with pytest.raises(Unusual):
        parse_events(over, BASE)
    with pytest.raises(DataError):
        yamlfile.parse_located_yaml(over.encode(), "f.yaml")
    items = "a: &l [" + ", ".join(["x"] * 999) + "]\n"
    many = items + "b: [" + ", ".join(["*l"] * 99) + "]\n"  # 99 × 1,000 nodes added: within
    same(parse_events(many, BASE), full(many))
    with pytest.raises(Unusual):
        parse_events(items + "b: [" + ", ".join(["*l"] * 101) + "]\n", BASE)

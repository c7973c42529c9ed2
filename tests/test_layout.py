"""Every command at 40, 60, 80 and 120 columns: no amount, id, phone, key or command is split across
lines, no line starts with closing punctuation, no padding blanks at line ends when piped."""
from __future__ import annotations

import functools
import re
from collections import Counter
from pathlib import Path

import pytest
from conftest import invoke, shipped_catalog
from rich.console import Console
from rich.text import Text

from policycli.cli.render.layout import Flow, wrap

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = [
    ["list"],
    ["list", "--section", "数字经济"],
    ["show", "techretrofit"],
    ["show", "creditreport"],
    ["search", "数据中心"],
    ["search", "补贴"],
    ["search", "大学生创业"],
    ["contacts"],
    ["contacts", "信息化"],
    ["contacts", "成果转化"],
    ["estimate"],
    ["estimate", "techretrofit", "--invest", "6000万", "--major"],
    ["estimate", "loansubsidy", "--loan", "800万", "--signed", "2024-03"],
    ["estimate", "iiplatform", "--level", "双跨", "--count", "2"],
    ["estimate", "startuploan"],
    ["match", "--profile", "examples/company.yaml"],
    ["match", "--profile", "examples/company.yaml", "--detail"],
    ["match", "--profile", "tests/cases/profiles"],
    ["validate"],
    ["diff", "data/policies.yaml", "examples/draft-2024-batch1.yaml"],
]
WIDTHS = [40, 60, 80, 120]
CLOSING = "，。、；：？！）」』】》〉”’"
SOFT = re.compile(r"^(  policy |(警告：)?\S+\.ya?ml(:\d+)?: |比较 \S+ → )")  # commands, FILE:LINE, paths



@functools.cache
def token_patterns() -> list[re.Pattern[str]]:
    ids = "|".join(sorted((p.id for p in shipped_catalog().policies), key=len, reverse=True))
    return [
        re.compile(r"\d[\d,]*(?:\.\d+)? ?(?:万元|亿元|元)"),  # amounts with their unit
        re.compile(r"（[\d.]+万元）"),  # the same in 万元
        re.compile(r"\d{3,4}-\d{7,8}"),  # phone numbers
        re.compile(rf"(?<![a-z_]){ids}(?![a-z_])"),  # policy ids
        re.compile(r"--[a-z][a-z-]*"),  # options
        re.compile(r"（[a-z_]+）"),  # keys to type later: （graduate）
        re.compile(r"policy [a-z]+ [^\s，；。]+(?: [^\s，；。：]+)*"),  # commands in hints
    ]


def render(args: list[str], width: int, monkeypatch) -> str:
    monkeypatch.chdir(ROOT)
    result = invoke(*args, env={"COLUMNS": str(width), "NO_COLOR": None})
    assert result.exit_code == 0, (args, result.stdout, result.stderr)
    return result.stdout


def tokens(text: str) -> Counter:
    found: Counter = Counter()
    for line in text.splitlines():
        for pattern in token_patterns():
            found.update(m.group() for m in pattern.finditer(line))
    return found


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a) for a in COMMANDS])
def test_every_command_stays_whole_at_every_width(args, monkeypatch):
    wide = tokens(render(args, 1000, monkeypatch))  # nothing wraps: every token as it should be
    for width in WIDTHS:
        out = render(args, width, monkeypatch)
        lines = out.splitlines()
        assert all(line == line.rstrip() for line in lines), f"padding blanks at {width} columns"
        # a command to copy and a FILE:LINE record are never broken: the terminal may wrap them, a copy
        # gives them back whole
        assert all(Text(line).cell_len <= width for line in lines if not SOFT.match(line)), width
        got = tokens(out)
        split = {t: n for t, n in wide.items() if got[t] < n}
        assert not split, f"split at {width} columns: {split}"
        for line in lines:
            for piece in re.split(r" {2,}", line.strip()):
                assert not piece or piece[0] not in CLOSING, f"line starts with {piece[0]!r} at {width}: {line!r}"


def test_the_checker_sees_a_split_amount():
    """The token count above fails when Rich's own folding cuts 500万元 or a phone number."""
    console = Console(width=20, record=True, file=open("/dev/null", "w"))
    console.print(Text("补贴金额最高不超过500万元，电话 0532-86175786"))
    folded = console.export_text()
    assert tokens(folded)["500万元"] == 0 or tokens(folded)["0532-86175786"] == 0


@pytest.mark.parametrize("text", [
    "单个企业当年获得奖补资金总额不超过600万元。",
    "代替人力资源社会保障、生态环境、安全生产等52个领域的无违法违规记录证明；行政处罚决定与信用修复告知“两书同达”。",
    "（用于：判断是否符合条件）“专精特新”企业，含专精特新“小巨人”。",
])
@pytest.mark.parametrize("width", range(6, 30))
def test_flow_never_starts_a_line_with_closing_punctuation(text, width):
    got = [line.plain for line in wrap(Text(text), width)]
    assert all(line[0] not in CLOSING for line in got), got
    assert all(line[-1] not in "（“" for line in got), got
    assert "".join(got) == text
    assert all(Text(line).cell_len <= width for line in got), got


@pytest.mark.parametrize("text, width, whole", [
    ("估算金额 3,600,000.00 元（360万元）", 16, "3,600,000.00 元"),
    ("估算金额 3,600,000.00 元（360万元）", 16, "（360万元）"),
    ("联系科室 数字新区建设领导小组办公室 0532-86986596", 14, "0532-86986596"),
    ("需要 --invest 年度设备投资额（graduate）", 12, "（graduate）"),
    ("共 20 项，最高2000万元支持", 8, "2000万元"),
])
def test_flow_keeps_numbers_units_and_keys_whole(text, width, whole):
    got = [line.plain for line in wrap(Text(text), width)]
    assert any(whole in line for line in got), got
    assert all(Text(line).cell_len <= width for line in got), got


def test_flow_measures_its_widest_piece():
    console = Console(width=80)
    measured = Flow("最高 3,600,000.00 元（360万元）").__rich_measure__(console, console.options)
    assert measured.minimum == Text("3,600,000.00 元").cell_len


@pytest.mark.parametrize("width", [60, 80])
def test_an_office_name_breaks_between_its_words(width, monkeypatch):
    out = render(["search", "数据中心"], width, monkeypatch)
    lines = [line.rstrip() for line in out.splitlines()]
    assert any(line.endswith("数字新区建设") for line in lines), out
    assert not any(line.endswith(("领导小组办", "领导小组办公")) for line in lines), out
    assert not any(line.split()[-1:] == ["公室"] or line.split()[-1:] == ["室"] for line in lines), out


@pytest.mark.parametrize("text, width, lines", [
    ("基础资源和安全科", 10, ["基础资源和", "安全科"]),
    ("新型研发机构绩效奖补", 12, ["新型研发机构", "绩效奖补"]),
    ("数字产业重点项目与集成电路支持", 20, ["数字产业重点项目与", "集成电路支持"]),
    ("科技项目科、高新技术科", 14, ["科技项目科、", "高新技术科"]),
    ("区工信局、区财政局、区文旅局", 20, ["区工信局、区财政局、", "区文旅局"]),
    ("约200万元＋最高50万元", 14, ["约200万元＋", "最高50万元"]),
    ("*--rd-last 上年度可加计扣除研发费用", 16, ["*--rd-last", "上年度可加计扣除", "研发费用"]),  # never 上 / 年度
    ("*--rd 本年度可加计扣除研发费用", 16, ["*--rd 本年度可", "加计扣除研发费用"]),
    ("项目补助最高30万元＋绩效优秀奖励最高30万元", 12, ["项目补助", "最高30万元＋", "绩效优秀奖励", "最高30万元"]),
    ("最高1000万元或50万元", 14, ["最高1000万元或", "50万元"]),  # an amount keeps its word
    ("Above-designated-size manufacturers", 14, ["Above-", "designated-", "size", "manufacturers"]),
    ("receive up to RMB 20 million at the same rate", 20, ["receive up to", "RMB 20 million at", "the same rate"]),
])
def test_a_table_cell_breaks_between_items_and_words(text, width, lines):
    assert [line.plain for line in wrap(Text(text), width, words=True)] == lines


def test_a_cell_that_fits_is_not_segmented(monkeypatch):
    """Segmentation (rjieba, slow to import) only for a cell that has to break."""
    import policycli.cli.render.layout as layout

    monkeypatch.setattr(layout, "_word_starts", lambda plain: pytest.fail(f"segmented {plain}"))
    assert [line.plain for line in wrap(Text("技术改造设备投资奖补"), 20, words=True)] == ["技术改造设备投资奖补"]


@pytest.mark.parametrize("width", [60, 70, 80, 100, 120])
def test_the_inputs_of_estimate_break_between_words(width, monkeypatch):
    out = render(["estimate"], width, monkeypatch)
    ends = [line.rstrip().split()[-1] for line in out.splitlines() if line.strip()]
    cut = [e for e in ends if e in ("上", "本", "上年", "本年") or e.endswith(("贷款合", "年度设", "加计", "研发"))]
    assert not cut, out


@pytest.mark.parametrize("width", [60, 80, 120])
def test_titles_and_offices_of_the_list_break_between_words(width, monkeypatch):
    out = render(["list"], width, monkeypatch)
    ends = [line.rstrip().split()[-1] for line in out.splitlines() if line.strip()]
    cut = [e for e in ends if e.endswith(("科技项", "新型研发机", "与集成", "揭", "贷", "代", "安"))]
    assert not cut, out


@pytest.mark.parametrize("width", [60, 80, 120])
def test_an_english_summary_is_whole_and_breaks_between_words(width, monkeypatch):
    from policycli.search.lexicon import english_texts

    title, summary = english_texts(("techretrofit",))[0]
    out = render(["search", "equipment upgrade subsidy for manufacturers"], width, monkeypatch)
    assert "…" not in out
    written = set(re.findall(r"[A-Za-z0-9'$-]+", title + " " + summary))
    parts = {piece + "-" for word in written for piece in word.split("-")[:-1]} | \
        {word.split("-")[-1] for word in written}  # the pieces of a compound broken after its hyphen
    table = out.split("共 1 项")[0].split("\n", 1)[1]  # below the heading, which repeats the query
    shown = re.findall(r"[A-Za-z'$][A-Za-z0-9'$-]*", table)
    assert not [w for w in shown if w not in written | parts and w != "techretrofit"], out
    assert summary.split()[-1] in out  # the last word of the summary is there: nothing cut


@pytest.mark.parametrize("query", ["黄岛 技改", "技改", "数据中心"])
def test_a_snippet_never_narrows_to_a_column_of_fragments_in_a_box(query):
    """In a terminal's box at 60 columns the snippet would get 7 columns a line; the rows stack
    instead, each snippet on lines of its own."""
    import io

    from policycli.cli.render.search import search_view
    from policycli.search.rank import search

    catalog = shipped_catalog()
    console = Console(file=io.StringIO(), force_terminal=True, color_system=None, markup=False, width=60)
    search_view(search(catalog, query), catalog)(console)
    lines = console.file.getvalue().splitlines()
    assert any(line.startswith("摘要") for line in lines) and not any("│" in line for line in lines)


@pytest.mark.parametrize("colour", [False, True])
def test_a_stacked_record_renders_its_text_cells_as_the_console_does(colour):
    """A record of a stacked table lays out its Flow and Text cells itself (`tables._lines`): line
    for line and style for style what the console's own rendering gives, at every width."""
    from rich.style import Style

    from policycli.cli.render.tables import _lines

    console = Console(width=80, force_terminal=colour, color_system="standard" if colour else None)
    styled = Text("开展智慧社区建设扩面提升行动，", style="cyan")
    styled.append("对于引领示范作用强、功能完善", style=Style(bold=True))
    styled.append("、惠及范围广的标杆型智慧社区 (smart community) 给予奖补。")
    cells = [Flow(styled), Flow(styled, indent=2), Flow(Text("数字新区建设领导小组办公室\n李振良 0532-86986596"), words=True),
             Flow(Text("")), Text("1\n原文", style="dim"), Text("smartcommunity", style="cyan"), Text("")]
    for width in range(1, 45):
        options = console.options.update(width=width, height=None)
        for cell in cells:
            mine = _lines(console, cell, options)
            if mine is None:  # a text wider than the line, or a line narrower than a character: the console's
                assert width < 2 or isinstance(cell, Text) and any(len(line) * 2 > width for line in cell.plain.split("\n"))
                continue
            assert mine == console.render_lines(cell, options), (width, cell)


def test_a_record_leaves_tabs_unsafe_text_and_other_layouts_to_the_console():
    from policycli.cli.render.tables import _lines

    console = Console(width=40)
    options = console.options.update(width=20)
    assert _lines(console, Flow(Text("一\t二")), options) is None
    assert _lines(console, Text("x\x1b[31m数据"), options) is None
    assert _lines(console, "数据", options) is None
    assert _lines(console, Text("数据", justify="right"), options) is None
    assert _lines(console, Flow(Text("数据")), options.update(justify="center")) is None
    assert _lines(console, Text("数据"), options.update(no_wrap=True)) is None

"""Ranking, cutoff, output shapes and exit codes of `policy search`."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from conftest import cli_lines, invoke
from rich.console import Console

from csvrows import read_csv
from policycli.cli.render.search import search_view, snippet_text
from policycli.errors import InputError
from policycli.search.analyse import parse_terms
from policycli.search.rank import search
from policycli.search.weights import FILLER_WEIGHT, GENERIC_WEIGHT

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "search_queries.yaml").read_text(encoding="utf-8"))
POLICY_FIELDS = {"id", "ref", "part", "section", "number", "title", "content", "lead_units", "offices", "keywords", "notes"}


def ids(result) -> list[str]:
    return [h.policy.id for h in result.hits]


# --- ranking, one judged case per query (tests/cases/search_queries.yaml) ------------------------


@pytest.mark.parametrize(
    "query, expect",
    [pytest.param(c["query"], c["expect"], id=f"{kind}:{c['query']}") for kind, items in CASES.items() for c in items],
)
def test_judged_query(catalog, query, expect):
    got = ids(search(catalog, query, limit=20))
    if not expect:
        assert got == [], f"{query!r} should find nothing, found {got}"
        return
    assert got, f"{query!r} found nothing, expected {expect}"
    assert got[0] in expect, f"{query!r}: first is {got[0]}, expected one of {expect}"
    assert set(expect) <= set(got[:5]), f"{query!r}: {expect} not all in the first five {got[:5]}"


def test_case_file_covers_every_kind_of_query():
    assert set(CASES) == {"exact", "synonym", "typo", "pinyin", "words", "question", "nothing", "colloquial",
                          "english", "mixed_pinyin", "procedure", "near_miss", "ids", "phones", "recall"}
    assert sum(len(items) for items in CASES.values()) >= 140
    assert len(CASES["nothing"]) >= 10


# --- the cutoff -----------------------------------------------------------------------------------


def test_a_term_of_one_policy_gives_that_policy_only(catalog):
    assert ids(search(catalog, "数据中心")) == ["datacenter"]
    assert ids(search(catalog, "数据中兴")) == ["datacenter"]


def test_a_term_of_two_policies_gives_both_and_no_tail(catalog):
    assert sorted(ids(search(catalog, "工业互联网"))) == ["identnode", "iiplatform"]


def test_several_words_all_count_no_tail_of_policies_matching_one(catalog):
    assert ids(search(catalog, "研发费用 奖补")) == ["ipopool"]
    assert ids(search(catalog, "实验室 奖励")) == ["keylab"]


def test_equally_good_matches_are_all_kept(catalog):
    holders = {p.id for p in catalog.policies if "奖补" in p.content or "奖补" in p.title or "奖补" in p.keywords}
    result = search(catalog, "奖补", limit=50)
    assert set(ids(result)) == holders
    assert result.total == len(holders)


def test_unrelated_queries_find_nothing(catalog):
    for query in ("养老服务", "区块链", "火星探测", "医保报销", "房屋租赁"):
        result = search(catalog, query)
        assert result.hits == () and result.total == 0, query


def test_near_miss_below_the_cutoff_is_offered_as_a_suggestion(catalog):
    result = search(catalog, "教育培训")
    assert result.hits == ()
    assert "training" in [p.id for p in result.suggestions]
    assert search(catalog, "区块链").suggestions == ()


def test_limit_keeps_the_best_and_counts_the_rest(catalog):
    result = search(catalog, "奖补", limit=2)
    assert len(result.hits) == 2 and result.total > 2
    full = search(catalog, "奖补", limit=50)
    assert ids(result) == ids(full)[:2]
    assert [h.score for h in full.hits] == sorted((h.score for h in full.hits), reverse=True)


def test_part_and_section_filters(catalog):
    assert set(ids(search(catalog, "贷款", limit=20))) >= {"loansubsidy", "startuploan"}
    assert ids(search(catalog, "贷款", part="2")) == ["startuploan"]
    in_section = search(catalog, "奖补", section="数字经济", limit=50)
    assert in_section.hits and all(h.policy.section == "培育壮大数字经济" for h in in_section.hits)


def test_title_beats_content_for_the_same_term(catalog):
    # 社区 is in the title, keywords and text of smartcommunity only; 数字经济 is in digitalpark's
    # title and in the section name of six more: the title match must come first.
    assert ids(search(catalog, "数字经济"))[0] == "digitalpark"


# --- query terms --------------------------------------------------------------------------------


def test_question_words_count_nothing_and_generic_words_little():
    (term,) = parse_terms("有没有支持建设智慧社区的补贴")
    weight = dict(zip(term.text, term.weights))
    assert weight["没"] == FILLER_WEIGHT and weight["的"] == FILLER_WEIGHT
    assert weight["持"] == GENERIC_WEIGHT and weight["贴"] == GENERIC_WEIGHT
    assert weight["智"] == weight["社"] == 1.0


def test_a_filler_inside_a_word_is_kept():
    (term,) = parse_terms("能耗")
    assert term.weights == [1.0, 1.0]


def test_terms_split_at_spaces_and_punctuation_full_or_half_width():
    assert [t.text for t in parse_terms("数据中心，智慧社区 VR;[技改]")] == ["数据中心", "智慧社区", "vr", "技改"]
    assert [t.text for t in parse_terms("start-up r&d 0532-86175786")] == ["start", "r&d", "053286175786"]  # up: a stopword


def test_a_query_of_generic_words_only_still_searches_them(catalog):
    (term,) = parse_terms("补贴")
    assert term.weights == [1.0, 1.0]
    assert {"loansubsidy", "recyclingbase"} <= set(ids(search(catalog, "补贴")))


def test_a_query_without_text_is_a_usage_error(catalog):
    with pytest.raises(InputError):
        search(catalog, " [/] ")


@pytest.mark.parametrize("query", ["\x01\x02", "\u200b", "数据\x00中心"])
def test_control_and_invisible_characters_are_not_searched_for(catalog, query):
    if "数据" in query:
        assert ids(search(catalog, query)) == ids(search(catalog, "数据 中心"))
    else:
        with pytest.raises(InputError, match="里没有可搜索的文字"):
            search(catalog, query)


# --- output -------------------------------------------------------------------------------------


def test_json_is_a_list_best_first_with_all_fields_score_and_match(catalog):
    result = invoke("search", "数据中兴", "智慧社区", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert isinstance(data, list) and data
    first = data[0]
    assert POLICY_FIELDS | {"score", "matched"} <= set(first)
    policy = catalog.get(first["id"])
    assert first["content"] == policy.content
    assert [s["score"] for s in data] == sorted((s["score"] for s in data), reverse=True)
    assert all(isinstance(m["field"], str) and m["text"] for m in first["matched"])


def test_json_match_names_the_field_and_the_text_found(catalog):
    data = json.loads(invoke("search", "数据中兴", "--format", "json").stdout)
    assert data[0]["id"] == "datacenter"
    (match,) = data[0]["matched"]
    assert match["text"] == "数据中心" and match["how"] == "sound" and match["field"] in {"title", "content", "keywords"}


def test_csv_opens_in_excel_and_yaml_parses():
    text = invoke("search", "技改", "--format", "csv").stdout
    assert text.startswith("\ufeff")
    rows = read_csv(text)
    assert rows[0]["id"] == "techretrofit" and rows[0]["rank"] == "1" and rows[0]["content"]
    data = yaml.safe_load(invoke("search", "技改", "--format", "yaml").stdout)
    assert data[0]["id"] == "techretrofit" and "score" in data[0]


def test_table_shows_rank_id_title_section_snippet_and_office_phone():
    result = invoke("search", "数据中心", columns=200)
    assert result.exit_code == 0
    out = result.stdout
    for text in ("排名", "datacenter", "新型数据中心建设支持", "培育壮大数字经济", "数字新区建设领导小组办公室", "0532-86986596"):
        assert text in out
    assert "共 1 项" in out


def test_table_marks_a_phone_to_verify():
    out = invoke("search", "创业担保贷款").stdout
    assert "0352-85161772" in out and "需核实" in out


def test_markup_in_the_query_prints_literally():
    result = invoke("search", "[/]数据中心[i]")
    assert result.exit_code == 0
    assert "[/]数据中心[i]" in result.stdout
    missing = invoke("search", "[red]x[/red]")
    assert missing.exit_code == 1
    assert "[red]x[/red]" in missing.stderr


def test_snippet_highlights_the_matched_characters(catalog):
    hit = search(catalog, "[智汇社区]").hits[0]
    piece, spans = hit.snippet()
    assert spans and all(piece[a:b] in "智慧社区" for a, b in spans)
    text = snippet_text(hit)
    assert text.plain == piece
    assert {text.plain[s.start : s.end] for s in text.spans} <= {"智慧社区", "智慧", "社区"}


def test_snippet_is_short_and_marks_cuts(catalog):
    hit = search(catalog, "反担保").hits[0]
    piece, spans = hit.snippet(width=20)
    assert len(piece) <= 22 and "反担保" in piece
    assert piece[spans[0][0] : spans[0][1]] == "反担保"


def test_table_highlight_uses_styles_on_a_terminal(catalog):
    console = Console(file=io.StringIO(), force_terminal=True, color_system="standard", markup=False, width=160)
    search_view(search(catalog, "[/]数据中心"), catalog)(console)
    out = console.file.getvalue()
    assert "\x1b[1;7m数据中心\x1b[0m" in out
    assert "[/]数据中心" in out


# --- exit codes and messages --------------------------------------------------------------------


def test_nothing_found_exits_1_with_one_chinese_line():
    result = invoke("search", "养老服务")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.strip().count("\n") == 0
    assert "没有找到与“养老服务”相关的政策" in result.stderr


def test_nothing_found_in_json_prints_an_empty_list():
    result = invoke("search", "区块链", "--format", "json")
    assert result.exit_code == 1 and result.stdout == "[]\n" and "区块链" in result.stderr


def test_suggestions_are_named_with_id_and_title():
    result = invoke("search", "教育培训")
    assert result.exit_code == 1
    assert "是否要找：training（公共实训项目补助与奖励）" in result.stderr


def test_a_filter_that_leaves_out_the_answer_says_where_it_is(catalog):
    result = search(catalog, "数据中心", part="2")
    assert result.hits == () and [p.id for p in result.outside] == ["datacenter"]
    cli = invoke("search", "数据中心", "--part", "2")
    [line] = cli.stderr.splitlines()  # worded in golden/cli/error-filtered-out.txt
    assert cli.exit_code == 1 and "datacenter（新型数据中心建设支持）" in line and "--part" in line
    assert search(catalog, "养老服务", part="2").outside == ()


def test_usage_errors_exit_2():
    missing = invoke("search")
    assert missing.exit_code == 2 and "缺少参数 查询词" in missing.stderr
    assert invoke("search", "技改", "--limit", "0").exit_code == 2
    bad_part = invoke("search", "技改", "--part", "火星")
    assert bad_part.exit_code == 2 and "部分" in bad_part.stderr
    empty = invoke("search", "[/]")
    assert empty.exit_code == 2 and "“[/]”" in empty.stderr


def test_limit_option_and_footer():
    result = invoke("search", "奖补", "--limit", "2")
    assert result.exit_code == 0
    assert "显示前 2 项" in result.stdout
    assert result.stdout.count("奖补") >= 2


def test_a_query_of_the_longest_length_is_searched(catalog):
    pasted = next(p for p in catalog.policies if p.id == "datacenter").content
    result = search(catalog, (pasted + "，")[: len(pasted) + 1] + "x" * (1000 - len(pasted) - 1))
    assert result.hits[0].policy.id == "datacenter"


@pytest.mark.parametrize("length", [1001, 40_000])
def test_a_longer_query_is_refused_in_one_line_saying_the_limit(catalog, length):
    with pytest.raises(InputError) as refused:
        search(catalog, "数据中心" * (length // 4) + "数" * (length % 4))
    assert cli_lines(refused.value) == [f"搜索内容过长（{length:,} 字），最多 1,000 字：请只写要找的词语或一句问题，例如 policy search 数据中心"]
    result = invoke("search", "数" * length)
    assert result.exit_code == 2 and result.stderr.startswith(f"搜索内容过长（{length:,} 字）")


# --- sounds only on whole words, procedure questions, approximate matches, snippets ---------------


@pytest.mark.parametrize("query, straddled", [("申报时间", "施建"), ("地址", "地支"), ("公示", "公室")])
def test_a_sound_alike_pair_across_two_words_is_no_match(catalog, query, straddled):
    texts = [p.content + p.title + "".join(o.name for o in p.offices) for p in catalog.policies]
    assert any(straddled in text for text in texts)  # the pair is there, across or inside other words
    assert search(catalog, query).hits == ()


def test_a_sound_alike_whole_word_still_matches(catalog):
    (hit,) = search(catalog, "数据中兴").hits
    assert hit.policy.id == "datacenter" and hit.approximate
    assert hit.matches[0].how == "sound"


@pytest.mark.parametrize("query, found", [("有没有数据中兴的补贴", "datacenter"), ("请问智慧社曲建设有补贴吗", "smartcommunity")])
def test_a_question_is_not_looked_for_whole_by_sound_its_misheard_word_is(catalog, monkeypatch, query, found):
    """No text holds a question whole (有没有…的补贴), by sound either: its sound strings are not
    read for it. The word in it typed by sound (中兴 for 中心) is still found, by its pieces."""
    from policycli.search import matchers

    monkeypatch.setattr(matchers, "by_sound", lambda found: pytest.fail("the whole question looked for by sound"))
    assert ids(search(catalog, query)) == [found]


@pytest.mark.parametrize("query, found", [("科技型企业再贴现与再贷款支尺", "rediscount"),
                                          ("工业互连网平台与揭榜挂帅奖励", "iiplatform")])
def test_a_title_with_a_filler_inside_and_a_homophone_is_found_whole_by_sound(catalog, query, found):
    """与 inside a title is no question: the title typed with a homophone is found as a whole, by
    sound, and alone (by its pieces, 科技型企业…贷款 would bring the loan subsidy too)."""
    result = search(catalog, query)
    assert ids(result) == [found] and result.hits[0].matches[0].how == "sound"


def test_a_question_about_the_procedure_finds_nothing_and_says_whom_to_ask():
    result = invoke("search", "需要准备哪些申报材料")
    assert result.exit_code == 1 and result.stdout == ""
    assert "政策清单没有写明申报时间、地点、材料和公示等办理事项，请向负责的科室咨询" in result.stderr
    assert "policy contacts" in result.stderr


def test_a_topic_with_a_procedure_question_finds_the_topic_and_adds_the_note():
    result = invoke("search", "技改", "申报材料")
    assert result.exit_code == 0
    assert "techretrofit" in result.stdout and "请向负责的科室咨询" in result.stdout


def test_a_time_asked_of_a_topic_finds_nothing_and_names_its_office():
    # no list of support policies states when to apply; the office of the topic is whom to ask
    result = invoke("search", "技改", "申报时间")
    assert result.exit_code == 1 and result.stdout == ""
    assert "负责科室：技术改造科 臧文科 0532-86175786" in result.stderr


def test_a_match_by_a_related_word_is_marked_approximate(catalog):
    (hit,) = search(catalog, "小区装人脸门禁").hits
    assert hit.policy.id == "smartcommunity" and hit.approximate
    assert not search(catalog, "智慧社区").hits[0].approximate
    table = invoke("search", "小区装人脸门禁")
    assert "（近似）" in table.stdout and "相关说法" in table.stdout
    data = json.loads(invoke("search", "小区装人脸门禁", "--format", "json").stdout)
    assert data[0]["approximate"] is True


# --- the recall pass (policycli/search/recall.py) ---------------------------------------------------


LONG_SENTENCE = "我们车间去年添了三台五轴加工中心和几台工业机器人，总共花了一千多万"


def _recall_words(catalog, query):
    from policycli.search.index import index_for
    from policycli.search.plainwords import plain
    from policycli.search.recall import _chinese
    from policycli.search.scan import CommonReadings, sound_variants

    index = index_for(catalog)
    common = CommonReadings()
    return index, _chinese(index, query, plain().words, lambda p: sound_variants(index, p, common))


def test_a_word_no_policy_holds_does_not_veto_a_long_sentence(catalog):
    # 五轴 and 一千多万 are in no text: every word counting, the sentence finds nothing
    assert all("五轴" not in p.content + p.title + "".join(p.keywords) for p in catalog.policies)
    (hit,) = search(catalog, LONG_SENTENCE).hits
    assert hit.policy.id == "techretrofit" and hit.loose and hit.approximate
    assert "工业机器人" in [m.term for m in hit.matches] and "五轴" not in [m.term for m in hit.matches]
    table = invoke("search", LONG_SENTENCE)
    assert table.exit_code == 0 and "（近似）" in table.stdout
    assert "只按其中的部分词语" in table.stdout and "机器人" in table.stdout
    data = json.loads(invoke("search", LONG_SENTENCE, "--format", "json").stdout)
    assert [d["id"] for d in data] == ["techretrofit"] and data[0]["approximate"] is True


def test_what_the_strict_ranking_finds_is_not_marked_loose(catalog):
    hit = search(catalog, "数据中心").hits[0]
    assert hit.policy.id == "datacenter" and not hit.loose and not hit.approximate


def test_one_word_shared_with_an_unrelated_question_is_not_enough(catalog):
    # 人才 is in some policies' text; 公寓 in none: that one word must not find them
    assert any("人才" in p.content for p in catalog.policies)
    assert search(catalog, "人才公寓怎么申请，能住几年").hits == ()
    assert search(catalog, "housing for talents, how long can we stay").hits == ()


def test_generic_and_question_words_alone_are_never_evidence(catalog):
    from policycli.search.recall import recall

    index, found = _recall_words(catalog, "我们公司想申请政策资金补贴支持")
    assert found == []
    terms = parse_terms("which company can apply for subsidy funding support")
    assert recall(index, terms, frozenset(), lambda p: [], lambda n, size: 3.0) == {}


def test_a_typo_is_read_by_sound_as_a_whole_word_of_the_texts(catalog):
    _, found = _recall_words(catalog, "厂里换设被")
    (word,) = [w for w in found if w.text == "设被"]
    assert word.how == "sound"
    index, _ = _recall_words(catalog, "")
    assert {index.ids[p] for p in word.where} >= {"techretrofit"}


def test_recall_results_keep_the_part_filter(catalog):
    assert ids(search(catalog, LONG_SENTENCE, part="2")) == []
    assert ids(search(catalog, LONG_SENTENCE, part="1")) == ["techretrofit"]


def test_the_snippet_is_the_policy_text_never_the_keyword_list(catalog):
    # 算力中心 is a keyword of datacenter only, not in its text
    hit = search(catalog, "算力中心").hits[0]
    piece, spans = hit.snippet()
    assert hit.policy.id == "datacenter" and "算力中心" not in hit.policy.content
    assert piece.rstrip("…") in hit.policy.content and spans == ()
    hit = search(catalog, "提质增量").hits[0]
    piece, spans = hit.snippet()
    assert [piece[a:b] for a, b in spans] == ["提质增量"]


def test_a_policy_id_and_a_phone_number_are_found(catalog):
    assert ids(search(catalog, "instrumentshare")) == ["instrumentshare"]
    assert ids(search(catalog, "instrumentsh")) == ["instrumentshare"]  # the start of an id
    holders = [p.id for p in catalog.policies if any(o.phone == "0532-86175786" for o in p.offices)]
    for typed in ("86175786", "0532-86175786", "053286175786", "+86 532 8617 5786"):
        assert ids(search(catalog, typed)) == holders, typed


@pytest.mark.parametrize("query, both", [("重点实验室和新型研发机构", {"keylab", "newrnd"}),
                                         ("VR和智慧社区的补贴", {"vrcenter", "smartcommunity"})])
def test_two_things_asked_at_once_find_both(catalog, query, both):
    assert set(ids(search(catalog, query))[:2]) == both


def test_and_inside_an_official_name_is_not_two_things(catalog):
    assert ids(search(catalog, "科研设施与仪器"))[0] == "instrumentshare"  # 与 in a name is not "and"


# --- speed paths that must not change a result ---------------------------------------------------


def test_the_places_kept_of_a_needle_are_what_a_scan_finds_for_that_blob(monkeypatch):
    """`scan.first_places` keeps its last answers: the same text cut into other policies, or
    after the kept answers were dropped, gets its own."""
    from policycli.search import scan

    text = "数据中心\n中心数据\n\n数据\n"
    starts, other = [0, 5, 10, 11, 14], [0, 3, 10, 11, 14]
    assert scan.first_places(text, "数据", starts) == {0: 0, 1: 2, 3: 0}
    assert scan.first_places(text, "数据", starts) == {0: 0, 1: 2, 3: 0}
    assert scan.first_places(text, "数据", other) == {0: 0, 1: 4, 3: 0}
    monkeypatch.setattr(scan._RECENT, "MOST", 1)
    assert scan.first_places(text, "中心", starts) == {0: 2, 1: 0}
    assert scan.first_places(text, "数据", starts) == {0: 0, 1: 2, 3: 0} and len(scan._RECENT) == 1


@given(st.lists(st.text(alphabet="数据中心智慧社区\n", max_size=12), min_size=1, max_size=8),
       st.text(alphabet="数据中心智慧社区", min_size=2, max_size=5))
def test_a_needle_looked_for_where_its_pieces_are_is_found_as_by_a_scan(parts, needle):
    """A needle whose two-character pieces were answered in the blob is looked for only in the
    policies holding them all: the same places, in the same order, as a scan of the whole blob."""
    from policycli.search import scan

    text = "".join(p.replace("\n", "") + "\n" for p in parts)
    starts = [0]
    for part in parts:
        starts.append(starts[-1] + len(part.replace("\n", "")) + 1)
    scan._RECENT.clear()
    whole = dict(scan.first_places(text, needle, starts))
    scan._RECENT.clear()
    for i in range(len(needle) - 1):
        scan.first_places(text, needle[i : i + 2], starts)
    assert scan._pieces_known(text, needle, starts) is not None or len(needle) < 3
    found = scan.first_places(text, needle, starts)
    assert found == whole and list(found) == list(whole)
    scan._RECENT.clear()


def test_pieces_held_as_typed_are_offered_as_their_places_would_be(catalog, monkeypatch):
    """`pieces._Typed` offers a policy holding pieces as typed only by the pattern of fields and
    pieces it holds (the matches of one pattern shared): forced through its places instead, every
    result and match is the same."""
    from policycli.search.matchers import pieces

    queries = [c["query"] for items in CASES.values() for c in items] + ["有没有支持建设智慧社区的补贴", "社区智慧化改造奖励"]
    fast = {q: _shown_result(catalog, q) for q in queries}

    def through_places(self, found, policy, mask, spread):
        places = [(self.where[bit.bit_length() - 1][0], i, i + 2, 1.0, at, at + 2) for i in pieces._pieces_of(mask)
                  for bit, hits in self.numbered[i] if (at := hits.get(policy)) is not None]
        pieces._offer_fields(found, policy, places, spread, lambda p: pieces._field_shares(p, self.share))

    def all_through_places(self, found, least):  # each policy in the order first found, by its mask
        for policy in dict.fromkeys(p for hits in self.hits for p in hits):
            mask = sum(1 << i for i, fields in enumerate(self.numbered) if any(policy in hits for _, hits in fields))
            spread = self.share({k: 1.0 for i in pieces._pieces_of(mask) for k in (i, i + 1)})
            if spread >= least:
                through_places(self, found, policy, mask, spread)

    monkeypatch.setattr(pieces._Typed, "offer", through_places)
    monkeypatch.setattr(pieces._Typed, "offer_all", all_through_places)
    assert {q: _shown_result(catalog, q) for q in queries} == fast


def _shown_result(catalog, query):
    try:
        result = search(catalog, query, limit=50)
    except InputError as exc:
        return str(exc)
    return result.to_jsonable(), result.total, result.against


def test_a_query_pasted_in_colour_is_searched_as_its_words(catalog):
    from policycli.search.rank import search

    found = search(catalog, "\x1b[31m数据中心\x1b[0m")
    assert found.query == "数据中心" and [h.policy.id for h in found.hits] == ["datacenter"]

"""One policy from what a person types, across show, estimate and contacts."""
from __future__ import annotations

import pytest
from conftest import invoke

from policycli.errors import InputError
from policycli.search.resolve import Ambiguous, resolve_policy


@pytest.mark.parametrize("typed, expect", [("techretrofit", "techretrofit"), ("3", "techretrofit"), ("技改", "techretrofit"),
                                           ("智慧社区", "smartcommunity"), ("VR", "vrcenter"), ("数据中兴", "datacenter")])
def test_an_id_a_number_or_a_clear_search_winner(catalog, typed, expect):
    assert resolve_policy(catalog, typed).id == expect


def test_several_candidates_are_named_in_one_error(catalog):
    with pytest.raises(Ambiguous) as caught:
        resolve_policy(catalog, "贷款")
    (line,) = caught.value.lines
    assert "可指多项政策" in line and "loansubsidy（科技型企业贷款贴息）" in line and "startuploan" in line


def test_nothing_found_keeps_the_lookup_reason(catalog):
    with pytest.raises(InputError, match="未找到政策“火星探测”"):
        resolve_policy(catalog, "火星探测")
    with pytest.raises(InputError, match="没有序号为 99 的政策"):
        resolve_policy(catalog, "99")


def test_show_and_estimate_accept_a_search_word():
    shown = invoke("show", "技改")
    assert shown.exit_code == 0 and shown.stdout.startswith("技术改造设备投资奖补")
    estimated = invoke("estimate", "技改", "--invest", "3000万")
    assert estimated.exit_code == 0 and "3,600,000.00 元（360万元）" in estimated.stdout


def test_an_ambiguous_word_is_a_usage_error_on_one_line():
    result = invoke("show", "贷款")
    assert result.exit_code == 2 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and "可指多项政策" in result.stderr


def test_contacts_accepts_what_search_finds():
    result = invoke("contacts", "小区装人脸门禁")
    assert result.exit_code == 0
    assert "smartcommunity" in result.stdout and "李振良  0532-86986596" in result.stdout
    nothing = invoke("contacts", "火星探测")
    assert nothing.exit_code == 1 and "未找到与“火星探测”对应的科室" in nothing.stderr


@pytest.mark.parametrize("word, candidates", [
    ("补贴", ["recyclingbase", "loansubsidy", "techretrofit"]),
    ("数据", ["datacenter", "digitalpark"]),
    ("设备", ["techretrofit", "instrumentshare", "keylab"]),
])
def test_a_word_search_finds_several_policies_for_is_never_guessed(catalog, word, candidates):
    """Each word is part of one title only, but search finds more: the user chooses."""
    with pytest.raises(Ambiguous) as caught:
        resolve_policy(catalog, word)
    (line,) = caught.value.lines
    assert all(f"{c}（" in line for c in candidates)
    for command in (("show", word), ("estimate", word)):
        result = invoke(*command)
        assert result.exit_code == 2 and result.stdout == ""
        assert len(result.stderr.strip().splitlines()) == 1 and f"“{word}”可指多项政策" in result.stderr


@pytest.mark.parametrize("typed", ["技改", "techretrofit", "3", "技术改造设备投资奖补"])
def test_an_exact_name_or_a_word_found_once_resolves(typed):
    result = invoke("show", typed)
    assert result.exit_code == 0 and result.stdout.startswith("技术改造设备投资奖补")

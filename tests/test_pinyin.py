"""Sound keys: folding, typed pinyin, and strings aligned with the text."""
from __future__ import annotations

import pytest

from policycli.phonetics.pinyin import (
    NO_INITIAL,
    Transcriber,
    Vocabulary,
    common_readings,
    fold,
    split_syllables,
    variants,
)


@pytest.mark.parametrize(
    "typed, meant",
    [("zong", "zhong"), ("cang", "chang"), ("si", "shi"), ("xing", "xin"), ("zhen", "zheng"), ("lan", "nan"), ("an", "ang")],
)
def test_sounds_people_confuse_fold_together(typed, meant):
    assert fold(typed) == fold(meant)


@pytest.mark.parametrize("a, b", [("hu", "fu"), ("xu", "xi"), ("ni", "si"), ("zhong", "zhou"), ("jin", "jun")])
def test_distinct_sounds_stay_apart(a, b):
    assert fold(a) != fold(b)


def test_typed_pinyin_is_read_as_syllables():
    known = {"shu", "ju", "zhong", "xin", "xi", "an", "xian", "ji", "gai", "zao"}
    assert ["shu", "ju", "zhong", "xin"] in split_syllables("shujuzhongxin", known)
    readings = split_syllables("xian", known)
    assert readings[0] == ["xian"] and ["xi", "an"] in readings
    assert split_syllables("qwrt", known) == []


def test_variants_are_bounded():
    assert variants([("a", "b"), ("c",), ("d", "e")]) == ["acd", "ace", "bcd", "bce"]
    assert len(variants([("a", "b")] * 10, limit=16)) <= 16


def test_sound_and_initials_line_up_with_the_text():
    scribe = Transcriber(Vocabulary())
    text = "2024年新型数据中心（IDC）"
    sound, initials = scribe.transcribe(text)
    assert len(sound) == len(initials) == len(text)
    assert sound[:4] == "2024" and sound[-5:] == "（IDC）"
    assert initials[text.index("数") : text.index("心") + 1] == "sjzx"
    assert initials[:4] == NO_INITIAL * 4


def test_homophones_share_a_sound_and_the_reading_follows_context():
    scribe = Transcriber(Vocabulary())
    centre, _ = scribe.transcribe("中心")
    rise, _ = scribe.transcribe("中兴")
    assert centre == rise
    bank, _ = scribe.transcribe("银行")
    action, _ = scribe.transcribe("行动")
    assert bank[1] != action[0]  # 行 read hang in 银行, xing in 行动
    assert scribe.readings["行"] == {bank[1], action[0]}


def test_typed_form_of_a_text():
    scribe = Transcriber(Vocabulary())
    assert scribe.latin("数据中心 idc、vr") == "shujuzhongxin idc vr"


def test_common_characters_have_their_usual_reading():
    table = common_readings()
    assert len(table) > 6000
    assert table["兴"] == "xing" and table["乎"] == "hu" and table["积"] == "ji"


def test_the_shipped_readings_are_pypinyins():
    """data/readings.txt is the table pypinyin gives (a later pypinyin may read a few characters
    otherwise: write the file again with `python -m policycli.phonetics.pinyin`)."""
    from policycli.search.index import common_readings as shipped

    table, ours = common_readings(), shipped()
    assert len(ours) == 6763 and set(ours) == set(table)
    assert sum(ours[ch] != table[ch] for ch in ours) <= 10
    assert ours["兴"] == "xing" and ours["乎"] == "hu" and ours["行"] == "xing" and ours["重"] == "zhong"


def test_a_character_pypinyin_has_no_reading_for_is_kept_as_it_is():
    sound, initials = Transcriber(Vocabulary()).transcribe("数据桛中心")  # 桛: a character made in Japan
    assert len(sound) == len(initials) == 5
    assert sound[2] == "桛" and initials == "sj" + NO_INITIAL + "zx"


def test_a_long_run_goes_to_pypinyin_in_pieces_and_reads_as_the_whole(monkeypatch):
    from policycli.phonetics import pinyin

    text = "数据中心建设支持" * 5000  # 40,000 Han characters without a break
    scribe = Transcriber(Vocabulary())
    given = []
    convert = scribe._convert
    scribe._convert = lambda run: given.append(len(run)) or convert(run)
    sound, initials = scribe.transcribe(text)
    assert max(given) <= pinyin.RUN_PIECE
    assert initials == "sjzxjszc" * 5000
    assert sound == Transcriber(Vocabulary()).transcribe("数据中心建设支持")[0] * 5000


def test_names_compare_by_folded_sounds_as_search_does():
    from policycli.phonetics.pinyin import sounds_within

    assert sounds_within("张文科", "臧文科", whole=True)  # zhang and zang fold together
    assert sounds_within("cenhuiping", "陈辉平", whole=True)  # typed, chen as cen
    assert sounds_within("xinxihua", "信息化管理科")
    assert not sounds_within("王文科", "臧文科", whole=True)


def test_without_the_shipped_readings_pypinyins_are_used(monkeypatch, tmp_path):
    import policycli.dataset.files as files
    from policycli.search.index import common_readings as shipped

    shipped.cache_clear()
    monkeypatch.setattr(files, "shipped_file", lambda name: tmp_path / name)  # a package without data/readings.txt
    try:
        assert shipped()["乎"] == "hu" and len(shipped()) == len(common_readings())
    finally:
        shipped.cache_clear()

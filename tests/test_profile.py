"""Profiles: the fact vocabulary, reading YAML profiles and --set, errors, and writing them back."""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import cli_lines, cli_words

from policycli.errors import InputError
from policycli.match.profile import FACT_BY_KEY, FACTS, FIGURE, Profile, parse_value
from policycli.match.profile_file import (
    apply_settings,
    dump_profile,
    load_profile,
    load_profiles,
    parse_profile_text,
    save_profile,
)

CASES = Path(__file__).parent / "cases" / "profiles"
EXAMPLES = Path(__file__).parent.parent / "examples"


def parse(text: str, catalog) -> Profile:
    return parse_profile_text(text.encode("utf-8"), "c.yaml", catalog)


def problems(text: str, catalog) -> list[str]:
    with pytest.raises(InputError) as caught:
        parse(text, catalog)
    return cli_lines(caught.value)


# --- the vocabulary ---------------------------------------------------------------------------


def test_every_fact_has_a_chinese_label_and_question():
    for fact in FACTS:
        assert fact.label and fact.question.endswith("？"), fact.key
        assert fact.kind in {"flag", "choice", "choices", "money", "month", "count", "rate", "text"}


def test_figures_use_the_estimate_engines_input_names(catalog):
    from policycli.awards.rules import inputs_of

    used = {spec.name: spec for p in catalog.policies for spec in inputs_of(p)}
    for fact in FACTS:
        if fact.group == FIGURE:
            assert fact.key in used, fact.key
            assert fact.kind == used[fact.key].kind, fact.key


@pytest.mark.parametrize(("key", "raw", "expected"), [
    ("above_scale", True, True),
    ("above_scale", "是", True),
    ("above_scale", "否", False),
    ("above_scale", "yes", True),
    ("entity", "企业", "企业"),
    ("entity", "1", "企业"),
    ("entity", "个体", "个体工商户"),
    ("entity", "公司", "企业"),
    ("entity", "有限责任公司", "企业"),
    ("entity", "个体户", "个体工商户"),
    ("entity", "研究所", "科研院所"),
    ("entity", "银行", "金融机构"),
    ("invest", "3千万", Decimal("30000000")),
    ("invest", "叁仟万元整", Decimal("30000000")),
    ("loan_mode", "投保贷", "投保贷"),
    ("recognitions", ["省级产业大脑", "高新技术企业上市培育库"], ("高新技术企业上市培育库", "省级产业大脑")),
    ("recognitions", "产业大脑，上市培育库", ("高新技术企业上市培育库", "省级产业大脑")),
    ("recognitions", "0", ()),
    ("recognitions", [], ()),
    ("invest", "3000万", Decimal("30000000")),
    ("invest", 30000000, Decimal("30000000")),
    ("invest", "0.3亿", Decimal("30000000")),
    ("signed", "2024-03", date(2024, 3, 1)),
    ("signed", "2024年3月", date(2024, 3, 1)),
    ("lpr", "3.1%", Decimal("3.1")),
    ("lpr", "3.45", Decimal("3.45")),
    ("lpr_term", "5y", "5年期以上"),
    ("lpr_term", "1年期", "1年期"),
])
def test_values_are_read_as_people_write_them(key, raw, expected):
    assert parse_value(FACT_BY_KEY[key], raw) == expected


@pytest.mark.parametrize(("key", "raw", "message"), [
    ("above_scale", "也许", "“也许”不是是/否，请写 是 或 否（也可写 true、false）"),
    ("entity", "合作社", "“合作社”不是可选值，应为以下之一：企业、个体工商户"),
    ("recognitions", ["双跨", "不存在的认定"], "“不存在的认定”不是可选值"),
    ("invest", "很多", "年度设备投资额 的值“很多”不是金额"),
    ("invest", "-5万", "是负数"),
    ("signed", "三月", "贷款合同签订月份 的值“三月”不是年月"),
])
def test_bad_values_say_what_is_wrong(key, raw, message):
    with pytest.raises(InputError) as caught:
        parse_value(FACT_BY_KEY[key], raw)
    assert message in cli_lines(caught.value)[0]


# --- reading profiles -------------------------------------------------------------------------


def test_example_profile_is_complete_and_valid(catalog):
    profile = load_profile(EXAMPLES / "company.yaml", catalog)
    assert profile.name == "青岛海岳智能装备有限公司"
    written = {k for k in FACT_BY_KEY if k in profile.facts}
    missing = set(FACT_BY_KEY) - written - {"lpr", "lpr_term", "excellent"}
    assert not missing, missing
    for path in (EXAMPLES / "profiles").glob("*.yaml"):
        load_profile(path, catalog)


def test_decimals_are_never_floats(catalog):
    profile = parse("invest: 12345678.91\nrd: 0.1亿\n", catalog)
    assert profile.facts["invest"] == Decimal("12345678.91")
    assert profile.facts["rd"] == Decimal("10000000.0")


def test_blank_value_stays_unknown(catalog):
    profile = parse("entity: 企业\nabove_scale:\n", catalog)
    assert profile.facts == {"entity": "企业"}


def test_empty_file_is_an_empty_profile(catalog):
    profile = load_profile(CASES / "empty.yaml", catalog)
    assert profile.facts == {} and profile.figures == {} and profile.display_name == "empty"


def test_unknown_key_lists_the_valid_keys(catalog):
    lines = problems("entity: 企业\nabove: true\n", catalog)
    assert len(lines) == 1
    assert lines[0].startswith("c.yaml:2: above: 未知的键；可用的键：name、entity、manufacturer、above_scale")
    assert lines[0].endswith("excellent、figures")


def test_per_policy_figure_at_the_top_is_pointed_to_figures(catalog):
    lines = problems("cost: 2000万\n", catalog)
    assert lines[0].startswith("c.yaml:1: cost: 未知的键（cost 是单项政策的数据，请写在 figures 下，如 figures: {vrcenter: {cost: …}}）")


def test_all_bad_values_are_reported_at_once_with_lines(catalog):
    lines = problems("name: 甲\nabove_scale: 也许\ninvest: 很多\nrecognitions: [火星基地]\n", catalog)
    assert [line.split(": ")[0] for line in lines] == ["c.yaml:2", "c.yaml:3", "c.yaml:4"]
    assert lines[0].startswith("c.yaml:2: above_scale: “也许”不是是/否")
    assert lines[1].startswith("c.yaml:3: invest: 年度设备投资额 的值“很多”不是金额")
    assert lines[2].startswith("c.yaml:4: recognitions: “火星基地”不是可选值")


def test_profile_that_is_not_a_mapping(catalog):
    lines = problems("- entity: 企业\n", catalog)
    assert lines == [f"c.yaml:1: 企业档案应为“键: 值”的映射，实际是列表；可用的键：{'、'.join(('name', *FACT_BY_KEY, 'figures'))}"]


def test_malformed_yaml(catalog):
    lines = problems("entity: 企业\nrecognitions: [省级产业大脑\n", catalog)
    assert len(lines) == 1 and lines[0].startswith("c.yaml:") and "YAML 格式错误" in lines[0]


def test_python_tags_are_refused(catalog):
    lines = problems("entity: !!python/object/apply:os.system [echo hi]\n", catalog)
    assert "不允许的 YAML 标签" in lines[0] and "企业档案只能包含" in lines[0]


def test_missing_file(catalog, tmp_path):
    with pytest.raises(InputError) as caught:
        load_profile(tmp_path / "nope.yaml", catalog)
    assert cli_lines(caught.value) == [f"{tmp_path / 'nope.yaml'}: 企业档案文件不存在，请检查 --profile 的路径"]


def test_not_utf8(catalog, tmp_path):
    bad = tmp_path / "gbk.yaml"
    bad.write_bytes("name: 青岛\n".encode("gbk"))
    with pytest.raises(InputError) as caught:
        load_profile(bad, catalog)
    assert cli_lines(caught.value) == [f"{bad}:1: 文件不是 UTF-8 编码，请另存为 UTF-8 后重试"]


def test_figures_of_one_policy(catalog):
    profile = parse("figures:\n  vrcenter:\n    cost: 2000万\n  identnode: {cost: 500万}\n", catalog)
    assert profile.figures == {"vrcenter": {"cost": Decimal("20000000")}, "identnode": {"cost": Decimal("5000000")}}
    assert profile.inputs_for("vrcenter") == {"cost": Decimal("20000000")}


def test_figures_errors(catalog):
    lines = problems("figures:\n  vrcentre: {cost: 1}\n  vrcenter: {invest: 1}\n  datacenter: {cost: 1}\n", catalog)
    assert lines[0].startswith("c.yaml:2: figures.vrcentre: 没有编号为 vrcentre 的政策；可用的编号：creditreport、vrcenter")
    assert lines[1] == "c.yaml:3: figures.vrcenter.invest: 这项政策没有这个数据；可用的数据名：cost"
    assert lines[2] == "c.yaml:4: figures.datacenter: 这项政策的金额不需要填写数据"


def test_directory_with_a_bad_profile_reports_every_problem(catalog, tmp_path):
    (tmp_path / "a.yaml").write_text("entity: 企业\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("foo: 1\n", encoding="utf-8")
    (tmp_path / "c.yml").write_text("above_scale: 也许\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a profile", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_profiles(tmp_path, catalog)
    assert [line.split(": ")[0] for line in cli_lines(caught.value)] == [f"{tmp_path / 'b.yaml'}:1", f"{tmp_path / 'c.yml'}:1"]


def test_directory_without_profiles(catalog, tmp_path):
    with pytest.raises(InputError) as caught:
        load_profiles(tmp_path, catalog)
    assert cli_lines(caught.value) == [f"{tmp_path}: 目录中没有企业档案（.yaml 或 .yml 文件）"]


# --- --set and saving -------------------------------------------------------------------------


def test_settings_add_and_override(catalog):
    profile = load_profile(CASES / "techsmall.yaml", catalog)
    changed = apply_settings(profile, ["loan=1000万", "repaid=否", "vrcenter.cost=2000万", "name=新名字"], catalog)
    assert changed.facts["loan"] == Decimal("10000000") and changed.facts["repaid"] is False
    assert changed.figures == {"vrcenter": {"cost": Decimal("20000000")}}
    assert changed.name == "新名字"
    assert profile.facts["loan"] == Decimal("8000000")  # the original is unchanged


@pytest.mark.parametrize(("setting", "message"), [
    ("above", "--set above: 应写成 键=值"),
    ("size=大", "--set size=大: 未知的键；可用的键：name、entity"),
    ("above_scale=也许", "--set above_scale=也许: “也许”不是是/否"),
    ("vrcenter.invest=1", "--set vrcenter.invest=1: 政策 vrcenter 没有数据 invest；可用的数据名：cost"),
])
def test_bad_settings(catalog, setting, message):
    with pytest.raises(InputError) as caught:
        apply_settings(Profile(), [setting], catalog)
    assert cli_lines(caught.value)[0].startswith(message)


def test_saved_profile_reads_back_the_same(catalog, tmp_path):
    profile = load_profile(EXAMPLES / "company.yaml", catalog)
    profile = apply_settings(profile, ["lpr=3.1%", "vrcenter.cost=1234.56"], catalog)
    target = tmp_path / "saved.yaml"
    save_profile(profile, target)
    again = load_profile(target, catalog)
    assert (again.facts, again.figures, again.name) == (profile.facts, profile.figures, profile.name)
    assert "invest: 80000000" in dump_profile(profile)


def test_saving_never_overwrites_without_leave(catalog, tmp_path):
    target = tmp_path / "kept.yaml"
    target.write_text("name: 原来的\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        save_profile(Profile(name="新的"), target)
    assert cli_lines(caught.value) == [f"{target}: 文件已存在（在回答问题期间出现），未覆盖；请换一个文件名，或再运行一次并确认覆盖"]
    assert target.read_text(encoding="utf-8") == "name: 原来的\n"
    save_profile(Profile(name="新的"), target, overwrite=True)
    assert "新的" in target.read_text(encoding="utf-8")


def test_saving_where_no_file_can_be_written_says_why_in_chinese(tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("", encoding="utf-8")
    target = blocker / "x.yaml"
    with pytest.raises(InputError) as caught:
        save_profile(Profile(name="新的"), target, overwrite=True)
    assert cli_lines(caught.value) == [f"{target}: 无法写入（路径中有一部分不是目录），原有文件未改动，请检查路径、权限和磁盘空间"]


def _full_disk(monkeypatch, after: int = 5):
    """Files opened for writing take `after` bytes, then fail with ENOSPC, as on a full disk."""
    import errno
    import os

    real = os.fdopen

    class Full:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            self.handle.write(bytes(data)[:after])
            self.handle.flush()
            raise OSError(errno.ENOSPC, "No space left on device")

        def __getattr__(self, name):
            return getattr(self.handle, name)

    monkeypatch.setattr(os, "fdopen", lambda *a, **k: Full(real(*a, **k)))


def test_an_agreed_overwrite_on_a_full_disk_leaves_the_old_profile_whole(tmp_path, monkeypatch):
    target = tmp_path / "kept.yaml"
    old = "name: 原来的企业\ninvest: 3000万\n"
    target.write_text(old, encoding="utf-8")
    target.chmod(0o640)
    _full_disk(monkeypatch)
    with pytest.raises(InputError) as caught:
        save_profile(Profile(name="新的企业名称很长很长"), target, overwrite=True)
    assert cli_lines(caught.value) == [f"{target}: 无法写入（磁盘空间不足），原有文件未改动，请检查路径、权限和磁盘空间"]
    assert target.read_text(encoding="utf-8") == old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.yaml"]  # no temporary file left behind


def test_an_agreed_overwrite_replaces_the_file_and_keeps_its_permissions(tmp_path):
    target = tmp_path / "kept.yaml"
    target.write_text("name: 原来的\n", encoding="utf-8")
    target.chmod(0o640)
    save_profile(Profile(name="新的"), target, overwrite=True)
    assert target.read_text(encoding="utf-8") == "name: 新的\n"
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.yaml"]


def test_a_new_profile_on_a_full_disk_leaves_no_cut_file(tmp_path, monkeypatch):
    target = tmp_path / "new.yaml"
    _full_disk(monkeypatch)
    with pytest.raises(InputError) as caught:
        save_profile(Profile(name="新的企业"), target)
    assert cli_lines(caught.value) == [f"{target}: 无法写入（磁盘空间不足），原有文件未改动，请检查路径、权限和磁盘空间"]
    assert not target.exists()


@pytest.mark.parametrize("path", ["", "  "])
def test_an_empty_save_path_is_an_error(path, tmp_path):
    from policycli.match.profile_file import check_save_target

    for call in (lambda: check_save_target(path), lambda: save_profile(Profile(name="新的"), path)):
        with pytest.raises(InputError) as caught:
            call()
        assert cli_lines(caught.value) == ["--save: 文件名为空，请给出要保存的 .yaml 文件名，如 --save 我的企业.yaml"]


def test_saving_over_a_fifo_is_refused_before_the_questions(tmp_path):
    import os

    from policycli.match.profile_file import check_save_target

    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    with pytest.raises(InputError) as caught:
        check_save_target(fifo)
    assert cli_lines(caught.value) == [f"{fifo}: 不是普通文件，不能保存到这里，请换一个文件名"]


@pytest.mark.parametrize("setting", ["ＩＮＶＥＳＴ＝3000万", "Invest=3000万", "invest＝３０００万"])
def test_set_keys_typed_in_full_width_or_capitals_are_understood(catalog, setting):
    assert apply_settings(Profile(), [setting], catalog).facts == {"invest": Decimal(30000000)}


def test_set_a_figure_of_one_policy_in_full_width(catalog):
    profile = apply_settings(Profile(), ["ＶＲＣＥＮＴＥＲ．ｃｏｓｔ＝2000万"], catalog)
    assert profile.figures == {"vrcenter": {"cost": Decimal(20000000)}}


def test_set_splits_at_the_first_equals_sign_only(catalog):
    assert apply_settings(Profile(), ["name=甲＝乙=丙"], catalog).name == "甲＝乙=丙"


def test_an_unreadable_profile_is_called_a_profile(catalog, tmp_path, deny_opening):
    path = tmp_path / "locked.yaml"
    path.write_text("name: 甲\n", encoding="utf-8")
    deny_opening(path)
    with pytest.raises(InputError) as caught:
        load_profile(path, catalog)
    assert cli_lines(caught.value) == [f"{path}: 无法读取企业档案（没有权限），请检查文件权限"]


@pytest.mark.parametrize("answer, expected", [("3", "高校"), ("３", "高校"), ("²", "个体工商户")])
def test_a_choice_by_its_number_in_any_digits(answer, expected):
    assert parse_value(FACT_BY_KEY["entity"], answer) == expected


@pytest.mark.parametrize("answer", ["9" * 5000, "0", "8"])
def test_a_choice_number_out_of_range_is_an_input_error(answer):
    with pytest.raises(InputError, match="不是可选值"):
        parse_value(FACT_BY_KEY["entity"], answer)


@pytest.mark.parametrize(("key", "value", "message"), [
    ("above_scale", "{a: 1}", "above_scale: 应为是/否（true 或 false），实际是映射"),
    ("invest", "!!set {a, b}", "invest: 应为金额，如 3000万，实际是集合"),
    ("loan", "!!binary aGVsbG8=", "loan: 应为金额，如 3000万，实际是二进制数据"),
    ("entity", "[企业, 高校]", "entity: 应为以下之一：企业、个体工商户、高校、科研院所、社会组织、金融机构、个人，实际是列表"),
    ("recognitions", "[双跨, {a: 1}]", "recognitions: 列表的第 2 项应为以下之一："),
    ("recognitions", "[!!binary aGVsbG8=]", "，实际是二进制数据"),
    ("name", "!!set {a}", "name: 企业名称应为文本，实际是集合"),
])
def test_a_value_of_the_wrong_shape_is_named_in_chinese_not_shown_as_python(catalog, tmp_path, key, value, message):
    path = tmp_path / "档案.yaml"
    path.write_text(("entity: 企业\n" if key != "entity" else "") + f"{key}: {value}\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_profile(path, catalog)
    line = cli_lines(caught.value)[0]
    assert message in line
    assert not any(python in line for python in ("{'", "['", "b'", "set", "bytes", "dict", "list"))


@pytest.mark.parametrize(("value", "kind"), [(b"x", "二进制数据"), ({1}, "集合"), (date(2024, 3, 1), "日期"),
                                             (Decimal(1), "数字"), (object(), "其他类型的值")])
def test_kinds_of_yaml_values_have_chinese_names(value, kind):
    from policycli.dataset.yamlfile import kind_name

    assert kind_name(value) == kind


@pytest.mark.parametrize("text, message", [
    ("invest: 190:20:30\n", "p.yaml:1: “190:20:30”不是普通的十进制整数：只能写数字，如 3000，不能用 0x、0o、以 0 开头、下划线或冒号的写法；要作为文本请加引号"),
    ("name: 甲\ninvest: 0x10\n", "p.yaml:2: “0x10”不是普通的十进制整数：只能写数字，如 3000，不能用 0x、0o、以 0 开头、下划线或冒号的写法；要作为文本请加引号"),
    ("signed: 2024-03-01 10:00:00\n", "p.yaml:1: “2024-03-01 10:00:00”带有时刻；这里只能写日期，如 2024-03-01"),
    ("years: " + "9" * 5000 + "\n", "p.yaml:1: 整数位数过多（5000 位），最多 18 位"),
])
def test_yaml_1_1_forms_the_command_line_rejects_are_rejected_in_profiles(catalog, text, message):
    with pytest.raises(InputError) as caught:
        parse_profile_text(text.encode("utf-8"), "p.yaml", catalog)
    assert cli_lines(caught.value) == [message]


def test_a_profile_date_is_read_as_its_month(catalog):
    profile = parse_profile_text(b"signed: 2024-03-15\n", "p.yaml", catalog)
    assert profile.facts == {"signed": date(2024, 3, 1)}


def test_an_alias_bomb_in_a_profile_field_is_refused(catalog):
    rows = ['&l0 ["x","x","x","x","x","x","x","x","x"]'] + [f"&l{i} [{','.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 9)]
    text = "name: 甲\nrecognitions: [" + ", ".join(rows) + "]\n"
    with pytest.raises(InputError) as caught:
        parse_profile_text(text.encode("utf-8"), "p.yaml", catalog)
    assert cli_lines(caught.value) == ["p.yaml:2: 锚点和别名（&名称 / *名称）重复展开的内容过多（超过 100,000 项），请直接写出内容"]


@pytest.mark.parametrize("setting, key, value", [
    ("制造业=是", "manufacturer", True),
    ("制造业企业=否", "manufacturer", False),
    ("规模以上企业=是", "above_scale", True),
    ("年度设备投资额=1234万5678", "invest", Decimal(12345678)),
    ("认定与入选=省级产业大脑", "recognitions", ("省级产业大脑",)),
])
def test_keys_are_accepted_by_the_chinese_names_the_questions_use(catalog, setting, key, value):
    assert apply_settings(Profile(), [setting], catalog).facts == {key: value}


def test_a_chinese_key_that_names_several_facts_is_refused_with_them(catalog):
    with pytest.raises(InputError) as caught:
        apply_settings(Profile(), ["企业=是"], catalog)
    assert re.fullmatch("--set 企业=是: 键“企业”可指 企业名称、制造业企业、.*请写完整", cli_words(caught.value))


def test_a_profile_file_may_use_the_chinese_names(catalog):
    profile = parse_profile_text("企业名称: 某公司\n制造业企业: 是\n认定与入选: [产业大脑]\n".encode(), "a.yaml", catalog)
    assert (profile.name, dict(profile.facts)) == ("某公司", {"manufacturer": True, "recognitions": ("省级产业大脑",)})
    with pytest.raises(InputError, match=r"^a.yaml:1: 养老: 未知的键"):
        parse_profile_text("养老: 是\n".encode(), "a.yaml", catalog)

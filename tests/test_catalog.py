"""Loading and validating datasets: every problem as file:line: field: message, all at once."""
from __future__ import annotations

import pytest
from conftest import DATASET, cli_lines

from policycli.dataset.files import resolve_data_path
from policycli.errors import DataError
from policycli.load import load_catalog


def problems(path) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_catalog(path)
    return cli_lines(caught.value)


def test_shipped_dataset_loads_with_digest(catalog):
    assert catalog.path == str(DATASET)
    assert len(catalog.digest) == 64


def test_missing_file(tmp_path):
    [line] = problems(tmp_path / "nope.yaml")
    assert line == f"{tmp_path / 'nope.yaml'}: 数据文件不存在，请检查 --data 或 POLICY_DATA 指定的路径"


def test_directory_instead_of_file(tmp_path):
    [line] = problems(tmp_path)
    assert "是一个目录" in line


def test_unreadable_file(tmp_path, deny_opening):
    path = tmp_path / "locked.yaml"
    path.write_text("x: 1", encoding="utf-8")
    deny_opening(path)
    assert problems(path) == [f"{path}: 无法读取数据文件（没有权限），请检查文件权限"]


def test_not_utf8(write_dataset):
    path = write_dataset("title: 政策\nregion: 黄岛\n".encode("gbk"))
    [line] = problems(path)
    assert line.startswith(f"{path}:1: ") and "UTF-8" in line


def test_malformed_yaml_names_the_line(write_dataset):
    path = write_dataset("title: a\nregion: [unclosed\nyear: 2024\n")
    [line] = problems(path)
    assert line.startswith(f"{path}:") and "YAML 格式错误" in line


def test_python_tags_are_refused(write_dataset):
    path = write_dataset("title: !!python/object/apply:os.system ['echo hi']\n")
    [line] = problems(path)
    assert "不允许的 YAML 标签" in line and line.startswith(f"{path}:1:")


def test_duplicate_key(write_dataset):
    path = write_dataset("title: a\ntitle: b\n")
    [line] = problems(path)
    assert line == f"{path}:2: title: 重复的键，请删除其中一个"


def test_top_level_must_be_a_mapping(write_dataset):
    path = write_dataset("- a\n- b\n")
    [line] = problems(path)
    assert "(顶层)" in line and "映射" in line


def test_all_problems_at_once_with_lines(dataset_dict, write_dataset):
    policies = dataset_dict["policies"]
    policies[1]["id"] = policies[0]["id"]           # duplicate id
    del policies[2]["content"]                      # missing field
    policies[3]["offices"] = ["不存在的科室"]          # unresolved office
    policies[4]["section"] = "不存在的节"              # unknown section
    policies[5]["number"] = "六"                     # wrong type
    path = write_dataset(dataset_dict)
    found = problems(path)
    assert len(found) == 5
    text = path.read_text(encoding="utf-8").splitlines()
    for line in found:
        file_part, line_no, rest = line.split(":", 2)
        assert file_part == str(path)
        assert 1 <= int(line_no) <= len(text)
    joined = "\n".join(found)
    assert "policies[creditreport].id: 编号重复" in joined
    assert "policies[techretrofit].content: 缺少必填字段" in joined
    assert "policies[ipopool].offices: 科室“不存在的科室”未在 offices 中定义" in joined
    assert "policies[loansubsidy].section: 未知的节“不存在的节”" in joined
    assert "policies[rediscount].number: 应为整数，实际是文本" in joined


def test_problem_line_points_at_the_field(dataset_dict, write_dataset):
    dataset_dict["policies"][0]["title"] = "这个标题写得实在是太长了已经远远超过了二十个字的限制"
    path = write_dataset(dataset_dict)
    [line] = problems(path)
    line_no = int(line.split(":")[1])
    assert path.read_text(encoding="utf-8").splitlines()[line_no - 1].strip().startswith("title:")


def test_bad_phone_format_is_an_error(dataset_dict, write_dataset):
    dataset_dict["offices"][0]["phone"] = "86986589"
    [line] = problems(write_dataset(dataset_dict))
    assert "offices[0].phone" in line and "格式不对" in line


def test_foreign_area_code_is_a_warning(dataset_dict, write_dataset):
    dataset_dict["offices"][0]["phone"] = "0352-86986589"
    catalog = load_catalog(write_dataset(dataset_dict))
    assert sum("offices[0].phone" in w and "请核实" in w for w in catalog.warnings) == 1


def test_data_path_precedence(monkeypatch, tmp_path):
    monkeypatch.setenv("POLICY_DATA", str(tmp_path / "env.yaml"))
    assert resolve_data_path("explicit.yaml").name == "explicit.yaml"
    assert resolve_data_path(None).name == "env.yaml"
    monkeypatch.delenv("POLICY_DATA")
    assert resolve_data_path(None).name == "policies.yaml"


@pytest.mark.parametrize(
    "text, line, reason",
    [
        pytest.param("title: a: b\n", 1, "这里不能再写“键: 值”；值里有“冒号加空格”时请给整个值加引号", id="colon"),
        pytest.param("title: a\nregion:\n\tx: 1\n", 3,
                     "有不能作为开头的字符（如 Tab、@、`、%）：缩进请用空格，以这些字符开头的文本请加引号", id="tab"),
        pytest.param("title: a\nregion: [unclosed\nyear: 2024\n", 3, "方括号 [ ] 没有配对，缺少逗号或 ]", id="bracket"),
        pytest.param("title: {a: 1\n", 2, "花括号 { } 没有配对，缺少逗号或 }", id="brace"),
        pytest.param('title: "abc\n', 2, "引号没有配对，到文件末尾也没有结束引号", id="quote"),
        pytest.param("title: *x\n", 1, "引用了没有定义的锚点（*名称）；以 * 开头的文本请加引号", id="alias"),
        pytest.param('title: "\\q"\n', 1, "双引号文本里有无效的转义（\\）；不需要转义时请改用单引号", id="escape"),
        pytest.param("title:\n  a: 1\n b: 2\n", 3, "缩进不一致，同一层的键要对齐", id="indent"),
        pytest.param("title: a\n---\nregion: b\n", 2, "文件里有多个文档（---），只能有一个", id="documents"),
        pytest.param("title: a\nregion: \x01\n", 2, "含有不允许的控制字符，请删除", id="control"),
    ],
)
def test_yaml_syntax_errors_are_chinese_with_the_line(write_dataset, text, line, reason):
    path = write_dataset(text)
    assert problems(path) == [f"{path}:{line}: YAML 格式错误：{reason}"]


def test_python_tags_are_named_in_the_refusal(write_dataset):
    path = write_dataset("title: a\nregion: !!python/object/apply:os.system ['echo hi']\n")
    assert problems(path) == [f"{path}:2: 不允许的 YAML 标签 !!python/object/apply:os.system，数据文件只能包含普通文本、数字、列表和映射"]


def _longer(dataset: dict, count: int) -> bytes:
    """The shipped dataset with its policies repeated into `count` (ids and numbers their own),
    written out in full (no anchors), as a hand-kept list is."""
    import copy

    import yaml

    base = dataset["policies"]
    policies = []
    for i in range(count):
        round_, at = divmod(i, len(base))
        policy = copy.deepcopy(base[at])
        if round_:
            policy.update(id=f"{policy['id'][:24]}{round_}", number=policy["number"] + 100 * round_)
        policies.append(policy)
    return yaml.safe_dump({**dataset, "policies": policies}, allow_unicode=True, sort_keys=False, width=1000).encode("utf-8")


def test_parsing_a_list_tells_its_lines_read_then_its_policies_checked(dataset_dict):
    """Two steps a line: the lines read (up to the last), then the line of each hundredth policy
    checked; never back, and done at the end. The catalog is the one made untold."""
    from policycli.dataset.catalog import CHECKED_EVERY, parse_catalog

    raw = _longer(dataset_dict, 250)
    lines = raw.count(b"\n") + 1
    told: list[tuple[int, int]] = []
    catalog = parse_catalog(raw, "long.yaml", told=lambda done, total: told.append((done, total)))
    assert {total for _, total in told} == {2 * lines}
    steps = [done for done, _ in told]
    assert steps == sorted(steps) and steps[-1] == 2 * lines
    reading = [done for done in steps if done <= lines]
    assert len(reading) >= 50 and reading[-1] > 0.9 * lines  # told all along the reading, about 100 times
    checking = [done - lines for done in steps if lines < done < 2 * lines]
    assert checking == [catalog.policies[i].line for i in range(0, 250, CHECKED_EVERY)]
    assert parse_catalog(raw, "long.yaml") == catalog

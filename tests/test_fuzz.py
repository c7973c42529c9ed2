"""Fuzzing dataset and profile shapes: any value of any shape in any field gives exit 0, 1 or 2
(never an internal error) and no raw control character in the output. A run that hangs fails; how
long such runs take is measured by benchmarks/hostile_inputs.py, not here."""
from __future__ import annotations

import functools
import json
import re

import pytest
import yaml
from conftest import DATASET, hang_guard, invoke
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policycli.match.profile import PROFILE_KEYS

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
PLACEHOLDER = "__FUZZ_VALUE__"

# Plain YAML scalars that mean something other than text, shapes PyYAML builds specially, and
# escapes (ESC, CSI, OSC title and hyperlink, C1, SO, DEL, NUL) written as YAML escapes.
RAW = ["0x10", "017", "190:20:30", "1_000", "0b11", "2024-03-01 10:00:00", "2024-02-30", "2024-03-01", "2024-03",
       ".inf", "-.inf", ".nan", "1e999", "1e-999", "~", "null", "yes", "off", "9" * 30, "9" * 5000, "-0", "1.5",
       "[]", "{}", "[[[[[[[[]]]]]]]]", "&a [*a]", "{<<: 5}", "!!binary aGk=", "!!set {a, b}", "!!python/none ''",
       "*undefined", "'unterminated", "[1, {a: [2, {b: 3}]}]", "3000万", "-3000万", "12%", "1e5",
       '"\\e[31m红\\e[0m"', '"\\e]0;title\\a"', '"\\e]8;;http://x\\e\\\\"', '"\\x9b2J"', '"a\\x0eb\\x7f"', '"\\x00"']
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
json_values = st.recursive(st.none() | st.booleans() | st.integers(-10**20, 10**20) | text
                           | st.floats(allow_nan=False, allow_infinity=False),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3), max_leaves=8)
yaml_values = st.sampled_from(RAW) | json_values.map(lambda v: json.dumps(v, ensure_ascii=False))


def check_run(*args: str, input: str | None = None) -> None:
    with hang_guard():
        result = invoke(*args, input=input)
    output = result.stdout + result.stderr
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.stderr[-500:])
    assert "内部错误" not in result.stderr, (args, result.stderr[-500:])
    assert not CONTROL.search(output), (args, CONTROL.findall(output))


@functools.cache
def shipped() -> dict:
    """The shipped dataset as plain data, read on first use."""
    return yaml.safe_load(DATASET.read_text(encoding="utf-8"))


def paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from paths(item, (*path, i))


@functools.cache
def fields() -> list[tuple]:
    """The path of every field of the shipped dataset."""
    found = [("policies", i, *p) for i, policy in enumerate(shipped()["policies"]) for p in paths(policy) if p]
    return found + [p for p in paths({k: v for k, v in shipped().items() if k != "policies"}) if p]


DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's emitter when PyYAML has it: the same text, faster


def with_value(path: tuple, raw: str) -> str:
    data = json.loads(json.dumps(shipped(), ensure_ascii=False, default=str))
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = PLACEHOLDER
    return yaml.dump(data, Dumper=DUMPER, allow_unicode=True, sort_keys=False, width=10**6).replace(PLACEHOLDER, raw, 1)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(path=st.deferred(lambda: st.sampled_from(fields())), raw=yaml_values)
def test_any_value_in_any_dataset_field(tmp_path, path, raw):
    data = tmp_path / "fuzzed.yaml"
    data.write_text(with_value(path, raw), encoding="utf-8")
    pid = shipped()["policies"][path[1]]["id"] if path[0] == "policies" else "techretrofit"
    for command in (["validate"], ["list"], ["show", pid, "--format", "json"], ["estimate", pid, "--invest", "3000万"],
                    ["match", "--profile", str(DATASET.parent.parent / "examples" / "company.yaml")], ["contacts"]):
        check_run("--data", str(data), *command)


keys = st.sampled_from([*PROFILE_KEYS, "figures", "unknown_key", "名称"])
figures = st.dictionaries(st.deferred(lambda: st.sampled_from([p["id"] for p in shipped()["policies"]] + ["nope"])),
                          st.dictionaries(st.sampled_from(["cost", "invest", "loan", "signed", "count", "level", "x"]), yaml_values, max_size=3)
                          .map(lambda d: "{" + ", ".join(f"{json.dumps(k)}: {v}" for k, v in d.items()) + "}") | yaml_values,
                          max_size=2).map(lambda d: "{" + ", ".join(f"{json.dumps(k)}: {v}" for k, v in d.items()) + "}")


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(entries=st.lists(st.tuples(keys, yaml_values | figures), max_size=6))
def test_any_profile_shape(tmp_path, entries):
    profile = tmp_path / "fuzzed.yaml"
    profile.write_text("".join(f"{key}: {value}\n" for key, value in entries), encoding="utf-8")
    check_run("match", "--profile", str(profile))
    check_run("match", "--profile", str(profile), "--format", "json")


@pytest.mark.parametrize("raw", RAW)
def test_every_special_scalar_as_a_profile_value(tmp_path, raw):
    profile = tmp_path / "p.yaml"
    for key in ("invest", "signed", "years", "lpr", "entity", "recognitions", "name", "figures"):
        profile.write_text(f"{key}: {raw}\n", encoding="utf-8")
        check_run("match", "--profile", str(profile), "--format", "json")


# --- the web API: any body to any endpoint ------------------------------------------------------

POSTED = ["/api/match", "/match", "/match/profile.yaml"]
READ = ["/api/policies", "/api/policies/{}", "/api/search", "/api/contacts", "/api/estimate", "/api/estimate/{}",
        "/", "/policy/{}", "/contacts", "/contacts.vcf"]
KINDS = ["application/yaml", "text/plain", "application/json", "application/x-www-form-urlencoded",
         "multipart/form-data", "multipart/form-data; boundary=x", "application/octet-stream", ""]
bodies = (st.binary(max_size=300) | yaml_values.map(lambda v: f"entity: {v}\n".encode("utf-8"))
          | st.lists(st.tuples(keys, yaml_values), max_size=4).map(
              lambda kv: "".join(f"{k}: {v}\n" for k, v in kv).encode("utf-8"))
          | text.map(lambda t: t.encode("utf-8", "replace")))


def web_answer(url: str, body: bytes, kind: str, method: str) -> tuple[int, str]:
    import urllib.error
    import urllib.request

    headers = {"Content-Type": kind} if kind else {}
    request = urllib.request.Request(url, data=body, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(POSTED + READ), body=bodies, kind=st.sampled_from(KINDS))
def test_any_body_to_any_endpoint(web_url, path, body, kind):
    """Posted to the endpoints that take a body, and sent as the query value, path part and body of
    a GET to the others: 200, 400, 404 or 413, and a refusal worded in Chinese (the client's
    timeout of 20 s guards against a hang)."""
    from urllib.parse import quote

    value = quote(body.decode("utf-8", "replace")[:200], safe="")
    if path in POSTED:
        method, url = "POST", web_url + path
    else:
        method, url = "GET", web_url + path.format(value or "x") + f"?q={value}&invest={value}"
    status, answer = web_answer(url, body, kind, method)
    assert status in (200, 400, 404, 413), (method, url[:200], kind, body[:100], status, answer[:300])
    if status != 200:
        assert_chinese_refusal(answer)


def assert_chinese_refusal(answer: str) -> None:
    """The refusal's message (JSON `error`, or the page's alert) is Chinese, with no English sentence
    of the framework's in it."""
    if answer.startswith("{"):
        message = json.loads(answer)["error"]
    else:
        message = re.search(r'role="alert">([^<]*)<', answer).group(1)
    assert re.search(r"[\u4e00-\u9fff]", message), message
    assert not re.search(r"[A-Za-z]+ [A-Za-z]+ [A-Za-z]+", message), message


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("path", POSTED)
@pytest.mark.parametrize("body", [b"", b"--x\r\n\r\n", "entity: 企业\n".encode(), b"\xff\xfe\x00"])
def test_every_kind_of_body_to_every_endpoint_that_takes_one(web_url, path, kind, body):
    status, answer = web_answer(web_url + path, body, kind, "POST")
    assert status in (200, 400, 404, 413), (path, kind, body, status, answer[:300])
    if status != 200:
        assert_chinese_refusal(answer)

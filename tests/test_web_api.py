"""/api/: each answer equals what `policy … --format json` prints for the same question, read from
the command line run in-process; refusals carry the CLI's status and its one-line message."""
from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
import yaml
from conftest import invoke


REPO = Path(__file__).resolve().parent.parent
CASES = yaml.safe_load((Path(__file__).parent / "cases" / "web_api.yaml").read_text(encoding="utf-8"))
STATUS_OF_EXIT = {0: 200, 1: 404, 2: 400}


def fetch(url: str, body: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, dict, object]:
    request = urllib.request.Request(url, data=body, headers=headers or {}, method="POST" if body is not None else "GET")
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, dict(response.headers), json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read().decode("utf-8"))


def api_url(base: str, case: dict) -> str:
    path = "/".join(quote(piece) for piece in case["path"].split("/"))
    query = urlencode(case.get("query", {}), doseq=True)
    return base + path + ("?" + query if query else "")


@pytest.mark.parametrize("case", CASES, ids=[" ".join(c["cli"]) for c in CASES])
def test_the_api_answers_as_the_cli(web_url, case, monkeypatch):
    monkeypatch.chdir(REPO)
    cli = invoke(*case["cli"], "--format", "json")
    body = (REPO / case["post"]).read_bytes() if "post" in case else None
    status, _, data = fetch(api_url(web_url, case), body, {"Content-Type": "application/yaml"} if body else None)
    assert status == STATUS_OF_EXIT[cli.exit_code], (cli.exit_code, cli.stderr, data)
    if cli.exit_code == 0:
        assert data == json.loads(cli.stdout)
    else:
        assert (data["code"], data["error"]) == (case["code"], case["error"]), cli.stderr
        assert data["error"].startswith(data["reason"]) and "policy " not in data["error"]


def test_match_takes_an_uploaded_profile_file_as_a_form(web_url):
    profile = (REPO / "tests" / "cases" / "profiles" / "manufacturer.yaml").read_bytes()
    boundary = "----policyclitest"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"profile\"; filename=\"m.yaml\"\r\n"
            f"Content-Type: application/yaml\r\n\r\n").encode() + profile + \
        (f"\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"set\"\r\n\r\nhigh_tech=否\r\n"
         f"--{boundary}--\r\n").encode()
    status, _, data = fetch(web_url + "/api/match", body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})
    cli = invoke("match", "--profile", str(REPO / "tests/cases/profiles/manufacturer.yaml"),
                                   "--set", "high_tech=否", "--format", "json")
    assert status == 200 and cli.exit_code == 0
    assert data == json.loads(cli.stdout)


def test_an_oversized_profile_is_refused_before_it_is_read(web_url):
    status, _, data = fetch(web_url + "/api/match", b"name: x\n" + b"#" * 70_000, {"Content-Type": "application/yaml"})
    assert status == 400
    assert (data["error"], data["code"]) == ("档案须带内容长度且不超过 64 KB", "bad_input")


def test_a_profile_with_a_yaml_tag_is_refused_by_the_safe_loader(web_url):
    status, _, data = fetch(web_url + "/api/match", b"name: !!python/object/apply:os.system [echo hi]\n",
                            {"Content-Type": "application/yaml"})
    assert status == 400
    assert data["error"] == "档案:1: 不允许的 YAML 标签 !!python/object/apply:os.system，企业档案只能包含普通文本、数字、列表和映射"


def test_an_unknown_estimate_input_is_named(web_url):
    status, _, data = fetch(web_url + "/api/estimate/techretrofit?invst=3000%E4%B8%87")
    assert status == 400
    assert data["error"].startswith("未知的输入：invst；可用的输入：invest、major")


def test_unknown_api_paths_answer_in_json(web_url):
    status, headers, data = fetch(web_url + "/api/nothing")
    assert status == 404 and data == {"error": "没有这个页面。请从首页查找政策"}
    assert headers["content-type"].startswith("application/json")


def test_a_profile_posted_as_curl_sends_it_by_default_says_to_name_it_yaml(web_url):
    """`curl --data-binary @档案.yaml` labels the body as a form; the answer says how to send it."""
    profile = (REPO / "tests" / "cases" / "profiles" / "manufacturer.yaml").read_bytes()
    status, _, data = fetch(web_url + "/api/match", profile, {"Content-Type": "application/x-www-form-urlencoded"})
    assert (status, data["code"]) == (400, "bad_input")
    assert data["error"] == ("请求体按表单读取，其中没有 profile 或 set 字段；上传档案 YAML 时请加请求头 "
                             "Content-Type: application/yaml（curl 写作 -H 'Content-Type: application/yaml'）")


def test_set_fields_posted_as_a_form_are_still_matched(web_url):
    from urllib.parse import urlencode

    status, _, data = fetch(web_url + "/api/match", urlencode([("set", "entity=企业"), ("set", "tech_firm=是")]).encode(),
                            {"Content-Type": "application/x-www-form-urlencoded"})
    cli = invoke("match", "--set", "entity=企业", "--set", "tech_firm=是", "--format", "json")
    assert status == 200 and data == json.loads(cli.stdout)


def test_set_fields_posted_without_percent_encoding_are_read_as_utf8(web_url):
    """curl --data 'set=entity=企业' sends the characters as they are; they are not read as Latin-1."""
    status, _, data = fetch(web_url + "/api/match", "set=entity=企业&set=tech_firm=是".encode(),
                            {"Content-Type": "application/x-www-form-urlencoded"})
    cli = invoke("match", "--set", "entity=企业", "--set", "tech_firm=是", "--format", "json")
    assert status == 200 and data == json.loads(cli.stdout)


def test_a_form_body_that_is_not_utf8_is_one_chinese_error(web_url):
    status, _, data = fetch(web_url + "/api/match", "set=entity=企业".encode("gbk"),
                            {"Content-Type": "application/x-www-form-urlencoded"})
    assert (status, data["error"]) == (400, "无法读取提交的表单：内容不是 UTF-8 编码，请按 UTF-8 提交")

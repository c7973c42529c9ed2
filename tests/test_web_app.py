"""The web app's safety and `policy serve`: headers, error pages, upload limits, the vCard, and the
command's messages (missing extra, a port in use, a host open to the network)."""
from __future__ import annotations

import json
import socket
import sys
import urllib.error
import urllib.request
from urllib.parse import quote

import pytest


from conftest import invoke, served

pytest.importorskip("starlette", reason="web extra not installed (pip install '.[web]')")


@pytest.fixture(autouse=True)
def _no_kept_index():
    """`policy serve` run in-process here keeps the search index in memory; other tests must not see it."""
    yield
    from policycli.search.index import keep_in_memory

    keep_in_memory(False)


def get(url: str, data: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, dict, str]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, dict(response.headers), response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode("utf-8")


@pytest.mark.parametrize("path", ["/", "/policy/techretrofit", "/contacts", "/match", "/api/search?q=jsgz", "/nothing",
                                  "/static/app.css"])
def test_every_response_carries_the_security_headers(web_url, path):
    _, headers, _ = get(web_url + path)
    assert headers["content-security-policy"].startswith("default-src 'none'; script-src 'self'; style-src 'self';")
    assert headers["x-content-type-options"] == "nosniff"
    assert headers.get("cache-control") == (None if path.startswith("/static/") else "no-store")


def test_pages_load_nothing_from_elsewhere_and_no_inline_script(web_url):
    for path in ["/", "/policy/techretrofit", "/contacts", "/match"]:
        _, _, html = get(web_url + path)
        assert "http://" not in html and "https://" not in html and "//" not in html.replace("://", "")
        assert "<script>" not in html and " style=" not in html and "<style" not in html


def test_a_profile_of_many_problems_shows_the_first_five_and_the_count_on_the_match_page(web_url):
    boundary = "----policyclitest"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"profile\"; filename=\"m.yaml\"\r\n"
            f"Content-Type: application/yaml\r\n\r\n").encode() + "".join(f"k{i}: 1\n" for i in range(33)).encode() \
        + f"\r\n--{boundary}--\r\n".encode()
    status, _, html = get(web_url + "/match", body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})
    message = html.split('<p class="message" role="alert">', 1)[1].split("</p>", 1)[0]
    assert status == 400 and message.startswith("m.yaml:1: k0: 未知的键；可用的键：name、entity")
    assert "m.yaml:5: k4:" in message and "k5:" not in message
    assert message.endswith("……共 33 处问题，以上是前 5 处")


def test_an_unknown_policy_is_a_404_page_with_the_clis_message(web_url):
    status, _, html = get(web_url + "/policy/" + quote("没有这个政策"))
    cli = invoke("show", "没有这个政策")
    assert status == 404 and cli.exit_code == 2
    assert "<h1>没有这项政策</h1>" in html
    assert cli.stderr == "未找到政策“没有这个政策”。运行 policy list 查看全部编号\n"
    assert '<p class="message" role="alert">未找到政策“没有这个政策”。全部政策见首页</p>' in html  # a page, not a terminal


def test_an_internal_error_is_a_500_page_without_internals(monkeypatch):
    import policycli.search.rank as rank
    from policycli.web.app import make_app

    def broken(*args, **kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(rank, "search", broken)
    with served(make_app()) as url:
        status, headers, html = get(url + "/?q=" + quote("技改"))
        assert status == 500 and headers["content-security-policy"].startswith("default-src 'none'")
        assert "程序内部出错" in html and "secret" not in html and "Traceback" not in html and "RuntimeError" not in html
        status, _, body = get(url + "/api/search?q=x")
        assert status == 500 and body == '{"error":"程序内部出错，请稍后再试；若一再出现，请把操作步骤告诉维护人员"}'


def test_an_oversized_upload_is_refused_with_a_400_page(web_url):
    boundary = "b0undary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"profile\"; filename=\"big.yaml\"\r\n\r\n"
            ).encode() + b"#" * 300_000 + f"\r\n--{boundary}--\r\n".encode()
    status, _, html = get(web_url + "/match", body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert status == 400
    assert "提交的内容太大（超过 256 KB）；企业档案文件一般只有几 KB，请检查是否选错了文件" in html


def test_a_search_too_long_is_refused_as_the_cli_refuses_it(web_url):
    from policycli.search.rank import MAX_QUERY

    query = "补贴" * (MAX_QUERY // 2) + "补"
    cli = invoke("search", query)
    status, _, body = get(web_url + "/api/search?q=" + quote(query))
    assert cli.exit_code == 2 and status == 400
    data = json.loads(body)
    assert cli.stderr == f"{data['reason']}，例如 policy search 数据中心\n"
    assert (data["code"], data["error"]) == ("query_too_long", data["reason"] + "，例如 /api/search?q=数据中心")
    status, _, _ = get(web_url + "/api/search?q=" + quote(query[:-1]))
    assert status == 200


def test_a_profile_file_over_64kb_is_refused(web_url):
    boundary = "b0undary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"profile\"; filename=\"big.yaml\"\r\n\r\n"
            ).encode() + b"#" * 70_000 + f"\r\n--{boundary}--\r\n".encode()
    status, _, html = get(web_url + "/match", body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert status == 400 and "big.yaml: 档案文件太大（超过 64 KB），请检查是否选错了文件" in html


def test_the_vcard_download_is_the_clis_vcard(web_url):
    status, headers, card = get(web_url + "/contacts.vcf?q=" + quote("信息化"))
    cli = invoke("contacts", "信息化", "--format", "vcard")
    assert status == 200 and card == cli.stdout_bytes.decode("utf-8")
    assert headers["content-disposition"].startswith("attachment;")


def test_the_whole_directory_downloads_as_ten_cards(web_url):
    _, _, card = get(web_url + "/contacts.vcf")
    assert card == invoke("contacts", "--format", "vcard").stdout_bytes.decode("utf-8") and card.count("BEGIN:VCARD") == 10


def test_serve_without_the_web_extra_says_how_to_install(monkeypatch, no_run):
    for name in ["starlette", *(m for m in sys.modules if m.startswith("starlette."))]:
        monkeypatch.setitem(sys.modules, name, None)  # as if never installed: importing it fails
    for name in [m for m in sys.modules if m.startswith("policycli.web")]:
        monkeypatch.delitem(sys.modules, name)
    result = invoke("serve")
    assert result.exit_code == 2
    assert no_run == []
    assert result.stderr == "policy serve 需要网页组件，请先安装：pip install 'policycli[web]'（在源码目录中为 pip install '.[web]'）\n"


@pytest.fixture
def no_run(monkeypatch):
    """uvicorn's run loop replaced by a record of the sockets it was given."""
    import uvicorn

    given: list = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets=None: given.extend(sockets or []))
    yield given
    for sock in given:
        sock.close()


def test_serve_binds_loopback_by_default(no_run):
    result = invoke("serve", "--port", "0")
    assert result.exit_code == 2 and "--port" in result.stderr  # 0 is not a port one can open in a browser
    result = invoke("serve", "--port", str(free_port()))
    assert result.exit_code == 0, result.output
    assert no_run[0].getsockname()[0] == "127.0.0.1"
    assert result.stderr.startswith("政策查询网页：http://127.0.0.1:") and "注意" not in result.stderr


def test_serve_builds_the_search_index_before_it_answers_anyone(no_run, tmp_path, monkeypatch):
    """After an update (a cache from other code) or an edited list, the index is built as the
    server starts, not by the first search someone sends; the server then only reads it."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("POLICY_CACHE_DIR", str(cache))
    result = invoke("serve", "--port", str(free_port()))
    assert result.exit_code == 0, result.output
    assert len(no_run) == 1 and len(list(cache.glob("search-*.entry"))) == 1  # built before the run loop


def test_serve_on_another_host_says_so_in_one_line(no_run):
    result = invoke("serve", "--host", "0.0.0.0", "--port", str(free_port()))
    assert result.exit_code == 0, result.output
    first, second = result.stderr.splitlines()
    assert first == "注意：网页对 0.0.0.0 开放，同一网络中的其他电脑也能访问"
    assert second.startswith("政策查询网页：http://127.0.0.1:")


def test_serve_says_in_one_line_which_draft_of_the_library_it_leaves_out(no_run, tmp_path, monkeypatch):
    from pathlib import Path

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))
    draft = Path(__file__).resolve().parent.parent / "examples" / "draft-2024-batch1.yaml"
    assert invoke("lists", "add", draft, "--name", "草稿").exit_code == 0
    result = invoke("serve", "--port", str(free_port()))
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[1:] == [
        "网页中未查草稿清单“草稿”（编号、标题等草拟内容待确认）；要查它：policy --list 草稿 serve"]
    named = invoke("--list", "草稿", "serve", "--port", str(free_port()))
    assert named.exit_code == 0 and len(named.stderr.splitlines()) == 1


def ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as sock:
            sock.bind(("::1", 0))
        return True
    except OSError:
        return False


@pytest.mark.skipif(not ipv6_loopback(), reason="this machine has no IPv6 loopback (::1)")
@pytest.mark.parametrize("typed", ["[::1]", "::1"])
def test_an_ipv6_host_is_taken_with_or_without_brackets(no_run, typed):
    port = free_port()
    result = invoke("serve", "--host", typed, "--port", str(port))
    assert result.exit_code == 0, result.output
    assert no_run[0].getsockname()[0] == "::1"
    assert result.stderr == f"政策查询网页：http://[::1]:{port}/（按 Ctrl-C 停止）\n"


@pytest.mark.parametrize("typed", ["[::1", "::1]", "[fe80::zz]"])
def test_an_ipv6_host_that_cannot_be_read_says_how_to_write_one(no_run, typed):
    result = invoke("serve", "--host", typed, "--port", str(free_port()))
    assert (result.exit_code, no_run) == (2, [])
    assert result.stderr == (f"--host {typed}: 无法识别这个地址；本机使用请省略 --host（默认 127.0.0.1）；"
                             "IPv6 地址写作 --host ::1 或 --host [::1]\n")


@pytest.mark.parametrize("port", ["", "abc", "0", "99999", "-1"])
def test_a_port_that_is_none_says_what_a_port_is(no_run, port):
    result = invoke("serve", "--port", port)
    assert (result.exit_code, no_run) == (2, [])
    assert result.stderr == f"--port 的值“{port}”不是可用的端口号：请写 1 到 65535 之间的整数，如 --port 8000\n"


def test_a_port_in_use_is_one_line_said_before_the_lists_are_read(monkeypatch):
    from policycli.web import app

    monkeypatch.setattr(app, "ready_app", lambda *args: pytest.fail("the lists read for a port in use"))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = invoke("serve", "--port", str(port))
    assert result.exit_code == 2
    assert result.stderr == f"无法在 127.0.0.1:{port} 上启动（端口已被占用）；换一个端口，如 --port {port + 1}\n"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


ESTIMATES = [
    ("techretrofit", {"invest": "3000万"}),
    ("techretrofit", {"invest": "3亿", "major": "1"}),
    ("techretrofit", {"invest": "8000万"}),
    ("loansubsidy", {"loan": "800万", "signed": "2024-03"}),
    ("smartcommunity", {"level": "标杆型", "count": "2"}),
    ("newrnd", {"level": "省级优秀,市级优秀"}),
    ("ipopool", {"rd": "1500万", "rd_last": "1000万"}),
    ("training", {}),
]


@pytest.mark.parametrize("policy, given", ESTIMATES, ids=[f"{p} {' '.join(g.values())}" for p, g in ESTIMATES])
def test_the_estimate_page_words_the_amount_as_the_cli(web_url, policy, given):
    import html as entities
    import re

    from policycli.web.forms import FLAGS

    options = [a for name, value in given.items()
               for a in (["--" + name] if name in FLAGS else ["--" + name.replace("_", "-"), value])]
    cli = invoke("estimate", policy, *options)
    assert cli.exit_code == 0, cli.output
    query = "&".join(f"{k}={quote(v)}" for k, v in given.items())
    status, _, page = get(f"{web_url}/policy/{policy}?estimate=1&{query}")
    assert status == 200
    (words,) = re.findall(r'<strong id="amount">(.*?)</strong>', page)
    words = re.sub(r'</?span[^>]*>', "", words)  # each amount in a span that keeps it on one line
    flat = re.sub(r"\s+", "", cli.stdout)
    assert "估算金额" + re.sub(r"\s+|<[^>]+>", "", entities.unescape(words)) in flat


def message_of(page: str) -> str:
    import html as entities
    import re

    (text,) = re.findall(r'<p class="message" role="alert">([^<]*)</p>', page)
    return entities.unescape(text)


@pytest.mark.parametrize("path, expected", [
    ("/policy/techretrofit?estimate=1&invest=" + quote("很多"),
     "年度设备投资额：“很多”不是金额，请写成 30000000、3000万 或 0.3亿"),
    ("/policy/techretrofit?estimate=1&invest=", "请填写“年度设备投资额”后再估算（带 * 的为必填）"),
    ("/policy/loansubsidy?estimate=1&loan=" + quote("1000万"),
     "请填写“贷款合同签订月份”（填了“指定 LPR（代替公布值）”时可不填）后再估算（带 * 的为必填）"),
    ("/policy/smartcommunity?estimate=1&count=2", "请填写“智慧社区类型”后再估算（带 * 的为必填）"),
    ("/policy/iiplatform?estimate=1", "请至少填写“新入选平台类型”或“揭榜挂帅场景数量”中的一项后再估算"),
])
def test_estimate_form_messages_name_the_fields_not_the_command_options(web_url, path, expected):
    status, _, page = get(web_url + path)
    assert status == 400
    assert message_of(page) == expected


def text_of(page: str) -> str:
    """The page without its tags (amounts are wrapped in spans)."""
    import re

    return re.sub(r"<[^>]+>", "", page)


@pytest.mark.parametrize("policy_id, said", [
    ("iiplatform", "定额1000万元或100万元＋每个场景最高100万元"), ("newrnd", "约200万元＋最高50万元"),
    ("loansubsidy", "按LPR计"), ("training", "项目补助最高30万元＋绩效优秀奖励最高30万元"),
])
def test_the_policy_page_labels_the_amount_as_the_cli_does(web_url, policy_id, said):
    _, _, page = get(web_url + f"/policy/{policy_id}")
    assert "最高额度" not in page
    assert f"奖补额度{said}" in text_of(page)
    assert said in invoke("show", policy_id, columns=120).stdout


def test_a_phone_to_verify_says_its_note_once(web_url):
    for path in ("/contacts?q=" + quote("刘永华"), "/policy/startuploan"):
        _, _, page = get(web_url + path)
        said = text_of(page)
        assert "0352-85161772\n（核实提示：原文所列电话区号为0352（山西大同），青岛区号为0532，拨打前请向区工信局核实。）" in said
        assert said.count("核实提示") == 1 and "需核实：" not in said


def test_the_estimate_note_asks_to_tick_the_box_not_to_add_an_option(web_url):
    status, _, page = get(web_url + "/policy/techretrofit?estimate=1&invest=" + quote("3000万"))
    page = text_of(page)
    assert status == 200
    assert "注：若属于重大技改项目，可视情最高可达 2000万元：勾选“属于重大技改项目”后再估算" in page
    assert "--major" not in page


def test_a_part_left_out_says_which_box_counts_it(web_url):
    status, _, page = get(web_url + "/policy/training?estimate=1")
    page = text_of(page)
    assert status == 200
    assert "注：绩效优秀奖励（最高30万元）未计入：如适用，勾选“绩效评价等次为优秀”后再估算" in page
    assert "--excellent" not in page
    _, _, page = get(web_url + "/policy/iiplatform?estimate=1&count=2")
    page = text_of(page)
    assert "注：平台奖励（定额1000万元或100万元）未计入：如适用，选择“新入选平台类型”后再估算" in page


def test_a_bad_amount_on_the_match_form_names_the_field_once(web_url):
    body = ("entity=" + quote("企业") + "&invest=abc").encode()
    status, _, page = get(web_url + "/match", data=body,
                          headers={"content-type": "application/x-www-form-urlencoded"})
    assert status == 400
    assert message_of(page) == "年度设备投资额：“abc”不是金额，请写成 30000000、3000万 或 0.3亿"


@pytest.mark.parametrize("path", ["/", "/match", "/contacts", "/policy/techretrofit"])
def test_pages_point_to_nothing_a_browser_cannot_open(web_url, path):
    """The page is for people without the source tree: no 'see docs/…' they cannot follow."""
    status, _, page = get(web_url + path)
    assert status == 200
    assert "docs/" not in page


@pytest.mark.parametrize("path, expected", [
    ("/policy/nosuch", "未找到政策“nosuch”。全部政策见首页"),
    ("/policy/99", "没有序号为 99 的政策（第一部分只有 15 项），序号见首页的政策列表"),
    ("/?q=" + quote("养老服务"), "没有找到与“养老服务”相关的政策。换个说法再试，或在首页查看全部政策"),
    ("/contacts?q=" + quote("养老服务科"), "全部联系人见联系人页（清空查询框）"),
])
def test_a_page_says_where_to_look_not_which_command_to_run(web_url, path, expected):
    _, _, page = get(web_url + path)
    message = message_of(page)
    assert message.endswith(expected) and "policy " not in message, message


def test_the_api_words_its_errors_with_addresses_and_a_machine_code(web_url):
    status, _, body = get(web_url + "/api/policies/nosuch")
    assert status == 400
    assert json.loads(body) == {"error": "未找到政策“nosuch”。全部编号见 /api/policies", "reason": "未找到政策“nosuch”",
                                "code": "unknown_policy", "field": "ref", "value": "nosuch", "next": "policy_ids"}


def post_match(web_url: str, pairs: list[tuple[str, str]]) -> tuple[int, str]:
    from urllib.parse import urlencode

    status, _, page = get(web_url + "/match", data=urlencode(pairs).encode(),
                          headers={"content-type": "application/x-www-form-urlencoded"})
    return status, page


def groups_of(page: str) -> dict[str, int]:
    import re

    return {label: int(n) for label, n in re.findall(r'<h2 class="group-\w+">(\S+?)（(\d+) 项）</h2>', page)}


def test_the_match_form_can_say_none_of_the_recognitions(web_url):
    """Without that box a firm with no 认定 could never get past 待确认 on 14 policies."""
    _, unknown = post_match(web_url, [("entity", "企业")])
    status, none = post_match(web_url, [("entity", "企业"), ("recognitions", "无")])
    assert status == 200
    assert groups_of(unknown) == {"可申请": 1, "待确认": 19, "不符合": 0}
    assert groups_of(none)["待确认"] < 19 and groups_of(none)["不符合"] > 0
    assert "recognitions: []" in none  # kept in the profile to download
    status, both = post_match(web_url, [("entity", "企业"), ("recognitions", "无"), ("recognitions", "省级产业大脑")])
    assert status == 400
    assert message_of(both) == "认定与入选：勾选了“以上都没有”，又勾选了其中的项，请只选一种"


@pytest.mark.parametrize("pairs, expected", [
    ([("entity", "企业"), ("vrcenter.cost", "很多")], "建设费用：“很多”不是金额，请写成 30000000、3000万 或 0.3亿"),
    ([("entity", "合作社")], "主体类型：“合作社”不是可选值，应为以下之一：企业、个体工商户、"),
    ([("entity", "企业"), ("signed", "三月")], "贷款合同签订月份：“三月”不是年月，请写成 2024-03 这样的形式"),
])
def test_a_value_the_match_form_cannot_read_is_named_by_its_field_not_as_a_setting(web_url, pairs, expected):
    status, page = post_match(web_url, pairs)
    assert status == 400
    assert message_of(page).startswith(expected) and "设置" not in message_of(page)


def test_the_match_page_names_facts_and_policies_in_chinese_only(web_url):
    status, page = post_match(web_url, [("entity", "企业"), ("retrofit", "是"), ("above_scale", "是"),
                                        ("manufacturer", "是")])
    assert status == 200
    assert "还需确认：认定与入选</p>" in page and "（recognitions）" not in page
    assert "金额未知，缺少：年度设备投资额" in page and "（invest）" not in page
    assert "金额未计入（缺少数据）：技术改造设备投资奖补。" in page


def test_a_bare_amount_under_wan_on_the_match_page_says_it_was_read_as_yuan(web_url):
    query = "&".join(f"{k}={quote('是')}" for k in ("retrofit", "above_scale", "manufacturer")) + "&invest=3000"
    status, _, page = get(web_url + "/match?" + query)
    assert status == 200
    assert "注：年度设备投资额按元计：3000 即 3,000.00 元（0.3万元）；若指 3000万元，请写 3000万" in text_of(page)
    status, _, page = get(web_url + "/match?" + query.replace("invest=3000", "invest=" + quote("3000万")))
    assert status == 200 and "按元计" not in text_of(page)


def test_the_match_form_asks_who_applies_first_then_what_it_did_then_the_loan(web_url):
    """A person answers who applies and what it is, then what it did, then the loan and its repayment."""
    import re

    status, _, page = get(web_url + "/match")
    assert status == 200
    asked = list(dict.fromkeys(re.findall(r'id="f-([a-z_]+)"', page)))
    assert asked == ["name", "entity", "manufacturer", "above_scale", "high_tech", "tech_firm", "specialized", "ic_industry",
                     "graduate", "retrofit", "base_accepted", "data_center", "instruments", "loan_mode", "repaid"]


def test_the_results_page_says_how_many_policies_meaning_has_not_been_compared_with(catalog, monkeypatch):
    """A question read by meaning over a library new to the cache compares part of it in a run:
    the page says how many policies are left, as the command does."""
    from types import SimpleNamespace

    from policycli.search.results import Hit, SearchResult
    from policycli.web import api, pages
    from policycli.web.html import templates

    found = SearchResult("실감 미디어 공간", (Hit(catalog.policies[0], 1.0, 1.0, (), semantic=True),), 1, pending=9968)
    monkeypatch.setattr(api, "run_search", lambda request: found)
    rendered = {}
    monkeypatch.setattr(pages, "page", lambda request, name, status, **context: rendered.update(context, name=name))
    monkeypatch.setattr(pages, "catalog_of", lambda request: catalog)
    pages.home(SimpleNamespace(query_params={"q": "실감 미디어 공간"}))
    html = templates().get_template("home.html").render(catalog=catalog, request=None, **rendered)
    assert "另有 9968 项政策尚未按意思比较过（每次搜索接着比较一部分，稍后再搜一次会更全）。" in html
    assert "policy" not in html.split("另有 9968")[1].split("</p>")[0]  # a page names no command

"""Attacks on the real `policy serve`, in a child process on 127.0.0.1: another site's name pointed
at this machine (DNS rebinding), another site's form posting to the API, one local program holding
hundreds of half-sent requests at a low descriptor limit, a profile of 9,520 unknown keys beside a
concurrent search, the framework's own error words, a client hanging up mid-body, and control and
bidi characters in the data. Loopback only; every loop is bounded."""
from __future__ import annotations

import json
import re
import resource
import socket
import threading
import time
from urllib.parse import quote

import pytest

pytest.importorskip("uvicorn", reason="web extra not installed (pip install '.[web]')")

from servers import exchange, free_port, policy_serve  # noqa: E402

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def request(method: str, path: str, host: str = "127.0.0.1", body: bytes = b"", **headers: str) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", "Connection: close"]
    lines += [f"{name.replace('_', '-')}: {value}" for name, value in headers.items()]
    if body or method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8") + body


@pytest.fixture(scope="module")
def server(web_url):
    """The port of the session's `policy serve` (conftest.web_url)."""
    return int(web_url.rsplit(":", 1)[1])


# --- DNS rebinding: only the server's own names ---------------------------------------------------

@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1.evil.example", "localhost.evil"])
@pytest.mark.parametrize("path", ["/", "/api/search?q=" + quote("技改")])
def test_another_sites_name_gets_no_answer(server, host, path):
    status, headers, body = exchange(server, request("GET", path, host=host.format(port=server)))
    assert status == 400
    text = body.decode("utf-8")
    assert "地址不对" in text and "技术改造" not in text
    if path.startswith("/api/"):
        assert json.loads(text) == {"error": "地址不对：请用 http://127.0.0.1:端口/ 或启动时显示的地址打开本网页"}
    assert headers["content-security-policy"].startswith("default-src 'none'")


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "[::1]:{port}", "LOCALHOST.:{port}"])
def test_the_servers_own_names_are_answered(server, host):
    status, _, body = exchange(server, request("GET", "/api/search?q=" + quote("技改"), host=host.format(port=server)))
    assert status == 200 and json.loads(body)[0]["id"] == "techretrofit"


def test_the_name_given_with_host_is_answered_and_no_other():
    """--host names the machine by a name of its own: that name is answered, another is not; on
    all interfaces (0.0.0.0) an address is answered, since no other site's name is one."""
    from policycli.web.guard import Guard

    port = free_port()

    guard = Guard(None, "policy-host.local")
    assert guard.own_host(f"policy-host.local:{port}") and guard.own_host("127.0.0.1")
    assert not guard.own_host("evil.example") and not guard.own_host("10.0.0.5")
    everywhere = Guard(None, "0.0.0.0")
    assert everywhere.own_host("192.168.1.20:8000") and not everywhere.own_host("evil.example:8000")


def test_names_a_reverse_proxy_passes_are_answered_when_listed(monkeypatch):
    from policycli.web.guard import Guard

    monkeypatch.setenv("POLICY_HOSTS", "zc.example.gov.cn, 政策.example")
    guard = Guard(None)
    assert guard.own_host("zc.example.gov.cn") and guard.own_host("政策.example:443")
    assert not guard.own_host("evil.example")
    assert guard.same_origin({b"host": b"zc.example.gov.cn", b"origin": b"https://zc.example.gov.cn"})
    assert not guard.same_origin({b"host": b"zc.example.gov.cn", b"origin": b"https://evil.example"})


# --- another site's form or fetch -------------------------------------------------------------------

PROFILE = "entity: 企业\ntech_firm: 是\n".encode("utf-8")


@pytest.mark.parametrize("headers", [
    {"Origin": "http://evil.example"},
    {"Origin": "null"},
    {"Origin": "http://evil.example", "Sec_Fetch_Site": "cross-site"},
    {"Sec_Fetch_Site": "cross-site"},
    {"Sec_Fetch_Site": "same-site"},
])
@pytest.mark.parametrize("path", ["/api/match", "/match", "/match/profile.yaml"])
def test_a_cross_origin_post_is_refused(server, headers, path):
    status, _, body = exchange(server, request("POST", path, body=PROFILE, Content_Type="text/plain", **headers))
    assert status == 403
    assert "不接受其他网站发来的提交" in body.decode("utf-8")


def test_the_pages_own_post_and_a_program_without_origin_are_answered(server):
    own = {"Origin": f"http://127.0.0.1:{server}", "Sec_Fetch_Site": "same-origin"}
    for headers in (own, {}, {"Origin": f"http://127.0.0.1:{server}"}):
        status, _, body = exchange(server, request("POST", "/api/match", host=f"127.0.0.1:{server}", body=PROFILE,
                                                   Content_Type="application/yaml", **headers))
        assert status == 200 and json.loads(body)[0]["status"], headers


# --- one request must not hold the server ---------------------------------------------------------

def unknown_keys_profile(limit: int = 64 * 1024) -> tuple[bytes, int]:
    """The audit's profile: as many unknown keys as fit in 64 KB."""
    lines, size = [], 0
    while size + len(line := f"k{len(lines)}:\n") <= limit:
        lines.append(line)
        size += len(line)
    return "".join(lines).encode(), len(lines)


def test_a_profile_of_unknown_keys_gets_a_short_answer_and_a_search_beside_it_is_answered(server):
    """The audit's profile sent while a search is asked: both are answered, the refusal in a few lines.
    (How long they take is left to benchmarks/, as for every time.)"""
    body, keys = unknown_keys_profile()
    answers: dict[str, tuple] = {}

    def post() -> None:
        answers["profile"] = exchange(server, request("POST", "/api/match", body=body, Content_Type="application/yaml"),
                                      timeout=60)

    poster = threading.Thread(target=post)
    poster.start()
    time.sleep(0.05)
    status, _, found = exchange(server, request("GET", "/api/search?q=" + quote("技改")))
    poster.join(timeout=60)
    assert status == 200 and json.loads(found)[0]["id"] == "techretrofit"
    status, _, answer = answers["profile"]
    message = json.loads(answer)["error"]
    assert status == 400 and len(answer) < 4096, len(answer)
    assert message.startswith("档案:1: k0: 未知的键；可用的键：name、entity")
    assert message.endswith(f"……共 {keys:,} 处问题，以上是前 5 处")


def half_sent_requests(port: int, count: int) -> list[socket.socket]:
    """`count` connections, opened all at once as a hostile program would (the server's backlog is
    small: one after the other, each refused connection would wait a second to try again), each
    sending the start of a request's headers and never the rest."""
    import selectors

    pending = selectors.DefaultSelector()
    for _ in range(count):
        sock = socket.socket()
        sock.setblocking(False)
        sock.connect_ex(("127.0.0.1", port))
        pending.register(sock, selectors.EVENT_WRITE)
    held: list[socket.socket] = []
    while len(held) < count:
        ready = pending.select(timeout=30)
        assert ready, f"only {len(held)} of {count} connections were accepted"
        for key, _ in ready:
            sock = key.fileobj
            pending.unregister(sock)
            assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0
            sock.setblocking(True)
            sock.settimeout(5)
            sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            held.append(sock)
    pending.close()
    return held


def test_a_thousand_half_sent_requests_at_a_low_descriptor_limit_lock_no_one_out():
    """At a descriptor limit of 256, one local program holds 400 connections that never finish their
    headers; another client is still answered (not left waiting until its timeout)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 1024:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(1024, hard), hard))
    with policy_serve(nofile=256) as (port, process):
        held = []
        try:
            held = half_sent_requests(port, 400)
            # locked out, it would wait until the timeout (or be reset at once)
            status, _, body = exchange(port, request("GET", "/api/search?q=" + quote("技改")), timeout=10)
        finally:
            for sock in held:
                sock.close()
        assert status == 200 and json.loads(body)[0]["id"] == "techretrofit"
        assert process.poll() is None
    assert "Traceback" not in process.stderr.read().decode("utf-8", "replace")


def test_headers_not_finished_in_time_close_the_connection(monkeypatch):
    import uvicorn

    from policycli.web import connections
    from policycli.web.app import make_app

    monkeypatch.setattr(connections, "HEADER_TIMEOUT", 0.3)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(make_app(), http=connections.protocol_class(), log_level="critical",
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 15
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        port = sock.getsockname()[1]
        with socket.create_connection(("127.0.0.1", port), timeout=5) as slow:
            slow.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            assert slow.recv(1024) == b""  # closed by the server before the socket's 5 s timeout
        status, _, _ = exchange(port, request("GET", "/api/estimate"))
        assert status == 200
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        from policycli.search.index import keep_in_memory

        keep_in_memory(False)


def test_requests_beyond_the_bound_in_flight_are_answered_busy_at_once():
    """MAX_IN_FLIGHT requests being worked on: the next is answered 503 in Chinese, not queued."""
    import asyncio

    from policycli.web.guard import MAX_IN_FLIGHT, Guard

    async def scenario() -> list[int]:
        release = asyncio.Event()

        async def slow_app(scope, receive, send):
            await release.wait()
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b""})

        guard = Guard(slow_app)
        statuses: list[int] = []
        bodies: list[bytes] = []

        async def call() -> None:
            async def send(message):
                if message["type"] == "http.response.start":
                    statuses.append(message["status"])
                else:
                    bodies.append(message.get("body", b""))

            scope = {"type": "http", "method": "GET", "path": "/api/search", "headers": [(b"host", b"127.0.0.1:8000")]}
            await guard(scope, None, send)

        calls = [asyncio.create_task(call()) for _ in range(MAX_IN_FLIGHT + 1)]
        await asyncio.sleep(0.05)
        busy = list(statuses)
        release.set()
        await asyncio.gather(*calls)
        assert json.loads(bodies[0]) == {"error": "服务器正忙，请稍后再试"}
        return busy + [len(statuses)]

    assert asyncio.run(scenario()) == [503, MAX_IN_FLIGHT + 1]


# --- the framework's words, a client hanging up, the console --------------------------------------

def multipart(boundary: str, fields: int) -> bytes:
    return "".join(f"--{boundary}\r\nContent-Disposition: form-data; name=\"f{i}\"\r\n\r\nx\r\n"
                   for i in range(fields)).encode() + f"--{boundary}--\r\n".encode()


@pytest.mark.parametrize("path", ["/match", "/api/match"])
@pytest.mark.parametrize("kind, body", [
    ("multipart/form-data", multipart("b", 2)),  # no boundary given
    ("multipart/form-data; boundary=b", multipart("b", 300)),  # too many fields
    ("application/x-www-form-urlencoded", "&".join(f"f{i}=x" for i in range(300)).encode()),
])
def test_the_frameworks_errors_are_worded_in_chinese(server, path, kind, body):
    status, _, answer = exchange(server, request("POST", path, body=body, Content_Type=kind))
    text = answer.decode("utf-8")
    assert status == 400
    assert "Missing boundary" not in text and "Too many" not in text and "multipart" not in text
    assert "无法读取提交的" in text


def test_an_invalid_request_line_is_answered_in_chinese(server):
    status, _, body = exchange(server, b"GET / HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n")
    assert status == 400 and body.decode("utf-8") == "请求格式不正确，无法读取"


def test_a_client_hanging_up_mid_body_prints_no_traceback():
    with policy_serve() as (port, process):
        for path in ("/api/match", "/match"):
            with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
                sock.sendall(b"POST " + path.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                             b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 5000\r\n\r\nentity=")
                time.sleep(0.2)
        assert exchange(port, request("GET", "/api/estimate"))[0] == 200
    console = process.stderr.read().decode("utf-8", "replace")
    assert "Traceback" not in console and "Error" not in console, console


# --- control and bidi characters in the data, on the pages ----------------------------------------


def test_control_and_bidi_characters_in_the_data_are_shown_visibly(write_dataset, dataset_dict):
    """In <title>, <h1> and a contact line, as the terminal shows them: `\u202e`, `\x1b`."""
    import urllib.request

    from conftest import served

    from policycli.web.app import make_app

    first = dataset_dict["policies"][0]
    first["title"] = "技术改造\u202e奖补\x1b[31m"
    dataset_dict["offices"][0]["contact"] = "薛\u202e广妍"
    path = write_dataset(dataset_dict)
    with served(make_app(path)) as url:
        page = urllib.request.urlopen(f"{url}/policy/{first['id']}", timeout=20).read().decode("utf-8")
        contacts = urllib.request.urlopen(f"{url}/contacts", timeout=20).read().decode("utf-8")
    for html in (page, contacts):
        assert "\u202e" not in html and "\x1b" not in html
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1)
    assert "技术改造\\u202e奖补\\x1b[31m" in title and "技术改造\\u202e奖补\\x1b[31m" in heading
    assert "薛\\u202e广妍" in page and "薛\\u202e广妍" in contacts

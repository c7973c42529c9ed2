"""What a request must be for the local server to act on it, checked before the app sees it:

- its `Host` is one of the server's own names (127.0.0.1, localhost, [::1], the `--host` given,
  the names in $POLICY_HOSTS for a reverse proxy that passes its own; any address literal when
  listening on all interfaces): a page of another site whose name was made to point to 127.0.0.1
  (DNS rebinding) gets no answer;
- a request that is not a plain read (POST …) comes from the server's own pages: a browser's
  `Origin` is this server and its `Sec-Fetch-Site` is same-origin (or none: typed, bookmarked); a
  form or `fetch` of another site is refused, even as `text/plain`;
- at most MAX_IN_FLIGHT requests are worked on at once; more are answered 503 at once;
- a client that hangs up mid-request ends that request quietly, and nothing escaping the app
  prints a traceback on the console unless POLICY_DEBUG is set.

Refusals are answered in Chinese: JSON under /api/, a short page elsewhere.
"""
from __future__ import annotations

import ipaddress
import json
import os
import sys
from html import escape
from typing import Any

LOCAL_NAMES = ("127.0.0.1", "localhost", "::1")
WILDCARDS = ("0.0.0.0", "::", "")
READS = ("GET", "HEAD", "OPTIONS")
MAX_IN_FLIGHT = 64

WRONG_HOST = "地址不对：请用 http://127.0.0.1:端口/ 或启动时显示的地址打开本网页"
CROSS_SITE = "不接受其他网站发来的提交：请直接在本网页上操作"
BUSY = "服务器正忙，请稍后再试"


def host_name(value: str) -> str:
    """The name in a Host header or an origin's authority, without port, brackets or final dot."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else value
    if value.count(":") == 1:
        value = value.split(":", 1)[0]
    return value.rstrip(".")


def is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class Guard:
    """ASGI middleware applying the rules above to every HTTP request."""

    def __init__(self, app: Any, host: str = "127.0.0.1") -> None:
        self.app = app
        self.proxied = {host_name(name) for name in os.environ.get("POLICY_HOSTS", "").split(",")} - {""}
        self.names = {*LOCAL_NAMES, host_name(host), *self.proxied} - {""}
        self.any_address = host in WILDCARDS
        if self.any_address:
            import socket

            self.names |= {host_name(socket.gethostname()), host_name(socket.getfqdn())} - {""}
        self.in_flight = 0

    def own_host(self, value: str | None) -> bool:
        if value is None:
            return True  # HTTP/1.0 without Host: not a browser
        name = host_name(value)
        return name in self.names or (self.any_address and is_address(name))

    def same_origin(self, headers: dict[bytes, bytes]) -> bool:
        site = headers.get(b"sec-fetch-site")
        if site is not None:  # every current browser sends it
            return site.decode("latin-1").lower() in ("same-origin", "none")
        origin = headers.get(b"origin")
        if origin is None:
            return True  # not sent by a browser's form or fetch of another site
        host = headers.get(b"host", b"").decode("latin-1").lower()
        origin_text = origin.decode("latin-1").lower()
        if origin_text.startswith("https://") and host_name(origin_text[8:]) in self.proxied:
            return True  # the proxy's page, served over https under a name of $POLICY_HOSTS
        return origin_text == f"http://{host}" and self.own_host(host)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        host = headers.get(b"host")
        if not self.own_host(None if host is None else host.decode("latin-1")):
            await refuse(scope, send, 400, WRONG_HOST)
            return
        if scope["method"] not in READS and not self.same_origin(headers):
            await refuse(scope, send, 403, CROSS_SITE)
            return
        if self.in_flight >= MAX_IN_FLIGHT:
            await refuse(scope, send, 503, BUSY)
            return
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        except Exception as exc:  # noqa: BLE001 - the app has answered (500); the console gets one line
            from starlette.requests import ClientDisconnect

            if os.environ.get("POLICY_DEBUG"):
                raise
            if not isinstance(exc, ClientDisconnect):
                print(f"网页请求 {scope['method']} {scope['path'][:200]} 出错（{type(exc).__name__}）；"
                      "设置 POLICY_DEBUG=1 可看详细信息", file=sys.stderr)
        finally:
            self.in_flight -= 1


async def refuse(scope: Any, send: Any, status: int, message: str) -> None:
    if scope["path"].startswith("/api/"):
        body, kind = json.dumps({"error": message}, ensure_ascii=False).encode("utf-8"), b"application/json"
    else:
        body = (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>出错了</title></head>'
                f'<body><p role="alert">{escape(message)}</p></body></html>').encode("utf-8")
        kind = b"text/html; charset=utf-8"
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})

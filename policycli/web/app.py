"""The ASGI application: routes, security headers, error pages, and `serve` for `policy serve`."""
from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..errors import NotFound, PolicyError, named
from ..load import load_chosen
from .html import page, templates

HERE = Path(__file__).resolve().parent
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")

# Only the app's own files: no inline script or style, nothing from another origin.
SECURITY_HEADERS = [
    (b"content-security-policy",
     b"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
     b"form-action 'self'; base-uri 'none'; frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    # "same-origin", not "no-referrer": under the latter a browser sends `Origin: null` with the
    # app's own form posts, which then cannot be told from another site's (see guard.py).
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]
NO_STORE = [(b"cache-control", b"no-store")]


class SecurityHeaders:
    """Adds SECURITY_HEADERS to every response, error pages included."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        # Answers may hold a company's figures: no copy kept by the browser or a proxy.
        extra = SECURITY_HEADERS if scope["path"].startswith("/static/") else SECURITY_HEADERS + NO_STORE

        async def sending(message: Any) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        await self.app(scope, receive, sending)


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def bounded_message(lines: list[str] | tuple[str, ...], given: list[str]) -> str:
    """The core's lines as one answer of bounded size (`wording.bounded`), any long value of the
    request (`given`) that they quote clipped."""
    from ..dataset.text import clip_echoes
    from .wording import bounded

    return bounded(lines, lambda line: clip_echoes(line, given))


def request_values(request: Request) -> list[str]:
    """What the client wrote into the address: query values and the parts of the path."""
    return [*(v for _, v in request.query_params.multi_items()), *map(str, request.path_params.values())]


async def policy_error(request: Request, exc: Exception) -> Response:
    """Bad input or nothing found: the core's Chinese message in the API's or the page's words."""
    from .wording import for_the_api, on_a_page

    assert isinstance(exc, PolicyError)
    status = 404 if isinstance(exc, NotFound) else 400
    given = request_values(request)
    if wants_json(request):
        return JSONResponse(for_the_api(exc, lambda lines: bounded_message(lines, given)), status_code=status)
    message = on_a_page(exc, lambda lines: bounded_message(lines, given))
    return page(request, "error.html", status, title="未找到" if status == 404 else "输入有误", message=message)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    # The framework's own details are English ("Missing boundary in multipart."): never shown.
    messages = {400: "无法读取提交的内容（格式不对，或项数、大小超出限制），请用网页上的表单重新提交",
                404: "没有这个页面。请从首页查找政策", 405: "不支持这种请求方式", 413: "上传的内容太大"}
    message = messages.get(exc.status_code, "请求有误")
    if wants_json(request):
        return JSONResponse({"error": message}, status_code=exc.status_code)
    return page(request, "error.html", exc.status_code, title="出错了", message=message)


async def internal_error(request: Request, exc: Exception) -> Response:
    """No internals: no traceback, no exception text (set POLICY_DEBUG=1 to see them on the console)."""
    if os.environ.get("POLICY_DEBUG"):
        import traceback

        traceback.print_exception(exc, file=sys.stderr)
    message = "程序内部出错，请稍后再试；若一再出现，请把操作步骤告诉维护人员"
    if wants_json(request):
        return JSONResponse({"error": message}, status_code=500)
    return page(request, "error.html", 500, title="程序内部出错", message=message)


def make_app(data: str | os.PathLike[str] | None = None, lists: tuple[str, ...] = (), host: str = "127.0.0.1",
             progress: Callable[[int, int], None] | None = None) -> Any:
    """The application over the dataset chosen by `data` or $POLICY_DATA, else over the library's
    lists (those named in `lists`, all when empty; `progress` told how far their reading has got),
    answering requests addressed to `host` (and the loopback names)."""
    from .guard import Guard
    from ..search.index import keep_in_memory
    from . import api, pages

    keep_in_memory()  # a server searches many times: read the index from the cache once
    catalog = load_chosen(data, lists, progress)
    routes = [
        Route("/", pages.home),
        Route("/policy/{ref}", pages.policy),
        Route("/contacts", pages.contacts),
        Route("/contacts.vcf", pages.contacts_vcard),
        Route("/match", pages.match, methods=["GET", "POST"]),
        Route("/match/profile.yaml", pages.profile_download, methods=["POST"]),
        Route("/api/policies", api.policies),
        Route("/api/policies/{ref}", api.policy),
        Route("/api/search", api.search),
        Route("/api/contacts", api.contacts),
        Route("/api/estimate", api.estimable),
        Route("/api/estimate/{ref}", api.estimate),
        Route("/api/match", api.match, methods=["GET", "POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(routes=routes, exception_handlers={
        PolicyError: policy_error, HTTPException: http_error, Exception: internal_error})
    app.state.catalog = catalog
    app.state.templates = templates()
    return SecuredApp(Guard(app, host), app.state)


class SecuredApp(SecurityHeaders):
    """The guarded Starlette app wrapped by the security headers (outermost, so 500 pages and
    refusals get them too)."""

    def __init__(self, app: Any, state: Any) -> None:
        super().__init__(app)
        self.state = state


def check_host(host: str) -> str:
    """The address `--host` names, an IPv6 address in URL brackets ([::1]) taken out of them; one
    that can be no address (a control character, a name over 253 characters or a label over 63) is
    a one-line error before anything starts."""
    from ..dataset.text import clipped, has_controls
    from ..errors import InputError

    host_mark = named("host", "地址")
    name = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    if has_controls(name, keep="") or not name.strip() or len(name) > 253 \
            or any(len(label) > 63 for label in name.rstrip(".").split(".")):
        raise InputError(f"{host_mark} {clipped(host)}: 不是有效的地址（含控制字符、空白或过长）；"
                         f"本机使用请省略 {host_mark}（默认 127.0.0.1），局域网使用如 {host_mark} 0.0.0.0",
                         code="bad_host", field="host")
    return name


def ready_app(data: str | None, lists: tuple[str, ...], address: str, bars: Callable[[str], Any] | None = None) -> Any:
    """`make_app`, its search index built (or read from the cache) before the first request, not by
    it: the first run after an update or an edited list is the server's to wait for, on a second
    core too (`built_alongside`). `bars("reading")` and `bars("indexing")` give the context of a
    progress callback for each, drawn meanwhile."""
    from contextlib import nullcontext

    from ..search.alongside import built_alongside
    from ..search.index import index_for

    drawn = bars or (lambda step: nullcontext())
    with built_alongside():
        with drawn("reading") as progress:
            app = make_app(data, lists, address, progress)
        with drawn("indexing") as progress:
            index_for(app.state.catalog, progress)
    return app


def _bound(host: str, address: str, port: int) -> Any:
    """A socket bound to `address` and `port` (`host` as typed), or a one-line InputError."""
    import socket

    from ..errors import InputError, os_reason

    host_mark, port_mark = named("host", "地址"), named("port", "端口")
    try:
        family = socket.getaddrinfo(address, port, type=socket.SOCK_STREAM)[0][0]
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((address, port))
    except (socket.gaierror, UnicodeError, ValueError):  # not a name; a label idna cannot encode; a NUL
        ipv6 = f"；IPv6 地址写作 {host_mark} ::1 或 {host_mark} [::1]" if ":" in address else ""
        raise InputError(f"{host_mark} {host}: 无法识别这个地址；本机使用请省略 {host_mark}（默认 127.0.0.1）{ipv6}",
                         code="bad_host", field="host") from None
    except OSError as exc:
        import errno

        hint = (f"换一个端口，如 {port_mark} {port + 1 if port < 65535 else 8000}" if exc.errno == errno.EADDRINUSE
                else f"检查 {host_mark} 是否是本机的地址，本机使用请省略 {host_mark}" if exc.errno == errno.EADDRNOTAVAIL
                else f"换一个 1024 以上的端口，如 {port_mark} 8000" if exc.errno == errno.EACCES else f"检查 {host_mark} 和 {port_mark}")
        bracketed = f"[{address}]" if ":" in address else address
        raise InputError(f"无法在 {bracketed}:{port} 上启动（{os_reason(exc)}）；{hint}") from None
    return sock


def serve(host: str, port: int, open_browser: bool, data: str | None, lists: tuple[str, ...] = (),
          notes: Callable[[Any], list[str]] | None = None, bars: Callable[[str], Any] | None = None) -> None:
    """Run until Ctrl-C. The socket is bound here, so a port in use is a one-line error: said
    before the lists are read (the port is tried first, then bound once they are: the children
    that index them are not given it). `notes` gives the lines said about the dataset served (its
    catalog) after the address; `bars` as `ready_app` draws them."""
    import uvicorn

    address = check_host(host)
    _bound(host, address, port).close()
    app = ready_app(data, lists, address, bars)
    sock = _bound(host, address, port)
    shown = {"0.0.0.0": "127.0.0.1", "::": "[::1]"}.get(address, f"[{address}]" if ":" in address else address)
    url = f"http://{shown}:{port}/"
    if address not in LOCAL_HOSTS:
        print(f"注意：网页对 {address} 开放，同一网络中的其他电脑也能访问", file=sys.stderr)
    print(f"政策查询网页：{url}（按 Ctrl-C 停止）", file=sys.stderr)
    for line in notes(app.state.catalog) if notes else ():
        print(line, file=sys.stderr)
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(0.5, webbrowser.open, [url]).start()
    from .connections import Guarded, open_limit, protocol_class

    Guarded.limit = open_limit()
    # log_level "error": uvicorn's English warnings (an invalid request) stay off the console; a
    # small backlog: one turn of the loop accepts no more connections than the reserve allows.
    config = uvicorn.Config(app, http=protocol_class(), log_level="error", access_log=False, lifespan="off",
                            backlog=32)
    uvicorn.Server(config).run(sockets=[sock])

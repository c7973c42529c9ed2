"""Connections to `policy serve`: how long a client may take to send a request's headers, and how
many connections stay open, so that one local program holding many half-sent requests cannot lock
everyone else out (uvicorn bounds neither: a connection waits for its headers for ever, and at the
descriptor limit the server stops accepting anyone).

- A request's headers must be complete within HEADER_TIMEOUT seconds of the connection opening or
  of the first byte of the next request on a kept-alive connection; otherwise it is closed.
- At most `open_limit()` connections are open (the descriptor limit less a reserve for the files
  the server itself opens). A new connection beyond it closes the longest-waiting connection that
  has no request in progress; when every connection is busy, the new one is closed instead.
"""
from __future__ import annotations

import functools
import resource
from typing import Any

HEADER_TIMEOUT = 10.0  # seconds; a browser sends its headers in one packet
RESERVE = 64  # descriptors kept for the data, templates, static files and the listening socket
BAD_REQUEST = "请求格式不正确，无法读取".encode("utf-8")


def open_limit() -> int:
    """How many connections may be open at once under this process's descriptor limit."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return 4096
    return max(8, min(4096, soft - RESERVE))


@functools.cache
def protocol_class() -> type:
    """uvicorn's fast protocol (httptools, which the `web` extra installs) or else its h11 one,
    with `Guarded` in front."""
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as base
    except ImportError:
        from uvicorn.protocols.http.h11_impl import H11Protocol as base
    return type("GuardedProtocol", (Guarded, base), {})


class Guarded:
    """A deadline for headers, a bound on open connections and uvicorn's 400 in Chinese, for either
    of uvicorn's HTTP protocols (both keep the request being answered as `cycle`)."""

    limit: int | None = None  # set by `serve`; None: `open_limit()` when the first connection opens

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)  # type: ignore[misc]
        self.opened = self.loop.time()  # type: ignore[attr-defined]
        self.header_timer: Any = None
        self._arm_header_timer()
        self._make_room()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)  # type: ignore[misc]
        if self.transport.is_closing():  # type: ignore[attr-defined]
            return
        if self.waiting:  # part of a request's headers
            self._arm_header_timer()
        else:
            self._disarm_header_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_header_timer()
        super().connection_lost(exc)  # type: ignore[misc]

    def send_400_response(self, msg: str) -> None:  # noqa: ARG002 - uvicorn's English words
        self.transport.write(  # type: ignore[attr-defined]
            b"HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain; charset=utf-8\r\nconnection: close\r\n"
            b"content-length: " + str(len(BAD_REQUEST)).encode() + b"\r\n\r\n" + BAD_REQUEST)
        self.transport.close()  # type: ignore[attr-defined]

    @property
    def waiting(self) -> bool:
        """No request being answered: its headers are not complete yet, or it is idle between requests."""
        cycle = self.cycle  # type: ignore[attr-defined]
        return cycle is None or cycle.response_complete

    def _arm_header_timer(self) -> None:
        if self.header_timer is None:
            self.header_timer = self.loop.call_later(HEADER_TIMEOUT, self._headers_too_slow)  # type: ignore[attr-defined]

    def _disarm_header_timer(self) -> None:
        if self.header_timer is not None:
            self.header_timer.cancel()
            self.header_timer = None

    def _headers_too_slow(self) -> None:
        self.header_timer = None
        if self.waiting and not self.transport.is_closing():  # type: ignore[attr-defined]
            self.transport.close()  # type: ignore[attr-defined]

    def _make_room(self) -> None:
        """Over the limit: close the connection that has waited longest without a request."""
        if Guarded.limit is None:
            Guarded.limit = open_limit()
        open_now = [c for c in self.connections if not c.transport.is_closing()]  # type: ignore[attr-defined]
        if len(open_now) <= Guarded.limit:
            return
        waiting = [c for c in open_now if c is not self and isinstance(c, Guarded) and c.waiting]
        victim = min(waiting, key=lambda c: c.opened) if waiting else self
        victim.transport.close()  # type: ignore[attr-defined]

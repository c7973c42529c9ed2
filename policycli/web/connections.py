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

import resource
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_TIMEOUT = 10.0  # seconds; a browser sends its headers in one packet
RESERVE = 64  # descriptors kept for the data, templates, static files and the listening socket
BAD_REQUEST = "请求格式不正确，无法读取".encode("utf-8")


def open_limit() -> int:
    """How many connections may be open at once under this process's descriptor limit."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return 4096
    return max(8, min(4096, soft - RESERVE))


class GuardedProtocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for headers, a bound on open connections and its
    own 400 answer in Chinese."""

    limit: int | None = None  # set by `serve`; None: `open_limit()` when the first connection opens

    def connection_made(self, transport: Any) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.opened = self.loop.time()
        self.header_timer: Any = None
        self._arm_header_timer()
        self._make_room()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.transport.is_closing():
            return
        if self.conn.their_state is h11.IDLE:  # part of a request's headers, or nothing yet
            self._arm_header_timer()
        else:
            self._disarm_header_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_header_timer()
        super().connection_lost(exc)

    def send_400_response(self, msg: str) -> None:  # noqa: ARG002 - uvicorn's English reason
        headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"connection", b"close")]
        for event in (h11.Response(status_code=400, headers=headers, reason=b"Bad Request"),
                      h11.Data(data=BAD_REQUEST), h11.EndOfMessage()):
            try:
                self.transport.write(self.conn.send(event))
            except h11.LocalProtocolError:
                break
        self.transport.close()

    @property
    def waiting(self) -> bool:
        """No request in progress: headers not yet complete, or idle between requests."""
        return self.conn.their_state is h11.IDLE and (self.cycle is None or self.cycle.response_complete)

    def _arm_header_timer(self) -> None:
        if self.header_timer is None:
            self.header_timer = self.loop.call_later(HEADER_TIMEOUT, self._headers_too_slow)

    def _disarm_header_timer(self) -> None:
        if self.header_timer is not None:
            self.header_timer.cancel()
            self.header_timer = None

    def _headers_too_slow(self) -> None:
        self.header_timer = None
        if self.waiting and not self.transport.is_closing():
            self.transport.close()

    def _make_room(self) -> None:
        """Over the limit: close the connection that has waited longest without a request."""
        if GuardedProtocol.limit is None:
            GuardedProtocol.limit = open_limit()
        open_now = [c for c in self.connections if not c.transport.is_closing()]
        if len(open_now) <= GuardedProtocol.limit:
            return
        waiting = [c for c in open_now if c is not self and isinstance(c, GuardedProtocol) and c.waiting]
        victim = min(waiting, key=lambda c: c.opened) if waiting else self
        victim.transport.close()

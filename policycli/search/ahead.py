"""Child processes that take on part of a first run's indexing, on a second core (see
`alongside.built_alongside`): when one may be made, making it, giving it its lists when it was
forked before they were read, the words it sends back, how far it has got (`tell`, `await_child`),
and waiting for it (or stopping it) before this process ends. Only with `os.fork`, a cache dir
(where a child leaves what it makes), two cores or more and no other thread running.
"""
from __future__ import annotations

import math
import os
from collections.abc import Callable
from typing import Any

from ..dataset import cache


class Child:
    """A child process indexing lists (their digests, in the library's order) and storing their
    indexes; for a library's lists, `words` is the pipe on which it sends their own words first;
    for a child forked before its lists were read, `job` is the pipe on which it is given them and
    `wants` says what it waits for (a library's first lists, or one list); `told` is the pipe on
    which it (and any child of its own) tells the policies it has indexed (`tell`)."""

    __slots__ = ("pid", "lists", "words", "job", "wants", "told", "sent")

    def __init__(self, pid: int, lists: tuple[str, ...], words: int = -1, job: int = -1, wants: str = "",
                 told: int = -1) -> None:
        self.pid, self.lists, self.words, self.job, self.wants, self.told = pid, lists, words, job, wants, told
        self.sent: set[str] = set()  # the lists passed on to it before its job was whole (`pass_on`)


_AHEAD: list[Child] = []  # the children indexing lists now
_AHEAD_WAITED: list[bool] = []  # whether this process waits, at exit, for the children left
_HELD: list[Any] = []  # the signals held before forking
_TELLING: list[int] = []  # in a child: the pipe on which it tells its progress


def may_fork() -> bool:
    """Whether a child may take work on: none does yet, this process may run on two cores, no
    other thread runs."""
    import threading

    return (not _AHEAD and hasattr(os, "fork") and threading.active_count() == 1 and _cores() >= 2
            and cache.cache_dir() is not None)


def forked(lists: tuple[str, ...], words: int = -1, job: int = -1, wants: str = "") -> int:
    """Fork a child to index `lists`: its pid here, 0 in the child (which must call `child_begins`
    first thing within the code that ends it with `os._exit`), -1 when it cannot be made. Ctrl-C
    is held off meanwhile, so that the child is in its own code when one comes."""
    import signal

    told, telling = _progress_pipe()
    _HELD[:] = [signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})]
    try:
        pid = os.fork()
    except OSError:
        pid = -1
    if pid == 0:
        _AHEAD.clear()  # not this process's children
        os.close(told)
        _TELLING[:] = [telling]
        return 0
    signal.pthread_sigmask(signal.SIG_SETMASK, _HELD[0])
    os.close(telling)
    if pid < 0:
        for fd in (words, job, told):
            if fd >= 0:
                os.close(fd)
        return pid
    if not _AHEAD_WAITED:  # a child whose indexes are never asked for is still waited for
        import atexit

        atexit.register(lambda: [await_child(child) for child in list(_AHEAD)])
        _AHEAD_WAITED.append(True)
    _AHEAD.append(Child(pid, lists, words, job, wants, told))
    return pid


def _progress_pipe() -> tuple[int, int]:
    """A pipe for a child's progress, its writing end never blocking: a child whose parent does
    not read it (no bar is drawn) loses a few counts rather than wait."""
    reader, writer = os.pipe()
    os.set_blocking(writer, False)
    return reader, writer


def tell(policies: int) -> None:
    """In a child: `policies` more are indexed (nothing when the parent reads no more of it)."""
    if _TELLING and policies > 0:
        try:
            os.write(_TELLING[0], b"%d\n" % policies)
        except OSError:  # a full pipe, or a parent that no longer reads it
            pass


def telling() -> Callable[[int, int], None]:
    """In a child: a progress callback (done, total of one job) that tells the policies done since
    it was last called."""
    last = [0]

    def told(done: int, total: int) -> None:
        tell(done - last[0])
        last[0] = max(last[0], done)

    return told


def forked_own(work: Callable[[], bool]) -> int:
    """In a child: fork a child of its own that runs `work` and ends (exit 0 when `work` returns
    True); its pid here, -1 when it cannot be made."""
    try:
        pid = os.fork()
    except OSError:
        return -1
    if pid == 0:
        code = 1
        try:
            code = 0 if work() else 1
        finally:
            os._exit(code)
    return pid


def child_begins() -> None:
    """In a child, within the code that ends it (`os._exit`): Ctrl-C as before the fork, and
    stopping it (SIGTERM, `await_child`) unwinds what it is doing, so that an entry it is writing
    leaves no temporary file (`dataset.cache.store`)."""
    import signal

    signal.signal(signal.SIGTERM, stopped)
    signal.pthread_sigmask(signal.SIG_SETMASK, _HELD[0])


def stopped(*_: Any) -> None:
    """A child's SIGTERM handler: end what it is doing (its code ends it with `os._exit`)."""
    raise SystemExit(1)


def stopping_too(pid: int) -> None:
    """In a child that has forked a child of its own (`pid`): stopping it stops that one too."""
    import signal

    def stop(*_: Any) -> None:
        os.kill(pid, signal.SIGTERM)
        stopped()

    signal.signal(signal.SIGTERM, stop)


def child_of(digest: str) -> Child | None:
    """The child indexing this list, if there is one."""
    return next((c for c in _AHEAD if digest in c.lists), None)


def sending_words(digests: set[str]) -> Child | None:
    """The child indexing some of these lists (`digests`) that has words to send, if there is one."""
    return next((c for c in _AHEAD if c.words >= 0 and digests.issuperset(c.lists)), None)


def large_pipe() -> tuple[int, int]:
    """A pipe for a child's words or job, made large where the system allows (1 MiB on Linux), so
    that the one writing seldom waits for the one reading."""
    reader, writer = os.pipe()
    try:
        import fcntl

        fcntl.fcntl(writer, fcntl.F_SETPIPE_SZ, 1 << 20)
    except (ImportError, AttributeError, OSError):
        pass
    return reader, writer


def send_words(writer: int, words: list[str]) -> None:
    """In a child: send the words (JSON) and close the pipe; the parent reads them all at once."""
    import json

    data = json.dumps(words, ensure_ascii=False).encode("utf-8")
    with os.fdopen(writer, "wb") as pipe:
        pipe.write(data)


def words_sent(child: Child) -> list[str] | None:
    """The words the child sent (it has closed the pipe), or None when it did not send them whole."""
    words, child.words = child.words, -1
    return words_read(words)


def words_read(words: int) -> list[str] | None:
    """The words sent on the pipe `words` (read to its end, and closed), or None when they did not
    come whole."""
    import json

    with os.fdopen(words, "rb") as pipe:
        data = pipe.read()
    try:
        sent = json.loads(data.decode("utf-8"))
    except ValueError:
        return None
    return sent if type(sent) is list and all(type(w) is str for w in sent) else None


def waiting(wants: str) -> Child | None:
    """The child forked before its lists were read that `wants` them ("lists", "list"), not given
    them yet, if there is one."""
    return next((c for c in _AHEAD if c.job >= 0 and c.wants == wants), None)


def pass_on(child: Child, digest: str, piece: Any) -> None:
    """Give a waiting child one list before its job is whole (`piece`: data that `marshal` writes),
    as soon as it is read, so that it may begin on it; the child may get it again in its job."""
    if child.job >= 0 and _written(child, _framed(piece)):
        child.sent.add(digest)


def give(child: Child, lists: tuple[str, ...], job: Any) -> None:
    """Give a waiting child its lists (their digests) and what it needs of them (`job`: data
    that `marshal` writes), closing the pipe: the child reads it all as it comes."""
    child.lists = lists
    if child.job < 0 or not _written(child, _framed(job)):
        child.lists = ()  # the child has ended: it leaves nothing, and its lists are indexed here
        return
    os.close(child.job)
    child.job = -1


def _framed(piece: Any) -> bytes:
    """A piece of a job as the pipe carries it: its length (8 bytes), then it as `marshal` writes it."""
    import marshal

    data = marshal.dumps(piece)
    return len(data).to_bytes(8, "little") + data


def _written(child: Child, data: bytes) -> bool:
    """Write `data` whole on the child's job pipe; False (the pipe closed) when the child has ended."""
    view = memoryview(data)
    try:
        while view:
            view = view[os.write(child.job, view):]
    except OSError:
        os.close(child.job)
        child.job = -1
        return False
    return True


class Job:
    """In a child forked before its lists were read: its job, read from the pipe meanwhile (the
    parent never waits to write it), piece by piece as the parent gives them (`pass_on`, `give`)."""

    def __init__(self, job: int) -> None:
        import collections
        import threading

        self.pieces: collections.deque[Any] = collections.deque()
        self.whole = False  # the pipe is closed: every piece is in `pieces`
        self._came = threading.Condition()
        self._reader = threading.Thread(target=self._read, args=(job,), daemon=True)
        self._reader.start()

    def _read(self, job: int) -> None:
        import marshal

        rest = bytearray()
        with os.fdopen(job, "rb", buffering=0) as pipe:
            while chunk := pipe.read(1 << 20):
                rest += chunk
                while len(rest) >= 8 and len(rest) >= 8 + (size := int.from_bytes(rest[:8], "little")):
                    try:
                        piece = marshal.loads(rest[8 : 8 + size])
                    except (EOFError, ValueError, TypeError):
                        piece = None
                    del rest[: 8 + size]
                    with self._came:
                        self.pieces.append(piece)
                        self._came.notify()
        with self._came:
            self.whole = True
            self._came.notify()

    def next(self) -> Any:
        """The next piece, once it has come; None at the end of the pipe (or for a piece that did
        not come whole). At the end the reader has stopped: this process runs no other thread."""
        with self._came:
            while not self.pieces and not self.whole:
                self._came.wait()
            if self.pieces:
                return self.pieces.popleft()
        self._reader.join()
        return None

    def ended(self) -> None:
        """Wait for the end of the pipe (the parent closes it once the job is given): then this
        process runs no other thread, and may fork."""
        self._reader.join()


def await_child(child: Child, stop: bool = False, progress: Callable[[int], None] | None = None) -> None:
    """Wait for a child to end (or `stop` it first); words it has not sent are not wanted, and a
    child still waiting for its lists is given none. `progress` is told the policies it has
    indexed, as it tells them, until it (and any child of its own) has ended."""
    _AHEAD.remove(child)
    for name in ("words", "job"):
        if getattr(child, name) >= 0:
            os.close(getattr(child, name))  # a child still sending gets a broken pipe; one waiting, nothing
            setattr(child, name, -1)
    if stop:
        import signal

        os.kill(child.pid, signal.SIGTERM)
    elif progress is not None and child.told >= 0:
        _follow(child.told, progress)
    os.waitpid(child.pid, 0)
    if child.told >= 0:  # closed once it has ended: it never writes to a closed pipe
        os.close(child.told)
        child.told = -1


def _follow(told: int, progress: Callable[[int], None]) -> None:
    """Tell `progress` the sum of the counts read from `told`, as they come, to its end."""
    done, rest = 0, b""
    while chunk := os.read(told, 4096):
        *counts, rest = (rest + chunk).split(b"\n")
        done += sum(int(c) for c in counts if c.isdigit())
        progress(done)


def stop_all() -> None:
    """Stop every child and wait for it."""
    while _AHEAD:
        await_child(_AHEAD[0], stop=True)


def _cores() -> int:
    """The cores this process may run on: its CPU affinity (where the system tells it), fewer
    when its control group's CPU quota allows fewer (a container run with `--cpus=1`).

    A child is forked on a machine of two cores or more however busy it is: the scheduler shares
    the cores among the processes that can run, so a first run in two processes gets more of
    them than one. With one other process keeping a core of two busy, a first run over 10,000
    policies took 3.95 s in one process and 3.42 s with its children; with two such processes,
    5.77 and 4.94 s (benchmarks/RESULTS.md)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # no affinity to ask (macOS)
        cores = os.cpu_count() or 1
    quota = _cpu_quota()
    return cores if quota is None else max(1, min(cores, math.ceil(quota)))


CPU_QUOTA = ("/sys/fs/cgroup/cpu.max",  # cgroup v2: "QUOTA PERIOD", or "max PERIOD"
             "/sys/fs/cgroup/cpu/cpu.cfs_quota_us", "/sys/fs/cgroup/cpu/cpu.cfs_period_us")  # v1: -1 for none


def _cpu_quota() -> float | None:
    """The CPUs' worth of time this process's control group may use (1.5 for a quota of 150 ms
    every 100 ms), or None when it has no quota or none can be read."""
    def read(path: str) -> list[str]:
        try:
            with open(path, encoding="ascii") as file:
                return file.read().split()
        except (OSError, UnicodeDecodeError):
            return []

    try:
        found = read(CPU_QUOTA[0])
        if len(found) == 2:
            return None if found[0] == "max" else int(found[0]) / int(found[1])
        quota, period = read(CPU_QUOTA[1]), read(CPU_QUOTA[2])
        if len(quota) == 1 and len(period) == 1 and int(quota[0]) > 0:
            return int(quota[0]) / int(period[0])
    except (ValueError, ZeroDivisionError):
        pass
    return None

"""Shared fixtures: the shipped catalog, the official text, one way to run the command in-process
(`invoke`), dataset files to break, and an environment of the tests' own (never the user's cache,
data, XDG directories or terminal settings)."""
from __future__ import annotations

import contextlib
import copy
import functools
import os
import re
import shlex
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
import typer.main
import yaml
from typer.testing import CliRunner, Result

from policycli.load import load_catalog

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
DATASET = REPO / "data" / "policies.yaml"
OFFICIAL_COPY = TESTS / "fixtures" / "policy-list-2024-batch1.txt"
OFFICIAL_SHARED = REPO.parent / "shared" / "source" / "policy-list-2024-batch1.txt"


def official_source() -> Path:
    """The official list from ../shared when present, else the copy kept with the tests."""
    return OFFICIAL_SHARED if OFFICIAL_SHARED.is_file() else OFFICIAL_COPY


def official_items(path: Path) -> dict[tuple[int, int], dict[str, str]]:
    """Split the official text into {(part, number): {content, lead}} independently of the loader."""
    lines = [re.sub(r"\[bookmark: [^\]]*\]", "", l).strip() for l in path.read_text(encoding="utf-8").splitlines()]
    items, part = {}, 1
    for i, line in enumerate(lines):
        if line.startswith("二、"):
            part = 2
        if line.isdigit():
            items[(part, int(line))] = {"content": lines[i + 1], "lead": lines[i + 2]}
    return items


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="write the outputs of tests/golden/cases.yaml into tests/golden/ instead of comparing them")


# --- running in parallel: `pytest -n auto` (pytest-xdist) ------------------------------------------

# Modules run on the same worker as each other because they share a costly session resource: the
# semantic model and the vectors of the shipped list and of the draft (2.5 s to embed).
SAME_WORKER = {"tests/test_semantic.py": "semantic", "tests/test_search_languages.py": "semantic"}


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist: pytest without it runs the suite too
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """`-n`: each module's tests run on one worker, as with `--dist loadfile` (its module fixtures,
    such as the browser, are set up once), and the modules of SAME_WORKER on the same one. Another
    `--dist` asked for is used as asked."""
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ByModule(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::")[0]
            return SAME_WORKER.get(module, module)

    return ByModule(config, log)


# What the person running pytest may have set and the command reads: none of it reaches a test.
USER_ENVIRONMENT = re.compile(r"(POLICY_|XDG_).*|NO_COLOR|FORCE_COLOR|CLICOLOR.*|COLUMNS|LINES|TTY_COMPATIBLE"
                              r"|TTY_INTERACTIVE|_POLICY_COMPLETE|_TYPER_.*")


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory):
    """The session runs without the user's POLICY_*, XDG_* and terminal variables, with
    POLICY_CACHE_DIR pointing at a temp dir shared by the session and an empty library of lists of
    its own (XDG_DATA_HOME: never the developer's ~/.local/share)."""
    saved = {k: v for k, v in os.environ.items() if USER_ENVIRONMENT.fullmatch(k)}
    for key in saved:
        del os.environ[key]
    os.environ["POLICY_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    os.environ["XDG_DATA_HOME"] = str(tmp_path_factory.mktemp("data-home"))
    yield
    os.environ.pop("POLICY_CACHE_DIR", None)
    os.environ.pop("XDG_DATA_HOME", None)
    os.environ.update(saved)


@pytest.fixture(autouse=True)
def _plain_terminal_environment(monkeypatch: pytest.MonkeyPatch):
    """Every test starts from the same terminal environment whatever the shell running pytest has
    (TERM=dumb, NO_COLOR, a narrow COLUMNS); a test that assumes something else sets it itself."""
    monkeypatch.setenv("TERM", "xterm-256color")
    for name in ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "POLICY_DEBUG"):
        monkeypatch.delenv(name, raising=False)


# --- running the command in-process ----------------------------------------------------------------


@functools.cache
def policy_command() -> Any:
    """The Click command of `policy`, built once: Typer builds it anew on every CliRunner.invoke,
    which is half the time of a short run."""
    from policycli.cli.app import app

    return typer.main.get_command(app)


class PolicyRunner(CliRunner):
    """Typer's CliRunner running the command built once (`policy_command`); `app` is accepted for
    the signature's sake and must be policycli's."""

    def invoke(self, app: Any = None, args: str | Sequence[str] | None = None, input: bytes | str | None = None,
               env: Mapping[str, str | None] | None = None, catch_exceptions: bool = True, color: bool = False,
               **extra: Any) -> Result:
        command = policy_command()
        args = shlex.split(args) if isinstance(args, str) else [str(a) for a in args or ()]
        exit_code, exception, exc_info, value = 0, None, None, None
        with self.isolation(input=input, env=env, color=color) as (stdout, stderr, output):
            try:
                value = command.main(args=args, prog_name=extra.pop("prog_name", "policy"), **extra)
            except SystemExit as exc:
                code = 0 if exc.code is None else exc.code
                exit_code = code if isinstance(code, int) else 1
                exception, exc_info = (exc, sys.exc_info()) if code else (None, None)
            except Exception as exc:  # noqa: BLE001 - as CliRunner: the result carries it
                if not catch_exceptions:
                    raise
                exit_code, exception, exc_info = 1, exc, sys.exc_info()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                streams = stdout.getvalue(), stderr.getvalue(), output.getvalue()
        return Result(runner=self, stdout_bytes=streams[0], stderr_bytes=streams[1], output_bytes=streams[2],
                      return_value=value, exit_code=exit_code, exception=exception, exc_info=exc_info)


RUNNER = PolicyRunner()


def cli_lines(error: Any) -> list[str]:
    """A core error as the command line words it (options, commands), for tests of the engines whose
    cases are written in those words."""
    from policycli.cli.wording import lines

    return lines(error)


def cli_words(error: Any) -> str:
    return "\n".join(cli_lines(error))


def invoke(*args: Any, input: str | bytes | None = None, env: Mapping[str, str | None] | None = None,
           columns: int | None = None) -> Result:
    """`policy ARGS` in-process, as a user runs it; `columns` sets the terminal width."""
    if columns is not None:
        env = {**(env or {}), "COLUMNS": str(columns)}
    fresh_table_words()
    return RUNNER.invoke(None, list(args), input=input, env=env)


def fresh_table_words() -> None:
    """Forget the word cuts the tables learnt in earlier runs of this process (each search run adds
    the index's cuts of its titles): a run in-process breaks its cells as a run of its own would,
    whatever ran before, and the lookups do not pile up."""
    from policycli.cli.render import layout

    layout._CUT_ALREADY.clear()
    layout._SEGMENTED.clear()


@contextlib.contextmanager
def hang_guard(seconds: float = 10):
    """Turn a run that never ends (a read that blocks) into a failure instead of a stuck test session."""
    import signal

    if not hasattr(signal, "setitimer"):
        yield
        return

    def stop(*_):
        raise TimeoutError(f"run took over {seconds} s")

    old = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@functools.cache
def shipped_catalog():
    """The shipped catalog, loaded on first use and shared by the session (a test module never
    loads one when it is imported: collection stays quick)."""
    return load_catalog(DATASET)


@pytest.fixture(scope="session")
def catalog():
    return shipped_catalog()


@pytest.fixture(scope="session")
def official():
    return official_items(official_source())


@functools.cache
def _shipped_dict() -> dict:
    return yaml.safe_load(DATASET.read_text(encoding="utf-8"))


def shipped_dict() -> dict:
    """The shipped dataset as a plain dict of the test's own, to modify (parsed once a session)."""
    return copy.deepcopy(_shipped_dict())


def dump_dataset(data: Any, path: Path) -> Path:
    """`data` (a dict, or the text or bytes of a file) written to `path` as a dataset file."""
    if isinstance(data, (bytes, str)):
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    else:
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def dataset_dict():
    """The shipped dataset as a plain dict, to modify and write elsewhere."""
    return shipped_dict()


@pytest.fixture
def write_dataset(tmp_path):
    def write(data, name="policies.yaml") -> Path:
        return dump_dataset(data, tmp_path / name)

    return write


# --- the web app: one server per session, and a headless Chromium of the system ----------------

def _system_chromium() -> str:
    """Debian's chromium-headless-shell when installed, else its chromium: the shell is Chromium's
    headless build (what Playwright itself drives by default), without the browser's window machinery,
    and runs the browser tests on a third of the CPU."""
    shell = "/usr/bin/chromium-headless-shell"
    return shell if os.access(shell, os.X_OK) else "/usr/bin/chromium"


CHROMIUM = os.environ.get("CHROMIUM") or _system_chromium()
# --renderer-process-limit=1: the pages of every test share one renderer process instead of each
# starting its own (each test still has a browser context, with its own storage, of its own)
CHROMIUM_ARGS = ["--renderer-process-limit=1", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def web_url(_private_cache):
    """`policy serve` itself, in a child process on a free loopback port."""
    pytest.importorskip("uvicorn", reason="web extra not installed (pip install '.[web]')")
    from servers import policy_serve

    with policy_serve() as (port, server):
        yield f"http://127.0.0.1:{port}"
    server.stderr.close()


@contextlib.contextmanager
def served(app):
    """`app` served by uvicorn in a thread of this process, for tests that change the core's
    behaviour in-process; yields the base URL."""
    import socket
    import threading
    import time

    import uvicorn

    from policycli.search.index import keep_in_memory

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="critical", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the web server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        keep_in_memory(False)  # what make_app turned on must not follow into other tests


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium from the system's packages; Playwright is never asked to download one.
    One per module: Playwright's sync API keeps its event loop marked running on the main thread
    while it is open, which would make asyncio.run() fail in any test run after it."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium-headless-shell, or set CHROMIUM=path): browser tests skipped")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed (pip install '.[test]')")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


# A phone of 375 x 667 CSS pixels, touch, in Chinese. Drawn at one device pixel per CSS pixel: the
# layout the tests measure is in CSS pixels (the stylesheet asks nothing of the pixel density), and
# a denser screen would only make Chromium paint four times the pixels.
PHONE = {"viewport": {"width": 375, "height": 667}, "device_scale_factor": 1, "is_mobile": True, "has_touch": True,
         "locale": "zh-CN"}


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(**PHONE)
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


@pytest.fixture
def deny_opening(monkeypatch):
    """`deny_opening(path)`: opening that one file fails as it does without read permission (root
    reads every file, so the permission bits alone cannot show it)."""
    def deny(path):
        real = os.open

        def refuse(file, *args, **kwargs):
            if str(file) == str(path):
                raise PermissionError(13, "Permission denied")
            return real(file, *args, **kwargs)

        monkeypatch.setattr(os, "open", refuse)

    return deny

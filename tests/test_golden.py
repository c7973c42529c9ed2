"""The wording of the main outputs and of the error messages, pinned in one place: each case of
golden/cases.yaml is run and its whole answer compared with its file in golden/ (the command line
at 80 columns with its exit code; the web's pages as text and its API's JSON). A deliberate change
of wording is written with `pytest tests/test_golden.py --update-golden` and read in the diff.

Amounts, phone numbers, ids and exit codes are also asserted directly where they are computed; these
files are about how the answers read.

The command lines run one after the other in a child process of their own, with a cache of their own,
after a first search: how a table cuts a cell into words depends on the words the process has met
(the word segmenter is one per process), and this way it is the same whatever else the session ran."""
from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml
from conftest import REPO, invoke

GOLDEN = Path(__file__).resolve().parent / "golden"
CASES = yaml.safe_load((GOLDEN / "cases.yaml").read_text(encoding="utf-8"))
# elements that start a line of their own when a page is read as text
BLOCKS = {"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "section", "article", "header", "footer", "nav", "form",
          "fieldset", "legend", "label", "dt", "dd", "details", "summary", "table", "br", "ul", "ol", "dl", "pre",
          "blockquote", "figcaption", "button", "select", "option", "textarea", "main", "aside"}


def cli_answer(args: str) -> str:
    result = invoke(*shlex.split(args), columns=80)
    return f"$ policy {args}\nexit {result.exit_code}\n--- stdout\n{result.stdout}--- stderr\n{result.stderr}"


def every_cli_answer() -> dict[str, str]:
    """Each command line's answer, run in this process from the repository's root after a search."""
    os.chdir(REPO)
    invoke("search", "数据中心")
    return {case["name"]: cli_answer(case["args"]) for case in CASES["cli"]}


@pytest.fixture(scope="module")
def cli_answers(tmp_path_factory) -> dict[str, str]:
    """every_cli_answer() in a child process, with the tests' environment and a cache of its own."""
    env = {**os.environ, "POLICY_CACHE_DIR": str(tmp_path_factory.mktemp("golden-cache")), "TERM": "xterm-256color"}
    for name in ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "POLICY_DEBUG"):
        env.pop(name, None)
    done = subprocess.run([sys.executable, __file__], capture_output=True, env=env, cwd=REPO, timeout=300)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    return json.loads(done.stdout)


def fetched(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def page_text(html: str) -> str:
    """The title and what <main> says, a line per block, without markup, scripts or spacing."""
    from lxml import html as lxml_html

    root = lxml_html.fromstring(html)
    for hidden in root.xpath("//script | //style | //template | //*[@hidden]"):
        hidden.drop_tree()
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag in BLOCKS:
            element.text = "\n" + (element.text or "")
            element.tail = "\n" + (element.tail or "")
    main = root.find(".//main")
    lines = [" ".join(line.split()) for line in (main if main is not None else root).text_content().splitlines()]
    title = root.findtext(".//title") or ""
    return "\n".join([f"<title> {title.strip()}", *(line for line in lines if line)]) + "\n"


def web_answer(base: str, case: dict) -> str:
    path = case.get("page") or case["api"]
    status, body = fetched(base + quote(path, safe="/?=&"))
    shown = page_text(body) if "page" in case else json.dumps(json.loads(body), ensure_ascii=False, indent=2) + "\n"
    return f"GET {path}\nstatus {status}\n---\n{shown}"


def compare(request: pytest.FixtureRequest, path: Path, actual: str) -> None:
    if request.config.getoption("--update-golden"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    assert path.is_file(), f"no {path.relative_to(REPO)}: write it with pytest tests/test_golden.py --update-golden"
    assert actual == path.read_text(encoding="utf-8"), (
        f"{path.relative_to(REPO)} differs: if the new wording is meant, run pytest tests/test_golden.py --update-golden")


@pytest.mark.parametrize("case", CASES["cli"], ids=[c["name"] for c in CASES["cli"]])
def test_the_command_line_says_what_its_golden_file_says(case, request, cli_answers):
    compare(request, GOLDEN / "cli" / f"{case['name']}.txt", cli_answers[case["name"]])


@pytest.mark.parametrize("case", CASES["web"], ids=[c["name"] for c in CASES["web"]])
def test_the_web_says_what_its_golden_file_says(case, request, web_url):
    compare(request, GOLDEN / "web" / f"{case['name']}.txt", web_answer(web_url, case))


def test_every_golden_file_has_its_case():
    named = {f"cli/{c['name']}.txt" for c in CASES["cli"]} | {f"web/{c['name']}.txt" for c in CASES["web"]}
    assert len(named) == len(CASES["cli"]) + len(CASES["web"]), "two cases share a name"
    kept = {str(p.relative_to(GOLDEN)) for p in GOLDEN.glob("*/*.txt")}
    assert kept <= named, f"golden files without a case (delete them): {sorted(kept - named)}"


if __name__ == "__main__":  # the child process of `cli_answers`
    sys.stdout.write(json.dumps(every_cli_answer(), ensure_ascii=False))

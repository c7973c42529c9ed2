"""The wording of the main outputs and of the error messages, pinned in one place: each case of
golden/cases.yaml is run and its whole answer compared with its file in golden/ (the command line
at 80 columns with its exit code; the web's pages as text and its API's JSON). A deliberate change
of wording is written with `pytest tests/test_golden.py --update-golden` and read in the diff.

Amounts, phone numbers, ids and exit codes are also asserted directly where they are computed; these
files are about how the answers read."""
from __future__ import annotations

import json
import shlex
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
def test_the_command_line_says_what_its_golden_file_says(case, request, monkeypatch):
    monkeypatch.chdir(REPO)
    compare(request, GOLDEN / "cli" / f"{case['name']}.txt", cli_answer(case["args"]))


@pytest.mark.parametrize("case", CASES["web"], ids=[c["name"] for c in CASES["web"]])
def test_the_web_says_what_its_golden_file_says(case, request, web_url):
    compare(request, GOLDEN / "web" / f"{case['name']}.txt", web_answer(web_url, case))


def test_every_golden_file_has_its_case():
    named = {f"cli/{c['name']}.txt" for c in CASES["cli"]} | {f"web/{c['name']}.txt" for c in CASES["web"]}
    assert len(named) == len(CASES["cli"]) + len(CASES["web"]), "two cases share a name"
    kept = {str(p.relative_to(GOLDEN)) for p in GOLDEN.glob("*/*.txt")}
    assert kept <= named, f"golden files without a case (delete them): {sorted(kept - named)}"

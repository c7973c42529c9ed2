"""One core, many faces: the engines speak no interface's words; each interface words the core's
errors its own way (the command line with commands and options, a page with where to look, the API
with an address and a machine code)."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from policycli.errors import InputError, NotFound, Wording, fact, given, named, plain

PACKAGE = Path(__file__).resolve().parent.parent / "policycli"
ENGINES = ("dataset", "search", "contacts", "awards", "match", "lists")
COMMANDS = "list|show|search|contacts|estimate|match|import|diff|validate|serve"
INTERFACE_WORDS = re.compile(rf"\bpolicy (?:{COMMANDS})\b|(?<![\w-])--[a-z]|(?<![\w-])-o\b")


def engine_strings():
    """(file:line, text) of every string in the engines' code, docstrings left out."""
    for package in ENGINES:
        for path in sorted((PACKAGE / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                          if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                          and node.body and isinstance(node.body[0], ast.Expr)
                          and isinstance(node.body[0].value, ast.Constant)}
            for node in ast.walk(tree):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                    yield f"{path.relative_to(PACKAGE.parent)}:{node.lineno}", node.value


def test_no_engine_string_names_a_command_or_an_option():
    found = [f"{where}: {text!r}" for where, text in engine_strings() if INTERFACE_WORDS.search(text)]
    assert found == []


def test_the_check_sees_commands_and_options():
    assert INTERFACE_WORDS.search("运行 policy list 查看全部编号")
    assert INTERFACE_WORDS.search("请用 --lpr 指定") and INTERFACE_WORDS.search("或用 -o 换一个文件名")
    assert not INTERFACE_WORDS.search("2024-03") and not INTERFACE_WORDS.search("rd_last")


SHOUT = Wording(name=lambda n, label: n.upper(), give=lambda n, label: f"+{n}",
                next=lambda key, error: f"（{key}）", value=lambda n, label: f"{label}=")


def test_an_error_carries_its_structure_and_each_face_words_its_marks():
    error = InputError(f"{named('invest', '投资额')} 的值“很多”不是金额；{given('major', '重大')}", code="bad_amount",
                       field="invest", value="很多", valid=["3000万"], next="example")
    assert error.worded(SHOUT) == ["投资额=“很多”不是金额；+major（example）"]
    assert str(error) == "“投资额”的值“很多”不是金额；注明“重大”"
    assert error.to_jsonable() == {"code": "bad_amount", "field": "invest", "value": "很多", "valid": ["3000万"],
                                   "next": "example"}
    assert plain("无标记") == "无标记"


def test_a_fact_is_named_by_its_field_on_a_form_and_left_to_the_setting_elsewhere():
    from policycli.cli.wording import lines
    from policycli.web.wording import for_the_api, on_a_page

    amount = InputError(f"{fact('invest', '投资额')} 的值“很多”不是金额")
    flag = InputError(f"{fact('above_scale', '规上企业')}“也许”不是是/否")
    assert [on_a_page(amount), on_a_page(flag)] == ["投资额：“很多”不是金额", "规上企业：“也许”不是是/否"]
    assert lines(amount) == ["投资额 的值“很多”不是金额"] and lines(flag) == ["“也许”不是是/否"]
    assert for_the_api(amount)["error"] == "投资额 的值“很多”不是金额" and str(flag) == "“也许”不是是/否"


def test_an_error_keeps_its_structure_as_another_kind():
    error = NotFound.like(InputError("没有序号为 9 的政策", code="unknown_ref", field="ref", value="9", next="policy_refs"))
    assert isinstance(error, NotFound) and error.exit_code == 1
    assert (error.code, error.field, error.value, error.next) == ("unknown_ref", "ref", "9", "policy_refs")


@pytest.mark.parametrize("kind, code", [(InputError, "bad_input"), (NotFound, "not_found")])
def test_an_error_without_a_code_has_its_kind_s(kind, code):
    assert kind("x").code == code


# --- one description of an amount ------------------------------------------------------------------

AWARD_CASES = Path(__file__).parent / "cases" / "award_cases.yaml"


def money_cases() -> list[dict]:
    import yaml

    return [c for c in yaml.safe_load(AWARD_CASES.read_text(encoding="utf-8")) if c.get("amount")]


def options(inputs: dict) -> list[str]:
    out = []
    for name, value in inputs.items():
        option = "--" + name.replace("_", "-")
        out += [option] if value is True else [] if value is False else [option, str(value)]
    return out


def case_name(case: dict) -> str:
    return case["policy"] + " " + " ".join(f"{k}={v}" for k, v in case["inputs"].items())


@pytest.mark.parametrize("case", money_cases(), ids=case_name)
def test_an_amount_is_worded_alike_on_the_command_line_and_on_the_page(web_url, case):
    import html
    import urllib.request
    from urllib.parse import quote, urlencode

    from conftest import invoke

    cli = invoke("estimate", case["policy"], *options(case["inputs"]), columns=400)
    assert cli.exit_code == 0, cli.stderr
    said = next(line for line in cli.stdout.splitlines() if line.startswith("估算金额"))
    query = urlencode({"estimate": "1", **{k: "1" if v is True else v for k, v in case["inputs"].items() if v is not False}})
    with urllib.request.urlopen(f"{web_url}/policy/{quote(case['policy'])}?{query}", timeout=20) as response:
        page = response.read().decode("utf-8")
    shown = re.search(r'<strong id="amount">(.*?)</strong>', page, re.S).group(1)
    assert said.removeprefix("估算金额").strip() == html.unescape(re.sub(r"<[^>]+>", "", shown))


def web_strings():
    """(place, text) of the web's code strings (docstrings left out), templates and script."""
    web = PACKAGE / "web"
    for path in sorted(web.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                      and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                yield f"{path.name}:{node.lineno}", node.value
    for path in sorted([*web.rglob("*.html"), *web.rglob("*.js")]):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.lstrip().startswith("//"):
                yield f"{path.name}:{number}", line


def test_no_web_text_names_a_command_or_an_option():
    assert [f"{where}: {text!r}" for where, text in web_strings() if INTERFACE_WORDS.search(text)] == []

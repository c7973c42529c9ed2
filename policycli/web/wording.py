"""The web's words for the core's messages. On a page an input is the label of its field ("填写
“年度设备投资额”"), a value that cannot be read is named by its field ("年度设备投资额：“很多”不是
金额") and what to do next is where to look on the site; at the API an input is its
parameter (`invest`) and what to do next is an address. Neither ever names a command."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import PolicyError, Wording

VERBS = {"flag": "勾选", "choice": "选择"}  # of a form field by its kind; any other is 填写

# after "N policies not compared by meaning yet" (search/semantic.py)
COMPARE_MORE = "（每次搜索接着比较一部分，稍后再搜一次会更全）"

PAGE_NEXT_STEPS = {
    "policy_ids": "。全部政策见首页",
    "policy_refs": "，序号见首页的政策列表",
    "all_contacts": "。全部联系人见联系人页（清空查询框）",
    "rephrase": "。换个说法再试，或在首页查看全部政策",
    "ask_office": "：各科室的电话见联系人页",
    "drop_filters": "。不限部分和节再试",
    "name_topic": "。请写上做了什么事或要哪类支持，如 技术改造、研发投入、贷款贴息，或在首页查看全部政策及其奖补额度",
    "search_example": "，例如 数据中心",
    "drop_list_filters": "。去掉部分筛选条件再试，或在首页查看全部政策",
    "compare_more": f"{COMPARE_MORE}。",
}

API_NEXT_STEPS = {
    "policy_ids": "。全部编号见 /api/policies",
    "policy_refs": "，序号见 /api/policies",
    "all_contacts": "。全部联系人见 /api/contacts",
    "rephrase": "。换个说法再试，或查看全部政策：/api/policies",
    "ask_office": "：各科室的电话见 /api/contacts",
    "drop_filters": "。去掉 part、section 参数再试",
    "name_topic": "。请写上做了什么事或要哪类支持，如 技术改造、研发投入、贷款贴息，或查看全部政策：/api/policies",
    "search_example": "，例如 /api/search?q=数据中心",
    "drop_list_filters": "。去掉部分筛选条件再试，或查看全部政策：/api/policies",
    "compare_more": f"{COMPARE_MORE}。",
}


def _field_verb(name: str) -> str:
    from ..awards.input_table import INPUTS

    return VERBS.get(INPUTS[name].kind if name in INPUTS else "", "填写")


def _api_next(key: str, error: Any) -> str:
    if key == "estimate_alone":
        return f"；去掉这些参数：/api/estimate/{error.value}"
    return API_NEXT_STEPS.get(key, "")


PAGE = Wording(name=lambda name, label: f"“{label}”", give=lambda name, label: f"{_field_verb(name)}“{label}”",
               next=lambda key, error: PAGE_NEXT_STEPS.get(key, ""), value=lambda name, label: f"{label}：",
               field=lambda name, label: f"{label}：")
API = Wording(name=lambda name, label: name, give=lambda name, label: f"给出 {name}", next=_api_next)


SHOWN_PROBLEMS = 5  # of a message listing many (a profile of 9,000 unknown keys): the first few and the count


def bounded(lines: list[str] | tuple[str, ...], clip: Callable[[str], str] = str) -> str:
    """Lines as one message of bounded size: the first few (each `clip`ped) with how many there are."""
    shown = [clip(line) for line in lines[:SHOWN_PROBLEMS]]
    if len(lines) > SHOWN_PROBLEMS:
        shown.append(f"……共 {len(lines):,} 处问题，以上是前 {SHOWN_PROBLEMS} 处")
    return " ".join(shown)


def _joined(lines: list[str]) -> str:
    return bounded(lines)


def on_a_page(error: PolicyError, join: Callable[[list[str]], str] = _joined) -> str:
    """The error's message in a page's words; `join` makes its lines one (the app bounds their size)."""
    return join(error.worded(PAGE))


def for_the_api(error: PolicyError, join: Callable[[list[str]], str] = _joined) -> dict[str, Any]:
    """The API's error object: the message in the API's words, what it is without the next step
    (`reason`, for a page's script to add its own), and the error's structure (`code` …)."""
    reason = join([API.text(line) for line in error.lines])
    return {"error": join(error.worded(API)), "reason": reason, **error.to_jsonable()}

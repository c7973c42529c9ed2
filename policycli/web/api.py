"""/api/: each answer is the object `policy … --format json` prints for the same question. The
endpoints that only read the address are plain functions, which Starlette runs in its thread pool:
the core's work never holds the event loop (and so every other request) up."""
from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse

from .. import shapes
from ..errors import InputError, NotFound, named
from . import forms


def answer(data: Any) -> JSONResponse:
    return JSONResponse(shapes.to_jsonable(data))


def catalog_of(request: Request) -> Any:
    return request.app.state.catalog


def policies(request: Request) -> JSONResponse:
    """policy list [--part] [--section] [--office] [--unit]"""
    from ..dataset.lookup import filter_policies

    found = filter_policies(catalog_of(request), part=forms.text(request, "part"), section=forms.text(request, "section"),
                            office=forms.text(request, "office"), unit=forms.text(request, "unit"))
    if not found:
        raise NotFound("没有符合筛选条件的政策", code="no_policies", next="drop_list_filters")
    return answer(shapes.policy_list(found))


def policy(request: Request) -> JSONResponse:
    """policy show REF"""
    from ..search.resolve import resolve_policy

    return answer(shapes.policy_detail(resolve_policy(catalog_of(request), request.path_params["ref"])))


def run_search(request: Request) -> Any:
    """policy search Q [--limit] [--part] [--section]; the result, with or without hits."""
    from ..awards.money import parse_count
    from ..search.rank import search

    query = request.query_params.get("q", "")
    limit = forms.text(request, "limit")
    count = 10 if limit is None else parse_count(limit, named("limit", "条数"), low=1, high=10**6)
    return search(catalog_of(request), query, limit=count, part=forms.text(request, "part"),
                  section=forms.text(request, "section"))


def search(request: Request) -> JSONResponse:
    from ..search.results import nothing_found

    result = run_search(request)
    if not result.hits:
        raise nothing_found(result)
    return answer(result.to_jsonable())


def contacts(request: Request) -> JSONResponse:
    """policy contacts [Q]"""
    from ..contacts.directory import find_contacts
    from ..search.plainwords import plain
    from ..search.resolve import clear_winner

    catalog = catalog_of(request)
    return answer(find_contacts(catalog, forms.text(request, "q"), lambda q: clear_winner(catalog, q), plain().words).to_list())


def estimable(request: Request) -> JSONResponse:
    """policy estimate (no id): what can be estimated and with which inputs."""
    from ..awards.rules import estimable as rows

    return answer(shapes.estimable_list(rows(catalog_of(request))))


def estimate(request: Request) -> JSONResponse:
    """policy estimate REF --invest … (query values named as the options, without --)."""
    from ..awards.rules import estimate_options
    from ..search.resolve import resolve_policy

    unknown = sorted(set(request.query_params) - set(forms.ESTIMATE_INPUTS))
    if unknown:
        raise InputError(f"未知的输入：{'、'.join(unknown)}；可用的输入：{'、'.join(forms.ESTIMATE_INPUTS)}",
                         code="unknown_input", field=unknown[0], valid=forms.ESTIMATE_INPUTS)
    found = resolve_policy(catalog_of(request), request.path_params["ref"])
    result = estimate_options(found, forms.estimate_inputs(request.query_params))
    return answer(shapes.estimate_data(found, result))


async def match(request: Request) -> JSONResponse:
    """policy match [--profile FILE] --set KEY=VALUE …: GET with set=KEY=VALUE (repeatable); POST a
    form with a `profile` file and `set` fields, or a profile's YAML as the body."""
    from ..match.eligibility import match_profile
    from ..match.profile import Profile
    from ..match.profile_file import apply_settings

    catalog = catalog_of(request)
    settings = request.query_params.getlist("set")
    profile = None
    if request.method == "POST":
        kind = request.headers.get("content-type", "")
        if kind.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
            data = await forms.form(request)
            if kind.startswith("application/x-www-form-urlencoded") and data and not {"profile", "set"} & set(data):
                raise InputError("请求体按表单读取，其中没有 profile 或 set 字段；上传档案 YAML 时请加请求头 "
                                 "Content-Type: application/yaml（curl 写作 -H 'Content-Type: application/yaml'）")
            profile = await forms.uploaded_profile(data.get("profile"), catalog)
            settings += [str(v) for v in data.getlist("set")]
        else:
            body = await read_body(request)
            profile = await run_in_threadpool(forms.profile_from_text, body, "档案", catalog) if body.strip() else None
    if profile is None and not settings:
        raise InputError("请给出企业档案：POST 档案 YAML，或 set=键=值（可重复）；档案的键见 docs/profile.md")
    result = await run_in_threadpool(lambda: match_profile(catalog, apply_settings(profile or Profile(), settings, catalog)))
    return answer(shapes.match_rows(result))


async def read_body(request: Request) -> bytes:
    length = request.headers.get("content-length")
    if length is None or not length.isdigit() or int(length) > forms.MAX_PROFILE:
        raise InputError(f"档案须带内容长度且不超过 {forms.MAX_PROFILE // 1024} KB")
    return await request.body()

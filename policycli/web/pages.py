"""The HTML pages: home (search and the list), one policy (with its estimate form), contacts and
match. Each reads the request, calls the same core functions as the command line, and renders;
the core's work runs in Starlette's thread pool (plain functions, `run_in_threadpool`), never on
the event loop."""
from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from .. import shapes
from ..errors import InputError, NotFound, PolicyError
from . import forms
from .html import page
from .wording import PAGE, PAGE_NEXT_STEPS, on_a_page


NONE_OF_THESE = "无"  # the "以上都没有" box of a many-choice question: an empty list, not "don't know"


def catalog_of(request: Request) -> Any:
    return request.app.state.catalog


def sections(catalog: Any) -> list[tuple[str, list[tuple[str | None, list[Any]]]]]:
    """Each part's heading (after its list's, when there are several) with its sections (None for a
    part without sections) and their policies, in list order."""
    out = []
    for info in catalog.lists if catalog.several else (None,):
        parts = info.parts if info else catalog.parts
        policies = [p for p in catalog.policies if info is None or p.list == info.name]
        for part in parts:
            in_part = [p for p in policies if p.part == part.number]
            groups = [(name, [p for p in in_part if p.section == name]) for name in part.sections]
            loose = [p for p in in_part if p.section not in part.sections]
            if loose:
                groups.insert(0, (None, loose))
            if any(g[1] for g in groups) or info is None:
                out.append((f"{info.label} · {part.label}" if info else part.label, [g for g in groups if g[1]]))
    return out


def home(request: Request) -> Response:
    from ..search.results import UNOFFICIAL, nothing_found, pending_note

    from .api import run_search

    query = request.query_params.get("q", "")
    result, message, status = None, None, 200
    if query.strip():
        try:
            result = run_search(request)
        except InputError as exc:
            message, status = on_a_page(exc), 400
        else:
            if not result.hits:
                message = on_a_page(nothing_found(result))
    pending = ""
    if result is not None and result.hits and result.pending:
        from .wording import COMPARE_MORE

        pending = pending_note(result.pending) + COMPARE_MORE
    return page(request, "home.html", status, query=query, result=result, message=message, unofficial=UNOFFICIAL,
                pending=pending,
                parts=sections(catalog_of(request)), next_steps=json.dumps(PAGE_NEXT_STEPS, ensure_ascii=False))


def policy(request: Request) -> Response:
    from ..awards.amounts import amount_words
    from ..awards.inputs import MissingInputs
    from ..awards.rules import estimable, estimate_options, inputs_of
    from ..search.resolve import resolve_policy

    catalog = catalog_of(request)
    try:
        found = resolve_policy(catalog, request.path_params["ref"])
    except InputError as exc:  # nothing by that name: the page does not exist
        return page(request, "error.html", 404, title="没有这项政策", message=on_a_page(exc),
                    search=request.path_params["ref"][:100])
    from dataclasses import replace

    rows = estimable(replace(catalog, policies=(found,)))  # this version's rule: another list may share its id
    row = rows[0] if rows else None
    specs = inputs_of(found) if row is not None and row.monetary else []
    result, message, status = None, None, 200
    if row is not None and row.monetary and not specs:  # a fixed award: nothing to fill in, the amount at once
        result = estimate_options(found, {})
    elif "estimate" in request.query_params and row is not None:
        try:
            result = estimate_options(found, forms.estimate_inputs(request.query_params))
        except MissingInputs as exc:
            message, status = missing_fields(specs, exc.names, any_of=exc.any_of), 400
        except InputError as exc:
            message, status = on_a_page(exc), 400
    support = None
    if row is not None and not row.monetary:
        support = estimate_options(found, {}).support  # what is given instead of money
    return page(request, "policy.html", status, policy=found, row=row, specs=specs, values=request.query_params,
                result=result, words=amount_words(result) if result else None, message=message, support=support,
                notes=[PAGE.text(n) for n in result.notes] if result else [],
                disclaimer=shapes.ESTIMATE_DISCLAIMER)


def missing_fields(specs: list[Any], names: list[str], any_of: bool = False) -> str:
    """What to fill in, by the labels on the form."""
    label = {s.name: s.label for s in specs}
    wanted = [f"“{label[s.name]}”" + (f"（填了“{label[s.unless]}”时可不填）" if s.unless in label else "")
              for s in specs if s.name in names]
    if any_of:
        return f"请至少填写{'或'.join(wanted)}中的一项后再估算"
    return f"请填写{'、'.join(wanted)}后再估算（带 * 的为必填）"


def lookup_contacts(catalog: Any, query: str | None) -> Any:
    """The core's answer, as the CLI gets it: a policy named by a search word with one clear winner,
    and a phone number as people write it, are found by the core."""
    from ..contacts.directory import find_contacts
    from ..search.plainwords import plain
    from ..search.resolve import clear_winner

    return find_contacts(catalog, query, lambda q: clear_winner(catalog, q), plain().words)


def contacts(request: Request) -> Response:
    query = forms.text(request, "q")
    result, message, status = None, None, 200
    try:
        result = lookup_contacts(catalog_of(request), query)
    except PolicyError as exc:
        message, status = on_a_page(exc), 404 if isinstance(exc, NotFound) else 400
    return page(request, "contacts.html", status, query=query or "", result=result, message=message)


def contacts_vcard(request: Request) -> Response:
    from ..contacts.vcard import result_cards

    result = lookup_contacts(catalog_of(request), forms.text(request, "q"))
    return Response(result_cards(result), media_type="text/vcard; charset=utf-8",
                    headers={"content-disposition": attachment("contacts.vcf", "联系人.vcf")})


def attachment(plain: str, name: str) -> str:
    """A download named `name` (Chinese), or `plain` for clients that only take ASCII names."""
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name)}"


async def match(request: Request) -> Response:
    """The answers come in the URL (GET: Back and Reload keep the result) or, with a profile file
    uploaded, in a POST; the form then asks only what still decides a verdict or an amount."""
    from .questions import form_questions

    data: Any = await forms.form(request) if request.method == "POST" else request.query_params
    context: dict[str, Any] = {"values": data, "result": None, "message": None, "none_of_these": NONE_OF_THESE}
    status, profile = 200, None
    answered = request.method == "POST" or any(v.strip() for _, v in data.multi_items() if isinstance(v, str))
    try:
        profile = await answers_of(request, data)
        if answered:
            context.update(await run_match(request, profile))
    except InputError as exc:
        context["message"], status = on_a_page(exc), 400
    context.update(await run_in_threadpool(form_questions, catalog_of(request), profile, context.get("result"), data))
    return page(request, "match.html", status, **context)


async def answers_of(request: Request, data: Any) -> Any:
    """The uploaded profile (if any), with the facts filled in on the form on top of it, and the
    figures of single policies (fields named policy.input, as `--set` takes them)."""
    from ..dataset.lookup import normalize
    from ..match.profile import CHOICES, FACTS, Profile, parse_value
    from ..match.profile_file import apply_setting

    catalog = catalog_of(request)
    profile = await forms.uploaded_profile(data.get("profile"), catalog) or Profile()
    name = str(data.get("name") or "").strip()
    if name:
        from dataclasses import replace

        profile = replace(profile, name=name[:200])
    for fact in FACTS:
        raw = "、".join(str(v) for v in data.getlist(fact.key)) if fact.kind == CHOICES else str(data.get(fact.key) or "")
        if fact.kind == CHOICES and NONE_OF_THESE in data.getlist(fact.key) and raw != NONE_OF_THESE:
            raise InputError(f"{fact.label}：勾选了“以上都没有”，又勾选了其中的项，请只选一种")
        if raw.strip():  # a value that cannot be read: its message names the field (web.wording)
            profile = profile.with_fact(fact.key, parse_value(fact, raw.strip()))
    for key, value in data.multi_items():  # the figures of single policies, each named by its field
        if "." in key and isinstance(value, str) and value.strip():
            profile = apply_setting(profile, normalize(key), value.strip(), catalog)
    return profile


async def run_match(request: Request, profile: Any) -> dict[str, Any]:
    from ..match.eligibility import ELIGIBLE, INELIGIBLE, STATUS_LABELS, UNCONFIRMED, fact_label, match_profile
    from ..match.profile_file import dump_profile

    result = await run_in_threadpool(match_profile, catalog_of(request), profile)
    groups = [(STATUS_LABELS[s], s, result.group(s)) for s in (ELIGIBLE, UNCONFIRMED, INELIGIBLE)]
    return {"result": result, "groups": groups, "profile_text": dump_profile(profile),
            "amount_of": amount_line, "label_of": fact_label, "note": shapes.MATCH_NOTE, "stacking": shapes.STACKING_NOTE}


def amount_line(match: Any) -> str:
    """What an eligible policy is worth, in words, as the table of `policy match --detail` says it."""
    from ..awards.amounts import amount_words
    from ..match.profile_file import input_facts

    words = amount_words(match)
    if words is not None:
        return words.text()
    if match.missing_figures:
        facts = input_facts(match.policy)
        return "金额未知，缺少：" + "、".join(facts[n].label if n in facts else n for n in match.missing_figures)
    if match.note:
        return match.note
    return "支持内容：" + (match.support or "")


async def profile_download(request: Request) -> Response:
    """The answers as a profile file: the text posted back is parsed (safe loader) and written anew."""
    from ..match.profile_file import dump_profile

    data = await forms.form(request)
    text = str(data.get("profile") or "")
    profile = await run_in_threadpool(forms.profile_from_text, text.encode("utf-8"), "档案", catalog_of(request))
    return Response(dump_profile(profile), media_type="application/yaml; charset=utf-8",
                    headers={"content-disposition": attachment("profile.yaml", "企业档案.yaml")})


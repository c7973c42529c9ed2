"""The plain objects each question is answered with: what `--format json|yaml` prints and what the
web API returns, built in one place so both interfaces give the same answer to the same question."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

ESTIMATE_DISCLAIMER = "以上为按政策原文的估算，不是承诺；能否获得支持及最终金额以主管部门审核为准。"
MATCH_NOTE = "以上为估算：是否符合条件和最终金额以主管部门审核为准。"
STACKING_NOTE = "每项政策只计一个金额：同一政策的不同档次互斥、只计所给档次；技术改造的一般项目与重大技改项目只计一次。"


def to_jsonable(value: Any) -> Any:
    """Decimals as exact text, dates as ISO text, tuples as lists, keys as text."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def policy_list(policies: list[Any]) -> list[dict[str, Any]]:
    """`policy list`: each policy with the amounts its text names."""
    return [policy_detail(p) for p in policies]


def policy_detail(policy: Any) -> dict[str, Any]:
    """`policy show`: the policy with the amounts its text names (`awards.rules.award_fields`)."""
    from .awards.rules import award_fields

    return {**policy.to_dict(), **award_fields(policy)}


def estimate_data(policy: Any, result: Any) -> dict[str, Any]:
    """`policy estimate ID`: the estimate with the policy's title and offices; notes name inputs by
    their labels (`errors.plain`)."""
    from .errors import plain

    data = result.to_jsonable()
    data["notes"] = [plain(note) for note in data.get("notes", [])]
    return {"id": data.pop("id"), "list": policy.list, "title": policy.title, **data,
            "offices": [o.to_dict() for o in policy.offices], "disclaimer": ESTIMATE_DISCLAIMER}


def estimable_list(rows: list[Any]) -> list[dict[str, Any]]:
    """`policy estimate` without an id; each input with the command-line option that gives it (the
    JSON is the command line's; the API takes the input's name as its parameter)."""
    rows_data = [r.to_jsonable() for r in rows]
    for row in rows_data:
        row["inputs"] = [{"name": i["name"], "option": "--" + i["name"].replace("_", "-"), **i} for i in row["inputs"]]
    return rows_data


def match_rows(result: Any) -> list[dict[str, Any]]:
    """`policy match` for one profile: one object per policy."""
    return [{"name": result.profile.display_name, **m.to_dict()} for m in result.matches]


def match_summaries(results: list[Any]) -> list[dict[str, Any]]:
    """`policy match --profile DIR`: one object per profile."""
    return [r.summary() for r in results]

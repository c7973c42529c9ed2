"""One amount whichever way it is asked: every case of tests/cases that has an amount gives the same
amount from `estimate` (the core and `policy estimate --format json`), from `match` (the enterprise
meeting the policy's conditions, with the same figures) and from the web API."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
import yaml
from conftest import invoke

from policycli.awards.rules import estimate
from policycli.match.conditions import AnyOf, conditions_of
from policycli.match.eligibility import ELIGIBLE, match_policy
from policycli.match.profile import FACT_BY_KEY, Profile
from policycli.match.profile_file import apply_settings
from test_web_api import fetch

CASES = Path(__file__).parent / "cases"
AWARDS = [c for c in yaml.safe_load((CASES / "award_cases.yaml").read_text(encoding="utf-8")) if c.get("amount")]
LEVELS = yaml.safe_load((CASES / "levels.yaml").read_text(encoding="utf-8"))


def case_id(case: dict) -> str:
    return f"{case['policy']} " + " ".join(f"{k}={v}" for k, v in case["inputs"].items())


def typed(value) -> str:
    return "是" if value is True else "否" if value is False else str(value)


def meeting_conditions(policy, inputs: dict) -> list[str]:
    """`--set` lines of an enterprise meeting every condition of `policy`, recognitions gathered into
    one line. Of an 'any of', the first option that implies no estimate input the case leaves out."""
    settings, recognitions = [], []
    for entry in conditions_of(policy):
        options = entry.options if isinstance(entry, AnyOf) else (entry,)
        condition = next((c for c in options if set(c.inputs) <= set(inputs)), options[0])
        value = condition.value
        if condition.op == "has":
            recognitions.append(value[0] if isinstance(value, (list, tuple)) else value)
        else:
            settings.append(f"{condition.fact}={typed(value[0] if condition.op == 'in' else value)}")
    return settings + ([f"recognitions={','.join(recognitions)}"] if recognitions else [])


def figure_settings(policy_id: str, inputs: dict) -> list[str]:
    """The estimate inputs as figures of a profile: shared ones at the top, the rest per policy."""
    return [f"{name}={typed(v)}" if name in FACT_BY_KEY else f"{policy_id}.{name}={typed(v)}"
            for name, v in inputs.items()]


def cli_estimate(policy_id: str, inputs: dict) -> Decimal:
    args = ["estimate", policy_id]
    for name, value in inputs.items():
        option = "--" + name.replace("_", "-")
        args += [option] if value is True else [option, str(value)]
    result = invoke(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return Decimal(json.loads(result.stdout)["amount"])


def api_estimate(web_url: str, policy_id: str, inputs: dict) -> Decimal:
    query = urlencode({k: "1" if v is True else str(v) for k, v in inputs.items()})
    status, _, data = fetch(f"{web_url}/api/estimate/{quote(policy_id)}?{query}")
    assert status == 200, data
    return Decimal(data["amount"])


def api_match(web_url: str, settings: list[str], policy_id: str) -> Decimal:
    status, _, data = fetch(f"{web_url}/api/match?{urlencode({'set': settings}, doseq=True)}")
    assert status == 200, data
    row = next(r for r in data if r["id"] == policy_id)
    assert row["status"] == ELIGIBLE, row
    return Decimal(row["amount"])


@pytest.mark.parametrize("case", AWARDS, ids=[case_id(c) for c in AWARDS])
def test_estimate_match_and_the_api_agree_on_every_award_case(case, catalog, web_url):
    policy, expected = catalog.get(case["policy"]), Decimal(case["amount"])
    settings = meeting_conditions(policy, case["inputs"]) + figure_settings(policy.id, case["inputs"])
    matched = match_policy(policy, apply_settings(Profile(), settings, catalog))
    assert (matched.status, matched.amount) == (ELIGIBLE, expected), (settings, matched.note, matched.missing_figures)
    assert estimate(policy, case["inputs"]).amount == expected
    assert cli_estimate(policy.id, case["inputs"]) == expected
    assert api_estimate(web_url, policy.id, case["inputs"]) == expected
    assert api_match(web_url, settings, policy.id) == expected


@pytest.mark.parametrize("case", LEVELS, ids=[c["name"] for c in LEVELS])
def test_several_levels_count_alike_in_match_and_estimate(case, catalog, web_url):
    policy, expected = catalog.get(case["policy"]), Decimal(case["amount"])
    matched = match_policy(policy, apply_settings(Profile(), case["settings"], catalog))
    assert (matched.status, matched.amount) == (ELIGIBLE, expected), matched.note
    assert cli_estimate(policy.id, {"level": case["level"]}) == expected
    assert api_estimate(web_url, policy.id, {"level": case["level"]}) == expected
    assert api_match(web_url, case["settings"], policy.id) == expected


MATCHES = yaml.safe_load((CASES / "match.yaml").read_text(encoding="utf-8"))
PRICED = [(name, pid, amount) for name, case in MATCHES.items()
          for pid, amount in case["eligible"].items() if amount is not None]


@pytest.mark.parametrize("name, policy_id, amount", PRICED, ids=[f"{n} {p}" for n, p, _ in PRICED])
def test_match_cases_agree_on_the_command_line_and_the_api(name, policy_id, amount, web_url):
    path = CASES / "profiles" / f"{name}.yaml"
    cli = invoke("match", "--profile", str(path), "--format", "json")
    assert cli.exit_code == 0, cli.stderr
    status, _, data = fetch(web_url + "/api/match", path.read_bytes(), {"Content-Type": "application/yaml"})
    assert status == 200, data
    for rows in (json.loads(cli.stdout), data):
        assert next(r["amount"] for r in rows if r["id"] == policy_id) == amount

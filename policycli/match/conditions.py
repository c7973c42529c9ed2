"""Eligibility conditions as data: each policy's `conditions:` list, checked and evaluated.

A condition names the fragment of the official text it comes from (`clause`, verbatim) and a test
on one fact of the profile vocabulary: ``{clause, fact, op, value}``, optionally ``inputs`` (estimate
inputs implied when it is met, e.g. the award level). ``{any: [condition, …]}`` is met when one of
its conditions is. All entries of the list must be met.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..dataset.yamlfile import kind_name, quoted
from ..errors import InputError, plain
from .profile import CHOICE, CHOICES, COUNT, FACT_BY_KEY, FLAG, MONEY, MONTH, RATE, Fact, parse_value

MET, NOT_MET, UNKNOWN = "met", "not_met", "unknown"
ORDERED = {"≥": "≥", ">=": "≥", "≤": "≤", "<=": "≤", ">": ">", "<": "<"}
OPS_BY_KIND = {
    FLAG: ("is",),
    CHOICE: ("is", "in"),
    CHOICES: ("has",),
    MONEY: tuple(ORDERED),
    COUNT: ("is", *ORDERED),
    MONTH: tuple(ORDERED),
    RATE: tuple(ORDERED),
}
ESTIMATE_INPUTS = ("level", "count", "cost", "excellent", "major")


@dataclass(frozen=True)
class Condition:
    clause: str
    fact: str
    op: str
    value: Any
    inputs: dict[str, Any] = field(default_factory=dict, compare=False)

    def state(self, facts: dict[str, Any]) -> str:
        if self.fact not in facts:
            return UNKNOWN
        actual = facts[self.fact]
        if self.op == "is":
            ok = actual == self.value
        elif self.op == "in":
            ok = actual in self.value
        elif self.op == "has":
            ok = any(v in actual for v in self.value)
        else:
            ok = _compare(actual, ORDERED[self.op], self.value)
        return MET if ok else NOT_MET


@dataclass(frozen=True)
class AnyOf:
    options: tuple[Condition, ...]

    def state(self, facts: dict[str, Any]) -> str:
        states = [c.state(facts) for c in self.options]
        if MET in states:
            return MET
        return UNKNOWN if UNKNOWN in states else NOT_MET


def _compare(actual: Any, op: str, value: Any) -> bool:
    return {"≥": actual >= value, "≤": actual <= value, ">": actual > value, "<": actual < value}[op]


def conditions_of(policy: Any) -> tuple[Condition | AnyOf, ...]:
    """The policy's conditions as objects (the data was checked when the catalog was loaded)."""
    out: list[Condition | AnyOf] = []
    for entry in policy.conditions or ():
        if "any" in entry:
            out.append(AnyOf(tuple(_condition(e) for e in entry["any"])))
        else:
            out.append(_condition(entry))
    return tuple(out)


def _condition(entry: dict[str, Any]) -> Condition:
    fact = FACT_BY_KEY[entry["fact"]]
    op = ORDERED.get(entry["op"], entry["op"])
    return Condition(entry["clause"], fact.key, op, _value(fact, op, entry["value"]), dict(entry.get("inputs") or {}))


def _value(fact: Fact, op: str, raw: Any) -> Any:
    """The value of a condition; choices must be written exactly as the vocabulary has them."""
    items = raw if isinstance(raw, list) else [raw]
    if fact.kind in (CHOICE, CHOICES):
        wrong = [str(v) for v in items if v not in fact.choices]
        if wrong:
            raise InputError(f"“{'、'.join(wrong)}”不是{fact.label}的可选值：{'、'.join(fact.choices)}")
    if op in ("in", "has"):
        return tuple(items)
    return parse_value(fact, raw)


# --- checking the data at load time -------------------------------------------------------------


def check_conditions(check: Any, node: Any, field: str) -> None:
    """Report every problem in `node["conditions"]` through `check.add(line, field, message)`."""
    if "conditions" not in node:
        return  # optional: a policy without conditions is reported as 待确认 by the matcher
    entries = node["conditions"]
    where = f"{field}.conditions"
    if not isinstance(entries, list) or not entries:
        check.add(node.lines.get("conditions", node.line), where, "应为非空列表，每项含 clause、fact、op、value")
        return
    content = node.get("content") if isinstance(node.get("content"), str) else None

    def run() -> tuple[str, ...]:
        clauses: list[str] = []
        for i, entry in enumerate(entries):
            line = _line(entries, i, node.lines.get("conditions", node.line))
            if isinstance(entry, dict) and set(entry) == {"any"}:
                options = entry["any"]
                if not isinstance(options, list) or len(options) < 2:
                    check.add(line, f"{where}[{i}].any", "应为至少两个条件的列表（满足其一即可）")
                    continue
                for j, option in enumerate(options):
                    _check_one(check, option, _line(options, j, line), f"{where}[{i}].any[{j}]", content, clauses)
            else:
                _check_one(check, entry, line, f"{where}[{i}]", content, clauses)
        return tuple(clauses)

    check.once("conditions", entries, content, run)  # once per distinct list of conditions


def _line(seq: Any, i: int, default: int) -> int:
    lines = getattr(seq, "lines", None)
    return lines[i] if lines else default


_FIELDS = frozenset(("clause", "fact", "op", "value", "inputs"))


def _check_one(check: Any, entry: Any, line: int, where: str, content: str | None, clauses: list[str]) -> None:
    """Report the problems of one condition; its clause is added to `clauses`."""
    if not isinstance(entry, dict):
        check.add(line, where, "应为映射 {clause, fact, op, value}，或 {any: [...]}")
        return
    unknown = sorted(set(entry) - _FIELDS)
    if unknown:
        check.add(line, where, f"未知的字段 {'、'.join(map(str, unknown))}，只能有 clause、fact、op、value、inputs")
    clause = entry.get("clause")
    if not isinstance(clause, str) or not clause.strip():
        check.add(line, f"{where}.clause", "缺少条件所依据的原文片段")
    else:
        clauses.append(clause)
        if content is not None and clause not in content:
            check.add(line, f"{where}.clause", f"“{clause}”不在该政策原文中，clause 须逐字摘自原文")
    for key in ("fact", "op"):
        if isinstance(entry.get(key), (list, dict, set)):  # a YAML !!set is a set
            check.add(line, f"{where}.{key}", f"应为文本，实际是{kind_name(entry.get(key))}")
            return
    fact = FACT_BY_KEY.get(entry.get("fact"))  # type: ignore[arg-type]
    if fact is None:
        check.add(line, f"{where}.fact", f"未知的事实{quoted(entry.get('fact'))}，可用：{'、'.join(FACT_BY_KEY)}")
        return
    op = ORDERED.get(entry.get("op"), entry.get("op"))  # type: ignore[arg-type]
    allowed = OPS_BY_KIND.get(fact.kind, ())
    if op not in allowed:
        check.add(line, f"{where}.op", f"{quoted(entry.get('op'))}不能用于{fact.label}（{fact.key}），可用：{'、'.join(allowed) or '（无）'}")
        return
    if "value" not in entry:
        check.add(line, f"{where}.value", "缺少必填字段")
        return
    if op == "in" and not isinstance(entry["value"], list):
        check.add(line, f"{where}.value", "in 的值应为列表")
        return
    try:
        _value(fact, op, entry["value"])
    except InputError as exc:
        check.add(line, f"{where}.value", plain(exc.lines[0]))
    inputs = entry.get("inputs")
    if inputs is not None and (not isinstance(inputs, dict) or set(inputs) - set(ESTIMATE_INPUTS)):
        check.add(line, f"{where}.inputs", f"应为估算输入的映射，键只能是 {'、'.join(ESTIMATE_INPUTS)}")

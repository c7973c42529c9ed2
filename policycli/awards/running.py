"""Running one estimate: the state a rule kind works on (`Run`: typed inputs, the steps and notes
written so far), what a rule returns (`Outcome`), and what the estimate gives back (`Estimate`, with
its `Step`s and, for mixed totals, `Share`s) or promises (`Ceiling`)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from .inputs import InputSpec, MissingInputs, absent, coerce
from .money import WAN, bare_yuan_note, format_percent, format_yuan, plain_number, round_to


@dataclass(frozen=True)
class Step:
    label: str
    value: str
    name: str | None = None  # the input's name, for the steps listing inputs


@dataclass
class Estimate:
    policy_id: str
    amount: Decimal | None
    is_maximum: bool = False  # the amount is an "up to" (最高) value
    cap_reached: bool = False
    steps: list[Step] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    clauses: list[str] = field(default_factory=list)
    support: str | None = None  # what is given instead of money, or what the unstated award is
    approximate: bool = False  # the text gives the amount as "左右"
    discretionary: bool = False  # the text says the authorities decide case by case (可视情)
    inputs: list[Step] = field(default_factory=list)  # the inputs used, as shown to the user
    conditions: list[str] = field(default_factory=list)  # clauses of policy.conditions, if any
    # a total whose parts are of different kinds (定额 + 最高, 约 + 最高): each part with its word, so
    # that no single word (最高, 约) is put over the whole; empty otherwise
    breakdown: list[Share] = field(default_factory=list)
    per_year: Decimal | None = None  # for awards over several years: the amount of one year
    ordinary_amount: Decimal | None = None  # for discretionary awards: what the ordinary rule pays
    # the rate the amount depends on is not published yet (a signing month still to come): the
    # amount is provisional, worked at the last rate published, neither a cap nor a fixed figure
    pending: str | None = None

    @property
    def word(self) -> str:
        """What kind of figure the amount is: 约, 暂估 (a rate still to be published), 最高, or none."""
        return "约" if self.approximate else "暂估" if self.pending else "最高" if self.is_maximum else ""

    def to_jsonable(self) -> dict[str, Any]:
        return {
            "id": self.policy_id,
            "amount": None if self.amount is None else format(self.amount, "f"),
            "amount_wan": None if self.amount is None else plain_number(self.amount / WAN),
            "is_maximum": self.is_maximum,
            "cap_reached": self.cap_reached,
            "approximate": self.approximate,
            "discretionary": self.discretionary,
            "support": self.support,
            "inputs": [{"name": s.name, "label": s.label, "value": s.value} for s in self.inputs],
            "steps": [{"label": s.label, "value": s.value} for s in self.steps],
            "notes": list(self.notes),
            "clauses": list(self.clauses),
            "conditions": list(self.conditions),
            "breakdown": [{"label": p.label, "amount": format(p.amount, "f"), "word": p.word} for p in self.breakdown],
            "per_year": _decimal(self.per_year),
            "ordinary_amount": _decimal(self.ordinary_amount),
            "pending": self.pending,
        }


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


@dataclass(frozen=True)
class Share:
    """One part of a mixed total: its label (平台奖励, 市级优秀), amount and word (定额, 最高, 约, or "")."""

    label: str
    amount: Decimal
    word: str


@dataclass(frozen=True)
class Ceiling:
    """An amount the text names, in its own word: 最高 (a cap), 约 (about), 定额 (fixed), 视情最高 (a
    track the authorities grant case by case). `per` names the item it is paid for (场景, 社区) when it
    is paid per item, with no cap over the items; `label` the part or level it belongs to."""

    amount: Decimal
    word: str
    per: str | None = None
    label: str = ""

    def to_jsonable(self) -> dict[str, Any]:
        return {"label": self.label, "amount": format(round_to(self.amount), "f"), "word": self.word, "per": self.per}


@dataclass
class Outcome:
    """What one rule gives the rule holding it (or the estimate): the amount and the word it is said in."""

    amount: Decimal | None
    is_maximum: bool = False
    cap_reached: bool = False
    approximate: bool = False
    fixed_part: Decimal = Decimal(0)  # the part that is a fixed amount
    parts: tuple[Share, ...] = ()  # for totals: each part with its word
    per_year: Decimal | None = None
    ordinary_amount: Decimal | None = None


class Run:
    """State of one estimate: typed inputs, the steps and notes written so far."""

    def __init__(self, specs: list[InputSpec], values: Mapping[str, Any], lpr: Any, today: date):
        self.specs = {s.name: s for s in specs}
        self.raw = values
        self.typed: dict[str, Any] = {}
        self.lpr_table = lpr
        self.today = today
        self.steps: list[Step] = []
        self.notes: list[str] = []
        self.clauses: list[str] = []
        self.inputs: list[Step] = []
        self.discretionary = False
        self.prefix = ""
        self.pending: str | None = None  # what the amount waits for (a rate not yet published)

    def given(self, name: str) -> bool:
        return not absent(self.raw.get(name))

    def value(self, name: str, default: Any = None) -> Any:
        if name in self.typed:
            return self.typed[name]
        item = self.specs[name]
        if not self.given(name):
            if default is None:
                raise MissingInputs(f"缺少 {item.mark}（{item.label}），例如 {item.example}", [name], code="missing_input")
            self.typed[name] = default
            self._show(item, default, defaulted=True)
            return default
        typed = coerce(item, self.raw[name])
        self.typed[name] = typed
        self._show(item, typed, defaulted=False)
        self._check_unit(item, self.raw[name], typed)
        return typed

    def _check_unit(self, item: InputSpec, raw: Any, typed: Any) -> None:
        """A bare number under 1万 for an amount is most likely meant in 万元, as finance staff count."""
        if item.kind != "money":
            return
        note = bare_yuan_note(item.label, str(raw) if isinstance(raw, str) else plain_number(typed), typed)
        if note:
            self.notes.insert(0, note)

    def _show(self, item: InputSpec, value: Any, *, defaulted: bool) -> None:
        if item.kind == "money":
            text = exact_yuan(value)
        elif item.kind == "month":
            text = f"{value:%Y-%m}"
        elif item.kind == "rate":
            text = format_percent(value)
        elif item.kind == "flag":
            text = "是" if value else "否"
        elif item.kind == "choice" and value in item.keys:
            text = item.choices[item.keys.index(value)]
        else:
            text = str(value)
        self.inputs.append(Step(item.label, text + ("（默认）" if defaulted else ""), item.name))

    def step(self, label: str, value: str) -> None:
        self.steps.append(Step(f"{self.prefix}{label}", value))

    def use(self, rule: Any) -> None:
        """Take in what a rule (kinds.Rule) that applies brings: its clauses, its note, its discretion."""
        for clause in rule.clauses:
            if clause not in self.clauses:
                self.clauses.append(clause)
        if rule.note and rule.note not in self.notes:
            self.notes.append(rule.note)
        self.discretionary = self.discretionary or rule.discretionary

    def capped(self, raw: Decimal, cap: Decimal | None) -> tuple[Decimal, bool]:
        if cap is None:
            return raw, False
        if raw > cap:
            self.step("上限", f"{figure(raw)} 超过上限 {format_yuan(cap)}，按上限计")
            return cap, True
        if raw == cap:
            self.step("上限", f"正好达到上限 {format_yuan(cap)}")
            return cap, True
        self.step("上限", f"未超过上限 {format_yuan(cap)}")
        return raw, False

    def rounded(self, value: Decimal, unit: Decimal) -> Decimal:
        result = round_to(value, unit)
        if result != value:
            self.step("四舍五入", f"{figure(value)} → {figure(result)}")
        return result


def exact_yuan(value: Decimal) -> str:
    """format_yuan, but a figure finer than 分 (before rounding) keeps its digits: 2.0046 元."""
    return format_yuan(value) if value == round_to(value) else f"{figure(value)} 元"


def figure(value: Decimal) -> str:
    """30,000,000.00; an input finer than 分 keeps all its digits (16.705, not 16.71)."""
    if value != round_to(value):
        return format(value.normalize(), ",f")
    return f"{round_to(value):,.2f}"

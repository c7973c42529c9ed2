"""The generic award rule kinds and the engine that runs them into an estimate with its steps.

A policy's `award:` block (data/policies.yaml, read by blocks.py) is one rule, possibly holding
others. Kinds:

- rate      base × rate, optionally capped            (base, rate, cap, unit, rounding)
- increase  (base − previous) × rate, 0 if no rise     (base, previous, rate, cap, unit, rounding)
- fixed     a set amount                               (amount, unit)
- up_to     "最高" an amount; the estimate is that maximum (amount, unit)
- about     "…左右" an approximate amount, not a cap    (amount, unit)
- per_unit  amount per unit × the `count` input         (amount, up_to, unit_name, default_count, unit)
- levels    one rule per level, chosen by `level`      (choices: [{key, name, aliases, rule}]); with
            `several: true` the text lets one applicant hold several levels at once (both ratings,
            communities of several types): `--level 标杆型×2、基础型×3` sums them
- switch    one rule or another by a flag input        (flag, when_set, otherwise)
- sum       the total of parts; a part with `when: INPUT` counts only when that input is given
- brackets  tiered brackets over a base, `mode: sum` (each bracket applies to its slice) or `mode: lookup`
            (the whole base at the rate of the bracket it falls in); rates may be shares of the LPR
            (`rate_of: lpr`); optionally repeated for `years: {max, clause}`
- none      no monetary award; `support` says what is given instead
- unstated  a monetary award whose amount the text does not state; `support` says what it is

Every rule quotes the official text in `clause:` (a string or a list; optional only for levels, switch,
sum and brackets, whose inner rules or brackets quote it), and every amount and rate it holds must appear in one of its
clauses. Amounts are in the rule's `unit` (元 or 万元). Every rule may add `note:` (shown when used),
`discretionary: true` (the authorities decide case by case) and `labels: {input: 中文名称}`.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from ..errors import InputError, named
from .inputs import InputSpec, MissingInputs, absent, coerce, merge, spec
from .money import WAN, bare_yuan_note, format_percent, format_wan, format_yuan, plain_number, round_to


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
    """An amount the text promises, in its own word: 最高 (a cap), 约 (about), 定额 (fixed). `per` names
    the item it is paid for (场景, 社区) when it is paid per item, with no cap over the items; `label`
    the part or level it belongs to."""

    amount: Decimal
    word: str
    per: str | None = None
    label: str = ""

    def to_jsonable(self) -> dict[str, Any]:
        return {"label": self.label, "amount": format(round_to(self.amount), "f"), "word": self.word, "per": self.per}


@dataclass
class _Outcome:
    amount: Decimal | None
    is_maximum: bool = False
    cap_reached: bool = False
    approximate: bool = False
    fixed_part: Decimal = Decimal(0)  # the part that is a fixed amount
    parts: tuple[Share, ...] = ()  # for totals: each part with its word
    per_year: Decimal | None = None
    ordinary_amount: Decimal | None = None


# --- running an estimate -----------------------------------------------------------------------


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
            text = format_yuan(value) if value == round_to(value) else f"{_num(value)} 元"
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

    def use(self, rule: "Rule") -> None:
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
            self.step("上限", f"{_num(raw)} 超过上限 {format_yuan(cap)}，按上限计")
            return cap, True
        if raw == cap:
            self.step("上限", f"正好达到上限 {format_yuan(cap)}")
            return cap, True
        self.step("上限", f"未超过上限 {format_yuan(cap)}")
        return raw, False

    def rounded(self, value: Decimal, unit: Decimal) -> Decimal:
        result = round_to(value, unit)
        if result != value:
            self.step("四舍五入", f"{_num(value)} → {_num(result)}")
        return result


def _yuan(value: Decimal) -> str:
    """format_yuan, but a figure finer than 分 (before rounding) keeps its digits: 2.0046 元."""
    return format_yuan(value) if value == round_to(value) else f"{_num(value)} 元"


def _num(value: Decimal) -> str:
    """30,000,000.00; an input finer than 分 keeps all its digits (16.705, not 16.71)."""
    if value != round_to(value):
        return format(value.normalize(), ",f")
    return f"{round_to(value):,.2f}"


# --- rule kinds --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    clauses: tuple[str, ...]
    note: str | None
    discretionary: bool
    labels: dict[str, str]

    def own_inputs(self) -> list[InputSpec]:
        return []

    def inputs(self) -> list[InputSpec]:
        return [replace(s, label=self.labels.get(s.name, s.label)) for s in self.own_inputs()]

    def run(self, ctx: Run) -> _Outcome:
        ctx.use(self)
        return self.evaluate(ctx)

    def evaluate(self, ctx: Run) -> _Outcome:
        raise NotImplementedError

    def ceiling(self) -> Decimal | None:
        return None

    def ceiling_text(self) -> str:
        top = self.ceiling()
        return "—" if top is None else format_wan(top)

    def ceilings(self) -> tuple[Ceiling, ...]:
        """The promised amounts with their words: one for a single amount, one per part of a sum and
        per level one may hold at once; none where the text promises none."""
        top = self.ceiling()
        return () if top is None else (Ceiling(top, "最高"),)

    def discretionary_ceiling(self) -> Decimal | None:
        """The largest amount including tracks the authorities grant case by case (可视情)."""
        return self.ceiling()


@dataclass(frozen=True)
class Rate(Rule):
    base: str
    rate: Decimal
    cap: Decimal | None
    rounding: Decimal

    def own_inputs(self) -> list[InputSpec]:
        return [spec(self.base)]

    def evaluate(self, ctx: Run) -> _Outcome:
        base = ctx.value(self.base)
        label = ctx.specs[self.base].label
        raw = base * self.rate
        ctx.step(f"{label} × {format_percent(self.rate)}", f"{_num(base)} × {format_percent(self.rate)} = {_yuan(raw)}")
        amount, capped = ctx.capped(raw, self.cap)
        return _Outcome(ctx.rounded(amount, self.rounding), cap_reached=capped)

    def ceiling(self) -> Decimal | None:
        return self.cap

    def ceiling_text(self) -> str:
        return "按比例" if self.cap is None else "最高" + format_wan(self.cap)


@dataclass(frozen=True)
class Increase(Rate):
    previous: str = ""

    def own_inputs(self) -> list[InputSpec]:
        return [spec(self.base), spec(self.previous)]

    def evaluate(self, ctx: Run) -> _Outcome:
        now, before = ctx.value(self.base), ctx.value(self.previous)
        rise = now - before
        ctx.step("较上年新增", f"{_num(now)} − {_num(before)} = {format_yuan(rise) if rise > 0 else _num(rise) + ' 元'}")
        if rise <= 0:
            ctx.step("奖补", "没有新增，奖补为 0")
            return _Outcome(Decimal("0.00"))
        raw = rise * self.rate
        ctx.step(f"新增部分 × {format_percent(self.rate)}", f"{_num(rise)} × {format_percent(self.rate)} = {_yuan(raw)}")
        amount, capped = ctx.capped(raw, self.cap)
        return _Outcome(ctx.rounded(amount, self.rounding), cap_reached=capped)


@dataclass(frozen=True)
class Amount(Rule):
    """fixed / up_to / about: one stated amount."""

    amount: Decimal
    mode: str  # "fixed" | "up_to" | "about"

    WORDS = {"fixed": "定额", "up_to": "最高", "about": "约"}

    def evaluate(self, ctx: Run) -> _Outcome:
        ctx.step(self.WORDS[self.mode], format_yuan(self.amount))
        if self.mode == "about":
            ctx.notes.append(f"原文为“{plain_number(self.amount / WAN)}万元左右”，是约数，不是上限")
        fixed = self.amount if self.mode == "fixed" else Decimal(0)
        return _Outcome(self.amount, is_maximum=self.mode == "up_to", approximate=self.mode == "about", fixed_part=fixed)

    def ceiling(self) -> Decimal | None:
        return self.amount

    def ceiling_text(self) -> str:
        return self.WORDS[self.mode] + format_wan(self.amount)

    def ceilings(self) -> tuple[Ceiling, ...]:
        return (Ceiling(self.amount, self.WORDS[self.mode]),)


@dataclass(frozen=True)
class PerUnit(Rule):
    amount: Decimal
    up_to: bool
    unit_name: str
    default_count: int | None

    def own_inputs(self) -> list[InputSpec]:
        return [spec("count", f"{self.unit_name}数量", required=self.default_count is None, default=self.default_count)]

    def evaluate(self, ctx: Run) -> _Outcome:
        count = ctx.value("count", self.default_count)
        word = "最高" if self.up_to else "定额"
        ctx.step(f"每个{self.unit_name}{word}", format_yuan(self.amount))
        total = self.amount * count
        ctx.step(f"{count} 个{self.unit_name}", f"{_num(self.amount)} × {count} = {format_yuan(total)}")
        return _Outcome(total, is_maximum=self.up_to, fixed_part=Decimal(0) if self.up_to else total)

    def ceiling(self) -> Decimal | None:
        return self.amount

    def ceiling_text(self) -> str:
        return f"每个{self.unit_name}{'最高' if self.up_to else '定额'}{format_wan(self.amount)}"

    def ceilings(self) -> tuple[Ceiling, ...]:
        return (Ceiling(self.amount, "最高" if self.up_to else "定额", per=self.unit_name),)


@dataclass(frozen=True)
class Level:
    key: str
    name: str
    aliases: tuple[str, ...]
    rule: Rule


@dataclass(frozen=True)
class Levels(Rule):
    choices: tuple[Level, ...]
    several: bool = False

    def own_inputs(self) -> list[InputSpec]:
        return [spec("level", choices=tuple(c.name for c in self.choices), keys=tuple(c.key for c in self.choices),
                     several=self.several)]

    def inputs(self) -> list[InputSpec]:
        nested = [s for c in self.choices for s in c.rule.inputs()]
        return merge(super().inputs() + [_optional(s) for s in nested if s.name != "level"])

    def evaluate(self, ctx: Run) -> _Outcome:
        value, item = ctx.value("level"), ctx.specs["level"]
        parts = split_levels(str(value))
        if len(parts) > 1 or (self.several and parts and parts[0][1] is not None):
            return self._several(ctx, parts, item)
        chosen = self.pick(value, item)
        ctx.inputs = [Step(s.label, chosen.name, s.name) if s.name == "level" else s for s in ctx.inputs]
        return chosen.rule.run(ctx)

    def _several(self, ctx: Run, parts: list[tuple[str, int | None]], item: InputSpec) -> _Outcome:
        """Several levels at once: 省级优秀、市级优秀; 标杆型×2、基础型×3 (counts for per-unit levels)."""
        if not self.several:
            names = "、".join(c.name for c in self.choices)
            raise InputError(f"{item.mark} 的值“{ctx.raw.get('level')}”有多个{item.label}，本政策只能选一个：{names}")
        if ctx.given("count"):
            raise InputError(f"选了多个{item.label}时请把个数写在各自后面，如 {item.mark} "
                             f"{self.choices[0].name}×2、{self.choices[-1].name}×1，不要另加 {named('count', '数量')}")
        chosen: dict[str, tuple[Level, int]] = {}
        for name, number in parts:
            part = name if number is None else f"{name}×{number}"
            if number is not None and number < 1:
                raise InputError(f"{item.mark} 中“{part}”的个数应至少为 1")
            level = self.pick(name, item)
            counts = isinstance(level.rule, PerUnit)
            if number is not None and not counts:
                raise InputError(f"{item.mark} 中“{part}”：{level.name}不按个数计，去掉个数即可")
            before = chosen.get(level.key, (level, 0))[1]
            chosen[level.key] = (level, before + (number or 1) if counts else 1)
        shown = "、".join(f"{lv.name}×{n}" if isinstance(lv.rule, PerUnit) else lv.name for lv, n in chosen.values())
        ctx.inputs = [Step(s.label, shown, s.name) if s.name == "level" else s for s in ctx.inputs]
        pieces: list[tuple[str, _Outcome]] = []
        for level, number in chosen.values():
            outer, ctx.prefix = ctx.prefix, f"{ctx.prefix}{level.name}："
            ctx.typed["count"] = number  # this level's own count, not shown as an input of its own
            pieces.append((level.name, level.rule.run(ctx)))
            ctx.typed.pop("count", None)
            ctx.prefix = outer
        return _total(ctx, pieces)

    def pick(self, value: str, item: InputSpec) -> Level:
        from ..dataset.lookup import match_choice

        names: dict[str, Level] = {}
        for level in self.choices:
            for name in (level.name, level.key, *level.aliases):
                names.setdefault(name, level)
        options = "、".join(f"{c.name}（{c.key}）" for c in self.choices)
        try:
            matched = {id(names[m]): names[m] for m in match_choice(str(value), list(names), item.mark)}
        except InputError:
            raise InputError(f"{item.mark} 的值“{value}”不是本政策的{item.label}，可选：{options}", code="unknown_choice",
                             field=item.name, value=value, valid=[c.name for c in self.choices]) from None
        if len(matched) > 1:
            raise InputError(f"{item.mark} 的值“{value}”不明确，请写完整：{options}", code="ambiguous_choice", field=item.name,
                             value=value, valid=[c.name for c in self.choices])
        return next(iter(matched.values()))

    def ceiling(self) -> Decimal | None:
        return _largest(c.rule for c in self.choices)

    def ceiling_text(self) -> str:
        rules = [c.rule for c in self.choices]
        if all(isinstance(r, Amount) and r.mode == "fixed" for r in rules):  # 定额1000万元或100万元
            amounts = sorted({r.amount for r in rules}, reverse=True)  # type: ignore[attr-defined]
            return "定额" + "或".join(format_wan(a) for a in amounts)
        if self._held_together():  # 约200万元＋最高50万元: both evaluations, each in its word
            return "＋".join(c.rule.ceiling_text() for c in self.choices)
        return _largest_text(rules)

    def ceilings(self) -> tuple[Ceiling, ...]:
        if self._held_together():
            return tuple(replace(c, label=level.name) for level in self.choices for c in level.rule.ceilings())
        largest = max(self.choices, key=lambda c: c.rule.ceiling() if c.rule.ceiling() is not None else Decimal(-1))
        return largest.rule.ceilings()

    def _held_together(self) -> bool:
        """Several levels at once, each a single award (not per community): their amounts add up."""
        return self.several and not any(isinstance(c.rule, PerUnit) for c in self.choices)


def _word(outcome: _Outcome) -> str:
    if outcome.approximate:
        return "约"
    if outcome.is_maximum:
        return "最高"
    return "定额" if outcome.amount and outcome.fixed_part == outcome.amount else ""


def _total(ctx: Run, pieces: list[tuple[str, _Outcome]]) -> _Outcome:
    """The sum of parts; each keeps its own word (定额, 最高, 约) when they differ."""
    parts: list[Share] = []
    for label, result in pieces:
        parts += [replace(p, label=f"{label}：{p.label}") for p in result.parts] or \
            [Share(label, result.amount or Decimal(0), _word(result))]
    amount = sum((p.amount for p in parts), Decimal(0))
    outcome = _Outcome(amount, any(r.is_maximum for _, r in pieces), any(r.cap_reached for _, r in pieces),
                       any(r.approximate for _, r in pieces), sum((r.fixed_part for _, r in pieces), Decimal(0)),
                       tuple(parts) if len({p.word for p in parts}) > 1 else ())
    if len(pieces) > 1:
        ctx.step("合计", " + ".join(_num(r.amount or Decimal(0)) for _, r in pieces) + f" = {format_yuan(amount)}")
    return outcome


_SEVERAL = re.compile(r"\s*[,，、;；+＋和]\s*")
_COUNTED = re.compile(r"^(.+?)\s*(?:[×xX*：:=]\s*(\d+)|(?<=\S)\s+(\d+))\s*个?$")


def split_levels(text: str) -> list[tuple[str, int | None]]:
    """Levels as people list them: "标杆型×2、基础型×3" → [("标杆型", 2), ("基础型", 3)]; None when a
    part gives no count."""
    pieces: list[tuple[str, int | None]] = []
    for part in (p.strip() for p in _SEVERAL.split(str(text).strip())):
        match = _COUNTED.match(part) if part else None
        if match:
            pieces.append((match.group(1), int(match.group(2) or match.group(3))))
        elif part:
            pieces.append((part, None))
    return pieces


def _largest(rules: Any) -> Decimal | None:
    tops = [r.ceiling() for r in rules]
    tops = [t for t in tops if t is not None]
    return max(tops) if tops else None


def _largest_text(rules: Any) -> str:
    ranked = sorted(rules, key=lambda r: r.ceiling() if r.ceiling() is not None else Decimal(-1))
    return ranked[-1].ceiling_text()


def _optional(item: InputSpec) -> InputSpec:
    return replace(item, required=False)


@dataclass(frozen=True)
class Switch(Rule):
    flag: str
    when_set: Rule
    otherwise: Rule

    def own_inputs(self) -> list[InputSpec]:
        return [spec(self.flag, required=False)]

    def inputs(self) -> list[InputSpec]:
        return merge(self.otherwise.inputs() + super().inputs() + [_optional(s) for s in self.when_set.inputs()])

    def run(self, ctx: Run) -> _Outcome:
        item = ctx.specs[self.flag]
        on = bool(ctx.value(self.flag, False))
        discretionary = self.when_set.discretionary and not self.otherwise.discretionary
        if not on:
            word = "可视情" if discretionary else ""
            ctx.notes.append(f"若{item.label}，{word}最高可达 {_bare(self.when_set.ceiling_text())}：{item.give} 后再估算")
            return self.otherwise.run(ctx)
        ctx.use(self)  # the switch's clause defines what the flag means
        if not discretionary:
            return self.when_set.run(ctx)
        ordinary = self._ordinary(ctx)
        was = ctx.discretionary
        outcome = self.when_set.run(ctx)
        if outcome.amount is not None and ordinary is not None and outcome.amount <= ordinary:
            ctx.discretionary = was  # the ordinary rule pays as much: nothing depends on discretion
            if self.when_set.note in ctx.notes:
                ctx.notes.remove(self.when_set.note)
            ctx.notes.append(f"按普通规则同样可得 {format_yuan(ordinary)}，不需视情，"
                             f"未超过普通上限 {_bare(self.otherwise.ceiling_text())}")
            return outcome
        if ordinary is not None and outcome.amount is not None:
            ctx.step("普通规则", f"{format_yuan(ordinary)}（不需视情），超出部分 {format_yuan(outcome.amount - ordinary)} 视情给予")
            outcome.ordinary_amount = ordinary
        return outcome

    def _ordinary(self, ctx: Run) -> Decimal | None:
        """What the ordinary rule pays on the same inputs (its steps are not shown)."""
        shadow = Run(list(ctx.specs.values()), ctx.raw, ctx.lpr_table, ctx.today)
        shadow.typed = dict(ctx.typed)
        return self.otherwise.run(shadow).amount

    def ceiling(self) -> Decimal | None:
        if self.when_set.discretionary and not self.otherwise.discretionary:
            return self.otherwise.ceiling()  # the promised cap; the discretionary track is not promised
        return _largest((self.when_set, self.otherwise))

    def discretionary_ceiling(self) -> Decimal | None:
        return _largest((self.when_set, self.otherwise))

    def ceiling_text(self) -> str:
        if self.when_set.discretionary and not self.otherwise.discretionary:
            return f"{self.otherwise.ceiling_text()}（可视情{self.when_set.ceiling_text()}）"
        return _largest_text((self.when_set, self.otherwise))

    def ceilings(self) -> tuple[Ceiling, ...]:
        if self.when_set.discretionary and not self.otherwise.discretionary:
            return self.otherwise.ceilings()
        return max((self.when_set, self.otherwise), key=lambda r: r.ceiling() or Decimal(-1)).ceilings()


def _bare(text: str) -> str:
    return text.removeprefix("最高")


@dataclass(frozen=True)
class Part:
    label: str
    when: str | None
    rule: Rule


@dataclass(frozen=True)
class Sum(Rule):
    parts: tuple[Part, ...]

    def inputs(self) -> list[InputSpec]:
        specs: list[InputSpec] = []
        for part in self.parts:
            if part.when:
                specs += [_optional(s) for s in part.rule.inputs()]
                specs += [spec(part.when, self.labels.get(part.when), required=False)]
            else:
                specs += part.rule.inputs()
        return merge(specs)

    def evaluate(self, ctx: Run) -> _Outcome:
        applying = [p for p in self.parts if p.when is None or ctx.given(p.when)]
        if not applying:
            wanted = [ctx.specs[p.when] for p in self.parts if p.when]
            raise MissingInputs("至少需要以下一项：" + "；".join(s.mark for s in wanted),
                                [s.name for s in wanted], any_of=True)
        pieces: list[tuple[str, _Outcome]] = []
        for part in self.parts:
            if part not in applying:
                item = ctx.specs[part.when]  # type: ignore[index]
                ctx.notes.append(f"{part.label}（{part.rule.ceiling_text()}）未计入：如适用，{item.give} 后再估算")
                continue
            outer, ctx.prefix = ctx.prefix, f"{ctx.prefix}{part.label}："
            pieces.append((part.label, part.rule.run(ctx)))
            ctx.prefix = outer
        return _total(ctx, pieces)

    def ceiling(self) -> Decimal | None:
        """The sum of the parts' caps; none when a part is paid per item (每个场景), since nothing caps
        the number of items."""
        if any(c.per for c in self.ceilings()):
            return None
        tops = [p.rule.ceiling() for p in self.parts]
        return sum((t for t in tops if t is not None), Decimal(0)) if any(t is not None for t in tops) else None

    def ceilings(self) -> tuple[Ceiling, ...]:
        return tuple(replace(c, label=part.label) for part in self.parts for c in part.rule.ceilings())

    def ceiling_text(self) -> str:
        """Up-to parts summed under one 最高; otherwise each part in its own words (定额…＋每个场景最高…),
        so that a fixed and an up-to part are never summed."""
        texts = [p.rule.ceiling_text() for p in self.parts]
        top = self.ceiling()
        if top is not None and all(t.startswith("最高") and "（" not in t for t in texts):
            return "最高" + format_wan(top)
        return "＋".join(texts)


@dataclass(frozen=True)
class Bracket:
    low: Decimal
    high: Decimal | None  # None: open-ended
    rate: Decimal
    clause: str


@dataclass(frozen=True)
class Brackets(Rule):
    base: str
    mode: str  # "sum" | "lookup"
    brackets: tuple[Bracket, ...]
    rate_of: str | None  # "lpr": bracket rates are shares of the LPR
    rounding: Decimal
    max_years: int | None
    years_clause: str | None

    def own_inputs(self) -> list[InputSpec]:
        specs = [spec(self.base)]
        if self.rate_of == "lpr":
            specs += [spec("signed", unless="lpr"), spec("lpr", required=False),
                      spec("lpr_term", required=False, choices=("1年期", "5年期以上"), keys=("1y", "5y"), default="1y")]
        if self.max_years:
            specs.append(spec("years", required=False, default=self.max_years, maximum=self.max_years))
        return specs

    def evaluate(self, ctx: Run) -> _Outcome:
        base = ctx.value(self.base)
        factor, factor_text = (self._lpr(ctx) if self.rate_of == "lpr" else (Decimal(1), ""))
        per_year = Decimal(0)
        for bracket in self._applying(base):
            portion = base if self.mode == "lookup" else min(base, bracket.high or base) - bracket.low
            rate = bracket.rate * factor
            share = f"{factor_text} × {format_percent(bracket.rate)}" if factor_text and bracket.rate != 1 else (
                factor_text or format_percent(bracket.rate))
            if bracket.rate == 0:
                share = "0%（不予补贴）"
            part = portion * rate
            ctx.step(self._label(bracket), f"{_num(portion)} × {share} = {format_yuan(part)}")
            per_year += part
        per_year = ctx.rounded(per_year, self.rounding)
        if not self.max_years:
            return _Outcome(per_year)
        ctx.step("每年合计", format_yuan(per_year))
        years = ctx.value("years", self.max_years)
        total = per_year * years
        ctx.step(f"{years} 年合计（最多 {self.max_years} 年）", f"{_num(per_year)} × {years} = {format_yuan(total)}")
        ctx.notes.append(f"{years} 年合计是上限：按本金全年占用计；“{self.years_clause}”，提前还款或本金减少则按实际核定，"
                         f"每年 {format_yuan(per_year)}")
        return _Outcome(total, is_maximum=True, per_year=per_year)

    def _applying(self, base: Decimal) -> list[Bracket]:
        if self.mode == "lookup":
            for bracket in self.brackets:
                if bracket.high is None or base <= bracket.high:
                    return [bracket]
            return []
        return [b for b in self.brackets if base > b.low or (b.low == 0 and base == 0)]

    def _label(self, bracket: Bracket) -> str:
        if bracket.high is None:
            return f"{format_wan(bracket.low)}以上部分"
        if bracket.low == 0:
            return f"{format_wan(bracket.high)}（含）以下部分"
        return f"{format_wan(bracket.low)}至{format_wan(bracket.high)}（含）部分"

    def _lpr(self, ctx: Run) -> tuple[Decimal, str]:
        from .lpr import TERMS, load_lpr, lpr_text, month_text, parse_term

        if ctx.given("lpr"):
            rate = ctx.value("lpr")
            ctx.step("LPR", f"{lpr_text(rate)}（按指定值，代替公布值）")
            return rate, f"LPR {lpr_text(rate)}"
        term = parse_term(ctx.value("lpr_term", "1y"))
        month = ctx.value("signed")
        table = ctx.lpr_table or load_lpr()
        quote = table.quote(month, term)
        if month > ctx.today.replace(day=1):
            ctx.step(f"LPR（{TERMS[term]}）", f"{lpr_text(quote.rate)}（{month_text(month)}尚未公布，暂按最近公布值，"
                                              f"自 {quote.effective:%Y-%m-%d} 起执行）")
        else:
            ctx.step(f"LPR（{TERMS[term]}）",
                     f"{lpr_text(quote.rate)}（{month_text(month)}签订当月公布值，自 {quote.effective:%Y-%m-%d} 起执行）")
        ctx.notes.extend(table.describe(quote))
        if month > ctx.today.replace(day=1):
            ctx.notes.append(f"签订月份 {month_text(month)} 尚未到来，届时公布的 LPR 可能不同")
            ctx.pending = f"{month_text(month)}的 LPR 尚未公布，暂按 {lpr_text(quote.rate)} 估算"
        ctx.notes.append(f"LPR 来源：{table.source}")
        return quote.rate, f"LPR {lpr_text(quote.rate)}"

    def ceiling(self) -> Decimal | None:
        """Known only for fixed rates with a closed top bracket (or a zero-rate open one)."""
        last = self.brackets[-1]
        if self.rate_of or (last.high is None and last.rate):
            return None
        top = last.high if last.high is not None else last.low
        per_year = sum((min(top, b.high or top) - b.low) * b.rate for b in self.brackets) if self.mode == "sum" \
            else max(b.rate * (b.high or top) for b in self.brackets)
        return round_to(per_year, self.rounding) * (self.max_years or 1)

    def ceiling_text(self) -> str:
        return "按LPR计" if self.rate_of == "lpr" else super().ceiling_text()


@dataclass(frozen=True)
class NoMoney(Rule):
    support: str
    stated: bool  # False for "unstated": money is given but the text states no amount

    def evaluate(self, ctx: Run) -> _Outcome:
        ctx.notes.append("原文给予资金奖励，但未写明金额" if not self.stated else "本清单未写明资金奖补，支持内容见上")
        return _Outcome(None)

    def ceiling_text(self) -> str:
        return "—" if self.stated else "未列明"

    def ceilings(self) -> tuple[Ceiling, ...]:
        return ()

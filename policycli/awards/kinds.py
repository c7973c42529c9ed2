"""The generic award rule kinds and the engine that runs them into an estimate with its steps.

A policy's `award:` block (data/policies.yaml, read by blocks.py) is one rule, possibly holding
others. The kinds of one amount are here; those holding other rules (levels, switch, sum) in
combined.py, brackets in brackets.py. Kinds:

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

from dataclasses import dataclass, replace
from decimal import Decimal

from .inputs import InputSpec, spec
from .money import WAN, format_percent, format_wan, format_yuan, plain_number
from .running import Ceiling, Outcome, Run, exact_yuan, figure


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

    def run(self, ctx: Run) -> Outcome:
        ctx.use(self)
        return self.evaluate(ctx)

    def evaluate(self, ctx: Run) -> Outcome:
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

    def evaluate(self, ctx: Run) -> Outcome:
        base = ctx.value(self.base)
        label = ctx.specs[self.base].label
        raw = base * self.rate
        ctx.step(f"{label} × {format_percent(self.rate)}", f"{figure(base)} × {format_percent(self.rate)} = {exact_yuan(raw)}")
        amount, capped = ctx.capped(raw, self.cap)
        return Outcome(ctx.rounded(amount, self.rounding), cap_reached=capped)

    def ceiling(self) -> Decimal | None:
        return self.cap

    def ceiling_text(self) -> str:
        return "按比例" if self.cap is None else "最高" + format_wan(self.cap)


@dataclass(frozen=True)
class Increase(Rate):
    previous: str = ""

    def own_inputs(self) -> list[InputSpec]:
        return [spec(self.base), spec(self.previous)]

    def evaluate(self, ctx: Run) -> Outcome:
        now, before = ctx.value(self.base), ctx.value(self.previous)
        rise = now - before
        ctx.step("较上年新增", f"{figure(now)} − {figure(before)} = {format_yuan(rise) if rise > 0 else figure(rise) + ' 元'}")
        if rise <= 0:
            ctx.step("奖补", "没有新增，奖补为 0")
            return Outcome(Decimal("0.00"))
        raw = rise * self.rate
        ctx.step(f"新增部分 × {format_percent(self.rate)}", f"{figure(rise)} × {format_percent(self.rate)} = {exact_yuan(raw)}")
        amount, capped = ctx.capped(raw, self.cap)
        return Outcome(ctx.rounded(amount, self.rounding), cap_reached=capped)


@dataclass(frozen=True)
class Amount(Rule):
    """fixed / up_to / about: one stated amount."""

    amount: Decimal
    mode: str  # "fixed" | "up_to" | "about"

    WORDS = {"fixed": "定额", "up_to": "最高", "about": "约"}

    def evaluate(self, ctx: Run) -> Outcome:
        ctx.step(self.WORDS[self.mode], format_yuan(self.amount))
        if self.mode == "about":
            ctx.notes.append(f"原文为“{plain_number(self.amount / WAN)}万元左右”，是约数，不是上限")
        fixed = self.amount if self.mode == "fixed" else Decimal(0)
        return Outcome(self.amount, is_maximum=self.mode == "up_to", approximate=self.mode == "about", fixed_part=fixed)

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

    def evaluate(self, ctx: Run) -> Outcome:
        count = ctx.value("count", self.default_count)
        word = "最高" if self.up_to else "定额"
        ctx.step(f"每个{self.unit_name}{word}", format_yuan(self.amount))
        total = self.amount * count
        ctx.step(f"{count} 个{self.unit_name}", f"{figure(self.amount)} × {count} = {format_yuan(total)}")
        return Outcome(total, is_maximum=self.up_to, fixed_part=Decimal(0) if self.up_to else total)

    def ceiling(self) -> Decimal | None:
        return self.amount

    def ceiling_text(self) -> str:
        return f"每个{self.unit_name}{'最高' if self.up_to else '定额'}{format_wan(self.amount)}"

    def ceilings(self) -> tuple[Ceiling, ...]:
        return (Ceiling(self.amount, "最高" if self.up_to else "定额", per=self.unit_name),)


@dataclass(frozen=True)
class NoMoney(Rule):
    support: str
    stated: bool  # False for "unstated": money is given but the text states no amount

    def evaluate(self, ctx: Run) -> Outcome:
        ctx.notes.append("原文给予资金奖励，但未写明金额" if not self.stated else "本清单未写明资金奖补，支持内容见上")
        return Outcome(None)

    def ceiling_text(self) -> str:
        return "—" if self.stated else "未列明"

    def ceilings(self) -> tuple[Ceiling, ...]:
        return ()

"""The `brackets` rule kind: tiered rates over a base (summed slice by slice, or the whole base at
the rate of its bracket), the rates possibly shares of the LPR, possibly paid for several years."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .inputs import InputSpec, spec
from .kinds import Rule
from .money import format_percent, format_wan, format_yuan, round_to
from .running import Outcome, Run, figure


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

    def evaluate(self, ctx: Run) -> Outcome:
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
            ctx.step(self._label(bracket), f"{figure(portion)} × {share} = {format_yuan(part)}")
            per_year += part
        per_year = ctx.rounded(per_year, self.rounding)
        if not self.max_years:
            return Outcome(per_year)
        ctx.step("每年合计", format_yuan(per_year))
        years = ctx.value("years", self.max_years)
        total = per_year * years
        ctx.step(f"{years} 年合计（最多 {self.max_years} 年）", f"{figure(per_year)} × {years} = {format_yuan(total)}")
        ctx.notes.append(f"{years} 年合计是上限：按本金全年占用计；“{self.years_clause}”，提前还款或本金减少则按实际核定，"
                         f"每年 {format_yuan(per_year)}")
        return Outcome(total, is_maximum=True, per_year=per_year)

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
        from .lpr import TERMS, load_lpr, lpr_text, month_text, parse_term, published, PUBLISHED_ON

        if ctx.given("lpr"):
            rate = ctx.value("lpr")
            ctx.step("LPR", f"{lpr_text(rate)}（按指定值，代替公布值）")
            return rate, f"LPR {lpr_text(rate)}"
        term = parse_term(ctx.value("lpr_term", "1y"))
        month = ctx.value("signed")
        table = ctx.lpr_table or load_lpr()
        quote = table.quote(month, term)
        provisional = table.provisional(quote, ctx.today)
        said = provisional[0] if provisional else f"{month_text(month)}签订当月公布值"
        ctx.step(f"LPR（{TERMS[term]}）", f"{lpr_text(quote.rate)}（{said}，自 {quote.effective:%Y-%m-%d} 起执行）")
        ctx.notes.extend(table.describe(quote))
        if month > ctx.today.replace(day=1):
            ctx.notes.append(f"签订月份 {month_text(month)} 尚未到来，届时公布的 LPR 可能不同")
        elif not published(month, ctx.today):
            ctx.notes.append(f"{month_text(month)}的 LPR 于当月{PUBLISHED_ON}日前后公布，届时可能不同")
        if provisional:
            ctx.pending = provisional[1]
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

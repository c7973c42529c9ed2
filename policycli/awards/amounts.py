"""How an amount is said, once for every interface: the figure with what kind of figure it is
(约 / 暂估 / 最高 / fixed, or a total of parts each with its own word), the yearly figure, whether the
cap was reached, whether the award is at the bureau's discretion and what a provisional amount waits on. Interfaces only style the parts."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .money import format_yuan

BOUND = "（已达上限）"
DISCRETION = "（可视情给予）"


@dataclass(frozen=True)
class AmountWords:
    figure: str  # "最高 2,000,000.00 元（200万元）", "合计 …：定额 … ＋ 最高 …"
    per_year: str = ""  # "，每年 …"
    bound: str = ""  # BOUND when the cap was reached
    discretion: str = ""  # DISCRETION when the award is given at discretion
    pending: str = ""  # "（2027年3月的 LPR 尚未公布，暂按2026年3月公布值 3.00% 估算，待公布后确定）"

    def text(self) -> str:
        return self.figure + self.per_year + self.bound + self.discretion + self.pending


def amount_words(result: Any) -> AmountWords | None:
    """The words of the amount of an estimate or of a policy's match (both carry amount, breakdown,
    word, per_year, cap_reached, discretionary and pending); None without an amount."""
    if result.amount is None:
        return None
    if result.breakdown:  # 定额 + 最高, 约 + 最高: each part with its word, never one word over both
        parts = " ＋ ".join(f"{p.word} {format_yuan(p.amount)}".strip() for p in result.breakdown)
        figure = f"合计 {format_yuan(result.amount)}：{parts}"
    else:
        figure = (f"{result.word} " if result.word else "") + format_yuan(result.amount)  # 约, 暂估, 最高
    return AmountWords(
        figure=figure,
        per_year="" if result.per_year is None else f"，每年 {format_yuan(result.per_year)}",
        bound=BOUND if result.cap_reached else "",
        discretion=DISCRETION if result.discretionary else "",
        pending=f"（{result.pending}）" if result.pending else "",
    )

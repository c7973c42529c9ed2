"""The loan prime rate (LPR) as dated data: which quotation applies to a contract month.

The table lives in data/lpr.yaml (change points with their dates). See that file for how a month
maps to a quotation: the value published in the month, i.e. the last change dated on or before
the month's end.
"""
from __future__ import annotations

import calendar
import os
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..dataset.yamlfile import quoted
from ..errors import DataError, InputError, given, named
from .money import rate_of

TERMS = {"1y": "1年期", "5y": "5年期以上"}
PUBLISHED_ON = 20  # the day of the month the LPR is published
SIGNED = named("signed", "贷款合同签订月份")
GIVE_LPR = given("lpr", "指定 LPR（代替公布值）")
_MONTH = re.compile(r"^(\d{4})\s*(?:[-/.年]\s*)?(\d{1,2})\s*月?$", re.ASCII)
_TERM_WORDS = {"1y": ("1y", "1", "1年", "1年期", "一年", "一年期"),
               "5y": ("5y", "5", "5年", "5年期", "5年期以上", "五年", "五年期", "五年期以上")}


@dataclass(frozen=True)
class LprChange:
    effective: date
    rates: dict[str, Decimal]  # term ("1y" / "5y") → rate as a fraction


@dataclass(frozen=True)
class LprQuote:
    """The quotation that applies to one contract month."""

    month: date  # first day of the contract month
    term: str
    rate: Decimal
    effective: date  # publication date of that quotation
    previous: tuple[date, Decimal] | None = None  # set when the rate changed within the month
    beyond_confirmed: bool = False


@dataclass(frozen=True)
class LprTable:
    source: str
    confirmed_through: date  # first day of the last confirmed month
    changes: tuple[LprChange, ...]
    path: str = ""

    def quote(self, month: date, term: str = "1y") -> LprQuote:
        """The quotation published in `month` (see module doc); InputError before the first one."""
        month = month.replace(day=1)
        month_end = month.replace(day=calendar.monthrange(month.year, month.month)[1])
        known = [c for c in self.changes if c.effective <= month_end]
        if not known:
            first = self.changes[0].effective
            raise InputError(
                f"{SIGNED} {month:%Y-%m} 早于现行 LPR 首次公布（{first:%Y-%m-%d}），没有该月的 LPR，请{GIVE_LPR}利率，"
                "如 4.35%", code="before_first_lpr", field="signed", value=f"{month:%Y-%m}")
        rate = known[-1].rates[term]
        start = len(known) - 1
        while start > 0 and known[start - 1].rates[term] == rate:
            start -= 1  # the quotation for this term has been in force since known[start]
        previous = None
        if known[start].effective >= month and start > 0:
            previous = (known[start - 1].effective, known[start - 1].rates[term])
        return LprQuote(month=month, term=term, rate=rate, effective=known[start].effective,
                        previous=previous, beyond_confirmed=month > self.confirmed_through)

    def provisional(self, quote: LprQuote, today: date) -> tuple[str, str] | None:
        """Why the rate used for `quote.month` is not that month's published value, as (the words of the
        calculation line, those of the result); None when it is. The month's LPR is not out yet
        (`published`), or it is out but the data stops earlier (`confirmed_through`)."""
        month, rate = month_text(quote.month), lpr_text(quote.rate)
        basis = f"{month_text(self.confirmed_through)}公布值" if quote.beyond_confirmed else "最近公布值"
        if not published(quote.month, today):
            return f"{month}的 LPR 尚未公布，暂按{basis}", f"{month}的 LPR 尚未公布，暂按{basis} {rate} 估算，待公布后确定"
        if quote.beyond_confirmed:
            confirmed = month_text(self.confirmed_through)
            return (f"{month}的 LPR 未核实（数据只到{confirmed}），暂按{basis}",
                    f"{month}的 LPR 未核实，暂按{basis} {rate} 估算，以人民银行公布值为准")
        return None

    def describe(self, quote: LprQuote) -> list[str]:
        """Notes a user should see with this quotation."""
        notes = []
        if quote.previous:
            when, rate = quote.previous
            notes.append(
                f"{month_text(quote.month)} LPR 于 {quote.effective.month}月{quote.effective.day}日由 {lpr_text(rate)} "
                f"调整为 {lpr_text(quote.rate)}，按“签订当月公布”取 {lpr_text(quote.rate)}；若合同签于调整日前且主管部门"
                f"按签订日执行的利率计算，请用 {named('lpr', '指定 LPR（代替公布值）')} {lpr_text(rate)} 复算")
        if quote.beyond_confirmed:
            notes.append(
                f"LPR 数据只核实到 {month_text(self.confirmed_through)}，{month_text(quote.month)} 暂按最后公布值 "
                f"{lpr_text(quote.rate)} 计算，请以人民银行公布值为准，必要时{GIVE_LPR}")
        return notes


def published(month: date, today: date) -> bool:
    """Whether the LPR of `month` is out by `today`: it is published on the 20th (`PUBLISHED_ON`; a
    holiday moves it to the next working day, and a month whose data is not in yet is then provisional
    as beyond `confirmed_through`)."""
    this_month = today.replace(day=1)
    return month < this_month or (month == this_month and today.day >= PUBLISHED_ON)


def month_text(month: date) -> str:
    return f"{month.year}年{month.month}月"


def lpr_text(rate: Decimal) -> str:
    """An LPR the way it is published: 0.03 → "3.00%"."""
    return f"{rate * 100:.2f}%"


def parse_month(text: Any, option_name: str = SIGNED) -> date:
    """2024-03, 2024-3, 2024/03, 2024.03, 202403, 2024年3月 → date(2024, 3, 1)."""
    if isinstance(text, date):
        return text.replace(day=1)
    raw = str(text).strip()
    match = _MONTH.match(unicodedata.normalize("NFKC", raw))
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        if 1 <= month <= 12 and 1900 < year < 2200:
            return date(year, month, 1)
    raise InputError(f"{option_name} 的值“{raw}”不是年月，请写成 2024-03 这样的形式")


def parse_term(text: Any, option_name: str = named("lpr_term", "LPR 期限")) -> str:
    raw = str(text).strip()
    folded = unicodedata.normalize("NFKC", raw).lower().replace(" ", "")
    for term, words in _TERM_WORDS.items():
        if folded in words:
            return term
    raise InputError(f"{option_name} 的值“{raw}”无效，请写 1y（1年期，默认）或 5y（5年期以上）")


# --- loading and validation -------------------------------------------------------------------


def default_lpr_path() -> Path:
    from ..dataset.files import shipped_file

    return shipped_file("lpr.yaml")


def load_lpr(path: str | os.PathLike[str] | None = None) -> LprTable:
    """The LPR table at `path` (default: the shipped data/lpr.yaml), validated."""
    return _load(str(path or default_lpr_path()))


@lru_cache(maxsize=4)
def _load(path: str) -> LprTable:
    from ..dataset.files import read_bytes
    from ..dataset.yamlfile import parse_located_yaml

    return parse_lpr(parse_located_yaml(read_bytes(Path(path)), path), path)


def parse_lpr(tree: Any, source: str) -> LprTable:
    from ..dataset.yamlfile import Checker

    check = Checker(source)
    root = check.mapping(tree, 1, "(顶层)")
    if root is None:
        raise DataError(check.problems)
    origin = check.text(root, "source", "source")
    confirmed = _month_field(check, root, "confirmed_through", "confirmed_through")
    changes: list[LprChange] = []
    items = root.get("changes")
    if not isinstance(items, list) or not items:
        check.add(root.lines.get("changes", root.line), "changes", "应为非空列表，每项含 date、1y、5y")
        items = []
    for i, item in enumerate(items):
        field = f"changes[{i}]"
        node = check.mapping(item, getattr(items, "lines", [root.line] * len(items))[i], field)
        if node is None:
            continue
        effective = _date_field(check, node, "date", f"{field}.date")
        rates = {term: _rate_field(check, node, term, f"{field}.{term}") for term in TERMS}
        if effective is None or None in rates.values():
            continue
        if changes and effective <= changes[-1].effective:
            check.add(node.lines.get("date", node.line), f"{field}.date", "日期应晚于上一条，请按时间先后排列")
        changes.append(LprChange(effective=effective, rates=rates))  # type: ignore[arg-type]
    if confirmed and changes and confirmed < changes[-1].effective.replace(day=1):
        check.add(root.lines.get("confirmed_through", root.line), "confirmed_through", "不能早于最后一次变动的月份")
    if check.problems:
        raise DataError(check.problems)
    return LprTable(source=origin or "", confirmed_through=confirmed or date.min, changes=tuple(changes), path=source)


def _date_field(check: Any, node: Any, key: str, field: str) -> date | None:
    value = node.get(key)
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        check.add(node.lines.get(key, node.line), field, f"{quoted(value)}不是日期，请写成 \"2024-07-22\"")
        return None


def _month_field(check: Any, node: Any, key: str, field: str) -> date | None:
    try:
        return parse_month(node.get(key), field)
    except InputError:
        check.add(node.lines.get(key, node.line), field, f"{quoted(node.get(key))}不是年月，请写成 \"2026-03\"")
        return None


def _rate_field(check: Any, node: Any, key: str, field: str) -> Decimal | None:
    value = node.get(key)
    try:
        rate = rate_of(str(value)) if isinstance(value, str) else None
    except ValueError:
        rate = None
    if rate is None or not Decimal(0) < rate < Decimal("0.2"):
        check.add(node.lines.get(key, node.line), field, f"{quoted(value)}不是利率，请写成带 % 的文本，如 \"3.45%\"")
        return None
    return rate

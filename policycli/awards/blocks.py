"""Read and validate a policy's `award:` block into rule objects (see kinds.py for the kinds).

Problems are reported through a sink `(line, field, message)`: at load time that is the catalog
checker, so they come out as `file:line: policies[id].award.cap: message`, all at once.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from ..dataset.yamlfile import kind_name, quoted
from .inputs import KNOWN
from .brackets import Bracket, Brackets
from .combined import Level, Levels, Part, Sum, Switch
from .kinds import Amount, Increase, NoMoney, PerUnit, Rate, Rule
from .money import FEN, WAN, YUAN, plain_number, rate_of

Sink = Callable[[int, str, str], None]
UNITS = {"元": YUAN, "万元": WAN}
ROUNDINGS = {"分": FEN, "元": YUAN}
COMMON = ("kind", "clause", "note", "discretionary", "labels")
QUOTED_INSIDE = ("levels", "switch", "sum", "brackets")
KEY = re.compile(r"^[a-z][a-z0-9_-]{0,23}$")


class _Node:
    """One mapping of the award tree: its values, field path and lines, and a problem sink."""

    def __init__(self, data: Any, field: str, sink: Sink, line: int):
        self.data, self.field, self.sink = data, field, sink
        self.line = getattr(data, "line", 0) or line
        self.bad = False

    def at(self, key: str) -> int:
        return getattr(self.data, "lines", {}).get(key, self.line)

    def problem(self, key: str | None, message: str) -> None:
        self.bad = True
        self.sink(self.at(key) if key else self.line, f"{self.field}.{key}" if key else self.field, message)

    def get(self, key: str) -> Any:
        return self.data.get(key)

    def child(self, key: str, value: Any = None, field: str | None = None) -> _Node | None:
        value = self.get(key) if value is None else value
        where = field or f"{self.field}.{key}"
        if not isinstance(value, dict):
            self.problem(key, "缺少必填字段" if value is None else "应为映射（键: 值）")
            return None
        return _Node(value, where, self.sink, self.at(key))

    def children(self, key: str) -> list[_Node]:
        value = self.get(key)
        if not isinstance(value, list) or not value:
            self.problem(key, "应为非空列表")
            return []
        lines = getattr(value, "lines", [self.at(key)] * len(value))
        out = []
        for i, item in enumerate(value):
            if isinstance(item, dict):
                out.append(_Node(item, f"{self.field}.{key}[{i}]", self.sink, lines[i]))
            else:
                self.sink(lines[i], f"{self.field}.{key}[{i}]", "应为映射（键: 值）")
                self.bad = True
        return out

    def only(self, keys: tuple[str, ...], what: str = "") -> None:
        for key in self.data:
            if key not in keys:
                self.problem(key, f"{what}没有字段“{key}”，可用：{'、'.join(keys)}")

    def text(self, key: str, *, required: bool = True) -> str | None:
        value = self.get(key)
        if value is None:
            if required:
                self.problem(key, "缺少必填字段")
            return None
        if not isinstance(value, str) or not value.strip():
            self.problem(key, "应为非空文本")
            return None
        return value

    def flag(self, key: str) -> bool:
        value = self.get(key)
        if value is not None and not isinstance(value, bool):
            self.problem(key, "应为 true 或 false")
        return value is True

    def choice(self, key: str, options: dict[str, Any]) -> Any:
        value = self.get(key)
        if not _plain_key(value):
            self.problem(key, f"应为 {' 或 '.join(options)}，实际是{kind_name(value)}")
            return None
        if value not in options:
            what = "缺少必填字段" if value is None else f"{quoted(value)}无效"
            self.problem(key, f"{what}，应为 {' 或 '.join(options)}")
            return None
        return options[value]

    def input_name(self, key: str, kind: str | None) -> str | None:
        value = self.get(key)
        if not _plain_key(value):
            self.problem(key, f"应为输入的名称（文本），实际是{kind_name(value)}")
            return None
        if value not in KNOWN or (kind and KNOWN[value][0] != kind):
            names = [n for n, (k, _) in KNOWN.items() if kind in (None, k)]
            self.problem(key, f"{quoted(value)}不是可用的输入，应为 {'、'.join(names)} 之一")
            return None
        return value


def _plain_key(value: Any) -> bool:
    """A value that can be looked up by name (a kind, a unit, an input): not a list or a mapping."""
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _found(pattern: str, clauses: tuple[str, ...]) -> bool:
    """`pattern` stands in a clause as a whole number (10万 is not found inside 100万)."""
    regex = _whole_number(pattern)
    return any(regex.search(c) for c in clauses)


@lru_cache(maxsize=1024)
def _whole_number(pattern: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\d.])" + re.escape(pattern))


class _Reader:
    """Builds one rule from its node, checking units, amounts, rates and clauses."""

    def __init__(self, content: str | None):
        self.content = content
        self.quoted: list[str] = []  # every clause read, in order

    def clauses(self, node: _Node, key: str = "clause") -> tuple[str, ...]:
        value = node.get(key)
        items = [value] if isinstance(value, str) else value if isinstance(value, list) else None
        if not items or not all(isinstance(c, str) and c.strip() for c in items):
            node.problem(key, "缺少原文引用，应为原文中的一句或几句（文本或文本列表）")
            return ()
        self.quoted += items
        for clause in items:
            if self.content is not None and clause not in self.content:
                node.problem(key, f"“{clause}”未在该政策原文中逐字出现，请从 content 复制")
        return tuple(items)

    def amount(self, node: _Node, key: str, unit: Decimal | None, clauses: tuple[str, ...],
               *, required: bool = True) -> Decimal | None:
        value = node.get(key)
        if value is None:
            if required:
                node.problem(key, "缺少必填字段")
            return None
        if isinstance(value, float):
            node.problem(key, f"{value} 是浮点数，金额请写整数或加引号的小数，如 \"0.5\"")
            return None
        try:
            number = Decimal(value) if isinstance(value, (int, str)) and not isinstance(value, bool) else None
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or number < 0:
            node.problem(key, f"{quoted(value)}不是金额，应为非负数")
            return None
        if unit is None:
            return None
        written = plain_number(number) + ("万" if unit == WAN else "元")
        if clauses and not _found(written, clauses):
            node.problem(key, f"金额 {written} 未出现在 clause 中，请引用写有该金额的原文")
        return number * unit

    def rate(self, node: _Node, key: str, clauses: tuple[str, ...]) -> Decimal | None:
        value = node.get(key)
        try:
            rate = rate_of(value) if isinstance(value, str) else None
        except ValueError:
            rate = None
        if rate is None or rate > 1:
            node.problem(key, f"{quoted(value)}不是比例，请写成带 % 的文本，如 \"12%\"")
            return None
        written = plain_number(rate * 100) + "%"
        if rate not in (0, 1) and clauses and not _found(written, clauses):
            node.problem(key, f"比例 {written} 未出现在 clause 中，请引用写有该比例的原文")
        return rate

    def rule(self, node: _Node) -> Rule | None:
        kind = node.get("kind")
        if not _plain_key(kind):
            node.problem("kind", f"应为 {'、'.join(KINDS)} 之一，实际是{kind_name(kind)}")
            return None
        build = KINDS.get(kind)
        if build is None:
            node.problem("kind", f"{'缺少必填字段' if kind is None else f'未知类型{quoted(kind)}'}，应为 {'、'.join(KINDS)} 之一")
            return None
        own_keys, make = build
        node.only(COMMON + own_keys, f"{kind} 类型")
        # Kinds made of other rules or of brackets may leave the quoting to those.
        optional = kind in QUOTED_INSIDE and node.get("clause") is None
        clauses = () if optional else self.clauses(node)
        labels = node.get("labels") or {}
        if not isinstance(labels, dict) or any(k not in KNOWN or not isinstance(v, str) for k, v in labels.items()):
            node.problem("labels", f"应为 输入名: 中文名称 的映射，输入名为 {'、'.join(KNOWN)} 之一")
            labels = {}
        common = {"clauses": clauses, "note": node.text("note", required=False),
                  "discretionary": node.flag("discretionary"), "labels": dict(labels)}
        rule = make(self, node, common)
        return None if node.bad else rule

    def unit(self, node: _Node) -> Decimal | None:
        return node.choice("unit", UNITS)

    # -- one builder per kind --------------------------------------------------------------------

    def rate_rule(self, node: _Node, common: dict[str, Any]) -> Rule:
        unit = self.unit(node) if node.get("cap") is not None or node.get("unit") is not None else None
        fields = dict(base=node.input_name("base", "money"), rate=self.rate(node, "rate", common["clauses"]),
                      cap=self.amount(node, "cap", unit, common["clauses"], required=False),
                      rounding=node.choice("rounding", ROUNDINGS))
        if node.get("kind") == "increase":
            return Increase(**common, **fields, previous=node.input_name("previous", "money"))
        return Rate(**common, **fields)

    def amount_rule(self, node: _Node, common: dict[str, Any]) -> Rule:
        return Amount(**common, amount=self.amount(node, "amount", self.unit(node), common["clauses"]),
                      mode=node.get("kind"))

    def per_unit_rule(self, node: _Node, common: dict[str, Any]) -> Rule:
        default = node.get("default_count")
        if default is not None and (isinstance(default, bool) or not isinstance(default, int) or default < 1):
            node.problem("default_count", "应为正整数")
        if not isinstance(node.get("up_to"), bool):
            node.problem("up_to", "应为 true（原文写“最高”）或 false")
        return PerUnit(**common, amount=self.amount(node, "amount", self.unit(node), common["clauses"]),
                       up_to=node.get("up_to") is True, unit_name=node.text("unit_name") or "",
                       default_count=default)

    def levels_rule(self, node: _Node, common: dict[str, Any]) -> Rule:
        levels, seen = [], set()
        for item in node.children("choices"):
            item.only(("key", "name", "aliases", "rule"))
            key, name = item.text("key"), item.text("name")
            aliases = item.get("aliases") or []
            if key is not None and not KEY.match(key):
                item.problem("key", "应为小写英文字母开头的简短英文键，如 national")
            if not isinstance(aliases, list) or not all(isinstance(a, str) and a for a in aliases):
                item.problem("aliases", "应为文本列表")
                aliases = []
            for word in (key, name, *aliases):
                if word in seen:
                    item.problem("key", f"“{word}”与其他级别重复")
                seen.add(word)
            sub = item.child("rule")
            rule = self.rule(sub) if sub else None
            node.bad = node.bad or item.bad or (sub is not None and sub.bad)
            if rule is not None:
                levels.append(Level(key=key or "", name=name or "", aliases=tuple(aliases), rule=rule))
        several = node.get("several")
        several = False if several is None else several
        if not isinstance(several, bool):
            node.problem("several", "应为 true（原文允许同时具备几个级别）或 false")
        return Levels(**common, choices=tuple(levels), several=several is True)

    def switch_rule(self, node: _Node, common: dict[str, Any]) -> Rule:
        branches = {}
        for key in ("when_set", "otherwise"):
            sub = node.child(key)
            branches[key] = self.rule(sub) if sub else None
            node.bad = node.bad or branches[key] is None
        return Switch(**common, flag=node.input_name("flag", "flag"), **branches)

    def sum_rule(self, node: _Node, common: dict[str, Any]) -> Rule:
        parts = []
        for item in node.children("parts"):
            item.only(("label", "when", "rule"))
            when = item.input_name("when", None) if item.get("when") is not None else None
            sub = item.child("rule")
            rule = self.rule(sub) if sub else None
            label = item.text("label")
            node.bad = node.bad or item.bad or rule is None
            parts.append(Part(label=label or "", when=when, rule=rule))  # type: ignore[arg-type]
        return Sum(**common, parts=tuple(parts))

    def brackets_rule(self, node: _Node, common: dict[str, Any]) -> Rule:
        unit = self.unit(node)
        brackets, low = [], Decimal(0)
        items = node.children("brackets")
        clauses = list(common["clauses"])
        for i, item in enumerate(items):
            item.only(("upto", "rate", "clause"))
            own = self.clauses(item)
            clauses += [c for c in own if c not in clauses]
            high = self.amount(item, "upto", unit, own, required=False)
            if "upto" not in item.data:
                item.problem("upto", "缺少必填字段（最后一档写 upto: null 表示以上全部）")
            elif high is None and i < len(items) - 1:
                item.problem("upto", "只有最后一档可以不设上界")
            elif high is not None and high <= low:
                item.problem("upto", "各档上界应逐档增大")
            rate = self.rate(item, "rate", own)
            node.bad = node.bad or item.bad
            brackets.append(Bracket(low=low, high=high, rate=rate or Decimal(0), clause=own[0] if own else ""))
            low = high if high is not None else low
        years, years_clause = None, None
        if node.get("years") is not None:
            sub = node.child("years")
            if sub is not None:
                sub.only(("max", "clause"))
                own = self.clauses(sub)
                years = sub.get("max")
                if isinstance(years, bool) or not isinstance(years, int) or years < 1:
                    sub.problem("max", "应为正整数（补贴年数上限）")
                elif own and not _found(f"{years}年", own):
                    sub.problem("max", f"{years}年 未出现在 clause 中")
                years_clause = own[0] if own else None
                clauses += [c for c in own if c not in clauses]
                node.bad = node.bad or sub.bad
        rate_of_value = node.get("rate_of")
        if rate_of_value not in (None, "lpr"):
            node.problem("rate_of", "只能是 lpr（各档比例为 LPR 的份额），或省略")
        common = {**common, "clauses": tuple(clauses)}
        return Brackets(**common, base=node.input_name("base", "money"), mode=node.choice("mode", {"sum": "sum", "lookup": "lookup"}),
                        brackets=tuple(brackets), rate_of=rate_of_value, rounding=node.choice("rounding", ROUNDINGS),
                        max_years=years, years_clause=years_clause)

    def support_rule(self, node: _Node, common: dict[str, Any]) -> Rule:
        return NoMoney(**common, support=node.text("support") or "", stated=node.get("kind") == "none")


KINDS: dict[str, tuple[tuple[str, ...], Callable[[_Reader, _Node, dict[str, Any]], Rule]]] = {
    "rate": (("base", "rate", "cap", "unit", "rounding"), _Reader.rate_rule),
    "increase": (("base", "previous", "rate", "cap", "unit", "rounding"), _Reader.rate_rule),
    "fixed": (("amount", "unit"), _Reader.amount_rule),
    "up_to": (("amount", "unit"), _Reader.amount_rule),
    "about": (("amount", "unit"), _Reader.amount_rule),
    "per_unit": (("amount", "up_to", "unit_name", "default_count", "unit"), _Reader.per_unit_rule),
    "levels": (("choices", "several"), _Reader.levels_rule),
    "switch": (("flag", "when_set", "otherwise"), _Reader.switch_rule),
    "sum": (("parts",), _Reader.sum_rule),
    "brackets": (("base", "mode", "rate_of", "brackets", "years", "unit", "rounding"), _Reader.brackets_rule),
    "none": (("support",), _Reader.support_rule),
    "unstated": (("support",), _Reader.support_rule),
}


def parse_award(block: Any, field: str, content: str | None, sink: Sink, line: int = 0) -> Rule | None:
    """The rule of one `award:` block, or None after reporting its problems to `sink`."""
    return _read(_Reader(content), block, field, sink, line)


def _read(reader: _Reader, block: Any, field: str, sink: Sink, line: int) -> Rule | None:
    if not isinstance(block, dict):
        sink(line, field, "应为映射（键: 值），含 kind 和 clause")
        return None
    return reader.rule(_Node(block, field, sink, line))


def check_award(check: Any, node: Any, field: str) -> None:
    """Load-time validation of a policy node's `award:` block, through the catalog checker (once per
    distinct block and the clauses it quotes: see `Checker.once`)."""
    block = node.get("award")
    if block is None:
        return
    content = node.get("content") if isinstance(node.get("content"), str) else None

    def run() -> tuple[str, ...]:
        reader = _Reader(content)
        _read(reader, block, f"{field}.award", check.add, node.lines.get("award", node.line))
        return tuple(reader.quoted)

    check.once("award", block, content, run)

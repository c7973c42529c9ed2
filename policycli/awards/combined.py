"""The rule kinds that hold other rules: `levels` (one rule per level, or several levels held at
once), `switch` (one rule or another by a flag input) and `sum` (the total of parts)."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from ..errors import InputError, named
from .inputs import InputSpec, MissingInputs, merge, spec
from .kinds import PerUnit, Rule
from .money import format_wan, format_yuan
from .running import Ceiling, Outcome, Run, Share, Step, figure


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

    def evaluate(self, ctx: Run) -> Outcome:
        value, item = ctx.value("level"), ctx.specs["level"]
        parts = split_levels(str(value))
        if len(parts) > 1 or (self.several and parts and parts[0][1] is not None):
            return self._several(ctx, parts, item)
        chosen = self.pick(value, item)
        ctx.inputs = [Step(s.label, chosen.name, s.name) if s.name == "level" else s for s in ctx.inputs]
        return chosen.rule.run(ctx)

    def _several(self, ctx: Run, parts: list[tuple[str, int | None]], item: InputSpec) -> Outcome:
        """Several levels at once: 省级优秀、市级优秀; 标杆型×2、基础型×3 (counts for per-unit levels)."""
        if not self.several:
            names = "、".join(c.name for c in self.choices)
            raise InputError(f"{item.mark} 的值“{ctx.raw.get('level')}”有多个{item.label}，本政策只能选一个：{names}")
        if ctx.given("count"):
            count = named("count", "数量")
            if len(parts) == 1:  # 标杆型×2 with --count 3: the count given twice
                raise InputError(f"个数给了两次：{item.mark} 的值“{ctx.raw.get('level')}”中已有个数，又给了 {count}；"
                                 f"请只写一处，如 {item.mark} {parts[0][0]}×{parts[0][1]}，去掉 {count}")
            raise InputError(f"选了多个{item.label}时请把个数写在各自后面，如 {item.mark} "
                             f"{self.choices[0].name}×2、{self.choices[-1].name}×1，不要另加 {count}")
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
        pieces: list[tuple[str, Outcome]] = []
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
        if self._held_together():  # 约200万元＋最高50万元: both evaluations, each in its word
            return "＋".join(c.rule.ceiling_text() for c in self.choices)
        said = {(c.word, c.per) for c in self.ceilings()}
        if len(said) == 1 and len(self.ceilings()) == len(self.choices):  # 定额1000万元或100万元, 最高1000万元或50万元
            word, per = next(iter(said))
            amounts = sorted({c.amount for c in self.ceilings()}, reverse=True)
            return (f"每个{per}" if per else "") + word + "或".join(format_wan(a) for a in amounts)
        return "或".join(c.rule.ceiling_text() for c in self.choices)

    def ceilings(self) -> tuple[Ceiling, ...]:
        """Every level's amount, labelled with the level."""
        return tuple(replace(c, label=_joined(level.name, c.label)) for level in self.choices for c in level.rule.ceilings())

    def _held_together(self) -> bool:
        """Several levels at once, each a single award (not per community): their amounts add up."""
        return self.several and not any(isinstance(c.rule, PerUnit) for c in self.choices)


def _word(outcome: Outcome) -> str:
    if outcome.approximate:
        return "约"
    if outcome.is_maximum:
        return "最高"
    return "定额" if outcome.amount and outcome.fixed_part == outcome.amount else ""


def _total(ctx: Run, pieces: list[tuple[str, Outcome]]) -> Outcome:
    """The sum of parts; each keeps its own word (定额, 最高, 约) when they differ."""
    parts: list[Share] = []
    for label, result in pieces:
        parts += [replace(p, label=f"{label}：{p.label}") for p in result.parts] or \
            [Share(label, result.amount or Decimal(0), _word(result))]
    amount = sum((p.amount for p in parts), Decimal(0))
    outcome = Outcome(amount, any(r.is_maximum for _, r in pieces), any(r.cap_reached for _, r in pieces),
                       any(r.approximate for _, r in pieces), sum((r.fixed_part for _, r in pieces), Decimal(0)),
                       tuple(parts) if len({p.word for p in parts}) > 1 else ())
    if len(pieces) > 1:
        ctx.step("合计", " + ".join(figure(r.amount or Decimal(0)) for _, r in pieces) + f" = {format_yuan(amount)}")
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

    def run(self, ctx: Run) -> Outcome:
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
        """The ordinary rule's amounts, then a discretionary track's as 视情最高."""
        if self.when_set.discretionary and not self.otherwise.discretionary:
            track = tuple(replace(c, word="视情" + c.word, label=self.labels.get(self.flag) or spec(self.flag).label)
                          for c in self.when_set.ceilings())
            return self.otherwise.ceilings() + track
        return self.otherwise.ceilings() + self.when_set.ceilings()


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

    def evaluate(self, ctx: Run) -> Outcome:
        applying = [p for p in self.parts if p.when is None or ctx.given(p.when)]
        if not applying:
            wanted = [ctx.specs[p.when] for p in self.parts if p.when]
            raise MissingInputs("至少需要以下一项：" + "；".join(s.mark for s in wanted),
                                [s.name for s in wanted], any_of=True)
        pieces: list[tuple[str, Outcome]] = []
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
        return tuple(replace(c, label=_joined(part.label, c.label)) for part in self.parts for c in part.rule.ceilings())

    def ceiling_text(self) -> str:
        """Each part in its own words, never summed (定额…＋每个场景最高…); the parts are named when one
        is paid only on a condition (绩效优秀奖励最高30万元) or two would read alike."""
        texts = [p.rule.ceiling_text() for p in self.parts]
        conditional = any(p.when and spec(p.when).kind == "flag" for p in self.parts)
        if conditional or len(set(texts)) < len(texts):
            texts = [p.label + t for p, t in zip(self.parts, texts)]
        return "＋".join(texts)


def _joined(outer: str, inner: str) -> str:
    return f"{outer}：{inner}" if outer and inner else outer or inner

"""What an enterprise is and what it did: the fact vocabulary and the profile that holds the answers.

One vocabulary serves three readers: the `conditions:` of each policy name its facts, a profile file
sets them, and the interactive questions ask for them. Figures use the estimate engine's input names
(invest, rd, loan, signed, …) so a profile passes straight to `awards.rules.estimate`.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from ..dataset.lookup import normalize
from ..errors import InputError, fact as fact_mark

FLAG, CHOICE, CHOICES, MONEY, MONTH, COUNT, RATE, TEXT = (
    "flag", "choice", "choices", "money", "month", "count", "rate", "text")
ATTRIBUTE, RECOGNITION, FIGURE = "基本情况", "认定与入选", "数据"


@dataclass(frozen=True)
class Fact:
    key: str
    label: str  # short Chinese name shown in tables
    question: str  # what the interactive mode asks
    kind: str
    choices: tuple[str, ...] = ()
    group: str = ATTRIBUTE
    maximum: int | None = None  # for counts with an upper bound (e.g. years of interest subsidy)
    keys: tuple[str, ...] = ()  # short ASCII names aligned with `choices`, also accepted
    aliases: Mapping[str, str] = field(default_factory=dict)  # everyday words for a choice (ours, not the text's)
    several: bool = False  # a choice that may name several levels at once ("标杆型×2、基础型×3")


RECOGNITIONS = (
    "高新技术企业上市培育库",
    "省级虚拟现实应用体验中心",
    "省级工业资源综合利用试点基地",
    "省级数字经济园区",
    "省级数字产业重点项目库",
    "省级产业大脑",
    "国家级双跨工业互联网平台",
    "国家级特色专业型工业互联网平台",
    "省级揭榜挂帅场景解决方案",
    "工业互联网标识解析二级节点",
    "标杆型智慧社区",
    "成长型智慧社区",
    "基础型智慧社区",
    "全国重点实验室",
    "技术创新中心",
    "市级重点实验室绩效评估优秀",
    "省级新型研发机构评价优秀",
    "市级新型研发机构评价优秀",
    "省新旧动能转换公共实训项目",
    "应收账款确权金额和增速全省前10名",
    "商业汇票签发量和增速全省前10名",
    "供应链票据签发量年度前20名",
    "直接接入上海票据交易所供应链票据平台",
    "创新供应链金融产品的金融机构",
)

# How people name what they are, for the `entity` choices. Our own synonyms, not words of the text:
# a company is an 企业 whatever its legal form.
ENTITY_WORDS = {
    **dict.fromkeys(("公司", "有限公司", "有限责任公司", "股份有限公司", "股份公司", "集团", "集团公司", "企业法人",
                     "民营企业", "国有企业", "国企", "外资企业", "外商投资企业", "合资企业", "工厂", "厂"), "企业"),
    **dict.fromkeys(("个体户", "个体经营户"), "个体工商户"),
    **dict.fromkeys(("大学", "学院", "高等院校", "高等学校", "院校"), "高校"),
    **dict.fromkeys(("研究院", "研究所", "科研机构", "科研单位"), "科研院所"),
    **dict.fromkeys(("协会", "学会", "商会", "基金会", "社会团体", "民办非企业单位", "社团"), "社会组织"),
    **dict.fromkeys(("银行", "商业银行", "证券公司", "保险公司"), "金融机构"),
    **dict.fromkeys(("自然人",), "个人"),
}

def _figure(key: str, question: str, **fields: Any) -> Fact:
    """A figure of the estimate as a profile key: its label and kind from `awards.inputs.INPUTS`."""
    from ..awards.input_table import INPUTS

    item = INPUTS[key]
    return Fact(key, item.label, question, item.kind, group=FIGURE, **fields)


FACTS: tuple[Fact, ...] = (
    Fact("entity", "主体类型", "申请主体是哪一类？", CHOICE,
         ("企业", "个体工商户", "高校", "科研院所", "社会组织", "金融机构", "个人"),
         aliases=ENTITY_WORDS),
    Fact("manufacturer", "制造业企业", "是否为制造业企业？", FLAG),
    Fact("above_scale", "规模以上企业", "是否为规模以上企业（规上企业）？", FLAG),
    Fact("high_tech", "高新技术企业", "是否为已认定的高新技术企业？", FLAG),
    Fact("tech_firm", "科技型企业", "是否为科技型企业（如科技型中小企业、高新技术企业）？", FLAG),
    Fact("specialized", "专精特新企业", "是否为“专精特新”企业（含专精特新“小巨人”）？", FLAG),
    Fact("ic_industry", "集成电路产业企业", "是否为集成电路产业企业？", FLAG),
    Fact("graduate", "大学生或高校毕业生创业", "创业者（申请人）是否为大学生或高校毕业生？", FLAG),
    Fact("recognitions", "认定与入选", "企业（或其平台、项目）已获得下列哪些认定、入选或评价结果？", CHOICES,
         RECOGNITIONS, RECOGNITION),
    Fact("retrofit", "实施技术改造", "本年度是否实施了技术改造项目？", FLAG),
    Fact("base_accepted", "试点基地已验收通过", "省级工业资源综合利用试点基地是否已验收通过？", FLAG),
    Fact("data_center", "建设新型数据中心", "是否正在建设或已建成新型数据中心？", FLAG),
    Fact("instruments", "管理科研设施与仪器", "是否管理可向社会开放共享的科研设施与仪器？", FLAG),
    Fact("loan_mode", "贷款融资模式", "企业贷款属于哪种融资模式？", CHOICE,
         ("投保贷", "投贷", "跟贷", "其他投（保）贷模式", "普通贷款", "无贷款")),
    Fact("repaid", "贷款已正常还贷", "该笔贷款是否已正常还贷？", FLAG),
    _figure("invest", "本年度技术改造的设备投资额是多少？"),
    _figure("major", "技术改造项目是否属于重大技改项目？"),
    _figure("rd", "本年度可加计扣除的研发费用是多少？"),
    _figure("rd_last", "上年度可加计扣除的研发费用是多少？"),
    _figure("loan", "投（保）贷贷款金额是多少？"),
    _figure("signed", "贷款合同是哪个月签订的？"),
    _figure("years", "申请贴息的年数（1–3 年，默认 3 年）？", maximum=3),
    _figure("lpr", "指定使用的 LPR（代替公布值，如 3.45%）？"),
    _figure("lpr_term", "按哪一期限的 LPR 计算？", choices=("1年期", "5年期以上"), keys=("1y", "5y")),
    _figure("excellent", "公共实训项目完成后绩效评价是否为优秀？"),
)
# FACTS are in the order a person answers them, which the questions follow (interactive and the web
# form): who applies and what it is, what it has been recognised for, what it did, its loan and the
# loan's repayment, then the figures.
FACT_BY_KEY: dict[str, Fact] = {f.key: f for f in FACTS}
ASKED_ORDER: dict[str, int] = {f.key: n for n, f in enumerate(FACTS)}
NAME_KEY, FIGURES_KEY = "name", "figures"
PROFILE_KEYS = (NAME_KEY, *FACT_BY_KEY, FIGURES_KEY)

# How people answer yes, no and "none of these" (our own list of everyday words).
_TRUE = {"true", "yes", "y", "1", "是", "是的", "有", "有的", "对", "对的", "属于", "已", "已经", "t"}
_FALSE = {"false", "no", "n", "0", "否", "不是", "没有", "没", "无", "不", "不对", "不属于", "未", "还没有", "暂无", "f"}
_NONE = {"", "无", "没有", "没", "否", "不", "不是", "都没有", "都没", "都无", "均无", "全无", "都不是", "暂无", "尚无",
         "还没有", "一个都没有", "一项都没有", "一个也没有", "none", "no", "n", "nothing", "0", "零", "〇", "-"}
_SPLIT = re.compile(r"[,，、;；\s]+")


@dataclass(frozen=True)
class Profile:
    """An enterprise's answers: facts (top-level keys) and per-policy figures (`figures:`)."""

    facts: Mapping[str, Any] = field(default_factory=dict)
    figures: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    name: str | None = None
    source: str | None = None

    def known(self, key: str) -> bool:
        return key in self.facts

    def with_fact(self, key: str, value: Any) -> Profile:
        return replace(self, facts={**self.facts, key: value})

    def with_figure(self, policy_id: str, name: str, value: Any) -> Profile:
        figures = {k: dict(v) for k, v in self.figures.items()}
        figures.setdefault(policy_id, {})[name] = value
        return replace(self, figures=figures)

    def inputs_for(self, policy_id: str) -> dict[str, Any]:
        """The figures for one policy: the shared ones, overridden by that policy's own."""
        shared = {k: v for k, v in self.facts.items() if FACT_BY_KEY[k].group == FIGURE}
        return {**shared, **self.figures.get(policy_id, {})}

    @property
    def display_name(self) -> str:
        if self.name:
            return self.name
        if self.source:
            from pathlib import Path

            return readable_name(Path(self.source).stem)
        return "（未命名企业）"

    def to_data(self) -> dict[str, Any]:
        """A plain mapping that `parse_profile` reads back to the same profile."""
        data: dict[str, Any] = {}
        if self.name:
            data[NAME_KEY] = self.name
        for fact in FACTS:
            if fact.key in self.facts:
                value = self.facts[fact.key]
                data[fact.key] = f"{value:f}%" if fact.kind == RATE else _plain_value(value)
        if self.figures:
            data[FIGURES_KEY] = {pid: {k: _plain_value(v) for k, v in values.items()}
                                 for pid, values in self.figures.items()}
        return data


def readable_name(name: str) -> str:
    """A file name as its owner knows it: names from archives made on Windows are often GBK bytes,
    which Python keeps undecoded (as surrogates) in a UTF-8 locale."""
    if not any(0xDC80 <= ord(ch) <= 0xDCFF for ch in name):
        return name
    import os

    raw = os.fsencode(name)
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="replace")


def _plain_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else format(value, "f")
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, date):
        return f"{value:%Y-%m}"
    return value


# --- values ------------------------------------------------------------------------------------


def parse_value(fact: Fact, raw: Any) -> Any:
    """The value `raw` (from YAML, a --set flag or a typed answer) as the fact's type.

    Raises InputError naming the fact by its mark (`_named`), which each interface words: by the
    setting or the line of the file that gave the value, or by the field of a form.
    """
    if raw is None:
        raise InputError(f"{_named(fact)}值为空；不清楚就删掉这一项")
    if isinstance(raw, (dict, set, frozenset, bytes, bytearray)) or (isinstance(raw, (list, tuple)) and fact.kind != CHOICES):
        raise InputError(f"{_named(fact)}应为{expected(fact)}，实际是{_kind(raw)}")
    parse = _PARSERS[fact.kind]
    return parse(fact, raw)


def _named(fact: Fact) -> str:
    """The fact in a message about its value (`errors.fact`): by its label before 的值, by its field
    on a form, left out where the setting or the line of the file names it already."""
    return fact_mark(fact.key, fact.label)


def expected(fact: Fact) -> str:
    """What a value of `fact` is, as a message names it."""
    if fact.kind in (CHOICE, CHOICES):
        return f"{'' if fact.kind == CHOICE else '一项或多项'}以下之一：{'、'.join(fact.choices)}"
    return {FLAG: "是/否（true 或 false）", MONEY: "金额，如 3000万", MONTH: "年-月，如 2024-03", COUNT: "整数",
            RATE: "百分数，如 3.1%", TEXT: "文本"}[fact.kind]


def _kind(raw: Any) -> str:
    from ..dataset.yamlfile import kind_name

    return kind_name(raw)


def _flag(fact: Fact, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = normalize(str(raw))
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise InputError(f"{_named(fact)}“{raw}”不是是/否，请写 是 或 否（也可写 true、false）")


def _choice(fact: Fact, raw: Any) -> str:
    text = str(raw).strip()
    if isinstance(raw, bool) or not text:
        raise InputError(f"{_named(fact)}应为以下之一：{'、'.join(fact.choices)}")
    if fact.several:
        from ..awards.combined import split_levels

        parts = split_levels(text)
        if len(parts) > 1 or (parts and parts[0][1] is not None):
            return "、".join(_named_choice(fact, name) + ("" if count is None else f"×{count}")
                            for name, count in parts)
    return _named_choice(fact, text)


def _named_choice(fact: Fact, text: str) -> str:
    number = normalize(text)  # the number shown before each choice: 3, ３
    if number.isascii() and number.isdigit() and text not in fact.choices and len(number) <= 3 \
            and 1 <= int(number) <= len(fact.choices):
        return fact.choices[int(number) - 1]
    if normalize(text) in fact.keys:
        return fact.choices[fact.keys.index(normalize(text))]
    if text in fact.aliases:
        return fact.aliases[text]
    return _one_choice(fact, text)


def _one_choice(fact: Fact, text: str) -> str:
    from ..dataset.lookup import match_choice

    try:
        found = match_choice(text, list(fact.choices), fact.label)
    except InputError:
        raise InputError(f"{_named(fact)}“{text}”不是可选值，应为以下之一：{'、'.join(fact.choices)}") from None
    if len(found) > 1:
        raise InputError(f"{_named(fact)}“{text}”可指 {'、'.join(found)}，请写完整")
    return found[0]


def _choices(fact: Fact, raw: Any) -> tuple[str, ...]:
    if isinstance(raw, (list, tuple)):
        odd = next((i for i, item in enumerate(raw, 1) if not isinstance(item, (str, int)) or isinstance(item, bool)), None)
        if odd is not None:
            raise InputError(f"{_named(fact)}列表的第 {odd} 项应为以下之一：{'、'.join(fact.choices)}，实际是{_kind(raw[odd - 1])}")
        items = [str(item).strip() for item in raw]
    elif isinstance(raw, str):
        items = [] if normalize(raw) in _NONE else _SPLIT.split(raw.strip())
    else:
        raise InputError(f"{_named(fact)}应为列表，如 [{fact.choices[0]}]；没有就写 []")
    picked: list[str] = []
    for item in items:
        if not item:
            continue
        value = _choice(fact, item)
        if value not in picked:
            picked.append(value)
    return tuple(c for c in fact.choices if c in picked)


def _money(fact: Fact, raw: Any) -> Decimal:
    from ..awards.money import parse_amount

    if isinstance(raw, bool):
        raise InputError(f"{_named(fact)} 的值“{raw}”不是金额，请写成 30000000、3000万 或 0.3亿")
    return parse_amount(str(raw), _named(fact))


def _month(fact: Fact, raw: Any) -> date:
    from ..awards.lpr import parse_month

    return parse_month(raw, _named(fact))


def _count(fact: Fact, raw: Any) -> int:
    from ..awards.money import parse_count

    if isinstance(raw, bool):
        raise InputError(f"{_named(fact)} 的值“{raw}”不是整数，请写成 1、2、3 这样的个数")
    value = parse_count(str(raw), _named(fact))
    if fact.maximum is not None and not 1 <= value <= fact.maximum:
        raise InputError(f"{_named(fact)} 的值“{raw}”超出范围，应为 1 到 {fact.maximum}")
    return value


def _rate(fact: Fact, raw: Any) -> Decimal:
    """A percentage, kept as the percent number (3.1 for "3.1%"), as the estimate engine reads it."""
    from ..awards.money import parse_percent

    text = format(raw, "f") if isinstance(raw, Decimal) else str(raw)
    fraction = parse_percent(text, _named(fact), low=Decimal("0.5"), high=Decimal(20))
    return Decimal(format((fraction * 100).normalize(), "f"))


def _text(fact: Fact, raw: Any) -> str:
    if isinstance(raw, (dict, list)):
        raise InputError(f"{_named(fact)}应为文本")
    return str(raw).strip()


_PARSERS = {FLAG: _flag, CHOICE: _choice, CHOICES: _choices, MONEY: _money, MONTH: _month,
            COUNT: _count, RATE: _rate, TEXT: _text}

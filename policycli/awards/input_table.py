"""The one table of estimate inputs, apart from their parsing (`inputs`) so that the command line
builds its options from it without loading the money parser at start."""
from __future__ import annotations



class Input:
    """One estimate input of any policy: its kind, its default label (a rule may name it its own
    way), what to give in a help text or a form's hint, and how its value is written (metavar).
    A plain class: a dataclass would cost every start of the command a millisecond."""

    __slots__ = ("kind", "label", "help", "metavar")

    def __init__(self, kind: str, label: str, help: str, metavar: str = ""):
        self.kind, self.label, self.help, self.metavar = kind, label, help, metavar


# The one table of estimate inputs: the command line's options, `estimate POLICY --help`, the web's
# form and API parameters and the profile's figures are made from it.
INPUTS: dict[str, Input] = {
    "invest": Input("money", "年度设备投资额", "年度设备投资额，如 3000万、0.3亿。", "金额"),
    "major": Input("flag", "属于重大技改项目", "属于重大技改项目（可视情支持）。"),
    "rd": Input("money", "本年度可加计扣除研发费用", "本年度可加计扣除研发费用，如 3000万、0.3亿。", "金额"),
    "rd_last": Input("money", "上年度可加计扣除研发费用", "上年度可加计扣除研发费用，如 3000万、0.3亿。", "金额"),
    "loan": Input("money", "贷款金额", "贷款金额，如 3000万、0.3亿。", "金额"),
    "signed": Input("month", "贷款合同签订月份", "贷款合同签订月份，如 2024-03。", "年-月"),
    "years": Input("count", "补贴年数", "贴息年数，默认且最多 3 年。", "年数"),
    "lpr": Input("rate", "指定 LPR（代替公布值）", "指定 LPR，如 3.1%（代替公布值）。", "利率"),
    "lpr_term": Input("choice", "LPR 期限", "LPR 期限：1y（默认）或 5y。", "1y|5y"),
    "cost": Input("money", "建设费用", "建设费用，如 3000万、0.3亿。", "金额"),
    "level": Input("choice", "级别", "级别或类型，如 双跨、标杆型、市级优秀；原文允许时可写几种，如 标杆型×2、基础型×3。", "级别"),
    "count": Input("count", "数量", "基地、社区或场景的个数。", "个数"),
    "excellent": Input("flag", "绩效评价为优秀", "绩效评价等次为优秀。"),
}
KNOWN: dict[str, tuple[str, str]] = {name: (item.kind, item.label) for name, item in INPUTS.items()}  # name → (kind, label)
FLAGS = tuple(name for name, item in INPUTS.items() if item.kind == "flag")
# Inputs that may be given several times; the values are one list, as if written "标杆型×2、基础型×3"
REPEATABLE = ("level",)
LIST_SEPARATOR = "、"


def given_once(name: str, values: list[str]) -> str | None:
    """The value of the input `name` from every value given for it: the repeatable ones joined into
    one list, any other refused when given more than once (silently keeping the last would change
    the amount)."""
    from ..errors import InputError, named

    values = [v for v in values if v is not None and str(v).strip()]
    if len(values) > 1 and name not in REPEATABLE:
        raise InputError(repeated_message(named(name, INPUTS[name].label), values), code="repeated_input", field=name)
    return LIST_SEPARATOR.join(str(v).strip() for v in values) if values else None


def repeated_message(mark: str, values: list[str]) -> str:
    """The one line for a value given more than once where one is taken."""
    return f"{mark} 只能给一个值，却给了 {len(values)} 次（{'、'.join(map(str, values))}）；请只保留一个"

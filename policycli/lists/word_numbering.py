"""Word's automatic numbering written out: a paragraph numbered by a list style or its own
numbering properties shows "1." or "（一）" on the page, but its text holds none of it. Each such
paragraph gets the label Word would show, from the numbering part's level formats
(`%1.`, `（%1）`; decimal or Chinese counting), counted per list and level as Word counts them."""
from __future__ import annotations

from typing import Any

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CN_DIGITS = "零一二三四五六七八九"


def chinese(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (counting as in 第一百零五条)."""
    if n < 10:
        return CN_DIGITS[n]
    if n < 20:
        return "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return CN_DIGITS[n // 10] + "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    rest = n % 100
    tail = "" if rest == 0 else ("零" + CN_DIGITS[rest] if rest < 10 else ("一" + chinese(rest) if rest < 20 else chinese(rest)))
    return CN_DIGITS[n // 100] + "百" + tail if n < 1000 else str(n)


FORMATS = {
    "decimal": str,
    "decimalFullWidth": lambda n: str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９")),
    "chineseCounting": chinese,
    "chineseCountingThousand": chinese,
    "ideographTraditional": lambda n: "甲乙丙丁戊己庚辛壬癸"[(n - 1) % 10],
    "decimalEnclosedCircleChinese": lambda n: chr(0x2460 + n - 1) if n <= 20 else str(n),
    "decimalEnclosedCircle": lambda n: chr(0x2460 + n - 1) if n <= 20 else str(n),
}


class Numbering:
    """The labels of a document's numbered paragraphs, in document order."""

    def __init__(self, document: Any):
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # numId -> ilvl -> (format, text, start)
        self.counts: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {a.get(f"{W}abstractNumId"): a for a in root.iter(f"{W}abstractNum")}
        for num in root.iter(f"{W}num"):
            ref = num.find(f"{W}abstractNumId")
            definition = abstract.get(ref.get(f"{W}val")) if ref is not None else None
            if definition is not None:
                self.levels[num.get(f"{W}numId")] = {int(lvl.get(f"{W}ilvl", "0")): _level(lvl)
                                                     for lvl in definition.iter(f"{W}lvl")}

    def label(self, paragraph: Any) -> str:
        """The label Word shows before `paragraph` ("" when it is not numbered)."""
        num_id, ilvl = _numbering_of(paragraph)
        levels = self.levels.get(num_id or "")
        if not levels or ilvl not in levels:
            return ""
        fmt, text, start = levels[ilvl]
        counts = self.counts.setdefault(num_id, {})
        counts[ilvl] = counts.get(ilvl, start - 1) + 1
        for deeper in [k for k in counts if k > ilvl]:
            del counts[deeper]  # a new item restarts the levels below it
        if fmt not in FORMATS:
            return ""
        label = text
        for level, (level_fmt, _, level_start) in levels.items():
            value = counts.get(level, level_start)
            label = label.replace(f"%{level + 1}", FORMATS.get(level_fmt, str)(value))
        return label


def _level(lvl: Any) -> tuple[str, str, int]:
    fmt = lvl.find(f"{W}numFmt")
    text = lvl.find(f"{W}lvlText")
    start = lvl.find(f"{W}start")
    return (fmt.get(f"{W}val") if fmt is not None else "decimal",
            text.get(f"{W}val") if text is not None else "",
            int(start.get(f"{W}val", "1")) if start is not None else 1)


def _numbering_of(paragraph: Any) -> tuple[str | None, int]:
    """The list and level of a paragraph: its own numbering properties, else its style's."""
    for owner in (paragraph._p, _style_element(paragraph)):
        ppr = owner.find(f"{W}pPr") if owner is not None else None
        numpr = ppr.find(f"{W}numPr") if ppr is not None else None
        if numpr is not None:
            num_id = numpr.find(f"{W}numId")
            ilvl = numpr.find(f"{W}ilvl")
            value = num_id.get(f"{W}val") if num_id is not None else None
            return (None if value == "0" else value), int(ilvl.get(f"{W}val", "0")) if ilvl is not None else 0
    return None, 0


def _style_element(paragraph: Any) -> Any:
    try:
        return paragraph.style.element
    except (KeyError, AttributeError, ValueError):
        return None

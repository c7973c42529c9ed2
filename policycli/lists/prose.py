"""Reading the words of a list by their meaning, whatever the format: which numbering marks its
items and which its headings, a policy's own title (bold, before a colon, or a short first
sentence), the trailing clause naming its lead units, and the list's title, region, year and
batch (from the document, else from the file name)."""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .numbering import ARABIC, ARABIC_PAREN, ARTICLE, CIRCLED_STYLE, CN_DUN, CN_PAREN, PART_WORD, numbered

HEADING_ORDER = (PART_WORD, CN_DUN, CN_PAREN, ARABIC, ARABIC_PAREN, ARTICLE, CIRCLED_STYLE)
CONTENT_LIKE = 30  # a numbered paragraph twice as long as this is a policy's text, not a heading

# Labels and clauses in simplified and traditional script (a page of a Hong Kong-facing or
# older site, a list typed with a traditional input method).
UNIT_LABEL = r"(?:[责責][任][单單]位|[牵牽][头頭][单單]位|[责責]任部[门門]|[牵牽][头頭]部[门門]|[实實]施[单單]位|主管部[门門]|[责責]任主[体體]|[牵牽][头頭]|[责責]任)"
LEAD_CLAUSE = re.compile(rf"[（(]\s*{UNIT_LABEL}\s*[:：]\s*([^（）()]+?)\s*[）)]\s*[。.；;]?\s*$")
LED_CLAUSE = re.compile(r"[（(]\s*([^（）()：:]+?)\s*(?:[牵牽][头頭](?:[负負][责責]|落[实實]|[实實]施)?|按[职職][责責]分工[负負][责責]|[负負][责責])"
                        r"(?:[，,；;][^（）()]*)?[）)]\s*[。.；;]?\s*$")
HELPERS = re.compile(r"[；;，,]?\s*(?:配合[单單]位|[协協]辦[单單]位|协办单位|配合部[门門]|[协協]助[单單]位)\s*[:：].*$", re.S)
COUNT = re.compile(r"\s*[（(]\s*共\s*(\d+)\s*项\s*[）)]\s*$")
PHONE = re.compile(r"(?<![\d-])[（(]?(0\d{2,3})[）)]?\s*[-－—–]?\s*(\d{7,8})(?!\d)|(?<![\d-])(1[3-9]\d{9})(?!\d)|(?<![\d-])(\d{7,8})(?!\d)")
CLOSING = re.compile(r"^(本(政策|措施|办法|清单|细则|方案|意见|通知|规定)|以上|附件|备注|注\s*[:：]|说明\s*[:：]|特此)")
NOT_TITLE = re.compile(r"^(附件\s*\d*\s*[:：]?|.*〔\d{4}〕\d+号|.*\d{4}年\d{1,2}月\d{1,2}日|发布(时间|日期|机构)|来源|浏览|索引号|.*[:：])$"
                       r"|当前位置|首页|.*[>›»]|[\u4e00-\u9fff]{2,6}( [\u4e00-\u9fff]{2,6}){2,}$")  # a page's navigation
TITLE_WORDS = re.compile(r"[清][单單]|政策|措施|[办辦]法|[汇匯][编編]|[细細][则則]|方案|意[见見]|若干|[举舉]措|目[录錄]")
YEAR = re.compile(r"(20\d{2})\s*(?:年|版|$|[^\d])")
BATCH = re.compile(r"第\s*([一二三四五六七八九十\d]+)\s*[批]")
REGION = re.compile(r"^((?:[\u4e00-\u9fff]{2,6}?(?:省|自治区|自治區))?(?:[\u4e00-\u9fff]{2,6}?(?:市|州|盟))?"
                    r"[\u4e00-\u9fff]{1,6}?(?:新区|区|县|旗|市|新區|區|縣)(?:[（(][\u4e00-\u9fff]{2,8}[）)])?)")


def units_of(text: str) -> list[str]:
    return [u.strip() for u in re.split(r"[、，,；;]", text) if u.strip()]


def lead_clause(text: str) -> tuple[str, list[str]]:
    """`text` without its trailing `（责任单位：…）` or `（…牵头，…配合）` clause, and the lead units
    it names (none when there is no such clause)."""
    for pattern in (LEAD_CLAUSE, LED_CLAUSE):
        match = pattern.search(text)
        if match:
            return text[:match.start()].rstrip(), units_of(HELPERS.sub("", match.group(1)))
    return text, []


def heading_parts(text: str) -> tuple[str, int | None, list[str]]:
    """A heading's name, the count it states (`（共15项）`) and the lead units of a clause
    (`（区科技局牵头）`) that apply to every item under it."""
    count = COUNT.search(text)
    name = text[:count.start()] if count else text
    name, units = lead_clause(name)
    return name.strip().rstrip("。."), int(count.group(1)) if count else None, units


def own_title(text: str, bold: str = "") -> tuple[str, str]:
    """A prose item's own title and its text: bold words it begins with or words before a colon
    (a label, not in the text), or a short first sentence (which stays in the text); ("", text)
    when it has none."""
    if bold and text.startswith(bold) and len(bold) < len(text):
        return bold.strip().rstrip("。：:．. "), text[len(bold):].lstrip("。：:．. ")
    label = re.match(r"^([^。：:，,；;（(]{2,30})[：:]\s*", text)
    if label and label.end() < len(text):
        return label.group(1).strip(), text[label.end():]
    sentence = re.match(r"^([^。：:，,；;（(]{2,25})。\s*\S", text)
    if sentence:  # a sentence of the policy's text too: kept in it
        return sentence.group(1).strip(), text
    return "", text


@dataclass(frozen=True)
class Plan:
    """Which numbering styles are headings (a part, then a section) and which marks items."""

    part: str | None
    section: str | None
    item: str | None


def plan_of(lines: Sequence[str], table_items: bool) -> Plan:
    """The plan of a document whose one-cell rows and paragraphs are `lines`: with items in a
    table, numbered lines are headings; otherwise the outermost style whose lines read as a
    policy's text (sentences) marks the items, or the innermost style when none does."""
    found: dict[str, list[str]] = {}
    for line in lines:
        number = numbered(line)
        if number is not None:
            found.setdefault(number.style, []).append(number.rest)
    styles = sorted(found, key=HEADING_ORDER.index)
    if table_items:
        headings = styles
        item = None
    else:
        long = [s for s in styles if sum(_sentences(r) for r in found[s]) * 2 > len(found[s])]
        item = long[0] if long else (styles[-1] if styles else None)
        headings = styles[: styles.index(item)] if item else []
    return Plan(part=headings[0] if headings else None, section=headings[1] if len(headings) > 1 else None, item=item)


def _sentences(text: str) -> bool:
    """Reads as a policy's text: long, or punctuated within (a heading may end with 。)."""
    return len(text) > 2 * CONTENT_LIKE or bool(re.search(r"[，。；,;]", text[:-1]))


def title_of(lines: Sequence[str]) -> str:
    """The list's title among the paragraphs before its first heading or item: the last run of
    title-like paragraphs (short, no full stop, not a date, file number or salutation), the last
    one naming a list or policies preferred. Runs of several lines (a title set on two) are joined."""
    runs: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if len(line) <= 60 and "。" not in line and not NOT_TITLE.match(line):
            current.append(line)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    named = [r for r in runs if TITLE_WORDS.search("".join(r))]
    chosen = (named or runs or [[]])[-1]
    return "".join(chosen)


def metadata(title: str, front: str, file_name: str) -> dict[str, tuple[str, str]]:
    """Year, batch and region, each with where it came from: "title", "front" (the text before the
    list: a notice's date), "file" (its name) or "" (nowhere)."""
    found: dict[str, tuple[str, str]] = {}
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", file_name)
    for key, pattern in (("year", YEAR), ("batch", BATCH), ("region", REGION)):
        places = (("title", title), ("front", front), ("file", stem)) if key == "year" else (("title", title), ("file", stem))
        for origin, text in places:
            if key == "region":
                text = re.sub(r"^(关于)?\s*(20\d{2}\s*年度?)?", "", text)
            match = pattern.search(text)
            if match:
                value = match.group(1)
                found[key] = (f"第{value}批" if key == "batch" else value, origin)
                break
        else:
            found[key] = ("", "")
    return found


def phones_in(text: str) -> list[tuple[str, str]]:
    """(kind, number) of each phone in `text`: "full" 0532-86175786, "local" 86175786 (no area
    code), "mobile" 13812345678."""
    out = []
    for match in PHONE.finditer(text):
        if match.group(1):
            out.append(("full", f"{match.group(1)}-{match.group(2)}"))
        elif match.group(3):
            out.append(("mobile", match.group(3)))
        else:
            out.append(("local", match.group(4)))
    return out


def without_phones(text: str) -> str:
    return PHONE.sub(" ", text)

"""The place a list is of, named in a query (黄岛 技改, 西海岸新区的数据中心补贴). A list's texts
rarely name their own district, so the name is no topic: it is read out of the query, and in a
library of lists of several places it keeps the lists of the place named (即墨 技改 over the lists
of 黄岛 and 即墨 finds 即墨's). Another province or city of data/places.yaml (深圳集成电路补贴, 上海
技改), which no list is of and no policy names, is a question for that place's lists: `elsewhere`."""
from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable

# The ends of an administrative unit's name, longest first: 山东省, 青岛市, 黄岛区, 西海岸新区, 某某县.
_SUFFIXES = ("自治区", "自治州", "自治县", "新区", "省", "市", "区", "县", "旗", "镇", "乡")
_UNIT = re.compile(r"[^省市区县旗镇乡（）()\s]+?(?:" + "|".join(_SUFFIXES) + ")")
_SHORT = 2  # a unit's name without its 市/区 is a place only when this long (黄岛, 青岛, 西海岸)


def place_names(region: str) -> set[str]:
    """The names a region is called by: each unit whole, without its 市/区/新区, and 新区 alone
    when it is a new area (the people of one say 新区)."""
    names: set[str] = set()
    for unit in _UNIT.findall(region):
        names.add(unit)
        for suffix in _SUFFIXES:
            if unit.endswith(suffix):
                if len(unit) - len(suffix) >= _SHORT:
                    names.add(unit[: -len(suffix)])
                if suffix == "新区":
                    names.add(suffix)
                break
    return names


def read_out(query: str, regions: dict[str, str]) -> tuple[str, frozenset[str] | None]:
    """`query` without the place names it holds of the lists' `regions` (list name → region), and
    the lists of the places named (and those of no region given), None for every list. A query of
    nothing but a place is kept."""
    named = {list_name: _names(region) for list_name, region in regions.items() if region}
    every = sorted(set().union(*named.values()), key=len, reverse=True) if named else []
    if not every:
        return query, None
    said = [name for name in every if name in query]
    if not said:
        return query, None
    rest = re.sub("|".join(map(re.escape, every)), " ", query)
    if not re.search(r"\w", rest):
        return query, None
    lists = frozenset(n for n, region in regions.items() if not region or all(s in named[n] for s in said))
    if len(lists) == len(regions) or not lists:
        return rest, None
    return rest, lists


@functools.lru_cache(maxsize=1024)  # a library's lists are of a few regions, asked of at every search
def _names(region: str) -> frozenset[str]:
    """The names of a region and of its province (`place_names`, `_with_province`)."""
    return frozenset(_with_province(place_names(region)))


def _with_province(names: set[str]) -> set[str]:
    """A region's names and those of the province holding it (山东, 山东省 for 青岛): a list of
    青岛市黄岛区 answers 山东省级专精特新 as much as 省级专精特新."""
    province_of = _gazetteer()
    provinces = {province_of[name] for name in names if name in province_of}
    return names | provinces | {f"{p}省" for p in provinces}


_PLACE_ENDS = ("", "省", "市", "地区", "自治区", "州")  # a place name as jieba may cut it: 深圳, 安康市


def elsewhere(query: str, regions: Iterable[str], tagged: Callable[[str], list[tuple[str, str]]]) -> str:
    """The province or city of data/places.yaml that `query` names as a place (`tagged`: jieba's
    words and tags of a text, ns for a place) and that no list is of: neither a unit of a list's
    region nor the province holding one (山东 for 青岛市黄岛区). "" when there is none, or when a
    list has no region (a draft: it may be of anywhere)."""
    province_of = _gazetteer()
    said = [name for name in province_of if name in query]
    regions = list(regions)
    if not said or not regions or not all(regions):
        return ""
    home = set().union(*map(_names, set(regions)))
    others = [name for name in said if name not in home]
    if not others:
        return ""
    places = {word[: len(word) - len(end)] for word, tag in tagged(query) if tag.startswith("ns")
              for end in _PLACE_ENDS if word.endswith(end) and len(word) > len(end)}
    return next((name for name in others if name in places), "")


@functools.cache
def _gazetteer() -> dict[str, str]:
    """Each province and city of data/places.yaml -> its province."""
    from .lexicon import PLACES, word_lists

    out: dict[str, str] = {}
    for line in word_lists(PLACES, None, ("places",), str)[0]:
        province, *cities = line.split()
        out.setdefault(province, province)
        for city in cities:
            out.setdefault(city, province)
    return out

"""The place a list is of, named in a query (黄岛 技改, 西海岸新区的数据中心补贴). A list's texts
rarely name their own district, so the name is no topic: it is read out of the query, and in a
library of lists of several places it keeps the lists of the place named (即墨 技改 over the lists
of 黄岛 and 即墨 finds 即墨's). A place no list is of (上海 技改) stays a word of the query."""
from __future__ import annotations

import re

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
    named = {list_name: place_names(region) for list_name, region in regions.items() if region}
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

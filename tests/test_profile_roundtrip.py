"""`match --save` then `--profile`: every fact kind, and every policy figure, reads back exactly."""
from __future__ import annotations

from conftest import shipped_catalog
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from policycli.errors import InputError
from policycli.match.profile import CHOICE, CHOICES, COUNT, FACTS, FLAG, MONEY, MONTH, RATE, TEXT, Profile, parse_value
from policycli.match.profile_file import dump_profile, input_facts, parse_profile_text

UNITS = ("", "元", "万", "万元", "亿")


def typed(fact) -> st.SearchStrategy[str | bool | list]:
    """What a person writes for `fact`: in a profile, a --set value or an answer."""
    if fact.kind == FLAG:
        return st.sampled_from([True, False, "是", "否", "yes", "no"])
    if fact.kind == CHOICE and fact.several:  # 标杆型×2、基础型/成长型
        counted = st.tuples(st.sampled_from(fact.choices), st.none() | st.integers(1, 99))
        return st.lists(counted, min_size=1, max_size=3, unique_by=lambda pair: pair[0]).map(
            lambda parts: "、".join(name + ("" if n is None else f"×{n}") for name, n in parts))
    if fact.kind == CHOICE:
        return st.sampled_from(list(fact.choices) + [str(i + 1) for i in range(len(fact.choices))] + list(fact.keys))
    if fact.kind == CHOICES:
        return st.lists(st.sampled_from(fact.choices), unique=True)
    if fact.kind == MONEY:
        return st.builds(lambda whole, frac, unit: f"{whole}{'.' + frac if frac else ''}{unit}",
                         st.integers(0, 10**9), st.text("0123456789", max_size=6), st.sampled_from(UNITS))
    if fact.kind == MONTH:
        return st.builds(lambda y, m, sep: f"{y}{sep}{m:02d}", st.integers(1901, 2199), st.integers(1, 12),
                         st.sampled_from(["-", "/", "年", "."]))
    if fact.kind == COUNT:
        return st.integers(1, fact.maximum or 1000).map(str)
    if fact.kind == RATE:
        return st.builds(lambda whole, frac: f"{whole}.{frac}%", st.integers(0, 20), st.text("0123456789", min_size=1, max_size=4))
    if fact.kind == TEXT:
        return names
    raise AssertionError(f"no strategy for {fact.kind}")


names = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30).map(str.strip).filter(bool)


@st.composite
def profiles(draw) -> Profile:
    profile = Profile(name=draw(st.none() | names))
    for fact in draw(st.lists(st.sampled_from(FACTS), unique_by=lambda f: f.key)):
        try:
            profile = profile.with_fact(fact.key, parse_value(fact, draw(typed(fact))))
        except InputError:
            assume(False)
    for policy in draw(st.lists(st.sampled_from([p for p in shipped_catalog().policies if input_facts(p)]), unique_by=lambda p: p.id, max_size=3)):
        for name, fact in input_facts(policy).items():
            if draw(st.booleans()):
                try:
                    profile = profile.with_figure(policy.id, name, parse_value(fact, draw(typed(fact))))
                except InputError:
                    assume(False)
    return profile


def test_the_strategies_cover_every_fact_kind(catalog):
    seen = {f.kind for f in FACTS} | {spec.kind for p in catalog.policies for spec in input_facts(p).values()}
    assert seen <= {FLAG, CHOICE, CHOICES, MONEY, MONTH, COUNT, RATE, TEXT}
    assert any(fact.several for p in catalog.policies for fact in input_facts(p).values())


def test_several_levels_are_saved_as_written_and_read_back(catalog):
    profile = parse_profile_text("figures:\n  smartcommunity: {level: 标杆 2、jichu×3}\n".encode(), "a.yaml", catalog)
    assert profile.figures["smartcommunity"]["level"] == "标杆型×2、基础型/成长型×3"
    again = parse_profile_text(dump_profile(profile).encode("utf-8"), "saved.yaml", catalog)
    assert again.figures == profile.figures


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(profiles())
def test_a_saved_profile_reads_back_with_the_same_facts(catalog, profile):
    again = parse_profile_text(dump_profile(profile).encode("utf-8"), "saved.yaml", catalog)
    assert (again.name, dict(again.facts), {k: dict(v) for k, v in again.figures.items()}) == \
        (profile.name, dict(profile.facts), {k: dict(v) for k, v in profile.figures.items()})

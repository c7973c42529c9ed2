"""Lists combined into one catalog: a policy continued unchanged in a later list is kept once; one
continued with changes is kept in each list's version, each naming the other."""
from __future__ import annotations

from dataclasses import replace


def _long_lists(catalog, size: int = 100, continued: int = 12):
    """Two lists of `size` policies (the shipped texts varied by batch, and their reversals for the
    newer list's own policies); the newer list continues `continued` policies of the older one,
    each with a clause changed and one added."""
    originals = [p.content for p in catalog.policies]
    older = [f"第{k}批：{originals[i % 20]}（{k}号试点）" for k, i in ((i // 20, i) for i in range(size))]
    newer = [text[::-1] for text in older[continued:]]
    newer += [text.replace("批：", "批（2025年）：") + "本条款继续执行。" for text in older[:continued]]

    def made(texts, year, key):
        policies = tuple(replace(catalog.policies[i % 20], id=f"p{i}", number=i + 1, content=text)
                         for i, text in enumerate(texts))
        return replace(catalog, policies=policies, year=year, digest=key * 64)

    return made(older, 2024, "a"), made(newer, 2025, "b")


def test_policies_continued_between_long_lists_are_found_without_scoring_every_pair(catalog, monkeypatch):
    """100 × 100 policies is beyond scoring every pair: each text is scored against those sharing
    its rarer clauses, and every continued policy is still found, and only those."""
    from rapidfuzz import fuzz

    from policycli.dataset import combine as module

    older, newer = _long_lists(catalog)
    calls = []
    real = fuzz.ratio
    monkeypatch.setattr(fuzz, "ratio", lambda *args, **kwargs: calls.append(1) or real(*args, **kwargs))
    both = module.combine([("旧", older), ("新", newer)])
    assert len(calls) < 100 * 100 // 4
    continued = {p.id: p.versions for p in both.policies if p.list == "新" and p.versions}
    assert continued == {f"p{88 + i}": (f"旧:p{i}",) for i in range(12)}
    assert len(both.policies) == 200 and not any(p.also for p in both.policies)  # changed: each kept


def test_the_same_policies_are_found_continued_as_when_every_pair_is_scored(catalog, monkeypatch):
    from policycli.dataset import combine as module

    older, newer = _long_lists(catalog, size=80, continued=30)
    found = [(p.list, p.id, p.versions) for p in module.combine([("旧", older), ("新", newer)]).policies]
    assert sum(bool(v) for _, _, v in found) == 60
    monkeypatch.setattr(module, "EVERY_PAIR", 10**9)
    assert found == [(p.list, p.id, p.versions) for p in module.combine([("旧", older), ("新", newer)]).policies]


def test_a_list_added_last_is_the_only_one_paired_with_the_library_combined_before(catalog, monkeypatch):
    """Given the library combined before (every list but the oldest, added now), only the added
    list is paired, and the library is the one combining every list again gives: its unchanged
    policies absorbed, its changed ones named as versions, in each other."""
    from policycli.dataset import combine as module
    from policycli.dataset.pairing import Kept

    older, newer = _long_lists(catalog)
    middle = replace(older, policies=older.policies[50:], year=2023, digest="c" * 64)
    oldest = replace(older, policies=older.policies[:8] + tuple(replace(p, content=p.content + "另行通知。")
                                                                    for p in older.policies[8:12]),
                     year=2020, digest="d" * 64)
    named = [("新", newer), ("中", middle), ("旧", older)]
    before = module.combine(named)
    paired = []
    real = Kept.pair
    monkeypatch.setattr(Kept, "pair", lambda self, texts, **kwargs: paired.append(len(texts)) or real(self, texts, **kwargs))
    grown = module.combine([*named, ("最旧", oldest)], earlier=before)
    assert paired == [len(oldest.policies)]
    again = module.combine([*named, ("最旧", oldest)])
    assert grown == again
    assert [p.also for p in grown.policies if p.also] and [p.versions for p in grown.policies if "最旧:" in str(p.versions)]
    assert module.combine([("甲", newer), *named[1:], ("最旧", oldest)], earlier=before) == module.combine(
        [("甲", newer), *named[1:], ("最旧", oldest)])  # another library: all paired again


def test_a_draft_of_the_same_text_tells_nothing_new_a_changed_phone_or_unit_does(catalog):
    """What a draft has not written (rules, notes) or marks as drafted (title, lead units) is no
    difference; the official text, a person, a phone or a lead unit it states is."""
    from policycli.dataset.combine import same_for_users

    kept = catalog.get("digitalpark")
    draft = replace(kept, id="draft-1-9", title="支持企业建设数字经济园区…", award=None, conditions=None, notes=(),
                    keywords=(), lead_units=("区发改局", "区工信区", "区财政局"), drafted=("id", "title", "lead_units"))
    assert same_for_users(kept, draft)
    assert not same_for_users(kept, replace(draft, drafted=("id", "title")))  # 区工信区 stated, not to confirm
    assert not same_for_users(kept, replace(draft, content=kept.content + "（试行）"))
    moved = replace(kept.offices[0], phone="0532-80000000")
    assert not same_for_users(kept, replace(draft, offices=(moved,)))
    assert not same_for_users(kept, replace(draft, drafted=("id",)))  # a title of its own
    assert not same_for_users(draft, kept)  # the finished version tells what the draft does not

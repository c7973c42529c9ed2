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

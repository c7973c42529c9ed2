"""Our own word lists (data/synonyms.yaml, english.yaml, glossary.yaml, english_words.yaml,
taiwan_hongkong.yaml): they say they are ours, and the index keeps only the terms a list holds."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from policycli.search.index import build_index, fold_text

DATA = Path(__file__).resolve().parent.parent / "data"


def load(name: str):
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def corpus(catalog):
    return "\n".join(fold_text(f"{p.title}\n{p.content}\n" + "\n".join(p.keywords)) for p in catalog.policies)


@pytest.mark.parametrize("name", ["vocabulary.yaml", "synonyms.yaml", "english.yaml", "glossary.yaml", "english_words.yaml",
                                  "taiwan_hongkong.yaml", "plainwords.yaml"])
def test_each_list_says_it_is_ours_not_official(name):
    head = (DATA / name).read_text(encoding="utf-8").splitlines()[0]
    assert head.startswith("#") and ("ours" in head.lower() or "our own" in head.lower())
    assert "official" in head.lower()


def test_every_synonym_target_occurs_in_the_dataset(corpus):
    missing = [t for g in load("synonyms.yaml")["groups"] for t in g["terms"] if fold_text(t) not in corpus]
    assert missing == []


def test_every_glossary_entry_maps_to_chinese_terms():
    glossary = load("glossary.yaml")["glossary"]
    bad = [en for en, targets in glossary.items()
           if not targets or not all(isinstance(t, str) and t.strip() for t in targets)
           or not any("\u4e00" <= ch <= "\u9fff" for t in targets for ch in t)]
    assert bad == []


def test_a_glossary_term_a_list_lacks_is_left_out_of_its_index(catalog, corpus):
    # the glossary is the field's, not one list's: 集成电路设计 is not in the shipped data, 集成电路 is
    phrases = build_index(catalog).en_phrases
    assert "集成电路" in phrases[("chip", "design")] and "集成电路设计" not in phrases[("chip", "design")]
    assert all(t in corpus for terms in phrases.values() for t in terms)


def test_every_policy_has_an_english_title_and_summary(catalog):
    english = load("english.yaml")["policies"]
    assert set(english) == {p.id for p in catalog.policies}
    assert all(e["title"].strip() and e["summary"].strip() for e in english.values())


def test_the_index_keeps_only_what_fits_the_dataset(catalog):
    index = build_index(catalog)
    assert "设备" in index.related["机床"] and "首台套" not in index.related["机床"]
    assert "技术改造" in index.related["机床"]  # from the field vocabulary
    assert all(t in "".join(b.text for b in index.blobs.values()) for terms in index.related.values() for t in terms)
    assert index.english[[p.id for p in catalog.policies].index("datacenter")][0].startswith("Support for building")


def test_the_field_vocabulary_names_no_policy_of_a_list(catalog):
    import re

    words = set(re.findall(r"[a-z]+", "".join(l for l in (DATA / "vocabulary.yaml").read_text(encoding="utf-8")
                                               .splitlines() if not l.lstrip().startswith("#"))))
    assert not [p.id for p in catalog.policies if p.id in words]
    groups = load("vocabulary.yaml")["groups"]
    assert len(groups) >= 30 and all(g["terms"] and g["words"] and g["source"] == "hand" for g in groups)


def test_keywords_are_derived_from_the_text_at_indexing(catalog):
    index = build_index(catalog)
    derived = index.blobs["derived"].field_of([p.id for p in catalog.policies].index("datacenter")).split("\n")
    assert "数据中心" in derived and "算力网络" in derived

"""The search index: one blob per field, offsets that map back to policies and characters."""
from __future__ import annotations

from policycli.search.index import FIELDS, build_index, field_texts, fold_text, index_for


def test_fold_text_keeps_every_offset():
    text = "ＶＲ体验，ＡＩ（人工智能）"
    folded = fold_text(text)
    assert len(folded) == len(text)
    assert folded.startswith("vr体验") and "ai(" in folded


def test_each_policy_field_is_found_at_its_offsets(catalog):
    index = build_index(catalog)
    assert index.ids == tuple(p.id for p in catalog.policies)
    for number, policy in enumerate(catalog.policies):
        texts = field_texts(catalog, policy)
        for name in FIELDS:
            blob = index.blobs[name]
            if name == "derived":  # terms of the field vocabulary found in the title or text
                own = fold_text(policy.title + policy.content)
                assert all(term in own for term in blob.field_of(number).split("\n") if term)
            else:
                assert blob.field_of(number) == fold_text(texts[name])
            assert blob.owner(blob.starts[number]) == number
            assert len(blob.sound) == len(blob.initials) == len(blob.text)


def test_progress_is_reported_up_to_the_total(catalog):
    seen = []
    build_index(catalog, lambda done, total: seen.append((done, total)))
    assert seen[-1] == (len(catalog.policies), len(catalog.policies))
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_the_index_is_cached_under_the_dataset_digest(catalog, tmp_path, monkeypatch):
    monkeypatch.setenv("POLICY_CACHE_DIR", str(tmp_path))
    built = index_for(catalog)
    assert (tmp_path / f"search-{catalog.digest}.pickle").exists()
    calls = []
    again = index_for(catalog, lambda d, t: calls.append(d))
    assert calls == [] and again.ids == built.ids
    assert again.blobs["content"].text == built.blobs["content"].text


def test_latin_form_for_typed_pinyin_near_misses(catalog):
    index = build_index(catalog)
    number = index.ids.index("datacenter")
    assert "xinxingshujuzhongxin" in index.latin[number] and "idc" in index.latin[number]

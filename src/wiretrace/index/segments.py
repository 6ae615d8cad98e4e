"""Index segments: immutable, hash-sorted runs of postings in `.npy` files, and their merging.

A segment directory holds `hashes.npy`, `docs.npy` and `sents.npy` (uint32, parallel), sorted by
(hash, doc key), and `fence.npy`, every 256th hash, which a lookup searches in memory before
reading one block of hashes and then the postings with `pread` (never through a memory map,
whose page faults would make most of the files count as the process's memory). Segments written
before the source-text store (`texts.py`) also hold their articles' records (`records.py`);
those are read, never written, here.

Merging is a k-way merge of sorted runs, streamed: the hash space is cut into ranges holding a
bounded number of postings, each input's slice of a range is read from its file (not through a
memory map, so the pages do not stay resident), the slices are merged pairwise by binary search
(`np.searchsorted` on the already-sorted keys, no re-sort), and the result is appended to the
output files. Memory is bounded by the range size, whatever the size of the segments.
"""

from __future__ import annotations

import os
import uuid
import weakref
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

import numpy as np

from wiretrace.index import records

_COLUMNS = ("hashes", "docs", "sents")
MERGE_CHUNK_POSTINGS = 4_000_000  # postings merged in memory at once (~100 MB of working set)
# Every FENCE_STRIDE-th hash is kept in memory (`fence.npy`, 1/256 of the hashes): a lookup
# finds its block there and reads that 1 KiB block, and then its postings, with `pread`. Through
# the memory map, each page fault also mapped the neighbouring cached pages, so after 200 traces
# of a 1M store 2.8-3.3 GB of its 3.4 GB of postings counted as the process's memory.
FENCE_STRIDE = 256
_FENCE = "fence.npy"


class Segment:
    """One immutable, hash-sorted run of postings (hash, doc_key, sentence index)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = path.name
        self.hashes: np.ndarray = np.load(path / "hashes.npy", mmap_mode="r")
        self.docs: np.ndarray = np.load(path / "docs.npy", mmap_mode="r")
        self.sents: np.ndarray = np.load(path / "sents.npy", mmap_mode="r")
        # Only segments from versions before the source-text store carry records.
        self.texts = records.SegmentDocs.open(path)
        # Lookups read with pread through these, opened on the first lookup (the memory maps
        # above serve merges and tests; a bulk add's runs are never looked up).
        self._files: list[int] = []
        self._data_at: list[int] = []
        self.fence = _open_fence(self)

    def __len__(self) -> int:
        return len(self.hashes)

    def ranges(self, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For sorted unique query hashes: [left, right) posting ranges of each (what
        `np.searchsorted` on the hashes gives), reading one block of hashes per query hash."""
        # Block b starts at fence[b]: an answer lies in block b - 1 (or is its end). Both
        # sides' blocks are read in one pass: they are mostly the same.
        blocks = [
            np.maximum(np.searchsorted(self.fence, query, side=side) - 1, 0).astype(np.int64)
            for side in ("left", "right")
        ]
        values = self._blocks(np.concatenate(blocks))
        below, upto = values[: len(query)], values[len(query) :]
        left = blocks[0] * FENCE_STRIDE + (below < query[:, None]).sum(axis=1)
        right = blocks[1] * FENCE_STRIDE + (upto <= query[:, None]).sum(axis=1)
        return left, right

    def _blocks(self, blocks: np.ndarray) -> np.ndarray:
        """Rows of FENCE_STRIDE hashes, one per block index, padded past the end with 2**32,
        above every uint32 query."""
        distinct, which = np.unique(blocks, return_inverse=True)
        rows = np.full((len(distinct), FENCE_STRIDE), 2**32, dtype=np.int64)
        for n, block in enumerate(distinct.tolist()):
            found = self._pread(0, block * FENCE_STRIDE, FENCE_STRIDE)
            rows[n, : len(found)] = found
        block_rows: np.ndarray = rows[which]
        return block_rows

    def postings(self, starts: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(docs, sents) of the posting ranges [start, start + count), in order, by pread."""
        docs, sents = [], []
        for start, count in zip(starts.tolist(), counts.tolist(), strict=True):
            if count:
                docs.append(self._pread(1, start, count))
                sents.append(self._pread(2, start, count))
        empty = np.empty(0, dtype=np.uint32)
        return (np.concatenate(docs) if docs else empty, np.concatenate(sents) if sents else empty)

    def _pread(self, column: int, start: int, count: int) -> np.ndarray:
        if not self._files:
            self._data_at = [_data_offset_of(self.path / f"{c}.npy") for c in _COLUMNS]
            self._files = [os.open(self.path / f"{c}.npy", os.O_RDONLY) for c in _COLUMNS]
            weakref.finalize(self, _close_all, list(self._files))
        count = max(0, min(count, len(self) - start))
        data = os.pread(self._files[column], 4 * count, self._data_at[column] + 4 * start)
        return np.frombuffer(data, dtype="<u4")

    def read(self, start: int, stop: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Postings [start, stop) read from the files into memory (no resident mapping)."""
        count = stop - start
        out = []
        for column in _COLUMNS:
            path = self.path / f"{column}.npy"
            with path.open("rb") as handle:
                handle.seek(_data_offset(handle) + 4 * start)
                out.append(np.fromfile(handle, np.uint32, count=count))
        return out[0], out[1], out[2]


def _open_fence(segment: Segment) -> np.ndarray:
    """The segment's fence: read from `fence.npy`, or (a segment written before fences) made
    by one pass over the hashes file, not through the memory map, and saved when possible."""
    path = segment.path / _FENCE
    try:
        stored: np.ndarray = np.load(path)
        return stored
    except (OSError, ValueError):
        pass
    parts, start = [], 0
    while start < len(segment):  # chunks a multiple of the stride, so every post is kept
        stop = min(start + MERGE_CHUNK_POSTINGS, len(segment))
        parts.append(segment._pread(0, start, stop - start)[::FENCE_STRIDE])  # hashes only
        start = stop
    fence = np.concatenate(parts) if parts else np.empty(0, dtype=np.uint32)
    try:  # a derived file beside immutable ones: written whole, then renamed
        tmp = segment.path / f".{_FENCE}.tmp"
        with tmp.open("wb") as handle:
            np.save(handle, fence)
        tmp.rename(path)
    except OSError:  # a read-only store: kept in memory only
        pass
    return fence


def new_name() -> str:
    return f"seg-{uuid.uuid4().hex[:12]}"


class SegmentWriter:
    """Writes a segment of a known number of postings, appended in sorted chunks, into a
    temporary directory renamed into place by `close()` (a kill leaves only the temporary)."""

    def __init__(self, directory: Path, total: int) -> None:
        self.directory = directory
        self.name = new_name()
        self.tmp = directory / f".{self.name}.tmp"
        self.tmp.mkdir(parents=True)
        self.total = total
        self.written = 0
        self._fence: list[np.ndarray] = []
        self._handles: list[BinaryIO] = []
        header = {"descr": "<u4", "fortran_order": False, "shape": (total,)}
        for column in _COLUMNS:
            handle = (self.tmp / f"{column}.npy").open("wb")
            np.lib.format.write_array_header_1_0(handle, header)
            self._handles.append(handle)

    def append(self, hashes: np.ndarray, docs: np.ndarray, sents: np.ndarray) -> None:
        for handle, column in zip(self._handles, (hashes, docs, sents), strict=True):
            handle.write(np.ascontiguousarray(column, dtype="<u4").tobytes())
        first_post = -self.written % FENCE_STRIDE  # the first global multiple of the stride
        self._fence.append(np.asarray(hashes[first_post::FENCE_STRIDE], dtype=np.uint32))
        self.written += len(hashes)

    def close(self) -> Segment:
        for handle in self._handles:
            handle.close()
        if self.written != self.total:
            raise ValueError(f"segment {self.name}: {self.written} postings, {self.total} planned")
        fence = np.concatenate(self._fence) if self._fence else np.empty(0, dtype=np.uint32)
        np.save(self.tmp / _FENCE, fence)
        final = self.directory / self.name
        self.tmp.rename(final)
        return Segment(final)

    def abort(self) -> None:
        import shutil

        for handle in self._handles:
            handle.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


def write_segment(
    directory: Path, hashes: np.ndarray, docs: np.ndarray, sents: np.ndarray
) -> Segment:
    """Sort one in-memory batch of postings by (hash, doc key) and write it as a segment."""
    keys = (hashes.astype(np.uint64) << np.uint64(32)) | docs.astype(np.uint64)
    order = np.argsort(keys, kind="stable")  # one sort of new postings; merges never sort
    writer = SegmentWriter(directory, len(hashes))
    try:
        writer.append(hashes[order], docs[order], sents[order])
        return writer.close()
    except BaseException:
        writer.abort()
        raise


def merge_segments(
    directory: Path, segments: Sequence[Segment], chunk: int = MERGE_CHUNK_POSTINGS
) -> Segment:
    """One segment with every posting of `segments`, by a streamed k-way merge of sorted runs.

    Postings with the same (hash, doc key) keep the order of `segments` (earlier first)."""
    total = sum(len(s) for s in segments)
    pieces = max(1, -(-total // chunk))
    # Hashes are the top bits of xxhash64, so equal slices of the hash space hold near-equal
    # numbers of postings.
    bounds = np.linspace(0, 2**32, pieces + 1).astype(np.uint64)
    writer = SegmentWriter(directory, total)
    try:
        for lo, hi in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
            runs = []
            for segment in segments:
                start = _position(segment.hashes, lo)
                stop = _position(segment.hashes, hi)
                if stop > start:
                    runs.append(segment.read(start, stop))
            if runs:
                writer.append(*merge_runs(runs))
        return writer.close()
    except BaseException:
        writer.abort()
        raise


def _position(hashes: np.ndarray, value: int) -> int:
    """Index of the first posting with hash >= value (value may be 2**32)."""
    if value >= 2**32:
        return len(hashes)
    return int(np.searchsorted(hashes, np.uint32(value), side="left"))


Run = tuple[np.ndarray, np.ndarray, np.ndarray]


def merge_runs(runs: Sequence[Run]) -> Run:
    """Merge runs sorted by (hash, doc) into one, pairwise by binary search: no re-sort."""
    keyed = [((h.astype(np.uint64) << np.uint64(32)) | d.astype(np.uint64), s) for h, d, s in runs]
    while len(keyed) > 1:
        paired = [
            _merge_two(keyed[i], keyed[i + 1]) if i + 1 < len(keyed) else keyed[i]
            for i in range(0, len(keyed), 2)
        ]
        keyed = paired
    keys, sents = keyed[0]
    return (
        (keys >> np.uint64(32)).astype(np.uint32),
        (keys & np.uint64(0xFFFFFFFF)).astype(np.uint32),
        sents.astype(np.uint32, copy=False),
    )


def _merge_two(
    a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    a_keys, a_sents = a
    b_keys, b_sents = b
    # Where each of b's keys lands: after every equal key of a (a's postings stay first).
    at = np.searchsorted(a_keys, b_keys, side="right") + np.arange(len(b_keys))
    size = len(a_keys) + len(b_keys)
    from_a = np.ones(size, dtype=bool)
    from_a[at] = False
    keys = np.empty(size, dtype=np.uint64)
    sents = np.empty(size, dtype=a_sents.dtype)
    keys[at], sents[at] = b_keys, b_sents
    keys[from_a], sents[from_a] = a_keys, a_sents
    return keys, sents


def _data_offset_of(path: Path) -> int:
    with path.open("rb") as handle:
        return _data_offset(handle)


def _close_all(files: list[int]) -> None:
    for file in files:
        os.close(file)


def _data_offset(handle: BinaryIO) -> int:
    """Byte offset of the array data in an open `.npy` file."""
    handle.seek(0)
    version = np.lib.format.read_magic(handle)
    if version == (1, 0):
        np.lib.format.read_array_header_1_0(handle)
    else:
        np.lib.format.read_array_header_2_0(handle)
    return handle.tell()

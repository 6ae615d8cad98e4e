"""Index segments: immutable, hash-sorted runs of postings in `.npy` files, and their merging.

A segment directory holds `hashes.npy`, `docs.npy` and `sents.npy` (uint32, parallel), sorted by
(hash, doc key). Segments written before the source-text store (`texts.py`) also hold their
articles' records (`records.py`); those are read, never written, here.

Merging is a k-way merge of sorted runs, streamed: the hash space is cut into ranges holding a
bounded number of postings, each input's slice of a range is read from its file (not through a
memory map, so the pages do not stay resident), the slices are merged pairwise by binary search
(`np.searchsorted` on the already-sorted keys, no re-sort), and the result is appended to the
output files. Memory is bounded by the range size, whatever the size of the segments.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

import numpy as np

from wiretrace.index import records

_COLUMNS = ("hashes", "docs", "sents")
MERGE_CHUNK_POSTINGS = 4_000_000  # postings merged in memory at once (~100 MB of working set)


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

    def __len__(self) -> int:
        return len(self.hashes)

    def ranges(self, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For sorted unique query hashes: [left, right) posting ranges of each."""
        left = np.searchsorted(self.hashes, query, side="left")
        right = np.searchsorted(self.hashes, query, side="right")
        return left, right

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
        self._handles: list[BinaryIO] = []
        header = {"descr": "<u4", "fortran_order": False, "shape": (total,)}
        for column in _COLUMNS:
            handle = (self.tmp / f"{column}.npy").open("wb")
            np.lib.format.write_array_header_1_0(handle, header)
            self._handles.append(handle)

    def append(self, hashes: np.ndarray, docs: np.ndarray, sents: np.ndarray) -> None:
        for handle, column in zip(self._handles, (hashes, docs, sents), strict=True):
            handle.write(np.ascontiguousarray(column, dtype="<u4").tobytes())
        self.written += len(hashes)

    def close(self) -> Segment:
        for handle in self._handles:
            handle.close()
        if self.written != self.total:
            raise ValueError(f"segment {self.name}: {self.written} postings, {self.total} planned")
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


def _data_offset(handle: BinaryIO) -> int:
    """Byte offset of the array data in an open `.npy` file."""
    handle.seek(0)
    version = np.lib.format.read_magic(handle)
    if version == (1, 0):
        np.lib.format.read_array_header_1_0(handle)
    else:
        np.lib.format.read_array_header_2_0(handle)
    return handle.tell()

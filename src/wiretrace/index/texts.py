"""The source-text store: each article's record written once, appended, read by doc key.

The one source-text format, for the three readers that need any article's text in microseconds:
a trace reads the ~10-30 candidate articles its shingles point at, the server the same per
request, and the reuse workers (DuckDB processes, Spark's Python workers) the sources of each
batch of targets. Each record (`records.py`: url, outlet, title, text, sentence offsets) is read
with one `pread`. The index's store lives beside the DuckDB file (`STORE.duckdb.texts/`); a
reuse run writes one in its work directory and seals it (`seal`, `open_sealed`), so a worker
on any process opens it by path. Two append-only files:

- `records.bin`: the records, back to back;
- `records.idx`: one 16-byte entry per record (doc key, length, offset), in the order written.

Consistency: the store records how many entries and bytes are committed (`index_meta`, key
`texts`) in the same transaction as the articles' index rows. Anything past that (a process
killed between writing and committing) is ignored by readers and cut off by the next writer.
A sealed store records its length in `sealed.json` instead, written last.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from wiretrace.errors import StoreError
from wiretrace.index import records

ENTRY = np.dtype([("key", "<u4"), ("length", "<u4"), ("offset", "<u8")])
SEALED = "sealed.json"


class TextStore:
    """Records by doc key; `committed` is (entries, bytes) as recorded in the store."""

    def __init__(self, directory: Path, committed: tuple[int, int], *, writable: bool) -> None:
        self.directory = directory
        self.blob_path = directory / "records.bin"
        self.idx_path = directory / "records.idx"
        self.entries, self.bytes = committed
        self.writable = writable
        if self.entries and not (self.blob_path.exists() and self.idx_path.exists()):
            raise StoreError(
                f"{directory}: source-text store missing (the store was copied without it?); "
                "run 'wiretrace reindex'"
            )
        if writable:
            directory.mkdir(parents=True, exist_ok=True)
            for path, size in ((self.blob_path, self.bytes), (self.idx_path, self.entries)):
                with path.open("ab") as handle:  # drop what a killed writer left uncommitted
                    handle.truncate(size if path is self.blob_path else size * ENTRY.itemsize)
        table = (
            np.fromfile(self.idx_path, dtype=ENTRY, count=self.entries)
            if self.entries
            else np.empty(0, ENTRY)
        )
        if len(table) != self.entries:
            raise StoreError(f"{self.idx_path}: shorter than recorded; run 'wiretrace reindex'")
        self._offset = np.full(0, -1, dtype=np.int64)
        self._length = np.zeros(0, dtype=np.uint32)
        self._pending = np.empty(0, ENTRY)
        self._place(table)
        self._fd = os.open(self.blob_path, os.O_RDONLY) if self.blob_path.exists() else -1

    @classmethod
    def open_sealed(cls, directory: Path) -> TextStore:
        """A store written whole and sealed (`seal`), read-only."""
        try:
            sealed = json.loads((directory / SEALED).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise StoreError(f"{directory}: not a sealed source-text store ({exc})") from exc
        return cls(directory, (int(sealed["entries"]), int(sealed["bytes"])), writable=False)

    def seal(self) -> None:
        """Record the committed length in the directory itself, for `open_sealed`."""
        state = {"entries": self.entries, "bytes": self.bytes}
        (self.directory / SEALED).write_text(json.dumps(state), encoding="utf-8")

    def keys(self) -> np.ndarray:
        """The doc keys held, ascending."""
        keys: np.ndarray = np.flatnonzero(self._offset >= 0)
        return keys

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def __contains__(self, key: int) -> bool:
        return 0 <= key < len(self._offset) and self._offset[key] >= 0

    def _place(self, table: np.ndarray) -> None:
        if not len(table):
            return
        size = int(table["key"].max()) + 1
        if size > len(self._offset):
            grown = max(size, 2 * len(self._offset))  # amortised growth over many appends
            offset = np.full(grown, -1, dtype=np.int64)
            length = np.zeros(grown, dtype=np.uint32)
            offset[: len(self._offset)] = self._offset
            length[: len(self._length)] = self._length
            self._offset, self._length = offset, length
        self._offset[table["key"]] = table["offset"].astype(np.int64)
        self._length[table["key"]] = table["length"]

    def blob_of(self, key: int) -> bytes | None:
        if key not in self or self._fd < 0:
            return None
        return os.pread(self._fd, int(self._length[key]), int(self._offset[key]))

    def source(self, key: int) -> records.DocRecord | None:
        blob = self.blob_of(key)
        return records.decode(blob) if blob is not None else None

    def append(self, keys: Sequence[int], blobs: Sequence[bytes]) -> tuple[int, int]:
        """Write records after the committed ones; returns the (entries, bytes) to commit.

        Until `commit` is called with that state, readers do not see them."""
        if not self.writable:
            raise StoreError(f"{self.directory}: opened read-only")
        table = np.empty(len(keys), dtype=ENTRY)
        table["key"] = keys
        lengths = np.fromiter((len(b) for b in blobs), dtype=np.int64, count=len(blobs))
        table["length"] = lengths
        starts = np.empty(len(blobs), dtype=np.int64)
        if len(blobs):
            starts[0] = self.bytes
            np.cumsum(lengths[:-1], out=starts[1:])
            starts[1:] += self.bytes
        table["offset"] = starts
        with self.blob_path.open("r+b") as handle:
            handle.seek(self.bytes)
            handle.truncate()
            handle.write(b"".join(blobs))
        with self.idx_path.open("r+b") as handle:
            handle.seek(self.entries * ENTRY.itemsize)
            handle.truncate()
            handle.write(table.tobytes())
        self._pending = table
        return self.entries + len(keys), self.bytes + int(lengths.sum())

    def commit(self, state: tuple[int, int]) -> None:
        """The store has recorded `state` (after `append`): the new records are readable."""
        self._place(self._pending)
        self.entries, self.bytes = state
        if self._fd < 0:
            self._fd = os.open(self.blob_path, os.O_RDONLY)

    def reset(self) -> None:
        """Forget every record (the store has recorded (0, 0))."""
        for path in (self.blob_path, self.idx_path):
            if path.exists():
                with path.open("r+b") as handle:
                    handle.truncate(0)
        self.entries, self.bytes = 0, 0
        self._offset = np.full(0, -1, dtype=np.int64)
        self._length = np.zeros(0, dtype=np.uint32)

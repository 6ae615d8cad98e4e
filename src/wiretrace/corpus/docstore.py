"""The `docs` table as flat files for random access: any article's text by doc_key, in microseconds.

Alignment needs, for each batch of targets, the texts of their sources, which lie anywhere in the
corpus; a Parquet scan per batch reads most of the table again at a million articles. The DuckDB
engine writes the table once into a few flat arrays (texts as one UTF-8 blob with offsets,
sentence offsets, times) that its alignment processes map into memory and share through the page
cache. No engine is used here.
"""

from __future__ import annotations

import json
import mmap
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from wiretrace.corpus.align import Doc

_STRINGS = ("article_id", "url", "outlet", "text")


def _string_parts(column: pa.Array) -> tuple[np.ndarray, bytes]:
    """(offsets from 0, UTF-8 bytes) of a string column, nulls as empty strings."""
    filled = pc.fill_null(column.cast(pa.large_string()), "")
    offsets = np.frombuffer(filled.buffers()[1], dtype=np.int64)[
        filled.offset : filled.offset + len(filled) + 1
    ]
    data = filled.buffers()[2]
    first, last = int(offsets[0]), int(offsets[-1])
    return offsets - first, b"" if data is None else data.to_pybytes()[first:last]


def _list_parts(column: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(offsets from 0, int32 values) of a list<int> column."""
    lists = column.cast(pa.large_list(pa.int32()))
    offsets = np.asarray(lists.offsets, dtype=np.int64)
    values = np.asarray(lists.flatten().fill_null(0), dtype=np.int32)
    return offsets - offsets[0], values


class DocStoreWriter:
    """Writes `docs` rows, given in doc_key order, as the flat files of a DocStore."""

    def __init__(self, path: Path) -> None:
        if path.exists():
            shutil.rmtree(path)
        path.mkdir(parents=True)
        self.path = path
        self._blobs: dict[str, BinaryIO] = {n: (path / f"{n}.bin").open("wb") for n in _STRINGS}
        self._ends: dict[str, list[np.ndarray]] = {n: [] for n in _STRINGS}
        self._sizes = dict.fromkeys(_STRINGS, 0)
        self._spans: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self._span_size = 0
        self._keys: list[np.ndarray] = []
        self._times: list[np.ndarray] = []
        self._valid: list[np.ndarray] = []

    def write(self, batch: pa.RecordBatch) -> None:
        for name in _STRINGS:
            offsets, data = _string_parts(batch.column(name))
            self._blobs[name].write(data)
            self._ends[name].append(offsets[1:] + self._sizes[name])
            self._sizes[name] += len(data)
        starts_off, starts = _list_parts(batch.column("starts"))
        _, stops = _list_parts(batch.column("stops"))
        self._spans.append((starts_off[1:] + self._span_size, starts, stops))
        self._span_size += len(starts)
        self._keys.append(np.asarray(batch.column("doc_key").fill_null(-1), dtype=np.int64))
        published = batch.column("published_us")
        self._times.append(np.asarray(published.fill_null(0), dtype=np.int64))
        self._valid.append(np.asarray(published.is_valid(), dtype=np.bool_))

    def close(self) -> int:
        for blob in self._blobs.values():
            blob.close()
        keys = np.concatenate([np.empty(0, np.int64), *self._keys])
        if len(keys) > 1 and not bool(np.all(keys[1:] > keys[:-1])):
            raise ValueError("docs rows must come in increasing doc_key order")
        arrays: dict[str, np.ndarray] = {"keys": keys}
        for name in _STRINGS:
            arrays[f"{name}_end"] = np.concatenate([np.empty(0, np.int64), *self._ends[name]])
        arrays["span_end"] = np.concatenate([np.empty(0, np.int64), *(s[0] for s in self._spans)])
        arrays["starts"] = np.concatenate([np.empty(0, np.int32), *(s[1] for s in self._spans)])
        arrays["stops"] = np.concatenate([np.empty(0, np.int32), *(s[2] for s in self._spans)])
        arrays["published"] = np.concatenate([np.empty(0, np.int64), *self._times])
        arrays["valid"] = np.concatenate([np.empty(0, np.bool_), *self._valid])
        for name, values in arrays.items():
            np.save(self.path / f"{name}.npy", values)
        (self.path / "done.json").write_text(json.dumps({"docs": len(keys)}), encoding="utf-8")
        return len(keys)


def _load(path: Path) -> np.ndarray:
    try:
        mapped: np.ndarray = np.load(path, mmap_mode="r")
    except ValueError:  # an empty array cannot be mapped
        mapped = np.load(path)
    return mapped


class DocStore:
    """Read side: `Doc`s by doc_key from the flat files (memory-mapped)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._arrays = {p.stem: _load(p) for p in path.glob("*.npy")}
        self._blobs: dict[str, Any] = {}
        for name in _STRINGS:
            with (path / f"{name}.bin").open("rb") as handle:
                size = handle.seek(0, 2)
                self._blobs[name] = (
                    mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) if size else b""
                )
        self.keys: np.ndarray = self._arrays["keys"]
        self._dense = len(self.keys) == 0 or (
            int(self.keys[0]) == 0 and int(self.keys[-1]) == len(self.keys) - 1
        )

    def __len__(self) -> int:
        return len(self.keys)

    def _row(self, key: int) -> int:
        if self._dense:
            return key
        row = int(np.searchsorted(self.keys, key))
        if row >= len(self.keys) or int(self.keys[row]) != key:
            raise KeyError(key)
        return row

    def _string(self, name: str, row: int) -> str:
        ends = self._arrays[f"{name}_end"]
        start = int(ends[row - 1]) if row else 0
        data: bytes = self._blobs[name][start : int(ends[row])]
        return data.decode("utf-8")

    def doc(self, key: int) -> Doc:
        row = self._row(key)
        ends = self._arrays["span_end"]
        first, last = (int(ends[row - 1]) if row else 0), int(ends[row])
        starts = self._arrays["starts"][first:last].tolist()
        stops = self._arrays["stops"][first:last].tolist()
        url, outlet = self._string("url", row), self._string("outlet", row)
        return Doc(
            doc_key=key,
            article_id=self._string("article_id", row),
            url=url or None,
            outlet=outlet or None,
            published_us=int(self._arrays["published"][row])
            if self._arrays["valid"][row]
            else None,
            text=self._string("text", row),
            spans=tuple(zip(starts, stops, strict=True)),
        )

    def docs(self, keys: Iterable[int]) -> dict[int, Doc]:
        return {key: self.doc(key) for key in sorted(set(keys))}

    def keys_between(self, low: int, high: int) -> Sequence[int]:
        """doc_keys in [low, high]."""
        first = int(np.searchsorted(self.keys, low))
        last = int(np.searchsorted(self.keys, high, side="right"))
        keys: list[int] = self.keys[first:last].tolist()
        return keys

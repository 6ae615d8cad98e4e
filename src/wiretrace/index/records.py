"""Source records: what a trace or a reuse worker needs of a source article, read without a query.

A trace fetches the ~10-30 candidate articles its shingles point at. DuckDB answers such point
lookups by scanning and decompressing whole row groups (2-15 ms per query on a 100,000-article
store); instead each article has one record, kept in the append-only source-text store
(`texts.py`) and read with one `pread` (~20 µs).

A record is a JSON array `[url, outlet, title, text, sentence offsets (flat)]`, optionally
followed by `article_id, published_us` (the reuse engines' `docs` rows carry them; the index
keeps them in the store), and zlib-compressed (the index's records, kept for good) or not (a
reuse run's, written once and read a few times): a JSON array starts with `[`, a zlib stream
never does. Records written by earlier versions (five fields, compressed) read unchanged.

Index segments written by versions before that store hold their articles' records themselves
(`doc_keys.npy` sorted uint32, `doc_offsets.npy` int64 one more than keys, `doc_blob.bin`):
`SegmentDocs` reads them, and the first writable open moves them to the text store.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from wiretrace.doc.article import Article

_LEVEL = 3  # zlib level: ~2.5x smaller than the text at a fraction of the shingling cost


@dataclass(frozen=True, slots=True)
class DocRecord:
    """What a trace needs of a stored source article (the index keeps its id and time; a reuse
    run's records carry them)."""

    url: str | None
    outlet: str | None
    title: str
    text: str
    spans: tuple[tuple[int, int], ...]
    article_id: str | None = None
    published_us: int | None = None  # microseconds since the epoch, UTC


def encode(article: Article) -> bytes:
    """An indexed article's record (compressed; its id and time are in the store)."""
    spans = [n for pair in article.spans for n in pair]
    payload = [article.url, article.outlet, article.title, article.text, spans]
    return zlib.compress(json.dumps(payload, ensure_ascii=False).encode(), _LEVEL)


def encode_row(
    url: str | None,
    outlet: str | None,
    text: str,
    spans: Sequence[int],
    article_id: str,
    published_us: int | None,
) -> bytes:
    """A reuse run's `docs` row as an uncompressed record (no title; `spans` flat)."""
    payload = [url, outlet, "", text, list(spans), article_id, published_us]
    return json.dumps(payload, ensure_ascii=False).encode()


def decode(blob: bytes) -> DocRecord:
    fields = json.loads(blob if blob[:1] == b"[" else zlib.decompress(blob))
    url, outlet, title, text, flat = fields[:5]
    spans = tuple(zip(flat[0::2], flat[1::2], strict=True))
    article_id, published_us = fields[5:7] if len(fields) >= 7 else (None, None)
    return DocRecord(url, outlet, title or "", text, spans, article_id, published_us)


def write(directory: Path, keys: Sequence[int], blobs: Sequence[bytes]) -> None:
    """Write the records of `keys` (any order) into a segment directory being built."""
    order = np.argsort(np.asarray(keys, dtype=np.int64), kind="stable")
    sorted_keys = np.asarray(keys, dtype=np.uint32)[order]
    sizes = np.array([len(blobs[i]) for i in order.tolist()], dtype=np.int64)
    offsets = np.zeros(len(sizes) + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])
    with (directory / "doc_blob.bin").open("wb") as handle:
        for i in order.tolist():
            handle.write(blobs[i])
    np.save(directory / "doc_offsets.npy", offsets)
    np.save(directory / "doc_keys.npy", sorted_keys)


class SegmentDocs:
    """The records of one segment, memory-mapped; `None` for a segment written without them."""

    def __init__(self, keys: np.ndarray, offsets: np.ndarray, blob: np.ndarray) -> None:
        self.keys = keys
        self.offsets = offsets
        self.blob = blob

    @classmethod
    def open(cls, directory: Path) -> SegmentDocs | None:
        if not (directory / "doc_keys.npy").exists():
            return None
        keys = np.load(directory / "doc_keys.npy", mmap_mode="r")
        offsets = np.load(directory / "doc_offsets.npy", mmap_mode="r")
        path = directory / "doc_blob.bin"
        blob = (
            np.memmap(path, dtype=np.uint8, mode="r")
            if path.stat().st_size
            else np.empty(0, np.uint8)
        )
        return cls(keys, offsets, blob)

    def __len__(self) -> int:
        return len(self.keys)

    def blob_of(self, key: int) -> bytes | None:
        at = int(np.searchsorted(self.keys, key))
        if at >= len(self.keys) or int(self.keys[at]) != key:
            return None
        return bytes(self.blob[int(self.offsets[at]) : int(self.offsets[at + 1])])

    def items(self) -> Iterable[tuple[int, bytes]]:
        for at, key in enumerate(self.keys.tolist()):
            yield key, bytes(self.blob[int(self.offsets[at]) : int(self.offsets[at + 1])])

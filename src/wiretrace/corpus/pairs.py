"""The plan's `candidates` counted in NumPy, for both engines, without a pair table.

The plan's SQL joins every pairable shingle with every other shingle of the same hash and groups
the joined rows: Σ df² rows (5.1 billion at 1,000,000 generated articles), which DuckDB spilled
past 40 GB of disk. Here the pairable shingles (in 2 to `max_df` sentences) are written once as
flat arrays sorted by hash (`write_pairable`: NumPy `.npy` files in the work directory, memory-
mapped read-only by every process, so the page cache holds one copy however many workers read
them); targets are taken a bucket of consecutive documents at a time, each target shingle's
sources found by binary search, the pairs expanded, filtered ("earlier only"), counted on one
packed 64-bit key and ranked, so no more than one bucket's pairs exist at any moment. The rows
are the SQL's (`tests/test_corpus_pairs.py` checks them against it).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

_COLUMNS = ("hash", "doc", "sent", "published")
_DTYPES = {"hash": np.int64, "doc": np.int32, "sent": np.int32, "published": np.int64}
# A publication time that is not known sorts before every source and after every target, so
# "earlier only" keeps the pair, as the SQL's IS NULL tests do.
UNKNOWN = np.iinfo(np.int64).min
_LATEST = np.iinfo(np.int64).max
# As DuckDB wrote it from the plan's SQL: the keys not null.
CANDIDATE_SCHEMA = pa.schema(
    [pa.field(name, pa.int32(), nullable=False) for name in ("tdoc", "tsent", "sdoc", "ssent")]
    + [pa.field("shared", pa.int32())]
)


@dataclass(frozen=True, slots=True)
class Pairable:
    """The pairable shingles sorted by hash (then doc, sentence), and `by_doc`: their positions
    in doc_key order, so a bucket of targets is one slice of it."""

    hash: Any
    doc: Any
    sent: Any
    published: Any  # microseconds, UNKNOWN where not known
    by_doc: Any
    max_doc: int
    max_sent: int

    def __len__(self) -> int:
        return len(self.hash)

    def bucket_slices(self, step: int) -> list[tuple[int, int]]:
        """The non-empty [start, stop) ranges of `by_doc` holding doc_keys 0..step-1,
        step..2*step-1, ...: both engines' buckets of target documents for `count_slice`."""
        step = max(int(step), 1)
        edges = [*range(0, self.max_doc + 1, step), self.max_doc + 1]
        docs = self.doc[self.by_doc]
        bounds = [int(i) for i in np.searchsorted(docs, edges, side="left")]
        return [(a, b) for a, b in itertools.pairwise(bounds) if b > a]


def _sorted(hashes: Any, docs: Any, sents: Any) -> bool:
    """Whether rows are in (hash, doc, sentence) order (as DuckDB's ORDER BY writes them)."""
    if len(hashes) < 2:
        return True
    up = hashes[1:] > hashes[:-1]
    same = hashes[1:] == hashes[:-1]
    doc_up = docs[1:] > docs[:-1]
    doc_same = docs[1:] == docs[:-1]
    return bool(np.all(up | (same & (doc_up | (doc_same & (sents[1:] >= sents[:-1]))))))


def write_pairable(batches: Iterator[pa.RecordBatch], rows: int, directory: Path) -> None:
    """Write (doc_key, sent, hash, published_us) rows as the arrays of `Pairable` in
    `directory`, sorted by (hash, doc, sentence) here unless they come so."""
    directory.mkdir(parents=True, exist_ok=True)
    raw: dict[str, Any] = {name: np.empty(rows, dtype=_DTYPES[name]) for name in _COLUMNS}
    at = 0
    for batch in batches:
        n = batch.num_rows
        raw["hash"][at : at + n] = batch.column("hash").to_numpy()
        raw["doc"][at : at + n] = batch.column("doc_key").to_numpy()
        raw["sent"][at : at + n] = batch.column("sent").to_numpy()
        raw["published"][at : at + n] = _published(batch.column("published_us"))
        at += n
    if at != rows:
        raise ValueError(f"pairable shingles: expected {rows} rows, read {at}")
    if _sorted(raw["hash"], raw["doc"], raw["sent"]):
        for name in _COLUMNS:
            np.save(directory / f"{name}.npy", raw.pop(name))
    else:
        order = np.lexsort((raw["sent"], raw["doc"], raw["hash"]))
        for name in _COLUMNS:
            np.save(directory / f"{name}.npy", raw.pop(name)[order])
        del order
    doc = np.load(directory / "doc.npy", mmap_mode="r")
    np.save(directory / "by_doc.npy", np.argsort(doc, kind="stable"))
    sent = np.load(directory / "sent.npy", mmap_mode="r")
    np.save(directory / "limits.npy", np.array([doc.max(initial=0), sent.max(initial=0)]))


def _published(column: Any) -> Any:
    return pc.fill_null(column, UNKNOWN).to_numpy()


_OPEN: dict[str, Pairable] = {}  # per process: the arrays of the running stage


def open_pairable(directory: str | Path) -> Pairable:
    """The arrays written by `write_pairable`, memory-mapped (cached for the process)."""
    key = str(directory)
    found = _OPEN.get(key)
    if found is None:
        _OPEN.clear()
        path = Path(directory)
        arrays = {n: np.load(path / f"{n}.npy", mmap_mode="r") for n in (*_COLUMNS, "by_doc")}
        max_doc, max_sent = (int(v) for v in np.load(path / "limits.npy"))
        found = _OPEN[key] = Pairable(**arrays, max_doc=max_doc, max_sent=max_sent)
    return found


def close_pairable() -> None:
    """Drop this process's maps (before the files are removed)."""
    _OPEN.clear()


Targets = tuple[Any, Any, Any, Any]  # doc, sentence, hash, published (UNKNOWN if not known)


def count_slice(directory: str, start: int, stop: int, min_shared: int, limit: int) -> pa.Table:
    """Candidates of the targets at `by_doc[start:stop]` (a bucket of whole documents)."""
    pairable = open_pairable(directory)
    rows = np.sort(np.asarray(pairable.by_doc[start:stop]))  # in hash order: sequential reads
    targets = (
        np.asarray(pairable.doc[rows], dtype=np.int64),
        np.asarray(pairable.sent[rows], dtype=np.int64),
        np.asarray(pairable.hash[rows]),
        np.asarray(pairable.published[rows]),
    )
    return count_targets(targets, pairable, min_shared, limit)


def _bits(value: int) -> int:
    return max(int(value).bit_length(), 1)


def count_targets(targets: Targets, sources: Pairable, min_shared: int, limit: int) -> pa.Table:
    """The plan's pair filter, count, cut and rank for some target shingles, in NumPy; rows in
    (tdoc, tsent, sdoc, ssent) order."""
    tdoc, tsent, thash, tpub = targets
    lo = np.searchsorted(sources.hash, thash, side="left")
    hi = np.searchsorted(sources.hash, thash, side="right")
    counts = hi - lo
    total = int(counts.sum())
    # Each target row's values repeated over its sources (np.repeat: sequential, not a gather).
    s = np.repeat(lo - (np.cumsum(counts) - counts), counts) + np.arange(total)
    sdoc = np.asarray(sources.doc[s], dtype=np.int64)
    rep_doc = np.repeat(tdoc, counts)
    latest = np.repeat(np.where(tpub == UNKNOWN, _LATEST, tpub), counts)
    keep = (sdoc != rep_doc) & (np.asarray(sources.published[s]) <= latest)
    del lo, hi, latest
    s, sdoc, rep_doc = s[keep], sdoc[keep], rep_doc[keep]
    rep_sent = np.repeat(tsent, counts)[keep]
    ssent = np.asarray(sources.sent[s], dtype=np.int64)
    del s, keep
    low = int(tdoc.min(initial=0))
    doc_bits = _bits(sources.max_doc)
    sent_bits = _bits(max(sources.max_sent, int(tsent.max(initial=0))))
    tdoc_bits = _bits(int(tdoc.max(initial=0)) - low)
    if tdoc_bits + doc_bits + 2 * sent_bits <= 63:
        key = rep_doc - low
        key = (key << sent_bits) | rep_sent
        key = (key << doc_bits) | sdoc
        key = (key << sent_bits) | ssent
        del rep_doc, rep_sent, sdoc, ssent
        keys, shared = np.unique(key, return_counts=True)
        cut = shared >= min_shared
        keys, shared = keys[cut], shared[cut]
        mask = (1 << sent_bits) - 1
        out_ssent = keys & mask
        out_sdoc = (keys >> sent_bits) & ((1 << doc_bits) - 1)
        out_tsent = (keys >> (sent_bits + doc_bits)) & mask
        out_tdoc = (keys >> (2 * sent_bits + doc_bits)) + low
    else:
        grouped = (ssent, sdoc, rep_sent, rep_doc)
        order = np.lexsort(grouped)
        ordered = [c[order] for c in grouped]
        change = np.ones(len(order), dtype=bool)
        if len(order):
            change[1:] = np.any([c[1:] != c[:-1] for c in ordered], axis=0)
        first = np.flatnonzero(change)
        shared = np.diff(np.append(first, len(order)))
        cut = shared >= min_shared
        first, shared = first[cut], shared[cut]
        out_ssent, out_sdoc, out_tsent, out_tdoc = (c[first] for c in ordered)
    # Best `limit` sources per target sentence: shared descending, then sdoc, ssent.
    order = np.lexsort((out_ssent, out_sdoc, -shared, out_tsent, out_tdoc))
    out_tdoc, out_tsent, out_sdoc, out_ssent, shared = (
        c[order] for c in (out_tdoc, out_tsent, out_sdoc, out_ssent, shared)
    )
    n = len(order)
    new = np.ones(n, dtype=bool)
    if n:
        new[1:] = (out_tdoc[1:] != out_tdoc[:-1]) | (out_tsent[1:] != out_tsent[:-1])
    group_start = np.maximum.accumulate(np.where(new, np.arange(n), 0))
    top = (np.arange(n) - group_start) < limit
    kept = [c[top] for c in (out_tdoc, out_tsent, out_sdoc, out_ssent, shared)]
    # Back to (tdoc, tsent, sdoc, ssent) order: the checkpoint's order, sorted by target.
    order = np.lexsort((kept[3], kept[2], kept[1], kept[0]))
    names = CANDIDATE_SCHEMA.names
    columns = {name: pa.array(c[order], pa.int32()) for name, c in zip(names, kept, strict=True)}
    return pa.table(columns, schema=CANDIDATE_SCHEMA)

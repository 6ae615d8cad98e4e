"""The candidate index: sentence shingle postings in hash-sorted segment files.

Why not a DuckDB table: finding ~300 scattered hashes among 10^8 postings is a binary search on
a sorted array (microseconds), while a table scan or join costs a full pass per query. So
postings live in segment directories beside the store (`STORE.duckdb.index/seg-*/*.npy`,
`segments.py`), the articles' source records in the append-only text store
(`STORE.duckdb.texts/`, `texts.py`), and the store's `index_docs` / `index_segments` /
`index_meta` tables say which articles, segments and records are indexed.

Writing: `add` writes one segment per call and merges segments size-tiered (`merge_policy.py`:
any posting is rewritten O(log n) times); a bulk add (`bulk()`, what ingest and `reindex` use)
is an external sort: postings are buffered up to a bounded run, each run is sorted and written
as a segment, and at the end the runs are merged into one by a streamed k-way merge. Source
records are written once and never touched by a merge.

Consistency: a segment is written to a temporary directory and renamed, then recorded in one
transaction with its articles and the text store's new length. A process killed in between
leaves an unrecorded directory, removed on the next open, and an uncommitted text-store tail,
cut off on the next open; articles stored but not yet indexed are picked up by `catch_up()`.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from wiretrace.doc.article import Article
from wiretrace.errors import StoreError
from wiretrace.index import records
from wiretrace.index.merge_policy import FAN_IN, next_merge
from wiretrace.index.prepare import take_prepared
from wiretrace.index.segments import Segment, merge_segments, write_segment
from wiretrace.index.shingles import ShingleParams
from wiretrace.index.texts import TextStore
from wiretrace.store import index_tables as tables
from wiretrace.store.articles import Store

# The tiered policy keeps at most F - 1 segments per size tier; a store of a few thousand
# articles spans fewer than three tiers, so it stays at or below this many segments.
MAX_SEGMENTS = 2 * (FAN_IN - 1) + 2
_CATCH_UP_BATCH = 5000
RUN_POSTINGS = 8_000_000  # a bulk add's sorted run (~30k articles, ~100 MB buffered)
# A bulk add merges its runs when it has this many (bounding the open segments), and merges
# those merged groups with the last runs at the end: every posting is written at most 3 times
# up to MAX_RUNS^2 runs (~130M articles), twice up to MAX_RUNS runs (~1.8M articles).
MAX_RUNS = 64
_LEGACY_RECORDS = ("doc_keys.npy", "doc_offsets.npy", "doc_blob.bin")


@dataclass(slots=True)
class Postings:
    """Matches of query shingles: parallel arrays, one row per (query row, posting)."""

    query_rows: np.ndarray  # row in the query arrays (so the caller knows its sentence)
    docs: np.ndarray
    sents: np.ndarray


class ShingleIndex:
    """The shingle index of one store; open it after the store, use it while the store is open."""

    def __init__(
        self, store: Store, params: ShingleParams | None = None, *, check_params: bool = True
    ) -> None:
        self.store = store
        self.params = params or ShingleParams()
        self.directory = store.path.with_name(store.path.name + ".index")
        self.writable = not tables.is_read_only(store.db)
        if check_params:  # `reindex` skips the check: it rebuilds with the current parameters
            self._check_params()
        names = tables.segment_names(store.db)
        if self.writable:
            self._remove_orphans(set(names))
        missing = [name for name in names if not (self.directory / name).is_dir()]
        if missing and check_params:
            raise StoreError(
                f"{self.directory / missing[0]}: index segment missing (the store was copied "
                "without its .index directory?); run 'wiretrace reindex'"
            )
        # `reindex` (check_params=False) rebuilds everything, so lost segments are dropped.
        self.segments = [Segment(self.directory / n) for n in names if n not in missing]
        self.texts = self._open_texts(strict=check_params)
        self._published = np.empty(0)
        self._docs = 0
        published, self.doc_ids = self._load_docs()
        self._append_published(published)
        self._keys: dict[str, int] | None = None
        if self.writable and check_params:
            self._move_legacy_records()

    # -- bookkeeping ---------------------------------------------------------------------

    def _check_params(self) -> None:
        built_with = tables.meta(self.store.db, tables.SHINGLES)
        if built_with is None:
            if self.writable:
                with self.store.transaction() as tx:
                    tables.set_meta(tx, tables.SHINGLES, self.params.key())
        elif built_with != self.params.key():
            raise StoreError(
                f"{self.store.path}: the index was built with {built_with}, this version "
                f"uses {self.params.key()}; run 'wiretrace reindex'"
            )

    def _open_texts(self, *, strict: bool) -> TextStore:
        directory = self.store.path.with_name(self.store.path.name + ".texts")
        committed = tables.texts_state(self.store.db)
        try:
            return TextStore(directory, committed, writable=self.writable)
        except StoreError:
            if strict:
                raise
            return TextStore(directory, (0, 0), writable=self.writable)  # `reindex` refills it

    def _remove_orphans(self, recorded: set[str]) -> None:
        if not self.directory.exists():
            return
        for path in self.directory.iterdir():
            if path.name not in recorded:
                shutil.rmtree(path, ignore_errors=True)

    def _load_docs(self) -> tuple[np.ndarray, list[str]]:
        """Per doc key: publication time (epoch seconds, NaN unknown) and article id, in memory
        so that tracing filters by time and fetches articles by id without a join."""
        table = tables.indexed_docs(self.store.db)
        keys = table.column("doc_key").to_numpy()
        size = int(keys.max()) + 1 if len(keys) else 0
        times = np.full(size, np.nan)
        times[keys] = table.column("t").to_numpy(zero_copy_only=False).astype(float)
        ids = [""] * size
        for key, article_id in zip(
            keys.tolist(), table.column("article_id").to_pylist(), strict=True
        ):
            ids[key] = article_id
        return times, ids

    @property
    def doc_published(self) -> np.ndarray:
        """Publication time (epoch seconds, NaN unknown) of each doc key."""
        return self._published[: self._docs]

    def _append_published(self, times: np.ndarray) -> None:
        needed = self._docs + len(times)
        if needed > len(self._published):  # amortised growth: adds are many and small
            grown = np.empty(max(needed, 2 * len(self._published)))
            grown[: self._docs] = self._published[: self._docs]
            self._published = grown
        self._published[self._docs : needed] = times
        self._docs = needed

    @property
    def postings(self) -> int:
        return sum(len(s) for s in self.segments)

    def size_bytes(self) -> int:
        """Bytes on disk of all segment files (the postings; source records are `texts`)."""
        return sum(f.stat().st_size for s in self.segments for f in s.path.iterdir())

    def texts_bytes(self) -> int:
        """Bytes of the source-text store (records and their offsets)."""
        return self.texts.bytes + self.texts.entries * 16

    def _move_legacy_records(self) -> None:
        """Records kept inside segments by older versions go to the text store, once."""
        for segment in self.segments:
            legacy = segment.texts
            if legacy is None:
                continue
            keys: list[int] = []
            blobs: list[bytes] = []
            for key, blob in legacy.items():
                if key not in self.texts:
                    keys.append(key)
                    blobs.append(blob)
                if len(keys) >= _CATCH_UP_BATCH:  # bounded memory on a large old store
                    self._commit_texts(self.texts.append(keys, blobs))
                    keys, blobs = [], []
            if keys:
                self._commit_texts(self.texts.append(keys, blobs))
            segment.texts = None
            for name in _LEGACY_RECORDS:  # now copies: the text store is read first
                (segment.path / name).unlink(missing_ok=True)

    def _commit_texts(self, state: tuple[int, int]) -> None:
        with self.store.transaction() as tx:
            tables.set_texts_state(tx, state)
        self.texts.commit(state)

    # -- writing -------------------------------------------------------------------------

    def add(self, articles: Sequence[Article]) -> int:
        """Index articles (already stored) that are not indexed yet; returns how many."""
        if not articles:
            return 0
        self._require_writable()
        with self.store.transaction() as tx:
            done = tables.indexed_among(tx, [a.id for a in articles])
        fresh = [a for a in {a.id: a for a in articles}.values() if a.id not in done]
        if not fresh:
            return 0
        run = _Run(self.params)
        run.extend(fresh)
        self._write_run(run)
        self._compact()
        return len(fresh)

    def bulk(self) -> BulkWriter:
        """A bulk add: postings buffered into large sorted runs, merged into one at the end.

        Feed it articles just stored (not indexed) with `add`, then call `finish` (or use it
        as a context manager). Articles become searchable as each run is written (every
        `RUN_POSTINGS` postings) and all of them at `finish`; what a killed process had
        buffered is stored but not indexed, and `catch_up()` indexes it."""
        self._require_writable()
        return BulkWriter(self)

    def _write_run(self, run: _Run) -> Segment | None:
        """Write a run's postings as a segment and its records to the text store, recorded
        with its articles in one transaction."""
        articles = run.articles
        if not articles:
            return None
        first_key = self._docs
        self.directory.mkdir(parents=True, exist_ok=True)
        segment = write_segment(self.directory, *run.postings(first_key))
        keys = list(range(first_key, first_key + len(articles)))
        texts_state = self.texts.append(keys, run.blobs)
        rows = pa.table(
            {
                "doc_key": pa.array(keys, pa.int32()),
                "article_id": [a.id for a in articles],
                "published_at": pa.array(
                    [a.published_at for a in articles], pa.timestamp("us", "UTC")
                ),
            }
        )
        try:
            with self.store.transaction() as tx:
                tables.record_run(tx, rows, segment.name, len(segment), texts_state)
        except BaseException:
            shutil.rmtree(segment.path, ignore_errors=True)
            raise
        self.texts.commit(texts_state)
        self._append_published(
            np.array([a.published_at.timestamp() if a.published_at else np.nan for a in articles])
        )
        self.doc_ids.extend(a.id for a in articles)
        self.segments.append(segment)
        return segment

    def unindexed(self) -> int:
        """How many stored articles are not indexed yet."""
        return tables.unindexed_count(self.store.db)

    def catch_up(self) -> int:
        """Index every stored article that is not indexed yet (after a crash or an old store),
        reading the store from the first of them on, in stored order (linear in the store)."""
        if not self.writable:
            return 0
        missing = tables.unindexed(self.store.db)
        if not len(missing):
            return 0
        wanted = None if len(missing) == self.store.count() else set(missing["id"].to_pylist())
        writer = self.bulk()
        for batch in self.store.iter_in_stored_order(
            batch_size=_CATCH_UP_BATCH, first_row=int(missing["row"][0].as_py())
        ):
            writer.add(batch if wanted is None else [a for a in batch if a.id in wanted])
        writer.finish()
        return len(missing)

    def rebuild(self) -> int:
        """Drop and rebuild the whole index from the stored articles; returns articles indexed."""
        self._require_writable()
        old = list(self.segments)
        with self.store.transaction() as tx:
            tables.reset(tx, self.params.key())
        for segment in old:
            shutil.rmtree(segment.path, ignore_errors=True)
        self.texts.reset()
        # Doc keys are handed out afresh, so sentence embeddings keyed by them are stale.
        self.store.path.with_name(self.store.path.name + ".semantic.npz").unlink(missing_ok=True)
        self.segments = []
        self._published = np.empty(0)
        self._docs = 0
        self.doc_ids = []
        self._keys = None
        return self.catch_up()  # a bulk add: one segment at the end

    def _compact(self) -> None:
        while (chosen := next_merge([len(s) for s in self.segments])) is not None:
            self.merge([self.segments[i] for i in chosen])

    def merge(self, segments: Sequence[Segment]) -> Segment:
        """Replace several segments by one (a streamed k-way merge); the swap is one
        transaction. Source records are not in segments and are not touched."""
        self._require_writable()
        merged = merge_segments(self.directory, segments)
        names = [s.name for s in segments]
        try:
            with self.store.transaction() as tx:
                tables.record_merge(tx, names, merged.name, len(merged))
        except BaseException:
            shutil.rmtree(merged.path, ignore_errors=True)
            raise
        self.segments = [s for s in self.segments if s.name not in names] + [merged]
        for segment in segments:
            shutil.rmtree(segment.path, ignore_errors=True)
        return merged

    def _require_writable(self) -> None:
        if not self.writable:
            raise StoreError(f"{self.store.path}: opened read-only, cannot change the index")

    # -- reading -------------------------------------------------------------------------

    def key_of(self, article_id: str) -> int | None:
        """The doc key of an indexed article (the id map is built on first use)."""
        if self._keys is None or len(self._keys) != len(self.doc_ids):
            self._keys = {a: k for k, a in enumerate(self.doc_ids)}
        return self._keys.get(article_id)

    def source(self, key: int) -> records.DocRecord | None:
        """The stored record of a doc key, or None when it was indexed before records were
        kept (the caller reads the store instead)."""
        record = self.texts.source(key)
        if record is not None:
            return record
        for segment in self.segments:  # a read-only store from before the text store
            if segment.texts is not None:
                blob = segment.texts.blob_of(key)
                if blob is not None:
                    return records.decode(blob)
        return None

    def lookup(self, hashes: np.ndarray, *, max_df: int) -> tuple[Postings, np.ndarray]:
        """Postings of each query hash, skipping hashes with more than `max_df` postings.

        Returns the postings and, per query row, its posting count over all segments (its
        document frequency, near enough), so callers can tell stock phrases from rare text.
        """
        unique, inverse = np.unique(hashes, return_inverse=True)
        ranges = [s.ranges(unique) for s in self.segments]
        df = np.zeros(len(unique), dtype=np.int64)
        for left, right in ranges:
            df += right - left
        kept_hash = df <= max_df
        keep = kept_hash[inverse]
        # Each query row's hash, numbered among the kept hashes.
        row_hash = (np.cumsum(kept_hash) - 1)[inverse][keep]
        rows_parts, docs_parts, sents_parts = [], [], []
        for segment, (left, right) in zip(self.segments, ranges, strict=True):
            hash_counts = (right - left)[kept_hash].astype(np.int64)
            if not hash_counts.sum():
                continue
            # Each kept hash's postings read once, then expanded per query row, vectorised.
            docs, sents = segment.postings(left[kept_hash], hash_counts)
            hash_firsts = np.cumsum(hash_counts) - hash_counts
            counts = hash_counts[row_hash]
            total = int(counts.sum())
            firsts = np.cumsum(counts) - counts
            positions = np.repeat(hash_firsts[row_hash] - firsts, counts) + np.arange(total)
            rows_parts.append(np.repeat(np.nonzero(keep)[0], counts))
            docs_parts.append(docs[positions])
            sents_parts.append(sents[positions])
        postings = Postings(
            _concat(rows_parts, np.int64), _concat(docs_parts), _concat(sents_parts)
        )
        return postings, df[inverse]


class _Run:
    """Articles' postings and records gathered in memory before they are written."""

    def __init__(self, params: ShingleParams) -> None:
        self.params = params
        self.articles: list[Article] = []
        self.blobs: list[bytes] = []
        self._hashes: list[np.ndarray] = []
        self._sents: list[np.ndarray] = []
        self.size = 0

    def extend(self, articles: Sequence[Article]) -> None:
        for article in articles:
            hashes, sents, blob = take_prepared(article, self.params)
            self._hashes.append(hashes)
            self._sents.append(sents)
            self.articles.append(article)
            self.blobs.append(blob)
            self.size += len(hashes)

    def postings(self, first_key: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        counts = np.fromiter((len(h) for h in self._hashes), np.int64, len(self._hashes))
        docs = np.repeat(np.arange(first_key, first_key + len(counts), dtype=np.uint32), counts)
        return _concat(self._hashes), docs, _concat(self._sents)


class BulkWriter:
    """The writing side of `ShingleIndex.bulk()`: an external sort of the postings."""

    def __init__(self, index: ShingleIndex) -> None:
        self.index = index
        self.run = _Run(index.params)
        self.runs: list[Segment] = []  # sorted runs this bulk add wrote
        self.groups: list[Segment] = []  # runs merged MAX_RUNS at a time; all merged at the end
        self.seen: set[str] = set()

    def add(self, articles: Sequence[Article]) -> int:
        """Buffer articles that were just stored (so not indexed); returns how many."""
        fresh = [a for a in articles if a.id not in self.seen]
        self.seen.update(a.id for a in fresh)
        self.run.extend(fresh)
        if self.run.size >= RUN_POSTINGS:
            self.flush()
        return len(fresh)

    def flush(self) -> None:
        segment = self.index._write_run(self.run)
        self.run = _Run(self.index.params)
        if segment is not None:
            self.runs.append(segment)
        if len(self.runs) >= MAX_RUNS:  # runs only, never a merged group again: 3 writes
            self.groups.append(self.index.merge(self.runs))
            self.runs = []

    def finish(self) -> None:
        """Write the last run, merge this add's runs into one, then apply the tiered policy."""
        self.flush()
        written = self.groups + self.runs
        if len(written) > 1:
            self.index.merge(written)
        self.runs, self.groups = [], []
        self.index._compact()


def _concat(parts: Sequence[np.ndarray], dtype: type = np.uint32) -> np.ndarray:
    return np.concatenate(parts).astype(dtype, copy=False) if parts else np.empty(0, dtype=dtype)

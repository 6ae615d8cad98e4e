"""The candidate index: sentence shingle postings in memory-mapped, hash-sorted segment files.

Why not a DuckDB table: finding ~300 scattered hashes among 10^8 postings is a binary search on
a sorted array (microseconds), while a table scan or join costs a full pass per query. So
postings live in segment directories beside the store (`STORE.duckdb.index/seg-*/*.npy`), and the
store's `index_docs` / `index_segments` tables say which segments and articles are indexed.

Consistency: a segment is written to a temporary directory and renamed, then recorded in one
transaction with its articles. A process killed in between leaves an unrecorded directory, removed
on the next open; articles stored but not yet indexed are picked up by `catch_up()`.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa

from wiretrace import docstore
from wiretrace.errors import StoreError
from wiretrace.model import Article
from wiretrace.shingles import ShingleParams, sentence_shingles
from wiretrace.store import Store, fetch_one

MAX_SEGMENTS = 8  # more than this and the smallest are merged (log-structured, amortised)
_MERGE_WIDTH = 4
_CATCH_UP_BATCH = 5000


class Segment:
    """One immutable, hash-sorted run of postings (hash, doc_key, sentence index)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = path.name
        self.hashes: np.ndarray = np.load(path / "hashes.npy", mmap_mode="r")
        self.docs: np.ndarray = np.load(path / "docs.npy", mmap_mode="r")
        self.sents: np.ndarray = np.load(path / "sents.npy", mmap_mode="r")
        self.texts = docstore.SegmentDocs.open(path)

    def __len__(self) -> int:
        return len(self.hashes)

    @staticmethod
    def write(
        directory: Path,
        hashes: np.ndarray,
        docs: np.ndarray,
        sents: np.ndarray,
        texts: tuple[Sequence[int], Sequence[bytes]] | None = None,
    ) -> Segment:
        """Sort postings by hash (stably: earlier doc keys first) and write them atomically,
        with the source records (`texts`: doc keys and their encoded records) when given."""
        order = np.argsort(hashes, kind="stable")
        name = f"seg-{uuid.uuid4().hex[:12]}"
        tmp = directory / f".{name}.tmp"
        tmp.mkdir(parents=True)
        np.save(tmp / "hashes.npy", np.ascontiguousarray(hashes[order], dtype=np.uint32))
        np.save(tmp / "docs.npy", np.ascontiguousarray(docs[order], dtype=np.uint32))
        np.save(tmp / "sents.npy", np.ascontiguousarray(sents[order], dtype=np.uint32))
        if texts is not None:
            docstore.write(tmp, *texts)
        tmp.rename(directory / name)
        return Segment(directory / name)

    def ranges(self, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For sorted unique query hashes: [left, right) posting ranges of each."""
        left = np.searchsorted(self.hashes, query, side="left")
        right = np.searchsorted(self.hashes, query, side="right")
        return left, right


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
        self.writable = not _is_read_only(store)
        if check_params:  # `reindex` skips the check: it rebuilds with the current parameters
            self._check_params()
        names = [
            r[0]
            for r in store.db.execute(
                "SELECT name FROM index_segments ORDER BY created_at, name"
            ).fetchall()
        ]
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
        self.doc_published, self.doc_ids = self._load_docs()
        self._keys: dict[str, int] | None = None

    # -- bookkeeping ---------------------------------------------------------------------

    def _check_params(self) -> None:
        row = fetch_one(self.store.db, "SELECT value FROM index_meta WHERE key = 'shingles'")
        if row is None:
            if self.writable:
                self.store.db.execute(
                    "INSERT INTO index_meta VALUES ('shingles', ?)", [self.params.key()]
                )
        elif row[0] != self.params.key():
            raise StoreError(
                f"{self.store.path}: the index was built with {row[0]}, this version "
                f"uses {self.params.key()}; run 'wiretrace reindex'"
            )

    def _remove_orphans(self, recorded: set[str]) -> None:
        if not self.directory.exists():
            return
        for path in self.directory.iterdir():
            if path.name not in recorded:
                shutil.rmtree(path, ignore_errors=True)

    def _load_docs(self) -> tuple[np.ndarray, list[str]]:
        """Per doc key: publication time (epoch seconds, NaN unknown) and article id, in memory
        so that tracing filters by time and fetches articles by id without a join."""
        table = self.store.db.sql(
            "SELECT doc_key, epoch(published_at) AS t, article_id FROM index_docs ORDER BY doc_key"
        ).to_arrow_table()
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
    def postings(self) -> int:
        return sum(len(s) for s in self.segments)

    def size_bytes(self) -> int:
        """Bytes on disk of all segment files."""
        return sum(f.stat().st_size for s in self.segments for f in s.path.iterdir())

    # -- writing -------------------------------------------------------------------------

    def add(self, articles: Sequence[Article]) -> int:
        """Index articles (already stored) that are not indexed yet; returns how many."""
        if not articles:
            return 0
        self._require_writable()
        db = self.store.db
        db.register("_idx_ids", pa.table({"article_id": [a.id for a in articles]}))
        try:
            done = {
                r[0]
                for r in db.execute(
                    "SELECT article_id FROM index_docs JOIN _idx_ids USING (article_id)"
                ).fetchall()
            }
        finally:
            db.unregister("_idx_ids")
        fresh = [a for a in {a.id: a for a in articles}.values() if a.id not in done]
        if not fresh:
            return 0
        first_key = len(self.doc_published)
        segment = self._build_segment(fresh, first_key)
        rows = pa.table(
            {
                "doc_key": pa.array(range(first_key, first_key + len(fresh)), pa.int32()),
                "article_id": [a.id for a in fresh],
                "published_at": pa.array(
                    [a.published_at for a in fresh], pa.timestamp("us", "UTC")
                ),
            }
        )
        db.execute("BEGIN TRANSACTION")
        try:
            db.register("_idx_rows", rows)
            db.execute("INSERT INTO index_docs SELECT * FROM _idx_rows")
            db.execute(
                "INSERT INTO index_segments VALUES (?, ?, ?, current_timestamp)",
                [segment.name, len(fresh), len(segment)],
            )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            shutil.rmtree(segment.path, ignore_errors=True)
            raise
        finally:
            db.unregister("_idx_rows")
        times = np.array([a.published_at.timestamp() if a.published_at else np.nan for a in fresh])
        self.doc_published = np.concatenate([self.doc_published, times])
        self.doc_ids.extend(a.id for a in fresh)
        self.segments.append(segment)
        self._maybe_compact()
        return len(fresh)

    def _build_segment(self, articles: Sequence[Article], first_key: int) -> Segment:
        hash_parts, doc_parts, sent_parts = [], [], []
        for offset, article in enumerate(articles):
            hashes, sents = sentence_shingles(article.text, article.spans, self.params)
            hash_parts.append(hashes)
            sent_parts.append(sents)
            doc_parts.append(np.full(len(hashes), first_key + offset, dtype=np.uint32))
        self.directory.mkdir(parents=True, exist_ok=True)
        keys = range(first_key, first_key + len(articles))
        blobs = [docstore.encode(a) for a in articles]
        return Segment.write(
            self.directory,
            _concat(hash_parts),
            _concat(doc_parts),
            _concat(sent_parts),
            (keys, blobs),
        )

    def unindexed(self) -> int:
        """How many stored articles are not indexed yet."""
        row = fetch_one(
            self.store.db,
            "SELECT count(*) FROM articles a ANTI JOIN index_docs d ON d.article_id = a.id",
        )
        return int(row[0]) if row else 0

    def catch_up(self) -> int:
        """Index every stored article that is not indexed yet (after a crash or an old store)."""
        if not self.writable or not self.unindexed():
            return 0
        total = 0
        while True:
            ids = [
                r[0]
                for r in self.store.db.execute(
                    "SELECT a.id FROM articles a ANTI JOIN index_docs d ON d.article_id = a.id "
                    "ORDER BY a.ingested_at, a.id LIMIT ?",
                    [_CATCH_UP_BATCH],
                ).fetchall()
            ]
            if not ids:
                return total
            total += self.add(self.store.get_many(ids))

    def rebuild(self) -> int:
        """Drop and rebuild the whole index from the stored articles; returns articles indexed."""
        self._require_writable()
        db = self.store.db
        old = list(self.segments)
        db.execute("BEGIN TRANSACTION")
        try:
            db.execute("DELETE FROM index_docs")
            db.execute("DELETE FROM index_segments")
            db.execute("DELETE FROM index_meta")
            db.execute("INSERT INTO index_meta VALUES ('shingles', ?)", [self.params.key()])
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        for segment in old:
            shutil.rmtree(segment.path, ignore_errors=True)
        # Doc keys are handed out afresh, so sentence embeddings keyed by them are stale.
        self.store.path.with_name(self.store.path.name + ".semantic.npz").unlink(missing_ok=True)
        self.segments = []
        self.doc_published = np.empty(0)
        self.doc_ids = []
        self._keys = None
        indexed = self.catch_up()
        if len(self.segments) > 1:  # one segment: one binary search per query hash
            self.merge(list(self.segments))
        return indexed

    def _maybe_compact(self) -> None:
        while len(self.segments) > MAX_SEGMENTS:
            smallest = sorted(self.segments, key=len)[:_MERGE_WIDTH]
            self.merge(smallest)

    def merge(self, segments: Sequence[Segment]) -> Segment:
        """Replace several segments by one; the swap is one transaction."""
        self._require_writable()
        keys: list[int] = []
        blobs: list[bytes] = []
        for segment in segments:  # a segment from an older version has no records to carry
            for key, blob in segment.texts.items() if segment.texts is not None else ():
                keys.append(key)
                blobs.append(blob)
        merged = Segment.write(
            self.directory,
            np.concatenate([np.asarray(s.hashes) for s in segments]),
            np.concatenate([np.asarray(s.docs) for s in segments]),
            np.concatenate([np.asarray(s.sents) for s in segments]),
            (keys, blobs),
        )
        db = self.store.db
        names = [s.name for s in segments]
        db.execute("BEGIN TRANSACTION")
        try:
            db.register("_merged_names", pa.table({"name": names}))
            row = fetch_one(
                db, "SELECT sum(docs) FROM index_segments JOIN _merged_names USING (name)"
            )
            db.unregister("_merged_names")
            docs = int(row[0]) if row and row[0] is not None else 0
            for name in names:
                db.execute("DELETE FROM index_segments WHERE name = ?", [name])
            db.execute(
                "INSERT INTO index_segments VALUES (?, ?, ?, current_timestamp)",
                [merged.name, docs, len(merged)],
            )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
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

    def source(self, key: int) -> docstore.DocRecord | None:
        """The stored record of a doc key, or None when its segment predates records."""
        for segment in self.segments:
            if segment.texts is not None:
                blob = segment.texts.blob_of(key)
                if blob is not None:
                    return docstore.decode(blob)
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
        keep = (df <= max_df)[inverse]
        rows_parts, docs_parts, sents_parts = [], [], []
        for segment, (left, right) in zip(self.segments, ranges, strict=True):
            # Expand each query row's [left, right) range into posting positions, vectorised.
            lo = left[inverse][keep]
            counts = (right[inverse][keep] - lo).astype(np.int64)
            total = int(counts.sum())
            if not total:
                continue
            rows = np.repeat(np.nonzero(keep)[0], counts)
            firsts = np.cumsum(counts) - counts
            positions = np.repeat(lo - firsts, counts) + np.arange(total)
            rows_parts.append(rows)
            docs_parts.append(np.asarray(segment.docs[positions]))
            sents_parts.append(np.asarray(segment.sents[positions]))
        postings = Postings(
            _concat(rows_parts, np.int64), _concat(docs_parts), _concat(sents_parts)
        )
        return postings, df[inverse]


def _concat(parts: Sequence[np.ndarray], dtype: type = np.uint32) -> np.ndarray:
    return np.concatenate(parts).astype(dtype, copy=False) if parts else np.empty(0, dtype=dtype)


def _is_read_only(store: Store) -> bool:
    row = fetch_one(
        store.db, "SELECT readonly FROM duckdb_databases() WHERE database_name = current_database()"
    )
    return bool(row and row[0])

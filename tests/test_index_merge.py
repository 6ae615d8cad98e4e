"""Segment merging, the size-tiered policy, the source-text store and bulk adds, on real stores."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from wiretrace.doc.article import Article
from wiretrace.index import records as docstore
from wiretrace.index.merge_policy import FAN_IN, next_merge, tier
from wiretrace.index.postings import ShingleIndex
from wiretrace.index.segments import merge_runs, merge_segments, write_segment
from wiretrace.index.shingles import sentence_shingles
from wiretrace.index.texts import TextStore
from wiretrace.store.articles import Store

T0 = datetime(2032, 6, 1, tzinfo=UTC)


def _articles(count: int, start: int = 0) -> list[Article]:
    return [
        Article.create(
            f"Ferry number {n} left the Oskarholm quay at {n % 12} in the morning. "
            f"The harbour master said {n * 7} passengers and {n % 31} lorries were aboard.",
            url=f"https://quay{n}.example/f",
            published_at=T0 + timedelta(minutes=n),
        )
        for n in range(start, start + count)
    ]


def _postings(index: ShingleIndex) -> list[tuple[int, int, int]]:
    """Every posting of the index as (hash, doc, sentence), sorted."""
    rows = []
    for segment in index.segments:
        rows.extend(
            zip(
                np.asarray(segment.hashes).tolist(),
                np.asarray(segment.docs).tolist(),
                np.asarray(segment.sents).tolist(),
                strict=True,
            )
        )
    return sorted(rows)


def _random_run(rng: np.random.Generator, size: int, docs: range) -> tuple[np.ndarray, ...]:
    hashes = rng.integers(0, 2**32, size, dtype=np.uint64).astype(np.uint32)
    hashes[: size // 4] = hashes[size // 2 : size // 2 + size // 4]  # repeated hashes
    doc = rng.integers(docs.start, docs.stop, size).astype(np.uint32)
    sents = rng.integers(0, 50, size).astype(np.uint32)
    order = np.lexsort((doc, hashes))
    return hashes[order], doc[order], sents[order]


def test_merging_sorted_runs_equals_sorting_their_union() -> None:
    rng = np.random.default_rng(5)
    runs = [
        _random_run(rng, size, range(100 * n, 100 * n + 100))
        for n, size in enumerate((0, 1, 7, 300, 2000))
    ]
    hashes, docs, sents = merge_runs(runs)
    union = [np.concatenate(column) for column in zip(*runs, strict=True)]
    order = np.lexsort((union[1], union[0]))
    assert np.array_equal(hashes, union[0][order])
    assert np.array_equal(docs, union[1][order])
    assert sorted(zip(hashes.tolist(), docs.tolist(), sents.tolist(), strict=True)) == sorted(
        zip(*(c.tolist() for c in union), strict=True)
    )


def test_streamed_merge_in_small_chunks_keeps_every_posting(tmp_path: Path) -> None:
    rng = np.random.default_rng(9)
    segments = [
        write_segment(tmp_path, *_random_run(rng, size, range(50 * n, 50 * n + 50)))
        for n, size in enumerate((5000, 3000, 1, 4000))
    ]
    expected = sorted(
        (h, d, s)
        for seg in segments
        for h, d, s in zip(
            np.asarray(seg.hashes).tolist(),
            np.asarray(seg.docs).tolist(),
            np.asarray(seg.sents).tolist(),
            strict=True,
        )
    )
    merged = merge_segments(tmp_path, segments, chunk=700)  # ~18 slices of the hash space
    hashes = np.asarray(merged.hashes)
    assert len(merged) == len(expected) and bool(np.all(hashes[1:] >= hashes[:-1]))
    got = zip(
        hashes.tolist(),
        np.asarray(merged.docs).tolist(),
        np.asarray(merged.sents).tolist(),
        strict=True,
    )
    assert sorted(got) == expected
    assert not list(tmp_path.glob(".*.tmp"))


def test_tiered_policy_rewrites_each_posting_a_logarithmic_number_of_times() -> None:
    sizes: list[int] = []
    rewritten = 0
    batches = 4000
    for _ in range(batches):
        sizes.append(1000)
        while (chosen := next_merge(sizes)) is not None:
            merged = sum(sizes[i] for i in chosen)
            rewritten += merged
            sizes = [s for i, s in enumerate(sizes) if i not in chosen] + [merged]
    total = 1000 * batches
    # log_4(4000) is ~6: no posting moved more than once per tier.
    assert rewritten / total <= 6.0
    assert sum(sizes) == total
    assert len(sizes) <= (FAN_IN - 1) * (tier(total) + 1)
    assert tier(63) == 2 and tier(64) == 3  # integer logarithm, no float rounding


def test_add_merges_by_size_tier_and_never_rewrites_records(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    with Store(db) as store:
        index = ShingleIndex(store)
        before: list[tuple[int, int, int]] = []
        for b in range(3 * FAN_IN):
            batch = _articles(2, start=2 * b)
            store.add_articles(batch)
            index.add(batch)
            before.extend(
                (h, index.key_of(a.id) or 0, s)
                for a in batch
                for h, s in zip(
                    *(x.tolist() for x in sentence_shingles(a.text, a.spans, index.params)),
                    strict=True,
                )
            )
            sizes = [len(s) for s in index.segments]
            assert next_merge(sizes) is None  # the policy has run to completion
        assert _postings(index) == sorted(before)
        records = index.texts.blob_path.stat().st_size
        # Written once: the text store holds each record once, whatever the merges did.
        assert records == sum(len(docstore.encode(a)) for a in _articles(6 * FAN_IN))
        assert not any((s.path / "doc_blob.bin").exists() for s in index.segments)


def test_bulk_add_writes_runs_and_merges_them_into_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wiretrace.index import postings as index_module

    monkeypatch.setattr(index_module, "RUN_POSTINGS", 60)  # a run every ~3 articles
    monkeypatch.setattr(index_module, "MAX_RUNS", 4)
    db = tmp_path / "s.duckdb"
    articles = _articles(40)
    with Store(db) as store:
        index = ShingleIndex(store)
        writer = index.bulk()
        for n in range(0, 40, 5):
            store.add_articles(articles[n : n + 5])
            writer.add(articles[n : n + 5])
            assert len(writer.runs) < 4  # runs merged as they pile up
        assert writer.groups  # some runs were merged before the end
        writer.finish()
        assert len(index.segments) == 1 and index.unindexed() == 0
        direct = ShingleIndex(store)
        for article in articles[::7]:
            key = direct.key_of(article.id)
            assert key is not None
            record = direct.source(key)
            assert record is not None and record.text == article.text


def test_uncommitted_text_records_are_cut_off(tmp_path: Path) -> None:
    directory = tmp_path / "t"
    store = TextStore(directory, (0, 0), writable=True)
    state = store.append([0, 1], [b"alpha", b"beta"])
    store.commit(state)
    store.append([2], [b"gamma-never-committed"])  # a writer killed before its commit
    store.close()
    reader = TextStore(directory, state, writable=False)
    assert reader.blob_of(1) == b"beta" and reader.blob_of(2) is None
    writer = TextStore(directory, state, writable=True)
    assert (directory / "records.bin").stat().st_size == len(b"alphabeta")
    writer.commit(writer.append([2], [b"gamma"]))
    assert writer.blob_of(2) == b"gamma" and writer.blob_of(0) == b"alpha"


def test_an_old_store_with_records_in_segments_keeps_working(tmp_path: Path) -> None:
    """Segments written by the previous version carry their records; they move, once."""
    db = tmp_path / "s.duckdb"
    articles = _articles(6)
    with Store(db) as store:
        store.add_articles(articles)
        index = ShingleIndex(store)
        index.add(articles)
        # Make it what the previous version wrote: records inside the segment, no text store.
        segment = index.segments[0]
        keys = [index.key_of(a.id) or 0 for a in articles]
        docstore.write(segment.path, keys, [docstore.encode(a) for a in articles])
        store.db.execute("DELETE FROM index_meta WHERE key = 'texts'")
        index.texts.close()
    for path in (tmp_path / "s.duckdb.texts").iterdir():
        path.unlink()
    with Store(db, read_only=True) as store:  # read as it is: records from the segment
        old = ShingleIndex(store)
        record = old.source(keys[2])
        assert record is not None and record.text == articles[2].text
    with Store(db) as store:  # a writer moves them to the text store
        moved = ShingleIndex(store)
        assert not (moved.segments[0].path / "doc_blob.bin").exists()
        record = moved.source(keys[4])
        assert record is not None and record.text == articles[4].text
        moved.add(_articles(3, start=100))
    with Store(db, read_only=True) as store:
        again = ShingleIndex(store)
        assert all(again.source(k) is not None for k in range(9))


_KILL_IN_MERGE = """
import os, signal, sys
from wiretrace.index import postings as index_module
from wiretrace.index.postings import ShingleIndex
from wiretrace.store.articles import Store
sys.path.insert(0, sys.argv[3])
from test_index_merge import _articles

point = sys.argv[2]
real_merge, real_execute = index_module.merge_segments, None

def merge_then_die(directory, segments, **kw):
    merged = real_merge(directory, segments, **kw)
    if point == "written":
        os.kill(os.getpid(), signal.SIGKILL)
    return merged

index_module.merge_segments = merge_then_die
real_rmtree = index_module.shutil.rmtree

def die_before_cleanup(path, **kw):
    if point == "committed":
        os.kill(os.getpid(), signal.SIGKILL)
    return real_rmtree(path, **kw)

index_module.shutil.rmtree = die_before_cleanup
with Store(sys.argv[1]) as store:
    index = ShingleIndex(store)
    for b in range(8):
        batch = _articles(2, start=2 * b)
        store.add_articles(batch)
        index.add(batch)
print("never merged")
"""


@pytest.mark.parametrize("point", ["written", "committed"])
def test_sigkill_in_a_merge_leaves_a_usable_index(tmp_path: Path, point: str) -> None:
    """Killed after the merged segment is written but before it is recorded, or after it is
    recorded but before the merged inputs are deleted: the index reopens whole."""
    db = tmp_path / "s.duckdb"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run(
        [sys.executable, "-c", _KILL_IN_MERGE, str(db), point, str(Path(__file__).parent)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == -signal.SIGKILL, done.stdout + done.stderr
    with Store(db) as store:
        index = ShingleIndex(store)
        on_disk = {p.name for p in index.directory.iterdir()}
        assert on_disk == {s.name for s in index.segments}  # no orphan, nothing missing
        stored = store.count()
        index.catch_up()
        assert index.unindexed() == 0 and len(index.doc_ids) == stored
        for article in _articles(stored):
            key = index.key_of(article.id)
            assert key is not None
            hashes, _ = sentence_shingles(article.text, article.spans, index.params)
            postings, _ = index.lookup(hashes, max_df=10**9)
            assert key in set(postings.docs.tolist())
            record = index.source(key)
            assert record is not None and record.text == article.text


def test_reading_in_stored_order_matches_reading_by_id(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    articles = _articles(23)
    with Store(db) as store:
        for n in range(0, 23, 4):  # several add batches: sentences follow their articles
            store.add_articles(articles[n : n + 4])
        expected = {a.id: a.spans for a in store.get_many([a.id for a in articles])}
        batches = list(store.iter_in_stored_order(batch_size=5))
        assert [len(b) for b in batches] == [5, 5, 5, 5, 3]
        got = [a for batch in batches for a in batch]
        assert [a.id for a in got] == [a.id for a in articles]
        assert all(a.spans == expected[a.id] and a.spans for a in got)
        tail = [a for b in store.iter_in_stored_order(batch_size=4, first_row=9) for a in b]
        assert [a.id for a in tail] == [a.id for a in articles[9:]]
        assert all(a.spans == expected[a.id] for a in tail)


def test_catch_up_indexes_only_what_is_missing(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    articles = _articles(12)
    with Store(db) as store:
        store.add_articles(articles)
        index = ShingleIndex(store)
        index.add(articles[:5])
        assert index.catch_up() == 7 and index.unindexed() == 0
        assert sorted(index.doc_ids) == sorted(a.id for a in articles)
        assert index.catch_up() == 0


@pytest.mark.parametrize("size", [0, 1, 255, 256, 257, 5_000, 70_001])
def test_fenced_lookup_equals_a_binary_search_of_the_whole_segment(
    tmp_path: Path, size: int
) -> None:
    from wiretrace.index.segments import FENCE_STRIDE, Segment

    rng = np.random.default_rng(size)
    hashes = rng.integers(0, 2**20, size, dtype=np.uint64).astype(np.uint32)
    hashes[: size // 2] = 777  # one hash with postings over many fence blocks
    segment = write_segment(tmp_path, hashes, np.arange(size, dtype=np.uint32), hashes * 0)
    assert len(segment.fence) == -(-size // FENCE_STRIDE)
    query = np.unique(
        np.concatenate([hashes[::7], rng.integers(0, 2**20, 200), [0, 777, 2**32 - 1]])
    ).astype(np.uint32)
    for side in ("left", "right"):
        expected = np.searchsorted(np.asarray(segment.hashes), query, side=side)
        assert (segment.ranges(query)[side == "right"] == expected).all()
    # A segment written before fences gets one made from its hashes file, and saved.
    (segment.path / "fence.npy").unlink()
    reopened = Segment(segment.path)
    assert (reopened.fence == segment.fence).all() and (segment.path / "fence.npy").exists()

"""The shingle index on a real store: persistence, crash recovery, compaction, parameters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from wiretrace import api
from wiretrace.doc.article import Article
from wiretrace.errors import StoreError
from wiretrace.index.postings import MAX_SEGMENTS, ShingleIndex
from wiretrace.index.shingles import ShingleParams, sentence_shingles
from wiretrace.index.texts import TextStore
from wiretrace.store.articles import Store

T0 = datetime(2031, 3, 1, tzinfo=UTC)


def _articles(count: int, start: int = 0) -> list[Article]:
    return [
        Article.create(
            f"Harbour crane number {n} was repaired by the night shift at pier {n % 9}. "
            f"The port office said cargo ship {n * 3} would dock at berth {n % 5} on time.",
            url=f"https://port{n}.example/a",
            published_at=T0 + timedelta(hours=n),
        )
        for n in range(start, start + count)
    ]


def _lookup_all(index: ShingleIndex, article: Article) -> set[tuple[int, int]]:
    hashes, _ = sentence_shingles(article.text, article.spans, index.params)
    postings, _ = index.lookup(hashes, max_df=10**9)
    return set(zip(postings.docs.tolist(), postings.sents.tolist(), strict=True))


def test_index_survives_restart(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    articles = _articles(5)
    with Store(db) as store:
        store.add_articles(articles)
        index = ShingleIndex(store)
        assert index.add(articles) == 5
        assert index.add(articles) == 0  # already indexed
        before = _lookup_all(index, articles[2])
    with Store(db, read_only=True) as store:
        index = ShingleIndex(store)
        assert _lookup_all(index, articles[2]) == before and before
        assert len(index.doc_published) == 5 and not np.isnan(index.doc_published).any()


def test_unrecorded_segment_is_removed_and_missing_articles_caught_up(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    articles = _articles(4)
    with Store(db) as store:
        store.add_articles(articles)  # stored, never indexed: as after a kill between the two
        index = ShingleIndex(store)
        orphan = index.directory / "seg-deadbeef0000"
        orphan.mkdir(parents=True)
        (orphan / "hashes.npy").write_bytes(b"half-written")
    with Store(db) as store:
        index = ShingleIndex(store)
        assert not orphan.exists()
        assert index.unindexed() == 4
        assert index.catch_up() == 4 and index.unindexed() == 0


def test_compaction_keeps_results(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    with Store(db) as store:
        index = ShingleIndex(store)
        batches = [_articles(3, start=3 * b) for b in range(MAX_SEGMENTS + 4)]
        for batch in batches:
            store.add_articles(batch)
            index.add(batch)
        assert len(index.segments) <= MAX_SEGMENTS
        probe = batches[0][1]
        found = _lookup_all(index, probe)
        assert found and {doc for doc, _ in found} >= {1}
        recorded = store.db.execute("SELECT count(*), sum(docs) FROM index_segments").fetchall()
        assert recorded == [(len(index.segments), 3 * len(batches))]
        on_disk = {p.name for p in index.directory.iterdir()}
        assert on_disk == {s.name for s in index.segments}


def test_changed_parameters_need_a_reindex(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    with Store(db) as store:
        ShingleIndex(store)
        with pytest.raises(StoreError, match="reindex"):
            ShingleIndex(store, ShingleParams(ngram=4))


def test_reindex_rebuilds_everything(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    articles = _articles(6)
    with Store(db) as store:
        store.add_articles(articles)
        ShingleIndex(store).add(articles)
    stats = api.reindex(db=db)
    assert stats.articles == 6 and stats.segments == 1 and stats.postings > 0
    assert stats.index_bytes > 0
    with Store(db) as store:
        index = ShingleIndex(store)
        assert index.unindexed() == 0 and _lookup_all(index, articles[0])


def test_stock_shingles_are_filtered_by_frequency(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    articles = _articles(8)
    with Store(db) as store:
        store.add_articles(articles)
        index = ShingleIndex(store)
        index.add(articles)
        hashes, _ = sentence_shingles(articles[0].text, articles[0].spans, index.params)
        all_postings, df = index.lookup(hashes, max_df=10**9)
        rare_postings, _ = index.lookup(hashes, max_df=1)
    assert df.max() >= 8  # "the port office said" style shingles are in every article
    assert len(rare_postings.docs) < len(all_postings.docs)
    assert set(rare_postings.docs.tolist()) == {0}


def test_source_records_follow_their_articles_through_compaction(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    with Store(db) as store:
        index = ShingleIndex(store)
        batches = [_articles(3, start=3 * b) for b in range(MAX_SEGMENTS + 4)]
        for batch in batches:
            store.add_articles(batch)
            index.add(batch)
        assert len(index.segments) <= MAX_SEGMENTS
    with Store(db, read_only=True) as store:
        index = ShingleIndex(store)
        for key, article_id in enumerate(index.doc_ids):
            stored = store.get(article_id)
            record = index.source(key)
            assert stored is not None and record is not None
            assert (record.url, record.outlet, record.title, record.text) == (
                stored.url,
                stored.outlet,
                stored.title,
                stored.text,
            )
            assert list(record.spans) == [(s.start, s.end) for s in stored.sentences]
        assert index.source(len(index.doc_ids)) is None


def test_trace_reads_the_same_sources_with_or_without_records(tmp_path: Path) -> None:
    """A store indexed by an older version (segments without records) traces identically."""
    from wiretrace.trace.tracer import Tracer

    db = tmp_path / "s.duckdb"
    wire = _articles(4)
    copies = [
        Article.create(
            a.text.replace("night shift", "day crew") + " Unrelated closing remark here.",
            url=f"https://farm{n}.example/x",
            outlet="farm",
            published_at=T0 + timedelta(days=2, hours=n),
        )
        for n, a in enumerate(wire)
    ]
    with Store(db) as store:
        store.add_articles(wire + copies)
        ShingleIndex(store).add(wire + copies)
    with Store(db, read_only=True) as store:
        with_records = [Tracer(store, claims=False).trace(c).to_dict() for c in copies]
        legacy = ShingleIndex(store)
        for segment in legacy.segments:
            segment.texts = None
        legacy.texts = TextStore(legacy.texts.directory, (0, 0), writable=False)  # no records
        without = [Tracer(store, index=legacy, claims=False).trace(c).to_dict() for c in copies]
    assert with_records == without
    assert all(r["sentences"][0]["status"] in {"copied", "paraphrased"} for r in with_records)


def test_a_lost_index_directory_is_named_and_reindex_recovers(tmp_path: Path) -> None:
    import shutil

    db = tmp_path / "s.duckdb"
    articles = _articles(3)
    with Store(db) as store:
        store.add_articles(articles)
        ShingleIndex(store).add(articles)
    shutil.rmtree(tmp_path / "s.duckdb.index")
    with Store(db) as store, pytest.raises(StoreError, match="reindex"):
        ShingleIndex(store)
    assert api.reindex(db=db).articles == 3
    with Store(db) as store:
        assert _lookup_all(ShingleIndex(store), articles[1])

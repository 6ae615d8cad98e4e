"""Candidate sources of a trace: which stored sentences share shingles with the article's.

A `Candidates` finds, per target sentence, the source sentences worth scoring, and loads the
candidate articles. `IndexCandidates` answers from the store's shingle index and source-text
store (a trace of one article); the corpus engines hand the tracer their own candidates instead
(`corpus/align.py`), so every decision after this step is the same code on both paths.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

import numpy as np

from wiretrace.doc.article import Article
from wiretrace.index.postings import ShingleIndex
from wiretrace.index.shingles import sentence_shingles
from wiretrace.lru import LRU
from wiretrace.store import queries
from wiretrace.store.articles import Store
from wiretrace.trace.params import TraceParams
from wiretrace.trace.report import SourceDoc

SOURCE_CACHE = 4096  # stored source articles a tracer keeps (~4 kB of text each)


@dataclass(slots=True)
class CandidateHits:
    """What a candidate search found for one article."""

    # per target sentence: (doc_key, source sentence) pairs, best first
    hits: dict[int, list[tuple[int, int]]]
    stock: list[float]  # per target sentence: share of its shingles that are stock phrases
    # document-level candidates: doc_key -> distinct shingles shared with the whole article
    shared: dict[int, int] = field(default_factory=dict)


class Candidates(Protocol):
    """Where a tracer gets its candidate sources from."""

    def find(self, article: Article, params: TraceParams) -> CandidateHits: ...

    def load(self, keys: Iterable[int], target: Article) -> dict[int, SourceDoc]: ...


class IndexCandidates:
    """Candidates from a store's shingle index; keeps recently read sources (a long-lived
    tracer, like the web server's, reads each wire story once rather than per trace)."""

    def __init__(self, store: Store, index: ShingleIndex) -> None:
        self.store = store
        self.index = index
        self._rows: LRU[int, Article] = LRU(SOURCE_CACHE)  # doc_key -> stored source

    def find(self, article: Article, params: TraceParams) -> CandidateHits:
        """Per target sentence, the (doc_key, source sentence) pairs sharing most shingles."""
        hashes, sent_of = sentence_shingles(article.text, article.spans, self.index.params)
        postings, df = self.index.lookup(hashes, max_df=params.max_df)
        stock = np.zeros(len(article.spans))
        total = np.bincount(sent_of, minlength=len(article.spans)).astype(float)
        high = np.bincount(sent_of[df > params.max_df], minlength=len(article.spans))
        np.divide(high, total, out=stock, where=total > 0)
        hits: dict[int, list[tuple[int, int]]] = {}
        shared: dict[int, int] = {}
        if len(postings.docs):
            shared = _shared_shingles(
                hashes[postings.query_rows],
                postings.docs,
                params.passage_docs,
                len(np.unique(hashes)),
            )
            target_sents = sent_of[postings.query_rows].astype(np.int64)
            unique, counts = _count_triples(
                target_sents, postings.docs.astype(np.int64), postings.sents.astype(np.int64)
            )
            # A candidate must share a fifth of the sentence's shingles (at least one): a single
            # shared 3-gram in a long sentence is chance, and every candidate costs a fetch.
            needed = np.maximum(1, np.ceil(0.2 * total[unique[:, 0]]))
            unique, counts = unique[counts >= needed], counts[counts >= needed]
            order = np.lexsort((-counts, unique[:, 0]))
            limit = params.candidates_per_sentence
            for t, doc, s in unique[order].tolist():
                per = hits.setdefault(t, [])
                if len(per) < limit:
                    per.append((doc, s))
        return CandidateHits(hits, stock.tolist(), shared)

    def load(self, keys: Iterable[int], target: Article) -> dict[int, SourceDoc]:
        """Candidate articles with their texts and sentence offsets, minus the target itself."""
        times = self.index.doc_published
        reference = target.published_at.timestamp() if target.published_at else math.inf
        # Later articles can only copy the target: never fetched.
        wanted = sorted(k for k in set(keys) if k < len(times) and not times[k] > reference)
        ids = {self.index.doc_ids[k]: k for k in wanted if k < len(self.index.doc_ids)}
        if not ids:
            return {}
        docs: dict[int, SourceDoc] = {}
        for key, source in self._fetch_sources(ids):
            if source.id == target.id or (source.url and source.url == target.url):
                continue
            docs[key] = SourceDoc(key, source, direction(source.published_at, target))
        return docs

    def _fetch_sources(self, ids: dict[str, int]) -> list[tuple[int, Article]]:
        """Stored rows of candidate sources, from the tracer's cache or the store.

        The cache matters to a long-lived tracer (the web server): wire stories are the sources
        of many targets, so their texts are fetched once rather than per trace."""
        found = []
        missing: dict[str, int] = {}
        times = self.index.doc_published
        for article_id, key in ids.items():
            cached = self._rows.get(key)
            if cached is not None:
                found.append((key, cached))
                continue
            record = self.index.source(key)
            if record is None:
                missing[article_id] = key
                continue
            stamp = float(times[key])
            published = None if math.isnan(stamp) else datetime.fromtimestamp(stamp, UTC)
            source = _source(
                article_id, record.url, record.outlet, record.title, published, record.text
            )
            source.set_spans(record.spans)
            self._rows.put(key, source)
            found.append((key, source))
        if not missing:
            return found
        for source in queries.source_articles(self.store.db, list(missing)):
            key = missing[source.id]
            self._rows.put(key, source)
            found.append((key, source))
        return found


def _source(
    article_id: str,
    url: str | None,
    outlet: str | None,
    title: str | None,
    published: datetime | None,
    text: str,
) -> Article:
    """A stored source as an `Article` (stored text is normalised already: kept as it is)."""
    return Article(
        id=article_id, text=text, title=title or "", url=url, outlet=outlet, published_at=published
    )


def _count_triples(
    first: np.ndarray, second: np.ndarray, third: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Distinct (target sentence, doc, source sentence) rows and how often each occurs.

    Packed into one int64 when they fit (15 + 32 + 16 bits): a 1-d unique is several times
    faster than `np.unique(axis=0)`, which sorts rows as opaque byte strings."""
    if len(first) and first.max() < 1 << 15 and second.max() < 1 << 32 and third.max() < 1 << 16:
        packed = (first << 48) | (second << 16) | third
        values, counts = np.unique(packed, return_counts=True)
        rows = np.stack([values >> 48, (values >> 16) & 0xFFFFFFFF, values & 0xFFFF], axis=1)
        return rows, counts
    rows, counts = np.unique(np.stack([first, second, third], axis=1), axis=0, return_counts=True)
    return rows, counts


def _shared_shingles(
    hashes: np.ndarray, docs: np.ndarray, limit: int, article_shingles: int
) -> dict[int, int]:
    """Document-level candidates: the `limit` stored articles sharing most distinct shingles with
    the whole article, found even when no one sentence shares a fifth of its own: a rewritten
    story keeps its names and phrases spread over many sentences. At least 3, or a tenth of the
    article's `article_shingles` when that is fewer (at least 1): a short brief rewritten from
    its source cannot share three sampled shingles with it. The alignment that follows keeps
    only exact runs with content words, so a chance candidate covers nothing."""
    if not limit or not len(docs):
        return {}
    pairs = np.unique((docs.astype(np.uint64) << np.uint64(32)) | hashes.astype(np.uint64))
    keys, counts = np.unique((pairs >> np.uint64(32)).astype(np.int64), return_counts=True)
    keep = counts >= max(1, min(3, math.ceil(article_shingles / 10)))
    keys, counts = keys[keep], counts[keep]
    order = np.lexsort((keys, -counts))[:limit]
    return {int(keys[i]): int(counts[i]) for i in order}


def direction(published: datetime | None, target: Article) -> str:
    """Whether a source was published before the target ("earlier"), after it, or unknown."""
    if published is None:
        return "unknown"
    if target.published_at is None or published < target.published_at:
        return "earlier"
    return "unknown" if published == target.published_at else "later"

"""The workbench's state over one store: a writer, a small pool of readers and bounded caches.

DuckDB connections are not safe to share between threads, so each reader owns a cursor (its own
connection to the same database) and its own tracer; every write goes through one lock. After a
write the generation number moves on, readers rebuild their index view, and cached traces of
the old generation are no longer served.
"""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wiretrace.claims import bulk_quotes, extract_claims
from wiretrace.doc.article import Article
from wiretrace.errors import InputNotFound, ReadOnlyStore, TraceCancelled
from wiretrace.index.postings import ShingleIndex
from wiretrace.index.updates import Indexes, store_articles
from wiretrace.lru import LRU
from wiretrace.store.articles import Store, fetch_one
from wiretrace.store.fulltext import TextIndex, open_for_store
from wiretrace.trace.tracer import Tracer
from wiretrace.web import quotes as quote_table

DEFAULT_MAX_BODY = 10_000_000


@dataclass(slots=True)
class WebConfig:
    """Server settings: the store, who may write, and the limits."""

    db: Path
    host: str = "127.0.0.1"
    token: str | None = None
    max_body: int = DEFAULT_MAX_BODY
    allow_private: bool = False
    read_only: bool = False
    readers: int = 2
    fetch_timeout: float = 20.0
    profile_sample: int = 25
    trace_cache: int = 512
    page_cache: int = 256  # rendered trace pages (~40 kB each)
    adhoc_cache: int = 200
    allowed_hosts: list[str] = field(default_factory=list)


class Reader:
    """One thread's view of the store: its own connection and tracer."""

    def __init__(self, store: Store) -> None:
        view = Store.__new__(Store)  # a Store over a cursor: same database, own connection
        view.path = store.path
        view.db = store.db.cursor()
        view.db.execute("SET TimeZone = 'UTC'")
        self.store = view
        self.tracer: Tracer | None = None
        self.generation = -1

    def close(self) -> None:
        self.store.db.close()


class Workbench:
    """Everything the routes need; safe to call from many threads."""

    def __init__(self, config: WebConfig) -> None:
        self.config = config
        self.store = Store(config.db, read_only=config.read_only)
        self.write_lock = threading.Lock()
        self.generation = 0
        self.index: ShingleIndex | None = None
        if not config.read_only:
            self.index = ShingleIndex(self.store)
            self.index.catch_up()  # articles stored by an interrupted ingest
            quote_table.ensure(self.store.db)
        # Full-text search; None on a read-only store without a current sidecar (scan instead).
        self.text_index: TextIndex | None = open_for_store(self.store, read_only=config.read_only)
        self.readers: queue.Queue[Reader] = queue.Queue()
        self._all_readers = [Reader(self.store) for _ in range(max(1, config.readers))]
        for reader in self._all_readers:
            # Built now rather than on the first request, which would otherwise wait for it.
            reader.tracer = Tracer(reader.store)
            reader.generation = self.generation
            self.readers.put(reader)
        # Reports are kept as their JSON text, not as dicts: a report's dicts and lists (tens of
        # thousands in a full cache) are objects every full garbage collection walks, a pause
        # inside some request; bytes are not. A caller that needs the dict parses it (~0.3 ms).
        self.traces: LRU[Any, bytes] = LRU(config.trace_cache)
        self.cancelled_traces = 0  # traces stopped because their client went away
        self.claims_cache: LRU[str, bytes] = LRU(config.trace_cache)
        self.profiles: LRU[Any, Any] = LRU(64)
        self.pages: LRU[Any, Any] = LRU(config.page_cache)
        self.adhoc: LRU[Any, Any] = LRU(config.adhoc_cache)

    def close(self) -> None:
        for reader in self._all_readers:
            reader.close()
        if self.text_index is not None:
            self.text_index.close()
        self.store.close()

    # -- plumbing ------------------------------------------------------------------------

    @contextmanager
    def reader(self) -> Iterator[Reader]:
        """A reader for this thread, its tracer current with the last write."""
        reader = self.readers.get()
        try:
            if reader.generation != self.generation or reader.tracer is None:
                # Built under the write lock: a writable index view tidies segment files.
                with self.write_lock:
                    reader.tracer = Tracer(reader.store)
                    reader.generation = self.generation
            yield reader
        finally:
            self.readers.put(reader)

    def _require_writable(self) -> None:
        if self.config.read_only or self.index is None:
            raise ReadOnlyStore("this server opened its store read-only: writes are refused")

    # -- writing -------------------------------------------------------------------------

    def add(self, articles: Sequence[Article]) -> tuple[list[str], int]:
        """Store and index articles in one transaction; returns ids added and already stored."""
        self._require_writable()
        assert self.index is not None
        with self.write_lock:
            indexes = Indexes(self.store, shingles=self.index, text=self.text_index)
            result = store_articles(self.store, articles, indexes)
            for article in result.added:
                quotes = bulk_quotes(article)
                quote_table.record(self.store.db, article.id, quotes)
            self.generation += 1
        return [a.id for a in result.added], result.already_stored

    def index_quotes(self, limit: int) -> dict[str, int]:
        """Extract and store the quotes of up to `limit` articles not yet processed."""
        self._require_writable()
        with self.write_lock:
            return quote_table.catch_up(self.store, limit)

    def remember(self, article: Article) -> None:
        """Keep an article traced without storing it, so its page has a URL."""
        self.adhoc.put(article.id, article)

    # -- reading -------------------------------------------------------------------------

    def article(self, key: str) -> Article:
        """A stored (or recently traced) article by id or url; InputNotFound otherwise."""
        with self.reader() as reader:
            found = reader.store.get(key, spans=False)
            if found is not None:
                _attach_spans(reader, found)
        found = found or self.adhoc.get(key)
        if found is None:
            raise InputNotFound("no stored article has this id or url", source=key)
        return found

    def trace(
        self, article: Article, cancelled: Callable[[], bool] | None = None
    ) -> dict[str, Any]:
        """The `wiretrace.trace/2` report of an article, cached per store generation.
        `cancelled`: polled by the tracer, which stops (TraceCancelled) when it returns True."""
        report: dict[str, Any] = json.loads(self._trace_text(article, cancelled))
        return report

    def _trace_text(self, article: Article, cancelled: Callable[[], bool] | None) -> bytes:
        """The trace report's JSON, made once per article and store generation."""
        key = (article.id, self.generation)
        cached = self.traces.get(key)
        if cached is None:
            with self.reader() as reader:
                assert reader.tracer is not None
                try:
                    report = reader.tracer.trace(article, cancelled=cancelled).to_dict()
                except TraceCancelled:
                    self.cancelled_traces += 1
                    raise
            cached = json.dumps(report, ensure_ascii=False).encode()
            self.traces.put(key, cached)
        return cached

    def trace_json(self, key: str, cancelled: Callable[[], bool] | None = None) -> bytes:
        """The trace report serialised once per generation (a report is ~20 kB of JSON).

        Looked up by the requested key first: a hit skips loading the article from the store.
        """
        cached = self.traces.get(("json", key, self.generation))
        if cached is None:
            cached = self._trace_text(self.article(key), cancelled)
            self.traces.put(("json", key, self.generation), cached)  # the same bytes object
        return cached

    def page(self, key: tuple[Any, ...], generation: int, render: Callable[[], str]) -> str:
        """A rendered page, cached like the trace it shows: `generation` is the store
        generation its data was read at (taken before reading), so a page is served until
        the next write and a page of older data is never stored as current."""
        full = (*key, generation)
        cached = self.pages.get(full)
        if cached is None:
            cached = render()
            self.pages.put(full, cached)
        return str(cached)

    def claims(self, article: Article) -> dict[str, Any]:
        """The `wiretrace.claims/1` report of an article (cached: it needs no corpus)."""
        cached = self.claims_cache.get(article.id)
        if cached is None:
            cached = json.dumps(extract_claims(article).to_dict(), ensure_ascii=False).encode()
            self.claims_cache.put(article.id, cached)
        report: dict[str, Any] = json.loads(cached)
        return report

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Rows of a read query, run on a pooled reader connection."""
        with self.reader() as reader:
            return reader.store.db.execute(sql, list(params)).fetchall()

    def count(self) -> int:
        with self.reader() as reader:
            row = fetch_one(reader.store.db, "SELECT count(*) FROM articles")
        return int(row[0]) if row else 0

    def recent_of(self, outlet: str, limit: int) -> list[Article]:
        """An outlet's latest stored articles (with sentence offsets)."""
        with self.reader() as reader:
            ids = [
                r[0]
                for r in reader.store.db.execute(
                    "SELECT id FROM articles WHERE outlet = ? "
                    "ORDER BY published_at DESC NULLS LAST, id LIMIT ?",
                    [outlet, limit],
                ).fetchall()
            ]
            return reader.store.get_many(ids)


def _attach_spans(reader: Reader, article: Article) -> None:
    """Sentence offsets from the index's record of the article when it has one (no query)."""
    index = reader.tracer.index if reader.tracer is not None else None
    key = index.key_of(article.id) if index is not None else None
    record = index.source(key) if index is not None and key is not None else None
    if record is not None and record.text == article.text:
        article.set_spans(record.spans)
    else:
        reader.store.attach_spans(article)
